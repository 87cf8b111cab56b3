"""Planning who holds the roles of a case: the partners holding casusregie, procesregie and the
lead practitioner's role, each a partner the case links (in the file or in the case file)."""

from __future__ import annotations

from icrctl.i18n import _
from icrctl.services.importer.plan import CaseScope, New, Person, Plan, Ref


def plan_roles(plan: Plan, scope: CaseScope, linked: dict[str, Person]) -> None:
    """Set the case's role holders to the partners the file names; a key the case does not
    link is an error."""
    c = scope.rec
    wanted: dict[str, Ref | None] = {}
    for column, name, key in (
        ("casusregie_partner_id", "casusregie_partner", c.casusregie_partner),
        ("procesregie_partner_id", "procesregie_partner", c.procesregie_partner),
        ("regiebehandelaar_partner_id", "regiebehandelaar", c.regiebehandelaar),
    ):
        person = linked.get(key) if key is not None else None
        if key is not None and (person is None or person[0] != "partner"):
            plan.error(c.at, name, _("{key!r} is not a partner linked to the case").format(key=key))
            continue
        wanted[column] = None if person is None else person[1]
    case = scope.case
    if isinstance(case, New):
        case.parents.update({k: v for k, v in wanted.items() if v is not None})
        return
    row = scope.row or {}
    changes = {k: v for k, v in wanted.items() if isinstance(v, New) or row.get(k) != v}
    if changes:
        _update(plan, c.ref, case, changes)


def _update(plan: Plan, ref: str, case_id: int, changes: dict[str, Ref | None]) -> None:
    """Add ``changes`` to the update of case ``ref``'s row (a new partner's id is known once
    the directory is written, before the cases)."""
    for rid, planned in plan.updates["cases"]:
        if rid == case_id:
            planned.update(changes)
            return
    plan.updates["cases"].append((case_id, {**changes, "updated_at": plan.now}))
    plan.result.updated["cases"] += 1
    plan.touched[ref].add("cases")
