"""The complaint form in a real browser, by labels and button text, with JavaScript on and off (issue 25, items 4, 5
and part of 13): choosing no Compact is an error; the commitment filter narrows the list (as you type, with
JavaScript) and Enter in it never sends the complaint; an incomplete complaint is shown again with its errors and
nothing saved; only "Save as draft" makes a draft, listed by when it was started, and a draft can be deleted; the
complainant's own organisation is not offered. Every page is checked with axe and the Nu HTML Checker (with
JavaScript off, the HTML checks)."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compacts.tests.factories import darlington_people
from conftest import assert_valid_html, new_page, sign_in
from disputes.models import Complaint

pytestmark = pytest.mark.browser


@pytest.fixture
def darlington(live_server):
    call_command("loaddata", "themes", "darlington", verbosity=0)
    _, people = darlington_people()
    return live_server, people


def commitment_options(page, name=None):
    return page.get_by_role("group", name="Which commitments were broken?").get_by_role("checkbox", name=name)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_filtering_commitments_and_an_incomplete_complaint_save_nothing_and_lose_nothing(
    darlington, browser, check_page, tmp_path, javascript
):
    server, people = darlington

    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    page = new_page(browser, javascript)
    sign_in(page, server, people["vcs"].username)

    # Continuing with no Compact chosen says what to do, by the radios and in the summary.
    page.get_by_role("link", name="Raise a complaint").click()
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select the Compact that was broken")).to_be_visible()
    expect(page.get_by_role("group", name="Which Compact was broken?")).to_contain_text(
        "Error: Select the Compact that was broken"
    )
    check(page, status=400)
    page.get_by_label("The Darlington Compact").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a complaint")
    address = page.url
    check(page)

    # The complainant's own organisation is not one it could complain about.
    respondent = page.get_by_label("Which organisation broke the commitment?")
    offered = respondent.locator("option").all_inner_texts()
    assert "Darlington Borough Council" in offered and "First Stop Darlington" not in offered

    # The filter: its button comes right after its box; Enter in the box filters and never sends the complaint.
    everything = commitment_options(page).count()
    assert everything > 20
    page.get_by_label("Summary").fill("Grant cut without notice")
    box = page.get_by_label("Find commitments by words")
    buttons = page.locator("form button").all_text_contents()
    assert buttons.index("Find commitments") < buttons.index("Submit the complaint")
    expect(page.locator("#div_id_find + button")).to_have_text("Find commitments")
    if javascript:
        box.press_sequentially("multi-year")  # narrowed as it is typed, nothing sent
        expect(page.locator("#commitments-found")).to_have_text("1 commitment contains “multi-year”.")
        expect(page.locator("#commitments-found")).to_have_attribute("role", "status")
        expect(page.get_by_role("button", name="Find commitments")).to_be_hidden()
    else:
        box.fill("multi-year")
    box.press("Enter")
    expect(page.locator("#commitments-found")).to_have_text("1 commitment contains “multi-year”.")
    visible = commitment_options(page).filter(visible=True)
    expect(visible).to_have_count(1)
    expect(visible.first).to_have_accessible_name(re.compile("multi-year"))
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_label("Summary")).to_have_value("Grant cut without notice")
    assert page.url.split("#")[0] == address
    if not javascript:
        assert page.url.endswith("#commitments-found")  # back at the list
    check(page)
    visible.first.check()
    if javascript:
        box.fill("")  # cleared: every commitment is listed again
        expect(commitment_options(page).filter(visible=True)).to_have_count(everything)
        expect(page.locator("#commitments-found")).to_have_text("")
    else:  # the button right after the box sends only the search
        box.fill("")
        page.get_by_role("button", name="Find commitments").click()
        expect(commitment_options(page)).to_have_count(everything)
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert Complaint.objects.count() == 0

    # Submitting it incomplete: the same form at the same address, errors by each field and in the summary,
    # everything typed kept, and nothing saved.
    page.get_by_role("button", name="Submit the complaint").click()
    expect(page).to_have_title(re.compile("^Error: Raise a complaint"))
    summary = page.locator(".govuk-error-summary")
    for message in (
        "Choose the organisation the complaint is about",
        "Describe what happened",
        "Say what outcome you want",
    ):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(summary.get_by_role("link", name="Choose at least one commitment that was broken")).to_have_count(0)
    expect(page.locator("#div_id_what_happened .govuk-error-message")).to_contain_text("Describe what happened")
    expect(page.get_by_label("Summary")).to_have_value("Grant cut without notice")
    expect(commitment_options(page, re.compile("multi-year"))).to_be_checked()
    assert page.url == address
    check(page, status=400)
    assert Complaint.objects.count() == 0

    # Saving it as a draft is what makes a draft; it is listed by when it was started, and can be deleted.
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your draft complaint")
    check(page)
    assert Complaint.objects.get().status == "draft"
    page.get_by_label("Summary").fill("")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("link", name="Complaints", exact=True).click()
    today = datetime.date.today()
    started = f"Draft started {today.day} {today:%B} {today.year}"
    expect(page.get_by_role("link", name=started, exact=True)).to_be_visible()
    expect(page.get_by_text("About the Darlington Compact: no summary yet")).to_be_visible()
    check(page)
    page.get_by_role("link", name=f"Delete the draft started {today.day} {today:%B} {today.year}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this draft complaint?")
    check(page)
    page.get_by_role("button", name="Yes, delete this draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Your draft complaint has been deleted.")
    expect(page.get_by_role("link", name=started, exact=True)).to_have_count(0)
    check(page)
    assert Complaint.objects.count() == 0
    page.context.close()
