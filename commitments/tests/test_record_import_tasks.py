"""Record imports as tasks: a file checked in the request is imported by a task, once, all or nothing; what came of
it is on its page and emailed to whoever handed it over; a failure is tried again, then shown to the Compact's
administrators; a message lost on its way is found by the sweep. (A real worker runs one in
compact_portal/tests/test_task_queue.py.)"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commitments import services, tasks
from commitments.models import ImportStatus, Record, RecordImport
from commitments.tests.test_record_import import CONSULTATIONS, THREESIXTY, URL, post
from compacts.models import Email
from compacts.tests.document_check import page_text

GRANTS = THREESIXTY.replace("Testshire County Council", "Testshire Council")


@pytest.fixture
def queued(settings, monkeypatch):
    """A broker that takes every import handed over (its ids, in order) and runs nothing."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    taken = []
    monkeypatch.setattr(tasks.import_records, "delay", taken.append)
    return taken


def hand_over(client, who, kind, text, capture):
    client.force_login(who)
    with capture(execute=True):
        response = post(client, kind, text)
    assert response.status_code == 302, page_text(response.content)
    return response, RecordImport.objects.latest("id")


def test_a_file_waits_for_the_worker_and_a_message_delivered_twice_imports_once(
    client, recording, queued, django_capture_on_commit_callbacks
):
    response, job = hand_over(
        client, recording.people.administrator, "consultation", CONSULTATIONS, django_capture_on_commit_callbacks
    )
    assert queued == [job.pk] and job.status == ImportStatus.QUEUED and not Record.objects.exists()
    waiting = client.get(response["Location"])
    text = page_text(waiting.content)
    assert "Your file is being imported" in text and "Its 2 rows were checked" in text
    assert f'href="{job.get_absolute_url()}">Check again</a>' in waiting.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.import_records.apply(args=(job.pk,))
        tasks.import_records.apply(args=(job.pk,))  # the same message again: the import is done already
    assert Record.objects.count() == 2
    job.refresh_from_db()
    assert (job.status, job.made, job.problems, job.error) == (ImportStatus.DONE, 2, [], "")
    assert job.finished_at is not None
    assert "Imported 2 records" in page_text(client.get(job.get_absolute_url()).content)
    (told,) = Email.objects.filter(to=recording.people.administrator.email)
    assert told.subject == "Imported 2 records into the Testshire Compact"
    assert job.get_absolute_url() in told.body
    listed = page_text(client.get(URL).content)
    assert "Files imported lately" in listed and "Imported 2 records" in listed


def test_a_file_the_compact_changed_under_is_not_imported_and_opens_again_to_correct(
    client, funding, queued, django_capture_on_commit_callbacks
):
    administrator = funding.people.administrator
    _, first = hand_over(client, administrator, "funding", GRANTS, django_capture_on_commit_callbacks)
    _, second = hand_over(client, administrator, "funding", GRANTS, django_capture_on_commit_callbacks)
    assert queued == [first.pk, second.pk]  # both checked before either ran: no identifier taken yet
    with django_capture_on_commit_callbacks(execute=True):
        tasks.import_records.apply(args=(first.pk,))
        tasks.import_records.apply(args=(second.pk,))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.made) == (ImportStatus.DONE, 3)
    assert (second.status, second.made) == (ImportStatus.FAILED, 0) and Record.objects.count() == 3
    assert second.problems == [
        [2, "identifier", "A record with this identifier is already in this Compact"],
        [3, "identifier", "A record with this identifier is already in this Compact"],
        [4, "identifier", "A record with this identifier is already in this Compact"],
    ]
    page = client.get(second.get_absolute_url())
    text = page_text(page.content)
    assert "Nothing was imported" in text and "Line 2, identifier: A record with this identifier" in text
    assert f'href="/compacts/testshire/records/import/?again={second.pk}"' in page.content.decode()
    told = Email.objects.get(to=administrator.email, subject="Your file was not imported into the Testshire Compact")
    assert "3 rows could not be imported when it ran" in told.body

    again = client.get(URL, {"again": second.pk}).content.decode()
    assert "360G-TC-0003,Food bank" in again  # the file's text, to correct
    assert re.search(r'<input[^>]*value="funding"[^>]*checked', again)


def test_an_import_that_keeps_failing_is_tried_again_then_shown_failed(
    client, recording, queued, monkeypatch, django_capture_on_commit_callbacks
):
    _, job = hand_over(
        client, recording.people.administrator, "consultation", CONSULTATIONS, django_capture_on_commit_callbacks
    )
    attempts = []

    def away(**kwargs):
        attempts.append(kwargs["compact"])
        raise OperationalError("the database went away")

    monkeypatch.setattr(services, "records_import", away)
    waits = []
    monkeypatch.setattr(tasks.import_records, "retry", _counting_retry(tasks.import_records.retry, waits))
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.import_records.apply(args=(job.pk,))  # as a worker runs it, but retrying at once
    assert isinstance(result.result, OperationalError)
    assert len(attempts) == tasks.IMPORT_RETRIES + 1 and waits == [60, 120, 240, 480, 960]
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not Record.objects.exists()
    assert job.error == "The import stopped with an error, and nothing was imported: the database went away"
    text = page_text(client.get(job.get_absolute_url()).content)
    assert "Your file was not imported" in text and "the database went away" in text
    assert "Not imported" in page_text(client.get(URL).content)  # on the import page, for every administrator
    assert Email.objects.filter(subject="Your file was not imported into the Testshire Compact").count() == 1


def _counting_retry(retry, waits):
    def counting(*args, countdown=None, **kwargs):
        waits.append(countdown)
        return retry(*args, countdown=countdown, **kwargs)

    return counting


def test_in_process_an_import_runs_once_the_request_commits(client, recording, django_capture_on_commit_callbacks):
    client.force_login(recording.people.administrator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(client, "consultation", CONSULTATIONS)
    job = RecordImport.objects.get()
    assert job.status == ImportStatus.QUEUED and not Record.objects.exists()  # not inside the request's change
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.status, job.made, Record.objects.count()) == (ImportStatus.DONE, 2, 2)


def test_the_sweep_hands_over_only_imports_waiting_too_long(recording, queued):
    now = timezone.now()

    def job(status, minutes_ago):
        return RecordImport.objects.create(
            compact=recording.compact,
            kind="consultation",
            text=CONSULTATIONS,
            rows=2,
            by=recording.people.administrator,
            created_at=now - datetime.timedelta(minutes=minutes_ago),
            status=status,
        )

    lost = job(ImportStatus.QUEUED, 45)
    job(ImportStatus.QUEUED, 5)  # surely still on its way, or running
    job(ImportStatus.DONE, 45)
    job(ImportStatus.FAILED, 45)
    stuck = job(ImportStatus.QUEUED, 181)  # started again and again, never finished
    assert tasks.sweep_imports() == (1, 1) and queued == [lost.pk]
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED and stuck.made == 0
    assert stuck.error == (
        "The import stopped with an error, and nothing was imported: it had not finished 3 hours after it was "
        "handed over"
    )


def test_without_a_task_queue_the_daily_command_runs_an_import_left_waiting(
    recording, django_capture_on_commit_callbacks
):
    """A web process stopped between committing an import and running it leaves it waiting: send_reminders, run
    daily where there is no worker, runs it."""
    left = RecordImport.objects.create(
        compact=recording.compact,
        kind="consultation",
        text=CONSULTATIONS,
        rows=2,
        by=recording.people.administrator,
        created_at=timezone.now() - datetime.timedelta(hours=2),
    )
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=output)
    assert output.getvalue().endswith("; record imports started again: 1\n")
    left.refresh_from_db()
    assert (left.status, left.made, Record.objects.count()) == (ImportStatus.DONE, 2, 2)


def test_only_the_compacts_administrators_see_its_imports(
    client, recording, queued, django_capture_on_commit_callbacks
):
    _, job = hand_over(
        client, recording.people.administrator, "consultation", CONSULTATIONS, django_capture_on_commit_callbacks
    )
    url = job.get_absolute_url()
    for who in ("vcs", "champion", "officer", "other_administrator", "bystander"):
        client.force_login(getattr(recording.people, who))
        assert client.get(url).status_code == 403, who
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(recording.people.other_administrator)
    assert client.get(f"/compacts/elsewhere/records/imports/{job.pk}/").status_code == 404  # not that Compact's


def test_the_import_pages_read_a_fixed_number_of_queries(client, recording, queued, django_capture_on_commit_callbacks):
    administrator = recording.people.administrator
    _, job = hand_over(client, administrator, "consultation", CONSULTATIONS, django_capture_on_commit_callbacks)

    def counted():
        counts = []
        for url in (URL, job.get_absolute_url()):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    few = counted()
    for _ in range(12):
        hand_over(client, administrator, "consultation", CONSULTATIONS, django_capture_on_commit_callbacks)
    assert counted() == few
