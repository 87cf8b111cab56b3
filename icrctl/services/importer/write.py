"""Writing a plan: Core bulk inserts and updates, table by table, parents before children."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update
from sqlalchemy.orm import Session

from icrctl.db.rows import CHUNK, TABLES
from icrctl.services.importer.plan import New, Plan, ref_id

ORDER = (
    "partners",
    "cases",
    "members",
    "links",
    "phases",
    "stages",
    "events",
    "series",
    "contacts",
    "goals",
    "aftercare",
    "relations",
    "attendees",
    "meetings",
    "checklist",
    "contact_people",
    "attendance",
    "indicators",
    "agreements",
    "discussions",
    "analyses",
    "analysis_factors",
    "interventions",
    "role_fits",
)
# Rows no other row of the import refers to: inserted without asking their ids back (not goals:
# an intervention of the analysis names one).
LEAVES = frozenset(
    (
        "relations",
        "attendance",
        "contact_people",
        "attendees",
        "checklist",
        "aftercare",
        "links",
        "stages",
        "events",
        "indicators",
        "agreements",
        "discussions",
        "analyses",
        "analysis_factors",
        "interventions",
        "role_fits",
    )
)


def write(session: Session, plan: Plan) -> None:
    """Every planned insert and update, in the session's transaction."""
    conn = session.connection()
    for table in ORDER:
        rows = plan.inserts.get(table, [])
        if rows:
            _insert(conn, table, rows)
        for names, batch in _by_columns(plan.updates.get(table, [])).items():
            tab = TABLES[table]
            stmt = (
                update(tab)
                .where(tab.c.id == bindparam("_id"))
                .values({c: bindparam(c) for c in names})
            )
            conn.execute(stmt, [{"_id": rid, **_ids(changes)} for rid, changes in batch])


def _ids(changes: dict[str, Any]) -> dict[str, Any]:
    """An update's values, a row inserted earlier in the import as its id (an intervention
    linked to a goal the import adds, a case's new role holder)."""
    return {k: ref_id(v) if isinstance(v, New) else v for k, v in changes.items()}


def _insert(conn: Connection, table: str, rows: list[New]) -> None:
    """Insert ``rows`` in chunks; a parent row learns its id."""
    tab = TABLES[table]
    params = [{**r.values, **{k: ref_id(v) for k, v in r.parents.items()}} for r in rows]
    columns = set().union(*params)
    params = [{c: p.get(c) for c in columns} for p in params]  # executemany: same keys
    for i in range(0, len(params), CHUNK):
        chunk = params[i : i + CHUNK]
        if table in LEAVES:
            conn.execute(insert(tab), chunk)
            continue
        result = conn.execute(insert(tab).returning(tab.c.id, sort_by_parameter_order=True), chunk)
        for row, (new_id,) in zip(rows[i : i + CHUNK], result, strict=True):
            row.id = new_id


def _by_columns(
    updates: list[tuple[int, dict[str, Any]]],
) -> dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]]:
    out: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for rid, changes in updates:
        out[tuple(sorted(changes))].append((rid, changes))
    return out
