"""Every role against every complaint page, download and action.

Expectations are written out here, not worked out by the code under test:
404 for anyone who may not see the complaint, 403 for an action not open to
someone who may see it, 200 where it is open, and the sign-in page for
visitors who are not signed in.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disputes import services
from disputes.models import ComplaintEvent
from disputes.workflow import Action

PDF = b"%PDF-1.4\n%%EOF\n"
EVERYONE = [
    "vcs_member", "complainant_champion", "respondent_champion", "officer", "council_member", "chair", "panellist",
    "critical_friend", "administrator", "bystander", "bystander_champion",
]  # fmt: skip
SEE_OPEN = {"vcs_member", "complainant_champion", "respondent_champion", "administrator"}
SEE_DRAFT = {"vcs_member", "complainant_champion"}
OPEN_ACTIONS = {  # a complaint just submitted, at stage 1 (the Champions)
    "vcs_member": {Action.LODGE, Action.REFER, Action.RESOLVE, Action.WITHDRAW},
    "complainant_champion": {
        Action.MEETING,
        Action.LODGE,
        Action.REFER,
        Action.RESOLVE,
        Action.WITHDRAW,
        Action.EXTEND,
    },
    "respondent_champion": {Action.ACKNOWLEDGE, Action.MEETING, Action.EXTEND, Action.OFFICERS},
    "administrator": {Action.REFER, Action.RESOLVE, Action.EXTEND},
}
ACTIONS = [a for a in Action if a not in (Action.EDIT, Action.SUBMIT)]


def new_complaint(world, submit=True):
    complaint, _ = services.complaint_save_draft(
        by=world.people.vcs_member,
        compact=world.compact,
        complainant=world.charity,
        fields={"summary": "Cut", "what_happened": "Cut.", "outcome_wanted": "Undo.", "respondent": world.council},
        commitments=world.commitments[:1],
        files=[SimpleUploadedFile("proof.pdf", PDF)],
    )
    if submit:
        services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    complaint.refresh_from_db()
    return complaint


def as_(client, world, who):
    if who != "visitor":
        client.force_login(getattr(world.people, who))
    return client


@pytest.mark.parametrize("who", [*EVERYONE, "visitor"])
@pytest.mark.usefixtures("evidence_storage")
def test_open_complaint_pages_and_files(client, world, who):
    complaint = new_complaint(world)
    attachment = complaint.attachments.get()
    client = as_(client, world, who)
    urls = [complaint.get_absolute_url(), f"/complaints/{complaint.pk}/files/{attachment.pk}/"]
    for url in urls:
        response = client.get(url)
        if who == "visitor":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        elif who in SEE_OPEN:
            assert response.status_code == 200, (who, url)
        else:
            assert response.status_code == 404, (who, url)
    listed = client.get("/complaints/")
    if who != "visitor":
        assert (complaint.reference in listed.content.decode()) == (who in SEE_OPEN)


@pytest.mark.parametrize("who", [*EVERYONE, "visitor"])
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_on_an_open_complaint(client, world, who, action):
    complaint = new_complaint(world)
    client = as_(client, world, who)
    response = client.get(f"/complaints/{complaint.pk}/{action}/")
    if who == "visitor":
        assert response.status_code == 302
    elif who not in SEE_OPEN:
        assert response.status_code == 404
    elif action in OPEN_ACTIONS[who]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", [*EVERYONE, "visitor"])
@pytest.mark.parametrize(
    "action, data",
    [
        (Action.WITHDRAW, {"text": "Gone"}),
        (Action.RESOLVE, {"outcome": "resolved", "text": "Sorted"}),
        (Action.ESCALATE, {"text": "Up"}),
        (Action.EXTEND, {"text": "Later", "new_due_on_0": "1", "new_due_on_1": "1", "new_due_on_2": "2099"}),
    ],
)
def test_posting_an_action_that_is_not_yours_changes_nothing(client, world, who, action, data):
    complaint = new_complaint(world)
    client = as_(client, world, who)
    before = list(ComplaintEvent.objects.values_list("pk", flat=True))
    response = client.post(f"/complaints/{complaint.pk}/{action}/", {"version": complaint.version, **data})
    if who in OPEN_ACTIONS and action in OPEN_ACTIONS[who]:
        assert response.status_code == 302 and ComplaintEvent.objects.count() == len(before) + 1
    else:
        assert response.status_code in (302, 403, 404), (who, action)
        assert list(ComplaintEvent.objects.values_list("pk", flat=True)) == before
        complaint.refresh_from_db()
        assert complaint.status == "open"


@pytest.mark.parametrize("who", [*EVERYONE, "visitor"])
def test_a_draft_is_seen_only_by_its_organisation(client, world, who):
    complaint = new_complaint(world, submit=False)
    client = as_(client, world, who)
    for url in (complaint.get_absolute_url(), f"/complaints/{complaint.pk}/edit/"):
        response = client.get(url)
        if who == "visitor":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if who in SEE_DRAFT else 404), (who, url)


def test_the_chair_sees_it_once_it_reaches_the_panel_and_not_before(client, world):
    complaint = new_complaint(world)
    client.force_login(world.people.chair)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    for who, action, details in [
        ("vcs_member", Action.LODGE, {"text": "In writing."}),
        ("respondent_champion", Action.RESPOND, {"text": "No."}),
        ("vcs_member", Action.ESCALATE, {"text": "Panel please."}),
    ]:
        complaint.refresh_from_db()
        services.complaint_act(
            complaint=complaint, by=getattr(world.people, who), action=action, version=complaint.version, **details
        )
    response = client.get(complaint.get_absolute_url())
    assert response.status_code == 200
    assert client.get(f"/complaints/{complaint.pk}/convene/").status_code == 200
    client.force_login(world.people.panellist)
    assert client.get(complaint.get_absolute_url()).status_code == 404  # not on a panel yet
    complaint.refresh_from_db()
    services.complaint_act(
        complaint=complaint,
        by=world.people.chair,
        action=Action.CONVENE,
        version=complaint.version,
        text="",
        chair=world.people.chair,
        members=[world.people.panellist],
    )
    assert client.get(complaint.get_absolute_url()).status_code == 200
    assert client.get(f"/complaints/{complaint.pk}/findings/").status_code == 200


def test_a_named_officer_sees_it(client, world):
    complaint = new_complaint(world)
    client.force_login(world.people.officer)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    complaint.officers.add(world.people.officer)
    assert client.get(complaint.get_absolute_url()).status_code == 200
    assert client.get(f"/complaints/{complaint.pk}/acknowledge/").status_code == 200


@pytest.mark.usefixtures("evidence_storage")
def test_files_download_as_attachments_with_their_name(client, world):
    complaint = new_complaint(world)
    attachment = complaint.attachments.get()
    client.force_login(world.people.respondent_champion)
    response = client.get(f"/complaints/{complaint.pk}/files/{attachment.pk}/")
    assert response["Content-Disposition"].startswith('attachment; filename="proof.pdf"')
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    other = new_complaint(world)
    assert client.get(f"/complaints/{other.pk}/files/{attachment.pk}/").status_code == 404


def test_a_stage_reached_by_the_critical_friend_opens_to_them(client, world):
    from disputes.models import Stage

    Stage.objects.filter(pk=world.stages[1].pk).update(handler="critical_friend")
    complaint = new_complaint(world)
    client.force_login(world.people.critical_friend)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    for who, action, details in [
        ("vcs_member", Action.LODGE, {"text": "In writing."}),
        ("respondent_champion", Action.RESPOND, {"text": "No."}),
        ("vcs_member", Action.ESCALATE, {"text": "Critical friend please."}),
    ]:
        complaint.refresh_from_db()
        services.complaint_act(
            complaint=complaint, by=getattr(world.people, who), action=action, version=complaint.version, **details
        )
    assert client.get(f"/complaints/{complaint.pk}/meeting/").status_code == 200
    complaint.refresh_from_db()
    services.complaint_act(
        complaint=complaint,
        by=world.people.critical_friend,
        action=Action.MEETING,
        version=complaint.version,
        text="Met both.",
        held_on=datetime.date.today(),
    )


def test_one_complaint_is_seen_by_exactly_those_whose_lists_show_it(world):
    """may_see answers one complaint from the facts loaded with it; visible_complaints answers lists by query:
    for every person and complaints at every point of the procedure, the two must agree."""
    from disputes import permissions, selectors
    from disputes.models import Complaint

    draft, submitted, with_officer, at_panel = (new_complaint(world, submit=n > 0) for n in range(4))
    with_officer.officers.add(world.people.officer)
    for who, action, details in [
        ("vcs_member", Action.LODGE, {"text": "In writing."}),
        ("respondent_champion", Action.RESPOND, {"text": "No."}),
        ("vcs_member", Action.ESCALATE, {"text": "Panel please."}),
        ("chair", Action.CONVENE, {"text": "", "chair": world.people.chair, "members": [world.people.panellist]}),
    ]:
        at_panel.refresh_from_db()
        services.complaint_act(
            complaint=at_panel, by=getattr(world.people, who), action=action, version=at_panel.version, **details
        )
    # A Champion who acted and then left their organisation still sees what they acted on (by their events).
    world.people.respondent_champion.memberships.all().delete()
    today = datetime.date.today()
    seen = set()
    for name in EVERYONE:
        who = permissions.person(getattr(world.people, name))
        listed = set(permissions.visible_complaints(who).values_list("pk", flat=True))
        for complaint in Complaint.objects.filter(pk__in=[c.pk for c in (draft, submitted, with_officer, at_panel)]):
            visible = selectors.view_for(who, complaint, today).visible
            assert visible == (complaint.pk in listed), (name, complaint.status, complaint.current_stage_id)
            seen.add((name, visible))
    assert {visible for _, visible in seen} == {True, False}
    assert ("panellist", True) in seen and ("officer", True) in seen and ("bystander", False) in seen
    assert ("respondent_champion", True) in seen
