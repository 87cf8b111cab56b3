"""Schema migrations: one Alembic head equal to ``HEAD``, upgrade from nothing, down and up again
without losing data, the automatic backup before a migration, and the audit chain checked under
0001's formula, then sealed again by 0002 (a changed chain is refused, the file left as it was).

The 0001 formula here is the tests' own copy, an oracle: it must reproduce every hash of a case
file written by the 0001-era code itself (``data/caseload-0001.sql``)."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import itertools
import json
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from icrctl.db.migrate import REFUSED, alembic_config, script_heads
from icrctl.db.migrations import HEAD
from icrctl.db.seal import anchor_path
from tests.conftest import Run

GENESIS = "0" * 64

pytestmark = pytest.mark.sqlite_only(
    reason="SQLite files of older revisions, made, changed and upgraded "
    "(a team database's migrations: tests/db/test_migrations_server.py)"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def version(db: Path) -> object:
    return query(db, "SELECT version_num FROM alembic_version")[0][0]


def columns(db: Path, table: str) -> list[str]:
    return [str(r[1]) for r in query(db, f"PRAGMA table_info({table})")]


#: Columns later revisions add with a default: left out when data from before and after an
#: upgrade is compared (the audit log is compared on its own, entry by entry).
ADDED_LATER = {
    "cases": {
        "last_member_number",
        "casusregie_partner_id",
        "procesregie",
        "procesregie_partner_id",
        "regiebehandelaar_partner_id",
        "owner",
    },
    "checklist_items": {"done_by"},
    "evaluation_series": {"workdays"},
    "meetings": {"sequence"},
    "members": {"deceased"},
}

#: Tables later revisions add: empty after an upgrade, so left out of the comparison too.
TABLES_ADDED_LATER = {
    "aftercare_contacts",
    "agreements",
    "goal_discussions",
    "indicator_scores",
    "analyses",
    "analysis_factors",
    "interventions",
    "role_fits",
    "case_shares",
    "team_members",
    "settings",
}


def data(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the case's data, in the columns revision 0001 had."""
    tables = [r[0] for r in query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    out = {}
    for table in tables:
        if table in ("alembic_version", "audit_log") or table in TABLES_ADDED_LATER:
            continue
        kept = [c for c in columns(db, table) if c not in ADDED_LATER.get(table, set())]
        names = ", ".join(f'"{c}"' for c in kept)
        out[str(table)] = query(db, f'SELECT {names} FROM "{table}" ORDER BY 1')
    return out


@pytest.fixture
def engine_for(tmp_path: Path) -> Iterator[list[Engine]]:
    made: list[Engine] = []
    yield made
    for e in made:
        e.dispose()


def engine(made: list[Engine], path: Path) -> Engine:
    e = create_engine(f"sqlite:///{path}")
    made.append(e)
    return e


def hash_0001(prev: object, at: object, *values: object) -> str:
    """How 0001-era icrctl hashed an entry: ``at`` as the datetime's isoformat, compact JSON,
    non-ASCII as it is, over the ref itself (``values``: user, command, action, ref, entity,
    fields)."""
    iso = dt.datetime.fromisoformat(str(at)).isoformat()
    payload = json.dumps([prev, iso, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


AUDIT_0001 = (
    "SELECT id, at, user, command, action, ref, entity, fields, prev_hash, hash FROM audit_log"
)


def seal_as_0001(db: Path) -> None:
    """Hash the audit log as a 0001 file has it: over the ref itself, not its digest."""
    con = sqlite3.connect(db)
    prev = GENESIS
    for eid, at, *values, _, _ in con.execute(f"{AUDIT_0001} ORDER BY id").fetchall():
        new = hash_0001(prev, at, *values)
        con.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, new, eid))
        prev = new
    con.commit()
    con.close()


def sealed_as_0001(db: Path) -> bool:
    """Every entry links to the one before it and matches its hash under 0001's formula."""
    prev = GENESIS
    for _, at, *values, prev_hash, stored in query(db, f"{AUDIT_0001} ORDER BY id"):
        if prev_hash != prev or hash_0001(prev_hash, at, *values) != stored:
            return False
        prev = str(stored)
    return True


@pytest.fixture
def at_0001(run: Run, family: str, db_path: Path, engine_for: list[Engine]) -> Path:
    """The family's case file taken back to revision 0001: 0002's downgrade seals the chain
    under 0001's formula again."""
    run("log", family, "Huisbezoek bij Sanne", "--kind", "visit", "--with", "m1")
    run("goal", "add", family, "Veilig thuis")
    command.downgrade(alembic_config(engine(engine_for, db_path)), "0001")
    assert version(db_path) == "0001"
    assert "ref_digest" not in columns(db_path, "audit_log")
    assert sealed_as_0001(db_path)
    # As a file last changed by a 0001-era icrctl, it has no anchor on this computer (one
    # anchored as keyed would be refused: tests/db/test_audit_seal.py).
    anchor_path(db_path).unlink()
    return db_path


# --- the scripts ----------------------------------------------------------------------------


def test_exactly_one_head_and_it_is_HEAD() -> None:
    assert script_heads() == [HEAD]
    scripts = ScriptDirectory.from_config(alembic_config())
    revisions = list(scripts.walk_revisions())
    assert revisions[0].revision == HEAD
    assert revisions[-1].down_revision is None
    # A straight line: every revision but the first follows the one before it.
    ids = [r.revision for r in reversed(revisions)]
    for before, after in itertools.pairwise(ids):
        assert scripts.get_revision(after).down_revision == before


def test_the_engine_knows_every_revision_without_alembic() -> None:
    from icrctl.db.engine import known_revisions

    scripts = ScriptDirectory.from_config(alembic_config())
    assert known_revisions() == {r.revision for r in scripts.walk_revisions()}


def test_upgrade_from_empty(tmp_path: Path, engine_for: list[Engine]) -> None:
    from icrctl.db.models import Base, load_all

    load_all()

    path = tmp_path / "empty.db"
    command.upgrade(alembic_config(engine(engine_for, path)), "head")
    assert version(path) == HEAD
    tables = {str(r[0]) for r in query(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    assert "ref_digest" in columns(path, "audit_log")


def test_a_new_case_file_is_at_head_and_makes_no_backup(run: Run, db_path: Path) -> None:
    run("case", "list")
    assert version(db_path) == HEAD
    assert not (db_path.parent / "backups").exists()


# --- down and up ----------------------------------------------------------------------------


def test_downgrade_to_0001_then_upgrade_keeps_the_data(
    run: Run, family: str, db_path: Path, engine_for: list[Engine]
) -> None:
    run("log", family, "Huisbezoek", "--kind", "visit", "--with", "m1,vt-bakker")
    before = data(db_path)
    audit_before = query(db_path, "SELECT * FROM audit_log ORDER BY id")
    cfg = alembic_config(engine(engine_for, db_path))
    command.downgrade(cfg, "0001")
    assert version(db_path) == "0001"
    assert data(db_path) == before
    command.upgrade(cfg, "head")
    assert version(db_path) == HEAD
    assert data(db_path) == before
    # Sealed again under the same formula: the very same entries and hashes.
    assert query(db_path, "SELECT * FROM audit_log ORDER BY id") == audit_before
    assert "PROBLEM" not in run("doctor").stdout


def test_opening_a_0001_file_backs_it_up_then_upgrades_and_reseals_the_chain(
    run: Run, family: str, at_0001: Path
) -> None:
    before = data(at_0001)
    entries = query(at_0001, "SELECT count(*) FROM audit_log")[0][0]
    assert isinstance(entries, int)
    assert entries > 5
    old_hashes = query(at_0001, "SELECT hash FROM audit_log ORDER BY id")

    listed = run("case", "list", "-f", "json").json()
    assert [c["ref"] for c in listed] == [family]
    assert version(at_0001) == HEAD
    assert data(at_0001) == before
    assert query(at_0001, "SELECT hash FROM audit_log ORDER BY id") != old_hashes

    backups = sorted((at_0001.parent / "backups").iterdir())
    assert len(backups) == 1
    backup = backups[0]
    assert backup.name.startswith("caseload-")
    assert backup.name.endswith("-before-migration-0001.db")
    assert mode(backup) == 0o600
    assert version(backup) == "0001"
    assert data(backup) == before
    assert "ref_digest" not in columns(backup, "audit_log")

    doctor = run("doctor")
    assert "PROBLEM" not in doctor.stdout
    assert f"{HEAD} (current)" in doctor.stdout
    # The old entries are found by their case again, and new ones chain on.
    assert len(run("audit", family, "-f", "json").json()) == entries - 1  # the partner add
    run("member", "add", family, "Kees de Vries", "--role", "family")
    assert "PROBLEM" not in run("doctor").stdout


def test_doctor_on_a_0001_file_is_read_only_and_says_it_will_be_upgraded(
    run: Run, at_0001: Path
) -> None:
    before = at_0001.read_bytes()
    result = run("doctor")
    assert "PROBLEM" not in result.stdout
    assert "0001" in result.stdout
    assert version(at_0001) == "0001"
    assert at_0001.read_bytes() == before
    assert not (at_0001.parent / "backups").exists()


# The audit entries' hashes are left empty here and sealed the 0001 way by the test.
FILL_0001 = """
INSERT INTO cases (id, ref, title, opened, stage, phase, framework, regie, violence, domains,
                   created_at, updated_at)
VALUES (1, 'GO-2025-001', 'Familie Oud', '2025-01-06', 'inventory', 2, 'voluntary',
        'professional', '[]', '[]', '2025-01-06 09:00:00.000000', '2025-01-06 09:00:00.000000');
INSERT INTO phase_changes (case_id, date, phase, reason, recorded_at)
VALUES (1, '2025-01-06', 2, 'opened', '2025-01-06 09:00:00.000000');
INSERT INTO stage_changes (case_id, date, stage, recorded_at)
VALUES (1, '2025-01-06', 'inventory', '2025-01-06 09:00:00.000000');
INSERT INTO members (case_id, key, name, role, household)
VALUES (1, 'm1', 'Anna Oud', 'victim', 1);
INSERT INTO audit_log (at, user, command, action, ref, entity, fields, prev_hash, hash)
VALUES ('2025-01-06 09:00:00.000000', 'oud', 'icrctl case create', 'create', 'GO-2025-001',
        'case', 'ref,title', '', ''),
       ('2025-01-06 09:01:00.000000', 'oud', 'icrctl member add', 'create', 'GO-2025-001',
        'member', 'key,name', '', ''),
       ('2025-01-06 09:02:00.000000', 'oud', 'icrctl partner add', 'create', NULL,
        'partner', 'key', '', '');
"""


def test_a_file_made_at_0001_is_upgraded_on_first_use(
    run: Run, tmp_path: Path, engine_for: list[Engine]
) -> None:
    folder = tmp_path / "oud"
    folder.mkdir(mode=0o700)
    path = folder / "caseload.db"
    command.upgrade(alembic_config(engine(engine_for, path)), "0001")
    engine_for[-1].dispose()
    path.chmod(0o600)
    con = sqlite3.connect(path)
    con.executescript(FILL_0001)
    con.close()
    seal_as_0001(path)
    assert version(path) == "0001"
    before = data(path)
    db = ("--db", str(path))

    assert [m["name"] for m in run(*db, "member", "list", "GO-2025-001", "-f", "json").json()] == [
        "Anna Oud"
    ]
    assert version(path) == HEAD
    assert data(path) == before
    backups = list((folder / "backups").glob("caseload-*-before-migration-0001.db"))
    assert len(backups) == 1
    assert version(backups[0]) == "0001"
    assert mode(backups[0]) == 0o600
    # 0002 gave every entry its digest and sealed the chain: doctor finds nothing wrong.
    assert "PROBLEM" not in run(*db, "doctor").stdout
    logged = run(*db, "audit", "GO-2025-001", "-f", "json").json()
    assert [(e["action"], e["entity"]) for e in logged] == [
        ("create", "case"),
        ("create", "member"),
    ]
    # Opening again neither migrates nor backs up again.
    run(*db, "case", "list")
    assert len(list((folder / "backups").iterdir())) == 1


def test_a_schema_from_a_newer_icrctl_is_refused_without_a_backup(
    run: Run, family: str, db_path: Path
) -> None:
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    before = db_path.read_bytes()
    for _ in range(3):
        result = run("case", "list", ok=False)
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("error: ")
        assert "'0099'" in lines[0]
        assert "newer" in lines[0]
        assert "Traceback" not in result.stderr
    assert db_path.read_bytes() == before
    assert not (db_path.parent / "backups").exists()
    doctor = run("doctor", ok=False)
    assert doctor.exit_code == 1
    assert "PROBLEM" in doctor.stdout
    assert "unknown" in doctor.stdout


# --- a file the 0001-era code wrote: checked first, then sealed, or refused -----------------

STORED_0001 = Path(__file__).with_name("data") / "caseload-0001.sql"
VERSIONS = Path(alembic_config().get_main_option("script_location") or "") / "versions"


def load_0001(folder: Path) -> Path:
    """The case file the 0001-era code wrote, as it lay on disk: WAL, 0600 in a 0700 folder."""
    folder.mkdir(mode=0o700)
    path = folder / "caseload.db"
    con = sqlite3.connect(path)
    con.executescript(STORED_0001.read_text(encoding="utf-8"))
    con.execute("PRAGMA journal_mode = WAL")
    con.close()
    path.chmod(0o600)
    return path


@pytest.fixture
def stored_0001(tmp_path: Path) -> Path:
    return load_0001(tmp_path / "oud")


def everything(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, the audit log and the schema itself included."""
    tables = [r[0] for r in query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    rows = {str(t): query(db, f'SELECT * FROM "{t}" ORDER BY 1') for t in tables}
    rows["sqlite_master"] = query(db, "SELECT type, name, sql FROM sqlite_master ORDER BY 2")
    return rows


def test_the_tests_0001_formula_is_the_one_0001_used(stored_0001: Path) -> None:
    assert sealed_as_0001(stored_0001)
    # Entries by a user with a non-ASCII name: their hashes hold only without ASCII escapes.
    assert query(stored_0001, "SELECT count(*) FROM audit_log WHERE user = 'jüri'") == [(2,)]


def test_a_0001_file_goes_through_every_later_migration(
    stored_0001: Path, engine_for: list[Engine]
) -> None:
    cfg = alembic_config(engine(engine_for, stored_0001))
    scripts = ScriptDirectory.from_config(cfg)
    later = [r.revision for r in reversed(list(scripts.walk_revisions("0001", "head")))][1:]
    assert later
    for revision in later:
        command.upgrade(cfg, revision)
        assert version(stored_0001) == revision
    assert "ref_digest" in columns(stored_0001, "audit_log")


def test_an_untouched_0001_file_upgrades_and_its_chain_holds(run: Run, stored_0001: Path) -> None:
    db = ("--db", str(stored_0001))
    before = data(stored_0001)
    logged = "SELECT id, at, user, command, action, ref, entity, fields FROM audit_log ORDER BY id"
    entries = query(stored_0001, logged)

    assert {c["ref"] for c in run(*db, "case", "list", "-f", "json").json()} == {
        "GO-2026-014",
        "GO-2026-015",
    }
    assert version(stored_0001) == HEAD
    assert data(stored_0001) == before
    assert query(stored_0001, logged) == entries
    assert not sealed_as_0001(stored_0001)  # sealed again, under 0002's formula

    doctor = run(*db, "doctor")  # exit 0
    assert "PROBLEM" not in doctor.stdout
    # Found by their case again through the digest, and a new entry chains on to the last.
    ours = [e for e in entries if e[5] == "GO-2026-014"]
    assert len(run(*db, "audit", "GO-2026-014", "-f", "json").json()) == len(ours)
    [(last_id, last_hash)] = query(
        stored_0001, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
    )
    run(*db, "member", "add", "GO-2026-014", "Kees de Vries", "--role", "family")
    [(first_new,)] = query(
        stored_0001, f"SELECT prev_hash FROM audit_log WHERE id > {last_id} LIMIT 1"
    )
    assert first_new == last_hash
    assert "PROBLEM" not in run(*db, "doctor").stdout


def rehash_0001(con: sqlite3.Connection, eid: int) -> None:
    """Recompute one entry's hash after changing it, as someone who knows the formula would."""
    row = con.execute(f"{AUDIT_0001} WHERE id = ?", (eid,)).fetchone()
    _, at, *values, prev_hash, _ = row
    con.execute(
        "UPDATE audit_log SET hash = ? WHERE id = ?", (hash_0001(prev_hash, at, *values), eid)
    )


def changed_and_hashed_again(con: sqlite3.Connection) -> None:
    con.execute("UPDATE audit_log SET ref = 'GO-2026-015' WHERE id = 10")
    rehash_0001(con, 10)


Tamper = str | Callable[[sqlite3.Connection], None]
TAMPERING: dict[str, tuple[Tamper, str]] = {
    "a field changed": (
        "UPDATE audit_log SET fields = 'born,key,name,phone,role' WHERE id = 8",
        "entry 8 was changed after it was written",
    ),
    "the user changed": (
        "UPDATE audit_log SET user = 'root' WHERE id = 9",
        "entry 9 was changed after it was written",
    ),
    "an entry in the middle removed": (
        "DELETE FROM audit_log WHERE id = 6",
        "entry 7 does not follow the entry before it",
    ),
    "the first entry removed": (
        "DELETE FROM audit_log WHERE id = 1",
        "entry 2 does not follow the start of the log",
    ),
    "an entry changed and hashed again": (
        changed_and_hashed_again,
        "entry 11 does not follow the entry before it",
    ),
    "a time made unreadable": (
        "UPDATE audit_log SET at = 'gisteren' WHERE id = 3",
        "entry 3 has a time that cannot be read",
    ),
}


@pytest.mark.parametrize(("tamper", "problem"), TAMPERING.values(), ids=TAMPERING.keys())
def test_a_changed_0001_chain_is_refused_and_the_file_left_as_it_was(
    run: Run, stored_0001: Path, tamper: Tamper, problem: str
) -> None:
    con = sqlite3.connect(stored_0001)
    if isinstance(tamper, str):
        con.execute(tamper)
    else:
        tamper(con)
    con.commit()
    con.close()
    before, rows = stored_0001.read_bytes(), everything(stored_0001)

    for _ in range(2):  # and again: the first refusal left nothing half done
        result = run("--db", str(stored_0001), "case", "list", ok=False)
        assert result.exit_code == 1
        assert "Traceback" not in result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(
            f"error: cannot upgrade the case file {stored_0001}: "
            f"the audit log was changed before the upgrade ({problem}"
        )
        assert "nothing was changed" in line
        assert "icrctl restore" in line

    assert version(stored_0001) == "0001"
    assert "ref_digest" not in columns(stored_0001, "audit_log")
    assert everything(stored_0001) == rows
    assert stored_0001.read_bytes() == before


def test_alembic_itself_refuses_a_changed_chain(
    stored_0001: Path, engine_for: list[Engine]
) -> None:
    """Without the case file around it too: a plain engine, Alembic's own upgrade command."""
    con = sqlite3.connect(stored_0001)
    con.execute("UPDATE audit_log SET entity = 'goal' WHERE id = 12")
    con.commit()
    con.close()
    rows = everything(stored_0001)
    with pytest.raises(Exception, match=r"before the upgrade \(entry 12 was changed") as refused:
        command.upgrade(alembic_config(engine(engine_for, stored_0001)), "head")
    assert type(refused.value).__name__ == REFUSED
    assert everything(stored_0001) == rows


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE audit_log SET user = 'iemand' WHERE id = 3",
        # 0002 hashes the digest, not the ref: a ref pointed at another case shows by its digest.
        "UPDATE audit_log SET ref = 'GO-2026-999' WHERE id = 3",
    ],
    ids=["user", "ref"],
)
def test_the_downgrade_refuses_a_changed_chain_too(
    run: Run, family: str, db_path: Path, engine_for: list[Engine], change: str
) -> None:
    """Down and up again would otherwise seal over a change made at 0002."""
    con = sqlite3.connect(db_path)
    con.execute(change)
    con.commit()
    con.close()
    hashes = query(db_path, "SELECT id, prev_hash, hash FROM audit_log ORDER BY id")
    with pytest.raises(Exception, match=r"before the downgrade \(entry 3 was changed") as refused:
        command.downgrade(alembic_config(engine(engine_for, db_path)), "0001")
    assert type(refused.value).__name__ == REFUSED
    assert query(db_path, "SELECT id, prev_hash, hash FROM audit_log ORDER BY id") == hashes


def icrctl_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = ["(relative)" if node.level else node.module or ""]
        else:
            continue
        found += [
            f"{path.name}:{node.lineno} {n}"
            for n in names
            if n.split(".")[0] in ("icrctl", "(relative)")
        ]
    return found


def test_no_migration_imports_anything_from_icrctl() -> None:
    """Frozen: a migration holds its own tables and formulas, so later code cannot change it."""
    scripts = sorted(VERSIONS.glob("*.py"))
    assert [p.name.split("_", 1)[0] for p in scripts] == sorted(
        r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    )
    assert [hit for p in scripts for hit in icrctl_imports(p)] == []


def test_refused_upgrades_keep_the_good_automatic_backups(run: Run, stored_0001: Path) -> None:
    """A refused upgrade leaves the file as it was, so its copy is dropped again: trying a
    tampered file more often than backups are kept must not push out the copies made before."""
    from icrctl.db import backups

    good = [
        backups.automatic_backup(stored_0001, "before-import", dt.datetime(2026, 11, day, 9))
        for day in range(1, backups.KEEP + 1)
    ]
    con = sqlite3.connect(stored_0001)
    con.execute("UPDATE audit_log SET user = 'root' WHERE id = 9")
    con.commit()
    con.close()

    for _ in range(backups.KEEP + 2):
        run("--db", str(stored_0001), "case", "list", ok=False)

    assert backups.automatic_backups(stored_0001) == good
    assert all(copy.exists() for copy in good)


def test_failed_upgrade_attempts_make_one_automatic_backup_not_one_each(
    run: Run, stored_0001: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgrade that fails for another reason than a refusal (here: another program holds the
    write lock) leaves the file as it was; trying again and again must not make a copy each
    time and push out the good ones: at most one automatic backup per revision."""
    from icrctl.db import backups
    from tests.helpers import Holder

    good = [
        backups.automatic_backup(stored_0001, "before-import", dt.datetime(2026, 11, day, 9))
        for day in range(1, backups.KEEP)
    ]
    monkeypatch.setenv("ICRCTL_BUSY_TIMEOUT_MS", "100")
    holder = Holder(stored_0001)
    try:
        for _ in range(backups.KEEP + 2):
            result = run("--db", str(stored_0001), "case", "list", ok=False)
            assert "locked" in result.stderr
    finally:
        holder.release()
    kept = backups.automatic_backups(stored_0001)
    assert kept[:-1] == good
    assert kept[-1].name.endswith("-before-migration-0001.db")
    assert version(kept[-1]) == "0001"
    # The lock gone, the upgrade goes through on the same copy.
    run("--db", str(stored_0001), "case", "list")
    assert backups.automatic_backups(stored_0001) == kept


def test_an_accepted_upgrade_keeps_its_backup_and_prunes_the_oldest(
    run: Run, stored_0001: Path
) -> None:
    from icrctl.db import backups

    old = [
        backups.automatic_backup(stored_0001, "before-import", dt.datetime(2026, 11, day, 9))
        for day in range(1, backups.KEEP + 1)
    ]
    run("--db", str(stored_0001), "case", "list")

    kept = backups.automatic_backups(stored_0001)
    assert len(kept) == backups.KEEP
    assert kept[:-1] == old[1:]
    assert kept[-1].name.endswith("-before-migration-0001.db")
    assert version(kept[-1]) == "0001"


def test_a_migration_keeps_foreign_keys_on_for_the_commands_after_it(stored_0001: Path) -> None:
    """Migrations run with foreign keys off (a batch rebuild would cascade otherwise); the
    connection the command goes on with must have them on again."""
    from sqlalchemy import text

    from icrctl.db.engine import CaseFile

    case_file = CaseFile(str(stored_0001))
    try:
        with case_file.write() as session:
            assert version(stored_0001) == HEAD
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        case_file.dispose()
    assert data(stored_0001)["series_attendees"]
    assert all(row[2] is not None for row in data(stored_0001)["meetings"])
