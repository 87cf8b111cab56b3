"""The frozen migrations on PostgreSQL: a team database with data goes down to the first
revision and up again through every later one, its data and its audit chain as they were (the
SQLite files of older revisions are tests/db/test_migrations.py's)."""

from __future__ import annotations

import os

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from icrctl.db.migrate import alembic_config
from icrctl.db.migrations import HEAD
from tests.helpers import POSTGRES, Run, query

pytestmark = pytest.mark.skipif(not POSTGRES, reason="a team database: $ICRCTL_TEST_POSTGRES")


def test_down_to_0001_and_up_again_keeps_the_data_and_the_chain(run: Run, family: str) -> None:
    run("log", family, "Huisbezoek bij Sanne", "--kind", "visit", "--with", "m1")
    run("goal", "add", family, "Veilig thuis")
    exported = run("export").stdout
    engine = create_engine(os.environ["ICRCTL_DB"], poolclass=NullPool)
    try:
        command.downgrade(alembic_config(engine), "0001")
        assert query("SELECT version_num FROM alembic_version") == [("0001",)]
        told = " ".join(run("doctor").stdout.split())  # read-only: it never upgrades
        assert "0001; the next command upgrades it to" in told
        assert query("SELECT version_num FROM alembic_version") == [("0001",)]
        assert run("case", "list", "-f", "json").json()[0]["ref"] == family  # upgrades it
    finally:
        engine.dispose()
    assert query("SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert run("export").stdout == exported
    assert "PROBLEM" not in run("doctor").stdout
