"""Writing files that hold personal data: mode 0600, never over an existing file without force,
and atomically (a temporary file in the same folder, then renamed). A path that cannot be
written (no such folder, no permission, a read-only or special file system) is one
:class:`InvalidValue` naming the path and the system's reason."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from icrctl.errors import Conflict, InvalidValue
from icrctl.i18n import _


def cannot_write(path: Path, exc: OSError) -> InvalidValue:
    """The one-line refusal of a path that cannot be written, with the system's reason."""
    reason = exc.strerror or str(exc)
    return InvalidValue(_("cannot write {path}: {reason}").format(path=path, reason=reason))


def refuse_existing(path: Path, *, force: bool = False) -> None:
    """Refuse ``path`` before anything is written: it exists (without ``force``), is not a
    regular file, or its folder is missing or cannot be looked into."""
    path = path.expanduser()
    try:
        exists = path.exists()
        if exists and not force:
            raise Conflict(_("{path} exists; give --force to overwrite it").format(path=path))
        if exists and not path.is_file():
            raise InvalidValue(_("{path} is not a regular file").format(path=path))
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            if folder.exists():
                why = _("cannot write {path}: {folder} is not a folder")
            else:
                why = _("cannot write {path}: {folder} does not exist")
            raise InvalidValue(why.format(path=path, folder=folder))
    except OSError as exc:
        raise cannot_write(path, exc) from None


def write_private(path: Path, data: bytes, *, force: bool = False) -> None:
    refuse_existing(path, force=force)
    path = path.expanduser()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
