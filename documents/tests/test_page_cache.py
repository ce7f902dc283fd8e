"""The page cache is made stale as a change commits, by the services that change what public pages show; saving a
row by other means (the admin, loaddata, code) does it too, the safety net."""

import datetime

import pytest
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from commitments import services as commitment_services
from commitments.tests.factories import CommitmentFactory, ThemeFactory
from compacts import cache
from compacts import content as registry
from compacts.models import Compact
from compacts.tests.document_check import page_text
from compacts.tests.factories import CompactFactory, PrincipleFactory, SectionFactory, UserFactory, compact_role
from documents import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_the_safety_net():
    """The page cache's signal receivers disconnected: what a service changes must make pages stale on its own."""
    followed = registry.public_models()
    for model in followed:
        assert post_save.disconnect(cache.row_changed, sender=model)
        assert post_delete.disconnect(cache.row_changed, sender=model)
    yield
    for model in followed:
        cache.follow(model)


@pytest.mark.django_db(transaction=True)
def test_a_page_cached_while_a_change_commits_is_not_served_after_it(client):
    compact = CompactFactory(summary="First summary.")
    url = compact.get_absolute_url()
    with transaction.atomic():
        compact.summary = "Second summary."
        compact.save()
        # A visitor's request on another connection, before the commit, still reads the first summary, and caches
        # its page under the version it reads. (This request shares the change's connection, so the row is put back
        # as the other connection sees it while it runs; update() tells no one.)
        Compact.objects.filter(pk=compact.pk).update(summary="First summary.")
        assert "First summary." in page_text(client.get(url).content)
        Compact.objects.filter(pk=compact.pk).update(summary="Second summary.")
    assert "Second summary." in page_text(client.get(url).content)


def test_publishing_a_review_makes_the_compact_page_stale(client, without_the_safety_net):
    compact = CompactFactory()
    section = SectionFactory(compact=compact, body="The old words.")
    administrator = UserFactory()
    compact_role(administrator, compact, "administrator")
    url = compact.get_absolute_url()
    assert "The old words." in page_text(client.get(url).content)
    review = services.review_open(compact=compact, by=administrator)
    services.review_change(review=review, by=administrator, kind="section", ref=section.ref, value="The new words.")
    services.review_publish(review=review, by=administrator, published_on=datetime.date(2026, 4, 1), note="")
    assert "The new words." in page_text(client.get(url).content)


def test_a_work_plan_action_makes_the_compact_page_stale(client, without_the_safety_net):
    compact = CompactFactory()
    administrator = UserFactory()
    compact_role(administrator, compact, "administrator")
    url = compact.get_absolute_url()
    client.get(url)
    commitment_services.work_plan_action_save(
        compact=compact,
        by=administrator,
        themes=[ThemeFactory()],
        commitments=[CommitmentFactory(compact=compact)],
        year=datetime.date.today().year,
        title="Run Compact awareness sessions",
        lead="Testshire CVS",
        owner=None,
        due_on=datetime.date.today() + datetime.timedelta(days=30),
        status="planned",
        notes="",
    )
    assert "Run Compact awareness sessions" in page_text(client.get(url).content)


def test_a_change_in_the_admin_makes_pages_stale(admin_client, client):
    principle = PrincipleFactory(text="Partnership - working together.")
    url = principle.compact.get_absolute_url()
    assert "Partnership - working together." in page_text(client.get(url).content)
    response = admin_client.post(
        f"/admin/compacts/principle/{principle.pk}/change/",
        {
            "compact": principle.compact_id,
            "section": principle.section_id,
            "order": principle.order,
            "ref": principle.ref,
            "name": principle.name,
            "text": "Partnership - working as one.",
        },
    )
    assert response.status_code == 302
    assert "Partnership - working as one." in page_text(client.get(url).content)
