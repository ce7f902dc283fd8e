"""A file to import comes from outside the portal: whatever it holds, reading it is bounded in time and memory, and
whatever is wrong with it is a FormatError naming its line (a 400 page with the message), never a crash."""

import html
import re
import time
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import call_command

from compacts.models import Compact, Organisation
from compacts.tests.factories import CompactFactory, UserFactory
from documents import textformat

pytestmark = pytest.mark.django_db
EXAMPLE = (Path(__file__).resolve().parents[2] / "fixtures" / "example-compact.md").read_text()
EVENTS = re.search(r"^events:\n(?:[- ] .*\n)+", EXAMPLE, re.M)[0]
PROCEDURE = re.search(r"^procedure:\n(?:  .*\n)+", EXAMPLE, re.M)[0]
ORGANISATIONS = re.search(r"^organisations:\n(?:[- ] .*\n)+", EXAMPLE, re.M)[0]


def line_of(text, fragment):
    """The number of the line of `text` where `fragment` first starts."""
    return text.count("\n", 0, text.index(fragment)) + 1


def changed(old, new):
    assert old in EXAMPLE
    return EXAMPLE.replace(old, new, 1)


def refused(text):
    with pytest.raises(textformat.FormatError) as error:
        textformat.create(*textformat.parse(text)[:2])
    return str(error.value)


def billion_laughs():
    lines = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "---\n" + "\n".join(lines) + "\n" + EXAMPLE.removeprefix("---\n")


NESTED = "---\nslug: deep\nsummary: " + "[" * 50 + "]" * 50 + "\n---\n\n## A {#a}\n"
BLOCK_NESTED = "---\n" + "".join(f"{'  ' * n}k{n}:\n" for n in range(40)) + "---\n\n## A {#a}\n"
OVERSIZED = changed("pledge: ''", "pledge: " + "a few more words " * 16000)

# A file parse() refuses: (the file, the text of the line the message names, words the message says).
REFUSED_BY_PARSE = {
    "billion laughs": (billion_laughs(), "lol0: &a0", "alias"),
    "nested 50 deep in one line": (NESTED, "summary: [[[", "nested more than 20 levels deep"),
    "nested 40 deep, a line each": (BLOCK_NESTED, "k19:", "nested more than 20 levels deep"),
    "front matter over 256 KB": (OVERSIZED, None, "larger than 256 KB"),
    "front matter a list": ("---\n- title\n- slug\n---\n\n## A {#a}\n", "- title", "not a list"),
    "front matter text": ("---\nThe Newtown Compact\n---\n\n## A {#a}\n", "The Newtown", "not text"),
    "front matter a number": ("---\n42\n---\n\n## A {#a}\n", "42", "not a number"),
    "an unknown name": (changed("pledge: ''", "pledge: ''\ncolour: red"), "colour: red", "“colour” is not something"),
    "a name given twice": (changed("pledge: ''", "pledge: ''\ntitle: Again"), "title: Again", "given twice"),
    "title a list": (
        changed("title: The Newtown Compact (an example for importing)", "title: [The Newtown Compact, an example]"),
        "title:",
        "“title” must be text",
    ),
    "version a number": (changed("version: '2026'", "version: 2026"), "version:", "put it in quotes"),
    "review cycle words": (
        changed("review_cycle_months: 12", "review_cycle_months: every year"),
        "review_cycle_months",
        "“review_cycle_months” must be a whole number",
    ),
    "owner a mapping": (
        changed("owner: null", "owner: {name: Newtown Borough Council}"),
        "owner:",
        "“owner” must be text",
    ),
    "organisations text": (
        changed(ORGANISATIONS, "organisations: the council and Newtown Voluntary Action\n"),
        "organisations:",
        "“organisations” must be a list of organisations, each with name, sector, kind",
    ),
    "events text": (
        changed(EVENTS, "events: adopted in April 2026\n"),
        "events:",
        "“events” must be a list of events, each with order, kind, date, description",
    ),
    "an event that is text": (
        changed(EVENTS, "events:\n- adopted in April 2026\n"),
        "- adopted in April",
        "“events” must be a list of events",
    ),
    "an event's order in words": (
        changed("- order: 1\n  kind: adopted", "- order: first\n  kind: adopted"),
        "- order: first",
        "an event's “order” must be a whole number",
    ),
    "an event's order too large": (
        changed("- order: 1\n  kind: adopted", "- order: 40000\n  kind: adopted"),
        "- order: 40000",
        "from 0 to 32767",
    ),
    "an event's unknown name": (
        changed("  dates_document: true", "  dates_document: true\n  colour: red"),
        "colour: red",
        "“colour” is not something an event gives",
    ),
    "dates_document in words": (
        changed("dates_document: true", "dates_document: sometimes"),
        "dates_document:",
        "must be true or false",
    ),
    "an impossible date": (changed("date: '2026-04-01'", "date: 2026-02-30"), "date: 2026", "cannot be read"),
    "a signatory without printed_name": (
        changed("  printed_name: Newtown Borough Council\n", ""),
        "- organisation: Newtown Borough Council",
        "gives no “printed_name”",
    ),
    "a figure's value in words": (changed("  value: 12", "  value: twelve"), "value: twelve", "a figure's “value”"),
    "procedure a list": (
        changed(PROCEDURE, "procedure: [talk, then write]\n"),
        "procedure:",
        "“procedure” must be a procedure",
    ),
    "a stage's unknown name": (
        changed("    time_limit_case_study: null", "    time_limit_case_study: null\n    colour: red"),
        "colour: red",
        "“colour” is not something a stage gives",
    ),
    "a NUL escaped in YAML": (changed("pledge: ''", 'pledge: "a\\0b"'), "pledge:", "cannot be stored"),
    "a heading attribute parse() keeps its items under": (
        changed('{#introduction number="1."}', '{#introduction number="1." items=none}'),
        "## Introduction",
        "“items” is not an attribute of a heading",
    ),
    "a block attribute parse() keeps its lines under": (
        changed("::: principle ref=respect", "::: principle lines=none ref=respect"),
        "::: principle",
        "“lines” is not an attribute of ::: principle",
    ),
}


def message_of(text):
    with pytest.raises(textformat.FormatError) as error:
        textformat.parse(text)
    return str(error.value)


@pytest.mark.parametrize("name", REFUSED_BY_PARSE)
def test_parse_refuses_with_the_line_and_why(name):
    text, fragment, words = REFUSED_BY_PARSE[name]
    message = message_of(text)
    assert words in message
    if fragment:
        assert message.startswith(f"Line {line_of(text, fragment)}: ")


def test_nested_aliases_are_refused_before_anything_is_built():
    tracemalloc.start()
    started = time.monotonic()
    try:
        message = message_of(billion_laughs())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "alias" in message
    assert time.monotonic() - started < 2 and peak < 20_000_000
    assert message_of("---\ntitle: *name\n---\n").startswith("Line 2: the front matter uses an alias (*name)")


def test_a_heading_line_is_read_in_time_however_it_is_written():
    started = time.monotonic()
    _, sections, unplaced = textformat.parse(EXAMPLE + "\n# " + "{#a" * 600 + "\n")
    assert time.monotonic() - started < 1
    assert len(sections) == 4 and unplaced == []


# A file parse() reads but create() refuses: (the file, the text of the line the message names, words it says).
REFUSED_BY_CREATE = {
    "an order in words": (
        changed("::: principle ref=respect", "::: principle order=first ref=respect"),
        "::: principle",
        "“order” must be a whole number",
    ),
    "a sector not among the choices": (
        changed("sector=public theme=consultation", "sector=publik theme=consultation"),
        "::: commitment ref=2.1",
        "Choose one of: public, vcs, all",
    ),
    "a title too long for its column": (
        changed("title: The Newtown Compact (an example for importing)", "title: " + "Newtown " * 30),
        "title: Newtown",
        "at most 200 characters",
    ),
    "a signatory's unknown organisation": (
        changed("- organisation: Newtown Voluntary Action", "- organisation: Newtown Voluntary Actions"),
        "- organisation: Newtown Voluntary Actions",
        "names organisation “Newtown Voluntary Actions”, and there is none by that name",
    ),
    "a signatory's unknown section": (
        changed("  section: who-signed", "  section: who-sighed"),
        "section: who-sighed",
        "names section “who-sighed”",
    ),
    "two commitments with one ref": (
        changed("ref=2.2 number=2.2", "ref=2.1 number=2.2"),
        "::: commitment ref=2.1 number=2.2",
        "another commitment has the same ref",
    ),
    "two sections in one place": (
        changed('{#introduction number="1."}', '{#introduction number="1." order=3}'),
        "## Who signed",
        "another section has the same order",
    ),
    "a section ref that is not a slug": (
        changed("{#introduction", "{#intro.duction"),
        "## Introduction",
        "“ref”",
    ),
    "a part not among the choices": (changed("{#who-signed}", "{#who-signed part=annex}"), "## Who signed", "“part”"),
    "no summary": (
        re.sub(r"^summary: .*\n", "", EXAMPLE, flags=re.M),
        "slug: newtown-example",
        "the Compact's “summary”: This field cannot be blank.",
    ),
    "an event's kind not among the choices": (changed("  kind: adopted", "  kind: adoptd"), "kind: adoptd", "“kind”"),
    "a date that is no date": (changed("'2026-04-01'", "'2026-13-01'"), "date: '2026-13-01'", "invalid date"),
    "an organisation's sector not among the choices": (
        changed("  sector: vcs", "  sector: charity"),
        "sector: charity",
        "Choose one of: public, vcs, other",
    ),
    "a figure's unknown commitment": (changed("commitment: '2.1'", "commitment: '9.9'"), "commitment: '9.9'", "“9.9”"),
    "a stage's time limit without its unit": (
        changed("    time_unit: working_days", "    time_unit: ''"),
        "- order: 1\n    origin: document",
        "gives its time_unit and time_limit_origin",
    ),
    "a figure from nowhere": (
        changed("commitment: '2.1'", "commitment: null"),
        "- kind: consultation_standard",
        "a figure comes from exactly one of a commitment, a case study or a section",
    ),
    "a stage's unknown body": (
        changed("    handler: champions", "    handler: champions\n    body: Nobody"),
        "body: Nobody",
        "the stage names organisation “Nobody”",
    ),
    "a contact's unknown organisation": (
        EXAMPLE.rstrip("\n") + "\n\n::: contact ref=champion organisation=Nobody label=Champion\nRing us.\n:::\n",
        "::: contact",
        "names organisation “Nobody”",
    ),
    "a contact's flag in words": (
        EXAMPLE.rstrip("\n") + "\n\n::: contact ref=champion is_champion=perhaps\nRing us.\n:::\n",
        "::: contact",
        "“is_champion” must be true or false",
    ),
}


@pytest.fixture
def themes(db):
    call_command("loaddata", "themes", verbosity=0)


@pytest.mark.parametrize("name", REFUSED_BY_CREATE)
def test_create_refuses_with_the_line_and_why_and_saves_nothing(themes, name):
    text, fragment, words = REFUSED_BY_CREATE[name]
    organisations = Organisation.objects.count()
    message = refused(text)
    assert message.startswith(f"Line {line_of(text, fragment)}: ") and words in message, message
    assert not Compact.objects.exists() and Organisation.objects.count() == organisations


def test_a_reference_prefix_another_compact_has_is_named(themes):
    CompactFactory(reference_prefix="NEX")
    assert refused(EXAMPLE) == "Line 6: the Compact's “reference_prefix”: another compact already has this one."


# Through the page, as a site administrator -------------------------------------------------------------------------


@pytest.fixture
def site_admin(client, themes):
    person = UserFactory(username="root@portal.example", is_superuser=True, is_staff=True)
    client.force_login(person)
    return person


def page(response):
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("name", REFUSED_BY_PARSE)
def test_the_page_shows_why_parse_refused_and_saves_nothing(client, site_admin, name):
    text = REFUSED_BY_PARSE[name][0]
    message = message_of(text)
    for button in ("check", "create"):
        response = client.post("/manage/new-compact/", {"text": text, button: "1"})
        assert response.status_code == 400
        assert message in page(response) and "Create the Compact</button>" not in page(response)
    assert not Compact.objects.exists()


@pytest.mark.parametrize("name", REFUSED_BY_CREATE)
def test_the_page_shows_why_create_refused_and_saves_nothing(client, site_admin, name):
    text = REFUSED_BY_CREATE[name][0]
    check = client.post("/manage/new-compact/", {"text": text, "check": "1"})
    assert check.status_code == 200  # what was read is shown; the values are checked as the Compact is made
    response = client.post("/manage/new-compact/", {"text": text, "create": "1"})
    assert response.status_code == 400
    assert refused(text) in page(response)
    assert not Compact.objects.exists()
