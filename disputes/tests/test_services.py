import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from compacts import outbox
from compacts.exceptions import Refused
from compacts.models import Email
from compacts.tests.factories import UserFactory
from disputes import permissions, services
from disputes.models import Complaint, ComplaintEvent, EventKind, Panel, StageClock
from disputes.workflow import Action, NotAllowed

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def draft(world, **fields):
    data = {
        "summary": "Funding cut without notice",
        "what_happened": "Our grant was cut by half with no warning.",
        "outcome_wanted": "Restore the grant and give notice next time.",
        "respondent": world.council,
        "happened_on": datetime.date(2026, 10, 1),
    } | fields
    complaint, refused = services.complaint_save_draft(
        by=world.people.vcs_member,
        compact=world.compact,
        complainant=world.charity,
        fields=data,
        commitments=world.commitments,
        files=[SimpleUploadedFile("evidence.pdf", PDF, "application/pdf")],
    )
    assert refused == []
    return complaint


def act(world, complaint, person, action, **details):
    complaint.refresh_from_db()
    return services.complaint_act(
        complaint=complaint, by=getattr(world.people, person), action=action, version=complaint.version, **details
    )


def test_submitting_gives_a_reference_snapshots_wording_and_starts_the_clock(world, django_capture_on_commit_callbacks):
    complaint = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    complaint.refresh_from_db()
    year = datetime.date.today().year
    assert complaint.reference == f"TST-{year}-0001"
    assert complaint.status == "open"
    assert complaint.current_stage == world.stages[0]
    assert [c.text for c in complaint.citations.order_by("id")] == ["Promise 1.", "Promise 2."]
    clock = StageClock.objects.get(complaint=complaint)
    assert clock.due_on == complaint.stage_due_on and clock.time_limit == 20
    assert complaint.attachments.get().event.kind == EventKind.SUBMITTED
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["champion@council.example", "champion@helpers.example", "member@helpers.example"]


def test_numbers_count_up_within_a_compact(world):
    for n in (1, 2):
        complaint = draft(world)
        services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
        complaint.refresh_from_db()
        assert complaint.reference.endswith(f"-{n:04d}")


def test_an_incomplete_draft_cannot_be_submitted(world):
    complaint = draft(world, what_happened="", respondent=None)
    with pytest.raises(Refused) as error:
        services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    assert set(error.value.errors) == {"what_happened", "respondent"}
    complaint.refresh_from_db()
    assert complaint.status == "draft"


def test_a_whole_journey_to_a_panel_and_an_outcome(world):
    complaint = draft(world)
    services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    act(world, complaint, "respondent_champion", Action.ACKNOWLEDGE, text="Received.")
    act(
        world,
        complaint,
        "respondent_champion",
        Action.MEETING,
        text="We met; no agreement.",
        held_on=datetime.date.today(),
        attendees="Both Champions",
    )
    with pytest.raises(NotAllowed):  # a response waits for the complaint in writing
        act(world, complaint, "respondent_champion", Action.RESPOND, text="Too soon.")
    act(world, complaint, "vcs_member", Action.LODGE, text="Our complaint in writing.")
    act(world, complaint, "respondent_champion", Action.RESPOND, text="We had to make savings.")
    act(world, complaint, "vcs_member", Action.ESCALATE, text="Not resolved.")
    complaint.refresh_from_db()
    assert complaint.current_stage == world.stages[1]
    assert complaint.stage_due_on == datetime.date.today() + datetime.timedelta(days=21)
    with pytest.raises(Refused) as error:
        act(
            world,
            complaint,
            "chair",
            Action.CONVENE,
            text="Panel.",
            chair=world.people.chair,
            members=[world.people.council_member],
        )
    assert "belong to Testshire Council, a party to this complaint" in error.value.errors["members"]
    with pytest.raises(Refused) as error:
        act(
            world,
            complaint,
            "chair",
            Action.CONVENE,
            text="Panel.",
            chair=world.people.chair,
            members=[world.people.respondent_champion],
        )
    assert "party to this complaint" in error.value.errors["members"]
    act(
        world,
        complaint,
        "chair",
        Action.CONVENE,
        text="Panel.",
        chair=world.people.chair,
        members=[world.people.panellist],
    )
    act(world, complaint, "panellist", Action.FINDINGS, text="Notice was not given.", recommendations="Give notice.")
    act(world, complaint, "chair", Action.RESOLVE, text="Upheld: notice should have been given.", outcome="upheld")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("closed", "upheld")
    kinds = list(complaint.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [
        "submitted",
        "acknowledged",
        "meeting",
        "lodged",
        "response",
        "escalated",
        "panel",
        "findings",
        "resolved",
    ]
    assert StageClock.objects.filter(complaint=complaint, ended_at__isnull=True).count() == 0


def test_someone_who_handled_an_earlier_stage_cannot_handle_a_later_one(world):
    complaint = to_panel(world)
    act(world, complaint, "chair", Action.CONVENE, text="", chair=world.people.chair, members=[world.people.panellist])
    complaint.refresh_from_db()
    people = [world.people.panellist.pk, world.people.chair.pk]
    assert permissions.conflicts(complaint, people) == {}  # the panel's own stage: not "earlier"
    act(world, complaint, "panellist", Action.FINDINGS, text="Notice was not given.")
    act(world, complaint, "vcs_member", Action.ESCALATE, text="Move on.")
    complaint.refresh_from_db()
    assert permissions.conflicts(complaint, people) == {
        world.people.panellist.pk: "they handled an earlier stage of this complaint",
        world.people.chair.pk: "they handled an earlier stage of this complaint",
    }


def test_parties_are_named_with_their_organisation(world):
    complaint = to_panel(world)
    people = vars(world.people)
    conflicts = permissions.conflicts(complaint, [user.pk for user in people.values()])
    assert {name for name, user in people.items() if user.pk in conflicts} == {
        "vcs_member",
        "complainant_champion",
        "respondent_champion",
        "officer",
        "council_member",
    }
    assert conflicts[world.people.council_member.pk] == "they belong to Testshire Council, a party to this complaint"


def test_the_service_refuses_a_panel_member_the_compact_does_not_know(world):
    """The panel's list offers only the Compact's people; a form sent with someone else (forged, or built by other
    code) is refused by the service itself, by the field, and no panel is convened."""
    complaint = to_panel(world)
    stranger = UserFactory(username="stranger@elsewhere.example", first_name="Stan", last_name="Ranger")
    with pytest.raises(Refused) as error:
        act(world, complaint, "chair", Action.CONVENE, text="", chair=world.people.chair, members=[stranger])
    assert error.value.errors == {
        "members": "Stan Ranger cannot sit on the panel: they are not a Champion, role holder or member of an "
        "organisation that signed the Testshire Compact"
    }
    with pytest.raises(Refused) as error:
        act(world, complaint, "chair", Action.CONVENE, text="", chair=stranger, members=[world.people.panellist])
    assert set(error.value.errors) == {"chair"}
    assert error.value.errors["chair"].startswith("Stan Ranger cannot sit on the panel: they are not")
    assert not Panel.objects.filter(complaint=complaint).exists()


@pytest.mark.parametrize(
    ("chair", "member", "independent"), [("chair", "panellist", False), ("panellist", "bystander", True)]
)
def test_the_service_works_out_whether_the_chair_is_independent(world, chair, member, independent):
    """The Compact's own chair chairs as usual; anyone else chairs as an independent chair. The service reads the
    Compact's chairs itself: no caller tells it who they are."""
    complaint = to_panel(world)
    chair, member = getattr(world.people, chair), getattr(world.people, member)
    event = act(world, complaint, "chair", Action.CONVENE, text="", chair=chair, members=[member])
    panel = Panel.objects.get(complaint=complaint)
    assert (panel.chair, panel.independent_chair) == (chair, independent)
    assert event.data["independent_chair"] is independent


def to_panel(world):
    """A complaint answered at stage 1 and moved on to the panel."""
    complaint = draft(world)
    services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    act(world, complaint, "vcs_member", Action.LODGE, text="In writing.")
    act(world, complaint, "respondent_champion", Action.RESPOND, text="No.")
    act(world, complaint, "vcs_member", Action.ESCALATE, text="Move on.")
    complaint.refresh_from_db()
    return complaint


def test_two_people_acting_at_once_one_is_told_what_changed(world):
    complaint = draft(world)
    services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    complaint.refresh_from_db()
    seen = complaint.version
    services.complaint_act(
        complaint=complaint, by=world.people.respondent_champion, action=Action.ACKNOWLEDGE, version=seen, text="First."
    )
    with pytest.raises(services.Conflict) as conflict:
        services.complaint_act(
            complaint=complaint, by=world.people.vcs_member, action=Action.LODGE, version=seen, text="Second."
        )
    assert [e.kind for e in conflict.value.events] == ["acknowledged"]
    assert "Acknowledged by" in str(conflict.value)
    assert not ComplaintEvent.objects.filter(kind="lodged").exists()


def test_extending_needs_a_reason_and_a_new_date(world):
    complaint = draft(world)
    services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    with pytest.raises(Refused) as error:
        act(world, complaint, "respondent_champion", Action.EXTEND, text="", new_due_on=None)
    assert set(error.value.errors) == {"text", "new_due_on"}
    new = datetime.date.today() + datetime.timedelta(days=60)
    act(world, complaint, "respondent_champion", Action.EXTEND, text="Waiting for the audit.", new_due_on=new)
    complaint.refresh_from_db()
    assert complaint.stage_due_on == new == StageClock.objects.get(complaint=complaint).due_on
    assert complaint.events.get(kind="extended").data["to"] == new.isoformat()


def test_withdrawing_closes_the_complaint(world):
    complaint = draft(world)
    services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    with pytest.raises(NotAllowed):
        act(world, complaint, "respondent_champion", Action.WITHDRAW, text="")
    act(world, complaint, "vcs_member", Action.WITHDRAW, text="Sorted out between us.")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("closed", "withdrawn")


def test_a_mail_server_that_is_down_loses_nothing(world, settings, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("compacts.outbox.send_mail", broken)
    complaint = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    complaint.refresh_from_db()
    assert complaint.status == "open"
    assert Email.objects.filter(sent_at__isnull=True, attempts=1, last_error="mail server down").count() == 3
    monkeypatch.undo()

    assert outbox.send() == 3
    assert Email.objects.filter(sent_at__isnull=True).count() == 0


def test_events_are_never_changed_or_deleted(world):
    complaint = draft(world)
    event = services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


@pytest.mark.usefixtures("evidence_storage")
def test_refused_files_are_named_and_the_rest_kept(world):
    complaint, refused = services.complaint_save_draft(
        by=world.people.vcs_member,
        compact=world.compact,
        complainant=world.charity,
        fields={"summary": "x"},
        commitments=[],
        files=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100)],
    )
    assert [r.name for r in refused] == ["virus.pdf"]
    assert [a.original_name for a in complaint.attachments.all()] == ["a.pdf"]
    assert Complaint.objects.get().status == "draft"


def test_the_respondents_champion_names_officers_from_their_own_organisation(world):
    complaint = draft(world)
    services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    with pytest.raises(Refused) as error:
        act(world, complaint, "respondent_champion", Action.OFFICERS, text="", officers=[world.people.bystander])
    assert "Only people in Testshire Council can answer for it" in error.value.errors["officers"]
    act(world, complaint, "respondent_champion", Action.OFFICERS, text="", officers=[world.people.officer])
    assert list(complaint.officers.all()) == [world.people.officer]
    assert complaint.events.get(kind="officers").data["officers"] == world.people.officer.get_full_name()
