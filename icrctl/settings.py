"""Where the case file is: ``--db`` beats ``$ICRCTL_DB`` beats the platform data directory."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "ICRCTL_DB"
FILE_NAME = "caseload.db"


def default_case_file() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("icrctl", appauthor=False)) / FILE_NAME


def resolve_case_file(option: str | None, environ: dict[str, str] | None = None) -> str:
    """Return the case file as given (path or SQLAlchemy URL); the one place that decides it."""
    env = os.environ if environ is None else environ
    if option:
        return option
    if env.get(ENV_VAR):
        return env[ENV_VAR]
    return str(default_case_file())


def is_url(location: str) -> bool:
    return "://" in location


def sqlite_path(location: str) -> Path | None:
    """The file of an SQLite case file (a path, taken as it is, or an ``sqlite:///`` URL); None
    for another database. Plain string work: no SQLAlchemy import, so completion can use it too."""
    if not is_url(location):
        return Path(location).expanduser()
    if location.startswith("sqlite:///"):
        # As SQLAlchemy reads the URL: up to '?', percent-escapes decoded ('%3F' is '?').
        from urllib.parse import unquote

        file = location.removeprefix("sqlite:///").split("?", 1)[0]
        return Path(unquote(file, errors="surrogateescape")).expanduser() if file else None
    return None
