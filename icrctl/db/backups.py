"""Copies of the case file through SQLite itself: consistent while another process writes,
written under a temporary name with mode 0600, checked, then renamed into place."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icrctl.db import cipher, leftovers
from icrctl.db.engine import busy_timeout_ms, known_revisions
from icrctl.db.leftovers import AUTOMATIC, listing, remove_stale_copies
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
        con = cipher.connect(path, readonly=True)
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
        src = cipher.connect(source, readonly=True)
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
    name = re.compile(re.escape(case_file.name) + r"\.before-restore(?:[-._]\d[\w.:+-]*)?")
    return sorted(p for p in listing(case_file.parent) if name.fullmatch(p.name))


def checkpoint(case_file: Path) -> None:
    """Write the WAL into the file and empty it."""
    con = cipher.connect(case_file, isolation_level=None)
    try:
        con.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def restore(case_file: Path, backup: Path) -> Path:
    """Replace the case file with a checked backup; the replaced file is kept beside it.

    Returns the path of the kept file (``*.before-restore``).
    """
    problems = check(backup)
    if problems:
        raise CaseFileError(
            _("the backup failed its check, nothing was changed: {problems}").format(
                problems="; ".join(problems)
            )
        )
    folder = case_file.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = _private_temp(folder, case_file.name)
    try:
        copy(backup, tmp, force=True)
        kept = case_file.with_name(case_file.name + ".before-restore")
        if case_file.exists():
            with contextlib.suppress(*cipher.db_errors()):  # an unreadable file is kept as is
                checkpoint(case_file)
            os.replace(case_file, kept)
        for side in ("-wal", "-shm"):
            Path(str(case_file) + side).unlink(missing_ok=True)
        os.replace(tmp, case_file)
        follow(case_file)  # the audit log's anchor follows the restored file (db/seal.py)
        return kept
    finally:
        _release(tmp)


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
