"""The Compact's audit log: every change made in the manage area, by a service of any app, is one ChangeRecord
written here, for the Compact's administrators to read (compacts.selectors.change_log)."""

from .models import ChangeRecord


def record(compact, by, action, subject, before=None, after=None):
    """Add a row to the log of `compact` (a Compact, or its id): `by` did `action` ("Sign-up confirmed") to `subject`
    (what it was done to, in words), which stood as `before` and stands as `after` (field names to values, in words;
    empty where there was nothing before, or is nothing after)."""
    compact_id = compact if isinstance(compact, int) else compact.pk
    return ChangeRecord.objects.create(
        compact_id=compact_id, by=by, action=action, subject=subject, before=before or {}, after=after or {}
    )
