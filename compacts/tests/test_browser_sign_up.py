"""A group with no registered number signs up to a Compact, in a real browser, by labels and button text (issue 23,
item 4): its person says it has none, the Dorset administrator sees that on the decision page and confirms it, and
the Compact's page lists it as signed up. With JavaScript on, every page is checked with axe and the Nu HTML
Checker; with it off, the same journey, and the HTML checks."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compacts.models import Compact, Membership, OrganisationKind, OrganisationSector
from compacts.tests.factories import OrganisationFactory, UserFactory, compact_role
from conftest import assert_valid_html, new_page, sign_in

pytestmark = pytest.mark.browser
GROUP = "West Bay Allotment Friends"
NONE_LABEL = "It has none (for example, an unregistered community group)"


@pytest.fixture
def dorset_and_a_group(live_server):
    """Dorset's Compact with its administrator, and a new community group (not yet confirmed) whose person, address
    confirmed, asked to join it when they made their account."""
    call_command("loaddata", "themes", "dorset", verbosity=0)
    compact = Compact.objects.get(slug="dorset")
    admin = UserFactory(username="dora@dorset.example", first_name="Dora", last_name="Marsh")
    compact_role(admin, compact, "administrator")
    person = UserFactory(username="ros@allotments.example", first_name="Ros", last_name="Hale")
    group = OrganisationFactory(
        name=GROUP, sector=OrganisationSector.VCS, kind=OrganisationKind.CHARITY, confirmed=False
    )
    Membership.objects.create(user=person, organisation=group, job_title="Secretary")
    return live_server, admin, person


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_group_with_no_registered_number_signs_up_and_is_confirmed(
    dorset_and_a_group, browser, check_page, tmp_path, javascript
):
    server, admin_user, person = dorset_and_a_group

    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    # The group's person opens the sign-up form from the Compact's page: nothing is chosen for them.
    page = new_page(browser, javascript)
    sign_in(page, server, person.username)
    page.goto(f"{server.url}/compacts/dorset/")
    page.get_by_role("link", name="Sign your organisation up to this Compact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up to this Compact")
    expect(page.get_by_label(NONE_LABEL)).not_to_be_checked()
    expect(page.get_by_label("Registered charity number")).not_to_be_checked()
    check(page)

    # A scheme with no number is refused by the field and in the summary, keeping what was typed.
    page.get_by_label("Voluntary and community sector").check()
    page.get_by_label("What kind of organisation is it?").select_option(label="Voluntary or community organisation")
    page.get_by_label("Registered charity number").check()
    page.get_by_label("Full name of the person signing").fill("Ros Hale")
    page.get_by_label("Their role in the organisation").fill("Secretary")
    page.get_by_label("I have the authority to sign for this organisation").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_role("alert").get_by_role("link", name="Enter its registered charity number")).to_be_visible()
    expect(page.locator("#div_id_identifier .govuk-error-message")).to_contain_text(
        "Enter its registered charity number"
    )
    expect(page.get_by_label("Registered charity number")).to_be_checked()
    expect(page.get_by_label("Full name of the person signing")).to_have_value("Ros Hale")
    expect(page.get_by_label("Their role in the organisation")).to_have_value("Secretary")
    check(page, status=400)

    # It has none: the number is left empty, and the group signs up.
    page.get_by_label(NONE_LABEL).check()
    page.get_by_label("I have the authority to sign for this organisation").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{GROUP} has asked to sign the Dorset Compact")
    check(page)
    page.context.close()

    # The Dorset administrator sees that it has no registered number, and confirms it.
    admin = new_page(browser, javascript)
    sign_in(admin, server, admin_user.username)
    admin.get_by_role("link", name="Manage").click()
    admin.get_by_role("link", name="The Dorset Compact").click()
    admin.get_by_role("link", name=f"Decide {GROUP}'s sign-up").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"{GROUP} asks to sign up")
    identifier = admin.locator(".govuk-summary-list__row", has=admin.get_by_text("Identifier", exact=True))
    expect(identifier.locator("dd")).to_have_text("It has no registered number")
    expect(identifier.get_by_role("link")).to_have_count(0)
    check(admin)
    # Ros's own request to join the group is its own decision, made first.
    admin.get_by_role("link", name=f"Decide Ros Hale's request to join {GROUP}").click()
    admin.get_by_label("Confirm: they are a member").check()
    admin.get_by_role("button", name="Save decision").click()
    expect(admin.get_by_role("alert")).to_contain_text("Ros Hale is confirmed.")
    admin.get_by_role("link", name=f"Decide {GROUP}'s sign-up").click()
    admin.get_by_label("Confirm: it signs the Compact").check()
    admin.get_by_role("button", name="Save decision").click()
    expect(admin.get_by_role("alert")).to_contain_text(f"{GROUP} signs the Compact.")
    check(admin)

    # The Compact's page lists it as signed up in the portal.
    admin.goto(f"{server.url}/compacts/dorset/")
    expect(admin.locator("#app-portal-signatories + p + ul")).to_contain_text(
        f"{GROUP} (voluntary and community sector; signed up in the portal on {datetime.date.today():%-d %B %Y})"
    )
    check(admin)
    admin.context.close()
