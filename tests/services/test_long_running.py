"""Long-running cases: what the caseload views read of a case's past.

``status``, ``check``, ``week``, ``eval list`` and ``case show`` read the meetings from the
window they show on, and the meetings before it only as plain records (the overdue count needs
every past occurrence, not every meeting object). Two kinds of test:

- the fast paths give exactly what the plain definition gives: every occurrence from the case's
  first day, then filtered (Hypothesis, on random series, stops, moves, records and days);
- a case with two years of weekly meetings, all recorded, is not loaded meeting by meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Attendance,
    Case,
    Contact,
    EvaluationSeries,
    Meeting,
    Member,
    SeriesAttendee,
)
from icrctl.domain.recurrence import CADENCES, Rule, occurrences
from icrctl.services import evaluations as ev
from icrctl.services.context import Context
from icrctl.services.signals import facts_for
from tests.helpers import TODAY, Run, Unit, fresh_case_file

REF = "ICR-2024-007"
OPENED = date(2024, 11, 4)
NOW = dt.datetime(2026, 11, 25, 9, 0)

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _setup(session: Session, ctx: Context) -> None:
    from icrctl.services.cases import CaseInput, create_case
    from icrctl.services.members import MemberInput, add_member

    create_case(session, ctx, REF, CaseInput(title="Familie Bos", opened=OPENED, phase=3))
    add_member(session, ctx, REF, MemberInput(name="Iris Bos", role="victim", key="m1"))
    add_member(session, ctx, REF, MemberInput(name="Dirk Bos", role="perpetrator", key="m2"))


# ---------------------------------------------------------------- the plain definitions


def planned_list(
    session: Session,
    today: date,
    cases: list[Case],
    first: date | None,
    last: date | None,
    overdue_only: bool,
) -> list[ev.Occurrence]:
    """``eval list`` by its definition: every occurrence from the case's first day (or
    ``first``) to the end of the window, then filtered."""
    data = ev.load(session, [c.id for c in cases])
    out: list[ev.Occurrence] = []
    for case in cases:
        lo = first if first is not None else ev.earliest(data, case)
        hi = last if last is not None else max(today, first or today) + ev.DEFAULT_WINDOW
        if hi < lo:
            continue
        found = ev.case_occurrences(case, data, lo, hi, today)
        if first is None and not overdue_only:
            found = [o for o in found if o.status == ev.OVERDUE or o.date >= today]
        if overdue_only:
            found = [o for o in found if o.status == ev.OVERDUE]
        out += found
    return ev.by_date(out)


def planned_overdue(session: Session, case: Case, today: date) -> list[date]:
    """The overdue dates by their definition: every occurrence up to yesterday, by date."""
    data = ev.load(session, [case.id])
    yesterday = today - timedelta(days=1)
    past = ev.case_occurrences(case, data, ev.earliest(data, case), yesterday, today)
    return [o.date for o in ev.by_date(past) if o.status == ev.OVERDUE]


# ---------------------------------------------------------------- random histories

cadences = st.sampled_from(CADENCES)
weekdays = st.one_of(st.none(), st.sampled_from(["mon", "wed", "fri", "sat", "sun"]))
starts = st.dates(min_value=OPENED, max_value=OPENED + timedelta(days=120))
statuses = st.sampled_from(["held", "held", "cancelled", "moved"])


@st.composite
def series_rows(draw: st.DrawFn) -> dict[str, object]:
    start = draw(starts)
    until = draw(st.one_of(st.none(), st.integers(0, 600)))
    stopped = draw(st.one_of(st.none(), st.integers(0, 700)))
    return {
        "every": draw(cadences),
        "weekday": draw(weekdays),
        "time": draw(st.sampled_from(["09:30", "14:00"])),
        "start": start,
        "until": None if until is None else start + timedelta(days=until),
        "stopped_from": None if stopped is None else start + timedelta(days=stopped),
        "workdays": draw(st.sampled_from([None, None, "next", "previous"])),
    }


def _history(session: Session, data: st.DataObject) -> None:
    """One or two series with random records on their dates, moves and extra meetings."""
    case = session.scalars(select(Case).where(Case.ref == REF)).one()
    member = session.scalars(select(Member).where(Member.case_id == case.id)).first()
    assert member is not None
    for row in data.draw(st.lists(series_rows(), min_size=1, max_size=2), label="series"):
        s = EvaluationSeries(case_id=case.id, created_at=NOW, **row)
        session.add(s)
        session.flush()
        session.add(SeriesAttendee(series_id=s.id, member_id=member.id))
        rule = Rule(s.every, s.start, dt.time(10), s.weekday, s.until, s.workdays)
        days = occurrences(rule, s.start, s.start + timedelta(days=800))
        picked = data.draw(st.sets(st.sampled_from(days), max_size=12) if days else st.just(set()))
        for day in sorted(picked):
            shift = data.draw(st.sampled_from([0, 0, 0, -3, 1, 2, 9]), label="shift")
            session.add(
                Meeting(
                    case_id=case.id,
                    series_id=s.id,
                    date=day,
                    status=data.draw(statuses, label="status"),
                    moved_to=day + timedelta(days=shift) if shift else None,
                    moved_time="16:15" if shift else None,
                    reason="verzet" if shift else None,
                    recorded_at=NOW,
                )
            )
    for day in data.draw(st.lists(st.dates(OPENED, OPENED + timedelta(days=800)), max_size=2)):
        status = data.draw(statuses, label="extra")
        session.add(
            Meeting(case_id=case.id, date=day, status=status, time="11:00", recorded_at=NOW)
        )
    session.flush()


windows = st.one_of(st.none(), st.dates(OPENED - timedelta(days=30), OPENED + timedelta(days=900)))
days_of_the_file = st.dates(OPENED + timedelta(days=20), OPENED + timedelta(days=820))


@EXAMPLES
@given(data=st.data(), today=days_of_the_file, first=windows, last=windows, late=st.booleans())
def test_eval_list_gives_what_its_definition_gives(
    data: st.DataObject, today: date, first: date | None, last: date | None, late: bool
) -> None:
    with fresh_case_file(_setup) as unit:
        with unit() as (session, _):
            _history(session, data)
        with unit(today) as (session, ctx):
            cases = [session.scalars(select(Case).where(Case.ref == REF)).one()]
            expected = planned_list(session, today, cases, first, last, late)
        with unit(today) as (session, ctx):
            assert ev.list_occurrences(session, ctx, REF, first, last, late) == expected
        with unit(today) as (session, ctx):
            assert ev.list_occurrences(session, ctx, None, first, last, late) == expected


@EXAMPLES
@given(data=st.data(), today=days_of_the_file, span=st.integers(0, 13))
def test_summaries_and_the_week_give_what_their_definitions_give(
    data: st.DataObject, today: date, span: int
) -> None:
    with fresh_case_file(_setup) as unit:
        with unit() as (session, _):
            _history(session, data)
        with unit(today) as (session, _):
            case = session.scalars(select(Case).where(Case.ref == REF)).one()
            overdue = planned_overdue(session, case, today)
            full = ev.load(session, [case.id])
            week = ev.by_date(
                ev.case_occurrences(case, full, today, today + timedelta(span), today)
            )
            ahead = ev.by_date(
                ev.case_occurrences(case, full, today, today + ev.DEFAULT_WINDOW, today)
            )
        with unit(today) as (session, _):
            case = session.scalars(select(Case).where(Case.ref == REF)).one()
            summary = ev.summaries(session, [case], today)[case.id]
            assert summary.overdue_dates == overdue
            assert summary.overdue == len(overdue)
            assert summary.upcoming == [o for o in ahead if o.date <= today + ev.DEFAULT_WINDOW]
            found = ev.occurrences_for(session, [case], today, today + timedelta(span), today)
            assert found == week


# ---------------------------------------------------------------- two years, weekly


def _two_years(session: Session, ctx: Context) -> None:
    """A weekly series since the case opened, every meeting up to last week held; a phone call
    every five days, two on some days."""
    _setup(session, ctx)
    case = session.scalars(select(Case).where(Case.ref == REF)).one()
    s = EvaluationSeries(
        case_id=case.id, every="1w", time="10:00", start=OPENED + timedelta(days=3), created_at=NOW
    )
    session.add(s)
    session.flush()
    day = s.start
    while day < TODAY - timedelta(days=7):
        session.add(
            Meeting(
                case_id=case.id,
                series_id=s.id,
                date=day,
                status="held",
                risk=3,
                self_reliance=3,
                recorded_at=NOW,
            )
        )
        day += timedelta(weeks=1)
    day = OPENED
    while day < TODAY:
        for note in ("gebeld met moeder", "bericht van school")[: 1 + day.day % 2]:
            session.add(
                Contact(case_id=case.id, date=day, kind="phone", note=note, recorded_at=NOW)
            )
        day += timedelta(days=5)


@contextmanager
def loaded(model: type[Meeting] | type[Contact] = Meeting) -> Iterator[list[int]]:
    """The ids of the objects of ``model`` the block loads from the case file."""
    found: list[int] = []

    def count(target: Meeting | Contact, _context: object) -> None:
        found.append(target.id)

    event.listen(model, "load", count)
    try:
        yield found
    finally:
        event.remove(model, "load", count)


@pytest.fixture
def long_case(services: Unit) -> Unit:
    with services() as (session, ctx):
        _two_years(session, ctx)
    return services


@pytest.mark.parametrize(
    "args",
    [("status",), ("check",), ("week",), ("eval", "list"), ("case", "show", REF)],
    ids=["status", "check", "week", "eval-list", "case-show"],
)
def test_two_years_of_meetings_are_not_loaded_one_by_one(
    long_case: Unit, run: Run, args: tuple[str, ...]
) -> None:
    with long_case() as (session, _):
        held = session.scalars(select(Meeting.id)).all()
    assert len(held) > 100
    with loaded() as meetings:
        shown = run(*args).stdout
    assert meetings == []
    assert REF in shown or args == ("eval", "list")


def test_case_show_reads_the_last_five_contacts_not_the_log(long_case: Unit, run: Run) -> None:
    log = run("log", "list", REF, "--format", "json").json()
    assert len(log) > 200
    with loaded(Contact) as contacts:
        shown = run("case", "show", REF, "--format", "json").json()
    assert shown["last_contacts"] == log[-5:]
    assert len(contacts) <= 6  # the last five, and one more on the day of the earliest of them


def test_the_overdue_meeting_of_last_week_is_found_in_two_years(long_case: Unit, run: Run) -> None:
    rows = run("eval", "list", "--overdue", "--format", "json").json()
    assert [(r["ref"], r["date"], r["status"]) for r in rows] == [(REF, "2026-11-19", "overdue")]
    status = run("status", "--format", "json").json()
    assert [(r["ref"], r["overdue_evaluations"]) for r in status] == [(REF, 1)]


def test_refusals_are_read_at_the_meeting_that_took_place_last(services: Unit) -> None:
    """The last held meeting is the one that took place last: a meeting moved to after another
    counts on its new date; of two on one day, the one recorded last."""
    with services() as (session, ctx):
        _setup(session, ctx)
    held = [
        (date(2026, 11, 5), date(2026, 11, 20), "m2"),  # moved: took place after the next one
        (date(2026, 11, 12), None, "m1"),
    ]
    assert _refused_last(services, held) == ["Dirk Bos"]
    same_day = [(date(2026, 11, 20), None, "m1")]  # recorded after the moved one
    assert _refused_last(services, same_day) == ["Iris Bos"]


def _refused_last(unit: Unit, held: list[tuple[date, date | None, str]]) -> list[str]:
    """Record these held meetings, each with one member who refused; then who refused the last."""
    with unit() as (session, _):
        case = session.scalars(select(Case).where(Case.ref == REF)).one()
        members = {m.key: m.id for m in session.scalars(select(Member))}
        for day, moved_to, key in held:
            m = Meeting(
                case_id=case.id, date=day, moved_to=moved_to, status="held", recorded_at=NOW
            )
            session.add(m)
            session.flush()
            session.add(Attendance(meeting_id=m.id, member_id=members[key], presence="refused"))
    with unit() as (session, _):
        case = session.scalars(select(Case).where(Case.ref == REF)).one()
        return facts_for(session, [case], TODAY)[case.id].refused_last
