"""Was the Compact followed? In a real browser, with the demo accounts: a Derby VCS member records a consultation
that ran ten weeks, the checker shows Derby's 12-week commitment missed with the working, Derbyshire County
Council's Champion disputes the record with a comment, and the record opens as a filled-in complaint; and, with
demo-style accounts made for it, Durham County Council records its own consultation and One Voice Network, which
it consulted, disputes it. With JavaScript on, every page is checked with axe and the Nu HTML Checker; with it off,
the same journey and the HTML checks."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from commitments.models import Record
from compacts.models import Compact, Email, Organisation
from compacts.tests.factories import SignatoryFactory, UserFactory, member
from conftest import assert_valid_html, new_page
from conftest import sign_in as running_sign_in
from demo.management.commands.seed_demo import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, server, username):
    page.goto(f"{server.url}/accounts/login/?next=/complaints/")
    page.get_by_label("Email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints")


def fill_date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_ten_week_consultation_is_recorded_disputed_and_raised(demo, browser, check_page, tmp_path, javascript):
    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    # A Derby VCS member records the consultation, from the Compact's page.
    page = new_page(browser, javascript)
    sign_in(page, demo, "derby.vcs@demo.example")
    page.goto(f"{demo.url}/compacts/derby-derbyshire/")
    page.get_by_role("link", name="the checker for the Derby and Derbyshire Compact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Was the Compact followed?")
    check(page)
    page.get_by_role("link", name="Record a consultation, funding decision or payment").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose what you are recording")
    check(page, status=400)
    page.get_by_label("A consultation").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a consultation")
    check(page)
    page.get_by_label("Who ran the consultation?").select_option(label="Derbyshire County Council")
    page.get_by_label("What was it about?").fill("Changes to day services for older people")
    fill_date(page, "When did it open?", "1", "6", "2026")
    fill_date(page, "When did it close?", "10", "8", "2025")  # a slip: before it opened
    page.get_by_label("3.6 – Conduct 12-weeks formal consultations").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("alert")).to_contain_text("This date must be on or after the first one")
    expect(page.get_by_label("What was it about?")).to_have_value("Changes to day services for older people")
    check(page, status=400)
    fill_date(page, "When did it close?", "10", "8", "2026")
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes to day services for older people")
    expect(page.get_by_role("table")).to_contain_text("10 weeks, against 12 weeks: missed")
    check(page)
    record_url = page.url

    # The checker counts it, missed, and shows the working behind the count.
    page.goto(f"{demo.url}/compacts/derby-derbyshire/checker/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="3.6", exact=True))
    expect(row).to_contain_text("1 (100%)")
    row.get_by_role("link", name="1 records of commitment 3.6").click()
    expect(page.get_by_role("table")).to_contain_text("10 weeks, against 12 weeks: missed")
    expect(page.get_by_role("table")).to_contain_text("Derbyshire County Council")
    check(page)

    # Derbyshire County Council's Champion disputes it.
    champion = new_page(browser, javascript)
    sign_in(champion, demo, "derby.champion@demo.example")
    champion.goto(record_url)
    champion.get_by_label("No, dispute it").check()
    champion.get_by_role("button", name="Send your answer").click()
    expect(champion.get_by_role("alert")).to_contain_text("Say what is wrong with the record")
    check(champion, status=400)
    champion.get_by_label("No, dispute it").check()
    champion.get_by_label("Comment").fill("It opened on 18 May, with a notice to every group on our list.")
    champion.get_by_role("button", name="Send your answer").click()
    expect(champion.locator(".govuk-inset-text").first).to_contain_text(
        "Your organisation, Derbyshire County Council, disputed version 1"
    )
    expect(champion.get_by_text("Your organisation disputed this record")).to_be_visible()
    check(champion)

    # The member raises it as a complaint, filled in from the record.
    page.goto(record_url)
    expect(page.get_by_text("It opened on 18 May")).to_be_visible()
    page.get_by_role("link", name="Raise this as a complaint").click()
    expect(page.get_by_label("Summary")).to_have_value("A consultation: Changes to day services for older people")
    expect(page.get_by_label("Which organisation broke the commitment?").locator("option:checked")).to_have_text(
        "Derbyshire County Council"
    )
    expect(page.get_by_label("What happened?")).to_contain_text("Commitment 3.6: 10 weeks, against 12 weeks: missed")
    expect(page.get_by_label("3.6 – Conduct 12-weeks formal consultations")).to_be_checked()
    check(page)


GRANTS = "".join(
    [
        ",".join(
            [
                "Identifier",
                "Title",
                "Currency",
                "Amount Awarded",
                "Award Date",
                "Recipient Org:Identifier",
                "Recipient Org:Name",
                "Funding Org:Identifier",
                "Funding Org:Name",
                "Planned Dates:Start Date",
                "Planned Dates:End Date",
            ]
        )
        + "\n",
        ",".join(
            [
                "360G-DCC-2026-001",
                "Community transport",
                "GBP",
                "25000",
                "2026-01-15",
                "",
                "Derby City Partnership",
                "",
                "Derbyshire County Council",
                "2026-04-01",
                "2029-03-31",
            ]
        )
        + "\n",
        ",".join(
            [
                "360G-DCC-2026-002",
                "Lunch club",
                "GBP",
                "3000",
                "2026-03-02",
                "",
                "Derby Compact Forum",
                "",
                "Derbyshire CC",
                "2026-04-01",
                "2027-03-31",
            ]
        )
        + "\n",
    ]
)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_an_administrator_imports_360giving_grants_with_a_bad_row(demo, browser, check_page, tmp_path, javascript):
    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:
            assert_valid_html(page.content(), tmp_path / "page.html")

    grants = tmp_path / "grants.csv"
    grants.write_text(GRANTS, encoding="utf-8")
    page = new_page(browser, javascript)
    sign_in(page, demo, "admin@demo.example")
    page.goto(f"{demo.url}/compacts/derby-derbyshire/checker/")
    page.get_by_role("link", name="Import records from a CSV file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import records")
    check(page)
    page.get_by_label("Grants or funding decisions").check()
    page.get_by_label("The CSV file").set_input_files(str(grants))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported: 1 problem in the file")
    expect(page.get_by_role("alert")).to_contain_text(
        "Line 3, funder: “Derbyshire CC” is not an organisation that signed this Compact"
    )
    check(page, status=400)
    text = page.get_by_label("Or the file's text")
    expect(text).to_contain_text("360G-DCC-2026-002,Lunch club")
    text.fill(GRANTS.replace("Derbyshire CC", "Derbyshire County Council"))
    expect(page.get_by_label("Grants or funding decisions")).to_be_checked()
    page.get_by_role("button", name="Check and import").click()
    # Handed over to be imported (here, with no task queue, at once once the request commits): its own page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported 2 records")
    check(page)
    page.get_by_role("link", name="See them in the checker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Was the Compact followed?")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="9.2", exact=True))
    expect(row).to_contain_text("2")
    check(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_darlington_report_shows_the_demo_complaints_and_prints(demo, browser, check_page, tmp_path, javascript):
    page = new_page(browser, javascript)
    page.goto(f"{demo.url}/compacts/darlington/")
    page.get_by_role("link", name="the annual Compact report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Compact report 20\d\d"))
    received = page.get_by_role("row", name=re.compile("^Received"))
    expect(received).not_to_have_text(re.compile(r"Received\s+0$"))
    expect(page.get_by_role("img", name="Complaints received in the year and open now, by stage")).to_be_visible()
    expect(page.get_by_role("table").nth(1)).to_contain_text("Stage 1")
    if javascript:
        check_page(page)
    else:
        assert_valid_html(page.content(), tmp_path / "page.html")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table (CSV)").first.click()
    assert download.value.suggested_filename.startswith("darlington-") and download.value.suggested_filename.endswith(
        "-complaints.csv"
    )
    page.emulate_media(media="print")
    expect(page.locator(".govuk-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Download this table (CSV)").first).to_be_hidden()
    expect(page.get_by_role("img", name="Complaints received in the year and open now, by stage")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1


@pytest.fixture
def durham(live_server):
    """County Durham's Compact as its fixture loads it, signed in the portal by Durham County Council (a council)
    and One Voice Network (a VCS infrastructure body), each with the demo-style person who signed it up (so its
    contact in the portal) and no Champions."""
    call_command("loaddata", "themes", "county-durham", verbosity=0)
    compact = Compact.objects.get(slug="county-durham")
    people = {}
    for username, first, last, name in [
        ("durham.officer@demo.example", "Dana", "Reid", "Durham County Council"),
        ("onevoice@demo.example", "Omar", "Brooks", "One Voice Network"),
    ]:
        organisation = Organisation.objects.get(name=name)
        SignatoryFactory(compact=compact, organisation=organisation, section=None, role="signed")
        people[username] = UserFactory(username=username, first_name=first, last_name=last)
        member(people[username], organisation, contact=True)
    return live_server, people


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_council_records_its_own_consultation_and_the_vcs_body_it_consulted_disputes_it(
    durham, browser, check_page, tmp_path, javascript
):
    """Issue 23: Durham County Council's officer records its own 10-week consultation naming One Voice Network, which
    is asked (by email, and on the record's page), disputes it, sees it on the checker and raises it as a
    complaint; nobody at the council is offered a complaint against the council."""
    server, _ = durham

    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    # The council's officer records the consultation, from the Compact's page.
    page = new_page(browser, javascript)
    running_sign_in(page, server, "durham.officer@demo.example")
    page.goto(f"{server.url}/compacts/county-durham/")
    page.get_by_role("link", name="the checker for the County Durham Compact").click()
    page.get_by_role("link", name="Record a consultation, funding decision or payment").click()
    page.get_by_label("A consultation").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a consultation")
    consulted = page.get_by_role("group", name="Which organisations were consulted?")
    expect(consulted.get_by_label("One Voice Network")).to_be_checked()  # the Compact's VCS infrastructure body
    expect(consulted.get_by_label("Durham County Council")).not_to_be_checked()
    check(page)
    page.get_by_label("Who ran the consultation?").select_option(label="Durham County Council")
    page.get_by_label("What was it about?").fill("Changes to library opening hours")
    fill_date(page, "When did it open?", "1", "6", "2026")
    fill_date(page, "When did it close?", "10", "8", "2026")
    page.get_by_label("2.4 – Give early notice of forthcoming consultations").check()
    consulted.get_by_label("One Voice Network").uncheck()
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one organisation that was consulted")
    check(page, status=400)
    page.get_by_role("group", name="Which organisations were consulted?").get_by_label("One Voice Network").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes to library opening hours")
    expect(page.get_by_text("Recorded. One Voice Network has been asked to confirm or dispute it.")).to_be_visible()
    expect(page.locator("#asked")).to_contain_text(
        "One Voice Network: it has no Compact Champion; its contact in the portal can answer"
    )
    expect(page.get_by_role("table")).to_contain_text("10 weeks, against 12 weeks: missed")
    expect(page.get_by_role("link", name="Raise this as a complaint")).to_have_count(0)  # against its own council
    check(page)
    record_url = page.url
    record = Record.objects.get(title="Changes to library opening hours")
    asked = Email.objects.filter(about=f"record:{record.pk}")
    assert list(asked.values_list("to", flat=True)) == ["onevoice@demo.example"]

    # One Voice Network's member sees it, and disputes it.
    member_page = new_page(browser, javascript)
    running_sign_in(member_page, server, "onevoice@demo.example")
    member_page.goto(record_url)
    expect(member_page.get_by_text("You are answering for One Voice Network.")).to_be_visible()
    member_page.get_by_label("No, dispute it").check()
    member_page.get_by_role("button", name="Send your answer").click()
    expect(member_page.get_by_role("alert")).to_contain_text("Say what is wrong with the record")
    check(member_page, status=400)
    member_page.get_by_label("No, dispute it").check()
    member_page.get_by_label("Comment").fill("It ran for eight weeks: the survey closed on 27 July.")
    member_page.get_by_role("button", name="Send your answer").click()
    expect(member_page.locator(".govuk-inset-text").first).to_contain_text(
        "Your organisation, One Voice Network, disputed version 1"
    )
    expect(member_page.get_by_text("Your organisation disputed this record")).to_be_visible()
    check(member_page)

    # The checker shows it to them, missed and disputed, before it is public.
    member_page.goto(f"{server.url}/compacts/county-durham/checker/")
    row = member_page.get_by_role("row").filter(has=member_page.get_by_role("link", name="2.4", exact=True))
    expect(row).to_contain_text("1 (100%)")
    check(member_page)
    row.get_by_role("link", name="1 records of commitment 2.4").click()
    table = member_page.get_by_role("table")
    expect(table).to_contain_text("Changes to library opening hours")
    expect(table).to_contain_text("disputed by the other side, not public yet")
    expect(table).to_contain_text("10 weeks, against 12 weeks: missed")
    check(member_page)

    # They raise it as a complaint against the council: their comment and a link to the record are in it.
    member_page.get_by_role("link", name="Changes to library opening hours").click()
    member_page.get_by_role("link", name="Raise this as a complaint").click()
    expect(member_page.get_by_label("Which organisation broke the commitment?").locator("option:checked")).to_have_text(
        "Durham County Council"
    )
    expect(member_page.get_by_label("What happened?")).to_contain_text("the survey closed on 27 July")
    link = member_page.get_by_role("link", name=f"record {record.pk}: Changes to library opening hours")
    expect(link).to_have_attribute("href", f"/compacts/county-durham/records/{record.pk}/")
    check(member_page)

    # The council's officer sees the dispute on the checker too, and still is not offered a complaint.
    page.goto(f"{server.url}/compacts/county-durham/checker/2.4/")
    expect(page.get_by_role("table")).to_contain_text("disputed by the other side, not public yet")
    page.goto(record_url)
    expect(page.get_by_text("It ran for eight weeks")).to_be_visible()
    expect(page.get_by_role("link", name="Raise this as a complaint")).to_have_count(0)
