"""The daily reminders as a task, for Celery's beat (CELERY_BEAT_SCHEDULE); without a task queue,
`manage.py send_reminders` runs the same function."""

from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def send_reminders():
    """Today's stage and work-plan reminders; unsent emails are the outbox sweep's (compacts.tasks.sweep_outbox)."""
    return asdict(reminders.send_due(today=timezone.localdate()))
