"""Journeys through the browse pages in a real browser, as a person would."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def compacts(live_server):
    call_command("loaddata", "themes", "related-terms", "dorset", "darlington", "derby-derbyshire", verbosity=0)
    return live_server


def test_find_a_commitment_by_keyword_and_open_it(compacts, page, check_page):
    page.goto(compacts.url)
    page.get_by_label("Search all commitments").fill("notice funding withdrawn")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find commitments")
    expect(page.locator("#results-count")).to_contain_text("matching “notice funding withdrawn”")
    check_page(page)
    page.get_by_role("link", name="Dorset: the 10th commitment under “Funding and support”").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "Giving as much notice as possible when funding is to be withdrawn"
    )
    expect(page.get_by_text("Notice before funding ends or changes")).to_be_visible()
    check_page(page)


def count(page):
    return int(page.locator("#results-count").inner_text().split()[0])


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_search_that_widens_says_so_and_exact_words_narrow_it(compacts, browser, check_page, javascript):
    page = browser.new_context(java_script_enabled=javascript, bypass_csp=True).new_page()
    checks = check_page if javascript else lambda page: None  # axe-core needs JavaScript to run
    page.goto(f"{compacts.url}/commitments/")
    page.get_by_label("Keywords").fill("procurement")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#widened")).to_contain_text("Also searched for: bids, commissioning, contracting, tendering")
    widened = count(page)
    checks(page)
    page.get_by_role("link", name="Search for your exact words only").click()
    expect(page.locator("#widened")).to_contain_text("Searched for your exact words only.")
    expect(page.get_by_label("Search for my exact words only")).to_be_checked()
    assert count(page) < widened
    checks(page)
    page.get_by_role("link", name="Search for related terms too").click()
    assert count(page) == widened
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_search_for_a_compacts_name_points_to_the_compact(compacts, browser, check_page, javascript):
    page = browser.new_context(java_script_enabled=javascript, bypass_csp=True).new_page()
    checks = check_page if javascript else lambda page: None  # axe-core needs JavaScript to run
    page.goto(compacts.url)
    page.get_by_label("Search all commitments").fill("Darlington")
    page.get_by_role("button", name="Search").click()
    named = page.get_by_role("region", name="Compact matching “Darlington”")
    expect(named.get_by_role("link", name="The Darlington Compact")).to_have_attribute("href", "/compacts/darlington/")
    checks(page)
    named.get_by_role("link", name="Show Darlington’s commitments").click()
    expect(page.get_by_role("group", name="Compact").get_by_label("The Darlington Compact")).to_be_checked()
    expect(page.get_by_label("Keywords")).to_have_value("")
    assert count(page) > 20
    assert {link.split(":")[0] for link in page.locator(".app-result h3").all_inner_texts()} == {"Darlington"}
    checks(page)
    page.get_by_label("Keywords").fill("dorset consultation")
    page.get_by_role("group", name="Compact").get_by_label("The Darlington Compact").uncheck()
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Search Dorset’s commitments for “consultation”").click()
    expect(page.locator("#results-count")).to_contain_text("matching “consultation”")
    assert {link.split(":")[0] for link in page.locator(".app-result h3").all_inner_texts()} == {"Dorset"}
    checks(page)
    page.context.close()


def test_a_misspelt_search_offers_the_right_spelling(compacts, page, check_page):
    page.goto(f"{compacts.url}/commitments/?q=volunteerz")
    expect(page.get_by_text("No commitments match")).to_be_visible()
    expect(page.locator("#suggestion")).to_have_text("Did you mean volunteer?")
    expect(page.get_by_role("link", name="Volunteering")).to_be_visible()  # the closest theme
    check_page(page)
    page.get_by_role("link", name="volunteer", exact=True).click()
    assert count(page) > 0
    check_page(page)


def test_filter_by_sector_and_theme(compacts, page, check_page):
    page.goto(f"{compacts.url}/commitments/")
    page.get_by_role("group", name="Whose commitment").get_by_label("Voluntary and community sector").check()
    page.get_by_role("group", name="Theme").get_by_label("Ending or changing funding").check()
    page.get_by_role("button", name="Apply filters").click()
    assert "sector=vcs" in page.url and "theme=ending-funding" in page.url
    expect(page.locator("#results-count")).to_have_text("2 commitments")
    expect(page.get_by_role("link", name="Derby and Derbyshire: commitment 17.1")).to_be_visible()
    for tag in page.locator(".app-results .app-sector-tag").all_inner_texts():
        assert tag.upper() == "VOLUNTARY AND COMMUNITY SECTOR"
    check_page(page)


def test_explorer_with_no_results_nonsense_and_bad_filters(compacts, page, check_page):
    page.goto(f"{compacts.url}/commitments/?q=zebra+giraffe")
    expect(page.get_by_text("No commitments match")).to_be_visible()
    expect(page.locator("#missing")).to_have_text("No commitment contains zebra, giraffe.")
    check_page(page)
    page.goto(f"{compacts.url}/commitments/?q=%21%21%21+%26%26+%27%27")
    expect(page.locator("#results-count")).to_contain_text("0 commitments")
    check_page(page)
    page.goto(f"{compacts.url}/commitments/?compact=atlantis")
    expect(page.get_by_role("alert")).to_contain_text("Select a valid choice")
    check_page(page, status=400)


def test_compare_two_compacts_on_consultation(compacts, page, check_page):
    page.goto(compacts.url)
    page.get_by_role("link", name="Compare", exact=True).click()
    page.get_by_label("The Dorset Compact").check()
    page.get_by_label("The Derby and Derbyshire Compact").check()
    page.get_by_label("Theme").select_option(label="Consultation and involvement in policy")
    page.get_by_role("button", name="Compare").click()
    figures = page.get_by_role("table", name="Figures they commit to")
    row = figures.get_by_role("row", name="Standard consultation period")
    derby, dorset = row.get_by_role("cell").nth(0), row.get_by_role("cell").nth(1)  # A to Z
    expect(derby).to_contain_text(
        "Standard consultation period: 12 weeks “Conduct 12-weeks formal consultations, with an explanation given for"
        " shorter time-frames”"
    )
    expect(derby).to_contain_text("usually or generally (“with an explanation given for shorter time-frames”)")
    expect(derby).to_contain_text("Printed in commitment 3.6")
    expect(dorset).to_contain_text("12 weeks for a standard written consultation")
    expect(dorset).to_contain_text("Whose commitment Not stated in the document")
    side_by_side = page.get_by_role("table", name="Commitments side by side")
    expect(side_by_side).to_contain_text("Conduct 12-weeks formal consultations")
    check_page(page)


def test_compare_asks_for_two_compacts(compacts, page, check_page):
    page.goto(f"{compacts.url}/compare/")
    page.get_by_label("The Dorset Compact").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least two Compacts to compare")
    expect(page.get_by_label("The Dorset Compact")).to_be_checked()  # nothing entered is lost
    check_page(page, status=400)


def test_download_the_filtered_list_as_csv(compacts, page):
    page.goto(f"{compacts.url}/commitments/?compact=derby-derbyshire&theme=funding")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV file of these commitments").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    count = int(page.locator("#results-count").inner_text().split()[0])
    assert len(rows) == count > 0
    assert {row["compact"] for row in rows} == {"derby-derbyshire"}
    assert {row["theme"] for row in rows} == {"funding"}


def test_a_journey_by_keyboard_alone(compacts, page):
    page.goto(compacts.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    search = page.get_by_label("Search all commitments")
    for _ in range(10):
        page.keyboard.press("Tab")
        if search.evaluate("el => el === document.activeElement"):
            break
    expect(search).to_be_focused()
    page.keyboard.type("consultation")
    page.keyboard.press("Enter")
    expect(page.locator("#results-count")).to_contain_text("matching “consultation”")
    first = page.locator(".app-result a").first
    name = first.inner_text()
    first.focus()
    page.keyboard.press("Enter")
    named = name.split(": ", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_contain_text(named[:1].upper() + named[1:])


def test_pages_work_without_javascript(compacts, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{compacts.url}/commitments/")
    page.get_by_role("group", name="Compact").get_by_label("The Darlington Compact").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-count")).to_have_text("24 commitments")
    page.goto(f"{compacts.url}/compare/?compacts=dorset&compacts=darlington&theme=consultation")
    expect(page.get_by_role("table", name="Commitments side by side")).to_be_visible()
    context.close()


def test_every_browse_page_type_passes_the_checks(compacts, page, check_page):
    for path in [
        "/",
        "/compacts/derby-derbyshire/",
        "/compacts/derby-derbyshire/commitments/9.2/",
        "/compacts/dorset/commitments/funding-10/",
        "/commitments/",
        "/commitments/?q=volunteers&sector=vcs",
        "/compare/",
        "/compare/?compacts=dorset&compacts=darlington&compacts=derby-derbyshire&theme=funding",
        "/accessibility/",
        "/accounts/login/",
    ]:
        page.goto(compacts.url + path)
        check_page(page)
    page.goto(compacts.url + "/compacts/atlantis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page, status=404)


def test_mobile_layout_at_320_pixels(compacts, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in [
        "/",
        "/compacts/derby-derbyshire/",
        "/commitments/?q=funding",
        "/compare/?compacts=dorset&compacts=darlington&theme=consultation",
    ]:
        page.goto(compacts.url + path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    context.close()


def test_print_leaves_out_navigation(compacts, page):
    page.goto(compacts.url + "/compacts/dorset/")
    page.emulate_media(media="print")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.locator(".app-contents")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
