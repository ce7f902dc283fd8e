"""Keyword search of commitments: the same search on PostgreSQL and SQLite.

A query is parsed once, here, into groups of words: every group must match for
a commitment to have "all the words", and a group matches if any of its
alternatives does. The alternatives of a word are the word itself, its number
written the other way ("12" and "twelve"), and, unless the person asked for
their exact words, the related terms administrators keep (commissioning,
procurement, tendering). "Quoted phrases" are one alternative; -word excludes.
Hyphens split words ("12-week" is "12" and "week"), and both databases stem
("weeks", "week"), so the forms people type find each other.

Where few commitments have all the words, those with fewer follow, ranked
below by how many of the words they have. Each database runs the same parsed query with its own index:
PostgreSQL its stored, GIN-indexed tsvector (kept by a trigger; migration
0004), SQLite an FTS5 table with the porter stemmer (kept by triggers;
migration 0006).
"""

import difflib
import functools
import itertools
import math
import operator
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Case, Exists, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from compacts.cache import content_version

CONFIG = "english"
START, STOP = "\x02", "\x03"  # markers no document text contains
FEW = 20  # with fewer commitments (about a page) having all the words, those with most of them follow
MAX_GROUPS = 10
MAX_COMBINATIONS = 70  # "at least t of the groups" as one index query up to C(8, 4) ways; past that, row by row
FTS = "commitments_commitment_fts"
VOCABULARY_SECONDS = 24 * 3600

# PostgreSQL's English stop words, dropped from both databases' queries alike (PostgreSQL drops them itself).
STOP_WORDS = frozenset(
    """
a about above after again against all am an and any are as at be because been before being below between both
but by can did do does doing don down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own s same she should so some such t than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when
where which while who whom why will with you your yours yourself yourselves
    """.split()  # noqa: SIM905 a long list reads better as words
)
NUMBERS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
    "sixteen": "16", "twenty": "20", "thirty": "30", "sixty": "60", "ninety": "90",
}  # fmt: skip
DIGITS = {digits: word for word, digits in NUMBERS.items()}
TOKEN = re.compile(r"[^\W_]+")
PART = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


class Phrase(tuple):
    """Words typed in quotes: they must stand together, in order. Other alternatives of several words (a related
    term such as "red tape") need only all be there, which both databases' indexes answer without reading text."""


@dataclass
class Query:
    """A parsed search: what must match, what must not, and how the words were widened."""

    text: str
    groups: list = field(default_factory=list)  # each a list of alternatives; an alternative is a tuple of words
    excluded: list = field(default_factory=list)  # alternatives, as above
    widened: dict = field(default_factory=dict)  # word typed -> related terms searched for too
    exact: bool = False
    missing: list = field(default_factory=list)  # set by keyword_search: groups no commitment matches
    all_words_count: int | None = None  # set by keyword_search
    partial: bool = False  # set by keyword_search: commitments with only some of the words are included
    tiers: dict | None = None  # set by SearchPaginator when partial: how many commitments have each number of groups
    ranked: object = None  # set by keyword_search: the ranked commitments, before any word is required
    base: object = None  # set by keyword_search: the commitments the other filters leave, before the words

    @property
    def also_searched(self):
        return sorted({term for terms in self.widened.values() for term in terms})

    def stems(self):
        """The stems of every word searched for, for highlighting: stop words aside, unless that is all there is."""
        words = {word for group in self.groups for alternative in group for word in alternative}
        return {_stem(word) for word in (words - STOP_WORDS or words)}


def _light_stem(word):
    """A rough stem, only to match a typed word to the related terms ("equalities", "equality")."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("es", ""), ("s", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


def _tokens(text):
    return [token.lower() for token in TOKEN.findall(text)]


def words(text):
    """The words of a text, in lower case, in order, as a search reads them ("Derby-Derbyshire's": derby,
    derbyshire, s)."""
    return _tokens(text)


def _key(words):
    return tuple(_light_stem(word) for word in words)


def related_index(groups):
    """Map each related term (as stemmed words) to the terms of its group, from RelatedTerms.term_list() lists.
    The same lists give the same map, built once a process (the lists are still read every time, so a change to
    them is a new map at once); nobody may change the map returned."""
    return _related_index(tuple(tuple(terms) for terms in groups))


@functools.lru_cache(maxsize=4)
def _related_index(groups):
    index = {}
    for terms in groups:
        for term in terms:
            index.setdefault(_key(_tokens(term)), set()).update(terms)
    return index


def parse(text, related=(), exact=False):
    """A Query from what the person typed; `related` lists term lists (RelatedTerms.term_list)."""
    query = Query(text=text, exact=exact)
    index = {} if exact else related_index(related)
    longest = max((len(key) for key in index), default=1)
    plain = []
    for match in PART.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        if match.group(2) is not None:  # a quoted phrase
            words = Phrase(_tokens(match.group(2)))
            if words:
                (query.excluded if negated else query.groups).append([words])
            continue
        words = _tokens(match.group(4))
        if negated and words:
            query.excluded += [[(word,)] for word in words]
        else:
            plain += words
    seen = set()
    i = 0
    while i < len(plain):
        # The longest run of words here that is a related term ("red tape"), else the word alone.
        size = next((n for n in range(min(longest, len(plain) - i), 1, -1) if _key(plain[i : i + n]) in index), 1)
        words = tuple(plain[i : i + size])
        i += size
        if (size == 1 and words[0] in STOP_WORDS and len(plain) > 1) or words in seen:
            continue
        seen.add(words)
        alternatives = {words}
        number = (NUMBERS.get(words[0]) or DIGITS.get(words[0])) if size == 1 else None
        if number:
            alternatives.add((number,))
        related_terms = {term for term in index.get(_key(words), ()) if _key(_tokens(term)) != _key(words)}
        if related_terms:
            query.widened[" ".join(words)] = sorted(related_terms)
            alternatives |= {tuple(_tokens(term)) for term in related_terms}
        query.groups.append(sorted(alternatives))
    if not query.groups and plain:  # only stop words: search for them after all
        query.groups = [[(word,)] for word in dict.fromkeys(plain)]
    query.groups = query.groups[:MAX_GROUPS]
    return query


def keyword_search(queryset, query):
    """Commitments matching `query`, best first: all the words; then, if few have them all, the rest by how many
    of the words they have.

    Words no commitment contains at all ("exit strategy") are set aside first
    (`query.missing`), so they neither empty the results nor count against a
    commitment that has the rest (a look-up only where no commitment has them all). At most three queries,
    whatever the data; SearchPaginator pages the results.
    """
    if not query.groups:
        return queryset.none()
    backend = _backend(queryset)
    query.all_words_count = _all_words_count(queryset, query, backend)
    if not query.all_words_count:
        # None has them all: set aside the words no commitment has, and count again without them.
        exists = {f"g{n}": Exists(queryset.filter(backend.matches([g], 1, ()))) for n, g in enumerate(query.groups)}
        present = queryset.model.objects.using(queryset.db).annotate(**exists)
        found = present.values(*[f"g{n}" for n in range(len(query.groups))]).order_by().first() or {}
        live = [n for n in range(len(query.groups)) if found.get(f"g{n}")]
        query.missing = [query.groups[n] for n in range(len(query.groups)) if n not in live]
        query.groups = [query.groups[n] for n in live]
        if not live:
            return queryset.none()
        if query.missing:
            query.all_words_count = _all_words_count(queryset, query, backend)
    hit = [backend.hit(group) for group in query.groups]
    annotated = queryset.annotate(
        search_hits=functools.reduce(operator.add, hit, Value(0, output_field=IntegerField())),
        **backend.ranking(query.groups, query.excluded),
    )
    query.ranked, query.base = annotated, queryset
    if query.all_words_count is not None and query.all_words_count < FEW:
        query.partial = True
        results = annotated.filter(backend.matches(query.groups, 1, query.excluded))
    else:
        results = annotated.filter(backend.matches(query.groups, len(query.groups), query.excluded))
    return results.order_by("-search_hits", "-search_rank", "id")


def _all_words_count(queryset, query, backend):
    """How many commitments have every group of the query (none of the excluded); None for a single group, where
    "all the words" and "some of them" are the same. Where any do, every group is in some commitment."""
    if len(query.groups) < 2:
        return None
    return queryset.filter(backend.matches(query.groups, len(query.groups), query.excluded)).count()


def at_least(query, hits):
    """Those of keyword_search's results that have at least `hits` of the query's groups, in the same order: as
    one index query (any `hits` of the groups, all together) where the ways to choose are few, else checked on
    each row the index finds for any group."""
    backend = _backend(query.ranked)
    if math.comb(len(query.groups), hits) <= MAX_COMBINATIONS:
        rows = query.ranked.filter(backend.matches(query.groups, hits, query.excluded))
    else:
        rows = query.ranked.filter(backend.matches(query.groups, 1, query.excluded), search_hits__gte=hits)
    return rows.order_by("-search_hits", "-search_rank", "id")


def tier_counts(query):
    """How many of the commitments keyword_search filtered from have each number of the query's groups (none
    excluded). Each group is looked up in the index on its own and the rows found are counted together: cheaper
    than testing every group on every row that has any of them."""
    backend = _backend(query.base)
    parts, params = [], []
    for group in query.groups:
        rows = query.base.filter(backend.matches([group], 1, query.excluded)).order_by().values(found_id=F("pk"))
        sql, part_params = rows.query.sql_with_params()
        parts.append(sql)
        params.extend(part_params)
    found = " UNION ALL ".join(parts)
    per_row = f"SELECT found_id, COUNT(*) AS hits FROM ({found}) AS found GROUP BY found_id"  # noqa: S608 our SQL
    with connections[query.base.db].cursor() as cursor:
        cursor.execute(f"SELECT hits, COUNT(*) FROM ({per_row}) AS per_row GROUP BY hits", params)  # noqa: S608
        return dict(cursor.fetchall())


class SearchPaginator(Paginator):
    """Pages of keyword_search's results. Where some commitments have only some of the words, one pass counts
    how many have each number of them; a page then reads only the commitments with at least as many words as the
    page's last, which every earlier one has too (the order is by words first). On the first page of a widened
    search that is the few hundred with the most words, not the thousands with any of them."""

    def __init__(self, results, per_page, query):
        super().__init__(results, per_page)
        self.query = query
        if query is not None and query.partial:
            query.tiers = tier_counts(query)
            self.count = sum(query.tiers.values())
        elif query is not None and query.all_words_count is not None:
            self.count = query.all_words_count  # counted already, to tell whether the search is partial

    def page(self, number):
        if self.query is None or not self.query.tiers:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        needed, covered = len(self.query.groups), 0
        for hits in sorted(self.query.tiers, reverse=True):
            covered += self.query.tiers[hits]
            needed = hits
            if covered >= top:
                break
        rows = self.object_list if needed <= 1 else at_least(self.query, needed)
        return self._get_page(rows[bottom:top], number, self)


def _backend(queryset):
    return _Postgres if connections[queryset.db].vendor == "postgresql" else _SQLite(queryset.model)


def _combinations(groups, k):
    """The ways of choosing k of the groups."""
    return itertools.combinations(groups, k)


class _Postgres:
    """Groups as tsquery expressions over the stored, GIN-indexed search vector."""

    @staticmethod
    def _alternative(words):
        if len(words) == 1:
            return words[0]
        return "(" + (" <-> " if isinstance(words, Phrase) else " & ").join(words) + ")"

    @classmethod
    def _group(cls, group):
        return "(" + " | ".join(cls._alternative(a) for a in group) + ")"

    @classmethod
    def _tsquery(cls, groups, k, excluded):
        """Rows where at least k of the groups match, and none of the excluded."""
        raw = " | ".join("(" + " & ".join(cls._group(g) for g in chosen) + ")" for chosen in _combinations(groups, k))
        if excluded:
            raw = f"({raw}) & !({' | '.join(cls._group(g) for g in excluded)})"
        return SearchQuery(raw, config=CONFIG, search_type="raw")

    @classmethod
    def hit(cls, group):
        return Case(When(search_vector=cls._tsquery([group], 1, ()), then=1), default=0)

    @classmethod
    def matches(cls, groups, k, excluded):
        return Q(search_vector=cls._tsquery(groups, k, excluded))

    @classmethod
    def ranking(cls, groups, excluded):
        # ts_rank divided by the number of distinct words in the commitment (8): a short commitment saying one
        # common word of the query twice ("public ... public", for "publicity") no longer outranks longer ones with
        # a rarer word, which keeps the order close to SQLite's bm25 (test_both_databases_give_nearly_the_same_answers)
        # with the relevance set's recall and rank unchanged.
        return {"search_rank": SearchRank(F("search_vector"), cls._tsquery(groups, 1, excluded), normalization=8)}


class _SQLite:
    """Groups as FTS5 match expressions over the commitments' full-text table. Only our own table names are put
    in the SQL; what was typed goes in as parameters (and is only ever letters and digits, in quotes)."""

    def __init__(self, model):
        self.row = f'"{model._meta.db_table}"."id"'

    @staticmethod
    def _alternative(words):
        if isinstance(words, Phrase):
            return '"' + " ".join(words) + '"'
        return "(" + " AND ".join(f'"{word}"' for word in words) + ")"

    @classmethod
    def _group(cls, group):
        return "(" + " OR ".join(cls._alternative(a) for a in group) + ")"

    @classmethod
    def _match(cls, groups, k, excluded):
        """Rows where at least k of the groups match, and none of the excluded."""
        expression = " OR ".join(
            "(" + " AND ".join(cls._group(g) for g in chosen) + ")" for chosen in _combinations(groups, k)
        )
        if excluded:
            expression = f"({expression}) NOT ({' OR '.join(cls._group(g) for g in excluded)})"
        return expression

    MATCHING = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"  # noqa: S608

    def hit(self, group):
        return RawSQL(  # noqa: S611
            f"CASE WHEN {self.row} IN ({self.MATCHING}) THEN 1 ELSE 0 END",
            [self._match([group], 1, ())],
            output_field=IntegerField(),
        )

    def matches(self, groups, k, excluded):
        return Q(pk__in=RawSQL(self.MATCHING, [self._match(groups, k, excluded)]))  # noqa: S611

    def ranking(self, groups, excluded):
        rank = f"SELECT -bm25({FTS}) FROM {FTS} WHERE {FTS} MATCH %s AND rowid = {self.row}"  # noqa: S608
        return {"search_rank": RawSQL(f"COALESCE(({rank}), 0)", [self._match(groups, 1, excluded)])}  # noqa: S611


def highlighted(commitment, query):
    """The commitment's text, escaped, with each word searched for in <mark>: every word whose stem is the stem of a
    word searched for, as PostgreSQL's English dictionary stems them ("consulted" for "consultation"), stop words
    aside. Done here for both databases alike, on the page's few rows (PostgreSQL's ts_headline, reading the whole
    text of each, cost more than the rest of the search)."""
    wanted = query.stems()
    text = " ".join(commitment.text.split())
    if wanted:
        text = TOKEN.sub(lambda m: f"{START}{m[0]}{STOP}" if _stem(m[0].lower()) in wanted else m[0], text)
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 escaped first


_stemmers = threading.local()


@functools.lru_cache(maxsize=100_000)
def _stem(word):
    """A word's Snowball English stem, the stemmer PostgreSQL's "english" configuration uses (one stemmer per
    thread: they keep state while they work; the stems of words seen before are remembered)."""
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def vocabulary(queryset):
    """Every word of the commitments' text, with how many commitments use it: the words a suggestion may offer.
    Built in one pass and kept in the cache until the content changes."""
    key = f"commitment-vocabulary:{queryset.db}:{content_version()}"
    words = cache.get(key)
    if words is None:
        counts = Counter()
        for text in queryset.model.objects.using(queryset.db).values_list("text", flat=True).iterator(2000):
            counts.update(set(_tokens(text)))
        words = dict(counts)
        cache.set(key, words, VOCABULARY_SECONDS)
    return words


def suggestion(query, words, *, found_some=False):
    """The query with each word no commitment contains replaced by the closest word they do use ("consultaton"
    -> "consultation"), or None. Where other words found something, only near-certain fixes are offered, since
    a real word the Compacts never use ("exit") would otherwise be "corrected"."""
    cutoff = 0.9 if found_some else 0.75
    fixes = {}
    for group in query.missing:
        typed = group[0]
        if len(typed) != 1 or typed[0].isdigit() or len(typed[0]) < 3:
            continue
        typed = typed[0]
        candidates = [word for word in words if abs(len(word) - len(typed)) <= 2 and not word.isdigit()]
        close = difflib.get_close_matches(typed, candidates, n=3, cutoff=cutoff)
        if close:
            fixes[typed] = max(
                close, key=lambda word: (difflib.SequenceMatcher(None, typed, word).ratio(), words[word])
            )
    if not fixes:
        return None
    return re.sub(r"[^\W_]+", lambda m: fixes.get(m.group(0).lower(), m.group(0)), query.text)


def content_words(text):
    """The stems of a text's words other than stop words: what two texts are compared by ("12-weeks formal
    consultations" and "12-week formal written consultations" share 12, week, formal and consult)."""
    return {_stem(word) for word in _tokens(text) if word not in STOP_WORDS}


def word_overlap(a, b):
    """The share of two sets of content words that they have in common (0 to 1)."""
    return len(a & b) / len(a | b) if a or b else 0.0


def closest_themes(text, themes, most=3):
    """The themes whose name or description shares the most words with `text` (stemmed roughly), best first."""
    wanted = {_light_stem(word) for word in _tokens(text)}
    wanted -= {_light_stem(word) for word in STOP_WORDS}
    scored = []
    for theme in themes:
        own = {_light_stem(word) for word in _tokens(f"{theme.name} {theme.description}")}
        score = len(wanted & own)
        if score:
            scored.append((score, theme.order, theme))
    return [theme for _, _, theme in sorted(scored, key=lambda s: (-s[0], s[1]))[:most]]
