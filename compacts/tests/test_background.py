"""The web process's own background thread (compacts.background), which runs emails and imports off the request
where there is no task queue: jobs run on it, not in the caller; in order of when they are due; one failing job
stops none of the others; an email that fails is tried again after the outbox's wait, and sent; the sweeps run."""

import threading
import time

import pytest
from django.core import mail

from compacts import background, outbox
from compacts.models import Email
from compacts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def thread(settings, monkeypatch):
    """This process's background thread, started as a web process's first request starts it."""
    settings.BACKGROUND_TASKS = True
    monkeypatch.setattr(background, "_periodic", {})
    background._start()
    assert background._running()
    yield background._state["thread"]
    background.stop()


def wait_until(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not done in time"
        time.sleep(0.02)


def test_without_the_thread_a_job_runs_at_once_in_the_caller():
    ran = []
    background.run(lambda: ran.append(threading.current_thread()))
    background.run(lambda: ran.append("later"), delay=5)  # a retry: left to the sweep
    assert ran == [threading.current_thread()]


def test_jobs_run_on_the_thread_in_the_order_they_are_due_and_a_failure_stops_none(thread):
    ran, release = [], threading.Event()

    def slow():
        release.wait(5)
        ran.append(("slow", threading.current_thread()))

    def fails():
        raise RuntimeError("a job that fails")

    started = time.monotonic()
    background.run(lambda: ran.append(("later", None)), delay=0.3)
    background.run(slow)
    background.run(fails)
    background.run(lambda: ran.append(("after the failure", None)))
    assert time.monotonic() - started < 0.1  # handed over, not run: the caller goes on at once
    release.set()
    wait_until(lambda: len(ran) == 3)
    assert [name for name, _ in ran] == ["slow", "after the failure", "later"]
    assert ran[0][1] is thread


def test_an_email_that_fails_is_tried_again_after_the_wait_and_sent(thread, monkeypatch):
    person = UserFactory(username="val@example.org")
    failures = []
    real = outbox.send_mail

    def flaky(*args, **kwargs):
        if not failures:
            failures.append("down")
            raise OSError("the mail server is down")
        return real(*args, **kwargs)

    outcomes, real_deliver = [], outbox.deliver

    def deliver(*args):  # seen from here without reading the database while the thread writes to it
        outcomes.append(real_deliver(*args))
        return outcomes[-1]

    monkeypatch.setattr(outbox, "send_mail", flaky)
    monkeypatch.setattr(outbox, "deliver", deliver)
    monkeypatch.setattr(outbox, "retry_wait", lambda failures: 0.2)
    (email_id,) = outbox.queue([person], "Subject", "Body")  # outside a transaction: handed over at once
    wait_until(lambda: outbox.Outcome.SENT in outcomes)
    assert outcomes == [outbox.Outcome.FAILED, outbox.Outcome.SENT]
    email = Email.objects.get(pk=email_id)
    assert (email.attempts, email.last_error) == (2, "the mail server is down")
    assert [m.to for m in mail.outbox] == [["val@example.org"]]


def test_the_sweeps_run_on_the_thread(settings, monkeypatch):
    settings.BACKGROUND_TASKS = True
    swept = []
    monkeypatch.setattr(background, "_periodic", {"test": (0.1, lambda: swept.append(time.monotonic()))})
    background._start()
    try:
        wait_until(lambda: len(swept) >= 3)
    finally:
        background.stop()
