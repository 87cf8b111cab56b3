"""Planning evaluation series with their attendees, and what happened to their meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from icrctl.domain.dates import parse_time
from icrctl.domain.recurrence import Rule, occurrences
from icrctl.i18n import _
from icrctl.io.records import MeetingRec, SeriesRec
from icrctl.services.importer.plan import CaseScope, Matcher, New, Plan, Ref, person_column


@dataclass(frozen=True)
class Meets:
    """When a series meets: its rule, up to its last day (``until``, or the day before the stop;
    the stop cuts the rule's dates after any move to a working day, as in the case file)."""

    rule: Rule
    end: dt.date | None

    def on(self, day: dt.date) -> bool:
        """Is ``day`` one of the series' dates?"""
        return (self.end is None or day <= self.end) and bool(occurrences(self.rule, day, day))

    def gave(self, day: dt.date) -> bool:
        """Was ``day`` one of the series' dates before it was stopped? A meeting cancelled or
        moved before the stop keeps its date (``eval stop`` keeps it, and so does the file)."""
        return bool(occurrences(self.rule, day, day))


# A series: its row, and when it meets.
Series = tuple[Ref, Meets]


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
            "workdays": s.workdays,
        }
        if row is None:
            values["created_at"] = plan.now
        else:
            _keep_workdays(plan, scope, s, row)
        ref = plan.merge("series", row, values, c.ref, case_id=scope.case)
        # A partner the case could not link is left out: its link's error stops the import.
        persons = [scope.people[key] for key in s.with_ if key in scope.people]
        plan.people("attendees", "series_id", ref, persons, c.ref)
        out.append((ref, _rule(s)))
    return out


def _keep_workdays(plan: Plan, scope: CaseScope, s: SeriesRec, row: dict[str, Any]) -> None:
    """Other workdays give other dates: the meetings the case file holds of the series would no
    longer be on one of them."""
    if row["workdays"] != s.workdays and any(
        m["series_id"] == row["id"] for m in scope.rows["meetings"]
    ):
        was, now = row["workdays"] or _("none"), s.workdays or _("none")
        plan.error(
            s.at,
            "workdays",
            _(
                "the case file holds meetings of this series on the dates of its workdays "
                "({was}); they cannot change to {now}: stop the series and plan a new one"
            ).format(was=was, now=now),
        )


def _rule(s: SeriesRec) -> Meets:
    """The series' recurrence, ending at ``until`` or the day before it was stopped (which may
    lie before its start: then it meets no more, but its cancelled meetings stay)."""
    end = s.until
    if s.stopped is not None:
        stop = s.stopped - dt.timedelta(days=1)
        end = stop if end is None else min(end, stop)
    return Meets(Rule(s.every, s.start, parse_time(s.time), s.weekday, s.until, s.workdays), end)


def plan_meetings(
    plan: Plan, scope: CaseScope, series: list[Series]
) -> list[tuple[MeetingRec, Ref]]:
    """Meetings: an occurrence of a series matched by series and date, an extra one by date.
    Each with its row, for its agreements and discussions (planned once the goals are)."""
    c = scope.rec
    out: list[tuple[MeetingRec, Ref]] = []
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
                _(
                    "an occurrence of a series has the series' time; "
                    "to change it, move it (to: DATE, time: HH:MM)"
                ),
            )
            continue
        values = _meeting_values(mt, target)
        row = have.get((target, mt.date)) if not isinstance(target, New) else None
        if row is None:
            values["recorded_at"] = plan.now
        values["sequence"] = _sequence(mt, row, values)
        parents = {"series_id": target} if target is not None else {}
        ref = plan.merge("meetings", row, values, c.ref, case_id=scope.case, **parents)
        _plan_attendance(plan, scope, mt, ref)
        out.append((mt, ref))
    return out


def plan_meeting_notes(
    plan: Plan, scope: CaseScope, meetings: list[tuple[MeetingRec, Ref]], goals: list[Ref]
) -> None:
    """A held meeting's agreements, matched by number (their place in the file, from 1), and
    its discussions, matched by goal; one the case file holds and the file does not stays."""
    for mt, meeting in meetings:
        numbered = {a["number"]: a for a in plan.x.children("agreements", meeting)}
        for number, a in enumerate(mt.agreements, start=1):
            goal = goals[a.goal - 1] if a.goal is not None else None
            values = {"number": number, "what": a.what, "who": a.who, "due": a.due}
            _merge_with_goal(plan, scope, "agreements", numbered.get(number), values, meeting, goal)
        by_goal = {x["goal_id"]: x for x in plan.x.children("discussions", meeting)}
        for x in mt.discussed:
            goal = goals[x.goal - 1]
            row = by_goal.get(goal) if isinstance(goal, int) else None
            _merge_with_goal(plan, scope, "discussions", row, {"note": x.note}, meeting, goal)


def _merge_with_goal(
    plan: Plan,
    scope: CaseScope,
    table: str,
    row: dict[str, Any] | None,
    values: dict[str, Any],
    meeting: Ref,
    goal: Ref | None,
) -> None:
    """Insert (the meeting and goal as parents) or update a row that names a goal; a goal
    the case file holds is a value of the update, a new one a parent of the insert."""
    parents: dict[str, Ref] = {"meeting_id": meeting}
    if row is None and goal is not None:
        parents["goal_id"] = goal
    elif row is not None:
        values = {**values, "goal_id": goal if isinstance(goal, int) else row["goal_id"]}
    plan.merge(table, row, values, scope.rec.ref, **parents)


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


def _sequence(mt: MeetingRec, row: dict[str, Any] | None, values: dict[str, Any]) -> int:
    """How often the occurrence was cancelled or moved (its iCalendar SEQUENCE): the file's count,
    never below the case file's, and one more when this import cancels or moves it, so that a
    calendar that holds the event takes the change (``eval ics``)."""
    given = mt.sequence or 0
    if row is None:
        return given
    cancelled = (row["status"] == "cancelled") != (values["status"] == "cancelled")
    moved = any(row[k] != values[k] for k in ("moved_to", "moved_time"))
    return max(given, (row["sequence"] or 0) + int(cancelled or moved))


def _plan_attendance(plan: Plan, scope: CaseScope, mt: MeetingRec, meeting: Ref) -> None:
    """Who attended, was absent or refused: one row per person, its presence updated."""
    present = {(a["member_id"], a["partner_id"]): a for a in plan.x.children("attendance", meeting)}
    for presence in ("attended", "absent", "refused"):
        for key in getattr(mt, presence):
            if key not in scope.people:  # a partner the case could not link: that is the error
                continue
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
    if mt.extra:
        return True, None
    if mt.series is not None:
        ref, meets = series[mt.series]
        if not meets.gave(mt.date):
            plan.error(
                mt.at,
                "date",
                _("evaluation series {series} has no meeting on {date}").format(
                    series=mt.series, date=mt.date
                ),
            )
            return False, None
        return True, ref
    found = [ref for ref, meets in series if meets.on(mt.date)]
    if not found and (mt.status != "held" or mt.to is not None):
        # cancelled or moved (and perhaps held where it moved to), then its series stopped
        found = [ref for ref, meets in series if meets.gave(mt.date)]
    if len(found) > 1:
        plan.error(
            mt.at,
            "series",
            _("{count} series meet on {date}: say which with series: N (counted from 0)").format(
                count=len(found), date=mt.date
            ),
        )
        return False, None
    if found:
        return True, found[0]
    if mt.status != "held":
        plan.error(
            mt.at,
            "date",
            _("no evaluation series of this case meets on {date}").format(date=mt.date),
        )
        return False, None
    return True, None
