"""Alembic environment: runs on the engine handed over in ``config.attributes``.

On SQLite, batch migrations copy a table and drop the old one; with foreign keys on, that drop
deletes (``ON DELETE CASCADE``) or blanks (``SET NULL``) every row that points at it. So foreign
keys are off while the migrations run, as SQLite's documentation prescribes for a table rebuild,
the references are checked (``PRAGMA foreign_key_check``) before anything is committed, and foreign
keys are on again before the connection goes back to the pool.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from icrctl.db.models import Base, load_all

load_all()  # the metadata of every table, for Alembic's comparisons

config = context.config
engine = config.attributes.get("engine")


class BrokenReferences(Exception):
    """After the migrations some rows point at rows that are not there; nothing is committed."""


def _foreign_keys(connection: Connection, on: bool) -> None:
    # On the DBAPI connection itself: SQLAlchemy would begin a transaction first, and inside one
    # SQLite ignores this pragma.
    raw: Any = connection.connection.dbapi_connection
    raw.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def _check_references(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise BrokenReferences(
            f"the migration would leave {len(broken)} row(s) in {', '.join(tables)} pointing at "
            "nothing; nothing was changed"
        )


def run() -> None:
    if engine is None:
        raise RuntimeError("icrctl migrations run from icrctl.db.migrate, with an engine")
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        if sqlite:
            _foreign_keys(connection, on=False)
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_references(connection)
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                _foreign_keys(connection, on=True)


run()
