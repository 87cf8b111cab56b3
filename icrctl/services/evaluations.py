"""Evaluation meetings (evaluatiemomenten): series computed from their rule, never stored as
copies; what happened to single occurrences; what is planned, held, cancelled or overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Case,
    EvaluationSeries,
    Meeting,
    Member,
    Partner,
    SeriesAttendee,
)
from icrctl.domain.dates import parse_time
from icrctl.domain.recurrence import Rule, holiday_name, occurrences
from icrctl.services.context import Context
from icrctl.services.lookup import get_case

DEFAULT_WINDOW = timedelta(weeks=4)
PLANNED, HELD, CANCELLED, OVERDUE = "planned", "held", "cancelled", "overdue"


@dataclass
class Occurrence:
    """One evaluation meeting, as it stands: ``date``/``time`` where it takes place."""

    ref: str
    date: dt.date
    time: str
    status: str
    series: int | None
    original: dt.date
    holiday: str | None = None
    attendees: list[str] = field(default_factory=list)
    reason: str | None = None

    @property
    def moved(self) -> bool:
        """Does it take place on another day than its rule puts it?"""
        return self.original != self.date


@dataclass
class SeriesRow:
    id: int
    ref: str
    every: str
    weekday: str | None
    time: str
    start: date
    until: date | None
    stopped_from: date | None
    attendees: list[str]


def series_row(case: Case, series: EvaluationSeries, attendees: list[str]) -> SeriesRow:
    """A series as listed: its rule, its stop, and who is invited."""
    return SeriesRow(
        series.id,
        case.ref,
        series.every,
        series.weekday,
        series.time,
        series.start,
        series.until,
        series.stopped_from,
        attendees,
    )


def rule_of(series: EvaluationSeries, until: date | None = None) -> Rule:
    """The rule a stored series follows, meeting up to ``until``."""
    return Rule(series.every, series.start, parse_time(series.time), series.weekday, until)


def series_end(series: EvaluationSeries) -> date | None:
    """The last day the series may meet: ``until``, or the day before it was stopped."""
    last = series.until
    if series.stopped_from is not None:
        stop = series.stopped_from - timedelta(days=1)
        last = stop if last is None else min(last, stop)
    return last


def still_runs(series: EvaluationSeries, day: date) -> bool:
    """May the series meet on ``day`` or later (neither its ``until`` nor a stop came before)?"""
    end = series_end(series)
    return end is None or end >= day


def series_dates(
    series: EvaluationSeries, first: date, last: date, *, stopped: bool = True
) -> list[date]:
    """The rule's dates within ``[first, last]``, computed from the rule (never stored).

    ``stopped=False``: also the dates from the stop on (where an occurrence moved from)."""
    end = series_end(series) if stopped else series.until
    if end is not None:
        if end < series.start:
            return []
        last = min(last, end)
    if last < first:
        return []
    return occurrences(rule_of(series, end), first, last)


# ---------------------------------------------------------------- what the case file holds


@dataclass
class Loaded:
    series: dict[int, list[EvaluationSeries]]
    meetings: dict[int, list[Meeting]]
    attendees: dict[int, list[str]]


def load(session: Session, case_ids: list[int]) -> Loaded:
    """Everything needed for the occurrences of these cases, in three queries."""
    series: dict[int, list[EvaluationSeries]] = defaultdict(list)
    meetings: dict[int, list[Meeting]] = defaultdict(list)
    attendees: dict[int, list[str]] = defaultdict(list)
    if not case_ids:
        return Loaded(series, meetings, attendees)
    for s in session.scalars(
        select(EvaluationSeries)
        .where(EvaluationSeries.case_id.in_(case_ids))
        .order_by(EvaluationSeries.id)
    ):
        series[s.case_id].append(s)
    for m in session.scalars(
        select(Meeting).where(Meeting.case_id.in_(case_ids)).order_by(Meeting.date, Meeting.id)
    ):
        meetings[m.case_id].append(m)
    series_ids = [s.id for rows in series.values() for s in rows]
    if series_ids:
        rows = session.execute(
            select(SeriesAttendee.series_id, Member.key, Partner.key)
            .outerjoin(Member, Member.id == SeriesAttendee.member_id)
            .outerjoin(Partner, Partner.id == SeriesAttendee.partner_id)
            .where(SeriesAttendee.series_id.in_(series_ids))
            .order_by(SeriesAttendee.id)
        )
        for sid, mkey, pkey in rows:
            attendees[sid].append(mkey or pkey or "")
    return Loaded(series, meetings, attendees)


def due_status(when: date, today: date) -> str:
    """Planned from today on, overdue before: an occurrence nobody recorded or cancelled."""
    return PLANNED if when >= today else OVERDUE


def _status(meeting: Meeting | None, when: date, today: date) -> str:
    if meeting is not None and meeting.status in (HELD, CANCELLED):
        return meeting.status
    return due_status(when, today)


def case_occurrences(
    case: Case, data: Loaded, first: date, last: date, today: date
) -> list[Occurrence]:
    """The case's occurrences that take place from ``first`` to ``last``, extra meetings too."""
    out: list[Occurrence] = []
    meetings = data.meetings.get(case.id, [])
    by_original = {(m.series_id, m.date): m for m in meetings if m.series_id is not None}
    for s in data.series.get(case.id, []):
        people = data.attendees.get(s.id, [])
        for day in series_dates(s, first, last):
            m = by_original.get((s.id, day))
            if m is not None and m.moved_to is not None and not first <= m.moved_to <= last:
                continue
            if _stopped(s, m.moved_to if m is not None and m.moved_to else day):
                continue
            out.append(_occurrence(case, s, day, m, people, today))
        for m in meetings:  # moved into the window from outside it or from after the stop
            if (
                m.series_id == s.id
                and m.moved_to is not None
                and first <= m.moved_to <= last
                and not _stopped(s, m.moved_to)
                and (not first <= m.date <= last or _stopped(s, m.date))
                and series_dates(s, m.date, m.date, stopped=False) == [m.date]
            ):
                out.append(_occurrence(case, s, m.date, m, people, today))
    for m in meetings:
        if m.series_id is None and first <= m.date <= last:
            out.append(extra_occurrence(case.ref, m))
    return out


def extra_occurrence(ref: str, meeting: Meeting) -> Occurrence:
    """An extra meeting, outside any series, as an occurrence."""
    return Occurrence(
        ref,
        meeting.date,
        meeting.time or "",
        meeting.status,
        None,
        meeting.date,
        holiday_name(meeting.date),
        [],
        meeting.reason,
    )


def _stopped(series: EvaluationSeries, when: date) -> bool:
    """A stopped series meets no more on or after its stop: an occurrence moved to that day or
    later is gone, one moved from there to before the stop still takes place."""
    return series.stopped_from is not None and when >= series.stopped_from


def _occurrence(
    case: Case, s: EvaluationSeries, day: date, m: Meeting | None, people: list[str], today: date
) -> Occurrence:
    when = m.moved_to if m is not None and m.moved_to is not None else day
    at = m.moved_time if m is not None and m.moved_time else s.time
    return Occurrence(
        case.ref,
        when,
        at,
        _status(m, when, today),
        s.id,
        day,
        holiday_name(when),
        list(people),
        m.reason if m is not None else None,
    )


def by_date(items: Iterable[Occurrence]) -> list[Occurrence]:
    """Occurrences in the order they take place."""
    return sorted(items, key=lambda o: (o.date, o.time, o.ref, o.series or 0))


def earliest(data: Loaded, case: Case) -> date:
    """The first day the case has anything on: a series' start, a meeting, a move."""
    starts = [s.start for s in data.series.get(case.id, [])]
    starts += [m.date for m in data.meetings.get(case.id, [])]
    starts += [m.moved_to for m in data.meetings.get(case.id, []) if m.moved_to is not None]
    return min(starts, default=case.opened)


# ---------------------------------------------------------------- reading


def list_occurrences(
    session: Session,
    ctx: Context,
    ref: str | None = None,
    first: date | None = None,
    last: date | None = None,
    overdue_only: bool = False,
) -> list[Occurrence]:
    """``eval list``: by default the overdue ones and the next four weeks."""
    if ref is not None:
        cases = [get_case(session, ref)]
    else:
        cases = list(session.scalars(select(Case).where(Case.closed.is_(None)).order_by(Case.ref)))
    data = load(session, [c.id for c in cases])
    out: list[Occurrence] = []
    for case in cases:
        lo = first if first is not None else earliest(data, case)
        # Without --to: four weeks ahead of today, or of --from when that lies further ahead.
        ahead = max(ctx.today, first or ctx.today) + DEFAULT_WINDOW
        hi = last if last is not None else ahead
        if hi < lo:
            continue
        found = case_occurrences(case, data, lo, hi, ctx.today)
        if first is None and not overdue_only:  # the default window: overdue, and what comes
            found = [o for o in found if o.status == OVERDUE or o.date >= ctx.today]
        if overdue_only:
            found = [o for o in found if o.status == OVERDUE]
        out.extend(found)
    return by_date(out)


@dataclass
class EvaluationSummary:
    next_evaluation: Occurrence | None
    overdue: int
    upcoming: list[Occurrence]
    overdue_dates: list[date] = field(default_factory=list)
    running: int = 0  # series that still meet from today on


def summaries(session: Session, cases: list[Case], today: date) -> dict[int, EvaluationSummary]:
    """Next evaluation, overdue count and the next four weeks, for many cases at once."""
    data = load(session, [c.id for c in cases])
    out: dict[int, EvaluationSummary] = {}
    for case in cases:
        if case.closed is not None or (
            not data.series.get(case.id) and not data.meetings.get(case.id)
        ):  # a closed case has nothing planned or overdue any more
            out[case.id] = EvaluationSummary(None, 0, [])
            continue
        past = case_occurrences(case, data, earliest(data, case), today - timedelta(days=1), today)
        overdue_dates = [o.date for o in by_date(past) if o.status == OVERDUE]
        overdue = len(overdue_dates)
        ahead: list[Occurrence] = []
        horizon = today + DEFAULT_WINDOW
        while True:
            ahead = by_date(case_occurrences(case, data, today, horizon, today))
            planned = [o for o in ahead if o.status == PLANNED]
            if planned or horizon > today + timedelta(days=800):
                break
            horizon += timedelta(days=180)
        next_one = next((o for o in ahead if o.status == PLANNED), None)
        upcoming = [o for o in ahead if o.date <= today + DEFAULT_WINDOW]
        running = sum(1 for s in data.series.get(case.id, []) if still_runs(s, today))
        out[case.id] = EvaluationSummary(next_one, overdue, upcoming, overdue_dates, running)
    return out


def occurrences_for(
    session: Session, cases: list[Case], first: date, last: date, today: date
) -> list[Occurrence]:
    """Every occurrence of these cases between ``first`` and ``last``, sorted."""
    data = load(session, [c.id for c in cases])
    found: list[Occurrence] = []
    for case in cases:
        found += case_occurrences(case, data, first, last, today)
    return by_date(found)


def list_series(session: Session, ref: str) -> list[SeriesRow]:
    """``eval series``: the case's series, stopped ones too."""
    case = get_case(session, ref)
    data = load(session, [case.id])
    return [series_row(case, s, data.attendees.get(s.id, [])) for s in data.series.get(case.id, [])]
