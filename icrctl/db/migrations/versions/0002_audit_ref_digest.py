"""audit log: the chain covers a digest of the case ref, so a purge can blank the ref

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 20:10:00

Before anything changes, the whole chain is checked under the formula 0001 wrote it with. A chain
that fails (an entry edited, removed or reordered) is refused with ``MigrationRefused`` and the file
stays as it was: sealing it again would make tampering from before the upgrade invisible. Only an
intact chain gets its digests and is sealed again under 0002's formula. The downgrade does the
same the other way round.

Frozen: the table and both formulas below are this revision's own copies, as they were when it was
written. Nothing is imported from icrctl, so later models or a later ``icrctl.services.audit``
cannot change what this migration does to a file that is still at 0001.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
ADVICE = (
    "Keep this file as evidence, and restore a backup from before the change with 'icrctl restore'"
)


class MigrationRefused(Exception):
    """The file cannot be migrated as it is; nothing was changed.

    ``icrctl.db.migrate`` knows this class by its name (a migration imports nothing from icrctl)
    and turns it into one line for the user: ``reason`` is what is wrong, ``advice`` what to do.
    """

    def __init__(self, reason: str, advice: str) -> None:
        super().__init__(f"{reason}. {advice}")
        self.reason = reason
        self.advice = advice


class Entry(NamedTuple):
    """One entry of the audit log, as this revision reads it."""

    id: int
    at: Any
    user: str
    command: str
    action: str
    ref: str | None
    entity: str
    fields: str | None
    prev_hash: str
    hash: str
    ref_digest: str | None = None


def audit_log(*extra: str) -> sa.TableClause:
    """The audit log as this revision knows it, with just the columns it reads or writes.

    ``at`` is read as it is stored (on SQLite the text SQLAlchemy wrote), then parsed here.
    """
    names = ["user", "command", "action", "ref", "entity", "fields", "prev_hash", "hash", *extra]
    return sa.table(
        "audit_log",
        sa.column("id", sa.Integer()),
        sa.column("at", sa.String()),
        *(sa.column(name, sa.String()) for name in names),
    )


def iso(at: Any) -> str:
    """``at`` as both formulas hash it: the naive UTC datetime's ``isoformat()``."""
    when = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
    return when.isoformat()


def digest(ref: str | None) -> str | None:
    return None if ref is None else hashlib.sha256(ref.encode()).hexdigest()


def _sha256_json(values: list[Any]) -> str:
    payload = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def hash_0001(prev_hash: str, e: Entry) -> str:
    """The chain formula of revision 0001, over the ref itself.

    As ``icrctl.services.audit.entry_hash`` computed it while 0001 was the newest revision (from
    commit 3904abf until d27b1b6): SHA-256 of the compact JSON list, non-ASCII kept as it is, the
    first entry's ``prev_hash`` :data:`GENESIS`, every other entry's the stored hash of the entry
    before it (by id). 0001 kept no separate record of the last hash.
    """
    return _sha256_json(
        [prev_hash, iso(e.at), e.user, e.command, e.action, e.ref, e.entity, e.fields]
    )


def hash_0002(prev_hash: str, e: Entry) -> str:
    """The chain formula of revision 0002: the same, over the digest of the ref."""
    return _sha256_json(
        [prev_hash, iso(e.at), e.user, e.command, e.action, e.ref_digest, e.entity, e.fields]
    )


def hash_0002_checked(prev_hash: str, e: Entry) -> str | None:
    """0002's formula; None (no hash at all) when the entry's ref, if it is still there, is not
    the one its digest was made of."""
    if e.ref is not None and digest(e.ref) != e.ref_digest:
        return None
    return hash_0002(prev_hash, e)


def entries(table: sa.TableClause) -> list[Entry]:
    rows = op.get_bind().execute(sa.select(table).order_by(table.c.id))
    return [Entry(**row._mapping) for row in rows]


def refuse(step: str, problem: str) -> MigrationRefused:
    return MigrationRefused(f"the audit log was changed before the {step} ({problem})", ADVICE)


def check_chain(rows: list[Entry], formula: Callable[[str, Entry], str | None], step: str) -> None:
    """Refuse unless every entry links to the one before it and matches its own hash."""
    prev = GENESIS
    for e in rows:
        if e.prev_hash != prev:
            if prev == GENESIS:
                problem = "does not follow the start of the log: an entry before it was removed"
            else:
                problem = (
                    "does not follow the entry before it: an entry was removed, or the one "
                    "before it changed"
                )
            raise refuse(step, f"entry {e.id} {problem}")
        try:
            expected = formula(e.prev_hash, e)
        except ValueError as exc:
            raise refuse(step, f"entry {e.id} has a time that cannot be read: {e.at!r}") from exc
        if expected != e.hash:
            raise refuse(step, f"entry {e.id} was changed after it was written")
        prev = e.hash


def seal(rows: list[Entry], formula: Callable[[str, Entry], str], digests: bool) -> None:
    """Hash the chain again, oldest first: every entry gets a new ``prev_hash`` and ``hash``,
    and with ``digests`` the digest of its ref."""
    table = audit_log("ref_digest") if digests else audit_log()
    prev = GENESIS
    params: list[dict[str, Any]] = []
    for e in rows:
        entry = e._replace(ref_digest=digest(e.ref)) if digests else e
        new = formula(prev, entry)
        values: dict[str, Any] = {"b_id": entry.id, "prev_hash": prev, "hash": new}
        if digests:
            values["ref_digest"] = entry.ref_digest
        params.append(values)
        prev = new
    if params:
        op.get_bind().execute(sa.update(table).where(table.c.id == sa.bindparam("b_id")), params)


def upgrade() -> None:
    # Checked first: on SQLite the batch below copies the table, and nothing may change before
    # the chain is known to be intact.
    rows = entries(audit_log())
    check_chain(rows, hash_0001, "upgrade")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref_digest", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)
    seal(rows, hash_0002, digests=True)


def downgrade() -> None:
    rows = entries(audit_log("ref_digest"))
    check_chain(rows, hash_0002_checked, "downgrade")
    seal(rows, hash_0001, digests=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_at")
        batch_op.drop_column("ref_digest")
