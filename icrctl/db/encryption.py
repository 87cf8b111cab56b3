"""Encrypting a plain case file in place, decrypting a copy, changing the passphrase.

``encrypt``: under the case file's write lock (so no other icrctl writes meanwhile),
``sqlcipher_export`` writes an encrypted copy into a private temporary file beside it; the copy
is checked (SQLite's integrity check, SQLCipher's check of every page, the same rows in every
table) and only then renamed over the case file, atomically. Until that rename the plain file is
untouched: a crash or ``kill -9`` at any earlier moment leaves it as it was, and the half-made
copy (encrypted, so harmless) is removed by the next ``encrypt``. After the rename the plain
file's old contents and its WAL are overwritten with zeros, and so are its plain automatic
backups and restore points (:func:`plain_copies`).

``ICRCTL_ENCRYPT_PAUSE=SECONDS`` makes ``encrypt`` stop that long once the copy is checked and
before the rename, printing ``encrypt: paused`` on stderr: the tests kill it there.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from icrctl.db import backups, cipher
from icrctl.db.cipher import Key
from icrctl.db.engine import busy_timeout_ms
from icrctl.db.location import sqlite_uri
from icrctl.errors import CaseFileError
from icrctl.i18n import _

PAUSE_VAR = "ICRCTL_ENCRYPT_PAUSE"
TEMP_PART = ".encrypt-"


def plain_copies(case_file: Path) -> list[Path]:
    """The plain copies icrctl itself made of the case file: automatic backups and restore
    points (``*.before-restore*``). Copies the user made elsewhere are theirs to remove."""
    found = backups.automatic_backups(case_file)
    found += sorted(case_file.parent.glob(f"{case_file.name}.before-restore*"))
    return [p for p in found if p.is_file() and cipher.kind(p) == "plain"]


def encrypt(case_file: Path, key: Key) -> None:
    """Replace the plain ``case_file`` by an encrypted copy under ``key`` (see the module)."""
    case_file = case_file.resolve()  # a link stays a link: the file it names is replaced
    for stale in case_file.parent.glob(f".{case_file.name}{TEMP_PART}*.tmp"):
        stale.unlink(missing_ok=True)  # an earlier, interrupted encrypt: encrypted, no secret
    fd, name = tempfile.mkstemp(
        prefix=f".{case_file.name}{TEMP_PART}", suffix=".tmp", dir=case_file.parent
    )
    os.fchmod(fd, 0o600)
    os.close(fd)
    tmp = Path(name)
    lock = sqlite3.connect(sqlite_uri(case_file), uri=True, isolation_level=None)
    try:
        lock.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        lock.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        lock.execute("BEGIN IMMEDIATE")  # held until the encrypted file is in place
        _write_encrypted(case_file, tmp, key)
        _pause()
        old = os.open(case_file, os.O_RDWR)
    except cipher.db_errors() as exc:
        lock.close()
        tmp.unlink(missing_ok=True)
        raise CaseFileError(
            _("encrypting {path} failed, the file is unchanged: {reason}").format(
                path=case_file, reason=exc
            )
        ) from None
    except BaseException:
        lock.close()
        tmp.unlink(missing_ok=True)
        raise
    _swap(case_file, tmp, old, lock)


def _swap(case_file: Path, tmp: Path, old: int, lock: sqlite3.Connection) -> None:
    """Rename the checked copy over the case file, then overwrite what the plain file held: its
    old contents (still open as ``old``) and its WAL, before the lock's connection goes."""
    try:
        os.replace(tmp, case_file)
        _wipe_in_place(Path(f"{case_file}-wal"))
        with contextlib.suppress(sqlite3.Error):
            lock.execute("ROLLBACK")
        lock.close()  # the last connection to the old file: SQLite removes its WAL and index
        cipher.wipe_open(old)
    finally:
        os.close(old)
        lock.close()


def _write_encrypted(case_file: Path, tmp: Path, key: Key) -> None:
    source = cipher.sqlcipher().connect(
        case_file.resolve().as_uri(), uri=True, isolation_level=None
    )
    try:
        source.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        counts = cipher.export(source, tmp, key)
    finally:
        source.close()
    verify(tmp, key, counts)


def verify(path: Path, key: Key | None, counts: dict[str, int]) -> None:
    """The converted copy at ``path`` is sound and holds the same rows as its source."""
    con: Any = (
        cipher.connect_keyed(path, key)
        if key is not None
        else sqlite3.connect(sqlite_uri(path), uri=True)
    )
    try:
        problems = [r[0] for r in con.execute("PRAGMA integrity_check")] != ["ok"]
        if key is not None:
            problems = problems or bool(con.execute("PRAGMA cipher_integrity_check").fetchall())
        if problems or cipher.table_counts(con) != counts:
            raise CaseFileError(
                _("the converted copy failed its check; the case file is unchanged")
            )
    finally:
        con.close()


def _pause() -> None:
    seconds = os.environ.get(PAUSE_VAR, "")
    if seconds.isdigit():
        print("encrypt: paused", file=sys.stderr, flush=True)
        time.sleep(int(seconds))


def _wipe_in_place(path: Path) -> None:
    """Overwrite a file that SQLite will remove itself (the old WAL)."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return
    try:
        cipher.wipe_open(fd)
    finally:
        os.close(fd)


def decrypt(case_file: Path, out: Path, key: Key) -> None:
    """A plain, checked copy of the encrypted ``case_file`` at ``out`` (mode 0600)."""
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.fchmod(fd, 0o600)
    os.close(fd)
    tmp = Path(name)
    try:
        source = cipher.connect_keyed(case_file, key, isolation_level=None)
        try:
            source.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            counts = cipher.export(source, tmp, None)
        finally:
            source.close()
        verify(tmp, None, counts)
        os.replace(tmp, out)
    except cipher.db_errors() as exc:
        raise CaseFileError(
            _("decrypting {path} failed: {reason}").format(path=case_file, reason=exc)
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def change_key(case_file: Path, old: Key, new: Key) -> None:
    """Re-encrypt every page of ``case_file`` with ``new``, then empty the WAL."""
    con = cipher.connect_keyed(case_file, old, isolation_level=None)
    try:
        con.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        cipher.rekey(con, new)
        with contextlib.suppress(*cipher.db_errors()):
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except cipher.db_errors() as exc:
        raise CaseFileError(
            _("changing the passphrase failed, the old one still opens the file: {reason}").format(
                reason=exc
            )
        ) from None
    finally:
        con.close()
