"""Reading back what happened at evaluation meetings: the outcome of the held ones in ``eval
list``, and one meeting in full in ``eval show`` — whom the series invited (the plan) apart from
who attended, was absent or refused (what happened), the scores, the note, the goals of that day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Attendance, Case, EvaluationSeries, Meeting, Member, Partner
from icrctl.errors import InvalidValue, NotFound
from icrctl.i18n import _
from icrctl.services.context import Context
from icrctl.services.evaluations import (
    HELD,
    Loaded,
    Occurrence,
    by_date,
    case_occurrences,
    list_occurrences,
    load,
    one_of,
    series_dates,
)
from icrctl.services.goals import GoalRow, goals_of
from icrctl.services.lookup import get_case
from icrctl.services.meeting_notes import AgreementRow, DiscussionRow, meeting_id_of, notes_of

PRESENCES = ("attended", "absent", "refused")
_A_YEAR = dt.timedelta(days=366)
"""The first meeting lies within a year of the start, for every cadence (two months at most,
and a move to a working day)."""


@dataclass
class Listed(Occurrence):
    """An occurrence as ``eval list`` gives it: ``invited`` (the same keys as ``attendees``: whom
    its series invited, the plan) and, for a held meeting, what happened: who ``attended``, was
    ``absent`` or ``refused``, and the scores."""

    invited: list[str] = field(default_factory=list)
    attended: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    risk: int | None = None
    self_reliance: int | None = None


@dataclass
class PersonAt:
    """One person of a meeting: invited by its series or not, and how they were recorded there
    (``attended``, ``absent``, ``refused``; None: nothing recorded)."""

    key: str
    name: str
    invited: bool
    presence: str | None


@dataclass
class MeetingView(Listed):
    """``eval show``: a listed occurrence with its note, everyone by name, the goals whose
    status was set on its day, and (held) its agreements and what was discussed per goal."""

    note: str | None = None
    people: list[PersonAt] = field(default_factory=list)
    goals: list[GoalRow] = field(default_factory=list)
    agreements: list[AgreementRow] = field(default_factory=list)
    discussed: list[DiscussionRow] = field(default_factory=list)


@dataclass
class _Outcome:
    risk: int | None
    self_reliance: int | None
    note: str | None
    presence: dict[str, list[str]]


_Key = tuple[str, int | None, dt.date]
"""A meeting record by (case ref, series, the occurrence's own date)."""


def list_evaluations(
    session: Session,
    ctx: Context,
    ref: str | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    overdue_only: bool = False,
) -> list[Listed]:
    """``eval list``: the occurrences of ``list_occurrences``, each held one with its outcome."""
    found = list_occurrences(session, ctx, ref, first, last, overdue_only)
    outcomes = _outcomes(session, [o for o in found if o.status == HELD])
    return [_listed(o, outcomes.get(_key(o)), Listed) for o in found]


def show_evaluation(
    session: Session,
    ctx: Context,
    ref: str,
    day: dt.date,
    series: int | None = None,
    time: str | None = None,
) -> MeetingView:
    """``eval show``: the meeting planned on or taking place on ``day``, as it went."""
    case = get_case(session, ref)
    data = load(session, [case.id])
    occ = _the_one(case, data, day, ctx.today, series, time)
    outcome = _outcomes(session, [occ] if occ.status == HELD else []).get(_key(occ))
    view = _listed(occ, outcome, MeetingView)
    view.note = outcome.note if outcome else None
    view.people = _people(session, case, view)
    view.goals = [g for g in goals_of(session, [case.id])[case.id] if g.status_date == occ.date]
    held = meeting_id_of(session, case, occ)
    if held is not None:
        notes = notes_of(session, [held])[held]
        view.agreements, view.discussed = notes.agreements, notes.discussed
    return view


def occurrence_named(
    session: Session,
    ctx: Context,
    case: Case,
    day: dt.date,
    series: int | None = None,
    time: str | None = None,
) -> Occurrence:
    """The one meeting a date names (as ``eval show`` reads it): the one taking place on
    ``day``, or else the one planned on it and moved away; ``series`` and ``time`` pick."""
    return _the_one(case, load(session, [case.id]), day, ctx.today, series, time)


def first_meeting(session: Session, series_id: int) -> dt.date | None:
    """The date of a series' first meeting (its start need not be one); None when it ends, or
    was stopped, before it ever meets."""
    series = session.get_one(EvaluationSeries, series_id)
    found = series_dates(series, series.start, series.start + _A_YEAR)
    return found[0] if found else None


def _key(o: Occurrence) -> _Key:
    return (o.ref, o.series, o.original)


T = TypeVar("T", bound=Listed)


def _listed(o: Occurrence, outcome: _Outcome | None, kind: type[T]) -> T:
    """The occurrence as ``kind``, with whom it invited and, when held, its outcome."""
    given = {f.name: getattr(o, f.name) for f in fields(Occurrence) if f.init}
    row = kind(**given, invited=list(o.attendees))
    if outcome is not None:
        row.attended = outcome.presence["attended"]
        row.absent = outcome.presence["absent"]
        row.refused = outcome.presence["refused"]
        row.risk, row.self_reliance = outcome.risk, outcome.self_reliance
    return row


def _outcomes(session: Session, held: list[Occurrence]) -> dict[_Key, _Outcome]:
    """What was recorded at these held meetings, in two queries whatever their number."""
    if not held:
        return {}
    refs = sorted({o.ref for o in held})
    first, last = min(o.original for o in held), max(o.original for o in held)
    wanted = {_key(o) for o in held}
    found: dict[int, tuple[_Key, _Outcome]] = {}
    for mid, ref, series, day, risk, score, note in session.execute(
        select(
            Meeting.id,
            Case.ref,
            Meeting.series_id,
            Meeting.date,
            Meeting.risk,
            Meeting.self_reliance,
            Meeting.note,
        )
        .join(Case, Case.id == Meeting.case_id)
        .where(Case.ref.in_(refs), Meeting.status == HELD, Meeting.date.between(first, last))
    ):
        if (ref, series, day) in wanted:
            found[mid] = ((ref, series, day), _Outcome(risk, score, note, defaultdict(list)))
    for mid, presence, key in _attendance(session, refs, first, last):
        if mid in found:
            found[mid][1].presence[presence].append(key)
    return dict(found.values())


def _attendance(
    session: Session, refs: list[str], first: dt.date, last: dt.date
) -> list[tuple[int, str, str]]:
    """(meeting id, presence, person key) of the held meetings of these cases in these days, in
    the order they were recorded."""
    rows = session.execute(
        select(Attendance.meeting_id, Attendance.presence, Member.key, Partner.key)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Case, Case.id == Meeting.case_id)
        .outerjoin(Member, Member.id == Attendance.member_id)
        .outerjoin(Partner, Partner.id == Attendance.partner_id)
        .where(Case.ref.in_(refs), Meeting.status == HELD, Meeting.date.between(first, last))
        .order_by(Attendance.id)
    )
    return [(mid, presence, mkey or pkey or "") for mid, presence, mkey, pkey in rows]


# ---------------------------------------------------------------- which meeting a date names


def _the_one(
    case: Case,
    data: Loaded,
    day: dt.date,
    today: dt.date,
    series: int | None,
    time: str | None,
) -> Occurrence:
    """The occurrence that takes place on ``day``, or else the one planned on it and moved away
    (a date names one meeting wherever it went); ``series`` and ``time`` pick among several."""
    if series is not None and series not in {s.id for s in data.series.get(case.id, [])}:
        raise NotFound(
            _(
                "case {ref} has no evaluation series {series} "
                "('icrctl eval series {ref}' lists them)"
            ).format(ref=case.ref, series=series)
        )
    found = _picked(case_occurrences(case, data, day, day, today), series, time)
    if not found:
        found = _picked(_moved_away(case, data, day, today), series, time)
    if not found:
        raise NotFound(
            _("case {ref} has no evaluation on {date}").format(ref=case.ref, date=day.isoformat())
        )
    if len(found) > 1:
        raise _which_one(case, day, found)
    return found[0]


def _which_one(case: Case, day: dt.date, found: list[Occurrence]) -> InvalidValue:
    """Several meetings answer to one date: name them, and the options that tell them apart."""
    listed = "; ".join(
        _("series {series} at {time}").format(series=o.series, time=o.time)
        if o.series
        else _("an extra meeting at {time}").format(time=o.time)
        for o in found
    )
    ways = []
    if len({o.series for o in found}) == len(found) and all(o.series for o in found):
        ways.append("--series " + one_of([str(o.series) for o in found]))
    if len({o.time for o in found}) == len(found):
        ways.append("--time " + one_of([o.time for o in found]))
    moved = [o.original.isoformat() for o in found if o.original != day]
    if not ways and moved:  # one series meets there twice: by its rule, and moved there
        ways.append(
            _("the date the moved one was planned on ({dates})").format(dates=", ".join(moved))
        )
    give = (
        _("{first}, or {second}").format(first=ways[0], second=ways[1])
        if len(ways) == 2
        else (ways[0] if ways else _("--series and --time"))
    )
    return InvalidValue(
        _("case {ref} has {count} evaluations on {date} ({listed}): give {options}").format(
            ref=case.ref, count=len(found), date=day.isoformat(), listed=listed, options=give
        )
    )


def _picked(found: list[Occurrence], series: int | None, time: str | None) -> list[Occurrence]:
    return by_date(
        o
        for o in found
        if (series is None or o.series == series) and (time is None or o.time == time)
    )


def _moved_away(case: Case, data: Loaded, day: dt.date, today: dt.date) -> list[Occurrence]:
    """The occurrences planned on ``day`` that take place on another day now."""
    out: list[Occurrence] = []
    for m in data.meetings.get(case.id, []):
        if m.series_id is not None and m.date == day and m.moved_to not in (None, day):
            assert m.moved_to is not None
            there = case_occurrences(case, data, m.moved_to, m.moved_to, today)
            out += [o for o in there if o.series == m.series_id and o.original == day]
    return out


def _people(session: Session, case: Case, view: MeetingView) -> list[PersonAt]:
    """Everyone the series invited, then anyone else recorded at the meeting, by name."""
    presence = {k: p for p in PRESENCES for k in getattr(view, p)}
    keys = list(dict.fromkeys([*view.invited, *presence]))
    names = dict(
        session.execute(select(Member.key, Member.name).where(Member.case_id == case.id)).all()
    )
    partners = [k for k in keys if k not in names]
    if partners:
        names.update(
            session.execute(
                select(Partner.key, Partner.name).where(Partner.key.in_(partners))
            ).all()
        )
    invited = set(view.invited)
    return [PersonAt(k, names.get(k, k), k in invited, presence.get(k)) for k in keys]
