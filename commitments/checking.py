"""Whether what happened met a commitment's figure: the arithmetic, and the working shown beside it.

A record of Compact working (a consultation, a funding decision, a payment) holds dates; a figure holds a number,
a unit and, through its commitment, who it binds. `check` puts the two together and answers met, missed or
cannot be told, with a sentence that shows how: "11 weeks 3 days, against 12 weeks: missed".

How each length is counted (docs/guides/vcs-groups.md says the same):
- a consultation runs from the day it opened to the day it closed: opened Monday 6 January and closed Monday
  31 March is 12 weeks (84 days);
- notice runs from the day it was given to the day the funding ended or changed;
- a funding decision's notice runs from the day it was made to the day the funding started;
- funding awarded runs from its first day to its last, both included: 1 April 2026 to 31 March 2027 is 1 year;
- a payment in advance is on or before the day the money was due (or the spending began).
Months and years are calendar months and years (5 March to 5 June is 3 months), as the documents write them.

A figure's qualifiers change what it can say (fixtures/README.md has the table of every figure):
- a figure committed to without a number, or given only as an example, is not held as met or missed;
- a ceiling ("up to three years") is not a promise of that much: the length is shown, not held as met or missed;
- a floor ("a minimum of", "at least") and a figure as stated are met by that much or more;
- "usually", "generally", "where possible" and the like are named in the working of a miss: the document allows
  exceptions, which the record may or may not show.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from .models import CheckOutcome, CommitmentSector, FigureBound, FigureFirmness, FigureKind, FigureUnit, RecordKind

MET, MISSED, UNKNOWN = CheckOutcome.MET, CheckOutcome.MISSED, CheckOutcome.UNKNOWN

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
        return CheckOutcome(self.outcome).label


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
    """The figure as the working states it: "at least 3 months", "12 weeks", "up to 3 years"."""
    return figure.amount


def _quoted_qualifiers(figure):
    return " … ".join(f"“{part}”" for part in figure.qualifier_parts())


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
    return Check(outcome, f"{found}, {against}: {outcome.label.lower()}", (end - start).days)


def check_record(figure, record, about):
    """`check`, for a record of what `about` (an Organisation) did: a figure is held only against the actions of
    the sector it measures (the public bodies' consultations, say, even where the VCS made the commitment)."""
    if figure.measures not in (CommitmentSector.ALL, about.sector):
        measured = CommitmentSector(figure.measures).label.lower()
        return Check(UNKNOWN, f"This figure is held against what {measured} do, and {about} is not one of them.")
    return check(figure, record)


def check(figure, record):
    """Whether `record` met `figure` (a Figure of the record's Compact), with the working, which names the
    qualifier it applied."""
    qualifiers = _quoted_qualifiers(figure)
    if figure.value is None:
        qualified = f" {qualifiers}" if qualifiers else ""
        return Check(
            UNKNOWN,
            f"The commitment is to {figure.get_kind_display().lower()}{qualified}, with no number printed:"
            " nothing to hold a record against.",
        )
    if figure.firmness == FigureFirmness.EXAMPLE:
        return Check(
            UNKNOWN,
            f"{figure.get_kind_display()} is given as an example ({qualifiers}), not as a duty:"
            " not held as met or missed.",
        )
    if figure.bound == FigureBound.UP_TO and figure.kind != FigureKind.FUNDING_TERM:
        ceiling = figure_text(figure).capitalize()
        return Check(UNKNOWN, f"{ceiling} is a ceiling, not a promise: not held as met or missed.")
    result = _check(figure, record)
    if result.outcome == MISSED and figure.firmness in (FigureFirmness.USUALLY, FigureFirmness.WHERE_POSSIBLE):
        allows = "usually" if figure.firmness == FigureFirmness.USUALLY else "where possible"
        result = Check(
            MISSED,
            f"{result.working}; the commitment holds {allows} ({qualifiers}), so a reason may apply",
            result.measured_days,
        )
    return result


def _check(figure, record):
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
    """The length of the funding awarded (both days included), against the term: met when it is at least that long;
    a ceiling ("up to three years") is shown beside it but is not a promise, so not held as met or missed."""
    if record.starts_on is None or record.ends_on is None:
        return Check(UNKNOWN, "Cannot be told without the first and last days of the funding.")
    last = record.ends_on + ONE_DAY  # both days count
    found = length_text(record.starts_on, last, FigureUnit.YEARS)
    days = (last - record.starts_on).days
    if figure.bound == FigureBound.UP_TO:
        return Check(
            UNKNOWN,
            f"{found} awarded; funding of {figure_text(figure)} is a ceiling, not a promise: not held as met or missed",
            days,
        )
    met = last >= record.starts_on + required(figure)
    outcome = MET if met else MISSED
    return Check(outcome, f"{found} awarded, against {figure_text(figure)}: {outcome.label.lower()}", days)


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
