"""audit log: a personal case file's chain and ref digests are keyed (HMAC) with the audit key

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 16:00:00

Until 0007 the chain was plain SHA-256: whoever could open the file could recompute it, and the
digest of a purged case's ref could be found by trying refs. From 0008 on, on SQLite, both are
HMAC-SHA256 under a key kept outside the case file (the OS keyring or a key file in the user's
config folder). The key cannot come from icrctl (a migration imports nothing from it): the runner
hands a function that returns it in ``config.attributes["audit_key"]``, asked only when the log
holds entries.

As 0002 did, the whole chain is checked first under 0002's formula; a chain that fails, or one
that is keyed already (its first entry does not start from the unkeyed genesis: the schema version
was set back outside icrctl), is refused with ``MigrationRefused`` and the file stays as it was.
Only an intact chain is sealed again: every digest keyed (a purged entry's, whose ref is gone,
from the old digest itself, as the application computes every digest), the first entry linked to
the key's own genesis, every hash an HMAC.

On PostgreSQL nothing changes: a team database's log is kept insert-only by the server, and a key
shared by the whole team would be no secret.

The downgrade checks the keyed chain (it needs the key too) and seals it again under 0002's
formula; a purged entry keeps its keyed digest, since its ref is gone.

Frozen: the table and the formulas below are this revision's own copies.
"""

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
ADVICE = (
    "Keep this file as evidence, and restore a backup from before the change with 'icrctl restore'"
)


class MigrationRefused(Exception):
    """The file cannot be migrated as it is; nothing was changed (see revision 0002)."""

    def __init__(self, reason: str, advice: str) -> None:
        super().__init__(f"{reason}. {advice}")
        self.reason = reason
        self.advice = advice


class Entry(NamedTuple):
    id: int
    at: Any
    user: str
    command: str
    action: str
    ref: str | None
    ref_digest: str | None
    entity: str
    fields: str | None
    prev_hash: str
    hash: str


def audit_log() -> sa.TableClause:
    names = ["user", "command", "action", "ref", "ref_digest", "entity", "fields", "prev_hash"]
    return sa.table(
        "audit_log",
        sa.column("id", sa.Integer()),
        sa.column("at", sa.String()),
        *(sa.column(name, sa.String()) for name in [*names, "hash"]),
    )


def iso(at: Any) -> str:
    when = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
    return when.isoformat()


def plain_digest(ref: str) -> str:
    return hashlib.sha256(ref.encode()).hexdigest()


def payload(prev_hash: str, e: Entry, ref_digest: str | None) -> str:
    values = [prev_hash, iso(e.at), e.user, e.command, e.action, ref_digest, e.entity, e.fields]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def hash_0002(prev_hash: str, e: Entry) -> str | None:
    """0002's formula, and None when the entry's ref, if still there, is not its digest's."""
    if e.ref is not None and plain_digest(e.ref) != e.ref_digest:
        return None
    return hashlib.sha256(payload(prev_hash, e, e.ref_digest).encode()).hexdigest()


def keyed(key: bytes, label: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under ``key``, with a label per use."""
    return hmac.new(key, f"{label}\n{value}".encode(), hashlib.sha256).hexdigest()


def refuse(problem: str) -> MigrationRefused:
    return MigrationRefused(f"the audit log was changed before the upgrade ({problem})", ADVICE)


def check_chain(rows: list[Entry]) -> None:
    prev = GENESIS
    for e in rows:
        if e.prev_hash != prev:
            if prev == GENESIS and e.id == rows[0].id:
                raise MigrationRefused(
                    "the audit log does not start as an unkeyed log does: it is sealed with a key "
                    "already (the schema version was set back outside icrctl), or its first "
                    "entry was removed",
                    ADVICE,
                )
            raise refuse(f"entry {e.id} does not follow the entry before it")
        try:
            expected = hash_0002(e.prev_hash, e)
        except ValueError as exc:
            raise refuse(f"entry {e.id} has a time that cannot be read: {e.at!r}") from exc
        if expected != e.hash:
            raise refuse(f"entry {e.id} was changed after it was written")
        prev = e.hash


def seal(rows: list[Entry], key: bytes) -> None:
    table = audit_log()
    prev = keyed(key, "genesis", "icrctl audit log")
    params: list[dict[str, Any]] = []
    for e in rows:
        digest = None if e.ref_digest is None else keyed(key, "ref", e.ref_digest)
        new = keyed(key, "chain", payload(prev, e, digest))
        params.append({"b_id": e.id, "ref_digest": digest, "prev_hash": prev, "hash": new})
        prev = new
    op.get_bind().execute(sa.update(table).where(table.c.id == sa.bindparam("b_id")), params)


def entries() -> list[Entry]:
    table = audit_log()
    return [
        Entry(**row._mapping)
        for row in op.get_bind().execute(sa.select(table).order_by(table.c.id))
    ]


def the_key() -> bytes:
    config = op.get_context().config
    get: Callable[[], bytes] | None = None if config is None else config.attributes.get("audit_key")
    if get is None:
        raise MigrationRefused(
            "the audit key is needed to seal the audit log", "Upgrade the file through icrctl"
        )
    return get()


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    rows = entries()
    if not rows:
        return
    check_chain(rows)
    seal(rows, the_key())


def check_keyed(rows: list[Entry], key: bytes) -> None:
    """The downgrade's check: every entry as this revision sealed it, under ``key``."""
    prev = keyed(key, "genesis", "icrctl audit log")
    for e in rows:
        digest_ok = e.ref is None or keyed(key, "ref", plain_digest(e.ref)) == e.ref_digest
        if e.prev_hash != prev:
            problem = f"entry {e.id} does not follow the entry before it"
        elif not digest_ok or keyed(key, "chain", payload(prev, e, e.ref_digest)) != e.hash:
            problem = f"entry {e.id} was changed after it was written"
        else:
            prev = e.hash
            continue
        raise MigrationRefused(
            f"the audit log was changed before the downgrade ({problem})", ADVICE
        )


def unseal(rows: list[Entry]) -> None:
    """Seal again under 0002's formula; a purged entry keeps its keyed digest (its ref is gone)."""
    table = audit_log()
    prev = GENESIS
    params: list[dict[str, Any]] = []
    for e in rows:
        digest = plain_digest(e.ref) if e.ref is not None else e.ref_digest
        new = hashlib.sha256(payload(prev, e, digest).encode()).hexdigest()
        params.append({"b_id": e.id, "ref_digest": digest, "prev_hash": prev, "hash": new})
        prev = new
    op.get_bind().execute(sa.update(table).where(table.c.id == sa.bindparam("b_id")), params)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    rows = entries()
    if not rows:
        return
    check_keyed(rows, the_key())
    unseal(rows)
