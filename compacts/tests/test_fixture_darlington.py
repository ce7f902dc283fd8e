"""The Darlington fixture holds the whole Darlington Compact, exactly as printed.

Counts are what the source document (../shared/sources/darlington.txt)
prints: 6 shared principles; 10 public sector commitments and 8 third sector
ones (each list printed in two runs, split by a blank line); eVOLution
(Darlington CVS) leading the preparation and 18 organisations "involved",
printed run together on the cover; no contacts; a three-stage dispute
procedure (Section 6); 5 codes of practice; 2 case studies (Appendix 2);
8 main headings (Sections 1-6, Appendices 1-2) among 18 sections.
"""

import pytest
from django.core.management import call_command

from commitments.models import Commitment, Figure
from compacts.models import (
    CaseStudy,
    CodeOfPractice,
    Compact,
    CompactEvent,
    Contact,
    GlossaryTerm,
    Principle,
    Section,
    Signatory,
)
from compacts.tests.document_check import missing_fragments
from disputes.models import Procedure, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def darlington():
    call_command("loaddata", "themes", "darlington", verbosity=0)
    return Compact.objects.get(slug="darlington")


def counts(compact):
    return {
        "sections": Section.objects.filter(compact=compact).count(),
        "main_headings": Section.objects.filter(compact=compact, level=2).exclude(number="").count(),
        "events": CompactEvent.objects.filter(compact=compact).count(),
        "principles": Principle.objects.filter(compact=compact).count(),
        "public": Commitment.objects.filter(compact=compact, sector="public").count(),
        "vcs": Commitment.objects.filter(compact=compact, sector="vcs").count(),
        "all": Commitment.objects.filter(compact=compact, sector="all").count(),
        "commitments": Commitment.objects.filter(compact=compact).count(),
        "signatories": Signatory.objects.filter(compact=compact).count(),
        "prepared": Signatory.objects.filter(compact=compact, role="prepared").count(),
        "lead": Signatory.objects.filter(compact=compact, role="lead").count(),
        "contacts": Contact.objects.filter(compact=compact).count(),
        "glossary": GlossaryTerm.objects.filter(compact=compact).count(),
        "case_studies": CaseStudy.objects.filter(compact=compact).count(),
        "codes": CodeOfPractice.objects.filter(compact=compact).count(),
        "figures": Figure.objects.filter(compact=compact).count(),
        "procedures": Procedure.objects.filter(compact=compact).count(),
        "stages": Stage.objects.filter(procedure__compact=compact).count(),
    }


EXPECTED = {
    "sections": 18,
    "main_headings": 8,  # Sections 1-6 and Appendices 1-2
    "events": 3,
    "principles": 6,
    "public": 10,
    "vcs": 8,
    "all": 0,
    "commitments": 18,
    "signatories": 19,
    "prepared": 18,
    "lead": 1,
    "contacts": 0,
    "glossary": 0,
    "case_studies": 2,
    "codes": 5,
    "figures": 2,
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


def test_counts(darlington):
    assert counts(darlington) == EXPECTED


def test_main_headings(darlington):
    sections = Section.objects.filter(compact=darlington, level=2).exclude(number="").order_by("order")
    assert [(s.number, s.title) for s in sections] == MAIN_HEADINGS


def test_signatories_in_printed_order(darlington):
    prepared = Signatory.objects.filter(compact=darlington, role="prepared").order_by("order")
    assert [s.printed_name for s in prepared] == PREPARED
    lead = Signatory.objects.get(compact=darlington, role="lead")
    assert lead.organisation.name == "eVOLution (Darlington CVS)"
    assert lead.organisation.sector == "vcs"
    assert darlington.owner == lead.organisation


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
    stages = list(Stage.objects.filter(procedure__compact=darlington).order_by("order"))
    assert [(s.label, s.handler, s.origin) for s in stages] == [
        ("Stage 1", "champions", "document"),
        ("Stage 2", "panel", "document"),
        ("Stage 3", "national_body", "document"),
    ]
    stage_1, stage_2, stage_3 = stages
    assert (stage_1.time_limit, stage_1.time_unit, stage_1.time_limit_origin) == (
        20,
        "working_days",
        "portal_default",
    )
    assert stage_1.time_limit_source == (
        "The document sets no time limit for this stage; the portal's default of 20 working days applies."
    )
    assert (stage_2.time_limit, stage_2.time_unit, stage_2.time_limit_origin) == (
        21,
        "calendar_days",
        "case_study",
    )
    assert stage_2.time_limit_case_study.ref == "review-of-services"
    assert "will then take place within three weeks" in stage_2.time_limit_source
    assert "will then take place within three weeks" in stage_2.time_limit_case_study.body
    assert (stage_3.time_limit, stage_3.time_unit, stage_3.time_limit_origin) == (
        None,
        "",
        "",
    )
    assert {s.section.ref for s in stages} == {"section-6-resolving-disagreements"}


def test_figures(darlington):
    review = Figure.objects.get(compact=darlington, kind="review_cycle", ref="main")
    assert (review.value, review.unit, review.section.ref) == (
        12,
        "months",
        "section-5-implementing-the-compact",
    )
    assert review.quote in review.section.body
    notice = Figure.objects.get(compact=darlington, kind="funding_end_notice", ref="main")
    assert (notice.value, notice.unit, notice.case_study.ref) == (
        3,
        "months",
        "grant-funding",
    )
    assert notice.quote in notice.case_study.body
    assert darlington.review_cycle_months == 12


def test_loading_twice_changes_nothing(darlington):
    def sample():
        return {
            "compact": Compact.objects.filter(slug="darlington").values().get(),
            "principle": Principle.objects.filter(compact=darlington, ref="partnership").values().get(),
            "commitment": Commitment.objects.filter(compact=darlington, ref="third-sector-4").values().get(),
            "stage": Stage.objects.filter(procedure__compact=darlington, order=2).values().get(),
            "signatory": Signatory.objects.filter(compact=darlington, printed_name="HSE").values().get(),
            "section": Section.objects.filter(compact=darlington, ref="the-key-priorities").values().get(),
        }

    before_counts, before_sample = counts(darlington), sample()
    call_command("loaddata", "themes", "darlington", verbosity=0)
    assert counts(darlington) == before_counts == EXPECTED
    assert sample() == before_sample


def test_page_shows_the_whole_document(darlington, client):
    response = client.get("/compacts/darlington/")
    assert response.status_code == 200
    skip_lines = {
        # The printed table of contents: its heading and its entries, which
        # carry page numbers (and differ from the headings they point to:
        # "Introduction to the Darlington Compact", "Case Study examples").
        # Every heading it lists is checked where the text prints it.
        "Contents",
        "Section 1 Introduction to the Darlington Compact Page 4",
        "Section 2 The Context for Working Together in the Borough of Darlington Page 5",
        "Section 3 Compact Principles and Commitments Page 6",
        "Section 4 Introducing the Codes of Practice Page 9",
        "Section 5 Implementing the Compact Page 10",
        "Section 6 Resolving Disagreements Page 12",
        "Appendix 1 Developing the Darlington Compact Page 14",
        "Appendix 2 Case Study examples Page 18",
        # A lone label left over from the process diagram ("The process is
        # illustrated overleaf") after Section 6; the diagram is not in the text.
        "Stage 3",
    }
    remove = (
        # The page footer printed in the middle of the Stage 3 paragraph.
        "12 of 19",
    )
    assert missing_fragments("darlington.txt", response.content, skip_lines=skip_lines, remove=remove) == []
