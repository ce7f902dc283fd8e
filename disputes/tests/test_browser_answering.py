"""A complaint reaches someone who can answer it, in a real browser with JavaScript on and off, every page checked:
(a) against an organisation with no Champion, its contact in the portal answers; (b) against one with nobody in the
portal, the Compact's administrator is shown that nobody can answer, invites its contact, who makes an account, is
confirmed into the organisation and answers."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from compacts.models import Compact, CompactRole, ConfirmedEmail, Email, Membership, Organisation, Signatory
from compacts.tests.factories import UserFactory
from conftest import assert_valid_html
from disputes import services
from disputes.models import Complaint

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def dacorum(live_server):
    call_command("loaddata", "themes", "dacorum", verbosity=0)
    compact = Compact.objects.get(slug="dacorum")
    section = compact.sections.order_by("order").first()
    for order, name in enumerate(["Community Action Dacorum", "Dacorum Borough Council", "Hertfordshire Constabulary"]):
        Signatory.objects.create(
            compact=compact,
            organisation=Organisation.objects.get(name=name),
            section=section,
            order=900 + order,
            role="signed",
            printed_name=name,
            joined_on=timezone.localdate(),
        )

    def person(email, first, last, organisation=None, **membership):
        user = UserFactory(username=email, email=email, first_name=first, last_name=last)
        user.set_password(PASSWORD)
        user.save()
        ConfirmedEmail.objects.get_or_create(user=user, defaults={"email": email})
        if organisation:
            Membership.objects.create(
                user=user, organisation=Organisation.objects.get(name=organisation), status="confirmed", **membership
            )
        return user

    people = {
        "cad": person("cara@cad.example", "Cara", "Doyle", "Community Action Dacorum"),
        "dev": person("dev@dacorum.example", "Dev", "Patel", "Dacorum Borough Council", is_contact=True),
        "admin": person("admin@dacorum.example", "Ada", "Morgan"),
    }
    CompactRole.objects.create(user=people["admin"], compact=compact, role="administrator")
    return live_server, compact, people


def new_page(browser, javascript):
    return browser.new_context(java_script_enabled=javascript, bypass_csp=True).new_page()


def sign_in(page, server, user):
    page.goto(f"{server.url}/accounts/login/?next=/complaints/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints")


def draft(compact, people, respondent):
    complaint, _ = services.complaint_save_draft(
        by=people["cad"],
        compact=compact,
        complainant=Organisation.objects.get(name="Community Action Dacorum"),
        fields={
            "summary": "Core funding reduced without the notice agreed",
            "what_happened": "Our core funding was reduced with six weeks' notice.",
            "outcome_wanted": "Notice in line with the agreed guidelines.",
            "respondent": Organisation.objects.get(name=respondent),
        },
        commitments=list(compact.commitments.filter(ref="statutory-funding-3")),
        files=[],
    )
    return complaint


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def javascript(request):
    return request.param


@pytest.fixture
def check(check_page, tmp_path, javascript):
    def check(page, status=200):
        if javascript:
            check_page(page, status=status)
        else:  # axe-core needs JavaScript; the HTML the browser was sent is still checked
            assert_valid_html(page.content(), tmp_path / "page.html")

    return check


def submit(page, server, complaint, check):
    """The complainant submits the draft and reads what happens next."""
    page.goto(f"{server.url}/complaints/{complaint.pk}/edit/")
    page.get_by_role("button", name="Submit the complaint").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaint submitted")
    check(page)
    reference = Complaint.objects.get(pk=complaint.pk).reference
    expect(page.locator(".govuk-panel")).to_contain_text(reference)
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.get_by_text("Expect an answer by")).to_be_visible()
    return reference


def test_a_complaint_against_an_organisation_with_no_champion_is_answered_by_its_contact(
    dacorum, browser, check, javascript
):
    server, compact, people = dacorum
    complaint = draft(compact, people, "Dacorum Borough Council")
    page = new_page(browser, javascript)
    sign_in(page, server, people["cad"])
    reference = submit(page, server, complaint, check)
    told = page.get_by_role("definition").filter(has_text="Dev Patel")
    expect(told).to_contain_text("Dev Patel: emailed")

    contact = new_page(browser, javascript)
    sign_in(contact, server, people["dev"])
    contact.get_by_role("link", name=reference).click()
    expect(contact.get_by_role("heading", level=1)).to_have_text(f"Complaint {reference}")
    check(contact)
    contact.get_by_role("link", name="Acknowledge the complaint").click()
    check(contact)
    contact.get_by_label("Message to the complainant (optional)").fill("Received: we will reply within the time.")
    contact.get_by_role("button", name="Acknowledge the complaint").click()
    expect(contact.get_by_role("heading", level=1)).to_have_text(f"Complaint {reference}")
    expect(contact.get_by_text("Received: we will reply within the time.")).to_be_visible()
    check(contact)


def test_a_complaint_nobody_can_answer_is_seen_by_the_administrator_who_invites_its_contact(
    dacorum, browser, check, javascript
):
    server, compact, people = dacorum
    complaint = draft(compact, people, "Hertfordshire Constabulary")
    page = new_page(browser, javascript)
    sign_in(page, server, people["cad"])
    reference = submit(page, server, complaint, check)
    expect(page.get_by_text("Nobody can answer yet")).to_be_visible()

    admin = new_page(browser, javascript)
    sign_in(admin, server, people["admin"])
    admin.get_by_label("Nobody can answer yet (oldest first)").check()
    admin.get_by_role("button", name="Show").click()
    admin.get_by_role("link", name=reference).click()
    check(admin)
    admin.get_by_role("link", name="Name who answers for Hertfordshire Constabulary").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Who answers for Hertfordshire Constabulary")
    check(admin)
    admin.get_by_label("Their email address").fill("not an address")
    admin.get_by_label("Their name (optional)").fill("Hana Lee")
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.get_by_role("alert")).to_contain_text("Enter an email address like name@example.org")
    expect(admin.get_by_label("Their name (optional)")).to_have_value("Hana Lee")
    check(admin, status=400)
    admin.get_by_label("Their email address").fill("hana.lee@herts.example")
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.get_by_role("alert")).to_contain_text("We have emailed hana.lee@herts.example an invitation")
    check(admin)

    body = Email.objects.get(to="hana.lee@herts.example").body
    path = re.search(r"/invitations/[^/\s]+/", body)[0]
    invited = new_page(browser, javascript)
    invited.goto(f"{server.url}{path}")
    expect(invited.get_by_role("heading", level=1)).to_have_text("Answer for Hertfordshire Constabulary")
    check(invited)
    invited.get_by_label("First name").fill("Hana")
    invited.get_by_role("button", name="Make my account and accept").click()
    expect(invited.get_by_role("alert")).to_contain_text("Enter your last name")
    expect(invited.get_by_label("First name")).to_have_value("Hana")
    check(invited, status=400)
    invited.get_by_label("Last name").fill("Lee")
    invited.get_by_label("Password", exact=True).fill(PASSWORD)
    invited.get_by_label("Password confirmation").fill(PASSWORD)
    invited.get_by_role("button", name="Make my account and accept").click()
    expect(invited.get_by_role("alert")).to_contain_text("You answer for Hertfordshire Constabulary now")
    check(invited)
    invited.goto(f"{server.url}/complaints/")
    invited.get_by_role("link", name=reference).click()
    check(invited)
    invited.get_by_role("link", name="Acknowledge the complaint").click()
    invited.get_by_role("button", name="Acknowledge the complaint").click()
    expect(invited.get_by_role("heading", level=1)).to_have_text(f"Complaint {reference}")
    expect(invited.get_by_text("Nobody can answer yet")).to_have_count(0)
    check(invited)
