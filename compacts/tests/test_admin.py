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
