"""An encrypted case file (SQLCipher): nothing readable on disk, the passphrase from a private
file, the keyring or a hidden prompt, and every maintenance command on the encrypted file."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.db import cipher
from tests.helpers import FAMILY_REF, POSTGRES, Run, error_line, refused, snapshot

pytestmark = pytest.mark.sqlite_only(reason="SQLCipher encrypts the SQLite file itself")

PASSPHRASE = "correct horse battery staple"
NAME = b"Sanne de Vries"
PHONE = b"06-1234 5678"
NOTE = b"huisbezoek bij oma Gerda in Zwolle"
SECRETS = (NAME, PHONE, NOTE)


def _private(path: Path, text: str) -> Path:
    path.write_text(text + "\n")
    path.chmod(0o600)
    return path


@pytest.fixture
def secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$ICRCTL_PASSPHRASE_FILE, a private file holding :data:`PASSPHRASE`."""
    path = _private(tmp_path / "passphrase", PASSPHRASE)
    monkeypatch.setenv("ICRCTL_PASSPHRASE_FILE", str(path))
    return path


@pytest.fixture
def secrets_in_file(run: Run, family: str) -> str:
    """The family, with a phone number and a note, all in the case file."""
    run("member", "edit", FAMILY_REF, "m1", "--phone", PHONE.decode())
    run("log", "add", FAMILY_REF, NOTE.decode(), "--kind", "visit", "--with", "m1")
    return family


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    """A keyring in memory instead of the OS's (never a real keyring in a test)."""
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.backends import null

    stored: dict[tuple[str, str], str] = {}

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return stored.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            stored[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            del stored[(service, username)]

    keyring.set_keyring(Memory())
    yield stored
    keyring.set_keyring(null.Keyring())


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.name != "passphrase"]


def _found(folder: Path) -> dict[str, list[bytes]]:
    """Which of the secrets each file beside the case file holds, as bytes on disk."""
    found = {}
    for path in _files(folder):
        data = path.read_bytes()
        hits = [s for s in SECRETS if s in data]
        if hits:
            found[path.name] = hits
    return found


def _import_a_copy(run: Run, file: Path, ref: str) -> None:
    """Import the family again as a new case: an import that changes the file backs it up."""
    run("export", "--case", FAMILY_REF, "--out", str(file))
    file.write_text(file.read_text().replace(FAMILY_REF, ref))
    run("import", str(file))


def test_encrypted_file_wal_and_backups_hold_no_readable_personal_data(
    run: Run, secrets_in_file: str, secret: Path, db_path: Path, tmp_path: Path
) -> None:
    folder = db_path.parent
    run("backup", str(folder / "manual-before.db"))
    assert _found(folder), "the plain file holds the secrets: the test would prove nothing"
    _import_a_copy(run, tmp_path / "all.yaml", "GO-2026-015")  # an automatic backup, plain
    plain_backups = list((folder / "backups").glob("*.db"))
    assert plain_backups
    (folder / "manual-before.db").unlink()  # a copy the user made: theirs to remove

    result = run("encrypt", "--yes")
    assert "encrypted" in result.stdout
    assert "still plain" in result.stderr

    # a write after encrypting leaves its pages in the WAL (kept while a reader is open)
    reader = cipher.connect(db_path)
    run("log", "add", FAMILY_REF, "tweede " + NOTE.decode(), "--kind", "phone", "--with", "m1")
    assert Path(f"{db_path}-wal").stat().st_size > 0
    assert _found(folder) == {}
    reader.close()
    run("backup", str(folder / "manual-after.db"))
    run("member", "edit", FAMILY_REF, "m2", "--phone", "0611111111")
    _import_a_copy(run, tmp_path / "again.yaml", "GO-2026-016")  # an automatic backup
    assert list((folder / "backups").glob("*.db"))
    assert not any(p.exists() for p in plain_backups)
    assert _found(folder) == {}
    for path in [db_path, folder / "manual-after.db", *(folder / "backups").glob("*.db")]:
        assert cipher.kind(path) == "encrypted", path

    run("decrypt", "--out", str(tmp_path / "plain.db"))
    data = (tmp_path / "plain.db").read_bytes()
    assert all(s in data for s in SECRETS)
    assert b"tweede " + NOTE in data
    assert (tmp_path / "plain.db").stat().st_mode & 0o777 == 0o600
    shown = run("--db", str(tmp_path / "plain.db"), "case", "show", FAMILY_REF).stdout
    assert "Sanne de Vries" in shown


def test_the_passphrase_opens_the_file_in_any_sqlcipher_tool(
    run: Run, family: str, secret: Path, db_path: Path
) -> None:
    """icrctl derives SQLCipher 4's key itself: plain SQLCipher with the passphrase agrees."""
    run("encrypt", "--yes")
    module = cipher.sqlcipher()
    con = module.connect(str(db_path))
    con.execute(f"PRAGMA key = '{PASSPHRASE}'")
    assert con.execute("SELECT title FROM cases").fetchall() == [("Familie De Vries",)]
    assert con.execute("PRAGMA cipher_settings").fetchall()[0] == ("PRAGMA kdf_iter = 256000;",)
    con.close()


def test_wrong_passphrase_is_one_line_and_changes_nothing(
    run: Run,
    family: str,
    secret: Path,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run("encrypt", "--yes")
    monkeypatch.setenv("ICRCTL_PASSPHRASE_FILE", str(_private(tmp_path / "wrong", "not it at all")))
    for args in (("status",), ("case", "show", FAMILY_REF), ("doctor",), ("backup", "x.db")):
        line = refused(run, *args, exact=True)
        assert line == "error: wrong passphrase or not an icrctl case file"
    assert not Path("x.db").exists()


def test_a_garbage_file_is_not_taken_for_an_encrypted_one(
    run: Run, secret: Path, db_path: Path
) -> None:
    db_path.parent.mkdir(mode=0o700)
    db_path.write_bytes(os.urandom(8192))
    db_path.chmod(0o600)
    line = refused(run, "status", exact=True)
    assert line == "error: wrong passphrase or not an icrctl case file"
    db_path.write_text("cases:\n  - ref: GO-2026-014\n" * 300)
    line = refused(run, "status", exact=True)
    assert "unreadable" in line


@given(st.binary(min_size=16, max_size=4096))
def test_what_a_file_is_from_its_first_bytes(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f"
        path.write_bytes(data)
        found = cipher.kind(path)
        if data.startswith(cipher.HEADER):
            assert found == "plain"
        elif found == "encrypted":  # a whole number of pages, not text
            assert len(data) % 512 == 0
            assert any(not (32 <= b < 127 or b in b"\t\n\r") for b in data[:16])
        text = path.with_name("t")
        text.write_bytes(bytes(32 + b % 95 for b in data))  # printable: a YAML file, a note
        assert cipher.kind(text) != "encrypted"


def test_no_passphrase_without_a_terminal_is_one_line(
    run: Run, family: str, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("encrypt", "--yes")
    monkeypatch.delenv("ICRCTL_PASSPHRASE_FILE")
    line = refused(run, "status", exact=True)
    assert "no terminal to ask the passphrase on" in line
    assert "ICRCTL_PASSPHRASE_FILE" in line


def test_a_passphrase_file_others_can_read_is_refused(run: Run, family: str, secret: Path) -> None:
    run("encrypt", "--yes")
    secret.chmod(0o640)
    line = refused(run, "status", exact=True)
    assert "can be read or written by others (mode 640)" in line


def test_new_encrypted_case_file_and_no_empty_file_when_refused(
    run: Run, secret: Path, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICRCTL_PASSPHRASE_FILE", str(_private(tmp_path / "short", "kort")))
    error_line(run("--encrypted", "case", "create", "GO-2026-001", "--title", "X", ok=False))
    assert not db_path.exists()
    monkeypatch.setenv("ICRCTL_PASSPHRASE_FILE", str(secret))
    run("--encrypted", "case", "create", "GO-2026-001", "--title", "Familie Geheim")
    assert cipher.kind(db_path) == "encrypted"
    reader = cipher.connect(db_path)  # keeps the WAL
    run("case", "edit", "GO-2026-001", "--title", "Familie Geheimer")
    on_disk = db_path.read_bytes() + Path(f"{db_path}-wal").read_bytes()
    reader.close()
    assert b"Familie Geheim" not in on_disk
    assert "Familie Geheim" in run("case", "list").stdout
    run("--encrypted", "status")  # an encrypted file stays as it is


def test_encrypted_on_an_existing_plain_file_is_refused(
    run: Run, family: str, secret: Path
) -> None:
    line = refused(run, "--encrypted", "status", exact=True)
    assert "is not encrypted: encrypt it with 'icrctl encrypt'" in line


def test_passphrase_change(
    run: Run,
    family: str,
    secret: Path,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run("encrypt", "--yes")
    run("backup", str(tmp_path / "old-key.db"))
    new = _private(tmp_path / "new", "a whole new passphrase")
    monkeypatch.setenv("ICRCTL_NEW_PASSPHRASE_FILE", str(new))
    assert "changed the passphrase" in run("passphrase", "change").stdout
    line = refused(run, "status", exact=True)  # the old passphrase no longer opens it
    assert "wrong passphrase" in line
    monkeypatch.setenv("ICRCTL_PASSPHRASE_FILE", str(new))
    assert FAMILY_REF in run("case", "list").stdout
    assert run("doctor").exit_code == 0
    assert "wrong passphrase" in error_line(
        run("--db", str(tmp_path / "old-key.db"), "status", ok=False)
    )
    monkeypatch.setenv("ICRCTL_PASSPHRASE_FILE", str(secret))
    assert FAMILY_REF in run("--db", str(tmp_path / "old-key.db"), "case", "list").stdout


def test_backup_and_restore_of_an_encrypted_file(
    run: Run, secrets_in_file: str, secret: Path, db_path: Path, tmp_path: Path
) -> None:
    run("encrypt", "--yes")
    backup = tmp_path / "b.db"
    run("backup", str(backup))
    assert cipher.kind(backup) == "encrypted"
    assert not any(s in backup.read_bytes() for s in SECRETS)
    run("member", "forget", FAMILY_REF, "m1", "--reason", "verzoek")
    assert "Sanne" not in run("case", "show", FAMILY_REF).stdout
    run("restore", str(backup), "--yes")
    assert cipher.kind(db_path) == "encrypted"
    assert "Sanne de Vries" in run("case", "show", FAMILY_REF).stdout
    assert run("doctor").exit_code == 0


def test_a_plain_backup_does_not_replace_an_encrypted_file(
    run: Run, family: str, secret: Path, db_path: Path, tmp_path: Path
) -> None:
    run("backup", str(tmp_path / "plain.db"))
    run("encrypt", "--yes")
    line = refused(run, "restore", str(tmp_path / "plain.db"), "--yes", exact=True)
    assert "is not encrypted" in line


def test_erasure_in_an_encrypted_file(
    run: Run, secrets_in_file: str, secret: Path, db_path: Path, tmp_path: Path
) -> None:
    run("encrypt", "--yes")
    run("member", "forget", FAMILY_REF, "m1", "--reason", "verzoek")
    con = cipher.connect(db_path)  # the key from $ICRCTL_PASSPHRASE_FILE
    try:
        assert con.execute("PRAGMA freelist_count").fetchone() == (0,)  # VACUUM: no freed page
        assert con.execute("PRAGMA secure_delete").fetchone() is not None
    finally:
        con.close()
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    run("decrypt", "--out", str(tmp_path / "after.db"))
    data = (tmp_path / "after.db").read_bytes()
    assert NAME not in data
    assert PHONE not in data
    assert b"Peter de Vries" in data


def test_doctor_finds_a_changed_page_of_an_encrypted_file(
    run: Run, family: str, secret: Path, db_path: Path
) -> None:
    run("encrypt", "--yes")
    assert "every page authentic" in run("doctor").stdout
    data = bytearray(db_path.read_bytes())
    data[4096 * 2 + 100] ^= 0xFF  # one byte inside the third page
    db_path.write_bytes(bytes(data))
    result = run("doctor", ok=False)
    assert result.exit_code == 1


def test_export_of_an_encrypted_file_warns_once(
    run: Run, family: str, secret: Path, tmp_path: Path
) -> None:
    assert "not encrypted" not in run("export", "--out", str(tmp_path / "a.yaml")).stderr
    run("encrypt", "--yes")
    result = run("export", "--out", str(tmp_path / "b.yaml"))
    assert result.stderr.count("not encrypted") == 1
    result = run("export")
    assert result.stderr.count("not encrypted") == 1
    assert "Sanne de Vries" in result.stdout


def test_keyring_after_the_first_time_and_forget(
    run: Run,
    family: str,
    secret: Path,
    memory_keyring: dict[tuple[str, str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run("encrypt", "--yes")
    assert len(memory_keyring) == 1
    assert PASSPHRASE not in next(iter(memory_keyring.values()))  # the derived key, not it
    monkeypatch.delenv("ICRCTL_PASSPHRASE_FILE")
    assert FAMILY_REF in run("case", "list").stdout  # no terminal, no file: the keyring
    assert "removed the key" in run("passphrase", "forget").stdout
    assert memory_keyring == {}
    assert "no terminal" in refused(run, "status", exact=True)


def test_a_prompted_passphrase_goes_to_the_keyring(
    run: Run,
    family: str,
    secret: Path,
    memory_keyring: dict[tuple[str, str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from icrctl.cli import state

    run("encrypt", "--yes")
    run("passphrase", "forget")
    monkeypatch.delenv("ICRCTL_PASSPHRASE_FILE")
    asked: list[tuple[str, bool]] = []

    def typed(question: str, twice: bool) -> str:
        asked.append((question, twice))
        return PASSPHRASE

    monkeypatch.setattr(state, "ask_passphrase", typed)
    run("case", "list")
    run("case", "list")
    assert len(asked) == 1
    assert not asked[0][1]
    assert len(memory_keyring) == 1


def _icrctl(
    *args: str, db: Path, env: dict[str, str], **options: object
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "icrctl", *args],
        env={**os.environ, **env, "ICRCTL_DB": str(db)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **options,  # type: ignore[arg-type]
    )


def test_kill_9_during_encrypt_leaves_the_plain_file_intact(
    run: Run, secrets_in_file: str, secret: Path, db_path: Path
) -> None:
    before = snapshot()["rows"]
    process = _icrctl("encrypt", "--yes", db=db_path, env={"ICRCTL_ENCRYPT_PAUSE": "60"})
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    line = b""
    while b"encrypt: paused" not in line and time.monotonic() < deadline:
        line = process.stderr.readline()
    assert b"encrypt: paused" in line, "encrypt never reached its pause"
    leftovers = list(db_path.parent.glob(f".{db_path.name}.encrypt-*.tmp"))
    assert leftovers
    assert cipher.kind(leftovers[0]) == "encrypted"
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert cipher.kind(db_path) == "plain"
    assert snapshot()["rows"] == before
    assert "Sanne de Vries" in run("case", "show", FAMILY_REF).stdout
    run("encrypt", "--yes")  # again, now to the end: the stale copy is gone
    assert cipher.kind(db_path) == "encrypted"
    assert not list(db_path.parent.glob(f".{db_path.name}.encrypt-*.tmp"))


def test_the_passphrase_prompt_hides_the_input_and_asks_twice(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    """On a real terminal (a pty): not echoed, asked twice when set, once when opening."""
    import pty

    env = {
        **os.environ,
        "ICRCTL_DB": str(db_path),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    env.pop("ICRCTL_PASSPHRASE_FILE", None)

    def session(args: list[str], answers: list[str]) -> tuple[int, bytes]:
        pid, fd = pty.fork()
        if pid == 0:  # the child: icrctl on the terminal
            os.execve(sys.executable, [sys.executable, "-m", "icrctl", *args], env)
        seen = b""
        for answer in answers:
            while b": " not in seen.rsplit(b"\n", 1)[-1]:
                ready, _, _ = select.select([fd], [], [], 60)
                assert ready, f"no prompt within a minute: {seen!r}"
                seen += os.read(fd, 1024)
            os.write(fd, answer.encode() + b"\n")
            seen += b"\n"
        while True:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), seen

    code, screen = session(["encrypt", "--yes"], [PASSPHRASE, PASSPHRASE])
    assert code == 0, screen
    assert PASSPHRASE.encode() not in screen
    assert b"Repeat it" in screen
    code, screen = session(["case", "list"], [PASSPHRASE])
    assert code == 0, screen
    assert FAMILY_REF.encode() in screen
    assert PASSPHRASE.encode() not in screen


@pytest.mark.skipif(bool(POSTGRES), reason="a plain case file's start-up: SQLite only")
def test_a_plain_case_file_does_not_import_sqlcipher_or_keyring(
    run: Run, family: str, db_path: Path
) -> None:
    probe = (
        "import sys\n"
        "sys.argv = ['icrctl', 'status']\n"
        "from icrctl.cli.main import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlcipher3', 'keyring'}))\n"
    )
    for args in ([], ["--help"]):
        code = probe if not args else probe.replace("'status'", "'--help'")
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "ICRCTL_DB": str(db_path)},
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip().splitlines()[-1] == "[]"


def test_an_encrypted_file_at_an_old_schema_is_migrated_and_its_backup_encrypted(
    run: Run, secret: Path, tmp_path: Path
) -> None:
    from tests.db.test_migrations import load_0001

    plain = load_0001(tmp_path / "oud")
    folder = tmp_path / "versleuteld"
    folder.mkdir(mode=0o700)
    encrypted = folder / "caseload.db"
    key = cipher.derive(PASSPHRASE, cipher.new_salt())
    source = cipher.sqlcipher().connect(str(plain), isolation_level=None)
    cipher.export(source, encrypted, key)
    source.close()
    assert cipher.kind(encrypted) == "encrypted"

    run("--db", str(encrypted), "status")
    con = cipher.connect(encrypted)
    try:
        from icrctl.db.migrations import HEAD

        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    finally:
        con.close()
    copies = list((folder / "backups").glob("*before-migration-0001*.db"))
    assert len(copies) == 1
    assert cipher.kind(copies[0]) == "encrypted"
    assert run("--db", str(encrypted), "doctor").exit_code == 0


def test_encrypt_again_removes_plain_copies_left_behind(
    run: Run, family: str, secret: Path, db_path: Path, tmp_path: Path
) -> None:
    """An encrypt killed after its swap leaves plain automatic backups: the next one wipes them."""
    run("backup", str(tmp_path / "plain.db"))
    run("encrypt", "--yes")
    leftover = db_path.parent / "backups" / f"{db_path.stem}-20261125T000000000000-before-import.db"
    leftover.parent.mkdir(mode=0o700, exist_ok=True)
    leftover.write_bytes((tmp_path / "plain.db").read_bytes())
    assert "removed 1 plain copies" in run("encrypt", "--yes").stdout
    assert not leftover.exists()
    assert "is encrypted already" in refused(run, "encrypt", "--yes", exact=True)


def test_decrypt_refuses_a_plain_file_and_an_existing_output(
    run: Run, family: str, secret: Path, tmp_path: Path
) -> None:
    assert "is not encrypted" in refused(run, "decrypt", "--out", str(tmp_path / "p.db"))
    run("encrypt", "--yes")
    (tmp_path / "p.db").write_text("mine")
    assert "exists" in refused(run, "decrypt", "--out", str(tmp_path / "p.db"), exact=True)
    assert (tmp_path / "p.db").read_text() == "mine"
