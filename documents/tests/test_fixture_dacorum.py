"""The Dacorum fixture holds the whole Dacorum Compact, exactly as printed.

Counts are what the source document (../shared/sources/dacorum.txt) prints:
11 shared principles; 17 statutory-sector undertakings (1 on independence,
7 on funding and accountability, 5 on policy development and consultation,
4 on improved local government) and 9 voluntary and community sector ones
(the opening paragraph, 3 on funding and accountability, 2 on policy
development and consultation, 3 on good practice); no named signatories
(only "around 60 signatories" in 2002); 11 contacts in Annex C (5 further
information sources and 6 local contacts); 15 jargon-buster entries; 15
good-practice examples in Annex A; no codes of practice of its own; no dispute procedure,
so the portal's default three stages.
"""

import pytest

from commitments.models import Commitment, Figure
from compacts.models import CaseStudy, Contact, GlossaryTerm, Principle, Section
from disputes.models import Procedure
from documents.tests.fixture_skeleton import FixtureChecks, figures, load, stages

pytestmark = pytest.mark.django_db


@pytest.fixture
def dacorum():
    return load("dacorum")


EXPECTED_COUNTS = {
    "sections": 20,
    "events": 1,  # 2002 first agreed; the revision is undated
    "principles": 11,
    "commitments_public": 17,
    "commitments_vcs": 9,
    "commitments_all": 0,
    "signatories": 0,
    "contacts": 11,
    "champions": 0,  # the document names no Compact Champions: its six local contacts are contact points
    "glossary_terms": 15,
    "case_studies": 15,
    "codes_of_practice": 0,  # the glossary entry names what codes cover; it prints no codes of practice of its own
    "figures": 4,
    "stages": 3,
    "organisations": 14,
}


class TestFixture(FixtureChecks):
    slug = "dacorum"
    expected_counts = EXPECTED_COUNTS


def test_compact_fields(dacorum):
    assert dacorum.reference_prefix == "DAC"
    assert dacorum.review_cycle_months == 12


def test_commitments_per_section(dacorum):
    per_section = {}
    for commitment in Commitment.objects.filter(compact=dacorum).select_related("section"):
        per_section[commitment.section.ref] = per_section.get(commitment.section.ref, 0) + 1
    assert per_section == {
        "statutory-independence": 1,
        "statutory-funding-and-accountability": 7,
        "statutory-policy-development-and-consultation": 5,
        "improved-local-government": 4,
        "undertakings-by-the-voluntary-and-community-sector": 1,
        "vcs-funding-and-accountability": 3,
        "vcs-policy-development-and-consultation": 2,
        "vcs-good-practice": 3,
    }


def test_dispute_procedure_is_the_portal_default(dacorum):
    procedure = Procedure.objects.get(compact=dacorum)
    assert procedure.origin == "portal_default"
    assert "sets no dispute procedure" in procedure.summary
    assert stages(dacorum, "order", "name", "handler", "time_limit", "time_unit") == [
        (1, "Informal resolution", "parties", 20, "working_days"),
        (2, "Formal written response", "respondent", 20, "working_days"),
        (3, "Review by a panel of partners", "panel", 30, "working_days"),
    ]
    for stage in procedure.stages.all():
        assert stage.origin == "portal_default"
        assert stage.time_limit_origin == "portal_default"
        assert stage.section is None
        assert stage.label == ""
        assert stage.time_limit_source == (
            f"The document sets no dispute procedure; the portal's default of {stage.time_limit} working days applies."
        )


def test_texts_exactly_as_printed(dacorum):
    # A jargon-buster entry, with its printed separator " – " (en dash).
    assert GlossaryTerm.objects.get(compact=dacorum, term="Herts Infrastructure Consortium").text == (
        "Herts Infrastructure Consortium – consists of nine Councils for Voluntary Services, ten "
        "Volunteer Centres and other infrastructure organisations and statutory partners. It's main "
        "objective is to encourage sustainable infrastructure within the Third Sector in Herts and to "
        "work in partnership ensuring that the largest possible spread of needs within the community "
        "are met without duplication"
    )
    assert GlossaryTerm.objects.get(compact=dacorum, term="Codes of Practice").text == (
        "Codes of Practice: Guidelines added to the Compact to cover Volunteering, Consultation, "
        "Funding and Procurement, Ethnic Minority Voluntary and Community organisations and "
        "Community groups"
    )
    # Two commitments, one from each sector.
    policy = Commitment.objects.get(compact=dacorum, ref="statutory-policy-2")
    assert policy.text == (
        "consult the Sector on issues that are likely to affect it; and set reasonable timescales for "
        "a response, usually allowing a period of eight weeks for consultation with the wider "
        "voluntary and community sector so that it can consult its users as part of the process;"
    )
    assert policy.lead_in == (
        "Dacorum Borough Council and other statutory agencies will undertake the following commitments "
        "in relation to policy development and consultation with the voluntary and community sector. "
        "It will:"
    )
    assert Commitment.objects.get(compact=dacorum, ref="vcs-funding-2").text == (
        "To respect and be accountable to the law and in the case of charities, observe the appropriate "
        "guidance from the Charity Commission, including that on political activities and campaigning."
    )
    # A contact's details, line for line.
    contact = Contact.objects.get(compact=dacorum, ref="hertfordshire-county-council")
    assert contact.label == "Hertfordshire County Council"
    assert contact.details == "Andrew Burt, Funding & Partnerships Manager\nTel: 01992 555213"
    assert (contact.name, contact.job_title, contact.phone) == (
        "Andrew Burt",
        "Funding & Partnerships Manager",
        "01992 555213",
    )
    # A good-practice example, its markdown emphasis stripped.
    assert CaseStudy.objects.get(compact=dacorum, ref="valuing-volunteers-logo").body == (
        "Adoption of Valuing Volunteers in Hertfordshire logo by local agencies supporting the Herts "
        "Local Area Agreement"
    )
    assert CaseStudy.objects.get(compact=dacorum, ref="chace-group").body == (
        "Setting up the CHACE group – a partnership of Chairs and Chief Officers of core funded "
        "organisations, Dacorum Borough Council Officers and Councillors"
    )
    # A section body sentence, and a principle with its curly-quote neighbour in Challenges.
    assert (
        "Pre Compact, these partnerships developed informally and relied on the networking skills of "
        "individuals from both sectors."
    ) in Section.objects.get(compact=dacorum, ref="introduction").body
    assert "to increase “buy in”" in Section.objects.get(compact=dacorum, ref="challenges").body
    assert Principle.objects.get(compact=dacorum, ref="right-to-campaign").text == (
        "Third Sector organisations are entitled to campaign within the law in order to advance their aims."
    )


def test_figures(dacorum):
    assert figures(dacorum, "commitment.ref") == {
        ("consultation_standard", "main"): (8, "weeks", "statutory-policy-2"),
        # Read in the document for this check: the fourth of "Improved local government", "reviewing the
        # operation of the local compact annually"; the fourth and third of "Funding and accountability",
        # "recognition of the value of long-term, multi-year funding, where appropriate" and "where it is necessary
        # to reduce funding to give notice in line with the guidelines agreed by the Portfolio Holder", print no
        # number.
        ("review_cycle", "main"): (12, "months", "local-government-4"),
        ("funding_term", "main"): (None, "", "statutory-funding-4"),
        ("funding_end_notice", "main"): (None, "", "statutory-funding-3"),
    }
    consultation = Figure.objects.get(compact=dacorum, kind="consultation_standard")
    assert consultation.quote in consultation.commitment.text
    review = Figure.objects.get(compact=dacorum, kind="review_cycle")
    assert review.quote in review.commitment.text
