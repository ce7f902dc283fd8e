"""Every change to a complaint goes through one function here.

Each runs in a transaction that locks the complaint row, checks that the
person may take the action now (workflow.require) and that nobody changed the
complaint since they loaded it (`version`), writes a timeline event, and
queues its emails, which are sent only after the transaction commits.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from compacts import deadlines
from compacts import selectors as compact_selectors
from compacts.exceptions import Conflict, Refused
from compacts.locking import check_version
from compacts.models import Compact
from compacts.permissions import email_confirmed
from compacts.text import is_id

from . import notify, permissions, selectors, workflow
from .filetypes import RefusedFile, check_upload
from .models import (
    Attachment,
    CitedCommitment,
    Complaint,
    ComplaintEvent,
    EventKind,
    Outcome,
    Panel,
    StageClock,
    Status,
)
from .workflow import Action


class AlreadySubmitted(workflow.NotAllowed):
    """The draft was submitted meanwhile (the same form sent twice: a double click): answer as the submit that won.
    A NotAllowed of its own because the pages that send a draft tell it apart, to show the complaint as submitted."""

    def __init__(self, complaint):
        self.complaint = complaint
        super().__init__("This complaint has been submitted and can no longer be edited.")


@dataclass
class FileNotKept:
    """A file sent with a complaint that was not kept, and why: the person is told which to attach again."""

    name: str
    reason: str


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which capacity (workflow.Capacity), and for which organisation of the complaint's."""

    user: object
    capacity: str
    organisation_id: int | None


def _actor(complaint, view, by, action):
    capacity = workflow.capacity(view.state, view.roles, action)
    organisation = {
        workflow.Capacity.COMPLAINANT: complaint.complainant_id,
        workflow.Capacity.RESPONDENT: complaint.respondent_id,
    }.get(capacity)
    return Actor(user=by, capacity=capacity or "", organisation_id=organisation)


# Drafts ---------------------------------------------------------------------


@transaction.atomic
def complaint_save_draft(*, complaint=None, by, compact, complainant, fields, commitments, files):
    """Create or update a draft with whatever was entered; keep every acceptable file.

    Only a confirmed member of the complaining organisation may, and only for
    the Compact's own signatories and commitments. Returns the draft and the
    files refused (with why), so that the person can be told exactly which
    files to attach again.
    """
    if complaint is None:
        complaint = Complaint(compact=compact, raised_by=by, complainant=complainant)
    else:
        complaint = Complaint.objects.select_for_update(of=("self",)).select_related("compact").get(pk=complaint.pk)
        if complaint.status != Status.DRAFT:
            raise AlreadySubmitted(complaint)
        view = selectors.view_for(permissions.person(by), complaint, timezone.localdate())
        workflow.require(view.state, view.roles, Action.EDIT)
        compact = complaint.compact
        complaint.complainant = complainant
    if complainant.pk not in {organisation.pk for organisation in selectors.my_organisations(by)}:
        raise workflow.NotAllowed("You can complain only for an organisation you are a confirmed member of.")
    if not email_confirmed(by):
        raise workflow.NotAllowed("Confirm your email address before you raise a complaint.")
    errors = {}
    respondent = fields.get("respondent")
    if respondent and respondent.pk == complainant.pk:
        errors["respondent"] = f"Choose an organisation other than {complainant}: it cannot complain about itself"
    elif respondent and respondent.pk not in {organisation.pk for organisation in selectors.respondents(compact)}:
        errors["respondent"] = f"Choose an organisation that signed the {compact.short_name} Compact"
    if any(commitment.compact_id != compact.pk for commitment in commitments):
        errors["commitments"] = f"Choose commitments of the {compact.short_name} Compact"
    _raise_any(errors)
    for name in ("summary", "what_happened", "happened_on", "outcome_wanted", "respondent"):
        setattr(complaint, name, fields.get(name) or (None if name in ("happened_on", "respondent") else ""))
    complaint.full_clean(exclude=["reference", "number", "respondent"])
    complaint.save()
    complaint.citations.exclude(commitment__in=commitments).delete()
    existing = set(complaint.citations.values_list("commitment_id", flat=True))
    CitedCommitment.objects.bulk_create(
        CitedCommitment(complaint=complaint, commitment=c) for c in commitments if c.pk not in existing
    )
    refused = _attach(complaint, by, files, event=None)
    return complaint, refused


def _refused(files):
    refused = []
    for upload in files:
        try:
            check_upload(upload)
        except RefusedFile as reason:
            refused.append(FileNotKept(upload.name, str(reason)))
    return refused


def _attach(complaint, by, files, event):
    refused = []
    for upload in files:
        try:
            kind = check_upload(upload)
        except RefusedFile as reason:
            refused.append(FileNotKept(upload.name, str(reason)))
            continue
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        Attachment.objects.create(
            complaint=complaint,
            event=event,
            file=upload,
            original_name=upload.name[:255],
            mime=kind.mime,
            label=kind.label,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=by,
        )
    return refused


@transaction.atomic
def complaint_remove_draft_file(*, complaint, by, attachment_id):
    """Take a file off a draft (the stored file goes once that commits)."""
    complaint = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    view = selectors.view_for(permissions.person(by), complaint, timezone.localdate())
    workflow.require(view.state, view.roles, Action.EDIT)
    attachment = None
    if is_id(attachment_id):
        attachment = complaint.attachments.filter(pk=int(attachment_id), event__isnull=True).first()
    if attachment is None:
        raise Refused(errors={"files": "That file is not attached to this draft: it may have been removed already"})
    Attachment.objects.filter(pk=attachment.pk).delete()
    transaction.on_commit(lambda: attachment.file.delete(save=False))
    return attachment


def missing_for_submission(complaint):
    """What a draft still needs before it can be submitted, field by field."""
    return missing_details(
        summary=complaint.summary,
        respondent=complaint.respondent_id,
        commitments=complaint.citations.exists(),
        what_happened=complaint.what_happened,
        outcome_wanted=complaint.outcome_wanted,
    )


def missing_details(*, summary, respondent, commitments, what_happened, outcome_wanted):
    """What a complaint with these details would still need before it could be submitted, field by field."""
    missing = {}
    if not summary:
        missing["summary"] = "Enter a one-line summary of the complaint"
    if not respondent:
        missing["respondent"] = "Choose the organisation the complaint is about"
    if not commitments:
        missing["commitments"] = "Choose at least one commitment that was broken"
    if not what_happened:
        missing["what_happened"] = "Describe what happened"
    if not outcome_wanted:
        missing["outcome_wanted"] = "Say what outcome you want"
    return missing


@transaction.atomic
def complaint_send(*, complaint=None, by, compact, complainant, fields, commitments, files):
    """Submit a complaint as entered on the form (a new one, or a draft with its changes): all or nothing, so a
    complaint with anything missing, or a file refused, is not saved, not even as a draft."""
    errors = missing_details(
        summary=fields.get("summary"),
        respondent=fields.get("respondent"),
        commitments=commitments,
        what_happened=fields.get("what_happened"),
        outcome_wanted=fields.get("outcome_wanted"),
    )
    refused = _refused(files)
    if refused:
        errors["files"] = "; ".join(f"{r.name}: {r.reason}" for r in refused)
    _raise_any(errors)
    draft, _ = complaint_save_draft(
        complaint=complaint,
        by=by,
        compact=compact,
        complainant=complainant,
        fields=fields,
        commitments=commitments,
        files=files,
    )
    return complaint_submit(complaint=draft, by=by, version=draft.version)


@transaction.atomic
def complaint_delete_draft(*, complaint, by):
    """Delete a draft its author no longer wants, with its files (a submitted complaint is never deleted)."""
    complaint = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    if complaint.status != Status.DRAFT:
        raise AlreadySubmitted(complaint)
    view = selectors.view_for(permissions.person(by), complaint, timezone.localdate())
    workflow.require(view.state, view.roles, Action.EDIT)  # whoever may change a draft may throw it away
    files = [attachment.file for attachment in complaint.attachments.all()]
    complaint.attachments.all().delete()
    complaint.delete()
    transaction.on_commit(lambda: _delete_stored(files))
    return complaint


def _delete_stored(files):
    for file in files:
        file.delete(save=False)


@transaction.atomic
def complaint_submit(*, complaint, by, version):
    """Submit a complete draft: give it a reference, snapshot the cited wording, start the first stage."""
    complaint = _lock(complaint)
    if complaint.status != Status.DRAFT:
        raise AlreadySubmitted(complaint)
    check_version(version, complaint.version, lambda: _changed_meanwhile(complaint, version))
    view = selectors.view_for(permissions.person(by), complaint, timezone.localdate())
    workflow.require(view.state, view.roles, Action.SUBMIT)
    missing = missing_for_submission(complaint)
    if missing:
        raise Refused(errors=missing)
    if not view.stages:
        raise Refused(errors={"compact": "This Compact has no dispute procedure yet"})
    Compact.objects.select_for_update().get(pk=complaint.compact_id)  # one number at a time per Compact
    now = timezone.now()
    year = timezone.localdate().year
    last = Complaint.objects.filter(compact=complaint.compact_id, submitted_at__year=year).aggregate(n=Max("number"))
    complaint.number = (last["n"] or 0) + 1
    complaint.reference = f"{complaint.compact.reference_prefix}-{year}-{complaint.number:04d}"
    complaint.status = Status.OPEN
    complaint.submitted_at = now
    complaint.cited_version = compact_selectors.version_in_force(complaint.compact_id, now)
    for citation in complaint.citations.select_related("commitment"):
        citation.text = citation.commitment.text
        citation.lead_in = citation.commitment.lead_in
        citation.number = citation.commitment.number  # as printed; none where none is printed
        citation.save(update_fields=["text", "lead_in", "number"])
    actor = _actor(complaint, view, by, Action.SUBMIT)
    event = _event(complaint, actor, EventKind.SUBMITTED, stage=view.stages[0], text=complaint.what_happened)
    complaint.attachments.filter(event__isnull=True).update(event=event)
    _enter_stage(complaint, view.stages[0], now)
    _save(complaint)
    notify.submitted(complaint, event)
    return event


# Acting on an open complaint ----------------------------------------------------


@transaction.atomic
def complaint_act(*, complaint, by, action, version, text="", files=(), **details):
    """Take one action on an open complaint (see workflow.Action), as `by`."""
    if action not in ACTIONS:
        raise workflow.NotAllowed(f"{workflow.LABELS[action]} is not an action on a submitted complaint.")
    complaint = _lock(complaint)
    check_version(version, complaint.version, lambda: _changed_meanwhile(complaint, version))
    view = selectors.view_for(permissions.person(by), complaint, timezone.localdate())
    workflow.require(view.state, view.roles, action)
    refused = _refused(files)
    if refused:
        raise Refused(errors={"files": "; ".join(f"{r.name}: {r.reason}" for r in refused)})
    event = ACTIONS[action](complaint, _actor(complaint, view, by, action), view, text=text, **details)
    _attach(complaint, by, files, event)
    _save(complaint)
    notify.changed(complaint, event)
    return event


def _require_text(text, message):
    _raise_any({"text": message} if not text.strip() else {})


def _raise_any(errors):
    if errors:
        raise Refused(errors=errors)


def _acknowledge(complaint, actor, view, *, text):
    return _event(complaint, actor, EventKind.ACKNOWLEDGED, text=text)


def _meeting(complaint, actor, view, *, text, held_on=None, attendees=""):
    errors = {"text": "Say what was discussed and agreed"} if not text.strip() else {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    elif held_on > view.today:
        errors["held_on"] = "The date of the meeting must be today or in the past"
    _raise_any(errors)
    return _event(complaint, actor, EventKind.MEETING, text=text, data={"held_on": held_on, "attendees": attendees})


def _lodge(complaint, actor, view, *, text):
    _require_text(text, "Set out the complaint")
    return _event(complaint, actor, EventKind.LODGED, text=text)


def _respond(complaint, actor, view, *, text):
    _require_text(text, "Enter the formal response")
    return _event(complaint, actor, EventKind.RESPONSE, text=text)


def _findings(complaint, actor, view, *, text, recommendations=""):
    _require_text(text, "Enter the panel's findings")
    return _event(complaint, actor, EventKind.FINDINGS, text=text, data={"recommendations": recommendations})


def _escalate(complaint, actor, view, *, text, understood=False):
    """Move to the next stage; where the body that stage goes to no longer exists, only once told so."""
    next_stage = view.next_stage
    errors = {} if text.strip() else {"text": "Say why the complaint should move to the next stage"}
    if next_stage.body and next_stage.body.closed and not understood:
        errors["understood"] = (
            f"Confirm that you understand the body this stage goes to, {next_stage.body}, no longer exists"
        )
    _raise_any(errors)
    now = timezone.now()
    event = _event(
        complaint,
        actor,
        EventKind.ESCALATED,
        text=text,
        data={"from": complaint.current_stage.name, "to": next_stage.name},
    )
    _enter_stage(complaint, next_stage, now)
    return event


def _convene(complaint, actor, view, *, text, chair=None, members=()):
    """Convene a panel: only people of the Compact (permissions.panel_pool), nobody from a party organisation,
    nobody who handled an earlier stage. A chair other than the Compact's own is an independent chair."""
    errors = {}
    if chair is None:
        errors["chair"] = "Choose who chairs the panel"
    if not members:
        errors["members"] = "Choose at least one panel member"
    people = [p for p in [chair, *members] if p is not None]
    pool = permissions.panel_pool(complaint.compact_id)
    conflicts = permissions.conflicts(complaint, [p.pk for p in people])
    for person in people:
        field = "chair" if person == chair else "members"
        if person.pk not in pool:
            errors.setdefault(
                field,
                f"{_name(person)} cannot sit on the panel: they are not a Champion, role holder or member of an "
                f"organisation that signed the {complaint.compact.short_name} Compact",
            )
        elif person.pk in conflicts:
            errors.setdefault(field, f"{_name(person)} cannot sit on the panel: {conflicts[person.pk]}")
    if chair is not None and chair in members:
        errors["members"] = "The chair is already on the panel: choose other members"
    _raise_any(errors)
    independent = chair.pk not in {u.pk for u in selectors.usual_chairs(complaint.compact_id)}
    panel = Panel.objects.create(
        complaint=complaint,
        stage=complaint.current_stage,
        chair=chair,
        independent_chair=independent,
        convened_by=actor.user,
    )
    panel.members.set(members)
    return _event(
        complaint,
        actor,
        EventKind.PANEL,
        text=text,
        data={
            "chair": _name(chair),
            "members": ", ".join(_name(m) for m in members),
            "independent_chair": independent,
        },
    )


def _name(user):
    return user.get_full_name() or user.email


def _refer(complaint, actor, view, *, text, body=""):
    errors = {"body": "Choose where the complaint is referred to"} if not body else {}
    if not text.strip():
        errors["text"] = "Say what was sent and to whom"
    _raise_any(errors)
    return _event(complaint, actor, EventKind.REFERRED, text=text, data={"body": body})


def _referral_result(complaint, actor, view, *, text):
    _require_text(text, "Enter the result of the referral")
    return _event(complaint, actor, EventKind.REFERRAL_RESULT, text=text)


def _resolve(complaint, actor, view, *, text, outcome=""):
    if outcome not in workflow.resolve_outcomes(view.state, view.roles):
        raise Refused(errors={"outcome": "Choose an outcome you can record"})
    _require_text(text, "Summarise the outcome")
    return _close(complaint, actor, outcome, text)


def _withdraw(complaint, actor, view, *, text):
    return _close(complaint, actor, Outcome.WITHDRAWN, text)


def _close(complaint, actor, outcome, text):
    now = timezone.now()
    event = _event(
        complaint,
        actor,
        EventKind.WITHDRAWN if outcome == Outcome.WITHDRAWN else EventKind.RESOLVED,
        text=text,
        data={"outcome": outcome},
    )
    complaint.status = Status.CLOSED
    complaint.outcome = outcome
    complaint.outcome_summary = text
    complaint.closed_at = now
    StageClock.objects.filter(complaint=complaint, ended_at__isnull=True).update(ended_at=now)
    complaint.stage_due_on = None
    return event


def _extend(complaint, actor, view, *, text, new_due_on=None):
    errors = {"text": "Say why the deadline changes"} if not text.strip() else {}
    if new_due_on is None:
        errors["new_due_on"] = "Enter the new due date"
    elif new_due_on < view.today:
        errors["new_due_on"] = "The new due date must be today or later"
    elif new_due_on == complaint.stage_due_on:
        errors["new_due_on"] = "The new due date is the same as the current one"
    _raise_any(errors)
    old = complaint.stage_due_on
    StageClock.objects.filter(complaint=complaint, ended_at__isnull=True).update(
        due_on=new_due_on, reminded_before=False, reminded_overdue=False
    )
    complaint.stage_due_on = new_due_on
    return _event(complaint, actor, EventKind.EXTENDED, text=text, data={"from": old, "to": new_due_on})


def _officers(complaint, actor, view, *, text, officers=()):
    """The respondent's Champion names the officers who will answer the complaint (they then see it)."""
    if not officers:
        _raise_any({"officers": "Choose at least one officer to answer the complaint"})
    if {o.pk for o in officers} == {o.pk for o in complaint.officers.all()}:
        _raise_any({"officers": "These are the officers already named: choose a change"})
    staff = set(permissions.respondent_staff(complaint).values_list("user_id", flat=True))
    outsiders = [o for o in officers if o.pk not in staff]
    if outsiders:
        names = ", ".join(_name(o) for o in outsiders)
        _raise_any({"officers": f"Only people in {complaint.respondent} can answer for it: not {names}"})
    complaint.officers.set(officers)
    return _event(
        complaint, actor, EventKind.OFFICERS, text=text, data={"officers": ", ".join(_name(o) for o in officers)}
    )


ACTIONS = {
    Action.OFFICERS: _officers,
    Action.ACKNOWLEDGE: _acknowledge,
    Action.MEETING: _meeting,
    Action.LODGE: _lodge,
    Action.RESPOND: _respond,
    Action.ESCALATE: _escalate,
    Action.CONVENE: _convene,
    Action.FINDINGS: _findings,
    Action.REFER: _refer,
    Action.REFERRAL_RESULT: _referral_result,
    Action.RESOLVE: _resolve,
    Action.WITHDRAW: _withdraw,
    Action.EXTEND: _extend,
}


# Shared steps ---------------------------------------------------------------------


def _lock(complaint):
    """The complaint, locked until the transaction ends."""
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("compact", "current_stage")
        .get(pk=complaint.pk)
    )


def _changed_meanwhile(locked, version):
    """The Conflict that says what changed since `version` was read. Every change after submission writes exactly
    one event and adds one to the version, so the events since are the newest (current - seen) ones."""
    missed = max(locked.version - version, 1)
    since = list(ComplaintEvent.objects.filter(complaint=locked).select_related("by").order_by("-at", "-id")[:missed])
    events = list(reversed(since))
    names = "; ".join(f"{e.get_kind_display()} by {e.by.get_full_name() or e.by.email}" for e in events)
    return Conflict(f"This complaint changed while you were working on it: {names or 'it was updated'}.", events)


def _event(complaint, actor, kind, *, stage=None, text="", data=None):
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        by=actor.user,
        by_organisation_id=actor.organisation_id,
        acting_as=actor.capacity,
        stage=stage or complaint.current_stage,
        text=text,
        data=_jsonable(data or {}),
    )


def _jsonable(data):
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}


def _enter_stage(complaint, stage, now):
    """Start the clock of `stage` (ending the one before) and set its due date."""
    StageClock.objects.filter(complaint=complaint, ended_at__isnull=True).update(ended_at=now)
    started_on = timezone.localdate(now)
    due = deadlines.due_date(started_on, stage.time_limit, stage.time_unit).due if stage.time_limit else None
    StageClock.objects.create(
        complaint=complaint,
        stage=stage,
        started_on=started_on,
        started_at=now,
        time_limit=stage.time_limit,
        time_unit=stage.time_unit,
        due_on=due,
        original_due_on=due,
    )
    complaint.current_stage = stage
    complaint.stage_started_on = started_on
    complaint.stage_due_on = due


def _save(complaint):
    complaint.version += 1
    complaint.save()


# People ---------------------------------------------------------------------------
