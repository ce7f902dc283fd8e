"""Version 1 is the document: every line of each source document is on its version 1 page (and on its Compact page),
except the page furniture listed here, each entry with its reason.

A source line is compared as compacts.tests.document_check reads it (fixtures/README.md): bullets, list numbers,
heading marks and markdown emphasis stripped, table rows cell by cell, white space collapsed; the page is its visible
text (HTML to text, entities decoded, white space collapsed)."""

import copy
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from compacts.models import Compact, CompactVersion
from compacts.tests.document_check import missing_fragments
from compacts.tests.factories import UserFactory, compact_role
from conftest import kept_for_the_module
from documents import services, versions

pytestmark = pytest.mark.django_db

# Page furniture: lines of the PDF conversion that are not the document's text. `skip` are whole source lines (as
# stripped), `remove` are pieces cut from a line before it is looked for. Nothing else may be missing.
FURNITURE = {
    "dorset.txt": {
        "skip": {
            "DRAFT",  # the watermark printed across the draft's pages
            "| | |",  # the signatory table's empty header row, run into a stray bullet ("- | | |")
        },
        "remove": (),
    },
    "dacorum.txt": {
        "skip": {
            # The contents list (page 2): the title in capitals above it, its heading, and its entries with page
            # numbers (each heading is checked where the text prints it). The Compact page happens to say
            # "Contents" too, over its own list: that is not the document's.
            "DACORUM COMPACT",
            "Contents",
            "Introduction 3",
            "Summary of Key Principles 3",
            "Aims 4",
            "Shared Principles 5",
            "Undertakings by the Statutory Sector 6 - 7",
            "Undertakings by the Voluntary and Community Sector 8",
            "Good Practice",
            "Annex A - How is the Dacorum Compact working for us? 9",
            "Annex B - Jargon buster 10 – 11",
            "Annex C - Further information and contacts list 12",
        },
        "remove": (),
    },
    "darlington.txt": {
        "skip": {
            # The contents list: its heading and its entries with page numbers.
            "Contents",
            "Section 1 Introduction to the Darlington Compact Page 4",
            "Section 2 The Context for Working Together in the Borough of Darlington Page 5",
            "Section 3 Compact Principles and Commitments Page 6",
            "Section 4 Introducing the Codes of Practice Page 9",
            "Section 5 Implementing the Compact Page 10",
            "Section 6 Resolving Disagreements Page 12",
            "Appendix 1 Developing the Darlington Compact Page 14",
            "Appendix 2 Case Study examples Page 18",
            "Stage 3",  # a lone label of the process diagram ("illustrated overleaf"), which is not in the text
        },
        "remove": ("12 of 19",),  # the page number printed in the middle of the Stage 3 paragraph
    },
    "derby-derbyshire.txt": {
        "skip": {"DRAFT"},  # the watermark printed across the draft's pages
        "remove": (),
    },
    "county-durham.txt": {
        "skip": set(),
        "remove": (
            "·",  # the Word bullet glyph, converted to a middle dot: a bullet, stripped like any other
            "2.7",  # "2.7Work with ...": the conversion ran the list number into its text; the page keeps them apart
        ),
    },
}
SLUGS = {name: name.removesuffix(".txt") for name in FURNITURE}


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    yield from kept_for_the_module(
        django_db_blocker, lambda: call_command("loaddata", "themes", *SLUGS.values(), verbosity=0)
    )


@pytest.fixture
def loaded(_loaded, db):
    """The five Compacts, loaded once for the module."""


def missing(name, response):
    assert response.status_code == 200
    return missing_fragments(name, response.content, FURNITURE[name]["skip"], FURNITURE[name]["remove"])


@pytest.mark.parametrize("name", FURNITURE)
def test_version_1_shows_every_line_of_the_document(client, loaded, name):
    slug = SLUGS[name]
    assert missing(name, client.get(f"/compacts/{slug}/versions/1/")) == []  # never reviewed: the text as it stands
    compact = Compact.objects.get(slug=slug)
    administrator = UserFactory()
    compact_role(administrator, compact, "administrator")
    services.review_open(compact=compact, by=administrator)  # keeps version 1
    assert CompactVersion.objects.filter(compact=compact, number=1).exists()
    assert missing(name, client.get(f"/compacts/{slug}/versions/1/")) == []


@pytest.mark.parametrize("name", FURNITURE)
def test_the_compact_page_shows_every_line_of_the_document(client, loaded, name):
    assert missing(name, client.get(f"/compacts/{SLUGS[name]}/")) == []


def test_versions_kept_before_gain_everything_the_page_shows_and_keep_their_own_words(loaded):
    fill_in = import_module("compacts.migrations.0011_version_content_in_full").fill_in
    full = {}
    for compact in Compact.objects.all():
        full[compact.pk] = versions.content_of(compact)
        old = copy.deepcopy(full[compact.pk])  # as versions were kept before: no signatories, contacts, lead-ins...
        old["items"] = [
            {key: item[key] for key in ("kind", "ref", "section", "label", "text")}
            for item in old["items"]
            if item["kind"] not in ("signatory", "contact")
        ]
        old["figures"] = [{k: v for k, v in f.items() if k not in ("quote", "source")} for f in old["figures"]]
        if compact.slug == "dorset":  # a review had changed this commitment's words: they stay the version's own
            for content in (old, full[compact.pk]):
                next(item for item in content["items"] if item["ref"] == "consultation-5")["text"] = "Earlier words."
        CompactVersion.objects.create(compact=compact, number=1, content=old)
    for _ in range(2):  # and again, which changes nothing
        fill_in(apps, None)
        assert {v.compact_id: v.content for v in CompactVersion.objects.all()} == full
