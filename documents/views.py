from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from compacts import content as registry
from compacts import selectors as compact_selectors
from compacts.cache import public_page
from compacts.exceptions import Refused
from compacts.forms import add_refusal
from compacts.permissions import administers, is_site_admin
from compacts.selectors import review_schedule
from compacts.templatetags.portal import TermLinker
from compacts.text import is_id
from compacts.views import refused_only, refused_page

from . import selectors, services, textformat, versions
from .forms import ImportForm, PublishForm, ReviewChangeForm


@public_page
def home(request):
    page = selectors.compact_page(request.GET.get("page"))
    return render(request, "documents/home.html", {"page": page, "compacts": page.object_list})


@public_page
def compact(request, slug):
    compact = selectors.compact_document(slug)
    linker = TermLinker(compact.document.glossary_terms)
    return render(
        request,
        "documents/detail.html",
        {"compact": compact, "document": compact.document, "linker": linker, "today": timezone.localdate()},
    )


REVIEWERS = "administrators review its text"


# Reviews and versions --------------------------------------------------------------------------------------------


def _shown(content, drafted=()):
    """What documents/_content.html shows of a version's content: its sections with their items, and its figures."""
    return {"parts": versions.document(content, drafted), "figures": versions.figures_shown(content, drafted)}


@login_required
@require_http_methods(["GET", "POST"])
def review(request, slug):
    """The review under way: every part of the text that may change, section by section, with the changes drafted
    so far listed first."""
    compact = compact_selectors.compact(slug)
    if not administers(request.user, compact):
        return refused_only(request, compact, REVIEWERS)
    error = None
    if request.method == "POST":
        try:
            services.review_open(compact=compact, by=request.user)
        except Refused as refused:
            error = str(refused)
        else:
            messages.success(request, "Review opened. Change any part of the text below, preview it, then publish.")
            return redirect("documents:review", compact.slug)
    schedule = review_schedule(compact)
    review = schedule.open_review
    changes = selectors.review_changes(review) if review else []
    published = versions.content_of(compact)
    return render(
        request,
        "documents/manage/review.html",
        {
            "compact": compact,
            "schedule": schedule,
            "review": review,
            "changes": changes,
            "drafted": versions.drafted_changes(published, changes),
            "sections": versions.review_tasks(published, changes),
            "out_of_step": versions.mismatches(published, changes),
            "error": error,
        },
        status=409 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_item(request, slug, kind, ref):
    """Draft the new wording of one part of the text (or a figure's new value and the words it is read from)."""
    compact = compact_selectors.compact(slug)
    if not administers(request.user, compact):
        return refused_only(request, compact, REVIEWERS)
    review = selectors.open_review(compact)
    if review is None or kind not in registry.editable():
        raise Http404("There is no review open, or that part of the text cannot be changed.")
    content = versions.content_of(compact)
    entry = versions.find(content, kind, ref)
    if entry is None:
        raise Http404("There is no such part of the text.")
    figure = entry if kind == "figure" else None
    name = versions.name(content, kind, ref)
    checking = request.GET.get("from") == "check"  # changed from the check before publishing: back to it after
    changes = selectors.review_changes(review)
    drafted = next((change for change in changes if change.kind == kind and change.ref == ref), None)
    if figure:
        initial = {"value": figure["value"], "quote": figure["quote"]}
        if drafted:
            initial = {"value": drafted.value, "quote": drafted.quote, "reason": drafted.reason}
    else:
        published = versions.current_value(content, kind, ref)
        initial = {"value": drafted.value, "reason": drafted.reason} if drafted else {"value": published}
    form = ReviewChangeForm(request.POST or None, kind=kind, figure=figure, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.review_change(
                review=review,
                by=request.user,
                kind=kind,
                ref=ref,
                value=data.get("value") or "",
                quote=data.get("quote", ""),
                reason=data.get("reason", ""),
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"Drafted: {name[:1].lower()}{name[1:]}." if change else f"Taken out: {name}.")
            back = "documents:review_publish" if checking else "documents:review"
            return redirect(back, compact.slug)
    return render(
        request,
        "documents/manage/review_item.html",
        {
            "compact": compact,
            "kind": registry.label(kind),
            "name": name,
            "checking": checking,
            "figure": figure,
            "amount": versions.amount(figure) if figure else "",
            "published": figure or versions.current_value(content, kind, ref),
            # The wording it is read from, as it will read with the changes drafted so far.
            "wording": versions.wording(versions.with_changes(content, changes), figure["source"]) if figure else "",
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def review_preview(request, slug):
    compact = compact_selectors.compact(slug)
    if not administers(request.user, compact):
        return refused_only(request, compact, REVIEWERS)
    review = selectors.open_review_or_404(compact)
    changes = selectors.review_changes(review)
    published = versions.content_of(compact)
    content = versions.with_changes(published, changes)
    drafted = versions.drafted_changes(published, changes)
    return render(
        request,
        "documents/version.html",
        {"compact": compact, "content": content, "preview": True, "drafted": drafted, **_shown(content, drafted)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_publish(request, slug):
    """Check the changes before publishing: every drafted change, the new version's number and the date it takes
    effect (chosen here), then publish. Refused, with the changes as they now stand, if they changed meanwhile."""
    compact = compact_selectors.compact(slug)
    if not administers(request.user, compact):
        return refused_only(request, compact, REVIEWERS)
    review = selectors.open_review_or_404(compact)
    changes = selectors.review_changes(review)
    number = selectors.next_version_number(compact)
    form = PublishForm(request.POST or None, number=number, initial={"checked": versions.signature(changes)})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = services.review_publish(
                review=review,
                by=request.user,
                published_on=form.cleaned_data["published_on"],
                note=form.cleaned_data["note"],
                checked=form.cleaned_data["checked"],
            )
        except Refused as refused:
            conflict = str(refused)
            # What is shown now is what is checked: the drafts as they stand, the date and note as typed.
            data = request.POST.copy()
            data["checked"] = versions.signature(changes)
            form = PublishForm(data, number=number)
            form.is_valid()
        else:
            return redirect("documents:review_published", compact.slug, version.number)
    published = versions.content_of(compact)
    return render(
        request,
        "documents/manage/review_publish.html",
        {
            "compact": compact,
            "form": form,
            "number": number,
            "drafted": versions.drafted_changes(published, changes),
            "out_of_step": versions.mismatches(published, changes),
            "conflict": conflict,
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


@login_required
def review_published(request, slug, number):
    """The confirmation that a version is published, and what happens next."""
    compact = compact_selectors.compact(slug)
    if not administers(request.user, compact):
        return refused_only(request, compact, REVIEWERS)
    version = selectors.published_version(compact, number)
    return render(
        request,
        "documents/manage/review_published.html",
        {"compact": compact, "version": version, "today": timezone.localdate()},
    )


@public_page
def version_list(request, slug):
    compact = compact_selectors.compact(slug)
    schedule = review_schedule(compact)
    numbers = [v.number for v in schedule.versions] or [1]
    older, newer = request.GET.get("from"), request.GET.get("to")
    if older and newer and is_id(older) and is_id(newer) and older != newer:
        return redirect(
            "documents:version_changes", compact.slug, min(int(older), int(newer)), max(int(older), int(newer))
        )
    return render(
        request,
        "documents/versions.html",
        {"compact": compact, "schedule": schedule, "numbers": numbers, "latest": numbers[-1]},
    )


@public_page
def version(request, slug, number):
    compact = compact_selectors.compact(slug)
    kept, content = selectors.version_content(compact, number)
    return render(
        request,
        "documents/version.html",
        {"compact": compact, "version": kept, "number": number, "content": content, **_shown(content)},
    )


@public_page
def version_changes(request, slug, older, newer):
    compact = compact_selectors.compact(slug)
    if older >= newer:
        raise Http404("Compare an earlier version with a later one.")
    before, before_content = selectors.version_content(compact, older)
    after, after_content = selectors.version_content(compact, newer)
    return render(
        request,
        "documents/version_changes.html",
        {
            "compact": compact,
            "older": older,
            "newer": newer,
            "before": before,
            "after": after,
            "sections": versions.compare(before_content, after_content),
        },
    )


# A new Compact ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_compact(request):
    """Add a Compact from its text: check it (what was read, and the lines that could not be placed), correct it
    here, then create it."""
    if not is_site_admin(request.user):
        return refused_page(request, "Only the site's administrators can add a Compact.")
    form = ImportForm(request.POST or None, request.FILES or None)
    parsed, problem, problems, status = None, None, [], 200
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        form = ImportForm(initial={"text": text})  # what was read, to correct in place
        if "create" in request.POST:
            try:
                compact = services.compact_import(by=request.user, text=text)
            except Refused as refused:
                problem = str(refused)
            else:
                messages.success(request, f"{compact.title} is added. You are its administrator.")
                return redirect(compact.get_absolute_url())
        try:
            front, sections, unplaced = textformat.parse(text)
            parsed = {"front": front, "sections": sections, "unplaced": unplaced}
        except textformat.FormatError as error:
            problem = str(error)
        problems = _import_problems(text, problem, parsed["unplaced"] if parsed else [])
        status = 400 if problems else 200
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "documents/manage/import.html",
        {"form": form, "parsed": parsed, "problem": problem, "problems": problems, "themes": selectors.themes()},
        status=status,
    )


@login_required
@require_GET
def import_example(request):
    """The example Compact's text (fixtures/example-compact.md), to download and start from."""
    response = HttpResponse(textformat.EXAMPLE.read_bytes(), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="example-compact.md"'
    return response


def _import_problems(text, problem, unplaced):
    """Each problem found in a Compact's text, with its line (where it has one) and the lines around it quoted
    with their numbers, first to last: a refusal, and every line that could not be placed."""
    problems = []
    if problem:
        number = textformat.line_of(problem)
        problems.append({"line": number, "message": problem, "lines": textformat.lines_around(text, number or 0)})
    for number, _, reason in unplaced:
        problems.append(
            {
                "line": number,
                "message": f"Line {number} could not be placed: {reason}",
                "lines": textformat.lines_around(text, number),
            }
        )
    return problems
