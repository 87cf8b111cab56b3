"""The tool starts, shows help for every command, and refuses an unknown case cleanly."""

from __future__ import annotations

import click
import pytest
from typer.main import get_command

from icrctl.cli.main import app
from tests.conftest import Run


def _commands() -> list[list[str]]:
    root = get_command(app)
    assert isinstance(root, click.Group)
    out = []
    ctx = click.Context(root)
    for name in root.list_commands(ctx):
        cmd = root.get_command(ctx, name)
        if isinstance(cmd, click.Group):
            out += [[name, sub] for sub in cmd.list_commands(click.Context(cmd))]
        else:
            out.append([name])
    return out


@pytest.mark.parametrize("path", _commands(), ids=" ".join)
def test_every_command_has_help(run: Run, path: list[str]) -> None:
    result = run(*path, "--help")
    assert "Usage:" in result.stdout
    root = get_command(app)
    assert isinstance(root, click.Group)
    cmd: click.Command = root
    for part in path:
        assert isinstance(cmd, click.Group)
        found = cmd.get_command(click.Context(cmd), part)
        assert found is not None
        cmd = found
    assert cmd.help, f"{' '.join(path)} has no help text"


def test_version(run: Run) -> None:
    from icrctl import __version__

    assert run("--version").stdout.strip() == f"icrctl {__version__}"


def test_unknown_case_is_one_error_line(run: Run) -> None:
    result = run("case", "show", "NO-SUCH-CASE", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: no case 'NO-SUCH-CASE'; 'icrctl case list --all' shows the refs"
    ]
    assert result.stdout == ""


def test_usage_error_exits_2(run: Run) -> None:
    result = run("case", "create", ok=False)
    assert result.exit_code == 2
