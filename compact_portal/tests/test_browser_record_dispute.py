"""A record's page after it is disputed, in a real browser (issue 25, item 10): the organisation that disputed it
sees its own answer as its own, the council sees who disputed it, both are told what really happens to a disputed
record, and the complaint raised from it links back to it. With JavaScript on and off."""

import datetime

import pytest
from playwright.sync_api import expect

from commitments import services
from commitments.models import Commitment, Record
from compact_portal.tests.test_browser_records import durham  # noqa: F401 the fixture
from compacts.models import Compact, Organisation
from conftest import assert_valid_html, new_page
from conftest import sign_in as running_sign_in
from disputes.models import Complaint

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_disputed_record_says_who_disputed_it_and_what_happens_next(
    durham,  # noqa: F811 the fixture
    browser,
    check_page,
    tmp_path,
    javascript,
):
    server, people = durham

    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    council = Organisation.objects.get(name="Durham County Council")
    record = services.record_create(
        compact=Compact.objects.get(slug="county-durham"),
        by=people["durham.officer@demo.example"],
        recorded_for=council,
        kind="consultation",
        commitments=[Commitment.objects.get(compact__slug="county-durham", ref="2.4")],
        facts={
            "about": council,
            "others": [Organisation.objects.get(name="One Voice Network")],
            "title": "Changes to library opening hours",
            "starts_on": datetime.date(2026, 6, 1),
            "ends_on": datetime.date(2026, 8, 10),
        },
    )
    public_from = Record.objects.get(pk=record.pk).public_from
    date = f"{public_from.day} {public_from:%B %Y}"

    # One Voice Network's contact disputes it: the page says the answer is theirs, and what happens now.
    voice = new_page(browser, javascript)
    running_sign_in(voice, server, "onevoice@demo.example")
    voice.goto(f"{server.url}{record.get_absolute_url()}")
    expect(voice.locator("#record-status")).to_have_text("Not confirmed yet")
    expect(voice.locator("#record-visibility")).to_contain_text(
        f"until {date}. Then it becomes public, or sooner if One Voice Network confirms it."
    )
    voice.get_by_label("No, dispute it").check()
    voice.get_by_label("Comment").fill("It ran for eight weeks: the survey closed on 27 July.")
    voice.get_by_role("button", name="Send your answer").click()
    expect(voice.locator("#record-status")).to_have_text("Your organisation disputed this record")
    expect(voice.locator("#record-visibility")).to_have_text(
        "Only the organisations involved and the Compact's administrators can see this record until "
        f"{date}. Then it becomes public even though it is disputed, with your organisation's answer shown with it. "
        "It becomes public sooner only if your organisation changes its answer to confirm it. If the record is "
        "corrected, your organisation is asked again."
    )
    expect(voice.locator(".govuk-inset-text").first).to_contain_text(
        "Your organisation, One Voice Network, disputed version 1"
    )
    expect(voice.get_by_text("Disputed by the other side")).to_have_count(0)
    check(voice)

    # The council's officer sees who disputed it.
    officer = new_page(browser, javascript)
    running_sign_in(officer, server, "durham.officer@demo.example")
    officer.goto(f"{server.url}{record.get_absolute_url()}")
    expect(officer.locator("#record-status")).to_have_text("Disputed by One Voice Network")
    expect(officer.locator("#record-visibility")).to_contain_text(
        "with One Voice Network's answer shown with it. It becomes public sooner only if One Voice Network changes "
        "its answer to confirm it."
    )
    expect(officer.locator(".govuk-inset-text").first).to_contain_text("One Voice Network disputed version 1")
    check(officer)
    officer.context.close()

    # One Voice Network raises it as a complaint: on the complaint's page the record's address is a link to it.
    voice.get_by_role("link", name="Raise this as a complaint").click()
    voice.get_by_label("What outcome do you want?").fill("Consult for 12 weeks next time.")
    voice.get_by_role("button", name="Submit the complaint").click()
    complaint = Complaint.objects.get(summary__contains="Changes to library opening hours")
    voice.goto(f"{server.url}{complaint.get_absolute_url()}")
    link = voice.get_by_role("link", name=f"{record.get_absolute_url()}", exact=False).filter(has_text="/records/")
    expect(link).to_have_attribute("href", record.get_absolute_url())
    check(voice)
    link.click()
    expect(voice.get_by_role("heading", level=1)).to_have_text("Changes to library opening hours")
    voice.context.close()
