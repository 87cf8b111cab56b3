"""What happens to evaluation meetings: scheduling a series, cancelling or moving one
occurrence, stopping a series, and recording a meeting with attendance and scores.

The occurrences themselves are computed in ``services.evaluations``; here they change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from icrctl.db.models import Attendance, Case, EvaluationSeries, Meeting, SeriesAttendee
from icrctl.domain.dates import format_time, not_in_future, parse_time
from icrctl.domain.recurrence import DEFAULT_TIME, Rule, days_off, holiday_name, make_rule
from icrctl.domain.text import optional_text
from icrctl.domain.vocabulary import ATTENDANCE
from icrctl.errors import Conflict, InvalidValue, NotFound, RuleViolation
from icrctl.i18n import _
from icrctl.services import audit
from icrctl.services.context import Context, utc_now
from icrctl.services.evaluations import (
    CANCELLED,
    HELD,
    OVERDUE,
    PLANNED,
    Loaded,
    Occurrence,
    SeriesRow,
    by_date,
    case_occurrences,
    due_status,
    earliest,
    extra_occurrence,
    load,
    one_of,
    rule_of,
    series_row,
    status_label,
    still_runs,
)
from icrctl.services.lookup import Person, find_people, open_case, person_ids, person_key

# ---------------------------------------------------------------- scheduling a series


def schedule(
    session: Session,
    ctx: Context,
    ref: str,
    *,
    every: str,
    weekday: str | None = None,
    time: str | None = None,
    start: date | None = None,
    until: date | None = None,
    attendees: list[str] | None = None,
    workdays: str | None = None,
) -> SeriesRow:
    """Plan a case's evaluation meetings as a series: its rule, and who is invited."""
    case = open_case(session, ref)
    at = parse_time(time) if time else DEFAULT_TIME
    first = start or ctx.today
    if first < case.opened:
        raise InvalidValue(
            _("the series cannot start on {date}, before the case opened ({opened})").format(
                date=first.isoformat(), opened=case.opened.isoformat()
            )
        )
    rule = make_rule(every, first, at, weekday, until, workdays)
    people = find_people(session, case, attendees or [])
    _refuse_a_repeat(session, case, rule)
    series = _add_series(session, case, rule, people)
    audit.record(
        session,
        ctx,
        "create",
        "evaluation_series",
        case.ref,
        ["every", "weekday", "time", "start", "until", "workdays", "attendees"],
    )
    session.flush()
    return _series_row(session, case, series)


def _refuse_a_repeat(session: Session, case: Case, rule: Rule) -> None:
    """A second series with the rule of one the case has would plan every meeting twice; one
    stopped before the new one starts plans none of them (it may be planned again, say with
    ``--workdays``)."""
    for other in session.scalars(
        select(EvaluationSeries).where(EvaluationSeries.case_id == case.id)
    ):
        if _same_rule(other, rule) and still_runs(other, rule.start):
            raise Conflict(
                _(
                    "case {ref} already has series {series} every {every} at {time} from {date}"
                ).format(
                    ref=case.ref,
                    series=other.id,
                    every=rule.every,
                    time=format_time(rule.time),
                    date=rule.start.isoformat(),
                )
            )


def _same_rule(series: EvaluationSeries, rule: Rule) -> bool:
    """Would ``rule`` repeat ``series`` (every, weekday, time and start: the import's key)?"""
    return (
        series.every == rule.every
        and series.start == rule.start
        and series.time == format_time(rule.time)
        and rule_of(series).day == rule.day
    )


def _add_series(session: Session, case: Case, rule: Rule, people: list[Person]) -> EvaluationSeries:
    """Store the rule (never its dates) and invite the people to every meeting of it."""
    series = EvaluationSeries(
        case_id=case.id,
        every=rule.every,
        weekday=rule.weekday,
        time=format_time(rule.time),
        start=rule.start,
        until=rule.until,
        workdays=rule.workdays,
        created_at=utc_now(),
    )
    session.add(series)
    session.flush()
    for person in people:
        member_id, partner_id = person_ids(person)
        session.add(SeriesAttendee(series_id=series.id, member_id=member_id, partner_id=partner_id))
    return series


#: How far ahead ``schedule`` looks for meetings on a weekend or public holiday: a year.
AHEAD = timedelta(weeks=52) - timedelta(days=1)


def off_days(row: SeriesRow, today: date) -> list[tuple[date, str]]:
    """A new series' meetings in the year from its start (or today) that fall on a weekend or
    public holiday, each with the holiday or the day of the weekend."""
    rule = Rule(row.every, row.start, parse_time(row.time), row.weekday, row.until, row.workdays)
    first = max(row.start, today)
    return days_off(rule, first, first + AHEAD)


def _series_row(session: Session, case: Case, series: EvaluationSeries) -> SeriesRow:
    return series_row(case, series, load(session, [case.id]).attendees.get(series.id, []))


# ---------------------------------------------------------------- one occurrence


def _occurrences_on(
    data: Loaded,
    case: Case,
    day: date,
    today: date,
    time: str | None = None,
    series: int | None = None,
) -> list[Occurrence]:
    """The series' occurrences that take place on ``day`` (at ``time``, of ``series``, when
    given); an extra meeting is not one of them."""
    return [
        o
        for o in case_occurrences(case, data, day, day, today)
        if o.series is not None
        and (time is None or o.time == time)
        and (series is None or o.series == series)
    ]


def _moved_from(
    data: Loaded, case: Case, day: date, today: date, time: str | None, series: int | None
) -> list[Occurrence]:
    """The series' occurrences whose own date is ``day`` but that were moved to another day."""
    found: list[Occurrence] = []
    for m in data.meetings.get(case.id, []):
        if m.series_id is None or m.date != day or m.moved_to in (None, day):
            continue
        if series is None or m.series_id == series:
            assert m.moved_to is not None
            there = _occurrences_on(data, case, m.moved_to, today, time, m.series_id)
            found += [o for o in there if o.original == day]
    return found


def _to_be_recorded(
    data: Loaded, case: Case, day: date, today: date, time: str | None, series: int | None
) -> list[Occurrence]:
    """The occurrences a record's date names: those that take place on it, or else those moved
    away from it (a record there is theirs, not an extra meeting: a date means one thing)."""
    _known_series(data, case, series)
    return _occurrences_on(data, case, day, today, time, series) or _moved_from(
        data, case, day, today, time, series
    )


def _known_series(data: Loaded, case: Case, series: int | None) -> None:
    """``--series`` names one of the case's series."""
    if series is not None and series not in {s.id for s in data.series.get(case.id, [])}:
        raise NotFound(
            _(
                "case {ref} has no evaluation series {series} "
                "('icrctl eval series {ref}' lists them)"
            ).format(ref=case.ref, series=series)
        )


def _find_occurrence(
    session: Session,
    case: Case,
    day: date,
    today: date,
    time: str | None = None,
    series: int | None = None,
    *,
    by_time: bool = True,
) -> Occurrence:
    """The one occurrence that takes place on ``day`` (at ``time``, of ``series``); ``by_time``:
    the command picks by the time it takes place (``move``'s ``--time`` is the new time)."""
    data = load(session, [case.id])
    _known_series(data, case, series)
    found = _occurrences_on(data, case, day, today, time, series)
    if not found:
        raise NotFound(_nothing_on(case, day, series))
    if len(found) > 1:
        raise _which_one(case, day, found, by_time)
    return found[0]


def _nothing_on(case: Case, day: date, series: int | None) -> str:
    if series is not None:
        return _("series {series} of case {ref} has no evaluation on {date}").format(
            series=series, ref=case.ref, date=day.isoformat()
        )
    return _("case {ref} has no evaluation on {date}").format(ref=case.ref, date=day.isoformat())


def _which_one(case: Case, day: date, found: list[Occurrence], by_time: bool) -> InvalidValue:
    """Two or more occurrences answer to one date: say which they are and how to name one."""
    listed = "; ".join(_described(o, day) for o in found)
    ways = []
    if by_time and len({o.time for o in found}) == len(found):
        ways.append("--time")
    ids = sorted({o.series or 0 for o in found})
    if len(ids) == len(found):
        ways.append("--series " + one_of([str(i) for i in ids]))
    facts = {"ref": case.ref, "count": len(found), "date": day.isoformat(), "listed": listed}
    if not ways:  # one series meets there twice, by its rule and moved there: move cannot pick
        return InvalidValue(
            _(
                "case {ref} has {count} evaluations on {date} ({listed}), of one series: "
                "'icrctl eval cancel' and 'icrctl eval record' tell them apart by --time"
            ).format(**facts)
        )
    give = (
        _("{first}, or {second}").format(first=ways[0], second=ways[1])
        if len(ways) == 2
        else ways[0]
    )
    return InvalidValue(
        _("case {ref} has {count} evaluations on {date} ({listed}): give {options}").format(
            **facts, options=give
        )
    )


def _described(o: Occurrence, day: date) -> str:
    if o.date != day:
        return _("series {series} at {time}, moved to {date}").format(
            series=o.series, time=o.time, date=o.date.isoformat()
        )
    if o.original != day:
        return _("series {series} at {time}, moved from {date}").format(
            series=o.series, time=o.time, date=o.original.isoformat()
        )
    return _("series {series} at {time}").format(series=o.series, time=o.time)


def _meeting_for(session: Session, case: Case, occ: Occurrence, status: str) -> Meeting:
    """The record of what happened to an occurrence: the one there is, or a new one."""
    meeting = session.scalars(
        select(Meeting).where(
            Meeting.case_id == case.id,
            Meeting.series_id == occ.series,
            Meeting.date == occ.original,
        )
    ).one_or_none()
    if meeting is None:
        meeting = Meeting(
            case_id=case.id,
            series_id=occ.series,
            date=occ.original,
            status=status,
            recorded_at=utc_now(),
        )
        session.add(meeting)
    return meeting


def cancel(
    session: Session,
    ctx: Context,
    ref: str,
    day: date,
    reason: str | None,
    time: str | None = None,
    series: int | None = None,
) -> Occurrence:
    """Cancel one occurrence of a series, with the reason why."""
    case = open_case(session, ref)
    occ = _find_occurrence(session, case, day, ctx.today, time, series)
    if occ.status == HELD:
        raise RuleViolation(
            _("the evaluation of {date} is already held").format(date=day.isoformat())
        )
    if occ.status == CANCELLED:
        raise RuleViolation(
            _("the evaluation of {date} is already cancelled").format(date=day.isoformat())
        )
    meeting = _meeting_for(session, case, occ, CANCELLED)
    meeting.status = CANCELLED
    meeting.reason = optional_text(reason, "reason", multiline=True)
    meeting.recorded_at = utc_now()
    meeting.sequence = (meeting.sequence or 0) + 1  # a calendar cancels its event (eval ics)
    audit.record(session, ctx, "update", "meeting", case.ref, ["status", "reason", "sequence"])
    occ.status, occ.reason = CANCELLED, meeting.reason
    return occ


def move(
    session: Session,
    ctx: Context,
    ref: str,
    day: date,
    new_day: date,
    new_time: str | None,
    series: int | None = None,
) -> Occurrence:
    """Move one occurrence to another day or time; moved back to where the rule puts it, it
    takes place there again (its record stays, counting the change for the calendar)."""
    case = open_case(session, ref)
    occ = _find_occurrence(session, case, day, ctx.today, series=series, by_time=False)
    if occ.status == HELD:
        raise RuleViolation(
            _("the evaluation of {date} is held; it cannot move").format(date=day.isoformat())
        )
    if occ.status == CANCELLED:
        raise RuleViolation(
            _("the evaluation of {date} is cancelled; it cannot move").format(date=day.isoformat())
        )
    at = format_time(parse_time(new_time)) if new_time else occ.time
    if new_day == occ.date and at == occ.time:
        raise InvalidValue(
            _("the evaluation is already on {date} at {time}").format(
                date=new_day.isoformat(), time=at
            )
        )
    if new_day < case.opened:
        raise InvalidValue(_("an evaluation cannot move to before the case opened"))
    _refuse_a_clash(session, case, occ, new_day, at, ctx.today)
    meeting = _meeting_for(session, case, occ, "moved")
    meeting.status = "moved"
    meeting.moved_to = new_day
    meeting.moved_time = at
    meeting.recorded_at = utc_now()
    meeting.sequence = (meeting.sequence or 0) + 1  # a calendar moves its event (eval ics)
    audit.record(
        session, ctx, "update", "meeting", case.ref, ["moved_to", "moved_time", "sequence"]
    )
    return Occurrence(
        case.ref,
        new_day,
        at,
        due_status(new_day, ctx.today),
        occ.series,
        occ.original,
        holiday_name(new_day),
        occ.attendees,
    )


def _refuse_a_clash(
    session: Session, case: Case, occ: Occurrence, new_day: date, at: str, today: date
) -> None:
    """Two occurrences at one date and time could not be told apart any more."""
    clash = [
        o
        for o in _occurrences_on(load(session, [case.id]), case, new_day, today, at)
        if (o.series, o.original) != (occ.series, occ.original)
    ]
    if clash:
        raise Conflict(
            _(
                "case {ref} already has an evaluation ({status}) on {date} at {time}; "
                "give another --time"
            ).format(
                ref=case.ref,
                status=status_label(clash[0].status),
                date=new_day.isoformat(),
                time=at,
            )
        )


# ---------------------------------------------------------------- stopping a series


def stop(
    session: Session, ctx: Context, ref: str, from_day: date | None, series_id: int | None = None
) -> SeriesRow:
    """Stop a running series: it meets no more from ``from_day`` (today) on."""
    case = open_case(session, ref)
    day = from_day or ctx.today
    query = select(EvaluationSeries).where(EvaluationSeries.case_id == case.id)
    if series_id is not None:
        query = query.where(EvaluationSeries.id == series_id)
    candidates = [
        s for s in session.scalars(query.order_by(EvaluationSeries.id)) if still_runs(s, day)
    ]
    if not candidates:
        raise NotFound(
            _("case {ref} has no evaluation series running on {date}").format(
                ref=case.ref, date=day.isoformat()
            )
        )
    if len(candidates) > 1:
        ids = ", ".join(str(s.id) for s in candidates)
        raise InvalidValue(
            _("case {ref} has {count} running series ({series}); give --series").format(
                ref=case.ref, count=len(candidates), series=ids
            )
        )
    series = candidates[0]
    held_after = session.scalar(
        select(func.count())
        .select_from(Meeting)
        .where(
            Meeting.series_id == series.id,
            Meeting.status == HELD,
            func.coalesce(Meeting.moved_to, Meeting.date) >= day,
        )
    )
    if held_after:
        raise RuleViolation(
            _("series {series} has a meeting held on or after {date}; stop it later").format(
                series=series.id, date=day.isoformat()
            )
        )
    series.stopped_from = day
    audit.record(session, ctx, "update", "evaluation_series", case.ref, ["stopped_from"])
    return _series_row(session, case, series)


def stop_all(session: Session, case: Case, day: date) -> None:
    """On closing: no series meets after the closing day."""
    after = day + timedelta(days=1)
    for series in session.scalars(
        select(EvaluationSeries).where(EvaluationSeries.case_id == case.id)
    ):
        if still_runs(series, after):
            series.stopped_from = after


# ---------------------------------------------------------------- recording a meeting


@dataclass
class Recorded:
    occurrence: Occurrence
    extra: bool
    refused: list[str]
    referrer: str | None


def record(
    session: Session,
    ctx: Context,
    ref: str,
    *,
    day: date | None = None,
    attended: list[str] | None = None,
    absent: list[str] | None = None,
    refused: list[str] | None = None,
    risk: int | None = None,
    self_reliance: int | None = None,
    note: str | None = None,
    time: str | None = None,
    series: int | None = None,
) -> Recorded:
    """Record a meeting as held: who came, who was absent or refused, the scores and a note."""
    case = open_case(session, ref)
    if risk is not None and not 1 <= risk <= 5:
        raise InvalidValue(_("risk must be 1 to 5, not {score}").format(score=risk))
    if self_reliance is not None and not 1 <= self_reliance <= 5:
        raise InvalidValue(
            _("self-reliance must be 1 to 5, not {score}").format(score=self_reliance)
        )
    lists = {"attended": attended or [], "absent": absent or [], "refused": refused or []}
    people = _presence(session, case, lists)
    occ = _to_record(session, case, day, ctx.today, time, series)
    now = utc_now()
    extra = occ is None
    if occ is None:
        assert day is not None
        meeting = _extra_meeting(session, case, day, time, ctx.today, now)
        occ = extra_occurrence(case.ref, meeting)
    else:
        meeting = _meeting_for(session, case, occ, HELD)
        meeting.status = HELD
    meeting.risk, meeting.self_reliance = risk, self_reliance
    meeting.note = optional_text(note, "note", multiline=True)
    meeting.recorded_at = now
    session.flush()
    _add_attendance(session, meeting, people)
    audit.record(
        session,
        ctx,
        "create",
        "meeting",
        case.ref,
        ["status", "attendance", "risk", "self_reliance", "note"],
    )
    occ.status = HELD
    return Recorded(occ, extra, lists["refused"], case.referrer)


def _presence(session: Session, case: Case, lists: dict[str, list[str]]) -> dict[str, list[Person]]:
    """The people of each list (attended, absent, refused); nobody stands in two lists."""
    seen: dict[str, str] = {}
    for presence, keys in lists.items():
        for key in keys:
            if key in seen:
                raise _in_two_lists(key, seen[key], presence)
            seen[key] = presence
    people: dict[str, list[Person]] = {}
    found_in: dict[tuple[int | None, int | None], str] = {}
    for presence, keys in lists.items():
        people[presence] = []
        for person in find_people(session, case, keys):
            # The same person may be named by key in one list and by name in another.
            who = person_ids(person)
            if who in found_in:
                if found_in[who] != presence:
                    raise _in_two_lists(person_key(person), found_in[who], presence)
                continue
            found_in[who] = presence
            people[presence].append(person)
    return people


def _in_two_lists(key: str, first: str, second: str) -> InvalidValue:
    """Someone named in two of ``eval record``'s lists."""
    return InvalidValue(
        _("{key} is both {first} and {second}").format(
            key=key, first=ATTENDANCE.label(first), second=ATTENDANCE.label(second)
        )
    )


def _extra_meeting(
    session: Session, case: Case, day: date, time: str | None, today: date, now: datetime
) -> Meeting:
    """A meeting held outside any series (a crisis, say); one a day."""
    not_in_future(day, today, "an extra meeting's date")
    if session.scalar(
        select(func.count())
        .select_from(Meeting)
        .where(
            Meeting.case_id == case.id,
            Meeting.series_id.is_(None),
            Meeting.date == day,
            Meeting.status == HELD,
        )
    ):
        raise Conflict(
            _("an extra meeting on {date} is already recorded").format(date=day.isoformat())
        )
    meeting = Meeting(
        case_id=case.id,
        series_id=None,
        date=day,
        status=HELD,
        recorded_at=now,
        time=format_time(parse_time(time)) if time else None,
    )
    session.add(meeting)
    return meeting


def _add_attendance(session: Session, meeting: Meeting, people: dict[str, list[Person]]) -> None:
    for presence, found in people.items():
        for person in found:
            member_id, partner_id = person_ids(person)
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    presence=presence,
                    member_id=member_id,
                    partner_id=partner_id,
                )
            )


def _to_record(
    session: Session,
    case: Case,
    day: date | None,
    today: date,
    time: str | None,
    series: int | None = None,
) -> Occurrence | None:
    """The occurrence a record is for; ``None`` for an extra meeting on ``day``."""
    data = load(session, [case.id])
    if day is None:
        return _last_unrecorded(data, case, today, series)
    if day > today:
        raise InvalidValue(
            _("{date} is in the future: record a meeting once it is held").format(
                date=day.isoformat()
            )
        )
    found = _to_be_recorded(data, case, day, today, time, series)
    if not found and series is not None:
        raise NotFound(_nothing_on(case, day, series))
    if not found:
        return None
    if len(found) > 1:
        raise _which_one(case, day, found, by_time=True)
    occ = found[0]
    if occ.date > today:
        raise InvalidValue(
            _(
                "the evaluation of {date} was moved to {moved}: record it once it is held "
                "there, or move it back first ('icrctl eval move {ref} {moved} {date}')"
            ).format(date=day.isoformat(), moved=occ.date.isoformat(), ref=case.ref)
        )
    if occ.status == HELD:
        raise Conflict(
            _("the evaluation of {date} is already recorded").format(date=_where(occ, day))
        )
    if occ.status == CANCELLED:
        raise RuleViolation(
            _("the evaluation of {date} was cancelled").format(date=_where(occ, day))
        )
    return occ


def _last_unrecorded(data: Loaded, case: Case, today: date, series: int | None) -> Occurrence:
    """The most recent occurrence up to today that nobody recorded or cancelled."""
    _known_series(data, case, series)
    past = [
        o
        for o in case_occurrences(case, data, earliest(data, case), today, today)
        if o.status in (OVERDUE, PLANNED)
        and o.series is not None
        and (series is None or o.series == series)
    ]
    if not past:
        if series is not None:
            raise NotFound(
                _(
                    "series {series} of case {ref} has no unrecorded evaluation up to today; "
                    "give --date for an extra meeting"
                ).format(series=series, ref=case.ref)
            )
        raise NotFound(
            _(
                "case {ref} has no unrecorded evaluation up to today; give --date for an extra "
                "meeting"
            ).format(ref=case.ref)
        )
    return by_date(past)[-1]


def _where(occ: Occurrence, day: date) -> str:
    """The date the user named, and where the occurrence went when it moved from there."""
    if occ.date != day:
        return _("{date} (moved to {moved})").format(
            date=day.isoformat(), moved=occ.date.isoformat()
        )
    return day.isoformat()
