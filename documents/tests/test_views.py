import datetime

import pytest

from commitments.tests.factories import CommitmentFactory
from compacts.models import Compact
from compacts.tests.document_check import page_text
from compacts.tests.factories import (
    CaseStudyFactory,
    CompactEventFactory,
    CompactFactory,
    ContactFactory,
    GlossaryTermFactory,
    PrincipleFactory,
    SectionFactory,
    SignatoryFactory,
)
from disputes.models import Origin
from disputes.tests.factories import ProcedureFactory, StageFactory

pytestmark = pytest.mark.django_db


def full_compact(n_items=1):
    compact = CompactFactory(title="The Testshire Compact")
    CompactEventFactory(compact=compact, kind="review_due")
    section = SectionFactory(compact=compact, title="Principles and commitments", body="Intro text.")
    for _ in range(n_items):
        PrincipleFactory(section=section)
        CommitmentFactory(section=section, lead_in="Public bodies will:", number="")
        SignatoryFactory(section=section)
        ContactFactory(section=section)
        GlossaryTermFactory(section=section)
        CaseStudyFactory(section=section)
    procedure = ProcedureFactory(compact=compact)
    StageFactory(procedure=procedure, section=section)
    return compact


def test_home_lists_compacts(client):
    compact = CompactFactory(title="The Testshire Compact")
    response = client.get("/")
    assert response.status_code == 200
    assert "The Testshire Compact" in response.content.decode()
    assert compact.get_absolute_url() in response.content.decode()


def test_detail_shows_every_kind_of_item(client):
    compact = full_compact()
    CommitmentFactory(section=compact.sections.first(), number="3.6", ref="3.6", text="Give three months notice.")
    response = client.get(compact.get_absolute_url())
    assert response.status_code == 200
    text = page_text(response.content)
    for expected in [
        "Principles and commitments",
        "Intro text.",
        "Partnership - working together.",
        "Public bodies will:",
        "Consult for twelve weeks.",
        "3.6 Give three months notice.",
        "Organisation",
        "Someone 01234 567890",
        "what it means",
        "What happened.",
        "Stage 1: talk to each other.",
    ]:
        assert expected in text, expected


def test_placeholder_contact_is_shown_as_unpublished(client):
    contact = ContactFactory(details="", placeholder="[Insert details]", label="Christchurch BC")
    text = page_text(client.get(contact.compact.get_absolute_url()).content)
    assert "Christchurch BC Not yet published [Insert details]" in text


def test_portal_default_stages_are_labelled(client):
    procedure = ProcedureFactory(origin=Origin.PORTAL_DEFAULT, summary="The document sets no procedure.")
    StageFactory(procedure=procedure, section=None, origin=Origin.PORTAL_DEFAULT, name="Informal resolution")
    text = page_text(client.get(procedure.compact.get_absolute_url()).content)
    assert "This Compact sets no dispute procedure. The portal's default procedure applies." in text
    assert "Step 1: Informal resolution Portal default" in text


def test_unknown_compact_is_404(client):
    response = client.get("/compacts/nowhere/")
    assert response.status_code == 404


@pytest.mark.parametrize("n_items", [1, 12])
def test_detail_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, n_items):
    compact = full_compact(n_items)
    with django_assert_max_num_queries(14):
        assert client.get(compact.get_absolute_url()).status_code == 200


def test_commitment_page(client):
    commitment = CommitmentFactory(number="4.7", ref="4.7", text="Promote consultations.")
    response = client.get(commitment.get_absolute_url())
    assert response.status_code == 200
    assert "Promote consultations." in response.content.decode()
    assert client.get(f"/compacts/{commitment.compact.slug}/commitments/9.9/").status_code == 404


def test_glossary_index_and_term_pages(client):
    term = GlossaryTermFactory(term="Full Cost Recovery", text="Full Cost Recovery - the total costs.")
    index = page_text(client.get("/glossary/").content)
    assert "Full Cost Recovery Full Cost Recovery - the total costs." in index
    response = client.get(term.get_absolute_url())
    assert response.status_code == 200
    assert term.get_absolute_url() == f"/glossary/{term.compact.slug}/full-cost-recovery/"
    assert f"As defined in the {term.compact.title}" in page_text(response.content)
    assert client.get(f"/glossary/{term.compact.slug}/nothing/").status_code == 404


def test_first_use_of_a_glossary_term_links_to_it(client):
    term = GlossaryTermFactory(term="Full Cost Recovery", text="Full Cost Recovery - the total costs.")
    SectionFactory(compact=term.compact, order=0, body="We apply full cost recovery. Full Cost Recovery again.")
    html = client.get(term.compact.get_absolute_url()).content.decode()
    link = f'<a class="govuk-link app-term-link" href="{term.get_absolute_url()}">full cost recovery</a>'
    assert link in html
    assert html.count("app-term-link") == 1


def test_review_overdue_is_flagged(client):
    event = CompactEventFactory(kind="review_due", date=datetime.date(2013, 1, 1), precision="year")
    CompactEventFactory(kind="review_due", date=datetime.date(2999, 1, 1), precision="year")
    assert "Review overdue" in page_text(client.get("/").content)
    assert "Due 2013 Overdue" in page_text(client.get(event.compact.get_absolute_url()).content)


def test_accessibility_statement(client):
    text = page_text(client.get("/accessibility/").content)
    assert "WCAG" in text and "Enforcement procedure" in text


def test_public_pages_are_cached_until_content_changes(client, django_assert_num_queries):
    compact = CompactFactory(summary="First summary.")
    url = compact.get_absolute_url()
    assert "First summary." in page_text(client.get(url).content)
    with django_assert_num_queries(0):
        assert "First summary." in page_text(client.get(url).content)
    compact.summary = "Second summary."
    compact.save()
    assert "Second summary." in page_text(client.get(url).content)


def test_signed_in_people_are_not_served_cached_pages(client, django_user_model):
    compact = CompactFactory(summary="First summary.")
    url = compact.get_absolute_url()
    client.get(url)
    Compact.objects.filter(pk=compact.pk).update(summary="Changed.")  # update() sends no signal: cache not bumped
    assert "First summary." in page_text(client.get(url).content)
    client.force_login(django_user_model.objects.create_user("officer", password="x"))
    assert "Changed." in page_text(client.get(url).content)


def test_a_change_made_by_another_server_is_seen_within_a_second(client, monkeypatch):
    from django.core.cache import cache as shared

    from compacts import cache

    compact = CompactFactory(summary="First summary.")
    url = compact.get_absolute_url()
    client.get(url)
    Compact.objects.filter(pk=compact.pk).update(summary="Changed elsewhere.")
    shared.incr(cache.VERSION_KEY)  # what another server's save does to the shared cache
    assert "First summary." in page_text(client.get(url).content)  # this server trusts its version for 1 s
    now = cache.time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: now + cache.VERSION_TTL + 0.1)
    assert "Changed elsewhere." in page_text(client.get(url).content)


def test_page_cache_can_be_switched_off(client, settings):
    settings.PAGE_CACHE = False
    compact = CompactFactory(summary="First summary.")
    client.get(compact.get_absolute_url())
    Compact.objects.filter(pk=compact.pk).update(summary="Changed.")
    assert "Changed." in page_text(client.get(compact.get_absolute_url()).content)


def test_cached_pages_are_served_gzipped_to_clients_that_accept_it(client):
    import gzip

    compact = CompactFactory(summary="First summary.")
    url = compact.get_absolute_url()
    fresh = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == fresh.content
    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    assert plain.content == fresh.content
    for response in (plain, zipped):
        assert "Accept-Encoding" in response["Vary"]
        assert "Cookie" in response["Vary"]  # signed-in people get other pages
