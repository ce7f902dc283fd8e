"""Writes of the Compact side: one function per action, each in a transaction that locks what it changes."""

from django.db import transaction
from django.utils import timezone

from .models import MembershipStatus


@transaction.atomic
def membership_decide(*, membership, by, confirm):
    """An administrator confirms or refuses a request to join (and a new organisation with it)."""
    membership.status = MembershipStatus.CONFIRMED if confirm else MembershipStatus.REFUSED
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_at"])
    if confirm and not membership.organisation.confirmed:
        membership.organisation.confirmed = True
        membership.organisation.save(update_fields=["confirmed"])
    return membership
