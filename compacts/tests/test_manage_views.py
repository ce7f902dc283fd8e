"""The manage area, sign-up and account pages: every role against every page and action, forms that keep what
was typed, and a fixed number of queries whatever the size."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compacts import services
from compacts.models import ChangeRecord, Membership, Organisation, Signatory, SignUp
from compacts.tests.factories import OrganisationFactory, SignatoryFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def text_of(response):
    """The page's text as a person reads it (entities such as &#x27; read as what they stand for)."""
    return html.unescape(response.content.decode())


ROLES = ["site_admin", "administrator", "other_administrator", "champion", "officer", "bystander", "visitor"]
MAY_MANAGE = {"site_admin", "administrator"}


@pytest.fixture
def asked(running):
    """New Group has asked to sign Testshire (its person's address confirmed)."""
    services.email_confirm(user=running.people.newcomer, token=services.confirmation_token(running.people.newcomer))
    return services.sign_up_request(
        by=running.people.newcomer,
        compact=running.compact,
        organisation=running.group,
        sector="vcs",
        kind="charity",
        identifier_scheme="",
        identifier="",
        signed_by_name="Nia Okafor",
        signed_by_role="Chair",
    )


def manage_pages(running, asked):
    slug = running.compact.slug
    return [
        f"/manage/{slug}/",
        f"/manage/{slug}/changes/",
        f"/manage/{slug}/sign-ups/{asked.pk}/",
        f"/manage/{slug}/memberships/{running.request.pk}/",
        f"/manage/{slug}/champions/{running.council.pk}/",
    ]


def sign_in(client, running, who):
    if who != "visitor":
        client.force_login(getattr(running.people, who))
    return client


@pytest.mark.parametrize("who", ROLES)
def test_only_the_compacts_administrators_see_its_manage_pages(client, running, asked, who):
    sign_in(client, running, who)
    for url in manage_pages(running, asked):
        response = client.get(url)
        if who == "visitor":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        elif who in MAY_MANAGE:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url
            assert "Only the Compact's administrators" in text_of(response), url


@pytest.mark.parametrize("who", ROLES)
def test_only_the_compacts_administrators_act(client, running, asked, who):
    sign_in(client, running, who)
    slug = running.compact.slug
    posts = [  # the request to join New Group first: once its sign-up is declined, Testshire no longer decides it
        (f"/manage/{slug}/memberships/{running.request.pk}/", {"decision": "decline", "reason": "Testing"}),
        (f"/manage/{slug}/sign-ups/{asked.pk}/", {"decision": "decline", "reason": "Testing who may"}),
        (f"/manage/{slug}/champions/{running.council.pk}/", {"remove": "1"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        if who == "visitor":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        elif who in MAY_MANAGE:
            assert response.status_code == 302 and response["Location"] == f"/manage/{slug}/", url
        else:
            assert response.status_code == 403, url
    asked.refresh_from_db()
    running.request.refresh_from_db()
    decided = who in MAY_MANAGE
    assert (asked.status == "declined") == decided
    assert (running.request.status == "refused") == decided
    assert Membership.objects.filter(pk=running.champion.pk).exists() != decided
    assert ChangeRecord.objects.exclude(action="Sign-up asked for").exists() == decided


def test_the_manage_list_shows_only_ones_own_compacts(client, running, asked):
    client.force_login(running.people.administrator)
    text = text_of(client.get("/manage/"))
    assert "Testshire Compact" in text and "Elsewhere Compact" not in text
    client.force_login(running.people.site_admin)
    text = text_of(client.get("/manage/"))
    assert "Testshire Compact" in text and "Elsewhere Compact" in text
    client.force_login(running.people.officer)
    assert client.get("/manage/").status_code == 403


def test_the_manage_page_lists_what_waits(client, running, asked):
    client.force_login(running.people.administrator)
    text = text_of(client.get("/manage/testshire/"))
    assert "New Group" in text and "Nia Okafor, Chair" in text  # the sign-up
    assert "newcomer@group.example" in text  # the request to join New Group, which asked to sign
    assert "Sign-up asked for: New Group" in text  # the change log
    assert "Testshire Council" in text  # its Champion


def test_a_sign_up_waits_for_its_persons_own_membership_decision(client, running, asked):
    client.force_login(running.people.administrator)
    page = text_of(client.get(f"/manage/testshire/sign-ups/{asked.pk}/"))
    assert "is not a confirmed member of New Group: their request to join is waiting" in page
    assert (
        f"/manage/testshire/memberships/{running.request.pk}/"
        in client.get(f"/manage/testshire/sign-ups/{asked.pk}/").content.decode()
    )
    response = client.post(f"/manage/testshire/sign-ups/{asked.pk}/", {"decision": "confirm"})
    assert response.status_code == 409
    assert "Decide their request to join first" in text_of(response)
    asked.refresh_from_db()
    running.request.refresh_from_db()
    assert (asked.status, running.request.status) == ("pending", "pending")
    response = client.post(f"/manage/testshire/memberships/{running.request.pk}/", {"decision": "confirm"})
    assert response.status_code == 302
    response = client.post(f"/manage/testshire/sign-ups/{asked.pk}/", {"decision": "confirm"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "confirmed"


def test_a_decision_made_meanwhile_is_explained_and_nothing_is_changed(client, running, asked):
    services.membership_decide(membership=running.request, by=running.people.site_admin, confirm=True)
    services.sign_up_decide(sign_up=asked, by=running.people.site_admin, confirm=True)
    client.force_login(running.people.administrator)
    response = client.post(f"/manage/testshire/sign-ups/{asked.pk}/", {"decision": "decline", "reason": "No"})
    assert response.status_code == 409
    text = text_of(response)
    assert "This sign-up was already signed up by Person" in text
    assert "Nothing was changed" in text
    asked.refresh_from_db()
    assert asked.status == "confirmed"


def test_declining_without_a_reason_is_an_error_by_the_field(client, running, asked):
    client.force_login(running.people.administrator)
    response = client.post(f"/manage/testshire/sign-ups/{asked.pk}/", {"decision": "decline"})
    assert response.status_code == 400
    text = text_of(response)
    assert "govuk-error-summary" in text and "Say why you decline it" in text
    assert re.search(r'value="decline"\s+checked', text)


def test_naming_a_champion_offers_only_confirmed_members_with_confirmed_addresses(client, running):
    unconfirmed = UserFactory(username="late@council.example", email_confirmed=False)
    member(unconfirmed, running.council)
    client.force_login(running.people.administrator)
    text = text_of(client.get(f"/manage/testshire/champions/{running.council.pk}/"))
    assert "officer@council.example" in text and "late@council.example" not in text
    response = client.post(
        f"/manage/testshire/champions/{running.council.pk}/",
        {"appoint": "1", "person": running.people.officer.pk, "public_contact": "on"},
    )
    assert response.status_code == 302
    champion = Membership.objects.get(role="champion", compact=running.compact)
    assert champion.user == running.people.officer and champion.public_contact
    assert client.get(f"/manage/testshire/champions/{OrganisationFactory().pk}/").status_code == 404


# Signing up --------------------------------------------------------------------------------------------------------


def test_the_sign_up_form_keeps_what_was_typed_and_says_what_is_wrong(client, running):
    services.email_confirm(user=running.people.newcomer, token=services.confirmation_token(running.people.newcomer))
    client.force_login(running.people.newcomer)
    page = client.get("/compacts/testshire/sign-up/")
    assert page.status_code == 200 and "The portal's wording" in text_of(page)
    data = {
        "organisation": running.group.pk,
        "sector": "vcs",
        "kind": "charity",
        "identifier_scheme": "charity",
        "identifier": "12",
        "signed_by_name": "Nia Okafor",
        "signed_by_role": "Chair",
    }
    response = client.post("/compacts/testshire/sign-up/", data)
    assert response.status_code == 400
    text = text_of(response)
    assert "Enter a charity number as the register gives it" in text
    assert "Confirm that you may sign for the organisation" in text
    assert 'value="Nia Okafor"' in text and 'value="12"' in text
    assert not SignUp.objects.exists()
    response = client.post("/compacts/testshire/sign-up/", {**data, "identifier": "1123456", "agree": "on"})
    assert response.status_code == 302
    assert SignUp.objects.get().organisation.identifier == "1123456"


def test_an_identifier_another_organisation_has_is_refused_by_the_field(client, running):
    Organisation.objects.create(
        name="Taken", sector="vcs", kind="charity", identifier_scheme="charity", identifier="1123456"
    )
    services.email_confirm(user=running.people.newcomer, token=services.confirmation_token(running.people.newcomer))
    client.force_login(running.people.newcomer)
    response = client.post(
        "/compacts/testshire/sign-up/",
        {
            "organisation": running.group.pk,
            "sector": "vcs",
            "kind": "charity",
            "identifier_scheme": "charity",
            "identifier": "1123456",
            "signed_by_name": "Nia Okafor",
            "signed_by_role": "Chair",
            "agree": "on",
        },
    )
    assert response.status_code == 400
    text = text_of(response)
    assert "Another organisation has that registered charity number" in text
    assert 'id="id_identifier_1_error"' in text  # by the field


def test_signing_up_asks_for_a_confirmed_address_first(client, running):
    client.force_login(running.people.newcomer)
    response = client.get("/compacts/testshire/sign-up/")
    assert response.status_code == 403 and "Confirm your email address first" in text_of(response)
    client.force_login(running.people.bystander)
    assert client.get("/compacts/testshire/sign-up/").status_code == 403  # belongs to no organisation


def test_the_compact_page_lists_portal_signatories_and_champions_apart(client, running, asked):
    services.membership_decide(membership=running.request, by=running.people.administrator, confirm=True)
    services.sign_up_decide(sign_up=asked, by=running.people.administrator, confirm=True)
    running.champion.public_contact = True
    running.champion.save()
    text = text_of(client.get("/compacts/testshire/"))
    portal = text[text.index('id="app-portal-signatories"') :]
    assert "New Group" in portal[: portal.index("Back to contents")]
    assert "signed up in the portal on" in portal
    assert "champion@council.example" in text[text.index('id="portal-champions"') :]


def test_the_account_page_shows_organisations_champions_and_sign_ups(client, running, asked):
    client.force_login(running.people.newcomer)
    text = text_of(client.get("/account/"))
    assert "New Group" in text and "Waiting for an administrator" in text
    client.force_login(running.people.officer)
    text = text_of(client.get("/account/"))
    assert "Testshire: Person" in text and "champion@council.example" in text  # the council's Champion


# A fixed number of queries -----------------------------------------------------------------------------------------


def grow(running, n):
    """n more signatories, each with a member asking to join and a Champion, and n sign-ups waiting."""
    for i in range(n):
        organisation = OrganisationFactory(name=f"Grown {running.compact.pk}-{n}-{i}")
        SignatoryFactory(compact=running.compact, organisation=organisation, section=running.compact.sections.first())
        Membership.objects.create(user=UserFactory(), organisation=organisation)
        champion = UserFactory()
        member(champion, organisation)
        member(champion, organisation, champion_of=running.compact)
        asker = UserFactory()
        newcomer = OrganisationFactory(name=f"Asking {running.compact.pk}-{n}-{i}")
        member(asker, newcomer)
        services.sign_up_request(
            by=asker,
            compact=running.compact,
            organisation=newcomer,
            sector="vcs",
            kind="charity",
            identifier_scheme="",
            identifier="",
            signed_by_name="A N Other",
            signed_by_role="Chair",
        )


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/manage/", "/manage/testshire/", "/manage/testshire/changes/", "/account/"])
def test_manage_and_account_pages_run_a_fixed_number_of_queries(client, running, url):
    client.force_login(running.people.administrator)
    member(running.people.administrator, running.council)
    grow(running, 1)
    small = count(client, url)
    grow(running, 6)
    assert Signatory.objects.filter(compact=running.compact).count() == 8
    assert count(client, url) == small
