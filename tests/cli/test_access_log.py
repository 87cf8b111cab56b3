"""Access logging (NEN 7513) and ``icrctl config``: with ``audit_reads`` on, every command that
shows a case's personal data writes a ``read`` entry (who, when, which case, which command) in
the same transaction; off, none. On by default on a server, off in a personal file. The audit
user is the operating system's account, whatever ``$LOGNAME`` and ``$USER`` say."""

from __future__ import annotations

import pwd
from pathlib import Path

import pytest

from tests.helpers import Run, error_line, refused, unchanged

REF = "GO-2026-014"
ME = pwd.getpwuid(__import__("os").getuid()).pw_name

#: Each command that shows a case's personal data: its arguments, and the entity it logs.
READERS: dict[str, tuple[tuple[str, ...], str]] = {
    "case show": (("case", "show", REF), "case"),
    "member list": (("member", "list", REF), "member"),
    "analysis show": (("analysis", "show", REF), "analysis"),
    "log list": (("log", "list", REF), "contact"),
    "eval show": (("eval", "show", REF, "2026-11-17"), "meeting"),
    "export": (("export",), "case"),
    "export --case": (("export", "--case", REF), "case"),
}


def access(run: Run, *args: str) -> list[dict[str, object]]:
    got = run("audit", "--access", *args, "-f", "json").json()
    assert isinstance(got, list)
    return [e for e in got if e["action"] == "read"]


@pytest.fixture
def held(run: Run, family: str) -> str:
    """The family with a held meeting and a contact, so that every reader has something."""
    run("eval", "record", family, "--date", "2026-11-17", "--attended", "m1", "--risk", "3",
        "--self-reliance", "2", "--note", "rustig gesprek")  # fmt: skip
    run("log", family, "Huisbezoek", "--kind", "visit", "--with", "m1")
    return family


@pytest.mark.parametrize("command", READERS)
def test_a_read_is_logged_when_audit_reads_is_on(run: Run, held: str, command: str) -> None:
    args, entity = READERS[command]
    run("config", "set", "audit_reads", "on")
    before = access(run)
    run(*args)
    logged = access(run)[len(before) :]
    path = "icrctl " + command.split(" --")[0]
    assert [(e["action"], e["entity"], e["ref"], e["command"]) for e in logged] == [
        ("read", entity, REF, path)
    ]
    assert logged[0]["user"] == ME


@pytest.mark.parametrize("command", READERS)
def test_no_read_is_logged_when_audit_reads_is_off(run: Run, held: str, command: str) -> None:
    args, _entity = READERS[command]
    run("config", "set", "audit_reads", "uit")
    before = run("audit", "-f", "json").json()
    run(*args)
    after = run("audit", "-f", "json").json()
    assert [e for e in after[len(before) :] if e["action"] == "read"] == []


def test_the_default_is_off_outside_team_mode(run: Run, held: str) -> None:
    """On by default only in team mode (tests/team/test_team_access_log.py)."""
    expected = "off"
    assert run("config", "get", "audit_reads").stdout == f"{expected}\n"
    [row] = run("config", "list", "-f", "json").json()
    assert row == {
        "key": "audit_reads",
        "value": expected,
        "default": True,
        "changed_at": None,
        "changed_by": None,
    }
    run("case", "show", REF)
    assert access(run) == []


def test_the_entry_names_who_when_which_case_which_command(
    run: Run, held: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``$LOGNAME`` and ``$USER`` are anyone's to set: the account is asked by its user id."""
    monkeypatch.setenv("LOGNAME", "mallory")
    monkeypatch.setenv("USER", "mallory")
    run("config", "set", "audit_reads", "aan")
    run("case", "show", REF)
    [entry] = access(run, REF)
    assert entry["user"] == ME != "mallory"
    assert entry["command"] == "icrctl case show"
    assert entry["ref"] == REF
    assert str(entry["at"]).startswith("20")


def test_a_refused_read_logs_nothing(run: Run, held: str) -> None:
    run("config", "set", "audit_reads", "on")
    with unchanged():
        refused(run, "member", "list", "GO-0000-000", match="no case")


def test_audit_access_shows_the_access_entries_only_and_filters_by_case(
    run: Run, held: str, tmp_path: Path
) -> None:
    run("case", "create", "GO-2026-015", "--title", "Familie Bakker")
    run("config", "set", "audit_reads", "on")
    run("case", "show", REF)
    run("case", "show", "GO-2026-015")
    run("werkplan", REF, "--out", str(tmp_path / "plan.md"))
    shown = run("audit", "--access", "-f", "json").json()
    assert [(e["action"], e["ref"]) for e in shown] == [
        ("read", REF),
        ("read", "GO-2026-015"),
        ("document", REF),
    ]
    assert [e["ref"] for e in run("audit", REF, "--access", "-f", "json").json()] == [REF, REF]
    everything = run("audit", "-f", "json").json()
    assert {"create", "update", "read"} <= {e["action"] for e in everything}
    assert "read" in run("audit", "--access").stdout


# --- config ---------------------------------------------------------------------------------------


def test_config_set_is_audited_and_unset_goes_back_to_the_default(run: Run, held: str) -> None:
    default, other = "off", "on"
    assert f"audit_reads is now {other}" in run("config", "set", "audit_reads", other).stdout
    assert "nothing changed" in run("config", "set", "AUDIT_READS", other.upper()).stdout
    [row] = run("config", "list", "-f", "json").json()
    assert (row["value"], row["default"], row["changed_by"]) == (other, False, ME)
    changes = [e for e in run("audit", "-f", "json").json() if e["entity"] == "setting"]
    assert [(e["action"], e["fields"], e["ref"]) for e in changes] == [
        ("update", f"audit_reads={other}", None)
    ]
    out = run("config", "unset", "audit_reads").stdout
    assert f"audit_reads is back to its default: {default}" in out
    assert "nothing changed" in run("config", "unset", "audit_reads").stdout
    assert run("config", "get", "audit_reads").stdout == f"{default}\n"
    changes = [e for e in run("audit", "-f", "json").json() if e["entity"] == "setting"]
    assert [e["action"] for e in changes] == ["update", "delete"]
    assert "(default)" in run("config", "list").stdout


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("set", "audit_reads", "maybe"), "audit_reads: 'maybe' is not on or off (aan or uit)"),
        (("set", "colour", "on"), "unknown setting 'colour'; the settings are: audit_reads"),
        (("get", "colour"), "unknown setting 'colour'"),
        (("unset", "colour"), "unknown setting 'colour'"),
    ],
)
def test_config_refusals_are_one_line_and_change_nothing(
    run: Run, family: str, args: tuple[str, ...], match: str
) -> None:
    refused(run, "config", *args, match=match)


def test_config_in_dutch(run: Run, family: str) -> None:
    with unchanged():
        result = run("--lang", "nl", "config", "set", "audit_reads", "ja", ok=False)
    assert result.stderr == "fout: audit_reads: 'ja' is niet aan of uit (on of off)\n"
    assert (
        "audit_reads staat nu op on"
        in run("--lang", "nl", "config", "set", "audit_reads", "aan").stdout
    )


# --- a case file that cannot be written -----------------------------------------------------------


@pytest.mark.sqlite_only(reason="a read-only open of the SQLite file")
def test_a_read_that_cannot_be_logged_is_refused_and_shows_nothing(
    run: Run, held: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-only media or a read-only open: the access entry cannot be written, so the command
    refuses in one line rather than show personal data unlogged."""
    from sqlalchemy import create_engine

    from icrctl.db.engine import WRITE, CaseFile

    run("config", "set", "audit_reads", "on")
    engines = []

    def read_only(self: CaseFile):  # type: ignore[no-untyped-def]
        engine = create_engine(f"sqlite:///file:{db_path}?mode=ro&uri=true")
        engines.append(engine)
        return self._session(engine.execution_options(**{WRITE: True}))

    monkeypatch.setattr(CaseFile, "write", read_only)
    try:
        with unchanged(exact=True):
            result = run("member", "list", REF, ok=False)
    finally:
        for engine in engines:
            engine.dispose()
    assert error_line(result) == (
        "error: the case file cannot be written, so this reading cannot be logged (audit_reads "
        "is on); nothing was shown. Use a copy on a writable disk"
    )
    assert "Sanne" not in result.stdout
