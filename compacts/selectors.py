"""Reads of Compacts, loaded in a fixed number of queries whatever their size."""

from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from commitments.models import Commitment
from disputes.models import Stage

from .models import Compact, CompactEventKind, GlossaryTerm, OrganisationSector, Section, Signatory


def _review_due(compact, today):
    """The latest printed review date, and whether it has passed (from prefetched events)."""
    due = next((e for e in reversed(compact.events.all()) if e.kind == CompactEventKind.REVIEW_DUE), None)
    compact.review_due = due
    compact.review_overdue = bool(due and due.has_passed(today))


def _count(model, **filters):
    """A correlated count of a Compact's rows of `model` (uses the compact_id index)."""
    rows = model.objects.filter(compact=OuterRef("pk"), **filters).order_by().values("compact")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)


def compact_page(number, per_page=30):
    """One page of Compacts A to Z with their counts and review dates, for the home page."""
    compacts = Compact.objects.annotate(
        signatory_count=_count(Signatory), commitment_count=_count(Commitment)
    ).order_by("short_name")
    page = Paginator(compacts, per_page).get_page(number)
    page.object_list = list(page.object_list.prefetch_related("events"))
    today = timezone.localdate()
    for compact in page.object_list:
        _review_due(compact, today)
    return page


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


@dataclass
class CommitmentRun:
    """Consecutive commitments printed under one lead-in; `sector` is set when
    they all belong to one sector (else each commitment is labelled alone)."""

    lead_in: str
    sector: str | None
    sector_label: str | None
    commitments: list


def _commitment_runs(commitments):
    runs = []
    for lead_in, group in groupby(commitments, key=lambda c: c.lead_in):
        group = list(group)
        uniform = len({c.sector for c in group}) == 1
        runs.append(
            CommitmentRun(
                lead_in=lead_in,
                sector=group[0].sector if uniform else None,
                sector_label=group[0].get_sector_display() if uniform else None,
                commitments=group,
            )
        )
    return runs


@dataclass
class Document:
    """A Compact's document, section by section, everything loaded."""

    sections: list
    stages: list
    signatories_by_sector: list
    champions: list
    glossary_terms: list


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
        .prefetch_related(
            "events",
            Prefetch("sections", queryset=sections),
            Prefetch("procedure__stages", queryset=Stage.objects.select_related("section").order_by("order")),
        )
        .filter(slug=slug)
        .first()
    )
    if compact is None:
        raise Http404("There is no Compact with that name.")
    _review_due(compact, timezone.localdate())
    section_list = list(compact.sections.all())
    for section in section_list:
        section.commitment_runs = _commitment_runs(section.commitments.all())
        for term in section.glossary_terms.all():
            term.compact = compact
    signatories = [s for section in section_list for s in section.signatories.all()]
    by_sector = [
        (label, [s for s in signatories if s.organisation.sector == value])
        for value, label in OrganisationSector.choices
    ]
    procedure = getattr(compact, "procedure", None)
    compact.document = Document(
        sections=section_list,
        stages=list(procedure.stages.all()) if procedure else [],
        signatories_by_sector=[(label, group) for label, group in by_sector if group],
        champions=[c for section in section_list for c in section.contacts.all() if c.is_champion],
        glossary_terms=[term for section in section_list for term in section.glossary_terms.all()],
    )
    return compact
