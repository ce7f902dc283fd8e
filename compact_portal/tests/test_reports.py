"""The annual Compact report and every Compact's figures side by side, from the demo complaints of Darlington and
records of Compact working; counted in a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compact_portal import reports
from compacts.models import Compact
from compacts.tests.document_check import page_text
from disputes.models import Complaint, StageClock

FIXTURES = ["themes", "dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]
YEAR = datetime.date.today().year


@pytest.fixture
def demo(db, settings):
    call_command("loaddata", *FIXTURES, verbosity=0)
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    return Compact.objects.get(slug="darlington")


def test_the_darlington_report_counts_the_demo_complaints(client, demo):
    received = Complaint.objects.filter(compact=demo, submitted_at__year=YEAR)
    assert received.exists()
    response = client.get(f"/compacts/darlington/report/{YEAR}/")
    assert response.status_code == 200
    text = page_text(response.content)
    assert f"Compact report {YEAR}" in text
    assert f"Received {received.count()}" in text
    assert f"Open now {received.filter(status='open').count()}" in text
    html = response.content.decode()
    assert html.count("<svg viewBox=") >= 2 and 'role="img"' in html and "<title id=" in html
    assert "Stage 1: " in text and "Time at each stage" in text


def test_stage_times_by_nearest_rank(demo):
    """Median and 90th percentile of 4, 6, 9 and 30 days: 6 and 30 (nearest rank); within a 20-day limit: 3 of 4,
    counting a changed deadline against the limit as first set."""
    complaint = Complaint.objects.filter(compact=demo).first()
    stage = demo.procedure.stages.order_by("order").first()
    start = datetime.datetime(2025, 3, 3, 9, tzinfo=datetime.UTC)
    ids = []
    for days, extended in ((4, False), (6, False), (9, False), (30, True)):
        due = start.date() + datetime.timedelta(days=20)
        clock = StageClock.objects.create(
            complaint=complaint,
            stage=stage,
            started_on=start.date(),
            started_at=start,
            time_limit=20,
            time_unit="calendar_days",
            due_on=due + datetime.timedelta(days=15) if extended else due,
            original_due_on=due,
            ended_at=start + datetime.timedelta(days=days),
        )
        ids.append(clock.pk)
    times = reports.stage_times(
        StageClock.objects.filter(pk__in=ids), [stage], datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    )
    result = times[stage.pk]
    assert result.stage == stage
    assert (result.finished, result.median_days, result.p90_days) == (4, 6, 30)
    assert (result.within, result.with_limit, result.within_share) == (3, 4, 75)


@pytest.mark.parametrize("table", list(__import__("compact_portal.views", fromlist=["REPORT_TABLES"]).REPORT_TABLES))
def test_every_table_downloads_as_csv(client, demo, table):
    response = client.get(f"/compacts/darlington/report/{YEAR}/{table}.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="darlington-{YEAR}-{table}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0]


def test_the_summary_shows_every_compact_side_by_side(client, demo):
    response = client.get(f"/reports/{YEAR}/")
    text = page_text(response.content)
    for name in ("Dacorum", "Darlington", "Dorset"):
        assert name in text
    assert "Nothing is ranked" in text
    assert client.get("/reports/1990/").status_code == 404


def test_report_queries_do_not_grow(client, demo, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        client.get(f"/compacts/darlington/report/{YEAR}/")
    call_command("seed_scale", compacts=3, commitments=20, organisations=10, complaints=200, events=800, verbosity=0)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/compacts/darlington/report/{YEAR}/")
    assert len(many) == len(few) <= 20
