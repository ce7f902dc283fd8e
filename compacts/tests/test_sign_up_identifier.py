"""Signing up with or without a registered number (issue 23, item 4): a group with none says so and signs up; a
scheme chosen needs its number; the administrator deciding sees that it has none, or its number with a link to the
public register that lists it."""

import html
import re

import pytest

from compacts import services
from compacts.forms import SignUpForm
from compacts.models import IdentifierScheme, Organisation, SignUp

pytestmark = pytest.mark.django_db

CHARITY_PAGE = "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/"
COMPANY_PAGE = "https://find-and-update.company-information.service.gov.uk/company/"
NONE_LABEL = "It has none (for example, an unregistered community group)"


def text_of(response):
    return html.unescape(response.content.decode())


def radio(page, label):
    """The <input> of the radio button labelled `label`, as the page has it."""
    (found,) = re.findall(r"(<input[^>]*>)\s*<label[^>]*>\s*" + re.escape(label), page)
    return found


def value_of(tag):
    return re.search(r'value="([^"]*)"', tag)[1]


@pytest.fixture
def newcomer(client, running):
    """New Group's person, address confirmed and signed in, about to sign it up to Testshire."""
    person = running.people.newcomer
    services.email_confirm(user=person, token=services.confirmation_token(person))
    client.force_login(person)
    return running


def details(running, **changes):
    return {
        "organisation": running.group.pk,
        "sector": "vcs",
        "kind": "charity",
        "signed_by_name": "Nia Okafor",
        "signed_by_role": "Chair",
        "agree": "on",
        **changes,
    }


def test_it_signs_up_a_group_that_says_it_has_no_registered_number(client, newcomer):
    page = text_of(client.get("/compacts/testshire/sign-up/"))
    data = details(newcomer, identifier_scheme=value_of(radio(page, NONE_LABEL)), identifier="")  # as the page sends it
    response = client.post("/compacts/testshire/sign-up/", data)
    assert response.status_code == 302, response.context["form"].errors
    sign_up = SignUp.objects.get()
    assert (sign_up.organisation, sign_up.organisation.identifier_scheme) == (newcomer.group, IdentifierScheme.NONE)
    assert sign_up.organisation.identifier == ""


def test_the_form_takes_it_has_none_without_a_number(running):
    form = SignUpForm(organisations=Organisation.objects.all())
    (none,) = [value for value, label in form.fields["identifier_scheme"].choices if label == NONE_LABEL]
    form = SignUpForm(details(running, identifier_scheme=none, identifier=""), organisations=Organisation.objects.all())
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["identifier_scheme"], form.cleaned_data["identifier"]) == (IdentifierScheme.NONE, "")


@pytest.mark.parametrize(
    "scheme, label, message",
    [
        ("charity", "Registered charity number", "Enter its registered charity number"),
        ("company", "Company number (Companies House)", "Enter its company number"),
        ("public_body", "Public body code (GSS or NHS organisation code)", "Enter its public body code"),
    ],
)
def test_a_chosen_scheme_needs_its_number_said_by_the_field_and_in_the_summary(
    client, newcomer, scheme, label, message
):
    response = client.post("/compacts/testshire/sign-up/", details(newcomer, identifier_scheme=scheme, identifier=""))
    assert response.status_code == 400
    page = text_of(response)
    assert f'<a href="#id_identifier">{message}</a>' in page  # the error summary
    by_field = page[page.index('id="id_identifier_1_error"') :]
    assert message in by_field[: by_field.index("</span>", by_field.index("</span>") + 1)]
    assert "checked" in radio(page, label) and 'value="Nia Okafor"' in page and 'value="Chair"' in page
    assert not SignUp.objects.exists()


def test_a_wrong_number_is_kept_to_correct(client, newcomer):
    response = client.post(
        "/compacts/testshire/sign-up/", details(newcomer, identifier_scheme="company", identifier="AB 12")
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Enter a company number of 8 characters" in page and 'value="AB 12"' in page


def test_nothing_is_chosen_for_the_person_and_no_answer_is_asked_for(client, newcomer):
    page = text_of(client.get("/compacts/testshire/sign-up/"))
    assert not re.search(r'name="identifier_scheme"[^>]*checked', page)
    response = client.post("/compacts/testshire/sign-up/", details(newcomer, identifier=""))
    assert response.status_code == 400
    page = text_of(response)
    message = "Select the kind of number it has, or that it has none"
    assert f'<a href="#id_identifier_scheme_1">{message}</a>' in page
    assert 'id="id_identifier_scheme_1_error"' in page and "This field is required" not in page


def test_a_number_on_record_is_filled_in(client, newcomer):
    Organisation.objects.filter(pk=newcomer.group.pk).update(identifier_scheme="charity", identifier="1123456")
    page = text_of(client.get("/compacts/testshire/sign-up/"))
    assert "checked" in radio(page, "Registered charity number")
    assert re.search(r'name="identifier" value="1123456"', page)


CHARITY_REGISTER = "the Charity Commission's register"


@pytest.mark.parametrize(
    "scheme, identifier, shown, link",
    [
        ("", "", "It has no registered number", None),
        ("charity", "1123456", "Registered charity number 1123456", (CHARITY_PAGE + "1123456", CHARITY_REGISTER)),
        # A linked charity is listed on its main charity's page.
        ("charity", "1123456-1", "Registered charity number 1123456-1", (CHARITY_PAGE + "1123456", CHARITY_REGISTER)),
        ("charity", "SC012345", "Registered charity number SC012345", None),  # Scotland's register: not linked
        ("company", "01234567", "Company number 01234567", (COMPANY_PAGE + "01234567", "Companies House")),
        ("company", "SC123456", "Company number SC123456", (COMPANY_PAGE + "SC123456", "Companies House")),
        ("public_body", "E06000059", "Public body code E06000059", None),
    ],
)
def test_the_decision_page_shows_the_number_and_its_register_or_that_it_has_none(
    client, running, scheme, identifier, shown, link
):
    services.email_confirm(user=running.people.newcomer, token=services.confirmation_token(running.people.newcomer))
    sign_up = services.sign_up_request(
        by=running.people.newcomer,
        compact=running.compact,
        organisation=running.group,
        sector="vcs",
        kind="charity",
        identifier_scheme=scheme,
        identifier=identifier,
        signed_by_name="Nia Okafor",
        signed_by_role="Chair",
    )
    client.force_login(running.people.administrator)
    page = text_of(client.get(f"/manage/testshire/sign-ups/{sign_up.pk}/"))
    start = page.index('id="identifier">')
    row = page[start + len('id="identifier">') : page.index("</dd>", start)]
    assert " ".join(re.sub(r"<[^>]+>", " ", row).split()).startswith(shown)
    links = re.findall(r'<a class="govuk-link" href="([^"]+)">Look up ([^<]+) on ([^<]+)</a>', row)
    assert links == ([(link[0], identifier, link[1])] if link else [])
