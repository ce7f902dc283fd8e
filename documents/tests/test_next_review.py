"""One next review date for each Compact, from one rule (compacts.selectors.next_review), the same on its home card,
its page, its manage page and its versions page: the date its document prints, at the precision printed; else its
review cycle counted from the document's own date; else the portal's default cycle, said to be the portal's; and a
version published from a review resets it by the same rule, from that version's date."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from compacts.models import Compact, CompactEvent
from compacts.selectors import PORTAL_REVIEW_MONTHS, _add_months, next_review, with_review_dates
from compacts.tests.document_check import page_text
from compacts.tests.factories import CompactEventFactory, CompactFactory, UserFactory, compact_role
from conftest import kept_for_the_module
from documents import services

pytestmark = pytest.mark.django_db
FIVE = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]

# What each document gives, as the pages say it.
EXPECTED = {
    # "The next review is scheduled for 2013.": a year, printed as a year.
    "dorset": "Due 2013 Overdue As its document prints it: “The next review is scheduled for 2013.”",
    # Reviewed annually, but this revision of the 2002 Compact prints no date of its own.
    "dacorum": "No date Its document prints no review date and is not dated, so its review cycle, every 12 months "
    "(the document's own), has no date to count from.",
    # Its annual review, counted from the new Compact of 2009 (a year).
    "darlington": "Due 2010 Overdue Every 12 months (its document's review cycle), counted from the document's own "
    "date, 2009.",
    # No cycle printed: the portal's, from the draft of 8 December 2016 (not the 2003 Compact it refreshes).
    "derby-derbyshire": "Due 8 December 2019 Overdue Every 36 months (the portal's default: its document sets no "
    "review cycle), counted from the document's own date, 8 December 2016.",
    "county-durham": "No date Its document prints no review date and is not dated, so its review cycle, every 36 "
    "months (the portal's default: its document sets none), has no date to count from.",
}


def load_five():
    call_command("loaddata", "themes", *FIVE, verbosity=0)
    administrator = UserFactory(username="ada@example.org")
    for compact in Compact.objects.all():
        compact_role(administrator, compact, "administrator")


@pytest.fixture(scope="module")
def _five(django_db_setup, django_db_blocker):
    yield from kept_for_the_module(django_db_blocker, load_five)


@pytest.fixture
def five(_five, db):
    """The five Compacts, made once for the module, and their administrator."""
    return get_user_model().objects.get(username="ada@example.org")


NEXT_REVIEW = re.compile(r'<p class="[^"]*\bapp-next-review(?:__basis)?\b[^"]*">.*?</p>', re.S)


def shown(html):
    """The next review as a page shows it: the text of the next-review partial."""
    return page_text("".join(NEXT_REVIEW.findall(html)))


def home_card(client, slug):
    html = client.get("/").content.decode()
    card = next(card for card in html.split('<li class="app-card">')[1:] if f'href="/compacts/{slug}/"' in card)
    return card.split("</li>")[0]


def on_every_page(client, slug):
    """The next review as the home card, the Compact page, the manage page and the versions page show it."""
    return {
        "home": shown(home_card(client, slug)),
        "compact": shown(client.get(f"/compacts/{slug}/").content.decode()),
        "manage": shown(client.get(f"/manage/{slug}/").content.decode()),
        "versions": shown(client.get(f"/compacts/{slug}/versions/").content.decode()),
        "review": shown(client.get(f"/manage/{slug}/review/").content.decode()),
    }


@pytest.mark.parametrize("slug", FIVE)
def test_every_page_shows_the_one_next_review_date(client, five, slug):
    client.force_login(five)
    pages = on_every_page(client, slug)
    assert pages == dict.fromkeys(pages, EXPECTED[slug])


def test_a_published_version_resets_it_by_its_cycle_from_the_version_date(client, five):
    client.force_login(five)
    compact = Compact.objects.get(slug="dorset")
    published_on = timezone.localdate() - datetime.timedelta(days=30)
    review = services.review_open(compact=compact, by=five)
    services.review_change(review=review, by=five, kind="section", ref="introduction", value="A new introduction.")
    services.review_publish(review=review, by=five, published_on=published_on, note="")
    due = _add_months(published_on, 36)
    expected = (
        f"Due {due:%-d %B %Y} Every 36 months (its document's review cycle), counted from version 2, published "
        f"{published_on:%-d %B %Y}."
    )
    pages = on_every_page(client, "dorset")
    assert pages == dict.fromkeys(pages, expected)
    assert "Overdue" not in home_card(client, "dorset") and "Review overdue" not in home_card(client, "dorset")


def test_a_published_version_of_a_compact_without_a_cycle_counts_the_portals_default(client, five):
    client.force_login(five)
    compact = Compact.objects.get(slug="county-durham")
    review = services.review_open(compact=compact, by=five)
    services.review_change(review=review, by=five, kind="section", ref="introduction", value="A new introduction.")
    services.review_publish(review=review, by=five, published_on=datetime.date(2020, 2, 29), note="")
    expected = (
        f"Due 28 February {2020 + PORTAL_REVIEW_MONTHS // 12} Overdue Every 36 months (the portal's default: its "
        "document sets no review cycle), counted from version 2, published 29 February 2020."
    )
    pages = on_every_page(client, "county-durham")
    assert pages == dict.fromkeys(pages, expected)


def test_version_1_is_dated_by_the_document_itself(client, five):
    page = page_text(client.get("/compacts/derby-derbyshire/versions/").content)
    assert "Version 1 8 December 2016 (the document's own date)" in page
    assert "Version 1 Not dated" in page_text(client.get("/compacts/dacorum/versions/").content)


def review_of(compact, today=datetime.date(2026, 6, 1)):
    return next_review(with_review_dates(Compact.objects.filter(pk=compact.pk)).get(), today)


def test_the_printed_date_keeps_its_precision_and_is_overdue_only_once_its_period_is_over():
    compact = CompactFactory(review_cycle_months=12)
    CompactEventFactory(compact=compact, kind="review_due", date=datetime.date(2026, 1, 1), precision="year")
    review = review_of(compact)
    assert (review.due.date, review.due.precision, review.overdue) == (datetime.date(2026, 1, 1), "year", False)
    assert review_of(compact, today=datetime.date(2027, 1, 1)).overdue


def test_the_cycle_counts_from_the_event_that_dates_the_document_not_from_an_earlier_compact():
    compact = CompactFactory(review_cycle_months=None)
    CompactEventFactory(compact=compact, kind="adopted", date=datetime.date(2003, 2, 1), precision="month")
    CompactEventFactory(
        compact=compact, kind="drafted", date=datetime.date(2016, 12, 8), precision="day", dates_document=True
    )
    review = review_of(compact)
    assert (review.due.date, review.due.precision) == (datetime.date(2019, 12, 8), "day")
    assert (review.months, review.cycle_from_document, review.start.date) == (36, False, datetime.date(2016, 12, 8))
    CompactEvent.objects.filter(compact=compact).update(dates_document=False)
    assert review_of(compact).due is None  # undated: nothing to count from, and nothing invented
