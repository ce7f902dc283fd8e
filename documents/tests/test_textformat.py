"""The plain text format round-trips: each of the five documents exported and imported again is the same Compact."""

import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from compacts.models import Compact, CompactRole
from compacts.tests.factories import CompactFactory, UserFactory, compact_role
from documents import textformat, versions

pytestmark = pytest.mark.django_db
FIVE = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]


@pytest.mark.parametrize("slug", FIVE)
def test_a_compact_exported_and_imported_again_is_the_same(slug):
    call_command("loaddata", "themes", slug, verbosity=0)
    original = Compact.objects.get(slug=slug)
    text = textformat.export(original)
    copy_text = text.replace(f"slug: {slug}\n", f"slug: {slug}-copy\n", 1).replace(
        f"reference_prefix: {original.reference_prefix}\n", "reference_prefix: ZZZ\n", 1
    )
    front, sections, unplaced = textformat.parse(copy_text)
    assert unplaced == []
    copy = textformat.create(front, sections)
    again = textformat.export(copy)
    assert again == copy_text  # every field of every item came back
    assert versions.content_of(copy) == {**versions.content_of(original)}


def rows(compact):
    """Every row of the Compact's content, each field by value (a row it points at by that row's own reference),
    whatever the export writes: what "the same content" means here."""
    from commitments.models import Commitment, Figure
    from compacts.models import (
        CaseStudy,
        CodeOfPractice,
        CompactEvent,
        Contact,
        GlossaryTerm,
        Principle,
        Section,
        Signatory,
    )
    from disputes.models import Stage

    def natural(obj):
        for name in ("ref", "slug", "name"):
            if hasattr(obj, name):
                return getattr(obj, name)
        return str(obj)

    result = {}
    for model in [
        Section,
        Principle,
        Commitment,
        GlossaryTerm,
        CodeOfPractice,
        CaseStudy,
        Contact,
        Signatory,
        Figure,
        CompactEvent,
        Stage,
    ]:
        queryset = (
            model.objects.filter(procedure__compact=compact)
            if model is Stage
            else model.objects.filter(compact=compact)
        )
        fields = [
            f for f in model._meta.concrete_fields if f.name not in ("id", "compact", "procedure", "search_vector")
        ]
        result[model.__name__] = sorted(
            repr(
                [
                    (
                        f.name,
                        natural(getattr(obj, f.name))
                        if f.is_relation and getattr(obj, f.name)
                        else getattr(obj, f.name),
                    )
                    for f in fields
                ]
            )
            for obj in queryset
        )
    compact_fields = [
        f.name for f in Compact._meta.concrete_fields if f.name not in ("id", "slug", "reference_prefix", "owner")
    ]
    result["Compact"] = [(name, getattr(compact, name)) for name in compact_fields] + [
        ("owner", compact.owner_id and compact.owner.name)
    ]
    return result


@pytest.mark.parametrize("slug", FIVE)
def test_every_field_of_every_row_comes_back(slug):
    call_command("loaddata", "themes", slug, verbosity=0)
    original = Compact.objects.get(slug=slug)
    text = textformat.export(original).replace(f"slug: {slug}\n", f"slug: {slug}-copy\n", 1)
    text = text.replace(f"reference_prefix: {original.reference_prefix}\n", "reference_prefix: ZZZ\n", 1)
    copy = textformat.create(*textformat.parse(text)[:2])
    assert rows(copy) == rows(original)
    assert sum(len(v) for v in rows(original).values()) > 50


# Adding a Compact in the manage area -------------------------------------------------------------------------------

EXAMPLE = (Path(__file__).resolve().parents[2] / "fixtures" / "example-compact.md").read_text()


@pytest.fixture
def site_admin(db):
    call_command("loaddata", "themes", verbosity=0)
    return UserFactory(username="root@portal.example", is_superuser=True, is_staff=True)


def test_the_example_file_becomes_a_compact_like_the_others(client, site_admin):
    client.force_login(site_admin)
    check = client.post(
        "/manage/new-compact/", {"file": SimpleUploadedFile("newtown.md", EXAMPLE.encode()), "check": "1"}
    )
    text = html.unescape(check.content.decode())
    assert check.status_code == 200 and "The Newtown Compact (an example for importing)" in text
    assert "Create the Compact" in text and "Lines that could not be placed" not in text
    created = client.post("/manage/new-compact/", {"text": EXAMPLE, "create": "1"})
    assert created.status_code == 302 and created["Location"] == "/compacts/newtown-example/"
    compact = Compact.objects.get(slug="newtown-example")
    assert CompactRole.objects.filter(user=site_admin, compact=compact, role="administrator").exists()
    page = html.unescape(client.get("/compacts/newtown-example/").content.decode())
    assert "Consult for 12 weeks on any change to services" in page and "Newtown Voluntary Action" in page
    found = html.unescape(client.get("/commitments/?q=services+voluntary+delivers").content.decode())
    assert "/compacts/newtown-example/commitments/2.1/" in found
    call_command("loaddata", "dorset", verbosity=0)
    compare = html.unescape(
        client.get("/compare/?compacts=newtown-example&compacts=dorset&theme=consultation").content.decode()
    )
    # The item as printed, its list's lead-in above it: never glued into one sentence.
    assert "The voluntary and community sector will:" in compare
    assert "Say whose views it represents when it responds to a consultation." in compare
    assert "will say whose views it represents" not in compare


def test_lines_that_cannot_be_placed_are_listed_and_kept_to_correct(client, site_admin):
    client.force_login(site_admin)
    broken = EXAMPLE.replace("## Introduction {#introduction", "Stray words\n\n## Introduction {#introduction", 1)
    broken = broken.replace("::: principle", "::: principal", 1)
    response = client.post("/manage/new-compact/", {"text": broken, "create": "1"})
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert "could not be placed: before the first heading" in text
    assert "“principal” is not a kind of item the portal knows" in text
    assert "Stray words" in text  # the text, kept in the box to correct
    assert not Compact.objects.filter(slug="newtown-example").exists()


def test_a_file_that_is_not_a_compact_is_refused_with_why(client, site_admin):
    client.force_login(site_admin)
    response = client.post("/manage/new-compact/", {"text": "Just a letter", "check": "1"})
    assert response.status_code == 400 and "must start with front matter" in html.unescape(response.content.decode())
    response = client.post(
        "/manage/new-compact/", {"file": SimpleUploadedFile("a.docx", b"\xff\xfe\x00PK"), "check": "1"}
    )
    assert response.status_code == 400 and "plain text in UTF-8" in html.unescape(response.content.decode())
    missing_theme = EXAMPLE.replace("theme=consultation", "theme=nothing", 1)
    response = client.post("/manage/new-compact/", {"text": missing_theme, "create": "1"})
    assert response.status_code == 400 and "there is no theme called “nothing”" in html.unescape(
        response.content.decode()
    )
    assert not Compact.objects.filter(slug="newtown-example").exists()


@pytest.mark.parametrize("who", ["administrator", "visitor"])
def test_only_site_administrators_add_a_compact(client, site_admin, who):
    if who == "administrator":
        person = UserFactory()
        compact_role(person, CompactFactory(), "administrator")
        client.force_login(person)
    for method in (client.get, client.post):
        response = method("/manage/new-compact/")
        assert response.status_code == (403 if who == "administrator" else 302)
    assert not Compact.objects.filter(slug="newtown-example").exists()
