"""Reads of Compacts, loaded in a fixed number of queries whatever their size."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.http import Http404

from commitments.models import Commitment
from disputes.models import Stage

from .models import Compact, CompactEventKind, Section, Signatory


def compact_list():
    """Every Compact with its signatory count and history, for the home page."""
    return Compact.objects.annotate(signatory_count=Count("signatories")).prefetch_related("events")


@dataclass
class Document:
    """A Compact's document, section by section, everything loaded."""

    sections: list
    default_stages: list


def compact_document(slug):
    """One Compact with every section and everything printed under each; 404 if unknown."""
    sections = Section.objects.order_by("order").prefetch_related(
        "principles",
        Prefetch("commitments", queryset=Commitment.objects.select_related("theme", "compact").order_by("order")),
        Prefetch("signatories", queryset=Signatory.objects.select_related("organisation").order_by("order")),
        "contacts",
        "glossary_terms",
        "codes_of_practice",
        "case_studies",
        Prefetch("stages", queryset=Stage.objects.order_by("order")),
    )
    compact = (
        Compact.objects.select_related("owner", "procedure")
        .prefetch_related("events", Prefetch("sections", queryset=sections))
        .filter(slug=slug)
        .first()
    )
    if compact is None:
        raise Http404("No Compact with that name.")
    procedure = getattr(compact, "procedure", None)
    default_stages = list(procedure.stages.filter(section__isnull=True)) if procedure else []
    compact.document = Document(sections=list(compact.sections.all()), default_stages=default_stages)
    compact.review_due = next(
        (e for e in reversed(compact.events.all()) if e.kind == CompactEventKind.REVIEW_DUE), None
    )
    return compact
