"""The Derby and Derbyshire fixture holds the whole source document as data.

Source: ../shared/sources/derby-derbyshire.txt, a Derbyshire County Council
Cabinet report of 10 January 2017 wrapping the draft refreshed Compact V0.4 of
8 December 2016. The counts below are what the document prints.
"""

import pytest

from commitments.models import Commitment
from compacts.models import CaseStudy, Contact, Principle, Section, Signatory
from disputes.models import Procedure, Stage
from documents.tests.fixture_skeleton import (
    PORTAL_DEFAULT,
    FixtureChecks,
    assert_numbers_as_printed,
    figures,
    load,
    stages,
    time_limit,
)

pytestmark = pytest.mark.django_db

SLUG = "derby-derbyshire"

# Every commitment number printed, in document order. 7.2 and 12.2 are not
# printed in the original (the numbering jumps 7.1 -> 7.3 and 12.1 -> 12.3).
PRINTED_NUMBERS = [
    "1.1",
    "2.1", "2.2", "2.3", "2.4",
    "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7",
    "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8",
    "5.1", "5.2", "5.3",
    "6.1", "6.2", "6.3",
    "7.1", "7.3", "7.4", "7.5", "7.6",
    "8.1", "8.2", "8.3", "8.4",
    "9.1", "9.2", "9.3",
    "10.1", "10.2", "10.3", "10.4",
    "11.1", "11.2",
    "12.1", "12.3", "12.4", "12.5", "12.6", "12.7", "12.8", "12.9",
    "13.1", "13.2", "13.3",
    "14.1",
    "15.1", "15.2", "15.3",
    "16.1", "16.2", "16.3", "16.4", "16.5",
    "17.1", "17.2",
    "18.1", "18.2", "18.3", "18.4", "18.5", "18.6", "18.7", "18.8",
    "19.1", "19.2",
    "20.1", "20.2", "20.3", "20.4",
]  # fmt: skip

# "VCS commitments" runs: 4.1-4.8, 12.7-12.9, 14-17, 19 ("VCS organisations
# undertake", no sector subheading) and 20. Everything else is under
# "Statutory sector commitments".
VCS_NUMBERS = {
    "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8",
    "12.7", "12.8", "12.9",
    "14.1", "15.1", "15.2", "15.3",
    "16.1", "16.2", "16.3", "16.4", "16.5", "17.1", "17.2",
    "19.1", "19.2",
    "20.1", "20.2", "20.3", "20.4",
}  # fmt: skip

PRINCIPLES = [
    "Respect",
    "Honesty",
    "Independence",
    "Diversity",
    "Equality",
    "Citizen empowerment",
    "Volunteering",
]


@pytest.fixture
def loaded():
    return load(SLUG)


EXPECTED_COUNTS = {
    "sections": 46,
    "wrapper_sections": 11,
    "events": 4,
    "principles": 7,
    "commitments": 80,
    "commitments_public": 52,
    "commitments_vcs": 28,
    "commitments_all": 0,
    "figures": 6,
    "signatories": 0,  # "7. Pledge and sign up": "Details to be added to the final document."
    "contacts": 1,
    "case_studies": 1,
    "stages": 3,
    "procedures": 1,
    "organisations": 13,
}


# (a) counts ------------------------------------------------------------------


class TestFixture(FixtureChecks):
    slug = SLUG
    expected_counts = EXPECTED_COUNTS


def test_compact_fields(loaded):
    assert loaded.title == "The Derby and Derbyshire Compact"
    assert loaded.reference_prefix == "DER"
    assert loaded.status == "consultation"
    assert loaded.version == "V0.4"
    assert loaded.review_cycle_months is None  # no review cycle is printed
    assert loaded.source_file == "derby-derbyshire.txt"
    events = [(e.kind, e.date.isoformat(), e.precision) for e in loaded.events.order_by("order")]
    assert events == [
        ("drafted", "2001-01-01", "year"),
        ("adopted", "2003-02-01", "month"),
        ("drafted", "2016-12-08", "day"),
        ("report", "2017-01-10", "day"),  # it seeks approval to consult; it records no decision
    ]


def test_principles(loaded):
    names = list(loaded.principles.order_by("order").values_list("name", flat=True))
    assert names == PRINCIPLES
    assert {p.section.ref for p in loaded.principles.all()} == {"section-1-what-is-a-compact"}


def test_commitment_numbers_exactly_as_printed(loaded):
    assert_numbers_as_printed(loaded, PRINTED_NUMBERS, public=set(PRINTED_NUMBERS) - VCS_NUMBERS, vcs=VCS_NUMBERS)
    rows = Commitment.objects.filter(compact=loaded).order_by("section__order", "order")
    numbers = [c.number for c in rows]
    assert numbers[0] == "1.1" and numbers[-1] == "20.4"
    assert "7.2" not in numbers
    assert "12.2" not in numbers
    assert len(set(numbers)) == 80


def test_commitment_sectors(loaded):
    rows = Commitment.objects.filter(compact=loaded)
    assert rows.get(ref="19.1").lead_in == ""  # no sector subheading is printed under 19
    assert rows.get(ref="12.6").lead_in == "Statutory sector commitments"
    assert rows.get(ref="12.7").lead_in == "VCS commitments"


def test_figures(loaded):
    assert figures(loaded, "commitment.number") == {
        ("consultation_standard", "main"): (12, "weeks", "3.6"),
        ("consultation_minimum", "main"): (8, "weeks", "4.8"),
        ("funding_term", "main"): (3, "years", "9.1"),
        ("funding_decision_notice", "main"): (3, "months", "9.2"),
        ("funding_end_notice", "main"): (3, "months", "13.2"),
        ("payment_in_advance", "main"): (0, "days", "11.1"),
    }
    assert not loaded.figures.filter(kind="review_cycle").exists()
    for figure in loaded.figures.all():
        assert figure.quote in figure.commitment.text


def test_signatories_and_contacts(loaded):
    # Nobody is printed as signing yet; the draft's author (version table) is the owner.
    assert not Signatory.objects.filter(compact=loaded).exists()
    assert loaded.owner.name == "Derbyshire Compact Refresh Task Group"
    contact = Contact.objects.get(compact=loaded)
    assert contact.placeholder == "To be added"
    assert not contact.is_published
    assert (contact.name, contact.phone, contact.email) == ("", "", "")
    case_study = CaseStudy.objects.get(compact=loaded)
    assert case_study.body == "To be added"


def test_dispute_stages(loaded):
    procedure = Procedure.objects.get(compact=loaded)
    assert procedure.origin == "document"
    assert stages(loaded, "handler") == [
        "respondent",
        "critical_friend",
        "partners_group",
    ]
    for stage in procedure.stages.all():
        assert stage.origin == "document"
        assert stage.label == ""
        assert stage.section.ref == "section-6-what-to-do-if-things-go-wrong"
        assert time_limit(stage) == PORTAL_DEFAULT
        assert stage.time_limit_source == (
            "The document sets no time limit for this step; the portal's default of 20 working days applies."
        )


# (b) exact texts, copied from the source ------------------------------------


def test_exact_texts(loaded):
    commitments = Commitment.objects.filter(compact=loaded)
    assert commitments.get(ref="1.1").text == (
        "Involve the voluntary and community sector (VCS) from the earliest stages of policy development, on all "
        "relevant issues likely to affect it, and inform the VCS of progress in developing policy, and discuss "
        "implications for the VCS of new policies, legislation and guidance."
    )
    assert commitments.get(ref="7.1").text == (
        "Ensure that funding opportunities including grant applications and tenders are:\n"
        "- Publicised widely\n"
        "- Proportionate to the nature of the risk and the amount of funding being allocated\n"
        "- Contains enough information to allow organisations to make informed decisions."
    )
    assert commitments.get(ref="13.2").text == (
        "Where possible, give a minimum of three months' notice in writing when ending a funding relationship or "
        "other support and provide a clear rationale for why the decision has been taken."
    )
    # printed without a full stop
    assert commitments.get(ref="4.8").text == (
        "Recognise that for a variety of reasons a 12 week period will not always be possible, in which case eight "
        "weeks for replies will generally be the minimum"
    )
    stage2 = Stage.objects.get(procedure__compact=loaded, order=2)
    assert stage2.text == (
        "If an outcome satisfactory to both parties is not reached please contact:\n\n"
        "The final document will include a named person from the local statutory and voluntary sector for both "
        "Derby and Derbyshire who would act as a critical friend to support people in resolving issues."
    )
    sections = Section.objects.filter(compact=loaded)
    purpose = sections.get(ref="report-1-purpose-of-the-report")
    assert (purpose.part, purpose.number, purpose.title) == (
        "wrapper",
        "1.",
        "Purpose of the Report",
    )
    assert purpose.body == "To seek approval to consult on the draft refreshed Derby and Derbyshire Compact."
    analysis = sections.get(ref="report-2-information-and-analysis").body
    assert (
        "The draft refreshed Compact is also being considered by Derby City Council and it is proposed that the "
        "draft document now go out for consultation for a period of 12 weeks." in analysis.split("\n\n")[-1]
    )
    history = sections.get(ref="section-3-history")
    assert history.part == "compact"
    assert history.body.split("\n\n")[2] == (
        "The Derby Compact was first developed in 2001 by Derby City Council in partnership with the local "
        "voluntary and community sector. Derby City Partnership signed up on behalf of all partners in the "
        "statutory and voluntary and community sectors in the City. The Derby Compact Forum was launched in "
        "November 2003."
    )
    assert sections.get(ref="section-7-pledge-and-sign-up").body == "Details to be added to the final document."
    assert Principle.objects.get(compact=loaded, ref="honesty").text == (
        "Honesty: It is only through open communication that strong partnerships can be built and maintained. "
        "Full and frank discussions should be the basis for resolving difficulties."
    )
    assert Contact.objects.get(compact=loaded).details == (
        "To be added will include VCS, statutory sector and relevant national organisations for example Compact Voice."
    )
    nineteen = sections.get(ref="commitments-19-promoting-equality-and-diversity")
    assert (nineteen.number, nineteen.title) == (
        "19",
        "Promoting equality and diversity",
    )  # printed without "."
