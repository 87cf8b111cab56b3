"""Planning the phase-4 checklist: each item belongs to one escalation to phase 4."""

from __future__ import annotations

import datetime as dt

from icrctl.domain import regiekaart
from icrctl.i18n import _
from icrctl.io.records import ChecklistRec
from icrctl.services.importer.history import PhaseRow
from icrctl.services.importer.plan import CaseScope, Plan, Ref, utc

# An escalation to phase 4: its date, track and phase change row.
Escalation = tuple[dt.date, str | None, Ref]


def plan_checklist(plan: Plan, scope: CaseScope, phases: list[PhaseRow]) -> None:
    """The items the file ticks off (or lists), and a new escalation's full checklist."""
    c = scope.rec
    fours = sorted(((d, t, r) for d, p, t, r in phases if p == 4), key=lambda x: x[0])
    have = {(r["track"], r["item"], r["phase_change_id"]): r for r in scope.rows["checklist"]}
    for item in c.checklist:
        found = _escalation_of(plan, item, fours)
        if found is None:
            continue
        track, ref = found
        row = have.get((track, item.item, ref)) if isinstance(ref, int) else None
        plan.merge(
            "checklist",
            row,
            {
                "track": track,
                "item": item.item,
                "done_at": utc(item.done),
                "done_by": item.done_by,
            },
            c.ref,
            case_id=scope.case,
            phase_change_id=ref,
        )
    _full_checklists(plan, scope, fours)


def _escalation_of(
    plan: Plan, item: ChecklistRec, fours: list[Escalation]
) -> tuple[str, Ref] | None:
    """The track and phase change an item belongs to: the last escalation that fits its
    ``escalated`` date and track; None, with an error, when none does or the item is unknown."""
    matches = [f for f in fours if item.escalated is None or f[0] == item.escalated]
    if item.track is not None:
        matches = [f for f in matches if f[1] == item.track]
    if not matches:
        plan.error(
            item.at, "item", _("no escalation to phase 4 in this case's history to tick off")
        )
        return None
    _day, track, ref = matches[-1]
    track = item.track or track
    if track is None or item.item not in {e.code for e in regiekaart.checklist_for(track)}:
        plan.error(
            item.at,
            "item",
            _("{item!r} is not on the {track} track's checklist").format(
                item=item.item, track=track
            ),
        )
        return None
    return track, ref


def _full_checklists(plan: Plan, scope: CaseScope, fours: list[Escalation]) -> None:
    """A new escalation without listed items gets its full checklist, nothing ticked off."""
    listed = {(i.track, i.escalated) for i in scope.rec.checklist}
    for day, track, ref in fours:
        if isinstance(ref, int) or track is None:
            continue
        if any((t in (None, track)) and (e in (None, day)) for t, e in listed):
            continue
        for entry in regiekaart.checklist_for(track):
            plan.insert(
                "checklist",
                {"track": track, "item": entry.code, "done_at": None, "done_by": None},
                scope.rec.ref,
                case_id=scope.case,
                phase_change_id=ref,
            )
