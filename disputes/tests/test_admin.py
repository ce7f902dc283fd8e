import pytest
from django.contrib import admin
from django.urls import reverse

from commitments.tests.factories import FigureFactory
from compacts.tests.factories import ContactFactory, PrincipleFactory, SignatoryFactory
from disputes.tests.factories import StageFactory

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_every_model_of_the_portal_is_registered():
    from django.apps import apps

    ours = [m for app in ("compacts", "commitments", "disputes") for m in apps.get_app_config(app).get_models()]
    assert [m for m in ours if m not in admin.site._registry] == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_search_load(admin_client, model):
    FigureFactory()
    StageFactory()
    ContactFactory()
    PrincipleFactory()
    SignatoryFactory()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "a"}).status_code == 200


@pytest.fixture
def waiting(db):
    """Two requests to join a signatory organisation: one person has confirmed their address, one has not."""
    from compacts.models import Membership
    from compacts.tests.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(name="Testshire Council")
    SignatoryFactory(organisation=organisation)
    return [
        Membership.objects.create(
            user=UserFactory(username=email, email_confirmed=confirmed), organisation=organisation
        )
        for email, confirmed in [("ready@example.org", True), ("unconfirmed@example.org", False)]
    ]


def act(admin_client, action, memberships, **extra):
    url = reverse("admin:compacts_membership_changelist")
    data = {"action": action, "_selected_action": [m.pk for m in memberships], **extra}
    return admin_client.post(url, data, follow=True)


def test_the_admins_confirm_says_who_could_not_be_confirmed_and_confirms_the_rest(admin_client, waiting):
    response = act(admin_client, "confirm", waiting)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Not decided: unconfirmed@example.org, Testshire Council. Confirm your email address before you are" in text
    assert "1 request confirmed." in text
    assert [m.__class__.objects.get(pk=m.pk).status for m in waiting] == ["confirmed", "pending"]


def test_the_admins_refuse_asks_for_the_reason_the_person_is_told(admin_client, waiting):
    response = act(admin_client, "refuse", waiting)
    assert response.status_code == 200 and "Why they are refused" in response.content.decode()
    response = act(admin_client, "refuse", waiting, refuse_reason="1", reason=" ")
    assert response.status_code == 400 and "Say why the requests are refused" in response.content.decode()
    assert {m.__class__.objects.get(pk=m.pk).status for m in waiting} == {"pending"}
    response = act(admin_client, "refuse", waiting, refuse_reason="1", reason="Not known to the council")
    assert "2 requests refused." in response.content.decode()
    assert {(m.status, m.reason) for m in (m.__class__.objects.get(pk=m.pk) for m in waiting)} == {
        ("refused", "Not known to the council")
    }


def test_a_forged_selection_that_is_not_an_id_is_ignored_not_a_500(admin_client, waiting):
    for action in ("delete_selected", "confirm"):
        response = act(admin_client, action, [], _selected_action=["1 OR 1=1", "x"])
        assert response.status_code == 200  # Django's "Items must be selected" message
    assert {m.__class__.objects.get(pk=m.pk).status for m in waiting} == {"pending"}
