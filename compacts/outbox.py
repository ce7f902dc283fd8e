"""The portal's outbox, for every email it sends (about complaints, sign-ups, memberships, Champions).

Each email is first a row (Email) written in the same transaction as the
change it reports, then sent once that transaction commits. A mail server
that is down leaves the rows unsent; `send_reminders` retries them. Nothing
here can roll back or lose the change itself.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Email

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


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
        transaction.on_commit(lambda: send(ids))
    return ids


def send(ids=None):
    """Send unsent emails (these, or all that are due a retry). Failures are kept for the next try."""
    emails = Email.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    if ids is not None:
        emails = emails.filter(pk__in=ids)
    sent = 0
    for email in emails.order_by("created_at"):
        try:
            send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
        except Exception as error:  # a mail server's failure must never reach the person acting
            log.warning("Email %s to %s not sent: %s", email.pk, email.to, error)
            Email.objects.filter(pk=email.pk).update(attempts=email.attempts + 1, last_error=str(error)[:2000])
        else:
            Email.objects.filter(pk=email.pk).update(sent_at=timezone.now(), attempts=email.attempts + 1)
            sent += 1
    return sent
