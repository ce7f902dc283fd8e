"""Due dates for complaint stages, counted in working days or calendar days.

Working days skip Saturdays, Sundays and the bank holidays of England and Wales,
worked out by rule with the `holidays` library (no network feed), including
substitute days such as Monday 28 December 2026 for a Boxing Day on a Saturday.
Each due date keeps the days it skipped, so a page can show how it was reached.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.db.models import TextChoices

from .text import long_date


class TimeUnit(TextChoices):
    """How a time limit is counted (a stage's, in disputes.models)."""

    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "calendar_days", "calendar days"


WORKING_DAYS, CALENDAR_DAYS = TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS

ONE_DAY = datetime.timedelta(days=1)
WEEKEND = {5: "Saturday", 6: "Sunday"}


@dataclass(frozen=True)
class SkippedDay:
    date: datetime.date
    reason: str


@dataclass(frozen=True)
class DueDate:
    start: datetime.date
    length: int
    unit: str
    due: datetime.date
    skipped: tuple[SkippedDay, ...]

    def explanation(self) -> str:
        """How the due date was worked out, as one plain-English sentence."""
        unit = "working day" if self.unit == WORKING_DAYS else "calendar day"
        sentence = f"{_count(self.length, unit)} from {_long_date(self.start)}"
        weekend_days = [day for day in self.skipped if day.reason in WEEKEND.values()]
        bank_holidays = [day.reason for day in self.skipped if day.reason not in WEEKEND.values()]
        parts = []
        if weekend_days:
            parts.append(_count(len(weekend_days), "weekend day"))
        if bank_holidays:
            parts.append(f"{_count(len(bank_holidays), 'bank holiday')} ({', '.join(bank_holidays)})")
        if parts:
            sentence += f", skipping {' and '.join(parts)}"
        return f"{sentence}: due {_long_date(self.due)}."


def due_date(start: datetime.date, length: int, unit: str) -> DueDate:
    """The day a stage of `length` days in `unit`, begun on `start`, falls due."""
    if length < 1:
        raise ValueError(f"A time limit must be at least 1 day, not {length}.")
    if unit == CALENDAR_DAYS:
        return DueDate(start, length, unit, start + datetime.timedelta(days=length), ())
    if unit != WORKING_DAYS:
        raise ValueError(f"Unknown time unit {unit!r}: expected {WORKING_DAYS.value!r} or {CALENDAR_DAYS.value!r}.")
    day = start
    counted = 0
    skipped = []
    while counted < length:
        day += ONE_DAY
        reason = _non_working_reason(day)
        if reason is None:
            counted += 1
        else:
            skipped.append(SkippedDay(day, reason))
    return DueDate(start, length, unit, day, tuple(skipped))


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start`."""
    return due_date(start, days, WORKING_DAYS).due


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The number of working days after `start` up to and including `end` (0 if `end` is not after `start`)."""
    count = 0
    day = start + ONE_DAY
    while day <= end:
        if _non_working_reason(day) is None:
            count += 1
        day += ONE_DAY
    return count


def is_working_day(day: datetime.date) -> bool:
    """Whether `day` is neither a weekend day nor an England and Wales bank holiday."""
    return _non_working_reason(day) is None


def _non_working_reason(day: datetime.date) -> str | None:
    # The weekday comes first: a holiday that falls on a weekend (Boxing Day on
    # Saturday 26 December 2026) is a weekend day, and its substitute weekday is
    # the bank holiday that actually moves the due date.
    return WEEKEND.get(day.weekday()) or _bank_holidays(day.year).get(day)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[datetime.date, str]:
    # Building the library's calendar is slow next to a dict lookup, and due
    # dates are computed in bulk, so each year is built once; the bound keeps
    # stray far-off years from growing the cache without limit.
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _long_date(day: datetime.date) -> str:
    return f"{day:%A} {long_date(day)}"
