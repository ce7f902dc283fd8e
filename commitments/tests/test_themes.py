"""Themes as a published rule (fixtures/README.md, "Themes: the rule"): the rule, the README's wording of it, the
five fixtures tagged by it, how evenly it spreads them, and the new theme reaching existing databases."""

import importlib
import re
from collections import Counter
from types import SimpleNamespace

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from commitments.models import Commitment, Theme
from commitments.tests.factories import ThemeFactory
from commitments.themes_rule import DEFAULT, TESTS, has_keyword, match, theme_for, words

FIXTURES = settings.BASE_DIR / "fixtures"
COMPACTS = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]
MOST = 1 / 4  # of all commitments, on any one theme


@pytest.fixture
def compacts(db):
    call_command("loaddata", "themes", *COMPACTS, verbosity=0)


def mistagged():
    """Every commitment whose theme is not the one the rule gives, with the rule's reason."""
    wrong = []
    commitments = Commitment.objects.select_related("compact", "section", "theme").order_by("compact__slug", "pk")
    for commitment in commitments:
        found = match(commitment.text, commitment.lead_in, commitment.section.title)
        if commitment.theme.slug != found.theme:
            why = f"{found.keyword!r} in its {found.where}" if found.keyword else "nothing matched: the default"
            wrong.append(
                f"{commitment.compact.slug} {commitment.ref}: tagged {commitment.theme.slug}, "
                f"the rule gives {found.theme} ({why})"
            )
    return wrong


def test_every_commitment_has_the_theme_the_rule_gives(compacts):
    assert Commitment.objects.count() > 200
    assert mistagged() == []


def test_a_commitment_tagged_against_the_rule_is_caught(compacts):
    derby = Commitment.objects.get(compact__slug="derby-derbyshire", ref="3.6")
    derby.theme = Theme.objects.get(slug="funding")
    derby.save(update_fields=["theme"])
    assert mistagged() == ["derby-derbyshire 3.6: tagged funding, the rule gives consultation ('consult' in its text)"]


def test_no_theme_holds_more_than_a_quarter_of_the_commitments(compacts):
    counts = Counter(Commitment.objects.values_list("theme__slug", flat=True))
    total = sum(counts.values())
    assert {slug: n for slug, n in counts.items() if n > total * MOST} == {}


def readme_rule():
    """The ordered tests and the default, as fixtures/README.md words them: each numbered item's first `code` is
    its theme and the others its keywords."""
    text = (FIXTURES / "README.md").read_text()
    section = text.split("\n## Themes: the rule\n", 1)[1].split("\n## ", 1)[0]
    items = [item for block in section.split("\n\n") for item in re.split(r"\n(?=\d+\. )", block)]
    tests = []
    for item in items:
        if re.match(r"\d+\. ", item):
            slug, *keywords = (" ".join(code.split()) for code in re.findall(r"`([^`]+)`", item))
            tests.append((slug, keywords))
    default = re.search(r"^Otherwise\b.*`([a-z-]+)`\.$", section, flags=re.MULTILINE)[1]
    return tests, default


def test_the_readme_words_the_rule_the_module_applies():
    tests, default = readme_rule()
    assert tests == [(slug, list(keywords)) for slug, keywords in TESTS]
    assert default == DEFAULT


def test_every_theme_has_one_test():
    themes = [item["fields"]["slug"] for item in yaml.safe_load((FIXTURES / "themes.yaml").read_text())]
    slugs = [slug for slug, _ in TESTS]
    assert sorted(slugs) == sorted(themes)
    assert len(set(slugs)) == len(slugs)


def test_a_keyword_matches_words_that_begin_with_it_in_a_row():
    assert has_keyword(words("Funders and funding"), "fund")
    assert not has_keyword(words("A refund."), "fund")
    assert has_keyword(words("Where prime sub-contractors are used"), "contract")
    assert has_keyword(words("designing policies, programmes and services"), "policies programmes")
    assert has_keyword(words("before ending a financial relationship"), "end a financial relationship")
    assert not has_keyword(words("a financial and a working relationship"), "financial relationship")
    assert words("12-week Organisation’s VIEWS") == ["12", "week", "organisation", "s", "views"]


def test_the_first_test_in_the_list_wins():
    text = "Assess the impact on beneficiaries before deciding to reduce or end funding."
    assert theme_for(text) == "ending-funding"  # funding, further down, would match too
    assert theme_for("Agree monitoring before a contract or funding agreement is signed.") == (
        "commissioning-and-procurement"
    )
    assert theme_for("Have equal opportunities to access funding programmes.") == "equality-and-diversity"


def test_the_lead_in_then_the_section_title_decide_only_when_the_words_match_nothing():
    consultation = "It is important that consultation:"
    assert theme_for("Is open and honest.", consultation, "Funding") == "consultation"
    assert theme_for("Is open and honest.", "VCS commitments", "When a financial relationship ends") == (
        "ending-funding"
    )
    assert theme_for("Respect the independence of VCS organisations.", consultation, "Funding") == (
        "independence-and-campaigning"
    )
    assert theme_for("Help facilitate feedback.", "VCS commitments", "Outcome 3") == DEFAULT


def test_an_existing_database_gets_the_new_theme_in_its_place(db):
    migration = importlib.import_module("commitments.migrations.0011_commissioning_theme")
    # As before the migration: no commissioning theme, the themes after it one place higher up...
    Theme.objects.filter(slug="commissioning-and-procurement").delete()
    for theme in Theme.objects.filter(order__gt=4).order_by("order"):
        theme.order -= 1
        theme.save(update_fields=["order"])
    # ... and one an administrator added, in the place the file now gives another theme.
    ThemeFactory(slug="our-own", name="Our own", order=13)
    migration.load_themes_again(apps, SimpleNamespace(connection=connection))
    call_command("loaddata", "themes", verbosity=0)  # as `make data` then does
    in_file = [
        (item["fields"]["slug"], item["fields"]["order"])
        for item in yaml.safe_load((FIXTURES / "themes.yaml").read_text())
    ]
    assert list(Theme.objects.exclude(slug="our-own").values_list("slug", "order")) == in_file
    assert ("commissioning-and-procurement", 4) in in_file
    assert Theme.objects.get(slug="our-own").order == 1013  # after the file's themes, in its old order
