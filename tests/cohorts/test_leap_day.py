"""A trainer can assign a module on 29 February, when "two years from today" has no 29th."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from app.cohorts.service import LATEST_DUE_DATE_YEARS, parse_due_date, years_after
from app.core.errors import InvalidInput


def test_a_due_date_can_be_set_on_a_leap_day():
    with time_machine.travel(date(2028, 2, 29), tick=False):
        assert parse_due_date("2028-03-31") == date(2028, 3, 31)
        latest = years_after(date(2028, 2, 29), LATEST_DUE_DATE_YEARS)
        assert latest.month == 2 and latest.day in (28, 29)
        assert parse_due_date(latest.isoformat()) == latest
        with pytest.raises(InvalidInput):
            parse_due_date(date(latest.year, 3, 1).isoformat())


def test_years_after_keeps_the_day_when_it_exists():
    assert years_after(date(2026, 11, 27), 2) == date(2028, 11, 27)
    assert years_after(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert years_after(date(2028, 2, 29), 4) == date(2032, 2, 29)
