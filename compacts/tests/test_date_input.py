"""The date input every form uses (compacts.forms.DateInputField): a date that does not exist is refused in plain
words saying what to enter, and no number, however large, fails the page."""

import datetime

import pytest
from django import forms

from compacts.forms import DateInputField


class DateForm(forms.Form):
    on = DateInputField(label="Date", required=False)


def errors_for(day, month, year):
    form = DateForm({"on_0": day, "on_1": month, "on_2": year})
    return form.cleaned_data["on"] if form.is_valid() else form.errors["on"]


@pytest.mark.parametrize(
    ("day", "month", "year", "answer"),
    [
        ("29", "2", "2028", datetime.date(2028, 2, 29)),
        ("31", "2", "2026", ["February 2026 has 28 days: enter a day from 1 to 28"]),
        ("31", "4", "2026", ["April 2026 has 30 days: enter a day from 1 to 30"]),
        ("0", "1", "2026", ["January 2026 has 31 days: enter a day from 1 to 31"]),
        ("1", "13", "2026", ["Enter the month as a number from 1 to 12"]),
        ("1", "1", "26", ["Enter the year as four digits, like 2026"]),
        ("1", "1", "99999999999", ["Enter the year as four digits, like 2026"]),
        ("9" * 5000, "1", "2026", ["January 2026 has 31 days: enter a day from 1 to 31"]),
        ("1", "9" * 5000, "2026", ["Enter the month as a number from 1 to 12"]),
    ],
)
def test_a_date_that_does_not_exist_is_refused_saying_what_to_enter(day, month, year, answer):
    assert errors_for(day, month, year) == answer


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "", "2026", "The date must include a month"),
        ("", "3", "", "The date must include a day and a year"),
        ("  ", "3", "2026", "The date must include a day"),
    ],
)
def test_a_date_begun_but_not_finished_is_refused_not_taken_for_no_date(day, month, year, message):
    assert errors_for(day, month, year) == [message]
    required = DateInputField(label="Date")
    with pytest.raises(forms.ValidationError) as refused:
        required.clean([day, month, year])
    assert refused.value.messages == [message]
