"""Every (state, role, action) of the workflow, against a table written from the procedure's rules."""

import pytest

from disputes.workflow import Action, Role, State, available, resolve_outcomes

A = Action
CHAMPIONS_STAGE = {"status": "open", "handler": "champions", "has_next_stage": True, "has_deadline": True}
PANEL_STAGE = {"status": "open", "handler": "panel", "has_next_stage": True, "has_deadline": True, "acknowledged": True}
NATIONAL = {"status": "open", "handler": "national_body", "acknowledged": True}

STATES = {
    "draft": State(status="draft"),
    "just submitted": State(**CHAMPIONS_STAGE),
    "set out in writing": State(**CHAMPIONS_STAGE, stage_events=frozenset({"lodged"})),
    "answered": State(**CHAMPIONS_STAGE, acknowledged=True, stage_events=frozenset({"lodged", "response"})),
    "overdue": State(**CHAMPIONS_STAGE, overdue=True),
    "panel stage": State(**PANEL_STAGE),
    "panel sitting": State(**PANEL_STAGE, panel_convened=True),
    "panel found": State(**PANEL_STAGE, panel_convened=True, stage_events=frozenset({"findings"})),
    "national body": State(**NATIONAL),
    "referred": State(**NATIONAL, referred=True),
    "closed": State(status="closed"),
}
COMPLAINANT = {A.REFER, A.RESOLVE, A.WITHDRAW}
EXPECTED = {
    "draft": {Role.AUTHOR: {A.EDIT, A.SUBMIT}, Role.COMPLAINANT: {A.EDIT, A.SUBMIT}},
    "just submitted": {
        Role.AUTHOR: COMPLAINANT | {A.LODGE},
        Role.COMPLAINANT: COMPLAINANT | {A.LODGE},
        Role.COMPLAINANT_CHAMPION: COMPLAINANT | {A.LODGE, A.MEETING, A.EXTEND},
        Role.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.MEETING, A.EXTEND},
        Role.OFFICER: {A.ACKNOWLEDGE, A.MEETING, A.EXTEND},
        Role.ADMINISTRATOR: {A.REFER, A.RESOLVE, A.EXTEND},
    },
    "set out in writing": {
        Role.AUTHOR: COMPLAINANT,
        Role.COMPLAINANT: COMPLAINANT,
        Role.COMPLAINANT_CHAMPION: COMPLAINANT | {A.MEETING, A.EXTEND},
        Role.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.MEETING, A.RESPOND, A.EXTEND},
        Role.OFFICER: {A.ACKNOWLEDGE, A.MEETING, A.RESPOND, A.EXTEND},
        Role.ADMINISTRATOR: {A.REFER, A.RESOLVE, A.EXTEND},
    },
    "answered": {
        Role.AUTHOR: COMPLAINANT | {A.ESCALATE},
        Role.COMPLAINANT: COMPLAINANT | {A.ESCALATE},
        Role.COMPLAINANT_CHAMPION: COMPLAINANT | {A.ESCALATE, A.MEETING, A.EXTEND},
        Role.RESPONDENT_CHAMPION: {A.OFFICERS, A.MEETING, A.ESCALATE, A.EXTEND},
        Role.OFFICER: {A.MEETING, A.EXTEND},
        Role.ADMINISTRATOR: {A.REFER, A.RESOLVE, A.EXTEND},
    },
    "overdue": {
        Role.AUTHOR: COMPLAINANT | {A.LODGE, A.ESCALATE},
        Role.COMPLAINANT: COMPLAINANT | {A.LODGE, A.ESCALATE},
        Role.COMPLAINANT_CHAMPION: COMPLAINANT | {A.LODGE, A.ESCALATE, A.MEETING, A.EXTEND},
        Role.RESPONDENT_CHAMPION: {A.ACKNOWLEDGE, A.OFFICERS, A.MEETING, A.ESCALATE, A.EXTEND},
        Role.OFFICER: {A.ACKNOWLEDGE, A.MEETING, A.EXTEND},
        Role.ADMINISTRATOR: {A.REFER, A.RESOLVE, A.EXTEND},
    },
    "panel stage": {
        Role.AUTHOR: COMPLAINANT,
        Role.COMPLAINANT: COMPLAINANT,
        Role.COMPLAINANT_CHAMPION: COMPLAINANT,
        Role.RESPONDENT_CHAMPION: {A.OFFICERS},
        Role.CHAIR: {A.CONVENE, A.EXTEND},
        Role.ADMINISTRATOR: {A.CONVENE, A.REFER, A.RESOLVE, A.EXTEND},
    },
    "panel sitting": {
        Role.AUTHOR: COMPLAINANT,
        Role.COMPLAINANT: COMPLAINANT,
        Role.COMPLAINANT_CHAMPION: COMPLAINANT,
        Role.RESPONDENT_CHAMPION: {A.OFFICERS},
        Role.CHAIR: {A.EXTEND},
        Role.PANEL: {A.FINDINGS, A.EXTEND},
        Role.ADMINISTRATOR: {A.REFER, A.RESOLVE, A.EXTEND},
    },
    "panel found": {
        Role.AUTHOR: COMPLAINANT | {A.ESCALATE},
        Role.COMPLAINANT: COMPLAINANT | {A.ESCALATE},
        Role.COMPLAINANT_CHAMPION: COMPLAINANT | {A.ESCALATE},
        Role.RESPONDENT_CHAMPION: {A.OFFICERS, A.ESCALATE},
        Role.CHAIR: {A.EXTEND},
        Role.PANEL: {A.RESOLVE, A.EXTEND},
        Role.ADMINISTRATOR: {A.REFER, A.RESOLVE, A.EXTEND},
    },
    "national body": {
        Role.AUTHOR: COMPLAINANT,
        Role.COMPLAINANT: COMPLAINANT,
        Role.COMPLAINANT_CHAMPION: COMPLAINANT,
        Role.RESPONDENT_CHAMPION: {A.OFFICERS},
        Role.ADMINISTRATOR: {A.REFER, A.RESOLVE},
    },
    "referred": {
        Role.AUTHOR: {A.REFERRAL_RESULT, A.RESOLVE, A.WITHDRAW},
        Role.COMPLAINANT: {A.REFERRAL_RESULT, A.RESOLVE, A.WITHDRAW},
        Role.COMPLAINANT_CHAMPION: {A.REFERRAL_RESULT, A.RESOLVE, A.WITHDRAW},
        Role.RESPONDENT_CHAMPION: {A.OFFICERS},
        Role.ADMINISTRATOR: {A.REFERRAL_RESULT, A.RESOLVE},
    },
    "closed": {},
}


@pytest.mark.parametrize("state_name", STATES)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_every_state_role_and_action(state_name, role, action):
    expected = action in EXPECTED[state_name].get(role, set())
    assert (action in available(STATES[state_name], {role})) is expected


def test_outcomes_each_role_may_record():
    found = STATES["panel found"]
    assert resolve_outcomes(found, {Role.PANEL}) == ["resolved", "upheld", "partly_upheld", "not_upheld"]
    assert resolve_outcomes(found, {Role.COMPLAINANT}) == ["resolved"]
    assert resolve_outcomes(found, {Role.RESPONDENT_CHAMPION}) == []
    assert resolve_outcomes(STATES["referred"], {Role.AUTHOR}) == ["resolved"]
    assert "referred" in resolve_outcomes(State(**NATIONAL, referred=True, referral_result=True), {Role.AUTHOR})
    assert resolve_outcomes(STATES["closed"], {Role.ADMINISTRATOR}) == []


def test_a_party_cannot_convene_or_sit_as_the_chair():
    assert A.CONVENE not in available(STATES["panel stage"], {Role.CHAIR, Role.RESPONDENT_CHAMPION})
