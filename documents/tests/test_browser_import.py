"""Correcting a Compact's text on the page that adds it, in a real browser (issue 25, item 9): the format is
explained on the page, the example downloads from it, and each problem is quoted by its line number with the lines
around it, in the error summary and by the box, the text kept. With JavaScript on and off; with it on, a link in
the error summary selects the problem's line in the box."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compacts.tests.factories import UserFactory
from conftest import assert_valid_html, new_page, sign_in
from documents import textformat

pytestmark = pytest.mark.browser


@pytest.fixture
def server(live_server):
    call_command("loaddata", "themes", verbosity=0)
    UserFactory(username="root@portal.example", is_superuser=True, is_staff=True)
    return live_server


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_an_administrator_finds_and_corrects_each_problem_by_its_quoted_lines(
    server, browser, check_page, tmp_path, javascript
):
    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    page = new_page(browser, javascript)
    sign_in(page, server, "root@portal.example")
    page.goto(f"{server.url}/manage/new-compact/")
    page.get_by_text("How to write a Compact's text").click()
    help_text = page.locator("#import-help")
    expect(help_text).to_contain_text("Start the file with a line of three dashes")
    expect(help_text).to_contain_text("::: commitment ref=4.1 number=4.1 sector=public theme=funding")
    expect(page.locator("main")).not_to_contain_text("README")
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download an example Compact's text (Markdown, 3 KB)").click()
    example = Path(download.value.path()).read_text()
    assert example == textformat.EXAMPLE.read_text()

    broken = example.replace("## Introduction", "A stray line\n\n## Introduction", 1).replace(
        "::: principle", "::: principal", 1
    )
    stray = broken[: broken.index("A stray line")].count("\n") + 1
    unknown = broken[: broken.index("::: principal")].count("\n") + 1
    page.get_by_label("Or the text itself").fill(broken)
    page.get_by_role("button", name="Check the text").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link")).to_have_text(
        [
            f"Line {stray} could not be placed: before the first heading: move it under a section's heading, or "
            "delete it",
            f"Line {unknown} could not be placed: “principal” is not a kind of item the portal knows: write "
            "::: principle, ::: commitment, ::: glossary, ::: code, ::: case_study, ::: contact or ::: after instead",
        ]
    )
    quoted = summary.locator(".app-source-lines").first
    expect(quoted.locator(".app-source-lines__line--problem")).to_have_text(f"{stray} (this line) A stray line")
    expect(quoted.locator(".app-source-lines__line").first).to_have_text(f"{stray - 2} ---")
    by_the_box = page.locator("#id_text_problems")
    expect(by_the_box.locator(".app-source-lines__line--problem")).to_have_text(
        [f"{stray} (this line) A stray line", f"{unknown} (this line) ::: principal ref=respect name=Respect"]
    )
    expect(page.get_by_label("Or the text itself")).to_have_value(broken.strip())  # nothing typed is lost
    expect(page.get_by_role("row", name="1. Introduction 0")).to_be_visible()  # the unknown block is not counted
    check(page, status=400)

    if javascript:  # the summary's link selects the line in the box
        summary.get_by_role("link").nth(1).click()
        box = page.get_by_label("Or the text itself")
        expect(box).to_be_focused()
        selected = box.evaluate("box => box.value.slice(box.selectionStart, box.selectionEnd)")
        assert selected == "::: principal ref=respect name=Respect"

    page.get_by_label("Or the text itself").fill(example)
    page.get_by_role("button", name="Check the text").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("button", name="Create the Compact")).to_be_visible()
    check(page)
    page.context.close()
