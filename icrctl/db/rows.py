"""The case file's tables by short name, and rows fetched as plain dicts in bulk.

Import and export both read whole cases with a handful of chunked ``IN`` queries (Core, no ORM
objects); the names here (``"links"`` for case partners, ``"phases"`` for phase changes …) are
the ones both use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from icrctl.db import models as m

CHUNK = 500
TABLES: dict[str, Table] = {
    "partners": cast(Table, m.Partner.__table__),
    "cases": cast(Table, m.Case.__table__),
    "members": cast(Table, m.Member.__table__),
    "relations": cast(Table, m.MemberRelation.__table__),
    "links": cast(Table, m.CasePartner.__table__),
    "phases": cast(Table, m.PhaseChange.__table__),
    "stages": cast(Table, m.StageChange.__table__),
    "events": cast(Table, m.CaseEvent.__table__),
    "checklist": cast(Table, m.ChecklistItem.__table__),
    "series": cast(Table, m.EvaluationSeries.__table__),
    "attendees": cast(Table, m.SeriesAttendee.__table__),
    "meetings": cast(Table, m.Meeting.__table__),
    "attendance": cast(Table, m.Attendance.__table__),
    "contacts": cast(Table, m.Contact.__table__),
    "contact_people": cast(Table, m.ContactPerson.__table__),
    "goals": cast(Table, m.Goal.__table__),
    "indicators": cast(Table, m.IndicatorScore.__table__),
    "agreements": cast(Table, m.Agreement.__table__),
    "discussions": cast(Table, m.GoalDiscussion.__table__),
    "aftercare": cast(Table, m.AftercareContact.__table__),
    "analyses": cast(Table, m.Analysis.__table__),
    "analysis_factors": cast(Table, m.AnalysisFactor.__table__),
    "interventions": cast(Table, m.Intervention.__table__),
    "role_fits": cast(Table, m.RoleFit.__table__),
}
# The tables that hang off a case by ``case_id``, and those that hang off one of them.
CASE_TABLES = (
    "members",
    "relations",
    "links",
    "phases",
    "stages",
    "events",
    "checklist",
    "series",
    "meetings",
    "contacts",
    "goals",
    "indicators",
    "aftercare",
    "analyses",
    "analysis_factors",
    "interventions",
    "role_fits",
)
CHILD_TABLES = (
    ("attendees", "series_id", "series"),
    ("attendance", "meeting_id", "meetings"),
    ("contact_people", "contact_id", "contacts"),
    ("agreements", "meeting_id", "meetings"),
    ("discussions", "meeting_id", "meetings"),
)

Rows = list[dict[str, Any]]
Grouped = dict[int, Rows]


def rows_where(session: Session, table: str, column: str, ids: Iterable[Any]) -> Rows:
    """Rows of ``table`` whose ``column`` is one of ``ids``, fetched in chunks."""
    wanted = list(dict.fromkeys(ids))
    out: Rows = []
    tab = TABLES[table]
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        result = session.execute(select(tab).where(tab.c[column].in_(chunk)))
        out += [dict(r) for r in result.mappings()]
    return out


def grouped_rows(session: Session, table: str, column: str, ids: Iterable[Any]) -> Grouped:
    """The rows of ``table`` per value of ``column`` (a case, a series …), in id order."""
    out: Grouped = defaultdict(list)
    for row in sorted(rows_where(session, table, column, ids), key=lambda r: r["id"]):
        out[row[column]].append(row)
    return out


def rows_of_cases(
    session: Session, case_ids: Iterable[int]
) -> tuple[dict[str, Grouped], dict[str, Grouped]]:
    """Everything the cases hold, in id order: per case table the rows per case id, and per
    child table (attendees, attendance, contact people) the rows per parent id."""
    ids = list(case_ids)
    by_case = {table: grouped_rows(session, table, "case_id", ids) for table in CASE_TABLES}
    by_parent: dict[str, Grouped] = {}
    for table, column, parent in CHILD_TABLES:
        parent_ids = [r["id"] for rows in by_case[parent].values() for r in rows]
        by_parent[table] = grouped_rows(session, table, column, parent_ids)
    return by_case, by_parent
