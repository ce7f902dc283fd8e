"""Who a person is on a complaint (their roles), and which complaints they may see.

A complaint is visible only to: members of the complaining organisation; the
Champion of the organisation complained about and the officers it names; the
people handling the current or an earlier stage (Champions of the parties,
the Compact's critical friends or chair once the complaint has reached their
stage, the panel); and the Compact's administrators. Everyone else gets 404.
"""

from dataclasses import dataclass

from django.db.models import Q

from compacts.models import CompactRole, CompactRoleKind, Membership, MembershipRole, MembershipStatus

from .models import Complaint, ComplaintEvent, Panel, StageClock
from .workflow import PANELS, Role


@dataclass(frozen=True)
class Person:
    """What a signed-in person is, across all complaints: read once per request."""

    user: object
    member_of: frozenset  # organisation ids
    champion_of: frozenset  # (organisation id, compact id)
    chair_of: frozenset  # compact ids
    critical_friend_of: frozenset
    administrator_of: frozenset


def person(user):
    """The organisations and Compact roles of a signed-in person (two queries)."""
    memberships = list(
        Membership.objects.filter(user=user, status=MembershipStatus.CONFIRMED).values_list(
            "organisation_id", "role", "compact_id"
        )
    )
    roles = list(CompactRole.objects.filter(user=user).values_list("compact_id", "role"))
    return Person(
        user=user,
        member_of=frozenset(org for org, _, _ in memberships),
        champion_of=frozenset((org, compact) for org, role, compact in memberships if role == MembershipRole.CHAMPION),
        chair_of=frozenset(c for c, r in roles if r == CompactRoleKind.CHAIR),
        critical_friend_of=frozenset(c for c, r in roles if r == CompactRoleKind.CRITICAL_FRIEND),
        administrator_of=frozenset(c for c, r in roles if r == CompactRoleKind.ADMINISTRATOR),
    )


def roles_for(who: Person, complaint, *, officers, panel_people, acted_at_stages, reached_handlers):
    """A person's roles on one complaint, from facts loaded with it (see selectors.complaint_detail).

    `officers`: ids of the named officers; `panel_people`: ids of the chair
    and members of the panel at the current stage; `acted_at_stages`: stage
    ids at which this person did something; `reached_handlers`: the handlers
    of every stage the complaint has reached.
    """
    user_id = who.user.pk
    roles = set()
    if complaint.raised_by_id == user_id:
        roles.add(Role.AUTHOR)
    if complaint.complainant_id in who.member_of:
        roles.add(Role.COMPLAINANT)
    if (complaint.complainant_id, complaint.compact_id) in who.champion_of:
        roles.add(Role.COMPLAINANT_CHAMPION)
    if complaint.status == "draft":
        return roles
    if (complaint.respondent_id, complaint.compact_id) in who.champion_of:
        roles.add(Role.RESPONDENT_CHAMPION)
    if user_id in officers:
        roles.add(Role.OFFICER)
    if complaint.compact_id in who.administrator_of:
        roles.add(Role.ADMINISTRATOR)
    if complaint.compact_id in who.chair_of and reached_handlers & PANELS:
        roles.add(Role.CHAIR)
    if complaint.compact_id in who.critical_friend_of and "critical_friend" in reached_handlers:
        roles.add(Role.CRITICAL_FRIEND)
    if user_id in panel_people:
        roles.add(Role.PANEL)
    if acted_at_stages - {complaint.current_stage_id}:
        roles.add(Role.PAST_HANDLER)
    return roles


def visible_complaints(who: Person):
    """Every complaint this person may see (submitted ones; drafts only to their own organisation).

    Each rule is its own small query that an index answers; their union is
    the set of visible complaints, so a queue costs the same whether there are
    fifty complaints or fifty thousand.
    """
    user = who.user
    ids = Complaint.objects.values("pk")
    submitted = ids.exclude(status="draft")
    clocks = StageClock.objects.values("complaint_id").exclude(complaint__status="draft")
    rules = [
        ids.filter(complainant_id__in=who.member_of),
        ids.filter(raised_by=user),
        submitted.filter(compact_id__in=who.administrator_of),
        Complaint.officers.through.objects.filter(user=user).values("complaint_id"),
        clocks.filter(complaint__compact__in=who.chair_of, stage__handler__in=PANELS),
        clocks.filter(complaint__compact__in=who.critical_friend_of, stage__handler="critical_friend"),
        Panel.objects.filter(Q(chair=user) | Q(members=user)).values("complaint_id"),
        ComplaintEvent.objects.filter(by=user).values("complaint_id"),
    ]
    for organisation, compact in who.champion_of:
        rules.append(submitted.filter(compact_id=compact, respondent_id=organisation))
        rules.append(submitted.filter(compact_id=compact, complainant_id=organisation))
    rules = [rule.order_by() for rule in rules]  # no ORDER BY inside a UNION
    visible = rules[0].union(*rules[1:])
    return Complaint.objects.filter(pk__in=visible)
