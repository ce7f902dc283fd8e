"""Reads of commitments, each in a fixed number of queries."""

from django.db.models import Count, Min, Prefetch, Subquery
from django.http import Http404

from compacts.models import Compact

from .filters import CommitmentFilter
from .models import Commitment, CommitmentSector, Figure, FigureKind, Theme

OTHER_COMPACTS_SHOWN = 12
LONG_TEXTS = [
    "section__body",
    "section__body_after",
    "compact__summary",
    "compact__status_note",
    "compact__owner_note",
    "compact__source_description",
    "compact__pledge",
    "theme__description",
    "search_vector",
]


def commitment_list():
    """All commitments in reading order, with what a list of them shows (and
    not the long texts of their Compact and section, which lists never show)."""
    return (
        Commitment.objects.select_related("compact", "section", "theme")
        .defer(*LONG_TEXTS)
        .order_by("compact__short_name", "section__order", "order")
    )


def commitment_filter(params):
    """The explorer's filters bound to the request's parameters."""
    return CommitmentFilter(params, queryset=commitment_list())


def commitment_detail(compact_slug, ref):
    """One commitment with its figures and, for comparison, a commitment on the
    same theme from each of up to a dozen other Compacts; 404 if there is none
    with that reference."""
    commitment = (
        Commitment.objects.select_related("compact", "section__compact", "theme")
        .prefetch_related("figures")
        .filter(compact__slug=compact_slug, ref=ref)
        .first()
    )
    if commitment is None:
        raise Http404("There is no commitment with that reference in that Compact.")
    # The first commitment on this theme in each of (up to) a dozen other Compacts.
    firsts = (
        Commitment.objects.filter(theme=commitment.theme_id)
        .exclude(compact=commitment.compact_id)
        .values("compact_id")
        .annotate(first=Min("id"))
        .order_by("compact_id")
        .values("first")[:OTHER_COMPACTS_SHOWN]
    )
    commitment.elsewhere = list(commitment_list().filter(id__in=Subquery(firsts)))
    return commitment


def comparison(compact_slugs, theme_slug):
    """Commitments of the chosen Compacts on one theme, side by side, and the
    figures each commits to, lined up by kind."""
    figures = Figure.objects.select_related("commitment__compact", "case_study", "section")
    compacts = list(
        Compact.objects.filter(slug__in=compact_slugs)
        .order_by("short_name")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=commitment_list().filter(theme__slug=theme_slug),
                to_attr="theme_commitments",
            ),
            Prefetch("figures", queryset=figures, to_attr="all_figures"),
        )
    )
    rows = []
    for kind in FigureKind:
        cells = [[f for f in compact.all_figures if f.kind == kind] for compact in compacts]
        if any(cells):
            rows.append((kind.label, cells))
    return compacts, rows


def compact_counts(compacts):
    """Counts of the Compacts' commitments by sector and by theme."""
    themes = list(Theme.objects.all())
    counts = {}
    rows = (
        Commitment.objects.filter(compact__in=compacts)
        .values("compact_id", "sector", "theme_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        for key in (("sector", row["sector"]), ("theme", row["theme_id"]), ("all", None)):
            counts[(row["compact_id"], *key)] = counts.get((row["compact_id"], *key), 0) + row["n"]
    sector_rows = [
        (label, [counts.get((c.id, "sector", value), 0) for c in compacts]) for value, label in CommitmentSector.choices
    ]
    theme_rows = [(theme, [counts.get((c.id, "theme", theme.id), 0) for c in compacts]) for theme in themes]
    totals = [counts.get((c.id, "all", None), 0) for c in compacts]
    return sector_rows, theme_rows, totals
