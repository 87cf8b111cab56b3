"""Reading a case file that cannot be written: a read-only mount (a write-protected USB stick, a
snapshot, a DVD), or a file and folder whose modes forbid this user to write.

SQLite in WAL mode needs its ``-shm`` file even to read, and makes it beside the case file: where
that cannot be done, an ordinary read-only open fails ("unable to open database file"). On such
media the file cannot change under us, so SQLite is told so (``immutable=1``: no locks, no
``-shm``). A WAL with committed changes beside it is the exception: ``immutable`` would ignore
it and show an older state, so then the ordinary read-only open is used (it works when the
``-shm`` is there too) and its failure is an error, never a silently older case file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def on_read_only_media(path: Path) -> bool:
    """Whether SQLite cannot write the existing case file or make its side files beside it.

    ``os.access`` asks the kernel, which answers for this user: a read-only mount refuses even
    root, modes refuse anyone else."""
    if not path.exists():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _waiting_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def options(path: Path) -> dict[str, str]:
    """The URI options that open ``path`` for reading only (see above)."""
    if on_read_only_media(path) and not _waiting_wal(path):
        return {"immutable": "1"}
    return {"mode": "ro"}


def reading_uri(path: Path) -> str:
    """An SQLite URI that opens ``path`` for reading only (db/location.py: the path quoted, so
    that ``?`` and ``%`` in a name stay part of the name)."""
    from icrctl.db.location import sqlite_uri

    return sqlite_uri(path.expanduser(), **options(path))


def connect(
    path: Path, *, timeout: float = 5.0, check_same_thread: bool = True, **known: Any
) -> Any:
    """A read-only connection to ``path`` (see :func:`reading_uri`); SQLCipher's, with the
    file's key, for an encrypted one (db/cipher.py; ``known``: its ``plain`` or ``key``, for a
    file this process has open already)."""
    from icrctl.db import cipher

    return cipher.connect(
        path.expanduser(),
        readonly=True,
        timeout=timeout,
        check_same_thread=check_same_thread,
        **known,
    )
