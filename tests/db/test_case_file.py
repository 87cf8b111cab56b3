"""The case file: where it is, its modes, its pragmas and transactions, its migrations, and what
happens when it is not a case file at all."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from icrctl.db.engine import CaseFile
from icrctl.errors import CaseFileError
from icrctl.settings import ENV_VAR, resolve_case_file
from tests.helpers import Run, refused

pytestmark = pytest.mark.sqlite_only(
    reason="the SQLite file itself: its folder and modes, pragmas, WAL, hard links, "
    "network file systems"
)

REPO = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def case_file(tmp_path: Path) -> Iterator[CaseFile]:
    cf = CaseFile(str(tmp_path / "cf" / "caseload.db"))
    yield cf
    cf.dispose()


# --- location and modes ---------------------------------------------------------------------


def test_created_on_first_use_with_0600_in_a_0700_folder(run: Run, db_path: Path) -> None:
    assert not db_path.parent.exists()
    run("case", "list")
    assert db_path.is_file()
    assert mode(db_path) == 0o600
    assert mode(db_path.parent) == 0o700


def test_modes_do_not_depend_on_the_umask(run: Run, db_path: Path) -> None:
    old = os.umask(0)
    try:
        run("case", "create", "GO-1", "--title", "Familie")
    finally:
        os.umask(old)
    assert mode(db_path) == 0o600
    assert mode(db_path.parent) == 0o700


def test_wal_side_files_are_private_too(case_file: CaseFile) -> None:
    assert case_file.path is not None
    with case_file.write() as session:
        session.execute(text("CREATE TABLE scratch (x INTEGER)"))
        session.execute(text("INSERT INTO scratch VALUES (1)"))
        session.flush()
        side = [p for p in case_file.path.parent.iterdir() if p != case_file.path]
        assert side, "WAL mode keeps a -wal file next to the case file"
        for p in side:
            assert mode(p) == 0o600, p.name


def test_db_option_beats_the_environment(run: Run, db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "other.db"
    run("--db", str(other), "case", "create", "GO-1", "--title", "Familie")
    assert other.is_file()
    assert mode(other) == 0o600
    assert mode(other.parent) == 0o700
    assert not db_path.exists(), "$ICRCTL_DB was not to be touched"
    assert [c["ref"] for c in run("--db", str(other), "case", "list", "-f", "json").json()] == [
        "GO-1"
    ]
    assert run("case", "list", "-f", "json").json() == []


def test_environment_names_the_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "env" / "chosen.db"
    monkeypatch.setenv(ENV_VAR, str(chosen))
    run("case", "create", "GO-1", "--title", "Familie")
    assert chosen.is_file()


def test_db_takes_an_sqlalchemy_url(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "url" / "x.db"
    run("--db", f"sqlite:///{target}", "case", "create", "GO-1", "--title", "Familie")
    assert target.is_file()
    assert mode(target) == 0o600
    assert [c["ref"] for c in run("--db", str(target), "case", "list", "-f", "json").json()] == [
        "GO-1"
    ]


def test_resolve_case_file_order(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_case_file("/a.db", {ENV_VAR: "/b.db"}) == "/a.db"
    assert resolve_case_file(None, {ENV_VAR: "/b.db"}) == "/b.db"
    default = resolve_case_file(None, {})
    assert default.endswith("caseload.db")
    assert "icrctl" in default


def test_help_and_version_create_no_case_file(run: Run, db_path: Path) -> None:
    assert "Usage:" in run("--help").stdout
    run("--version")
    run("case", "--help")
    assert not db_path.parent.exists()


# --- migrations -----------------------------------------------------------------------------


def test_alembic_has_one_head_and_it_is_HEAD() -> None:
    from icrctl.db.migrate import script_heads
    from icrctl.db.migrations import HEAD

    assert script_heads() == [HEAD]


def test_upgrade_from_empty_creates_every_table(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from icrctl.db.migrate import upgrade
    from icrctl.db.migrations import HEAD
    from icrctl.db.models import Base, load_all

    load_all()

    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        upgrade(engine)
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert set(Base.metadata.tables) <= tables
            assert tables - set(Base.metadata.tables) == {"alembic_version"}
            for name, table in Base.metadata.tables.items():
                columns = {c["name"] for c in inspect(conn).get_columns(name)}
                assert columns == set(table.columns.keys()), name
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert version == HEAD
            # The migrations and the models describe the same schema.
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
            assert diff == []
    finally:
        engine.dispose()


def test_opening_migrates_automatically(case_file: CaseFile) -> None:
    from icrctl.db.migrations import HEAD
    from icrctl.db.models import Base, load_all

    load_all()

    with case_file.read() as session:
        tables = set(inspect(session.connection()).get_table_names())
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert set(Base.metadata.tables) <= tables
    assert version == HEAD


def test_opening_twice_does_not_migrate_again(case_file: CaseFile) -> None:
    assert case_file.path is not None
    with case_file.write() as session:
        session.execute(
            text(
                "INSERT INTO partners (key, name, organisation, kind, reachable) "
                "VALUES ('p', 'P', 'O', 'other', '[]')"
            )
        )
    again = CaseFile(str(case_file.path))
    try:
        with again.read() as session:
            assert session.execute(text("SELECT count(*) FROM partners")).scalar() == 1
    finally:
        again.dispose()


# --- connections and transactions -----------------------------------------------------------


def test_connection_pragmas(case_file: CaseFile) -> None:
    with case_file.read() as session:
        pragma: dict[str, Any] = {
            name: session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")
        }
    assert pragma["foreign_keys"] == 1
    assert pragma["journal_mode"] == "wal"
    assert pragma["busy_timeout"] >= 5000
    assert pragma["synchronous"] in (1, 2)


def test_pragmas_hold_for_writing_sessions_too(case_file: CaseFile) -> None:
    with case_file.write() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000


def test_foreign_keys_are_enforced(case_file: CaseFile) -> None:
    from sqlalchemy.exc import IntegrityError

    orphan = text(
        "INSERT INTO members (case_id, key, name, role, household) "
        "VALUES (999, 'm1', 'X', 'victim', 1)"
    )
    with case_file.write() as session, pytest.raises(IntegrityError, match="FOREIGN KEY"):
        session.execute(orphan)


def test_a_writing_session_holds_the_write_lock_from_its_start(case_file: CaseFile) -> None:
    """BEGIN IMMEDIATE: a second writer is kept out before the first has written anything."""
    assert case_file.path is not None
    with case_file.write() as session:
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(case_file.path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_a_reading_session_does_not_lock_out_writers(case_file: CaseFile) -> None:
    assert case_file.path is not None
    with case_file.read() as session:
        session.execute(text("SELECT count(*) FROM cases"))
        other = sqlite3.connect(case_file.path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        finally:
            other.close()


def test_an_exception_rolls_the_whole_unit_back(case_file: CaseFile) -> None:
    insert = text(
        "INSERT INTO partners (key, name, organisation, kind, reachable) "
        "VALUES (:k, 'P', :k, 'other', '[]')"
    )

    def half_way() -> None:
        with case_file.write() as session:
            session.execute(insert, {"k": "a"})
            session.execute(insert, {"k": "b"})
            raise RuntimeError("refused half-way")

    with pytest.raises(RuntimeError):
        half_way()
    with case_file.read() as session:
        assert session.execute(text("SELECT count(*) FROM partners")).scalar() == 0


# --- a file that is not a case file ---------------------------------------------------------


GARBAGE = bytes(range(256)) * 20 + b"this is not an SQLite database"


@pytest.mark.parametrize(
    "args",
    [
        ("case", "list"),
        ("case", "list", "-f", "json"),
        ("case", "create", "GO-1", "--title", "Familie"),
        ("partner", "add", "P", "--organisation", "O", "--kind", "gp"),
    ],
    ids=" ".join,
)
def test_not_sqlite_is_one_error_line_and_left_alone(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    folder = tmp_path / "garbage"
    folder.mkdir()
    target = folder / "caseload.db"
    target.write_bytes(GARBAGE)
    refused(run, "--db", str(target), *args, match="unreadable", exact=True)
    assert target.read_bytes() == GARBAGE
    assert sorted(p.name for p in folder.iterdir()) == ["caseload.db"]


def test_text_file_is_refused_too(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "notes.db"
    target.write_text("boodschappen: melk, brood\n")
    refused(run, "--db", str(target), "case", "list", exact=True)
    assert target.read_text() == "boodschappen: melk, brood\n"


def test_another_programs_sqlite_database_is_left_alone(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "places.sqlite"
    other = sqlite3.connect(target)
    other.execute("CREATE TABLE bookmarks (url TEXT)")
    other.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
    other.commit()
    other.close()
    for args in (("case", "list"), ("case", "create", "GO-1", "--title", "Familie")):
        assert refused(run, "--db", str(target), *args, exact=True) == (
            f"error: {target} is an SQLite database but not an icrctl case file; nothing was "
            "changed. Choose another file with --db or $ICRCTL_DB"
        )
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("places")) == [
        "places.sqlite"
    ]


def test_an_empty_file_becomes_a_case_file(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "empty.db"
    target.touch(mode=0o600)
    run("--db", str(target), "case", "create", "GO-1", "--title", "Familie")
    assert [c["ref"] for c in run("--db", str(target), "case", "list", "-f", "json").json()] == [
        "GO-1"
    ]


def test_a_folder_is_not_a_case_file(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    assert refused(run, "--db", str(folder), "case", "list", exact=True) == (
        f"error: case file {folder} is not a regular file"
    )


def test_case_file_error_in_the_api(tmp_path: Path) -> None:
    target = tmp_path / "bad.db"
    target.write_bytes(GARBAGE)
    with pytest.raises(CaseFileError, match="unreadable"):
        CaseFile(str(target))
    assert target.read_bytes() == GARBAGE


# --- a light start --------------------------------------------------------------------------


def _imported_modules(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "icrctl", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "icrctl" in result.stdout
    return result.stderr


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("case", "--help")], ids=" ".join)
def test_help_and_version_do_not_import_sqlalchemy(args: tuple[str, ...]) -> None:
    importtime = _imported_modules(*args)
    assert "icrctl.cli.main" in importtime, "importtime output was expected"
    imported = [line.rsplit("|", 1)[-1].strip() for line in importtime.splitlines()]
    assert not [m for m in imported if m.split(".")[0] in ("sqlalchemy", "alembic")]
