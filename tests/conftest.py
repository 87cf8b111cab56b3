"""Shared fixtures: an isolated case file per test, a fixed day, a fixed terminal.

The plain helpers behind them (``TODAY``, ``refused``, ``snapshot``, ``unchanged`` …) live in
``tests/helpers.py``; ``TODAY``, ``Result``, ``Run`` and ``command`` are imported here too, for
the tests that still take them from ``tests.conftest``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import (
    ENVIRONMENT,
    FAMILY_REF,
    POSTGRES,
    TODAY,
    Result,
    Run,
    Unit,
    case_file,
    command,
    copy_case_file,
    family_file,
    make_run,
    writing,
)

__all__ = ["TODAY", "Result", "Run", "command"]


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test touches the user's case file, colours, or the real clock. With
    ``$ICRCTL_TEST_POSTGRES`` the test's case file is a fresh database of its own on that
    server (tests/postgres.py), emptied before the test."""
    for name, value in ENVIRONMENT.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    from icrctl import i18n

    i18n.use("en")  # what a Dutch command before this test in this process left behind goes
    if not POSTGRES:
        monkeypatch.setenv("ICRCTL_DB", str(tmp_path / "data" / "caseload.db"))
        yield
        return
    from tests import postgres

    monkeypatch.setenv("ICRCTL_DB", postgres.pool("case").load(postgres.EMPTY))
    yield


#: Kept out of the user's own for the whole process, not only inside a test: a fixture of module
#: or session scope runs commands before any test's environment is set (the audit key and
#: anchors, the keyring).
PROCESS_WIDE = ("ICRCTL_CONFIG_DIR", "ICRCTL_KEYRING", "PYTHON_KEYRING_BACKEND")


def pytest_configure(config: pytest.Config) -> None:
    for name in PROCESS_WIDE:
        value = ENVIRONMENT[name]
        assert value is not None
        os.environ[name] = value
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): behaviour of the SQLite file itself (file modes, WAL, pragmas, "
        "copies of the .db file); skipped when the suite runs on PostgreSQL",
    )
    config.addinivalue_line(
        "markers",
        "long: runs for a minute or more (Hypothesis over command sequences, many processes): "
        "collected first, so that the workers share the rest while it runs",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The long tests first: started last, one of them alone keeps the run going for minutes.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
    if not POSTGRES:
        return
    for item in items:
        _fewer_examples(item)
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


#: On PostgreSQL a Hypothesis test runs this share of its examples (at least
#: :data:`LEAST_EXAMPLES`): the rules it explores are the same on both engines and get every
#: example on SQLite; on the server the examples show that the engine agrees, and both suites
#: together stay within CI's time.
POSTGRES_SHARE = 4
LEAST_EXAMPLES = 5


def _fewer_examples(item: pytest.Item) -> None:
    from hypothesis import settings

    test = getattr(item, "obj", None)
    test = getattr(test, "__func__", test)
    current = getattr(test, "_hypothesis_internal_use_settings", None)
    if current is None:
        return
    fewer = max(LEAST_EXAMPLES, current.max_examples // POSTGRES_SHARE)
    if fewer < current.max_examples:
        test._hypothesis_internal_use_settings = settings(current, max_examples=fewer)  # type: ignore[union-attr]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "caseload.db"


@pytest.fixture
def run() -> Run:
    """``run("case", "list")``: invoke the CLI in-process; ``ok=False`` expects a refusal."""
    return make_run()


@pytest.fixture
def family(db_path: Path) -> str:
    """A small case: mother, father (outside the household), child; one partner with consent
    (``tests.helpers.FAMILY``). Copied from a case file made once, not built for every test."""
    copy_case_file(family_file(), case_file() if POSTGRES else db_path)
    return FAMILY_REF


@pytest.fixture
def services(db_path: Path) -> Iterator[Unit]:
    """``with services() as (session, ctx):`` a writing unit of work on the test's case file;
    ``services(today)`` for another day."""
    with writing(case_file() if POSTGRES else db_path) as unit:
        yield unit
