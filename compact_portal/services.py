"""Writes that need more than one app: one function per action, as in each app's services."""

from django.db import transaction
from django.utils import timezone

from compacts.models import ChangeRecord, WorkPlanAction
from compacts.permissions import Refused, require_work_plan_editor


def _state(action):
    return {
        "year": action.year,
        "what": action.title,
        "lead": action.lead,
        "due by": f"{action.due_on:%-d %B %Y}",
        "status": action.get_status_display(),
        **({"notes": action.notes} if action.notes else {}),
        **({"remind": action.owner.email} if action.owner else {}),
        "themes": ", ".join(sorted(theme.name for theme in action.themes.all())),
        "commitments": ", ".join(sorted(c.number or c.ref for c in action.commitments.all())),
    }


@transaction.atomic
def work_plan_action_save(*, compact, by, action=None, version=None, themes=(), commitments=(), **fields):
    """Add an action to a Compact's work plan, or change one (refused if someone changed it since `version`)."""
    require_work_plan_editor(by, compact)
    if any(commitment.compact_id != compact.pk for commitment in commitments):
        raise Refused(f"Choose commitments of the {compact.short_name} Compact.")
    before = {}
    if action is None:
        action = WorkPlanAction(compact=compact)
    else:
        action = WorkPlanAction.objects.select_for_update().select_related("owner").get(pk=action.pk, compact=compact)
        if version != action.version:
            raise Refused(
                f"Someone changed this action while you were working on it (it now reads “{action.title}”, "
                f"{action.get_status_display().lower()}). Nothing was saved: check it, then save again."
            )
        before = _state(action)
        action.version += 1
    for name, value in fields.items():
        setattr(action, name, value)
    action.updated_at = timezone.now()
    action.full_clean(exclude=["compact", "owner"])
    action.save()
    action.themes.set(themes)
    action.commitments.set(commitments)
    ChangeRecord.objects.create(
        compact=compact,
        by=by,
        action="Work-plan action changed" if before else "Work-plan action added",
        subject=f"{action.year}: {action.title}",
        before=before,
        after=_state(action),
    )
    return action
