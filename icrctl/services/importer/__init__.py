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
- ``indicators``: the scores of the ICR study's indicators
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.rows import TABLES
from icrctl.errors import ImportErrors
from icrctl.io.records import CaseFileRec
from icrctl.services import audit
from icrctl.services.context import Context
from icrctl.services.importer.cases import plan_case
from icrctl.services.importer.partners import Directory
from icrctl.services.importer.plan import ImportResult, Plan, load_existing
from icrctl.services.importer.write import write

if TYPE_CHECKING:
    from icrctl.db.engine import CaseFile

__all__ = ["ImportResult", "backup_before_import", "import_records"]


def import_records(
    session: Session,
    ctx: Context,
    doc: CaseFileRec,
    name: str,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    backup: Callable[[], object] | None = None,
    keep_directory: bool = False,
) -> ImportResult:
    """Merge ``doc`` into the case file; nothing is written when any error is found.

    ``backup`` takes a copy of the case file (see :func:`backup_before_import`). It is called
    once the merge is planned, found sound and changes something, just before the first write,
    and only when the case file already held cases: an import into an empty case file loses
    nothing when it goes wrong. With ``keep_directory`` a partner the directory holds keeps its
    entry (``team migrate``: the team's directory is not a personal file's to change).
    """
    plan = Plan(ctx, name, load_existing(session, doc, bool(ctx.team)), keep_directory)
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
    if backup is not None and _holds_cases(session):
        backup()
    write(session, plan)
    _audit(session, ctx, plan)
    return plan.result


def _holds_cases(session: Session) -> bool:
    """Whether the case file holds any case. Asked before the import's first write, so the
    answer is about the case file as it was (the transaction has only read so far)."""
    return session.execute(select(TABLES["cases"].c.id).limit(1)).first() is not None


def backup_before_import(case_file: CaseFile) -> Callable[[], None]:
    """What ``import_records`` calls to back up: an automatic copy next to an SQLite case file."""

    def take() -> None:
        if case_file.is_sqlite and case_file.path is not None:
            from icrctl.db.backups import automatic_backup

            automatic_backup(case_file.path, "before-import")

    return take


def _audit(session: Session, ctx: Context, plan: Plan) -> None:
    """One entry per case the import created or changed, one for the directory."""
    for ref, tables in sorted(plan.touched.items()):
        action = "create" if ref in plan.result.cases_created else "update"
        audit.record(session, ctx, "import", "case", ref, [f"{action}:{t}" for t in tables])
    if plan.result.created["partners"] or plan.result.updated["partners"]:
        audit.record(session, ctx, "import", "partner", None, ["directory"])
