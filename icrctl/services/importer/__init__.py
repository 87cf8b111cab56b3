"""Importing the case file format: merge by key, idempotent, all or nothing.

The file is checked first (``io.importfile``); then the case file's current state for the cases
named is loaded in a few bulk queries (``plan.load_existing``), the merge is planned row by row
(insert, update, or nothing) by one planner per kind of record, checked again against what the
database holds, and only then written with Core bulk inserts, level by level, in the one
transaction of the command (``write``). Import never deletes.

The planners share one :class:`~icrctl.services.importer.plan.Plan`:

- ``partners``: the partner directory and the partners linked to a case
- ``cases``: a case's own row, and the order of everything below
- ``members``: members and their relations
- ``history``: phase changes, stage changes, other case events
- ``checklist``: the phase-4 checklist
- ``evaluations``: series with their attendees, meetings with their attendance
- ``worklog``: contacts with their people, goals
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from icrctl.errors import ImportErrors
from icrctl.io.records import CaseFileRec
from icrctl.services import audit
from icrctl.services.context import Context
from icrctl.services.importer.cases import plan_case
from icrctl.services.importer.partners import Directory
from icrctl.services.importer.plan import ImportResult, Plan, load_existing
from icrctl.services.importer.write import write

__all__ = ["ImportResult", "import_records"]


def import_records(
    session: Session,
    ctx: Context,
    doc: CaseFileRec,
    name: str,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    before_write: Callable[[], None] | None = None,
) -> ImportResult:
    """Merge ``doc`` into the case file; nothing is written when any error is found.

    ``before_write`` runs once the merge is planned and found sound, just before the first
    write (the CLI makes its automatic backup there).
    """
    plan = Plan(ctx, name, load_existing(session, doc))
    directory = Directory(plan, doc)
    for p in doc.partners:
        directory.partner(p)
    for c in doc.cases:
        plan_case(plan, directory, c)
        if progress is not None:
            progress(1)
    if plan.errors:
        raise ImportErrors(plan.errors)
    plan.result.dry_run = dry_run
    if dry_run or not plan.result.changed:
        return plan.result
    if before_write is not None:
        before_write()
    write(session, plan)
    _audit(session, ctx, plan)
    return plan.result


def _audit(session: Session, ctx: Context, plan: Plan) -> None:
    """One entry per case the import created or changed, one for the directory."""
    for ref, tables in sorted(plan.touched.items()):
        action = "create" if ref in plan.result.cases_created else "update"
        audit.record(session, ctx, "import", "case", ref, [f"{action}:{t}" for t in tables])
    if plan.result.created["partners"] or plan.result.updated["partners"]:
        audit.record(session, ctx, "import", "partner", None, ["directory"])
