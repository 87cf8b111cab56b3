"""The audit log (NEN 7513-style): who changed what and when, never the personal data itself.

Every entry carries the hash of the one before it, so that a changed or removed entry shows. The
chain covers a digest of the case ref rather than the ref, so that purging a case can blank its
ref from the log without breaking the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from icrctl.db.models import AuditEntry
from icrctl.domain.dates import day_start_utc
from icrctl.services.context import Context, utc_now

GENESIS = "0" * 64
_LAST = "icrctl_audit_last_hash"


def digest(ref: str | None) -> str | None:
    return None if ref is None else hashlib.sha256(ref.encode()).hexdigest()


def chain_hash(
    prev_hash: str,
    at: dt.datetime,
    user: str,
    command: str,
    action: str,
    ref_digest: str | None,
    entity: str,
    fields: str | None,
) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(), user, command, action, ref_digest, entity, fields],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def entry_hash(e: AuditEntry) -> str:
    return chain_hash(
        e.prev_hash, e.at, e.user, e.command, e.action, e.ref_digest, e.entity, e.fields
    )


def record(
    session: Session,
    ctx: Context,
    action: str,
    entity: str,
    ref: str | None = None,
    fields: Iterable[str] = (),
) -> None:
    """Append one entry: ``action`` (create, update, delete, …) on ``entity`` of case ``ref``.

    The last hash is read once per unit of work. On SQLite the writing transaction (``BEGIN
    IMMEDIATE``) keeps anyone else from appending in between; on PostgreSQL the server's
    ``icrctl_audit_tip()`` returns it and locks the tip until the transaction ends (a
    practitioner in team mode may append to the log but not read it).
    """
    prev = session.info.get(_LAST)
    if prev is None:
        prev = _last_hash(session)
    entry = AuditEntry(
        at=utc_now(),
        user=ctx.user[:100],
        command=ctx.command[:100],
        action=action,
        ref=ref,
        ref_digest=digest(ref),
        entity=entity,
        fields=",".join(sorted(set(fields))) or None,
        prev_hash=prev,
    )
    entry.hash = entry_hash(entry)
    session.info[_LAST] = entry.hash
    session.add(entry)


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(text("SELECT icrctl_audit_tip()")).scalar_one())
    last = session.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return last.first() or GENESIS


@dataclass
class AuditRow:
    at: dt.datetime
    user: str
    action: str
    ref: str | None
    entity: str
    fields: str | None
    command: str


def entries(
    session: Session, ref: str | None = None, since: dt.date | None = None
) -> list[AuditRow]:
    """``audit``: oldest first."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if ref is not None:
        query = query.where(AuditEntry.ref_digest == digest(ref))
    if since is not None:
        # ``at`` is UTC; the day starts at midnight in Amsterdam, the practitioner's day.
        query = query.where(AuditEntry.at >= day_start_utc(since))
    return [
        AuditRow(e.at, e.user, e.action, e.ref, e.entity, e.fields, e.command)
        for e in session.scalars(query)
    ]
