"""Due dates in working and calendar days, against the England and Wales bank holidays published on gov.uk."""

from datetime import date

import holidays
import pytest

from compacts.deadlines import (
    CALENDAR_DAYS,
    WORKING_DAYS,
    DueDate,
    SkippedDay,
    add_working_days,
    due_date,
    is_working_day,
    working_days_between,
)


def skipped(*days):
    return tuple(SkippedDay(day, reason) for day, reason in days)


def test_the_library_has_the_2026_bank_holidays_of_england_and_wales():
    assert sorted(holidays.country_holidays("GB", subdiv="ENG", years=2026).items()) == [
        (date(2026, 1, 1), "New Year's Day"),
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "Easter Monday"),
        (date(2026, 5, 4), "May Day"),
        (date(2026, 5, 25), "Spring Bank Holiday"),
        (date(2026, 8, 31), "Late Summer Bank Holiday"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 26), "Boxing Day"),
        (date(2026, 12, 28), "Boxing Day (observed)"),
    ]


def test_a_plain_week_runs_from_monday_to_the_next_monday():
    result = due_date(date(2026, 3, 2), 5, WORKING_DAYS)

    assert result == DueDate(
        start=date(2026, 3, 2),
        length=5,
        unit=WORKING_DAYS,
        due=date(2026, 3, 9),
        skipped=skipped((date(2026, 3, 7), "Saturday"), (date(2026, 3, 8), "Sunday")),
    )


def test_counting_starts_the_day_after_the_start():
    assert add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)


def test_a_start_on_a_friday_counts_from_the_monday():
    result = due_date(date(2026, 3, 6), 1, WORKING_DAYS)

    assert result.due == date(2026, 3, 9)
    assert result.skipped == skipped((date(2026, 3, 7), "Saturday"), (date(2026, 3, 8), "Sunday"))


def test_a_start_on_a_saturday_counts_from_the_monday():
    result = due_date(date(2026, 3, 7), 1, WORKING_DAYS)

    assert result.due == date(2026, 3, 9)
    assert result.skipped == skipped((date(2026, 3, 8), "Sunday"))


def test_good_friday_and_easter_monday_2026_are_skipped():
    result = due_date(date(2026, 3, 30), 5, WORKING_DAYS)

    assert result.due == date(2026, 4, 8)
    assert result.skipped == skipped(
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 4), "Saturday"),
        (date(2026, 4, 5), "Sunday"),
        (date(2026, 4, 6), "Easter Monday"),
    )


def test_the_substitute_for_boxing_day_2026_on_a_saturday_is_skipped():
    result = due_date(date(2026, 12, 23), 3, WORKING_DAYS)

    assert result.due == date(2026, 12, 30)
    # Boxing Day itself counts as a Saturday; the bank holiday that moves the
    # due date is its substitute, Monday 28 December.
    assert result.skipped == skipped(
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 26), "Saturday"),
        (date(2026, 12, 27), "Sunday"),
        (date(2026, 12, 28), "Boxing Day (observed)"),
    )
    assert not is_working_day(date(2026, 12, 28))


def test_the_early_may_bank_holiday_2026_is_skipped():
    result = due_date(date(2026, 4, 30), 2, WORKING_DAYS)

    assert result.due == date(2026, 5, 5)
    assert result.skipped[-1] == SkippedDay(date(2026, 5, 4), "May Day")


def test_the_spring_bank_holiday_2026_is_skipped():
    result = due_date(date(2026, 5, 21), 2, WORKING_DAYS)

    assert result.due == date(2026, 5, 26)
    assert result.skipped[-1] == SkippedDay(date(2026, 5, 25), "Spring Bank Holiday")


def test_twenty_working_days_across_christmas_and_new_year_2025():
    result = due_date(date(2025, 12, 8), 20, WORKING_DAYS)

    assert result.due == date(2026, 1, 8)
    assert result.skipped == skipped(
        (date(2025, 12, 13), "Saturday"),
        (date(2025, 12, 14), "Sunday"),
        (date(2025, 12, 20), "Saturday"),
        (date(2025, 12, 21), "Sunday"),
        (date(2025, 12, 25), "Christmas Day"),
        (date(2025, 12, 26), "Boxing Day"),
        (date(2025, 12, 27), "Saturday"),
        (date(2025, 12, 28), "Sunday"),
        (date(2026, 1, 1), "New Year's Day"),
        (date(2026, 1, 3), "Saturday"),
        (date(2026, 1, 4), "Sunday"),
    )


def test_calendar_days_landing_on_a_weekend_are_not_moved():
    result = due_date(date(2026, 3, 2), 5, CALENDAR_DAYS)

    assert result.due == date(2026, 3, 7)
    assert result.skipped == ()


def test_calendar_days_do_not_skip_bank_holidays():
    assert due_date(date(2026, 12, 24), 1, CALENDAR_DAYS).due == date(2026, 12, 25)


def test_the_explanation_of_working_days_names_what_was_skipped():
    result = due_date(date(2025, 12, 8), 20, WORKING_DAYS)

    assert result.explanation() == (
        "20 working days from Monday 8 December 2025, skipping 8 weekend days and 3 bank holidays "
        "(Christmas Day, Boxing Day, New Year's Day): due Thursday 8 January 2026."
    )


def test_the_explanation_uses_the_singular_for_one():
    assert due_date(date(2026, 5, 1), 1, WORKING_DAYS).explanation() == (
        "1 working day from Friday 1 May 2026, skipping 2 weekend days and 1 bank holiday (May Day): "
        "due Tuesday 5 May 2026."
    )
    assert due_date(date(2026, 3, 7), 1, WORKING_DAYS).explanation() == (
        "1 working day from Saturday 7 March 2026, skipping 1 weekend day: due Monday 9 March 2026."
    )


def test_the_explanation_leaves_out_skipping_when_nothing_was_skipped():
    result = due_date(date(2026, 3, 2), 3, WORKING_DAYS)

    assert result.explanation() == "3 working days from Monday 2 March 2026: due Thursday 5 March 2026."


def test_the_explanation_of_calendar_days():
    result = due_date(date(2025, 11, 3), 21, CALENDAR_DAYS)

    assert result.explanation() == "21 calendar days from Monday 3 November 2025: due Monday 24 November 2025."


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 9), 5),  # a plain week, weekend not counted
        (date(2026, 3, 2), date(2026, 3, 3), 1),  # the next day
        (date(2026, 3, 2), date(2026, 3, 2), 0),  # the same day
        (date(2026, 3, 9), date(2026, 3, 2), 0),  # end before start
        (date(2026, 3, 6), date(2026, 3, 8), 0),  # Friday to Sunday
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # across Easter 2026: only Tuesday 7 April counts
        (date(2025, 12, 8), date(2026, 1, 8), 20),  # matches the due date across Christmas 2025
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 2), True),  # Monday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 8, 31), False),  # Late Summer Bank Holiday
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


@pytest.mark.parametrize("length", [0, -1])
def test_a_length_below_one_is_refused(length):
    with pytest.raises(ValueError, match="at least 1 day"):
        due_date(date(2026, 3, 2), length, WORKING_DAYS)


def test_a_length_below_one_is_refused_for_calendar_days_too():
    with pytest.raises(ValueError, match="at least 1 day"):
        due_date(date(2026, 3, 2), 0, CALENDAR_DAYS)


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="Unknown time unit 'weeks'"):
        due_date(date(2026, 3, 2), 2, "weeks")


def test_add_working_days_refuses_zero():
    with pytest.raises(ValueError, match="at least 1 day"):
        add_working_days(date(2026, 3, 2), 0)
