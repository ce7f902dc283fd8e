"""The Darlington fixture holds the whole Darlington Compact, exactly as printed.

Counts are what the source document (../shared/sources/darlington.txt)
prints: 6 shared principles; 10 public sector commitments and 8 third sector
ones in Section 3 (each list printed in two runs, split by a blank line), and
3 of each in Section 5's running text; eVOLution (Darlington CVS) leading the
preparation and 18 organisations "involved", printed run together on the
cover; no contacts; a three-stage dispute procedure (Section 6); 5 codes of
practice; 2 case studies (Appendix 2); 8 main headings (Sections 1-6,
Appendices 1-2) among 18 sections.
"""

import pytest

from commitments.models import Commitment, Figure
from compacts.models import CaseStudy, Principle, Section, Signatory
from compacts.tests.document_check import page_text
from disputes.models import Stage
from documents.selectors import compact_document
from documents.tests.fixture_skeleton import (
    NO_TIME_LIMIT,
    PORTAL_DEFAULT,
    FixtureChecks,
    figures,
    load,
    printed_signatories,
    stages,
    time_limit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def darlington():
    return load("darlington")


EXPECTED_COUNTS = {
    "sections": 18,
    "main_headings": 8,  # Sections 1-6 and Appendices 1-2
    "events": 3,
    "principles": 6,
    "commitments_public": 13,
    "commitments_vcs": 11,
    "commitments_all": 0,
    "commitments": 24,
    "signatories": 19,
    "signatories_prepared": 18,
    "signatories_lead": 1,
    "contacts": 0,
    "glossary_terms": 0,
    "case_studies": 2,
    "codes_of_practice": 5,
    "figures": 4,
    "procedures": 1,
    "stages": 3,
}

MAIN_HEADINGS = [
    ("Section 1:", "Introduction to the Compact"),
    ("Section 2:", "The Context for Working Together in the Borough of Darlington"),
    ("Section 3:", "Compact Principles and Commitments"),
    ("Section 4:", "Introducing the Codes of Practice"),
    ("Section 5:", "Implementing the Compact"),
    ("Section 6:", "Resolving Disagreements"),
    ("Appendix 1:", "Developing the Darlington Compact"),
    ("Appendix 2:", "Case Study Examples"),
]

# The cover's list of organisations "involved", in printed order.
PREPARED = [
    "Darlington Borough Council",
    "Co Durham & Darlington NHS",
    "Durham Constabulary",
    "Durham & Darlington Fire and Rescue Service",
    "HSE",
    "Highways Agency",
    "Sport England",
    "Tees, Esk & Wear Valleys NHS Foundation Trust",
    "700 Club",
    "Age Concern Darlington",
    "Darlington LINk",
    "Darlington Housing Action",
    "Family Help",
    "First Stop Darlington",
    "Gay Advice Durham & Darlington",
    "Morrison Trust",
    "Tees Valley YMCA",
    "Tees Valley Rural Community Council",
]


class TestFixture(FixtureChecks):
    slug = "darlington"
    expected_counts = EXPECTED_COUNTS


def test_main_headings(darlington):
    sections = Section.objects.filter(compact=darlington, level=2).exclude(number="").order_by("order")
    assert [(s.number, s.title) for s in sections] == MAIN_HEADINGS


def test_signatories_in_printed_order(darlington):
    assert printed_signatories(darlington, role="prepared") == PREPARED
    lead = Signatory.objects.get(compact=darlington, role="lead")
    assert lead.organisation.name == "eVOLution (Darlington CVS)"
    assert lead.organisation.sector == "vcs"
    assert darlington.owner == lead.organisation


def test_the_printed_list_of_organisations_involved(darlington):
    # "The preparation of this document has been led by eVOLution (Darlington CVS) with the
    # involvement of:-" and then the list: eVOLution is named in the sentence, not in the list.
    document = compact_document("darlington").document
    cover = next(s for s in document.sections if s.ref == "supporting-partnerships-for-success")
    assert cover.body == (
        "The preparation of this document has been led by eVOLution (Darlington CVS) with the involvement of:-"
    )
    assert [s.printed_name for s in cover.items["signatories"]] == PREPARED
    # Its role is kept: it is listed, as leading the preparation, among those who signed or prepared it.
    summary = [(s.organisation.name, s.role) for _, group in document.signatories_by_sector for s in group]
    assert ("eVOLution (Darlington CVS)", "lead") in summary
    assert len(summary) == 19


def test_section_5_undertakings(darlington, client):
    section_5 = Section.objects.get(compact=darlington, ref="section-5-implementing-the-compact")
    commitments = list(Commitment.objects.filter(section=section_5).order_by("order"))
    assert [(c.ref, c.sector, c.number) for c in commitments] == [
        ("implementing-1", "public", ""),
        ("implementing-2", "public", ""),
        ("implementing-3", "public", ""),
        ("implementing-4", "vcs", ""),
        ("implementing-5", "vcs", ""),
        ("implementing-6", "vcs", ""),
    ]
    # No lead-in is printed for them: the paragraph's opening sentence is the Steering Group's, and stays in the body.
    assert {c.lead_in for c in commitments} == {""}
    assert section_5.body.endswith(
        "The Compact Steering Group will have the lead responsibility for promoting and expanding the "
        "influence of the Compact through the partners."
    )
    assert commitments[2].text == (
        "And they will, jointly and with third sector partners, resource the Annual Review and Action Plan."
    )
    assert (
        commitments[4].text == "They will participate in the Annual Review and Action Plan within available resources."
    )
    # Stored once: not also in the section's text.
    assert "Public sector partners will" not in section_5.body + section_5.body_after
    assert section_5.body_after.startswith("The role of Compact Champions is to promote")
    # The two paragraphs read on the page as printed, once each.
    text = page_text(client.get("/compacts/darlington/").content)
    for paragraph in (
        "The Compact Steering Group will have the lead responsibility for promoting and expanding the influence "
        "of the Compact through the partners. Public sector partners will encourage other public bodies working "
        "in the Borough of Darlington to adopt the Compact. They will publicise progress made on the Compact and "
        "work to mainstream it within their own organisations. And they will, jointly and with third sector "
        "partners, resource the Annual Review and Action Plan.",
        "Similarly, third sector partners will promote the adoption of the Compact by other voluntary and "
        "community organisations. They will participate in the Annual Review and Action Plan within available "
        "resources. And they will publish and disseminate progress throughout the sector. The role of Compact "
        "Champions is to promote",
    ):
        assert text.count(paragraph) == 1


def test_texts_exactly_as_printed(darlington):
    assert Principle.objects.get(compact=darlington, ref="partnership").text == (
        "Partnership building and maintaining effective relationships through consultation, "
        "co-operation and joint initiatives, to improve policy development and service delivery; "
        "and encouraging partners across all sectors to work within the spirit of the Compact "
        "principles, commitments and codes of practice."
    )
    # Printed across a page break after "honesty,"; joined back.
    assert Principle.objects.get(compact=darlington, ref="mutual-value-and-respect").text == (
        "Mutual Value and Respect the differing responsibilities and accountabilities of public "
        "and third sector organisations are recognised and respected; common to all is the need "
        "to act with integrity, honesty, openness and objectivity, and in a spirit of leadership "
        "and accountability within the wider community."
    )
    # The en dash is kept.
    assert Principle.objects.get(compact=darlington, ref="cross-sector-support").text.startswith(
        "Cross-Sector Support \u2013 relationships between the sectors"
    )
    public_6 = Commitment.objects.get(compact=darlington, ref="public-6")
    assert public_6.sector == "public"
    assert public_6.lead_in == "The public sector signatories to the Compact will:"
    assert public_6.text == (
        "Implement a 'mixed funding economy' of grants and contracted funding linked to outcome "
        "delivery, with multi-year funding, prompt payment (in advance of expenditure where "
        "appropriate), the sharing of risks fairly between funder and provider, and the inclusion "
        "of overhead costs in line with the principle of full cost recovery"
    )
    vcs_7 = Commitment.objects.get(compact=darlington, ref="third-sector-7")
    assert vcs_7.sector == "vcs"
    assert vcs_7.lead_in == "Third sector signatories to the Compact will:"
    assert vcs_7.text == "Champion the needs of members, stakeholders and service users"
    assert Commitment.objects.get(compact=darlington, ref="public-10").text == (
        "The Public Sector will be mindful of the benefits of having local providers"
    )

    stage_1 = Stage.objects.get(procedure__compact=darlington, order=1)
    assert stage_1.text == (
        "Stage 1: the Compact Champions of the organisations in dispute seek to resolve the issue "
        "informally, within the framework of the Compact. If the issue cannot be resolved "
        "informally, it should be raised in writing, with a formal response provided using the "
        "responding organisation's Complaints Procedure as a guiding framework"
    )
    # Stage 3's paragraph runs across the page footer "12 of 19", which is dropped.
    stage_3 = Stage.objects.get(procedure__compact=darlington, order=3)
    assert "Where the issue is a complaint of maladministration by a public sector body" in stage_3.text
    assert "12 of 19" not in stage_3.text

    assert (
        Signatory.objects.get(
            compact=darlington,
            organisation__name="Tees, Esk and Wear Valleys NHS Foundation Trust",
        ).printed_name
        == "Tees, Esk & Wear Valleys NHS Foundation Trust"
    )
    assert (
        Signatory.objects.get(
            compact=darlington,
            organisation__name="County Durham and Darlington Fire and Rescue Service",
        ).printed_name
        == "Durham & Darlington Fire and Rescue Service"
    )

    section_5 = Section.objects.get(compact=darlington, ref="section-5-implementing-the-compact")
    assert (
        "The Compact Steering Group is chaired by the Executive Director of eVOLution, the lead "
        "body for the third sector within the Borough of Darlington." in section_5.body
    )
    assert CaseStudy.objects.get(compact=darlington, ref="review-of-services").body.startswith(
        "- Voluntary Sector organisation A is unhappy with the decision of the local authority"
    )


def test_dispute_procedure(darlington):
    assert stages(darlington, "label", "handler", "origin") == [
        ("Stage 1", "champions", "document"),
        ("Stage 2", "panel", "document"),
        ("Stage 3", "national_body", "document"),
    ]
    stage_1, stage_2, stage_3 = Stage.objects.filter(procedure__compact=darlington).order_by("order")
    assert time_limit(stage_1) == PORTAL_DEFAULT
    assert stage_1.time_limit_source == (
        "The document sets no time limit for this stage; the portal's default of 20 working days applies."
    )
    # The procedure sets no time limit for the panel; the hypothetical case studies' "within three weeks" is an
    # example, not the Compact's own limit, so the portal's default applies, labelled.
    assert time_limit(stage_2) == PORTAL_DEFAULT
    assert stage_2.time_limit_case_study is None
    assert "an example, not a time limit" in stage_2.time_limit_source
    # The Commission for the Compact, to which Stage 3 goes, closed in 2011: the portal's note says so.
    assert stage_3.body.name == "Commission for the Compact"
    assert stage_3.body.closed_in == 2011 and stage_3.body.closed_note
    assert time_limit(stage_3) == NO_TIME_LIMIT
    assert {s.section.ref for s in (stage_1, stage_2, stage_3)} == {"section-6-resolving-disagreements"}


def test_figures(darlington):
    assert figures(darlington) == {
        ("review_cycle", "main"): (12, "months"),
        ("funding_end_notice", "main"): (3, "months"),
        # Read in the document for this check: Section 3's public sector commitment "with multi-year funding, prompt
        # payment (in advance of expenditure where appropriate)" prints no term, and payment before expenditure.
        ("funding_term", "main"): (None, ""),
        ("payment_in_advance", "main"): (0, "days"),
    }
    review = Figure.objects.get(compact=darlington, kind="review_cycle", ref="main")
    assert review.section.ref == "section-5-implementing-the-compact"
    assert review.quote in review.section.body
    notice = Figure.objects.get(compact=darlington, kind="funding_end_notice", ref="main")
    assert notice.case_study.ref == "grant-funding"
    assert notice.quote in notice.case_study.body
    # A hypothetical case study's figure is shown as an example and never checked.
    assert (notice.firmness, notice.whose) == ("example", "")
    assert darlington.review_cycle_months == 12
