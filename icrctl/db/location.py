"""Where an SQLite case file really is, and that nobody else can read or swap it.

A plain path is a path: ``q?x.db``, ``a%41.db``, ``#1.db``, a space or a non-ASCII letter name
exactly that file. SQLite is never handed the name itself but a file URI built from the resolved
path (:func:`sqlite_uri`), every byte outside ``A–Z a–z 0–9 / _ . - ~`` percent-encoded, so no part
of a name can become an option (``?mode=…``) or another file. Every place that opens the file
(the engine, backups, doctor, completion, the erasure's ``VACUUM``) builds its URI here.

A symlink is followed before anything is checked (:func:`resolved`): the folder of the file it
leads to must be private, and so must the folder the link itself lies in (whoever may write
there may point the link elsewhere). The file and its side files (``-wal``, ``-shm``,
``-journal``) are made private on opening when they are open to others (:func:`make_private`);
SQLite gives a new side file the mode of the case file, so a private case file has private side
files whatever the umask.

Plain standard library: shell completion uses it on every TAB.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote_from_bytes, unquote

from icrctl.errors import CaseFileError
from icrctl.i18n import _

#: The files SQLite keeps beside a case file, by suffix.
SIDE_FILES = ("-wal", "-shm", "-journal")
#: The mode bits that give anyone but the owner access.
OPEN_TO_OTHERS = 0o077


def resolved(path: Path) -> Path:
    """``path`` as the file it leads to: ``~`` expanded, absolute, every symlink followed."""
    return Path(os.path.realpath(path.expanduser()))


def sqlite_uri(path: Path, **options: str) -> str:
    """A file URI naming exactly the file ``path`` (made absolute), for ``sqlite3.connect(…,
    uri=True)``; ``options`` become its query (``mode="ro"``)."""
    quoted = quote_from_bytes(os.fsencode(os.path.abspath(path)), safe="/")
    query = "&".join(f"{key}={value}" for key, value in options.items())
    # "file://" and an empty authority: a path starting with "//" stays a path.
    return f"file://{quoted}" + (f"?{query}" if query else "")


def uri_path(uri: str) -> str:
    """The file a URI made by :func:`sqlite_uri` names (for messages)."""
    return unquote(uri.removeprefix("file://").split("?", 1)[0], errors="surrogateescape")


def refuse_url_options(location: str) -> None:
    """``sqlite:///PATH`` names a file and nothing more: options after ``?`` are refused, not
    dropped in silence (a ``?`` in the file's name is written ``%3F``)."""
    if "://" in location and "?" in location:
        raise CaseFileError(
            _(
                "{location}: the sqlite:/// URL of a case file takes no options after '?'; "
                "write a '?' in a file name as %3F"
            ).format(location=location)
        )


def refuse_open_folder(folder: Path, mode: int | None = None) -> None:
    """Refuse a folder that others may write to: they could swap the case file in it."""
    if (folder.stat().st_mode if mode is None else mode) & stat.S_IWOTH:
        raise CaseFileError(
            _(
                "the folder {folder} can be written by others; keep the case file in a private "
                "folder (mode 0700)"
            ).format(folder=folder)
        )


def group_warning(folder: Path, gid: int) -> str:
    return _(
        "the folder {folder} can be written by its group ({group}), who could swap the case "
        "file; make it private with 'chmod 700 {folder}'"
    ).format(folder=folder, group=_group_name(gid))


def _group_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def open_files(path: Path) -> list[tuple[Path, int]]:
    """The case file and those of its side files that others may use, with their modes."""
    found = []
    for name in (str(path), *(f"{path}{side}" for side in SIDE_FILES)):
        try:
            mode = stat.S_IMODE(os.lstat(name).st_mode)
        except FileNotFoundError:
            continue
        if mode & OPEN_TO_OTHERS:
            found.append((Path(name), mode))
    return found


def listed(files: list[tuple[Path, int]]) -> str:
    """``/x/caseload.db 0644, /x/caseload.db-wal 0644``"""
    return ", ".join(f"{path} {mode:04o}" for path, mode in files)


def make_private(path: Path) -> str | None:
    """Take others' access to the case file and its side files away; the warning saying so, or
    None when they were private already."""
    found = open_files(path)
    for file, mode in found:
        os.chmod(file, mode & ~OPEN_TO_OTHERS, follow_symlinks=False)
    if not found:
        return None
    return _(
        "the case file was open to others ({files}); made private: only you have access now"
    ).format(files=listed(found))


def folders(given: Path, path: Path) -> list[Path]:
    """The folders whose writers could swap the case file: the one it lies in (``path``, the
    resolved file), and each one a symlink on the way from ``given`` to it lies in."""
    found = []
    current = given.expanduser().absolute()
    for _hop in range(40):  # as many as the kernel follows
        if not os.path.islink(current):
            break
        folder = Path(os.path.realpath(current.parent))
        found.append(folder)
        current = folder / os.readlink(current)
    return list(dict.fromkeys((*found, path.parent)))


def prepare(
    given: Path, before_creating: Callable[[Path], None] | None = None
) -> tuple[Path, list[str]]:
    """Check the case file ``given`` names and make it ready for SQLite: the resolved path, and
    warnings for stderr. Refuses (:class:`CaseFileError`) before creating anything;
    ``before_creating(path)`` runs once the location is found safe, before a new file is made
    (the passphrase of an encrypted file is asked there: given up, no empty file is left)."""
    path = resolved(given)
    warnings = []
    for folder in folders(given, path):
        try:
            st = folder.stat()
        except FileNotFoundError:  # made below, private
            continue
        refuse_open_folder(folder, st.st_mode)
        if st.st_mode & stat.S_IWGRP:
            warnings.append(group_warning(folder, st.st_gid))
    if before_creating is not None:
        before_creating(path)
    _create(path)
    notice = make_private(path)
    if notice:
        warnings.append(notice)
    return path, warnings


def _create(path: Path) -> None:
    """Create the case file's folder (0700) and the empty file (0600) before SQLite does; an
    existing file must be a regular file with one name."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
        folder.chmod(0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        pass
    else:
        os.close(fd)
        os.chmod(path, 0o600)
        return
    st = path.lstat()
    if not stat.S_ISREG(st.st_mode):
        raise CaseFileError(_("case file {path} is not a regular file").format(path=path))
    if st.st_nlink > 1:
        raise CaseFileError(
            _(
                "case file {path} has {count} hard links: another name reaches the same data; "
                "remove the other links first"
            ).format(path=path, count=st.st_nlink)
        )
