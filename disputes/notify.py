"""Emails about complaints, written to the portal's outbox (compacts.outbox) in the same transaction as the
change they report and sent after it commits: a mail server that is down can never lose a complaint."""

from django.conf import settings

from compacts import outbox
from compacts.models import Membership, MembershipRole, MembershipStatus


def _champions(organisation_id, compact_id):
    return Membership.objects.filter(
        organisation_id=organisation_id,
        compact_id=compact_id,
        role=MembershipRole.CHAMPION,
        status=MembershipStatus.CONFIRMED,
    ).select_related("user")


def parties(complaint):
    """Everyone on either side: who raised it, both organisations' Champions and the named officers."""
    people = {complaint.raised_by.email: complaint.raised_by}
    for organisation in (complaint.complainant_id, complaint.respondent_id):
        for membership in _champions(organisation, complaint.compact_id):
            people.setdefault(membership.user.email, membership.user)
    for officer in complaint.officers.all():
        people.setdefault(officer.email, officer)
    return [user for email, user in people.items() if email]


def _link(complaint):
    return f"{settings.SITE_URL}{complaint.get_absolute_url()}"


def queue(complaint, recipients, subject, body, dedupe=None):
    """Write one email per recipient now; send them after the transaction commits."""
    return outbox.queue(recipients, subject, body, about=f"complaint:{complaint.pk}", dedupe=dedupe)


def submitted(complaint, event):
    """Tell both sides a complaint was raised."""
    body = (
        f"Complaint {complaint.reference} about {complaint.respondent} has been raised under the "
        f"{complaint.compact.title} by {complaint.complainant}.\n\n"
        f"{complaint.summary}\n\n"
        f"It is at {complaint.current_stage.name}"
        + (f", due by {complaint.stage_due_on:%-d %B %Y}" if complaint.stage_due_on else "")
        + f".\n\nSee it here: {_link(complaint)}\n"
    )
    queue(complaint, parties(complaint), f"{complaint.reference}: complaint raised", body)


def recipients(complaint, actor):
    """Everyone told when `actor` does something to the complaint: both sides and any panel, less the actor."""
    people = [user for user in parties(complaint) + panel_people(complaint) if user.pk != actor.pk]
    return list({user.email: user for user in people}.values())


def changed(complaint, event):
    """Tell everyone involved, except whoever acted, what just happened."""
    unique = recipients(complaint, event.by)
    who = " ".join(filter(None, [event.by.get_full_name() or event.by.email, event.acted_for]))
    body = "\n\n".join(
        filter(
            None,
            [
                f"{event.get_kind_display()} on complaint {complaint.reference} ({complaint.compact.short_name}), "
                f"by {who}.",
                *event.details(),
                event.text,
                f"See it here: {_link(complaint)}\n",
            ],
        )
    )
    queue(complaint, unique, f"{complaint.reference}: {event.get_kind_display().lower()}", body)


def panel_people(complaint):
    """The chair and members of every panel convened for the complaint."""
    people = []
    for panel in complaint.panels.select_related("chair").prefetch_related("members"):
        people += [panel.chair, *panel.members.all()]
    return people


def reminder(complaint, recipients, *, overdue):
    """Remind whoever handles the current stage, once per stage and kind of reminder."""
    when = "is overdue" if overdue else f"is due on {complaint.stage_due_on:%-d %B %Y}"
    body = (
        f"Complaint {complaint.reference} ({complaint.compact.short_name}) {when}: "
        f"{complaint.current_stage.name}.\n\nSee it here: {_link(complaint)}\n"
    )
    kind = "overdue" if overdue else "due-soon"
    return queue(
        complaint,
        recipients,
        f"{complaint.reference}: {'overdue' if overdue else 'due soon'}",
        body,
        dedupe=f"{kind}:{complaint.pk}:{complaint.current_stage_id}:{complaint.stage_due_on}",
    )
