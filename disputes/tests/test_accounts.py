import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail

from compacts.models import CompactRoleKind, Membership, Organisation
from compacts.tests.factories import CompactFactory, UserFactory, compact_role

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_repeated_failed_sign_ins_are_locked_out(client):
    user = UserFactory(username="val@example.org")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429  # even the right password, until the cool-off ends
    assert "_auth_user_id" not in client.session


def test_signing_in_with_the_right_password(client):
    user = UserFactory(username="val@example.org")
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/complaints/"


def test_registering_asks_to_join_an_existing_organisation(client):
    charity = Organisation.objects.create(name="Helpers", sector="vcs", kind="charity")
    response = client.post(
        "/accounts/register/",
        {
            "first_name": "Val",
            "last_name": "Carter",
            "email": "Val@Example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "organisation": charity.pk,
            "job_title": "Volunteer",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/account/registered/"
    membership = Membership.objects.get()
    assert (membership.user.username, membership.organisation, membership.status) == (
        "val@example.org",
        charity,
        "pending",
    )
    assert "_auth_user_id" not in client.session  # signed in only once they sign in, with their password
    client.post("/accounts/login/", {"username": "val@example.org", "password": PASSWORD})
    assert client.get("/complaints/new/").status_code == 403  # not until an administrator confirms


def registration(email, **changes):
    return {
        "first_name": "Val",
        "last_name": "Carter",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "new_organisation": "Brand New Group",
        **changes,
    }


def test_registering_says_the_same_whether_or_not_the_address_has_an_account(
    client, django_capture_on_commit_callbacks
):
    """Nobody learns from the form which addresses have accounts: the answer is the same page, and the owner of an
    address that has one is emailed (once a day at most) how to sign in."""
    owner = UserFactory(username="taken@example.org", email="taken@example.org")
    before, pages = (owner.password, owner.first_name, owner.last_name), []
    for email in ["Taken@Example.org", "new@example.org"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/register/", registration(email, new_organisation=f"Group of {email}"))
        assert (response.status_code, response["Location"]) == (302, "/account/registered/")
        page = client.get(response["Location"]).content.decode()
        pages.append(page.replace(email.lower(), "ADDRESS"))
    assert pages[0] == pages[1] and "Check your email" in pages[0]
    assert not Organisation.objects.filter(name="Group of Taken@Example.org").exists()
    owner.refresh_from_db()
    assert (owner.password, owner.first_name, owner.last_name) == before  # the account is untouched
    assert not owner.memberships.exists()  # nothing asked on the owner's behalf
    sent = {(email.to[0], email.subject) for email in mail.outbox}
    assert sent == {
        ("taken@example.org", "You already have an account"),
        ("new@example.org", "Confirm your email address"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/register/", registration("taken@example.org", new_organisation="Another"))
    assert [e.to for e in mail.outbox].count(["taken@example.org"]) == 1  # not again the same day


def test_the_confirmation_link_works_without_signing_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/register/", registration("val@example.org"))
    (link,) = re.findall(r"http://\S+/account/confirm-email/\S+/", mail.outbox[-1].body)
    response = client.get(link.split("8000", 1)[1], follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "val@example.org is confirmed. Sign in to go on." in response.content.decode()
    from compacts.permissions import email_confirmed

    assert email_confirmed(Membership.objects.get().user)


def test_registering_a_new_organisation_needs_confirming(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/register/",
            {
                "first_name": "Val",
                "last_name": "Carter",
                "email": "val@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "new_organisation": "Brand New Group",
            },
        )
    organisation = Organisation.objects.get(name="Brand New Group")
    assert not organisation.confirmed
    from compacts.services import membership_decide

    (link,) = re.findall(r"http://\S+/account/confirm-email/\S+/", mail.outbox[-1].body)
    assert client.get(link.split("8000", 1)[1]).status_code == 302  # the address is confirmed by its link
    client.post("/accounts/login/", {"username": "val@example.org", "password": PASSWORD})
    site_admin = UserFactory(is_superuser=True)
    membership_decide(membership=Membership.objects.get(), by=site_admin, confirm=True)
    organisation.refresh_from_db()
    assert organisation.confirmed
    assert client.get("/complaints/new/").status_code == 200


def test_registration_errors_keep_what_was_typed(client):
    response = client.post("/accounts/register/", {"first_name": "Val", "email": "not-an-email"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose your organisation, or give its name if it is not listed" in text
    assert 'value="Val"' in text


def test_a_wrong_password_is_said_plainly_and_an_address_too_long_for_any_account_is_refused(client):
    UserFactory(username="val@example.org")
    response = client.post("/accounts/login/", {"username": "val@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "The email address or password is not right. Check both and try again" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "a" * 300 + "@example.org", "password": "x"})
    assert response.status_code == 200 and "The email address or password is not right" in response.content.decode()


def test_a_failed_sign_in_marks_both_fields_and_a_visitor_sent_to_sign_in_is_told_why(client):
    text = client.post("/accounts/login/", {"username": "val@example.org", "password": "wrong"}).content.decode()
    assert text.count("govuk-input--error") == 2 and text.count('class="govuk-error-message"') == 1
    text = client.get("/accounts/login/?next=/complaints/new/").content.decode()
    assert (
        "Sign in to go on to the page you asked for. No account yet?" in text and 'href="/accounts/register/"' in text
    )


def test_a_visitor_sent_to_sign_in_from_signing_up_is_told_why_and_offered_an_account(client):
    CompactFactory(slug="dorset", short_name="Dorset", title="The Dorset Compact")
    text = client.get("/accounts/login/?next=/compacts/dorset/sign-up/").content.decode()
    assert "To sign your organisation up to the Dorset Compact, sign in first" in text
    assert 'href="/accounts/register/?compact=dorset">Create an account</a>, naming your organisation' in text
    text = client.get("/accounts/login/?next=/compacts/nowhere/sign-up/").content.decode()
    assert "To sign your organisation up" not in text


def test_a_failed_sign_in_says_why_above_both_fields_not_under_the_email_address_label(client):
    text = client.post("/accounts/login/", {"username": "val@example.org", "password": "wrong"}).content.decode()
    form = text[text.index("<form") :]
    assert form.index("The email address or password is not right") < form.index('<label class="govuk-label"')
    assert form.count('aria-describedby="sign-in-error"') == 2
    text = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in text and "Enter your password" in text
    assert "This field is required" not in text


@pytest.mark.parametrize(
    "who, asked_for, lands_on",
    [
        ("site admin", "", "/manage/"),
        ("Compact administrator", "", "/manage/"),
        ("member", "", "/complaints/"),
        ("site admin", "/complaints/", "/complaints/"),
        ("Compact administrator", "/glossary/", "/glossary/"),
    ],
)
def test_administrators_land_on_manage_unless_a_page_was_asked_for(client, who, asked_for, lands_on):
    user = UserFactory(username="val@example.org", is_superuser=who == "site admin")
    if who == "Compact administrator":
        compact_role(user, CompactFactory(), CompactRoleKind.ADMINISTRATOR)
    data = {"username": user.username, "password": PASSWORD, **({"next": asked_for} if asked_for else {})}
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302 and response["Location"] == lands_on


def test_passwords_are_kept_with_argon2_and_an_older_hash_is_upgraded_at_sign_in(client, settings):
    from compact_portal import settings as portal_settings

    assert portal_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = portal_settings.PASSWORD_HASHERS
    user = UserFactory(username="val@example.org")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "anoldsalt")
    user.save(update_fields=["password"])
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$") and user.check_password(PASSWORD)
