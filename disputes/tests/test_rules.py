"""The complaint rules the pages promise, kept by the services whoever calls them: callers checked, bad input
refused with a clear error, nothing empty on the timeline, who acted for whom, words not codes, safe exports."""

import csv
import datetime
import html
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from commitments.tests.factories import CommitmentFactory
from compacts.exceptions import Refused
from compacts.exports import FORMULA_STARTS, safe_cell
from compacts.tests.factories import CompactFactory, OrganisationFactory, SectionFactory, member
from disputes import services
from disputes.models import ComplaintEvent, Handler
from disputes.tests.factories import raise_complaint
from disputes.workflow import Action, NotAllowed

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIELDS = {"summary": "Cut", "what_happened": "Cut.", "outcome_wanted": "Undo."}


def draft(world, **fields):
    return raise_complaint(world, submit=False, files=[SimpleUploadedFile("proof.pdf", PDF)], **fields)


def submitted(world):
    return raise_complaint(world, files=[SimpleUploadedFile("proof.pdf", PDF)])


def act(world, complaint, who, action, **details):
    complaint.refresh_from_db()
    details.setdefault("text", "Done.")
    return services.complaint_act(
        complaint=complaint, by=getattr(world.people, who), action=action, version=complaint.version, **details
    )


# 3. Each service checks its own caller ---------------------------------------------------------------------------


def test_only_the_complaining_organisation_saves_its_draft(world):
    complaint = draft(world)
    for outsider in ("respondent_champion", "bystander", "administrator"):
        with pytest.raises(NotAllowed):
            services.complaint_save_draft(
                complaint=complaint,
                by=getattr(world.people, outsider),
                compact=world.compact,
                complainant=world.charity,
                fields=FIELDS | {"summary": "Taken over"},
                commitments=[],
                files=[],
            )
    complaint.refresh_from_db()
    assert complaint.summary == "Cut"


def test_nobody_complains_for_an_organisation_they_do_not_belong_to(world):
    with pytest.raises(NotAllowed):
        services.complaint_save_draft(
            by=world.people.bystander,
            compact=world.compact,
            complainant=world.charity,
            fields=FIELDS,
            commitments=[],
            files=[],
        )


def test_a_draft_names_only_the_compacts_own_signatories_and_commitments(world):
    elsewhere = CompactFactory(slug="elsewhere")
    stranger = OrganisationFactory(name="Not A Signatory")
    foreign = CommitmentFactory(section=SectionFactory(compact=elsewhere), ref="9.9")
    with pytest.raises(Refused) as error:
        services.complaint_save_draft(
            by=world.people.vcs_member,
            compact=world.compact,
            complainant=world.charity,
            fields=FIELDS | {"respondent": stranger},
            commitments=[foreign],
            files=[],
        )
    assert set(error.value.errors) == {"respondent", "commitments"}


@pytest.mark.usefixtures("evidence_storage")
def test_only_the_complaining_organisation_removes_a_draft_file(world):
    complaint = draft(world)
    attachment = complaint.attachments.get()
    with pytest.raises(NotAllowed):
        services.complaint_remove_draft_file(
            complaint=complaint, by=world.people.respondent_champion, attachment_id=attachment.pk
        )
    assert complaint.attachments.count() == 1


@pytest.mark.parametrize("attachment_id", ["abc", "", "99999", "-1"])
def test_removing_a_file_that_is_not_there_is_a_clear_error(world, attachment_id):
    complaint = draft(world)
    with pytest.raises(Refused) as error:
        services.complaint_remove_draft_file(
            complaint=complaint, by=world.people.vcs_member, attachment_id=attachment_id
        )
    assert "not attached to this draft" in error.value.errors["files"]


def form_data(complaint, **extra):
    return {
        "compact": complaint.compact.slug,
        "complainant": complaint.complainant_id,
        "respondent": complaint.respondent_id,
        "summary": complaint.summary,
        "what_happened": "Typed since.",
        "outcome_wanted": complaint.outcome_wanted,
        "commitments": [str(c) for c in complaint.citations.values_list("commitment_id", flat=True)],
        **extra,
    }


@pytest.mark.usefixtures("evidence_storage")
def test_a_double_click_on_remove_is_an_error_on_the_page_not_a_server_error(client, world):
    complaint = draft(world)
    attachment = complaint.attachments.get()
    client.force_login(world.people.vcs_member)
    url = f"/complaints/{complaint.pk}/edit/"
    first = client.post(url, form_data(complaint, remove_file=attachment.pk))
    assert first.status_code == 200 and complaint.attachments.count() == 0
    second = client.post(url, form_data(complaint, remove_file=attachment.pk))
    assert second.status_code == 400
    page = second.content.decode()
    assert "govuk-error-summary" in page and "it may have been removed already" in page
    assert "Typed since." in page  # nothing typed is lost
    complaint.refresh_from_db()
    assert complaint.what_happened == "Typed since."


@pytest.mark.usefixtures("evidence_storage")
def test_a_file_id_that_is_not_a_number_is_an_error_on_the_page(client, world):
    complaint = draft(world)
    client.force_login(world.people.vcs_member)
    response = client.post(f"/complaints/{complaint.pk}/edit/", form_data(complaint, remove_file="abc"))
    assert response.status_code == 400
    assert "not attached to this draft" in response.content.decode()
    assert complaint.attachments.count() == 1


def test_a_service_refuses_an_action_that_is_not_for_an_open_complaint(world):
    complaint = draft(world)
    with pytest.raises(NotAllowed):
        services.complaint_act(complaint=complaint, by=world.people.vcs_member, action=Action.EDIT, version=None)


def test_a_template_that_is_not_a_number_is_ignored(client, world):
    complaint = submitted(world)
    client.force_login(world.people.respondent_champion)
    assert client.get(f"/complaints/{complaint.pk}/acknowledge/?template=abc").status_code == 200


def test_someone_refused_is_told_why(client, world):
    complaint = submitted(world)
    member(world.people.administrator, world.council)
    client.force_login(world.people.administrator)
    response = client.get(f"/complaints/{complaint.pk}/resolve/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You belong to Testshire Council, the organisation complained about" in page
    detail = client.get(complaint.get_absolute_url()).content.decode()
    assert "It can neither close a complaint against itself" in detail
    assert "Close with an outcome" not in detail


# 4. Nothing empty on the timeline ----------------------------------------------------------------------------------


def reach(world, action):
    """A complaint on which `action` is open, and who may take it."""
    complaint = submitted(world)
    steps = {
        Action.RESPOND: [("vcs_member", Action.LODGE, {})],
        Action.ESCALATE: [("vcs_member", Action.LODGE, {}), ("respondent_champion", Action.RESPOND, {})],
        Action.REFERRAL_RESULT: [("vcs_member", Action.REFER, {"body": "ombudsman"})],
    }
    to_panel = [
        ("vcs_member", Action.LODGE, {}),
        ("respondent_champion", Action.RESPOND, {}),
        ("vcs_member", Action.ESCALATE, {}),
    ]
    steps[Action.CONVENE] = to_panel
    steps[Action.FINDINGS] = [
        *to_panel,
        ("chair", Action.CONVENE, {"chair": world.people.chair, "members": [world.people.panellist]}),
    ]
    for who, step, details in steps.get(action, []):
        act(world, complaint, who, step, **details)
    complaint.refresh_from_db()
    who = {
        Action.ACKNOWLEDGE: "respondent_champion",
        Action.OFFICERS: "respondent_champion",
        Action.MEETING: "complainant_champion",
        Action.RESPOND: "respondent_champion",
        Action.CONVENE: "chair",
        Action.FINDINGS: "panellist",
        Action.EXTEND: "respondent_champion",
    }.get(action, "vcs_member")
    return complaint, who


# An acknowledgement and a withdrawal say something by being recorded; every other action needs its details.
MEANINGFUL_EMPTY = {Action.ACKNOWLEDGE, Action.WITHDRAW}


@pytest.mark.parametrize("action", [a for a in Action if a not in (Action.EDIT, Action.SUBMIT)])
def test_every_action_form_submitted_empty(client, world, action):
    complaint, who = reach(world, action)
    client.force_login(getattr(world.people, who))
    before = ComplaintEvent.objects.filter(complaint=complaint).count()
    response = client.post(f"/complaints/{complaint.pk}/{action}/", {"version": complaint.version})
    after = ComplaintEvent.objects.filter(complaint=complaint).count()
    if action in MEANINGFUL_EMPTY:
        assert response.status_code == 302 and after == before + 1
    else:
        assert response.status_code == 400, response.content.decode()[:500]
        page = response.content.decode()
        assert "govuk-error-summary" in page and "govuk-error-summary__list" in page
        assert after == before


def test_naming_the_same_officers_again_records_nothing(world):
    complaint = submitted(world)
    act(world, complaint, "respondent_champion", Action.OFFICERS, officers=[world.people.officer])
    with pytest.raises(Refused) as error:
        act(world, complaint, "respondent_champion", Action.OFFICERS, officers=[world.people.officer])
    assert "already named" in error.value.errors["officers"]
    assert complaint.events.filter(kind="officers").count() == 1


# 5. Who acted, for whom ------------------------------------------------------------------------------------------


def test_each_event_names_the_side_or_role_the_person_acted_for(client, world):
    aardvark = OrganisationFactory(name="Aardvark Trust")  # first alphabetically, and nothing to do with it
    member(world.people.respondent_champion, aardvark)
    member(world.people.chair, aardvark)
    complaint = submitted(world)
    act(world, complaint, "respondent_champion", Action.ACKNOWLEDGE)
    for who, action, details in [
        ("vcs_member", Action.LODGE, {}),
        ("respondent_champion", Action.RESPOND, {}),
        ("vcs_member", Action.ESCALATE, {}),
        ("chair", Action.CONVENE, {"chair": world.people.chair, "members": [world.people.panellist]}),
    ]:
        act(world, complaint, who, action, **details)
    events = {e.kind: e for e in complaint.events.all()}
    assert (events["submitted"].by_organisation, events["submitted"].acting_as) == (world.charity, "complainant")
    assert (events["acknowledged"].by_organisation, events["acknowledged"].acting_as) == (world.council, "respondent")
    assert (events["panel"].by_organisation, events["panel"].acting_as) == (None, "chair")
    client.force_login(world.people.vcs_member)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "for Testshire Council" in page and "as chair" in page
    assert "Aardvark Trust" not in page


# 6. Words, not codes ---------------------------------------------------------------------------------------------


def test_outcomes_dates_and_choices_read_as_words_on_the_page_and_in_emails(
    client, world, django_capture_on_commit_callbacks
):
    complaint = submitted(world)
    new_date = datetime.date(2099, 1, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(world, complaint, "administrator", Action.EXTEND, text="Audit.", new_due_on=new_date)
        act(world, complaint, "vcs_member", Action.REFER, body="complaints_procedure")
        act(world, complaint, "vcs_member", Action.LODGE)
        act(world, complaint, "administrator", Action.RESOLVE, outcome="partly_upheld", text="Partly.")
    client.force_login(world.people.vcs_member)
    page = html.unescape(client.get(complaint.get_absolute_url()).content.decode())
    emails = "\n".join(m.body for m in mail.outbox)
    for text in (page, emails):
        assert "2 January 2099" in text
        assert "Partly upheld" in text
        assert "The public body's own complaints procedure" in text
        for code in ("partly_upheld", "2099-01-02", "complaints_procedure"):
            assert code not in text


# 7. Exports are safe to open -------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_that_starts_like_a_formula_is_neutralised(start):
    assert safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


def test_ordinary_cells_are_left_alone():
    assert [safe_cell(v) for v in ("3.6", "Grant cut", 12, None, "")] == ["3.6", "Grant cut", 12, None, ""]


def rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode())))


def test_the_complaints_csv_is_safe_to_open(client, world):
    draft(world, summary='=HYPERLINK("http://evil.example","Click")')
    client.force_login(world.people.vcs_member)
    table = rows(client.get("/complaints/complaints.csv"))
    summary = table[1][table[0].index("summary")]
    assert summary == '\'=HYPERLINK("http://evil.example","Click")'


def test_the_commitments_csv_is_safe_to_open(client, world):
    CommitmentFactory(section=world.commitments[0].section, ref="3.3", number="3.3", text="@SUM(A1:A2)")
    table = rows(client.get("/commitments/commitments.csv"))
    texts = [row[table[0].index("text")] for row in table[1:]]
    assert "'@SUM(A1:A2)" in texts and "@SUM(A1:A2)" not in texts


# 8. Files and sign-in --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("evidence_storage")
def test_a_file_downloads_with_the_extension_of_its_content(client, world):
    complaint, _ = services.complaint_save_draft(
        by=world.people.vcs_member,
        compact=world.compact,
        complainant=world.charity,
        fields=FIELDS,
        commitments=[],
        files=[SimpleUploadedFile("invoice.exe", PDF)],
    )
    attachment = complaint.attachments.get()
    client.force_login(world.people.vcs_member)
    response = client.get(f"/complaints/{complaint.pk}/files/{attachment.pk}/")
    assert response["Content-Disposition"] == 'attachment; filename="invoice.pdf"'


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no proxy: whatever the client claims is ignored
        (1, "203.0.113.7", "203.0.113.7"),  # one proxy appended what it saw
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a claim the client made is left of it
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),  # load balancer, then nginx
        (2, "203.0.113.7", "10.0.0.1"),  # fewer entries than proxies: not through them all
    ],
)
def test_sign_in_lockout_counts_the_clients_address_behind_proxies(settings, proxies, forwarded, expected):
    from compact_portal.proxies import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from("10.0.0.1", forwarded)) == expected


@pytest.mark.django_db
def test_nobody_can_lock_an_account_out_from_another_address(client, settings):
    from compacts.tests.factories import UserFactory

    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(username="val@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/accounts/login/", {"username": user.username, "password": "wrong"}, HTTP_X_FORWARDED_FOR="198.51.100.9"
        )
    assert response.status_code == 429
    ok = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "correct horse battery staple"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert ok.status_code == 302  # the owner, from their own address, still signs in


def test_a_hung_mail_server_times_out(settings):
    from django.core.mail import get_connection

    assert settings.EMAIL_TIMEOUT == 10
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 10


def test_no_handler_kind_without_a_path_can_be_chosen():
    assert "complainant" not in Handler.values
