"""Running a Compact in a real browser, by labels and button text: a new organisation signs up to Dorset, the
Dorset administrator confirms it and names its Champion, and a complaint then names it. With JavaScript on,
every page is checked with axe and the Nu HTML Checker; with it off, the same journey, and the HTML checks."""

import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from compacts.models import Email
from compacts.tests.factories import UserFactory
from conftest import PASSWORD, assert_valid_html, new_page, sign_in

pytestmark = pytest.mark.browser

# Dorset's commitment with no printed number that the review changes, as the portal names it.
FIFTH = "the fifth commitment under “Consultation and engagement”"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_an_organisation_signs_up_is_confirmed_gets_a_champion_and_is_complained_about(
    dorset, browser, check_page, tmp_path, javascript
):
    server, people = dorset

    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    # A new person registers for a new organisation.
    page = new_page(browser, javascript)
    page.goto(f"{server.url}/accounts/register/")
    check(page)
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").fill("nia@befrienders.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("If it is not listed, its name").fill("Bridport Befrienders")
    page.get_by_label("Your role in it").fill("Coordinator")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("We have sent an email to nia@befrienders.example")).to_be_visible()
    check(page)

    # They sign in with the password they chose; their address is not confirmed yet.
    sign_in(page, server, "nia@befrienders.example")
    page.goto(f"{server.url}/account/")
    expect(page.locator("#confirm-email")).to_contain_text("Not confirmed")
    check(page)

    # Signing up waits for the address to be confirmed, by the emailed link.
    page.goto(f"{server.url}/compacts/dorset/sign-up/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address first")
    check(page, status=403)
    body = Email.objects.filter(to="nia@befrienders.example").latest("created_at").body
    (link,) = re.findall(r"http://\S+/account/confirm-email/\S+/", body)
    page.goto(server.url + urlsplit(link).path)
    expect(page.get_by_role("alert")).to_contain_text("is confirmed")

    # The organisation signs up to Dorset from the Compact's page: a wrong number first, then the right one.
    page.goto(f"{server.url}/compacts/dorset/")
    page.get_by_role("link", name="Sign your organisation up to this Compact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up to this Compact")
    expect(page.locator("#pledge")).to_contain_text("On behalf of your organisation, I pledge")
    check(page)
    page.get_by_label("Voluntary and community sector").check()
    page.get_by_label("What kind of organisation is it?").select_option(label="Voluntary or community organisation")
    page.get_by_label("Registered charity number").check()
    page.get_by_label("The number or code").fill("12")
    page.get_by_label("Full name of the person signing").fill("Nia Okafor")
    page.get_by_label("Their role in the organisation").fill("Coordinator")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a charity number as the register gives it")
    expect(page.get_by_label("Full name of the person signing")).to_have_value("Nia Okafor")
    check(page, status=400)
    page.get_by_label("The number or code").fill("1123456")
    page.get_by_label("I have the authority to sign for this organisation").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("Bridport Befrienders has asked to sign the Dorset Compact")
    expect(page.get_by_text("Waiting for an administrator").first).to_be_visible()
    check(page)
    page.context.close()

    # The Dorset administrator confirms it and names its Champion.
    admin = new_page(browser, javascript)
    sign_in(admin, server, people["admin"].username)
    admin.get_by_role("link", name="Manage").click()
    admin.get_by_role("link", name="The Dorset Compact").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("The Dorset Compact")
    check(admin)
    admin.get_by_role("link", name="Decide Bridport Befrienders's sign-up").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Bridport Befrienders asks to sign up")
    check(admin)

    # Nia's own request to join it is decided first, on its own page.
    expect(admin.locator(".govuk-warning-text")).to_contain_text(
        "Nia Okafor is not a confirmed member of Bridport Befrienders: their request to join is waiting"
    )
    admin.get_by_role("link", name="Decide Nia Okafor's request to join Bridport Befrienders").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Nia Okafor")
    check(admin)
    admin.get_by_label("Confirm: they are a member").check()
    admin.get_by_role("button", name="Save decision").click()
    expect(admin.get_by_role("alert")).to_contain_text("Nia Okafor is confirmed.")
    admin.get_by_role("link", name="Decide Bridport Befrienders's sign-up").click()
    expect(admin.locator(".govuk-warning-text")).to_have_count(0)
    admin.get_by_role("button", name="Save decision").click()  # nothing chosen: an error by the field
    expect(admin.get_by_role("alert")).to_contain_text("There is a problem")
    check(admin, status=400)
    admin.get_by_label("Confirm: it signs the Compact").check()
    admin.get_by_role("button", name="Save decision").click()
    expect(admin.get_by_role("alert")).to_contain_text("Bridport Befrienders signs the Compact.")
    admin.get_by_role("link", name="Name a Champion for Bridport Befrienders").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Bridport Befrienders's Compact Champion")
    check(admin)
    admin.get_by_label("Champion").select_option(label="Nia Okafor (nia@befrienders.example)")
    admin.get_by_label("They agree to their name and email address being shown").check()
    admin.get_by_role("button", name="Name Champion").click()
    expect(admin.get_by_role("alert")).to_contain_text("Nia Okafor is Bridport Befrienders's Champion.")
    expect(admin.get_by_text("Champion appointed: Bridport Befrienders")).to_be_visible()
    check(admin)

    # The Compact's page lists it apart from the document's signatories, with its Champion.
    admin.goto(f"{server.url}/compacts/dorset/")
    today = datetime.date.today()
    portal = admin.locator("#app-portal-signatories + p + ul")
    expect(portal).to_contain_text(
        f"Bridport Befrienders (voluntary and community sector; signed up in the portal on {today:%-d %B %Y})"
    )
    expect(admin.locator("#portal-champions")).to_contain_text(
        "Bridport Befrienders: Nia Okafor, nia@befrienders.example"
    )
    admin.context.close()

    # A VCS member raises a complaint naming it.
    vcs = new_page(browser, javascript)
    sign_in(vcs, server, people["vcs"].username)
    vcs.goto(f"{server.url}/complaints/new/?compact=dorset")
    expect(vcs.get_by_role("heading", level=1)).to_have_text("Raise a complaint")
    vcs.get_by_label("Which organisation broke the commitment?").select_option(label="Bridport Befrienders")
    vcs.get_by_label("Summary").fill("Volunteers turned away")
    vcs.get_by_role("group", name="Which commitments were broken?").locator("input").first.check()
    vcs.get_by_label("What happened?").fill("Our volunteers were turned away from the shared hall without notice.")
    vcs.get_by_label("What outcome do you want?").fill("Talk to us before changing the arrangement.")
    vcs.get_by_role("button", name="Submit the complaint").click()
    expect(vcs.get_by_role("heading", level=1)).to_have_text("Complaint submitted")
    check(vcs)
    vcs.get_by_role("link", name=f"Go to complaint DOR-{today.year}-0001").click()
    expect(vcs.get_by_role("heading", level=1)).to_have_text(f"Complaint DOR-{today.year}-0001")
    expect(vcs.get_by_text("Bridport Befrienders").first).to_be_visible()
    check(vcs)
    vcs.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_review_changes_a_commitment_and_a_figure_and_publishes_version_2(
    dorset, browser, check_page, tmp_path, javascript
):
    server, people = dorset

    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:
            assert_valid_html(page.content(), tmp_path / "page.html")

    admin = new_page(browser, javascript)
    sign_in(admin, server, people["admin"].username)
    admin.goto(f"{server.url}/manage/dorset/")
    admin.get_by_role("link", name="Review the text").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Review the text")
    check(admin)
    admin.get_by_role("button", name="Open a review").click()
    expect(admin.get_by_role("alert")).to_contain_text("Review opened")
    check(admin)

    # One commitment's wording, then its figure (a wrong value first).
    admin.get_by_text("Consultation and engagement", exact=True).click()  # its section, opened
    admin.get_by_role("link", name=FIFTH[:1].upper() + FIFTH[1:]).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Change {FIFTH}")
    check(admin)
    wording = admin.get_by_label("New wording")
    wording.fill(wording.input_value().replace("12 weeks", "10 weeks"))
    admin.get_by_role("button", name="Save the draft").click()
    expect(admin.get_by_role("alert")).to_contain_text(f"Drafted: {FIFTH}")
    admin.get_by_text("Figures the Compact commits to", exact=True).click()
    admin.get_by_role("link", name=f"Standard consultation period ({FIFTH})", exact=True).click()
    admin.get_by_label("New figure").fill("0")
    admin.get_by_role("button", name="Save the draft").click()
    expect(admin.get_by_role("alert")).to_contain_text("There is a problem")
    check(admin, status=400)
    # A new figure read from the old words is refused beside them; with the new words it is drafted.
    admin.get_by_label("New figure").fill("10")
    admin.get_by_role("button", name="Save the draft").click()
    expect(admin.get_by_role("alert")).to_contain_text("its quote still reads")
    check(admin, status=400)
    admin.get_by_label("The words it is read from").fill("particularly 10 weeks for a standard written consultation")
    admin.get_by_role("button", name="Save the draft").click()
    expect(admin.get_by_role("alert")).to_contain_text("Drafted: standard consultation period")

    # The preview reads as the new version will, every drafted change marked; then it is published.
    admin.get_by_role("link", name="Preview the Compact as it will read").click()
    expect(admin.locator("#preview-title")).to_have_text("Preview")
    expect(admin.get_by_role("heading", name="2 changes drafted in this review")).to_be_visible()
    expect(admin.locator("#commitment-consultation-5")).to_contain_text("Changed in this review")
    expect(admin.locator("#commitment-consultation-5 ins").first).to_have_text("[put in: 10]")
    expect(admin.locator("#commitment-consultation-5")).to_contain_text(
        "particularly 10 weeks for a standard written consultation"
    )
    check(admin)
    admin.get_by_role("button", name="Check your changes and publish").click()
    date = admin.get_by_role("group", name="Date version 2 takes effect")
    date.get_by_label("Day").fill("1")
    date.get_by_label("Month").fill("4")
    date.get_by_label("Year").fill("2027")
    admin.get_by_label("What this version changes, for readers (optional)").fill("Consultations of ten weeks.")
    admin.get_by_role("button", name="Publish version 2").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Version 2 is published")
    check(admin)
    admin.get_by_role("link", name="Read version 2").click()
    expect(admin.get_by_text("Version 2, 1 April 2027")).to_be_visible()
    check(admin)

    # What changed shows exactly that change; version 1 still reads as printed.
    admin.get_by_role("link", name="Every version of the Dorset Compact").click()
    admin.get_by_role("link", name="What changed from version 1").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("What changed from version 1 to version 2")
    rows = admin.locator(".govuk-summary-list__row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(f"{FIFTH[0].upper()}{FIFTH[1:]} (changed)")
    expect(rows.nth(0).locator("del")).to_have_text("[taken out: 12]")
    expect(rows.nth(0).locator("ins")).to_have_text("[put in: 10]")
    expect(rows.nth(1)).to_contain_text(f"Standard consultation period ({FIFTH}) (changed)")
    check(admin)
    admin.goto(f"{server.url}/compacts/dorset/versions/1/")
    expect(admin.locator("#commitment-consultation-5")).to_contain_text(
        "particularly 12 weeks for a standard written consultation"
    )
    check(admin)
    admin.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_sixth_compact_is_imported_from_a_file_and_is_like_the_others(
    dorset, browser, check_page, tmp_path, javascript
):
    server, _ = dorset
    UserFactory(username="root@portal.example", is_superuser=True, is_staff=True)
    example = Path(__file__).resolve().parents[2] / "fixtures" / "example-compact.md"

    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:
            assert_valid_html(page.content(), tmp_path / "page.html")

    page = new_page(browser, javascript)
    sign_in(page, server, "root@portal.example")
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("link", name="Add a new Compact from its text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a new Compact")
    check(page)
    # A stray line first: it is listed, and kept in the box to correct.
    text = example.read_text()
    stray = text[: text.index("## Introduction")].count("\n") + 1  # the stray line's number
    page.get_by_label("Or the text itself").fill(text.replace("## Introduction", "A stray line\n\n## Introduction", 1))
    page.get_by_role("button", name="Check the text").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Line {stray} could not be placed: before the first heading")
    check(page, status=400)
    page.get_by_label("A file in the portal's format (optional)").set_input_files(str(example))
    page.get_by_role("button", name="Check the text").click()
    expect(page.get_by_text("The Newtown Compact (an example for importing)").first).to_be_visible()
    check(page)
    page.get_by_role("button", name="Create the Compact").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The Newtown Compact")
    expect(page.get_by_role("alert")).to_contain_text("You are its administrator")
    check(page)

    # Browsable, searchable and comparable like the others.
    page.goto(f"{server.url}/commitments/?q=services+voluntary+delivers")
    expect(page.get_by_role("link", name="2.1", exact=False).first).to_be_visible()
    page.goto(f"{server.url}/compare/")
    page.get_by_label("The Newtown Compact (an example for importing)").check()
    page.get_by_label("The Dorset Compact").check()
    page.get_by_label("Theme").select_option(label="Consultation and involvement in policy")
    page.get_by_role("button", name="Compare").click()
    # The item as printed, under its list's lead-in: never glued into one sentence.
    side_by_side = page.get_by_role("table", name="Commitments side by side")
    expect(side_by_side).to_contain_text("The voluntary and community sector will:")
    expect(side_by_side).to_contain_text("Say whose views it represents when it responds to a consultation.")
    expect(side_by_side).not_to_contain_text("will say whose views it represents")
    check(page)
    page.context.close()
