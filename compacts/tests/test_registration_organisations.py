"""Registering: the organisations offered are each Compact's signatories, grouped by Compact, never national bodies a
document only mentions; a name typed that the portal knows asks to join it (issue 25, item 13 in part)."""

import re

import pytest
from django.core.management import call_command

from compacts import selectors
from compacts.models import Membership, Organisation
from conftest import kept_for_the_module

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    yield from kept_for_the_module(
        django_db_blocker,
        lambda: call_command("loaddata", "themes", "dorset", "darlington", "county-durham", verbosity=0),
    )


@pytest.fixture
def compacts_loaded(_loaded, db):
    """Three Compacts, loaded once for the module."""


def _groups(html):
    select = html[html.index('name="organisation"') : html.index("</select>", html.index('name="organisation"'))]
    return {
        label: re.findall(r"<option[^>]*>([^<]+)</option>", body)
        for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    }


def test_the_list_is_each_compacts_signatories_by_compact(client, compacts_loaded, django_assert_num_queries):
    with django_assert_num_queries(2):
        groups = selectors.registration_organisations()
    # County Durham's document prints no signatories (it names the Cabinet Office among national contacts).
    assert [compact.short_name for compact, _ in groups] == ["Darlington", "Dorset"]
    html = client.get("/accounts/register/").content.decode()
    shown = _groups(html)
    assert list(shown) == ["Darlington Compact", "Dorset Compact"]
    assert "Tees Valley YMCA" in shown["Darlington Compact"] and "Dorset Police" in shown["Dorset Compact"]
    assert shown["Dorset Compact"] == sorted(shown["Dorset Compact"])
    everything = [name for names in shown.values() for name in names]
    assert "Cabinet Office" in Organisation.objects.values_list("name", flat=True)
    assert "Cabinet Office" not in everything and "Cabinet Office" not in html


def test_the_compact_asked_for_comes_first_and_is_named_for_the_filter(client, compacts_loaded):
    html = client.get("/accounts/register/?compact=dorset").content.decode()
    assert next(iter(_groups(html))) == "Dorset Compact"
    assert 'data-area="Dorset Compact"' in html


def registration(**extra):
    return {
        "first_name": "Val",
        "last_name": "Carter",
        "email": "val@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def test_choosing_an_organisation_from_a_group_asks_to_join_it(client, compacts_loaded):
    ymca = Organisation.objects.get(name="Tees Valley YMCA")
    response = client.post("/accounts/register/", registration(organisation=ymca.pk))
    assert response.status_code == 302
    assert Membership.objects.get(user__username="val@example.org").organisation == ymca


def test_a_known_organisation_not_in_the_list_is_joined_by_its_name(client, compacts_loaded):
    response = client.post("/accounts/register/", registration(new_organisation="  dorset community action "))
    assert response.status_code == 302
    joined = Membership.objects.get(user__username="val@example.org").organisation
    assert joined.name == "Dorset Community Action" and joined.confirmed


def test_a_new_organisation_is_still_registered_to_be_confirmed(client, compacts_loaded):
    response = client.post("/accounts/register/", registration(new_organisation="Bridport Befrienders"))
    assert response.status_code == 302
    assert not Organisation.objects.get(name="Bridport Befrienders").confirmed
    response = client.post(
        "/accounts/register/", registration(email="sam@example.org", new_organisation="Bridport befrienders")
    )
    assert response.status_code == 400
    assert "waiting for an administrator to confirm it" in response.content.decode()
