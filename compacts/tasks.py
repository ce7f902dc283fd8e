"""The outbox's tasks (compacts.outbox): sending one email, and the sweep that finds emails whose message was lost.
Both are safe to run twice: the email's row says what is done."""

from celery import shared_task
from django.utils import timezone

from . import outbox

SWEEP_BATCH = 1000  # the oldest first; the rest at the next sweep, so that a long outage cannot flood the queue


@shared_task(bind=True, max_retries=None)
def send_email(self, email_id, attempts=0):
    """Make the next attempt at one email; after a failure, queue the one after it with a growing wait, until the
    email has had MAX_ATTEMPTS. Called in-process (no broker), it makes one attempt: the next is send_reminders'."""
    if outbox.deliver(email_id, attempts) is not outbox.Outcome.FAILED:
        return
    if attempts + 1 < outbox.MAX_ATTEMPTS and not self.request.called_directly:
        raise self.retry(args=(email_id, attempts + 1), countdown=outbox.retry_wait(attempts + 1))


@shared_task
def sweep_outbox():
    """Hand over again the unsent emails whose next attempt is overdue (the rows, not the broker, are the truth);
    how many."""
    emails = list(outbox.due_for_retry(timezone.now()).values_list("pk", "attempts")[:SWEEP_BATCH])
    outbox.hand_over(emails)
    return len(emails)
