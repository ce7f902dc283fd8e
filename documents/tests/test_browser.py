import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from commitments.models import Commitment
from compacts.models import Compact

pytestmark = pytest.mark.browser

SLUGS = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]


@pytest.mark.parametrize("slug", SLUGS)
def test_each_compact_page_shows_its_document(slug, live_server, page, check_page):
    call_command("loaddata", "themes", slug, verbosity=0)
    compact = Compact.objects.get(slug=slug)
    commitment = Commitment.objects.filter(compact=compact).order_by("section__order", "order").first()

    page.goto(live_server.url)
    page.get_by_role("link", name=compact.title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(compact.title)
    expect(page.locator(f'[id="commitment-{commitment.ref}"]')).to_contain_text(commitment.text.splitlines()[0])
    check_page(page)


def test_home_page_passes_checks(live_server, page, check_page):
    call_command("loaddata", "themes", "darlington", verbosity=0)
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Local Compacts")
    check_page(page)


def test_glossary_pages_pass_checks_and_terms_link_from_the_compact(live_server, page, check_page):
    call_command("loaddata", "themes", "dacorum", verbosity=0)
    page.goto(f"{live_server.url}/compacts/dacorum/")
    link = page.locator("a.app-term-link").first
    term = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        __import__("re").compile(term, __import__("re").IGNORECASE)
    )
    check_page(page)
    page.get_by_role("link", name="Glossary").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glossary")
    check_page(page)
