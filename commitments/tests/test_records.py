"""Records of Compact working: who may record and answer them, the figures worked out at each version, nothing
lost, and when a record becomes public."""

import datetime

import pytest

from commitments import permissions, services
from commitments.models import Record, RecordCheck, RecordStatus
from compacts.models import Email

D = datetime.date
OPENED, CLOSED = D(2026, 6, 1), D(2026, 8, 10)  # Monday 1 June to Monday 10 August: ten weeks


def consultation(world, by, *, opened=OPENED, closed=CLOSED, **changes):
    facts = {"about": world.council, "title": "Library opening hours", "starts_on": opened, "ends_on": closed}
    facts.update(changes)
    return services.record_create(
        compact=world.compact,
        by=by,
        recorded_for=world.group,
        kind="consultation",
        commitments=[world.consult, world.minimum],
        facts=facts,
    )


def test_a_member_records_a_ten_week_consultation_and_sees_the_working(recording, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = consultation(recording, recording.people.vcs)
    checks = {check.commitment.ref: (check.outcome, check.working) for check in record.checks.all()}
    assert checks == {
        "3.6": ("missed", "10 weeks, against 12 weeks: missed"),
        "4.8": ("met", "10 weeks, against 8 weeks: met"),
    }
    assert record.status == RecordStatus.UNCONFIRMED and record.version == 1
    assert record.occurred_on == D(2026, 6, 1)
    assert permissions.other_sides(record) == [recording.council]
    asked = set(Email.objects.filter(about=f"record:{record.pk}").values_list("to", flat=True))
    assert asked == {"champion@council.example"}  # the council has a Champion: it answers through them


def test_a_figure_is_held_only_against_the_sector_it_measures(recording):
    record = services.record_create(
        compact=recording.compact,
        by=recording.people.officer,
        recorded_for=recording.council,
        kind="consultation",
        commitments=[recording.consult, recording.minimum],
        facts={
            "about": recording.group,
            "title": "Our members' survey",
            "starts_on": D(2026, 6, 1),
            "ends_on": D(2026, 7, 6),
        },
    )
    outcomes = {check.commitment.ref: (check.outcome, check.working) for check in record.checks.all()}
    assert outcomes["3.6"] == (
        "unknown",
        "This figure is held against what public bodies do, and Testshire Voluntary Action is not one of them.",
    )
    assert outcomes["4.8"] == ("missed", "5 weeks, against 8 weeks: missed")
    assert permissions.other_sides(record) == [recording.group]


@pytest.mark.parametrize("who", ["unconfirmed", "outsider", "bystander", "other_administrator"])
def test_only_members_of_signatories_and_administrators_record(recording, who):
    with pytest.raises(permissions.Refused):
        consultation(recording, getattr(recording.people, who))
    assert not Record.objects.exists()


def test_an_administrator_records_without_an_organisation(recording):
    record = services.record_create(
        compact=recording.compact,
        by=recording.people.administrator,
        recorded_for=None,
        kind="consultation",
        commitments=[recording.consult],
        facts={"about": recording.council, "title": "Budget", "starts_on": D(2026, 1, 5), "ends_on": D(2026, 3, 30)},
    )
    assert record.checks.get().working == "12 weeks, against 12 weeks: met"
    assert permissions.other_sides(record) == [recording.council]


def test_what_a_record_says_must_hang_together(recording):
    with pytest.raises(permissions.Refused) as refused:
        consultation(recording, recording.people.vcs, opened=D(2026, 8, 10), closed=D(2026, 6, 1))
    assert refused.value.field == "ends_on"
    with pytest.raises(permissions.Refused) as refused:
        consultation(recording, recording.people.vcs, about=recording.outsider)
    assert refused.value.field == "about"
    with pytest.raises(permissions.Refused) as refused:
        services.record_create(
            compact=recording.compact,
            by=recording.people.vcs,
            recorded_for=recording.group,
            kind="consultation",
            commitments=[],
            facts={"about": recording.council, "title": "x"},
        )
    assert refused.value.field == "commitments"


def test_the_other_side_disputes_with_a_comment_and_confirms(recording, django_capture_on_commit_callbacks):
    record = consultation(recording, recording.people.vcs)
    for who in ("vcs", "bystander", "outsider", "administrator"):
        with pytest.raises(permissions.Refused):
            services.record_respond(record=record, by=getattr(recording.people, who), version=1, verdict="confirm")
    with pytest.raises(permissions.Refused) as refused:
        services.record_respond(record=record, by=recording.people.champion, version=1, verdict="dispute")
    assert refused.value.field == "comment"
    with django_capture_on_commit_callbacks(execute=True):
        services.record_respond(
            record=record,
            by=recording.people.champion,
            version=1,
            verdict="dispute",
            comment="It opened on 18 May: our notice went out a fortnight early.",
        )
    record.refresh_from_db()
    assert record.status == RecordStatus.DISPUTED
    told = Email.objects.filter(about=f"record:{record.pk}", subject="Your record was disputed")
    assert set(told.values_list("to", flat=True)) == {"member@voluntary.example"}
    assert "It opened on 18 May" in told.first().body


def test_a_correction_is_a_new_version_and_the_other_side_is_asked_again(recording):
    record = consultation(recording, recording.people.vcs)
    services.record_respond(record=record, by=recording.people.champion, version=1, verdict="dispute", comment="No.")
    with pytest.raises(permissions.Refused) as refused:
        services.record_correct(
            record=record,
            by=recording.people.vcs,
            version=1,
            commitments=[recording.consult],
            facts={
                "about": recording.council,
                "title": "Library opening hours",
                "starts_on": D(2026, 5, 18),
                "ends_on": D(2026, 8, 10),
            },
            note="",
        )
    assert refused.value.field == "note"
    services.record_correct(
        record=record,
        by=recording.people.vcs,
        version=1,
        commitments=[recording.consult],
        facts={
            "about": recording.council,
            "title": "Library opening hours",
            "starts_on": D(2026, 5, 18),
            "ends_on": D(2026, 8, 10),
        },
        note="It opened on 18 May, as the council says.",
    )
    record.refresh_from_db()
    assert (record.version, record.status) == (2, RecordStatus.UNCONFIRMED)
    assert [check.working for check in record.checks.all()] == ["12 weeks, against 12 weeks: met"]
    first, second = record.versions.order_by("number")
    assert first.facts["starts_on"] == "2026-06-01" and first.commitments == ["3.6", "4.8"]
    assert second.facts["starts_on"] == "2026-05-18" and second.note == "It opened on 18 May, as the council says."
    assert record.responses.get().version == 1  # the dispute of version 1 is kept
    with pytest.raises(permissions.Refused, match="read version 2 first"):
        services.record_respond(record=record, by=recording.people.champion, version=1, verdict="confirm")
    for who in ("officer", "bystander", "other_administrator"):
        with pytest.raises(permissions.Refused):
            services.record_correct(
                record=record,
                by=getattr(recording.people, who),
                version=2,
                commitments=[recording.consult],
                facts={"about": recording.council, "title": "x"},
                note="Mine now.",
            )


def test_unconfirmed_records_are_public_after_20_working_days_confirmed_ones_at_once(recording, monkeypatch):
    # Made on Friday 18 December 2026: 20 working days later, skipping the weekends, Christmas Day, the Boxing
    # Day substitute on Monday 28 December and New Year's Day, is Wednesday 20 January 2027.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2026, 12, 18))
    record = consultation(recording, recording.people.vcs)
    assert record.public_from == D(2027, 1, 20)
    assert not permissions.may_see(recording.people.bystander, record)
    assert permissions.may_see(recording.people.champion, record)  # the other side sees it at once
    assert not Record.objects.filter(pk=record.pk, public_from__lte=D(2027, 1, 19)).exists()
    services.record_respond(record=record, by=recording.people.champion, version=1, verdict="confirm")
    record.refresh_from_db()
    assert record.public_from == D(2026, 12, 18) and permissions.may_see(recording.people.bystander, record)
    assert set(RecordCheck.objects.filter(record=record).values_list("public_from", flat=True)) == {D(2026, 12, 18)}
