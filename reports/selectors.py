"""The annual Compact report, and the same figures for every Compact side by side: complaints, time at each stage
against its limit, extensions, the checker's records, sign-ups and Champions, the work plan. Every figure is
counted in the database, in a fixed number of queries whatever the size of the data; percentiles are by nearest
rank (the median of 4, 6, 9 and 30 days is 6), worked out with window functions on both databases."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, Q, Window
from django.db.models.functions import Cast, Ceil, Coalesce, ExtractYear, RowNumber
from django.utils import timezone

from commitments import permissions as record_permissions
from commitments import selectors as record_selectors
from commitments.models import CheckOutcome, RecordCheck
from compacts.models import (
    Compact,
    Membership,
    MembershipRole,
    MembershipStatus,
    Signatory,
    WorkPlanAction,
    WorkPlanStatus,
)
from disputes.models import Complaint, ComplaintEvent, EventKind, Outcome, Stage, StageClock, Status

FIRST_YEAR = 2000


@dataclass
class StageTime:
    stage: object
    finished: int = 0
    median_days: int | None = None
    p90_days: int | None = None
    with_limit: int = 0
    within: int = 0

    @property
    def within_share(self):
        return round(100 * self.within / self.with_limit) if self.with_limit else None

    @property
    def limit_words(self):
        """The stage's time limit in words, as the report's table and its CSV file give it."""
        if not self.stage.time_limit:
            return "None set"
        words = f"{self.stage.time_limit} {self.stage.get_time_unit_display().lower()}"
        return f"{words} (the portal's default)" if self.stage.is_portal_default else words

    @property
    def within_note(self):
        """Why there is no share within the limit to show, in words (None where there is one)."""
        if self.with_limit:
            return None
        return "No time limit" if self.finished else "None ended"


@dataclass
class Report:
    compact: object
    year: int
    received: int
    open: int
    closed: int
    open_by_stage: list  # (stage, count), in the procedure's order
    closed_by_outcome: list  # (label, count)
    stage_times: list  # StageTime per stage
    extensions: int
    overdue_now: int
    checker: list  # commitments.selectors.CheckerRow
    joined: list  # signatories that signed up in the portal in the year
    champions_named: int
    champions_now: int
    work_plan: dict | None  # total, done, overdue; None where the Compact has no work plan for the year
    charts: dict = field(default_factory=dict)


def _year_range(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _moments(start, end):
    """The period's first moment and the moment after its last, in the portal's time zone: compared with a
    timestamp column as it is, so the column's index can be used (a date taken of each row could not)."""
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time(), tzinfo=zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    return first, after


def annual_report(compact, year, today):
    start, end = _year_range(year)
    stages = list(Stage.objects.filter(procedure__compact=compact).order_by("order"))
    first, after = _moments(start, end)
    received = Complaint.objects.filter(compact=compact, submitted_at__gte=first, submitted_at__lt=after)
    totals = received.aggregate(
        received=Count("id"),
        open=Count("id", filter=Q(status=Status.OPEN)),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
    )
    by_stage = dict(
        received.filter(status=Status.OPEN).values_list("current_stage_id").annotate(n=Count("id")).order_by()
    )
    by_outcome = dict(received.filter(status=Status.CLOSED).values_list("outcome").annotate(n=Count("id")).order_by())
    times = stage_times(StageClock.objects.filter(complaint__compact=compact), stages, start, end)
    report = Report(
        compact=compact,
        year=year,
        received=totals["received"],
        open=totals["open"],
        closed=totals["closed"],
        open_by_stage=[(stage, by_stage.get(stage.pk, 0)) for stage in stages],
        closed_by_outcome=[(label, by_outcome[value]) for value, label in Outcome.choices if by_outcome.get(value)],
        stage_times=[times.get(stage.pk) or StageTime(stage) for stage in stages],
        extensions=ComplaintEvent.objects.filter(
            complaint__compact=compact, kind=EventKind.EXTENDED, at__gte=first, at__lt=after
        ).count(),
        overdue_now=Complaint.objects.filter(compact=compact, status=Status.OPEN, stage_due_on__lt=today).count(),
        checker=record_selectors.checker([compact], start, end, record_permissions.visible(AnonymousUser(), today))[
            compact.pk
        ],
        joined=list(
            Signatory.objects.filter(compact=compact, joined_on__range=(start, end))
            .select_related("organisation")
            .order_by("joined_on", "order")
        ),
        **_champions(compact, start, end),
        work_plan=_work_plan(compact, year, today),
    )
    for stage_time in report.stage_times:
        stage_time.stage.compact = compact
    report.charts = {
        "open_by_stage": bars([(f"Stage {stage.order}: {stage.name}", n) for stage, n in report.open_by_stage]),
        "closed_by_outcome": bars(report.closed_by_outcome),
        "within": bars(
            [(f"Stage {t.stage.order}: {t.stage.name}", t.within_share, t.within_note) for t in report.stage_times],
            percent=True,
        ),
    }
    return report


def stage_times(clocks, stages, start, end):
    """For each of `stages`, the clocks that ended in the period: how many, the median and 90th percentile of their
    days, and how many of those with a time limit ended within it (the limit as first set, before any extension)."""
    stages = {stage.pk: stage for stage in stages}
    first, after = _moments(start, end)
    ended = clocks.filter(ended_at__gte=first, ended_at__lt=after).annotate(
        days=ExpressionWrapper(Cast("ended_at", DateField()) - F("started_on"), output_field=DurationField()),
        limit=Coalesce("original_due_on", "due_on"),
    )
    times = {}
    for row in (
        ended.values("stage_id")
        .annotate(
            finished=Count("id"),
            with_limit=Count("id", filter=Q(limit__isnull=False)),
            within=Count("id", filter=Q(limit__isnull=False, ended_at__date__lte=F("limit"))),
        )
        .order_by()
    ):
        times[row["stage_id"]] = StageTime(
            stage=stages.get(row["stage_id"]),
            finished=row["finished"],
            with_limit=row["with_limit"],
            within=row["within"],
        )
    ranked = ended.annotate(
        rank=Window(RowNumber(), partition_by=[F("stage_id")], order_by=[F("days").asc(), F("id").asc()]),
        count=Window(Count("id"), partition_by=[F("stage_id")]),
    )
    median = ranked.filter(rank=Ceil(F("count") * 0.5)).values_list("stage_id", "days")
    p90 = ranked.filter(rank=Ceil(F("count") * 0.9)).values_list("stage_id", "days")
    for stage_id, days in median:
        times[stage_id].median_days = days.days
    for stage_id, days in p90:
        times[stage_id].p90_days = days.days
    return times


def _champions(compact, start, end):
    champions = Membership.objects.filter(
        compact=compact, role=MembershipRole.CHAMPION, status=MembershipStatus.CONFIRMED
    )
    first, after = _moments(start, end)
    counts = champions.aggregate(
        now=Count("id"), named=Count("id", filter=Q(decided_at__gte=first, decided_at__lt=after))
    )
    return {"champions_named": counts["named"], "champions_now": counts["now"]}


def _work_plan(compact, year, today):
    counts = WorkPlanAction.objects.filter(compact=compact, year=year).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=WorkPlanStatus.DONE)),
        overdue=Count("id", filter=~Q(status=WorkPlanStatus.DONE) & Q(due_on__lt=today)),
    )
    return counts if counts["total"] else None


@dataclass
class Bar:
    label: str
    value: int | None
    width: float  # share of the chart's width, 0 to 100
    text: str  # the value as shown beside the bar, or why there is none


def bars(rows, percent=False):
    """Rows (label, value), or (label, value, note), as bars of a horizontal bar chart, scaled to the largest (or to
    100 for shares); a value of None draws no bar, and shows its note as the table does."""
    rows = [(row[0], row[1], row[2] if len(row) > 2 else None) for row in rows]
    top = 100 if percent else max((value or 0 for _, value, _ in rows), default=0) or 1
    return {
        "bars": [
            Bar(
                label,
                value,
                round(100 * (value or 0) / top, 1),
                note if value is None else f"{value}{'%' if percent else ''}",
            )
            for label, value, note in rows
        ],
        "percent": percent,
    }


def report_years(compact, today):
    """The years this Compact's report has something to show for, newest first, in one query: the years in which
    complaints were received, stages ended, public records were made, organisations signed up, Champions were named
    or the work plan had actions; and this year, always. The Compact's own dates (adopted, revised) are not among
    them: the report counts only what happened in the portal."""
    first, after = _moments(datetime.date(FIRST_YEAR, 1, 1), today.replace(month=12, day=31))
    years = (
        Complaint.objects.filter(compact=compact, submitted_at__gte=first, submitted_at__lt=after)
        .annotate(year=ExtractYear("submitted_at"))
        .values_list("year")
        .order_by()
        .union(
            StageClock.objects.filter(complaint__compact=compact, ended_at__gte=first, ended_at__lt=after)
            .annotate(year=ExtractYear("ended_at"))
            .values_list("year")
            .order_by(),
            RecordCheck.objects.filter(
                record_permissions.visible(AnonymousUser(), today),
                compact=compact,
                occurred_on__range=(first.date(), today),
            )
            .annotate(year=ExtractYear("occurred_on"))
            .values_list("year")
            .order_by(),
            Signatory.objects.filter(compact=compact, joined_on__gte=first.date())
            .annotate(year=ExtractYear("joined_on"))
            .values_list("year")
            .order_by(),
            Membership.objects.filter(
                compact=compact,
                role=MembershipRole.CHAMPION,
                status=MembershipStatus.CONFIRMED,
                decided_at__gte=first,
                decided_at__lt=after,
            )
            .annotate(year=ExtractYear("decided_at"))
            .values_list("year")
            .order_by(),
            WorkPlanAction.objects.filter(compact=compact, year__gte=FIRST_YEAR).values_list("year").order_by(),
        )
    )
    return sorted({year for (year,) in years if year} | {today.year}, reverse=True)


# Every Compact side by side ----------------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    compact: object
    received: int = 0
    open: int = 0
    closed: int = 0
    within: int = 0
    with_limit: int = 0
    overdue_now: int = 0
    checks: int = 0
    met: int = 0
    missed: int = 0
    joined: int = 0
    champions: int = 0
    actions: int = 0
    actions_done: int = 0

    @property
    def within_share(self):
        return round(100 * self.within / self.with_limit) if self.with_limit else None

    @property
    def met_share(self):
        return round(100 * self.met / self.checks) if self.checks else None

    @property
    def missed_share(self):
        return round(100 * self.missed / self.checks) if self.checks else None


def summary(compacts, year, today):
    """The report's headline figures for each of these Compacts, side by side (ranked by nothing: in the order
    given), in one grouped query per kind of figure."""
    start, end = _year_range(year)
    first, after = _moments(start, end)
    rows = {compact.pk: SummaryRow(compact) for compact in compacts}

    def add(queryset, names):
        for values in queryset:
            row = rows.get(values["compact_id"])
            if row is not None:
                for name in names:
                    setattr(row, name, values[name])

    ids = list(rows)
    add(
        Complaint.objects.filter(compact__in=ids, submitted_at__gte=first, submitted_at__lt=after)
        .values("compact_id")
        .annotate(
            received=Count("id"),
            open=Count("id", filter=Q(status=Status.OPEN)),
            closed=Count("id", filter=Q(status=Status.CLOSED)),
        )
        .order_by(),
        ["received", "open", "closed"],
    )
    add(
        StageClock.objects.filter(complaint__compact__in=ids, ended_at__gte=first, ended_at__lt=after)
        .annotate(limit=Coalesce("original_due_on", "due_on"))
        .values(compact_id=F("complaint__compact_id"))
        .annotate(
            with_limit=Count("id", filter=Q(limit__isnull=False)),
            within=Count("id", filter=Q(limit__isnull=False, ended_at__date__lte=F("limit"))),
        )
        .order_by(),
        ["with_limit", "within"],
    )
    add(
        Complaint.objects.filter(compact__in=ids, status=Status.OPEN, stage_due_on__lt=today)
        .values("compact_id")
        .annotate(overdue_now=Count("id"))
        .order_by(),
        ["overdue_now"],
    )
    add(
        RecordCheck.objects.filter(
            record_permissions.visible(AnonymousUser(), today), compact__in=ids, occurred_on__range=(start, end)
        )
        .values("compact_id")
        .annotate(
            checks=Count("id"),
            met=Count("id", filter=Q(outcome=CheckOutcome.MET)),
            missed=Count("id", filter=Q(outcome=CheckOutcome.MISSED)),
        )
        .order_by(),
        ["checks", "met", "missed"],
    )
    add(
        Signatory.objects.filter(compact__in=ids, joined_on__range=(start, end))
        .values("compact_id")
        .annotate(joined=Count("id"))
        .order_by(),
        ["joined"],
    )
    add(
        Membership.objects.filter(compact__in=ids, role=MembershipRole.CHAMPION, status=MembershipStatus.CONFIRMED)
        .values("compact_id")
        .annotate(champions=Count("id"))
        .order_by(),
        ["champions"],
    )
    add(
        WorkPlanAction.objects.filter(compact__in=ids, year=year)
        .values("compact_id")
        .annotate(actions=Count("id"), actions_done=Count("id", filter=Q(status=WorkPlanStatus.DONE)))
        .order_by(),
        ["actions", "actions_done"],
    )
    return [rows[compact.pk] for compact in compacts]


SUMMARY_PAGE = 50


def summary_page(number):
    """A page of the Compacts in the summary, A to Z by short name: ranked by nothing."""
    compacts = Compact.objects.order_by("short_name", "pk").only("slug", "short_name", "title")
    return Paginator(compacts, SUMMARY_PAGE).get_page(number)
