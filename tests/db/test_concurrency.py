"""Two terminals at once: concurrent icrctl processes all get their write in (``BEGIN IMMEDIATE``
and a busy timeout), and a lock held too long gives one clear ``error:`` with nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from icrctl.db.engine import BUSY_TIMEOUT_MS, BUSY_TIMEOUT_VAR, busy_timeout_ms
from tests.helpers import POSTGRES, Holder, Result, Run, error_line, query, unchanged

REPO = Path(__file__).resolve().parents[2]
REF = "GO-2026-014"
PROCESSES = 8
WRITES_EACH = 5


def icrctl(*args: str, **env: str) -> subprocess.Popen[str]:
    """``python -m icrctl ARGS`` as a separate process, with the test's environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "icrctl", *args],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def count(db: Path, sql: str) -> int:
    [(found,)] = query(sql, db=None if POSTGRES else db)
    return int(found)


@pytest.mark.long
def test_40_writes_from_8_parallel_processes_all_succeed(
    run: Run, family: str, db_path: Path
) -> None:
    members_before = count(db_path, "SELECT count(*) FROM members")
    contacts_before = count(db_path, "SELECT count(*) FROM contacts")
    audit_before = count(db_path, "SELECT count(*) FROM audit_log")
    results: list[tuple[str, int, str, str]] = []
    lock = threading.Lock()

    def lane(n: int) -> None:
        # Half the lanes add members, half log contacts: different tables, one audit chain.
        for i in range(WRITES_EACH):
            args: tuple[str, ...]
            if n % 2 == 0:
                args = ("member", "add", family, f"Persoon {n}-{i}", "--role", "family")
            else:
                args = ("log", family, f"telefonisch contact {n}-{i}", "--kind", "phone")
            code, out, err = finish(icrctl(*args))
            with lock:
                results.append((" ".join(args), code, out, err))

    lanes = [threading.Thread(target=lane, args=(n,)) for n in range(PROCESSES)]
    for t in lanes:
        t.start()
    for t in lanes:
        t.join()

    failed = [(args, err) for args, code, _, err in results if code != 0]
    assert failed == []
    assert len(results) == PROCESSES * WRITES_EACH == 40
    new_members = count(db_path, "SELECT count(*) FROM members") - members_before
    new_contacts = count(db_path, "SELECT count(*) FROM contacts") - contacts_before
    assert new_members == new_contacts == 20
    assert new_members + new_contacts == 40
    # Every member got its own key, and every write its own audit entry in one unbroken chain.
    keys = [r["key"] for r in run("member", "list", family, "-f", "json").json()]
    assert len(keys) == len(set(keys)) == members_before + 20
    assert count(db_path, "SELECT count(*) FROM audit_log") - audit_before == 40
    doctor = run("doctor")
    assert "PROBLEM" not in doctor.stdout


def test_a_lock_held_past_the_timeout_is_one_error_line_and_nothing_written(
    run: Run, family: str, db_path: Path
) -> None:
    with unchanged():
        holder = Holder(db_path)
        try:
            started = time.monotonic()
            add = ("member", "add", family, "Kees de Vries", "--role", "family")
            code, out, err = finish(icrctl(*add, ICRCTL_BUSY_TIMEOUT_MS="300"))
            waited = time.monotonic() - started
        finally:
            holder.release()
    line = error_line(Result(code, out, err))
    assert "locked" in line
    assert "nothing was changed" in line
    assert "0.3 s" in line
    assert waited < 8, "the override was to keep the test from waiting the full 10 s"


def test_an_import_under_a_held_lock_writes_nothing_at_all(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """A multi-row write (an import of several cases) is all or nothing."""
    yaml = tmp_path / "more.yaml"
    yaml.write_text(
        "version: 1\ncases:\n"
        + "".join(
            f"  - {{ref: GO-2026-{n:03d}, title: Familie {n}, opened: 2026-04-01, phase: 2,\n"
            f"     members: [{{key: m1, name: Persoon {n}, role: victim}}]}}\n"
            for n in range(100, 105)
        )
    )
    with unchanged():
        holder = Holder(db_path)
        try:
            code, _, err = finish(icrctl("import", str(yaml), ICRCTL_BUSY_TIMEOUT_MS="200"))
        finally:
            holder.release()
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("error: ")
    assert "locked" in err
    assert [c["ref"] for c in run("case", "list", "--all", "-f", "json").json()] == [family]
    assert count(db_path, "SELECT count(*) FROM members") == 3
    # Once the lock is gone the same import goes through whole.
    run("import", str(yaml))
    assert len(run("case", "list", "--all", "-f", "json").json()) == 6


def test_a_backup_under_a_held_lock_writes_no_copy(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """'nothing was changed' must hold for the copy too: no unlogged backup is left behind."""
    target = tmp_path / "kopie.db"
    with unchanged():  # the audit log too: a backup is logged
        holder = Holder(db_path)
        try:
            code, out, err = finish(icrctl("backup", str(target), ICRCTL_BUSY_TIMEOUT_MS="200"))
        finally:
            holder.release()
    assert "locked" in error_line(Result(code, out, err))
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kopie")] == []


def test_a_writer_waits_for_a_short_lock_and_then_succeeds(
    run: Run, family: str, db_path: Path
) -> None:
    holder = Holder(db_path)
    try:
        proc = icrctl("member", "add", family, "Kees de Vries", "--role", "family")
        time.sleep(1.0)
        assert proc.poll() is None, "the writer was to wait for the lock"
    finally:
        holder.release()
    code, out, err = finish(proc)
    assert code == 0, err
    assert "Kees de Vries" in out
    assert "Kees de Vries" in {
        m["name"] for m in run("member", "list", family, "-f", "json").json()
    }


def test_readers_are_not_blocked_by_a_writer(run: Run, family: str, db_path: Path) -> None:
    holder = Holder(db_path)
    try:
        holder.execute("UPDATE cases SET title = 'not yet committed'")
        code, out, err = finish(icrctl("case", "list", "-f", "json", ICRCTL_BUSY_TIMEOUT_MS="200"))
    finally:
        holder.release()
    assert code == 0, err
    assert "Familie De Vries" in out
    assert "not yet committed" not in out


def test_busy_timeout_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BUSY_TIMEOUT_VAR, raising=False)
    assert busy_timeout_ms() == BUSY_TIMEOUT_MS == 10_000
    monkeypatch.setenv(BUSY_TIMEOUT_VAR, "250")
    assert busy_timeout_ms() == 250
    for bad in ("", "soon", "-5", "1.5"):
        monkeypatch.setenv(BUSY_TIMEOUT_VAR, bad)
        assert busy_timeout_ms() == BUSY_TIMEOUT_MS, bad


def test_the_busy_timeout_reaches_the_connection(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sqlalchemy import text

    from icrctl.db.engine import CaseFile

    monkeypatch.setenv(BUSY_TIMEOUT_VAR, "1234")
    cf = CaseFile(str(tmp_path / "t" / "caseload.db"))
    try:
        with cf.write() as session:
            assert session.execute(text("PRAGMA busy_timeout")).scalar() == 1234
    finally:
        cf.dispose()
