"""The page that adds a Compact from its text (issue 25, item 9): each problem is quoted by line with the lines
around it, by the box and in the error summary; the format is explained on the page and its example downloads
from the portal; a block the portal cannot place is reported and not counted."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compacts.models import Compact
from compacts.tests.document_check import page_text
from compacts.tests.factories import UserFactory
from documents import textformat

pytestmark = pytest.mark.django_db
EXAMPLE = textformat.EXAMPLE.read_text()


@pytest.fixture
def site_admin(client):
    person = UserFactory(username="root@portal.example", is_superuser=True, is_staff=True)
    client.force_login(person)
    return person


def line_of(text, fragment):
    return text.count("\n", 0, text.index(fragment)) + 1


def quoted(response):
    """Each block of quoted lines on the page, as its lines' text ("71 Stray words")."""
    blocks = re.findall(r'<pre class="app-source-lines".*?</pre>', response.content.decode(), re.S)
    return [
        [
            " ".join(page_text(line.encode()).split())
            for line in re.findall(r"<span class=\"app-source-lines__line.*?</span>[^<]*</span>", block)
        ]
        for block in blocks
    ]


def test_each_line_that_cannot_be_placed_is_quoted_with_the_lines_around_it(client, site_admin):
    broken = EXAMPLE.replace("## Introduction {#introduction", "Stray words\n\n## Introduction {#introduction", 1)
    stray = line_of(broken, "Stray words")
    response = client.post("/manage/new-compact/", {"text": broken, "check": "1"})
    assert response.status_code == 400
    assert response.context["problems"][0]["line"] == stray
    lines = broken.split("\n")
    expected = [f"{n} {lines[n - 1]}".strip() for n in range(stray - 2, stray + 3)]
    expected[2] = f"{stray} (this line) Stray words"
    assert quoted(response) == [expected, expected]  # in the error summary, and by the box
    summary = html.unescape(response.content.decode()).split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert f'data-line="{stray}">Line {stray} could not be placed: before the first heading' in summary
    assert "Stray words" in response.context["form"]["text"].value()  # the text, kept to correct


def test_a_refusal_naming_a_line_quotes_that_line(client, site_admin):
    broken = EXAMPLE.replace("theme=consultation", "theme=nothing", 1)
    line = line_of(broken, "theme=nothing")
    response = client.post("/manage/new-compact/", {"text": broken, "create": "1"})
    assert response.status_code == 400
    (problem,) = response.context["problems"]
    assert problem["line"] == line and "there is no theme called “nothing”" in problem["message"]
    assert [number for number, _, here in problem["lines"] if here] == [line]
    assert not Compact.objects.filter(slug="newtown-example").exists()


def test_a_problem_with_no_line_is_shown_without_quoted_lines(client, site_admin):
    response = client.post("/manage/new-compact/", {"text": "Just a letter", "check": "1"})
    assert response.status_code == 400
    (problem,) = response.context["problems"]
    assert problem["line"] is None and problem["lines"] == []
    assert "must start with front matter" in page_text(response.content)


def test_a_block_of_a_kind_the_portal_does_not_know_is_reported_and_not_counted(client, site_admin):
    broken = EXAMPLE.replace("::: principle", "::: principal", 1)
    _, sections, unplaced = textformat.parse(broken)
    assert [len(section["items"]) for section in sections] == [0, 2, 0, 0]  # Introduction's one item is not placed
    (number, line, reason) = unplaced[0]
    assert number == line_of(broken, "::: principal") and line.startswith("::: principal ref=respect")
    assert "“principal” is not a kind of item the portal knows: write ::: principle, ::: commitment" in reason
    response = client.post("/manage/new-compact/", {"text": broken, "check": "1"})
    text = page_text(response.content)
    assert "1. Introduction 0" in text
    assert f"1 line is not in any section or item, so it is not counted above: line {number}." in text


def test_a_block_never_closed_is_reported_by_its_first_line(client, site_admin):
    broken = EXAMPLE.rstrip("\n") + "\n\n::: commitment ref=3.1 sector=all theme=consultation\nWords with no end\n"
    number = line_of(broken, "::: commitment ref=3.1")
    _, sections, unplaced = textformat.parse(broken)
    assert unplaced == [
        (
            number,
            "::: commitment ref=3.1 sector=all theme=consultation",
            "this block is never closed: add a line of three colons (:::) where its words end",
        )
    ]
    assert len(sections[-1]["items"]) == 0


def test_the_format_is_explained_on_the_page_not_in_files_an_administrator_cannot_see(client, site_admin):
    response = client.get("/manage/new-compact/")
    text = page_text(response.content)
    assert "How to write a Compact's text" in text
    assert "README" not in text and "fixtures/" not in text
    assert "::: commitment" in text and "consultation (Consultation and involvement in policy)" in text
    assert 'href="/manage/new-compact/example-compact.md"' in response.content.decode()


def test_the_example_downloads_as_markdown(client, site_admin):
    response = client.get("/manage/new-compact/example-compact.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="example-compact.md"'
    assert response.content.decode() == EXAMPLE
    assert client.post("/manage/new-compact/example-compact.md").status_code == 405


def test_the_example_is_for_people_signed_in(client):
    response = client.get("/manage/new-compact/example-compact.md")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_file_with_problems_is_quoted_and_its_text_put_in_the_box(client, site_admin):
    broken = EXAMPLE.replace("::: principle", "::: principal", 1)
    response = client.post(
        "/manage/new-compact/", {"file": SimpleUploadedFile("newtown.md", broken.encode()), "check": "1"}
    )
    assert response.status_code == 400
    assert response.context["form"]["text"].value() == broken
    assert len(quoted(response)) == 2
