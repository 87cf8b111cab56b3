"""A unit of work the database gives up on (PostgreSQL: serialization failure 40001, deadlock
40P01) runs again as a whole command, a bounded number of times, then one clear ``error:``; a
database that cannot be reached is one line naming its URL without the password."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from icrctl.cli.state import WRITE_ATTEMPTS
from icrctl.db.engine import shown
from icrctl.services import audit
from tests.helpers import POSTGRES, Run, error_line, snapshot, unchanged

ON_POSTGRES = bool(POSTGRES)


class _Failure(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"could not serialize access ({sqlstate})")
        self.sqlstate = sqlstate


def _give_up(session: Any, sqlstate: str) -> None:
    """Make the database give up on this unit of work with ``sqlstate``: raised by the server
    itself on PostgreSQL, as the driver's error on SQLite (which never raises these)."""
    if ON_POSTGRES:
        session.connection().exec_driver_sql(
            f"DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '{sqlstate}'; END $$"
        )
    raise OperationalError("INSERT …", {}, _Failure(sqlstate))


def _failing(monkeypatch: pytest.MonkeyPatch, times: int, sqlstate: str) -> list[int]:
    """``audit.record`` fails the first ``times`` calls; returns the list of calls made."""
    calls: list[int] = []
    real = audit.record

    def record(session: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) <= times:
            _give_up(session, sqlstate)
        return real(session, *args, **kwargs)

    monkeypatch.setattr(audit, "record", record)
    return calls


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_a_conflict_runs_the_whole_command_again(
    run: Run, family: str, monkeypatch: pytest.MonkeyPatch, sqlstate: str
) -> None:
    calls = _failing(monkeypatch, WRITE_ATTEMPTS - 1, sqlstate)
    result = run("member", "add", family, "Kees de Vries", "--role", "family")
    assert result.stdout.startswith("added m4 Kees de Vries"), result.stdout
    assert result.stderr == ""
    assert len(calls) == WRITE_ATTEMPTS
    members = run("member", "list", family, "--format", "json").json()
    assert [m["name"] for m in members].count("Kees de Vries") == 1
    entries = run("audit", family, "--format", "json").json()
    assert [e["entity"] for e in entries].count("member") == 4  # three of the family's, one new


def test_a_conflict_that_keeps_coming_is_one_error_and_changes_nothing(
    run: Run, family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _failing(monkeypatch, WRITE_ATTEMPTS, "40001")
    with unchanged():
        line = error_line(run("member", "add", family, "Kees", "--role", "family", ok=False))
    assert "another icrctl changed the same data at the same time" in line
    assert "nothing was changed, try again" in line
    assert len(calls) == WRITE_ATTEMPTS


def test_other_errors_are_not_retried(
    run: Run, family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def record(*_args: Any, **_kwargs: Any) -> None:
        calls.append(1)
        raise OperationalError("INSERT …", {}, Exception("disk I/O error"))

    monkeypatch.setattr(audit, "record", record)
    before = snapshot()
    line = error_line(run("member", "add", family, "Kees", "--role", "family", ok=False))
    assert "disk I/O error" in line
    assert len(calls) == 1
    assert snapshot() == before


def test_shown_hides_the_password() -> None:
    url = "postgresql+psycopg://icr:geheim@db.example.nl/team?sslmode=require"
    assert shown(url) == "postgresql+psycopg://icr:***@db.example.nl/team?sslmode=require"
    assert shown("/home/icr/caseload.db") == "/home/icr/caseload.db"


def test_a_server_that_is_not_there_is_one_line_without_the_password(run: Run) -> None:
    url = "postgresql+psycopg://icr:geheim@127.0.0.1:1/team?connect_timeout=5"
    line = error_line(run("--db", url, "case", "list", ok=False))
    assert line.startswith("error: cannot connect to the database postgresql+psycopg://icr:***@")
    assert "geheim" not in line


@pytest.mark.skipif(not ON_POSTGRES, reason="needs the PostgreSQL server of the test run")
def test_a_database_that_does_not_exist_is_one_line(run: Run) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(os.environ["ICRCTL_DB"]).set(database="no_such_team", password="geheim")
    text = url.render_as_string(hide_password=False)
    line = error_line(run("--db", text, "status", ok=False))
    assert "cannot connect to the database" in line
    assert "no_such_team" in line
    assert "geheim" not in line
