"""The portal's outbox, for every email it sends (about complaints, sign-ups, memberships, Champions).

Each email is first a row (Email) written in the same transaction as the change it reports, then handed over once
that transaction commits: to the task queue's worker where there is a broker (CELERY_BROKER_URL), else sent on the
web process's own background thread (compacts.background), off the request. The row, not the broker's message, is
the record: an attempt is claimed on the row for a while first, and is not made if the email is sent already, or
the attempt the message is for was made already or is being made, so a message delivered twice sends once. A
failure is counted on the row and tried again after a growing wait, until the email has had MAX_ATTEMPTS; then it
is given up, and site administrators see it (the manage page, the admin's "failed" filter) and can send it again.
An email whose message was lost (a broker that was down when the change committed, a killed worker, a restarted
web process) is found by the sweep (`due_for_retry`, every few minutes, by beat or the background thread) or
retried by the daily `send_reminders`. Nothing here can roll back or lose the change itself.
"""

import enum
import logging
import random
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import background
from .models import Email

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
FIRST_WAIT = 60  # seconds after the first failure; each later wait is twice as long, up to LONGEST_WAIT
LONGEST_WAIT = 3600  # Redis holds a waiting retry as taken: keep this below the broker's visibility timeout
SWEEP_AFTER = timedelta(minutes=5)  # how late an attempt may be before the sweep takes it for lost
WAITING = Q(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
GIVEN_UP = Q(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS)
SWEEP_BATCH = 1000  # the oldest first; the rest at the next sweep, so that a long outage cannot flood the queue


class Outcome(enum.Enum):
    """What an attempt at sending came to."""

    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # sent already, or this attempt made already by another message
    BUSY = "busy"  # another is making this attempt now: try again once its claim lapses


def queue(recipients, subject, body, *, about="", dedupe=None):
    """Write one email per recipient (people with an email address) now; send them after the transaction commits.
    With `dedupe`, a recipient already sent that email is not sent it again."""
    ids = []
    for user in recipients:
        if not user.email:
            continue
        key = f"{dedupe}:{user.email}" if dedupe else None
        if key and Email.objects.filter(dedupe_key=key).exists():
            continue
        email = Email.objects.create(to=user.email, subject=subject, body=body, about=about, dedupe_key=key)
        ids.append(email.pk)
    if ids:
        transaction.on_commit(lambda: hand_over([(pk, 0) for pk in ids]))
    return ids


def hand_over(emails):
    """Start the next attempt at each email, given as (id, attempts made so far): through the worker where there is
    a broker, else on this process's background thread (compacts.background), off the request. A broker that
    cannot be reached leaves them all to the sweep."""
    from .tasks import send_email  # compacts.tasks imports this module

    for email_id, attempts in emails:
        if not settings.CELERY_BROKER_URL:
            background.run(attempt, email_id, attempts)
            continue
        try:
            send_email.delay(email_id, attempts)
        except OperationalError as error:
            log.warning("The task broker is unreachable (%s): %s emails are left to the sweep", error, len(emails))
            return


def lease():
    """How long an attempt holds its email: time for each step of an SMTP conversation to time out, and more."""
    return timedelta(seconds=2 * settings.EMAIL_TIMEOUT + 5)


def deliver(email_id, attempts):
    """Make attempt number `attempts + 1` at sending one email. The attempt is first claimed on the row for a
    while (`lease`), in a statement only one claimant can win, so that nobody else makes it meanwhile; the mail
    server is then asked with no transaction open, so that a server that hangs holds no lock (on SQLite an open
    transaction holds every writer); then the attempt is counted, with the error if it failed. A claim left by a
    process that died lapses, and the attempt can be made again."""
    now = timezone.now()
    unclaimed = Q(sending_until__isnull=True) | Q(sending_until__lt=now)
    email = Email.objects.filter(pk=email_id, sent_at__isnull=True, attempts=attempts).first()
    if email is None:
        return Outcome.SKIPPED
    with transaction.atomic():
        claimed = Email.objects.filter(unclaimed, pk=email_id, sent_at__isnull=True, attempts=attempts).update(
            sending_until=now + lease()
        )
    if not claimed:
        return Outcome.BUSY
    try:
        send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
    except Exception as error:  # a mail server's failure must never reach the person acting
        Email.objects.filter(pk=email.pk).update(
            attempts=attempts + 1, last_error=str(error)[:2000], sending_until=None
        )
        if attempts + 1 < MAX_ATTEMPTS:
            log.warning("Email %s to %s not sent (attempt %s): %s", email.pk, email.to, attempts + 1, error)
        else:
            log.error("Email %s to %s given up after %s attempts: %s", email.pk, email.to, attempts + 1, error)
        return Outcome.FAILED
    Email.objects.filter(pk=email.pk).update(sent_at=timezone.now(), attempts=attempts + 1, sending_until=None)
    return Outcome.SENT


def busy_for(email_id):
    """Seconds until another's claim on the email lapses (0 if there is none)."""
    until = Email.objects.filter(pk=email_id).values_list("sending_until", flat=True).first()
    return max(0.0, (until - timezone.now()).total_seconds()) if until else 0.0


def attempt(email_id, attempts):
    """One attempt without a broker and, after a failure, the next after the same growing wait as the worker's
    (compacts.tasks.send_email), until MAX_ATTEMPTS."""
    outcome = deliver(email_id, attempts)
    if outcome is Outcome.BUSY:
        background.run(attempt, email_id, attempts, delay=busy_for(email_id) + 1)
    elif outcome is Outcome.FAILED and attempts + 1 < MAX_ATTEMPTS:
        background.run(attempt, email_id, attempts + 1, delay=retry_wait(attempts + 1))


def sweep():
    """Hand over again the unsent emails whose next attempt is overdue (their message or job was lost), the oldest
    first, a batch at a time; how many."""
    emails = list(due_for_retry(timezone.now()).values_list("pk", "attempts")[:SWEEP_BATCH])
    hand_over(emails)
    return len(emails)


def longest_wait(failures):
    """Seconds the next attempt waits, at most, after an email's `failures`-th failure."""
    return min(LONGEST_WAIT, FIRST_WAIT * 2 ** (failures - 1))


def retry_wait(failures):
    """The wait before the next attempt: between half of `longest_wait` and all of it, at random, so that emails
    that failed together (a mail server down) are not all tried again at the same moment."""
    longest = longest_wait(failures)
    return random.uniform(longest / 2, longest)  # noqa: S311 spreading retries, not a secret


def send():
    """Make the next attempt now at every unsent email not given up, here, one after another; how many were sent."""
    emails = Email.objects.filter(WAITING).order_by("created_at").values_list("pk", "attempts")
    return sum(deliver(pk, attempts) is Outcome.SENT for pk, attempts in emails)


def due_for_retry(now):
    """Unsent emails whose next attempt is overdue, so that their message was lost. An email written at
    `created_at` has had its next attempt by then if every wait so far was its longest and SWEEP_AFTER late."""
    due = Q()
    late = SWEEP_AFTER
    for attempts in range(MAX_ATTEMPTS):
        due |= Q(attempts=attempts, created_at__lte=now - late)
        late += timedelta(seconds=longest_wait(attempts + 1))
    return Email.objects.filter(due, sent_at__isnull=True).order_by("created_at")


def given_up():
    """Emails not sent after MAX_ATTEMPTS: nothing tries them again unless an administrator does."""
    return Email.objects.filter(GIVEN_UP)


def email_retry(*, emails):
    """Try the unsent ones of these emails once more, after the transaction commits, however many attempts they
    have had (an administrator's choice); how many."""
    unsent = list(emails.filter(sent_at__isnull=True).values_list("pk", "attempts"))
    transaction.on_commit(lambda: hand_over(unsent))
    return len(unsent)
