"""Reads of the pages that show a Compact with its commitments and its dispute procedure together, each in a
fixed number of queries whatever the Compact's size. They live here, above the apps, since the Compact side
(compacts) does not read commitments or complaints' procedures itself."""

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import quote

from commitments.models import Commitment
from commitments.selectors import latest_work_plan
from compacts.models import (
    CaseStudy,
    CodeOfPractice,
    Compact,
    Contact,
    GlossaryTerm,
    OrganisationSector,
    Principle,
    Section,
    Signatory,
    SignatoryRole,
)
from compacts.selectors import next_review, portal_champions, with_review_dates


def _count(model, **filters):
    """A correlated count of a Compact's rows of `model` (uses the compact_id index)."""
    rows = model.objects.filter(compact=OuterRef("pk"), **filters).order_by().values("compact")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)


def compact_page(number, per_page=30):
    """One page of Compacts A to Z with their counts and review dates, for the home page."""
    compacts = with_review_dates(Compact.objects).annotate(
        signatory_count=_count(Signatory), commitment_count=_count(Commitment)
    )
    page = Paginator(compacts.order_by("short_name"), per_page).get_page(number)
    page.object_list = list(page.object_list)
    today = timezone.localdate()
    for compact in page.object_list:
        compact.next_review = next_review(compact, today)
    return page


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
    signatories_by_sector: list  # as printed
    portal_signatories: list  # signed up in the portal, apart from the document's own
    contact_points: list  # contacts the document gives for the Compact (its Champions, where it names any)
    names_champions: bool  # whether the document names any Compact Champion
    portal_champions: list  # Champions named in the portal
    work_plan: list  # the actions of its latest work plan
    glossary_terms: list


def _by_section(queryset):
    groups = defaultdict(list)
    for item in queryset:
        groups[item.section_id].append(item)
    return groups


def compact_document(slug):
    """One Compact with every section and everything printed under each; 404 if unknown.

    Each kind of item is one query for the whole Compact, grouped by section
    here (nested prefetching would build a queryset per section and kind)."""
    compact = with_review_dates(Compact.objects.select_related("owner", "procedure")).filter(slug=slug).first()
    if compact is None:
        raise Http404("There is no Compact with that name.")
    compact.next_review = next_review(compact, timezone.localdate())
    mine = {"compact": compact}
    items = {
        "principles": _by_section(Principle.objects.filter(**mine).order_by("order")),
        "commitments": _by_section(Commitment.objects.filter(**mine).order_by("order")),
        # Signatories that signed up in the portal have no section: they are gathered apart below.
        "signatories": _by_section(Signatory.objects.filter(**mine).select_related("organisation").order_by("order")),
        "contacts": _by_section(Contact.objects.filter(**mine).order_by("order")),
        "glossary_terms": _by_section(GlossaryTerm.objects.filter(**mine).order_by("order")),
        "codes_of_practice": _by_section(CodeOfPractice.objects.filter(**mine).order_by("order")),
        "case_studies": _by_section(CaseStudy.objects.filter(**mine).order_by("order")),
    }
    procedure = getattr(compact, "procedure", None)
    stages = list(procedure.stages.select_related("body").order_by("order")) if procedure else []
    items["stages"] = _by_section(stage for stage in stages if stage.section_id)
    # Commitment addresses differ only by reference: reverse the pattern once.
    url_prefix = reverse("commitments:detail", args=[compact.slug, "-"])[:-2]
    sections = list(Section.objects.filter(**mine).order_by("order"))
    closed = {stage.body_id: stage.body for stage in stages if stage.body and stage.body.closed}.values()
    for section in sections:
        # The portal's note on a body that no longer exists, under each section that names it.
        section.closed_bodies = [body for body in closed if body.name in section.body + section.body_after]
        section.items = {kind: groups.get(section.id, []) for kind, groups in items.items()}
        # Organisations that signed up through the portal are not part of the printed document, and the one that
        # led the preparation is named in the words before the printed list (Darlington's cover), not in it.
        section.items["signatories"] = [
            s for s in section.items["signatories"] if s.joined_on is None and s.role != SignatoryRole.LEAD
        ]
        for item in (item for group in section.items.values() for item in group):
            item.compact = compact  # every item's Compact is this one
            if hasattr(item, "section_id") and item.section_id == section.id:
                item.section = section  # and its section this one (a commitment's label names it)
        for commitment in section.items["commitments"]:
            commitment.url = f"{url_prefix}{quote(commitment.ref)}/"
        section.commitment_runs = _commitment_runs(section.items["commitments"])
    signatories = [s for group in items["signatories"].values() for s in group]
    printed = [s for s in signatories if s.joined_on is None]
    by_sector = [
        (label, [s for s in printed if s.organisation.sector == value]) for value, label in OrganisationSector.choices
    ]
    compact.document = Document(
        sections=sections,
        stages=stages,
        signatories_by_sector=[(label, group) for label, group in by_sector if group],
        portal_signatories=sorted((s for s in signatories if s.joined_on), key=lambda s: (s.joined_on, s.order)),
        contact_points=[c for section in sections for c in section.items["contacts"] if c.is_contact_point],
        names_champions=any(c.is_champion for section in sections for c in section.items["contacts"]),
        portal_champions=portal_champions(compact),
        work_plan=latest_work_plan(compact),
        glossary_terms=[term for section in sections for term in section.items["glossary_terms"]],
    )
    return compact
