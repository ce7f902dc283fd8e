"""The figures' arithmetic, worked by hand from the documents' own figures: weeks of consultation, months of
notice, years of funding, payment in advance, and the 20 working days before an unconfirmed record is public."""

import datetime

import pytest

from commitments.checking import MET, MISSED, UNKNOWN, calendar_span, check, check_record
from commitments.models import Figure, Record
from compacts.models import Organisation

D = datetime.date


def figure(kind, value, unit, **meaning):
    return Figure(kind=kind, value=value, unit=unit, **meaning)


def record(**dates):
    return Record(**dates)


DERBY_12_WEEKS = figure("consultation_standard", 12, "weeks")  # Derby 3.6 "Conduct 12-weeks formal consultations"
DORSET_8_WEEKS = figure("consultation_minimum", 8, "weeks", bound="at_least")  # Dorset "eight weeks as a minimum"
THREE_MONTHS_NOTICE = figure("funding_end_notice", 3, "months", bound="at_least")  # Dorset "no less than three months"
DECISION_3_MONTHS = figure("funding_decision_notice", 3, "months")
UP_TO_3_YEARS = figure("funding_term", 3, "years", bound="up_to")  # Derby 9.1 "Commit funding for up to three years"
THREE_YEAR_TERM = figure("funding_term", 3, "years")  # a term as stated: "3 year Partnership Agreements"
IN_ADVANCE = figure("payment_in_advance", 0, "days")  # Derby 11.1 "Make payments in advance of expenditure"


@pytest.mark.parametrize(
    "opened, closed, outcome, working",
    [
        # Monday 1 June to Monday 10 August 2026: 70 days.
        (D(2026, 6, 1), D(2026, 8, 10), MISSED, "10 weeks, against 12 weeks: missed"),
        # Monday 5 January to Thursday 26 March 2026: 77 days and 3.
        (D(2026, 1, 5), D(2026, 3, 26), MISSED, "11 weeks 3 days, against 12 weeks: missed"),
        # Monday 6 January to Monday 31 March 2025: 84 days, exactly 12 weeks.
        (D(2025, 1, 6), D(2025, 3, 31), MET, "12 weeks, against 12 weeks: met"),
        # Across the Easter bank holidays, calendar weeks still count (Thursday 2 April to Thursday 2 July 2026).
        (D(2026, 4, 2), D(2026, 7, 2), MET, "13 weeks, against 12 weeks: met"),
    ],
)
def test_consultation_weeks(opened, closed, outcome, working):
    result = check(DERBY_12_WEEKS, record(starts_on=opened, ends_on=closed))
    assert (result.outcome, result.working) == (outcome, working)
    assert result.measured_days == (closed - opened).days


def test_a_minimum_of_eight_weeks_is_met_by_eight_and_missed_by_a_day_less():
    assert check(DORSET_8_WEEKS, record(starts_on=D(2026, 9, 1), ends_on=D(2026, 10, 27))).working == (
        "8 weeks, against at least 8 weeks: met"
    )
    assert check(DORSET_8_WEEKS, record(starts_on=D(2026, 9, 1), ends_on=D(2026, 10, 26))).working == (
        "7 weeks 6 days, against at least 8 weeks: missed"
    )


@pytest.mark.parametrize(
    "notice, change, outcome, working",
    [
        # Notice on 1 January for funding that ends on 31 March: a day short of three months.
        (D(2027, 1, 1), D(2027, 3, 31), MISSED, "2 months 30 days, against at least 3 months: missed"),
        (D(2026, 12, 31), D(2027, 3, 31), MET, "3 months, against at least 3 months: met"),
        # 30 November plus three months is 28 February (there is no 30 February).
        (D(2026, 11, 30), D(2027, 2, 28), MET, "3 months, against at least 3 months: met"),
        (D(2026, 12, 15), D(2027, 2, 28), MISSED, "2 months 13 days, against at least 3 months: missed"),
        # Notice given after the funding had already changed.
        (
            D(2027, 4, 5),
            D(2027, 3, 31),
            MISSED,
            "Notice given 5 days after the change, against at least 3 months: missed",
        ),
    ],
)
def test_notice_before_funding_ends_or_changes(notice, change, outcome, working):
    result = check(THREE_MONTHS_NOTICE, record(notice_on=notice, changes_on=change))
    assert (result.outcome, result.working) == (outcome, working)


def test_funding_decisions_three_months_ahead_of_the_start():
    late = check(DECISION_3_MONTHS, record(decided_on=D(2027, 1, 15), starts_on=D(2027, 4, 1)))
    assert (late.outcome, late.working) == (MISSED, "2 months 17 days, against 3 months: missed")
    in_time = check(DECISION_3_MONTHS, record(decided_on=D(2027, 1, 1), starts_on=D(2027, 4, 1)))
    assert (in_time.outcome, in_time.working) == (MET, "3 months, against 3 months: met")
    after = check(DECISION_3_MONTHS, record(decided_on=D(2027, 4, 11), starts_on=D(2027, 4, 1)))
    assert after.working == "Decided 10 days after the funding started, against 3 months: missed"


@pytest.mark.parametrize(
    "first, last, outcome, working",
    [
        # 1 April 2026 to 31 March 2029, both days included: three years.
        (D(2026, 4, 1), D(2029, 3, 31), MET, "3 years awarded, against 3 years: met"),
        (D(2026, 4, 1), D(2027, 9, 30), MISSED, "1 year 6 months awarded, against 3 years: missed"),
    ],
)
def test_length_of_funding_awarded_against_a_term(first, last, outcome, working):
    result = check(THREE_YEAR_TERM, record(starts_on=first, ends_on=last))
    assert (result.outcome, result.working) == (outcome, working)


@pytest.mark.parametrize(
    "first, last, found",
    [(D(2026, 4, 1), D(2027, 3, 31), "1 year"), (D(2026, 4, 1), D(2029, 3, 31), "3 years")],
)
def test_a_ceiling_is_not_a_promise(first, last, found):
    """Derby 9.1 "up to three years": a year's funding does not break it, nor does three years keep it."""
    result = check(UP_TO_3_YEARS, record(starts_on=first, ends_on=last))
    assert result.outcome == UNKNOWN
    assert result.working == (
        f"{found} awarded; funding of up to 3 years is a ceiling, not a promise: not held as met or missed"
    )


def test_a_qualified_figure_names_its_qualifier_when_missed():
    """Derby 4.8: "eight weeks for replies will generally be the minimum"."""
    generally = figure(
        "consultation_minimum",
        8,
        "weeks",
        bound="at_least",
        firmness="usually",
        qualifier_words="generally … the minimum",
    )
    missed = check(generally, record(starts_on=D(2026, 9, 1), ends_on=D(2026, 10, 20)))
    assert missed.outcome == MISSED
    assert missed.working == (
        "7 weeks, against at least 8 weeks: missed; the commitment holds usually (“generally” … “the minimum”), "
        "so a reason may apply"
    )
    met = check(generally, record(starts_on=D(2026, 9, 1), ends_on=D(2026, 10, 27)))
    assert (met.outcome, met.working) == (MET, "8 weeks, against at least 8 weeks: met")


def test_an_example_is_not_a_duty():
    """County Durham 3.10: payment in advance "for example … considered on a case by case basis"."""
    example = figure(
        "payment_in_advance",
        0,
        "days",
        firmness="example",
        qualifier_words="for example … considered on a case by case basis",
    )
    result = check(example, record(due_on=D(2027, 4, 1), paid_on=D(2027, 4, 10)))
    assert result.outcome == UNKNOWN
    assert result.working == (
        "Payment in advance of expenditure is given as an example (“for example” … “considered on a case by case "
        "basis”), not as a duty: not held as met or missed."
    )


def test_a_commitment_without_a_number_has_nothing_to_measure():
    """County Durham 3.4: "Commit to multi-year funding where appropriate"."""
    no_number = figure("funding_term", None, "", firmness="where_possible", qualifier_words="where appropriate")
    result = check(no_number, record(starts_on=D(2026, 4, 1), ends_on=D(2027, 3, 31)))
    assert result.outcome == UNKNOWN
    assert result.working == (
        "The commitment is to multi-year funding “where appropriate”, with no number printed: nothing to hold a "
        "record against."
    )


def test_a_figure_is_held_only_against_the_sector_it_measures():
    """Derby 4.8 is a VCS commitment that measures the public bodies' consultations."""
    vcs_commitment = figure("consultation_minimum", 8, "weeks", bound="at_least", whose="vcs", measures="public")
    short = record(starts_on=D(2026, 9, 1), ends_on=D(2026, 10, 20))
    council = Organisation(name="Derby City Council", sector="public")
    group = Organisation(name="Derby CVS", sector="vcs")
    assert check_record(vcs_commitment, short, council).outcome == MISSED
    against_group = check_record(vcs_commitment, short, group)
    assert against_group.outcome == UNKNOWN
    assert (
        against_group.working == "This figure is held against what public bodies do, and Derby CVS is not one of them."
    )


def test_payment_in_advance_of_expenditure():
    early = check(IN_ADVANCE, record(due_on=D(2027, 4, 1), paid_on=D(2027, 3, 28)))
    assert (early.outcome, early.working) == (MET, "Paid 4 days before it was due, against payment in advance: met")
    same_day = check(IN_ADVANCE, record(due_on=D(2027, 4, 1), paid_on=D(2027, 4, 1)))
    assert same_day.working == "Paid on the day it was due, against payment in advance: met"
    late = check(IN_ADVANCE, record(due_on=D(2027, 4, 1), paid_on=D(2027, 4, 10)))
    assert (late.outcome, late.working) == (MISSED, "Paid 9 days after it was due, against payment in advance: missed")


def test_missing_dates_cannot_be_told():
    assert check(DERBY_12_WEEKS, record(starts_on=D(2026, 6, 1))).outcome == UNKNOWN
    assert check(THREE_MONTHS_NOTICE, record(notice_on=D(2026, 6, 1))).outcome == UNKNOWN
    assert check(UP_TO_3_YEARS, record(ends_on=D(2027, 6, 1))).outcome == UNKNOWN
    assert check(IN_ADVANCE, record(paid_on=D(2027, 6, 1))).outcome == UNKNOWN


def test_calendar_spans():
    assert calendar_span(D(2026, 1, 31), D(2026, 2, 28)) == (0, 1, 0)
    assert calendar_span(D(2024, 2, 29), D(2025, 2, 28)) == (1, 0, 0)
    assert calendar_span(D(2026, 3, 5), D(2026, 6, 4)) == (0, 2, 30)
