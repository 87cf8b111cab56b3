"""What many tests share, in one place: the pinned day, running the CLI in-process, the family
case, a snapshot of the case file, and the checks of a refusal.

``from tests.helpers import TODAY, refused, snapshot, unchanged, …``. The fixtures built on these
(``run``, ``db_path``, ``family``, ``services``) are in ``tests/conftest.py``.

A refusal, through the CLI::

    message = refused(run, "member", "add", ref, "Jan", "--role", "baas", match="unknown role")

asserts exit status 1, one ``error: …`` line on stderr (no traceback), nothing on stdout, and that
the case file holds exactly what it held before (:func:`snapshot`); it returns the error line.
Through the services (``services`` is a :class:`Unit`, a writing session per call)::

    rejected(services, RuleViolation, lambda s, c: phases.set_phase(s, c, ref, 2, "x"))

and around anything else that must change nothing, ``with unchanged(): …``. For Hypothesis,
which cannot use the function-scoped ``services``, ``with fresh_case_file(setup) as unit:``.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click
    from sqlalchemy.orm import Session

    from icrctl.services.context import Context

#: The day every test lives on (``$ICRCTL_TODAY``): Wednesday 25 November 2026.
TODAY = date(2026, 11, 25)

#: The config folder of every test in this process (``$ICRCTL_CONFIG_DIR``): the audit key file
#: and the anchors live there, never in the user's; one per process, so that the case files made
#: once and copied into each test (the family) are sealed with the same key.
CONFIG_FOLDER = Path(tempfile.mkdtemp(prefix="icrctl-config-"))
atexit.register(shutil.rmtree, CONFIG_FOLDER, True)

#: The environment of every CLI test besides ``$ICRCTL_DB``: no colours, a fixed width, no
#: terminal, the pinned day, English, a private config folder and no keyring (a test never
#: touches the user's). ``None`` removes a variable.
ENVIRONMENT: Mapping[str, str | None] = {
    "ICRCTL_CONFIG_DIR": str(CONFIG_FOLDER),
    "ICRCTL_KEYRING": "off",
    "NO_COLOR": "1",
    "COLUMNS": "120",
    "ICRCTL_TODAY": TODAY.isoformat(),
    "TERM": None,
    # English, whatever the machine's locale: most tests read the English words. The Dutch
    # (the default) is tested where a test asks for it (--lang nl, $ICRCTL_LANG=nl).
    "ICRCTL_LANG": "en",
    # Never the machine's keyring, never a passphrase from the machine's environment.
    "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    "ICRCTL_PASSPHRASE_FILE": None,
    "ICRCTL_NEW_PASSPHRASE_FILE": None,
    "ICRCTL_ENCRYPT_PAUSE": None,
}


#: The admin URL of a PostgreSQL server (``$ICRCTL_TEST_POSTGRES``): when set, every test runs on
#: a fresh database of its own on that server instead of an SQLite file (docs/architecture.md,
#: "Two engines"); empty: on SQLite.
POSTGRES = os.environ.get("ICRCTL_TEST_POSTGRES", "").strip()


# --- running the CLI ----------------------------------------------------------------------------


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        import json

        return json.loads(self.stdout)


Run = Callable[..., Result]


@functools.cache
def command() -> click.Command:
    """The click command behind the Typer app, built once: Typer builds it anew on every
    ``CliRunner.invoke`` otherwise, which costs more than most commands themselves."""
    import typer.main

    from icrctl.cli.main import app

    return typer.main.get_command(app)


def make_run(env: Mapping[str, str | None] | None = None) -> Run:
    """``run("case", "list")``: invoke the CLI in-process; ``env`` is set around each call (the
    ``run`` fixture sets nothing: the test's environment holds).

    ``ok=True`` (the default) asserts exit status 0, ``ok=False`` a non-zero one, ``ok=None``
    nothing. ``input`` is fed to stdin."""
    from click.testing import CliRunner

    runner = CliRunner(env=dict(env) if env else None)

    def run(*args: str, ok: bool | None = True, input: str | None = None) -> Result:
        result = runner.invoke(command(), list(args), input=input, catch_exceptions=False)
        out = Result(result.exit_code, result.stdout, result.stderr)
        if ok is True:
            assert result.exit_code == 0, f"{args}: {out.stderr or out.stdout}"
        elif ok is False:
            assert result.exit_code != 0, f"{args} was expected to fail: {out.stdout}"
        return out

    return run


# --- the family ---------------------------------------------------------------------------------

FAMILY_REF = "GO-2026-014"

#: The ``family`` fixture, command for command: mother, father (outside the household), child;
#: one partner with consent.
FAMILY: tuple[tuple[str, ...], ...] = (
    ("case", "create", FAMILY_REF, "--title", "Familie De Vries", "--opened", "2026-03-02",
     "--phase", "2", "--regisseur", "A. Jansen", "--referrer", "Veilig Thuis"),
    ("member", "add", FAMILY_REF, "Sanne de Vries", "--role", "victim", "--born", "1988-05-14"),
    ("member", "add", FAMILY_REF, "Peter de Vries", "--role", "perpetrator",
     "--outside-household"),
    ("member", "add", FAMILY_REF, "Noor de Vries", "--role", "child", "--born", "2019-06-01"),
    ("partner", "add", "J. Bakker", "--organisation", "Veilig Thuis Rotterdam Rijnmond",
     "--kind", "veilig_thuis", "--key", "vt-bakker"),
    ("partner", "link", FAMILY_REF, "vt-bakker", "--role", "veiligheidsplan", "--consent"),
)  # fmt: skip


def _scratch_folder(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _family(db: str) -> None:
    run = make_run({**ENVIRONMENT, "ICRCTL_DB": db})
    for args in FAMILY:
        run(*args)


@functools.cache
def family_file() -> Path | str:
    """A case file holding the family, made once per process through the CLI (on PostgreSQL:
    the name of a template database)."""
    if POSTGRES:
        return "family"
    db = _scratch_folder("icrctl-family-") / "caseload.db"
    _family(str(db))
    return db


def contents(name: str) -> Any:
    """On PostgreSQL: what the case file ``name`` ("family", or a setup's) holds
    (tests/postgres.py, made once per process)."""
    from tests import postgres

    if name == "family":
        return postgres.contents("family", _family)
    return postgres.contents(name, _set_up(_SETUPS[name]))


def copy_case_file(source: Path | str, target: Path | str) -> None:
    """Put a copy of the case file ``source`` (and whatever SQLite keeps beside it) at
    ``target``, in a private folder as icrctl makes it. On PostgreSQL ``source`` is a template
    case file's name (:func:`contents`) and ``target`` the test's database, which is emptied and
    loaded with it."""
    if POSTGRES and isinstance(source, str):
        from tests import postgres

        postgres.pool("case").load(contents(source))
        return
    source, target = Path(source), Path(target)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path in source.parent.glob(f"{source.name}*"):
        shutil.copy2(path, target.parent / (target.name + path.name[len(source.name) :]))


def copy_of_case_file(folder: Path) -> str:
    """A second case file holding what the test's holds now, for running the same commands
    twice: ``folder/other/caseload.db`` on SQLite, a database of its own on PostgreSQL."""
    if POSTGRES:
        from tests import postgres

        return postgres.pool("other").load(postgres.capture(case_file()))
    other = folder / "other" / "caseload.db"
    copy_case_file(case_file_path(), other)
    return str(other)


class Holder:
    """Another program holding icrctl's write lock on the test's case file: ``BEGIN IMMEDIATE``
    on SQLite, the advisory lock every writing unit takes on PostgreSQL (db/engine.py)."""

    def __init__(self, db: Path | str | None = None) -> None:
        if POSTGRES:
            import psycopg
            from sqlalchemy.engine import make_url

            from icrctl.db.engine import WRITE_LOCK

            target = str(db) if db is not None and on_server(db) else case_file()
            url = make_url(target).set(drivername="postgresql")
            self._pg = psycopg.connect(url.render_as_string(hide_password=False))
            self._pg.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        else:
            self._lite = sqlite3.connect(case_file_path(db), timeout=0, isolation_level=None)
            self._lite.execute("BEGIN IMMEDIATE")

    def execute(self, sql: str) -> None:
        (self._pg if POSTGRES else self._lite).execute(sql)

    def release(self) -> None:
        if POSTGRES:
            self._pg.rollback()
            self._pg.close()
        else:
            self._lite.execute("ROLLBACK")
            self._lite.close()


# --- the case file, before and after ------------------------------------------------------------

_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def case_file_path(db: Path | str | None = None) -> Path:
    """``db``, or the test's case file (``$ICRCTL_DB``), as a path (an SQLite file)."""
    return Path(db if db is not None else os.environ["ICRCTL_DB"])


def case_file() -> str:
    """The test's case file (``$ICRCTL_DB``): a path, or on PostgreSQL a database URL."""
    return os.environ["ICRCTL_DB"]


def on_server(db: Path | str | None = None) -> bool:
    """Whether ``db`` (default: the test's case file) is a PostgreSQL database."""
    location = db if db is not None else os.environ["ICRCTL_DB"]
    return isinstance(location, str) and location.startswith("postgresql")


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]] | bytes:
    """Every row of every table that has rows (the schema version aside), or the file's bytes
    when it is no SQLite database. No file and an empty case file both hold nothing: ``{}``."""
    if not path.is_file():
        return {}
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return path.read_bytes()
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = {}
        for table in sorted(tables):
            if table == "alembic_version":
                continue
            rows = sorted(con.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            if rows:
                found[table] = rows
        return found
    except sqlite3.Error:
        return path.read_bytes()
    finally:
        con.close()


def _files(folder: Path, skip: set[Path]) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (``None``) below ``folder`` but those in ``skip``."""
    if not folder.is_dir():
        return {}
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        if path in skip:
            continue
        name = path.relative_to(folder).as_posix()
        found[name] = None if path.is_dir() else path.read_bytes()
    return found


def snapshot(db: Path | str | None = None, *, exact: bool = False) -> dict[str, Any]:
    """What the case file ``db`` (default: the test's) holds, to compare before and after.

    Every row of every table, the audit log included, and every other file and folder beside the
    case file (automatic backups, temporary files). ``exact``: the bytes of every file in the
    case file's folder instead, the case file and its WAL included: for "byte for byte
    unchanged" (an index or empty WAL beside it aside). Without ``exact`` a missing case file
    equals an empty one.

    On PostgreSQL (``db`` a URL): every row of every table, read through SQLAlchemy; there are
    no files beside a database, and ``exact`` adds nothing."""
    if on_server(db):
        from tests import postgres

        return {"rows": postgres.rows(str(db if db is not None else case_file()))}
    path = case_file_path(db)
    if exact:  # an index (-shm) and an empty WAL hold nothing; they come and go with readers
        beside = [path.parent / f"{path.name}{side}" for side in ("-wal", "-shm", "-journal")]
        empty = {
            p for p in beside if p.name.endswith("-shm") or (p.exists() and not p.stat().st_size)
        }
        return {"files": _files(path.parent, empty)}
    sides = {path.parent / f"{path.name}{side}" for side in _SIDE_FILES}
    return {"rows": _rows(path), "files": _files(path.parent, sides)}


def query(statement: str, *params: Any, db: Path | str | None = None) -> list[tuple[Any, ...]]:
    """Run one SQL statement (``?`` parameters) on the case file ``db`` (default: the test's, on
    either engine) outside icrctl, commit, and return its rows (none for a change)::

        query("UPDATE cases SET title = ? WHERE ref = ?", "x", ref)
    """
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    location = str(db if db is not None else case_file())
    server = on_server(location)
    engine = create_engine(location if server else f"sqlite:///{location}", poolclass=NullPool)
    try:
        with engine.begin() as connection:
            if server:
                statement = statement.replace("%", "%%").replace("?", "%s")
            result = connection.exec_driver_sql(statement, tuple(params))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


@contextmanager
def unchanged(db: Path | str | None = None, *, exact: bool = False) -> Iterator[None]:
    """``with unchanged(): …``: assert that the block leaves the case file as it was
    (:func:`snapshot`). Put ``pytest.raises`` inside it for a refusal."""
    before = snapshot(db, exact=exact)
    yield
    after = snapshot(db, exact=exact)
    assert after == before, f"the case file changed: {_difference(before, after)}"


def _difference(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Which tables or files differ between two snapshots, in words."""
    found = []
    for part in ("rows", "files"):
        old, new = before.get(part), after.get(part)
        if old == new:
            continue
        if not isinstance(old, dict) or not isinstance(new, dict):
            found.append(f"{part}: the case file's bytes")
            continue
        for name in sorted(set(old) | set(new)):
            if name not in old:
                found.append(f"{part}: {name} appeared")
            elif name not in new:
                found.append(f"{part}: {name} disappeared")
            elif old[name] != new[name]:
                found.append(f"{part}: {name} changed")
    return "; ".join(found)


# --- refusals -----------------------------------------------------------------------------------


def error_line(result: Result, *, code: int = 1) -> str:
    """The one ``error: …`` line of a refused command: exit status ``code``, nothing else on
    stderr, no traceback, nothing on stdout."""
    assert result.exit_code == code, f"exit {result.exit_code}: {result.stderr or result.stdout}"
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    assert result.stdout == "", result.stdout
    return lines[0]


def _db_option(args: tuple[str, ...]) -> str | None:
    """The case file a command line names with ``--db``, if it does."""
    for i, arg in enumerate(args):
        value = args[i + 1] if arg == "--db" and i + 1 < len(args) else None
        if arg.startswith("--db="):
            value = arg.removeprefix("--db=")
        if value is not None:
            return value.removeprefix("sqlite:///")
    return None


def refused(
    run: Run,
    *args: str,
    match: str | None = None,
    db: Path | str | None = None,
    exact: bool = False,
    input: str | None = None,
) -> str:
    """Run a command that must be refused; return its ``error: …`` line.

    Asserts :func:`error_line` (exit 1, one ``error:`` line, no traceback, empty stdout), that
    the line contains ``match`` (plain text, not a pattern) if given, and that the case file is
    :func:`unchanged`: ``db``, else the one the command names with ``--db``, else the test's.
    ``exact`` compares bytes (see :func:`snapshot`)."""
    target = db if db is not None else _db_option(args)
    with unchanged(target, exact=exact):
        line = error_line(run(*args, ok=False, input=input))
    if match is not None:
        assert match in line, line
    return line


def usage_error(
    run: Run, *args: str, match: str | None = None, db: Path | str | None = None
) -> str:
    """Run a command line that click must reject before any command runs: exit status 2, click's
    ``Error: …`` on stderr, nothing changed. Returns stderr."""
    with unchanged(db if db is not None else _db_option(args)):
        result = run(*args, ok=False)
    assert result.exit_code == 2, f"{args}: exit {result.exit_code}: {result.stderr}"
    assert "Error" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    if match is not None:
        assert match in result.stderr, result.stderr
    return result.stderr


# --- the services -------------------------------------------------------------------------------

Setup = Callable[["Session", "Context"], None]


def context(today: date = TODAY) -> Context:
    """What a service call knows besides its arguments: the day, a test user, a test command."""
    from icrctl.services.context import Context

    return Context(today=today, user="tester", command="test")


class Unit:
    """``with unit() as (session, ctx):`` a writing session on one case file (one transaction,
    committed at the end, rolled back on an exception) and a :func:`context`; ``unit(today)``
    for another day. ``unit.path`` is the case file, for :func:`snapshot` and :func:`unchanged`.

    conftest's ``services`` fixture is one on the test's case file; :func:`fresh_case_file` makes
    one for each Hypothesis example."""

    def __init__(self, path: Path | str, today: date = TODAY) -> None:
        from icrctl.db.engine import CaseFile

        self.path = path
        self.today = today
        self._case_file = CaseFile(str(path))

    @contextmanager
    def __call__(self, today: date | None = None) -> Iterator[tuple[Session, Context]]:
        with self._case_file.write() as session:
            yield session, context(self.today if today is None else today)

    def dispose(self) -> None:
        self._case_file.dispose()


@contextmanager
def writing(db: Path | str, today: date = TODAY) -> Iterator[Unit]:
    """A :class:`Unit` on the case file ``db`` (a path or a URL), closed afterwards."""
    unit = Unit(db, today)
    try:
        yield unit
    finally:
        unit.dispose()


def _set_up(setup: Setup | None) -> Callable[[str], None]:
    def build(db: str) -> None:
        with writing(db) as unit, unit() as (session, ctx):
            if setup is not None:
                setup(session, ctx)

    return build


_SETUPS: dict[str, Setup | None] = {}


@functools.cache
def _template(setup: Setup | None) -> Path | str:
    if POSTGRES:
        name = f"setup:{getattr(setup, '__module__', '')}.{getattr(setup, '__qualname__', '')}"
        _SETUPS[name] = setup
        return name
    db = _scratch_folder("icrctl-template-") / "caseload.db"
    _set_up(setup)(str(db))
    return db


@contextmanager
def fresh_case_file(setup: Setup | None = None, today: date = TODAY) -> Iterator[Unit]:
    """A new case file in its own temporary folder, holding what ``setup`` (a module-level
    function, called once per process) wrote: for a Hypothesis example, which cannot use a
    function-scoped fixture. Copying the file made once is much faster than migrating anew."""
    if POSTGRES:
        from tests import postgres

        url = postgres.pool("fresh").load(contents(str(_template(setup))))
        with writing(url, today) as unit:
            yield unit
        return
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "caseload.db"
        copy_case_file(_template(setup), db)
        with writing(db, today) as unit:
            yield unit


def rejected(
    unit: Unit,
    error: type[Exception],
    call: Callable[[Session, Context], object],
    *,
    match: str | None = None,
) -> Exception:
    """The service twin of :func:`refused`: ``call(session, ctx)`` in a writing session of
    ``unit`` must raise ``error`` (its message containing ``match``, plain text, if given) and
    leave the case file :func:`unchanged`. Returns the exception, for its hint and facts::

        rejected(services, RuleViolation, lambda s, c: phases.set_phase(s, c, ref, 2, "x"))
    """
    import pytest

    with unchanged(unit.path), pytest.raises(error) as caught, unit() as (session, ctx):
        call(session, ctx)
    if match is not None:
        assert match in str(caught.value), str(caught.value)
    return caught.value


# --- golden files -------------------------------------------------------------------------------

GOLDEN = Path(__file__).resolve().parent / "golden"


def golden(name: str, data: str) -> None:
    """Compare ``data`` with ``tests/golden/NAME``; with ``ICRCTL_UPDATE_GOLDEN=1``, rewrite the
    file instead (review the diff before committing it)."""
    import difflib

    import pytest

    path = GOLDEN / name
    if os.environ.get("ICRCTL_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(data, encoding="utf-8", newline="")
        return
    assert path.exists(), f"no golden file {path}; run with ICRCTL_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if data != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                data.splitlines(keepends=True),
                f"golden/{name}",
                "output",
            )
        )
        pytest.fail(f"{name} differs from its golden file (ICRCTL_UPDATE_GOLDEN=1):\n{diff}")
