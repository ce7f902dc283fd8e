"""Which actions are open on a complaint, and to whom. Pure: no database.

The procedure itself is data (each Compact's stages, with who handles each);
this module reads a complaint's state and a person's roles in it and answers
which actions they may take now. Views show exactly those; services refuse
anything else (`require`).
"""

from dataclasses import dataclass, field
from enum import StrEnum

from compacts.exceptions import Refused

from .choices import Capacity, EventKind, Handler, Outcome, Status


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    ACKNOWLEDGE = "acknowledge"
    MEETING = "meeting"
    LODGE = "lodge"
    RESPOND = "respond"
    ESCALATE = "escalate"
    CONVENE = "convene"
    FINDINGS = "findings"
    REFER = "refer"
    REFERRAL_RESULT = "referral_result"
    RESOLVE = "resolve"
    WITHDRAW = "withdraw"
    EXTEND = "extend"
    OFFICERS = "officers"


LABELS = {
    Action.EDIT: "Edit the draft",
    Action.SUBMIT: "Submit the complaint",
    Action.ACKNOWLEDGE: "Acknowledge the complaint",
    Action.MEETING: "Record an informal meeting",
    Action.LODGE: "Set out the complaint in writing",
    Action.RESPOND: "Give the formal response",
    Action.ESCALATE: "Move to the next stage",
    Action.CONVENE: "Convene a panel",
    Action.FINDINGS: "Record findings and recommendations",
    Action.REFER: "Refer outside the portal",
    Action.REFERRAL_RESULT: "Record the result of the referral",
    Action.RESOLVE: "Close with an outcome",
    Action.WITHDRAW: "Withdraw the complaint",
    Action.EXTEND: "Change the deadline",
    Action.OFFICERS: "Name the officers who will answer it",
}


# What the person is told once an action is done (the success banner).
DONE = {
    Action.EDIT: "Draft saved.",
    Action.SUBMIT: "Complaint submitted.",
    Action.ACKNOWLEDGE: "You have acknowledged the complaint. Everyone involved has been told.",
    Action.MEETING: "The informal meeting is recorded. Everyone involved has been told.",
    Action.LODGE: "The complaint is now set out in writing. Everyone involved has been told.",
    Action.RESPOND: "The formal response is given. Everyone involved has been told.",
    Action.ESCALATE: "The complaint has moved to the next stage. Everyone involved has been told.",
    Action.CONVENE: "The panel is convened. Its members and everyone involved have been told.",
    Action.FINDINGS: "The findings and recommendations are recorded. Everyone involved has been told.",
    Action.REFER: "The complaint is referred outside the portal. Everyone involved has been told.",
    Action.REFERRAL_RESULT: "The result of the referral is recorded. Everyone involved has been told.",
    Action.RESOLVE: "The complaint is closed with its outcome. Everyone involved has been told.",
    Action.WITHDRAW: "The complaint is withdrawn. Everyone involved has been told.",
    Action.EXTEND: "The deadline is changed. Everyone involved has been told.",
    Action.OFFICERS: "The officers are named. They and everyone involved have been told.",
}


class Role(StrEnum):
    AUTHOR = "author"  # raised the complaint
    COMPLAINANT = "complainant"  # a member of the complaining organisation
    COMPLAINANT_CHAMPION = "complainant_champion"
    RESPONDENT_CHAMPION = "respondent_champion"
    # A contact of the organisation complained about, named in the portal, where it has no Champion in this Compact:
    # answers for it in the Champion's place (compacts.selectors.who_answers_for).
    RESPONDENT_CONTACT = "respondent_contact"
    OFFICER = "officer"  # named by the respondent's Champion to answer it
    RESPONDENT_MEMBER = "respondent_member"  # a member of the organisation complained about
    CHAIR = "chair"  # the Compact's steering group or panel chair
    CRITICAL_FRIEND = "critical_friend"
    PANEL = "panel"  # chair or member of this complaint's panel at the current stage
    ADMINISTRATOR = "administrator"
    PAST_HANDLER = "past_handler"  # handled an earlier stage (see HANDLING)


COMPLAINANT_SIDE = {Role.AUTHOR, Role.COMPLAINANT, Role.COMPLAINANT_CHAMPION}
# Who leads the answer for the organisation complained about: names its officers, may move the complaint on.
LEADS_FOR_RESPONDENT = {Role.RESPONDENT_CHAMPION, Role.RESPONDENT_CONTACT}
ANSWERS_FOR_RESPONDENT = LEADS_FOR_RESPONDENT | {Role.OFFICER}
RESPONDENT_SIDE = ANSWERS_FOR_RESPONDENT | {Role.RESPONDENT_MEMBER}
PARTIES = COMPLAINANT_SIDE | RESPONDENT_SIDE
# Roles that act for the Compact rather than for a side: void for a party.
INDEPENDENT = {Role.CHAIR, Role.CRITICAL_FRIEND, Role.PANEL, Role.ADMINISTRATOR}
# Roles that handle a stage meant to be independent: void for whoever handled an earlier stage too.
STAGE_HANDLERS = {Role.CHAIR, Role.CRITICAL_FRIEND, Role.PANEL}

# What a stage's handler does, and which event counts as the stage's answer
# (after which, or once overdue, the complaint may move on).
# "parties" is the same path as "champions" where the document names no Champions: the organisations in dispute
# talk between themselves (County Durham's "open dialogue and negotiation").
INFORMAL = {Handler.CHAMPIONS, Handler.PARTIES}
WRITTEN = {Handler.CHAMPIONS, Handler.PARTIES, Handler.RESPONDENT, Handler.DECISION_MAKERS}
PANELS = {Handler.PANEL, Handler.PARTNERS_GROUP}
ANSWER = {
    Handler.CHAMPIONS: EventKind.RESPONSE,
    Handler.PARTIES: EventKind.RESPONSE,
    Handler.RESPONDENT: EventKind.RESPONSE,
    Handler.DECISION_MAKERS: EventKind.RESPONSE,
    Handler.CRITICAL_FRIEND: EventKind.MEETING,
    Handler.PANEL: EventKind.FINDINGS,
    Handler.PARTNERS_GROUP: EventKind.FINDINGS,
    Handler.NATIONAL_BODY: EventKind.REFERRAL_RESULT,
}
# Events that handle a stage (as opposed to a party pressing its case or an
# administrator keeping the complaint moving): whoever recorded one at an
# earlier stage may not handle a later stage that must be independent.
HANDLING = {EventKind.MEETING, EventKind.RESPONSE, EventKind.PANEL, EventKind.FINDINGS}


@dataclass(frozen=True)
class State:
    """What the workflow needs to know of a complaint."""

    status: str  # draft, open, closed
    handler: str | None = None  # the current stage's handler
    has_next_stage: bool = False
    overdue: bool = False
    has_deadline: bool = False
    acknowledged: bool = False
    stage_events: frozenset = field(default_factory=frozenset)  # kinds of event at the current stage
    panel_convened: bool = False
    referred: bool = False
    referral_result: bool = False


def effective(roles: set) -> set:
    """The roles that count: a party acts only for its side, and an earlier stage's handler handles no later one."""
    if roles & PARTIES:
        return roles - INDEPENDENT
    if Role.PAST_HANDLER in roles:
        return roles - STAGE_HANDLERS
    return set(roles)


def available(state: State, roles: set) -> list[Action]:
    """The actions open to someone with `roles` on a complaint in `state`, in a sensible order."""
    return _available(state, effective(roles))


def _available(state, roles):
    if state.status == Status.DRAFT:
        return [Action.EDIT, Action.SUBMIT] if roles & {Role.AUTHOR, Role.COMPLAINANT} else []
    if state.status != Status.OPEN:
        return []
    handler = state.handler
    events = state.stage_events
    complainant = bool(roles & COMPLAINANT_SIDE)
    answers = bool(roles & ANSWERS_FOR_RESPONDENT)
    admin = Role.ADMINISTRATOR in roles
    answered = ANSWER.get(handler) in events
    actions = []
    if answers and not state.acknowledged:
        actions.append(Action.ACKNOWLEDGE)
    if roles & LEADS_FOR_RESPONDENT:
        actions.append(Action.OFFICERS)
    champions = roles & {Role.COMPLAINANT_CHAMPION, *ANSWERS_FOR_RESPONDENT}
    if (handler in INFORMAL and champions) or (handler == Handler.CRITICAL_FRIEND and Role.CRITICAL_FRIEND in roles):
        actions.append(Action.MEETING)
    if handler in WRITTEN and complainant and EventKind.LODGED not in events:
        actions.append(Action.LODGE)
    # On an informal path, the formal response answers the complaint once it is set out in writing.
    set_out = handler not in INFORMAL or EventKind.LODGED in events
    if handler in WRITTEN and answers and EventKind.RESPONSE not in events and set_out:
        actions.append(Action.RESPOND)
    if handler in PANELS and not state.panel_convened and roles & {Role.CHAIR, Role.ADMINISTRATOR}:
        actions.append(Action.CONVENE)
    if handler in PANELS and state.panel_convened and Role.PANEL in roles and EventKind.FINDINGS not in events:
        actions.append(Action.FINDINGS)
    # Escalation is for the complainant's side or a Champion (not a named officer).
    if state.has_next_stage and (complainant or roles & LEADS_FOR_RESPONDENT) and (answered or state.overdue):
        actions.append(Action.ESCALATE)
    if not state.referred and (complainant or admin):
        actions.append(Action.REFER)
    if state.referred and not state.referral_result and (complainant or admin):
        actions.append(Action.REFERRAL_RESULT)
    if _outcomes(state, roles):
        actions.append(Action.RESOLVE)
    if state.has_deadline and (_handles(state, roles) or admin):
        actions.append(Action.EXTEND)
    if complainant and not roles & RESPONDENT_SIDE:
        actions.append(Action.WITHDRAW)
    return actions


def handlers(state: State, roles: set) -> bool:
    """Whether someone with `roles` handles the complaint's current stage."""
    return _handles(state, effective(roles))


def _handles(state, roles):
    handler = state.handler
    if handler in INFORMAL:
        return bool(roles & (ANSWERS_FOR_RESPONDENT | {Role.COMPLAINANT_CHAMPION}))
    if handler in WRITTEN:
        return bool(roles & ANSWERS_FOR_RESPONDENT)
    if handler == Handler.CRITICAL_FRIEND:
        return Role.CRITICAL_FRIEND in roles
    if handler in PANELS:
        return Role.CHAIR in roles or (Role.PANEL in roles and state.panel_convened)
    if handler == Handler.NATIONAL_BODY:
        return bool(roles & COMPLAINANT_SIDE)
    return False


def resolve_outcomes(state: State, roles: set) -> list[str]:
    """The outcomes someone may close an open complaint with."""
    return _outcomes(state, effective(roles))


def _outcomes(state, roles):
    if state.status != Status.OPEN:
        return []
    if Role.ADMINISTRATOR in roles:
        return [Outcome.RESOLVED, Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD, Outcome.REFERRED]
    outcomes = []
    # The organisation complained about cannot close a complaint against itself,
    # not even through someone who belongs to both sides.
    complainant = roles & COMPLAINANT_SIDE and not roles & RESPONDENT_SIDE
    if complainant or (Role.CRITICAL_FRIEND in roles and state.handler == Handler.CRITICAL_FRIEND):
        outcomes.append(Outcome.RESOLVED)
    if Role.PANEL in roles and EventKind.FINDINGS in state.stage_events:
        outcomes += [Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD]
        if Outcome.RESOLVED not in outcomes:
            outcomes.insert(0, Outcome.RESOLVED)
    if state.referral_result and complainant:
        outcomes.append(Outcome.REFERRED)
    return outcomes


PARTY = "party"
RESPONDENT = "respondent"
EARLIER_HANDLER = "earlier_handler"


def why_not(state: State, roles: set, action: Action) -> str | None:
    """Why `action` is closed to someone whose other roles would open it: they are a party, or handled an earlier stage.

    None when no rule of independence is what closes it (it is simply not their
    part of the procedure, or not that stage yet).
    """
    if action in available(state, roles):
        return None
    if roles & RESPONDENT_SIDE and action in _available(state, roles - RESPONDENT_SIDE):
        return RESPONDENT
    if roles & PARTIES and action in _available(state, roles & INDEPENDENT):
        return PARTY
    if Role.PAST_HANDLER in roles and action in _available(state, roles - {Role.PAST_HANDLER}):
        return EARLIER_HANDLER
    return None


def restriction(roles: set) -> str | None:
    """Why some of these roles count for less than they would (see `effective`), or None."""
    if roles & COMPLAINANT_SIDE and roles & RESPONDENT_SIDE:
        return RESPONDENT
    if roles == effective(roles):
        return None
    if roles & RESPONDENT_SIDE:
        return RESPONDENT
    return PARTY if roles & PARTIES else EARLIER_HANDLER


REASONS = {
    RESPONDENT: (
        "You belong to the organisation complained about, and it can neither close a complaint against "
        "itself nor handle a stage that must be independent of it."
    ),
    PARTY: (
        "You belong to an organisation that is a party to this complaint, so you act on it only for your side, "
        "never for the Compact."
    ),
    EARLIER_HANDLER: (
        "You handled an earlier stage of this complaint, so a later stage must be handled by someone else."
    ),
}


CAPACITIES = [
    (Capacity.COMPLAINANT, COMPLAINANT_SIDE),
    (Capacity.RESPONDENT, RESPONDENT_SIDE),
    (Capacity.PANEL, {Role.PANEL}),
    (Capacity.CHAIR, {Role.CHAIR}),
    (Capacity.CRITICAL_FRIEND, {Role.CRITICAL_FRIEND}),
    (Capacity.ADMINISTRATOR, {Role.ADMINISTRATOR}),
]


def capacity(state: State, roles: set, action: Action) -> Capacity | None:
    """The side or role in which someone takes `action`: the first of theirs that alone would open it to them.

    A side is tried on its own; a role of the Compact's with everything that
    could void it (being a party, having handled an earlier stage), so a party
    never acts "as" a role of the Compact's.
    """
    for name, group in CAPACITIES:
        if not roles & group:
            continue
        voiding = roles & (PARTIES | {Role.PAST_HANDLER}) if group & INDEPENDENT else roles & {Role.PAST_HANDLER}
        if action in available(state, (roles & group) | voiding):
            return name
    return None


class NotAllowed(Refused):
    """The action is not open to this person on this complaint now. A Refused of its own because the complaint's
    pages tell it apart from details a form can correct: they go back to the complaint and say why."""


def require(state: State, roles: set, action: Action):
    """Raise NotAllowed unless `action` is open to someone with `roles` now, saying why where a rule closes it."""
    if action not in available(state, roles):
        reason = why_not(state, roles, action)
        message = f"{LABELS[action]} is not open to you on this complaint now."
        raise NotAllowed(f"{message} {REASONS[reason]}" if reason else message)
