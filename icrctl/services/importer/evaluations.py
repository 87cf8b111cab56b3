"""Planning evaluation series with their attendees, and what happened to their meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from icrctl.domain.dates import parse_time
from icrctl.domain.recurrence import Rule, occurrences
from icrctl.io.records import MeetingRec, SeriesRec
from icrctl.services.importer.plan import CaseScope, Matcher, New, Plan, Ref, person_column

# A series: its row, and its rule (None when it was stopped before it started).
Series = tuple[Ref, Rule | None]


def plan_series(plan: Plan, scope: CaseScope) -> list[Series]:
    """The series, matched by cadence, weekday, time and start, with their invited attendees."""
    c = scope.rec
    have = Matcher(
        scope.rows["series"], lambda r: (r["every"], r["weekday"], r["time"], r["start"])
    )
    out: list[Series] = []
    for s in c.evaluations:
        row = have.get((s.every, s.weekday, s.time, s.start))
        values: dict[str, Any] = {
            "every": s.every,
            "weekday": s.weekday,
            "time": s.time,
            "start": s.start,
            "until": s.until,
            "stopped_from": s.stopped,
        }
        if row is None:
            values["created_at"] = plan.now
        ref = plan.merge("series", row, values, c.ref, case_id=scope.case)
        persons = [scope.people[key] for key in s.with_]
        plan.people("attendees", "series_id", ref, persons, c.ref)
        out.append((ref, _rule(s)))
    return out


def _rule(s: SeriesRec) -> Rule | None:
    """The series' recurrence, ending at ``until`` or the day before it was stopped."""
    end = s.until
    if s.stopped is not None:
        stop = s.stopped - dt.timedelta(days=1)
        end = stop if end is None else min(end, stop)
    if end is not None and end < s.start:
        return None
    return Rule(s.every, s.start, parse_time(s.time), s.weekday, end)


def plan_meetings(plan: Plan, scope: CaseScope, series: list[Series]) -> None:
    """Meetings: an occurrence of a series matched by series and date, an extra one by date."""
    c = scope.rec
    have = {(r["series_id"], r["date"]): r for r in scope.rows["meetings"]}
    for mt in c.meetings:
        ok, target = _series_for(plan, mt, series)
        if not ok:
            continue
        if target is not None and mt.time is not None and mt.to is None:
            # Would be dropped silently: an occurrence keeps its series' time unless moved.
            plan.error(
                mt.at,
                "time",
                "an occurrence of a series has the series' time; "
                "to change it, move it (to: DATE, time: HH:MM)",
            )
            continue
        values = _meeting_values(mt, target)
        row = have.get((target, mt.date)) if not isinstance(target, New) else None
        if row is None:
            values["recorded_at"] = plan.now
        parents = {"series_id": target} if target is not None else {}
        ref = plan.merge("meetings", row, values, c.ref, case_id=scope.case, **parents)
        _plan_attendance(plan, scope, mt, ref)


def _meeting_values(mt: MeetingRec, target: Ref | None) -> dict[str, Any]:
    """An extra meeting has its own time; an occurrence has its series' time unless moved."""
    return {
        "date": mt.date,
        "status": mt.status,
        "time": mt.time if target is None else None,
        "moved_to": mt.to,
        "moved_time": mt.time if target is not None and mt.to else None,
        "reason": mt.reason,
        "risk": mt.risk,
        "self_reliance": mt.self_reliance,
        "note": mt.note,
    }


def _plan_attendance(plan: Plan, scope: CaseScope, mt: MeetingRec, meeting: Ref) -> None:
    """Who attended, was absent or refused: one row per person, its presence updated."""
    present = {(a["member_id"], a["partner_id"]): a for a in plan.x.children("attendance", meeting)}
    for presence in ("attended", "absent", "refused"):
        for key in getattr(mt, presence):
            kind, person = scope.people[key]
            pair = (person, None) if kind == "member" else (None, person)
            existing = present.get(pair) if isinstance(person, int) else None
            plan.merge(
                "attendance",
                existing,
                {"presence": presence},
                scope.rec.ref,
                meeting_id=meeting,
                **({} if existing else person_column(kind, person)),
            )


def _series_for(plan: Plan, mt: MeetingRec, series: list[Series]) -> tuple[bool, Ref | None]:
    """Whether the meeting fits (an error when not), and the series whose occurrence it is
    (None for an extra meeting)."""
    if mt.series is not None:
        ref, rule = series[mt.series]
        if rule is None or not occurrences(rule, mt.date, mt.date):
            plan.error(mt.at, "date", f"evaluation series {mt.series} has no meeting on {mt.date}")
            return False, None
        return True, ref
    found = [ref for ref, rule in series if rule and occurrences(rule, mt.date, mt.date)]
    if len(found) > 1:
        plan.error(
            mt.at,
            "series",
            f"{len(found)} series meet on {mt.date}: say which with series: N (counted from 0)",
        )
        return False, None
    if found:
        return True, found[0]
    if mt.status != "held":
        plan.error(mt.at, "date", f"no evaluation series of this case meets on {mt.date}")
        return False, None
    return True, None
