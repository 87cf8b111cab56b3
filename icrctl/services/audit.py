"""The audit log (NEN 7513-style): who changed what and when, never the personal data itself.

Every entry carries the hash of the one before it, so that a changed or removed entry shows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import AuditEntry
from icrctl.services.context import Context, utc_now

GENESIS = "0" * 64


def entry_hash(entry: AuditEntry) -> str:
    payload = json.dumps(
        [
            entry.prev_hash,
            entry.at.isoformat(),
            entry.user,
            entry.command,
            entry.action,
            entry.ref,
            entry.entity,
            entry.fields,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    session: Session,
    ctx: Context,
    action: str,
    entity: str,
    ref: str | None = None,
    fields: Iterable[str] = (),
) -> None:
    """Append one entry: ``action`` (create, update, delete, …) on ``entity`` of case ``ref``."""
    session.flush()
    prev = session.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry = AuditEntry(
        at=utc_now(),
        user=ctx.user,
        command=ctx.command[:100],
        action=action,
        ref=ref,
        entity=entity,
        fields=",".join(sorted(set(fields))) or None,
        prev_hash=prev or GENESIS,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
