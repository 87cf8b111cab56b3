"""Start-up stays near the floor: --help, --version and shell completion import none of the
heavy modules, and completion answers from the case file without creating one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import POSTGRES, Run, case_file

HEAVY = ("sqlalchemy", "alembic", "yaml", "dateutil", "holidays", "icalendar", "psycopg")

PROBE = """
import sys
sys.argv = ["icrctl", *{args!r}]
from icrctl.cli.main import app  # not main(): it ends the process before we can look
try:
    app()
except SystemExit:
    pass
print("LOADED:" + ",".join(sorted(m for m in {modules!r} if m in sys.modules)), file=sys.stderr)
"""


def _loaded(
    args: list[str], modules: tuple[str, ...], env: dict[str, str] | None = None
) -> tuple[list[str], str]:
    """Which of ``modules`` a command run as ``icrctl ARGS`` imported, and its output."""
    code = PROBE.format(args=args, modules=modules)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("LOADED:"))
    found = line.removeprefix("LOADED:")
    return ([m for m in found.split(",") if m]), result.stdout


def _heavy(args: list[str], env: dict[str, str] | None = None) -> tuple[list[str], str]:
    return _loaded(args, HEAVY, env)


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["case", "--help"], ["eval", "--help"]]
)
def test_help_and_version_import_nothing_heavy(args: list[str]) -> None:
    heavy, _ = _heavy(args)
    assert heavy == []


def _completion_env(words: str, cword: int, db: Path | str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        _ICRCTL_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword), ICRCTL_DB=str(db)
    )
    return env


def test_completion_of_refs_members_and_partners(run: Run, family: str, db_path: Path) -> None:
    run("case", "create", "GO-2026-099", "--title", "Familie Zuid")
    db = case_file() if POSTGRES else db_path  # a team database completes too
    heavy, out = _heavy([], _completion_env("icrctl case show GO-2026-0", 3, db))
    assert out.split() == ["GO-2026-014", "GO-2026-099"]
    assert heavy == (["psycopg"] if POSTGRES else [])  # a team database is read with it alone
    _, out = _heavy([], _completion_env("icrctl member edit GO-2026-014 ", 4, db))
    assert out.split() == ["m1", "m2", "m3"]
    _, out = _heavy([], _completion_env("icrctl partner link GO-2026-014 vt", 4, db))
    assert out.split() == ["vt-bakker"]


def test_completion_without_a_case_file_creates_none(tmp_path: Path) -> None:
    db = tmp_path / "none" / "caseload.db"
    _, out = _heavy([], _completion_env("icrctl case show ", 3, db))
    assert out.split() == []
    assert not db.parent.exists()


def test_the_console_script_keeps_exit_codes_and_output(tmp_path: Path) -> None:
    """main() ends the process at once after the command: output and exit status survive."""
    env = dict(os.environ, ICRCTL_DB=str(tmp_path / "c" / "caseload.db"))
    ok = subprocess.run(
        [sys.executable, "-m", "icrctl", "--version"], capture_output=True, text=True, env=env
    )
    assert (ok.returncode, ok.stdout.startswith("icrctl ")) == (0, True)
    refused = subprocess.run(
        [sys.executable, "-m", "icrctl", "case", "show", "NO-SUCH-CASE"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "error: no case 'NO-SUCH-CASE'; 'icrctl case list --all' shows the refs"
    ]
    usage = subprocess.run(
        [sys.executable, "-m", "icrctl", "case", "create"], capture_output=True, text=True, env=env
    )
    assert usage.returncode == 2
    made = subprocess.run(
        [sys.executable, "-m", "icrctl", "case", "create", "GO-1", "--title", "Familie Test"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert made.returncode == 0, made.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "icrctl", "case", "list", "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert '"ref": "GO-1"' in listed.stdout


def test_console_script_and_module_collect_garbage_rarely() -> None:
    """``icrctl`` (the console script) and ``python -m icrctl`` start through
    ``icrctl.__main__.main``, which raises the collector's threshold before anything is imported:
    start-up keeps nearly every object it makes, so collecting every 700 allocations only costs."""
    import tomllib

    scripts = tomllib.loads(Path("pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"icrctl": "icrctl.__main__:main"}
    probe = (
        "import gc, sys; from icrctl.__main__ import main, GC_THRESHOLD; "
        "import icrctl.cli.main as m; m.main = lambda: print(gc.get_threshold()); main()"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "(100000, 50, 100)"
    done = subprocess.run(
        [sys.executable, "-m", "icrctl", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("icrctl ")


@pytest.mark.parametrize("args", [["status"], ["check"], ["week"]])
def test_the_caseload_views_map_only_the_models_they_use(
    run: Run, family: str, args: list[str]
) -> None:
    """Neither the YAML parser (the regiekaart is read from its compiled twin) nor the models only
    some commands use (``models.LATER``) are loaded for the views run most often."""
    env = dict(os.environ, ICRCTL_DB=str(case_file()))
    # On a server the team's tables (shares, members) say who is asking: mapped there.
    later = () if POSTGRES else ("icrctl.db.models_more",)
    loaded, _ = _loaded(args, ("yaml", *later), env)
    assert loaded == []
