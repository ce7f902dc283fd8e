import dataclasses
import datetime
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from compacts import selectors as compact_selectors
from compacts.cache import public_page
from compacts.exceptions import Refused
from compacts.exports import csv_response
from compacts.forms import add_refusal
from compacts.models import WorkPlanStatus
from compacts.permissions import administers, may_edit_work_plan
from compacts.text import long_date
from compacts.views import refused_only, refused_page

from . import imports, permissions, selectors, services
from .forms import (
    PUBLIC_NOTE,
    CheckerPeriodForm,
    CompareForm,
    RecordForm,
    RecordImportForm,
    RecordResponseForm,
    WorkPlanActionForm,
)
from .models import RECORD_FACTS, RecordKind, RecordStatus
from .search import SearchPaginator, highlighted

PAGE_SIZE = 25
# Each commitment's figures: one column a fact, one value a figure, in the same order in every column, separated by
# " | " (the JSON export has them as a list of objects).
FIGURE_FACTS = ["kind", "value", "unit", "bound", "firmness", "qualifier_words", "whose", "measures", "quote"]
FIGURE_COLUMNS = [f"figure_{fact}" for fact in FIGURE_FACTS]
EXPORT_FIELDS = [
    "compact",
    "compact_title",
    "reference",
    "number",
    "sector",
    "theme",
    "heading",
    "lead_in",
    "text",
    "url",
    *FIGURE_COLUMNS,
]


@public_page
def explorer(request):
    filterset = selectors.commitment_filter(request.GET)
    valid = filterset.is_valid()
    q = filterset.form.cleaned_data.get("q", "").strip() if valid else ""
    results = filterset.qs if valid else filterset.queryset.none()
    search = filterset.search
    page = SearchPaginator(results, PAGE_SIZE, search).get_page(request.GET.get("page"))
    results = list(page.object_list)
    for commitment in results:
        commitment.highlighted = highlighted(commitment, search) if search else None
    params = request.GET.copy()
    params.pop("page", None)
    named = selectors.compacts_named(q, filterset.compacts) if q else []
    name_words = {word for each in named for word in each.name_words}
    chosen = filterset.form.cleaned_data.get("compact") if valid else None
    for each in named:
        each.filter_url = None if chosen == [each.slug] else _with(params, compact=each.slug, q=each.rest)
    suggested, themes = None, []
    if search and (search.missing or not results):
        # A word naming a Compact ("Riverford") is not a misspelling of a word of its commitments.
        unnamed = dataclasses.replace(search, missing=[g for g in search.missing if " ".join(g[0]) not in name_words])
        suggested = selectors.spelling_suggestion(unnamed, found_some=bool(results))
        themes = selectors.themes_like(suggested or q) if not results and not named else []
    return render(
        request,
        "commitments/explorer.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "results": results,
            "q": q,
            "named": named,
            "search": search,
            "missing": [" ".join(group[0]) for group in search.missing] if search else [],
            "suggested": suggested,
            "suggested_url": _with(params, q=suggested) if suggested else None,
            "themes": themes,
            "exact_words_url": _with(params, exact="on"),
            "related_terms_url": _with(params, exact=None),
            "query_string": params.urlencode(),
        },
        status=200 if valid else 400,
    )


def _with(params, **changes):
    """The explorer's address with these parameters set (or, for None or "", removed)."""
    params = params.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value:
            params[name] = value
    return f"?{params.urlencode()}"


def _figure_facts(commitment):
    return [
        {fact: "" if getattr(figure, fact) is None else getattr(figure, fact) for fact in FIGURE_FACTS}
        for figure in commitment.figures.all()
    ]


def _export_rows(request, flat):
    """Each commitment of the explorer's filters; its figures as columns (`flat`, for CSV) or as a list."""
    for commitment in selectors.commitments_to_export(request.GET):
        figures = _figure_facts(commitment)
        if flat:
            figures = {f"figure_{fact}": " | ".join(str(figure[fact]) for figure in figures) for fact in FIGURE_FACTS}
        else:
            figures = {"figures": figures}
        yield {
            "compact": commitment.compact.slug,
            "compact_title": commitment.compact.title,
            "reference": commitment.ref,
            "number": commitment.number,
            "sector": commitment.sector,
            "theme": commitment.theme.slug,
            "heading": str(commitment.section),
            "lead_in": commitment.lead_in,
            "text": commitment.text,
            "url": request.build_absolute_uri(commitment.get_absolute_url()),
            **figures,
        }


def export_csv(request):
    return csv_response("commitments.csv", EXPORT_FIELDS, _export_rows(request, flat=True), stream=True)


def export_json(request):
    def stream():
        yield '{"commitments": ['
        for i, row in enumerate(_export_rows(request, flat=False)):
            yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(stream(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commitments.json"'
    return response


@public_page
def detail(request, compact, ref):
    commitment = selectors.commitment_detail(compact, ref)
    return render(request, "commitments/detail.html", {"commitment": commitment})


@public_page
def compare(request):
    form = CompareForm(request.GET or None)
    context = {"form": form}
    if form.is_valid():
        visible = permissions.visible(request.user, timezone.localdate())
        compacts, figure_rows = selectors.comparison(
            form.cleaned_data["compacts"], form.cleaned_data["theme"].slug, visible
        )
        # Every theme, as the form's choices read them: one query for both.
        sector_rows, theme_rows, totals = selectors.compact_counts(compacts, form.fields["theme"].queryset)
        context.update(
            compacts=compacts,
            theme=form.cleaned_data["theme"],
            figure_rows=figure_rows,
            sector_rows=sector_rows,
            theme_rows=theme_rows,
            totals=totals,
        )
    return render(
        request, "commitments/compare.html", context, status=400 if form.is_bound and not form.is_valid() else 200
    )


# Records of Compact working ----------------------------------------------------------------------------------------

KINDS = {kind.value: kind.label for kind in RecordKind}


@login_required
def record_new(request, compact):
    """What is being recorded: a question page, then the form for that kind."""
    compact = compact_selectors.compact(compact)
    if not permissions.may_record(request.user, compact):
        return _not_open(request, compact)
    available = selectors.recordable_kinds(compact)
    kind = request.GET.get("kind")
    if kind in available:
        return redirect("commitments:record_form", compact.slug, kind)
    error = ""
    if kind in KINDS:  # a kind none of this Compact's figures measures
        error = (
            f"The {compact.short_name} Compact prints no figure that {KINDS[kind][:1].lower()}{KINDS[kind][1:]} "
            "can be checked against. Choose something it does"
        )
    elif "kind" in request.GET or "asked" in request.GET:  # the form was sent, with no kind (or an unknown one)
        error = "Choose what you are recording"
    return render(
        request,
        "commitments/record_kind.html",
        {
            "compact": compact,
            "kinds": [(value, label) for value, label in KINDS.items() if value in available],
            "not_offered": [label for value, label in KINDS.items() if value not in available],
            "error": error,
        },
        status=400 if error else 200,
    )


def _not_open(request, compact):
    reason = (
        f"Only members of the organisations that signed the {compact.short_name} Compact, with a confirmed email "
        "address, and its administrators can record its working."
    )
    return refused_page(request, reason, compact.get_absolute_url())


def _form_facts(data, organisations):
    by_pk = {str(o.pk): o for o in organisations}
    facts = {name: value for name, value in data.items() if name in RECORD_FACTS and name not in ("kind",)}
    facts["about"] = by_pk.get(data.get("about"))
    facts["counterpart"] = by_pk.get(data.get("counterpart") or "")
    facts["others"] = [by_pk[pk] for pk in data.get("others", []) if pk in by_pk]
    for name in ("title", "recipient", "identifier"):
        if name in facts:
            facts[name] = facts[name].strip()
    return facts


@login_required
@require_http_methods(["GET", "POST"])
def record_form(request, compact, kind, pk=None):
    """Record a case of this kind, or correct a record (a new version)."""
    compact = compact_selectors.compact(compact)
    if kind not in KINDS:
        raise Http404("There is no such kind of record.")
    record = selectors.record_detail(compact.slug, pk) if pk else None
    if record is not None and record.kind != kind:
        return redirect("commitments:record_correct", compact.slug, record.pk, record.kind)
    if record is not None and not permissions.may_correct(request.user, record):
        return _not_open(request, compact)
    if record is None and not permissions.may_record(request.user, compact):
        return _not_open(request, compact)
    choices = selectors.record_form_choices(request.user, compact, kind, record)
    if record is None and not choices.commitments:  # nothing of the Compact's a record of this kind is checked against
        return redirect(f"{reverse('commitments:record_new', args=[compact.slug])}?kind={kind}")
    organisations = choices.organisations
    form = RecordForm(
        request.POST or None,
        initial=choices.initial,
        kind=kind,
        recording_for=choices.recording_for,
        organisations=organisations,
        commitments=choices.commitments,
        correcting=record is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [c for c in choices.commitments if str(c.pk) in set(data["commitments"])]
        recorded_for = choices.recorder.organisation(data["recorded_for"])
        try:
            if record is None:
                record = services.record_create(
                    compact=compact,
                    by=request.user,
                    recorded_for=recorded_for,
                    kind=kind,
                    commitments=chosen,
                    facts=_form_facts(data, organisations),
                )
                messages.success(request, f"Recorded. {_asked_sentence(permissions.asked(record))}")
            else:
                services.record_correct(
                    record=record,
                    by=request.user,
                    version=data["version"],
                    commitments=chosen,
                    facts=_form_facts(data, organisations),
                    note=data["note"],
                )
                messages.success(request, "Corrected. The earlier version is kept below the record.")
        except Refused as refused:
            add_refusal(form, refused)
        else:
            return redirect(record.get_absolute_url())
    return render(
        request,
        "commitments/record_form.html",
        {
            "compact": compact,
            "kind": kind,
            "kind_label": KINDS[kind],
            "form": form,
            "record": record,
            "public_note": PUBLIC_NOTE,
        },
        status=400 if form.errors else 200,
    )


def _asked_sentence(asked):
    """Who was asked to confirm or dispute a record, truthfully, as one sentence for the banner after recording."""
    reached = [organisation for organisation, answerers in asked if not answerers.nobody]
    nobody = [organisation for organisation, answerers in asked if answerers.nobody]
    parts = []
    if reached:
        verb = "has" if len(reached) == 1 else "have"
        parts.append(f"{permissions.names(reached, 'and')} {verb} been asked to confirm or dispute it")
    if nobody:
        parts.append(
            f"nobody at {permissions.names(nobody)} can answer in the portal yet, so the Compact's administrators "
            "have been told"
        )
    if not parts:
        return "It names no organisation on the other side, so nobody has been asked to confirm it."
    sentence = "; ".join(parts)
    return f"{sentence[0].upper()}{sentence[1:]}."


def record_detail(request, compact, pk):
    record = selectors.record_detail(compact, pk)
    if not permissions.may_see(request.user, record):
        raise Http404("There is no record with that number in that Compact.")
    may_respond = permissions.may_respond(request.user, record)
    form = RecordResponseForm(initial={"version": record.version}) if may_respond else None
    return _record_page(request, record, form)


def _record_page(request, record, form, status=200):
    versions = list(record.versions.all())
    for version in versions:
        version.rows = _version_rows(version)
    asked = permissions.asked(record)
    responses = list(record.responses.all())
    mine = permissions.organisations_of(request.user)
    for response in responses:
        response.yours = response.organisation_id in mine
    # The answer that set the record's status: the last to this version (a correction asks again).
    answer = next((r for r in reversed(responses) if r.version == record.version), None)
    if record.status == RecordStatus.UNCONFIRMED:
        answer = None
    context = {
        "record": record,
        "compact": record.compact,
        "checks": list(record.checks.all()),
        "others": list(record.others.all()),
        "responses": responses,
        "answer": answer,
        "versions": versions,
        "asked": asked,
        "asked_names": permissions.names([organisation for organisation, _ in asked]),
        "answering_for": permissions.answering_for(request.user, record) if form else None,
        "public": permissions.is_public(record),
        "form": form,
        "may_correct": permissions.may_correct(request.user, record),
        "may_raise_complaint": permissions.may_raise_complaint(request.user, record),
    }
    return render(request, "commitments/record.html", context, status=status)


VERSION_LABELS = {
    "title": "What it was",
    "starts_on": "From",
    "ends_on": "To",
    "decided_on": "Decided on",
    "notice_on": "Notice given on",
    "changes_on": "Ended or changed on",
    "due_on": "Due on",
    "paid_on": "Paid on",
    "amount": "Amount",
    "recipient": "Recipient or programme",
    "identifier": "Identifier",
    "link": "Link",
}


def _version_rows(version):
    """A version's facts as people read them: dates written out (1 September 2026), not as they are kept."""
    return [
        (label, _readable(version.facts.get(name))) for name, label in VERSION_LABELS.items() if version.facts.get(name)
    ]


def _readable(value):
    if isinstance(value, str) and len(value) == 10:
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            return value
        return long_date(day)
    return value


@login_required
@require_POST
def record_respond(request, compact, pk):
    record = selectors.record_detail(compact, pk)
    if not permissions.may_see(request.user, record):
        raise Http404("There is no record with that number in that Compact.")
    form = RecordResponseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_respond(
                record=record,
                by=request.user,
                version=data["version"],
                verdict=data["verdict"],
                comment=data["comment"],
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, "Your answer is recorded and whoever made the record has been told.")
            return redirect(record.get_absolute_url())
    record = selectors.record_detail(compact, pk)
    return _record_page(request, record, form, status=400)


@public_page
def checker(request, compact):
    """Was the Compact followed? Each figure commitment with its public records in a period."""
    compact = compact_selectors.compact(compact)
    form = CheckerPeriodForm(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    visible = permissions.visible(request.user, timezone.localdate())
    rows = selectors.checker([compact], start, end, visible)[compact.pk]
    period = _period_query(start, end)
    return render(
        request,
        "commitments/checker.html",
        {
            "compact": compact,
            "form": form,
            "rows": rows,
            "start": start,
            "end": end,
            "period": period,
            "signed_in": request.user.is_authenticated,
            "may_import": administers(request.user, compact),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _period_query(start, end):
    params = {}
    for name, day in (("start", start), ("end", end)):
        if day:
            params.update({f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year})
    return urlencode(params)


@public_page
def checker_commitment(request, compact, ref):
    """The public records behind one figure commitment's counts."""
    commitment = selectors.checker_commitment(compact, ref)
    form = CheckerPeriodForm(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    visible = permissions.visible(request.user, timezone.localdate())
    page = selectors.checker_records_page(commitment, start, end, visible, request.GET.get("page"))
    return render(
        request,
        "commitments/checker_commitment.html",
        {
            "compact": commitment.compact,
            "commitment": commitment,
            "page": page,
            "start": start,
            "end": end,
            "query_string": _period_query(start, end),
            "today": timezone.localdate(),
        },
    )


IMPORTERS = "administrators can import records"


@login_required
@require_http_methods(["GET", "POST"])
def record_import(request, compact):
    """An administrator imports records from a CSV file: every row is checked here first, and a file with any bad
    row imports nothing; its text stays on the page to correct. A good file is handed over to be imported (a task),
    and its page says what came of it. `?again=<import>` opens the form with an earlier file's text, to correct."""
    compact = compact_selectors.compact(compact)
    if not administers(request.user, compact):
        return refused_only(request, compact, IMPORTERS)
    initial = {}
    earlier = selectors.import_to_correct(compact, request.GET.get("again", "")) if request.method == "GET" else None
    if earlier is not None:
        initial = {"kind": earlier.kind, "text": earlier.text}
    form = RecordImportForm(request.POST or None, request.FILES or None, initial=initial)
    problems, standard, status = [], "", 200
    if request.method == "POST" and form.is_valid():
        kind, text = form.cleaned_data["kind"], form.cleaned_data["text"]
        try:
            job = services.records_import_queue(compact=compact, by=request.user, kind=kind, text=text)
        except services.ImportRefused as refused:
            problems, standard = refused.problems, refused.standard
        else:
            return redirect(job.get_absolute_url())
        form = RecordImportForm(initial={"kind": kind, "text": text})
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "commitments/record_import.html",
        {
            "compact": compact,
            "form": form,
            "problems": problems,
            "standard": standard,
            "columns": imports.COLUMNS,
            "recent": selectors.recent_imports(compact),
        },
        status=status,
    )


@login_required
def record_import_job(request, compact, pk):
    """What came of a file handed over to be imported: waiting, imported, or not and why (administrators only)."""
    compact = compact_selectors.compact(compact)
    if not administers(request.user, compact):
        return refused_only(request, compact, IMPORTERS)
    job = selectors.import_job(compact, pk)
    return render(request, "commitments/record_import_job.html", {"compact": compact, "job": job})


def record_import_template(request, compact, kind):
    """The CSV template for a kind of record, with the portal's columns and an example row."""
    if kind not in imports.COLUMNS:
        raise Http404("There is no template for that kind of record.")
    response = HttpResponse(imports.template(kind), content_type="text/csv; charset=utf-8")
    name = "consultations" if kind == RecordKind.CONSULTATION else "grants"
    response["Content-Disposition"] = f'attachment; filename="{name}-template.csv"'
    return response


# The work plan ------------------------------------------------------------------------------------------------------


@public_page
def work_plan(request, slug):
    compact = compact_selectors.compact(slug)
    return render(request, "commitments/work_plan.html", {"compact": compact, "years": selectors.work_plan(compact)})


@login_required
def manage_work_plan(request, slug):
    compact = compact_selectors.compact(slug)
    if not may_edit_work_plan(request.user, compact):
        return refused_only(request, compact, WORK_PLAN_KEEPERS)
    return render(
        request, "commitments/manage/work_plan.html", {"compact": compact, "years": selectors.work_plan(compact)}
    )


WORK_PLAN_KEEPERS = "administrators and steering group keep its work plan"


@login_required
@require_http_methods(["GET", "POST"])
def work_plan_action(request, slug, pk=None):
    """Add an action to the work plan, or change one."""
    compact = compact_selectors.compact(slug)
    if not may_edit_work_plan(request.user, compact):
        return refused_only(request, compact, WORK_PLAN_KEEPERS)
    action, themes, commitments = selectors.work_plan_action_form(compact, pk)
    if action:
        initial = {
            "version": action.version,
            "year": action.year,
            "title": action.title,
            "lead": action.lead,
            "owner_email": action.owner.email if action.owner else "",
            "due_on": action.due_on,
            "status": action.status,
            "notes": action.notes,
            "themes": [theme.pk for theme in action.themes.all()],
            "commitments": [str(c.pk) for c in action.commitments.all()],
        }
    else:
        initial = {"year": timezone.localdate().year, "status": WorkPlanStatus.PLANNED}
    form = WorkPlanActionForm(request.POST or None, initial=initial, themes=themes, commitments=commitments)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {str(c.pk): c for c in commitments}
        try:
            saved = services.work_plan_action_save(
                compact=compact,
                by=request.user,
                action=action,
                version=data["version"],
                themes=data["themes"],
                commitments=[chosen[pk] for pk in data["commitments"]],
                year=data["year"],
                title=data["title"].strip(),
                lead=data["lead"].strip(),
                owner=data["owner_email"],
                due_on=data["due_on"],
                status=data["status"],
                notes=data["notes"].strip(),
            )
        except Refused as refused:
            conflict = str(refused)
        else:
            messages.success(request, f"Saved: {saved.title}")
            return redirect("commitments:manage_work_plan", compact.slug)
    return render(
        request,
        "commitments/manage/work_plan_action.html",
        {"compact": compact, "action": action, "form": form, "conflict": conflict},
        status=409 if conflict else 400 if form.errors else 200,
    )
