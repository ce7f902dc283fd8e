"""The outbox's tasks (compacts.outbox): sending one email, and the sweep that finds emails whose message was lost.
Both are safe to run twice: the email's row says what is done."""

from celery import shared_task

from . import outbox


@shared_task(bind=True, max_retries=None)
def send_email(self, email_id, attempts=0):
    """Make the next attempt at one email; after a failure, queue the one after it with a growing wait, until the
    email has had MAX_ATTEMPTS. Without a broker, outbox.attempt does the same on the web process's own thread."""
    outcome = outbox.deliver(email_id, attempts)
    if self.request.called_directly:
        return
    if outcome is outbox.Outcome.BUSY:  # another has it (or had it, and died): this message waits for its claim
        raise self.retry(args=(email_id, attempts), countdown=outbox.busy_for(email_id) + 1)
    if outcome is outbox.Outcome.FAILED and attempts + 1 < outbox.MAX_ATTEMPTS:
        raise self.retry(args=(email_id, attempts + 1), countdown=outbox.retry_wait(attempts + 1))


@shared_task
def sweep_outbox():
    """Hand over again the unsent emails whose next attempt is overdue (the rows, not the broker, are the truth);
    how many."""
    return outbox.sweep()
