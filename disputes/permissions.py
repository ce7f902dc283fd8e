"""Who a person is on a complaint (their roles), and which complaints they may see.

A complaint is visible only to: members of the complaining organisation; the
Champion of the organisation complained about, its contacts named in the portal
(who answer for it where it has no Champion) and the officers they name; the
people handling the current or an earlier stage (Champions of the parties,
the Compact's critical friends or chair once the complaint has reached their
stage, the panel); and the Compact's administrators. Everyone else gets 404.
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import BooleanField, IntegerField, Q, Value
from django.db.models.expressions import RawSQL

from compacts.models import CompactRole, CompactRoleKind, Membership, MembershipRole, MembershipStatus
from compacts.permissions import is_site_admin

from .models import Complaint, ComplaintEvent, Handler, Panel, Stage, StageClock, Status
from .workflow import HANDLING, PANELS, Role

SUBMITTED = frozenset({Status.OPEN, Status.CLOSED})  # every complaint but a draft
DRAFT = Status.DRAFT


@dataclass(frozen=True)
class Person:
    """What a signed-in person is, across all complaints: read once per request."""

    user: object
    member_of: frozenset  # organisation ids
    champion_of: frozenset  # (organisation id, compact id)
    contact_of: frozenset  # organisation ids it is a named contact of (Membership.is_contact)
    chair_of: frozenset  # compact ids
    critical_friend_of: frozenset
    administrator_of: frozenset

    @property
    def manages(self):
        """Whether the manage area is theirs (compacts.permissions.administered is not empty), from what is read."""
        return is_site_admin(self.user) or bool(self.administrator_of)


def person(user):
    """The organisations and Compact roles of a signed-in person (one query)."""
    memberships = Membership.objects.filter(user=user, status=MembershipStatus.CONFIRMED).values_list(
        "organisation_id", "role", "compact_id", "is_contact"
    )
    # A Compact role has no organisation: the same columns, with none.
    compact_roles = CompactRole.objects.filter(user=user).annotate(
        none=Value(None, IntegerField()), no=Value(False, BooleanField())
    )
    rows = list(
        memberships.order_by().union(compact_roles.values_list("none", "role", "compact_id", "no").order_by(), all=True)
    )
    roles = [(compact, role) for org, role, compact, _ in rows if org is None]
    memberships = [row for row in rows if row[0] is not None]
    return Person(
        user=user,
        member_of=frozenset(org for org, _, _, _ in memberships),
        champion_of=frozenset(
            (org, compact) for org, role, compact, _ in memberships if role == MembershipRole.CHAMPION
        ),
        contact_of=frozenset(org for org, role, _, contact in memberships if contact),
        chair_of=frozenset(c for c, r in roles if r == CompactRoleKind.CHAIR),
        critical_friend_of=frozenset(c for c, r in roles if r == CompactRoleKind.CRITICAL_FRIEND),
        administrator_of=frozenset(c for c, r in roles if r == CompactRoleKind.ADMINISTRATOR),
    )


def roles_for(
    who: Person, complaint, *, officers, panel_people, acted_at_stages, reached_handlers, respondent_has_champion
):
    """A person's roles on one complaint, from facts loaded with it (see selectors.complaint_detail).

    `officers`: ids of the named officers; `panel_people`: ids of the chair
    and members of the panel at the current stage; `acted_at_stages`: stage
    ids at which this person handled the complaint (workflow.HANDLING);
    `reached_handlers`: the handlers of every stage the complaint has reached;
    `respondent_has_champion`: whether the organisation complained about has a Champion in this Compact (its
    contacts answer for it only where it has none).
    Whether the person is a party comes from their memberships, whatever
    other role they hold (see `conflicts`, the same rule for other people).
    """
    user_id = who.user.pk
    roles = set()
    if complaint.raised_by_id == user_id:
        roles.add(Role.AUTHOR)
    if complaint.complainant_id in who.member_of:
        roles.add(Role.COMPLAINANT)
    if (complaint.complainant_id, complaint.compact_id) in who.champion_of:
        roles.add(Role.COMPLAINANT_CHAMPION)
    if complaint.status == Status.DRAFT:
        return roles
    if (complaint.respondent_id, complaint.compact_id) in who.champion_of:
        roles.add(Role.RESPONDENT_CHAMPION)
    if complaint.respondent_id in who.member_of:
        roles.add(Role.RESPONDENT_MEMBER)
    if complaint.respondent_id in who.contact_of and not respondent_has_champion:
        roles.add(Role.RESPONDENT_CONTACT)
    if user_id in officers:
        roles.add(Role.OFFICER)
    if complaint.compact_id in who.administrator_of:
        roles.add(Role.ADMINISTRATOR)
    if complaint.compact_id in who.chair_of and reached_handlers & PANELS:
        roles.add(Role.CHAIR)
    if complaint.compact_id in who.critical_friend_of and Handler.CRITICAL_FRIEND in reached_handlers:
        roles.add(Role.CRITICAL_FRIEND)
    if user_id in panel_people:
        roles.add(Role.PANEL)
    if acted_at_stages - {complaint.current_stage_id}:
        roles.add(Role.PAST_HANDLER)
    return roles


def conflicts(complaint, people):
    """Why each of `people` (user ids) may not handle a stage of this complaint that must be independent.

    The rule `roles_for` keeps for the person asking, for anyone: who raised
    the complaint, a confirmed member or Champion of either party, a named
    officer, or whoever handled an earlier stage. Three queries whatever the
    number of people.
    """
    people = set(people)
    reasons = {}
    for user_id, name in Membership.objects.filter(
        user__in=people,
        organisation__in=[complaint.complainant_id, complaint.respondent_id],
        status=MembershipStatus.CONFIRMED,
    ).values_list("user_id", "organisation__name"):
        reasons.setdefault(user_id, f"they belong to {name}, a party to this complaint")
    if complaint.raised_by_id in people:
        reasons.setdefault(complaint.raised_by_id, "they raised the complaint")
    for user_id in Complaint.officers.through.objects.filter(complaint=complaint, user__in=people).values_list(
        "user_id", flat=True
    ):
        reasons.setdefault(user_id, "they are named to answer the complaint")
    for user_id in (
        ComplaintEvent.objects.filter(complaint=complaint, by__in=people, kind__in=HANDLING)
        .exclude(stage=complaint.current_stage_id)
        .values_list("by_id", flat=True)
    ):
        reasons.setdefault(user_id, "they handled an earlier stage of this complaint")
    return reasons


def panel_pool(compact_id):
    """Who may be chosen to sit on a panel of this Compact's complaints, before `conflicts` rules anyone out for one
    complaint: its confirmed Champions, the holders of its roles, and the confirmed people of the organisations
    that signed it. User ids; three queries."""
    champions = Membership.objects.filter(
        compact=compact_id, role=MembershipRole.CHAMPION, status=MembershipStatus.CONFIRMED
    ).values_list("user_id", flat=True)
    role_holders = CompactRole.objects.filter(compact=compact_id).values_list("user_id", flat=True)
    signatories_people = Membership.objects.filter(
        organisation__signatures__compact=compact_id, status=MembershipStatus.CONFIRMED
    ).values_list("user_id", flat=True)
    return set(champions) | set(role_holders) | set(signatories_people)


def respondent_staff(complaint):
    """The confirmed memberships of the organisation complained about: its people, whom its Champion may name as
    the complaint's officers (a queryset, to read as ids or to use as a subquery)."""
    return Membership.objects.filter(organisation=complaint.respondent_id, status=MembershipStatus.CONFIRMED)


def ways_to_see(who: Person):
    """The ways this person may see a complaint, the rule of this module's docstring written once: each way a dict
    of lookups on the complaint (a path as a filter names it) to the values that satisfy it, all of which must hold
    for the way to open it. `may_see` answers them from the facts loaded with one complaint, `visible_by_rule` by
    query. A way that cannot match (a role the person does not hold) is left out."""
    user = frozenset({who.user.pk})
    ways = [
        {"complainant": who.member_of},  # drafts too: members of the complaining organisation (its Champions too)
        {"raised_by": user},
        {"status": SUBMITTED, "compact": who.administrator_of},
        {"officers": user},
        {"status": SUBMITTED, "respondent": who.contact_of},  # the organisations they are a named contact of
        # A Compact's chair or critical friends: the complaints that reached a stage they handle.
        {"status": SUBMITTED, "compact": who.chair_of, "clocks__stage__handler": PANELS},
        {"status": SUBMITTED, "compact": who.critical_friend_of, "clocks__stage__handler": {Handler.CRITICAL_FRIEND}},
        {"panels__chair": user},
        {"panels__members": user},
        {"events__by": user},
    ]
    # A Champion: the complaints about their organisations, each organisation in its own Compact (one way a Compact).
    champion_in = {}
    for organisation, compact in who.champion_of:
        champion_in.setdefault(compact, set()).add(organisation)
    ways += [
        {"status": SUBMITTED, "compact": {compact}, "respondent": organisations}
        for compact, organisations in sorted(champion_in.items())
    ]
    return [way for way in ways if all(way.values())]


def may_see(who: Person, complaint, *, officers, clocks, panels, events):
    """Whether this person may see this complaint (`ways_to_see`), from the facts loaded with it
    (selectors.view_for) rather than by a query."""
    facts = {
        "complainant": {complaint.complainant_id},
        "raised_by": {complaint.raised_by_id},
        "status": {complaint.status},
        "compact": {complaint.compact_id},
        "respondent": {complaint.respondent_id},
        "officers": set(officers),
        "clocks__stage__handler": {clock.stage.handler for clock in clocks},
        "panels__chair": {panel.chair_id for panel in panels},
        "panels__members": {member.pk for panel in panels for member in panel.members.all()},
        "events__by": {event.by_id for event in events},
    }
    return any(all(facts[path] & values for path, values in way.items()) for way in ways_to_see(who))


def visible_by_rule(who: Person):
    """Every complaint this person may see (`ways_to_see`) as one plain filter: the rule, and the answer
    `visible_complaints` is held to. A way that looks across a relation to many rows (officers, clocks, panels,
    events) is a subquery of the complaints it opens, so no complaint is repeated."""

    def opened(way):
        lookups = Q(**{f"{path}__in": sorted(values) for path, values in way.items()})
        fields = [Complaint._meta.get_field(path.split("__")[0]) for path in way]
        if any(field.one_to_many or field.many_to_many for field in fields):
            return Q(pk__in=Complaint.objects.filter(lookups).values("pk"))
        return lookups

    return Complaint.objects.filter(reduce(operator.or_, map(opened, ways_to_see(who))))


def visible_complaints(who: Person):
    """Every complaint this person may see: `visible_by_rule`'s answer, faster, for the queue, which asks it on every
    view (test_visibility holds the two to the same answers over many worlds made at random).

    Each way of `ways_to_see` is its own small query that an index answers, on
    the table that holds what it looks for (the officers named, the events
    recorded), and their union is the set of visible complaints: so a queue
    costs the same whether there are fifty complaints or fifty thousand. As one
    plain filter, the database reads every complaint to test it against every
    way: seed_scale's busy Champion's queue took five to seven times as long.
    """
    user = who.user.pk
    complaint = Complaint._meta.db_table
    rules = []
    params = []

    def rule(sql, *values):
        rules.append(sql)
        params.extend(values)

    def among(values):
        return ", ".join(["%s"] * len(values))

    if who.member_of:
        rule(f"SELECT id FROM {complaint} WHERE complainant_id IN ({among(who.member_of)})", *who.member_of)
    rule(f"SELECT id FROM {complaint} WHERE raised_by_id = %s", user)
    if who.administrator_of:
        compacts = who.administrator_of
        rule(f"SELECT id FROM {complaint} WHERE status <> %s AND compact_id IN ({among(compacts)})", DRAFT, *compacts)
    rule(f"SELECT complaint_id FROM {Complaint.officers.through._meta.db_table} WHERE user_id = %s", user)
    if who.contact_of:
        contact_of = who.contact_of
        rule(
            f"SELECT id FROM {complaint} WHERE status <> %s AND respondent_id IN ({among(contact_of)})",
            DRAFT,
            *contact_of,
        )
    for compacts, handlers in ((who.chair_of, sorted(PANELS)), (who.critical_friend_of, [Handler.CRITICAL_FRIEND])):
        if compacts:
            rule(
                f"SELECT k.complaint_id FROM {StageClock._meta.db_table} k"
                f" JOIN {complaint} c ON c.id = k.complaint_id JOIN {Stage._meta.db_table} s ON s.id = k.stage_id"
                f" WHERE c.status <> %s AND c.compact_id IN ({among(compacts)}) AND s.handler IN ({among(handlers)})",
                DRAFT,
                *compacts,
                *handlers,
            )
    rule(
        f"SELECT p.complaint_id FROM {Panel._meta.db_table} p"
        f" LEFT JOIN {Panel.members.through._meta.db_table} m ON m.panel_id = p.id"
        " WHERE p.chair_id = %s OR m.user_id = %s",
        user,
        user,
    )
    rule(f"SELECT complaint_id FROM {ComplaintEvent._meta.db_table} WHERE by_id = %s", user)
    if who.champion_of:
        # The organisations they are Champion of, each in its own Compact: one rule however many, answered from
        # their memberships (the memberships `person` read them from).
        rule(
            f"SELECT c.id FROM {complaint} c JOIN {Membership._meta.db_table} m"
            " ON m.compact_id = c.compact_id AND m.organisation_id = c.respondent_id"
            " WHERE m.user_id = %s AND m.role = %s AND m.status = %s AND c.status <> %s",
            user,
            MembershipRole.CHAMPION,
            MembershipStatus.CONFIRMED,
            DRAFT,
        )
    return Complaint.objects.filter(pk__in=RawSQL(" UNION ".join(rules), params))
