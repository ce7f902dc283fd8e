import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.tests.factories import CommitmentFactory, FigureFactory, ThemeFactory
from compacts.tests.document_check import page_text
from compacts.tests.factories import CompactFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_compacts():
    consultation = ThemeFactory(slug="consult", name="Consultation")
    funding = ThemeFactory(slug="money", name="Money")
    north = SectionFactory(compact=CompactFactory(slug="north", short_name="North", title="The North Compact"))
    south = SectionFactory(compact=CompactFactory(slug="south", short_name="South", title="The South Compact"))
    return {
        "north_consult": CommitmentFactory(
            section=north, ref="1.1", number="1.1", theme=consultation, text="Consult for 12 weeks on policies."
        ),
        "north_money": CommitmentFactory(
            section=north, ref="1.2", number="1.2", theme=funding, sector="vcs", text="Account for public money."
        ),
        "south_consult": CommitmentFactory(
            section=south, ref="consult-1", theme=consultation, text="Consultation lasts eight weeks at least."
        ),
    }


def refs(response):
    return [c.ref for c in response.context["results"]]


def test_explorer_lists_every_commitment(client, two_compacts):
    response = client.get("/commitments/")
    assert response.status_code == 200
    assert sorted(refs(response)) == ["1.1", "1.2", "consult-1"]
    assert "3 commitments" in page_text(response.content)


def test_explorer_filters_by_compact_sector_and_theme(client, two_compacts):
    assert refs(client.get("/commitments/", {"compact": "south"})) == ["consult-1"]
    assert refs(client.get("/commitments/", {"sector": "vcs"})) == ["1.2"]
    assert sorted(refs(client.get("/commitments/", {"theme": "consult"}))) == ["1.1", "consult-1"]
    assert refs(client.get("/commitments/", {"theme": "consult", "compact": "north"})) == ["1.1"]
    assert sorted(refs(client.get("/commitments/", {"compact": ["north", "south"], "sector": "public"}))) == [
        "1.1",
        "consult-1",
    ]


def test_explorer_keyword_search_matches_and_highlights(client, two_compacts):
    response = client.get("/commitments/", {"q": "weeks"})
    assert sorted(refs(response)) == ["1.1", "consult-1"]
    html = response.content.decode()
    assert "<mark>weeks</mark>" in html
    assert "matching “weeks”" in page_text(response.content)


def test_explorer_search_escapes_text_and_query(client, two_compacts):
    CommitmentFactory(text="Fish & <chips> weeks")
    html = client.get("/commitments/", {"q": "<chips>"}).content.decode()
    assert "<chips>" not in html
    assert "&lt;chips&gt;" in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"compact": "atlantis"}, "Select a valid choice"),
        ({"sector": "pirates"}, "Select a valid choice"),
        ({"theme": "nonsense"}, "Select a valid choice"),
        ({"q": "x" * 201}, "Ensure this value has at most 200 characters"),
    ],
)
def test_explorer_malformed_filters_get_a_clear_message(client, two_compacts, params, message):
    response = client.get("/commitments/", params)
    assert response.status_code == 400
    text = page_text(response.content)
    assert "There is a problem" in text
    assert message in text
    assert response.context["results"] == []


def test_explorer_nonsense_query_finds_nothing_politely(client, two_compacts):
    response = client.get("/commitments/", {"q": "!!! && ''"})
    assert response.status_code == 200
    assert "No commitments match" in page_text(response.content)


def test_explorer_pages_are_bounded(client, two_compacts):
    for page in ["999", "abc", "-1"]:
        assert client.get("/commitments/", {"page": page}).status_code == 200


def test_explorer_queries_do_not_grow_with_results(client, django_assert_max_num_queries):
    section = SectionFactory()
    for n in range(60):
        CommitmentFactory(section=section, ref=f"r{n}")
    with django_assert_max_num_queries(6):
        assert client.get("/commitments/", {"q": "weeks", "page": 2}).status_code == 200


def test_csv_download_has_the_same_filters(client, two_compacts):
    response = client.get("/commitments/commitments.csv", {"theme": "consult"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(row["reference"] for row in rows) == ["1.1", "consult-1"]
    assert rows[0]["url"].startswith("http://testserver/compacts/")
    assert {row["text"] for row in rows} == {
        "Consult for 12 weeks on policies.",
        "Consultation lasts eight weeks at least.",
    }


def test_json_download_has_the_same_filters(client, two_compacts):
    response = client.get("/commitments/commitments.json", {"compact": "north", "q": "money"})
    data = json.loads(b"".join(response.streaming_content))
    assert [row["reference"] for row in data["commitments"]] == ["1.2"]
    assert data["commitments"][0]["sector"] == "vcs"


def test_downloads_carry_each_commitments_figures(client, two_compacts):
    commitment = two_compacts["north_consult"]
    FigureFactory(commitment=commitment, kind="consultation_standard", value=12, measures="public", quote="12 weeks")
    FigureFactory(
        commitment=commitment,
        kind="consultation_minimum",
        value=8,
        bound="at_least",
        firmness="usually",
        qualifier_words="generally … the minimum",
        whose="vcs",
        measures="public",
        quote="eight weeks will generally be the minimum",
    )
    response = client.get("/commitments/commitments.csv", {"compact": "north", "theme": "consult"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {name: row[name] for name in row if name.startswith("figure_")} == {
        "figure_kind": "consultation_minimum | consultation_standard",
        "figure_value": "8 | 12",
        "figure_unit": "weeks | weeks",
        "figure_bound": "at_least | as_stated",
        "figure_firmness": "usually | firm",
        "figure_qualifier_words": "generally … the minimum | ",
        "figure_whose": "vcs | public",
        "figure_measures": "public | public",
        "figure_quote": "eight weeks will generally be the minimum | 12 weeks",
    }
    response = client.get("/commitments/commitments.json", {"compact": "north", "theme": "consult"})
    [data] = json.loads(b"".join(response.streaming_content))["commitments"]
    assert data["figures"][0] == {
        "kind": "consultation_minimum",
        "value": 8,
        "unit": "weeks",
        "bound": "at_least",
        "firmness": "usually",
        "qualifier_words": "generally … the minimum",
        "whose": "vcs",
        "measures": "public",
        "quote": "eight weeks will generally be the minimum",
    }
    assert [figure["kind"] for figure in data["figures"]] == ["consultation_minimum", "consultation_standard"]


def test_download_with_bad_filters_is_empty_not_an_error(client, two_compacts):
    response = client.get("/commitments/commitments.json", {"compact": "atlantis"})
    assert json.loads(b"".join(response.streaming_content)) == {"commitments": []}


def test_commitment_page_shows_figures_and_other_compacts(client, two_compacts):
    commitment = two_compacts["north_consult"]
    FigureFactory(
        commitment=commitment,
        value=12,
        bound="at_least",
        firmness="usually",
        qualifier_words="generally",
        measures="public",
        quote="generally at least 12 weeks",
    )
    text = page_text(client.get(commitment.get_absolute_url()).content)
    assert (
        "Figures it commits to Standard consultation period: at least 12 weeks “generally at least 12 weeks” "
        "Qualified by at least (a minimum); usually or generally (“generally”) Whose commitment Public bodies "
        "Held against what public bodies do Printed in commitment 1.1"
    ) in text
    # A commitment with no printed number is named by its place under its printed heading, never by its reference.
    assert f"South: {two_compacts['south_consult'].label}" in text and "consult-1" not in text
    assert "Report a breach of this commitment" in text


def test_unknown_commitment_is_a_helpful_404(client, two_compacts):
    response = client.get("/compacts/north/commitments/99.9/")
    assert response.status_code == 404
    assert "There is no commitment with that reference in that Compact." in page_text(response.content)
    assert client.get("/compacts/atlantis/commitments/1.1/").status_code == 404


def test_compare_lines_up_commitments_and_figures(client, two_compacts):
    FigureFactory(commitment=two_compacts["north_consult"], value=12, quote="12 weeks")
    FigureFactory(
        commitment=two_compacts["south_consult"],
        kind="funding_term",
        value=None,
        unit="",
        firmness="where_possible",
        qualifier_words="where appropriate",
        quote="multi-year funding where appropriate",
    )
    response = client.get("/compare/", {"compacts": ["north", "south"], "theme": "consult"})
    assert response.status_code == 200
    text = page_text(response.content)
    assert "Consult for 12 weeks on policies." in text
    assert "Consultation lasts eight weeks at least." in text
    assert (
        "Standard consultation period Standard consultation period: 12 weeks “12 weeks” Qualified by nothing printed "
        "Whose commitment Public bodies Held against what public bodies do Printed in commitment 1.1 "
        "Was it followed? 0 records None printed"
    ) in text
    # A commitment without a number is a figure of its kind, shown with its qualifier, not "None printed".
    assert (
        "Multi-year funding None printed Multi-year funding: no number printed “multi-year funding where appropriate” "
        "Qualified by where possible or appropriate (“where appropriate”)"
    ) in text


@pytest.mark.parametrize(
    "params, message",
    [
        ({"compacts": ["north"], "theme": "consult"}, "Choose at least two Compacts to compare"),
        ({"compacts": ["north", "south"]}, "Choose a theme"),
        ({"compacts": ["north", "atlantis"], "theme": "consult"}, "Choose Compacts from the list"),
        ({"compacts": ["north", "south"], "theme": "nonsense"}, "Choose a theme from the list"),
    ],
)
def test_compare_explains_bad_choices(client, two_compacts, params, message):
    response = client.get("/compare/", params)
    assert response.status_code == 400
    assert message in page_text(response.content)


def test_compare_form_alone(client, two_compacts):
    response = client.get("/compare/")
    assert response.status_code == 200
    assert "There is a problem" not in page_text(response.content)


def test_compare_form_keeps_the_choices_and_puts_no_token_in_the_address(client, two_compacts):
    """A form sent by GET carries no CSRF token: it would end up in the address, in logs and in the page cache's
    keys. What was chosen stays chosen when the form comes back with an error."""
    response = client.get("/compare/", {"compacts": ["north"], "theme": "money"})
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert 'value="north" checked' in html and 'value="south">' in html
    assert '<option value="money" selected>' in html
    assert 'aria-describedby="id_compacts_hint id_compacts_1_error"' in html
    assert 'role="alert"' in html and '<a href="#id_compacts_1">Choose at least two Compacts to compare</a>' in html


@pytest.mark.parametrize(
    "path",
    ["/commitments/?q=consult&theme=consult", "/compare/?compacts=north&compacts=south&theme=consult"],
    ids=["explorer", "compare"],
)
def test_the_theme_choices_are_read_in_one_plain_query(client, two_compacts, path):
    """Not through a server-side cursor (PostgreSQL's DECLARE, FETCH and CLOSE), as Django reads a model choice
    field's choices (compacts.forms.ListedChoiceIterator), and once: the compare page counts by theme from them."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200 and "Consultation" in page_text(response.content)
    sql = [query["sql"] for query in queries.captured_queries]
    assert not [statement for statement in sql if statement.startswith(("DECLARE", "FETCH", "CLOSE"))]
    assert sum('FROM "commitments_theme" ORDER BY' in statement for statement in sql) == 1  # every theme, once


def test_a_lead_in_is_shown_beside_its_item_never_glued_into_a_sentence(client, db):
    """County Durham's "Undertakings for the Public sector:" heads a list; the document never prints "Undertakings
    for the Public sector respect and uphold …" as one sentence, so no page may."""
    commitment = CommitmentFactory(
        lead_in="Undertakings for the Public sector:", text="Respect and uphold the independence of the VCS."
    )
    other = CommitmentFactory(theme=commitment.theme, lead_in="Public bodies will:", text="Consult early.")
    glued = "Undertakings for the Public sector respect"
    pages = {
        "explorer": client.get("/commitments/", {"compact": commitment.compact.slug}).content,
        "compare": client.get(
            "/compare/", {"compacts": [commitment.compact.slug, other.compact.slug], "theme": commitment.theme.slug}
        ).content,
        "same theme": client.get(other.get_absolute_url()).content,
    }
    for name, content in pages.items():
        html = content.decode()
        assert "Respect and uphold the independence of the VCS." in html, name
        assert "Undertakings for the Public sector:" in html, name
        assert glued not in page_text(content).replace(":", ""), name


@pytest.mark.parametrize(
    ("number", "order", "title", "label", "short"),
    [
        ("3.6", 1, "Funding", "commitment 3.6", "3.6"),
        ("", 1, "Independence", "the first commitment under “Independence”", "First under “Independence”"),
        (
            "",
            12,
            "Funding and support",
            "the 12th commitment under “Funding and support”",
            "12th under “Funding and support”",
        ),
        (
            "",
            2,
            "",
            "the second commitment in a part of the document with no heading",
            "Second in a part of the document with no heading",
        ),
    ],
)
def test_a_commitment_is_named_by_its_printed_number_else_by_its_place_under_its_printed_heading(
    number, order, title, label, short
):
    section = SectionFactory(title=title, number="")
    commitment = CommitmentFactory(section=section, compact=section.compact, ref="x-1", number=number, order=order)
    assert (commitment.label, commitment.short_label) == (label, short)
    assert "x-1" not in str(commitment)


def named(response):
    return [(each.slug, each.rest) for each in response.context["named"]]


def test_a_search_for_a_compacts_name_shows_that_compact_with_a_link(client, two_compacts):
    CompactFactory(slug="riverford", short_name="Riverford", title="The Riverford Compact", area="Borough of Riverford")
    response = client.get("/commitments/", {"q": "RIVERFORD"})
    assert named(response) == [("riverford", "")]
    html = response.content.decode()
    text = page_text(response.content)
    assert 'href="/compacts/riverford/"' in html
    assert text.index("Compact matching “RIVERFORD”") < text.index("0 commitments")
    assert "Show Riverford’s commitments" in text
    assert "Did you mean" not in text  # the name of a Compact is not a misspelling


def test_a_compact_is_found_by_its_area_and_its_short_name(client, two_compacts):
    CompactFactory(slug="riverford", short_name="Riverford", title="The Riverford Compact", area="Vale of Brookmere")
    assert named(client.get("/commitments/", {"q": "brookmere"})) == [("riverford", "")]
    assert named(client.get("/commitments/", {"q": "north"})) == [("north", "")]
    assert named(client.get("/commitments/", {"q": "nor"})) == []  # whole words only
    assert named(client.get("/commitments/", {"q": "compact"})) == []  # a word every Compact's name has


def test_the_other_words_of_a_search_naming_a_compact_search_its_commitments(client, two_compacts):
    response = client.get("/commitments/", {"q": "north weeks", "theme": "consult"})
    assert named(response) == [("north", "weeks")]
    link = response.context["named"][0].filter_url
    assert "compact=north" in link and "q=weeks" in link and "theme=consult" in link
    assert "Search North’s commitments for “weeks”" in page_text(response.content)
    assert refs(client.get(f"/commitments/{link}")) == ["1.1"]


def test_a_search_for_a_compacts_name_offers_its_commitments(client, two_compacts):
    response = client.get("/commitments/", {"q": "the south compact"})
    assert named(response) == [("south", "")]
    assert refs(client.get("/commitments/" + response.context["named"][0].filter_url)) == ["consult-1"]
    # Already showing only that Compact's commitments: no link to show them again.
    response = client.get("/commitments/", {"q": "south", "compact": "south"})
    assert response.context["named"][0].filter_url is None


def test_a_search_naming_compacts_takes_no_more_queries_however_many_match(client, django_assert_num_queries):
    for n in range(8):
        CompactFactory(slug=f"riverford-{n}", short_name=f"Riverford {n}", title=f"The Riverford {n} Compact")
    CommitmentFactory(ref="r0")
    client.get("/commitments/", {"q": "first"})  # the commitments' words, kept after the first search for any
    with CaptureQueriesContext(connection) as naming_none:
        client.get("/commitments/", {"q": "twelve zzzz"})
    with django_assert_num_queries(len(naming_none)):
        response = client.get("/commitments/", {"q": "twelve riverford"})
    assert [each.slug for each in response.context["named"]] == [f"riverford-{n}" for n in range(5)]  # A to Z
