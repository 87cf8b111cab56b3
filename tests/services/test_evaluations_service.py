"""Evaluation meetings at the service level: properties of cancel, move and stop for
random series (Hypothesis, a fresh case file per example), and what the services store."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Attendance, Meeting, Member, Partner
from icrctl.domain.recurrence import make_rule, occurrences
from icrctl.errors import Conflict, InvalidValue, NotFound, RuleViolation
from icrctl.services import evaluations as ev
from icrctl.services import meetings as mt
from icrctl.services.context import Context
from icrctl.services.lookup import get_case
from tests.helpers import TODAY, Unit, fresh_case_file

REF = "ICR-2026-001"
OPENED = date(2026, 1, 5)

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

cadences = st.sampled_from(
    [
        "1w",
        "2w",
        "3w",
        "4w",
        "1m",
        "2m",
        "weekly",
        "biweekly",
        "monthly",
        "wekelijks",
        "tweewekelijks",
        "maandelijks",
        "tweemaandelijks",
    ]
)
weekdays = st.one_of(
    st.none(),
    st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun", "ma", "di", "wo", "vr"]),
)
starts = st.dates(min_value=date(2026, 3, 2), max_value=date(2027, 6, 30))
times = st.sampled_from(["08:30", "10:00", "13:15", "16:45"])


def _setup(session: Session, ctx: Context) -> None:
    from icrctl.services.cases import CaseInput, create_case
    from icrctl.services.members import MemberInput, add_member
    from icrctl.services.partners import PartnerInput, add_partner, link_partner

    create_case(
        session, ctx, REF, CaseInput(title="Familie Yilmaz", opened=OPENED, referrer="Veilig Thuis")
    )
    add_member(session, ctx, REF, MemberInput(name="Ayse Yilmaz", role="victim", key="m1"))
    add_member(session, ctx, REF, MemberInput(name="Emre Yilmaz", role="perpetrator", key="m2"))
    add_member(session, ctx, REF, MemberInput(name="Elif Yilmaz", role="child", key="m3"))
    add_partner(
        session,
        ctx,
        PartnerInput(
            name="J. Bakker", organisation="Veilig Thuis", kind="veilig_thuis", key="vt-bakker"
        ),
    )
    add_partner(
        session,
        ctx,
        PartnerInput(name="K. Smit", organisation="De Regenboog", kind="school", key="school-smit"),
    )
    link_partner(session, ctx, REF, "vt-bakker", consent=True)


@pytest.fixture
def unit(services: Unit) -> Unit:
    """The test's own case file (conftest's ``services``) with the case set up."""
    with services() as (session, ctx):
        _setup(session, ctx)
    return services


def rows(unit: Unit, first: date | None, last: date | None, **kwargs: Any) -> list[ev.Occurrence]:
    with unit(**kwargs) as (session, ctx):
        return ev.list_occurrences(session, ctx, REF, first, last)


def key(o: ev.Occurrence) -> tuple[date, str, str, date]:
    return (o.date, o.time, o.status, o.original)


# ---------------------------------------------------------------- properties


@EXAMPLES
@given(every=cadences, weekday=weekdays, start=starts, at=times, data=st.data())
def test_cancel_changes_exactly_one_occurrence(
    every: str, weekday: str | None, start: date, at: str, data: st.DataObject
) -> None:
    first, last = start - timedelta(days=7), start + timedelta(days=400)
    with fresh_case_file(_setup) as unit:
        with unit() as (session, ctx):
            mt.schedule(session, ctx, REF, every=every, weekday=weekday, time=at, start=start)
        before = rows(unit, first, last)
        assert before, "every rule meets within 400 days"
        i = data.draw(st.integers(0, len(before) - 1), label="index")
        chosen = before[i]
        with unit() as (session, ctx):
            done = mt.cancel(session, ctx, REF, chosen.date, "ziek")
        assert (done.date, done.status, done.reason) == (chosen.date, ev.CANCELLED, "ziek")
        after = rows(unit, first, last)
        assert len(after) == len(before)
        for j, (old, new) in enumerate(zip(before, after, strict=True)):
            if j == i:
                assert (new.date, new.time, new.original) == (old.date, old.time, old.original)
                assert new.status == ev.CANCELLED
                assert old.status in (ev.PLANNED, ev.OVERDUE)
            else:
                assert new == old
        # A second cancel, a move or a record of the cancelled one is refused and changes nothing.
        with pytest.raises(RuleViolation), unit() as (session, ctx):
            mt.cancel(session, ctx, REF, chosen.date, None)
        with pytest.raises(RuleViolation), unit() as (session, ctx):
            mt.move(session, ctx, REF, chosen.date, chosen.date + timedelta(days=1), None)
        assert rows(unit, first, last) == after


@EXAMPLES
@given(
    every=cadences,
    weekday=weekdays,
    start=starts,
    at=times,
    shift=st.integers(-10, 10),
    new_time=st.sampled_from([None, "07:05", "19:55"]),
    data=st.data(),
)
def test_move_changes_one_occurrence_and_leaves_the_rest(
    every: str,
    weekday: str | None,
    start: date,
    at: str,
    shift: int,
    new_time: str | None,
    data: st.DataObject,
) -> None:
    first, last = start - timedelta(days=30), start + timedelta(days=450)
    with fresh_case_file(_setup) as unit:
        with unit() as (session, ctx):
            mt.schedule(session, ctx, REF, every=every, weekday=weekday, time=at, start=start)
            rules_before = ev.list_series(session, REF)
        before = rows(unit, first, last)
        movable = [o for o in before if o.date <= start + timedelta(days=400)]
        chosen = data.draw(st.sampled_from(movable), label="occurrence")
        target = chosen.date + timedelta(days=shift)
        others = Counter(key(o) for o in before if o is not chosen)
        clash = new_time is None and any(o.date == target for o in before if o is not chosen)
        with unit() as (session, ctx):
            if shift == 0 and new_time is None:
                with pytest.raises(InvalidValue):
                    mt.move(session, ctx, REF, chosen.date, target, new_time)
                return
            if clash:  # onto another occurrence at the same time: refused
                with pytest.raises(Conflict):
                    mt.move(session, ctx, REF, chosen.date, target, new_time)
                return
            moved = mt.move(session, ctx, REF, chosen.date, target, new_time)
            assert ev.list_series(session, REF) == rules_before  # the series is untouched
        assert (moved.date, moved.time, moved.original) == (target, new_time or at, chosen.date)
        after = rows(unit, first, last)
        assert len(after) == len(before)
        [now] = [o for o in after if o.original == chosen.date]
        assert (now.date, now.time) == (target, new_time or at)
        assert now.status == (ev.PLANNED if target >= TODAY else ev.OVERDUE)
        assert now.moved == (shift != 0)
        assert Counter(key(o) for o in after if o is not now) == others
        assert after == sorted(after, key=lambda o: (o.date, o.time))
        # Moving it back to where the rule puts it restores the list exactly. (With two
        # occurrences on the target day, move cannot say which one it means: see the report.)
        if not any(o.date == target for o in after if o is not now):
            with unit() as (session, ctx):
                mt.move(session, ctx, REF, target, chosen.date, at)
            assert rows(unit, first, last) == before


@EXAMPLES
@given(every=cadences, weekday=weekdays, start=starts, at=times, data=st.data())
def test_stop_leaves_nothing_on_or_after_its_date(
    every: str, weekday: str | None, start: date, at: str, data: st.DataObject
) -> None:
    first, last = start - timedelta(days=7), start + timedelta(days=400)
    with fresh_case_file(_setup) as unit:
        with unit() as (session, ctx):
            mt.schedule(session, ctx, REF, every=every, weekday=weekday, time=at, start=start)
        before = rows(unit, first, last)
        stop = data.draw(st.dates(min_value=start, max_value=last), label="stop")
        with unit() as (session, ctx):
            row = mt.stop(session, ctx, REF, stop)
        assert row.stopped_from == stop
        after = rows(unit, first, last)
        assert after == [o for o in before if o.date < stop]
        with unit() as (session, ctx):
            ahead = ev.summaries(session, [get_case(session, REF)], ctx.today)
        summary = next(iter(ahead.values()))
        if summary.next_evaluation is not None:
            assert summary.next_evaluation.date < stop


@EXAMPLES
@given(every=cadences, weekday=weekdays, start=starts, at=times)
def test_occurrences_follow_the_rule_with_status_by_today(
    every: str, weekday: str | None, start: date, at: str
) -> None:
    first, last = date(2026, 3, 2), date(2028, 3, 1)
    with fresh_case_file(_setup) as unit:
        with unit() as (session, ctx):
            s = mt.schedule(session, ctx, REF, every=every, weekday=weekday, time=at, start=start)
        found = rows(unit, first, last)
        rule = make_rule(every, start, weekday=weekday)
        assert [o.date for o in found] == occurrences(rule, first, last)
        assert {o.time for o in found} == {at}
        for o in found:
            assert o.status == (ev.PLANNED if o.date >= TODAY else ev.OVERDUE)
            assert o.series == s.id
        # The default window: every overdue one, and the next four weeks.
        default = rows(unit, None, None)
        expected = [
            o
            for o in found
            if o.status == ev.OVERDUE or TODAY <= o.date <= TODAY + timedelta(weeks=4)
        ]
        assert default == expected
        with unit() as (session, ctx):
            summary = ev.summaries(session, [get_case(session, REF)], ctx.today)
        [(_, info)] = summary.items()
        assert info.overdue == sum(1 for o in found if o.status == ev.OVERDUE)
        planned = [o for o in found if o.status == ev.PLANNED]
        if planned:
            assert info.next_evaluation is not None
            assert info.next_evaluation.date == planned[0].date


@EXAMPLES
@given(every=cadences, weekday=weekdays, start=starts, at=times)
def test_record_without_date_takes_the_latest_unrecorded(
    every: str, weekday: str | None, start: date, at: str
) -> None:
    with fresh_case_file(_setup) as unit:
        with unit() as (session, ctx):
            mt.schedule(session, ctx, REF, every=every, weekday=weekday, time=at, start=start)
        past = [o for o in rows(unit, OPENED, TODAY) if o.date <= TODAY]
        for expected in reversed(past[-3:]):
            with unit() as (session, ctx):
                done = mt.record(session, ctx, REF)
            assert done.occurrence.date == expected.date
            assert not done.extra
        if len(past) <= 3:
            with pytest.raises(NotFound), unit() as (session, ctx):
                mt.record(session, ctx, REF)


# ---------------------------------------------------------------- what is stored


def attendance(unit: Unit, day: date) -> dict[str, str]:
    with unit() as (session, _):
        meeting = session.scalars(select(Meeting).where(Meeting.date == day)).one()
        out = {}
        for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)):
            who = session.get(Member, a.member_id) if a.member_id else None
            partner = session.get(Partner, a.partner_id) if a.partner_id else None
            name = who.key if who else partner.key if partner else "?"
            assert name not in out, f"{name} recorded twice"
            out[name] = a.presence
        return out


def test_record_stores_attendance_scores_and_note(unit: Unit) -> None:
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="2w", weekday="tue", start=date(2026, 11, 10))
    with unit() as (session, ctx):
        done = mt.record(
            session,
            ctx,
            REF,
            day=date(2026, 11, 24),
            attended=["m1", "J. Bakker"],
            absent=["m3"],
            refused=["Emre Yilmaz"],
            risk=4,
            self_reliance=2,
            note="vader weigert",
        )
    assert done.refused == ["Emre Yilmaz"]
    assert done.referrer == "Veilig Thuis"
    assert (done.occurrence.date, done.occurrence.status, done.extra) == (
        date(2026, 11, 24),
        ev.HELD,
        False,
    )
    assert attendance(unit, date(2026, 11, 24)) == {
        "m1": "attended",
        "vt-bakker": "attended",
        "m3": "absent",
        "m2": "refused",
    }
    with unit() as (session, _):
        meeting = session.scalars(select(Meeting).where(Meeting.date == date(2026, 11, 24))).one()
        assert (meeting.risk, meeting.self_reliance, meeting.note) == (4, 2, "vader weigert")


def test_the_same_person_twice_in_one_list_is_stored_once(unit: Unit) -> None:
    with unit() as (session, ctx):
        mt.record(session, ctx, REF, day=date(2026, 11, 20), attended=["m1", "Ayse Yilmaz"])
    assert attendance(unit, date(2026, 11, 20)) == {"m1": "attended"}


@pytest.mark.parametrize(
    "lists",
    [
        {"attended": ["m1"], "absent": ["Ayse Yilmaz"]},
        {"attended": ["vt-bakker"], "refused": ["J. Bakker"]},
        {"absent": ["m2"], "refused": ["m2"]},
    ],
)
def test_the_same_person_in_two_lists_is_refused(unit: Unit, lists: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue, match="both"), unit() as (session, ctx):
        mt.record(session, ctx, REF, day=date(2026, 11, 20), **lists)
    with unit() as (session, _):
        assert session.scalars(select(Meeting)).all() == []


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"risk": 9}, InvalidValue),
        ({"risk": 0}, InvalidValue),
        ({"self_reliance": 6}, InvalidValue),
        ({"attended": ["m9"]}, NotFound),
        ({"absent": ["school-smit"]}, NotFound),  # in the directory, not linked to the case
        ({"day": date(2026, 11, 26)}, InvalidValue),  # the future
        ({"day": date(2026, 12, 1)}, InvalidValue),  # a planned occurrence, in the future
    ],
)
def test_record_refusals_store_nothing(
    unit: Unit, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1w", weekday="tue", start=date(2026, 11, 10))
    before = rows(unit, OPENED, date(2027, 1, 31))
    kwargs = {"day": date(2026, 11, 24), **kwargs}
    with pytest.raises(error), unit() as (session, ctx):
        mt.record(session, ctx, REF, **kwargs)
    assert rows(unit, OPENED, date(2027, 1, 31)) == before
    with unit() as (session, _):
        assert session.scalars(select(Meeting)).all() == []
        assert session.scalars(select(Attendance)).all() == []


def test_extra_meeting(unit: Unit) -> None:
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1w", weekday="tue", start=date(2026, 11, 10))
    with unit() as (session, ctx):
        done = mt.record(session, ctx, REF, day=date(2026, 11, 19), time="15:00", attended=["m1"])
    assert done.extra
    assert (done.occurrence.series, done.occurrence.time) == (None, "15:00")
    [extra] = rows(unit, date(2026, 11, 19), date(2026, 11, 19))
    assert (extra.status, extra.series, extra.time) == (ev.HELD, None, "15:00")
    with pytest.raises(Conflict), unit() as (session, ctx):
        mt.record(session, ctx, REF, day=date(2026, 11, 19))
    # An extra meeting is not an occurrence of the series: cancel and move do not find it.
    with pytest.raises(NotFound), unit() as (session, ctx):
        mt.cancel(session, ctx, REF, date(2026, 11, 19), None)


def test_the_same_series_twice_is_refused(unit: Unit) -> None:
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="2w", start=date(2026, 12, 1), time="10:00")
    for every, weekday in (("2w", None), ("biweekly", "tue"), ("tweewekelijks", "di")):
        with pytest.raises(Conflict), unit() as (session, ctx):
            mt.schedule(session, ctx, REF, every=every, weekday=weekday, start=date(2026, 12, 1))
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="2w", weekday="thu", start=date(2026, 12, 1))
        mt.schedule(session, ctx, REF, every="1w", start=date(2026, 12, 1))
        assert len(ev.list_series(session, REF)) == 3


def test_move_before_the_start_still_counts_as_overdue(unit: Unit) -> None:
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1w", weekday="tue", start=date(2026, 11, 10))
    with unit() as (session, ctx):
        mt.move(session, ctx, REF, date(2026, 11, 10), date(2026, 11, 6), None)
    with unit() as (session, ctx):
        [(_, info)] = ev.summaries(session, [get_case(session, REF)], ctx.today).items()
        assert info.overdue == 3
        default = ev.list_occurrences(session, ctx, REF)
        assert [o.date for o in default if o.status == ev.OVERDUE] == [
            date(2026, 11, 6),
            date(2026, 11, 17),
            date(2026, 11, 24),
        ]
    with unit() as (session, ctx):
        assert mt.record(session, ctx, REF).occurrence.date == date(2026, 11, 24)
        assert mt.record(session, ctx, REF).occurrence.date == date(2026, 11, 17)
        assert mt.record(session, ctx, REF).occurrence.date == date(2026, 11, 6)


def test_stop_counts_where_a_moved_occurrence_takes_place(unit: Unit) -> None:
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1w", weekday="tue", start=date(2026, 12, 1))
        mt.move(session, ctx, REF, date(2026, 12, 1), date(2026, 12, 20), None)
        mt.move(session, ctx, REF, date(2026, 12, 15), date(2026, 12, 5), None)
        mt.stop(session, ctx, REF, date(2026, 12, 10))
    for first, last in [
        (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2026, 12, 1), date(2026, 12, 9)),
        (date(2026, 12, 4), date(2026, 12, 6)),
    ]:
        assert [o.date for o in rows(unit, first, last)] == [
            d for d in [date(2026, 12, 5), date(2026, 12, 8)] if first <= d <= last
        ]


def test_stop_of_a_closed_case_and_an_unknown_case(unit: Unit) -> None:
    with pytest.raises(NotFound), unit() as (session, ctx):
        mt.stop(session, ctx, REF, None)  # no series at all
    with pytest.raises(NotFound), unit() as (session, ctx):
        ev.list_occurrences(session, ctx, "NO-SUCH")


def test_occurrence_holiday_names(unit: Unit) -> None:
    with unit() as (session, ctx):
        mt.schedule(session, ctx, REF, every="1m", start=date(2026, 12, 25))
        mt.schedule(session, ctx, REF, every="1w", weekday="tue", start=date(2027, 4, 20))
    found = {o.date: o.holiday for o in rows(unit, date(2026, 12, 1), date(2027, 5, 4))}
    assert found[date(2026, 12, 25)] == "Eerste kerstdag"
    assert found[date(2027, 4, 27)] == "Koningsdag"
    assert found[date(2027, 1, 25)] is None
    assert found[date(2027, 4, 20)] is None
