"""A commitment's page, "On the same theme in other Compacts": the closest commitment of each other Compact."""

import pytest
from django.core.management import call_command

from commitments import selectors
from commitments.tests.factories import CommitmentFactory, FigureFactory, ThemeFactory
from compacts.tests.document_check import page_text
from compacts.tests.factories import CompactFactory, SectionFactory

pytestmark = pytest.mark.django_db

FIXTURES = ["themes", "dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]


def commitment(compact, theme, ref, text, kind=None):
    made = CommitmentFactory(section=SectionFactory(compact=compact), ref=ref, number=ref, theme=theme, text=text)
    if kind:
        FigureFactory(commitment=made, kind=kind)
    return made


@pytest.fixture
def consultation():
    return ThemeFactory(slug="consult", name="Consultation")


def elsewhere(this):
    return {
        other.compact.short_name: other.ref
        for other in selectors.commitment_detail(this.compact.slug, this.ref).elsewhere
    }


def test_it_shows_the_commitment_with_a_figure_of_the_same_kind_first(consultation):
    durham = CompactFactory(short_name="Durham")
    derby = CompactFactory(short_name="Derby")
    this = commitment(
        durham, consultation, "2.4", "Give early notice of consultations and conduct 12-week consultations.",
        kind="consultation_standard",
    )  # fmt: skip
    commitment(derby, consultation, "1.1", "Give early notice of consultations and involve the sector early.")
    commitment(derby, consultation, "3.6", "Conduct 12-weeks formal consultations.", kind="consultation_standard")
    commitment(derby, consultation, "4.8", "Eight weeks for replies.", kind="consultation_minimum")
    assert elsewhere(this) == {"Derby": "3.6"}


def test_without_a_figure_of_its_kind_the_most_words_in_common_win(consultation):
    this = commitment(CompactFactory(short_name="North"), consultation, "1", "Publicise consultation exercises widely.")
    south = CompactFactory(short_name="South")
    commitment(south, consultation, "1", "Involve the sector from the earliest stages of policy development.")
    commitment(south, consultation, "2", "Publicise the consultation widely, in accessible ways.")
    commitment(south, consultation, "3", "Conduct 12-weeks formal consultations.", kind="consultation_standard")
    assert elsewhere(this) == {"South": "2"}


def test_of_equally_close_commitments_the_first_printed_is_shown(consultation):
    this = commitment(CompactFactory(short_name="North"), consultation, "1", "Work together.")
    south = CompactFactory(short_name="South")
    commitment(south, consultation, "1", "Consult early.")
    commitment(south, consultation, "2", "Consult widely.")
    assert elsewhere(this) == {"South": "1"}


def test_it_shows_one_per_compact_for_the_first_dozen_other_compacts_on_the_theme(consultation):
    this = commitment(CompactFactory(short_name="Home"), consultation, "1", "Consult.")
    for n in range(14):
        commitment(CompactFactory(short_name=f"Other {n:02d}"), consultation, "1", "Consult.")
        commitment(CompactFactory(short_name=f"Another {n:02d}"), ThemeFactory(), "1", "Consult.")
    shown = selectors.commitment_detail(this.compact.slug, this.ref).elsewhere
    assert [other.compact.short_name for other in shown] == [f"Other {n:02d}" for n in range(12)]


def test_it_reads_the_commitment_and_the_others_in_three_queries(consultation, django_assert_num_queries):
    this = commitment(CompactFactory(), consultation, "1", "Consult.", kind="consultation_standard")
    for _ in range(5):
        compact = CompactFactory()
        commitment(compact, consultation, "1", "Consult for 12 weeks.", kind="consultation_standard")
        commitment(compact, consultation, "2", "Consult.")
    with django_assert_num_queries(3):  # the commitment, its figures, and the others with their Compacts
        shown = selectors.commitment_detail(this.compact.slug, this.ref).elsewhere
        assert [(other.compact.short_name, other.section.title) for other in shown]


def test_county_durham_consultation_weeks_link_to_derby_and_derbyshire_weeks(client):
    call_command("loaddata", *FIXTURES, verbosity=0)
    durham = selectors.commitment_detail("county-durham", "2.4")
    assert {other.compact.slug: other.ref for other in durham.elsewhere}["derby-derbyshire"] == "3.6"
    text = page_text(client.get("/compacts/county-durham/commitments/2.4/").content)
    assert "Derby and Derbyshire: commitment 3.6" in text
    assert "Derby and Derbyshire: commitment 1.1" not in text
