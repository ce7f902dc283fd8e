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
