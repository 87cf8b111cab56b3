"""Planning the work log of a case: its contacts (with the people spoken to) and its goals.

Neither has a key: a contact is matched by date, kind and note, a goal by its text; the n-th
entry of the file with such a key gets the n-th row with it.
"""

from __future__ import annotations

from typing import Any

from icrctl.services.importer.plan import CaseScope, Matcher, Plan, Ref


def plan_contacts(plan: Plan, scope: CaseScope) -> None:
    """The contact log, with who took part in each contact."""
    c = scope.rec
    have = Matcher(scope.rows["contacts"], lambda r: (r["date"], r["kind"], r["note"]))
    for ct in c.contacts:
        row = have.get((ct.date, ct.kind, ct.note))
        values: dict[str, Any] = {
            "date": ct.date,
            "kind": ct.kind,
            "note": ct.note,
            "signal": ct.signal,
        }
        if row is None:
            values["recorded_at"] = plan.now
        ref = plan.merge("contacts", row, values, c.ref, case_id=scope.case)
        # A partner the case could not link is left out: its link's error stops the import.
        persons = [scope.people[key] for key in ct.with_ if key in scope.people]
        plan.people("contact_people", "contact_id", ref, persons, c.ref)


def plan_goals(plan: Plan, scope: CaseScope) -> list[Ref]:
    """The goals; a new one gets the next number, a changed status the day it changed. Returns
    each goal's row, in the file's order (an intervention of the analysis names one by its
    place)."""
    c, rows = scope.rec, scope.rows["goals"]
    have = Matcher(rows, lambda r: r["goal"])
    number = max((r["number"] for r in rows), default=0)
    out: list[Ref] = []
    for g in c.goals:
        row = have.get(g.goal)
        values: dict[str, Any] = {
            "goal": g.goal,
            "who": g.who,
            "what": g.what,
            "due": g.due,
            "status": g.status,
        }
        if g.changed is not None or row is None:
            values["status_date"] = g.changed or plan.ctx.today
        if row is None:
            number += 1
            values |= {"number": number, "created_at": plan.now}
        elif row["status"] != g.status and g.changed is None:
            values["status_date"] = plan.ctx.today
        out.append(plan.merge("goals", row, values, c.ref, case_id=scope.case))
    return out
