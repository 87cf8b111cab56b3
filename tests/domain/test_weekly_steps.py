"""Weekly series are stepped whole periods at a time, not iterated by rrule: the same dates as
rrule's WEEKLY rule, at a fraction of the cost (an overdue count reads two years of them)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from dateutil.rrule import WEEKLY, rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from icrctl.domain import recurrence
from icrctl.domain.recurrence import Rule, occurrences

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def by_rrule(rule: Rule, first: dt.date, last: dt.date) -> list[dt.date]:
    """The dates by rrule's WEEKLY rule from the first meeting on (no move to working days)."""
    wanted = WEEKDAYS.index(rule.weekday) if rule.weekday else rule.start.weekday()
    anchor = rule.start + dt.timedelta(days=(wanted - rule.start.weekday()) % 7)
    hi = last if rule.until is None else min(last, rule.until)
    if hi < anchor:
        return []
    moments = rrule(
        WEEKLY,
        interval=rule.interval,
        dtstart=dt.datetime.combine(anchor, dt.time()),
        until=dt.datetime.combine(hi, dt.time()),
    )
    return [m.date() for m in moments if m.date() >= max(first, rule.start)]


days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    every=st.sampled_from(["1w", "2w", "3w", "4w"]),
    weekday=st.one_of(st.none(), st.sampled_from(WEEKDAYS)),
    start=days,
    until=st.one_of(st.none(), st.integers(0, 900)),
    first=days,
    span=st.integers(-10, 900),
)
def test_weekly_dates_are_rrules(
    every: str,
    weekday: str | None,
    start: dt.date,
    until: int | None,
    first: dt.date,
    span: int,
) -> None:
    end = None if until is None else start + dt.timedelta(days=until)
    rule = Rule(every, start, dt.time(10), weekday, end)
    last = first + dt.timedelta(days=span)
    assert occurrences(rule, first, last) == by_rrule(rule, first, last)


def test_two_years_of_a_weekly_series_without_rrule(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a weekly series is stepped, not iterated by rrule")

    monkeypatch.setattr(recurrence, "rrule", refuse)
    rule = Rule("2w", dt.date(2024, 11, 7), dt.time(10), "thu")
    found = occurrences(rule, dt.date(2024, 11, 1), dt.date(2026, 11, 24))
    assert len(found) == 54
    assert found[0] == dt.date(2024, 11, 7)
    assert found[-1] == dt.date(2026, 11, 19)
    assert {d.weekday() for d in found} == {3}
    assert all((b - a).days == 14 for a, b in itertools.pairwise(found))
