"""Emails about running a Compact: addresses to confirm, memberships, sign-ups and Champions. Each is written to the
outbox in the transaction that makes the change and sent after it commits."""

from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse

from . import outbox
from .models import Membership, MembershipRole, MembershipStatus, SignUpStatus
from .selectors import administrators_of
from .text import long_date


def _link(path):
    return f"{settings.SITE_URL}{path}"


def administrators(compact):
    """Who runs the Compact: its administrators, or the site's administrators where it has none yet."""
    return administrators_of(getattr(compact, "pk", compact))


def members(organisation):
    confirmed = Membership.objects.filter(
        organisation=organisation, role=MembershipRole.MEMBER, status=MembershipStatus.CONFIRMED
    ).select_related("user")
    return list({m.user.pk: m.user for m in confirmed}.values())


def confirm_email(user, token):
    path = reverse("compacts:confirm_email", args=[token])
    body = (
        f"Confirm that this is your email address for the Compact Portal by following this link:\n\n{_link(path)}\n\n"
        "The link works for 7 days. If you did not make an account, you can ignore this email.\n"
    )
    outbox.queue([user], "Confirm your email address", body, about=f"account:{user.pk}")


def account_exists(user, today):
    """Someone tried to make an account with an address that has one: tell its owner, at most once a day."""
    body = (
        "Someone, perhaps you, tried to make a new Compact Portal account with this email address. It already has "
        f"an account.\n\nTo sign in: {_link(reverse('login'))}\n"
        f"If you have forgotten your password: {_link(reverse('password_reset'))}\n\n"
        "If it was not you, you can ignore this email: nothing has changed.\n"
    )
    outbox.queue(
        [user], "You already have an account", body, about=f"account:{user.pk}", dedupe=f"account-exists:{today}"
    )


def membership_decided(membership):
    if membership.status == MembershipStatus.CONFIRMED:
        subject = f"You are confirmed as a member of {membership.organisation}"
        body = f"An administrator confirmed you as a member of {membership.organisation} on the Compact Portal.\n"
    else:
        subject = f"Your request to join {membership.organisation} was refused"
        body = (
            f"An administrator refused your request to join {membership.organisation} on the Compact Portal.\n\n"
            f"Their reason: {membership.reason}\n"
        )
    outbox.queue(
        [membership.user], subject, body + f"\n{_link(reverse('compacts:account'))}\n", about=_about(membership)
    )


def sign_up_requested(sign_up):
    path = reverse("compacts:decide_sign_up", args=[sign_up.compact.slug, sign_up.pk])
    body = (
        f"{sign_up.signed_by_name} ({sign_up.signed_by_role}) asked for {sign_up.organisation} to sign the "
        f"{sign_up.compact.title}.\n\nConfirm or decline it here: {_link(path)}\n"
    )
    subject = f"{sign_up.compact.short_name}: {sign_up.organisation} asks to sign up"
    outbox.queue(administrators(sign_up.compact), subject, body, about=f"sign-up:{sign_up.pk}")


def sign_up_decided(sign_up):
    compact, organisation = sign_up.compact, sign_up.organisation
    if sign_up.status == SignUpStatus.CONFIRMED:
        subject = f"{organisation} has signed the {compact.short_name} Compact"
        body = (
            f"An administrator confirmed {organisation}'s sign-up to the {compact.title}. It is listed on the "
            f"Compact's page as signed up in the portal.\n\n{_link(compact.get_absolute_url())}\n"
        )
    else:
        subject = f"{organisation}'s sign-up to the {compact.short_name} Compact was declined"
        body = (
            f"An administrator declined {organisation}'s sign-up to the {compact.title}.\n\n"
            f"Their reason: {sign_up.reason}\n"
        )
    people = {user.pk: user for user in [sign_up.requested_by, *members(organisation)]}
    outbox.queue(list(people.values()), subject, body, about=f"sign-up:{sign_up.pk}")


def sign_up_withdrawn(sign_up, by):
    compact, organisation = sign_up.compact, sign_up.organisation
    body = f"{organisation} no longer signs the {compact.title}: {by.get_full_name() or by.email} withdrew it.\n"
    if sign_up.reason:
        body += f"\nThe reason given: {sign_up.reason}\n"
    people = {user.pk: user for user in [*administrators(compact), *members(organisation)] if user.pk != by.pk}
    subject = f"{compact.short_name}: {organisation} has withdrawn"
    outbox.queue(list(people.values()), subject, body, about=f"sign-up:{sign_up.pk}")


def champion_changed(champion, replaced):
    compact, organisation = champion.compact, champion.organisation
    body = (
        f"You are now {organisation}'s Compact Champion for the {compact.title}. You will see and handle the "
        f"complaints that involve {organisation} under it.\n\n{_link(reverse('disputes:list'))}\n"
    )
    outbox.queue(
        [champion.user], f"You are {organisation}'s Champion for {compact.short_name}", body, about=_about(champion)
    )
    if replaced:
        name = champion.user.get_full_name() or champion.user.email
        body = f"{name} is now {organisation}'s Compact Champion for the {compact.title}, in your place.\n"
        outbox.queue(replaced, f"{compact.short_name}: {organisation} has a new Champion", body, about=_about(champion))


def champion_removed(champion):
    compact, organisation = champion.compact, champion.organisation
    body = f"You are no longer {organisation}'s Compact Champion for the {compact.title}.\n"
    outbox.queue([champion.user], f"{compact.short_name}: you are no longer a Champion", body, about=_about(champion))


def work_plan_overdue(action):
    """Remind of an overdue work-plan action, once for the date it was due by; the ids of the emails written."""
    path = reverse("commitments:manage_work_plan", args=[action.compact.slug])
    body = (
        f"This action of the {action.compact.title} work plan for {action.year} was due by "
        f"{long_date(action.due_on)} and is {action.get_status_display().lower()}:\n\n{action.title}\n"
        f"Led by: {action.lead}\n\nUpdate it here: {_link(path)}\n"
    )
    people = [action.owner] if action.owner and action.owner.is_active else administrators(action.compact)
    return outbox.queue(
        people,
        f"{action.compact.short_name} work plan: overdue",
        body,
        about=f"work-plan:{action.pk}",
        dedupe=f"work-plan-overdue:{action.pk}:{action.due_on}",
    )


def _about(membership):
    return f"membership:{membership.pk}"


def contact_named(membership, compact):
    body = (
        f"An administrator of the {compact.title} named you {membership.organisation}'s contact on the Compact "
        f"Portal. Where {membership.organisation} has no Compact Champion, you answer for it: you will be told of "
        f"complaints about it and can answer them.\n\n{_link(reverse('compacts:account'))}\n"
    )
    outbox.queue([membership.user], f"You answer for {membership.organisation}", body, about=_about(membership))


def invited(invitation, token):
    path = reverse("compacts:invitation", args=[token])
    who = invitation.invited_by.get_full_name() or invitation.invited_by.email
    body = (
        f"{who}, an administrator of the {invitation.compact.title}, asks you to answer for "
        f"{invitation.organisation} on the Compact Portal, where something needs an answer from it.\n\n"
        f"Follow this link to make an account with this address (or to sign in, if you have one):\n\n"
        f"{_link(path)}\n\nThe link works for 28 days. If this is not for you, you can ignore this email.\n"
    )
    outbox.queue(
        [SimpleNamespace(email=invitation.email)],  # nobody has an account with the address yet
        f"Answer for {invitation.organisation} on the Compact Portal",
        body,
        about=f"invitation:{invitation.pk}",
    )


def invitation_accepted(invitation):
    body = (
        f"{invitation.email} accepted the invitation to answer for {invitation.organisation}, and is now its "
        "confirmed member and contact.\n"
    )
    outbox.queue(
        administrators(invitation.compact),
        f"{invitation.compact.short_name}: {invitation.organisation} has a contact",
        body,
        about=f"invitation:{invitation.pk}",
    )
