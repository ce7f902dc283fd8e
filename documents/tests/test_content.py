"""A kind of a Compact's content is declared once (compacts.content), and the places that read a Compact's content
read it there: every model of a Compact's document is a declared kind (or said not to be), and every kind comes back
whole through the text format and a version, is on the Compact page and is followed by the page cache."""

import pytest
from django.apps import apps

from commitments.tests.factories import CommitmentFactory, FigureFactory
from compacts import cache
from compacts import content as registry
from compacts.models import CodeOfPractice, Compact, ReviewChange, Section
from compacts.tests.factories import (
    CaseStudyFactory,
    CompactFactory,
    ContactFactory,
    GlossaryTermFactory,
    OrganisationFactory,
    PrincipleFactory,
    SectionFactory,
    SignatoryFactory,
)
from disputes.tests.factories import ProcedureFactory, StageFactory
from documents import selectors, textformat, versions

pytestmark = pytest.mark.django_db

# The models that belong to a Compact but are neither a kind of its content nor shown on public pages, and why.
NOT_PUBLIC = {
    "compacts.Invitation": "an invitation to answer for an organisation, seen by the person invited",
    "compacts.CompactRole": "who administers the Compact in the portal",
    "compacts.SignUp": "an organisation's request to sign, until it is decided (then it is a signatory)",
    "compacts.ChangeRecord": "the record of changes in the manage area",
    "compacts.Review": "a review of the text, until it publishes a version",
    "commitments.RecordCheck": "the checker's working for one record, shown with the record",
    "commitments.RecordImport": "a file of records being read in",
    "disputes.Complaint": "a complaint, seen only by those its rules let see it",
    "disputes.ResponseTemplate": "wording an officer starts an answer from",
}


def _pointing_at(model):
    return {
        other._meta.label
        for other in apps.get_models()
        if any(field.remote_field and field.related_model is model for field in other._meta.fields)
    }


def test_every_model_printed_under_a_section_is_a_kind_of_content():
    assert _pointing_at(Section) <= {kind.model._meta.label for kind in registry.kinds()}


def test_every_model_of_a_compact_is_declared_public_or_said_not_to_be():
    declared = {model._meta.label for model in registry.public_models()}
    assert _pointing_at(Compact) - declared == set(NOT_PUBLIC)


def one_of_each():
    """A Compact with one row of every kind of its content, all under one section, by kind."""
    compact = CompactFactory(slug="one-of-each", reference_prefix="ONE")
    section = SectionFactory(compact=compact, order=1, body="The section's own words.")
    commitment = CommitmentFactory(section=section, order=2, number="1.1", ref="1.1", lead_in="Partners will:")
    rows = {
        "section": section,
        "principle": PrincipleFactory(section=section, order=1),
        "commitment": commitment,
        "signatory": SignatoryFactory(section=section, order=3, organisation=OrganisationFactory(name="A Council")),
        "contact": ContactFactory(section=section, order=4),
        "stage": StageFactory(procedure=ProcedureFactory(compact=compact), section=section, order=1),
        "glossary": GlossaryTermFactory(section=section, order=6),
        "code": CodeOfPractice.objects.create(
            compact=compact, section=section, order=7, ref="funding-code", title="Funding code", text="Pay on time."
        ),
        "case_study": CaseStudyFactory(section=section, order=8),
        "figure": FigureFactory(commitment=commitment, quote="twelve weeks"),
    }
    assert set(rows) == {kind.name for kind in registry.kinds()}, "make one of the new kind here"
    return compact, rows


def test_every_kind_is_in_a_version_and_comes_back_through_the_text_format():
    compact, rows = one_of_each()
    content = versions.content_of(compact)
    for kind in registry.kinds():
        assert versions.find(content, kind.name, kind.version(rows[kind.name])["ref"]), kind.name
    text = textformat.export(compact)
    for kind in registry.blocks().values():
        assert f"::: {kind.name} " in text
    text = text.replace("slug: one-of-each\n", "slug: a-copy\n").replace("prefix: ONE\n", "prefix: TWO\n")
    copy = textformat.create(*textformat.parse(text)[:2])
    assert versions.content_of(copy) == content


def test_a_review_writes_every_kind_it_may_change():
    compact, rows = one_of_each()
    published = versions.content_of(compact)
    changes = []
    for kind in registry.editable().values():
        ref = kind.version(rows[kind.name])["ref"]
        if kind.name == "figure":
            changes.append(ReviewChange(kind=kind.name, ref=ref, value="10", quote="ten weeks"))
        else:
            changes.append(ReviewChange(kind=kind.name, ref=ref, value=f"New words for the {kind.label.lower()}."))
    versions.write(compact, changes)
    assert versions.content_of(compact) == versions.with_changes(published, changes)
    assert {"section", "principle", "commitment", "stage", "figure"} <= set(registry.editable())


def test_the_compact_page_shows_every_kind_a_section_prints():
    compact, rows = one_of_each()
    (section,) = selectors.compact_document(compact.slug).document.sections
    for kind in registry.items():
        assert section.items[kind.plural] == [rows[kind.name]], kind.name


def test_changing_any_kind_makes_cached_pages_stale():
    _, rows = one_of_each()
    for kind in registry.kinds():
        before = cache.content_version()
        rows[kind.name].save()
        assert cache.content_version() != before, kind.name
