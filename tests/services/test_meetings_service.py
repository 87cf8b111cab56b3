"""Meetings at the service level: scheduling, moving, recording and stopping, called directly
(without the command line) on the test's own case file."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Attendance, EvaluationSeries, Meeting
from icrctl.errors import Conflict, InvalidValue, NotFound, RuleViolation
from icrctl.services import evaluations as ev
from icrctl.services import meetings as mt
from icrctl.services.context import Context
from icrctl.services.lookup import get_case

REF = "GO-2026-031"
OPENED = date(2026, 3, 2)
TUESDAY = date(2026, 11, 10)  # a series every Tuesday from here: 10, 17, 24 Nov (today is 25 Nov)
Unit = Callable[..., AbstractContextManager[tuple[Session, Context]]]


@pytest.fixture
def unit(services: Unit) -> Unit:
    """The test's case file with a case: two members and a linked partner."""
    from icrctl.services.cases import CaseInput, create_case
    from icrctl.services.members import MemberInput, add_member
    from icrctl.services.partners import PartnerInput, add_partner, link_partner

    with services() as (session, ctx):
        create_case(session, ctx, REF, CaseInput(title="Familie Bos", opened=OPENED))
        add_member(session, ctx, REF, MemberInput(name="Lotte Bos", role="victim", key="m1"))
        add_member(session, ctx, REF, MemberInput(name="Kees Bos", role="perpetrator", key="m2"))
        add_partner(
            session,
            ctx,
            PartnerInput(name="R. Peeters", organisation="Wijkteam", kind="social_work", key="wt"),
        )
        link_partner(session, ctx, REF, "wt", consent=True)
    return services


@pytest.fixture
def tuesdays(unit: Unit) -> Unit:
    """The case with a weekly series on Tuesdays at 10:00 from 10 November."""
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1w", weekday="tue", start=TUESDAY)
    return unit


def meetings(unit: Unit) -> list[tuple[date, date | None, str | None, str]]:
    """What the case file holds: (date, moved_to, moved_time, status) of every meeting row."""
    with unit() as (session, _):
        return [
            (m.date, m.moved_to, m.moved_time, m.status)
            for m in session.scalars(select(Meeting).order_by(Meeting.date))
        ]


def occurrences(unit: Unit, first: date, last: date) -> list[tuple[date, str, str, date]]:
    with unit() as (session, ctx):
        found = ev.list_occurrences(session, ctx, REF, first, last)
    return [(o.date, o.time, o.status, o.original) for o in found]


# ---------------------------------------------------------------- scheduling


def test_a_series_invites_members_and_partners(unit: Unit) -> None:
    with unit() as (session, ctx):
        row = mt.schedule(
            session, ctx, REF, every="2w", start=date(2026, 12, 1), attendees=["Lotte Bos", "wt"]
        )
    assert (row.every, row.weekday, row.time, row.start) == ("2w", None, "10:00", date(2026, 12, 1))
    assert row.attendees == ["m1", "wt"]
    with unit() as (session, _):
        assert [s.attendees for s in ev.list_series(session, REF)] == [["m1", "wt"]]


def test_a_series_cannot_start_before_the_case_opened(unit: Unit) -> None:
    with pytest.raises(InvalidValue, match="before the case opened"), unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1w", start=date(2026, 3, 1))
    with unit() as (session, _):
        assert session.scalars(select(EvaluationSeries)).all() == []


# ---------------------------------------------------------------- moving


def test_moving_back_to_where_the_rule_puts_it_keeps_the_count_of_changes(tuesdays: Unit) -> None:
    with tuesdays() as (session, ctx):
        mt.move(session, ctx, REF, date(2026, 12, 1), date(2026, 12, 3), "14:00")
    assert meetings(tuesdays) == [(date(2026, 12, 1), date(2026, 12, 3), "14:00", "moved")]
    with tuesdays() as (session, ctx):
        back = mt.move(session, ctx, REF, date(2026, 12, 3), date(2026, 12, 1), "10:00")
    assert (back.date, back.time, back.status, back.moved) == (
        date(2026, 12, 1),
        "10:00",
        ev.PLANNED,
        False,
    )
    # it takes place where the rule puts it; the record stays for eval ics's SEQUENCE
    assert meetings(tuesdays) == [(date(2026, 12, 1), date(2026, 12, 1), "10:00", "moved")]


def test_moving_to_before_the_case_opened_is_refused(unit: Unit) -> None:
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1w", start=OPENED)
    with pytest.raises(InvalidValue, match="before the case opened"), unit() as (session, ctx):
        mt.move(session, ctx, REF, OPENED, date(2026, 2, 27), None)
    assert meetings(unit) == []


def test_a_move_into_the_past_is_overdue(tuesdays: Unit) -> None:
    with tuesdays() as (session, ctx):
        moved = mt.move(session, ctx, REF, date(2026, 12, 1), date(2026, 11, 20), None)
    assert (moved.status, moved.original, moved.holiday) == (ev.OVERDUE, date(2026, 12, 1), None)


# ---------------------------------------------------------------- recording


def test_record_on_a_moved_occurrence_records_it_where_it_took_place(tuesdays: Unit) -> None:
    with tuesdays() as (session, ctx):
        mt.move(session, ctx, REF, date(2026, 11, 24), date(2026, 11, 23), None)
    with tuesdays() as (session, ctx):
        done = mt.record(session, ctx, REF, day=date(2026, 11, 23), attended=["m1"], risk=3)
    assert not done.extra
    assert (done.occurrence.date, done.occurrence.original, done.occurrence.status) == (
        date(2026, 11, 23),
        date(2026, 11, 24),
        ev.HELD,
    )
    # One row: kept by the rule's date, held where it moved to.
    assert meetings(tuesdays) == [(date(2026, 11, 24), date(2026, 11, 23), "10:00", ev.HELD)]
    assert occurrences(tuesdays, date(2026, 11, 23), date(2026, 11, 24)) == [
        (date(2026, 11, 23), "10:00", ev.HELD, date(2026, 11, 24))
    ]
    with tuesdays() as (session, _):
        [present] = session.scalars(select(Attendance)).all()
        assert present.presence == "attended"


def test_record_on_the_day_an_occurrence_moved_from_records_that_occurrence(
    tuesdays: Unit,
) -> None:
    with tuesdays() as (session, ctx):
        mt.move(session, ctx, REF, date(2026, 11, 24), date(2026, 11, 23), None)
    with tuesdays() as (session, ctx):
        done = mt.record(session, ctx, REF, day=date(2026, 11, 24))
    assert not done.extra
    assert (done.occurrence.date, done.occurrence.original) == (
        date(2026, 11, 23),
        date(2026, 11, 24),
    )
    assert occurrences(tuesdays, date(2026, 11, 23), date(2026, 11, 24)) == [
        (date(2026, 11, 23), "10:00", ev.HELD, date(2026, 11, 24))
    ]


def test_record_without_date_takes_an_occurrence_moved_to_today(tuesdays: Unit) -> None:
    with tuesdays() as (session, ctx):
        mt.move(session, ctx, REF, date(2026, 11, 24), date(2026, 11, 25), "16:00")
    with tuesdays() as (session, ctx):
        done = mt.record(session, ctx, REF)
    assert (done.occurrence.date, done.occurrence.time, done.occurrence.original) == (
        date(2026, 11, 25),
        "16:00",
        date(2026, 11, 24),
    )


def test_recording_twice_or_a_cancelled_occurrence_is_refused(tuesdays: Unit) -> None:
    with tuesdays() as (session, ctx):
        mt.record(session, ctx, REF, day=date(2026, 11, 24))
        mt.cancel(session, ctx, REF, date(2026, 11, 17), "ziek")
    with pytest.raises(Conflict, match="already recorded"), tuesdays() as (session, ctx):
        mt.record(session, ctx, REF, day=date(2026, 11, 24))
    with pytest.raises(RuleViolation, match="was cancelled"), tuesdays() as (session, ctx):
        mt.record(session, ctx, REF, day=date(2026, 11, 17))
    assert [status for *_, status in meetings(tuesdays)] == [ev.CANCELLED, ev.HELD]


def test_two_occurrences_on_one_day_are_told_apart_by_time(tuesdays: Unit) -> None:
    with tuesdays() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1w", weekday="tue", time="14:00", start=TUESDAY)
    day = date(2026, 11, 24)
    with pytest.raises(InvalidValue, match="give --time"), tuesdays() as (session, ctx):
        mt.record(session, ctx, REF, day=day)
    both = r"\(series 1 at 10:00; series 2 at 14:00\): give --time, or --series 1 or 2"
    with pytest.raises(InvalidValue, match=both), tuesdays() as (session, ctx):
        mt.cancel(session, ctx, REF, day, None)
    with tuesdays() as (session, ctx):
        done = mt.record(session, ctx, REF, day=day, time="14:00")
    assert (done.occurrence.time, done.extra) == ("14:00", False)
    assert occurrences(tuesdays, day, day) == [
        (day, "10:00", ev.OVERDUE, day),
        (day, "14:00", ev.HELD, day),
    ]


def test_an_unknown_person_is_refused_before_anything_is_stored(
    tuesdays: Unit,
) -> None:
    unknown = "neither a member nor a partner"
    with pytest.raises(NotFound, match=unknown), tuesdays() as (session, ctx):
        mt.record(session, ctx, REF, day=date(2026, 11, 24), attended=["m9"])
    assert meetings(tuesdays) == []


# ---------------------------------------------------------------- stopping


def test_stop_needs_a_series_when_two_run(tuesdays: Unit) -> None:
    with tuesdays() as (session, ctx):
        second = mt.schedule(session, ctx, REF, every="1m", start=date(2026, 12, 3))
    with pytest.raises(InvalidValue, match="give --series"), tuesdays() as (session, ctx):
        mt.stop(session, ctx, REF, date(2026, 12, 10))
    with tuesdays() as (session, ctx):
        row = mt.stop(session, ctx, REF, date(2026, 12, 10), series_id=second.id)
    assert (row.id, row.stopped_from) == (second.id, date(2026, 12, 10))


def test_stop_is_refused_after_a_meeting_held_on_or_after_the_day(tuesdays: Unit) -> None:
    with tuesdays() as (session, ctx):
        mt.record(session, ctx, REF, day=date(2026, 11, 24))
    with pytest.raises(RuleViolation, match="held on or after"), tuesdays() as (session, ctx):
        mt.stop(session, ctx, REF, date(2026, 11, 24))
    with tuesdays() as (session, ctx):
        assert mt.stop(session, ctx, REF, None).stopped_from == date(2026, 11, 25)


def test_stop_finds_nothing_once_a_series_has_ended(unit: Unit) -> None:
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1w", start=TUESDAY, until=date(2026, 11, 24))
    with pytest.raises(NotFound, match="no evaluation series running"), unit() as (session, ctx):
        mt.stop(session, ctx, REF, date(2026, 11, 25))
    with unit() as (session, ctx):
        assert mt.stop(session, ctx, REF, date(2026, 11, 24)).stopped_from == date(2026, 11, 24)


def test_on_closing_no_series_meets_after_the_closing_day(unit: Unit) -> None:
    closing = date(2026, 11, 25)
    with unit() as (session, ctx):
        running = mt.schedule(session, ctx, REF, every="1w", start=TUESDAY)
        ends_that_day = mt.schedule(session, ctx, REF, every="1m", start=TUESDAY, until=closing)
        later = mt.schedule(
            session, ctx, REF, every="2w", start=TUESDAY, until=date(2027, 1, 5), time="15:00"
        )
        mt.stop_all(session, get_case(session, REF), closing)
    with unit() as (session, _):
        stops = {s.id: s.stopped_from for s in session.scalars(select(EvaluationSeries))}
    assert stops == {
        running.id: date(2026, 11, 26),
        ends_that_day.id: None,
        later.id: date(2026, 11, 26),
    }
