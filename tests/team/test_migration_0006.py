"""Revision 0006 (team mode): ``cases.owner``, ``case_shares`` and ``team_members`` on both
engines; on PostgreSQL also ``icrctl_audit_tip()``, the newest entry's hash. Down and up
again keeps the data."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from icrctl.db.migrate import alembic_config
from tests.conftest import Run
from tests.team.conftest import Team


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.sqlite_only("the SQLite file's own migration (the server's is below)")
def test_0006_on_sqlite_adds_the_team_tables_and_keeps_the_data(
    run: Run, family: str, db_path: Path
) -> None:
    before = rows(db_path, "SELECT id, ref, title, regisseur FROM cases")
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        cfg = alembic_config(engine)
        command.downgrade(cfg, "0005")
        columns = [r[1] for r in rows(db_path, "PRAGMA table_info(cases)")]
        assert "owner" not in columns
        tables = {r[0] for r in rows(db_path, "SELECT name FROM sqlite_master")}
        assert "case_shares" not in tables
        command.upgrade(cfg, "head")
    finally:
        engine.dispose()
    assert rows(db_path, "SELECT id, ref, title, regisseur FROM cases") == before
    assert rows(db_path, "SELECT owner FROM cases") == [(None,)]
    assert rows(db_path, "SELECT count(*) FROM case_shares") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM team_members") == [(0,)]
    assert "PROBLEM" not in run("doctor").stdout


def test_0006_on_postgresql_gives_the_audit_tip_of_the_log(
    empty_team_db: Team,
) -> None:
    team = empty_team_db
    team.run(None, "case", "create", "A-1", "--title", "Before team mode")
    engine = create_engine(team.url())
    try:
        cfg = alembic_config(engine)
        command.downgrade(cfg, "0005")
        assert team.sql(None, "SELECT to_regproc('icrctl_audit_tip')") == [(None,)]
        team.run(None, "case", "edit", "A-1", "--title", "Still before")
        command.upgrade(cfg, "head")
        with engine.connect() as conn:
            tip = conn.execute(text("SELECT icrctl_audit_tip()")).scalar()
            last = conn.execute(
                text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            ).scalar()
    finally:
        engine.dispose()
    assert tip == last
    assert team.sql(None, "SELECT ref, owner FROM cases") == [("A-1", None)]
    team.run(None, "case", "create", "A-2", "--title", "After")
    owners = team.sql(None, "SELECT ref, owner FROM cases WHERE ref = 'A-2'")
    assert owners == [("A-2", team.admin.username)]
    entries = team.sql(None, "SELECT prev_hash, hash FROM audit_log ORDER BY id")
    assert all(b[0] == a[1] for a, b in itertools.pairwise(entries))
