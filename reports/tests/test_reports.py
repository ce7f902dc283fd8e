"""The annual Compact report and every Compact's figures side by side, from the demo complaints of Darlington and
records of Compact working; counted in a fixed number of queries."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from compacts.models import Compact, Signatory
from compacts.tests.document_check import page_text
from compacts.tests.factories import OrganisationFactory
from conftest import kept_for_the_module
from disputes.models import Complaint, StageClock
from reports import selectors as reports

FIXTURES = ["themes", "dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]
YEAR = datetime.date.today().year


def make_demo():
    call_command("loaddata", *FIXTURES, verbosity=0)
    with override_settings(DEBUG=True):  # the demo accounts are made only where DEBUG is on
        call_command("seed_demo", verbosity=0)


@pytest.fixture(scope="module")
def _demo_made(django_db_setup, django_db_blocker):
    yield from kept_for_the_module(django_db_blocker, make_demo)


@pytest.fixture
def demo(_demo_made, db):
    """The five Compacts and the demo's complaints and records, made once for the module: Darlington's Compact."""
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
    assert html.count('class="app-chart"') >= 2 and 'role="img" aria-labelledby="chart-stages-title"' in html
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


@pytest.mark.parametrize("table", list(__import__("reports.views", fromlist=["REPORT_TABLES"]).REPORT_TABLES))
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
    # Records sized like the rest (seed_scale's default, 100,000 for the benchmark, came after this test was written).
    many_of_each = {"compacts": 3, "commitments": 20, "organisations": 10, "complaints": 200, "events": 800}
    call_command("seed_scale", **many_of_each, records=800, verbosity=0)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/compacts/darlington/report/{YEAR}/")
    assert len(many) == len(few) <= 20


def chart(html, chart_id):
    """The rows of a chart on the report page, by its id: each label, and what stands beside its bar (None where
    no bar is drawn) and the value shown."""
    figure = html[html.index(f'aria-labelledby="{chart_id}-title"') :]
    figure = figure[: figure.index("</figure>")]
    return [
        (label, "<svg" in measure, re.sub(r"<[^>]+>", "", measure))
        for label, measure in re.findall(
            r'<span class="app-chart__label">(.*?)</span>\s*<span class="app-chart__measure">(.*?)</span></span>',
            figure,
            re.S,
        )
    ]


def test_chart_labels_are_whole_and_apart_from_their_values(client, demo):
    """Every label is the stage's whole name, on a line of its own, never cut short and run into the number."""
    html = client.get(f"/compacts/darlington/report/{YEAR}/").content.decode()
    stages = demo.procedure.stages.order_by("order")
    rows = chart(html, "chart-stages")
    assert [label for label, _, _ in rows] == [f"Stage {stage.order}: {stage.name}" for stage in stages]
    assert any(len(label) > 34 for label, _, _ in rows)  # longer than the old charts' labels were cut to
    assert all(value.isdigit() and drawn == (value != "0") for _, drawn, value in rows)  # no bar of nothing


def test_a_stage_where_nothing_ended_draws_no_bar_and_says_so_as_the_table_does(client, demo):
    StageClock.objects.filter(complaint__compact=demo).delete()
    complaint = Complaint.objects.filter(compact=demo).first()
    first, second, third = demo.procedure.stages.order_by("order")
    at = datetime.datetime(YEAR, 3, 3, 9, tzinfo=datetime.UTC)
    StageClock.objects.create(
        complaint=complaint,
        stage=first,
        started_on=at.date(),
        started_at=at,
        time_limit=20,
        time_unit="calendar_days",
        due_on=at.date() + datetime.timedelta(days=20),
        ended_at=at + datetime.timedelta(days=4),
    )
    response = client.get(f"/compacts/darlington/report/{YEAR}/")
    rows = chart(response.content.decode(), "chart-within")
    assert rows[0][1:] == (True, "100%")
    assert rows[1][1:] == (False, "None ended")  # no bar, where the old chart drew "0%"
    assert rows[2][1:] == (False, "None ended")
    text = page_text(response.content)
    assert f"Stage 2: {second.name} 20 working days 0 – – None ended" in text
    assert f"Stage 3: {third.name} None set 0 – – None ended" in text
    assert not re.search(r"(?<!\d)0%", text)


def test_other_years_are_only_those_with_something_to_report(client, demo):
    """Darlington's Compact dates from 2004; the report lists a year only where the portal has something to count
    for it (here a sign-up in 2021 and a complaint in 2024), and this year."""
    Signatory.objects.create(
        compact=demo, organisation=OrganisationFactory(), joined_on=datetime.date(2021, 5, 4), order=999
    )
    Complaint.objects.filter(pk=Complaint.objects.filter(compact=demo).first().pk).update(
        submitted_at=datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC)
    )
    text = page_text(client.get(f"/compacts/darlington/report/{YEAR}/").content)
    assert "Other years with something to report: 2024, 2021" in text
    assert "2004" not in text and "2023" not in text
    text = page_text(client.get("/compacts/darlington/report/2021/").content)
    assert f"Other years with something to report: {YEAR}, 2024" in text


def test_this_year_alone_lists_no_other_years(client, demo):
    assert "Other years" not in page_text(client.get(f"/compacts/darlington/report/{YEAR}/").content)


def table_headings(html, table):
    """The column headings of the table on the report page whose CSV link names `table`."""
    link = html.index(f"/{table}.csv")
    start = html.rindex("<table", 0, link)
    head = html[start : html.index("</thead>", start)]
    return [re.sub(r"<[^>]+>", "", heading) for heading in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', head)]


@pytest.mark.parametrize("table", ["complaints", "open-by-stage", "stage-times", "checker"])
def test_csv_headings_are_the_words_of_the_table_headings(client, demo, table):
    html = client.get(f"/compacts/darlington/report/{YEAR}/").content.decode()
    response = client.get(f"/compacts/darlington/report/{YEAR}/{table}.csv")
    headings = next(csv.reader(io.StringIO(response.content.decode())))
    on_page = table_headings(html, table)
    assert headings[: len(on_page)] == on_page
    if table == "stage-times":  # "3 of 4 (75%)" in one cell on the page: three numbers in the file
        assert headings[len(on_page) :] == ["Ended with a time limit", "Within the limit (%)"]


def test_csv_rows_use_the_words_of_the_table(client, demo):
    text = page_text(client.get(f"/compacts/darlington/report/{YEAR}/").content)
    rows = list(
        csv.reader(io.StringIO(client.get(f"/compacts/darlington/report/{YEAR}/complaints.csv").content.decode()))
    )
    for label, number in rows[1:]:
        assert f"{label} {number}" in text
    rows = list(
        csv.reader(io.StringIO(client.get(f"/compacts/darlington/report/{YEAR}/stage-times.csv").content.decode()))
    )
    for row in rows[1:]:
        assert f"{row[0]} {row[1]} {row[2]}" in text  # stage, time limit in the table's words, ended


def test_the_print_button_waits_for_javascript(client, demo):
    html = client.get(f"/compacts/darlington/report/{YEAR}/").content.decode()
    assert re.search(r'<button type="button" [^>]*data-app-print hidden>Print this report</button>', html)
