"""The task queue: the outbox's tasks run in-process where there is no broker, and by a real Celery worker against
the machine's Redis where there is one, including a worker killed in the middle of a batch.

The worker tests start `celery -A compact_portal worker` in a process of their own, with DATABASE_URL naming the
test database (so they commit their data: transaction=True) and EMAIL_URL naming a small SMTP server run by the
test. Each pytest-xdist worker has a Redis database of its own, emptied before and after. Without Redis they are
skipped, except under CI (CI=true), where they fail."""

import os
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.conf import settings as django_settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from commitments.models import ImportStatus, Record, RecordImport
from commitments.tests.factories import CommitmentFactory, FigureFactory
from compact_portal.celery import app as celery_app
from compact_portal.tests.processes import wait_for
from compacts import outbox
from compacts.models import Email
from compacts.tasks import send_email, sweep_outbox
from compacts.tests.factories import (
    CompactFactory,
    OrganisationFactory,
    SectionFactory,
    SignatoryFactory,
    UserFactory,
    compact_role,
)


@pytest.fixture(autouse=True)
def _no_broker(settings):
    """In-process unless a test names a broker, whatever the environment says."""
    settings.CELERY_BROKER_URL = ""


def _email(to, *, attempts=0, age=timedelta(0)):
    return Email.objects.create(
        to=to, subject=f"For {to}", body="Hello.", attempts=attempts, created_at=timezone.now() - age
    )


def _queued(to="person@example.org"):
    """An email written by the outbox, not yet handed over."""
    with transaction.atomic():
        (email_id,) = outbox.queue([UserFactory(username=to)], "Hello", "Hello.")
    return Email.objects.get(pk=email_id)


def _mail_server_down(monkeypatch):
    """Every attempt fails; gives the attempts made so far as each attempt began."""
    seen = []

    def refuse(*args, **kwargs):
        seen.append(Email.objects.get().attempts)
        raise ConnectionRefusedError(f"refused, try {len(seen)}")

    monkeypatch.setattr("compacts.outbox.send_mail", refuse)
    return seen


# In-process ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sending_twice_sends_once():
    queued = _queued()
    send_email(queued.pk, 0)
    send_email(queued.pk, 0)  # the same message, delivered again
    send_email(queued.pk, 1)  # a message for an attempt after the one that sent it
    assert [m.to for m in mail.outbox] == [["person@example.org"]]
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.attempts == 1


@pytest.mark.django_db
def test_in_process_a_failure_is_recorded_and_left_to_the_next_attempt(monkeypatch):
    queued = _queued()
    _mail_server_down(monkeypatch)
    send_email(queued.pk, 0)
    queued.refresh_from_db()
    assert (queued.sent_at, queued.attempts, queued.last_error) == (None, 1, "refused, try 1")
    monkeypatch.undo()
    send_email(queued.pk, 0)  # the first attempt's message again: that attempt was made
    assert mail.outbox == []
    send_email(queued.pk, 1)  # the second attempt's
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failure_is_retried_after_growing_waits_until_it_is_given_up(monkeypatch):
    queued = _queued()
    seen = _mail_server_down(monkeypatch)
    waits = []
    real_wait = outbox.retry_wait
    monkeypatch.setattr(outbox, "retry_wait", lambda failures: waits.append(real_wait(failures)) or waits[-1])
    send_email.apply(args=(queued.pk, 0))  # as a worker runs it, except that retries run at once, without waiting
    queued.refresh_from_db()
    assert seen == list(range(outbox.MAX_ATTEMPTS))  # each attempt was counted before the next began
    assert (queued.sent_at, queued.attempts) == (None, outbox.MAX_ATTEMPTS)
    assert queued.last_error == f"refused, try {outbox.MAX_ATTEMPTS}"
    assert len(waits) == outbox.MAX_ATTEMPTS - 1
    assert all(outbox.longest_wait(n) / 2 <= wait <= outbox.longest_wait(n) for n, wait in enumerate(waits, 1))
    assert list(outbox.given_up()) == [queued]


def test_the_waits_double_from_a_minute_to_an_hour_with_jitter():
    assert [outbox.longest_wait(n) for n in range(1, outbox.MAX_ATTEMPTS)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
        3600,
    ]
    waits = {outbox.retry_wait(3) for _ in range(50)}
    assert len(waits) > 1 and all(120 <= wait <= 240 for wait in waits)
    assert django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > outbox.LONGEST_WAIT


@pytest.mark.django_db
def test_the_sweep_hands_over_only_unsent_emails_due_a_retry():
    minutes = timedelta(minutes=1)
    _email("new@example.org", age=2 * minutes)  # its message is surely still on its way
    _email("lost@example.org", age=6 * minutes)
    _email("waiting@example.org", attempts=2, age=6 * minutes)  # waits up to 1 + 2 minutes after 2 failures
    _email("overdue@example.org", attempts=2, age=9 * minutes)
    _email("given-up@example.org", attempts=outbox.MAX_ATTEMPTS, age=timedelta(days=2))
    sent = _email("sent@example.org", age=timedelta(days=2))
    Email.objects.filter(pk=sent.pk).update(sent_at=timezone.now(), attempts=1)
    assert sweep_outbox() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["lost@example.org", "overdue@example.org"]


@pytest.mark.django_db
def test_the_daily_retry_sends_what_is_waiting_but_not_what_was_given_up():
    waiting = _email("waiting@example.org", attempts=3)
    _email("given-up@example.org", attempts=outbox.MAX_ATTEMPTS)
    assert outbox.send() == 1
    assert [m.to for m in mail.outbox] == [["waiting@example.org"]]
    waiting.refresh_from_db()
    assert waiting.attempts == 4 and waiting.sent_at is not None


def test_the_beat_schedule_runs_the_portals_tasks_daily_and_the_sweep_often():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    celery_app.loader.import_default_modules()  # as a worker and beat do when they start: every app's tasks.py
    assert {entry["task"] for entry in schedule.values()} <= set(celery_app.tasks)
    assert schedule["send-reminders"]["schedule"].hour == {7}
    assert schedule["sweep-outbox"]["schedule"].minute == set(range(0, 60, 5))
    assert celery_app.conf.timezone == "Europe/London"


# Failed for good, for administrators ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_lists_failed_emails_and_sends_them_again(admin_client, django_capture_on_commit_callbacks):
    failed = _email("failed@example.org", attempts=outbox.MAX_ATTEMPTS)
    _email("waiting@example.org", attempts=1)
    url = "/admin/compacts/email/"
    text = admin_client.get(url, {"delivery": "failed"}).content.decode()
    assert "For failed@example.org" in text and "For waiting@example.org" not in text
    assert "For waiting@example.org" in admin_client.get(url, {"delivery": "waiting"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"action": "send_again", "_selected_action": [failed.pk]}, follow=True)
    assert "1 unsent email handed over to be sent again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.attempts == outbox.MAX_ATTEMPTS + 1
    assert [m.to for m in mail.outbox] == [["failed@example.org"]]


@pytest.mark.django_db
def test_site_administrators_see_on_the_manage_page_how_many_emails_failed(client):
    compact = CompactFactory()
    site_admin = UserFactory(is_superuser=True, is_staff=True)
    administrator = UserFactory()
    compact_role(administrator, compact, "administrator")
    client.force_login(site_admin)
    assert "not sent after every attempt" not in client.get("/manage/").content.decode()
    _email("failed@example.org", attempts=outbox.MAX_ATTEMPTS)
    _email("failed-too@example.org", attempts=outbox.MAX_ATTEMPTS)
    _email("waiting@example.org", attempts=1)
    text = client.get("/manage/").content.decode()
    assert "2 emails were not sent after every attempt." in text
    assert 'href="/admin/compacts/email/?delivery=failed"' in text
    client.force_login(administrator)
    assert "not sent after every attempt" not in client.get("/manage/").content.decode()


# With a broker ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_broker_that_is_down_fails_nothing_and_leaves_the_email_to_the_sweep(
    client, broker, caplog, django_capture_on_commit_callbacks
):
    broker("redis://127.0.0.1:1/0")  # nothing listens there
    person = UserFactory(username="new@example.org", email_confirmed=False)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/confirm-email/")
    assert response.status_code == 302
    assert "The task broker is unreachable" in caplog.text
    queued = Email.objects.get(to="new@example.org")
    assert (queued.sent_at, queued.attempts) == (None, 0) and mail.outbox == []
    assert list(outbox.due_for_retry(timezone.now() + outbox.SWEEP_AFTER)) == [queued]


@pytest.mark.django_db(transaction=True)
def test_an_actions_email_is_sent_by_the_worker_not_in_the_request(client, broker, redis_url, mail_server, worker):
    broker(redis_url)
    person = UserFactory(username="new@example.org", email_confirmed=False)
    client.force_login(person)
    assert client.post("/account/confirm-email/").status_code == 302
    queued = Email.objects.get(to="new@example.org")
    assert (queued.sent_at, queued.attempts) == (None, 0)
    assert mail.outbox == [] and mail_server.received == []
    assert redis.Redis.from_url(redis_url).llen("celery") == 1  # its message, waiting for a worker
    worker()
    wait_for(lambda: Email.objects.filter(pk=queued.pk, sent_at__isnull=False).exists(), "sent")
    queued.refresh_from_db()
    assert queued.attempts == 1 and queued.last_error == ""
    assert mail_server.received == ["new@example.org"] and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_no_email_and_repeats_at_most_one(broker, redis_url, mail_server, worker):
    """The worker and its child are killed at once, as when their machine stops. The message the child was running
    was not acknowledged (acks late), so Redis hands it out again once the visibility timeout (a second, here) has
    passed; only an email sent but not yet marked sent when the worker died may go twice."""
    broker(redis_url)
    mail_server.pause = 0.2
    people = UserFactory.create_batch(20)
    with transaction.atomic():
        outbox.queue(people, "News", "Hello.")
    # A short EMAIL_TIMEOUT makes a short claim (outbox.lease): the killed child's claim on the email it was
    # sending lapses within seconds, and the message handed out again then sends it.
    first = worker(CELERY_VISIBILITY_TIMEOUT="1", EMAIL_TIMEOUT="1")
    wait_for(lambda: len(mail_server.received) >= 5, "five sent")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert len(mail_server.received) < len(people)  # killed in the middle of the batch
    time.sleep(1)  # the visibility timeout: the next worker hands out the killed one's message again as it starts
    worker(CELERY_VISIBILITY_TIMEOUT="1", EMAIL_TIMEOUT="1")
    wait_for(lambda: not Email.objects.filter(sent_at__isnull=True).exists(), "every email sent", timeout=20)
    received = Counter(mail_server.received)
    assert set(received) == {person.email for person in people}
    assert sum(received.values()) - len(received) <= 1
    assert set(Email.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_a_record_import_is_made_by_the_worker_not_in_the_request(client, broker, redis_url, mail_server, worker):
    broker(redis_url)
    compact = CompactFactory(slug="testshire", short_name="Testshire")
    section = SectionFactory(compact=compact)
    SignatoryFactory(compact=compact, organisation=OrganisationFactory(name="Testshire Council"), section=section)
    consult = CommitmentFactory(compact=compact, section=section, ref="3.6", number="3.6", sector="public")
    FigureFactory(commitment=consult, kind="consultation_standard", value=12, unit="weeks", quote="12 weeks")
    administrator = UserFactory(username="admin@testshire.example")
    compact_role(administrator, compact, "administrator")
    client.force_login(administrator)
    rows = "run_by,title,opened,closed\nTestshire Council,Library hours,2026-06-01,2026-08-10\n"
    response = client.post("/compacts/testshire/records/import/", {"kind": "consultation", "text": rows})
    job = RecordImport.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == ImportStatus.QUEUED and not Record.objects.exists()  # handed over, not made here
    assert redis.Redis.from_url(redis_url).llen("celery") == 1
    assert "Your file is being imported" in client.get(job.get_absolute_url()).content.decode()
    worker()
    wait_for(lambda: RecordImport.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists(), "imported")
    wait_for(lambda: "admin@testshire.example" in mail_server.received, "its maker told")
    record = Record.objects.get()
    assert record.title == "Library hours" and record.checks.get().working == "10 weeks, against 12 weeks: missed"
    assert "Imported 1 record" in client.get(job.get_absolute_url()).content.decode()
