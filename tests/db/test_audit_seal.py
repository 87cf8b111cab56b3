"""The audit log cannot be switched off, cut or rewritten unseen: no trigger (view, table, index)
icrctl did not create is accepted; the chain and the ref digests of a personal case file are
HMACs under a key kept outside the file; the log's head is anchored outside the file, so removing
the newest entries shows; a schema version set back is refused before anything seals it anew.

Each test reproduces an attack on the file first (with sqlite3, as anyone who can open the file
could), then shows that it now does no harm. Tests of the SQLite file carry ``sqlite_only``; the
server's own checks (foreign triggers, rules and functions) run on PostgreSQL only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from icrctl.db import seal
from icrctl.db.migrations import HEAD
from icrctl.db.schema import expected
from tests.helpers import (
    CONFIG_FOLDER,
    POSTGRES,
    Run,
    error_line,
    query,
    refused,
    snapshot,
    unchanged,
)

SQLITE = pytest.mark.sqlite_only(reason="the personal case file, changed with sqlite3")
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")
NO_AUDIT = (
    "CREATE TRIGGER no_audit AFTER INSERT ON audit_log "
    "BEGIN DELETE FROM audit_log WHERE id = new.id; END"
)


def sql(db: Path, statement: str, *params: object) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        rows = con.execute(statement, params).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def problems(run: Run) -> list[str]:
    result = run("doctor", ok=None)
    return [line for line in result.stdout.splitlines() if "PROBLEM" in line]


def the_key() -> bytes:
    key = seal.audit_key(create=False)
    assert key is not None
    return key


def doctor_says(run: Run, *words: str) -> str:
    """Doctor's report fails and says ``words`` (each on one line of a wide table)."""
    with pytest.MonkeyPatch.context() as wide:
        wide.setenv("COLUMNS", "1000")
        result = run("doctor", ok=False)
    assert result.exit_code == 1
    flat = " ".join(part.strip() for line in result.stdout.splitlines() for part in line.split("│"))
    for word in words:
        assert word in flat, result.stdout
    return flat


# --- 2. a trigger switches the audit log off ----------------------------------------------------


@SQLITE
def test_a_planted_trigger_is_refused_on_open_and_nothing_goes_unaudited(
    run: Run, family: str, db_path: Path
) -> None:
    sql(db_path, NO_AUDIT)
    before = query("SELECT count(*) FROM audit_log", db=db_path)
    line = refused(run, "log", family, "Huisbezoek", "--kind", "visit", match="trigger no_audit")
    assert "icrctl did not create" in line
    refused(run, "case", "list", match="trigger no_audit")
    assert query("SELECT count(*) FROM contacts", db=db_path) == [(0,)]
    assert query("SELECT count(*) FROM audit_log", db=db_path) == before
    doctor_says(run, "schema objects", "PROBLEM", "trigger no_audit")


@SQLITE
@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (["CREATE VIEW everyone AS SELECT name, phone FROM members"], "view everyone"),
        (["CREATE TABLE stash (x TEXT)"], "table stash"),
        (["CREATE INDEX ix_sneaky ON members (name)"], "index ix_sneaky"),
        (
            [
                "CREATE TEMP TABLE IF NOT EXISTS t (x)",
                "CREATE TRIGGER keep_names AFTER DELETE ON members "
                "BEGIN UPDATE cases SET title = old.name; END",
            ],
            "trigger keep_names",
        ),
    ],
    ids=["view", "table", "index", "trigger-on-delete"],
)
def test_any_object_icrctl_did_not_create_is_named(
    run: Run, family: str, db_path: Path, statements: list[str], named: str
) -> None:
    for statement in statements:
        sql(db_path, statement)
    refused(run, "member", "list", family, match=named)
    doctor_says(run, named)


@SQLITE
def test_backup_and_restore_refuse_a_file_with_a_planted_trigger(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    good = tmp_path / "goed.db"
    run("backup", str(good))
    bad = tmp_path / "slecht.db"
    run("backup", str(bad))
    sql(bad, NO_AUDIT)
    refused(run, "restore", str(bad), "--yes", match="trigger no_audit", exact=True)
    assert not db_path.with_name(db_path.name + ".before-restore").exists()
    # The case file itself planted: backup refuses to copy it, restore of a good copy mends it.
    sql(db_path, NO_AUDIT)
    refused(run, "backup", str(tmp_path / "kopie.db"), match="trigger no_audit")
    assert not (tmp_path / "kopie.db").exists()
    run("restore", str(good), "--yes")
    assert problems(run) == []


@SQLITE
def test_a_trigger_in_a_file_at_an_old_revision_is_refused_before_the_upgrade(
    run: Run, family: str, db_path: Path
) -> None:
    """The upgrade writes the audit log (0008 seals it): a trigger must not run then either."""
    sql(db_path, NO_AUDIT)
    sql(db_path, "UPDATE alembic_version SET version_num = '0007'")
    refused(run, "case", "list", match="trigger no_audit", exact=True)
    assert not (db_path.parent / "backups").exists()
    doctor_says(run, "trigger no_audit")


def test_the_expected_schema_is_exactly_what_the_migrations_make(run: Run, tmp_path: Path) -> None:
    """Derived from the models, held to the migrations: a fresh file has every object the
    models name and nothing else (SQLite's own key indexes aside)."""
    if POSTGRES:
        pytest.skip("the SQLite file's schema; the server's is checked by test_doctor_on_a_server")
    db = tmp_path / "vers" / "caseload.db"
    run("--db", str(db), "status")
    rows = sql(db, "SELECT type, name, tbl_name FROM sqlite_master")
    made = {name: (kind, table) for kind, name, table in rows if not name.startswith("sqlite_")}
    assert made == expected()


def test_the_expected_schema_is_the_models() -> None:
    """``schema.TABLES`` is written out (read on every open without mapping every class): it is
    every table of the models with its named indexes, no more, no less."""
    from icrctl.db.schema import TABLES, derived

    assert derived() == TABLES, "copy derived() into icrctl/db/schema.py's TABLES"


# --- 3. the audit trail cut or rewritten ----------------------------------------------------------


@SQLITE
def test_deleting_the_newest_entries_is_detected(run: Run, family: str, db_path: Path) -> None:
    run("log", family, "Huisbezoek", "--kind", "visit")
    run("goal", "add", family, "Veilig thuis")
    assert problems(run) == []
    sql(db_path, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    doctor_says(run, "audit log anchor", "PROBLEM", "newest were removed")
    # Every command says so once; a change goes on, but the anchor stays as the evidence.
    listed = run("case", "list")
    assert "newest were removed" in listed.stderr
    assert listed.stderr.startswith("warning: ")
    run("log", family, "Telefoon", "--kind", "phone")
    doctor_says(run, "audit log anchor", "is not the one this computer anchored")


@SQLITE
def test_putting_an_older_copy_in_place_by_hand_shows_and_restore_rewinds_the_anchor(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "kopie.db"
    run("backup", str(copy))
    run("log", family, "Huisbezoek", "--kind", "visit")
    before = copy.read_bytes()
    db_path.with_name(db_path.name + "-wal").unlink(missing_ok=True)
    db_path.write_bytes(before)
    doctor_says(run, "the newest were removed, or an older copy was put in place")
    run("restore", str(copy), "--yes")  # the same copy, through icrctl: the anchor follows
    assert problems(run) == []
    anchor = seal.read_anchor(db_path)
    assert anchor is not None
    assert anchor.head == seal.head_of(sqlite3.connect(db_path))


def rewrite_as_0001(db: Path, action: str = "delete") -> None:
    """What an attacker does without the key: edit every entry and hash the chain again with
    0001's formula (over the ref itself), which needs no secret."""
    con = sqlite3.connect(db)
    prev = seal.GENESIS
    rows = con.execute(
        'SELECT id, at, "user", command, ref, entity, fields FROM audit_log ORDER BY id'
    ).fetchall()
    for eid, at, user, command, ref, entity, fields in rows:
        iso = dt.datetime.fromisoformat(at).isoformat()
        payload = json.dumps(
            [prev, iso, user, command, action, ref, entity, fields],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        new = hashlib.sha256(payload.encode()).hexdigest()
        con.execute(
            "UPDATE audit_log SET action = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (action, prev, new, eid),
        )
        prev = new
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()


@SQLITE
def test_a_version_set_back_to_0001_is_refused_and_nothing_is_sealed_again(
    run: Run, family: str, db_path: Path
) -> None:
    run("log", family, "Huisbezoek", "--kind", "visit")
    sql(db_path, "UPDATE alembic_version SET version_num = '0001'")
    with unchanged(exact=True):
        line = error_line(run("case", "list", ok=False))
    assert "the version was set back outside icrctl" in line
    assert not (db_path.parent / "backups").exists()
    doctor_says(run, "audit log chain", "sealed with the audit key, yet the schema version")


@SQLITE
def test_a_rewritten_chain_at_0001_is_refused_because_the_anchor_says_it_was_keyed(
    run: Run, family: str, db_path: Path
) -> None:
    """The full attack: every entry edited and hashed again as 0001 did, the version set back
    so that the upgrade would check it under 0001's formula and seal it anew."""
    run("log", family, "Huisbezoek", "--kind", "visit")
    rewrite_as_0001(db_path)
    sql(db_path, "DROP INDEX ix_audit_log_at")
    sql(db_path, "ALTER TABLE audit_log DROP COLUMN ref_digest")
    for _ in range(2):
        with unchanged(exact=True):
            line = error_line(run("log", family, "Telefoon", "--kind", "phone", ok=False))
        assert "sealed with the audit key already, yet its schema version says 0001" in line
    assert set(query("SELECT action FROM audit_log", db=db_path)) == {("delete",)}
    assert query("SELECT version_num FROM alembic_version", db=db_path) == [("0001",)]
    doctor_says(run, "audit log anchor", "PROBLEM")


@SQLITE
def test_the_chain_hashed_again_without_the_key_does_not_fool_doctor(
    run: Run, family: str, db_path: Path
) -> None:
    rewrite_as_0001(db_path)
    sql(db_path, f"UPDATE alembic_version SET version_num = '{HEAD}'")
    # The same with 0002's formula over the digests (as 0002 to 0007 hashed), by hand.
    doctor_says(run, "audit log chain", "not sealed with the audit key")
    refused(run, "log", family, "Telefoon", "--kind", "phone", match="not sealed with the audit")


@SQLITE
def test_hmac_under_a_guessed_key_does_not_fool_doctor(
    run: Run, family: str, db_path: Path
) -> None:
    """An attacker who keeps the first entry's genesis and hashes everything again under a key
    of their own (they do not have ours)."""
    from icrctl.services.audit import chain_hash

    guess = b"\x01" * 32
    con = sqlite3.connect(db_path)
    prev = con.execute("SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1").fetchone()[0]
    rows = con.execute(
        'SELECT id, at, "user", command, ref_digest, entity, fields FROM audit_log ORDER BY id'
    ).fetchall()
    for eid, at, user, command, ref_digest, entity, fields in rows:
        when = dt.datetime.fromisoformat(at)
        new = chain_hash(prev, when, user, command, "delete", ref_digest, entity, fields, guess)
        con.execute(
            "UPDATE audit_log SET action = 'delete', prev_hash = ?, hash = ? WHERE id = ?",
            (prev, new, eid),
        )
        prev = new
    con.commit()
    con.close()
    doctor_says(run, "audit log chain", "entry 1 was changed after it was written")


@SQLITE
def test_a_purged_refs_digest_cannot_be_found_by_trying_refs(
    run: Run, family: str, db_path: Path
) -> None:
    ref = "GO-2026-777"
    run("case", "create", ref, "--title", "Familie Geheim")
    run("log", ref, "Huisbezoek", "--kind", "visit")
    run("case", "close", ref, "--summary", "Klaar", "--safety", "Veilig", *CLOSE_ANYWAY)
    run("case", "purge", ref, "--yes")
    digests = {
        row[0]
        for row in sql(db_path, "SELECT ref_digest FROM audit_log WHERE ref IS NULL")
        if row[0] is not None
    }
    assert digests
    tried = {f"GO-2026-{n:03d}" for n in range(1000)}
    assert ref in tried
    plain = {hashlib.sha256(t.encode()).hexdigest() for t in tried}
    assert not plain & digests  # the unsalted SHA-256 of the ref no longer finds it
    wrong = {seal.keyed(b"\x02" * 32, "ref", p) for p in plain}
    assert not wrong & digests  # nor an HMAC under another key
    from icrctl.services.audit import digest

    assert digest(ref, the_key()) in digests  # with the key, it is the case's digest
    assert problems(run) == []


@SQLITE
def test_the_key_is_outside_the_file_private_and_in_no_copy_export_or_log(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    run("log", family, "Huisbezoek", "--kind", "visit")
    key = the_key()
    key_file = CONFIG_FOLDER / "audit.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(CONFIG_FOLDER.stat().st_mode) == 0o700
    export, backup = tmp_path / "export.yaml", tmp_path / "kopie.db"
    outputs = [
        run("export", "--out", str(export)),
        run("backup", str(backup)),
        run("audit", "-f", "json"),
        run("audit"),
        run("doctor"),
        run("--debug", "case", "list"),
    ]
    run("restore", str(backup), "--yes")
    secrets = (key, key.hex().encode(), key.hex().upper().encode())
    blobs = [export.read_bytes(), backup.read_bytes(), db_path.read_bytes()]
    blobs += [p.read_bytes() for p in db_path.parent.rglob("*") if p.is_file()]
    blobs += [(o.stdout + o.stderr).encode() for o in outputs]
    anchors = list((CONFIG_FOLDER / "anchors").iterdir())
    blobs += [p.read_bytes() for p in anchors]
    for blob in blobs:
        for secret in secrets:
            assert secret not in blob


# --- another computer, another key --------------------------------------------------------------


@SQLITE
def test_a_file_moved_to_another_computer(
    run: Run, family: str, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No anchor and no key there: reading works, doctor says why it cannot vouch, a change is
    refused in one line naming the key file; with the key copied over all is well."""
    run("log", family, "Huisbezoek", "--kind", "visit")
    elsewhere = tmp_path / "andere-laptop"
    moved = tmp_path / "verhuisd" / "caseload.db"
    moved.parent.mkdir(mode=0o700)
    moved.write_bytes(db_path.read_bytes())
    monkeypatch.setenv("ICRCTL_CONFIG_DIR", str(elsewhere))
    monkeypatch.setenv("ICRCTL_DB", str(moved))
    seal.forget_cached_key()
    try:
        assert run("case", "list", "-f", "json").json()[0]["ref"] == family
        flat = doctor_says(run, "audit key this computer does not have", "none on this computer")
        assert str(elsewhere / "audit.key") in flat
        line = refused(run, "log", family, "Telefoon", "--kind", "phone")
        assert f"Copy that key file to {elsewhere / 'audit.key'}" in line
        assert not (elsewhere / "anchors").exists()
        (elsewhere / "audit.key").write_bytes((CONFIG_FOLDER / "audit.key").read_bytes())
        seal.forget_cached_key()
        assert problems(run) == []
        run("log", family, "Telefoon", "--kind", "phone")
        assert seal.read_anchor(moved) is not None
        assert problems(run) == []
    finally:
        seal.forget_cached_key()


# --- the keyring --------------------------------------------------------------------------------


class FakeKeyring(types.ModuleType):
    """Stands in for the ``keyring`` package: a test never touches a real keyring."""

    def __init__(self, priority: float) -> None:
        super().__init__("keyring")
        self.stored: dict[tuple[str, str], str] = {}
        self.backend = types.SimpleNamespace(priority=priority)

    def get_keyring(self) -> Any:
        return self.backend

    def get_password(self, service: str, user: str) -> str | None:
        return self.stored.get((service, user))

    def set_password(self, service: str, user: str, value: str) -> None:
        self.stored[(service, user)] = value


@pytest.mark.parametrize("priority", [1.0, 0.0], ids=["keyring", "fail-backend"])
def test_the_key_lives_in_a_working_keyring_else_in_the_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, priority: float
) -> None:
    ring = FakeKeyring(priority)
    monkeypatch.setitem(sys.modules, "keyring", ring)
    monkeypatch.setenv("ICRCTL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("ICRCTL_KEYRING")
    seal.forget_cached_key()
    try:
        key = seal.required_key()
        seal.forget_cached_key()
        assert seal.required_key() == key  # found again, not made anew
        if priority > 0:
            assert ring.stored == {("icrctl", "audit-key"): key.hex()}
            assert not (tmp_path / "config" / "audit.key").exists()
        else:
            assert ring.stored == {}
            assert bytes.fromhex((tmp_path / "config" / "audit.key").read_text()) == key
        monkeypatch.setenv("ICRCTL_KEYRING", "off")  # as in every other test
        seal.forget_cached_key()
        other = seal.required_key()
        assert (other == key) is (priority == 0)
    finally:
        seal.forget_cached_key()


@pytest.mark.parametrize("xdg", ["", "  ", "/srv/xdg"])
def test_the_config_folder_is_platformdirs_own(monkeypatch: pytest.MonkeyPatch, xdg: str) -> None:
    from platformdirs import user_config_dir

    monkeypatch.delenv("ICRCTL_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    assert seal.config_folder() == Path(user_config_dir("icrctl", appauthor=False))
    assert seal.key_file() == seal.config_folder() / "audit.key"


def test_without_the_keyring_package_the_key_file_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring raises ImportError
    monkeypatch.setenv("ICRCTL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("ICRCTL_KEYRING")
    seal.forget_cached_key()
    try:
        key = seal.required_key()
        path = tmp_path / "config" / "audit.key"
        assert bytes.fromhex(path.read_text()) == key
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert not os.access(path, os.X_OK)
    finally:
        seal.forget_cached_key()


@SQLITE
def test_an_unusable_key_file_is_one_line(
    run: Run, family: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "config"
    folder.mkdir(mode=0o700)
    (folder / "audit.key").write_text("geen sleutel\n")
    monkeypatch.setenv("ICRCTL_CONFIG_DIR", str(folder))
    seal.forget_cached_key()
    try:
        refused(run, "log", family, "Telefoon", "--kind", "phone", match="holds no key")
    finally:
        seal.forget_cached_key()


# --- an upgrade from an unkeyed file --------------------------------------------------------------


@SQLITE
def test_an_unkeyed_0007_file_is_checked_then_sealed_with_the_key(
    run: Run, family: str, db_path: Path
) -> None:
    """A file from before the key: 0008 checks its plain chain, keys the digests (a purged
    case's too) and seals it; the anchor follows."""
    from alembic import command
    from sqlalchemy import create_engine

    from icrctl.db.migrate import alembic_config

    ref = "GO-2026-777"
    run("case", "create", ref, "--title", "Familie Geheim")
    run("case", "close", ref, "--summary", "Klaar", "--safety", "Veilig", *CLOSE_ANYWAY)
    run("case", "purge", ref, "--yes")
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        command.downgrade(alembic_config(engine), "0007")
    finally:
        engine.dispose()
    seal.anchor_path(db_path).unlink()  # a 0007-era icrctl kept no anchor
    plain = hashlib.sha256(family.encode()).hexdigest()
    assert (plain,) in sql(db_path, "SELECT ref_digest FROM audit_log")
    assert sql(db_path, "SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1") == [(seal.GENESIS,)]
    assert problems(run) == []  # doctor checks the 0007 chain under its own formula
    before = snapshot()
    run("case", "list")
    assert query("SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert sql(db_path, "SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1") == [
        (seal.genesis(the_key()),)
    ]
    assert (plain,) not in sql(db_path, "SELECT ref_digest FROM audit_log")
    after = snapshot()
    assert {k: v for k, v in after["rows"].items() if k != "audit_log"} == {
        k: v for k, v in before["rows"].items() if k != "audit_log"
    }
    assert len(after["rows"]["audit_log"]) == len(before["rows"]["audit_log"])
    assert seal.read_anchor(db_path) is not None
    assert problems(run) == []
    assert len(run("audit", family, "-f", "json").json()) == 5


# --- a team database ----------------------------------------------------------------------------


@pytest.mark.skipif(not POSTGRES, reason="a team database: $ICRCTL_TEST_POSTGRES")
@pytest.mark.parametrize(
    ("statements", "named", "cleanup"),
    [
        (
            [
                "CREATE FUNCTION drop_entry() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN DELETE FROM audit_log WHERE id = NEW.id; RETURN NULL; END $$",
                "CREATE TRIGGER no_audit AFTER INSERT ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION drop_entry()",
            ],
            "trigger audit_log.no_audit",
            ["DROP TRIGGER no_audit ON audit_log", "DROP FUNCTION drop_entry()"],
        ),
        (
            ["CREATE RULE no_audit AS ON INSERT TO audit_log DO INSTEAD NOTHING"],
            "rule audit_log.no_audit",
            ["DROP RULE no_audit ON audit_log"],
        ),
        (
            ["CREATE FUNCTION icrctl_audit_tip2() RETURNS varchar LANGUAGE sql AS $$ SELECT '' $$"],
            "function icrctl_audit_tip2",
            ["DROP FUNCTION icrctl_audit_tip2()"],
        ),
    ],
    ids=["trigger", "rule", "function"],
)
def test_doctor_on_a_server_names_what_icrctl_did_not_make(
    run: Run, family: str, statements: list[str], named: str, cleanup: list[str]
) -> None:
    assert problems(run) == []
    try:
        for statement in statements:
            query(statement)
        doctor_says(run, "schema objects", named)
    finally:  # the test database is emptied for the next test, not rebuilt
        for statement in cleanup:
            query(statement)
    assert problems(run) == []


@SQLITE
def test_a_file_whose_key_is_lost_can_be_sealed_anew_on_purpose(
    run: Run, family: str, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other computer is gone: ``audit --reseal`` checks the links, seals the log with this
    computer's key and logs that it did; asked first, refused where it would hide a change."""
    run("log", family, "Huisbezoek", "--kind", "visit")
    count = len(run("audit", "-f", "json").json())
    elsewhere = tmp_path / "nieuwe-laptop"
    monkeypatch.setenv("ICRCTL_CONFIG_DIR", str(elsewhere))
    seal.forget_cached_key()
    try:
        refused(run, "log", family, "Telefoon", "--kind", "phone", match="another audit key")
        refused(run, "audit", "--reseal", match="--yes")
        refused(run, "audit", family, "--reseal", "--yes", match="no REF")
        result = run("audit", "--reseal", "--yes")
        assert f"(entries sealed anew: {count})" in result.stdout
        logged = run("audit", "-f", "json").json()
        assert len(logged) == count + 1
        assert (logged[-1]["action"], logged[-1]["entity"]) == ("reseal", "audit_log")
        assert problems(run) == []
        run("log", family, "Telefoon", "--kind", "phone")
        assert problems(run) == []
        refused(run, "audit", "--reseal", "--yes", match="sealed with this computer's key already")
    finally:
        seal.forget_cached_key()


@SQLITE
@pytest.mark.parametrize(
    ("tamper", "match"),
    [
        ("UPDATE audit_log SET prev_hash = '{fake}' WHERE id = 4", "audit entry 4 does not follow"),
        ("UPDATE audit_log SET prev_hash = '{zero}' WHERE id = 1", "not sealed with the audit key"),
    ],
    ids=["broken-link", "unkeyed"],
)
def test_reseal_refuses_to_hide_a_change(
    run: Run,
    family: str,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tamper: str,
    match: str,
) -> None:
    sql(db_path, tamper.format(fake="f" * 64, zero=seal.GENESIS))
    monkeypatch.setenv("ICRCTL_CONFIG_DIR", str(tmp_path / "nieuwe-laptop"))
    seal.forget_cached_key()
    try:
        refused(run, "audit", "--reseal", "--yes", match=match)
    finally:
        seal.forget_cached_key()


@SQLITE
def test_reseal_refuses_a_foreign_seal_on_a_file_this_computer_anchored(
    run: Run, family: str, db_path: Path
) -> None:
    """Whoever rewrites the log under a made-up genesis cannot have it sealed anew here: this
    computer's anchor names another entry."""
    from icrctl.services.audit import chain_hash

    run("log", family, "Huisbezoek", "--kind", "visit")
    con = sqlite3.connect(db_path)
    prev = "e" * 64
    rows = con.execute(
        'SELECT id, at, "user", command, ref_digest, entity, fields FROM audit_log ORDER BY id'
    ).fetchall()
    for eid, at, user, command, ref_digest, entity, fields in rows:
        when = dt.datetime.fromisoformat(at)
        new = chain_hash(prev, when, user, command, "delete", ref_digest, entity, fields)
        con.execute(
            "UPDATE audit_log SET action = 'delete', prev_hash = ?, hash = ? WHERE id = ?",
            (prev, new, eid),
        )
        prev = new
    con.commit()
    con.close()
    doctor_says(run, "audit key this computer does not have", "audit log anchor", "PROBLEM")
    with unchanged():
        result = run("audit", "--reseal", "--yes", ok=False)
    warning, error = result.stderr.splitlines()  # the anchor's warning on open, then the refusal
    assert warning.startswith("warning: audit entry 7 is not the one this computer anchored")
    assert error.startswith("error: audit entry 7 is not the one this computer anchored")
    assert result.exit_code == 1


def test_processes_making_the_key_at_once_agree_on_one(tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "config"
    code = "from icrctl.db.seal import required_key; print(required_key().hex())"
    env = {**os.environ, "ICRCTL_CONFIG_DIR": str(folder), "ICRCTL_KEYRING": "off"}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    keys = {proc.communicate(timeout=60)[0].strip() for proc in procs}
    assert keys == {(folder / "audit.key").read_text().strip()}
    assert sorted(p.name for p in folder.iterdir()) == ["audit.key"]  # no temporary file left


def test_a_key_file_others_can_read_is_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "config"
    folder.mkdir(mode=0o700)
    (folder / "audit.key").write_text("ab" * 32 + "\n")
    (folder / "audit.key").chmod(0o644)
    monkeypatch.setenv("ICRCTL_CONFIG_DIR", str(folder))
    seal.forget_cached_key()
    try:
        assert seal.required_key() == b"\xab" * 32
        assert stat.S_IMODE((folder / "audit.key").stat().st_mode) == 0o600
    finally:
        seal.forget_cached_key()
