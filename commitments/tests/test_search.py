"""Keyword search: how a query is read, the same answers on both databases, the index following every change,
and how well it answers the questions in fixtures/search/relevance.yaml."""

from collections import Counter

import pytest
from django.core.management import call_command

from commitments import quality
from commitments.models import Commitment, RelatedTerms
from commitments.search import (
    MAX_COMBINATIONS,
    SearchPaginator,
    at_least,
    highlighted,
    keyword_search,
    parse,
    suggestion,
    tier_counts,
)
from commitments.tests.factories import CommitmentFactory
from conftest import kept_for_the_module

FIXTURES = ["themes", "related-terms", "dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]
RELATED = [
    ["commissioning", "procurement", "tendering"],
    ["grant", "funding"],
    ["red tape", "bureaucracy", "administrative burden"],
]


# How a query is read ----------------------------------------------------------------------------------------------


def test_hyphens_split_words_and_numbers_are_found_either_way():
    assert parse("12-week consultation").groups == [[("12",), ("twelve",)], [("week",)], [("consultation",)]]
    assert parse("twelve weeks").groups == [[("12",), ("twelve",)], [("weeks",)]]


def test_quoted_phrases_and_exclusions():
    query = parse('"formal consultation" -volunteers -"in kind"')
    assert query.groups == [[("formal", "consultation")]]
    assert query.excluded == [[("volunteers",)], [("in", "kind")]]


def test_stop_words_are_dropped_unless_there_is_nothing_else():
    assert parse("how long is a consultation").groups == [[("long",)], [("consultation",)]]
    assert parse("the").groups == [[("the",)]]


def test_related_terms_widen_a_word_or_a_phrase():
    query = parse("procurement red tape", RELATED)
    assert query.groups == [
        [("commissioning",), ("procurement",), ("tendering",)],
        [("administrative", "burden"), ("bureaucracy",), ("red", "tape")],
    ]
    assert query.also_searched == ["administrative burden", "bureaucracy", "commissioning", "tendering"]


def test_a_plural_is_not_reported_as_a_related_term():
    assert parse("grants", RELATED).widened == {"grants": ["funding"]}


def test_exact_words_only():
    query = parse("procurement", RELATED, exact=True)
    assert query.groups == [[("procurement",)]] and query.widened == {}


# On the database -------------------------------------------------------------------------------------------------


def search(text, exact=False):
    related = [] if exact else [terms.term_list() for terms in RelatedTerms.objects.all()]
    query = parse(text, related, exact=exact)
    return query, list(keyword_search(Commitment.objects.all(), query).values_list("compact__slug", "ref"))


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    yield from kept_for_the_module(django_db_blocker, lambda: call_command("loaddata", *FIXTURES, verbosity=0))


@pytest.fixture
def compacts(_loaded, db):
    """The five Compacts and the related terms, loaded once for the module."""


def test_plurals_stems_and_numbers_find_each_other(compacts):
    _, twelve = search("twelve weeks")
    _, digits = search("12 weeks")
    _, hyphen = search("12-week")
    assert ("derby-derbyshire", "3.6") in twelve  # "Conduct 12-weeks formal consultations"
    assert set(twelve[:4]) == set(digits[:4]) == set(hyphen[:4])
    _, volunteering = search("volunteering")
    assert ("darlington", "public-8") in volunteering  # "the role of the volunteer"


def test_a_synonym_widens_and_exact_words_narrow(compacts):
    widened, found = search("procurement")
    exact, exact_found = search("procurement", exact=True)
    assert "tendering" in widened.also_searched and "commissioning" in widened.also_searched
    assert exact.also_searched == []
    assert set(exact_found) < set(found)
    assert ("county-durham", "3.5") in found  # "transparent application and tendering processes"


def test_all_the_words_first_then_fewer(compacts):
    query, found = search("consultation period weeks")
    assert query.partial and query.all_words_count >= 1 and len(found) > query.all_words_count
    hits = [c.search_hits for c in keyword_search(Commitment.objects.all(), parse("consultation period weeks"))]
    assert hits == sorted(hits, reverse=True) and hits[0] == 3 and hits[-1] == 1


@pytest.mark.parametrize("text", ["consultation period weeks", "procurement small organisations red tape"])
def test_pages_of_a_partial_search_are_the_whole_results_in_order(compacts, text):
    query = parse(text, [terms.term_list() for terms in RelatedTerms.objects.all()])
    results = keyword_search(Commitment.objects.all(), query)
    assert query.partial
    everything = list(results.values_list("pk", flat=True))
    paginator = SearchPaginator(results, 7, query)
    paged = [c.pk for n in paginator.page_range for c in paginator.page(n).object_list]
    assert paginator.count == len(everything) == sum(query.tiers.values())
    assert paged == everything
    assert len(query.tiers) > 1  # the pages came from more than one tier of words


def test_the_first_page_reads_only_the_commitments_with_the_most_words(compacts):
    query = parse("consultation period weeks")
    results = keyword_search(Commitment.objects.all(), query)
    paginator = SearchPaginator(results, 2, query)
    most = max(query.tiers)
    top_two = sum(n for hits, n in query.tiers.items() if hits >= 2)
    assert most == 3 and 2 <= top_two < paginator.count
    first = paginator.page(1).object_list
    read = first._chain()
    read.query.clear_limits()
    assert read.count() == top_two  # not every commitment with any of the words
    assert list(first) == list(results[:2])


def test_at_least_matches_by_index_or_row_by_row_alike(compacts, monkeypatch):
    query = parse("consultation period weeks voluntary organisations")
    keyword_search(Commitment.objects.all(), query)
    by_index = list(at_least(query, 3).values_list("pk", "search_hits"))
    monkeypatch.setattr("commitments.search.MAX_COMBINATIONS", 0)
    row_by_row = list(at_least(query, 3).values_list("pk", "search_hits"))
    assert by_index == row_by_row and by_index and all(hits >= 3 for _, hits in by_index)
    assert MAX_COMBINATIONS >= 10  # five groups, three of them: ten ways, asked of the index


@pytest.mark.parametrize(
    "text", ["consultation period weeks voluntary organisations", "consultation weeks voluntary -months"]
)
def test_tiers_counted_group_by_group_are_the_rows_own_counts(compacts, text):
    """tier_counts looks each group up on its own; it must agree with testing every group on every row, within
    the other filters and without the excluded words."""
    query = parse(text, RELATED)
    results = keyword_search(Commitment.objects.filter(compact__slug__in=["dorset", "derby-derbyshire"]), query)
    by_row = Counter(results.values_list("search_hits", flat=True))
    assert tier_counts(query) == dict(by_row) and len(by_row) > 1


def test_a_word_no_commitment_contains_is_set_aside_and_a_spelling_offered(compacts):
    query, found = search("consultaton weeks")
    assert [group[0] for group in query.missing] == [("consultaton",)]
    assert found  # "weeks" still finds commitments
    from commitments.search import vocabulary

    assert suggestion(query, vocabulary(Commitment.objects.all()), found_some=True) == "consultation weeks"


def test_the_words_found_are_marked_by_their_stems_as_postgresql_stems_them():
    commitment = Commitment(text="We consulted  smaller groups and cut red tape, <not> reduced it.")
    marked = highlighted(commitment, parse("consultation small groups red tape", RELATED))
    assert marked == (
        "We <mark>consulted</mark> smaller <mark>groups</mark> and cut <mark>red</mark> <mark>tape</mark>, "
        "&lt;not&gt; reduced it."
    )
    # Stop words are never marked, unless they are all that was searched for.
    assert "<mark>" not in highlighted(Commitment(text="All of it."), parse("all of procurement"))
    assert highlighted(Commitment(text="All of it."), parse("all of")) == "<mark>All</mark> <mark>of</mark> it."


def test_excluded_words_are_not_in_any_result(compacts):
    _, found = search("consultation -weeks")
    texts = Commitment.objects.filter(ref__in=[ref for _, ref in found]).values_list("text", flat=True)
    assert found and not any("week" in text.lower() for text in texts)


def test_the_index_follows_every_change_to_a_commitment(compacts):
    commitment = CommitmentFactory(text="Zebra crossings near every community centre.")
    assert search("zebra")[1] == [(commitment.compact.slug, commitment.ref)]
    Commitment.objects.filter(pk=commitment.pk).update(text="Okapi sightings reported promptly.")
    assert search("zebra")[1] == [] and search("okapis")[1] == [(commitment.compact.slug, commitment.ref)]
    commitment.delete()
    assert search("okapi")[1] == []


# How well it answers officers' questions, on both databases ---------------------------------------------------


def test_search_answers_the_relevance_set(compacts):
    recall, mrr = quality.summary(quality.answers())
    assert recall >= 0.85 and mrr >= 0.9, (recall, mrr)


@pytest.mark.django_db(databases=["default", "sqlite_twin"])
def test_both_databases_give_nearly_the_same_answers(compacts):
    """The same commitments, in nearly the same order. Their stemmers and tokenizers differ a little (PostgreSQL
    reads "applications/bids" as one word, SQLite as two), so a few sets differ by a commitment or two."""
    call_command("loaddata", *FIXTURES, verbosity=0, database="sqlite_twin")  # the default has them (`compacts`)
    here = quality.answers(Commitment.objects.using("default"))
    twin = quality.answers(Commitment.objects.using("sqlite_twin"))
    alike = []
    for mine, theirs in zip(here, twin, strict=True):
        both, either = set(mine.found) & set(theirs.found), set(mine.found) | set(theirs.found)
        alike.append(len(both) / len(either))
        assert alike[-1] >= 0.6, mine.query
        top = min(10, len(mine.found))
        assert len(set(mine.found[:top]) & set(theirs.found[:top])) >= top / 2, mine.query
    assert sum(alike) / len(alike) >= 0.97
    assert sum(a == 1 for a in alike) >= 0.75 * len(alike)  # most answer sets are identical


def test_related_terms_index_follows_the_lists_it_is_given():
    first = parse("red tape", [["red tape", "bureaucracy"]])
    assert first.widened == {"red tape": ["bureaucracy"]}
    again = parse("red tape", [["red tape", "bureaucracy"]])
    assert again.widened == first.widened
    changed = parse("red tape", [["red tape", "paperwork"]])
    assert changed.widened == {"red tape": ["paperwork"]}
    assert parse("red tape", []).widened == {}
