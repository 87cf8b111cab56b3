"""The audit log (NEN 7513-style): who changed what and when, never the personal data itself.

Every entry carries the hash of the one before it, so that a changed or removed entry shows. The
chain covers a digest of the case ref rather than the ref, so that purging a case can blank its
ref from the log without breaking the chain.

In a personal SQLite case file both the hash and the digest are HMACs under the audit key, kept
outside the file (``icrctl/db/seal.py``), and the log's head is anchored outside the file after
every change. In a team database they stay plain SHA-256: the server keeps the log insert-only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from icrctl.db import seal
from icrctl.db.engine import CASE_FILE
from icrctl.db.models import AuditEntry
from icrctl.db.seal import GENESIS
from icrctl.domain.dates import day_start_utc
from icrctl.errors import CaseFileError
from icrctl.i18n import _
from icrctl.services.context import Context, utc_now

__all__ = ["GENESIS", "chain_hash", "digest", "entries", "entry_hash", "record"]

_LAST = "icrctl_audit_last_hash"
_KEY = "icrctl_audit_key"


def digest(ref: str | None, key: bytes | None = None) -> str | None:
    """The digest of a case ref the chain covers: SHA-256, and under ``key`` an HMAC of it (a
    purged case's ref cannot be found again by trying refs without the key)."""
    if ref is None:
        return None
    plain = hashlib.sha256(ref.encode()).hexdigest()
    return plain if key is None else seal.keyed(key, "ref", plain)


def chain_hash(
    prev_hash: str,
    at: dt.datetime,
    user: str,
    command: str,
    action: str,
    ref_digest: str | None,
    entity: str,
    fields: str | None,
    key: bytes | None = None,
) -> str:
    """An entry's hash: SHA-256 of the compact JSON list, or under ``key`` its HMAC."""
    payload = json.dumps(
        [prev_hash, at.isoformat(), user, command, action, ref_digest, entity, fields],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    if key is not None:
        return seal.keyed(key, "chain", payload)
    return hashlib.sha256(payload.encode()).hexdigest()


def entry_hash(e: AuditEntry, key: bytes | None = None) -> str:
    return chain_hash(
        e.prev_hash, e.at, e.user, e.command, e.action, e.ref_digest, e.entity, e.fields, key
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
    key: bytes | None = session.info.get(_KEY)
    entry = AuditEntry(
        at=utc_now(),
        user=ctx.user[:100],
        command=ctx.command[:100],
        action=action,
        ref=ref,
        ref_digest=digest(ref, key),
        entity=entity,
        fields=",".join(sorted(set(fields))) or None,
        prev_hash=prev,
    )
    entry.hash = entry_hash(entry, key)
    session.info[_LAST] = entry.hash
    head = session.info.get(seal.INFO_HEAD)
    if head is not None:  # SQLite, under the write lock: the id is the next, the head anchored
        entry.id = head.last_id + 1
        session.info[seal.INFO_HEAD] = seal.Head(entry.id, entry.hash)
    session.add(entry)


def _last_hash(session: Session) -> str:
    """The hash the next entry links to. On SQLite also the key, and whether this computer's
    anchor still holds (the engine moves it after the commit only then)."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(text("SELECT icrctl_audit_tip()")).scalar_one())
    key = seal.required_key()
    head = seal.head_of(session)
    first = seal.first_prev(session)
    if first is not None and first != seal.genesis(key):
        raise _not_sealed_here(first)
    anchor = seal.read_anchor(_case_file(session))
    session.info[seal.INFO_ANCHOR_OK] = anchor is None or seal.disagreement(session, anchor) is None
    session.info[seal.INFO_HEAD] = head
    session.info[_KEY] = key
    return head.last if head.last_id else seal.genesis(key)


def _case_file(session: Session) -> Path:
    """The SQLite case file the session writes (its resolved path, kept by the engine)."""
    path = session.info.get(CASE_FILE)
    if not isinstance(path, Path):
        raise CaseFileError(_("the audit log's anchor needs the case file's path"))
    return path


def _not_sealed_here(first: str) -> CaseFileError:
    if first == GENESIS:
        return CaseFileError(
            _(
                "the audit log of this case file is not sealed with the audit key: it was "
                "rewritten outside icrctl; nothing was changed. Run 'icrctl doctor', keep the "
                "file as evidence and restore a backup"
            )
        )
    return CaseFileError(
        _(
            "the audit log of this case file was sealed with another audit key (made on "
            "another computer or account?); nothing was changed. Copy that key file to {path} "
            "to go on"
        ).format(path=seal.key_file())
    )


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
        key = seal.audit_key(create=False) if session.get_bind().dialect.name == "sqlite" else None
        query = query.where(or_(AuditEntry.ref_digest == digest(ref, key), AuditEntry.ref == ref))
    if since is not None:
        # ``at`` is UTC; the day starts at midnight in Amsterdam, the practitioner's day.
        query = query.where(AuditEntry.at >= day_start_utc(since))
    return [
        AuditRow(e.at, e.user, e.action, e.ref, e.entity, e.fields, e.command)
        for e in session.scalars(query)
    ]


def reseal(session: Session, ctx: Context) -> int:
    """``audit --reseal``: seal a personal case file's log anew with this computer's key, when
    it was sealed with a key that is lost (a file from another computer whose key cannot be
    copied). The old HMACs cannot be checked without the old key, so only the links are; a log
    sealed with no key at all (rewritten), or with this computer's key already, is refused.
    Returns how many entries were sealed again; the reseal itself is logged after them."""
    from icrctl.errors import Conflict, InvalidValue

    if session.get_bind().dialect.name != "sqlite":
        raise InvalidValue(_("a team database's audit log is kept by the server, not sealed"))
    key = seal.required_key()
    rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    first = rows[0].prev_hash if rows else None
    if first is None or first == seal.genesis(key):
        raise Conflict(_("the audit log is sealed with this computer's key already"))
    if first == GENESIS:
        raise _not_sealed_here(first)
    _check_links(rows)
    anchor = seal.read_anchor(_case_file(session))
    problem = None if anchor is None else seal.disagreement(session, anchor)
    if problem is not None:  # this computer sealed it: a foreign seal is a rewrite
        raise Conflict(_("{problem}; nothing was changed").format(problem=problem))
    prev = seal.genesis(key)
    for entry in rows:
        if entry.ref is not None:
            entry.ref_digest = digest(entry.ref, key)
        entry.prev_hash = prev
        entry.hash = prev = entry_hash(entry, key)
    session.flush()
    record(session, ctx, "reseal", "audit_log", None, ["hash", "prev_hash", "ref_digest"])
    session.info[seal.INFO_ANCHOR_OK] = True  # the anchor, if any, named the old seal
    return len(rows)


def _check_links(rows: list[AuditEntry]) -> None:
    """Every entry links to the one before it (all that can be checked without the old key)."""
    from itertools import pairwise

    from icrctl.errors import Conflict

    for before, entry in pairwise(rows):
        if entry.prev_hash != before.hash:
            raise Conflict(
                _(
                    "audit entry {id} does not follow the one before it: the log was changed, "
                    "and sealing it again would hide that; nothing was changed"
                ).format(id=entry.id)
            )
