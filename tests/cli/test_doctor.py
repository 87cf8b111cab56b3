"""``doctor``: SQLite's own checks, the schema version, the app's invariants and the audit chain;
exit 1 on a problem. It never repairs, never creates a file; and no other command recreates a
file it cannot read."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Result, Run, refused

pytestmark = pytest.mark.sqlite_only(
    reason="SQLite's integrity and foreign-key checks of a case file changed behind icrctl's "
    "back (checks off, pages damaged); a team database's doctor: "
    "tests/db/test_server_maintenance.py"
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "caseload.yaml"
GARBAGE = bytes(range(256)) * 16 + b"not an SQLite database at all"


def sql(db: Path, *statements: str) -> None:
    """Change the case file behind icrctl's back (foreign keys and checks off)."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def problems(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if "PROBLEM" in line]


def corrupt(path: Path) -> None:
    """Overwrite the middle half of the page holding the members with junk."""
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'members'"
    ).fetchone()[0]
    con.close()
    start = (root - 1) * page_size
    with path.open("r+b") as f:
        f.seek(start + page_size // 4)
        f.write(b"\xa5" * (page_size // 2))
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError:
        rows = ["malformed"]
    finally:
        con.close()
    assert rows != ["ok"], "the junk was to break the page"


@pytest.fixture
def imported(run: Run, db_path: Path) -> Path:
    run("import", str(EXAMPLE))
    assert db_path.stat().st_size > 100_000
    return db_path


def test_a_healthy_file_passes(run: Run, imported: Path) -> None:
    result = run("doctor")
    assert result.exit_code == 0
    assert problems(result) == []
    for check in (
        "SQLite integrity check",
        "foreign keys",
        "schema version",
        "every case's phase equals its last phase change",
        "no link to a missing partner or member",
        "audit log chain",
    ):
        assert check in result.stdout
    assert str(imported) in result.stdout


def test_doctor_in_a_separate_process(imported: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "icrctl", "doctor"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PROBLEM" not in proc.stdout


def test_a_corrupted_copy_is_a_problem_and_is_left_as_it_is(
    run: Run, imported: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "broken" / "caseload.db"
    copy.parent.mkdir(mode=0o700)
    shutil.copy(imported, copy)
    corrupt(copy)
    before = copy.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "icrctl", "--db", str(copy), "doctor"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    bad = [line for line in proc.stdout.splitlines() if "PROBLEM" in line]
    assert bad
    assert "integrity" in proc.stdout
    assert "restore" in proc.stdout, "doctor says what to do"
    assert "Traceback" not in proc.stderr
    assert copy.read_bytes() == before
    # A read-only look at a WAL-mode file may leave SQLite's (empty) side files, nothing else.
    side = {"caseload.db-wal", "caseload.db-shm"}
    assert {p.name for p in copy.parent.iterdir()} - side == {"caseload.db"}
    wal = copy.parent / "caseload.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    # The original is untouched and sound.
    assert problems(run("doctor")) == []


def test_doctor_keeps_a_long_integrity_report_short(
    run: Run, imported: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "broken.db"
    shutil.copy(imported, copy)
    corrupt(copy)
    result = run("--db", str(copy), "doctor", ok=False)
    assert len(result.stdout.splitlines()) < 80


def test_a_read_on_a_corrupted_file_is_one_error_and_changes_nothing(
    run: Run, imported: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "broken" / "caseload.db"
    copy.parent.mkdir(mode=0o700)
    shutil.copy(imported, copy)
    corrupt(copy)
    for args in (("member", "list", "GO-2026-014"), ("backup", str(tmp_path / "kopie.db"))):
        line = refused(run, "--db", str(copy), *args, exact=True)
        assert "unreadable" in line or "failed its check" in line
    assert not (tmp_path / "kopie.db").exists()


@pytest.mark.parametrize(
    ("statement", "check"),
    [
        ("UPDATE cases SET phase = 1", "every case's phase equals its last phase change"),
        ("UPDATE cases SET stage = 'analysis'", "every case's stage equals its last stage change"),
        ("UPDATE cases SET closed = '2026-11-01'", "a closed date exactly when the stage is"),
        ("DELETE FROM partners", "foreign keys"),
        ("UPDATE meetings SET risk = 9", "scores lie between 1 and 5"),
    ],
    ids=["phase", "stage", "closed", "partner", "score"],
)
def test_a_broken_invariant_is_reported(
    run: Run, family: str, db_path: Path, statement: str, check: str
) -> None:
    run("eval", "record", family, "--date", "2026-11-20", "--attended", "m1", "--risk", "3")
    assert problems(run("doctor")) == []
    sql(db_path, statement)
    result = run("doctor", ok=False)
    assert result.exit_code == 1
    bad = problems(result)
    assert bad
    assert any(check.split()[0] in line for line in bad), result.stdout


def test_the_broken_case_is_named(
    run: Run, family: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # the advice on one line
    run("case", "create", "GO-2026-015", "--title", "Familie Ander", "--phase", "1")
    sql(db_path, f"UPDATE cases SET phase = 1 WHERE ref = '{family}'")
    result = run("doctor", ok=False)
    assert "GO-2026-014" in result.stdout
    assert "GO-2026-015" not in result.stdout
    assert "'icrctl phase set'" in result.stdout, "doctor says what to do"


def test_doctor_on_a_missing_file_says_so_and_creates_nothing(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    refused(run, "doctor", match="no case file")
    assert not db_path.parent.exists()
    elsewhere = tmp_path / "nowhere" / "x.db"
    refused(run, "--db", str(elsewhere), "doctor", match=str(elsewhere))
    assert not elsewhere.parent.exists()


def test_doctor_on_a_garbage_file_is_a_problem_not_a_new_file(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir(mode=0o700)
    target = folder / "caseload.db"
    target.write_bytes(GARBAGE)
    result = run("--db", str(target), "doctor", ok=False)
    assert result.exit_code == 1
    assert problems(result)
    assert target.read_bytes() == GARBAGE
    assert sorted(p.name for p in folder.iterdir()) == ["caseload.db"]


def test_doctor_on_another_programs_database(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "places.sqlite"
    sql(target, "CREATE TABLE bookmarks (url TEXT)")
    before = target.read_bytes()
    result = run("--db", str(target), "doctor", ok=False)
    assert "not an icrctl case file" in result.stdout
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ("case", "show", "GO-1"),
        ("audit",),
        ("audit", "-f", "json"),
        ("retention",),
        ("status",),
        ("export",),
        ("import", str(EXAMPLE)),
        ("log", "GO-1", "notitie", "--kind", "visit"),
        ("member", "forget", "GO-1", "m1", "--reason", "verzoek"),
        ("case", "purge", "GO-1", "--yes"),
        ("backup", "KOPIE"),
    ],
    ids=" ".join,
)
def test_any_command_on_a_garbage_file_is_one_error_and_leaves_it_byte_identical(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    folder = tmp_path / "g"
    folder.mkdir(mode=0o700)
    target = folder / "caseload.db"
    target.write_bytes(GARBAGE)
    args = tuple(str(tmp_path / "kopie.db") if a == "KOPIE" else a for a in args)
    refused(run, "--db", str(target), *args, match="unreadable", exact=True)
    assert target.read_bytes() == GARBAGE
    assert sorted(p.name for p in folder.iterdir()) == ["caseload.db"]
    assert not (tmp_path / "kopie.db").exists()
