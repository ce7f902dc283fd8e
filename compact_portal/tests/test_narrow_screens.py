"""Every page shape fits a phone's screen: with the five Compacts and the demo data, one page of each shape, as the
visitor, VCS member, Champion or administrator who would see it, at 375 by 740 CSS pixels, scrolls no wider than
the screen (WCAG 1.4.10: a table may scroll, but only inside its own region). A page that overflows is reported
with the elements that stick out, by selector. The main pages are checked at 320 px as well, the width the
accessibility statement promises."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commitments.models import Record
from compacts.models import Compact
from demo.management.commands.seed_demo import PASSWORD
from documents import services
from documents.tests.test_versions import change_and_publish

pytestmark = pytest.mark.browser
COMPACTS = ["county-durham", "dacorum", "darlington", "derby-derbyshire", "dorset"]
YEAR = datetime.date.today().year

# What sticks out past the right edge of the screen, not inside a region that scrolls or clips it, named by a
# selector of tags, ids and classes: the outermost elements whose boxes stick out (their parents fit), or else the
# innermost whose content does (a long word or address in a box that fits).
OVERFLOWING = """
width => {
  const name = element => {
    const parts = [];
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(part + "#" + e.id); break; }
      if (e.classList.length) part += "." + [...e.classList].join(".");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const clipped = element => {
    for (let e = element.parentElement; e && e !== document.documentElement; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== "visible" && e.getBoundingClientRect().right <= width + 0.5) return true;
    }
    return false;
  };
  const all = [...document.body.querySelectorAll("*")].filter(e => e.getBoundingClientRect().width > 0 && !clipped(e));
  const boxes = all.filter(e => e.getBoundingClientRect().right > width + 0.5);
  const contents = all.filter(e => getComputedStyle(e).overflowX === "visible"
    && e.getBoundingClientRect().left + e.scrollWidth > width + 0.5);
  const found = boxes.length ? boxes.filter(e => !boxes.includes(e.parentElement))
    : contents.filter(e => !contents.some(other => other !== e && e.contains(other)));
  return found.slice(0, 8).map(e => {
    const box = e.getBoundingClientRect();
    return `${name(e)} (${Math.round(box.left)} to ${Math.round(Math.max(box.right, box.left + e.scrollWidth))} px)`;
  });
}
"""


def sign_in(page, server, username):
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Sign out").or_(page.get_by_role("button", name="Sign out"))).to_be_visible()


def overflows(page, url, width, status=200):
    """What sticks out of the screen on the page at `url`, in words (nothing where the page fits)."""
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= width:
        return []
    return [f"{url} is {scroll_width} px wide: " + "; ".join(page.evaluate(OVERFLOWING, width))]


def first_link(page, url, pattern):
    """The address of the first link in the main part of the page at `url` whose address matches `pattern`."""
    page.goto(url)
    addresses = page.eval_on_selector_all("main a[href]", "links => links.map(link => link.getAttribute('href'))")
    return next(address for address in addresses if re.fullmatch(pattern, address))


def pages_of(server, role, page):
    """The addresses of every page shape the person in `role` sees (signed in already)."""
    base = server.url
    if role == "visitor":
        return [
            "/",
            *[f"/compacts/{slug}/" for slug in COMPACTS],
            "/glossary/",
            first_link(page, f"{base}/glossary/", r"/glossary/[\w-]+/[\w-]+/"),
            "/compacts/darlington/commitments/public-1/",
            "/compacts/dorset/commitments/consultation-5/",
            "/compare/",
            "/compare/?compacts=dorset&compacts=darlington&compacts=derby-derbyshire&theme=consultation",
            "/commitments/?q=consultation",
            "/compacts/derby-derbyshire/checker/",
            "/compacts/county-durham/checker/2.4/",
            f"/compacts/darlington/report/{YEAR}/",
            f"/reports/{YEAR}/",
            "/compacts/dorset/versions/",
            "/compacts/dorset/versions/1/",
            "/compacts/dorset/versions/2/",
            "/compacts/dorset/versions/1/to/2/",
            "/compacts/dorset/work-plan/",
            "/accessibility/",
            "/accounts/register/",
            "/accounts/login/",
            "/accounts/password_reset/",
            "/compacts/dorset/sign-up/",
            ("/no-such-page/", 404),
        ]
    if role == "durham":  # the council officer whose record of a consultation One Voice Network is asked to confirm
        record = Record.objects.get(title="Library service opening hours")
        return [f"/compacts/{record.compact.slug}/records/{record.pk}/", "/compacts/county-durham/checker/"]
    complaints = ["/complaints/", first_link(page, f"{base}/complaints/", r"/complaints/\d+/")]
    if role == "vcs":
        return [
            *complaints,
            "/complaints/new/",
            "/complaints/new/?compact=darlington",
            "/account/",
            "/compacts/darlington/records/new/",
            "/compacts/darlington/records/new/funding/",  # Darlington prints no consultation period
        ]
    if role == "champion":
        return [*complaints, "/complaints/?status=open&compact=darlington&overdue=1", "/account/"]
    return [  # the site administrator, with a review of Dorset's Compact open after version 2
        *complaints,
        "/manage/",
        "/manage/dorset/",
        "/manage/dorset/changes/",
        "/manage/dorset/review/",
        "/manage/dorset/review/preview/",
        "/manage/dorset/review/commitment/consultation-5/",
        "/manage/dorset/review/figure/consultation_standard:main/",
        "/manage/dorset/work-plan/",
        "/manage/dorset/work-plan/new/",
        "/manage/new-compact/",
        "/account/",
    ]


USERS = {
    "visitor": None,
    "vcs": "vcs@demo.example",
    "champion": "council.champion@demo.example",
    "durham": "durham.officer@demo.example",
    "administrator": "admin@demo.example",
}


@pytest.mark.parametrize("role", list(USERS))
def test_every_page_fits_a_375_px_screen(demo, browser, role):
    administrator = get_user_model().objects.get(username="dorset.admin@demo.example")
    dorset = Compact.objects.get(slug="dorset")
    change_and_publish(dorset, administrator)
    services.review_open(compact=dorset, by=administrator)
    page = browser.new_context(viewport={"width": 375, "height": 740}).new_page()
    if USERS[role]:
        sign_in(page, demo, USERS[role])
    problems = []
    for address in pages_of(demo, role, page):
        address, status = address if isinstance(address, tuple) else (address, 200)
        problems += overflows(page, f"{demo.url}{address}", 375, status)
    assert problems == [], "Pages wider than a 375 px screen:\n" + "\n".join(problems)


def test_the_main_pages_fit_a_320_px_screen(demo, browser):
    page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    problems = []
    for address in [
        "/",
        "/compacts/darlington/",
        "/commitments/?q=consultation",
        "/compacts/derby-derbyshire/checker/",
        f"/compacts/darlington/report/{YEAR}/",
        f"/reports/{YEAR}/",
        "/accounts/login/",
    ]:
        problems += overflows(page, f"{demo.url}{address}", 320)
    sign_in(page, demo, "vcs@demo.example")
    for address in ["/complaints/", "/complaints/new/?compact=darlington"]:
        problems += overflows(page, f"{demo.url}{address}", 320)
    assert problems == [], "Pages wider than a 320 px screen:\n" + "\n".join(problems)
