"""Evaluation meetings (evaluatiemomenten): series computed from their rule, never stored as
copies; what happened to single occurrences; what is planned, held, cancelled or overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Case,
    EvaluationSeries,
    Meeting,
    Member,
    Partner,
    SeriesAttendee,
)
from icrctl.db.order import by_code_point
from icrctl.domain.dates import parse_time
from icrctl.domain.recurrence import Rule, holiday_name, occurrences
from icrctl.i18n import N_, _
from icrctl.services.context import Context
from icrctl.services.lookup import CASE_IS_OPEN, get_case

DEFAULT_WINDOW = timedelta(weeks=4)
PLANNED, HELD, CANCELLED, OVERDUE = "planned", "held", "cancelled", "overdue"
MOVED = "moved"

#: An occurrence's status in words (the glossary's: gepland, gehouden, afgelast, te laat,
#: verplaatst); JSON and CSV keep the status itself.
STATUS_WORDS = {
    PLANNED: N_("planned"),
    HELD: N_("held"),
    CANCELLED: N_("cancelled"),
    OVERDUE: N_("overdue"),
    MOVED: N_("moved"),
}


def status_label(status: str) -> str:
    """An occurrence's status as prose and tables show it, in the language in use."""
    word = STATUS_WORDS.get(status)
    return _(word) if word is not None else status


def one_of(choices: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``: the choices a message offers, in the language in use."""
    if len(choices) < 2:
        return "".join(choices)
    return _("{choices} or {last}").format(choices=", ".join(choices[:-1]), last=choices[-1])


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
    weekend: bool = field(init=False)
    """Does it take place on a Saturday or Sunday? Follows from ``date``."""

    def __post_init__(self) -> None:
        self.weekend = self.date.weekday() >= 5

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
    workdays: str | None = None


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
        series.workdays,
    )


def rule_of(series: EvaluationSeries) -> Rule:
    """The rule a stored series follows (its stop aside: see :func:`series_dates`)."""
    return Rule(
        series.every,
        series.start,
        parse_time(series.time),
        series.weekday,
        series.until,
        series.workdays,
    )


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

    ``stopped=False``: also the dates from the stop on (where an occurrence moved from). The stop
    cuts the dates the rule gives, after any move to a working day: it never moves a meeting."""
    end = series_end(series) if stopped else series.until
    if end is not None:
        last = min(last, end)
    if last < first:
        return []
    return occurrences(rule_of(series), first, last)


# ---------------------------------------------------------------- what the case file holds


@dataclass
class Loaded:
    series: dict[int, list[EvaluationSeries]]
    meetings: dict[int, list[Meeting]]
    attendees: dict[int, list[str]]


def load(session: Session, case_ids: list[int], since: date | None = None) -> Loaded:
    """Everything needed for the occurrences of these cases, in three queries. With ``since``
    only the meetings that take place or were planned on or after it: enough for any window
    that starts there."""
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
    query = select(Meeting).where(Meeting.case_id.in_(case_ids))
    if since is not None:
        query = query.where(or_(Meeting.date >= since, Meeting.moved_to >= since))
    for m in session.scalars(query.order_by(Meeting.date, Meeting.id)):
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


def _status(meeting: Meeting | Record | None, when: date, today: date) -> str:
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
    case: Case,
    s: EvaluationSeries,
    day: date,
    m: Meeting | Record | None,
    people: list[str],
    today: date,
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


# ---------------------------------------------------------------- the past of many cases


class Record(NamedTuple):
    """A meeting record as the overdue count reads it: a plain row, not an ORM object (a case
    that has run two years holds a hundred of them)."""

    series_id: int | None
    date: dt.date
    status: str
    moved_to: dt.date | None
    moved_time: str | None
    reason: str | None


def records(session: Session, case_ids: list[int]) -> dict[int, list[Record]]:
    """Every meeting record of these cases as plain rows, by case, in date order: one query."""
    out: dict[int, list[Record]] = defaultdict(list)
    if case_ids:
        for cid, series, day, status, moved_to, moved_time, reason in session.execute(
            select(
                Meeting.case_id,
                Meeting.series_id,
                Meeting.date,
                Meeting.status,
                Meeting.moved_to,
                Meeting.moved_time,
                Meeting.reason,
            )
            .where(Meeting.case_id.in_(case_ids))
            .order_by(Meeting.date, Meeting.id)
        ):
            out[cid].append(Record(series, day, status, moved_to, moved_time, reason))
    return out


def overdue_of(
    case: Case, data: Loaded, recs: list[Record], last: date, today: date
) -> list[Occurrence]:
    """The overdue ones of :func:`case_occurrences` from the case's :func:`earliest` day to
    ``last``, read from plain records: only an overdue occurrence becomes an object. ``data``
    needs the case's series and attendees, not its meetings."""
    series = data.series.get(case.id, [])
    moves = [r.moved_to for r in recs if r.moved_to is not None]
    lo = min([s.start for s in series] + [r.date for r in recs] + moves, default=case.opened)
    hi = min(last, today - timedelta(days=1))
    out: list[Occurrence] = []
    for s in series:
        people = data.attendees.get(s.id, [])
        mine = [r for r in recs if r.series_id == s.id]
        by_day = {r.date: r for r in mine}
        for day in series_dates(s, lo, hi):
            r = by_day.get(day)
            if r is not None and r.moved_to is not None and not lo <= r.moved_to <= hi:
                continue
            if _unrecorded(r) and not _stopped(s, r.moved_to if r and r.moved_to else day):
                out.append(_occurrence(case, s, day, r, people, today))
        for r in mine:  # moved into the window from outside it or from after the stop
            if (
                _unrecorded(r)
                and r.moved_to is not None
                and lo <= r.moved_to <= hi
                and not _stopped(s, r.moved_to)
                and (not lo <= r.date <= hi or _stopped(s, r.date))
                and series_dates(s, r.date, r.date, stopped=False) == [r.date]
            ):
                out.append(_occurrence(case, s, r.date, r, people, today))
    return out


def _unrecorded(record: Record | None) -> bool:
    """Neither held nor cancelled: an occurrence without it, or with it, is due until done."""
    return record is None or record.status not in (HELD, CANCELLED)


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
        cases = list(
            session.scalars(select(Case).where(CASE_IS_OPEN).order_by(by_code_point(Case.ref)))
        )
    ids = [c.id for c in cases]
    today = ctx.today
    data = load(session, ids, since=first or today)
    recs = records(session, ids) if first is None else {}
    # Without --to: four weeks ahead of today, or of --from when that lies further ahead.
    hi = last if last is not None else max(today, first or today) + DEFAULT_WINDOW
    out: list[Occurrence] = []
    for case in cases:
        if first is not None:
            found = case_occurrences(case, data, first, hi, today) if first <= hi else []
            out += [o for o in found if o.status == OVERDUE or not overdue_only]
            continue
        # From the case's first day: what is overdue, and (not --overdue) what comes from today.
        out += overdue_of(case, data, recs.get(case.id, []), hi, today)
        if not overdue_only and today <= hi:
            out += case_occurrences(case, data, today, hi, today)
    return by_date(out)


@dataclass
class EvaluationSummary:
    next_evaluation: Occurrence | None
    overdue: int
    upcoming: list[Occurrence]
    overdue_dates: list[date] = field(default_factory=list)
    running: int = 0  # series that still meet from today on


def summaries(session: Session, cases: list[Case], today: date) -> dict[int, EvaluationSummary]:
    """Next evaluation, overdue count and the next four weeks, for many cases at once: the
    meetings from today on in full, those before as plain records (:func:`overdue_of`)."""
    ids = [c.id for c in cases if c.closed is None]
    data = load(session, ids, since=today)
    recs = records(session, ids)
    out: dict[int, EvaluationSummary] = {}
    for case in cases:
        if case.closed is not None or (
            not data.series.get(case.id) and not recs.get(case.id)
        ):  # a closed case has nothing planned or overdue any more
            out[case.id] = EvaluationSummary(None, 0, [])
            continue
        past = overdue_of(case, data, recs[case.id], today, today)
        overdue_dates = [o.date for o in by_date(past)]
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
    data = load(session, [c.id for c in cases], since=first)
    found: list[Occurrence] = []
    for case in cases:
        found += case_occurrences(case, data, first, last, today)
    return by_date(found)


def list_series(session: Session, ref: str) -> list[SeriesRow]:
    """``eval series``: the case's series, stopped ones too."""
    case = get_case(session, ref)
    data = load(session, [case.id])
    return [series_row(case, s, data.attendees.get(s.id, [])) for s in data.series.get(case.id, [])]
