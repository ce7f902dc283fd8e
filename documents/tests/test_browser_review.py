"""A review in a real browser, by labels and button text (issue 25): the Dorset administrator drafts a change, sees it
marked in the preview, checks the changes and publishes version 2 (a date chosen, not filled in); a visitor then
finds version 2 from the Compact page. With JavaScript on, every page is checked with axe and the Nu HTML Checker;
with it off, the same journey, and the HTML checks."""

import pytest
from playwright.sync_api import expect

from conftest import assert_valid_html, new_page, sign_in

pytestmark = pytest.mark.browser
COMMITMENT = "The fifth commitment under “Consultation and engagement”"  # printed with no number


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_change_is_marked_checked_published_and_found_by_a_visitor(dorset, browser, check_page, tmp_path, javascript):
    server, people = dorset

    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:
            assert_valid_html(page.content(), tmp_path / "page.html")

    admin = new_page(browser, javascript)
    sign_in(admin, server, people["admin"].username)
    admin.goto(f"{server.url}/manage/dorset/review/")
    admin.get_by_role("button", name="Open a review").click()
    expect(admin.get_by_role("heading", name="No changes drafted yet")).to_be_visible()
    # Each section is closed, naming its parts only once opened; no table markup shows as words.
    expect(admin.get_by_text("| Ref. No.")).to_have_count(0)
    expect(admin.get_by_role("link", name=COMMITMENT)).to_be_hidden()
    check(admin)

    # The administrator drafts new words for one commitment.
    admin.get_by_text("Consultation and engagement", exact=True).click()
    admin.get_by_role("link", name=COMMITMENT).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Change {COMMITMENT[0].lower()}{COMMITMENT[1:]}")
    check(admin)
    wording = admin.get_by_label("New wording")
    wording.fill(wording.input_value().replace("This will allow partners", "This will give partners"))
    admin.get_by_role("button", name="Save the draft").click()
    expect(admin.get_by_role("heading", name="1 change drafted")).to_be_visible()
    section = admin.locator("details", has=admin.locator("summary", has_text="Consultation and engagement"))
    expect(section).to_have_attribute("open", "")  # the section holding the change stays open, and says so
    expect(section.locator("summary")).to_contain_text("1 drafted change")
    expect(section.locator(".govuk-task-list__item", has_text=COMMITMENT)).to_contain_text("Drafted change")
    check(admin)

    # The preview lists the change and marks it where it is, words taken out and put in.
    admin.get_by_role("link", name="Preview the Compact as it will read").click()
    expect(admin.get_by_role("heading", name="1 change drafted in this review")).to_be_visible()
    admin.locator('a[href="#commitment-consultation-5"]', has_text="See it in the text").click()
    marked = admin.locator("#commitment-consultation-5")
    expect(marked).to_contain_text("Changed in this review")
    expect(marked.locator("del").first).to_have_text("[taken out: allow]")
    expect(marked.locator("ins").first).to_have_text("[put in: give]")
    check(admin)

    # Check the changes: each with its words before and after, and a way back to change it.
    admin.get_by_role("button", name="Check your changes and publish").first.click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Check your changes before publishing version 2")
    row = admin.locator(".govuk-summary-list__row", has_text=COMMITMENT)
    expect(row.locator("del")).to_have_text("[taken out: allow]")
    expect(row.locator("ins")).to_have_text("[put in: give]")
    check(admin)
    row.get_by_role("link", name="Change").click()
    expect(admin.get_by_role("link", name="Back to checking your changes")).to_be_visible()
    admin.get_by_role("button", name="Save the draft").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Check your changes before publishing version 2")

    # The date is the administrator's to give: without it, nothing is published and they are told what to enter.
    date = admin.get_by_role("group", name="Date version 2 takes effect")
    expect(date.get_by_label("Day")).to_have_value("")
    admin.get_by_label("What this version changes, for readers (optional)").fill("Partners are given time.")
    admin.get_by_role("button", name="Publish version 2").click()
    expect(admin.get_by_role("alert")).to_contain_text("Enter the date version 2 takes effect")
    expect(admin.locator(".govuk-form-group--error")).to_contain_text("Enter the date version 2 takes effect")
    expect(admin.get_by_label("What this version changes, for readers (optional)")).to_have_value(
        "Partners are given time."
    )
    check(admin, status=400)
    date.get_by_label("Day").fill("1")
    date.get_by_label("Month").fill("5")
    date.get_by_label("Year").fill("2026")
    admin.get_by_role("button", name="Publish version 2").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Version 2 is published")
    expect(admin.locator(".govuk-panel__body")).to_contain_text("in effect from 1 May 2026")
    expect(admin.get_by_role("heading", name="What happens next")).to_be_visible()
    check(admin)
    admin.context.close()

    # A visitor finds version 2 from the top of the Compact page, and what it changed.
    visitor = new_page(browser, javascript)
    visitor.goto(f"{server.url}/compacts/dorset/")
    expect(visitor.get_by_text("This page shows version 2, in effect from 1 May 2026.")).to_be_visible()
    expect(visitor.locator("#app-version")).to_contain_text("Version 2, in effect from 1 May 2026")
    expect(visitor.locator("#commitment-consultation-5")).to_contain_text("This will give partners time")
    contents = visitor.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link", name="Versions of the text")).to_be_visible()
    check(visitor)
    visitor.get_by_role("link", name="See all versions and what changed").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Versions of the text")
    expect(visitor.get_by_role("row", name="Version 2")).to_contain_text("Partners are given time.")
    check(visitor)
    visitor.get_by_role("link", name="What changed from version 1").click()
    expect(visitor.locator("ins").first).to_have_text("[put in: give]")
    check(visitor)
    visitor.context.close()
