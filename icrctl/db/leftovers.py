"""Temporary copies of the case file that an interrupted command left behind.

A backup, a restore and an import's automatic backup write a full copy of the case file under a
temporary name (``.NAME.XXXXXXXX.tmp``, mode 0600) and rename it into place when it is checked. A
``kill -9``, a crash or a full disk in between leaves that copy: it holds everything the case
file held, including what ``member forget`` erases later. Each command's start removes the stale
copies of its case file (:func:`remove_stale_copies`), and so does every erasure.

A copy still being written is never taken for a stale one: its writer holds an exclusive
``flock`` on it until it is renamed or removed (``backups._private_temp``), and the kernel drops
that lock when the writer dies, however it dies. At start-up a copy must also be
:data:`STALE_AFTER` seconds old (a copy made by an older icrctl, which did not lock it, may still
be being written by it).

Cheap on purpose, since every command's start pays for it: no import beyond the standard
library's ``os``, ``re`` and ``fcntl``, one directory read of the case file's folder and one of its
backups folder (none when that does not exist), and a file is opened only when its name is a
temporary copy's of this very case file.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

FOLDER = "backups"
"""Where the automatic backups are, beside the case file (``backups.FOLDER``)."""

AUTOMATIC = r"-\d{8}T\d{12}-[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.db"
"""An automatic backup's name after the case file's stem: the time stamp of
``backups.automatic_backup`` and the reason (``before-import``, ``before-migration-0006``)."""

TEMP = r"\.[a-z0-9_]{8}\.tmp"
"""What :func:`tempfile.mkstemp` adds to a temporary copy's name: eight random characters."""

STALE_AFTER = 60.0
"""How old (seconds since its last change) a temporary copy must be before a command's start
removes it."""


def listing(folder: Path) -> list[Path]:
    """The entries of ``folder``; none when it does not exist (one directory read either way)."""
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries]
    except OSError:
        return []


def _dot_names(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return [e.name for e in entries if e.name.startswith(".")]
    except OSError:
        return []


def stale_copies(case_file: Path, *, older_than: float = 0.0) -> list[Path]:
    """The temporary copies of exactly this case file that nobody is writing: ``.case.db.…tmp``
    (and the nested ``..case.db.…tmp.…tmp`` a restore makes) beside it, and
    ``.case-STAMP-REASON.db.…tmp`` in its backups folder; not those of ``case-old.db``."""
    own = re.escape(case_file.name)
    automatic = re.escape(case_file.stem) + AUTOMATIC
    places = (
        (case_file.parent, re.compile(rf"\.{own}{TEMP}|\.\.{own}{TEMP}{TEMP}")),
        (case_file.parent / FOLDER, re.compile(rf"\.{automatic}{TEMP}")),
    )
    found = []
    for folder, pattern in places:
        for name in _dot_names(folder):
            if pattern.fullmatch(name) and _abandoned(folder / name, older_than):
                found.append(folder / name)
    return sorted(found)


def _abandoned(path: Path, older_than: float) -> bool:
    """Nobody holds the copy's lock, and it has not changed for ``older_than`` seconds."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return os.fstat(fd).st_mtime <= time.time() - older_than
    except OSError:  # locked: its writer is alive and still writing it
        return False
    finally:
        os.close(fd)


def remove_stale_copies(case_file: Path, *, older_than: float = STALE_AFTER) -> int:
    """Remove the stale temporary copies of ``case_file``; how many there were."""
    gone = stale_copies(case_file, older_than=older_than)
    for path in gone:
        path.unlink(missing_ok=True)
    return len(gone)
