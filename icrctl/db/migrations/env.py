"""Alembic environment: runs on the engine handed over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from icrctl.db.models import Base

config = context.config
engine = config.attributes.get("engine")


def run() -> None:
    if engine is None:
        raise RuntimeError("icrctl migrations run from icrctl.db.migrate, with an engine")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
