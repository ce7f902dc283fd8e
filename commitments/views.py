import csv
import json

from django.http import StreamingHttpResponse
from django.shortcuts import render

from compacts.cache import public_page
from compacts.exports import safe_row

from . import selectors
from .forms import CompareForm
from .models import Commitment, Theme
from .search import SearchPaginator, closest_themes, highlighted, suggestion, vocabulary

PAGE_SIZE = 25
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
    suggested, themes = None, []
    if search and (search.missing or not results):
        suggested = suggestion(search, vocabulary(Commitment.objects.all()), found_some=bool(results))
        themes = closest_themes(suggested or q, Theme.objects.all()) if not results else []
    return render(
        request,
        "commitments/explorer.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "results": results,
            "q": q,
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
    """The explorer's address with these parameters set (or, for None, removed)."""
    params = params.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    return f"?{params.urlencode()}"


def _export_rows(request):
    filterset = selectors.commitment_filter(request.GET)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    for commitment in queryset.iterator(chunk_size=2000):
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
        }


class _Echo:
    def write(self, value):
        return value


def export_csv(request):
    writer = csv.DictWriter(_Echo(), fieldnames=EXPORT_FIELDS)
    rows = (writer.writerow(safe_row(row)) for row in _export_rows(request))
    response = StreamingHttpResponse(_with_header(writer, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commitments.csv"'
    return response


def _with_header(writer, rows):
    yield writer.writerow(dict(zip(EXPORT_FIELDS, EXPORT_FIELDS, strict=True)))
    yield from rows


def export_json(request):
    def stream():
        yield '{"commitments": ['
        for i, row in enumerate(_export_rows(request)):
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
        compacts, figure_rows = selectors.comparison(form.cleaned_data["compacts"], form.cleaned_data["theme"].slug)
        sector_rows, theme_rows, totals = selectors.compact_counts(compacts)
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
