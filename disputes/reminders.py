"""The daily reminders: the people handling each open stage two working days before it falls due and on the day
it is overdue (once each), and overdue work-plan actions (once for each date they were due by). Run by
`manage.py send_reminders` and by the worker's daily task (disputes.tasks.send_reminders)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from compacts import deadlines
from compacts import services as compact_services
from compacts.models import CompactRole, CompactRoleKind
from disputes import notify
from disputes.models import Complaint, StageClock, Status
from disputes.permissions import person
from disputes.selectors import unanswered as unanswered_complaints
from disputes.selectors import view_for
from disputes.workflow import handlers

REMIND_BEFORE = 2  # working days


@dataclass
class Reminded:
    due_soon: int
    overdue: int
    work_plan: int
    unanswered: int = 0


def send_due(*, today):
    """Write today's reminders to the outbox, each in the transaction that marks it sent; how many of each."""
    due_soon = overdue = 0
    clocks = StageClock.objects.filter(
        ended_at__isnull=True, due_on__isnull=False, complaint__status=Status.OPEN
    ).select_related("complaint")
    for clock in clocks.iterator():
        remind_before = not clock.reminded_before and 0 < deadlines.working_days_between(today, clock.due_on) <= (
            REMIND_BEFORE
        )
        remind_overdue = not clock.reminded_overdue and clock.due_on < today
        if not (remind_before or remind_overdue):
            continue
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().get(pk=clock.complaint_id)
            recipients = stage_handlers(complaint, today)
            notify.reminder(complaint, recipients, overdue=remind_overdue)
            StageClock.objects.filter(pk=clock.pk).update(
                reminded_before=clock.reminded_before or remind_before or remind_overdue,
                reminded_overdue=clock.reminded_overdue or remind_overdue,
            )
        overdue += remind_overdue
        due_soon += remind_before and not remind_overdue
    work_plan = compact_services.work_plan_remind(today)
    # Complaints nobody in the portal can answer for yet: their Compact's administrators, once a day each.
    unanswered = 0
    for complaint in unanswered_complaints(Complaint.objects.select_related("compact", "respondent")).iterator():
        with transaction.atomic():
            unanswered += bool(notify.unanswered(complaint, dedupe=f"unanswered:{complaint.pk}:{today.isoformat()}"))
    return Reminded(due_soon=due_soon, overdue=overdue, work_plan=work_plan, unanswered=unanswered)


def stage_handlers(complaint, today):
    """Everyone who handles the complaint's current stage (or, if nobody does yet, its administrators)."""
    candidates = {user.pk: user for user in notify.parties(complaint) + notify.panel_people(complaint)}
    for role in CompactRole.objects.filter(compact=complaint.compact_id).select_related("user"):
        candidates.setdefault(role.user.pk, role.user)
    people = []
    for user in get_user_model().objects.filter(pk__in=candidates):
        view = view_for(person(user), complaint, today)
        if handlers(view.state, view.roles):
            people.append(user)
    administrators = CompactRole.objects.filter(compact=complaint.compact_id, role=CompactRoleKind.ADMINISTRATOR)
    return people or [role.user for role in administrators.select_related("user")]
