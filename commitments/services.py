"""Writes about records of Compact working: one function per action. Each runs in a transaction, locks the record
it changes, checks who is asking (commitments.permissions), keeps every version, works the figures out again and
queues its emails, sent after the transaction commits."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from compacts import audit, background, cache
from compacts.deadlines import add_working_days
from compacts.exceptions import Conflict, Refused
from compacts.locking import check_version
from compacts.models import Signatory, WorkPlanAction
from compacts.permissions import administers, require_work_plan_editor
from compacts.text import long_date, long_moment

from . import imports, notify
from .checking import check_record, kinds_measured
from .models import (
    RECORD_FACTS,
    Figure,
    ImportStatus,
    Record,
    RecordCheck,
    RecordImport,
    RecordKind,
    RecordResponse,
    RecordStatus,
    RecordVerdict,
    RecordVersion,
)
from .permissions import (
    answering_for,
    asked,
    require_corrector,
    require_recorder,
    require_responder,
    who_answers_for,
)
from .selectors import import_context

log = logging.getLogger(__name__)

PUBLIC_AFTER = 20  # working days after a record is made, it is public even if nobody confirmed it
DATES = ["starts_on", "decided_on", "notice_on", "due_on", "changes_on", "paid_on", "ends_on"]


# What a record of an organisation's own doing must name, by kind: someone on the other side to ask.
OWN_NEEDS = {
    RecordKind.CONSULTATION: (
        "Choose at least one organisation that was consulted: your organisation ran the consultation, so they are "
        "the ones asked to confirm or dispute the record."
    ),
    RecordKind.FUNDING: (
        "Choose the organisation funded, or who else is on the other side: your organisation is the funder, so they "
        "are the ones asked to confirm or dispute the record."
    ),
    RecordKind.PAYMENT: (
        "Choose the organisation paid, or who else is on the other side: your organisation pays, so they are the "
        "ones asked to confirm or dispute the record."
    ),
    RecordKind.OTHER: (
        "Choose at least one organisation it involved: it was your organisation's doing, so they are the ones asked "
        "to confirm or dispute the record."
    ),
}


def _check_facts(compact, commitments, facts, *, kind, recorded_for):
    """What a record says must hang together: its commitments and organisations are the Compact's, no period ends
    before it starts, and a record of the recording organisation's own doing names someone on the other side."""
    if not commitments:
        raise Refused("Choose the commitments this record tests.", field="commitments")
    if any(commitment.compact_id != compact.pk for commitment in commitments):
        raise Refused(f"Choose commitments of the {compact.short_name} Compact.", field="commitments")
    signed = set(Signatory.objects.filter(compact=compact).values_list("organisation_id", flat=True))
    about = facts["about"]
    if about.pk not in signed:
        raise Refused(f"Choose an organisation that signed the {compact.short_name} Compact.", field="about")
    counterpart = facts.get("counterpart")
    if counterpart is not None and counterpart.pk == about.pk:
        raise Refused("The organisation funded or paid cannot be the one that funds or pays.", field="counterpart")
    others = facts.get("others", [])
    if any(organisation.pk not in signed for organisation in others):
        raise Refused(f"Choose organisations that signed the {compact.short_name} Compact.", field="others")
    if any(organisation.pk == about.pk for organisation in others):
        raise Refused(f"{about} is the organisation whose doing this is: do not choose it here too.", field="others")
    if recorded_for is not None and recorded_for.pk == about.pk and not others and counterpart is None:
        raise Refused(OWN_NEEDS[kind], field="others")
    # Notice after the change, or a payment before it was due, are what some records are there to show.
    if facts.get("starts_on") and facts.get("ends_on") and facts["ends_on"] < facts["starts_on"]:
        raise Refused("This date must be on or after the first one.", field="ends_on")


def _apply(record, facts):
    for name in RECORD_FACTS:
        if name != "kind":
            setattr(record, name, facts.get(name, None if name not in ("recipient", "link", "identifier") else ""))
    record.occurred_on = next((facts[name] for name in DATES if facts.get(name)), None) or timezone.localdate()


def _work_out(record, commitments):
    """The record's checks, from scratch: each figure of each commitment it names that its kind measures."""
    RecordCheck.objects.filter(record=record).delete()
    figures = Figure.objects.filter(commitment__in=commitments, kind__in=kinds_measured(record.kind)).select_related(
        "commitment"
    )
    rows = record_checks(record, figures.order_by("commitment__order", "kind", "ref"), record.about)
    RecordCheck.objects.bulk_create(rows)
    return rows


def record_checks(record, figures, about):
    """The checks of `record` (unsaved), one for each of `figures` its kind measures, worked out by the checker
    against `about` (the Organisation the record is about): the one place a record's checks are made, for the
    service and for the scale data alike."""
    measured = kinds_measured(record.kind)
    rows = []
    for figure in figures:
        if figure.kind not in measured:
            continue
        result = check_record(figure, record, about)
        rows.append(
            RecordCheck(
                record=record,
                figure=figure,
                commitment=figure.commitment,
                compact=record.compact,
                occurred_on=record.occurred_on,
                public_from=record.public_from,
                outcome=result.outcome,
                working=result.working[:300],
                measured_days=result.measured_days,
            )
        )
    return rows


def _version(record, by, commitments, others, note=""):
    return RecordVersion.objects.create(
        record=record,
        number=record.version,
        facts={**record.facts(), "others": [organisation.pk for organisation in others]},
        commitments=[commitment.ref for commitment in commitments],
        by=by,
        at=timezone.now(),
        note=note,
    )


@transaction.atomic
def record_create(*, compact, by, recorded_for, kind, commitments, facts):
    """Record a case a figure commitment applies to; whoever answers for its other side is asked to confirm or
    dispute it (permissions.other_sides), or, where nobody can, the Compact's administrators are told."""
    require_recorder(by, compact, recorded_for)
    commitments = list(commitments)
    others = list(facts.get("others", []))
    _check_facts(compact, commitments, facts, kind=kind, recorded_for=recorded_for)
    today = timezone.localdate()
    record = Record(
        compact=compact,
        kind=kind,
        recorded_by=by,
        recorded_for=recorded_for,
        recorded_at=timezone.now(),
        public_from=add_working_days(today, PUBLIC_AFTER),
    )
    _apply(record, facts)
    if record.identifier and Record.objects.filter(compact=compact, identifier=record.identifier).exists():
        raise Refused("A record with this identifier is already in this Compact.", field="identifier")
    record.save()
    record.commitments.set(commitments)
    record.others.set(others)
    _version(record, by, commitments, others)
    _work_out(record, commitments)
    cache.content_changed()
    notify.record_to_answer(record, asked(record))
    return record


def _lock(record):
    return (
        Record.objects.select_for_update(of=("self",))
        .select_related("compact", "about", "counterpart", "recorded_for", "recorded_by")
        .get(pk=record.pk)
    )


def _corrected_meanwhile(record):
    latest = record.versions.order_by("-number").select_related("by").first()
    who = latest.by.get_full_name() or latest.by.email
    when = f"{long_moment(latest.at)}"
    return Conflict(
        f"This record was corrected by {who} on {when} while you had it open: read version {record.version} first."
    )


@transaction.atomic
def record_correct(*, record, by, version, commitments, facts, note):
    """Correct a record: a new version, every earlier one kept; its other side is asked again."""
    record = _lock(record)
    require_corrector(by, record)
    check_version(version, record.version, lambda: _corrected_meanwhile(record))
    if not note.strip():
        raise Refused("Say what you corrected and why: it is kept with the record.", field="note")
    commitments = list(commitments)
    others = list(facts.get("others", []))
    _check_facts(record.compact, commitments, facts, kind=record.kind, recorded_for=record.recorded_for)
    _apply(record, facts)
    if (
        record.identifier
        and Record.objects.filter(compact=record.compact, identifier=record.identifier).exclude(pk=record.pk).exists()
    ):
        raise Refused("A record with this identifier is already in this Compact.", field="identifier")
    record.version += 1
    record.status = RecordStatus.UNCONFIRMED
    record.save()
    record.commitments.set(commitments)
    record.others.set(others)
    _version(record, by, commitments, others, note=note.strip())
    _work_out(record, commitments)
    cache.content_changed()
    notify.record_to_answer(record, asked(record), corrected=True)
    return record


@transaction.atomic
def record_respond(*, record, by, version, verdict, comment=""):
    """Whoever answers for the other side confirms the record (it is then public) or disputes it, saying why."""
    record = _lock(record)
    require_responder(by, record)
    check_version(version, record.version, lambda: _corrected_meanwhile(record))
    if verdict == RecordVerdict.DISPUTE and not comment.strip():
        raise Refused("Say what is wrong with the record: it is shown beside it.", field="comment")
    response = RecordResponse.objects.create(
        record=record,
        version=record.version,
        verdict=verdict,
        comment=comment.strip(),
        by=by,
        organisation=answering_for(by, record),
        at=timezone.now(),
    )
    record.status = RecordStatus.CONFIRMED if verdict == RecordVerdict.CONFIRM else RecordStatus.DISPUTED
    fields = ["status"]
    if verdict == RecordVerdict.CONFIRM and record.public_from > timezone.localdate():
        record.public_from = timezone.localdate()
        fields.append("public_from")
        RecordCheck.objects.filter(record=record).update(public_from=record.public_from)
    record.save(update_fields=fields)
    cache.content_changed()
    notify.record_answered(record, response)
    return response


class ImportRefused(Refused):
    """Rows that cannot be imported: (line, column, what is wrong) each; and the columns' standard the file was read
    in ("portal" or "360Giving"), where it was read."""

    def __init__(self, problems, standard=""):
        super().__init__(f"{len(problems)} row{'s' if len(problems) != 1 else ''} cannot be imported.")
        self.problems = problems
        self.standard = standard


@transaction.atomic
def records_import(*, compact, by, kind, rows):
    """An administrator imports records from a file that `imports.read` found good: all of them, or none. An
    imported record is made for no organisation, so its other side is the organisation whose doing it is (who ran
    the consultation, or the funder): whoever answers for that is asked, as for any record (a recipient the file
    names is kept as the organisation funded, and is not asked)."""
    if not administers(by, compact):
        raise Refused(f"Only the {compact.short_name} Compact's administrators can import records.")
    _refuse_taken_identifiers(compact, rows)
    today, now = timezone.localdate(), timezone.now()
    public_from = add_working_days(today, PUBLIC_AFTER)
    made = []
    for _line, facts, commitments in rows:
        if commitments:
            _check_facts(compact, commitments, facts, kind=kind, recorded_for=None)
        record = Record(
            compact=compact, kind=kind, recorded_by=by, recorded_for=None, recorded_at=now, public_from=public_from
        )
        _apply(record, facts)
        record.save()
        record.commitments.set(commitments)
        _version(record, by, commitments, [], note="Imported from a file.")
        _work_out(record, commitments)
        made.append(record)
    cache.content_changed()
    organisations = {record.about_id: record.about for record in made}
    answerers = who_answers_for(compact.pk, list(organisations))
    for pk, organisation in organisations.items():
        notify.records_imported(compact, organisation, [r for r in made if r.about_id == pk], answerers[pk])
    return made


def _refuse_taken_identifiers(compact, rows):
    taken = _taken_identifiers(compact, rows)
    if taken:
        raise ImportRefused(taken)


def _taken_identifiers(compact, rows):
    """The rows whose identifier a record of the Compact has already, as problems (line, column, what is wrong)."""
    identifiers = {facts.get("identifier"): line for line, facts, _ in rows if facts.get("identifier")}
    taken = set(
        Record.objects.filter(compact=compact, identifier__in=list(identifiers)).values_list("identifier", flat=True)
    )
    message = "A record with this identifier is already in this Compact"
    return [(identifiers[i], "identifier", message) for i in sorted(taken)]


# Imports as tasks ------------------------------------------------------------------------------------------------
# A file is checked in the request, so that its bad rows are listed beside it at once; what it makes is made by a
# task (commitments.tasks.import_records), since a file of thousands of rows takes longer than a request may. The
# RecordImport row is the record: the task takes its lock and imports only while it is waiting, all or nothing, so
# a message delivered twice (a worker killed before it acknowledged) imports once, and a lost message is found by
# the sweep (`imports_to_sweep`).

IMPORT_SWEEP_AFTER = timedelta(minutes=30)  # longer than an import takes, so the sweep does not start a second
IMPORT_GIVE_UP_AFTER = timedelta(hours=3)  # after several sweeps: started again and again, and never finished


def records_import_queue(*, compact, by, kind, text):
    """An administrator hands over a CSV file's text, to be imported once this commits. Every row is read and checked
    first (imports.read), so that a file with any bad row, or an identifier already in the Compact, is refused
    whole (ImportRefused, each problem beside the file) and nothing is handed over; it is read again when it runs."""
    if not administers(by, compact):
        raise Refused(f"Only the {compact.short_name} Compact's administrators can import records.")
    found = imports.read(text, compact=compact, kind=kind, **import_context(compact, kind))
    problems = found.problems or _taken_identifiers(compact, found.rows)
    if problems:
        raise ImportRefused(problems, standard=found.standard)
    with transaction.atomic():
        job = RecordImport.objects.create(
            compact=compact, kind=kind, text=text, rows=len(found.rows), by=by, created_at=timezone.now()
        )
        transaction.on_commit(lambda: hand_over_imports([job.pk]))
    return job


def hand_over_imports(ids):
    """Start each import: through the worker where there is a broker, else on the web process's background thread
    (compacts.background), off the request. A broker that cannot be reached leaves them to the sweep."""
    from .tasks import import_records  # commitments.tasks imports this module

    for pk in ids:
        if not settings.CELERY_BROKER_URL:
            background.run(import_records, pk)
            continue
        try:
            import_records.delay(pk)
        except OperationalError as error:
            log.warning("The task broker is unreachable (%s): %s imports are left to the sweep", error, len(ids))
            return


def records_import_run(job_id):
    """Import one handed-over file, if it is still waiting: read again against the Compact as it is now (a
    signatory may have gone, another file may have taken an identifier), then all its records or none. Whoever
    handed it over is emailed what came of it. The import, or None if it was not waiting."""
    with transaction.atomic():
        job = _waiting_import(job_id)
        if job is None:
            return None
        found = imports.read(job.text, compact=job.compact, kind=job.kind, **import_context(job.compact, job.kind))
        job.problems = [list(problem) for problem in found.problems]
        if not job.problems:
            try:  # all or nothing: records_import is a transaction of its own
                job.made = len(records_import(compact=job.compact, by=job.by, kind=job.kind, rows=found.rows))
            except ImportRefused as refused:
                job.problems = [list(problem) for problem in refused.problems]
            except Refused as refused:
                job.error = str(refused)
        job.status = ImportStatus.FAILED if job.problems or job.error else ImportStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["problems", "made", "error", "status", "finished_at"])
        notify.record_import_finished(job)
    return job


def _waiting_import(job_id):
    """The import, locked until the transaction ends, if it is still waiting; else None."""
    return (
        RecordImport.objects.select_for_update(of=("self",))
        .select_related("compact", "by")
        .filter(pk=job_id, status=ImportStatus.QUEUED)
        .first()
    )


def records_import_failed(job_id, error):
    """An import that could not run at all, after every attempt: marked failed with why, for the administrators
    to see, and its maker emailed. Nothing was imported (each attempt is all or nothing)."""
    with transaction.atomic():
        job = _waiting_import(job_id)
        if job is None:
            return None
        job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
        job.error = f"The import stopped with an error, and nothing was imported: {error}"[:2000]
        job.save(update_fields=["status", "finished_at", "error"])
        notify.record_import_finished(job)
    return job


def imports_to_sweep(now):
    """Imports still waiting IMPORT_SWEEP_AFTER after they were handed over: their message was lost."""
    return RecordImport.objects.filter(status=ImportStatus.QUEUED, created_at__lte=now - IMPORT_SWEEP_AFTER)


def imports_sweep(now, batch=100):
    """Find the imports that are stuck. One still waiting IMPORT_GIVE_UP_AFTER after it was handed over has been
    started again and again and never finished (the process running it stops each time, say): it is marked failed,
    nothing imported, and its maker told. One waiting IMPORT_SWEEP_AFTER is handed over again. How many of each."""
    stuck = list(
        RecordImport.objects.filter(status=ImportStatus.QUEUED, created_at__lte=now - IMPORT_GIVE_UP_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )
    hours = int(IMPORT_GIVE_UP_AFTER.total_seconds() // 3600)
    for pk in stuck:
        records_import_failed(pk, f"it had not finished {hours} hours after it was handed over")
    again = list(imports_to_sweep(now).order_by("created_at").values_list("pk", flat=True)[:batch])
    hand_over_imports(again)
    return len(stuck), len(again)


# The work plan ------------------------------------------------------------------------------------------------------


def _state(action):
    return {
        "year": action.year,
        "what": action.title,
        "lead": action.lead,
        "due by": f"{long_date(action.due_on)}",
        "status": action.get_status_display(),
        **({"notes": action.notes} if action.notes else {}),
        **({"remind": action.owner.email} if action.owner else {}),
        "themes": ", ".join(sorted(theme.name for theme in action.themes.all())),
        "commitments": ", ".join(sorted(c.short_label for c in action.commitments.all())),
    }


@transaction.atomic
def work_plan_action_save(*, compact, by, action=None, version=None, themes=(), commitments=(), **fields):
    """Add an action to a Compact's work plan, or change one (refused if someone changed it since `version`)."""
    require_work_plan_editor(by, compact)
    if any(commitment.compact_id != compact.pk for commitment in commitments):
        raise Refused(f"Choose commitments of the {compact.short_name} Compact.")
    before = {}
    if action is None:
        action = WorkPlanAction(compact=compact)
    else:
        action = WorkPlanAction.objects.select_for_update().get(pk=action.pk, compact=compact)  # owner read after
        check_version(version, action.version, lambda: _action_changed_meanwhile(action))
        before = _state(action)
        action.version += 1
    for name, value in fields.items():
        setattr(action, name, value)
    action.updated_at = timezone.now()
    action.full_clean(exclude=["compact", "owner"])
    action.save()
    action.themes.set(themes)
    action.commitments.set(commitments)
    cache.content_changed()
    audit.record(
        compact,
        by,
        "Work-plan action changed" if before else "Work-plan action added",
        f"{action.year}: {action.title}",
        before=before,
        after=_state(action),
    )
    return action


def _action_changed_meanwhile(action):
    return Conflict(
        f"Someone changed this action while you were working on it (it now reads “{action.title}”, "
        f"{action.get_status_display().lower()}). Nothing was saved: check it, then save again."
    )
