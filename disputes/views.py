import csv
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods

from commitments import permissions as record_permissions
from commitments.models import CheckOutcome, Commitment, Record, RecordVerdict
from compacts.exports import safe_row
from compacts.models import (
    Compact,
    CompactRole,
    CompactRoleKind,
    Membership,
    MembershipRole,
    MembershipStatus,
    Signatory,
)
from compacts.permissions import email_confirmed
from compacts.text import is_id, long_date

from . import notify, permissions, selectors, services, workflow
from .filetypes import download_name
from .forms import ActionForm, ComplaintForm
from .models import Attachment, Complaint, EventKind, ResponseTemplate, Stage, StageClock, Status
from .workflow import Action

PAGE_SIZE = 50


# Lists ----------------------------------------------------------------------------


@login_required
def complaint_list(request):
    """My complaints, and every complaint involving my organisations: overdue first, then soonest due."""
    who = permissions.person(request.user)
    page = selectors.queue_page(_filtered(request, who), request.GET.get("page"), PAGE_SIZE, timezone.localdate())
    params = request.GET.copy()
    params.pop("page", None)
    compacts = list(_visible_compacts(who))
    return render(
        request,
        "disputes/list.html",
        {
            "page": page,
            "complaints": page.object_list,
            "compacts": compacts,
            "stage_groups": _stage_choices(compacts),
            "filters": request.GET,
            "query_string": params.urlencode(),
            "statuses": Status.choices,
            "manages": who.manages,
        },
    )


def _visible_compacts(who):
    """The Compacts to filter the list by: those of the person's roles, and those their organisations signed."""
    ids = {c for _, c in who.champion_of} | who.administrator_of | who.chair_of | who.critical_friend_of
    signed = Signatory.objects.filter(organisation__in=who.member_of).values("compact_id")
    compacts = Compact.objects.filter(Q(pk__in=ids) | Q(pk__in=signed)).order_by("short_name")
    return compacts.values("slug", "short_name")


def _stage_choices(compacts):
    """The stages to filter the list by, each by the words of its own procedure ("Stage 2: Arbitration by the
    Disputes Resolution Panel"), grouped by Compact: a stage number means something different in each."""
    stages = (
        Stage.objects.filter(procedure__compact__slug__in=[compact["slug"] for compact in compacts])
        .order_by("procedure__compact__short_name", "order")
        .values("pk", "label", "name", "procedure__compact__short_name")
    )
    return [
        (name, [(str(stage["pk"]), ": ".join(filter(None, [stage["label"], stage["name"]]))) for stage in group])
        for name, group in groupby(stages, key=lambda stage: stage["procedure__compact__short_name"])
    ]


def _filtered(request, who=None):
    today = timezone.localdate()
    complaints = selectors.queue(
        request.user,
        who=who,
        compact=request.GET.get("compact") or None,
        stage=request.GET.get("stage") if is_id(request.GET.get("stage") or "") else None,
        status=request.GET.get("status") if request.GET.get("status") in Status.values else None,
        nobody_answers=bool(request.GET.get("nobody")),
    )
    if request.GET.get("overdue"):
        complaints = complaints.filter(status=Status.OPEN, stage_due_on__lt=today)
    return complaints


@login_required
def complaint_csv(request):
    """The filtered list as CSV, with the time of every stage change."""
    complaints = (
        _filtered(request)
        .select_related("compact", "complainant", "respondent", "current_stage")
        .prefetch_related(
            Prefetch("clocks", queryset=StageClock.objects.select_related("stage").order_by("started_at"))
        )
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="complaints.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "reference",
            "compact",
            "status",
            "outcome",
            "complainant",
            "respondent",
            "summary",
            "submitted_at",
            "current_stage",
            "due_on",
            "overdue",
            "closed_at",
            "stage_changes",
        ]
    )
    today = timezone.localdate()
    for c in complaints.iterator(chunk_size=500):
        changes = "; ".join(f"{clock.stage.name}: {clock.started_at.isoformat()}" for clock in c.clocks.all())
        writer.writerow(
            safe_row(
                [
                    c.reference or f"draft {c.pk}",
                    c.compact.slug,
                    c.status,
                    c.outcome,
                    c.complainant,
                    c.respondent or "",
                    c.summary,
                    c.submitted_at.isoformat() if c.submitted_at else "",
                    c.current_stage.name if c.current_stage_id else "",
                    c.stage_due_on or "",
                    "yes" if c.is_overdue(today) else "no",
                    c.closed_at.isoformat() if c.closed_at else "",
                    changes,
                ]
            )
        )
    return response


# Raising a complaint ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """Start a complaint: choose the Compact (or come from a commitment's "Report a breach")."""
    organisations = selectors.my_organisations(request.user)
    if not organisations:
        return render(request, "disputes/no_organisation.html", status=403)
    if not email_confirmed(request.user):
        return render(request, "compacts/confirm_first.html", {"doing": "raise a complaint"}, status=403)
    slug = request.GET.get("compact") or request.POST.get("compact")
    compact = Compact.objects.filter(slug=slug).first() if slug else None
    if compact is None:
        # Sent with nothing chosen (the choice page's form says it was sent), or with no such Compact: say so.
        error = bool(slug) or "choosing" in request.GET
        return render(
            request,
            "disputes/choose_compact.html",
            {"compacts": Compact.objects.order_by("short_name"), "error": error},
            status=400 if error else 200,
        )
    initial = {}
    cited = Commitment.objects.filter(compact=compact, ref=request.GET.get("commitment")).first()
    if cited:
        initial["commitments"] = [str(cited.pk)]
    record = _record_to_raise(request, compact)
    if record is not None:
        initial.update(_from_record(record, organisations))
    return _complaint_form(request, compact, None, organisations, initial, record=record)


def _record_to_raise(request, compact):
    """The record of Compact working the complaint is raised from (?record=), if the person may see it and the
    complaint would not be against their own organisation."""
    pk = request.GET.get("record", "")
    if not is_id(pk):
        return None
    record = (
        Record.objects.select_related("compact", "about", "counterpart", "recorded_for")
        .prefetch_related("checks__commitment__section", "commitments", "others", "responses__organisation")
        .filter(compact=compact, pk=pk)
        .first()
    )
    if record is None or not record_permissions.may_raise_complaint(request.user, record):
        return None
    return record if record_permissions.may_see(request.user, record) else None


def _from_record(record, organisations):
    """A complaint's first draft from a record: who (the complainant: the person's organisation on the record's
    other side), which commitments (those it missed first), what happened, what the other side said disputing it,
    and the record's address."""
    missed = [check.commitment for check in record.checks.all() if check.outcome == CheckOutcome.MISSED]
    commitments = missed or list(record.commitments.all())
    working = "\n".join(f"- {capfirst(check.commitment.label)}: {check.working}" for check in record.checks.all())
    disputed = "".join(
        f"{response.organisation} disputed version {response.version} of the record on "
        f"{long_date(timezone.localtime(response.at))}:\n{response.comment}\n\n"
        for response in record.responses.all()
        if response.verdict == RecordVerdict.DISPUTE
    )
    initial = {
        "respondent": record.about_id,
        "commitments": [str(c.pk) for c in commitments],
        "summary": f"{record.get_kind_display()}: {record.title}"[:200],
        "what_happened": (
            f"{record.get_kind_display()} by {record.about}: {record.title}.\n\n"
            f"Against the Compact's figures, as the portal worked them out:\n{working}\n\n{disputed}"
            f"The record: {settings.SITE_URL}{record.get_absolute_url()}"
        ),
        "happened_on": record.occurred_on,
    }
    mine = {o.pk for o in organisations}
    sides = [record.recorded_for_id, record.counterpart_id, *(o.pk for o in record.others.all())]
    complainant = next((pk for pk in sides if pk in mine and pk != record.about_id), None)
    if complainant is not None:
        initial["complainant"] = complainant
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def complaint_edit(request, pk):
    view = selectors.complaint_detail(request.user, pk)
    if Action.EDIT not in view.actions:
        return redirect(view.complaint)
    return _complaint_form(request, view.complaint.compact, view.complaint, selectors.my_organisations(request.user))


# Which button sent the complaint form. A form sent naming none (no browser sends this one so) is saved as a draft,
# as "Save as draft" does.
SUBMIT, FIND, REMOVE_FILE, SAVE = "submit", "search_commitments", "remove_file", "save"


def _intent(post):
    return next((name for name in (SUBMIT, FIND, REMOVE_FILE) if name in post), SAVE)


def _complaint_form(request, compact, complaint, organisations, initial=None, record=None):
    """The complaint form. "Find commitments" only narrows its list (nothing checked, nothing saved); "Submit"
    sends the complaint whole or, if anything is missing, saves nothing and says what; only "Save as draft" (and
    taking a file off a draft) keeps a draft."""
    intent = _intent(request.POST) if request.method == "POST" else None
    # As long as the box takes (a longer one, sent by no browser, is cut there).
    find = (
        (request.POST.get("find") or "").strip()[: ComplaintForm.base_fields["find"].max_length]
        if intent == FIND
        else ""
    )
    chosen = set(request.POST.getlist("commitments")) if request.method == "POST" else set()
    if complaint is not None and request.method == "GET":
        chosen = {str(pk) for pk in complaint.citations.values_list("commitment_id", flat=True)}
        initial = {
            "complainant": complaint.complainant_id,
            "respondent": complaint.respondent_id,
            "summary": complaint.summary,
            "what_happened": complaint.what_happened,
            "happened_on": complaint.happened_on,
            "outcome_wanted": complaint.outcome_wanted,
            "commitments": sorted(chosen),
        }
    chosen |= set((initial or {}).get("commitments", []))
    listed = list(selectors.compact_commitments(compact, find))
    found = len(listed)
    listed_ids = {str(c.pk) for c in listed}
    listed += [
        c
        for c in Commitment.objects.filter(pk__in=[i for i in chosen if is_id(i)], compact=compact)
        if str(c.pk) not in listed_ids
    ]
    form_kwargs = {
        "organisations": organisations,
        "respondents": selectors.respondents(compact, excluding=organisations),
        "commitments": listed,
    }
    refused = []
    status = 200
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES, **form_kwargs)
        form.is_valid()
        if intent == FIND:
            form.errors.clear()  # only the list was asked for: nothing is checked yet, and nothing saved
        else:
            data = form.cleaned_data
            chosen_commitments = list(Commitment.objects.filter(compact=compact, pk__in=data.get("commitments", [])))
            if intent == SUBMIT:
                missing = services.missing_details(
                    summary=data.get("summary"),
                    respondent=data.get("respondent"),
                    commitments=chosen_commitments,
                    what_happened=data.get("what_happened"),
                    outcome_wanted=data.get("outcome_wanted"),
                )
                for field, message in missing.items():
                    if field not in form.errors:
                        form.add_error(field, message)
            if not form.errors:
                details = {
                    "by": request.user,
                    "compact": compact,
                    "complainant": data.get("complainant") or organisations[0],
                    "fields": data,
                    "commitments": chosen_commitments,
                    "files": data.get("files", []),
                }
                try:
                    if intent == SUBMIT:
                        event = services.complaint_send(complaint=complaint, **details)
                        return redirect("disputes:submitted", event.complaint_id)
                    complaint, refused = services.complaint_save_draft(complaint=complaint, **details)
                    if intent == REMOVE_FILE:
                        services.complaint_remove_draft_file(
                            complaint=complaint, by=request.user, attachment_id=request.POST[REMOVE_FILE]
                        )
                except services.Invalid as invalid:
                    _add_errors(form, invalid)
                except services.AlreadySubmitted as submitted:
                    return redirect("disputes:submitted", submitted.complaint.pk)  # sent twice: answered as the first
            if form.errors or refused:
                status = 400
            elif intent == SAVE:
                messages.success(
                    request, "Draft saved. You can come back to it at any time from Complaints, or delete it there."
                )
                return redirect("disputes:edit", complaint.pk)
    else:
        form = ComplaintForm(initial=initial, **form_kwargs)
    kept = intent in (SAVE, REMOVE_FILE) and not form.errors  # the files sent were saved (or named as refused)
    context = {
        "form": form,
        "compact": compact,
        "complaint": complaint,
        "record": record,
        "attachments": selectors.draft_attachments(complaint) if complaint else [],
        "refused": refused,
        "files_lost": [] if kept else [f.name for f in request.FILES.getlist("files")],
        "action": reverse("disputes:edit", args=[complaint.pk]) if complaint else request.get_full_path(),
        "find": find,
        "found": found,
    }
    return render(request, "disputes/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_delete(request, pk):
    """Delete a draft its author no longer wants, once they confirm it."""
    view = selectors.complaint_detail(request.user, pk)
    if Action.EDIT not in view.actions:
        return redirect(view.complaint)
    if request.method == "POST":
        try:
            services.complaint_delete_draft(complaint=view.complaint, by=request.user)
        except services.AlreadySubmitted:
            return redirect("disputes:submitted", pk)
        messages.success(request, "Your draft complaint has been deleted.")
        return redirect("disputes:list")
    return render(
        request,
        "disputes/delete.html",
        {"complaint": view.complaint, "attachments": selectors.draft_attachments(view.complaint)},
    )


def _add_errors(form, invalid):
    """Put a service's errors next to their fields (or at the top, for fields the form does not show)."""
    for field, message in invalid.errors.items():
        form.add_error(field if field in form.fields else None, message)


# One complaint ---------------------------------------------------------------------------


@login_required
def complaint_submitted(request, pk):
    """The confirmation after submitting: the reference, and what happens next (who has been told, the first stage,
    when to expect an answer and how that date was worked out)."""
    view = selectors.complaint_detail(request.user, pk)
    if view.complaint.status == Status.DRAFT:
        return redirect("disputes:edit", pk)
    first = view.clocks[0] if view.clocks else None
    return render(request, "disputes/submitted.html", {"view": view, "complaint": view.complaint, "first": first})


@login_required
def complaint_detail(request, pk):
    view = selectors.complaint_detail(request.user, pk)
    return render(
        request, "disputes/detail.html", {"view": view, "complaint": view.complaint, "manages": view.who.manages}
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_act(request, pk, action):
    try:
        action = Action(action)
    except ValueError:
        raise Http404("There is no such action.") from None
    if action in (Action.EDIT, Action.SUBMIT):
        return redirect("disputes:edit", pk)
    view = selectors.complaint_detail(request.user, pk)
    if action not in view.actions:
        return render(
            request,
            "disputes/not_open.html",
            {
                "view": view,
                "complaint": view.complaint,
                "label": workflow.LABELS[action],
                "reason": workflow.why_not(view.state, view.roles, action),
            },
            status=403,
        )
    candidates, not_listed = _panel_candidates(view.complaint) if action == Action.CONVENE else ((), {})
    form_kwargs = {
        "action": action,
        "outcomes": _outcome_choices(view),
        "candidates": candidates,
        "staff": _staff(view.complaint) if action == Action.OFFICERS else (),
        "closed_body": _closed_body(view) if action == Action.ESCALATE else None,
    }
    conflict = None
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                details = form.details()
                if action == Action.CONVENE:
                    details["usual_chairs"] = _usual_chairs(view.complaint)
                services.complaint_act(
                    complaint=view.complaint,
                    by=request.user,
                    action=action,
                    version=form.cleaned_data["version"],
                    files=form.cleaned_data.get("files", []),
                    **details,
                )
            except services.Conflict as changed:
                conflict = changed
                # Keep what they typed, and let them try again against the complaint as it is now.
                data = request.POST.copy()
                data["version"] = Complaint.objects.values_list("version", flat=True).get(pk=pk)
                form = ActionForm(data, request.FILES, **form_kwargs)
                form.is_valid()
                status = 409
            except services.Invalid as invalid:
                _add_errors(form, invalid)
                status = 400
            except workflow.NotAllowed as refused:
                messages.error(request, str(refused))
                return redirect(view.complaint)
            else:
                messages.success(request, workflow.DONE[action])
                return redirect(view.complaint)
        else:
            status = 400
    else:
        chosen = request.GET.get("template", "")
        template = ResponseTemplate.objects.filter(pk=chosen).first() if is_id(chosen) else None
        form = ActionForm(
            initial={"version": view.complaint.version, "text": template.body if template else ""}, **form_kwargs
        )
    return render(
        request,
        "disputes/action.html",
        {
            "view": view,
            "complaint": view.complaint,
            "form": form,
            "action": action,
            "label": workflow.LABELS[action],
            "conflict": conflict,
            "templates": ResponseTemplate.objects.filter(for_event__in=_template_kinds(action)),
            "files_sent": [f.name for f in request.FILES.getlist("files")],
            "not_listed": not_listed,
            "told": notify.recipients(view.complaint, request.user) if action == Action.WITHDRAW else (),
        },
        status=status,
    )


def _closed_body(view):
    body = view.next_stage.body if view.next_stage else None
    return body if body and body.closed else None


def _template_kinds(action):
    return {
        Action.RESPOND: [EventKind.RESPONSE],
        Action.FINDINGS: [EventKind.FINDINGS],
        Action.MEETING: [EventKind.MEETING],
        Action.ACKNOWLEDGE: [EventKind.ACKNOWLEDGED],
        Action.RESOLVE: [EventKind.RESOLVED],
    }.get(action, [])


def _outcome_choices(view):
    labels = dict(services.Outcome.choices)
    return [(o, labels[o]) for o in workflow.resolve_outcomes(view.state, view.roles)]


def _panel_candidates(complaint):
    """Who may sit on a panel: the Compact's Champions, role holders and signatories' people, less anyone
    `permissions.conflicts` rules out; and those ruled out, with why, to say so beside the list."""
    from django.contrib.auth import get_user_model

    ids = set(
        Membership.objects.filter(
            compact=complaint.compact, role=MembershipRole.CHAMPION, status=MembershipStatus.CONFIRMED
        ).values_list("user_id", flat=True)
    ) | set(CompactRole.objects.filter(compact=complaint.compact).values_list("user_id", flat=True))
    ids |= set(
        Membership.objects.filter(
            organisation__signatures__compact=complaint.compact, status=MembershipStatus.CONFIRMED
        ).values_list("user_id", flat=True)
    )
    people = list(get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name"))
    conflicts = permissions.conflicts(complaint, ids)
    return (
        [p for p in people if p.pk not in conflicts],
        {p: conflicts[p.pk] for p in people if p.pk in conflicts},
    )


def _staff(complaint):
    """The confirmed people of the organisation complained about (its Champion can name them as officers)."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(organisation=complaint.respondent_id, status=MembershipStatus.CONFIRMED).values(
        "user_id"
    )
    return list(get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name"))


def _usual_chairs(complaint):
    return [
        role.user
        for role in CompactRole.objects.filter(compact=complaint.compact, role=CompactRoleKind.CHAIR).select_related(
            "user"
        )
    ]


@login_required
def attachment_download(request, pk, attachment_id):
    """A file, only to someone who may see its complaint, always as a download."""
    view = selectors.complaint_detail(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, complaint=view.complaint)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.mime),
        content_type=attachment.mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
