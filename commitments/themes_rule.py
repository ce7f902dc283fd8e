"""The rule that gives a commitment its one theme: pure, and worded the same in fixtures/README.md
("Themes: the rule"), which a test holds to this list.

The tests are tried in order on the commitment's own words, and the first that matches gives the theme. Only
when no test matches its words are the same tests tried on its lead-in (the printed words that introduce its
run), then on the title of the section it sits under; when nothing matches anywhere, the theme is DEFAULT.

A keyword matches a word that begins with it ("fund" matches fund, funds, funded, funding, funders); a keyword of
several words matches those words in a row. Words are runs of letters and digits, so "12-week" is the two words
12 and week, and "sub-contractors" is sub and contractors; capitals do not matter.
"""

import re
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+")

# Narrow subjects before broad ones: a commitment about equality or about ending funding often mentions funding
# too, and one about funding often mentions contracts, so the narrower test has to be tried first.
TESTS = [
    ("resolving-disagreements", ["disagree", "dispute", "resolve differences", "differences of opinion"]),
    ("independence-and-campaigning", ["independen", "to campaign"]),
    (
        "equality-and-diversity",
        [
            "equality",
            "equal opportunit",
            "equal access",
            "discriminat",
            "protected characteristic",
            "protected by legislation",
            "marginalised",
            "minority",
            "under represented",
            "underrepresented",
            "disadvantaged",
            "excluded",
            "in line with the law",
        ],
    ),
    (
        "ending-funding",
        [
            "withdraw",
            "reduce funding",
            "reduce or end",
            "end funding",
            "end of funding",
            "end a funding",
            "end a financial relationship",
            "financial relationship ends",
            "concluding a financial relationship",
            "changing or ending",
            "funding changes",
            "changes to the funding",
            "changes to future resources",
        ],
    ),
    (
        "accountability-and-governance",
        [
            "accountability",
            "accountable",
            "account for",
            "to account",
            "governance",
            "audit",
            "financial management",
            "management practice",
            "significant changes",
            "represented",
            "representati",
            "representing",
            "made public",
            "champion the needs",
            "involve users",
            "user involvement",
        ],
    ),
    (
        "consultation",
        [
            "consult",
            "policy development",
            "policy and programme",
            "policy positions",
            "policy decisions",
            "new policies",
            "policies programmes",
            "views",
            "opinion",
            "responses",
            "replies",
            "respondents",
            "week",
        ],
    ),
    (
        "commissioning-and-procurement",
        [
            "commissioning",
            "commissioned",
            "commission them",
            "procure",
            "tender",
            "contract",
            "bid",
            "lots",
            "supply chain",
            "service level agreement",
            "market",
            "provider",
        ],
    ),
    ("principles-and-relationships", ["respect", "confidential", "relationship", "important role", "unique role"]),
    (
        "funding",
        [
            "fund",
            "grant",
            "financ",
            "cost",
            "overhead",
            "payment",
            "money",
            "premises",
            "in kind",
            "multi year",
            "monitoring and reporting",
            "applica",
            "applying",
            "unsuccessful",
        ],
    ),
    ("volunteering", ["volunteer"]),
    (
        "implementation-and-review",
        [
            "adopt",
            "promot the compact",
            "mainstream",
            "implement compact",
            "implementing the compact",
            "progress",
            "annual review",
            "action plan",
            "operation of the local compact",
            "codes of practice",
        ],
    ),
    ("infrastructure-and-support", ["infrastructure", "capacity", "advice", "support and development"]),
    ("partnership-working", ["partnership", "work together", "working together", "work with", "engage and work"]),
]
DEFAULT = "partnership-working"


@dataclass(frozen=True)
class Match:
    """The theme the rule gives, and why: the keyword and where it was found (empty for the default)."""

    theme: str
    keyword: str = ""
    where: str = ""


def words(text):
    """A text's words, in lower case."""
    return [word.lower() for word in WORD.findall(text or "")]


def has_keyword(text_words, keyword):
    """Whether the words contain the keyword: each of its words begins a word of the text, in a row."""
    parts = keyword.split()
    return any(
        all(text_words[start + i].startswith(part) for i, part in enumerate(parts))
        for start in range(len(text_words) - len(parts) + 1)
    )


def first_test(text):
    """The first test any of whose keywords the text contains, as (theme, keyword), or None."""
    text_words = words(text)
    for theme, keywords in TESTS:
        for keyword in keywords:
            if has_keyword(text_words, keyword):
                return theme, keyword
    return None


def match(text, lead_in="", section_title=""):
    """The theme the rule gives a commitment with these words, lead-in and section title, and why."""
    for where, words_there in (("text", text), ("lead_in", lead_in), ("section_title", section_title)):
        found = first_test(words_there)
        if found:
            return Match(*found, where)
    return Match(DEFAULT)


def theme_for(text, lead_in="", section_title=""):
    """The slug of the one theme the rule gives a commitment."""
    return match(text, lead_in, section_title).theme
