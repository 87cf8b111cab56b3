"""The regiekaart's compiled twin (``regiekaart.json``): in step with ``regiekaart.yaml``, read
instead of it, and ignored the moment it no longer matches."""

from __future__ import annotations

import importlib.resources

import pytest

from icrctl.domain import regiekaart

FOLDER = importlib.resources.files("icrctl.domain")


def _source() -> bytes:
    return (FOLDER / "regiekaart.yaml").read_bytes()


def test_the_twin_is_in_step_with_the_yaml() -> None:
    shipped = (FOLDER / regiekaart.COMPILED).read_text(encoding="utf-8")
    assert shipped == regiekaart.compiled(_source()), "run: python .ci/regiekaart.py"


def test_the_card_from_the_twin_is_the_card_from_the_yaml() -> None:
    twin = regiekaart._twin(_source(), regiekaart.compiled(_source()))
    assert twin is not None
    assert regiekaart._build(twin) == regiekaart._parse(_source().decode("utf-8"))


@pytest.mark.parametrize(
    "text",
    [None, "", "{", "[]", '{"source_sha256": "0", "document": {}}'],
)
def test_a_twin_that_is_missing_broken_or_of_another_yaml_is_ignored(text: str | None) -> None:
    assert regiekaart._twin(_source(), text) is None


def test_a_changed_yaml_makes_the_twin_stale() -> None:
    twin = regiekaart.compiled(_source())
    assert regiekaart._twin(_source() + b"\n# edited\n", twin) is None


def test_a_command_reads_the_card_without_the_yaml_parser() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from icrctl.domain import regiekaart as r; r._regiekaart(); "
        "print('yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
