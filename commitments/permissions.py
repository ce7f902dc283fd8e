"""Who may record Compact working, answer a record and correct it: the one place for these rules. Views ask here
what to offer; services ask again before they change anything, and raise Refused with the reason in words."""

from django.db.models import Q
from django.utils import timezone

from compacts.models import Membership, MembershipStatus, Organisation, Signatory
from compacts.permissions import Refused, administered, administers, email_confirmed

__all__ = ["Refused"]


def _organisations_of(user):
    """The organisations this person is a confirmed member or Champion of."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, status=MembershipStatus.CONFIRMED).values_list(
            "organisation_id", flat=True
        )
    )


def recording_for(user, compact):
    """The signatory organisations of this Compact the person may record for (confirmed members and Champions,
    with a confirmed address), A to Z."""
    if not email_confirmed(user):
        return []
    signed = Signatory.objects.filter(compact=compact, organisation__in=_organisations_of(user))
    return list(Organisation.objects.filter(pk__in=signed.values("organisation_id")).order_by("name"))


def may_record(user, compact):
    return administers(user, compact) or bool(recording_for(user, compact))


def require_recorder(user, compact, organisation):
    """Check the person may record for `organisation` (None: as the Compact's administrator)."""
    if not email_confirmed(user):
        raise Refused("Confirm your email address before you record anything: follow the link we emailed you.")
    if organisation is None:
        if not administers(user, compact):
            raise Refused(f"Only the {compact.short_name} Compact's administrators can record without an organisation.")
        return
    if organisation not in recording_for(user, compact):
        raise Refused(
            f"Only members of organisations that signed the {compact.short_name} Compact can record its working.",
            field="recorded_for",
        )


def other_side(record):
    """The organisation asked to confirm or dispute the record: the one whose doing it tests, unless that is who
    recorded it, when it is the organisation funded or paid (if the portal knows it)."""
    if record.recorded_for_id != record.about_id:
        return record.about
    return record.counterpart


def may_respond(user, record):
    side = other_side(record)
    return side is not None and email_confirmed(user) and side.pk in _organisations_of(user)


def require_responder(user, record):
    side = other_side(record)
    if side is None:
        raise Refused("Nobody is asked to confirm this record.")
    if not may_respond(user, record):
        raise Refused(f"Only people of {side}, with a confirmed email address, can confirm or dispute this record.")


def may_correct(user, record):
    """Who recorded it, their organisation's members, and the Compact's administrators."""
    if not email_confirmed(user):
        return False
    if record.recorded_by_id == user.pk or administers(user, record.compact):
        return True
    return record.recorded_for_id is not None and record.recorded_for_id in _organisations_of(user)


def require_corrector(user, record):
    if not may_correct(user, record):
        raise Refused("Only who made this record, their organisation and the Compact's administrators can correct it.")


def is_public(record, today=None):
    return record.public_from <= (today or timezone.localdate())


def may_see(user, record):
    """Anyone, once it is public; before then, both sides and the Compact's administrators."""
    if is_public(record):
        return True
    if not user.is_authenticated:
        return False
    if record.recorded_by_id == user.pk or administers(user, record.compact):
        return True
    mine = _organisations_of(user)
    return bool(mine & {record.recorded_for_id, record.about_id, record.counterpart_id})


def visible(user, today, record="record__"):
    """The records this person may see, as a filter on checks (or, with `record=""`, on records): public ones, and
    for the people of either side and the Compact's administrators, theirs before they are public. A check keeps
    its record's public_from, so for visitors the filter needs no join."""
    public = Q(public_from__lte=today)
    if not user.is_authenticated:
        return public
    compacts = administered(user)
    if compacts is None:
        return Q()
    mine = _organisations_of(user)
    return (
        public
        | Q(**{f"{record}recorded_by": user.pk})
        | Q(**{f"{record}compact__in": compacts})
        | Q(**{f"{record}recorded_for__in": mine})
        | Q(**{f"{record}about__in": mine})
        | Q(**{f"{record}counterpart__in": mine})
    )
