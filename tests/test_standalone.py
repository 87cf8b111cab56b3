"""The repository stands alone: a clone has only what git tracks, so no tracked text may send the
reader to the design notes the project started from, to a folder beside the repository, or to an
issue tracker. And docs/cli.md, the command contract, names every command and option there is.

The patterns are assembled from pieces, so that this file does not match them itself.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import click
import pytest
import typer.main

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "cli.md"

_SLASH = "/"
_NOTES = "|".join(("STYLE", "DOMAIN", "CLI", "FORMAT"))

#: (what it is, pattern): each a reference a clone cannot follow.
FORBIDDEN: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("the shared notes folder", re.compile(r"(?<![\w-])" + "shared" + _SLASH)),
    ("a folder beside the repository", re.compile(re.escape(".." + _SLASH + "shared"))),
    # The notes were upper case; the project's own docs/cli.md, docs/format.md are not.
    ("a design note", re.compile(r"(?<!docs/)(?<![\w-])(?:" + _NOTES + r")\.md\b")),
    ("a source document", re.compile(r"\b" + "seed" + r"s? 0\d")),
    ("the source documents folder", re.compile(r"\b" + "seeds" + _SLASH)),
    ("an issue of a tracker", re.compile(r"\b[Ii]" + "ssue" + r"s? #?\d")),
)


def references(text: str) -> list[str]:
    """``line N: what it is ('match')`` for every forbidden reference in ``text``."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in FORBIDDEN:
            for m in pattern.finditer(line):
                found.append(f"line {number}: {what} ({m.group(0)!r})")
    return found


def tracked_texts() -> list[Path]:
    """Every file git tracks that is text (UTF-8 without NUL bytes)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    texts = []
    for name in filter(None, listed.split("\0")):
        path = ROOT / name
        if not path.is_file():  # deleted in the work tree, not yet in the index
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        texts.append(path)
    return texts


def test_no_tracked_file_refers_outside_the_repository() -> None:
    texts = tracked_texts()
    assert ROOT / "README.md" in texts  # the walk sees what matters
    assert ROOT / "icrctl" / "cli" / "main.py" in texts
    problems = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in texts
        for problem in references(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "references a clone cannot follow:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "text",
    [
        "see `.." + _SLASH + "shared" + _SLASH + "CLI" + ".md`",
        "the layout follows shared" + _SLASH + "STYLE" + ".md",
        "as DOMAIN" + ".md says",
        "the contract in `FORMAT" + ".md`",
        "the table at the end of " + "seed" + " 003",
        "read " + "seeds" + _SLASH + "README.md",
        "fixed in " + "issue" + " 9",
        "see " + "Issue" + " #12",
    ],
)
def test_each_kind_of_reference_is_caught(text: str) -> None:
    assert references(text)


@pytest.mark.parametrize(
    "text",
    [
        "the contract: docs/cli.md and docs/format.md",
        "see [domain.md](domain.md) and docs/architecture.md",
        "bench/generate.py 50 --seed" + " 1",
        "a shared directory of partners; shared-nothing",
        "the issue is the lock",
    ],
)
def test_the_project_s_own_words_pass(text: str) -> None:
    assert references(text) == []


# --- docs/cli.md names every command and option ---------------------------------------------


def commands() -> dict[str, click.Command]:
    """Every command by its path (``case create``), from the catalogue and the groups in it."""
    from icrctl.cli.catalogue import COMMANDS
    from icrctl.cli.main import app

    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    ctx = click.Context(root)
    found: dict[str, click.Command] = {}
    for name in COMMANDS:
        command = root.get_command(ctx, name)
        assert command is not None, name
        found[name] = command
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                subcommand = command.get_command(ctx, sub)
                assert subcommand is not None, f"{name} {sub}"
                found[f"{name} {sub}"] = subcommand
    return found


def synopses(text: str) -> list[str]:
    """The synopsis entries of the contract's plain code blocks: a line ``icrctl …`` and the
    indented lines that continue it, joined."""
    entries: list[str] = []
    for block in re.findall(r"^```\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.splitlines():
            if line.startswith("icrctl "):
                entries.append(line)
            elif line.startswith(" ") and entries:
                entries[-1] += " " + line.strip()
    return entries


def synopsis_of(path: str, entries: list[str]) -> str | None:
    """The joined synopses of the command at ``path`` (``log`` is not ``log list``)."""
    words = path.split()
    mine = [e for e in entries if e.split()[1 : 1 + len(words)] == words]
    return " ".join(mine) or None


def long_names(command: click.Command) -> list[list[str]]:
    """Each option's spellings (``['-f', '--format']``), ``--help`` left out."""
    return [
        [*p.opts, *p.secondary_opts]
        for p in command.params
        if isinstance(p, click.Option) and "--help" not in p.opts
    ]


def test_every_catalogue_command_is_in_the_contract() -> None:
    from icrctl.cli.catalogue import COMMANDS

    entries = synopses(CONTRACT.read_text(encoding="utf-8"))
    missing = [name for name in COMMANDS if synopsis_of(name, entries) is None]
    assert not missing, f"docs/cli.md has no synopsis of: {', '.join(missing)}"


def test_every_command_and_option_is_in_the_contract() -> None:
    entries = synopses(CONTRACT.read_text(encoding="utf-8"))
    problems = []
    for path, command in commands().items():
        synopsis = synopsis_of(path, entries)
        if synopsis is None:
            problems.append(f"icrctl {path}: no synopsis")
            continue
        for names in long_names(command):
            if not any(re.search(re.escape(n) + r"(?![\w-])", synopsis) for n in names):
                problems.append(f"icrctl {path}: {'/'.join(names)} not in its synopsis")
    assert not problems, "docs/cli.md misses:\n" + "\n".join(problems)


def test_the_global_options_are_in_the_contract() -> None:
    from icrctl.cli.main import app

    text = CONTRACT.read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    missing = [
        "/".join(names) for names in long_names(root) if not any(f"`{n}" in text for n in names)
    ]
    assert not missing, f"docs/cli.md does not describe: {', '.join(missing)}"


def test_the_synopsis_reader_reads_continuations() -> None:
    text = "```\nicrctl a b X [--one]\n        [--two]\nicrctl a c\n```\n"
    entries = synopses(text)
    assert entries == ["icrctl a b X [--one] [--two]", "icrctl a c"]
    assert synopsis_of("a b", entries) == "icrctl a b X [--one] [--two]"
    assert synopsis_of("a", entries) is not None
    assert synopsis_of("b", entries) is None
