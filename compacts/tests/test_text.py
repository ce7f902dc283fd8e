"""Dates in words, written one way everywhere the portal writes them in Python (emails, messages, change logs)."""

import datetime

from django.test import override_settings

from compacts.text import long_date, long_moment


def test_a_date_has_no_leading_zero_and_its_month_in_full():
    assert long_date(datetime.date(2026, 6, 1)) == "1 June 2026"
    assert long_date(datetime.date(2026, 12, 25)) == "25 December 2026"


@override_settings(TIME_ZONE="Europe/London", USE_TZ=True)
def test_a_moment_is_written_in_the_portals_time_zone():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time): the day people there would name.
    moment = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert long_moment(moment) == "1 July 2026 at 00:30"
