#!/usr/bin/env python3
"""The message catalogue: extract, update, compile, check (a development tool; needs Babel).

    python .ci/catalogue.py update    # code -> icrctl/locale/icrctl.pot -> nl .po (new: empty)
    python .ci/catalogue.py compile   # nl .po -> nl .mo (what the wheel ships)
    python .ci/catalogue.py check     # exit 1 if anything is out of step (the tests run this)
    python .ci/catalogue.py fill FILE.po…   # take the translations FILE.po holds
    python .ci/catalogue.py missing   # what check finds, printed
    python .ci/catalogue.py todo [PATH…]    # a .po fragment of what PATH's files still lack

What is a message id, found by reading the source (``ast``), never by importing it:

- the first argument of ``_("…")`` and ``N_("…")``, both of ``ngettext("…", "…", n)`` and of
  ``N_plural("…", "…")``;
- every ``help="…"`` (and ``short_help``, ``epilog``) keyword argument: Typer's help texts
  (``help=NAME`` is left to where ``NAME`` is defined, marked with ``N_``);
- the docstring of every function decorated with ``….command(…)`` or ``….callback(…)``, and of
  every function ``icrctl/cli/catalogue.py``'s ``COMMANDS`` names: Typer shows it as the
  command's help.

A string there must be a literal (implicit concatenation is fine): an f-string cannot be
translated, and this tool says where one is.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "icrctl"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "icrctl.pot"
DUTCH_PO = LOCALE / "nl" / "LC_MESSAGES" / "icrctl.po"
DUTCH_MO = DUTCH_PO.with_suffix(".mo")
HELP_KEYWORDS = {"help", "short_help", "epilog"}
PLURALS = {"ngettext", "N_plural"}
SKIP = {"migrations"}


@dataclass(frozen=True)
class Found:
    msgid: str | tuple[str, str]
    path: str
    line: int


class Problem(Exception):
    pass


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literal(node: ast.expr, where: str) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    raise Problem(f"{where}: a translatable text must be a string literal, not {ast.unparse(node)}")


def _named(node: ast.expr) -> bool:
    """``help=None``, or an expression that yields a text marked where it is defined (``N_``)
    and translated where it is shown, such as ``_(WORDS[key])`` (the tests check that every help
    text shown is in the catalogue). An f-string or a sum of strings is no such thing."""
    if isinstance(node, ast.Constant):
        return node.value is None
    return not isinstance(node, ast.JoinedStr | ast.BinOp)


def _is_command(func: ast.FunctionDef) -> bool:
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Call) and _callee(decorator) in {"command", "callback"}:
            return True
    return False


def _single_commands() -> set[tuple[str, str]]:
    """(file, function) of every command that ``icrctl/cli/catalogue.py``'s ``COMMANDS`` names
    as a plain function (not a Typer app): the root makes it a command, its docstring the help."""
    path = PACKAGE / "cli" / "catalogue.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for value in node.values:
                if isinstance(value, ast.Tuple) and len(value.elts) == 3:
                    module, attribute = (ast.literal_eval(e) for e in value.elts[:2])
                    file = "/".join(module.split(".")) + ".py"
                    found.add((file, attribute))
    return found


def _in_file(path: Path, singles: set[tuple[str, str]]) -> Iterator[Found]:
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            where = f"{rel}:{node.lineno}"
            name = _callee(node)
            if name in {"_", "N_"} and isinstance(node.func, ast.Name) and node.args:
                if not _named(node.args[0]):
                    yield Found(_literal(node.args[0], where), rel, node.lineno)
            elif name in PLURALS and len(node.args) >= 2 and not _named(node.args[0]):
                pair = (_literal(node.args[0], where), _literal(node.args[1], where))
                yield Found(pair, rel, node.lineno)
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg not in HELP_KEYWORDS or _named(value):
                    continue
                yield Found(_literal(value, where), rel, node.lineno)
        elif isinstance(node, ast.FunctionDef) and (
            _is_command(node) or (rel, node.name) in singles
        ):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield Found(doc, rel, node.lineno)


def extract() -> list[Found]:
    """Every message id in the package, in file order (problems all reported at once)."""
    found: list[Found] = []
    problems: list[str] = []
    singles = _single_commands()
    for path in sorted(PACKAGE.rglob("*.py")):
        if SKIP & set(path.relative_to(PACKAGE).parts):
            continue
        try:
            found.extend(_in_file(path, singles))
        except Problem as exc:
            problems.append(str(exc))
    if problems:
        raise Problem("\n".join(problems))
    return found


def template() -> object:
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="icrctl", domain="icrctl", charset="utf-8", fuzzy=False)
    for item in extract():
        catalog.add(item.msgid, locations=[(item.path, item.line)])
    return catalog


def _read(path: Path) -> object:
    """A template, or a catalogue (or a fragment of one) of the one translation: Dutch."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale="nl" if path.suffix == ".po" else None)


def _write_po(catalog: object, path: Path, **options: object) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(path.suffix + ".tmp")
    with temp.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, **options)  # type: ignore[arg-type]
    temp.replace(path)


def update() -> None:
    """Write the template from the code, and bring the Dutch catalogue in step with it: new
    message ids come in empty, gone ones go (no fuzzy guesses: a guess is not a translation)."""
    from babel.messages.catalog import Catalog

    pot = template()
    _write_po(pot, TEMPLATE, omit_header=False, include_lineno=False)
    if DUTCH_PO.exists():
        dutch = _read(DUTCH_PO)
    else:
        dutch = Catalog(locale="nl", project="icrctl", domain="icrctl", fuzzy=False)
    dutch.update(pot, no_fuzzy_matching=True, update_header_comment=False)  # type: ignore[attr-defined]
    dutch.obsolete.clear()  # type: ignore[attr-defined]
    _write_po(dutch, DUTCH_PO, include_lineno=False)


def compile_() -> None:
    from babel.messages.mofile import write_mo

    dutch = _read(DUTCH_PO)
    temp = DUTCH_MO.with_suffix(".mo.tmp")
    with temp.open("wb") as handle:
        write_mo(handle, dutch, use_fuzzy=False)  # type: ignore[arg-type]
    temp.replace(DUTCH_MO)


def fill(paths: list[str]) -> None:
    """Take the translations ``paths`` hold (a translator's file): each fills or replaces the
    Dutch catalogue's entry for its message id; ids the code no longer has are ignored."""
    dutch = _read(DUTCH_PO)
    taken = 0
    for path in paths:
        for message in _read(Path(path)):  # type: ignore[attr-defined]
            if not message.id or not message.string:
                continue
            ours = dutch.get(message.id)  # type: ignore[attr-defined]
            if ours is not None and ours.string != message.string:
                ours.string = message.string
                ours.flags.discard("fuzzy")
                taken += 1
    _write_po(dutch, DUTCH_PO, include_lineno=False)
    print(f"filled {taken} entries")


def todo(paths: list[str]) -> None:
    """Print, as a .po fragment to fill in, the message ids of the files under ``paths`` (all
    files if none) that the Dutch catalogue does not translate yet."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    dutch = _read(DUTCH_PO) if DUTCH_PO.exists() else Catalog(locale="nl")
    wanted = Catalog(locale="nl", project="icrctl", domain="icrctl", fuzzy=False)
    for item in extract():
        if paths and not any(item.path.startswith(p.rstrip("/")) for p in paths):
            continue
        ours = dutch.get(item.msgid)  # type: ignore[attr-defined]
        if ours is None or not _translated(ours):
            wanted.add(item.msgid, locations=[(item.path, item.line)])
    write_po(sys.stdout.buffer, wanted, width=100, omit_header=True)  # type: ignore[arg-type]


def _translated(message: object) -> bool:
    string = message.string  # type: ignore[attr-defined]
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def _pair(message: Any) -> tuple[Any, Any]:
    """A message as (id, translation), plural ids and forms as tuples (Babel gives lists)."""

    def frozen(value: Any) -> Any:
        return value if isinstance(value, str) else tuple(value)

    return frozen(message.id), frozen(message.string)


def _fields(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems() -> list[str]:
    """What is out of step: the template, missing or fuzzy translations, placeholders, the .mo."""
    from babel.messages.mofile import read_mo

    found: list[str] = []
    expected = {m.id for m in template() if m.id}  # type: ignore[attr-defined]
    current = {m.id for m in _read(TEMPLATE) if m.id}  # type: ignore[attr-defined]
    if expected != current:
        found.append(
            f"{TEMPLATE.relative_to(ROOT)} is out of date ({len(expected - current)} new, "
            f"{len(current - expected)} gone): run python .ci/catalogue.py update"
        )
    dutch = _read(DUTCH_PO)
    for message in dutch:  # type: ignore[attr-defined]
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.id not in expected:
            found.append(f"nl: no longer in the code: {key!r}")
        if message.fuzzy:
            found.append(f"nl: fuzzy: {key!r}")
        if not _translated(message):
            found.append(f"nl: not translated: {key!r}")
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if any(_fields(s) != _fields(ids[min(i, len(ids) - 1)]) for i, s in enumerate(strings)):
            found.append(f"nl: placeholders differ: {key!r}")
    for msgid in expected - {m.id for m in dutch if m.id}:  # type: ignore[attr-defined]
        found.append(f"nl: missing: {msgid!r}")
    with DUTCH_MO.open("rb") as handle:
        compiled = {_pair(m) for m in read_mo(handle) if m.id}
    source = {_pair(m) for m in dutch if m.id and _translated(m)}  # type: ignore[attr-defined]
    if compiled != source:
        found.append(f"{DUTCH_MO.relative_to(ROOT)} is stale: run python .ci/catalogue.py compile")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    try:
        if command == "update":
            update()
        elif command == "compile":
            compile_()
        elif command == "fill":
            fill(argv[1:])
        elif command == "todo":
            todo(argv[1:])
        elif command == "missing":
            for line in problems():
                print(line)
        elif command == "check":
            found = problems()
            for line in found[:40]:
                print(line, file=sys.stderr)
            if len(found) > 40:
                print(f"… and {len(found) - 40} more", file=sys.stderr)
            return 1 if found else 0
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except Problem as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
