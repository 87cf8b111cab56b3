"""``icrctl import`` and ``icrctl export``: dry run, standard input, merge by key (idempotent, never
deleting), canonical export, one case, private files, and the example caseload's round trip."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.helpers import Run, query, refused, unchanged

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "caseload.yaml"

# Keys out of order, cases out of order, Dutch aliases, an inline partner, an unquoted time.
SMALL = """\
cases:
  - phase: 2
    title: Familie Zuid
    ref: GO-2026-020
    opened: 2026-04-01
    members:
      - {role: kind, name: Kim Zuid, key: kim, born: 2015-02-03}
      - {name: Ida Zuid, role: slachtoffer, key: ida, phone: "06 1234 5678",
         relations: [{kind: ouder_van, to: kim}]}
    partners:
      - {partner: school, consent: true}
  - ref: GO-2026-010
    opened: 2026-02-01
    title: Familie Noord
    phase: 3
    framework: gedwongen
    stage: uitvoering
    violence: [psychisch, fysiek]
    members:
      - {key: m1, name: Ole Noord, role: pleger}
    partners:
      - {key: gi-tromp, name: T. Tromp, organisation: GI Zuid, kind: gi, consent: true,
         role: gezinsvoogd}
    evaluations:
      - {start: 2026-02-03, every: tweewekelijks, with: [gi-tromp, m1], time: 9:00}
    contacts:
      - {note: eerste gesprek, kind: huisbezoek, date: 2026-02-02, with: [m1]}
partners:
  - {kind: school, organisation: OBS De Linde, name: P. Leraar, key: school, reachable: [vr, ma]}
version: 1
"""

SMALL_EXPORT = """\
version: 1
partners:
- key: gi-tromp
  name: T. Tromp
  organisation: GI Zuid
  kind: youth_protection
- key: school
  name: P. Leraar
  organisation: OBS De Linde
  kind: school
  reachable: [fri, mon]
cases:
- ref: GO-2026-010
  title: Familie Noord
  opened: 2026-02-01
  stage: execution
  phase: 3
  framework: compulsory
  regie: professional
  violence: [psychological, physical]
  members:
  - key: m1
    name: Ole Noord
    role: perpetrator
    household: true
  partners:
  - partner: gi-tromp
    role: gezinsvoogd
    consent: true
  evaluations:
  - every: 2w
    time: 09:00
    start: 2026-02-03
    with: [gi-tromp, m1]
  history:
  - date: 2026-02-01
    phase: 3
    reason: case opened
  stages:
  - date: 2026-02-01
    stage: inventory
  - date: 2026-02-01
    stage: execution
  contacts:
  - date: 2026-02-02
    kind: visit
    with: [m1]
    note: eerste gesprek
    signal: false
- ref: GO-2026-020
  title: Familie Zuid
  opened: 2026-04-01
  stage: inventory
  phase: 2
  framework: voluntary
  regie: professional
  members:
  - key: kim
    name: Kim Zuid
    born: 2015-02-03
    role: child
    household: true
  - key: ida
    name: Ida Zuid
    role: victim
    household: true
    phone: 06 1234 5678
    relations:
    - to: kim
      kind: parent_of
  partners:
  - partner: school
    consent: true
  history:
  - date: 2026-04-01
    phase: 2
    reason: case opened
  stages:
  - date: 2026-04-01
    stage: inventory
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _audit_count(db: Path) -> int:
    # exports are logged too
    [(count,)] = query("SELECT count(*) FROM audit_log WHERE action <> 'export'")
    return int(count)


# ---------------------------------------------------------------------- import


def test_import_then_export_is_canonical(run: Run, small: Path) -> None:
    result = run("import", str(small))
    assert result.stdout.splitlines()[:3] == [
        "cases: 2 new, 0 updated, 0 unchanged",
        "  new      GO-2026-020",
        "  new      GO-2026-010",
    ]
    assert run("export").stdout == SMALL_EXPORT
    assert run("export").stdout == SMALL_EXPORT


def test_dry_run_writes_nothing(run: Run, small: Path) -> None:
    result = run("import", str(small), "--dry-run")
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "dry run: nothing was written",
        "cases: 2 new, 0 updated, 0 unchanged",
        "  new      GO-2026-020",
        "  new      GO-2026-010",
    ]
    assert "rows that would be created:" in result.stdout
    assert "2 cases" in result.stdout
    assert run("export").stdout == "version: 1\ncases: []\n"

    run("import", str(small))
    small.write_text(SMALL.replace("title: Familie Zuid", "title: Familie Zuid-Oost"))
    with unchanged(exact=True):
        result = run("import", str(small), "--dry-run")
    assert result.stdout.splitlines() == [
        "dry run: nothing was written",
        "cases: 0 new, 1 updated, 1 unchanged",
        "  updated  GO-2026-020",
        "rows that would be updated: 1 cases",
    ]


def test_dry_run_still_reports_errors(run: Run, small: Path) -> None:
    small.write_text(SMALL.replace("born: 2015-02-03", "born: 2035-02-03"))
    with unchanged():
        result = run("import", str(small), "--dry-run", ok=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{small}:7: cases[0].members[0].born: 2035-02-03 is in the future",
        "error: 1 error; nothing was imported",
    ]


SHARED_KEY = """\
version: 1
partners:
  - key: veiligthuis
    name: Veilig Thuis
    organisation: Veilig Thuis Zeeland
    kind: veilig_thuis
cases:
  - ref: GO-2026-300
    title: Familie Sluis
    opened: 2026-01-05
    phase: 2
    members:
      - key: veiligthuis
        name: Anna Sluis
        role: victim
    partners:
      - partner: veiligthuis
    analysis:
      factors:
        - member: veiligthuis
          kind: protective
          text: steun van haar zus
"""


def test_a_key_naming_both_a_member_and_a_partner_is_refused(run: Run) -> None:
    """One key, one person: ``with``, attendance and the analysis' ``member`` could otherwise
    mean either (an export could not be read back)."""
    with unchanged():
        result = run("import", "-", input=SHARED_KEY, ok=False)
    assert result.stderr.splitlines()[0] == (
        "<stdin>:8: cases[0].members: the key veiligthuis names both a member and a partner of "
        "this case; give the member another key"
    )
    assert result.stderr.splitlines()[1] == "error: 1 error; nothing was imported"


def test_import_from_standard_input(run: Run) -> None:
    result = run("import", "-", input=SMALL)
    assert result.stdout.startswith("cases: 2 new, 0 updated, 0 unchanged\n")
    assert run("export").stdout == SMALL_EXPORT


def test_second_import_changes_nothing(run: Run, small: Path) -> None:
    run("import", str(small))
    with unchanged():  # not a row, the audit log included
        result = run("import", str(small))
    assert result.stdout.splitlines() == [
        "cases: 0 new, 0 updated, 2 unchanged",
        "nothing to change",
    ]


def test_importing_the_export_changes_nothing(run: Run, small: Path, tmp_path: Path) -> None:
    run("import", str(small))
    exported = tmp_path / "export.yaml"
    run("export", "--out", str(exported))
    assert run("import", str(exported)).stdout.endswith("nothing to change\n")
    assert run("export").stdout == exported.read_text()


def test_changed_field_updates_the_record(run: Run, small: Path, db_path: Path) -> None:
    run("import", str(small))
    audited = _audit_count(db_path)
    changed = SMALL.replace("title: Familie Zuid", "title: Familie Zuid-Oost").replace(
        'phone: "06 1234 5678"', 'phone: "06 8765 4321"'
    )
    small.write_text(changed)
    result = run("import", str(small))
    assert result.stdout.splitlines() == [
        "cases: 0 new, 1 updated, 1 unchanged",
        "  updated  GO-2026-020",
        "rows that were updated: 1 cases, 1 members",
    ]
    expected = SMALL_EXPORT.replace("title: Familie Zuid", "title: Familie Zuid-Oost").replace(
        "phone: 06 1234 5678", "phone: 06 8765 4321"
    )
    assert run("export").stdout == expected
    rows = query(
        "SELECT action, entity, ref, fields FROM audit_log WHERE id > ? AND action <> 'export' "
        "ORDER BY id",
        audited,
    )
    assert rows == [("import", "case", "GO-2026-020", "update:cases,update:members")]


def test_import_never_deletes(run: Run, small: Path) -> None:
    run("import", str(small))
    run("member", "add", "GO-2026-020", "Opa Zuid", "--role", "grootouder", "--key", "opa")
    run("log", "add", "GO-2026-010", "belt over de zitting", "--kind", "phone")
    # The file now lacks a member, a contact, a partner link and a whole case.
    shorter = SMALL.replace(
        "      - {role: kind, name: Kim Zuid, key: kim, born: 2015-02-03}\n", ""
    )
    shorter = shorter.replace("relations: [{kind: ouder_van, to: kim}]", "relations: []")
    shorter = shorter.replace("    partners:\n      - {partner: school, consent: true}\n", "")
    shorter = (
        shorter[: shorter.index("  - ref: GO-2026-010")]
        + shorter[shorter.index("partners:\n  - {kind") :]
    )
    assert "GO-2026-010" not in shorter
    result = run("import", "-", input=shorter)
    assert result.stdout.splitlines() == [
        "cases: 0 new, 0 updated, 1 unchanged",
        "nothing to change",
    ]
    exported = run("export").stdout
    assert "key: kim" in exported
    assert "key: opa" in exported
    assert "belt over de zitting" in exported
    assert "  - partner: school" in exported
    assert "ref: GO-2026-010" in exported


def test_a_member_without_key_is_matched_by_name_and_birth_date(run: Run) -> None:
    text = SMALL.replace("key: kim, ", "").replace("relations: [{kind: ouder_van, to: kim}]", "")
    run("import", "-", input=text)
    assert "key: m1\n    name: Kim Zuid" in run("export").stdout
    assert run("import", "-", input=text).stdout.endswith("nothing to change\n")


# ---------------------------------------------------------------------- export


def test_export_one_case_with_only_its_partners(run: Run) -> None:
    run("import", str(EXAMPLE))
    one = run("export", "--case", "GO-2026-028").stdout
    assert one.count("- ref: ") == 1
    assert "- ref: GO-2026-028\n" in one
    head = one[: one.index("cases:")]
    assert head == (
        "version: 1\n"
        "partners:\n"
        "- key: school-regenboog\n"
        "  name: J. Koster\n"
        "  organisation: Basisschool De Regenboog\n"
        "  kind: school\n"
        "  email: intern.begeleider@regenboog.example.org\n"
        "  phone: 0187 555 404\n"
        "  reachable: [mon, tue, wed, thu]\n"
    )
    two = run("export", "--case", "GO-2026-022").stdout
    assert [line for line in two.splitlines() if line.startswith("- key: ")] == [
        "- key: mw-mulder",
        "- key: vt-devos",
    ]


def test_export_one_case_is_the_same_as_in_the_whole_export(run: Run) -> None:
    run("import", str(EXAMPLE))
    whole = run("export").stdout
    one = run("export", "--case", "GO-2026-007").stdout
    body = one[one.index("- ref: GO-2026-007") :]
    assert body in whole


def test_export_unknown_case(run: Run) -> None:
    refused(run, "export", "--case", "GO-0000-000", match="error: no case 'GO-0000-000'")


def test_export_to_a_private_file_and_no_overwrite(run: Run, small: Path, tmp_path: Path) -> None:
    run("import", str(small))
    out = tmp_path / "backup.yaml"
    result = run("export", "--out", str(out))
    assert result.stdout.strip() == f"exported 2 cases to {out}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text() == SMALL_EXPORT

    out.write_text("older backup\n")
    message = refused(run, "export", "--out", str(out))
    assert message == f"error: {out} exists; give --force to overwrite it"
    assert out.read_text() == "older backup\n"

    run("export", "--out", str(out), "--force")
    assert out.read_text() == SMALL_EXPORT
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")) == []


def test_export_of_an_empty_case_file(run: Run) -> None:
    assert run("export").stdout == "version: 1\ncases: []\n"


# ---------------------------------------------------------------------- the example caseload


def test_example_caseload_round_trip(run: Run, tmp_path: Path) -> None:
    result = run("import", str(EXAMPLE))
    assert result.stdout.startswith("cases: 12 new, 0 updated, 0 unchanged\n")
    first = tmp_path / "first.yaml"
    run("export", "--out", str(first))

    # export -> import into an empty case file -> export: identical bytes
    other = tmp_path / "other.db"
    run("--db", str(other), "import", str(first))
    second = tmp_path / "second.yaml"
    run("--db", str(other), "export", "--out", str(second))
    assert second.read_bytes() == first.read_bytes()

    # the example again, and the export, into the first case file: nothing changes
    assert run("import", str(EXAMPLE)).stdout.endswith("nothing to change\n")
    assert run("import", str(first)).stdout.endswith("nothing to change\n")
    assert run("export").stdout.encode() == first.read_bytes()


def test_example_caseload_covers_the_field(run: Run) -> None:
    run("import", str(EXAMPLE))
    exported = run("export").stdout
    cases = yaml.load(exported, Loader=yaml.BaseLoader)["cases"]
    assert len(cases) == 12
    assert {c["phase"] for c in cases} == {"1", "2", "3", "4"}
    assert {c["stage"] for c in cases} == {
        "inventory",
        "analysis",
        "execution",
        "aftercare",
        "closed",
    }
    for needle in (
        "framework: compulsory",
        "framework: voluntary",
        "regie: client",
        "track: care",
        "done: 2026-10-27T11:05",
        "stopped: 2026-07-01",
        "status: moved",
        "status: cancelled",
        "refused: [",
        "signal: true",
        "status: dropped",
        "status: achieved",
        "closing:\n    summary:",
        "retention_until: 2046-09-15",
    ):
        assert needle in exported, needle
    week = run("eval", "list", "--from", "2026-11-30", "--to", "2026-12-06", "-f", "json").json()
    assert len(week) >= 5
    overdue = run("eval", "list", "--overdue", "-f", "json").json()
    assert overdue


# ---------------------------------------------------------------------- more merge rules


def test_two_keys_are_two_partners_even_with_one_name(run: Run) -> None:
    text = (
        "version: 1\npartners:\n"
        "  - {name: J. Bakker, organisation: Veilig Thuis, kind: veilig_thuis}\n"
        "  - {key: j-bakker, name: J. Bakker, organisation: Politie, kind: politie}\n"
        "  - {key: vt-2, name: J. Bakker, organisation: Veilig Thuis, kind: veilig_thuis}\n"
        "cases: []\n"
    )
    run("import", "-", input=text)
    exported = run("export").stdout
    assert [line for line in exported.splitlines() if line.startswith("- key: ")] == [
        "- key: j-bakker",
        "- key: j-bakker-2",
        "- key: vt-2",
    ]
    assert "organisation: Politie\n  kind: police" in exported
    assert run("import", "-", input=text).stdout.endswith("nothing to change\n")


def test_relations_of_a_member_without_key_are_kept(run: Run) -> None:
    text = SMALL.replace(
        "name: Ida Zuid, role: slachtoffer, key: ida,", "name: Ida Zuid, role: victim,"
    )
    run("import", "-", input=text)
    exported = run("export").stdout
    assert "  - key: m1\n    name: Ida Zuid\n" in exported
    assert "    relations:\n    - to: kim\n      kind: parent_of\n" in exported
    assert run("import", "-", input=text).stdout.endswith("nothing to change\n")


def test_repeated_entries_stay_repeated(run: Run) -> None:
    """The same phone call twice on one day, or a goal set twice, stays two entries."""
    extra = (
        "    contacts:\n"
        "      - {date: 2026-04-02, kind: phone, note: geen gehoor, signal: true}\n"
        "      - {date: 2026-04-02, kind: phone, note: geen gehoor, with: [ida]}\n"
        "    goals:\n"
        "      - {goal: Veilig thuis, status: open}\n"
        "      - {goal: Veilig thuis, status: behaald, changed: 2026-05-01}\n"
    )
    text = SMALL.replace("  - ref: GO-2026-010\n", extra + "  - ref: GO-2026-010\n")
    run("import", "-", input=text)
    exported = run("export").stdout
    assert exported.count("note: geen gehoor") == 2
    assert exported.count("goal: Veilig thuis") == 2
    assert run("import", "-", input=text).stdout.endswith("nothing to change\n")
    assert run("import", "-", input=exported).stdout.endswith("nothing to change\n")
    assert run("export").stdout == exported


# ---------------------------------------------------------------------- kill -9 in the middle


def _big_caseload(path: Path, copies: int = 125) -> None:
    """1,500 cases: the example caseload, 125 times over with other refs."""
    head, body = EXAMPLE.read_text(encoding="utf-8").split("\ncases:\n", 1)
    parts = [head, "\ncases:\n"]
    for i in range(copies):
        parts.append(re.sub(r"ref: GO-(\d{4})-(\d{3})", rf"ref: BIG-{i:03d}-\1-\2", body))
    path.write_text("".join(parts), encoding="utf-8")


@pytest.mark.sqlite_only(reason="watches SQLite's WAL file grow to kill the import mid-write")
@pytest.mark.parametrize("wal_bytes", [1, 2_000_000], ids=["first-write", "mid-write"])
def test_kill_during_a_large_import_leaves_the_case_file_as_before(
    run: Run, small: Path, db_path: Path, tmp_path: Path, wal_bytes: int
) -> None:
    run("import", str(small))
    before = run("export").stdout
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    big = tmp_path / "big.yaml"
    _big_caseload(big)

    env = {**os.environ, "ICRCTL_TODAY": "2026-11-25", "ICRCTL_DB": str(db_path)}
    log = (tmp_path / "child.log").open("wb")
    child = subprocess.Popen(
        [sys.executable, "-m", "icrctl", "import", str(big)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    killed_at = None
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and child.poll() is None:
            size = wal.stat().st_size if wal.exists() else 0
            if size >= wal_bytes:  # the import is writing its rows
                child.send_signal(signal.SIGKILL)
                killed_at = size
                break
            time.sleep(0.005)
    finally:
        if child.poll() is None and killed_at is None:
            child.kill()
        child.wait()
        log.close()
    assert killed_at is not None, (
        "the import ended before it could be killed: "
        + (tmp_path / "child.log").read_text(errors="replace")[-500:]
    )
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM cases").fetchone() == (2,)
    assert run("export").stdout == before


def test_progress_only_for_many_cases_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from icrctl.cli import transfer
    from icrctl.cli.state import AppState

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(transfer, "out", lambda: AppState().out)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with transfer._progress(500) as advance:
        assert advance is None  # not a terminal: no bar
    monkeypatch.setattr("sys.stderr", Terminal())
    with transfer._progress(transfer.PROGRESS_FROM - 1) as advance:
        assert advance is None  # a few cases: no bar
    with transfer._progress(500) as advance:
        assert advance is not None
        advance(500)
