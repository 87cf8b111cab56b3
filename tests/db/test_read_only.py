"""A case file on read-only media: reading commands, ``export``, ``backup`` and ``doctor`` work, a
change is one clear line, and nothing is written beside the file.

The media are made read-only for real: the case file's folder bind-mounted read-only in a private
mount namespace of its own (``unshare``), which refuses root too. ``chmod`` alone would not do as
root, who writes past file modes; the same folder read-only by its modes is tried as an
unprivileged user (``setpriv``) where the machine allows it.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.helpers import Result, Run, error_line

pytestmark = pytest.mark.sqlite_only(reason="the SQLite file on read-only media")

REPO = Path(__file__).resolve().parents[2]
MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


@functools.cache
def namespaces() -> str | None:
    """Why a read-only mount cannot be made here, or None when it can."""
    if shutil.which("unshare") is None:
        return "no unshare program"
    folder = Path(tempfile.mkdtemp())
    try:
        probe = ["unshare", "-rm", "sh", "-c", MOUNT, "sh", str(folder), "touch", f"{folder}/x"]
        done = subprocess.run(probe, capture_output=True, text=True, check=False)
        if "Read-only file system" not in done.stderr:
            return f"cannot make a read-only mount: {done.stderr.strip()}"
        return None
    finally:
        shutil.rmtree(folder)


def on_read_only_mount(folder: Path, *args: str) -> Result:
    """``icrctl ARGS`` in a separate process that sees ``folder`` mounted read-only."""
    reason = namespaces()
    if reason is not None:
        pytest.skip(reason)
    command = [sys.executable, "-m", "icrctl", *args]
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", MOUNT, "sh", str(folder), *command],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_reading_export_backup_and_doctor_work_on_a_read_only_mount(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    run("log", family, "Huisbezoek gedaan", "--kind", "visit")
    expected = {
        "case list": run("case", "list", "-f", "json").stdout,
        "log list": run("log", "list", family, "-f", "json").stdout,
        "export": run("export").stdout,
    }
    folder = db_path.parent
    before = files(folder)
    assert on_read_only_mount(folder, "case", "list", "-f", "json").stdout == expected["case list"]
    got = on_read_only_mount(folder, "log", "list", family, "-f", "json")
    assert got.stdout == expected["log list"]
    exported = on_read_only_mount(folder, "export")
    assert exported.exit_code == 0, exported.stderr
    assert exported.stdout == expected["export"]
    assert "not written to its audit log" in exported.stderr
    copy = tmp_path / "kopie.db"
    backup = on_read_only_mount(folder, "backup", str(copy))
    assert backup.exit_code == 0, backup.stderr
    assert run("--db", str(copy), "export").stdout == expected["export"]
    doctor = on_read_only_mount(folder, "doctor")
    assert doctor.exit_code == 0, doctor.stdout
    assert "PROBLEM" not in doctor.stdout
    assert files(folder) == before, "nothing written beside the case file, nor in it"


def test_a_change_on_a_read_only_mount_is_one_line_and_writes_nothing(
    run: Run, family: str, db_path: Path
) -> None:
    folder = db_path.parent
    before = files(folder)
    result = on_read_only_mount(folder, "log", family, "Gebeld", "--kind", "phone")
    line = error_line(result)
    assert "read-only" in line
    assert "nothing was changed" in line
    assert files(folder) == before


def test_with_reads_audited_a_read_only_mount_shows_no_personal_data(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """audit_reads on: a read that cannot be logged is refused (export too); doctor and backup,
    which show no one's data, still work."""
    run("config", "set", "audit_reads", "on")
    folder = db_path.parent
    before = files(folder)
    for args in (("member", "list", family), ("export",)):
        result = on_read_only_mount(folder, *args)
        assert "this reading cannot be logged" in error_line(result)
        assert "Sanne" not in result.stdout
    assert on_read_only_mount(folder, "doctor").exit_code == 0
    assert on_read_only_mount(folder, "backup", str(tmp_path / "kopie.db")).exit_code == 0
    assert files(folder) == before


def test_a_restore_onto_a_read_only_mount_is_one_line(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    folder = db_path.parent
    before = files(folder)
    line = error_line(on_read_only_mount(folder, "restore", str(backup), "--yes"))
    assert "read-only" in line
    assert files(folder) == before


def test_committed_changes_in_a_wal_are_read_not_skipped(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """A case file copied with its WAL (never checkpointed): read-only, the WAL still counts."""
    elsewhere = tmp_path / "stick"
    elsewhere.mkdir(mode=0o700)
    con = sqlite3.connect(db_path, isolation_level=None)
    try:
        con.execute("PRAGMA wal_autocheckpoint = 0")
        con.execute("UPDATE cases SET title = 'Alleen in de WAL'")
        for suffix in ("", "-wal", "-shm"):
            shutil.copy(f"{db_path}{suffix}", elsewhere / f"caseload.db{suffix}")
    finally:
        con.close()
    assert (elsewhere / "caseload.db-wal").stat().st_size > 0
    result = on_read_only_mount(
        elsewhere, "--db", str(elsewhere / "caseload.db"), "case", "list", "-f", "json"
    )
    assert result.exit_code == 0, result.stderr
    assert "Alleen in de WAL" in result.stdout


def test_a_file_that_needs_an_upgrade_on_a_read_only_mount_is_one_line(
    run: Run, family: str, db_path: Path
) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from icrctl.db.migrate import alembic_config

    engine = create_engine(f"sqlite:///{db_path}")
    try:
        command.downgrade(alembic_config(engine), "0006")
    finally:
        engine.dispose()
    folder = db_path.parent
    before = files(folder)
    line = error_line(on_read_only_mount(folder, "case", "list"))
    assert "read-only" in line
    assert files(folder) == before, "no automatic backup tried"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the folder to another user")
def test_a_folder_read_only_by_its_modes_for_an_unprivileged_user(
    run: Run, family: str, db_path: Path
) -> None:
    """``chmod`` makes it read-only for anyone but root: run as ``nobody``."""
    if shutil.which("setpriv") is None:
        pytest.skip("no setpriv program to run as another user")
    home = Path(tempfile.mkdtemp(prefix="icrctl-ro-"))
    try:
        home.chmod(0o755)
        folder = home / "data"
        folder.mkdir()
        shutil.copy(db_path, folder / "caseload.db")
        os.chown(folder, 65534, 65534)
        os.chown(folder / "caseload.db", 65534, 65534)
        (folder / "caseload.db").chmod(0o400)
        folder.chmod(0o500)
        user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        env = {**os.environ, "ICRCTL_DB": str(folder / "caseload.db"), "HOME": str(home)}

        def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
            command = [*user, sys.executable, "-m", "icrctl", *args]
            return subprocess.run(
                command, cwd=REPO, env=env, capture_output=True, text=True, check=False
            )

        probe = as_nobody("--version")
        if probe.returncode != 0:
            pytest.skip(f"nobody cannot run this Python here: {probe.stderr.strip()[-200:]}")
        before = files(folder)
        listed = as_nobody("case", "list", "-f", "json")
        assert listed.returncode == 0, listed.stderr
        assert family in listed.stdout
        changed = as_nobody("log", family, "Gebeld", "--kind", "phone")
        assert changed.returncode == 1
        assert "read-only" in changed.stderr
        assert files(folder) == before
    finally:
        shutil.rmtree(home, ignore_errors=True)
