"""Every page runs the same number of queries whatever the size of the data."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compacts import cache

pytestmark = pytest.mark.django_db

SMALL = {"compacts": 4, "commitments": 40, "organisations": 12, "complaints": 8, "events": 20, "records": 10}
LARGE = {"compacts": 12, "commitments": 600, "organisations": 60, "complaints": 120, "events": 900, "records": 400}
YEAR = datetime.date.today().year

PAGES = [
    "/",
    "/compacts/scale-0001/",
    "/compacts/scale-0001/commitments/2/",
    "/commitments/",
    "/commitments/?q=sector",
    "/commitments/?sector=public&compact=scale-0001&compact=scale-0002",
    "/commitments/?theme=consultation&theme=funding&sector=public&sector=vcs",
    "/commitments/?q=sector&page=2",
    "/commitments/commitments.csv?theme=funding",
    "/commitments/commitments.json?q=notice",
    "/compare/?compacts=scale-0000&compacts=scale-0001&compacts=scale-0003&theme=consultation",
    "/glossary/",
    "/glossary/scale-0001/scale-term-0001/",
    "/compacts/scale-0001/checker/",
    "/compacts/scale-0001/checker/1/",
    f"/compacts/scale-0001/report/{YEAR}/",
    f"/reports/{YEAR}/",
]


def queries_for(client, url, size):
    call_command("seed_scale", verbosity=0, **size)
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    if response.context and "page" in response.context:  # a list: compare lists that have results
        assert response.context["page"].object_list, f"{url} found nothing at {size}"
    return len(context)


@pytest.mark.parametrize("url", PAGES)
def test_page_queries_do_not_grow_with_the_data(client, url):
    assert queries_for(client, url, SMALL) == queries_for(client, url, LARGE)


@pytest.mark.parametrize(
    "few, many",
    [
        (
            "/commitments/?compact=scale-0001",
            "/commitments/?compact=scale-0001&compact=scale-0002&compact=scale-0003&compact=scale-0004",
        ),
        (
            "/compare/?compacts=scale-0001&compacts=scale-0002&theme=consultation",
            "/compare/?compacts=scale-0001&compacts=scale-0002&compacts=scale-0003&compacts=scale-0004"
            "&theme=consultation",
        ),
    ],
)
def test_queries_do_not_grow_with_the_compacts_chosen(client, few, many):
    assert queries_for(client, few, LARGE) == queries_for(client, many, LARGE)


def test_the_busy_champion_holds_most_open_complaints_across_compacts_and_organisations(client):
    from django.contrib.auth import get_user_model

    from compacts.models import Membership
    from demo.management.commands.seed_scale import BUSY_CHAMPION
    from disputes.models import Complaint, Status

    call_command("seed_scale", verbosity=0, **{**LARGE, "compacts": 12, "complaints": 600})
    busy = get_user_model().objects.get(username=BUSY_CHAMPION)
    held = set(Membership.objects.filter(user=busy, role="champion").values_list("compact_id", "organisation_id"))
    assert len({compact for compact, _ in held}) == 10 and len(held) == 20
    open_against = [
        pair
        for pair in Complaint.objects.filter(status=Status.OPEN).values_list("compact_id", "respondent_id")
        if pair in held
    ]
    # 50 complaints in each busy Compact, most of them open and against the busy Champion's two organisations.
    assert len(open_against) > 0.7 * 10 * 50
    others = Membership.objects.filter(role="champion").exclude(user=busy).values_list("user", flat=True)
    assert len(open_against) > max(
        Complaint.objects.filter(status=Status.OPEN, respondent__memberships__user=user).count()
        for user in list(others)[:20]
    )

    client.force_login(busy)
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        response = client.get("/complaints/")
    assert response.status_code == 200 and response.context["page"].paginator.count >= len(open_against)
    with CaptureQueriesContext(connection) as second:
        client.get("/complaints/?page=3")
    assert len(first) == len(second)


def test_seeded_records_are_checked_as_the_service_checks_them():
    """Each seeded record's checks are what the checker makes of it, figure for figure: the figures its kind
    measures, of the commitments it names, against the sector of the organisation it is about."""
    from commitments.checking import check_record, kinds_measured
    from commitments.models import Figure, Record, RecordCheck

    call_command("seed_scale", verbosity=0, **SMALL)
    records = list(Record.objects.select_related("about").prefetch_related("commitments"))
    assert records
    for record in records:
        expected = {
            figure.pk: check_record(figure, record, record.about).outcome
            for figure in Figure.objects.filter(
                commitment__in=record.commitments.all(), kind__in=kinds_measured(record.kind)
            )
        }
        stored = dict(RecordCheck.objects.filter(record=record).values_list("figure_id", "outcome"))
        assert stored == expected, record.title
