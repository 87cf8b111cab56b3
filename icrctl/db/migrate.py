"""Running the Alembic migrations shipped inside the package (imported only when needed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from icrctl.db.location import uri_path
from icrctl.errors import CaseFileError
from icrctl.i18n import _

MIGRATIONS = Path(__file__).with_name("migrations")
# A migration that will not run on a file as it is raises an exception of this class name, with
# ``reason`` and ``advice``; it imports nothing from icrctl, so the class is known by its name.
REFUSED = "MigrationRefused"


def alembic_config(
    engine: Engine | None = None, audit_key: Callable[[], bytes] | None = None
) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    # A migration imports nothing from icrctl: the one that keys the audit log (0008) asks the
    # key of this function, and only when the log holds entries.
    if audit_key is None:
        from icrctl.db.seal import required_key

        audit_key = required_key
    cfg.attributes["audit_key"] = audit_key
    return cfg


def upgrade(
    engine: Engine, current: str | None = None, audit_key: Callable[[], bytes] | None = None
) -> None:
    """Bring the schema to the newest revision, in one transaction.

    A migration that refuses leaves the file as it was: :class:`CaseFileError`, one line.
    """
    try:
        command.upgrade(alembic_config(engine, audit_key), "head")
    except Exception as exc:
        if type(exc).__name__ != REFUSED:
            raise
        raise refused(engine, exc) from exc


def refused(engine: Engine, exc: Exception) -> CaseFileError:
    where = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    where = uri_path(where) if where and where.startswith("file:") else where
    where = where or engine.url.render_as_string(hide_password=True)
    reason = getattr(exc, "reason", str(exc))
    advice = getattr(exc, "advice", "")
    message = _(
        "cannot upgrade the case file {location}: {reason}; nothing was changed. {advice}"
    ).format(location=where, reason=reason, advice=advice)
    return CaseFileError(message.rstrip())


def script_heads() -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(alembic_config()).get_heads())
