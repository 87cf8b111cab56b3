"""Planning the work log of a case: its contacts (with the people spoken to), its goals and its
aftercare follow-ups.

Neither a contact nor a goal has a key: a contact is matched by date, kind and note, a goal by
its text; the n-th entry of the file with such a key gets the n-th row with it. A follow-up is
matched by its due date (one per day and case).
"""

from __future__ import annotations

from typing import Any

from icrctl.services.importer.plan import CaseScope, Matcher, Plan, Ref


def plan_contacts(plan: Plan, scope: CaseScope) -> list[Ref]:
    """The contact log, with who took part in each contact; the rows in the file's order."""
    c = scope.rec
    refs: list[Ref] = []
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
        refs.append(ref)
        # A partner the case could not link is left out: its link's error stops the import.
        persons = [scope.people[key] for key in ct.with_ if key in scope.people]
        plan.people("contact_people", "contact_id", ref, persons, c.ref)
    return refs


def plan_aftercare(plan: Plan, scope: CaseScope, contacts: list[Ref]) -> None:
    """The follow-ups of aftercare, as the file has them: none is planned by the import (a case
    the file puts in aftercare keeps the follow-ups it lists), and its history stays as it was."""
    c = scope.rec
    have = {r["due"]: r for r in scope.rows["aftercare"]}
    for fu in c.aftercare:
        row = have.get(fu.due)
        contact = contacts[fu.contact] if fu.contact is not None else None
        values: dict[str, Any] = {"due": fu.due, "done": fu.done}
        parents: dict[str, Ref] = {"case_id": scope.case}
        if isinstance(contact, int) or contact is None:
            values["contact_id"] = contact
        elif row is None:
            parents["contact_id"] = contact  # a contact this import adds: its id comes later
        if row is None:
            values["recorded_at"] = plan.now
        plan.merge("aftercare", row, values, c.ref, **parents)


def plan_goals(plan: Plan, scope: CaseScope) -> list[Ref]:
    """The goals; a new one gets the next number, a changed status the day it changed. Their
    rows in the file's order (a meeting's agreements and discussions, and the analysis'
    interventions, name them by place)."""
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
