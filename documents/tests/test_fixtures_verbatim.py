"""Every commitment and principle the portal shows is printed, word for word, in its document.

The page checks (test_fixture_*.py) prove that every line of a document is on its page; this proves the
other way round for the texts people record against and cite: each commitment's text (line by line, the
"- " of its own sub-list stripped), each commitment's lead-in and each principle's text must appear in
the source document (fixtures/sources/, kept in the repository, so this always runs).

Both sides are compared with white space collapsed and curly quotes and apostrophes read as straight
ones; nothing else is forgiven (a dash, a letter, a full stop must be as printed). From the document,
bullets, list numbers, heading marks and markdown emphasis are stripped, as the page check strips them,
and its lines are joined, so a text that the PDF conversion ran together with another on one line, or
split over two, is still found.

A text must also be whole: where it is found, it must begin and end where a printed item does, so a
text cut short is caught too. It begins at the start of a printed line, after a printed number ("2.7"),
or right after another text the fixture shows (a commitment, lead-in, principle, or a line of a
section's text); it ends at the end of a printed line, before a printed number, or right before
another such text.
"""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from compacts.tests.document_check import normalise, source_fragments

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
COMPACTS = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]
STRAIGHT_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


NUMBER_BEFORE = re.compile(r"(?:^|\s)\d+(?:\.\d+)*\.?$")
NUMBER_AFTER = re.compile(r"^\d+(?:\.\d+)*\.?(?=\s|[A-Z]|$)")


def comparable(text):
    return normalise(text.translate(STRAIGHT_QUOTES))


class Printed:
    """A document as one comparable line, knowing where its printed lines begin and end."""

    def __init__(self, slug, neighbours):
        lines = [comparable(line) for line in source_fragments(f"{slug}.txt")]
        self.text = " ".join(lines)
        self.line_starts, self.line_ends, at = set(), set(), 0
        for line in lines:
            self.line_starts.add(at)
            self.line_ends.add(at + len(line))
            at += len(line) + 1
        self.neighbours = {comparable(text) for text in neighbours} - {""}

    def has_whole(self, text):
        text = comparable(text)
        at = self.text.find(text)
        while at != -1:
            if self._begins_item(at) and self._ends_item(at + len(text)):
                return True
            at = self.text.find(text, at + 1)
        return False

    def _begins_item(self, at):
        before = self.text[:at].rstrip()
        return (
            at in self.line_starts
            or NUMBER_BEFORE.search(before) is not None
            or any(before.endswith(text) for text in self.neighbours)
        )

    def _ends_item(self, at):
        after = self.text[at:].lstrip()
        return (
            at in self.line_ends
            or NUMBER_AFTER.match(after) is not None
            or any(after.startswith(text) for text in self.neighbours)
        )


def text_lines(text):
    for line in text.splitlines():
        line = re.sub(r"^- ", "", line.strip())
        if line:
            yield line


def shown_texts(objects):
    """(which item, a text it shows) for every commitment's text lines and lead-in and every principle's text."""
    for obj in objects:
        fields = obj["fields"]
        if obj["model"] == "commitments.commitment":
            for line in text_lines(fields["text"]):
                yield f"commitment {fields['ref']}", line
            if fields["lead_in"]:
                yield f"commitment {fields['ref']} lead_in", fields["lead_in"]
        elif obj["model"] == "compacts.principle":
            for line in text_lines(fields["text"]):
                yield f"principle {fields['ref']}", line


def section_lines(objects):
    for obj in objects:
        if obj["model"] == "compacts.section":
            yield from text_lines(obj["fields"]["body"])
            yield from text_lines(obj["fields"]["body_after"])


def not_printed(slug, objects):
    shown = list(shown_texts(objects))
    printed = Printed(slug, [text for _, text in shown] + list(section_lines(objects)))
    return [(which, text) for which, text in shown if not printed.has_whole(text)]


def fixture(slug):
    return yaml.safe_load((FIXTURES / f"{slug}.yaml").read_text())


def fields_of(objects, model, ref):
    return next(o["fields"] for o in objects if o["model"] == model and o["fields"]["ref"] == ref)


@pytest.mark.parametrize("slug", COMPACTS)
def test_every_commitment_and_principle_is_printed_word_for_word(slug):
    objects = fixture(slug)
    kinds = {obj["model"] for obj in objects}
    assert {"commitments.commitment", "compacts.principle"} <= kinds
    assert not_printed(slug, objects) == []


@pytest.mark.parametrize(
    "alter",
    [
        lambda text: text.replace("independence", "independance"),  # a letter
        lambda text: text.replace("the right of organisations", "the right of all organisations"),  # a word added
        lambda text: text.replace("within the law and ", "within the law "),  # a word dropped
        lambda text: text + ".",  # a full stop the document does not print
        lambda text: text.removesuffix(" aims"),  # cut short
        lambda text: text.removeprefix("Respect "),  # its first word lost
    ],
)
def test_it_catches_an_altered_commitment(alter):
    objects = fixture("darlington")
    commitment = fields_of(objects, "commitments.commitment", "public-1")
    altered = alter(commitment["text"])
    assert altered != commitment["text"]
    commitment["text"] = altered
    assert not_printed("darlington", objects) == [("commitment public-1", altered)]


def test_it_catches_an_altered_lead_in():
    objects = fixture("county-durham")
    commitment = fields_of(objects, "commitments.commitment", "2.7")
    commitment["lead_in"] = "Undertakings for the VCS"  # the printed colon dropped
    assert not_printed("county-durham", objects) == [("commitment 2.7 lead_in", "Undertakings for the VCS")]


def test_it_catches_an_altered_principle():
    objects = fixture("dorset")
    principle = fields_of(objects, "compacts.principle", "interdependence")
    principle["text"] = principle["text"].replace("Interdependence –", "Interdependence -")
    assert not_printed("dorset", objects) == [("principle interdependence", principle["text"])]


def test_it_catches_a_commitment_missing_its_last_sentence():
    objects = fixture("county-durham")
    commitment = fields_of(objects, "commitments.commitment", "3.4")
    text = commitment["text"]
    commitment["text"] = text[: text.index(" If multi-year funding")]
    assert not_printed("county-durham", objects) == [("commitment 3.4", commitment["text"])]


def test_it_reads_curly_and_straight_quotes_alike():
    objects = fixture("county-durham")
    commitment = fields_of(objects, "commitments.commitment", "4.4")
    commitment["text"] = commitment["text"].replace("’", "'")
    assert not_printed("county-durham", objects) == []
