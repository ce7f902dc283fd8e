"""Run daily where there is no task queue (with one, beat runs disputes.tasks.send_reminders instead): today's
stage and work-plan reminders (disputes.reminders), then a retry of every email not yet sent, and of every record
import still waiting long after it was handed over (a web process stopped before it ran it)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from commitments import services as record_services
from compacts import outbox
from disputes import reminders


class Command(BaseCommand):
    help = "Send stage reminders due today and retry unsent emails."

    def handle(self, *args, **options):
        reminded = reminders.send_due(today=timezone.localdate())
        retried = outbox.send()
        waiting = list(record_services.imports_to_sweep(timezone.now()).values_list("pk", flat=True))
        record_services.hand_over_imports(waiting)
        self.stdout.write(
            f"Reminders: {reminded.due_soon} due soon, {reminded.overdue} overdue; complaints nobody can answer yet: "
            f"{reminded.unanswered}; work-plan actions overdue: "
            f"{reminded.work_plan}; emails sent: {retried}; record imports started again: {len(waiting)}"
        )
