"""The README's examples run, in order, against a fresh case file: documentation that can't
drift from the tool."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[list[str]]:
    """Every ``icrctl …`` line of the README's sh blocks, continuations joined, comments cut."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "icrctl":
                commands.append(words[1:])
    return commands


def test_the_readme_has_examples_of_every_command() -> None:
    from icrctl.cli.catalogue import COMMANDS

    shown = {words[0] for words in readme_commands()}
    # team mode needs a server, encryption a passphrase: their examples are ```shell blocks,
    # shown, not run
    assert set(COMMANDS) - shown <= {
        *("backup", "restore", "salvage", "doctor", "audit", "retention", "team"),
        *("encrypt", "decrypt", "passphrase"),
    }


def test_the_readme_examples_run(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "examples" / "caseload.yaml", tmp_path / "caseload.yaml")
    for words in readme_commands():
        result = run(*words, ok=None)
        assert result.exit_code == 0, f"icrctl {shlex.join(words)}: {result.stderr}"
