"""Reads of Compacts, loaded in a fixed number of queries whatever their size."""

from django.http import Http404

from .models import CompactEventKind, GlossaryTerm


def review_due(compact, today):
    """The latest printed review date, and whether it has passed (from prefetched events)."""
    due = next((e for e in reversed(compact.events.all()) if e.kind == CompactEventKind.REVIEW_DUE), None)
    compact.review_due = due
    compact.review_overdue = bool(due and due.has_passed(today))


def glossary_terms():
    """Every glossary term of every Compact, for the index and for linking."""
    return list(
        GlossaryTerm.objects.select_related("compact", "section__compact").order_by("term", "compact__short_name")
    )


def glossary_term(compact_slug, slug):
    """One glossary term by its Compact and slug; 404 if unknown."""
    for term in GlossaryTerm.objects.select_related("compact", "section__compact").filter(compact__slug=compact_slug):
        if term.slug == slug:
            return term
    raise Http404("There is no such term in that Compact's glossary.")
