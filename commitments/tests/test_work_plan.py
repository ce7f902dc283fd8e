"""A Compact's work plan: kept by its administrators and steering group, public on its pages, overdue actions
flagged and reminded once."""

import datetime
import html
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import services
from commitments.tests.factories import CommitmentFactory, ThemeFactory
from compacts.models import ChangeRecord, WorkPlanAction
from compacts.permissions import Refused
from compacts.tests.factories import CompactFactory, OrganisationFactory, UserFactory, compact_role, member

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def plan(db):
    compact = CompactFactory(slug="testshire", short_name="Testshire", title="Testshire Compact")
    other = CompactFactory(slug="elsewhere", short_name="Elsewhere")
    people = SimpleNamespace(
        administrator=UserFactory(username="admin@testshire.example"),
        steering=UserFactory(username="steering@testshire.example"),
        chair=UserFactory(username="chair@testshire.example"),
        other_administrator=UserFactory(username="admin@elsewhere.example"),
        champion=UserFactory(username="champion@council.example"),
        bystander=UserFactory(username="someone@other.example"),
    )
    compact_role(people.administrator, compact, "administrator")
    compact_role(people.steering, compact, "steering_group")
    compact_role(people.chair, compact, "chair")
    compact_role(people.other_administrator, other, "administrator")
    member(people.champion, OrganisationFactory(), champion_of=compact)
    return SimpleNamespace(
        compact=compact,
        other=other,
        people=people,
        commitment=CommitmentFactory(compact=compact),
        theme=ThemeFactory(),
    )


def add(plan, by=None, **fields):
    return services.work_plan_action_save(
        compact=plan.compact,
        by=by or plan.people.administrator,
        themes=fields.pop("themes", [plan.theme]),
        commitments=fields.pop("commitments", [plan.commitment]),
        **{
            "year": TODAY.year,
            "title": "Run Compact awareness sessions for new council staff",
            "lead": "Testshire CVS",
            "owner": None,
            "due_on": TODAY + datetime.timedelta(days=30),
            "status": "planned",
            "notes": "",
            **fields,
        },
    )


@pytest.mark.parametrize("who", ["administrator", "steering", "chair"])
def test_administrators_and_the_steering_group_keep_the_plan(plan, who):
    action = add(plan, by=getattr(plan.people, who))
    assert list(action.themes.all()) == [plan.theme] and list(action.commitments.all()) == [plan.commitment]
    record = ChangeRecord.objects.get()
    assert (record.action, record.by) == ("Work-plan action added", getattr(plan.people, who))
    assert record.after["lead"] == "Testshire CVS" and record.after["status"] == "Not started"


@pytest.mark.parametrize("who", ["other_administrator", "champion", "bystander"])
def test_nobody_else_does(plan, who):
    with pytest.raises(Refused, match="administrators and steering group keep its work plan"):
        add(plan, by=getattr(plan.people, who))
    assert not WorkPlanAction.objects.exists()


def test_a_change_is_recorded_before_and_after_and_refused_if_someone_changed_it_first(plan):
    action = add(plan)
    seen = action.version
    services.work_plan_action_save(
        compact=plan.compact,
        by=plan.people.steering,
        action=action,
        version=seen,
        themes=[],
        commitments=[],
        status="done",
    )
    record = ChangeRecord.objects.get(action="Work-plan action changed")
    assert (record.before["status"], record.after["status"]) == ("Not started", "Done")
    assert (record.before["commitments"], record.after["commitments"]) == (plan.commitment.short_label, "")
    with pytest.raises(Refused, match="Someone changed this action while you were working on it"):
        services.work_plan_action_save(
            compact=plan.compact, by=plan.people.administrator, action=action, version=seen, status="dropped"
        )
    action.refresh_from_db()
    assert action.status == "done" and action.version == seen + 1


def test_only_the_compacts_own_commitments(plan):
    with pytest.raises(Refused, match="Choose commitments of the Testshire Compact"):
        add(plan, commitments=[CommitmentFactory(compact=plan.other)])


def test_an_overdue_action_is_reminded_once_to_whoever_it_names(plan, django_capture_on_commit_callbacks):
    owner = UserFactory(username="owner@cvs.example")
    overdue = add(plan, owner=owner, due_on=TODAY - datetime.timedelta(days=1))
    add(plan, title="Nobody named", due_on=TODAY - datetime.timedelta(days=2), status="in_progress")
    add(plan, title="Done already", due_on=TODAY - datetime.timedelta(days=3), status="done")
    add(plan, title="Not due yet")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", verbosity=0)
    sent = sorted((m.to[0], m.body.split("\n\n")[1].strip()) for m in mail.outbox)
    assert sent == [
        ("admin@testshire.example", "Nobody named\nLed by: Testshire CVS"),
        ("owner@cvs.example", f"{overdue.title}\nLed by: Testshire CVS"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", verbosity=0)
    assert len(mail.outbox) == 2  # once for each date it was due by


# Pages -----------------------------------------------------------------------------------------------------------


def text_of(response):
    return html.unescape(response.content.decode())


def test_the_plan_is_public_with_overdue_actions_flagged(client, plan):
    add(plan, due_on=TODAY - datetime.timedelta(days=1))
    add(plan, year=TODAY.year - 1, title="Last year's review", status="done")
    text = text_of(client.get("/compacts/testshire/work-plan/"))
    assert f"Work plan {TODAY.year}" in text and f"Work plan {TODAY.year - 1}" in text
    assert "Overdue: Not started" in text and "Last year's review" in text
    assert plan.commitment.label in text
    page = text_of(client.get("/compacts/testshire/"))
    assert "Run Compact awareness sessions" in page and "Last year's review" not in page  # its latest plan only


@pytest.mark.parametrize("who", ["administrator", "steering", "other_administrator", "champion", "visitor"])
def test_only_its_keepers_open_the_manage_pages(client, plan, who):
    action = add(plan)
    if who != "visitor":
        client.force_login(getattr(plan.people, who))
    allowed = who in {"administrator", "steering"}
    for url in [
        "/manage/testshire/work-plan/",
        "/manage/testshire/work-plan/new/",
        f"/manage/testshire/work-plan/{action.pk}/",
    ]:
        response = client.get(url)
        if who == "visitor":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == (200 if allowed else 403), url
    response = client.post(f"/manage/testshire/work-plan/{action.pk}/", {"status": "done"})
    assert response.status_code == (400 if allowed else 302 if who == "visitor" else 403)


def form_data(plan, **changes):
    return {
        "version": "",
        "year": str(TODAY.year),
        "title": "Publish the annual Compact report",
        "lead": "Steering group",
        "owner_email": "",
        "due_on_0": "31",
        "due_on_1": "3",
        "due_on_2": str(TODAY.year + 1),
        "status": "planned",
        "notes": "",
        "themes": [str(plan.theme.pk)],
        "commitments": [str(plan.commitment.pk)],
        **changes,
    }


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client, plan):
    client.force_login(plan.people.administrator)
    response = client.post(
        "/manage/testshire/work-plan/new/", form_data(plan, due_on_1="13", owner_email="no@one.example")
    )
    assert response.status_code == 400
    text = text_of(response)
    assert "govuk-error-summary" in text and "Nobody has a portal account with that email address" in text
    assert 'value="Publish the annual Compact report"' in text or "Publish the annual Compact report</textarea>" in text
    assert not WorkPlanAction.objects.exists()
    response = client.post(
        "/manage/testshire/work-plan/new/", form_data(plan, owner_email="Steering@Testshire.example")
    )
    assert response.status_code == 302
    action = WorkPlanAction.objects.get()
    assert (action.owner, action.due_on) == (plan.people.steering, datetime.date(TODAY.year + 1, 3, 31))


def test_two_people_changing_one_action_the_second_is_told(client, plan):
    action = add(plan)
    client.force_login(plan.people.administrator)
    seen = form_data(plan, version=str(action.version), title="First")
    assert client.post(f"/manage/testshire/work-plan/{action.pk}/", seen).status_code == 302
    response = client.post(f"/manage/testshire/work-plan/{action.pk}/", {**seen, "title": "Second"})
    assert response.status_code == 409
    assert "it now reads “First”" in text_of(response) and "Second" in text_of(response)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/compacts/testshire/work-plan/", "/manage/testshire/work-plan/", "/manage/testshire/", "/compacts/testshire/"],
)
def test_work_plan_pages_run_a_fixed_number_of_queries(client, plan, url):
    client.force_login(plan.people.administrator)
    add(plan)
    small = count(client, url)
    for n in range(6):
        add(plan, year=TODAY.year - n % 3, title=f"Action {n}", commitments=[CommitmentFactory(compact=plan.compact)])
    assert count(client, url) == small
