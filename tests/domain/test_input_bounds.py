"""The bounds of what is typed: dates from 1900 to 2199, ISO weeks within them, a case opened in
the last 30 years, and texts no longer than their column in the case file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.domain.dates import (
    FIRST_DAY,
    LAST_DAY,
    check_opened,
    oldest_opening,
    parse_date,
    parse_iso_date,
    parse_iso_week,
    years_before,
)
from icrctl.domain.text import MAX_LENGTH, clean_text, optional_text
from icrctl.errors import InvalidValue

TODAY = date(2026, 11, 25)


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["0001-01-01", "1899-12-31", "31-12-1899", "2200-01-01", "1-1-2200", "9999-12-31"]
)
def test_a_date_outside_1900_to_2199_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue, match=r"dates run from 1900-01-01 to 2199-12-31"):
        parse_date(text, TODAY)


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_the_import_reads_the_same_dates(text: str) -> None:
    with pytest.raises(InvalidValue, match=r"dates run from 1900-01-01 to 2199-12-31"):
        parse_iso_date(text)


def test_the_first_and_the_last_day_are_taken() -> None:
    assert parse_date("1900-01-01", TODAY) == FIRST_DAY == date(1900, 1, 1)
    assert parse_date("31-12-2199", TODAY) == LAST_DAY == date(2199, 12, 31)
    assert parse_iso_date("2199-12-31") == LAST_DAY


@pytest.mark.parametrize(
    ("text", "today", "shown"),
    [
        ("+9999w", TODAY, "2218-07-15"),
        ("-9999w", TODAY, "1835-04-08"),
        ("tomorrow", LAST_DAY, "2200-01-01"),
        ("yesterday", FIRST_DAY, "1899-12-31"),
        ("mon", LAST_DAY, "2200-01-06"),
    ],
)
def test_an_offset_beyond_the_dates_names_the_day_it_would_be(
    text: str, today: date, shown: str
) -> None:
    expected = f"invalid date '{text}' ({shown}): dates run from 1900-01-01 to 2199-12-31"
    with pytest.raises(InvalidValue) as refused:
        parse_date(text, today)
    assert str(refused.value) == expected


@pytest.mark.parametrize("today", [date.min, date.max])
def test_relative_dates_never_overflow_whatever_today_is(today: date) -> None:
    for text in ("tomorrow", "yesterday", "+9999w", "-9999w", "fri"):
        with pytest.raises(InvalidValue, match="dates run from"):
            parse_date(text, today)


@given(text=st.text(max_size=24), today=st.dates())
def test_any_text_on_any_day_is_a_date_within_the_bounds_or_refused(text: str, today: date) -> None:
    """Whatever is typed, whatever day it is: a date between 1900 and 2199, or InvalidValue."""
    try:
        got = parse_date(text, today)
    except InvalidValue:
        return
    assert FIRST_DAY <= got <= LAST_DAY


@given(
    year=st.integers(0, 9999),
    week=st.integers(0, 99),
    sep=st.sampled_from(["-W", "W", "-w"]),
)
def test_any_iso_week_is_a_monday_within_the_bounds_or_refused(
    year: int, week: int, sep: str
) -> None:
    text = f"{year:04d}{sep}{week:02d}"
    try:
        monday = parse_iso_week(text)
    except InvalidValue:
        return
    assert monday.weekday() == 0
    assert monday >= FIRST_DAY
    assert monday + timedelta(days=6) <= LAST_DAY
    assert monday.isocalendar()[:2] == (year, week)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9999-W52", "weeks run from 1900-W01 to 2199-W52"),
        ("0001-W01", "weeks run from 1900-W01 to 2199-W52"),
        ("2200-W01", "weeks run from 1900-W01 to 2199-W52"),
        ("2026-W54", "2026 has no week 54"),
        ("2026-W00", "2026 has no week 0"),
        ("2026-48", "use the ISO form 2026-W48"),
        ("２０２６-W48", "use the ISO form 2026-W48"),
    ],
)
def test_weeks_out_of_range_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        parse_iso_week(text)


def test_the_first_and_last_weeks() -> None:
    assert parse_iso_week("1900-W01") == date(1900, 1, 1)
    assert parse_iso_week("2199-W52") == date(2199, 12, 23)
    assert parse_iso_week("2026W48") == date(2026, 11, 23)


# --- a case's opening day ---------------------------------------------------------------------


def test_a_case_opens_in_the_last_thirty_years() -> None:
    assert oldest_opening(TODAY) == date(1996, 11, 25)
    assert check_opened(date(1996, 11, 25), TODAY) == date(1996, 11, 25)
    assert check_opened(TODAY, TODAY) == TODAY
    with pytest.raises(InvalidValue, match=r"opened 1996-11-24 lies more than 30 years ago"):
        check_opened(date(1996, 11, 24), TODAY)
    with pytest.raises(InvalidValue, match=r"opened 2026-11-26 is in the future"):
        check_opened(date(2026, 11, 26), TODAY)


def test_thirty_years_before_29_february_is_28_february() -> None:
    assert years_before(date(2028, 2, 29), 30) == date(1998, 2, 28)
    assert oldest_opening(date(2028, 2, 29)) == date(1998, 2, 28)


# --- the length of a text -----------------------------------------------------------------------


@pytest.mark.parametrize(("field", "limit"), sorted(MAX_LENGTH.items()))
def test_a_text_may_fill_its_column_and_no_more(field: str, limit: int) -> None:
    assert clean_text("x" * limit, field) == "x" * limit
    over = rf"^{field} is {limit + 1} characters; at most {limit}$"
    with pytest.raises(InvalidValue, match=over):
        clean_text("x" * (limit + 1), field)
    with pytest.raises(InvalidValue, match=rf"^{field} is 100000 characters; at most {limit}$"):
        optional_text("y" * 100_000, field)


def test_the_length_is_counted_after_trimming_and_in_characters() -> None:
    assert clean_text("  " + "é" * 200 + "  ", "title") == "é" * 200
    assert clean_text("e\u0301" * 200, "title") == "é" * 200  # NFC: one character each


def test_notes_and_reasons_have_no_column_length() -> None:
    assert len(clean_text("x" * 100_000, "note", multiline=True)) == 100_000
    assert "note" not in MAX_LENGTH
    assert "reason" not in MAX_LENGTH
