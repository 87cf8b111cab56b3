"""Planning a case's members and the relations between them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from icrctl.db.rows import Rows
from icrctl.io.records import CaseRec
from icrctl.services.importer.plan import CaseScope, Person, Plan, Ref
from icrctl.services.members import member_number


def plan_members(plan: Plan, scope: CaseScope) -> dict[str, Person]:
    """Members matched by key (or, without one, by name and birth date); every member by key."""
    c, rows = scope.rec, scope.rows["members"]
    by_key = {r["key"]: r for r in rows}
    by_name = {(r["name"], r["born"]): r for r in rows}
    new_key = _key_maker(member_numbers(c, scope.row, rows)[0])
    out: dict[str, Person] = {}
    sources: list[Ref] = []
    for rec in c.members:
        row = by_key.get(rec.key) if rec.key else by_name.get((rec.name, rec.born))
        key = rec.key or (row["key"] if row else new_key())
        values = {
            "key": key,
            "name": rec.name,
            "born": rec.born,
            "role": rec.role,
            "household": rec.household,
            "phone": rec.phone,
            "email": rec.email,
            "deceased": rec.deceased,
        }
        ref = plan.merge("members", row, values, c.ref, case_id=scope.case)
        out[key] = ("member", ref)
        sources.append(ref)
    for r in rows:
        out.setdefault(r["key"], ("member", r["id"]))
    _plan_relations(plan, scope, sources, out)
    return out


def member_numbers(c: CaseRec, row: dict[str, Any] | None, rows: Rows) -> tuple[int, int]:
    """The case's last automatic member number before the file's new keyless members get theirs,
    and after: the highest of the case file's count, the file's ``last_member_number`` and every
    ``m<n>`` key of either, so that no key is ever given twice."""
    keys = [r["key"] for r in rows] + [m.key for m in c.members if m.key]
    last = max(
        (row or {}).get("last_member_number") or 0,
        c.last_member_number or 0,
        *map(member_number, keys),
    )
    known = {(r["name"], r["born"]) for r in rows}
    new = sum(1 for m in c.members if not m.key and (m.name, m.born) not in known)
    return last, last + new


def _key_maker(last: int) -> Callable[[], str]:
    """``m<last + 1>``, ``m<last + 2>`` …: keys after every number the case has given."""
    n = last

    def new_key() -> str:
        nonlocal n
        n += 1
        return f"m{n}"

    return new_key


def _plan_relations(
    plan: Plan, scope: CaseScope, sources: list[Ref], members: dict[str, Person]
) -> None:
    """The relations the file lists that the case file lacks (a relation has nothing to update);
    ``sources`` are the rows of the file's members, in the file's order."""
    c = scope.rec
    have = {(r["from_member_id"], r["to_member_id"], r["kind"]) for r in scope.rows["relations"]}
    for rec, source in zip(c.members, sources, strict=True):
        for rel in rec.relations:
            target = members.get(rel.to)
            if target is None:
                continue
            if (
                isinstance(source, int)
                and isinstance(target[1], int)
                and (source, target[1], rel.kind) in have
            ):
                continue
            plan.insert(
                "relations",
                {"kind": rel.kind},
                c.ref,
                case_id=scope.case,
                from_member_id=source,
                to_member_id=target[1],
            )
