"""Two administrators decide the same sign-up at the same moment, each on their own database connection: one
decision stands, the other is told who decided first, and nothing is half-saved."""

import threading
import time

import pytest
from django.db import connection, connections

from compacts import notify, services
from compacts.models import ChangeRecord, Signatory, SignUp
from compacts.permissions import Refused

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)")
def test_two_administrators_deciding_one_sign_up_at_once(running, monkeypatch):
    newcomer = running.people.newcomer
    services.email_confirm(user=newcomer, token=services.confirmation_token(newcomer))
    sign_up = services.sign_up_request(
        by=newcomer,
        compact=running.compact,
        organisation=running.group,
        sector="vcs",
        kind="charity",
        identifier_scheme="",
        identifier="",
        signed_by_name="Nia Okafor",
        signed_by_role="Chair",
    )
    services.membership_decide(membership=running.request, by=running.people.administrator, confirm=True)
    start = threading.Barrier(2)
    real = notify.sign_up_decided

    def slow(sign_up):  # hold the row lock a while, inside the first decision's transaction
        time.sleep(0.5)
        real(sign_up)

    monkeypatch.setattr(notify, "sign_up_decided", slow)
    results = {}

    def decide(name, person, confirm):
        try:
            start.wait()
            if name == "second":
                time.sleep(0.1)  # the first takes the lock first
            services.sign_up_decide(sign_up=sign_up, by=person, confirm=confirm, reason="" if confirm else "No")
            results[name] = "done"
        except Refused as refused:
            results[name] = str(refused)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("first", running.people.administrator, True)),
        threading.Thread(target=decide, args=("second", running.people.site_admin, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert results["first"] == "done"
    assert results["second"].startswith("This sign-up was already signed up by Person")
    sign_up.refresh_from_db()
    assert sign_up.status == "confirmed" and sign_up.decided_by == running.people.administrator
    assert Signatory.objects.filter(organisation=running.group).count() == 1
    assert list(ChangeRecord.objects.values_list("action", flat=True).order_by("id")) == [
        "Sign-up asked for",
        "Membership confirmed",  # its person's request to join, decided first, on its own
        "Sign-up confirmed",
    ]
    assert SignUp.objects.count() == 1
