"""Who may do what on the Compact side: the one place for its rules. Views ask here what to show; services ask
here again before they change anything, and raise Refused (compacts.exceptions) with the reason in words."""

from .exceptions import Refused
from .models import (
    CompactRole,
    CompactRoleKind,
    ConfirmedEmail,
    Membership,
    MembershipRole,
    MembershipStatus,
    Signatory,
    SignUp,
    SignUpStatus,
)


def is_site_admin(user):
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def administered(user):
    """Ids of the Compacts this person administers (every one, for a site administrator: None)."""
    if is_site_admin(user):
        return None
    if not user.is_authenticated:
        return set()
    return set(
        CompactRole.objects.filter(user=user, role=CompactRoleKind.ADMINISTRATOR).values_list("compact_id", flat=True)
    )


def is_administrator(user):
    """Whether the person administers the site or any Compact (they have the Manage area)."""
    return administered(user) != set()


def administers(user, compact):
    ids = administered(user)
    return ids is None or compact.pk in ids


def require_administrator(user, compact):
    if not administers(user, compact):
        raise Refused(f"Only the administrators of the {compact.short_name} Compact can do this.")


def email_confirmed(user):
    """Whether the address the person signs in with is one they confirmed."""
    if not user.is_authenticated or not user.email:
        return False
    confirmed = ConfirmedEmail.objects.filter(user=user).values_list("email", flat=True).first()
    return bool(confirmed) and confirmed.lower() == user.email.lower()


def require_confirmed_email(user, doing):
    if not email_confirmed(user):
        raise Refused(f"Confirm your email address before you {doing}: follow the link we emailed you.")


def membership_compacts(membership):
    """The Compacts whose administrators decide a request to join this organisation: those it has signed, in the
    portal or in print. A new organisation (registered in the portal, not yet confirmed) has signed none: the
    Compacts it has asked to sign decide for it. Asking to sign never gives a Compact a say over the people of an
    organisation that already exists."""
    organisation = membership.organisation
    signed = set(Signatory.objects.filter(organisation=organisation.pk).values_list("compact_id", flat=True))
    if organisation.confirmed:
        return signed
    asked = SignUp.objects.filter(organisation=organisation.pk, status=SignUpStatus.PENDING)
    return signed | set(asked.values_list("compact_id", flat=True))


def may_decide_membership(user, membership):
    ids = administered(user)
    return ids is None or bool(ids & membership_compacts(membership))


def is_member(user, organisation):
    """Whether the person is a confirmed member of the organisation."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation=organisation, role=MembershipRole.MEMBER, status=MembershipStatus.CONFIRMED
        ).exists()
    )


def may_act_for(user, organisation):
    """Who may act for an organisation (sign it up, give its details): its confirmed members; and, for a new
    organisation the person registered in the portal (not yet confirmed, so nobody else belongs to it), the person
    waiting to join it, whose request the Compact it asks to sign decides. Waiting to join an organisation that
    already exists gives no say over it."""
    if not user.is_authenticated:
        return False
    statuses = [MembershipStatus.CONFIRMED] + ([] if organisation.confirmed else [MembershipStatus.PENDING])
    return Membership.objects.filter(
        user=user, organisation=organisation, role=MembershipRole.MEMBER, status__in=statuses
    ).exists()


def may_withdraw(user, sign_up):
    return sign_up.status == SignUpStatus.CONFIRMED and (
        is_member(user, sign_up.organisation) or administers(user, sign_up.compact)
    )


WORK_PLAN_ROLES = (CompactRoleKind.CHAIR, CompactRoleKind.STEERING_GROUP)


def may_edit_work_plan(user, compact):
    """Its administrators, and its steering group (chair and members), keep a Compact's work plan."""
    return administers(user, compact) or (
        user.is_authenticated
        and CompactRole.objects.filter(user=user, compact=compact, role__in=WORK_PLAN_ROLES).exists()
    )


def require_work_plan_editor(user, compact):
    if not may_edit_work_plan(user, compact):
        raise Refused(f"Only the {compact.short_name} Compact's administrators and steering group keep its work plan.")
