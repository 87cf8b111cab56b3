"""The rules of aftercare (``icrctl.domain.aftercare``): the follow-ups' due dates (calendar
months, month ends kept in the month), the window in which a contact holds one, and the period
after closing in which a report suggests reopening; and the closing checklist's aftercare item."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.domain import aftercare as ac
from icrctl.domain import closing

D = dt.date
days = st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 6, 30))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 8, 31), 3, D(2026, 11, 30)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 10, 6), 1, D(2026, 11, 6)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 3, 1), 12, D(2027, 3, 1)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert ac.add_months(day, months) == expected


@given(days, st.integers(min_value=0, max_value=24))
def test_add_months_lands_in_the_right_month_on_the_right_day(day: dt.date, months: int) -> None:
    later = ac.add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(later.year, later.month)[1]
    assert later.day == min(day.day, last)
    assert later >= day


@given(days)
def test_the_follow_ups_come_in_order_after_the_start(start: dt.date) -> None:
    dues = ac.follow_up_dates(start)
    assert dues == sorted(dues)
    assert len(dues) == len(ac.FOLLOW_UP_MONTHS) == 3
    assert all(due > start for due in dues)
    assert dues == [ac.add_months(start, n) for n in (1, 3, 6)]


def test_the_follow_ups_of_the_end_of_august() -> None:
    assert ac.follow_up_dates(D(2026, 8, 31)) == [D(2026, 9, 30), D(2026, 11, 30), D(2027, 2, 28)]


def test_a_contact_holds_the_earliest_open_follow_up_whose_window_began() -> None:
    dues = [D(2026, 12, 1), D(2027, 2, 1)]
    assert ac.follow_up_held_by(dues, D(2026, 11, 16)) is None  # 15 days before: too early
    assert ac.follow_up_held_by(dues, D(2026, 11, 17)) == D(2026, 12, 1)  # 14 days before
    assert ac.follow_up_held_by(dues, D(2026, 12, 1)) == D(2026, 12, 1)
    assert ac.follow_up_held_by(dues, D(2027, 1, 30)) == D(2026, 12, 1)  # late: still the first
    assert ac.follow_up_held_by(dues[1:], D(2027, 1, 18)) == D(2027, 2, 1)
    assert ac.follow_up_held_by(dues[1:], D(2027, 1, 17)) is None
    assert ac.follow_up_held_by([], D(2027, 1, 17)) is None


@given(st.lists(days, unique=True, max_size=6), days)
def test_the_window_rule(dues: list[dt.date], contact: dt.date) -> None:
    held = ac.follow_up_held_by(dues, contact)
    begun = [due for due in dues if due - dt.timedelta(days=ac.HELD_FROM_DAYS) <= contact]
    assert held == (min(begun) if begun else None)
    if held is not None:
        assert (held - contact).days <= ac.HELD_FROM_DAYS


def test_overdue_is_past_due_only() -> None:
    today = D(2026, 11, 25)
    assert ac.overdue([D(2026, 11, 25), D(2026, 11, 24), D(2026, 9, 1)], today) == [
        D(2026, 9, 1),
        D(2026, 11, 24),
    ]


def test_the_report_period_runs_a_year_from_the_closing_day() -> None:
    closed = D(2026, 2, 28)
    assert ac.in_report_period(closed, closed)
    assert ac.in_report_period(closed, D(2027, 2, 28))
    assert not ac.in_report_period(closed, D(2027, 3, 1))
    assert not ac.in_report_period(closed, D(2026, 2, 27))
    assert ac.report_period_end(D(2028, 2, 29)) == D(2029, 2, 28)


@given(days, st.integers(min_value=0, max_value=400))
def test_the_report_period_is_twelve_calendar_months(closed: dt.date, after: int) -> None:
    day = closed + dt.timedelta(days=after)
    assert ac.in_report_period(closed, day) == (day <= ac.add_months(closed, 12))


def test_closing_lists_the_follow_ups_not_held() -> None:
    facts = closing.ClosingFacts(
        plan_signed=True, had_aftercare=True, open_follow_ups=(D(2027, 2, 1), D(2026, 12, 1))
    )
    (item,) = closing.open_items(facts)
    assert item.code == closing.AFTERCARE_OPEN
    assert item.what() == "aftercare follow-up contacts not held (2026-12-01, 2027-02-01)"
    held = closing.ClosingFacts(plan_signed=True, had_aftercare=True)
    assert closing.open_items(held) == []
    assert closing.ITEMS[-2:] == (closing.NO_AFTERCARE, closing.AFTERCARE_OPEN)
