"""Access logging (NEN 7513): who read which case's personal data, when, with which command.

With the setting ``audit_reads`` on (``icrctl config``; on by default in team mode, off in a
personal file), the commands that show a case's personal data write an access entry (action
``read``) through :func:`icrctl.services.audit.record`, in the same transaction as the read.
Documents, genograms, calendars and exports were logged before, whatever the setting (actions
``document`` and ``export``): they leave the case file. Together these are the *access* entries
``icrctl audit --access`` shows.

On SQLite a reading command then writes, so it runs as a writing transaction (``cli/state.py``,
``reading(logged=True)``). A case file that cannot be written (read-only media, a read-only open)
cannot log the access: the command is refused in one line and shows nothing, rather than showing
personal data unlogged. The way out is a copy on a writable disk, or switching ``audit_reads``
off where that is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from icrctl.db.engine import WRITE
from icrctl.errors import CaseFileError, WriteConflict
from icrctl.i18n import _
from icrctl.services import audit
from icrctl.services.config import reads_audited
from icrctl.services.context import Context
from icrctl.services.lookup import get_case

READ = "read"
"""The action of an access entry."""
ACCESS = (READ, "document", "export")
"""The actions that record an access rather than a change: ``audit --access`` shows these."""


def log_access(session: Session, ctx: Context, entity: str, refs: Iterable[str | None]) -> None:
    """One ``read`` entry per case in ``refs`` whose ``entity`` (case, member, contact, …) the
    command showed, when ``audit_reads`` is on."""
    if not reads_audited(session, ctx):
        return
    bind = session.get_bind()
    if bind.dialect.name == "sqlite" and not bind.get_execution_options().get(WRITE, False):
        # Switched on after this command looked: run it again, as a writing transaction.
        raise WriteConflict(_("audit_reads was switched on while this command ran; try again"))
    for ref in refs:
        audit.record(session, ctx, READ, entity, get_case(session, ref).ref if ref else None)
    try:
        session.flush()
    except (OperationalError, DatabaseError) as exc:
        if read_only(exc):
            raise cannot_log() from None
        raise


def read_only(exc: BaseException | None) -> bool:
    """Whether the database refused a write because it is read-only (SQLite's read-only file or
    open, PostgreSQL's read-only transaction or standby server)."""
    if exc is None:
        return False
    reason = str(getattr(exc, "orig", exc)).lower()
    state = str(getattr(getattr(exc, "orig", None), "sqlstate", None) or "")
    return "readonly" in reason or "read-only" in reason or state == "25006"


def cannot_log() -> CaseFileError:
    return CaseFileError(
        _(
            "the case file cannot be written, so this reading cannot be logged (audit_reads is "
            "on); nothing was shown. Use a copy on a writable disk"
        )
    )


def access_entries(
    session: Session, ref: str | None = None, since: dt.date | None = None
) -> list[audit.AuditRow]:
    """``audit --access``: the access entries only, oldest first."""
    return [row for row in audit.entries(session, ref, since) if row.action in ACCESS]
