"""Emails about complaints, written to the portal's outbox (compacts.outbox) in the same transaction as the
change they report and sent after it commits: a mail server that is down can never lose a complaint."""

from django.conf import settings

from compacts import outbox
from compacts.selectors import administrators_of, who_answers_for
from compacts.text import long_date


def parties(complaint):
    """Everyone on either side: who raised it, whoever answers for each organisation (its Champions, else its
    contacts named in the portal: compacts.selectors.who_answers_for) and the named officers."""
    people = {complaint.raised_by.email: complaint.raised_by}
    answerers = who_answers_for(complaint.compact_id, [complaint.complainant_id, complaint.respondent_id])
    for side in answerers.values():
        for user in side.people:
            people.setdefault(user.email, user)
    for officer in complaint.officers.all():
        people.setdefault(officer.email, officer)
    return [user for email, user in people.items() if email]


def nobody_answers(complaint):
    """Whether nobody in the portal can answer for the organisation complained about yet."""
    return who_answers_for(complaint.compact_id, [complaint.respondent_id])[complaint.respondent_id].nobody


def _link(complaint):
    return f"{settings.SITE_URL}{complaint.get_absolute_url()}"


def queue(complaint, recipients, subject, body, dedupe=None):
    """Write one email per recipient now; send them after the transaction commits."""
    return outbox.queue(recipients, subject, body, about=f"complaint:{complaint.pk}", dedupe=dedupe)


def _about(complaint):
    """How an email names the complaint: its reference with who it is about, never the reference alone."""
    return f"Complaint {complaint.reference} about {complaint.respondent}"


def _stage(complaint):
    """Where the complaint is in its Compact's procedure, as a sentence."""
    stage = complaint.current_stage
    due = f" An answer is due by {long_date(complaint.stage_due_on)}." if complaint.stage_due_on else ""
    return f"It is at stage {stage.order} of the {complaint.compact.short_name} procedure: “{stage.name}”.{due}"


def submitted(complaint, event):
    """Tell both sides a complaint was raised."""
    body = (
        f"{_about(complaint)} has been raised under the {complaint.compact.title} by {complaint.complainant}.\n\n"
        f"{complaint.summary}\n\n{_stage(complaint)}\n\nSee it here: {_link(complaint)}\n"
    )
    queue(complaint, parties(complaint), f"{_about(complaint)}: raised", body)
    if nobody_answers(complaint):
        unanswered(complaint)


def unanswered(complaint, dedupe=None):
    """Tell the Compact's administrators that nobody in the portal can answer for the organisation complained about,
    so that they name someone: a member made its contact, or its contact invited by email."""
    body = (
        f"Complaint {complaint.reference} about {complaint.respondent} was raised under the {complaint.compact.title} "
        f"by {complaint.complainant}, and nobody in the portal can answer for {complaint.respondent} yet: it has no "
        "Compact Champion and no contact named in the portal.\n\n"
        f"Name who answers for it, by making one of its members its contact or by inviting its contact by email, "
        f"from the complaint's page: {_link(complaint)}\n"
    )
    subject = f"{_about(complaint)}: nobody can answer for it yet"
    return queue(complaint, administrators_of(complaint.compact_id), subject, body, dedupe=dedupe)


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
                f"{_about(complaint)}, under the {complaint.compact.title}: "
                f"{event.get_kind_display()[:1].lower()}{event.get_kind_display()[1:]} by {who}.",
                *event.details(),
                event.text,
                f"See it here: {_link(complaint)}\n",
            ],
        )
    )
    queue(complaint, unique, f"{_about(complaint)}: {event.get_kind_display().lower()}", body)


def panel_people(complaint):
    """The chair and members of every panel convened for the complaint."""
    people = []
    for panel in complaint.panels.select_related("chair").prefetch_related("members"):
        people += [panel.chair, *panel.members.all()]
    return people


def reminder(complaint, recipients, *, overdue):
    """Remind whoever handles the current stage, once per stage and kind of reminder."""
    when = "is overdue" if overdue else f"is due on {long_date(complaint.stage_due_on)}"
    stage = complaint.current_stage
    body = (
        f"{_about(complaint)} {when} at stage {stage.order} of the {complaint.compact.short_name} procedure: "
        f"“{stage.name}”.\n\nSee it here: {_link(complaint)}\n"
    )
    kind = "overdue" if overdue else "due-soon"
    return queue(
        complaint,
        recipients,
        f"{_about(complaint)}: {'overdue' if overdue else 'due soon'}",
        body,
        dedupe=f"{kind}:{complaint.pk}:{complaint.current_stage_id}:{complaint.stage_due_on}",
    )
