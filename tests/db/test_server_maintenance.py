"""Maintenance of a team database on PostgreSQL: ``backup`` with pg_dump, ``restore`` refused with
the way to do it, ``doctor`` without the file checks, ``member forget`` and ``case purge`` with
VACUUM and a word on what the server keeps."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from icrctl.db.migrations import HEAD
from tests.helpers import POSTGRES, Run, error_line, query, refused, unchanged

pytestmark = pytest.mark.skipif(not POSTGRES, reason="a team database: $ICRCTL_TEST_POSTGRES")


def test_backup_writes_a_pg_dump_that_pg_restore_reads(
    run: Run, family: str, tmp_path: Path
) -> None:
    target = tmp_path / "team.dump"
    result = run("backup", str(target))
    assert result.stdout.startswith("backed up postgresql+psycopg://")
    assert result.stdout.rstrip().endswith(f"to {target} (pg_dump, custom format)")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    listing = subprocess.run(
        [shutil.which("pg_restore") or "pg_restore", "--list", str(target)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "TABLE DATA public cases" in listing
    assert "TABLE DATA public audit_log" in listing
    assert [r for r in query("SELECT action FROM audit_log ORDER BY id")][-1] == ("backup",)
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left


def test_backup_refuses_an_existing_file_without_force(
    run: Run, family: str, tmp_path: Path
) -> None:
    target = tmp_path / "team.dump"
    target.write_text("older")
    refused(run, "backup", str(target), match="exists; give --force to overwrite it")
    assert target.read_text() == "older"
    run("backup", str(target), "--force")
    assert target.read_bytes().startswith(b"PGDMP")


def test_backup_without_pg_dump_says_so_in_one_line(
    run: Run, family: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name == "pg_dump" else real(name, *a, **k)
    )
    with unchanged():
        line = error_line(run("backup", str(tmp_path / "team.dump"), ok=False), code=3)
    assert line == (
        "error: pg_dump was not found: install PostgreSQL's client programs (Debian: "
        "postgresql-client) to back up a team database; nothing was written"
    )
    assert not (tmp_path / "team.dump").exists()


def test_restore_on_a_team_database_says_how_instead(run: Run, family: str, tmp_path: Path) -> None:
    target = tmp_path / "team.dump"
    run("backup", str(target))
    line = refused(run, "restore", str(target), "--yes")
    assert "restore does not overwrite a team database" in line
    assert f"'pg_restore --dbname=NEW {target}'" in line


def test_doctor_checks_the_schema_and_the_audit_chain_and_skips_the_file(
    run: Run, family: str
) -> None:
    out = run("doctor").stdout
    assert "file checks" in out
    assert "not run on a database server" in out
    assert f"{HEAD} (current)" in out
    assert "audit log chain" in out
    assert "PROBLEM" not in out


@pytest.mark.parametrize(
    ("statement", "check"),
    [
        ("UPDATE cases SET phase = 1", "every case's phase equals"),
        ("UPDATE cases SET stage = 'analysis'", "every case's stage equals"),
    ],
    ids=["phase", "stage"],
)
def test_doctor_finds_a_broken_rule_and_names_the_case(
    run: Run, family: str, statement: str, check: str
) -> None:
    run("case", "create", "GO-2026-015", "--title", "Familie Ander", "--phase", "1")
    query(f"{statement} WHERE ref = ?", family)
    out = run("doctor", ok=False).stdout
    told = " ".join(out.split())
    assert "PROBLEM" in out
    assert check in told
    assert "GO-2026-014" in out
    assert "GO-2026-015" not in out


def test_doctor_finds_a_changed_audit_entry(run: Run, family: str) -> None:
    query("UPDATE audit_log SET action = 'update' WHERE id = 2")
    result = run("doctor", ok=False)
    assert "PROBLEM" in result.stdout
    assert "entry 2 was" in result.stdout


def test_forget_vacuums_and_says_what_the_server_keeps(run: Run, family: str) -> None:
    result = run("member", "forget", family, "m3", "--reason", "verzoek van de ouder")
    assert "erased m3 from GO-2026-014" in result.stdout
    assert "WAL archive and its backups" in result.stderr
    assert "that is the operator's to do" in result.stderr
    [(vacuumed,)] = query(
        "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'members'"
    )
    assert vacuumed is True
    assert query("SELECT count(*) FROM members WHERE name = 'Noor de Vries'") == [(0,)]
