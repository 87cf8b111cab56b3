"""Revision 0007: the ``settings`` table, empty after the upgrade; down and up again keeps the
case's data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from icrctl.db.migrate import alembic_config
from tests.conftest import Run


def _tables(db: Path) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


@pytest.mark.sqlite_only("the SQLite file's own migration, read with sqlite3")
def test_0007_adds_an_empty_settings_table_and_keeps_the_data(
    run: Run, family: str, db_path: Path
) -> None:
    before = run("case", "show", family, "--format", "json").stdout
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        cfg = alembic_config(engine)
        command.downgrade(cfg, "0006")
        assert "settings" not in _tables(db_path)
        command.upgrade(cfg, "head")
    finally:
        engine.dispose()
    assert "settings" in _tables(db_path)
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("SELECT count(*) FROM settings").fetchone() == (0,)
    finally:
        con.close()
    assert run("case", "show", family, "--format", "json").stdout == before
    assert "PROBLEM" not in run("doctor").stdout
