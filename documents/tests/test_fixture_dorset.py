"""The Dorset Compact fixture (fixtures/dorset.yaml) against its source,
../shared/sources/dorset.txt: the counts found in the document and exact printed
texts (loading, the counts' check and loading twice are fixture_skeleton.py's)."""

import pytest

from commitments.models import Commitment
from compacts.models import Contact, Principle, Section, Signatory
from disputes.models import Procedure
from documents.tests.fixture_skeleton import (
    PORTAL_DEFAULT,
    FixtureChecks,
    figures,
    load,
    printed_signatories,
    time_limit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dorset():
    return load("dorset")


EXPECTED_COUNTS = {
    "sections": 23,
    "wrapper_sections": 3,  # the policy record's three tables
    "appendix_sections": 1,
    "events": 3,  # 1999 adopted, 2003 updated, review due 2013 (the draft itself is undated)
    "principles": 6,
    "commitments": 36,
    # Funding 10, Volunteering 1, Infrastructure 1, Ownership 1
    "commitments_public": 13,
    # Funding 2, Volunteering 1, Infrastructure 1, Ownership 2
    "commitments_vcs": 6,
    # "It is important that consultation:" 7, Commitments 4, Equality 6
    "commitments_all": 17,
    "signatories": 10,
    "contacts": 11,
    "placeholder_contacts": 9,
    "champions": 11,
    "stages": 1,
    "figures": 6,
    "organisations": 17,
}


class TestFixture(FixtureChecks):
    slug = "dorset"
    expected_counts = EXPECTED_COUNTS


def test_the_compact_its_events_and_figures(dorset):
    assert dorset.reference_prefix == "DOR"
    assert dorset.review_cycle_months == 36
    assert list(dorset.events.values_list("kind", "date__year", "precision")) == [
        ("adopted", 1999, "year"),
        ("revised", 2003, "year"),
        ("review_due", 2013, "year"),
    ]
    assert figures(dorset) == {
        ("consultation_standard", "main"): (12, "weeks"),
        ("consultation_minimum", "main"): (8, "weeks"),
        ("consultation_minimum", "best-practice"): (8, "weeks"),
        ("funding_end_notice", "main"): (3, "months"),
        ("review_cycle", "main"): (36, "months"),
        ("funding_term", "main"): (None, ""),  # "Implementing multi-year funding models (where funding allows)"
    }


def test_signatories_in_printed_order(dorset):
    # The two-column table read row by row, left then right.
    assert printed_signatories(dorset) == [
        "Dorset County Council",
        "West Dorset District Council",
        "Christchurch Borough Council",
        "Weymouth & Portland Borough Council",
        "East Dorset District Council",
        "Dorset Fire and Rescue",
        "North Dorset District Council",
        "Dorset Police",
        "Purbeck District Council",
        "NHS Dorset",
    ]
    assert set(Signatory.objects.filter(compact=dorset).values_list("role", flat=True)) == {"supports"}


def test_dispute_procedure(dorset):
    procedure = Procedure.objects.get(compact=dorset)
    assert procedure.origin == "document"
    stage = procedure.stages.get()
    assert stage.section.ref == "dealing-with-disagreements"
    assert stage.handler == "champions"
    assert time_limit(stage) == PORTAL_DEFAULT
    assert stage.text.startswith(
        "If you think the Compact has not been followed, and would like to discuss this, "
        "you should contact the relevant person listed in appendix 1."
    )
    assert stage.text.endswith("to play a mediating role in dispute resolution.")


def test_exact_printed_texts(dorset):
    principle = Principle.objects.get(compact=dorset, ref="interdependence")
    assert principle.text == (
        "Interdependence – both sectors are interdependent, in that the contributions of both sectors are "
        "necessary to the achievement of our shared goals. This does not conflict with the principle that the "
        "public sector should respect the legal independence of voluntary and community organisations. "
        "Similarly, the third sector should respect the statutory obligations of the public sector."
    )
    principle = Principle.objects.get(compact=dorset, ref="shared-responsibility")
    assert principle.text == (
        "Shared responsibility – both sectors have a shared and equal responsibility for implementing the "
        "Compact principles and ensuring it is regularly promoted and reviewed"
    )

    commitment = Commitment.objects.get(compact=dorset, ref="consultation-5")
    assert commitment.lead_in == "It is important that consultation:"
    assert commitment.sector == "all"
    assert commitment.text == (
        "Has realistic timescales, particularly 12 weeks for a standard written consultation and eight weeks as "
        "a minimum. This will allow partners time to talk to and represent the views of their organisations."
    )
    commitment = Commitment.objects.get(compact=dorset, ref="funding-10")
    assert commitment.lead_in == "Public bodies are committed to:"
    assert commitment.sector == "public"
    assert commitment.text == (
        "Giving as much notice as possible when funding is to be withdrawn (and as a matter of best practice, "
        "no less than three months)."
    )
    commitment = Commitment.objects.get(compact=dorset, ref="infrastructure-2")
    assert commitment.lead_in == ""
    assert commitment.sector == "vcs"
    assert commitment.text.startswith("Dorset’s infrastructure bodies are committed to working together")

    contact = Contact.objects.get(compact=dorset, ref="dorset-community-action")
    assert contact.label == "Dorset Community Action:"
    assert contact.details == ("Steve Place\nChief Executive\n01305 250921\nSteve.Place@dorsetcommunityaction.org.uk")
    assert contact.placeholder == ""
    contact = Contact.objects.get(compact=dorset, ref="christchurch-bc")
    assert (contact.label, contact.details, contact.placeholder) == (
        "Christchurch BC",
        "",
        "[Insert details]",
    )

    signatory = Signatory.objects.get(compact=dorset, organisation__name="Weymouth and Portland Borough Council")
    assert signatory.printed_name == "Weymouth & Portland Borough Council"

    section = Section.objects.get(compact=dorset, ref="public-law")
    assert (
        "A decision may be challenged by means of referral to a complaints procedure, ombudsman scheme or "
        "judicial review." in section.body
    )
    section = Section.objects.get(compact=dorset, ref="consultation-and-engagement")
    assert section.body_after.endswith(
        "¹ Particularly through the Local Government & Public Involvement in Health Act 2007, which places a "
        "'duty to involve' on local authorities, with effect from 2009"
    )


def test_commitment_paragraphs_are_not_repeated_in_section_text(dorset):
    for commitment in Commitment.objects.filter(compact=dorset, lead_in=""):
        for section in Section.objects.filter(compact=dorset):
            assert commitment.text not in section.body
            assert commitment.text not in section.body_after
