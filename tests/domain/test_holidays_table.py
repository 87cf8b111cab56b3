"""The shipped table of Dutch public holidays is exactly what the holidays package says."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from icrctl.domain import recurrence
from icrctl.domain.holidays_nl import FIRST_YEAR, LAST_YEAR, TABLE


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_YEAR + 1))
def test_table_equals_the_package(year: int) -> None:
    found = holidays.country_holidays("NL", years=year, language="nl")
    assert {f"{d:%m-%d}": str(n) for d, n in found.items()} == TABLE[year]


def test_years_outside_the_table_ask_the_package() -> None:
    assert recurrence.holiday_name(dt.date(LAST_YEAR + 1, 12, 25)) == "Eerste kerstdag"
    assert recurrence.holiday_name(dt.date(FIRST_YEAR - 1, 4, 30)) == "Koninginnedag"


def test_the_table_answers_without_importing_holidays() -> None:
    import subprocess
    import sys

    code = (
        "import sys, datetime as dt\n"
        "from icrctl.domain.recurrence import holiday_name\n"
        "assert holiday_name(dt.date(2026, 4, 27)) == 'Koningsdag'\n"
        "assert 'holidays' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
