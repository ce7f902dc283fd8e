"""Registering and signing in as a new user would, in a real browser, by labels and button text, with JavaScript on
and off (issue 25, items 7, 12 and 13 in part): a visitor who chooses to sign an organisation up is told why they
must sign in and offered an account; registration's errors say what to do for each field and mark every input;
the organisations are offered by Compact (an area and a search narrow them with JavaScript); a failed sign-in
says why above both fields; administrators land on Manage; the lock-out page still shows. Every page is checked
with axe and the Nu HTML Checker (with JavaScript off, the HTML only)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compacts.models import Compact, Organisation
from compacts.tests.factories import UserFactory, compact_role, member
from conftest import assert_valid_html, new_page

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])


@pytest.fixture
def compacts(live_server):
    call_command("loaddata", "themes", "dorset", "darlington", "county-durham", verbosity=0)
    return live_server


@pytest.fixture
def checker(check_page, tmp_path):
    def check(page, javascript, status=200):
        if javascript:
            check_page(page, status=status)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    return check


def options_of(page):
    return page.get_by_label("Your organisation", exact=True).locator("option").all_inner_texts()


@JAVASCRIPT
def test_a_visitor_signing_up_an_organisation_is_told_why_and_registers(compacts, browser, checker, javascript):
    page = new_page(browser, javascript)
    page.goto(f"{compacts.url}/compacts/dorset/")
    page.get_by_role("link", name="Sign your organisation up to this Compact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator("#why-sign-in")).to_contain_text(
        "To sign your organisation up to the Dorset Compact, sign in first"
    )
    checker(page, javascript)
    page.locator("#why-sign-in").get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    checker(page, javascript)

    # The organisations are those that signed each Compact, by Compact, Dorset's first; no national body.
    groups = page.locator("#id_organisation optgroup")
    expect(groups.first).to_have_attribute("label", "Dorset Compact")
    assert "Cabinet Office" not in page.locator("#id_organisation").inner_html()
    if javascript:  # Dorset's area is chosen: only its organisations are in the list
        expect(page.get_by_label("Which Compact's area is your organisation in?")).to_have_value("Dorset Compact")
        assert "Dorset Police" in options_of(page) and "Tees Valley YMCA" not in options_of(page)
    else:
        assert "Dorset Police" in options_of(page) and "Tees Valley YMCA" in options_of(page)

    # Sent empty: each field says what to do, in the summary and by the field, and every input is marked.
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Create account").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    for message in ("Enter your first name", "Enter your last name", "Enter a password", "Enter the password again"):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(summary.get_by_role("link", name="Enter an email address like name@example.org")).to_be_visible()
    expect(page.get_by_text("This field is required")).to_have_count(0)
    for label in ("First name", "Email address", "Password"):
        expect(page.get_by_label(label, exact=True)).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(page.get_by_label("Email address")).to_have_value("not an address")
    checker(page, javascript, status=400)

    # Choosing the organisation: with JavaScript by area or by part of its name; without, from the whole list.
    page.get_by_label("First name").fill("Yan")
    page.get_by_label("Last name").fill("Okoro")
    page.get_by_label("Email address").fill("yan@ymca.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    if javascript:
        page.get_by_label("Which Compact's area is your organisation in?").select_option("")
        page.get_by_label("Search for your organisation by name").fill("ymca")
        page.keyboard.press("Enter")  # filters; never sends the form
        expect(page.get_by_label("Your organisation", exact=True).locator("option")).to_have_text(
            ["It is not listed", "Tees Valley YMCA"]
        )
        expect(page.get_by_text("1 of ")).to_contain_text("organisations is in the list")
    page.get_by_label("Your organisation", exact=True).select_option(label="Tees Valley YMCA")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    checker(page, javascript)
    ymca = Organisation.objects.get(name="Tees Valley YMCA")
    assert ymca.memberships.get().user.username == "yan@ymca.example"


@JAVASCRIPT
def test_a_new_organisation_is_registered_by_its_name(compacts, browser, checker, javascript):
    page = new_page(browser, javascript)
    page.goto(f"{compacts.url}/accounts/register/")
    page.get_by_label("First name").fill("Bea")
    page.get_by_label("Last name").fill("Lane")
    page.get_by_label("Email address").fill("bea@befrienders.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("If it is not listed, its name").fill("Bridport Befrienders")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert not Organisation.objects.get(name="Bridport Befrienders").confirmed


@JAVASCRIPT
def test_signing_in_says_what_went_wrong_and_lands_administrators_on_manage(compacts, browser, checker, javascript):
    dorset = Compact.objects.get(slug="dorset")
    admin = UserFactory(username="dora@dorset.example")
    compact_role(admin, dorset, "administrator")
    person = UserFactory(username="val@dorset.example")
    member(person, Organisation.objects.get(name="Dorset Police"))

    page = new_page(browser, javascript)
    page.goto(f"{compacts.url}/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="Enter your email address")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your password")).to_be_visible()
    checker(page, javascript, status=200)

    page.get_by_label("Email address").fill(admin.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    message = page.locator("#sign-in-error")
    expect(message).to_contain_text("The email address or password is not right")
    # Above both fields, not under the email address's label; both fields are marked and described by it.
    assert message.bounding_box()["y"] < page.get_by_text("Email address", exact=True).bounding_box()["y"]
    for label in ("Email address", "Password"):
        field = page.get_by_label(label)
        expect(field).to_have_class(re.compile(r"\bgovuk-input--error\b"))
        expect(field).to_have_attribute("aria-describedby", "sign-in-error")
    expect(page.get_by_label("Email address")).to_have_value(admin.username)
    checker(page, javascript, status=200)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage Compacts")
    checker(page, javascript)

    other = new_page(browser, javascript)
    other.goto(f"{compacts.url}/accounts/login/")
    other.get_by_label("Email address").fill(person.username)
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Complaints")


def test_the_lock_out_page_still_shows_after_repeated_failures(compacts, browser, checker):
    person = UserFactory(username="sam@dorset.example")
    page = new_page(browser, True)
    for _ in range(5):
        page.goto(f"{compacts.url}/accounts/login/")
        page.get_by_label("Email address").fill(person.username)
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts to sign in")
    checker(page, True, status=429)
