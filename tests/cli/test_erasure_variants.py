"""Erasure that left traces or took too much, each reproduced: a stale temporary copy after a
``kill -9`` during an import's automatic backup; a phone number written another way; a name
without its accents; a one-digit "phone" that ate "over 2 weken"; restore points deleted without
asking; another case file's backups deleted because their names start the same."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import Run, error_line, query, unchanged

REPO = Path(__file__).resolve().parents[2]
REASON = ("--reason", "verzoek art. 17 AVG")
ONE_CASE = "version: 1\ncases:\n  - {ref: GO-9, title: X, opened: 2026-01-05, phase: 1}\n"


def icrctl(
    *args: str, stdin: str | None = None, kill_at_check: bool = False
) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own; ``kill_at_check``: the process kills itself
    (SIGKILL, as ``kill -9``) once a backup's temporary copy is written, before it is checked and
    renamed into place."""
    prelude = ""
    if kill_at_check:
        prelude = (
            "import os, signal; from icrctl.db import backups; "
            "backups.check = lambda path: os.kill(os.getpid(), signal.SIGKILL); "
        )
    code = prelude + "import sys; from icrctl.cli.main import main; sys.argv[0] = 'icrctl'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def temporary_copies(db: Path) -> list[Path]:
    return sorted(db.parent.rglob("*.tmp"))


def note_of(run: Run, ref: str, text: str) -> str:
    run("log", ref, text, "--kind", "phone")
    return text


def notes(run: Run, ref: str) -> list[str]:
    return [c["note"] for c in run("log", "list", ref, "-f", "json").json()]


# --- a stale temporary copy ---------------------------------------------------------------------


@pytest.fixture
def killed_import(family: str, db_path: Path) -> Path:
    """``kill -9`` during an import's automatic backup: the full temporary copy stays behind."""
    proc = icrctl("import", "-", stdin=ONE_CASE, kill_at_check=True)
    assert proc.returncode == -9, proc.stderr
    [left] = temporary_copies(db_path)
    assert left.parent.name == "backups"
    assert b"Sanne" in left.read_bytes()
    return left


@pytest.mark.sqlite_only(reason="the temporary copies beside the .db file")
def test_forget_removes_the_copy_a_killed_import_left(
    run: Run, family: str, db_path: Path, killed_import: Path
) -> None:
    result = run("member", "forget", family, "m1", *REASON)
    assert "removed 1 temporary copy that an interrupted command left behind" in result.stdout
    assert temporary_copies(db_path) == []


@pytest.mark.sqlite_only(reason="the temporary copies beside the .db file")
def test_the_next_command_removes_a_stale_copy_and_says_so(
    run: Run, family: str, db_path: Path, killed_import: Path
) -> None:
    result = run("case", "list")
    assert temporary_copies(db_path) == [killed_import], "a fresh copy may still be written"
    old = time.time() - 120
    os.utime(killed_import, (old, old))
    result = run("case", "list")
    assert "removed 1 temporary copy of the case file" in result.stderr
    assert temporary_copies(db_path) == []
    assert "removed" not in run("case", "list").stderr, "said once"


@pytest.mark.sqlite_only(reason="the temporary copies beside the .db file")
def test_a_copy_being_written_is_left_alone(run: Run, family: str, db_path: Path) -> None:
    """Another icrctl writing a backup holds its copy locked: neither a start nor an erasure
    takes it for a stale one."""
    folder = db_path.parent / "backups"
    folder.mkdir(mode=0o700)
    busy = folder / f".{db_path.stem}-20261125T101010000000-before-import.db.abcd_123.tmp"
    busy.write_bytes(db_path.read_bytes())
    os.utime(busy, (0, 0))
    with busy.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run("case", "list")
        run("member", "forget", family, "m3", *REASON)
        assert busy.exists()
    run("case", "list")
    assert not busy.exists(), "once its writer is gone, it is stale"


@pytest.mark.sqlite_only(reason="the temporary copies beside the .db file")
def test_only_this_case_files_copies_are_removed(run: Run, family: str, db_path: Path) -> None:
    folder = db_path.parent / "backups"
    folder.mkdir(mode=0o700)
    stem = db_path.stem
    mine = [
        db_path.parent / f".{db_path.name}.k2j4_x9q.tmp",
        db_path.parent / f"..{db_path.name}.k2j4_x9q.tmp.a1b2c3d4.tmp",
        folder / f".{stem}-20261125T101010000000-before-import.db.zz99aa11.tmp",
    ]
    others = [
        db_path.parent / f".{stem}-old.db.k2j4_x9q.tmp",
        db_path.parent / f".{db_path.name}.old.db.k2j4_x9q.tmp",
        folder / f".{stem}-old-20261125T101010000000-before-import.db.zz99aa11.tmp",
        db_path.parent / "notes.tmp",
    ]
    for path in mine + others:
        path.write_bytes(b"copy")
        os.utime(path, (0, 0))
    result = run("case", "list")
    assert "removed 3 temporary copies" in result.stderr
    assert [p for p in mine + others if p.exists()] == others


# --- restore points and other case files' backups -------------------------------------------------


@pytest.fixture
def restore_points(family: str, db_path: Path) -> list[Path]:
    """What ``restore`` kept: the old name and a time-stamped one."""
    points = [
        db_path.with_name(db_path.name + ".before-restore"),
        db_path.with_name(db_path.name + ".before-restore-20261124T101500"),
    ]
    for point in points:
        shutil.copyfile(db_path, point)
    return points


@pytest.mark.sqlite_only(reason="restore points are copies of the .db file")
def test_forget_without_a_terminal_or_yes_refuses_when_a_restore_point_would_go(
    run: Run, family: str, db_path: Path, restore_points: list[Path]
) -> None:
    with unchanged(exact=True):
        result = run("member", "forget", family, "m1", *REASON, ok=False)
    line = error_line(result)
    assert "restore points" in line
    assert "--yes" in line
    assert all(p.name in line for p in restore_points)
    assert all(p.exists() for p in restore_points)


@pytest.mark.sqlite_only(reason="restore points are copies of the .db file")
@pytest.mark.parametrize(("answer", "kept"), [("n", True), ("y", False)])
def test_forget_asks_on_a_terminal(
    family: str, db_path: Path, restore_points: list[Path], answer: str, kept: bool
) -> None:
    import pty

    master, terminal = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "icrctl", "member", "forget", family, "m1", *REASON],
            cwd=REPO, stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        os.write(master, f"{answer}\n".encode())
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        os.close(terminal)
        os.close(master)
    assert "Go on?" in stdout
    assert (proc.returncode == 0) is not kept, stderr
    assert all(p.exists() is kept for p in restore_points)
    assert (b"Sanne" in db_path.read_bytes()) is kept


@pytest.mark.sqlite_only(reason="restore points are copies of the .db file")
def test_forget_with_yes_removes_exactly_this_case_files_restore_points(
    run: Run, family: str, db_path: Path, restore_points: list[Path]
) -> None:
    others = [
        db_path.with_name("other.db.before-restore"),
        db_path.with_name(db_path.name + ".before-restore-notes.txt"),
    ]
    for path in others:
        path.write_bytes(b"not this case file's")
    result = run("member", "forget", family, "m1", *REASON, "--yes")
    assert "removed 2 restore points that still held the data" in result.stdout
    assert [p for p in restore_points + others if p.exists()] == others


@pytest.mark.sqlite_only(reason="restore points are copies of the .db file")
def test_purge_asks_about_the_restore_points_in_its_one_question(
    run: Run, family: str, db_path: Path, restore_points: list[Path]
) -> None:
    run("case", "close", family, "--summary", "Klaar", "--safety", "Veilig", "--force",
        "--reason", "verhuisd")  # fmt: skip
    result = run("case", "purge", family, ok=False)
    assert "restore points" in error_line(result)
    assert all(p.exists() for p in restore_points)
    result = run("case", "purge", family, "--yes")
    assert "removed 2 restore points" in result.stdout
    assert not any(p.exists() for p in restore_points)


@pytest.mark.sqlite_only(reason="the automatic backups beside the .db file")
def test_another_case_files_backups_are_kept(run: Run, family: str, db_path: Path) -> None:
    """``caseload-old.db`` shares the folder: its backups start with ``caseload-`` too."""
    run("import", "-", input=ONE_CASE)
    folder = db_path.parent / "backups"
    [own] = list(folder.iterdir())
    stamp = "-20261120T101010000000-before-import.db"
    others = [folder / f"{db_path.stem}-old{stamp}", folder / f"{db_path.stem}-2{stamp}"]
    for other in others:
        shutil.copyfile(own, other)
    result = run("member", "forget", family, "m1", *REASON)
    assert "removed 1 automatic backup" in result.stdout
    assert sorted(folder.iterdir()) == sorted(others)


# --- what is matched: other spellings, whole tokens, long enough ----------------------------------


def test_a_phone_number_written_another_way_is_redacted(run: Run, family: str) -> None:
    run("member", "edit", family, "m1", "--phone", "+31 6 9999 8888")
    written = [
        note_of(run, family, "Bel 0699998888 na drie uur"),
        note_of(run, family, "Nummer +31699998888 klopt"),
        note_of(run, family, "Zij belde van 06-9999-8888."),
    ]
    kept = note_of(run, family, "Peter belde van 06-1111-2222")
    run("member", "forget", family, "m1", *REASON)
    after = notes(run, family)
    assert "Bel [verwijderd] na drie uur" in after
    assert "Nummer [verwijderd] klopt" in after
    assert "Zij belde van [verwijderd]." in after
    assert kept in after
    assert not set(written) & set(after)
    rows = query("SELECT note FROM contacts")
    assert not any("9999" in str(r[0]) for r in rows)


def test_a_name_written_without_accents_is_redacted(run: Run, family: str) -> None:
    run("member", "add", family, "José-María Gómez", "--role", "network")
    note_of(run, family, "Jose-Maria belde; JOSÉ-MARÍA komt morgen; jose maria gomez ook")
    note_of(run, family, "Josefien en Maria belden")
    run("member", "forget", family, "m4", *REASON)
    after = notes(run, family)
    assert "[verwijderd] belde; [verwijderd] komt morgen; [verwijderd] ook" in after
    assert "Josefien en Maria belden" in after


def test_a_value_too_short_to_identify_is_not_redacted(run: Run, family: str) -> None:
    """A member whose phone says ``2`` once turned "over 2 weken" into "over [verwijderd]
    weken"."""
    run("member", "edit", family, "m1", "--phone", "2")
    kept = note_of(run, family, "Over 2 weken weer; kamer 2, 2e verdieping, 12 of 22 mei")
    result = run("member", "forget", family, "m1", *REASON)
    assert kept in notes(run, family)
    assert "0 texts redacted" in result.stdout
