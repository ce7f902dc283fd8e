"""Which actions are open on a complaint, and to whom. Pure: no database.

The procedure itself is data (each Compact's stages, with who handles each);
this module reads a complaint's state and a person's roles in it and answers
which actions they may take now. Views show exactly those; services refuse
anything else (`require`).
"""

from dataclasses import dataclass, field
from enum import StrEnum


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


class Role(StrEnum):
    AUTHOR = "author"  # raised the complaint
    COMPLAINANT = "complainant"  # a member of the complaining organisation
    COMPLAINANT_CHAMPION = "complainant_champion"
    RESPONDENT_CHAMPION = "respondent_champion"
    OFFICER = "officer"  # named by the respondent's Champion to answer it
    CHAIR = "chair"  # the Compact's steering group or panel chair
    CRITICAL_FRIEND = "critical_friend"
    PANEL = "panel"  # chair or member of this complaint's panel at the current stage
    ADMINISTRATOR = "administrator"
    PAST_HANDLER = "past_handler"  # acted at an earlier stage


COMPLAINANT_SIDE = {Role.AUTHOR, Role.COMPLAINANT, Role.COMPLAINANT_CHAMPION}
RESPONDENT_SIDE = {Role.RESPONDENT_CHAMPION, Role.OFFICER}
PARTIES = COMPLAINANT_SIDE | RESPONDENT_SIDE

# What a stage's handler does, and which event counts as the stage's answer
# (after which, or once overdue, the complaint may move on).
INFORMAL = {"champions"}
WRITTEN = {"champions", "respondent", "decision_makers"}
PANELS = {"panel", "partners_group"}
ANSWER = {
    "champions": "response",
    "respondent": "response",
    "decision_makers": "response",
    "critical_friend": "meeting",
    "panel": "findings",
    "partners_group": "findings",
    "national_body": "referral_result",
    "complainant": "lodged",
}


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


def available(state: State, roles: set) -> list[Action]:
    """The actions open to someone with `roles` on a complaint in `state`, in a sensible order."""
    if state.status == "draft":
        return [Action.EDIT, Action.SUBMIT] if roles & {Role.AUTHOR, Role.COMPLAINANT} else []
    if state.status != "open":
        return []
    handler = state.handler
    events = state.stage_events
    complainant = bool(roles & COMPLAINANT_SIDE)
    respondent = bool(roles & RESPONDENT_SIDE)
    admin = Role.ADMINISTRATOR in roles
    handles_stage = handlers(state, roles)
    answered = ANSWER.get(handler) in events
    actions = []
    if respondent and not state.acknowledged:
        actions.append(Action.ACKNOWLEDGE)
    if Role.RESPONDENT_CHAMPION in roles:
        actions.append(Action.OFFICERS)
    champions = roles & {Role.COMPLAINANT_CHAMPION, Role.RESPONDENT_CHAMPION, Role.OFFICER}
    if (handler in INFORMAL and champions) or (handler == "critical_friend" and Role.CRITICAL_FRIEND in roles):
        actions.append(Action.MEETING)
    if handler in WRITTEN and complainant and "lodged" not in events:
        actions.append(Action.LODGE)
    if (
        handler in WRITTEN
        and respondent
        and "response" not in events
        and (handler not in INFORMAL or "lodged" in events)
    ):
        actions.append(Action.RESPOND)
    if handler in PANELS and not state.panel_convened and ((Role.CHAIR in roles and not roles & PARTIES) or admin):
        actions.append(Action.CONVENE)
    if handler in PANELS and state.panel_convened and Role.PANEL in roles and "findings" not in events:
        actions.append(Action.FINDINGS)
    # Escalation is for the complainant's side or a Champion (not a named officer).
    if state.has_next_stage and (complainant or Role.RESPONDENT_CHAMPION in roles) and (answered or state.overdue):
        actions.append(Action.ESCALATE)
    if not state.referred and (complainant or admin):
        actions.append(Action.REFER)
    if state.referred and not state.referral_result and (complainant or admin):
        actions.append(Action.REFERRAL_RESULT)
    if resolve_outcomes(state, roles):
        actions.append(Action.RESOLVE)
    if state.has_deadline and (handles_stage or admin):
        actions.append(Action.EXTEND)
    if complainant:
        actions.append(Action.WITHDRAW)
    return actions


def handlers(state: State, roles: set) -> bool:
    """Whether someone with `roles` handles the complaint's current stage."""
    handler = state.handler
    if handler in INFORMAL:
        return bool(roles & (RESPONDENT_SIDE | {Role.COMPLAINANT_CHAMPION}))
    if handler in WRITTEN:
        return bool(roles & RESPONDENT_SIDE)
    if handler == "critical_friend":
        return Role.CRITICAL_FRIEND in roles
    if handler in PANELS:
        panel = Role.PANEL in roles and state.panel_convened
        return (panel or Role.CHAIR in roles) and not roles & PARTIES
    if handler in ("national_body", "complainant"):
        return bool(roles & COMPLAINANT_SIDE)
    return False


def resolve_outcomes(state: State, roles: set) -> list[str]:
    """The outcomes someone may close an open complaint with."""
    if state.status != "open":
        return []
    if Role.ADMINISTRATOR in roles:
        return ["resolved", "upheld", "partly_upheld", "not_upheld", "referred"]
    outcomes = []
    # The organisation complained about cannot close a complaint against itself.
    if roles & COMPLAINANT_SIDE or (Role.CRITICAL_FRIEND in roles and state.handler == "critical_friend"):
        outcomes.append("resolved")
    if Role.PANEL in roles and "findings" in state.stage_events:
        outcomes += ["upheld", "partly_upheld", "not_upheld"]
        if "resolved" not in outcomes:
            outcomes.insert(0, "resolved")
    if state.referral_result and roles & COMPLAINANT_SIDE:
        outcomes.append("referred")
    return outcomes


def can_see(roles: set) -> bool:
    """Whether someone with `roles` may see the complaint at all."""
    return bool(roles)


class NotAllowed(Exception):
    """The action is not open to this person on this complaint now."""


def require(state: State, roles: set, action: Action):
    """Raise NotAllowed unless `action` is open to someone with `roles` now."""
    if action not in available(state, roles):
        raise NotAllowed(f"{LABELS[action]} is not open to you on this complaint now.")
