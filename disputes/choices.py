"""The choices a complaint's rows are made of and its workflow reads: who handles a stage, a complaint's status and
outcome, the kinds of event on its timeline and in what capacity someone acted. Django's TextChoices are plain str
enums, and nothing here touches the database: the models use them for their fields, and workflow.py, which is pure,
for its rules."""

from django.db.models import TextChoices


class Handler(TextChoices):
    """Who handles a stage. Each has a whole path to an answer in disputes.workflow (see ANSWER)."""

    CHAMPIONS = "champions", "The Compact Champions of the organisations in dispute"
    PARTIES = "parties", "The organisations in dispute, between themselves"
    RESPONDENT = "respondent", "The organisation complained about"
    CRITICAL_FRIEND = "critical_friend", "A named critical friend"
    PANEL = "panel", "A disputes panel"
    PARTNERS_GROUP = "partners_group", "A small group of partners"
    DECISION_MAKERS = "decision_makers", "The key decision makers"
    NATIONAL_BODY = "national_body", "A national body"


class Status(TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Outcome(TextChoices):
    RESOLVED = "resolved", "Resolved by agreement"
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFERRED = "referred", "Referred outside the portal"


class EventKind(TextChoices):
    SUBMITTED = "submitted", "Complaint submitted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    MEETING = "meeting", "Informal meeting recorded"
    LODGED = "lodged", "Complaint set out in writing"
    RESPONSE = "response", "Formal response given"
    ESCALATED = "escalated", "Moved to the next stage"
    PANEL = "panel", "Panel convened"
    FINDINGS = "findings", "Findings and recommendations"
    REFERRED = "referred", "Referred outside the portal"
    REFERRAL_RESULT = "referral_result", "Result of the referral"
    RESOLVED = "resolved", "Closed with an outcome"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXTENDED = "extended", "Deadline changed"
    OFFICERS = "officers", "Officers named"
    NOTE = "note", "Note"


class Capacity(TextChoices):
    """Who someone acted as when they did something: a side, or a role of the Compact's (workflow.capacity)."""

    COMPLAINANT = "complainant", "for the complainant"
    RESPONDENT = "respondent", "for the organisation complained about"
    PANEL = "panel", "as a member of the panel"
    CHAIR = "chair", "as chair"
    CRITICAL_FRIEND = "critical_friend", "as critical friend"
    ADMINISTRATOR = "administrator", "as the Compact's administrator"
