"""The County Durham Compact fixture against its source document
(../shared/sources/county-durham.txt).

The expected counts and texts below were read from the document by hand; the
texts are copied from it character for character.
"""

import pytest

from commitments.models import Commitment, Figure
from compacts.models import Contact, GlossaryTerm, Principle, Section
from compacts.tests.document_check import page_text
from disputes.models import Procedure
from documents.tests.fixture_skeleton import (
    NO_TIME_LIMIT,
    PORTAL_DEFAULT,
    FixtureChecks,
    assert_numbers_as_printed,
    figures,
    load,
    stages,
    time_limit,
)

pytestmark = pytest.mark.django_db

SLUG = "county-durham"

# Outcome 1: 1.1-1.10, outcome 2: 2.1-2.11, outcome 3: 3.1-3.19, outcome 4: 4.1-4.7,
# outcome 5: 5.1-5.6, every number printed once, none missing; in printed order.
PRINTED_NUMBERS = [
    *(f"1.{n}" for n in range(1, 11)),
    *(f"2.{n}" for n in range(1, 12)),
    *(f"3.{n}" for n in range(1, 20)),
    *(f"4.{n}" for n in range(1, 8)),
    *(f"5.{n}" for n in range(1, 7)),
]
# "Undertakings for the Public sector:" lists: 1.1-1.6, 2.1-2.6, 3.1-3.13, 4.1-4.4, 5.1-5.3.
PUBLIC_NUMBERS = {
    *(f"1.{n}" for n in range(1, 7)),
    *(f"2.{n}" for n in range(1, 7)),
    *(f"3.{n}" for n in range(1, 14)),
    *(f"4.{n}" for n in range(1, 5)),
    *(f"5.{n}" for n in range(1, 4)),
}


@pytest.fixture
def loaded():
    return load(SLUG)


EXPECTED_COUNTS = {
    # respect, honesty, equality and diversity, citizen empowerment and the value of voluntary
    # activity: named in one sentence of the introduction.
    "principles": 5,
    "commitments_public": 32,
    "commitments_vcs": 21,
    "commitments_all": 0,
    "signatories": 0,
    # One Voice Network, Assistant Chief Executive's Service, Office for Civil Society,
    # Compact Voice, Compact Advocacy, Local Government Association.
    "contacts": 6,
    "stages": 3,
    # 12-week consultations (2.4) and three months' notice (4.4).
    "figures": 4,
    "sections": 13,
    # The footnote defining social value.
    "glossary_terms": 1,
    # The document prints no date for the Compact itself.
    "events": 0,
    "organisations": 11,
}


# (a) counts ---------------------------------------------------------------------------


class TestFixture(FixtureChecks):
    slug = SLUG
    expected_counts = EXPECTED_COUNTS


def test_printed_numbers(loaded):
    assert_numbers_as_printed(loaded, PRINTED_NUMBERS, public=PUBLIC_NUMBERS, vcs=set(PRINTED_NUMBERS) - PUBLIC_NUMBERS)
    assert len(set(PRINTED_NUMBERS)) == len(PRINTED_NUMBERS) == 53


def test_commitments_in_printed_order(loaded):
    for outcome, last in ((1, 10), (2, 11), (3, 19), (4, 7), (5, 6)):
        numbers = list(
            Commitment.objects.filter(compact=loaded, section__ref=f"outcome-{outcome}")
            .order_by("order")
            .values_list("number", flat=True)
        )
        assert numbers == [f"{outcome}.{n}" for n in range(1, last + 1)]


def test_outcome_sections_and_lead_ins(loaded):
    outcome_2 = Section.objects.get(compact=loaded, ref="outcome-2")
    assert outcome_2.number == "Outcome 2:"
    assert outcome_2.title == (
        "Effective and transparent design and development of policies, programmes and public services"
    )
    assert Commitment.objects.get(compact=loaded, ref="2.6").lead_in == "Undertakings for the Public sector:"
    assert Commitment.objects.get(compact=loaded, ref="2.7").lead_in == "Undertakings for the VCS:"


def test_figures(loaded):
    assert figures(loaded, "commitment.ref") == {
        ("consultation_standard", "main"): (12, "weeks", "2.4"),
        ("funding_end_notice", "main"): (3, "months", "4.4"),
        ("funding_term", "main"): (None, "", "3.4"),
        ("payment_in_advance", "main"): (0, "days", "3.10"),
    }
    notice = Figure.objects.get(compact=loaded, kind="funding_end_notice")
    assert notice.quote == (
        "Give a minimum of three months’ notice in writing when changing or ending a funding relationship or other "
        "support, apart from in exceptional circumstances"
    )
    assert (notice.bound, notice.firmness) == ("at_least", "where_possible")
    assert notice.qualifier_parts() == ["a minimum of", "apart from in exceptional circumstances"]
    # 3.4 commits to multi-year funding without a number; 3.10's payment in advance is only an example.
    assert Figure.objects.get(compact=loaded, kind="funding_term").firmness == "where_possible"
    in_advance = Figure.objects.get(compact=loaded, kind="payment_in_advance")
    assert in_advance.firmness == "example"
    assert in_advance.quote in in_advance.commitment.text


def test_dispute_procedure(loaded):
    procedure = Procedure.objects.get(compact=loaded)
    assert procedure.origin == "document"
    # The document names no Compact Champions: partners resolve it "through open dialogue and negotiation".
    assert stages(loaded, "handler") == ["parties", "decision_makers", "national_body"]
    assert stages(loaded, "origin", "label") == [("document", "")] * 3
    *first_two, last = procedure.stages.order_by("order")
    for stage in first_two:
        assert time_limit(stage) == PORTAL_DEFAULT
        assert stage.time_limit_source == (
            "The document sets no time limit for this step; the portal's default of 20 working days applies."
        )
    assert time_limit(last) == NO_TIME_LIMIT


# (b) exact texts, copied from the source ------------------------------------------------


def test_commitment_texts(loaded):
    def text(ref):
        return Commitment.objects.get(compact=loaded, ref=ref).text

    # Printed on its own line.
    assert text("4.4") == (
        "Give a minimum of three months’ notice in writing when changing or ending a funding relationship or "
        "other support, apart from in exceptional circumstances, and provide a clear rationale for why the "
        "decision has been taken."
    )
    # 1.8, 1.9 and 1.10 are printed run together on one line.
    assert text("1.9") == (
        "Ensure that local support and development organisations understand and represent the diverse needs "
        "of local voluntary and community sector organisations."
    )
    assert text("1.10") == (
        "Support and disseminate the principle of good practice that provides volunteers with free access to "
        "CRB checks."
    )
    # 2.7 and 2.8 on one line ("2.7Work" printed without a space after the number).
    assert text("2.7") == (
        "Work with the public sector from the earliest possible stage to design policies, programmes and "
        "services. Ensure those likely to have a view are involved from the start and remove barriers that may "
        "prevent organisations contributing."
    )
    assert text("2.8") == "Promote and respond to public sector consultations where appropriate."
    # 5.5 and 5.6 on one line; "disadvantage groups" as printed.
    assert text("5.6") == (
        "Enable the public sector to understand the needs of people specifically protected by legislation and "
        "other under-represented and disadvantage groups by proactively representing their views."
    )
    # Double space and missing full stop kept as printed.
    assert "and  recognise that monitoring" in text("3.16")
    assert text("3.12").endswith("discuss the potential effects and agree solutions together")


def test_principles_are_the_values_of_the_printed_sentence(loaded, client):
    # "The Compact embraces the principles of: respect, honesty, equality and diversity, citizen
    # empowerment and the value of voluntary activity; these underpin ...": one principle per value,
    # named as printed; each text is the value with the separator printed after it.
    principles = Principle.objects.filter(compact=loaded).order_by("order")
    assert [(p.name, p.text) for p in principles] == [
        ("respect", "respect,"),
        ("honesty", "honesty,"),
        ("equality and diversity", "equality and diversity,"),
        ("citizen empowerment", "citizen empowerment and"),
        ("the value of voluntary activity", "the value of voluntary activity;"),
    ]
    introduction = Section.objects.get(compact=loaded, ref="introduction")
    assert {p.section for p in principles} == {introduction}
    assert introduction.body.endswith("\n\nThe Compact embraces the principles of:")
    assert introduction.body_after.startswith("these underpin our working relationships")
    # The sentence is on the page once, word for word, and its values are not printed anywhere else.
    text = page_text(client.get(f"/compacts/{SLUG}/").content)
    sentence = (
        "The Compact embraces the principles of: respect, honesty, equality and diversity, citizen empowerment "
        "and the value of voluntary activity; these underpin our working relationships"
    )
    assert text.count(sentence) == 1
    assert text.count("citizen empowerment") == 1


def test_stage_texts(loaded):
    assert stages(loaded, "text") == [
        "Disagreements over meeting the Compact commitments should be resolved, amicably and informally, "
        "between partners through open dialogue and negotiation before they escalate.",
        "Identify the key decision makers and write to them in terms of the Compact, identifying where there "
        "may have been a breach of the Compact and requesting that they investigate and justify the decision.",
        "For further advice on the Compact and how to resolve disagreements please contact the Office for Civil "
        "Society (for the public sector) and Compact Voice (for the VCS):",
    ]


def test_section_texts(loaded):
    introduction = Section.objects.get(compact=loaded, ref="introduction").body
    assert (
        "County Durham is a diverse County, the historic district areas of which were brought together under "
        "one Unitary Authority in April 2009.  In 2010 the County Durham Partnership published: ‘Altogether "
        "Better Durham’, the Sustainable Community Strategy for County Durham 2010 – 2030."
    ) in introduction
    assert (
        "- Responsive and high quality programmes and services.\n"
        in Section.objects.get(compact=loaded, ref="introduction").body_after
    )
    resolving = Section.objects.get(compact=loaded, ref="resolving-differences")
    assert resolving.title == "Resolving differences"
    assert resolving.body == (
        "By agreeing to the County Durham Compact the public sector and the VCS in County Durham have "
        "demonstrated their commitment to it.  However, sometimes partners may fail to comply with the Compact "
        "and on these occasions those involved should explain why."
    )
    ways = Section.objects.get(compact=loaded, ref="resolving-differences-ways")
    assert ways.body_after.endswith(
        "- Refer to policy lead from central government, seek to reinforce Compact principles and understand "
        "that a Compact way of working together can help enhance relationships."
    )


def test_contact_texts(loaded):
    ocs = Contact.objects.get(compact=loaded, ref="office-for-civil-society")
    assert ocs.label == "The Office for Civil society – Cabinet Office"
    assert ocs.organisation.name == "Office for Civil Society"
    assert ocs.email == "ocs.info@cabinet-office.x.gsi.gov.uk"
    assert "Office for Civil Society\n2nd Floor, Admiralty Arch\nSouth Side\nThe Mall\nLondon SW1A 2WH" in ocs.details
    aces = Contact.objects.get(compact=loaded, ref="durham-county-council-aces")
    assert aces.label == "Assistant Chief Executive’s Service"
    assert aces.phone == "0300 123 7070"
    assert aces.is_contact_point and not aces.is_champion  # the document names no Compact Champions
    assert not Contact.objects.filter(compact=loaded, is_champion=True).exists()
    assert not Contact.objects.filter(compact=loaded).exclude(placeholder="").exists()


def test_glossary_term(loaded):
    term = GlossaryTerm.objects.get(compact=loaded, term="Social value")
    assert term.text.startswith("* Social value encompasses a broad concept of value by incorporating social,")
