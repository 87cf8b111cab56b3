"""The tool starts, shows help for every command, and refuses an unknown case cleanly."""

from __future__ import annotations

import click
import pytest

from tests.helpers import FAMILY_REF, Run, command, refused, usage_error


def _commands() -> list[list[str]]:
    root = command()
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
    root = command()
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
    assert refused(run, "case", "show", "NO-SUCH-CASE") == (
        "error: no case 'NO-SUCH-CASE'; 'icrctl case list --all' shows the refs"
    )


def test_usage_error_exits_2(run: Run) -> None:
    usage_error(run, "case", "create")


def test_the_family_fixture(run: Run, family: str) -> None:
    """conftest's ``family`` is a copy of a case file made once by ``tests.helpers.FAMILY``."""
    assert family == FAMILY_REF
    case = run("case", "show", family, "-f", "json").json()
    assert (case["title"], case["regisseur"], case["referrer"]) == (
        "Familie De Vries",
        "A. Jansen",
        "Veilig Thuis",
    )
    assert [(m["key"], m["name"]) for m in case["members"]] == [
        ("m1", "Sanne de Vries"),
        ("m2", "Peter de Vries"),
        ("m3", "Noor de Vries"),
    ]
    assert [(p["key"], p["consent"]) for p in case["partners"]] == [("vt-bakker", True)]
