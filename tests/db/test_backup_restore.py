"""``backup`` and ``restore``, the automatic backups, and the files that hold personal data:
private modes, no hard links, no folder others can write to, a warning on a network disk."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import Run, refused

pytestmark = pytest.mark.sqlite_only(
    reason="copies, checks and restores the SQLite .db file itself "
    "(a team database's backup: tests/db/test_server_maintenance.py)"
)

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "caseload.yaml"
GARBAGE = bytes(range(256)) * 16 + b"not an SQLite database at all"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def integrity(db: Path) -> list[str]:
    return [r[0] for r in query(db, "PRAGMA integrity_check")]  # type: ignore[misc]


def data(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the audit log (which logs the restore itself)."""
    tables = [
        r[0] for r in query(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    return {
        str(t): query(db, f'SELECT * FROM "{t}" ORDER BY 1')
        for t in tables
        if t not in ("audit_log", "sqlite_sequence")
    }


def refs(run: Run, *db: str) -> list[str]:
    return [c["ref"] for c in run(*db, "case", "list", "--all", "-f", "json").json()]


# --- backup FILE ----------------------------------------------------------------------------


def test_backup_is_a_private_sound_copy_even_with_umask_0(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "copies" / "kopie.db"
    target.parent.mkdir()
    with umask(0):
        run("backup", str(target))
    assert mode(target) == 0o600
    assert integrity(target) == ["ok"]
    # One self-contained file, no WAL to carry along, no temporary files left behind.
    assert query(target, "PRAGMA journal_mode") == [("delete",)]
    assert sorted(p.name for p in target.parent.iterdir()) == ["kopie.db"]
    assert data(target) == data(db_path)
    assert refs(run, "--db", str(target)) == [family]
    assert "PROBLEM" not in run("--db", str(target), "doctor").stdout


def test_backup_refuses_to_overwrite_without_force(run: Run, family: str, tmp_path: Path) -> None:
    target = tmp_path / "kopie.db"
    target.write_bytes(b"something precious")
    refused(run, "backup", str(target), match="--force", exact=True)
    assert target.read_bytes() == b"something precious"
    run("backup", str(target), "--force")
    assert integrity(target) == ["ok"]
    assert mode(target) == 0o600


def test_backup_refuses_the_case_file_itself_and_a_missing_folder(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    refused(run, "backup", str(db_path), "--force", exact=True)
    refused(run, "backup", str(tmp_path / "nowhere" / "kopie.db"), exact=True)
    assert not (tmp_path / "nowhere").exists()


def test_backup_is_logged(run: Run, family: str, tmp_path: Path) -> None:
    run("backup", str(tmp_path / "kopie.db"))
    last = run("audit", "-f", "json").json()[-1]
    assert (last["action"], last["entity"], last["ref"]) == ("backup", "case_file", None)


WRITER = """
import datetime as dt, pathlib, sys
from icrctl.db.engine import CaseFile
from icrctl.services.context import Context
from icrctl.services.contacts import log_contact

case_file = CaseFile(sys.argv[1])
stop = pathlib.Path(sys.argv[2])
ctx = Context(today=dt.date(2026, 11, 25), user="writer", command="writer")
n = 0
while not stop.exists() and n < 5000:
    with case_file.write() as session:
        log_contact(session, ctx, sys.argv[3], f"contact {n}", kind="phone")
    n += 1
case_file.dispose()
print(n)
"""


def test_backup_while_another_process_writes_is_sound(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(stop), family],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    copies = []
    try:
        deadline = time.monotonic() + 60
        while query(db_path, "SELECT count(*) FROM contacts")[0][0] < 20:  # type: ignore[operator]
            assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
            assert time.monotonic() < deadline, "the writer did not get going"
            time.sleep(0.05)
        for i in range(4):
            target = tmp_path / f"kopie-{i}.db"
            run("backup", str(target))
            copies.append(target)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    written = int(out)
    counts: list[int] = []
    for copy in copies:
        assert integrity(copy) == ["ok"], copy
        assert mode(copy) == 0o600
        # Each copy is one moment: every contact in it has its audit entry, and no more.
        contacts = query(copy, "SELECT count(*) FROM contacts")[0][0]
        assert isinstance(contacts, int)
        logged = query(
            copy,
            "SELECT count(*) FROM audit_log WHERE entity = 'contact' AND action = 'create'",
        )[0][0]
        assert contacts == logged
        counts.append(contacts)
        assert "PROBLEM" not in run("--db", str(copy), "doctor").stdout
    assert counts == sorted(counts)
    assert counts[-1] < written, "the writer was to keep writing while the copies were made"


def test_backup_of_an_unreadable_file_fails_and_writes_nothing(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir(mode=0o700)
    case_file = folder / "caseload.db"
    case_file.write_bytes(GARBAGE)
    target = tmp_path / "kopie.db"
    refused(run, "--db", str(case_file), "backup", str(target), match="unreadable", exact=True)
    assert not target.exists()
    assert case_file.read_bytes() == GARBAGE
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kopie")] == []


# --- automatic backups ----------------------------------------------------------------------


def one_case(n: int) -> str:
    return (
        "version: 1\ncases:\n"
        f"  - {{ref: GO-2026-{n:03d}, title: Familie {n}, opened: 2026-04-01, phase: 2}}\n"
    )


def test_no_automatic_backup_before_an_import_into_an_empty_file(run: Run, db_path: Path) -> None:
    run("import", str(EXAMPLE))
    folder = db_path.parent / "backups"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_automatic_backup_before_an_import_into_a_non_empty_file(
    run: Run, family: str, db_path: Path
) -> None:
    before = data(db_path)
    with umask(0):
        run("import", str(EXAMPLE))
    folder = db_path.parent / "backups"
    made = sorted(folder.iterdir())
    assert len(made) == 1
    backup = made[0]
    assert backup.name.startswith("caseload-")
    assert backup.name.endswith("-before-import.db")
    assert mode(backup) == 0o600
    assert mode(folder) == 0o700
    assert integrity(backup) == ["ok"]
    assert data(backup) == before, "the copy holds the file as it was before the import"


def test_a_dry_run_or_an_import_that_changes_nothing_makes_no_backup(
    run: Run, family: str, db_path: Path
) -> None:
    run("import", "-", input=one_case(100))
    folder = db_path.parent / "backups"
    assert len(list(folder.iterdir())) == 1
    run("import", "--dry-run", "-", input=one_case(101))
    run("import", "-", input=one_case(100))  # already there: nothing to change
    assert len(list(folder.iterdir())) == 1


def test_only_the_last_five_automatic_backups_are_kept(
    run: Run, family: str, db_path: Path
) -> None:
    folder = db_path.parent / "backups"
    made: list[set[str]] = []
    for n in range(100, 107):
        run("import", "-", input=one_case(n))
        made.append({p.name for p in folder.iterdir()})
    assert len(made[-1]) == 5
    # The newest are kept: the last backup holds the case of the second-to-last import.
    newest = max(folder.iterdir())
    assert ("GO-2026-105",) in query(newest, "SELECT ref FROM cases")
    first_two = made[1]
    assert not first_two & made[-1], "the two oldest backups were to be removed"


# --- restore FILE ---------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_replaced_file(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    saved = data(backup)
    run("case", "create", "GO-2026-099", "--title", "Familie Later")
    run("member", "remove", family, "Noor de Vries")
    replaced = data(db_path)
    with umask(0):
        result = run("restore", str(backup), "--yes")
    assert "before-restore" in result.stdout
    assert data(db_path) == saved
    assert refs(run) == [family]
    kept = db_path.with_name("caseload.db.before-restore")
    assert data(kept) == replaced
    assert mode(kept) == 0o600
    assert mode(db_path) == 0o600
    assert integrity(db_path) == ["ok"]
    # The restore is logged in the restored file, and its chain holds.
    last = run("audit", "-f", "json").json()[-1]
    assert (last["action"], last["entity"]) == ("restore", "case_file")
    assert "PROBLEM" not in run("doctor").stdout
    assert backup.exists(), "the backup itself stays"


def test_restore_of_a_garbage_file_is_refused_and_changes_nothing(
    run: Run, family: str, tmp_path: Path
) -> None:
    junk = tmp_path / "kopie.db"
    junk.write_bytes(GARBAGE)
    refused(run, "restore", str(junk), "--yes", match="not a sound backup", exact=True)
    assert junk.read_bytes() == GARBAGE


def test_restore_refuses_another_programs_database_and_a_missing_file(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "places.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE bookmarks (url TEXT)")
    con.commit()
    con.close()
    refused(run, "restore", str(other), "--yes", match="not an icrctl case file", exact=True)
    refused(run, "restore", str(tmp_path / "nope.db"), "--yes", match="no backup", exact=True)
    assert not db_path.with_name("caseload.db.before-restore").exists()


def test_restore_of_a_backup_from_a_newer_icrctl_is_refused(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """Swapping it in would leave a case file this icrctl cannot open."""
    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    con = sqlite3.connect(backup)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    refused(run, "restore", str(backup), "--yes", match="'0099'", exact=True)
    assert not db_path.with_name("caseload.db.before-restore").exists()


def test_restore_of_an_older_backup_migrates_it(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from icrctl.db.migrate import alembic_config
    from icrctl.db.migrations import HEAD

    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    engine = create_engine(f"sqlite:///{backup}")
    try:
        command.downgrade(alembic_config(engine), "0001")
    finally:
        engine.dispose()
    run("case", "create", "GO-2026-099", "--title", "Familie Later")
    run("restore", str(backup), "--yes")
    assert query(db_path, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert refs(run) == [family]
    assert "PROBLEM" not in run("doctor").stdout


def test_restore_without_yes_and_no_terminal_is_refused(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    run("case", "create", "GO-2026-099", "--title", "Familie Later")
    refused(run, "restore", str(backup), input="y\n", match="--yes", exact=True)
    assert not db_path.with_name("caseload.db.before-restore").exists()


def test_restore_removes_a_stale_wal_that_would_replay_onto_the_backup(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """An unreadable case file with a WAL beside it: the WAL must not outlive the swap."""
    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    saved = data(backup)
    # A valid WAL with committed frames, made on another copy of the same data.
    other = tmp_path / "other" / "caseload.db"
    other.parent.mkdir()
    shutil.copy(backup, other)
    con = sqlite3.connect(other, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("UPDATE cases SET title = 'STALE WAL'")
    stale_wal = Path(f"{other}-wal").read_bytes()
    stale_shm = Path(f"{other}-shm").read_bytes()
    con.close()
    assert b"STALE WAL" in stale_wal
    # The case file went bad; the stale WAL and SHM lie beside it.
    db_path.write_bytes(GARBAGE)
    Path(f"{db_path}-wal").write_bytes(stale_wal)
    Path(f"{db_path}-shm").write_bytes(stale_shm)
    run("restore", str(backup), "--yes")
    assert data(db_path) == saved
    assert refs(run) == [family]
    assert "STALE WAL" not in run("case", "show", family, "-f", "json").stdout
    assert db_path.with_name("caseload.db.before-restore").read_bytes() == GARBAGE
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or b"STALE WAL" not in wal.read_bytes()
    assert "PROBLEM" not in run("doctor").stdout


def test_restore_into_a_missing_case_file(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "src" / "caseload.db"
    run("--db", str(source), "case", "create", "GO-1", "--title", "Familie Een")
    backup = tmp_path / "kopie.db"
    run("--db", str(source), "backup", str(backup))
    target = tmp_path / "new" / "caseload.db"
    run("--db", str(target), "restore", str(backup), "--yes")
    assert refs(run, "--db", str(target)) == ["GO-1"]
    assert mode(target) == 0o600


def test_restore_from_a_plain_copy_of_a_case_file(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """A copy made with cp (WAL mode, not made by 'icrctl backup') is accepted too."""
    copy = tmp_path / "cp-kopie.db"
    shutil.copy(db_path, copy)
    run("case", "create", "GO-2026-099", "--title", "Familie Later")
    run("restore", str(copy), "--yes")
    assert refs(run) == [family]


def test_two_restores_in_a_row_keep_both_earlier_states(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """The newest restore point keeps its documented name; an earlier one is set aside under
    the time it was made, never overwritten."""
    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    run("case", "create", "GO-2026-098", "--title", "Familie Eerst")
    first = data(db_path)
    run("restore", str(backup), "--yes")
    run("case", "create", "GO-2026-099", "--title", "Familie Daarna")
    second = data(db_path)
    result = run("restore", str(backup), "--yes")
    newest = db_path.with_name("caseload.db.before-restore")
    assert str(newest) in " ".join(result.stdout.split())
    older = sorted(db_path.parent.glob("caseload.db.before-restore-*"))
    assert len(older) == 1
    assert re.fullmatch(r"\d{8}T\d{12}", older[0].name.removeprefix(newest.name + "-"))
    assert data(newest) == second
    assert data(older[0]) == first
    assert mode(older[0]) == mode(newest) == 0o600
    from icrctl.db.backups import restore_points

    assert set(restore_points(db_path)) == {older[0], newest}


def test_restore_through_a_symlink_restores_its_target_and_keeps_the_link(
    run: Run, family: str, tmp_path: Path
) -> None:
    real = tmp_path / "data" / "caseload.db"
    link_folder = tmp_path / "elsewhere"
    link_folder.mkdir(mode=0o700)
    link = link_folder / "link.db"
    link.symlink_to(real)
    backup = tmp_path / "kopie.db"
    run("--db", str(link), "backup", str(backup))
    saved = data(backup)
    run("--db", str(link), "case", "create", "GO-2026-099", "--title", "Familie Later")
    run("--db", str(link), "restore", str(backup), "--yes")
    assert link.is_symlink()
    assert link.resolve() == real.resolve()
    assert data(real) == saved
    assert real.with_name("caseload.db.before-restore").is_file()
    assert list(link_folder.iterdir()) == [link], "nothing is left beside the link"
    assert refs(run, "--db", str(link)) == [family]


def test_restore_waits_for_a_writer_and_gives_up_in_one_line_changing_nothing(
    run: Run, family: str, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import Holder

    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    run("case", "create", "GO-2026-099", "--title", "Familie Later")
    monkeypatch.setenv("ICRCTL_BUSY_TIMEOUT_MS", "300")
    holder = Holder(db_path)
    try:
        line = refused(run, "restore", str(backup), "--yes", match="locked by another icrctl")
    finally:
        holder.release()
    assert "nothing was changed" in line
    assert sorted(p.name for p in db_path.parent.iterdir() if "restore" in p.name) == []
    assert [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert refs(run) == [family, "GO-2026-099"]


def test_a_restore_leaves_a_reader_its_snapshot_and_the_next_command_the_restored_file(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """The case file is written through SQLite, never swapped under an open connection."""
    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    run("case", "create", "GO-2026-099", "--title", "Familie Later")
    reader = sqlite3.connect(db_path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM cases").fetchone() == (2,)
        inode = db_path.stat().st_ino
        run("restore", str(backup), "--yes")
        assert reader.execute("SELECT count(*) FROM cases").fetchone() == (2,)
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM cases").fetchone() == (1,)
    finally:
        reader.close()
    assert db_path.stat().st_ino == inode
    assert integrity(db_path) == ["ok"]


def test_restore_of_a_backup_with_another_page_size(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """SQLite's backup cannot change a WAL file's page size; the copy is made to fit."""
    backup = tmp_path / "kopie.db"
    run("backup", str(backup))
    con = sqlite3.connect(backup, isolation_level=None)
    con.execute("PRAGMA page_size = 8192")
    con.execute("VACUUM")
    con.close()
    assert query(backup, "PRAGMA page_size") == [(8192,)]
    saved = data(backup)
    run("case", "create", "GO-2026-099", "--title", "Familie Later")
    run("restore", str(backup), "--yes")
    assert data(db_path) == saved
    assert integrity(db_path) == ["ok"]


# --- the files that hold personal data ------------------------------------------------------


def test_exports_and_documents_are_private_even_with_umask_0(
    run: Run, family: str, tmp_path: Path
) -> None:
    run("case", "close", family, "--summary", "Veilig thuis", "--safety", "Stabiel", *CLOSE_ANYWAY)
    files = {
        "export": tmp_path / "export.yaml",
        "werkplan": tmp_path / "werkplan.md",
        "report": tmp_path / "eindrapport.html",
        "week": tmp_path / "week.html",
    }
    with umask(0):
        run("export", "--out", str(files["export"]))
        run("werkplan", family, "--out", str(files["werkplan"]))
        run("report", family, "--out", str(files["report"]))
        run("week", "--html", str(files["week"]))
    for name, path in files.items():
        assert mode(path) == 0o600, name
    actions = [(e["action"], e["entity"]) for e in run("audit", "-f", "json").json()]
    assert ("export", "case_file") in actions
    assert sum(a == "document" for a, _ in actions) == 3


def test_a_case_file_that_is_a_hard_link_is_refused(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other-name.db"
    os.link(db_path, other)
    for db in (db_path, other):
        refused(run, "--db", str(db), "case", "list", match="hard link", exact=True)


def test_a_case_file_in_a_folder_others_can_write_is_refused(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    try:
        db = folder / "caseload.db"
        refused(run, "--db", str(db), "case", "list", match="can be written by others")
        folder.chmod(0o755)  # only the owner writes: fine
        run("--db", str(folder / "caseload.db"), "case", "list")
    finally:
        folder.chmod(0o700)


MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda1 / ext4 rw,relatime 0 0
server:/export/home {home} nfs4 rw,relatime,vers=4.2 0 0
//nas/share {share} cifs rw,relatime 0 0
//nas/share {spaced} cifs rw,relatime 0 0
tmpfs {home}/local tmpfs rw 0 0
"""


def test_network_file_system_detects_nfs_and_cifs(tmp_path: Path) -> None:
    from icrctl.db.engine import network_file_system

    home = tmp_path / "home"
    share = tmp_path / "share"
    spaced = tmp_path / "met spatie"
    mounts = tmp_path / "mounts"
    mounts.write_text(
        MOUNTS.format(home=home, share=share, spaced=str(spaced).replace(" ", "\\040"))
    )
    assert network_file_system(home / "caseload.db", str(mounts)) == "nfs4"
    assert network_file_system(home / "a" / "b" / "caseload.db", str(mounts)) == "nfs4"
    assert network_file_system(share / "caseload.db", str(mounts)) == "cifs"
    assert network_file_system(spaced / "caseload.db", str(mounts)) == "cifs"
    # The longest mount point wins: a local disk mounted inside the network one is local.
    assert network_file_system(home / "local" / "caseload.db", str(mounts)) is None
    # A name that only starts like a mount point is not inside it.
    assert network_file_system(tmp_path / "homework" / "caseload.db", str(mounts)) is None
    assert network_file_system(tmp_path / "elsewhere.db", str(mounts)) is None
    assert network_file_system(home / "x.db", str(tmp_path / "no-such-mounts")) is None


def test_a_case_file_on_a_network_file_system_gives_a_warning(
    run: Run, tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from icrctl.db import engine

    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nserver:/x {db_path.parent.parent} nfs rw 0 0\n")
    real = engine.network_file_system
    monkeypatch.setattr(engine, "network_file_system", lambda path: real(path, str(mounts)))
    result = run("case", "create", "GO-1", "--title", "Familie Een")
    assert "warning: the case file lies on a network file system (nfs)" in result.stderr
    assert "created case GO-1" in result.stdout
