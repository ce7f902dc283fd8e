"""Reading and printing the annual report in a real browser, with the demo data: every chart label is whole and
stands apart from its value, a stage where nothing ended has no bar, the print button is there only where
JavaScript can print, and printed, the report has no header, navigation or buttons. With JavaScript on, the pages
are checked with axe and the Nu HTML Checker; with it off, the HTML checks."""

import datetime

import pytest
from playwright.sync_api import expect

from conftest import assert_valid_html, new_page

pytestmark = pytest.mark.browser
YEAR = datetime.date.today().year


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_visitor_reads_and_prints_the_darlington_report(demo, browser, check_page, tmp_path, javascript):
    def check(page):
        if javascript:
            check_page(page)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    page = new_page(browser, javascript)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{demo.url}/compacts/darlington/")
    page.goto(f"{demo.url}/compacts/darlington/report/{YEAR}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Compact report {YEAR}")
    check(page)

    # Each label is whole, on a line of its own: no label is clipped, and none overlaps its bar or value.
    labels = page.locator(".app-chart__label")
    assert labels.count() >= 6
    for index in range(labels.count()):
        label = labels.nth(index)
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth")
        row = label.locator("xpath=..")
        label_box, measure_box = label.bounding_box(), row.locator(".app-chart__measure").bounding_box()
        assert label_box["y"] + label_box["height"] <= measure_box["y"] + 0.5
        assert measure_box["x"] + measure_box["width"] <= 375
    within = page.locator("figure:has(#chart-within-title) .app-chart__row")
    expect(within.filter(has_text="Stage 2:").locator(".app-chart__value")).to_have_text("None ended")
    expect(within.filter(has_text="Stage 2:").locator("svg")).to_have_count(0)
    stage_times = page.get_by_role("region", name="Time at each stage")
    expect(stage_times.get_by_role("row").filter(has_text="Stage 2:")).to_contain_text("None ended")

    # A print button only where it works; printed, no header, navigation, links to download or buttons.
    print_button = page.get_by_role("button", name="Print this report")
    if javascript:
        expect(print_button).to_be_visible()
        page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
        print_button.click()
        assert page.evaluate("window.printed") == 1
    else:
        expect(print_button).to_be_hidden()
    page.emulate_media(media="print")
    for hidden in (".govuk-header", ".govuk-service-navigation", ".govuk-breadcrumbs", ".govuk-footer"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("link", name="Download this table (CSV)").first).to_be_hidden()
    expect(print_button).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".app-chart").first).to_be_visible()
    assert page.locator(".app-chart").first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    assert page.locator("thead").first.evaluate("e => getComputedStyle(e).display") == "table-header-group"
    page.emulate_media(media="screen")

    page.get_by_role("link", name=f"Every Compact's {YEAR} figures side by side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Compact reports {YEAR}")
    check(page)
