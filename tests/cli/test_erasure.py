"""Erasure (GDPR art. 17) and retention: ``member forget`` and ``case purge`` leave no trace in the
case file's bytes or its WAL, the audit log keeps only that it happened; closed cases carry a
retention end and ``retention`` lists those past it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Result, Run, error_line, query, refused, unchanged, usage_error

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

REPO = Path(__file__).resolve().parents[2]
NAME = "Sanne de Vries"
PHONE = "06-11223344"
EMAIL = "sanne.devries@example.nl"


def icrctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "icrctl", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def files_of(db: Path) -> list[Path]:
    """The case file and whatever SQLite keeps beside it."""
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


def traces_in(db: Path, *needles: str) -> dict[str, list[str]]:
    """Which needles (UTF-8, any case) occur in the raw bytes of which file."""
    found: dict[str, list[str]] = {}
    for path in files_of(db):
        data = path.read_bytes().lower()
        hits = [n for n in needles if n.lower().encode() in data]
        if hits:
            found[path.name] = hits
    return found


def audit(run: Run) -> list[dict[str, object]]:
    got = run("audit", "-f", "json").json()
    assert isinstance(got, list)
    return got


@pytest.fixture
def with_history(run: Run, family: str) -> str:
    """Sanne appears everywhere: relations, attendance, contacts, notes, goals, the phase log."""
    run("member", "edit", family, "m1", "--phone", PHONE, "--email", EMAIL)
    run("member", "relate", family, "m1", "ex_partner", "m2")
    run("member", "relate", family, "m1", "parent_of", "m3")
    run("member", "relate", family, "m2", "parent_of", "m3")
    run("eval", "schedule", family, "--every", "2w", "--start", "2026-11-03", "--with", "m1,m2")
    run(
        "eval", "record", family, "--date", "2026-11-17", "--attended", "m1,vt-bakker",
        "--absent", "m2", "--risk", "3", "--self-reliance", "2",
        "--note", "Sanne vertelt dat het rustiger is",
    )  # fmt: skip
    run("log", family, f"Huisbezoek bij {NAME}, bereikbaar op {PHONE}", "--kind", "visit",
        "--with", "m1,m3")  # fmt: skip
    run("log", family, f"Mail van {EMAIL} ontvangen", "--kind", "email", "--with", "m1")
    run("log", family, "Peter belde over de omgang met Noor", "--kind", "phone", "--with", "m2")
    run("goal", "add", family, "SANNE voelt zich veilig thuis", "--who", "Sanne")
    run("phase", "set", family, "3", "--reason", "Peter bedreigde sanne opnieuw")
    return family


@pytest.mark.sqlite_only(reason="reads the raw bytes of the .db file and its WAL")
def test_forget_leaves_no_trace_in_the_file_or_its_wal(
    run: Run, with_history: str, db_path: Path
) -> None:
    ref = with_history
    assert traces_in(db_path, NAME, "Sanne", PHONE, EMAIL)
    # Someone else has the case file open (idle): the WAL stays, and must be emptied too.
    reader = sqlite3.connect(db_path)
    try:
        reader.execute("SELECT count(*) FROM cases").fetchall()
        proc = icrctl("member", "forget", ref, "m1", "--reason", "verzoek art. 17 AVG")
        assert proc.returncode == 0, proc.stderr
        assert "erased m1" in proc.stdout
        assert traces_in(db_path, NAME, "Sanne", PHONE, EMAIL) == {}
    finally:
        reader.close()
    assert traces_in(db_path, NAME, "Sanne", PHONE, EMAIL) == {}

    members = {m["key"]: m["name"] for m in run("member", "list", ref, "-f", "json").json()}
    assert members == {"m2": "Peter de Vries", "m3": "Noor de Vries"}
    notes = [c["note"] for c in run("log", "list", ref, "-f", "json").json()]
    assert "Huisbezoek bij [verwijderd], bereikbaar op [verwijderd]" in notes
    assert "Mail van [verwijderd] ontvangen" in notes
    assert "Peter belde over de omgang met Noor" in notes, "other people's notes stay"
    goals = run("goal", "list", ref, "-f", "json").json()
    assert goals[0]["goal"] == "[verwijderd] voelt zich veilig thuis"
    history = run("phase", "history", ref, "-f", "json").json()
    assert history[-1]["reason"] == "Peter bedreigde [verwijderd] opnieuw"
    assert "PROBLEM" not in run("doctor").stdout


@pytest.mark.sqlite_only(reason="an SQLite reader keeps the WAL from being written back")
def test_forget_while_another_program_reads_warns_until_it_closes(
    run: Run, with_history: str, db_path: Path
) -> None:
    """An open read transaction elsewhere keeps SQLite from writing the WAL back: the erasure
    holds, but the command must not claim the bytes are gone before they are."""
    reader = sqlite3.connect(db_path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM members").fetchall()
        proc = subprocess.run(
            [sys.executable, "-m", "icrctl", "member", "forget", with_history, "m1",
             "--reason", "verzoek art. 17 AVG"],
            cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "ICRCTL_BUSY_TIMEOUT_MS": "300"},
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "erased m1" in proc.stdout
        assert "another program has the case file open" in proc.stderr
        reader.execute("COMMIT")
    finally:
        reader.close()  # the last connection to close writes the WAL back
    assert traces_in(db_path, NAME, "Sanne", PHONE, EMAIL) == {}
    assert NAME not in {m["name"] for m in run("member", "list", with_history, "-f", "json").json()}


def test_forget_with_nobody_else_reading_gives_no_such_warning(run: Run, with_history: str) -> None:
    result = run("member", "forget", with_history, "m1", "--reason", "verzoek art. 17 AVG")
    assert "another program" not in result.stderr


def test_forget_keeps_the_others_and_their_ties(run: Run, with_history: str, db_path: Path) -> None:
    ref = with_history
    run("member", "forget", ref, "m1", "--reason", "verzoek art. 17 AVG")

    def rows(sql: str) -> list[tuple[object, ...]]:
        return query(sql)

    assert rows(
        "SELECT a.key, r.kind, b.key FROM member_relations r "
        "JOIN members a ON a.id = r.from_member_id JOIN members b ON b.id = r.to_member_id"
    ) == [("m2", "parent_of", "m3")]
    people = rows(
        "SELECT m.key FROM contact_people cp JOIN members m ON m.id = cp.member_id ORDER BY 1"
    )
    assert people == [("m2",), ("m3",)]
    assert rows("SELECT count(*) FROM contacts") == [(3,)], "the contacts themselves stay"
    attendance = rows(
        "SELECT coalesce(m.key, p.key), a.presence FROM attendance a "
        "LEFT JOIN members m ON m.id = a.member_id LEFT JOIN partners p ON p.id = a.partner_id "
        "ORDER BY 1"
    )
    assert attendance == [("m2", "absent"), ("vt-bakker", "attended")]
    attendees = rows("SELECT m.key FROM series_attendees s JOIN members m ON m.id = s.member_id")
    assert attendees == [("m2",)]


def test_the_audit_log_keeps_only_that_an_erasure_happened(
    run: Run, with_history: str, db_path: Path
) -> None:
    before = audit(run)
    run("member", "forget", with_history, "m1", "--reason", "verzoek art. 17 AVG")
    after = audit(run)
    assert after[: len(before)] == before, "earlier entries stay as they were"
    assert len(after) == len(before) + 1
    last = after[-1]
    assert (last["action"], last["entity"], last["ref"]) == ("erase", "member", with_history)
    assert last["fields"] == "reason: verzoek art. 17 AVG"
    text = " ".join(str(v) for row in query("SELECT * FROM audit_log") for v in row)
    for secret in ("Sanne", PHONE, EMAIL, "m1"):
        assert secret not in text


@pytest.mark.parametrize(
    "reason",
    ["Sanne wil het", "verzoek van sanne de vries", f"belde vanaf {PHONE}", f"mail {EMAIL}"],
)
def test_a_reason_that_names_the_person_is_refused(
    run: Run, with_history: str, reason: str
) -> None:
    args = ("member", "forget", with_history, "m1", "--reason", reason)
    refused(run, *args, match="names the person", exact=True)  # the audit log too
    assert NAME in {m["name"] for m in run("member", "list", with_history, "-f", "json").json()}


def test_forget_needs_a_reason_and_a_known_member(run: Run, family: str) -> None:
    usage_error(run, "member", "forget", family, "m1")
    refused(run, "member", "forget", family, "m9", "--reason", "verzoek", match="no member 'm9'")


@pytest.mark.sqlite_only(reason="the automatic backups beside the .db file")
def test_forget_removes_the_automatic_backups_that_hold_the_person(
    run: Run, with_history: str, db_path: Path
) -> None:
    run(
        "import",
        "-",
        input="version: 1\ncases:\n  - {ref: GO-9, title: X, opened: 2026-01-05, phase: 1}\n",
    )
    folder = db_path.parent / "backups"
    assert len(list(folder.iterdir())) == 1
    result = run("member", "forget", with_history, "m1", "--reason", "verzoek art. 17 AVG")
    assert "removed 1 automatic backup" in result.stdout
    assert "still hold them" in result.stderr, "copies made by hand are the user's to erase"
    assert list(folder.iterdir()) == []


def test_forget_by_exact_name(run: Run, family: str, db_path: Path) -> None:
    run("member", "forget", family, "Noor de Vries", "--reason", "verzoek ouder")
    assert traces_in(db_path, "Noor de Vries", "Noor") == {}
    assert [m["key"] for m in run("member", "list", family, "-f", "json").json()] == ["m1", "m2"]


# --- case purge -----------------------------------------------------------------------------


@pytest.fixture
def closed(run: Run, with_history: str) -> str:
    run("case", "create", "GO-2026-015", "--title", "Familie Bakker-Smit")
    run("member", "add", "GO-2026-015", "Ans Bakker", "--role", "victim")
    run(
        "case", "close", with_history, "--summary", "Sanne en Noor wonen veilig",
        "--safety", "Peter heeft een contactverbod", *CLOSE_ANYWAY,
    )  # fmt: skip
    return with_history


@pytest.mark.sqlite_only(reason="reads the raw bytes of the .db file and its WAL")
def test_purge_of_a_closed_case_leaves_no_trace(run: Run, closed: str, db_path: Path) -> None:
    needles = ("Familie De Vries", "De Vries", "Sanne", "Peter", "Noor", PHONE, EMAIL, closed)
    assert traces_in(db_path, *needles)
    proc = icrctl("case", "purge", closed, "--yes")
    assert proc.returncode == 0, proc.stderr
    assert f"erased case {closed}" in proc.stdout
    assert traces_in(db_path, *needles) == {}
    refs = [c["ref"] for c in run("case", "list", "--all", "-f", "json").json()]
    assert refs == ["GO-2026-015"]
    assert [m["name"] for m in run("member", "list", "GO-2026-015", "-f", "json").json()] == [
        "Ans Bakker"
    ]
    logged = audit(run)
    assert (logged[-1]["action"], logged[-1]["entity"], logged[-1]["ref"]) == (
        "erase",
        "case",
        None,
    )
    assert logged[-1]["fields"] == "reason: retention period ended"
    assert closed not in {e["ref"] for e in logged}
    # The partner directory is not the family's: it stays.
    assert "vt-bakker" in {p["key"] for p in run("partner", "list", "-f", "json").json()}
    assert "PROBLEM" not in run("doctor").stdout


def test_purge_of_an_open_case_is_refused(run: Run, family: str) -> None:
    refused(run, "case", "purge", family, "--yes", match="not closed", exact=True)


def test_purge_without_yes_and_no_terminal_is_refused(run: Run, closed: str) -> None:
    refused(run, "case", "purge", closed, input="y\n", match="--yes", exact=True)
    with unchanged(exact=True):
        proc = icrctl("case", "purge", closed)
    assert "--yes" in error_line(Result(proc.returncode, proc.stdout, proc.stderr))


@pytest.mark.parametrize(
    "reason", ["Familie De Vries verhuisd", "verzoek van Sanne", "dossier GO-2026-014", "De Vries"]
)
def test_a_purge_reason_that_names_the_case_is_refused(run: Run, closed: str, reason: str) -> None:
    refused(run, "case", "purge", closed, "--yes", "--reason", reason, match="names", exact=True)


def test_an_unknown_case_cannot_be_purged(run: Run, family: str) -> None:
    refused(run, "case", "purge", "GO-0000-000", "--yes", match="no case 'GO-0000-000'")


# --- retention ------------------------------------------------------------------------------


def show(run: Run, ref: str) -> dict[str, object]:
    got = run("case", "show", ref, "-f", "json").json()
    assert isinstance(got, dict)
    return got


def test_closing_sets_the_retention_end_20_years_on(run: Run, family: str) -> None:
    assert show(run, family).get("retention_until") is None
    result = run("case", "close", family, "--summary", "Klaar", "--safety", "Veilig",
                 *CLOSE_ANYWAY,
                 "--date", "2026-11-20")  # fmt: skip
    assert "2046-11-20" in result.stdout
    assert show(run, family)["retention_until"] == "2046-11-20"


def test_the_retention_end_can_be_set_for_a_closed_case(run: Run, family: str) -> None:
    # an open case has no retention end yet
    refused(run, "case", "edit", family, "--retention-until", "2041-11-20", match="closed case")
    closing = ("--summary", "Klaar", "--safety", "Veilig", *CLOSE_ANYWAY)
    run("case", "close", family, *closing, "--date", "2026-11-20")
    run("case", "edit", family, "--retention-until", "2041-11-20")  # Wmo: 15 years
    assert show(run, family)["retention_until"] == "2041-11-20"
    refused(run, "case", "edit", family, "--retention-until", "2026-11-01", match="before")
    assert show(run, family)["retention_until"] == "2041-11-20"
    last = audit(run)[-1]
    assert (last["action"], last["entity"], last["fields"]) == ("update", "case", "retention_until")


def test_reopening_clears_the_retention_end(run: Run, family: str) -> None:
    run("case", "close", family, "--summary", "Klaar", "--safety", "Veilig", *CLOSE_ANYWAY)
    run("case", "reopen", family, "--reason", "nieuwe melding")
    assert show(run, family).get("retention_until") is None


def test_retention_lists_the_cases_past_their_end(
    run: Run, family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("case", "create", "GO-2026-015", "--title", "Familie Wmo")
    run("case", "create", "GO-2026-016", "--title", "Familie Open")
    for ref in (family, "GO-2026-015"):
        run("case", "close", ref, "--summary", "Klaar", "--safety", "Veilig", *CLOSE_ANYWAY)
    run("case", "edit", "GO-2026-015", "--retention-until", "2041-11-25")
    assert run("retention", "-f", "json").json() == []
    assert "no closed case is past its retention end" in run("retention").stdout

    monkeypatch.setenv("ICRCTL_TODAY", "2042-01-01")
    rows = run("retention", "-f", "json").json()
    assert rows == [
        {
            "ref": "GO-2026-015",
            "title": "Familie Wmo",
            "closed": "2026-11-25",
            "retention_until": "2041-11-25",
            "days_past": 37,
        }
    ]
    monkeypatch.setenv("ICRCTL_TODAY", "2046-11-25")  # the last day is still kept
    assert [r["ref"] for r in run("retention", "-f", "json").json()] == ["GO-2026-015"]
    monkeypatch.setenv("ICRCTL_TODAY", "2046-11-26")
    assert [r["ref"] for r in run("retention", "-f", "json").json()] == ["GO-2026-015", family]
    table = run("retention").stdout
    assert "GO-2026-015" in table
    assert "GO-2026-016" not in table
    # Purging what retention lists, the deliberate way.
    run("case", "purge", "GO-2026-015", "--yes")
    assert [r["ref"] for r in run("retention", "-f", "json").json()] == [family]
