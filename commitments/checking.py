"""Whether what happened met a commitment's figure: the arithmetic, and the working shown beside it.

A record of Compact working (a consultation, a funding decision, a payment) holds dates; a figure holds a number,
a unit and, through its commitment, who it binds. `check` puts the two together and answers met, missed or
cannot be told, with a sentence that shows how: "11 weeks 3 days, against 12 weeks: missed".

How each length is counted (the README says the same):
- a consultation runs from the day it opened to the day it closed: opened Monday 6 January and closed Monday
  31 March is 12 weeks (84 days);
- notice runs from the day it was given to the day the funding ended or changed;
- a funding decision's notice runs from the day it was made to the day the funding started;
- funding awarded runs from its first day to its last, both included: 1 April 2026 to 31 March 2027 is 1 year;
- a payment in advance is on or before the day the money was due (or the spending began).
Months and years are calendar months and years (5 March to 5 June is 3 months), as the documents write them.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from .models import FigureKind, FigureUnit, RecordKind

MET, MISSED, UNKNOWN = "met", "missed", "unknown"
OUTCOMES = {MET: "Met", MISSED: "Missed", UNKNOWN: "Cannot be told"}

ONE_DAY = datetime.timedelta(days=1)

# What each kind of figure measures, and the dates of a record it needs, by their labels.
CONSULTATION_KINDS = {FigureKind.CONSULTATION_STANDARD, FigureKind.CONSULTATION_MINIMUM}
FUNDING_KINDS = {
    FigureKind.FUNDING_END_NOTICE,
    FigureKind.FUNDING_DECISION_NOTICE,
    FigureKind.FUNDING_TERM,
}
PAYMENT_KINDS = {FigureKind.PAYMENT_IN_ADVANCE}


@dataclass(frozen=True)
class Check:
    outcome: str
    working: str
    measured_days: int | None = None  # the length found, in days, where there is one

    @property
    def label(self):
        return OUTCOMES[self.outcome]


def required(figure):
    """The figure as a relativedelta, to add to a date."""
    unit = {
        FigureUnit.DAYS: "days",
        FigureUnit.WEEKS: "weeks",
        FigureUnit.MONTHS: "months",
        FigureUnit.YEARS: "years",
    }[figure.unit]
    return relativedelta(**{unit: figure.value})


def figure_text(figure):
    unit = figure.get_unit_display()
    return f"{figure.value} {unit[:-1] if figure.value == 1 else unit}"


def length_text(start, end, unit):
    """How long from `start` to `end`, in the figure's terms: weeks and days for weeks and days, else years,
    months and days ("11 weeks 3 days", "2 months 12 days", "1 year")."""
    if unit in (FigureUnit.WEEKS, FigureUnit.DAYS):
        days = (end - start).days
        if unit == FigureUnit.DAYS:
            return _plural(days, "day")
        return _join([_plural(days // 7, "week") if days >= 7 else "", _plural(days % 7, "day") if days % 7 else ""])
    years, months, days = calendar_span(start, end)
    return _join(
        [
            _plural(years, "year") if years else "",
            _plural(months, "month") if months else "",
            _plural(days, "day") if days else "",
        ]
    )


def calendar_span(start, end):
    """Whole years and months from `start` to `end`, and the days left: the most months m with start + m months
    on or before end (30 November to 28 February is 3 months, as adding 3 months to 30 November gives)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and start + relativedelta(months=months) > end:
        months -= 1
    days = (end - (start + relativedelta(months=months))).days
    return months // 12, months % 12, days


def _plural(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _join(parts):
    return " ".join(part for part in parts if part) or "no time"


def _at_least(start, end, figure, what, late=""):
    """Met when `end` is at least the figure after `start`; the working says by how much. `late` words the case
    where `start` came after `end` ("notice given 5 days after the funding ended")."""
    if start is None or end is None:
        return Check(UNKNOWN, f"Cannot be told without {what}.")
    against = f"against {figure_text(figure)}"
    if end < start:
        return Check(
            MISSED, f"{late.format(_plural((start - end).days, 'day'))}, {against}: missed", (end - start).days
        )
    met = end >= start + required(figure)
    outcome = MET if met else MISSED
    found = length_text(start, end, figure.unit)
    return Check(outcome, f"{found}, {against}: {OUTCOMES[outcome].lower()}", (end - start).days)


def check(figure, record):
    """Whether `record` met `figure` (a Figure of the record's Compact), with the working."""
    kind = figure.kind
    if kind in CONSULTATION_KINDS:
        return _at_least(record.starts_on, record.ends_on, figure, "the dates it opened and closed")
    if kind == FigureKind.FUNDING_END_NOTICE:
        if record.changes_on is None:
            return Check(UNKNOWN, "Cannot be told: no date the funding ended or changed is recorded.")
        return _at_least(
            record.notice_on, record.changes_on, figure, "the date notice was given", "Notice given {} after the change"
        )
    if kind == FigureKind.FUNDING_DECISION_NOTICE:
        return _at_least(
            record.decided_on,
            record.starts_on,
            figure,
            "the dates of the decision and of the start",
            "Decided {} after the funding started",
        )
    if kind == FigureKind.FUNDING_TERM:
        return _funding_term(record, figure)
    if kind == FigureKind.PAYMENT_IN_ADVANCE:
        return _in_advance(record)
    return Check(UNKNOWN, f"Records are not checked against a {figure.get_kind_display().lower()}.")


def _funding_term(record, figure):
    """Multi-year funding, up to the figure: met when the funding awarded lasts more than a year."""
    if record.starts_on is None or record.ends_on is None:
        return Check(UNKNOWN, "Cannot be told without the first and last days of the funding.")
    last = record.ends_on + ONE_DAY  # both days count
    found = length_text(record.starts_on, last, FigureUnit.YEARS)
    met = last > record.starts_on + relativedelta(years=1)
    outcome = MET if met else MISSED
    return Check(
        outcome,
        f"{found} awarded, against multi-year funding of up to {figure_text(figure)}: {OUTCOMES[outcome].lower()}",
        (last - record.starts_on).days,
    )


def _in_advance(record):
    if record.paid_on is None or record.due_on is None:
        return Check(UNKNOWN, "Cannot be told without the dates it was due and paid.")
    late = (record.paid_on - record.due_on).days
    if late <= 0:
        ahead = f"{_plural(-late, 'day')} before it was due" if late else "on the day it was due"
        return Check(MET, f"Paid {ahead}, against payment in advance: met", late)
    return Check(MISSED, f"Paid {_plural(late, 'day')} after it was due, against payment in advance: missed", late)


def kinds_measured(record_kind):
    """The figure kinds a record of this kind can be checked against."""
    return {
        RecordKind.CONSULTATION: CONSULTATION_KINDS,
        RecordKind.FUNDING: FUNDING_KINDS,
        RecordKind.PAYMENT: PAYMENT_KINDS,
        RecordKind.OTHER: CONSULTATION_KINDS | FUNDING_KINDS | PAYMENT_KINDS,
    }[record_kind]
