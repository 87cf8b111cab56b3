"""``icrctl --help`` lists commands from the catalogue without importing them; the catalogue's
line must stay true to each command's own help."""

from __future__ import annotations

import click
import pytest

from icrctl.cli.catalogue import COMMANDS
from tests.helpers import command


@pytest.mark.parametrize("name", list(COMMANDS))
def test_catalogue_line_matches_the_command(name: str) -> None:
    root = command()
    assert isinstance(root, click.Group)
    loaded = root.get_command(click.Context(root), name)
    assert loaded is not None
    assert loaded.name == name
    assert loaded.help, f"{name} has no help text"
    own = loaded.help.split("\n\n")[0].replace("\n", " ").lower()
    words = [w.strip(".,:()") for w in COMMANDS[name][2].lower().split()]
    key = [w for w in words if len(w) > 3][:2]
    assert all(w in own for w in key), f"{name}: catalogue says {COMMANDS[name][2]!r}"


def test_every_command_of_the_contract_is_listed() -> None:
    contract = {
        "case",
        "member",
        "partner",
        "eval",
        "phase",
        "log",
        "goal",
        "werkplan",
        "report",
        "status",
        "week",
        "check",
        "import",
        "export",
        "backup",
        "restore",
        "doctor",
        "audit",
        "retention",
    }
    assert contract <= set(COMMANDS)
