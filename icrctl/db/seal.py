"""The audit log's anchor outside the case file: the audit key and, per case file, its head.

A personal SQLite case file's audit chain is an HMAC under a key that is not in the file (the
OS keyring through the optional ``keyring`` package, else ``audit.key``, mode 0600, in the user's
config folder), so whoever can open the file cannot recompute it. The head of the log (how many
entries, the last one's hash) is kept in the same config folder after every change
(``anchors/NAME.json``, one per case file by its resolved path), so that removing the newest
entries, or putting an older copy in place outside ``icrctl restore``, shows. The head is the
newest entry's id and hash: checking it costs one lookup by primary key, however long the log.

In a team database on PostgreSQL none of this applies: the server keeps the log insert-only, and
one key shared by every practitioner would be no secret (docs/architecture.md, "The audit log").

``$ICRCTL_CONFIG_DIR`` moves the config folder (tests use a temporary one); ``$ICRCTL_KEYRING``
set to ``off`` keeps the keyring out (tests never touch a real keyring).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icrctl.errors import CaseFileError
from icrctl.i18n import _

#: The ``prev_hash`` of the first entry of an unkeyed chain (revisions 0001 to 0007, and a team
#: database). A keyed chain starts from :func:`genesis` instead, which names its key.
GENESIS = "0" * 64
#: The revision from which a personal case file's chain is keyed (migration 0008).
KEYED_REVISION = "0008"
CONFIG_VAR = "ICRCTL_CONFIG_DIR"
KEYRING_VAR = "ICRCTL_KEYRING"
KEY_FILE = "audit.key"
ANCHORS = "anchors"
#: The keyring entry: service and user name.
KEYRING_SERVICE = "icrctl"
KEYRING_USER = "audit-key"

#: What a writing session tells the engine (``session.info``): the log's head after its entries,
#: and whether this computer's anchor held when the session began (else it is not moved).
INFO_HEAD = "icrctl_audit_head"
INFO_ANCHOR_OK = "icrctl_audit_anchor_ok"

_cache: dict[str, bytes] = {}


def config_folder() -> Path:
    """``$ICRCTL_CONFIG_DIR``, else the platform's config folder for icrctl (platformdirs').

    Every command on an SQLite case file reads its anchor here, so on Linux the XDG rule that
    platformdirs applies there is followed without importing it (a test holds the two equal)."""
    chosen = os.environ.get(CONFIG_VAR, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    if sys.platform == "linux" and "ANDROID_DATA" not in os.environ:
        xdg = os.environ.get("XDG_CONFIG_HOME", "").strip()
        return Path(xdg or os.path.expanduser("~/.config")) / "icrctl"
    from platformdirs import user_config_dir

    return Path(user_config_dir("icrctl", appauthor=False))


def key_file() -> Path:
    return config_folder() / KEY_FILE


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)


def _read_key_file(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeError) as exc:
        raise _unusable(path, str(exc)) from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 32:
        raise _unusable(path, _("it holds no key"))
    if path.stat().st_mode & 0o077:  # others could read it: theirs no longer
        path.chmod(0o600)
    return key


def _unusable(path: Path, reason: str) -> CaseFileError:
    return CaseFileError(
        _("the audit key {path} cannot be used ({reason}); nothing was changed").format(
            path=path, reason=reason
        )
    )


def _keyring() -> Any | None:
    """The keyring module when one of its real backends works here; None otherwise (not
    installed, switched off, or only its fail/null backend)."""
    if os.environ.get(KEYRING_VAR, "").strip().lower() in ("off", "0", "no"):
        return None
    try:
        import keyring
    except Exception:  # not installed, or broken: the key file does
        return None
    try:
        backend = keyring.get_keyring()
        if float(getattr(backend, "priority", 0)) <= 0:
            return None
    except Exception:
        return None
    return keyring


def _from_keyring(ring: Any) -> bytes | None:
    try:
        stored = ring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception:
        return None
    try:
        return bytes.fromhex(stored) if stored else None
    except ValueError:
        return None


def audit_key(*, create: bool = True) -> bytes | None:
    """The audit key: the key file if there is one, else the keyring's. Without either it is
    made (``create``): in the keyring when one works, else in a new key file (0600). Read once
    per process."""
    folder = config_folder()
    cached = _cache.get(str(folder))
    if cached is not None:
        return cached
    path = folder / KEY_FILE
    key = _read_key_file(path)
    ring = None
    if key is None:
        ring = _keyring()
        key = _from_keyring(ring) if ring is not None else None
    if key is None and create:
        key = _new_key(path, ring)
    if key is not None:
        _cache[str(folder)] = key
    return key


def required_key() -> bytes:
    """The audit key, made when missing."""
    key = audit_key()
    assert key is not None  # made when missing
    return key


def _new_key(path: Path, ring: Any | None) -> bytes:
    import secrets

    key = secrets.token_bytes(32)
    if ring is not None:
        try:
            ring.set_password(KEYRING_SERVICE, KEYRING_USER, key.hex())
            stored = _from_keyring(ring)
            if stored is not None:
                return stored  # another icrctl may have stored its key first
        except Exception:  # the keyring refused: the key file does
            pass
    try:
        _private_folder(path.parent)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key.hex() + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:  # whole or not at all, and never over a key another icrctl made just now
            os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except FileExistsError:
        made = _read_key_file(path)
        if made is None:
            raise _unusable(path, _("it vanished")) from None
        return made
    except OSError as exc:
        raise _unusable(path, exc.strerror or str(exc)) from None
    return key


def forget_cached_key() -> None:
    """For tests that change the config folder's key within one process."""
    _cache.clear()


def keyed(key: bytes, label: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under ``key``, separated by ``label`` from every other use."""
    return hmac.new(key, f"{label}\n{value}".encode(), hashlib.sha256).hexdigest()


def genesis(key: bytes) -> str:
    """The ``prev_hash`` of a keyed chain's first entry: it says which key sealed the chain,
    and tells nothing of the key."""
    return keyed(key, "genesis", "icrctl audit log")


# --- the anchor ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    """The newest entry's id and hash (0 and :data:`GENESIS` for an empty log)."""

    last_id: int
    last: str


@dataclass(frozen=True)
class Anchor:
    head: Head
    keyed: bool


def anchor_path(case_file: Path) -> Path:
    name = hashlib.sha256(str(case_file.expanduser().resolve()).encode()).hexdigest()[:32]
    return config_folder() / ANCHORS / f"{name}.json"


def read_anchor(case_file: Path) -> Anchor | None:
    """This computer's anchor of ``case_file``; None if it has none (a file made or last
    changed elsewhere) or an unreadable one."""
    try:
        data = json.loads(anchor_path(case_file).read_text(encoding="utf-8"))
        return Anchor(Head(int(data["last_id"]), str(data["last"])), bool(data["keyed"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_anchor(case_file: Path, head: Head, *, keyed: bool = True) -> None:
    """Record ``head`` as the anchor of ``case_file``: written aside, then renamed (0600)."""
    path = anchor_path(case_file)
    data = {
        "case_file": str(case_file.expanduser().resolve()),
        "last_id": head.last_id,
        "last": head.last,
        "keyed": keyed,
    }
    try:
        _private_folder(path.parent)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(tmp, path)
    except OSError:
        # The change is committed already; the anchor only lags behind (the next change moves
        # it), which doctor reports as a log that grew, never as one that shrank.
        return


def after_commit(case_file: Path, info: dict[str, Any], **known: Any) -> None:
    """A writing session committed: move the anchor to the head its entries left, unless the
    anchor no longer held when it began (then it stays as the evidence ``doctor`` reports).

    The commit released the write lock already, so a ``restore`` may have rewound the log in
    between: the anchor moves only if the case file still holds that head, checked under the
    anchor's own lock, which :func:`follow` takes too."""
    head = info.get(INFO_HEAD)
    if isinstance(head, Head) and info.get(INFO_ANCHOR_OK):
        with _anchor_lock(case_file):
            if _still_holds(case_file, head, known):
                write_anchor(case_file, head)


@contextmanager
def _anchor_lock(case_file: Path) -> Iterator[None]:
    """Moving the anchor of ``case_file``, one process at a time (``flock`` beside it)."""
    import fcntl

    path = anchor_path(case_file)
    try:
        _private_folder(path.parent)
        fd = os.open(path.with_name(path.name + ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:  # no anchor folder: write_anchor lets the anchor lag, as it does
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _still_holds(case_file: Path, head: Head, known: dict[str, Any]) -> bool:
    """Whether the case file's log still holds ``head`` (a file that cannot be read here, say
    an encrypted one: assumed so, as before). ``known``: what the file is (``cipher.connect``),
    since this process has it open and must not read its header again."""
    if head.last_id == 0:
        return True
    from icrctl.db import cipher

    try:
        con = cipher.connect(case_file.resolve(), readonly=True, **known)
        try:
            rows = _rows(con, f"SELECT hash FROM audit_log WHERE id = {int(head.last_id)}")
        finally:
            con.close()
    except cipher.db_errors():
        return True
    return bool(rows) and str(rows[0][0]) == head.last


def head_of(con: Any) -> Head:
    """The head of the log through a DB-API connection or a SQLAlchemy connection/session."""
    rows = _rows(con, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
    return Head(int(rows[0][0]), str(rows[0][1])) if rows else Head(0, GENESIS)


def first_prev(con: Any) -> str | None:
    """The first entry's ``prev_hash``: :data:`GENESIS` for an unkeyed chain, the key's
    :func:`genesis` for a keyed one; None for an empty log."""
    rows = _rows(con, "SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1")
    return str(rows[0][0]) if rows else None


def disagreement(con: Any, anchor: Anchor) -> str | None:
    """Why the log no longer holds what was anchored (None: it holds it, maybe more after it).

    A log that grew past its anchor is fine (the anchor is written after the commit, so a crash
    in between leaves it behind); one that lost the anchored entry, or holds another one in its
    place, is not."""
    anchored = anchor.head
    if anchored.last_id == 0:
        return None
    rows = _rows(con, f"SELECT hash FROM audit_log WHERE id = {int(anchored.last_id)}")
    if rows and rows[0][0] == anchored.last:
        return None
    now = head_of(con)
    if not rows and now.last_id < anchored.last_id:
        return _(
            "the audit log ends at entry {now}, but this computer anchored entry {anchored}: the "
            "newest were removed, or an older copy was put in place outside 'icrctl restore'"
        ).format(now=now.last_id, anchored=anchored.last_id)
    return _(
        "audit entry {number} is not the one this computer anchored: the log was rewritten, "
        "or another copy was put in place outside 'icrctl restore'"
    ).format(number=anchored.last_id)


def _rows(con: Any, sql: str) -> list[Any]:
    if not type(con).__module__.startswith("sqlalchemy"):  # sqlite3's, or SQLCipher's
        return list(con.execute(sql).fetchall())
    from sqlalchemy import text

    return list(con.execute(text(sql)).all())


def follow(case_file: Path) -> None:
    """After ``restore``: the anchor follows the restored file (a restore rewinds the log on
    purpose). Keyed if the restored file is at :data:`KEYED_REVISION` or later, or its chain
    starts from a key's genesis already. Under the anchor's lock, after the restore's commit:
    a writer that committed before the restore and moves the anchor late finds its head gone
    (:func:`after_commit`) and leaves the anchor to this."""
    with _anchor_lock(case_file):
        from icrctl.db import cipher

        con = cipher.connect(case_file.resolve(), readonly=True)
        try:
            head = head_of(con)
            first = first_prev(con)
            version = _rows(con, "SELECT version_num FROM alembic_version")
        finally:
            con.close()
        at_keyed = bool(version) and str(version[0][0]) >= KEYED_REVISION
        write_anchor(case_file, head, keyed=at_keyed or first not in (None, GENESIS))
