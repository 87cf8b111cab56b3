"""Planning a case's members and the relations between them."""

from __future__ import annotations

from collections.abc import Callable

from icrctl.services.importer.plan import CaseScope, Person, Plan, Ref


def plan_members(plan: Plan, scope: CaseScope) -> dict[str, Person]:
    """Members matched by key (or, without one, by name and birth date); every member by key."""
    c, rows = scope.rec, scope.rows["members"]
    by_key = {r["key"]: r for r in rows}
    by_name = {(r["name"], r["born"]): r for r in rows}
    new_key = _key_maker(set(by_key) | {mm.key for mm in c.members if mm.key})
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
        }
        ref = plan.merge("members", row, values, c.ref, case_id=scope.case)
        out[key] = ("member", ref)
        sources.append(ref)
    for r in rows:
        out.setdefault(r["key"], ("member", r["id"]))
    _plan_relations(plan, scope, sources, out)
    return out


def _key_maker(taken: set[str]) -> Callable[[], str]:
    """``m1``, ``m2`` …: the next key no member of the case (in the file or not) has."""
    n = 1

    def new_key() -> str:
        nonlocal n
        while f"m{n}" in taken:
            n += 1
        taken.add(f"m{n}")
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
