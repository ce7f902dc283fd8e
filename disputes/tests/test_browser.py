"""Whole complaint journeys in a real browser, by labels and button text, checking every page on the way."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compacts.models import Compact, Organisation, Section, Signatory
from compacts.tests.factories import UserFactory, compact_role, darlington_people, member
from disputes import services, workflow
from disputes.models import Complaint
from disputes.workflow import Action

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def darlington(live_server):
    call_command("loaddata", "themes", "darlington", verbosity=0)
    _, people = darlington_people()
    return live_server, people


def sign_in(browser, server, user):
    context = browser.new_context(bypass_csp=True)  # lets the checks inject axe-core
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/?next=/complaints/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints")
    return page


def open_complaint(page, server, reference):
    page.goto(f"{server.url}/complaints/")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Complaint {reference}")


def do(page, check_page, action, fill=(), button=None):
    page.get_by_role("link", name=action).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(action)
    check_page(page)
    for label, value in fill:
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=button or action).click()
    done = {label: workflow.DONE[key] for key, label in workflow.LABELS.items()}
    expect(page.get_by_role("alert")).to_contain_text(done[action])


def test_a_darlington_complaint_from_draft_to_panel_outcome(darlington, browser, check_page, tmp_path):
    server, people = darlington
    evidence = tmp_path / "grant-letter.pdf"
    evidence.write_bytes(PDF)

    # A VCS member reports a breach from the commitment's page, saving a draft first.
    page = sign_in(browser, server, people["vcs"])
    page.goto(f"{server.url}/compacts/darlington/commitments/public-6/")
    page.get_by_role("link", name="Report a breach of this commitment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a complaint")
    check_page(page)
    page.get_by_label("Which organisation broke the commitment?").select_option(label="Darlington Borough Council")
    page.get_by_label("Summary").fill("Day centre grant cut without notice")
    commitments = page.get_by_role("group", name="Which commitments were broken?")
    # Darlington prints these with no number: they are named by their place under their heading (issue 25, item 6).
    expect(commitments.get_by_label("Sixth under “Public Sector Commitments”", exact=False)).to_be_checked()
    commitments.get_by_label("Fifth under “Public Sector Commitments”", exact=False).check()
    page.get_by_label("What happened?").fill("Our grant was cut by half from 1 November with three weeks' notice.")
    page.get_by_label("Evidence").set_input_files(str(evidence))
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Draft saved")
    expect(page.get_by_text("grant-letter.pdf")).to_be_visible()
    check_page(page)

    # Submitting with something missing: a clear error next to the field, nothing lost.
    page.get_by_role("button", name="Submit the complaint").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what outcome you want")
    expect(page.get_by_label("What happened?")).to_have_value(
        "Our grant was cut by half from 1 November with three weeks' notice."
    )
    check_page(page, status=400)
    page.get_by_label("What outcome do you want?").fill("Restore the grant until the review is consulted on.")
    page.get_by_role("button", name="Submit the complaint").click()
    reference = f"DAR-{datetime.date.today().year}-0001"
    # The confirmation: the reference, and what happens next (who has been told, when to expect an answer).
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaint submitted")
    expect(page.locator(".govuk-panel")).to_contain_text(reference)
    expect(page.get_by_text("Expect an answer by")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name=f"Go to complaint {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Complaint {reference}")
    expect(page.get_by_text("Wording as it stood when the complaint was made.").first).to_be_visible()
    expect(page.get_by_role("link", name="grant-letter.pdf")).to_be_visible()
    check_page(page)

    # The Champions meet informally; the complaint is set out in writing and answered.
    champion = sign_in(browser, server, people["council_champion"])
    open_complaint(champion, server, reference)
    champion.get_by_role("link", name="Record an informal meeting").click()
    champion.get_by_role("button", name="Record an informal meeting").click()  # empty: errors shown
    expect(champion.get_by_role("alert")).to_contain_text("Enter the date of the meeting")
    check_page(champion, status=400)
    today = datetime.date.today()
    date = champion.get_by_role("group", name="Date of the meeting")
    date.get_by_label("Day").fill(str(today.day))
    date.get_by_label("Month").fill(str(today.month))
    date.get_by_label("Year").fill(str(today.year))
    champion.get_by_label("Who attended").fill("Vik Chana, Cal Hughes")
    champion.get_by_label("What was discussed and agreed").fill("We met; the council will not restore the grant.")
    champion.get_by_role("button", name="Record an informal meeting").click()
    expect(champion.get_by_role("alert")).to_contain_text(workflow.DONE[Action.MEETING])

    open_complaint(page, server, reference)
    do(
        page,
        check_page,
        "Set out the complaint in writing",
        [("The complaint, set out in writing", "We complain that commitments public-5 and public-6 were broken.")],
    )
    open_complaint(champion, server, reference)
    do(
        champion,
        check_page,
        "Give the formal response",
        [("The formal response", "The cut was needed to balance the budget.")],
    )

    # The complainant escalates to the Disputes Resolution Panel.
    open_complaint(page, server, reference)
    do(page, check_page, "Move to the next stage", [("Why it should move to the next stage", "Not resolved.")])
    expect(page.get_by_text("Arbitration by the Disputes Resolution Panel").first).to_be_visible()

    # The chair convenes a panel: only people who may sit are offered, and the page says who is not, and why.
    chair = sign_in(browser, server, people["chair"])
    open_complaint(chair, server, reference)
    chair.get_by_role("link", name="Convene a panel").click()
    check_page(chair)
    expect(chair.get_by_label("Sue Stone (sue@council.example)")).to_have_count(0)
    chair.get_by_text("Who is not listed, and why").click()
    expect(chair.get_by_text("Sue Stone: they belong to Darlington Borough Council, a party")).to_be_visible()
    chair.get_by_label("Panel chair").select_option(label="Chris Ashby (chris@evolution.example)")
    chair.get_by_role("button", name="Convene a panel").click()
    expect(chair.get_by_role("alert")).to_contain_text("Choose at least one panel member")
    check_page(chair, status=400)
    chair.get_by_label("Pat Nolan (pat@ageconcern.example)").check()
    chair.get_by_role("button", name="Convene a panel").click()
    expect(chair.get_by_role("alert")).to_contain_text(workflow.DONE[Action.CONVENE])

    # The panel records findings, and the complaint is resolved.
    panel = sign_in(browser, server, people["panel"])
    open_complaint(panel, server, reference)
    do(
        panel,
        check_page,
        "Record findings and recommendations",
        [
            ("Findings", "Three months' notice was not given."),
            ("Recommendations", "Restore the grant for three months."),
        ],
    )
    open_complaint(chair, server, reference)
    chair.get_by_role("link", name="Close with an outcome").click()
    chair.get_by_label("Upheld", exact=True).check()
    chair.get_by_label("Summary of the outcome").fill("Upheld: the council will restore the grant for three months.")
    chair.get_by_role("button", name="Close with an outcome").click()
    expect(chair.get_by_text("Closed").first).to_be_visible()
    check_page(chair)
    complaint = Complaint.objects.get(reference=reference)
    assert (complaint.status, complaint.outcome) == ("closed", "upheld")
    assert list(complaint.events.order_by("at", "id").values_list("kind", flat=True)) == [
        "submitted",
        "meeting",
        "lodged",
        "response",
        "escalated",
        "panel",
        "findings",
        "resolved",
    ]
    for other in (page, champion, chair, panel):
        other.context.close()


@pytest.fixture
def derby(live_server):
    call_command("loaddata", "themes", "derby-derbyshire", verbosity=0)
    compact = Compact.objects.get(slug="derby-derbyshire")
    pledge = Section.objects.get(compact=compact, ref="section-7-pledge-and-sign-up")
    county = Organisation.objects.get(name="Derbyshire County Council")
    group = Organisation.objects.get(name="Derby City Partnership")
    for n, organisation in enumerate((county, group)):
        Signatory.objects.create(
            compact=compact,
            organisation=organisation,
            section=pledge,
            order=100 + n,
            role="signed",
            printed_name=organisation.name,
            joined_on=datetime.date(2026, 9, 1),
        )
    people = {
        "vcs": UserFactory(username="dee@partnership.example", first_name="Dee", last_name="Evans"),
        "champion": UserFactory(username="dan@derbyshire.example", first_name="Dan", last_name="Burke"),
        "friend": UserFactory(username="fran@forum.example", first_name="Fran", last_name="Lee"),
    }
    member(people["vcs"], group)
    member(people["champion"], county, champion_of=compact)
    compact_role(people["friend"], compact, "critical_friend")
    return live_server, people, compact, county, group


def raise_derby(compact, county, group, vcs):
    complaint, _ = services.complaint_save_draft(
        by=vcs,
        compact=compact,
        complainant=group,
        fields={
            "summary": "Funding ended at four weeks' notice",
            "what_happened": "Four weeks' notice.",
            "outcome_wanted": "Three months' notice.",
            "respondent": county,
        },
        commitments=list(compact.commitments.filter(ref__in=["13.2"])),
        files=[],
    )
    services.complaint_submit(complaint=complaint, by=vcs, version=complaint.version)
    complaint.refresh_from_db()
    return complaint


def test_a_derby_and_derbyshire_complaint_goes_to_the_partners_group(derby, browser, check_page):
    server, people, compact, county, group = derby
    complaint = raise_derby(compact, county, group, people["vcs"])
    for who, action, details in [
        ("champion", Action.RESPOND, {"text": "The decision came late."}),
        ("vcs", Action.ESCALATE, {"text": "Asking the critical friend."}),
        ("friend", Action.MEETING, {"text": "Met both sides.", "held_on": datetime.date.today()}),
    ]:
        complaint.refresh_from_db()
        services.complaint_act(complaint=complaint, by=people[who], action=action, version=complaint.version, **details)
    page = sign_in(browser, server, people["vcs"])
    open_complaint(page, server, complaint.reference)
    expect(page.get_by_text("Stage 2: A critical friend supports resolution Now")).to_be_visible()
    do(page, check_page, "Move to the next stage", [("Why it should move to the next stage", "Still not resolved.")])
    expect(page.get_by_text("A small group of partners looks for a resolution").first).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.current_stage.handler == "partners_group"
    check_page(page)
    page.context.close()


def test_a_complaint_is_withdrawn(derby, browser, check_page):
    server, people, compact, county, group = derby
    complaint = raise_derby(compact, county, group, people["vcs"])
    page = sign_in(browser, server, people["vcs"])
    open_complaint(page, server, complaint.reference)
    page.get_by_role("link", name="Withdraw the complaint").click()
    expect(page.get_by_text("It cannot be reopened, by you or by anyone else.", exact=False)).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Dan Burke")).to_be_visible()
    page.go_back()
    do(page, check_page, "Withdraw the complaint", [("Why you are withdrawing it (optional)", "Sorted out.")])
    expect(page.get_by_text("Withdrawn").first).to_be_visible()
    check_page(page)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("closed", "withdrawn")
    page.context.close()


def test_a_critical_friend_from_the_council_complained_about_is_told_why_she_cannot_close_it(
    derby, browser, check_page
):
    server, people, compact, county, group = derby
    member(people["friend"], county)
    complaint = raise_derby(compact, county, group, people["vcs"])
    for who, action, details in [
        ("champion", Action.RESPOND, {"text": "The decision came late."}),
        ("vcs", Action.ESCALATE, {"text": "Asking the critical friend."}),
    ]:
        complaint.refresh_from_db()
        services.complaint_act(complaint=complaint, by=people[who], action=action, version=complaint.version, **details)
    page = sign_in(browser, server, people["friend"])
    open_complaint(page, server, complaint.reference)
    expect(
        page.get_by_text("You belong to Derbyshire County Council, the organisation complained about.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Close with an outcome")).to_have_count(0)
    check_page(page)
    page.goto(f"{server.url}/complaints/{complaint.pk}/resolve/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Close with an outcome is not open to you now")
    expect(page.get_by_text("It can neither close a complaint against itself", exact=False)).to_be_visible()
    check_page(page, status=403)
    page.context.close()


def test_lists_and_account_pages_pass_the_checks(darlington, browser, page, check_page):
    server, people = darlington
    for path in ["/accounts/login/", "/accounts/register/", "/accounts/password_reset/"]:
        page.goto(server.url + path)
        check_page(page)
    page.goto(server.url + "/accounts/register/")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_page(page, status=400)
    signed_in = sign_in(browser, server, people["vcs"])
    check_page(signed_in)
    signed_in.goto(server.url + "/complaints/new/")
    check_page(signed_in)
    signed_in.context.close()


def test_raising_a_complaint_works_without_javascript(darlington, browser):
    server, people = darlington
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/?next=/complaints/new/")
    page.get_by_label("Email address").fill(people["vcs"].username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("The Darlington Compact").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Find commitments by words").fill("volunteer")
    page.get_by_role("button", name="Find commitments").click()
    commitments = page.get_by_role("group", name="Which commitments were broken?")
    commitments.locator("input").first.check()
    page.get_by_label("Which organisation broke the commitment?").select_option(label="Darlington Borough Council")
    page.get_by_label("Summary").fill("Volunteer costs refused")
    page.get_by_label("What happened?").fill("Volunteer expenses were struck out of our bid.")
    page.get_by_label("What outcome do you want?").fill("Accept volunteer expenses.")
    page.get_by_role("button", name="Submit the complaint").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaint submitted")
    expect(page.locator(".govuk-panel")).to_contain_text(f"DAR-{datetime.date.today().year}-0001")
    context.close()
