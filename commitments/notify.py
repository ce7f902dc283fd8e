"""Emails about records of Compact working: whoever answers for the other side is asked to confirm or dispute a
record (or, where nobody can yet, the Compact's administrators are told), and whoever made it hears the answer. Each
is written to the outbox in the transaction that makes the change."""

from django.conf import settings

from compacts import outbox
from compacts.models import Membership, MembershipStatus
from compacts.notify import administrators


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


def record_to_answer(record, asked, corrected=False):
    """Ask whoever answers for each organisation on the other side (`asked`: permissions.asked) to confirm or dispute
    the record; for an organisation nobody can answer for yet, tell the Compact's administrators instead."""
    what = "was corrected" if corrected else "was recorded"
    about = (
        f"A record of {record.compact.short_name} Compact working about {record.about} {what} "
        f"(version {record.version}):\n\n{record.get_kind_display()}: {record.title}\n\n"
    )
    public = "A record is public once confirmed, or 20 working days after it was made if nobody has confirmed it.\n"
    for organisation, answerers in asked:
        if answerers.nobody:
            body = (
                f"{about}{organisation} is asked to confirm or dispute it, and nobody in the portal can answer for "
                f"{organisation} yet: it has no Compact Champion and no confirmed member with a confirmed email "
                f"address. Ask someone there to join the portal, or tell them of the record:\n\n{_link(record)}\n\n"
                + public
            )
            subject = f"Nobody can answer for {organisation} yet: {record.title}"
            outbox.queue(administrators(record.compact), subject, body, about=f"record:{record.pk}")
            continue
        body = (
            f"{about}As the other side, {organisation} can confirm it or dispute it with a comment:\n\n"
            f"{_link(record)}\n\n{public}"
        )
        subject = f"Please confirm or dispute a record: {record.title}"
        outbox.queue(answerers.people, subject, body, about=f"record:{record.pk}")


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


def records_imported(compact, organisation, records, answerers):
    """One email to whoever answers for an organisation (`answerers`: permissions.who_answers_for) for every record
    about it in an import, not one each; where nobody can answer for it yet, to the Compact's administrators."""
    lines = "\n".join(f"- {record.title}: {settings.SITE_URL}{record.get_absolute_url()}" for record in records[:50])
    more = f"\n…and {len(records) - 50} more." if len(records) > 50 else ""
    imported = (
        f"The administrators of the {compact.short_name} Compact imported {len(records)} record"
        f"{'s' if len(records) != 1 else ''} of Compact working about {organisation}."
    )
    public = "A record is public once confirmed, or 20 working days after it was made if nobody has confirmed it.\n"
    if answerers.nobody:
        body = (
            f"{imported} Nobody in the portal can answer for {organisation} yet, to confirm or dispute them: it has "
            f"no Compact Champion and no confirmed member with a confirmed email address.\n\n{lines}{more}\n\n{public}"
        )
        subject = f"Nobody can answer for {organisation} yet: records about it were imported"
        outbox.queue(administrators(compact), subject, body, about=f"import:{compact.pk}")
        return
    body = f"{imported} You can confirm or dispute each one:\n\n{lines}{more}\n\n{public}"
    outbox.queue(answerers.people, f"Records about {organisation} were imported", body, about=f"import:{compact.pk}")


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
