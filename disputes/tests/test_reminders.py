import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from compacts.models import Email
from disputes import services, tasks
from disputes.models import StageClock
from disputes.tests.test_services import draft


@pytest.fixture
def submitted(world):
    complaint = draft(world)
    services.complaint_submit(complaint=complaint, by=world.people.vcs_member, version=complaint.version)
    complaint.refresh_from_db()
    Email.objects.update(sent_at=datetime.datetime.now(datetime.UTC))  # the submission emails went out
    return complaint


ONE_DAY = datetime.timedelta(days=1)


def run_on(day, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    mail.outbox.clear()
    call_command("send_reminders", verbosity=0)
    return sorted((m.to[0], m.subject.split(": ")[1]) for m in mail.outbox)


def test_reminds_two_working_days_before_and_when_overdue_once_each(world, submitted, monkeypatch):
    due = submitted.stage_due_on
    # The stage's handlers are both Champions (the complaint is at the Champions' stage).
    handlers = ["champion@council.example", "champion@helpers.example"]
    two_days_before = due - datetime.timedelta(days=2)
    while services.deadlines.working_days_between(two_days_before, due) != 2:
        two_days_before -= datetime.timedelta(days=1)
    assert run_on(two_days_before - datetime.timedelta(days=7), monkeypatch) == []
    assert run_on(two_days_before, monkeypatch) == [(h, "due soon") for h in handlers]
    assert run_on(two_days_before, monkeypatch) == []  # once only
    assert run_on(due, monkeypatch) == []  # due today is not overdue
    assert run_on(due + datetime.timedelta(days=1), monkeypatch) == [(h, "overdue") for h in handlers]
    assert run_on(due + datetime.timedelta(days=2), monkeypatch) == []
    clock = StageClock.objects.get(complaint=submitted)
    assert clock.reminded_before and clock.reminded_overdue


def test_a_new_due_date_starts_the_reminders_again(world, submitted, monkeypatch):
    run_on(submitted.stage_due_on + datetime.timedelta(days=1), monkeypatch)
    new_due = submitted.stage_due_on + datetime.timedelta(days=30)
    monkeypatch.undo()
    services.complaint_act(
        complaint=submitted,
        by=world.people.respondent_champion,
        action="extend",
        version=submitted.version,
        text="Audit",
        new_due_on=new_due,
    )
    assert run_on(new_due + datetime.timedelta(days=1), monkeypatch) != []


def test_failed_emails_are_retried(world, submitted, monkeypatch):
    Email.objects.update(sent_at=None, attempts=1, last_error="down")
    assert run_on(datetime.date.today(), monkeypatch) == sorted(
        (e.to, e.subject.split(": ")[1]) for e in Email.objects.all()
    )
    assert not Email.objects.filter(sent_at__isnull=True).exists()


def test_the_command_says_what_it_did(world, submitted, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: submitted.stage_due_on + ONE_DAY)
    output = io.StringIO()
    call_command("send_reminders", stdout=output)
    assert output.getvalue() == (
        "Reminders: 0 due soon, 1 overdue; complaints nobody can answer yet: 0; work-plan actions overdue: 0; "
        "emails sent: 2; "
        "record imports started again: 0\n"
    )


def test_the_workers_daily_task_reminds_as_the_command_does(
    world, submitted, monkeypatch, django_capture_on_commit_callbacks
):
    day = submitted.stage_due_on + ONE_DAY
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == {"due_soon": 0, "overdue": 1, "work_plan": 0, "unanswered": 0}
    assert sorted((m.to[0], m.subject.split(": ")[1]) for m in mail.outbox) == [
        ("champion@council.example", "overdue"),
        ("champion@helpers.example", "overdue"),
    ]
    assert run_on(day, monkeypatch) == []  # once only, whichever of the two ran
