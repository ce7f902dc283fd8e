"""Records have another side too (issue 23): an organisation's record of its own consultation, funding or payment
names the organisations on the other side, whoever answers for them (their Champions for the Compact, else their
contacts in the portal) is asked to confirm or dispute it and may see it, and where nobody can answer the Compact's
administrators are told. One test walks every (record status, role) for see, confirm and dispute."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from commitments import permissions, services
from commitments.models import Record, RecordCheck, RecordStatus
from compacts.models import Email, OrganisationSector
from compacts.selectors import CHAMPIONS, CONTACTS
from compacts.tests.factories import OrganisationFactory, SignatoryFactory, UserFactory, member

D = datetime.date


def own_consultation(world, by=None, **changes):
    """The council records its own ten-week consultation, naming the VCS group as consulted."""
    facts = {
        "about": world.council,
        "others": [world.group],
        "title": "Library opening hours",
        "starts_on": D(2026, 6, 1),
        "ends_on": D(2026, 8, 10),
    }
    facts.update(changes)
    return services.record_create(
        compact=world.compact,
        by=by or world.people.officer,
        recorded_for=world.council,
        kind="consultation",
        commitments=[world.consult],
        facts=facts,
    )


def test_a_council_records_its_own_consultation_and_those_consulted_are_asked(
    recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = own_consultation(recording)
    assert permissions.other_sides(record) == [recording.group]
    asked = Email.objects.filter(about=f"record:{record.pk}")
    # The group has no Champion: its contact in the portal is asked; not the council.
    assert set(asked.values_list("to", flat=True)) == {"member@voluntary.example"}
    assert "As the other side, Testshire Voluntary Action can confirm it" in asked.get().body
    assert permissions.may_see(recording.people.vcs, record)
    with django_capture_on_commit_callbacks(execute=True):
        response = services.record_respond(
            record=record, by=recording.people.vcs, version=1, verdict="dispute", comment="It ran eight weeks."
        )
    assert response.organisation == recording.group
    record.refresh_from_db()
    assert record.status == RecordStatus.DISPUTED
    told = Email.objects.filter(about=f"record:{record.pk}", subject="Your record was disputed")
    assert set(told.values_list("to", flat=True)) == {"officer@council.example", "champion@council.example"}
    with pytest.raises(permissions.Refused):  # the council cannot answer its own record
        services.record_respond(record=record, by=recording.people.champion, version=1, verdict="confirm")


def test_an_own_record_must_name_someone_on_the_other_side(recording):
    with pytest.raises(permissions.Refused) as refused:
        own_consultation(recording, others=[])
    assert refused.value.field == "others" and "consulted" in str(refused.value)
    with pytest.raises(permissions.Refused) as refused:
        own_consultation(recording, others=[recording.council, recording.group])
    assert refused.value.field == "others"
    with pytest.raises(permissions.Refused) as refused:
        own_consultation(recording, others=[recording.outsider])  # not a signatory
    assert refused.value.field == "others"
    assert not Record.objects.exists()
    # A funder's own record has the organisation it funded on the other side, without naming it again.
    funded = services.record_create(
        compact=recording.compact,
        by=recording.people.officer,
        recorded_for=recording.council,
        kind="funding",
        commitments=[recording.notice],
        facts={
            "about": recording.council,
            "counterpart": recording.group,
            "title": "Grant",
            "decided_on": D(2026, 1, 5),
        },
    )
    assert permissions.other_sides(funded) == [recording.group]


def test_where_nobody_can_answer_the_administrators_are_told(recording, django_capture_on_commit_callbacks):
    lonely = OrganisationFactory(name="Testshire Food Bank", sector=OrganisationSector.VCS, kind="charity")
    SignatoryFactory(compact=recording.compact, organisation=lonely, section=recording.consult.section)
    member(UserFactory(username="new@foodbank.example", email_confirmed=False), lonely)  # cannot answer yet
    with django_capture_on_commit_callbacks(execute=True):
        record = own_consultation(recording, others=[recording.group, lonely])
    emails = Email.objects.filter(about=f"record:{record.pk}")
    assert set(emails.values_list("to", flat=True)) == {"member@voluntary.example", "admin@testshire.example"}
    told = emails.get(to="admin@testshire.example")
    assert told.subject == "Nobody can answer for Testshire Food Bank yet: Library opening hours"
    [(food_bank, food_bank_answers), (group, group_answers)] = permissions.asked(record)  # A to Z
    assert (group, group_answers.basis) == (recording.group, CONTACTS)
    assert (food_bank, food_bank_answers.nobody) == (lonely, True)


def test_an_organisation_answers_through_its_champions_for_the_compact_else_its_contacts(recording):
    compact, group = recording.compact, recording.group
    answers = permissions.who_answers_for(compact.pk, [group.pk, recording.council.pk])
    assert answers[group.pk].basis == CONTACTS
    assert answers[group.pk].people == (recording.people.vcs,)  # its contact, not its other member
    assert (answers[recording.council.pk].basis, answers[recording.council.pk].people) == (
        CHAMPIONS,
        (recording.people.champion,),
    )
    elsewhere = UserFactory(username="champion@voluntary.example")
    member(elsewhere, group, champion_of=recording.other)  # a Champion for another Compact is not one here
    assert permissions.who_answers_for(compact.pk, [group.pk])[group.pk].basis == CONTACTS
    here = UserFactory(username="chair@voluntary.example")
    member(here, group, champion_of=compact)
    assert permissions.who_answers_for(compact.pk, [group.pk])[group.pk].people == (here,)
    here.is_active = False
    here.save()
    assert permissions.who_answers_for(compact.pk, [group.pk])[group.pk].people == (recording.people.vcs,)


# The walk: (record status, role) for see, confirm and dispute ------------------------------------------------------

STATUSES = ["unconfirmed", "disputed", "confirmed", "unconfirmed, public after 20 working days"]
ROLES = [
    "recorder",
    "recorder's colleague",
    "other-side member",
    "other-side champion",
    "another organisation's member",
    "administrator",
    "visitor",
]
PUBLIC = {"confirmed", "unconfirmed, public after 20 working days"}
# Who answers for the other side, whatever the status: with a Champion for the Compact, the Champion only; without
# one (the "champion" is then a Champion for another Compact only), its confirmed members.
ANSWERS = {"with a champion": {"other-side champion"}, "without a champion": {"other-side member"}}
# Who sees it before it is public, besides whoever answers for the other side.
SEES_EARLY = {"recorder", "recorder's colleague", "administrator"}


@pytest.fixture
def walk(recording):
    colleague = UserFactory(username="colleague@council.example")
    member(colleague, recording.council)
    other_champion = UserFactory(username="champion@voluntary.example")
    third = OrganisationFactory(name="Testshire Food Bank", sector=OrganisationSector.VCS, kind="charity")
    SignatoryFactory(compact=recording.compact, organisation=third, section=recording.consult.section)
    neighbour = UserFactory(username="member@foodbank.example")
    member(neighbour, third)
    people = {
        "recorder": recording.people.officer,
        "recorder's colleague": colleague,
        "other-side member": recording.people.vcs,
        "other-side champion": other_champion,
        "another organisation's member": neighbour,
        "administrator": recording.people.administrator,
        "visitor": AnonymousUser(),
    }
    return SimpleNamespace(world=recording, people=people, other_champion=other_champion)


def _in_status(walk, status):
    world = walk.world
    record = own_consultation(world)
    if status in ("disputed", "confirmed"):
        answerer = next(p for p in walk.people.values() if permissions.may_respond(p, record))
        verdict = "dispute" if status == "disputed" else "confirm"
        services.record_respond(record=record, by=answerer, version=1, verdict=verdict, comment="Not so.")
    elif status.startswith("unconfirmed, public"):
        past = timezone.localdate() - datetime.timedelta(days=1)
        Record.objects.filter(pk=record.pk).update(public_from=past)
        RecordCheck.objects.filter(record=record).update(public_from=past)
    record = Record.objects.select_related("compact", "about", "counterpart", "recorded_for").get(pk=record.pk)
    assert record.status == {"disputed": "disputed", "confirmed": "confirmed"}.get(status, "unconfirmed")
    return record


def _answers(record, user, verdict):
    """Whether the service lets this person give this answer now (rolled back, so each answer starts afresh)."""
    try:
        with transaction.atomic():
            services.record_respond(
                record=record, by=user, version=record.version, verdict=verdict, comment="The dates are wrong."
            )
            transaction.set_rollback(True)
    except permissions.Refused:
        return False
    return True


@pytest.mark.parametrize("champion", list(ANSWERS))
@pytest.mark.parametrize("status", STATUSES)
def test_who_may_see_confirm_and_dispute_an_own_record(client, walk, status, champion):
    world = walk.world
    member(
        walk.other_champion, world.group, champion_of=world.compact if champion == "with a champion" else world.other
    )
    record = _in_status(walk, status)
    today = timezone.localdate()
    found = {}
    for role, user in walk.people.items():
        sees = permissions.may_see(user, record)
        # The checker's filter gives the same answer as the record's page, for records and for their checks.
        assert Record.objects.filter(permissions.visible(user, today, record=""), pk=record.pk).exists() == sees, role
        assert RecordCheck.objects.filter(permissions.visible(user, today), record=record).exists() == sees, role
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        page = client.get(record.get_absolute_url())
        assert page.status_code == (200 if sees else 404), role
        assert ("Confirm or dispute this record" in page.content.decode()) == permissions.may_respond(user, record)
        found[role] = (sees, _answers(record, user, "confirm"), _answers(record, user, "dispute"))
    answers = ANSWERS[champion]
    expected = {
        role: (status in PUBLIC or role in SEES_EARLY | answers, role in answers, role in answers) for role in ROLES
    }
    assert found == expected


def test_the_checker_filter_agrees_with_the_record_page_for_every_kind_of_recorder(recording, walk):
    """Records made by the other side, by an administrator for nobody, and of an organisation's own doing."""
    records = [
        own_consultation(recording),
        services.record_create(
            compact=recording.compact,
            by=recording.people.vcs,
            recorded_for=recording.group,
            kind="consultation",
            commitments=[recording.consult],
            facts={
                "about": recording.council,
                "others": [recording.group],
                "title": "Buses",
                "starts_on": D(2026, 1, 5),
                "ends_on": D(2026, 3, 30),
            },
        ),
        services.record_create(
            compact=recording.compact,
            by=recording.people.administrator,
            recorded_for=None,
            kind="consultation",
            commitments=[recording.consult],
            facts={"about": recording.group, "title": "Survey", "starts_on": D(2026, 1, 5), "ends_on": D(2026, 3, 30)},
        ),
    ]
    today = timezone.localdate()
    everyone = [
        *walk.people.values(),
        recording.people.champion,
        recording.people.bystander,
        recording.people.other_administrator,
    ]
    for user in everyone:
        seen = set(Record.objects.filter(permissions.visible(user, today, record="")).values_list("pk", flat=True))
        assert seen == {r.pk for r in records if permissions.may_see(user, r)}, user
    # The council's Champion answers for it where the group recorded; the council's other member does not.
    assert permissions.may_respond(recording.people.champion, records[1])
    assert not permissions.may_see(recording.people.officer, records[1])
    assert permissions.may_respond(recording.people.vcs, records[2])


def test_a_correction_can_change_who_is_asked_and_asks_them_again(recording, django_capture_on_commit_callbacks):
    record = own_consultation(recording)
    third = OrganisationFactory(name="Testshire Food Bank", sector=OrganisationSector.VCS, kind="charity")
    SignatoryFactory(compact=recording.compact, organisation=third, section=recording.consult.section)
    member(UserFactory(username="member@foodbank.example"), third, contact=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_correct(
            record=record,
            by=recording.people.officer,
            version=1,
            commitments=[recording.consult],
            facts={
                "about": recording.council,
                "others": [third],
                "title": "Library opening hours",
                "starts_on": D(2026, 6, 1),
                "ends_on": D(2026, 8, 10),
            },
            note="The food bank was consulted, not the group.",
        )
    record.refresh_from_db()
    assert permissions.other_sides(record) == [third]
    assert [v.facts["others"] for v in record.versions.order_by("number")] == [[recording.group.pk], [third.pk]]
    asked = Email.objects.filter(about=f"record:{record.pk}", body__contains="was corrected")
    assert list(asked.values_list("to", flat=True)) == ["member@foodbank.example"]
    assert not permissions.may_respond(recording.people.vcs, record)
