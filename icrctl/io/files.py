"""Writing files that hold personal data: mode 0600, never over an existing file without force,
and atomically (a temporary file in the same folder, then renamed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from icrctl.errors import Conflict, InvalidValue


def write_private(path: Path, data: bytes, *, force: bool = False) -> None:
    path = path.expanduser()
    if path.exists() and not force:
        raise Conflict(f"{path} exists; give --force to overwrite it")
    if path.exists() and not path.is_file():
        raise InvalidValue(f"{path} is not a regular file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidValue(f"folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
