"""Copies of the case file through SQLite itself: consistent while another process writes,
written under a temporary name with mode 0600, checked, then renamed into place."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icrctl.db import cipher, leftovers, readonly
from icrctl.db.engine import busy_timeout_ms, known_revisions, read_only_error, translate
from icrctl.db.leftovers import AUTOMATIC, listing, remove_stale_copies
from icrctl.db.location import folders, refuse_open_folder, resolved
from icrctl.db.readonly import on_read_only_media
from icrctl.db.seal import follow
from icrctl.errors import CaseFileError, InvalidValue
from icrctl.i18n import _
from icrctl.io.files import cannot_write, refuse_existing

KEEP = 5
FOLDER = leftovers.FOLDER


#: The temporary copies being written by this process: each is held open with a lock (flock)
#: until it is renamed into place or removed, so that another icrctl never takes a copy still
#: being written for one left behind by a crash (:func:`stale_copies`).
_WRITING: dict[Path, int] = {}


def _private_temp(folder: Path, name: str) -> Path:
    import fcntl

    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.fchmod(fd, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _WRITING[Path(tmp)] = fd
    return Path(tmp)


def _release(tmp: Path) -> None:
    """Remove a temporary copy that was not renamed into place, and let go of its lock."""
    tmp.unlink(missing_ok=True)
    fd = _WRITING.pop(tmp, None)
    if fd is not None:
        os.close(fd)


def check(path: Path) -> list[str]:
    """Problems of a copy: SQLite's integrity check, and that it is an icrctl case file."""
    try:
        con = readonly.connect(path)
    except cipher.db_errors() as exc:
        return [_("cannot open {path}: {reason}").format(path=path, reason=exc)]
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        lines = [line for r in rows for line in str(r).splitlines() if line.strip()]
        integrity = _("integrity: {problem}")
        problems = [] if rows == ["ok"] else [integrity.format(problem=x) for x in lines[:5]]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables or "cases" not in tables:
            problems.append(_("{path} is not an icrctl case file").format(path=path))
            return problems
        version = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] not in known_revisions():
            found = None if version is None else version[0]
            problems.append(
                _("schema version {version!r} is unknown to this icrctl (a newer one?)").format(
                    version=found
                )
            )
        return problems + _foreign_objects(con, None if version is None else version[0])
    except cipher.db_errors() as exc:
        return [_("{path} is unreadable: {reason}").format(path=path, reason=exc)]
    finally:
        con.close()


def _foreign_objects(con: Any, version: str | None) -> list[str]:
    """A trigger, view, table or index icrctl did not create (db/schema.py), by name."""
    from icrctl.db.migrations import HEAD
    from icrctl.db.schema import MASTER, unknown

    found = unknown(con.execute(MASTER).fetchall(), current=version == HEAD)
    if not found:
        return []
    return [_("it holds {objects}, which icrctl did not create").format(objects=", ".join(found))]


def copy(source: Path, target: Path, *, force: bool = False) -> None:
    """Copy the case file ``source`` to ``target`` with SQLite's online backup; the copy of an
    encrypted file is encrypted with the same key (SQLCipher's backup between two keyed
    connections: no page is ever written in plain)."""
    target = target.expanduser()
    refuse_existing(target, force=force)
    if target.resolve() == source.resolve():
        raise InvalidValue(_("a backup cannot replace the case file itself"))
    try:
        tmp = _private_temp(target.parent, target.name)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    try:
        src = readonly.connect(source)
        dst = cipher.connect(tmp, like=source)
        try:
            src.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
        problems = check(tmp)
        if problems:
            raise CaseFileError(
                _("the copy failed its check: {problems}").format(problems="; ".join(problems))
            )
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except cipher.db_errors() as exc:
        raise CaseFileError(
            _("the backup of {path} failed: {reason}").format(path=source, reason=exc)
        ) from None
    except OSError as exc:
        raise cannot_write(target, exc) from None
    finally:
        _release(tmp)


def folder_of(case_file: Path) -> Path:
    return case_file.parent / FOLDER


def automatic_backup(
    case_file: Path, reason: str, now: dt.datetime | None = None, *, prune: bool = True
) -> Path:
    """A copy next to the case file before a migration or an import; the last few are kept.

    With ``prune=False`` the older copies stay until :func:`prune_automatic_backups`: a step that
    may still be refused (a migration) must not push good copies out for nothing.
    """
    folder = folder_of(case_file)
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{case_file.stem}-{stamp}-{reason}.db"
    copy(case_file, target)
    if prune:
        prune_automatic_backups(case_file)
    return target


def migration_backup(case_file: Path, revision: str) -> Path:
    """The automatic copy before upgrading ``case_file`` from ``revision``, kept (not pruned)
    until the upgrade is through. One per revision: a copy that an earlier, failed attempt at
    the same upgrade made of the same content is reused, so that attempts that fail again and
    again (a lock held, a full disk, a crash) do not push the good copies out one by one."""
    reason = f"before-migration-{revision}"
    made = automatic_backup(case_file, reason, prune=False)
    for earlier in automatic_backups(case_file):
        if earlier != made and earlier.name.endswith(f"-{reason}.db") and _same(earlier, made):
            made.unlink()
            return earlier
    return made


def _same(a: Path, b: Path) -> bool:
    """Whether two copies hold the same bytes (SQLite's backup copies the pages as they are)."""
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            block = fa.read(1 << 20)
            if block != fb.read(1 << 20):
                return False
            if not block:
                return True


def prune_automatic_backups(case_file: Path) -> None:
    """Keep the newest :data:`KEEP` automatic copies of ``case_file``."""
    for old in automatic_backups(case_file)[:-KEEP]:
        old.unlink(missing_ok=True)


def automatic_backups(case_file: Path) -> list[Path]:
    """The automatic copies of exactly this case file: those of ``case-old.db`` (``case-old-…``)
    are not ``case.db``'s, though their names start the same."""
    name = re.compile(re.escape(case_file.stem) + AUTOMATIC)
    return sorted(p for p in listing(folder_of(case_file)) if name.fullmatch(p.name))


def restore_points(case_file: Path) -> list[Path]:
    """What ``restore`` kept of this case file: ``case.db.before-restore`` and the time-stamped
    ``case.db.before-restore-20261125T101500`` (any stamp starting with a digit)."""
    target = case_file.expanduser().resolve()  # through a symlink: beside its target
    name = re.compile(re.escape(target.name) + r"\.before-restore(?:[-._]\d[\w.:+-]*)?")
    return sorted(p for p in listing(target.parent) if name.fullmatch(p.name))


def checkpoint(case_file: Path) -> None:
    """Write the WAL into the file and empty it."""
    con = cipher.connect(case_file, isolation_level=None)
    try:
        con.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


#: The restore point a restore keeps: the case file's name plus this. The newest is exactly
#: ``NAME.before-restore``; an older one is set aside as ``NAME.before-restore-STAMP``.
RESTORE_POINT = ".before-restore"
#: SQLite's result codes of ``sqlite3_backup_step``: progress made; the lock not had in time.
_STEPPED = 0
_WAITED = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


class _Unreadable(Exception):
    """The case file cannot be read as SQLite: it is kept as it is, not copied."""


def restore(case_file: Path, backup: Path) -> Path | None:
    """Put a checked backup in the case file's place; what the case file held is kept as a
    restore point. Returns the restore point, or None when there was no case file to keep.

    A symlink is followed: its target is restored and the link stays. The state is copied out
    and the backup written in within one SQLite write transaction, the lock every writer takes
    (``BEGIN IMMEDIATE``): a writer that had the lock first is in the restore point, one that
    waits for it writes after the restore, into the restored file. The file is never swapped
    under a connection, so no write goes into a file that is no longer the case file. Only an
    unreadable case file (not SQLite, damaged pages) is set aside as it is, with its WAL.
    """
    problems = check(backup)
    if problems:
        raise CaseFileError(
            _("the backup failed its check, nothing was changed: {problems}").format(
                problems="; ".join(problems)
            )
        )
    target = resolved(case_file)
    if on_read_only_media(target):
        raise read_only_error(str(case_file))
    for folder in folders(case_file, target):  # the link's and the target's (db/location.py)
        if folder.exists():
            refuse_open_folder(folder)
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        incoming = _private_temp(target.parent, target.name)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    try:
        copy(backup, incoming, force=True)
        kept = None
        if not _placed_new(incoming, target):
            try:
                kept = _write_in(target, incoming)
            except _Unreadable:
                kept = _set_aside_unreadable(target, incoming)
        follow(target)  # the audit log's anchor follows the restored file (db/seal.py)
        return kept
    except OSError as exc:
        raise cannot_write(target, exc) from None
    finally:
        _release(incoming)


def _placed_new(incoming: Path, target: Path) -> bool:
    """No case file yet: the copy becomes it, unless one appeared meanwhile (never replaced)."""
    if target.exists():
        return False
    try:
        os.link(incoming, target)
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links
        os.replace(incoming, target)
    return True


def _write_in(target: Path, incoming: Path) -> Path | None:
    """Copy ``incoming`` into the case file page by page through SQLite's backup, in one write
    transaction; once its lock is held (the first step), the current state is kept."""
    try:
        known = cipher.known(target)  # its header read now, before the lock (cipher.connect)
    except OSError:
        raise _Unreadable from None
    source = cipher.connect(incoming)
    try:
        dest = cipher.connect(target, isolation_level=None, **known)
    except cipher.db_errors():
        source.close()
        raise _Unreadable from None
    kept: list[Path | None] = []

    def keep_current(status: int, remaining: int, total: int) -> None:
        if kept:
            return
        if status in _WAITED:  # another writer kept the lock past the busy timeout
            raise sqlite3.OperationalError("database is locked")
        if status == _STEPPED and remaining > 0:  # the lock is held, nothing committed yet
            kept.append(_keep_restore_point(target, known))
        # else SQLite's own error follows (an unreadable file)

    try:
        dest.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        # In WAL mode the backup's write transaction leaves readers be, the copy-out's too; a
        # file put in place by hand may still be in rollback mode, where it would shut them out.
        dest.execute("PRAGMA journal_mode = WAL")
        _match_page_size(source, dest)
        source.backup(dest, pages=1, progress=keep_current)
        with contextlib.suppress(*cipher.db_errors()):  # others may read: the WAL empties later
            dest.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return kept[0] if kept else None
    except cipher.db_errors() as exc:
        point = kept[0] if kept else None
        if point is not None:  # the case file is as it was: the copy only repeats it
            point.unlink(missing_ok=True)
        if _damaged(exc):
            raise _Unreadable from None
        raise translate(exc, str(target)) from None
    finally:
        dest.close()
        source.close()


def _match_page_size(source: Any, dest: Any) -> None:
    """SQLite's backup cannot change a WAL file's page size: the copy is rebuilt with the case
    file's instead (a backup from a machine whose SQLite chose another)."""
    wanted = dest.execute("PRAGMA page_size").fetchone()[0]
    if source.execute("PRAGMA page_size").fetchone()[0] != wanted:
        source.execute(f"PRAGMA page_size = {int(wanted)}")
        source.execute("VACUUM")


def _damaged(exc: Exception) -> bool:
    message = str(exc)
    return "not a database" in message or "malformed" in message


def _keep_restore_point(target: Path, known: dict[str, Any]) -> Path | None:
    """Copy the case file's committed state (the caller holds the write lock) to its restore
    point, an earlier one set aside. None for an empty file: nothing to keep."""
    if target.stat().st_size == 0:
        return None
    tmp = _private_temp(target.parent, target.name)
    try:
        src = readonly.connect(target, **known)
        dst = cipher.connect(tmp, **known)
        try:
            src.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            src.backup(dst, progress=_giving_up_when_busy())
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
        _fsync(tmp)
        point = _fresh_restore_point(target)
        os.replace(tmp, point)
        _fsync(target.parent)
        return point
    finally:
        _release(tmp)


def _giving_up_when_busy() -> Callable[[int, int, int], None]:
    """A progress callback for SQLite's backup, which otherwise retries a busy source forever:
    it gives up once the busy timeout has passed."""
    deadline = time.monotonic() + busy_timeout_ms() / 1000

    def progress(status: int, remaining: int, total: int) -> None:
        if status in _WAITED and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    return progress


def _set_aside_unreadable(target: Path, incoming: Path) -> Path:
    """An unreadable case file is kept as it is (with its WAL); the copy takes its name. No
    writer can use such a file, so there is nothing to wait for."""
    with contextlib.suppress(*cipher.db_errors()):
        checkpoint(target)
    point = _fresh_restore_point(target)
    os.replace(target, point)
    wal = _side(target, "-wal")
    if wal.exists():
        os.replace(wal, _side(point, "-wal"))
    _side(target, "-shm").unlink(missing_ok=True)
    os.replace(incoming, target)
    return point


def _fresh_restore_point(target: Path) -> Path:
    """``NAME.before-restore``, free: a restore point already there is set aside under the
    time it was made (``NAME.before-restore-20261125T101530123456``), never overwritten."""
    point = target.with_name(target.name + RESTORE_POINT)
    if not point.exists():
        return point
    made = dt.datetime.fromtimestamp(point.stat().st_mtime).strftime("%Y%m%dT%H%M%S%f")
    aside = point.with_name(f"{point.name}-{made}")
    n = 1
    while aside.exists() or _side(aside, "-wal").exists():
        aside = point.with_name(f"{point.name}-{made}-{n}")
        n += 1
    wal = _side(point, "-wal")
    os.replace(point, aside)
    if wal.exists():
        os.replace(wal, _side(aside, "-wal"))
    return point


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def compact(case_file: Path) -> bool:
    """After an erasure: overwrite freed pages, rebuild the file, empty the WAL.

    Returns False when another connection kept the WAL from being written back and emptied
    (an open read transaction elsewhere): the old pages then stay until that one closes.
    """
    con = cipher.connect(case_file, isolation_level=None)
    try:
        con.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        con.execute("PRAGMA secure_delete = ON")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("VACUUM")
        busy = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        return not busy
    except cipher.db_errors():
        return False
    finally:
        con.close()


@dataclass
class Erased:
    """The copies of the case file that an erasure removed (``CaseFile.compact``)."""

    backups: int = 0
    restore_points: int = 0
    temporary: int = 0


def erase_copies(case_file: Path, restore_points: list[Path]) -> Erased:
    """After an erasure: remove the automatic backups, the given restore points (which the user
    agreed to lose) and every stale temporary copy of ``case_file``: they all hold the data."""
    old = automatic_backups(case_file)
    for path in [*old, *restore_points]:
        path.unlink(missing_ok=True)
    return Erased(len(old), len(restore_points), remove_stale_copies(case_file, older_than=0))
