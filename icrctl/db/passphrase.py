"""Where the key of an encrypted case file comes from; never from the command line.

In this order:

1. ``$ICRCTL_PASSPHRASE_FILE``, for scripts: a regular file that no other account can read or
   write (mode 0600 or stricter), its first line the passphrase. When it is set it is the only
   source: a wrong passphrase in it is an error, not a reason to ask.
2. The OS keyring (the optional ``keyring`` package), after the first time: it holds the derived
   key of the file, not the passphrase, under the file's salt, so that the file opens without
   the key derivation and a moved or backed-up file is still found. ``icrctl passphrase
   forget`` removes it.
3. A prompt on the terminal, hidden, asked twice when a passphrase is set
   (:func:`set_prompt`: the command line provides it, this layer knows no terminal).

A key, once it opened its file, is kept in this process until the command ends
(:func:`forget`), so that the automatic backup, ``doctor`` or a restore of the same file do not
ask again. With ``$ICRCTL_PASSPHRASE_FILE`` the key derivation starts in a thread as soon as the
command starts (:func:`start`), while the command's modules are still being imported.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from icrctl.db import cipher
from icrctl.db.cipher import Key, WrongPassphrase
from icrctl.errors import CaseFileError, InvalidValue
from icrctl.i18n import _

FILE_VAR = "ICRCTL_PASSPHRASE_FILE"
#: For ``passphrase change`` in a script: the new passphrase, in a file like the one above.
NEW_FILE_VAR = "ICRCTL_NEW_PASSPHRASE_FILE"
KEYRING_SERVICE = "icrctl"
MIN_LENGTH = 8
MAX_FILE = 4096

#: (question, ask twice) -> the passphrase typed, or None when there is no terminal to ask on.
Ask = Callable[[str, bool], str | None]

_ask: Ask | None = None
_unlocked: dict[bytes, Key] = {}
_pending: dict[bytes, tuple[threading.Thread, list[Key]]] = {}


def set_prompt(ask: Ask | None) -> None:
    global _ask
    _ask = ask


def forget() -> None:
    """Drop every key this process holds (at the end of a command)."""
    _unlocked.clear()
    _pending.clear()


def start(path: Path) -> None:
    """With ``$ICRCTL_PASSPHRASE_FILE`` set and an encrypted file at ``path``: derive its key in
    a thread now (PBKDF2 releases the interpreter lock), so that it is ready when the case file
    is opened. Any problem is left for :func:`unlock` to report."""
    if not os.environ.get(FILE_VAR) or cipher.kind(path) != "encrypted":
        return
    try:
        salt = cipher.salt_of(path)
        secret = _read_file(Path(os.environ[FILE_VAR]))
    except (OSError, CaseFileError):
        return
    result: list[Key] = []
    thread = threading.Thread(target=lambda: result.append(cipher.derive(secret, salt)))
    thread.daemon = True
    thread.start()
    _pending[salt] = (thread, result)


def unlock(path: Path) -> Key:
    """The key of the encrypted file at ``path``, checked against it."""
    salt = cipher.salt_of(path)
    known = _unlocked.get(salt)
    if known is not None:
        return known
    if os.environ.get(FILE_VAR):
        key = _derived(salt) or cipher.derive(_read_file(Path(os.environ[FILE_VAR])), salt)
        return _checked(path, key)
    stored = _from_keyring(salt)
    if stored is not None and _opens(path, stored):
        _unlocked[salt] = stored
        return stored
    typed = _asked(_("Passphrase of {path}: ").format(path=path), twice=False)
    key = _checked(path, cipher.derive(typed, salt))
    save_in_keyring(key)
    return key


def new_key(*, changing: bool = False, salt: bytes | None = None) -> Key:
    """The key for a new passphrase: a new encrypted file (from ``$ICRCTL_PASSPHRASE_FILE`` if
    set) or a change (from ``$ICRCTL_NEW_PASSPHRASE_FILE`` if set); else asked twice."""
    variable = NEW_FILE_VAR if changing else FILE_VAR
    if os.environ.get(variable):
        secret = _read_file(Path(os.environ[variable]))
    else:
        question = _("New passphrase: ") if changing else _("Passphrase for the encrypted file: ")
        secret = _asked(question, twice=True)
    if len(secret) < MIN_LENGTH:
        raise InvalidValue(
            _("a passphrase needs at least {count} characters; nothing was changed").format(
                count=MIN_LENGTH
            )
        )
    return cipher.derive(secret, salt if salt is not None else cipher.new_salt())


def remember(key: Key) -> None:
    """A key that opens its file, for the rest of this command."""
    _unlocked[key.salt] = key


def _checked(path: Path, key: Key) -> Key:
    if not _opens(path, key):
        raise WrongPassphrase()
    _unlocked[key.salt] = key
    return key


def _opens(path: Path, key: Key) -> bool:
    try:
        cipher.connect_keyed(path, key).close()
    except WrongPassphrase:
        return False
    return True


def _derived(salt: bytes) -> Key | None:
    pending = _pending.pop(salt, None)
    if pending is None:
        return None
    thread, result = pending
    thread.join()
    return result[0] if result else None


def _asked(question: str, *, twice: bool) -> str:
    answer = _ask(question, twice) if _ask is not None else None
    if answer is None:
        raise CaseFileError(
            _(
                "there is no terminal to ask the passphrase on: set ${var} to a file (mode 0600) "
                "that holds it; nothing was changed"
            ).format(var=FILE_VAR)
        )
    return answer


def _read_file(path: Path) -> str:
    """The first line of a passphrase file that only its owner can read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise CaseFileError(
            _("cannot read the passphrase file {path}: {reason}").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
            raise CaseFileError(
                _(
                    "the passphrase file {path} can be read or written by others (mode {mode:o}); "
                    "make it private with chmod 600; nothing was changed"
                ).format(path=path, mode=stat.S_IMODE(info.st_mode))
            )
        data = os.read(fd, MAX_FILE)
    finally:
        os.close(fd)
    lines = data.decode("utf-8", errors="strict").splitlines()
    if not lines or not lines[0]:
        raise CaseFileError(_("the passphrase file {path} is empty").format(path=path))
    return lines[0]


def _keyring_name(salt: bytes) -> str:
    return f"case-file-{salt.hex()}"


def _from_keyring(salt: bytes) -> Key | None:
    try:
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, _keyring_name(salt))
        return None if stored is None else Key(bytes.fromhex(stored), salt)
    except Exception:  # no keyring, no backend, a locked or broken one: ask instead
        return None


def save_in_keyring(key: Key) -> None:
    """Keep the derived key in the OS keyring, when there is one; silently not otherwise."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _keyring_name(key.salt), key.raw.hex())
    except Exception:  # no keyring: the passphrase is asked next time
        return


def forget_in_keyring(salt: bytes) -> bool:
    """Remove the file's key from the OS keyring; False when it held none."""
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, _keyring_name(salt))
    except Exception:
        return False
    return True


def for_case_file(path: Path, *, encrypted: bool = False) -> Key | None:
    """The key to open the case file at ``path`` with: None for a plain file; for a new file
    with ``encrypted``, a new passphrase (before the file exists, so that a refused or abandoned
    passphrase leaves no empty file behind)."""
    found = cipher.kind(path)
    if found == "encrypted":
        return unlock(path)
    if not encrypted:
        return None
    if found != "new":
        raise CaseFileError(
            _(
                "{path} exists and is not encrypted: encrypt it with 'icrctl encrypt'; nothing "
                "was changed"
            ).format(path=path)
        )
    cipher.sqlcipher()  # the extra is missing: say so before asking for a passphrase
    key = new_key()
    remember(key)
    save_in_keyring(key)
    return key
