"""Writes of the Compact side: one function per action. Each runs in a transaction, locks the row it decides,
checks who is asking (compacts.permissions) and that nobody decided it first, records the change for the
Compact's administrators (compacts.audit), says if what public pages show changed (cache.content_changed) and queues
its emails, sent after the transaction commits."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import audit, cache, notify
from .exceptions import Conflict, Refused
from .models import (
    ConfirmedEmail,
    IdentifierScheme,
    Invitation,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationSector,
    Signatory,
    SignatoryRole,
    SignUp,
    SignUpStatus,
    WorkPlanAction,
    WorkPlanStatus,
)
from .permissions import (
    is_member,
    may_act_for,
    may_decide_membership,
    may_withdraw,
    membership_compacts,
    require_administrator,
    require_confirmed_email,
)
from .text import long_moment

CONFIRM_SALT = "compacts.confirm-email"
CONFIRM_DAYS = 7

PORTAL_PLEDGE = (
    "On behalf of {organisation}, I pledge that we will uphold the shared principles of the {compact}, keep the "
    "commitments it makes of organisations like ours, and use its procedure to resolve any disagreement with "
    "its partners."
)
PORTAL_PLEDGE_SOURCE = "The portal's wording: the Compact's document prints no pledge of its own."


def _who(user):
    return user.get_full_name() or user.email if user else "an administrator"


def _membership_state(membership):
    return {
        "person": membership.user.email,
        "organisation": membership.organisation.name,
        "role": membership.get_role_display(),
        "status": membership.get_status_display(),
        **({"reason": membership.reason} if membership.reason else {}),
    }


def _already_decided(row, what):
    # row.decided_by is read here, after the lock, not joined into the locking query: when PostgreSQL re-reads a row
    # that another transaction changed while this one waited, the rows joined to it stay as they were before (here,
    # no decider at all). A test on two connections found this.
    when = f" on {long_moment(row.decided_at)}" if row.decided_at else ""
    return Conflict(f"This {what} was already {row.get_status_display().lower()} by {_who(row.decided_by)}{when}.")


# Accounts --------------------------------------------------------------------------------------------------------


@transaction.atomic
def account_register(*, email, password, first_name, last_name, organisation=None, new_name="", job_title=""):
    """Make an account and ask to join an organisation; its address is confirmed by an emailed link. Where the
    address has an account already, nothing is made and its owner is emailed instead: the person registering is
    told the same either way (check your email), so the form never says which addresses have accounts."""
    User = get_user_model()
    email = email.strip().lower()
    existing = User.objects.filter(username__iexact=email).first()
    if existing is not None:
        make_password(password)  # the same work as making an account, so the time taken says nothing either
        notify.account_exists(existing, timezone.localdate())
        return None
    user = User.objects.create_user(
        username=email, email=email, password=password, first_name=first_name, last_name=last_name
    )
    membership_request(user=user, organisation=organisation, new_name=new_name, job_title=job_title)
    return user


@transaction.atomic
def membership_request(*, user, organisation=None, new_name="", job_title=""):
    """Ask to join an organisation (or register a new one); an administrator confirms it."""
    if organisation is None:
        organisation = Organisation.objects.create(
            name=new_name, sector=OrganisationSector.VCS, kind=OrganisationKind.CHARITY, confirmed=False
        )
    membership = Membership.objects.create(user=user, organisation=organisation, job_title=job_title)
    cache.content_changed()
    email_confirmation_send(user=user)
    return membership


def confirmation_token(user):
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=CONFIRM_SALT, compress=True)


def email_confirmation_send(*, user):
    """Email the person a link that confirms their address (valid for a week)."""
    notify.confirm_email(user, confirmation_token(user))


@transaction.atomic
def email_confirm(*, token, user=None):
    """Confirm an address from the link's token (the person following it may not be signed in: the link itself
    shows they read that address's email); Refused if it is for someone other than `user`, where given, is for an
    address the account no longer has, or has expired. Returns the person whose address it confirmed."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 24 * 3600)
    except signing.SignatureExpired as error:
        raise Refused("That link has expired: ask for a new one below.") from error
    except signing.BadSignature as error:
        raise Refused("That link is not right: it may have been cut short. Ask for a new one below.") from error
    if not isinstance(data, dict) or (user is not None and data.get("user") != user.pk):
        raise Refused("That link was for another account or address: ask for a new one below.")
    owner = get_user_model().objects.filter(pk=data.get("user")).first()
    if owner is None or data.get("email") != owner.email.lower():
        raise Refused("That link was for another account or address: ask for a new one below.")
    ConfirmedEmail.objects.update_or_create(user=owner, defaults={"email": owner.email, "confirmed_at": timezone.now()})
    return owner


# Memberships -----------------------------------------------------------------------------------------------------


@transaction.atomic
def membership_decide(*, membership, by, confirm, reason=""):
    """An administrator confirms or refuses a request to join an organisation (and a new organisation with it)."""
    membership = (
        Membership.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(pk=membership.pk)
    )
    if membership.status != MembershipStatus.PENDING:
        raise _already_decided(membership, "request")
    if not may_decide_membership(by, membership):
        raise Refused(
            "Only the administrators of a Compact this organisation has signed, or asked to sign, can decide."
        )
    if confirm:
        require_confirmed_email(membership.user, "are confirmed as a member")
    elif not reason.strip():
        raise Refused("Say why the request is refused: the person will be told.")
    before, compact_ids = _membership_state(membership), sorted(membership_compacts(membership))
    membership.status = MembershipStatus.CONFIRMED if confirm else MembershipStatus.REFUSED
    membership.decided_at = timezone.now()
    membership.decided_by = by
    membership.reason = "" if confirm else reason.strip()
    membership.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    if confirm and not membership.organisation.confirmed:
        membership.organisation.confirmed = True
        membership.organisation.save(update_fields=["confirmed"])
    action = "Membership confirmed" if confirm else "Membership refused"
    subject = f"{membership.user.get_full_name() or membership.user.email}, {membership.organisation}"
    for compact_id in compact_ids:
        audit.record(compact_id, by, action, subject, before=before, after=_membership_state(membership))
    cache.content_changed()
    notify.membership_decided(membership)
    return membership


# Signing up ------------------------------------------------------------------------------------------------------


def pledge_for(compact, organisation_name):
    """The wording an organisation pledges, and where it comes from: the document's own where it prints one."""
    if compact.pledge:
        return compact.pledge, f"As printed in the {compact.title}."
    title = compact.title[4:] if compact.title.startswith("The ") else compact.title  # "of the Dorset Compact"
    return PORTAL_PLEDGE.format(organisation=organisation_name, compact=title), PORTAL_PLEDGE_SOURCE


@transaction.atomic
def sign_up_request(
    *, by, compact, organisation, sector, kind, identifier_scheme, identifier, signed_by_name, signed_by_role
):
    """A person of an organisation asks for it to sign a Compact, pledging its wording; its administrators decide."""
    require_confirmed_email(by, "sign an organisation up")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not may_act_for(by, organisation):
        raise Refused(
            f"Only confirmed members of {organisation} can sign it up: an administrator of a Compact it has signed "
            "confirms who belongs to it.",
            field="organisation",
        )
    if Signatory.objects.filter(compact=compact, organisation=organisation).exists():
        raise Refused(f"{organisation} has already signed the {compact.short_name} Compact.")
    if SignUp.objects.filter(compact=compact, organisation=organisation, status=SignUpStatus.PENDING).exists():
        raise Refused(f"{organisation} has already asked to sign the {compact.short_name} Compact.")
    changed = {}
    if not organisation.confirmed:
        changed.update(sector=sector, kind=kind)
    if identifier and not organisation.identifier:
        changed.update(identifier_scheme=identifier_scheme, identifier=identifier)
    if changed:
        clash = Organisation.objects.filter(identifier_scheme=identifier_scheme, identifier=identifier)
        if identifier and clash.exclude(pk=organisation.pk).exists():
            label = IdentifierScheme(identifier_scheme).label.lower()
            raise Refused(f"Another organisation has that {label}.", field="identifier")
        for name, value in changed.items():
            setattr(organisation, name, value)
        organisation.save(update_fields=list(changed))
        cache.content_changed()
    pledge, source = pledge_for(compact, organisation.name)
    sign_up = SignUp.objects.create(
        compact=compact,
        organisation=organisation,
        requested_by=by,
        signed_by_name=signed_by_name.strip(),
        signed_by_role=signed_by_role.strip(),
        pledge=pledge,
        pledge_source=source,
    )
    audit.record(
        compact,
        by,
        "Sign-up asked for",
        str(organisation),
        after={"organisation": organisation.name, "signed by": f"{sign_up.signed_by_name}, {sign_up.signed_by_role}"},
    )
    notify.sign_up_requested(sign_up)
    return sign_up


def _lock_sign_up(sign_up):
    return (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("compact", "organisation", "requested_by")
        .get(pk=sign_up.pk)
    )


@transaction.atomic
def sign_up_decide(*, sign_up, by, confirm, reason=""):
    """An administrator confirms a sign-up (the organisation then signs, and the person who asked, a confirmed
    member, becomes its contact) or declines it, saying why."""
    sign_up = _lock_sign_up(sign_up)
    if sign_up.status != SignUpStatus.PENDING:
        raise _already_decided(sign_up, "sign-up")
    require_administrator(by, sign_up.compact)
    if not confirm and not reason.strip():
        raise Refused("Say why the sign-up is declined: the organisation will be told.")
    organisation, today = sign_up.organisation, timezone.localdate()
    if confirm and not is_member(sign_up.requested_by, organisation):
        # Membership is its own decision (membership_decide), never a side effect of this one.
        raise Refused(
            f"{_who(sign_up.requested_by)}, who asked for it to sign, is not a confirmed member of {organisation}. "
            "Decide their request to join first (it is listed under requests to join), then the sign-up."
        )
    if confirm:
        if not organisation.confirmed:
            organisation.confirmed = True
            organisation.save(update_fields=["confirmed"])
        last = Signatory.objects.filter(compact=sign_up.compact).aggregate(last=Max("order"))["last"] or 0
        sign_up.signatory = Signatory.objects.create(
            compact=sign_up.compact,
            organisation=organisation,
            order=last + 1,
            role=SignatoryRole.SIGNED,
            printed_name=organisation.name,
            joined_on=today,
        )
        # Whoever signed it up is its contact in the portal: they answer for it where it has no Champion.
        Membership.objects.filter(
            user=sign_up.requested_by,
            organisation=organisation,
            role=MembershipRole.MEMBER,
            status=MembershipStatus.CONFIRMED,
        ).update(is_contact=True)
        cache.content_changed()
    sign_up.status = SignUpStatus.CONFIRMED if confirm else SignUpStatus.DECLINED
    sign_up.decided_at, sign_up.decided_by, sign_up.reason = timezone.now(), by, reason.strip()
    sign_up.save(update_fields=["status", "decided_at", "decided_by", "reason", "signatory"])
    audit.record(
        sign_up.compact,
        by,
        "Sign-up confirmed" if confirm else "Sign-up declined",
        str(organisation),
        before={"status": SignUpStatus.PENDING.label},
        after={"status": sign_up.get_status_display(), **({"reason": sign_up.reason} if sign_up.reason else {})},
    )
    notify.sign_up_decided(sign_up)
    return sign_up


@transaction.atomic
def sign_up_withdraw(*, sign_up, by, reason=""):
    """An organisation stops being a signatory it became in the portal (its people, or an administrator, say so).
    Its Champions for that Compact stand down with it; complaints already raised are untouched."""
    sign_up = _lock_sign_up(sign_up)
    if sign_up.status != SignUpStatus.CONFIRMED:
        raise Refused(f"This sign-up is {sign_up.get_status_display().lower()}, so there is nothing to withdraw.")
    if not may_withdraw(by, sign_up):
        raise Refused(f"Only people of {sign_up.organisation} or the Compact's administrators can withdraw it.")
    champions = Membership.objects.filter(
        organisation=sign_up.organisation, compact=sign_up.compact, role=MembershipRole.CHAMPION
    )
    stood_down = [membership.user.email for membership in champions.select_related("user")]
    champions.delete()
    if sign_up.signatory_id:
        Signatory.objects.filter(pk=sign_up.signatory_id).delete()
    cache.content_changed()
    sign_up.status, sign_up.withdrawn_at, sign_up.reason = SignUpStatus.WITHDRAWN, timezone.now(), reason.strip()
    sign_up.save(update_fields=["status", "withdrawn_at", "reason"])
    audit.record(
        sign_up.compact,
        by,
        "Sign-up withdrawn",
        str(sign_up.organisation),
        before={"status": SignUpStatus.CONFIRMED.label, **({"Champions": stood_down} if stood_down else {})},
        after={"status": SignUpStatus.WITHDRAWN.label, **({"reason": sign_up.reason} if sign_up.reason else {})},
    )
    notify.sign_up_withdrawn(sign_up, by)
    return sign_up


# Champions -------------------------------------------------------------------------------------------------------


@transaction.atomic
def champion_appoint(*, compact, organisation, user, by, public_contact=False):
    """An administrator names a confirmed member of a signatory organisation as its Compact Champion (in place of
    any Champion it had)."""
    require_administrator(by, compact)
    if not Signatory.objects.filter(compact=compact, organisation=organisation).exists():
        raise Refused(f"{organisation} has not signed the {compact.short_name} Compact.")
    if not is_member(user, organisation):
        raise Refused(f"{_who(user)} is not a confirmed member of {organisation}.")
    require_confirmed_email(user, "are named a Champion")
    current = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, compact=compact, role=MembershipRole.CHAMPION)
        .select_related("user")
    )
    if any(m.user_id == user.pk and m.public_contact == public_contact for m in current):
        raise Refused(f"{_who(user)} is already {organisation}'s Champion for this Compact.")
    before = {"Champion": ", ".join(m.user.email for m in current)} if current else {}
    Membership.objects.filter(pk__in=[m.pk for m in current]).delete()
    champion = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=MembershipRole.CHAMPION,
        compact=compact,
        status=MembershipStatus.CONFIRMED,
        decided_at=timezone.now(),
        decided_by=by,
        public_contact=public_contact,
    )
    audit.record(
        compact,
        by,
        "Champion appointed",
        str(organisation),
        before=before,
        after={"Champion": user.email, "contact details shown": "yes" if public_contact else "no"},
    )
    cache.content_changed()
    notify.champion_changed(champion, [m.user for m in current if m.user_id != user.pk])
    return champion


@transaction.atomic
def champion_remove(*, champion, by):
    """An administrator ends a Champion's role for their organisation in a Compact."""
    champion = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organisation", "compact")
        .filter(pk=champion.pk, role=MembershipRole.CHAMPION)
        .first()
    )
    if champion is None:
        raise Refused("That Champion has already been removed.")
    require_administrator(by, champion.compact)
    champion.delete()
    cache.content_changed()
    audit.record(
        champion.compact, by, "Champion removed", str(champion.organisation), before={"Champion": champion.user.email}
    )
    notify.champion_removed(champion)
    return champion


# Who answers for an organisation that has no Champion --------------------------------------------------------------

INVITATION_SALT = "compacts.invitation"
INVITATION_DAYS = 28


def _require_signatory(compact, organisation):
    if not Signatory.objects.filter(compact=compact, organisation=organisation).exists():
        raise Refused(f"{organisation} has not signed the {compact.short_name} Compact.")


@transaction.atomic
def contact_name(*, compact, membership, by):
    """An administrator names a confirmed member of a signatory organisation as its contact in the portal: they answer
    for it where it has no Compact Champion (compacts.selectors.who_answers_for)."""
    require_administrator(by, compact)
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .filter(pk=membership.pk, role=MembershipRole.MEMBER)
        .first()
    )
    if membership is None or membership.status != MembershipStatus.CONFIRMED:
        raise Refused("Only a confirmed member can be named its organisation's contact: confirm them first.")
    _require_signatory(compact, membership.organisation)
    if membership.is_contact:
        raise Refused(f"{_who(membership.user)} is already {membership.organisation}'s contact.")
    membership.is_contact = True
    membership.save(update_fields=["is_contact"])
    cache.content_changed()
    audit.record(compact, by, "Contact named", str(membership.organisation), after={"contact": membership.user.email})
    notify.contact_named(membership, compact)
    return membership


def invitation_token(invitation):
    return signing.dumps({"invitation": invitation.pk, "email": invitation.email.lower()}, salt=INVITATION_SALT)


@transaction.atomic
def invitation_send(*, compact, organisation, email, name="", by):
    """An administrator invites someone by email to answer for a signatory organisation that has nobody in the
    portal: the link lets them make an account, or sign in, and become its confirmed member and contact."""
    require_administrator(by, compact)
    _require_signatory(compact, organisation)
    email = email.strip().lower()
    if not email:
        raise Refused("Enter the email address to invite", field="email")
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, status=MembershipStatus.CONFIRMED
    ).exists():
        raise Refused(
            f"{email} is already a confirmed member of {organisation}: name them its contact instead", field="email"
        )
    invitation = Invitation.objects.create(
        compact=compact, organisation=organisation, email=email, name=name.strip(), invited_by=by
    )
    audit.record(compact, by, "Contact invited", str(organisation), after={"email": email})
    notify.invited(invitation, invitation_token(invitation))
    return invitation


def invitation_for(token):
    """The invitation a link's token names; Refused if the link is not right, has expired or was used."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.SignatureExpired as error:
        raise Refused("That invitation has expired: ask the Compact's administrators for a new one.") from error
    except signing.BadSignature as error:
        raise Refused("That link is not right: it may have been cut short. Copy the whole link from the email.") from (
            error
        )
    invitation = (
        Invitation.objects.select_related("compact", "organisation", "invited_by")
        .filter(pk=data.get("invitation"), email=data.get("email"))
        .first()
    )
    if invitation is None:
        raise Refused("That invitation is not known: ask the Compact's administrators for a new one.")
    if invitation.accepted_at:
        raise Refused(f"That invitation has been used: sign in to answer for {invitation.organisation}.")
    return invitation


@transaction.atomic
def invitation_accept(*, token, user):
    """The invited person, signed in as the address invited, becomes a confirmed member and contact of the
    organisation (the administrator who invited them decided it); following the link confirms their address."""
    invitation = invitation_for(token)
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if invitation.accepted_at:
        raise Refused(f"That invitation has been used: sign in to answer for {invitation.organisation}.")
    if user.email.lower() != invitation.email:
        raise Refused(f"That invitation is for {invitation.email}: sign in with that address to accept it.")
    now = timezone.now()
    ConfirmedEmail.objects.update_or_create(user=user, defaults={"email": user.email, "confirmed_at": now})
    membership, _ = Membership.objects.update_or_create(
        user=user,
        organisation=invitation.organisation,
        role=MembershipRole.MEMBER,
        compact=None,
        defaults={
            "status": MembershipStatus.CONFIRMED,
            "is_contact": True,
            "decided_at": now,
            "decided_by": invitation.invited_by,
            "reason": "",
        },
    )
    cache.content_changed()
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        invitation.compact,
        user,
        "Invitation accepted",
        str(invitation.organisation),
        after={"contact": user.email, "invited by": invitation.invited_by.email},
    )
    notify.invitation_accepted(invitation)
    return membership


@transaction.atomic
def invitation_register(*, token, first_name, last_name, password):
    """Someone invited who has no account makes one with the invited address and accepts the invitation: both, or
    neither (an invitation refused makes no account)."""
    invitation = invitation_for(token)
    user = get_user_model().objects.create_user(
        username=invitation.email,
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    invitation_accept(token=token, user=user)
    return user


# Work plans --------------------------------------------------------------------------------------------------------


def work_plan_remind(today):
    """Email each open work-plan action that is overdue, once for each date it was due by (to whoever it names to
    remind, else the Compact's administrators). Returns how many actions were reminded of."""
    reminded = 0
    overdue = WorkPlanAction.objects.filter(
        due_on__lt=today, status__in=[WorkPlanStatus.PLANNED, WorkPlanStatus.IN_PROGRESS]
    ).select_related("compact", "owner")
    for action in overdue.iterator():
        with transaction.atomic():
            reminded += bool(notify.work_plan_overdue(action))
    return reminded
