"""The annual Compact report and the summary of every Compact's figures, as pages and CSV files."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from compacts import selectors as compact_selectors
from compacts.cache import public_page
from compacts.exports import csv_response

from . import selectors as reports


def _report_year(year):
    if not reports.FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404("There is no report for that year.")
    return year


def report_latest(request, slug):
    compact = compact_selectors.compact(slug)
    return redirect("reports:report", compact.slug, timezone.localdate().year)


@public_page
def report(request, slug, year):
    """The annual Compact report: complaints, time at each stage, the checker, sign-ups, Champions, work plan."""
    compact = compact_selectors.compact(slug)
    today = timezone.localdate()
    data = reports.annual_report(compact, _report_year(year), today)
    years = [other for other in reports.report_years(compact, today) if other != year]
    return render(request, "reports/report.html", {"compact": compact, "report": data, "today": today, "years": years})


REPORT_TABLES = {
    # Each file's column headings are the words of its table's headings on the report page; where the page shows
    # "3 of 4 (75%)" in one cell, the file gives the three numbers in columns of their own.
    "complaints": ("Complaints received", ["Complaints", "Number"]),
    "open-by-stage": ("Open complaints by stage", ["Stage", "Open"]),
    "closed-by-outcome": ("Closed complaints by outcome", ["Outcome", "Closed"]),
    "stage-times": (
        "Time at each stage",
        [
            "Stage",
            "Time limit",
            "Ended",
            "Median days",
            "90th percentile days",
            "Within the limit",
            "Ended with a time limit",
            "Within the limit (%)",
        ],
    ),
    "checker": ("Commitments with figures", ["Commitment", "Figure", "Records", "Met", "Missed", "Cannot be told"]),
    "sign-ups": ("Signed up in the portal", ["Organisation", "Signed up on"]),
    "work-plan": ("Work plan", ["Actions", "Done", "Overdue"]),
}


def _report_rows(data, table):
    if table == "complaints":
        return [
            ["Received", data.received],
            ["Open now", data.open],
            ["Closed", data.closed],
            [f"Deadlines changed in {data.year}", data.extensions],
            ["Overdue now (every open complaint)", data.overdue_now],
        ]
    if table == "open-by-stage":
        return [[f"Stage {stage.order}: {stage.name}", n] for stage, n in data.open_by_stage]
    if table == "closed-by-outcome":
        return [[label, n] for label, n in data.closed_by_outcome]
    if table == "stage-times":
        return [
            [
                f"Stage {t.stage.order}: {t.stage.name}",
                t.limit_words,
                t.finished,
                t.median_days,
                t.p90_days,
                t.with_limit,
                t.within,
                t.within_share,
            ]
            for t in data.stage_times
        ]
    if table == "checker":
        return [
            [
                row.commitment.short_label,
                "; ".join(f"{f.label} ({f.qualifiers})" if f.qualifier_words else f.label for f in row.figures),
                row.total,
                row.met,
                row.missed,
                row.unknown,
            ]
            for row in data.checker
        ]
    if table == "sign-ups":
        return [[s.organisation.name, s.joined_on.isoformat()] for s in data.joined]
    if table == "work-plan":
        plan = data.work_plan or {"total": 0, "done": 0, "overdue": 0}
        return [[plan["total"], plan["done"], plan["overdue"]]]
    raise Http404("There is no such table in the report.")


def report_csv(request, slug, year, table):
    """One table of the report as a CSV file."""
    if table not in REPORT_TABLES:
        raise Http404("There is no such table in the report.")
    compact = compact_selectors.compact(slug)
    data = reports.annual_report(compact, _report_year(year), timezone.localdate())
    return csv_response(f"{compact.slug}-{year}-{table}.csv", REPORT_TABLES[table][1], _report_rows(data, table))


@public_page
def reports_summary(request, year):
    """Every Compact's report figures side by side, A to Z: ranked by nothing."""
    today = timezone.localdate()
    page = reports.summary_page(request.GET.get("page"))
    rows = reports.summary(list(page.object_list), _report_year(year), today)
    return render(request, "reports/reports_summary.html", {"rows": rows, "year": year, "today": today, "page": page})
