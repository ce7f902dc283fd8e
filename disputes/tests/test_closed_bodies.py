"""A stage whose body no longer exists (Darlington's Stage 3, the Commission for the Compact, closed in 2011): the
portal's dated note shows wherever the stage does, and a complaint moves to it only once its mover is told so."""

import datetime

import pytest

from compacts.exceptions import Refused
from compacts.tests.document_check import page_text
from compacts.tests.factories import OrganisationFactory
from disputes import services
from disputes.tests.factories import raise_complaint
from disputes.workflow import Action

NOTE = "If the panel cannot resolve it, close the complaint as referred outside the portal."


@pytest.fixture
def closed_stage(world):
    commission = OrganisationFactory(
        name="Commission for the Compact",
        sector="public",
        kind="government",
        closed_in=2011,
        closed_note=NOTE,
        closed_note_written=datetime.date(2026, 12, 5),
    )
    stage = world.stages[1]
    stage.body = commission
    stage.save()
    return stage


def answered(world):
    complaint = raise_complaint(world)
    for who, action in (("vcs_member", Action.LODGE), ("respondent_champion", Action.RESPOND)):
        complaint.refresh_from_db()
        services.complaint_act(
            complaint=complaint, by=getattr(world.people, who), action=action, version=complaint.version, text="Said."
        )
    complaint.refresh_from_db()
    return complaint


def escalate(world, complaint, **details):
    complaint.refresh_from_db()
    return services.complaint_act(
        complaint=complaint,
        by=world.people.vcs_member,
        action=Action.ESCALATE,
        version=complaint.version,
        text="Not resolved.",
        **details,
    )


def test_escalating_to_a_closed_body_needs_the_mover_to_be_told(world, closed_stage):
    complaint = answered(world)
    with pytest.raises(Refused) as refused:
        escalate(world, complaint)
    told = "Confirm that you understand the body this stage goes to, Commission for the Compact, no longer exists"
    assert refused.value.errors == {"understood": told}
    complaint.refresh_from_db()
    assert complaint.current_stage == world.stages[0]
    escalate(world, complaint, understood=True)
    complaint.refresh_from_db()
    assert complaint.current_stage == closed_stage


def test_escalating_to_a_body_that_exists_asks_nothing(world):
    complaint = answered(world)
    escalate(world, complaint)
    complaint.refresh_from_db()
    assert complaint.current_stage == world.stages[1]


def test_the_escalate_page_shows_the_note_and_keeps_what_was_typed(client, world, closed_stage):
    complaint = answered(world)
    client.force_login(world.people.vcs_member)
    url = f"/complaints/{complaint.pk}/escalate/"
    text = page_text(client.get(url).content)
    assert "which the document gives to Commission for the Compact" in text
    assert f"Portal note, written 5 December 2026: Commission for the Compact: closed in 2011. {NOTE}" in text
    assert "I understand that the body this stage goes to, Commission for the Compact, no longer exists" in text
    response = client.post(url, {"version": complaint.version, "text": "Still not resolved."})
    assert response.status_code == 400
    text = page_text(response.content)
    assert (
        "Confirm that you understand the body this stage goes to, Commission for the Compact, no longer exists" in text
    )
    assert "Still not resolved." in response.content.decode()
    response = client.post(url, {"version": complaint.version, "text": "Still not resolved.", "understood": "on"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.current_stage == closed_stage
    # The complaint's page shows the note under the stage.
    assert "Commission for the Compact: closed in 2011." in page_text(
        client.get(f"/complaints/{complaint.pk}/").content
    )
