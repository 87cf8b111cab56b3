"""Planning a case's histories: phase changes, stage changes and other case events.

A new case without history gets the entries that opening it would have made; an existing case
whose phase or stage differs gets one entry "changed by import". A history entry has no key: the
n-th entry with a date and phase (or stage) matches the n-th such row. The case file may not
hold a later change than the file's current phase or stage (the file would be out of date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from icrctl.domain.vocabulary import STAGE
from icrctl.i18n import _
from icrctl.services.cases import OPENING_REASON
from icrctl.services.importer.plan import CaseScope, Matcher, Plan, Ref

# A phase change: its date, phase, track and row.
PhaseRow = tuple[dt.date, int, str | None, Ref]
# A change in date order: (date, order, phase or stage); the rows to add come after the rows
# of the same date that the case file holds.
Ordered = tuple[dt.date, int, Any]
LATER = 10**9


def plan_phases(plan: Plan, scope: CaseScope) -> list[PhaseRow]:
    """The phase changes; returns all of them, the case file's first, for the checklist."""
    c, rows = scope.rec, scope.rows["phases"]
    have = Matcher(rows, lambda r: (r["date"], r["phase"]))
    ordered: list[Ordered] = [(r["date"], r["id"], r["phase"]) for r in rows]
    refs: list[PhaseRow] = [(r["date"], r["phase"], r["track"], r["id"]) for r in rows]
    for i, (day, phase, reason, track) in enumerate(_wanted_phases(plan, scope)):
        existing = have.get((day, phase))
        values = {"date": day, "phase": phase, "reason": reason, "track": track}
        if existing is None:
            values["recorded_at"] = plan.now
        ref = plan.merge("phases", existing, values, c.ref, case_id=scope.case)
        if existing is None:
            ordered.append((day, LATER + i, phase))
            refs.append((day, phase, track, ref))
    last = _last(ordered)
    if last is not None and last[2] != c.phase:
        plan.error(
            c.at,
            "phase",
            _(
                "the case file holds a later phase change ({date}: phase {later}) than the "
                "file's phase {phase}"
            ).format(date=last[0], later=last[2], phase=c.phase),
        )
    return refs


def _wanted_phases(plan: Plan, scope: CaseScope) -> list[tuple[dt.date, int, str, str | None]]:
    c = scope.rec
    if c.history:
        return [(h.date, h.phase, h.reason, h.track) for h in c.history]
    if scope.row is None:
        if c.phase == 4:
            plan.error(c.at, "phase", _("phase 4 needs a history entry with its track"))
        return [(c.opened, c.phase, OPENING_REASON, None)]
    if scope.row["phase"] != c.phase:
        return [(plan.ctx.today, c.phase, "changed by import", None)]
    return []


def plan_stages(plan: Plan, scope: CaseScope) -> None:
    """The stage changes."""
    c, rows = scope.rec, scope.rows["stages"]
    have = Matcher(rows, lambda r: (r["date"], r["stage"]))
    ordered: list[Ordered] = [(r["date"], r["id"], r["stage"]) for r in rows]
    for i, (day, stage, reason) in enumerate(_wanted_stages(plan, scope)):
        existing = have.get((day, stage))
        values: dict[str, Any] = {"date": day, "stage": stage, "reason": reason}
        if existing is None:
            values["recorded_at"] = plan.now
            ordered.append((day, LATER + i, stage))
        plan.merge("stages", existing, values, c.ref, case_id=scope.case)
    last = _last(ordered)
    if last is not None and last[2] != c.stage:
        plan.error(
            c.at,
            "stage",
            _(
                "the case file holds a later stage change ({date}: {later}) than the file's "
                "stage {stage}"
            ).format(date=last[0], later=STAGE.label(last[2]), stage=STAGE.label(c.stage)),
        )


def _wanted_stages(plan: Plan, scope: CaseScope) -> list[tuple[dt.date, str, str | None]]:
    c = scope.rec
    if c.stages:
        return [(s.date, s.stage, s.reason) for s in c.stages]
    if scope.row is None:
        wanted: list[tuple[dt.date, str, str | None]] = [(c.opened, "inventory", None)]
        if c.stage == "closed" and c.closed is not None:
            wanted.append((c.closed, "closed", None))
        elif c.stage != "inventory":
            wanted.append((c.opened, c.stage, None))
        return wanted
    if scope.row["stage"] != c.stage:
        day = c.closed if c.stage == "closed" and c.closed else plan.ctx.today
        return [(day, c.stage, "changed by import")]
    return []


def _last(ordered: list[Ordered]) -> Ordered | None:
    return max(ordered, key=lambda t: (t[0], t[1]), default=None)


def plan_events(plan: Plan, scope: CaseScope) -> None:
    """Other case events (framework, regie, closed, reopened), matched by date, kind and new."""
    c = scope.rec
    have = Matcher(scope.rows["events"], lambda r: (r["date"], r["kind"], r["new"]))
    for e in c.events:
        row = have.get((e.date, e.kind, e.new))
        values: dict[str, Any] = {
            "date": e.date,
            "kind": e.kind,
            "old": e.old,
            "new": e.new,
            "reason": e.reason,
        }
        if row is None:
            values["recorded_at"] = plan.now
        plan.merge("events", row, values, c.ref, case_id=scope.case)
