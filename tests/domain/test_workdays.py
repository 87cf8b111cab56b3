"""Series that keep to working days (``--workdays next|previous``): the rule moves a meeting on a
weekend or Dutch public holiday to a working day, within the series' start and until."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.domain.recurrence import (
    CADENCES,
    Rule,
    days_off,
    is_working_day,
    make_rule,
    occurrences,
    weekend_day,
    working_day,
)
from icrctl.errors import InvalidValue

TEN = time(10, 0)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def d(text: str) -> date:
    return date.fromisoformat(text)


def ds(*texts: str) -> list[date]:
    return [d(text) for text in texts]


def monthly(start: str, workdays: str | None, until: date | None = None) -> Rule:
    return Rule("1m", d(start), TEN, until=until, workdays=workdays)


# --- what a working day is ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-12-04", True),  # Friday
        ("2026-12-05", False),  # Saturday
        ("2026-12-06", False),  # Sunday
        ("2026-12-07", True),  # Monday
        ("2026-12-25", False),  # Eerste kerstdag, a Friday
        ("2027-04-27", False),  # Koningsdag, a Tuesday
        ("2027-05-06", False),  # Hemelvaartsdag, a Thursday
    ],
)
def test_working_days_are_weekdays_that_are_no_public_holiday(day: str, working: bool) -> None:
    assert is_working_day(d(day)) is working


def test_weekend_day_names_saturday_and_sunday_only() -> None:
    week = [d("2026-11-30") + timedelta(days=i) for i in range(7)]
    assert [weekend_day(day) for day in week] == [None] * 5 + ["Saturday", "Sunday"]


# --- the practitioner's example: monthly from Thursday 5 November 2026 -------------------------


def test_without_workdays_the_rule_keeps_its_saturdays() -> None:
    got = occurrences(monthly("2026-11-05", None), d("2026-11-01"), d("2027-06-30"))
    assert d("2026-12-05") in got
    assert d("2027-06-05") in got


def test_next_moves_a_saturday_to_monday() -> None:
    got = occurrences(monthly("2026-11-05", "next"), d("2026-11-01"), d("2027-06-30"))
    assert got == ds(
        "2026-11-05",
        "2026-12-07",  # Saturday 5 December
        "2027-01-05",
        "2027-02-05",
        "2027-03-05",
        "2027-04-05",
        "2027-05-05",  # Bevrijdingsdag is a public holiday only every fifth year (2025, 2030)
        "2027-06-07",  # Saturday 5 June
    )


def test_previous_moves_a_saturday_to_friday() -> None:
    got = occurrences(monthly("2026-11-05", "previous"), d("2026-12-01"), d("2027-06-30"))
    assert d("2026-12-04") in got
    assert d("2027-06-04") in got
    assert d("2026-12-05") not in got
    assert d("2027-06-05") not in got


def test_a_holiday_on_a_weekday_moves_too() -> None:
    # Weekly on Tuesday: Koningsdag 2027 is Tuesday 27 April.
    rule = Rule("1w", d("2027-04-06"), TEN, workdays="next")
    assert occurrences(rule, d("2027-04-20"), d("2027-05-04")) == ds(
        "2027-04-20", "2027-04-28", "2027-05-04"
    )
    rule = Rule("1w", d("2027-04-06"), TEN, workdays="previous")
    assert occurrences(rule, d("2027-04-20"), d("2027-05-04")) == ds(
        "2027-04-20", "2027-04-26", "2027-05-04"
    )


def test_a_move_skips_a_run_of_days_off() -> None:
    # Christmas 2027: Saturday 25 and Sunday 26 December; Easter 2027: Good Friday 26 March to
    # Easter Monday 29 March.
    assert working_day(monthly("2027-01-25", "next"), d("2027-12-25")) == d("2027-12-27")
    assert working_day(monthly("2027-01-26", "next"), d("2027-03-26")) == d("2027-03-30")
    assert working_day(monthly("2027-01-29", "previous"), d("2027-03-29")) == d("2027-03-25")


def test_monthly_on_the_nth_weekday_keeps_it_and_moves_only_on_a_holiday() -> None:
    # The last Monday of the month from Monday 29 March 2027, which is Tweede paasdag.
    plain = Rule("1m", d("2027-03-29"), TEN, weekday="mon")
    kept = Rule("1m", d("2027-03-29"), TEN, weekday="mon", workdays="next")
    window = (d("2027-03-01"), d("2027-08-31"))
    assert occurrences(plain, *window) == ds(
        "2027-03-29", "2027-04-26", "2027-05-31", "2027-06-28", "2027-07-26", "2027-08-30"
    )
    assert occurrences(kept, *window) == ds(
        "2027-03-30", "2027-04-26", "2027-05-31", "2027-06-28", "2027-07-26", "2027-08-30"
    )


def test_monthly_on_the_second_saturday_moves_every_meeting() -> None:
    rule = Rule("1m", d("2026-12-12"), TEN, weekday="sat", workdays="next")
    got = occurrences(rule, d("2026-12-01"), d("2027-03-31"))
    assert got == ds("2026-12-14", "2027-01-11", "2027-02-15", "2027-03-15")


# --- the bounds of a series --------------------------------------------------------------------


def test_previous_never_moves_before_the_start() -> None:
    # Starting on Saturday 5 December: Friday the 4th lies before the start, so Monday the 7th.
    rule = monthly("2026-12-05", "previous")
    assert occurrences(rule, d("2026-11-01"), d("2026-12-31")) == ds("2026-12-07")


def test_next_never_moves_after_until() -> None:
    rule = monthly("2026-11-05", "next", until=d("2026-12-05"))
    assert occurrences(rule, d("2026-11-01"), d("2027-01-31")) == ds("2026-11-05", "2026-12-04")


def test_without_a_working_day_within_the_bounds_the_meeting_stays() -> None:
    rule = monthly("2026-12-05", "next", until=d("2026-12-06"))
    assert occurrences(rule, d("2026-12-01"), d("2026-12-31")) == ds("2026-12-05")


def test_a_window_sees_a_meeting_moved_into_it_from_outside() -> None:
    rule = monthly("2026-11-05", "next")
    assert occurrences(rule, d("2026-12-06"), d("2026-12-07")) == ds("2026-12-07")
    assert occurrences(rule, d("2026-12-05"), d("2026-12-05")) == []
    assert occurrences(monthly("2026-11-05", "previous"), d("2026-12-04"), d("2026-12-04")) == ds(
        "2026-12-04"
    )


# --- reading it --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("next", "next"), ("previous", "previous"), ("Volgende", "next"), (" vorige ", "previous")],
)
def test_make_rule_reads_workdays_and_their_dutch_words(text: str, expected: str) -> None:
    assert make_rule("1m", d("2026-11-05"), workdays=text).workdays == expected


@pytest.mark.parametrize("text", ["later", "nearest", "", "weekdays"])
def test_make_rule_refuses_other_workdays(text: str) -> None:
    with pytest.raises(InvalidValue, match="workdays"):
        make_rule("1m", d("2026-11-05"), workdays=text)


def test_rule_refuses_a_non_canonical_workdays() -> None:
    with pytest.raises(InvalidValue, match="next, previous"):
        Rule("1m", d("2026-11-05"), TEN, workdays="volgende")


def test_days_off_names_the_weekend_day_or_the_holiday() -> None:
    rule = Rule("1w", d("2027-04-03"), TEN)  # Saturdays
    assert days_off(rule, d("2027-04-01"), d("2027-04-20"))[:3] == [
        (d("2027-04-03"), "Saturday"),
        (d("2027-04-10"), "Saturday"),
        (d("2027-04-17"), "Saturday"),
    ]
    tuesdays = Rule("1w", d("2027-04-20"), TEN)
    assert days_off(tuesdays, d("2027-04-20"), d("2027-05-04")) == [(d("2027-04-27"), "Koningsdag")]
    assert (
        days_off(
            Rule("1w", d("2027-04-20"), TEN, workdays="next"), d("2027-04-20"), d("2027-05-31")
        )
        == []
    )


# --- properties --------------------------------------------------------------------------------

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2058, 12, 31))


@st.composite
def kept_rules(draw: st.DrawFn) -> Rule:
    start = draw(starts)
    until = draw(st.none() | st.integers(0, 1500).map(lambda n: start + timedelta(days=n)))
    return Rule(
        every=draw(st.sampled_from(CADENCES)),
        start=start,
        time=TEN,
        weekday=draw(st.none() | st.sampled_from(WEEKDAYS)),
        until=until,
        workdays=draw(st.sampled_from(("next", "previous"))),
    )


def plain(rule: Rule) -> Rule:
    return Rule(rule.every, rule.start, rule.time, rule.weekday, rule.until)


def nearest(rule: Rule, day: date, way: int) -> date | None:
    """The first working day from ``day`` going ``way`` (+1, -1), within the series' bounds."""
    other = day + timedelta(days=way)
    while rule.start <= other and (rule.until is None or other <= rule.until):
        if is_working_day(other):
            return other
        other += timedelta(days=way)
    return None


@given(kept_rules(), st.integers(-30, 1500), st.integers(0, 400))
def test_each_meeting_is_its_rule_day_moved_to_a_working_day(
    rule: Rule, offset: int, length: int
) -> None:
    first = rule.start + timedelta(days=offset)
    last = first + timedelta(days=length)
    got = occurrences(rule, first, last)
    wide = occurrences(plain(rule), first - timedelta(days=14), last + timedelta(days=14))
    expected = [working_day(rule, day) for day in wide]
    assert got == [day for day in expected if first <= day <= last]
    assert got == sorted(set(got)), "two meetings moved onto one day, or out of order"
    assert all(rule.start <= day and (rule.until is None or day <= rule.until) for day in got)


@given(kept_rules())
def test_a_day_off_moves_the_chosen_way_else_the_other_else_stays(rule: Rule) -> None:
    way = 1 if rule.workdays == "next" else -1
    for day in occurrences(plain(rule), rule.start, rule.start + timedelta(days=400)):
        if is_working_day(day):
            assert working_day(rule, day) == day
        else:
            expected = nearest(rule, day, way) or nearest(rule, day, -way) or day
            assert working_day(rule, day) == expected


@given(kept_rules(), st.integers(-30, 1500), st.integers(0, 300), st.integers(0, 300))
def test_splitting_a_window_changes_nothing(rule: Rule, offset: int, left: int, right: int) -> None:
    a = rule.start + timedelta(days=offset)
    b = a + timedelta(days=left)
    c = b + timedelta(days=1 + right)
    assert occurrences(rule, a, b) + occurrences(rule, b + timedelta(days=1), c) == occurrences(
        rule, a, c
    )


@given(kept_rules())
def test_every_meeting_of_a_long_series_is_on_a_working_day(rule: Rule) -> None:
    if rule.until is not None and (rule.until - rule.start).days < 14:
        return  # a series of a few days may hold no working day at all: tested above
    got = occurrences(rule, rule.start, rule.start + timedelta(days=800))
    assert all(is_working_day(day) for day in got)
