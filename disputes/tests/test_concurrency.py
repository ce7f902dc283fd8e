"""Two people act on the same complaint at the same moment, each on their own
database connection: one succeeds, the other is told what changed."""

import threading
import time

import pytest
from django.db import connection, connections

from disputes import notify, services
from disputes.models import ComplaintEvent
from disputes.tests.test_services import draft
from disputes.workflow import Action

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)")
def test_two_people_acting_at_once(world, monkeypatch):
    complaint = draft(world)
    services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    complaint.refresh_from_db()
    seen = complaint.version  # both loaded the page at this version
    start = threading.Barrier(2)
    real_changed = notify.changed

    def slow_changed(complaint, event):  # hold the lock a while, inside the first transaction
        time.sleep(0.5)
        real_changed(complaint, event)

    monkeypatch.setattr(notify, "changed", slow_changed)
    results = {}

    def act(name, person, action, text):
        try:
            start.wait()
            if name == "second":
                time.sleep(0.1)  # the first takes the lock first
            services.complaint_act(complaint=complaint, by=person, action=action, version=seen, text=text)
            results[name] = "done"
        except services.Conflict as conflict:
            results[name] = conflict
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("first", world.people.respondent_champion, Action.ACKNOWLEDGE, "Got it.")),
        threading.Thread(target=act, args=("second", world.people.vcs_member, Action.LODGE, "In writing.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert results["first"] == "done"
    conflict = results["second"]
    assert isinstance(conflict, services.Conflict)
    assert [e.kind for e in conflict.events] == ["acknowledged"]
    assert "Acknowledged by Person" in str(conflict)
    assert list(ComplaintEvent.objects.order_by("id").values_list("kind", flat=True)) == ["submitted", "acknowledged"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)")
def test_the_same_draft_submitted_twice_at_once_is_answered_as_the_one_that_won(world, monkeypatch):
    """A double click: both requests load the draft, the first submits it while the second waits for the lock;
    the second is sent where the first was (the confirmation), never a 500, and the complaint is submitted once."""
    from django.test import Client

    complaint = draft(world)
    real_submitted = notify.submitted

    def slow_submitted(complaint, event):  # hold the lock a while, inside the first submit's transaction
        time.sleep(0.5)
        real_submitted(complaint, event)

    monkeypatch.setattr(notify, "submitted", slow_submitted)
    data = {
        "complainant": world.charity.pk,
        "summary": complaint.summary,
        "what_happened": complaint.what_happened,
        "outcome_wanted": complaint.outcome_wanted,
        "respondent": world.council.pk,
        "commitments": [c.pk for c in world.commitments],
        "submit": "1",
    }
    start, answers = threading.Barrier(2), {}

    def submit(name):
        client = Client(raise_request_exception=False)
        client.force_login(world.people.vcs_member)
        try:
            start.wait()
            if name == "second":
                time.sleep(0.1)
            answers[name] = client.post(f"/complaints/{complaint.pk}/edit/", data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    submitted = f"/complaints/{complaint.pk}/submitted/"
    assert [(a.status_code, a["Location"]) for a in (answers["first"], answers["second"])] == [(302, submitted)] * 2
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True)) == ["submitted"]
