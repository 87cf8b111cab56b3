"""Evaluation series: cadences, rules, occurrences, wall-clock times and Dutch holidays."""

from __future__ import annotations

import calendar
import itertools
import subprocess
import sys
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.domain.recurrence import (
    CADENCES,
    DEFAULT_TIME,
    Rule,
    holiday_name,
    local_datetime,
    make_rule,
    occurrences,
    parse_cadence,
)
from icrctl.errors import InvalidValue

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TEN = time(10, 0)


def d(text: str) -> date:
    return date.fromisoformat(text)


def ds(*texts: str) -> list[date]:
    return [d(text) for text in texts]


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


# --- cadences ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", CADENCES)
def test_parse_cadence_accepts_canonical(text: str) -> None:
    assert parse_cadence(text) == text
    assert parse_cadence(text.upper()) == text
    assert parse_cadence(f"  {text} ") == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weekly", "1w"),
        ("biweekly", "2w"),
        ("monthly", "1m"),
        ("Monthly", "1m"),
        ("wekelijks", "1w"),
        ("tweewekelijks", "2w"),
        ("driewekelijks", "3w"),
        ("vierwekelijks", "4w"),
        ("maandelijks", "1m"),
        ("TWEEMAANDELIJKS", "2m"),
    ],
)
def test_parse_cadence_accepts_aliases(text: str, expected: str) -> None:
    assert parse_cadence(text) == expected


@pytest.mark.parametrize("text", ["", "5w", "3m", "daily", "1 w", "jaarlijks"])
def test_parse_cadence_refuses_unknown(text: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_cadence(text)
    message = str(caught.value)
    assert "\n" not in message
    assert all(code in message for code in CADENCES)
    assert "tweewekelijks" in message


# --- rules ------------------------------------------------------------------------------------


def test_make_rule_reads_aliases_and_defaults() -> None:
    rule = make_rule("tweewekelijks", d("2026-03-10"), weekday="di")
    assert rule == Rule(every="2w", start=d("2026-03-10"), time=DEFAULT_TIME, weekday="tue")
    assert rule.time == TEN
    assert rule.until is None


def test_make_rule_refuses_unknown_weekday() -> None:
    with pytest.raises(InvalidValue, match="weekday"):
        make_rule("1w", d("2026-03-10"), weekday="someday")


def test_until_before_start_is_refused() -> None:
    with pytest.raises(InvalidValue, match="before start"):
        make_rule("1w", d("2026-03-10"), until=d("2026-03-09"))
    with pytest.raises(InvalidValue, match="before start"):
        Rule(every="1w", start=d("2026-03-10"), time=TEN, until=d("2026-03-09"))


def test_until_equal_to_start_gives_one_occurrence() -> None:
    rule = make_rule("1w", d("2026-03-10"), until=d("2026-03-10"))
    assert occurrences(rule, d("2026-01-01"), d("2026-12-31")) == ds("2026-03-10")


def test_rule_refuses_non_canonical_values() -> None:
    with pytest.raises(InvalidValue, match="cadence"):
        Rule(every="biweekly", start=d("2026-03-10"), time=TEN)
    with pytest.raises(InvalidValue, match="weekday"):
        Rule(every="1w", start=d("2026-03-10"), time=TEN, weekday="di")


# --- weekly kinds -----------------------------------------------------------------------------


def test_biweekly_sequence() -> None:
    rule = make_rule("2w", d("2026-03-10"), weekday="tue")
    assert occurrences(rule, d("2026-03-01"), d("2026-05-31")) == ds(
        "2026-03-10", "2026-03-24", "2026-04-07", "2026-04-21", "2026-05-05", "2026-05-19"
    )


def test_weekly_defaults_to_the_weekday_of_start() -> None:
    rule = make_rule("weekly", d("2026-03-12"))  # a Thursday
    assert occurrences(rule, d("2026-03-01"), d("2026-03-31")) == ds(
        "2026-03-12", "2026-03-19", "2026-03-26"
    )


def test_weekly_first_occurrence_is_the_first_weekday_on_or_after_start() -> None:
    rule = make_rule("2w", d("2026-03-13"), weekday="tue")  # start on a Friday
    assert occurrences(rule, d("2026-03-01"), d("2026-04-30")) == ds(
        "2026-03-17", "2026-03-31", "2026-04-14", "2026-04-28"
    )


@pytest.mark.parametrize(
    ("every", "expected"),
    [
        ("3w", ["2026-01-05", "2026-01-26", "2026-02-16", "2026-03-09", "2026-03-30"]),
        ("4w", ["2026-01-05", "2026-02-02", "2026-03-02", "2026-03-30"]),
    ],
)
def test_three_and_four_weekly(every: str, expected: list[str]) -> None:
    rule = make_rule(every, d("2026-01-05"))
    assert occurrences(rule, d("2026-01-01"), d("2026-04-05")) == ds(*expected)


def test_window_far_from_start_keeps_the_phase() -> None:
    rule = make_rule("2w", d("2020-01-07"))  # a Tuesday
    got = occurrences(rule, d("2027-01-01"), d("2027-01-31"))
    assert got == ds("2027-01-12", "2027-01-26")
    assert all((day - d("2020-01-07")).days % 14 == 0 for day in got)


def test_window_centuries_away_is_cheap() -> None:
    rule = make_rule("1w", d("2020-01-06"))
    got = occurrences(rule, d("9999-12-01"), d("9999-12-31"))
    assert got == ds("9999-12-06", "9999-12-13", "9999-12-20", "9999-12-27")
    monthly = make_rule("1m", d("2020-01-31"))
    assert occurrences(monthly, d("9999-11-01"), d("9999-12-31")) == ds("9999-11-30", "9999-12-31")


# --- monthly kinds ----------------------------------------------------------------------------


def test_monthly_on_the_31st_clamps_to_short_months() -> None:
    rule = make_rule("1m", d("2026-01-31"))
    assert occurrences(rule, d("2026-01-01"), d("2026-06-30")) == ds(
        "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"
    )


def test_monthly_on_the_31st_in_a_leap_year() -> None:
    rule = make_rule("monthly", d("2024-01-31"))
    assert occurrences(rule, d("2024-02-01"), d("2024-03-31")) == ds("2024-02-29", "2024-03-31")


def test_monthly_on_the_30th_does_not_drift_to_the_31st() -> None:
    rule = make_rule("1m", d("2026-01-30"))
    assert occurrences(rule, d("2026-01-01"), d("2026-04-30")) == ds(
        "2026-01-30", "2026-02-28", "2026-03-30", "2026-04-30"
    )


def test_two_monthly_from_the_31st() -> None:
    rule = make_rule("tweemaandelijks", d("2026-01-31"))
    assert occurrences(rule, d("2026-01-01"), d("2026-12-31")) == ds(
        "2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-09-30", "2026-11-30"
    )


def test_second_tuesday_every_month() -> None:
    rule = make_rule("1m", d("2026-03-10"), weekday="tue")  # the 2nd Tuesday of March
    assert occurrences(rule, d("2026-03-01"), d("2026-08-31")) == ds(
        "2026-03-10", "2026-04-14", "2026-05-12", "2026-06-09", "2026-07-14", "2026-08-11"
    )


def test_fifth_weekday_falls_back_to_the_last() -> None:
    rule = make_rule("1m", d("2026-01-29"), weekday="thu")  # the 5th Thursday of January
    assert occurrences(rule, d("2026-01-01"), d("2026-05-31")) == ds(
        "2026-01-29", "2026-02-26", "2026-03-26", "2026-04-30", "2026-05-28"
    )


def test_nth_weekday_other_than_start_weekday_starts_on_or_after_start() -> None:
    # Start on the 2nd Tuesday, meet on the 2nd Monday: 9 March is before start.
    rule = make_rule("1m", d("2026-03-10"), weekday="ma")
    assert occurrences(rule, d("2026-03-01"), d("2026-05-31")) == ds("2026-04-13", "2026-05-11")


def test_two_monthly_nth_weekday() -> None:
    rule = make_rule("2m", d("2026-01-13"), weekday="tue")  # the 2nd Tuesday
    assert occurrences(rule, d("2026-01-01"), d("2026-07-31")) == ds(
        "2026-01-13", "2026-03-10", "2026-05-12", "2026-07-14"
    )


# --- bounds -----------------------------------------------------------------------------------


def test_nothing_before_start_or_after_until() -> None:
    rule = make_rule("1w", d("2026-03-10"), until=d("2026-03-31"))
    assert occurrences(rule, d("2026-01-01"), d("2026-12-31")) == ds(
        "2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31"
    )


def test_window_bounds_are_inclusive() -> None:
    rule = make_rule("1w", d("2026-03-10"))
    assert occurrences(rule, d("2026-03-17"), d("2026-03-24")) == ds("2026-03-17", "2026-03-24")
    assert occurrences(rule, d("2026-03-18"), d("2026-03-23")) == []


def test_empty_windows() -> None:
    rule = make_rule("1w", d("2026-03-10"), until=d("2026-06-30"))
    assert occurrences(rule, d("2026-01-01"), d("2026-03-09")) == []
    assert occurrences(rule, d("2026-07-01"), d("2026-12-31")) == []
    assert occurrences(rule, d("2026-05-01"), d("2026-04-01")) == []


# --- wall-clock times -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # last Sunday of March 2026 is 29 March: to summer time
        ("2026-03-24", "2026-03-31"),
        # last Sunday of October 2026 is 25 October: back to winter time
        ("2026-10-20", "2026-10-27"),
    ],
)
def test_ten_oclock_stays_ten_across_dst(before: str, after: str) -> None:
    rule = make_rule("1w", d(before), time=TEN)
    days = occurrences(rule, d(before), d(after))
    assert days == ds(before, after)
    moments = [local_datetime(day, rule.time) for day in days]
    assert [m.hour for m in moments] == [10, 10]
    assert [m.minute for m in moments] == [0, 0]
    assert moments[0].utcoffset() != moments[1].utcoffset()
    assert {m.utcoffset() for m in moments} == {timedelta(hours=1), timedelta(hours=2)}
    assert all(str(m.tzinfo) == "Europe/Amsterdam" for m in moments)


def test_local_datetime_moves_a_skipped_time_forward() -> None:
    moment = local_datetime(d("2026-03-29"), time(2, 30))
    assert (moment.hour, moment.minute) == (3, 30)
    assert moment.utcoffset() == timedelta(hours=2)


def test_local_datetime_takes_the_first_of_a_repeated_time() -> None:
    moment = local_datetime(d("2026-10-25"), time(2, 30))
    assert (moment.hour, moment.minute) == (2, 30)
    assert moment.utcoffset() == timedelta(hours=2)


# --- holidays ---------------------------------------------------------------------------------


def test_holiday_names() -> None:
    assert holiday_name(d("2026-04-27")) == "Koningsdag"
    assert holiday_name(d("2026-12-25")) == "Eerste kerstdag"
    assert holiday_name(d("2026-12-26")) == "Tweede kerstdag"
    assert holiday_name(d("2026-04-28")) is None


def test_koningsdag_on_a_sunday_moves_to_saturday() -> None:
    # 27 April 2025 was a Sunday.
    assert holiday_name(d("2025-04-26")) == "Koningsdag"
    assert holiday_name(d("2025-04-27")) is None


def test_importing_recurrence_does_not_import_holidays() -> None:
    code = "import sys, icrctl.domain.recurrence; sys.exit('holidays' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- properties -------------------------------------------------------------------------------

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def rules(draw: st.DrawFn, cadences: tuple[str, ...] = CADENCES) -> Rule:
    start = draw(starts)
    until = draw(st.none() | st.integers(0, 3000).map(lambda n: start + timedelta(days=n)))
    return Rule(
        every=draw(st.sampled_from(cadences)),
        start=start,
        time=TEN,
        weekday=draw(st.none() | st.sampled_from(WEEKDAYS)),
        until=until,
    )


@st.composite
def windows(draw: st.DrawFn, rule: Rule, longest: int = 1500) -> tuple[date, date]:
    first = rule.start + timedelta(days=draw(st.integers(-400, 4000)))
    return first, first + timedelta(days=draw(st.integers(-5, longest)))


@st.composite
def rules_and_windows(
    draw: st.DrawFn, cadences: tuple[str, ...] = CADENCES, longest: int = 1500
) -> tuple[Rule, date, date]:
    rule = draw(rules(cadences))
    first, last = draw(windows(rule, longest))
    return rule, first, last


@given(rules_and_windows())
def test_occurrences_stay_in_bounds_sorted_and_unique(case: tuple[Rule, date, date]) -> None:
    rule, first, last = case
    got = occurrences(rule, first, last)
    lo = max(first, rule.start)
    hi = last if rule.until is None else min(last, rule.until)
    assert all(lo <= day <= hi for day in got)
    assert got == sorted(set(got))
    if rule.weekly:
        wanted = WEEKDAYS.index(rule.weekday) if rule.weekday else rule.start.weekday()
        assert all(day.weekday() == wanted for day in got)
        assert all((b - a).days == 7 * rule.interval for a, b in itertools.pairwise(got))


@given(rules_and_windows(cadences=("1m", "2m")))
def test_monthly_day_of_month_is_clamped_start_day(case: tuple[Rule, date, date]) -> None:
    rule, first, last = case
    rule = Rule(every=rule.every, start=rule.start, time=rule.time, until=rule.until)
    got = occurrences(rule, first, last)
    assert all(day.day == min(rule.start.day, days_in_month(day)) for day in got)
    assert all(month_index(b) - month_index(a) == rule.interval for a, b in itertools.pairwise(got))
    assert all((month_index(day) - month_index(rule.start)) % rule.interval == 0 for day in got)


@given(rules(), st.integers(-400, 3000), st.integers(0, 800), st.integers(0, 800))
def test_splitting_a_window_changes_nothing(rule: Rule, offset: int, left: int, right: int) -> None:
    a = rule.start + timedelta(days=offset)
    b = a + timedelta(days=left)
    c = b + timedelta(days=1 + right)
    whole = occurrences(rule, a, c)
    assert occurrences(rule, a, b) + occurrences(rule, b + timedelta(days=1), c) == whole


def brute_force(rule: Rule, first: date, last: date) -> list[date]:
    """Every day of the window tested against the rule as docs/format.md words it."""
    out: list[date] = []
    day = max(first, rule.start)
    end = last if rule.until is None else min(last, rule.until)
    wanted = WEEKDAYS.index(rule.weekday) if rule.weekday else rule.start.weekday()
    anchor = rule.start + timedelta(days=(wanted - rule.start.weekday()) % 7)
    nth = (rule.start.day - 1) // 7 + 1
    while day <= end:
        months = month_index(day) - month_index(rule.start)
        if rule.weekly:
            hit = day >= anchor and (day - anchor).days % (7 * rule.interval) == 0
        elif rule.weekday is None:
            hit = months % rule.interval == 0 and day.day == min(rule.start.day, days_in_month(day))
        else:
            is_last = (day + timedelta(days=7)).month != day.month
            position_ok = (day.day - 1) // 7 + 1 == nth or (nth == 5 and is_last)
            hit = months % rule.interval == 0 and day.weekday() == wanted and position_ok
        if hit:
            out.append(day)
        day += timedelta(days=1)
    return out


@given(rules_and_windows(longest=500))
def test_occurrences_match_a_day_by_day_reading_of_the_rule(
    case: tuple[Rule, date, date],
) -> None:
    rule, first, last = case
    assert occurrences(rule, first, last) == brute_force(rule, first, last)
