"""The layers as a test: every module under ``icrctl/`` is parsed (not imported) and each of its
imports, at module level or inside a function, absolute or relative, is held against the rules
below. A failure lists every violation as ``module:line imports X (rule)``."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "icrctl"

UI = ("typer", "click", "rich")


@dataclass(frozen=True)
class Rule:
    """Modules under ``scope`` may import nothing under any of ``forbidden``."""

    name: str
    scope: str
    forbidden: tuple[str, ...]


RULES = (
    Rule(
        "the domain is plain Python: no database, no command line, no output, no files",
        "icrctl.domain",
        (
            "sqlalchemy",
            *UI,
            "icrctl.services",
            "icrctl.db",
            "icrctl.cli",
            "icrctl.render",
            "icrctl.io",
        ),
    ),
    Rule(
        "services know no command line and no output",
        "icrctl.services",
        (*UI, "icrctl.cli", "icrctl.render"),
    ),
    Rule(
        "the command line reads the case file through services", "icrctl.cli", ("icrctl.db.models",)
    ),
    Rule(
        "the database layer calls no service and no command",
        "icrctl.db",
        ("icrctl.services", "icrctl.cli"),
    ),
    Rule(
        "the language module is the base every layer may use: it imports nothing of icrctl's",
        "icrctl.i18n",
        ("icrctl",),
    ),
    Rule(
        "a migration is frozen: it imports nothing from icrctl",
        "icrctl.db.migrations.versions",
        ("icrctl",),
    ),
)


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """The dotted name of the module at ``path`` and whether it is a package's ``__init__``."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The full names one import statement brings in: ``from a import b`` gives ``a.b`` (``b``
    may be a module), a relative import is resolved against ``module``'s package."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    return [base if alias.name == "*" else f"{base}.{alias.name}" for alias in node.names]


def violations(root: Path) -> list[str]:
    """Every import under ``root`` (a package directory) that a rule forbids."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module, is_package = module_name(path, root)
        rules = [r for r in RULES if under(module, r.scope)]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in imported(node, module, is_package):
                for rule in rules:
                    hit = next((f for f in rule.forbidden if under(name, f)), None)
                    if hit is not None:
                        found.append(f"{module}:{node.lineno} imports {name} ({rule.name})")
    return found


def test_every_module_keeps_to_its_layer() -> None:
    found = violations(PACKAGE)
    assert not found, "layer rules broken:\n" + "\n".join(found)


def test_the_check_reads_every_module() -> None:
    """The walk reaches all layers, so an empty list above means something."""
    modules = {module_name(p, PACKAGE)[0] for p in PACKAGE.rglob("*.py")}
    for rule in RULES:
        assert any(under(m, rule.scope) for m in modules), rule.scope


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small ``icrctl`` package with an empty module in each layer."""
    root = tmp_path / "icrctl"
    for package in ("", "domain/", "services/", "cli/", "db/", "db/migrations/versions/"):
        write(root, f"{package}__init__.py", "")
    return root


def test_a_clean_tree_passes(tree: Path) -> None:
    write(tree, "domain/rules.py", "import datetime\nfrom icrctl.domain import dates\n")
    write(
        tree, "services/cases.py", "from sqlalchemy import select\nfrom icrctl.db import models\n"
    )
    write(tree, "cli/case.py", "import typer\nfrom icrctl.db import engine\n")
    assert violations(tree) == []


def test_a_forbidden_import_in_a_function_is_caught(tree: Path) -> None:
    write(tree, "domain/rules.py", '"""Rules."""\n\n\ndef f():\n    import sqlalchemy.orm\n')
    assert violations(tree) == [
        "icrctl.domain.rules:5 imports sqlalchemy.orm (the domain is plain Python: no database, "
        "no command line, no output, no files)"
    ]


@pytest.mark.parametrize(
    ("relative", "text", "name"),
    [
        ("domain/rules.py", "from rich.text import Text\n", "rich.text.Text"),
        ("domain/rules.py", "from ..services import cases\n", "icrctl.services.cases"),
        ("domain/__init__.py", "from .. import render\n", "icrctl.render"),
        ("domain/rules.py", "from icrctl.io.files import write\n", "icrctl.io.files.write"),
        ("services/cases.py", "import click\n", "click"),
        ("services/cases.py", "from icrctl.render import tables\n", "icrctl.render.tables"),
        ("cli/case.py", "from icrctl.db import models\n", "icrctl.db.models"),
        ("cli/case.py", "from ..db.models import Case\n", "icrctl.db.models.Case"),
        (
            "db/engine.py",
            "from icrctl.services.audit import reseal\n",
            "icrctl.services.audit.reseal",
        ),
        (
            "db/migrations/versions/0009_x.py",
            "from icrctl.errors import IcrError\n",
            "icrctl.errors.IcrError",
        ),
    ],
)
def test_each_rule_catches_its_forbidden_import(
    tree: Path, relative: str, text: str, name: str
) -> None:
    write(tree, relative, text)
    found = violations(tree)
    assert len(found) == 1, found
    assert f" imports {name} (" in found[0]
    assert found[0].split(" ")[0].endswith(":1")
