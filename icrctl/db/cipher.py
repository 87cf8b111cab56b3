"""An encrypted case file: SQLCipher 4 (the optional extra ``icrctl[encrypted]``).

What this module knows, and nothing else:

- **what a file is**, from its first 16 bytes and its size, without a key and without importing
  SQLCipher (:func:`kind`): a plain SQLite file starts with ``SQLite format 3\\0``; an encrypted
  one starts with its 16-byte random salt and is a whole number of pages; anything else (a text
  file, zeros, a truncated file) is neither, and is left to the plain engine to call unreadable.
  A plain case file therefore pays one 16-byte read, and never imports ``sqlcipher3``;
- **the key**: SQLCipher 4's own derivation (PBKDF2-HMAC-SHA512, 256,000 iterations, a 32-byte
  key, the file's salt), done here with :mod:`hashlib` so that the derived key can be handed to
  SQLCipher raw (``x'KEY SALT'``): SQLCipher then derives nothing, and a backup made with the same
  raw key and salt opens with the same passphrase (:class:`Key`);
- **connecting** with a key, checking it on the spot, so that a wrong passphrase is one line and
  never an empty new file (:func:`open_keyed`, :func:`connect`, :func:`install` for an engine);
- **converting** between a plain and an encrypted file with ``sqlcipher_export`` (:func:`export`),
  and **re-keying** (:func:`rekey`).

Where the passphrase comes from is :mod:`icrctl.db.passphrase`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from icrctl.errors import CaseFileError
from icrctl.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

#: The first 16 bytes of every plain SQLite database.
HEADER = b"SQLite format 3\x00"
SALT_SIZE = 16
KEY_SIZE = 32
#: SQLCipher 4's defaults, which icrctl does not change.
KDF_ITERATIONS = 256_000
KDF_HASH = "sha512"
#: The smallest page SQLite and SQLCipher write; every database is a whole number of pages.
MIN_PAGE = 512

Kind = Literal["new", "plain", "encrypted", "unknown"]


class WrongPassphrase(CaseFileError):
    """The key does not open the file: a wrong passphrase, or not a case file at all."""

    def __init__(self) -> None:
        super().__init__(_("wrong passphrase or not an icrctl case file"))


@dataclass(frozen=True)
class Key:
    """A derived SQLCipher key and the salt it was derived with (the file's first 16 bytes)."""

    raw: bytes
    salt: bytes

    def pragma(self) -> str:
        """The value of ``PRAGMA key`` / ``rekey`` / ``ATTACH … KEY``: a raw key with its salt,
        so SQLCipher runs no key derivation of its own."""
        return f"\"x'{self.raw.hex()}{self.salt.hex()}'\""

    def __repr__(self) -> str:  # never print the key, not even in a traceback
        return "Key(…)"


def derive(passphrase: str, salt: bytes) -> Key:
    """SQLCipher 4's key derivation (PBKDF2-HMAC-SHA512, 256,000 iterations)."""
    import hashlib

    raw = hashlib.pbkdf2_hmac(KDF_HASH, passphrase.encode(), salt, KDF_ITERATIONS, KEY_SIZE)
    return Key(raw, salt)


def new_salt() -> bytes:
    return os.urandom(SALT_SIZE)


def kind(path: Path) -> Kind:
    """What the file at ``path`` is, from its size and first 16 bytes (no key, no SQLCipher)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SALT_SIZE)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return "new"
    except OSError:
        return "unknown"  # the engine says why it cannot be used
    if size == 0:
        return "new"
    if head == HEADER:
        return "plain"
    if size % MIN_PAGE == 0 and len(set(head)) > 1 and not _looks_like_text(head):
        return "encrypted"
    return "unknown"


def _looks_like_text(head: bytes) -> bool:
    """A random salt is printable ASCII with a chance of about 1 in 10 million."""
    return all(32 <= b < 127 or b in (9, 10, 13) for b in head)


def salt_of(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SALT_SIZE)


def is_encrypted(path: Path) -> bool:
    return kind(path) == "encrypted"


def sqlcipher() -> Any:
    """The ``sqlcipher3`` module, or one line saying how to install it."""
    try:
        import sqlcipher3  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise CaseFileError(
            _(
                "this case file is encrypted and needs SQLCipher: pip install "
                "'icrctl[encrypted]'; nothing was changed"
            )
        ) from None
    return sqlcipher3.dbapi2


def db_errors() -> tuple[type[Exception], ...]:
    """The DB-API error classes of both drivers (``sqlcipher3`` only once it is loaded)."""
    import sqlite3

    loaded = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.Error,) if loaded is None else (sqlite3.Error, loaded.Error)


def open_keyed(connection: Any, key: Key) -> None:
    """Give a fresh SQLCipher connection its key and check it at once: a wrong key is
    :class:`WrongPassphrase` before anything is read or written."""
    connection.execute("PRAGMA cipher_log_level = NONE")  # no 'hmac check failed' on stderr
    connection.execute(f"PRAGMA key = {key.pragma()}")
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except db_errors():
        raise WrongPassphrase() from None


def connect_keyed(path: Path | str, key: Key, *, readonly: bool = False, **options: Any) -> Any:
    """A SQLCipher connection to ``path`` with ``key``, checked."""
    module = sqlcipher()
    connection = module.connect(_uri(Path(path), readonly), uri=True, **options)
    try:
        open_keyed(connection, key)
    except BaseException:
        connection.close()
        raise
    return connection


def _uri(path: Path, readonly: bool) -> str:
    """The file URI of ``path``: quoted (db/location.py), and for reading only with the options
    that also work on read-only media (db/readonly.py)."""
    from icrctl.db import readonly as media
    from icrctl.db.location import sqlite_uri

    return sqlite_uri(path, **(media.options(path) if readonly else {}))


def connect(
    path: Path,
    *,
    readonly: bool = False,
    like: Path | None = None,
    plain: bool = False,
    key: Key | None = None,
    **options: Any,
) -> Any:
    """A DB-API connection to ``path``: plain ``sqlite3`` for a plain file, SQLCipher with the
    file's key for an encrypted one. ``like``: a new file (a backup's temporary copy) is
    encrypted with the same key as ``like`` when that one is encrypted.

    ``plain`` or ``key``: the caller knows what the file is. It must say so for a file this
    process already has open through SQLite: reading the header here would open and close the
    file once more, and closing any descriptor of a file drops every POSIX lock the process holds
    on it, SQLite's own among them (another process could then take the file for unused and
    checkpoint or delete its WAL under the open connection)."""
    import sqlite3

    from icrctl.db import passphrase

    if key is not None:
        return connect_keyed(path, key, readonly=readonly, **options)
    if not plain:
        source = like if like is not None and kind(path) == "new" else path
        if kind(source) == "encrypted":
            return connect_keyed(path, passphrase.unlock(source), readonly=readonly, **options)
    return sqlite3.connect(_uri(path, readonly), uri=True, **options)


def known(path: Path) -> dict[str, Any]:
    """What :func:`connect` needs to open ``path`` again without reading its header: read it
    now, before this process holds SQLite locks on the file."""
    from icrctl.db import passphrase

    if kind(path) == "encrypted":
        return {"key": passphrase.unlock(path)}
    return {"plain": True}


def engine_options(key: Key | None) -> dict[str, Any]:
    """``create_engine`` options: SQLCipher's DB-API module for an encrypted file."""
    return {} if key is None else {"module": sqlcipher()}


def install(engine: Engine, key: Key) -> None:
    """Key every connection of ``engine`` before anything else runs on it."""
    from sqlalchemy import event

    def _key(dbapi_connection: Any, _record: Any) -> None:
        open_keyed(dbapi_connection, key)

    event.listen(engine, "connect", _key, insert=True)


def export(source: Any, target: Path, key: Key | None) -> dict[str, int]:
    """Write the whole database of the SQLCipher connection ``source`` (in autocommit mode)
    into the new file ``target``: encrypted with ``key``, or plain when ``key`` is None. Schema,
    rows and the ``user_version`` are copied in one read transaction of the source; returns the
    rows per table it copied, to check the copy against."""
    literal = "''" if key is None else key.pragma()
    quoted = str(target).replace("'", "''")
    source.execute(f"ATTACH DATABASE '{quoted}' AS converted KEY {literal}")
    try:
        version = source.execute("PRAGMA main.user_version").fetchone()[0]
        source.execute("BEGIN")
        counts = table_counts(source)
        source.execute("SELECT sqlcipher_export('converted')")
        source.execute(f"PRAGMA converted.user_version = {int(version)}")
        source.execute("COMMIT")
    finally:
        if source.in_transaction:
            source.execute("ROLLBACK")
        source.execute("DETACH DATABASE converted")
    return counts


def rekey(connection: Any, new: Key) -> None:
    """Re-encrypt every page of the open, keyed ``connection`` with ``new`` (same salt)."""
    connection.execute(f"PRAGMA rekey = {new.pragma()}")


def table_counts(connection: Any) -> dict[str, int]:
    """Rows per table, to compare a converted copy with its source."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    quoted = {name: name.replace('"', '""') for name in names}
    return {
        name: connection.execute(f'SELECT count(*) FROM main."{quoted[name]}"').fetchone()[0]
        for name in names
    }


def wipe(path: Path) -> None:
    """Overwrite a file with zeros, flush it to disk, then remove it. On an SSD or a
    copy-on-write file system the old blocks may survive elsewhere: this removes what the
    file system lets a program reach, which is why the case file itself is encrypted."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return
    try:
        wipe_open(fd)
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)


def wipe_open(fd: int) -> None:
    """Overwrite the open file ``fd`` with zeros, in place, and flush it to disk."""
    size = os.fstat(fd).st_size
    block = bytes(1 << 16)
    os.lseek(fd, 0, os.SEEK_SET)
    written = 0
    while written < size:
        written += os.write(fd, block[: min(len(block), size - written)])
    os.fsync(fd)
