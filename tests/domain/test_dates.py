"""Dates as docs/cli.md allows them, and nothing else: ISO, dd-mm-yyyy, today/tomorrow/yesterday,
offsets, weekday names (English and Dutch: the next one after today)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.domain.dates import (
    FIRST_DAY,
    LAST_DAY,
    age_on,
    format_time,
    not_in_future,
    parse_date,
    parse_iso_date,
    parse_time,
)
from icrctl.errors import InvalidValue
from tests.helpers import TODAY  # 2026-11-25, a Wednesday

# Python's weekday(): Monday 0 … Sunday 6, with every spelling docs/cli.md and docs/format.md allow.
WEEKDAY_NAMES = {
    0: ("mon", "monday", "ma", "maandag"),
    1: ("tue", "tuesday", "di", "dinsdag"),
    2: ("wed", "wednesday", "wo", "woensdag"),
    3: ("thu", "thursday", "do", "donderdag"),
    4: ("fri", "friday", "vr", "vrijdag"),
    5: ("sat", "saturday", "za", "zaterdag"),
    6: ("sun", "sunday", "zo", "zondag"),
}
ALL_WEEKDAY_NAMES = [(n, name) for n, names in WEEKDAY_NAMES.items() for name in names]

# "today" ranges over the dates icrctl takes, a week from either end (tomorrow, next tuesday).
realistic_days = st.dates(FIRST_DAY + timedelta(days=7), LAST_DAY - timedelta(days=7))
any_day = st.dates(FIRST_DAY, LAST_DAY)


def parses_within_range(text: str, today: date, expected: date) -> None:
    """``text`` gives ``expected``, or is refused when that lies outside the dates icrctl takes."""
    if FIRST_DAY <= expected <= LAST_DAY:
        assert parse_date(text, today) == expected
    else:
        with pytest.raises(InvalidValue, match="dates run from 1900-01-01 to 2199-12-31"):
            parse_date(text, today)


def test_today_is_a_wednesday() -> None:
    assert TODAY.weekday() == 2


# --- fixed examples -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        ("24-11-2026", date(2026, 11, 24)),
        ("1-2-2026", date(2026, 2, 1)),
        ("01-02-2026", date(2026, 2, 1)),
        ("29-02-2028", date(2028, 2, 29)),
        ("2028-02-29", date(2028, 2, 29)),
        ("  2026-11-24  ", date(2026, 11, 24)),
        ("today", TODAY),
        ("TODAY", TODAY),
        ("Tomorrow", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        ("vandaag", TODAY),
        ("morgen", date(2026, 11, 26)),
        ("gisteren", date(2026, 11, 24)),
        ("+3d", date(2026, 11, 28)),
        ("-2w", date(2026, 11, 11)),
        ("+0d", TODAY),
        ("+1w", date(2026, 12, 2)),
        ("-10d", date(2026, 11, 15)),
        ("+6D", date(2026, 12, 1)),
        ("tue", date(2026, 12, 1)),
        ("di", date(2026, 12, 1)),
        ("thu", date(2026, 11, 26)),
        ("do", date(2026, 11, 26)),
        ("donderdag", date(2026, 11, 26)),
        ("Friday", date(2026, 11, 27)),
        ("zo", date(2026, 11, 29)),
        ("mon", date(2026, 11, 30)),
    ],
)
def test_allowed_forms(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("name", ["wed", "wo", "woensdag", "wednesday"])
def test_todays_weekday_means_next_week_not_today(name: str) -> None:
    assert parse_date(name, TODAY) == date(2026, 12, 2)


@pytest.mark.parametrize(
    "text",
    [
        "31-02-2026",  # no such day
        "2026-13-01",  # no such month
        "2026-02-30",
        "29-02-2027",  # not a leap year
        "00-01-2026",
        "2026-00-10",
        "next friday",
        "",
        "   ",
        "2026/11/24",
        "24/11/2026",
        "24.11.2026",
        "11-24",
        "24-11-26",  # two-digit year: ambiguous
        "20261124",
        "2026-1-5",  # ISO needs two digits
        "2026-11-24T10:00",
        "+3",
        "3d",
        "+3m",  # months are not an offset unit
        "+3y",
        "+-3d",
        "+ 3d",
        "+12345d",
        "tues",
        "dins",
        "now",
        "overmorgen",
        "1e3",
        "２０２６-１１-２４",  # full-width digits
        "٢٠٢٦-١١-٢٤",  # Arabic-Indic digits
        "24-11-２０２６",
        "+３d",
    ],
)
def test_everything_else_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue, match="invalid date"):
        parse_date(text, TODAY)


def test_refusal_names_the_input_and_the_allowed_forms() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_date("next friday", TODAY)
    message = str(caught.value)
    assert "'next friday'" in message
    for form in ("2026-11-24", "24-11-2026", "today", "+3d", "-2w", "weekday"):
        assert form in message


def test_impossible_day_says_so() -> None:
    with pytest.raises(InvalidValue, match=r"'31-02-2026': no such day"):
        parse_date("31-02-2026", TODAY)


# --- properties -----------------------------------------------------------------------------


@given(day=any_day, today=realistic_days)
def test_any_date_round_trips_through_iso(day: date, today: date) -> None:
    assert parse_date(day.isoformat(), today) == day
    assert parse_iso_date(day.isoformat()) == day


@given(day=any_day, today=realistic_days)
def test_any_date_round_trips_through_dutch(day: date, today: date) -> None:
    padded = f"{day.day:02d}-{day.month:02d}-{day.year:04d}"
    bare = f"{day.day}-{day.month}-{day.year:04d}"
    assert parse_date(padded, today) == day
    assert parse_date(bare, today) == day


@given(today=realistic_days, n=st.integers(min_value=0, max_value=9999))
def test_day_offsets_add_correctly(today: date, n: int) -> None:
    parses_within_range(f"+{n}d", today, today + timedelta(days=n))
    parses_within_range(f"-{n}d", today, today - timedelta(days=n))


@given(today=realistic_days, n=st.integers(min_value=0, max_value=9999))
def test_week_offsets_add_correctly(today: date, n: int) -> None:
    parses_within_range(f"+{n}w", today, today + timedelta(weeks=n))
    parses_within_range(f"-{n}w", today, today - timedelta(weeks=n))


@given(today=realistic_days, n=st.integers(min_value=0, max_value=1428))
def test_a_week_is_seven_days(today: date, n: int) -> None:
    for sign in "+-":
        try:
            weeks = parse_date(f"{sign}{n}w", today)
        except InvalidValue:  # beyond the dates icrctl takes: so are the days
            with pytest.raises(InvalidValue):
                parse_date(f"{sign}{7 * n}d", today)
        else:
            assert weeks == parse_date(f"{sign}{7 * n}d", today)


@given(today=realistic_days)
def test_relative_words(today: date) -> None:
    assert parse_date("today", today) == today
    assert parse_date("tomorrow", today) == today + timedelta(days=1)
    assert parse_date("yesterday", today) == today - timedelta(days=1)


@given(today=realistic_days, which=st.sampled_from(ALL_WEEKDAY_NAMES))
def test_weekday_is_the_next_one_after_today(today: date, which: tuple[int, str]) -> None:
    weekday, name = which
    got = parse_date(name, today)
    assert got.weekday() == weekday
    assert 1 <= (got - today).days <= 7


@given(text=st.text(max_size=20), today=realistic_days)
def test_any_text_is_a_date_or_an_invalid_value(text: str, today: date) -> None:
    """Whatever is typed, the answer is a date or an InvalidValue: never another exception."""
    try:
        got = parse_date(text, today)
    except InvalidValue:
        return
    assert isinstance(got, date)


@given(
    text=st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z", fullmatch=True),
    today=realistic_days,
)
def test_iso_shaped_text_is_a_date_or_refused(text: str, today: date) -> None:
    year, month, day = (int(part) for part in text.split("-"))
    try:
        expected = date(year, month, day)
    except ValueError:
        with pytest.raises(InvalidValue):
            parse_date(text, today)
    else:
        parses_within_range(text, today, expected)


# --- the strict ISO reader of the import file, times, and the small helpers -----------------


@pytest.mark.parametrize("text", ["24-11-2026", "today", "+3d", "tue", "2026-02-30", "2026-1-1"])
def test_parse_iso_date_takes_iso_only(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_iso_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10:00", time(10, 0)), ("9:05", time(9, 5)), ("00:00", time(0, 0)), ("23:59", time(23, 59))],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["24:00", "25:00", "10:60", "10", "10:0", "ten", "10.00", "１０:００"]
)
def test_parse_time_refuses(text: str) -> None:
    with pytest.raises(InvalidValue, match="invalid time"):
        parse_time(text)


@given(t=st.times())
def test_times_round_trip(t: time) -> None:
    assert parse_time(format_time(t)) == t.replace(second=0, microsecond=0, tzinfo=None)


def test_not_in_future() -> None:
    assert not_in_future(TODAY, TODAY, "born") == TODAY
    assert not_in_future(date(2000, 1, 1), TODAY, "born") == date(2000, 1, 1)
    with pytest.raises(InvalidValue, match=r"born 2026-11-26 is in the future"):
        not_in_future(date(2026, 11, 26), TODAY, "born")


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1988, 5, 14), date(2026, 5, 13), 37),
        (date(1988, 5, 14), date(2026, 5, 14), 38),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age
