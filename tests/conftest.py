"""Shared fixtures: an isolated case file per test, a fixed day, a fixed terminal."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
import typer.main
from click.testing import CliRunner

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test touches the user's case file, colours, or the real clock."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("ICRCTL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("ICRCTL_DB", str(tmp_path / "data" / "caseload.db"))
    monkeypatch.delenv("TERM", raising=False)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


Run = Callable[..., Result]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "caseload.db"


@functools.cache
def command() -> click.Command:
    """The click command behind the Typer app, built once: Typer builds it anew on every
    ``CliRunner.invoke`` otherwise, which costs more than most commands themselves."""
    from icrctl.cli.main import app

    return typer.main.get_command(app)


@pytest.fixture
def run() -> Run:
    """``run("case", "list")``: invoke the CLI in-process; ``ok=False`` expects a refusal."""
    runner = CliRunner()

    def invoke(*args: str, ok: bool | None = True, input: str | None = None) -> Result:
        result = runner.invoke(command(), list(args), input=input, catch_exceptions=False)
        out = Result(result.exit_code, result.stdout, result.stderr)
        if ok is True:
            assert result.exit_code == 0, f"{args}: {out.stderr or out.stdout}"
        elif ok is False:
            assert result.exit_code != 0, f"{args} was expected to fail: {out.stdout}"
        return out

    return invoke


@pytest.fixture
def family(run: Run) -> str:
    """A small case: mother, father (outside the household), child; one partner with consent."""
    run(
        "case",
        "create",
        "GO-2026-014",
        "--title",
        "Familie De Vries",
        "--opened",
        "2026-03-02",
        "--phase",
        "2",
        "--regisseur",
        "A. Jansen",
        "--referrer",
        "Veilig Thuis",
    )
    run(
        "member", "add", "GO-2026-014", "Sanne de Vries", "--role", "victim", "--born", "1988-05-14"
    )
    run(
        "member",
        "add",
        "GO-2026-014",
        "Peter de Vries",
        "--role",
        "perpetrator",
        "--outside-household",
    )
    run("member", "add", "GO-2026-014", "Noor de Vries", "--role", "child", "--born", "2019-06-01")
    run(
        "partner",
        "add",
        "J. Bakker",
        "--organisation",
        "Veilig Thuis Rotterdam Rijnmond",
        "--kind",
        "veilig_thuis",
        "--key",
        "vt-bakker",
    )
    run("partner", "link", "GO-2026-014", "vt-bakker", "--role", "veiligheidsplan", "--consent")
    return "GO-2026-014"


@pytest.fixture
def services(db_path: Path) -> Iterator[Callable[..., Any]]:
    """``with services() as (session, ctx):`` a writing unit of work on the test's case file."""
    from icrctl.db.engine import CaseFile
    from icrctl.services.context import Context

    case_file = CaseFile(str(db_path))

    def unit(today: date = TODAY) -> Any:
        from contextlib import contextmanager

        @contextmanager
        def scope() -> Iterator[tuple[Any, Context]]:
            with case_file.write() as session:
                yield session, Context(today=today, user="tester", command="test")

        return scope()

    yield unit
    case_file.dispose()
