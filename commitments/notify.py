"""Emails about records of Compact working: the other side is asked to confirm or dispute a record, and whoever
made it hears the answer. Each is written to the outbox in the transaction that makes the change."""

from django.conf import settings

from compacts import outbox
from compacts.models import Membership, MembershipStatus


def _people(organisation):
    """An organisation's confirmed members and Champions with a confirmed address, once each."""
    rows = Membership.objects.filter(
        organisation=organisation, status=MembershipStatus.CONFIRMED, user__is_active=True
    ).select_related("user", "user__confirmed_email")
    confirmed = {}
    for row in rows:
        address = getattr(row.user, "confirmed_email", None)
        if address is not None and address.email.lower() == row.user.email.lower():
            confirmed[row.user.pk] = row.user
    return list(confirmed.values())


def _link(record):
    return f"{settings.SITE_URL}{record.get_absolute_url()}"


def record_to_answer(record, side, corrected=False):
    if side is None:
        return
    what = "was corrected" if corrected else "was recorded"
    body = (
        f"A record of {record.compact.short_name} Compact working about {record.about} {what} "
        f"(version {record.version}):\n\n{record.get_kind_display()}: {record.title}\n\n"
        f"As the other side, {side} can confirm it or dispute it with a comment:\n\n{_link(record)}\n\n"
        "A record is public once confirmed, or 20 working days after it was made if nobody has confirmed it.\n"
    )
    subject = f"Please confirm or dispute a record: {record.title}"
    outbox.queue(_people(side), subject, body, about=f"record:{record.pk}")


def record_answered(record, response):
    body = (
        f"{response.organisation} {response.get_verdict_display().lower()} your record "
        f"“{record.title}” (version {response.version}).\n\n"
        + (f"Their comment:\n{response.comment}\n\n" if response.comment else "")
        + f"{_link(record)}\n"
    )
    people = {record.recorded_by.pk: record.recorded_by}
    if record.recorded_for_id:
        people.update({user.pk: user for user in _people(record.recorded_for)})
    outbox.queue(
        people.values(), f"Your record was {response.get_verdict_display().lower()}", body, about=f"record:{record.pk}"
    )


def records_imported(compact, organisation, records):
    """One email to an organisation for every record about it in an import, not one each."""
    lines = "\n".join(f"- {record.title}: {settings.SITE_URL}{record.get_absolute_url()}" for record in records[:50])
    more = f"\n…and {len(records) - 50} more." if len(records) > 50 else ""
    body = (
        f"The administrators of the {compact.short_name} Compact imported {len(records)} record"
        f"{'s' if len(records) != 1 else ''} of Compact working about {organisation}. You can confirm or dispute "
        f"each one:\n\n{lines}{more}\n\n"
        "A record is public once confirmed, or 20 working days after it was made if nobody has confirmed it.\n"
    )
    outbox.queue(
        _people(organisation), f"Records about {organisation} were imported", body, about=f"import:{compact.pk}"
    )


def record_import_finished(job):
    """Whoever handed a file over hears what came of it: imported, or not, and where to see why."""
    link = f"{settings.SITE_URL}{job.get_absolute_url()}"
    compact = job.compact.short_name
    if job.made:
        subject = f"Imported {job.made} record{'s' if job.made != 1 else ''} into the {compact} Compact"
        body = f"Your file of {job.rows} row{'s' if job.rows != 1 else ''} was imported:\n\n{link}\n"
    else:
        subject = f"Your file was not imported into the {compact} Compact"
        why = job.error or (
            f"{len(job.problems)} row{'s' if len(job.problems) != 1 else ''} could not be imported when it ran"
        )
        body = (
            f"Nothing was imported. {why.rstrip('.')}.\n\n"
            f"See what is wrong, correct the file and import it again:\n\n{link}\n"
        )
    outbox.queue([job.by], subject, body, about=f"record-import:{job.pk}")
