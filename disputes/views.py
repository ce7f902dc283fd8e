from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from compacts import selectors as compact_selectors
from compacts.exceptions import Conflict, Refused
from compacts.exports import csv_response
from compacts.forms import add_refusal
from compacts.permissions import email_confirmed
from compacts.text import is_id
from compacts.views import refused_page

from . import notify, permissions, selectors, services, workflow
from .filetypes import download_name
from .forms import ActionForm, ComplaintForm
from .models import Status
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
    filters = selectors.queue_filters(who)
    return render(
        request,
        "disputes/list.html",
        {
            "page": page,
            "complaints": page.object_list,
            "compacts": filters.compacts,
            "stage_groups": filters.stage_groups,
            "filters": request.GET,
            "query_string": params.urlencode(),
            "statuses": Status.choices,
            "manages": who.manages,
        },
    )


def _filtered(request, who=None):
    """The person's complaints, filtered as the list's address asks."""
    return selectors.queue(
        request.user,
        who=who,
        compact=request.GET.get("compact") or None,
        stage=request.GET.get("stage") if is_id(request.GET.get("stage") or "") else None,
        status=request.GET.get("status") if request.GET.get("status") in Status.values else None,
        nobody_answers=bool(request.GET.get("nobody")),
        overdue=bool(request.GET.get("overdue")),
    )


@login_required
def complaint_csv(request):
    """The filtered list as CSV, with the time of every stage change."""
    complaints = selectors.queue_export(_filtered(request))
    return csv_response("complaints.csv", CSV_HEADINGS, _csv_rows(complaints, timezone.localdate()))


CSV_HEADINGS = [
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


def _csv_rows(complaints, today):
    for c in complaints:
        changes = "; ".join(f"{clock.stage.name}: {clock.started_at.isoformat()}" for clock in c.clocks.all())
        yield [
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


# Raising a complaint ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """Start a complaint: choose the Compact (or come from a commitment's "Report a breach")."""
    organisations = selectors.my_organisations(request.user)
    if not organisations:
        return refused_page(request, template="disputes/no_organisation.html")
    if not email_confirmed(request.user):
        return refused_page(request, template="compacts/confirm_first.html", doing="raise a complaint")
    slug = request.GET.get("compact") or request.POST.get("compact")
    compact = compact_selectors.compact_or_none(slug)
    if compact is None:
        # Sent with nothing chosen (the choice page's form says it was sent), or with no such Compact: say so.
        error = bool(slug) or "choosing" in request.GET
        return render(
            request,
            "disputes/choose_compact.html",
            {"compacts": compact_selectors.compacts_by_name(), "error": error},
            status=400 if error else 200,
        )
    initial = {}
    cited = selectors.cited_commitment(compact, request.GET.get("commitment"))
    if cited:
        initial["commitments"] = [str(cited.pk)]
    record = selectors.record_to_raise(request.user, compact, request.GET.get("record", ""))
    if record is not None:
        initial.update(selectors.draft_from_record(record, organisations))
    return _complaint_form(request, compact, None, organisations, initial, record=record)


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
        chosen = selectors.cited_ids(complaint)
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
    listed, found = selectors.commitments_to_cite(compact, find, chosen)
    form_kwargs = {
        "organisations": organisations,
        "respondents": selectors.respondents(compact, excluding=organisations),
        "commitments": listed,
    }
    not_kept = []  # the files sent that were not kept (services.FileNotKept)
    status = 200
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES, **form_kwargs)
        form.is_valid()
        if intent == FIND:
            form.errors.clear()  # only the list was asked for: nothing is checked yet, and nothing saved
        else:
            data = form.cleaned_data
            chosen_commitments = selectors.commitments_chosen(compact, data.get("commitments", []))
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
                    complaint, not_kept = services.complaint_save_draft(complaint=complaint, **details)
                    if intent == REMOVE_FILE:
                        services.complaint_remove_draft_file(
                            complaint=complaint, by=request.user, attachment_id=request.POST[REMOVE_FILE]
                        )
                except services.AlreadySubmitted as submitted:
                    return redirect("disputes:submitted", submitted.complaint.pk)  # sent twice: answered as the first
                except Refused as refused:
                    add_refusal(form, refused)
            if form.errors or not_kept:
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
        "refused": not_kept,
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
        return refused_page(
            request,
            workflow.why_not(view.state, view.roles, action),
            template="disputes/not_open.html",
            view=view,
            complaint=view.complaint,
            label=workflow.LABELS[action],
        )
    candidates, not_listed = selectors.panel_candidates(view.complaint) if action == Action.CONVENE else ((), {})
    form_kwargs = {
        "action": action,
        "outcomes": _outcome_choices(view),
        "candidates": candidates,
        "staff": selectors.officer_candidates(view.complaint) if action == Action.OFFICERS else (),
        "closed_body": _closed_body(view) if action == Action.ESCALATE else None,
    }
    conflict = None
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                services.complaint_act(
                    complaint=view.complaint,
                    by=request.user,
                    action=action,
                    version=form.cleaned_data["version"],
                    files=form.cleaned_data.get("files", []),
                    **form.details(),
                )
            except Conflict as changed:
                conflict = changed
                # Keep what they typed, and let them try again against the complaint as it is now.
                data = request.POST.copy()
                data["version"] = selectors.complaint_version(pk)
                form = ActionForm(data, request.FILES, **form_kwargs)
                form.is_valid()
                status = 409
            except workflow.NotAllowed as refused:
                messages.error(request, str(refused))
                return redirect(view.complaint)
            except Refused as refused:
                add_refusal(form, refused)
                status = 400
            else:
                messages.success(request, workflow.DONE[action])
                return redirect(view.complaint)
        else:
            status = 400
    else:
        template = selectors.response_template(request.GET.get("template", ""))
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
            "templates": selectors.response_templates(action),
            "files_sent": [f.name for f in request.FILES.getlist("files")],
            "not_listed": not_listed,
            "told": notify.recipients(view.complaint, request.user) if action == Action.WITHDRAW else (),
        },
        status=status,
    )


def _closed_body(view):
    body = view.next_stage.body if view.next_stage else None
    return body if body and body.closed else None


def _outcome_choices(view):
    labels = dict(services.Outcome.choices)
    return [(o, labels[o]) for o in workflow.resolve_outcomes(view.state, view.roles)]


@login_required
def attachment_download(request, pk, attachment_id):
    """A file, only to someone who may see its complaint, always as a download."""
    view = selectors.complaint_detail(request.user, pk)
    attachment = selectors.attachment(view.complaint, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.mime),
        content_type=attachment.mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
