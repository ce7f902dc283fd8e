"""Every handler kind, state and role of the workflow, and people holding several roles at once, against a table
written from the procedures' rules (not worked out by the code under test).

The rules the table is written from:
- Only the complaining side edits and submits a draft.
- The complaining side sets the complaint out in writing at a written stage (Champions, the respondent, the key
  decision makers); the respondent's Champion and named officers acknowledge it once and give the formal response
  (at the Champions' stage, only once it is in writing). The Champions of both organisations meet at the Champions'
  stage; the critical friend meets at theirs.
- A panel or partners group is convened by the chair or an administrator, and gives findings; its members may then
  close it with any outcome.
- Once a stage is answered, or overdue, the complaining side or the respondent's Champion may move it on (if there
  is a next stage).
- The complaining side and administrators refer outside the portal and record the result. The complaining side may
  close as resolved by agreement (and as referred, once the result is in) and withdraw; the organisation complained
  about never closes a complaint against itself, even through someone who is on both sides.
- Whoever handles the stage (and administrators) may change a deadline, where there is one.
- A party (anyone on either side, by membership) acts only for its side: never as a chair, critical friend, panel
  member or administrator. Whoever handled an earlier stage does not handle a later one as chair, critical friend
  or panel member.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from compacts.tests.factories import UserFactory, compact_role, member
from disputes import permissions, selectors, services
from disputes.models import Handler, TimeUnit
from disputes.tests.factories import StageFactory, raise_complaint
from disputes.workflow import (
    ANSWER,
    EARLIER_HANDLER,
    PARTY,
    RESPONDENT,
    Action,
    Capacity,
    Role,
    State,
    available,
    capacity,
    resolve_outcomes,
    restriction,
    why_not,
)

A = Action
R = Role
C = {A.REFER, A.RESOLVE, A.WITHDRAW}  # the complaining side, at any stage before a referral
ADMIN = {A.REFER, A.RESOLVE, A.EXTEND}
NONE = set()


def _open(handler, **facts):
    last = handler == "national_body"
    return State(status="open", handler=handler, has_next_stage=not last, has_deadline=not last, **facts)


def _events(*kinds):
    return frozenset(kinds)


WRITTEN_STATES = {
    "new": {},
    "lodged": {"stage_events": _events("lodged")},
    "answered": {"acknowledged": True, "stage_events": _events("lodged", "response")},
    "overdue": {"overdue": True},
}
FRIEND_STATES = {
    "new": {},
    "met": {"acknowledged": True, "stage_events": _events("meeting")},
    "overdue": {"overdue": True},
}
PANEL_STATES = {
    "new": {},
    "convened": {"acknowledged": True, "panel_convened": True},
    "found": {"acknowledged": True, "panel_convened": True, "stage_events": _events("findings")},
    "overdue": {"acknowledged": True, "overdue": True},
}
NATIONAL_STATES = {
    "new": {},
    "referred": {"acknowledged": True, "referred": True},
    "result": {"acknowledged": True, "referred": True, "referral_result": True},
}

# (handler, state) -> {role: actions}; a role not named may do nothing.
CHAMPIONS = {
    "new": {
        R.AUTHOR: C | {A.LODGE},
        R.COMPLAINANT: C | {A.LODGE},
        R.COMPLAINANT_CHAMPION: C | {A.LODGE, A.MEETING, A.EXTEND},
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.MEETING, A.EXTEND},
        R.OFFICER: {A.ACKNOWLEDGE, A.MEETING, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "lodged": {
        R.AUTHOR: C,
        R.COMPLAINANT: C,
        R.COMPLAINANT_CHAMPION: C | {A.MEETING, A.EXTEND},
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.MEETING, A.RESPOND, A.EXTEND},
        R.OFFICER: {A.ACKNOWLEDGE, A.MEETING, A.RESPOND, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "answered": {
        R.AUTHOR: C | {A.ESCALATE},
        R.COMPLAINANT: C | {A.ESCALATE},
        R.COMPLAINANT_CHAMPION: C | {A.ESCALATE, A.MEETING, A.EXTEND},
        R.RESPONDENT_CHAMPION: {A.OFFICERS, A.MEETING, A.ESCALATE, A.EXTEND},
        R.OFFICER: {A.MEETING, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "overdue": {
        R.AUTHOR: C | {A.LODGE, A.ESCALATE},
        R.COMPLAINANT: C | {A.LODGE, A.ESCALATE},
        R.COMPLAINANT_CHAMPION: C | {A.LODGE, A.ESCALATE, A.MEETING, A.EXTEND},
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.MEETING, A.ESCALATE, A.EXTEND},
        R.OFFICER: {A.ACKNOWLEDGE, A.MEETING, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
}
RESPONDENT_ANSWERS = {  # the organisation complained about, or its key decision makers, answer in writing
    "new": {
        R.AUTHOR: C | {A.LODGE},
        R.COMPLAINANT: C | {A.LODGE},
        R.COMPLAINANT_CHAMPION: C | {A.LODGE},
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.RESPOND, A.EXTEND},
        R.OFFICER: {A.ACKNOWLEDGE, A.RESPOND, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "lodged": {
        R.AUTHOR: C,
        R.COMPLAINANT: C,
        R.COMPLAINANT_CHAMPION: C,
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.RESPOND, A.EXTEND},
        R.OFFICER: {A.ACKNOWLEDGE, A.RESPOND, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "answered": {
        R.AUTHOR: C | {A.ESCALATE},
        R.COMPLAINANT: C | {A.ESCALATE},
        R.COMPLAINANT_CHAMPION: C | {A.ESCALATE},
        R.RESPONDENT_CHAMPION: {A.OFFICERS, A.ESCALATE, A.EXTEND},
        R.OFFICER: {A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "overdue": {
        R.AUTHOR: C | {A.LODGE, A.ESCALATE},
        R.COMPLAINANT: C | {A.LODGE, A.ESCALATE},
        R.COMPLAINANT_CHAMPION: C | {A.LODGE, A.ESCALATE},
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.RESPOND, A.ESCALATE, A.EXTEND},
        R.OFFICER: {A.ACKNOWLEDGE, A.RESPOND, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
}
CRITICAL_FRIEND = {
    "new": {
        R.AUTHOR: C,
        R.COMPLAINANT: C,
        R.COMPLAINANT_CHAMPION: C,
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS},
        R.OFFICER: {A.ACKNOWLEDGE},
        R.CRITICAL_FRIEND: {A.MEETING, A.RESOLVE, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "met": {
        R.AUTHOR: C | {A.ESCALATE},
        R.COMPLAINANT: C | {A.ESCALATE},
        R.COMPLAINANT_CHAMPION: C | {A.ESCALATE},
        R.RESPONDENT_CHAMPION: {A.OFFICERS, A.ESCALATE},
        R.CRITICAL_FRIEND: {A.MEETING, A.RESOLVE, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "overdue": {
        R.AUTHOR: C | {A.ESCALATE},
        R.COMPLAINANT: C | {A.ESCALATE},
        R.COMPLAINANT_CHAMPION: C | {A.ESCALATE},
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.ESCALATE},
        R.OFFICER: {A.ACKNOWLEDGE},
        R.CRITICAL_FRIEND: {A.MEETING, A.RESOLVE, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
}
PANEL = {  # a disputes panel, or a small group of partners
    "new": {
        R.AUTHOR: C,
        R.COMPLAINANT: C,
        R.COMPLAINANT_CHAMPION: C,
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS},
        R.OFFICER: {A.ACKNOWLEDGE},
        R.CHAIR: {A.CONVENE, A.EXTEND},
        R.ADMINISTRATOR: ADMIN | {A.CONVENE},
    },
    "convened": {
        R.AUTHOR: C,
        R.COMPLAINANT: C,
        R.COMPLAINANT_CHAMPION: C,
        R.RESPONDENT_CHAMPION: {A.OFFICERS},
        R.CHAIR: {A.EXTEND},
        R.PANEL: {A.FINDINGS, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "found": {
        R.AUTHOR: C | {A.ESCALATE},
        R.COMPLAINANT: C | {A.ESCALATE},
        R.COMPLAINANT_CHAMPION: C | {A.ESCALATE},
        R.RESPONDENT_CHAMPION: {A.OFFICERS, A.ESCALATE},
        R.CHAIR: {A.EXTEND},
        R.PANEL: {A.RESOLVE, A.EXTEND},
        R.ADMINISTRATOR: ADMIN,
    },
    "overdue": {
        R.AUTHOR: C | {A.ESCALATE},
        R.COMPLAINANT: C | {A.ESCALATE},
        R.COMPLAINANT_CHAMPION: C | {A.ESCALATE},
        R.RESPONDENT_CHAMPION: {A.OFFICERS, A.ESCALATE},
        R.CHAIR: {A.CONVENE, A.EXTEND},
        R.ADMINISTRATOR: ADMIN | {A.CONVENE},
    },
}
REFERRED = {A.REFERRAL_RESULT, A.RESOLVE, A.WITHDRAW}
NATIONAL_BODY = {  # the last stage, with no time limit
    "new": {
        R.AUTHOR: C,
        R.COMPLAINANT: C,
        R.COMPLAINANT_CHAMPION: C,
        R.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS},
        R.OFFICER: {A.ACKNOWLEDGE},
        R.ADMINISTRATOR: {A.REFER, A.RESOLVE},
    },
    "referred": {
        R.AUTHOR: REFERRED,
        R.COMPLAINANT: REFERRED,
        R.COMPLAINANT_CHAMPION: REFERRED,
        R.RESPONDENT_CHAMPION: {A.OFFICERS},
        R.ADMINISTRATOR: {A.REFERRAL_RESULT, A.RESOLVE},
    },
    "result": {
        R.AUTHOR: {A.RESOLVE, A.WITHDRAW},
        R.COMPLAINANT: {A.RESOLVE, A.WITHDRAW},
        R.COMPLAINANT_CHAMPION: {A.RESOLVE, A.WITHDRAW},
        R.RESPONDENT_CHAMPION: {A.OFFICERS},
        R.ADMINISTRATOR: {A.RESOLVE},
    },
}
# An organisation's contact named in the portal, where it has no Champion, answers for it in the Champion's place:
# the same actions, in every state of every stage.
for _expected in (CHAMPIONS, RESPONDENT_ANSWERS, CRITICAL_FRIEND, PANEL, NATIONAL_BODY):
    for _by_role in _expected.values():
        if R.RESPONDENT_CHAMPION in _by_role:
            _by_role[R.RESPONDENT_CONTACT] = _by_role[R.RESPONDENT_CHAMPION]
TABLE = {
    "champions": (WRITTEN_STATES, CHAMPIONS),
    # The organisations in dispute talking between themselves: the same path as the Champions' stage.
    "parties": (WRITTEN_STATES, CHAMPIONS),
    "respondent": (WRITTEN_STATES, RESPONDENT_ANSWERS),
    "decision_makers": (WRITTEN_STATES, RESPONDENT_ANSWERS),
    "critical_friend": (FRIEND_STATES, CRITICAL_FRIEND),
    "panel": (PANEL_STATES, PANEL),
    "partners_group": (PANEL_STATES, PANEL),
    "national_body": (NATIONAL_STATES, NATIONAL_BODY),
}
CELLS = [
    (handler, name, _open(handler, **facts), expected[name])
    for handler, (states, expected) in TABLE.items()
    for name, facts in states.items()
]
CELLS += [
    (None, "draft", State(status="draft"), {R.AUTHOR: {A.EDIT, A.SUBMIT}, R.COMPLAINANT: {A.EDIT, A.SUBMIT}}),
    (None, "closed", State(status="closed"), {}),
]


def test_the_table_covers_every_handler_kind():
    assert set(TABLE) == set(Handler.values) == set(ANSWER)


@pytest.mark.parametrize(("handler", "name", "state", "expected"), CELLS, ids=[f"{c[0]}-{c[1]}" for c in CELLS])
@pytest.mark.parametrize("role", list(Role))
def test_every_handler_state_and_role(handler, name, state, expected, role):
    assert set(available(state, {role})) == expected.get(role, NONE)


def _state(handler, name):
    states, _ = TABLE[handler]
    return _open(handler, **states[name])


# People with more than one role: (handler, state, roles, expected actions, why RESOLVE or another action is closed).
COMBINATIONS = [
    ("critical_friend", "new", {R.CRITICAL_FRIEND, R.RESPONDENT_MEMBER}, NONE, (A.RESOLVE, RESPONDENT)),
    ("critical_friend", "new", {R.CRITICAL_FRIEND, R.COMPLAINANT}, C, (A.MEETING, PARTY)),
    ("critical_friend", "new", {R.CRITICAL_FRIEND, R.PAST_HANDLER}, NONE, (A.MEETING, EARLIER_HANDLER)),
    ("panel", "new", {R.CHAIR, R.RESPONDENT_MEMBER}, NONE, (A.CONVENE, RESPONDENT)),
    ("partners_group", "new", {R.CHAIR, R.COMPLAINANT}, C, (A.CONVENE, PARTY)),
    ("panel", "new", {R.CHAIR, R.PAST_HANDLER}, NONE, (A.CONVENE, EARLIER_HANDLER)),
    ("panel", "convened", {R.PANEL, R.PAST_HANDLER}, NONE, (A.FINDINGS, EARLIER_HANDLER)),
    ("panel", "found", {R.PANEL, R.RESPONDENT_CHAMPION, R.RESPONDENT_MEMBER}, {A.OFFICERS, A.ESCALATE}, None),
    ("panel", "found", {R.PANEL, R.CHAIR}, {A.RESOLVE, A.EXTEND}, None),
    ("panel", "new", {R.ADMINISTRATOR, R.PAST_HANDLER}, ADMIN | {A.CONVENE}, None),
    ("champions", "new", {R.ADMINISTRATOR, R.AUTHOR, R.COMPLAINANT}, C | {A.LODGE}, None),
    ("champions", "new", {R.ADMINISTRATOR, R.RESPONDENT_MEMBER}, NONE, (A.RESOLVE, RESPONDENT)),
    (
        "champions",
        "new",
        {R.ADMINISTRATOR, R.RESPONDENT_CHAMPION, R.RESPONDENT_MEMBER},
        {A.ACKNOWLEDGE, A.OFFICERS, A.MEETING, A.EXTEND},
        (A.REFER, RESPONDENT),
    ),
    (
        "champions",
        "answered",
        {R.COMPLAINANT, R.COMPLAINANT_CHAMPION, R.RESPONDENT_CHAMPION, R.RESPONDENT_MEMBER},
        {A.REFER, A.ESCALATE, A.MEETING, A.EXTEND, A.OFFICERS},
        (A.WITHDRAW, RESPONDENT),
    ),
    ("champions", "new", {R.AUTHOR, R.COMPLAINANT, R.RESPONDENT_MEMBER}, {A.LODGE, A.REFER}, (A.RESOLVE, RESPONDENT)),
    ("champions", "new", {R.OFFICER, R.RESPONDENT_MEMBER}, {A.ACKNOWLEDGE, A.MEETING, A.EXTEND}, None),
    ("respondent", "new", {R.CHAIR, R.RESPONDENT_CHAMPION, R.RESPONDENT_MEMBER}, RESPONDENT_ANSWERS["new"][
        R.RESPONDENT_CHAMPION
    ], None),
    ("national_body", "referred", {R.ADMINISTRATOR, R.COMPLAINANT_CHAMPION, R.COMPLAINANT}, REFERRED, None),
    ("national_body", "new", {R.ADMINISTRATOR, R.RESPONDENT_CHAMPION, R.RESPONDENT_MEMBER}, {A.ACKNOWLEDGE, A.OFFICERS},
     (A.REFER, RESPONDENT)),
]  # fmt: skip


@pytest.mark.parametrize(("handler", "name", "roles", "expected", "refused"), COMBINATIONS)
def test_people_with_several_roles(handler, name, roles, expected, refused):
    state = _state(handler, name)
    assert set(available(state, roles)) == expected
    if refused:
        action, reason = refused
        assert why_not(state, roles, action) == reason
        assert restriction(roles) == reason


def test_outcomes_each_role_may_record():
    found = _state("panel", "found")
    assert resolve_outcomes(found, {R.PANEL}) == ["resolved", "upheld", "partly_upheld", "not_upheld"]
    assert resolve_outcomes(found, {R.COMPLAINANT}) == ["resolved"]
    assert resolve_outcomes(found, {R.RESPONDENT_CHAMPION}) == []
    assert resolve_outcomes(found, {R.PANEL, R.RESPONDENT_MEMBER}) == []
    assert resolve_outcomes(_state("champions", "new"), {R.ADMINISTRATOR, R.COMPLAINANT}) == ["resolved"]
    assert resolve_outcomes(_state("champions", "new"), {R.ADMINISTRATOR}) == [
        "resolved",
        "upheld",
        "partly_upheld",
        "not_upheld",
        "referred",
    ]
    assert resolve_outcomes(_state("critical_friend", "new"), {R.CRITICAL_FRIEND}) == ["resolved"]
    assert resolve_outcomes(_state("critical_friend", "new"), {R.CRITICAL_FRIEND, R.RESPONDENT_MEMBER}) == []
    assert resolve_outcomes(_state("national_body", "referred"), {R.AUTHOR}) == ["resolved"]
    assert resolve_outcomes(_state("national_body", "result"), {R.AUTHOR}) == ["resolved", "referred"]
    assert resolve_outcomes(State(status="closed"), {R.ADMINISTRATOR}) == []


def test_nothing_closes_an_action_for_someone_whose_roles_never_opened_it():
    assert why_not(_state("champions", "new"), {R.COMPLAINANT}, A.CONVENE) is None
    assert why_not(_state("panel", "new"), {R.CHAIR}, A.CONVENE) is None  # open: nothing to explain
    assert restriction({R.RESPONDENT_CHAMPION, R.RESPONDENT_MEMBER}) is None
    assert restriction({R.ADMINISTRATOR, R.PAST_HANDLER}) is None


@pytest.mark.parametrize(
    ("handler", "name", "roles", "action", "expected"),
    [
        ("panel", "found", {R.PANEL, R.CHAIR}, A.RESOLVE, Capacity.PANEL),
        ("panel", "new", {R.CHAIR, R.ADMINISTRATOR}, A.CONVENE, Capacity.CHAIR),
        ("champions", "new", {R.ADMINISTRATOR, R.COMPLAINANT}, A.RESOLVE, Capacity.COMPLAINANT),
        ("champions", "new", {R.ADMINISTRATOR}, A.RESOLVE, Capacity.ADMINISTRATOR),
        ("champions", "new", {R.RESPONDENT_CHAMPION, R.RESPONDENT_MEMBER}, A.ACKNOWLEDGE, Capacity.RESPONDENT),
        ("champions", "new", {R.COMPLAINANT_CHAMPION, R.RESPONDENT_CHAMPION}, A.MEETING, Capacity.COMPLAINANT),
        ("champions", "new", {R.COMPLAINANT_CHAMPION, R.RESPONDENT_CHAMPION}, A.OFFICERS, Capacity.RESPONDENT),
        ("critical_friend", "new", {R.CRITICAL_FRIEND}, A.MEETING, Capacity.CRITICAL_FRIEND),
    ],
)
def test_who_someone_acts_as(handler, name, roles, action, expected):
    assert capacity(_state(handler, name), roles, action) == expected


# What each action adds to a complaint's state, to walk from a stage's start to its answer.
EFFECTS = {  # the event each records at the current stage, and the facts it sets
    A.ACKNOWLEDGE: {"event": "acknowledged", "acknowledged": True},
    A.LODGE: {"event": "lodged"},
    A.RESPOND: {"event": "response"},
    A.MEETING: {"event": "meeting"},
    A.CONVENE: {"event": "panel", "panel_convened": True},
    A.FINDINGS: {"event": "findings"},
    A.REFER: {"event": "referred", "referred": True},
    A.REFERRAL_RESULT: {"event": "referral_result", "referral_result": True},
}
HOLDERS = [  # one person a role, as a Compact with everyone in place would have them
    {R.AUTHOR, R.COMPLAINANT},
    {R.COMPLAINANT_CHAMPION, R.COMPLAINANT},
    {R.RESPONDENT_CHAMPION, R.RESPONDENT_MEMBER},
    {R.OFFICER, R.RESPONDENT_MEMBER},
    {R.CHAIR},
    {R.CRITICAL_FRIEND},
    {R.PANEL},
    {R.ADMINISTRATOR},
]


@pytest.mark.parametrize("handler", Handler.values)
def test_every_handler_kind_has_a_path_to_its_answer(handler):
    seen, frontier = set(), [_open(handler)]
    while frontier:
        state = frontier.pop()
        if ANSWER[handler] in state.stage_events:
            return
        for roles in HOLDERS:
            for action in set(available(state, roles)) & set(EFFECTS):
                effect = dict(EFFECTS[action])
                kind = effect.pop("event")
                following = State(**{**vars(state), **effect, "stage_events": state.stage_events | {kind}})
                if following not in seen:
                    seen.add(following)
                    frontier.append(following)
    pytest.fail(f"No sequence of actions answers a stage handled by {handler}")


# The same rules, end to end on the database: roles from real memberships and Compact roles. ----------------------


@pytest.fixture
def people(world):
    """The world's people, and people who hold two roles at once."""
    p = world.people
    extra = SimpleNamespace(
        friend_at_council=UserFactory(username="friend@council.example"),
        chair_at_charity=UserFactory(username="chair@helpers.example"),
        admin_at_council=UserFactory(username="admin@council.example"),
        both_champion=UserFactory(username="champion@both.example"),
    )
    member(extra.friend_at_council, world.council)
    compact_role(extra.friend_at_council, world.compact, "critical_friend")
    member(extra.chair_at_charity, world.charity)
    compact_role(extra.chair_at_charity, world.compact, "chair")
    member(extra.admin_at_council, world.council)
    compact_role(extra.admin_at_council, world.compact, "administrator")
    member(extra.both_champion, world.charity, champion_of=world.compact)
    member(extra.both_champion, world.council, champion_of=world.compact)
    return SimpleNamespace(**vars(p), **vars(extra))


# Each person's actions on a complaint just submitted: the table's row for the role they hold, or for a party with
# a role of the Compact's, the row of their side alone.
AS_TABLE_ROW = {
    "vcs_member": R.AUTHOR,
    "complainant_champion": R.COMPLAINANT_CHAMPION,
    "respondent_champion": R.RESPONDENT_CHAMPION,
    "officer": R.OFFICER,
    "council_member": R.RESPONDENT_MEMBER,
    "chair": R.CHAIR,
    "critical_friend": R.CRITICAL_FRIEND,
    "administrator": R.ADMINISTRATOR,
    "bystander": None,
    "friend_at_council": R.RESPONDENT_MEMBER,
    "chair_at_charity": R.COMPLAINANT,
    "admin_at_council": R.RESPONDENT_MEMBER,
}


@pytest.mark.parametrize("handler", Handler.values)
def test_every_handler_kind_on_the_database(world, people, handler):
    procedure = world.compact.procedure
    procedure.stages.all().delete()
    stages = [handler] if handler == "national_body" else [handler, "national_body"]
    for order, kind in enumerate(stages, start=1):
        limited = kind != "national_body"
        StageFactory(
            procedure=procedure,
            order=order,
            handler=kind,
            time_limit=10 if limited else None,
            time_unit=TimeUnit.WORKING_DAYS if limited else "",
            time_limit_origin="portal_default" if limited else "",
            time_limit_source="",
        )
    complaint = raise_complaint(world)
    complaint.officers.set([people.officer])
    _, expected = TABLE[handler]
    today = timezone.localdate()
    for name, row in AS_TABLE_ROW.items():
        view = selectors.view_for(permissions.person(getattr(people, name)), complaint, today)
        assert set(view.actions) == expected["new"].get(row, NONE), (handler, name, view.roles)
    both = selectors.view_for(permissions.person(people.both_champion), complaint, today)
    sides = expected["new"][R.COMPLAINANT_CHAMPION] | expected["new"][R.RESPONDENT_CHAMPION]
    assert set(both.actions) == sides - {A.RESOLVE, A.WITHDRAW}


def test_the_critical_friend_of_derbyshire_cannot_close_a_complaint_against_her_council(world, people):
    """The case found by hand: a critical friend who is also a member of the council complained about."""
    procedure = world.compact.procedure
    procedure.stages.all().delete()
    StageFactory(procedure=procedure, order=1, handler=Handler.CRITICAL_FRIEND)
    complaint = raise_complaint(world)
    with pytest.raises(services.workflow.NotAllowed) as refused:
        services.complaint_act(
            complaint=complaint,
            by=people.friend_at_council,
            action=A.RESOLVE,
            version=complaint.version,
            text="Resolved.",
            outcome="resolved",
        )
    assert "organisation complained about" in str(refused.value)
    services.complaint_act(
        complaint=complaint,
        by=people.critical_friend,
        action=A.MEETING,
        version=complaint.version,
        text="We met.",
        held_on=datetime.date.today(),
    )
