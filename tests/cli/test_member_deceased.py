"""A member who has died (``--deceased``, undone with ``--alive``) and the genogram's relation
kinds (``married``, ``divorced``, ``violent_towards``): on screen, in JSON and CSV, and through
export and import unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.helpers import Run, refused


def test_deceased_is_added_shown_and_undone(run: Run, family: str) -> None:
    run("member", "add", family, "Opa Kees", "--role", "grandparent", "--key", "opa",
        "--outside-household", "--deceased")  # fmt: skip
    rows = {m["key"]: m for m in run("member", "list", family, "-f", "json").json()}
    assert rows["opa"]["deceased"] is True
    assert rows["m1"]["deceased"] is False
    table = run("member", "list", family).stdout.splitlines()
    assert "deceased" in table[0]
    opa = next(line for line in table if line.startswith("opa"))
    assert opa.split()[-1] == "yes" or " yes " in opa
    shown = run("case", "show", family, "-f", "json").json()
    assert [m["deceased"] for m in shown["members"]] == [False, False, False, True]
    assert "deceased" in run("case", "show", family).stdout
    csv_rows = list(csv.DictReader(io.StringIO(run("member", "list", family, "-f", "csv").stdout)))
    assert [r["deceased"] for r in csv_rows] == ["false", "false", "false", "true"]

    assert run("member", "edit", family, "opa", "--alive").stdout.strip() == "updated opa: deceased"
    assert "deceased" not in run("member", "list", family).stdout.splitlines()[0]
    assert run("member", "edit", family, "m2", "--deceased").stdout.strip() == (
        "updated m2: deceased"
    )
    assert run("member", "edit", family, "m2", "--deceased").stdout.strip() == (
        "m2: nothing changed"
    )
    assert (
        run("--lang", "nl", "member", "list", family).stdout.splitlines()[0].endswith("overleden")
        or "overleden" in run("--lang", "nl", "member", "list", family).stdout
    )


def test_no_deceased_column_while_nobody_died(run: Run, family: str) -> None:
    assert "deceased" not in run("member", "list", family).stdout
    assert "deceased" not in run("case", "show", family).stdout


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("married", "married"),
        ("getrouwd", "married"),
        ("gehuwd", "married"),
        ("divorced", "divorced"),
        ("gescheiden", "divorced"),
        ("violent_towards", "violent_towards"),
        ("geweld tegen", "violent_towards"),
        ("pleger-van", "violent_towards"),
    ],
)
def test_the_genogram_relations(run: Run, family: str, typed: str, kind: str) -> None:
    said = run("member", "relate", family, "m2", typed, "m1").stdout.strip()
    assert said == f"{family}: m2 {kind} m1"
    relations = run("case", "show", family, "-f", "json").json()["relations"]
    assert {"member": "m2", "kind": kind, "other": "m1"} in relations


def test_a_marriage_goes_both_ways_violence_does_not(run: Run, family: str) -> None:
    run("member", "relate", family, "m1", "married", "m2")
    refused(run, "member", "relate", family, "m2", "getrouwd", "m1", match="already recorded")
    run("member", "relate", family, "m2", "violent_towards", "m1")
    run("member", "relate", family, "m1", "violent_towards", "m2")  # both use violence
    refused(run, "member", "relate", family, "m2", "geweld_tegen", "m1", match="already recorded")
    refused(run, "member", "relate", family, "m1", "trouwt", "m2", match="getrouwd")


def test_dutch_words_of_the_relations(run: Run, family: str) -> None:
    said = run("--lang", "nl", "member", "relate", family, "m2", "violent_towards", "m1").stdout
    assert said.strip() == f"{family}: m2 geweld tegen m1"
    assert "gescheiden" in run("--lang", "nl", "member", "relate", family, "m1", "divorced",
                               "m2").stdout  # fmt: skip


FILE = """\
version: 1
cases:
  - ref: GO-2026-300
    title: Familie Oost
    opened: 2026-03-01
    phase: 2
    members:
      - key: opa
        name: Opa Oost
        role: grootouder
        household: false
        deceased: true
        relations:
          - {to: oma, kind: getrouwd}
          - {to: a, kind: parent_of}
      - {key: oma, name: Oma Oost, role: grandparent, household: false}
      - key: a
        name: Anna Oost
        role: victim
        relations:
          - {to: b, kind: gescheiden}
      - key: b
        name: Bas Oost
        role: perpetrator
        household: false
        deceased: false
        relations:
          - {to: a, kind: geweld_tegen}
"""


def test_export_and_import_keep_deceased_and_relations(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "oost.yaml"
    source.write_text(FILE, encoding="utf-8")
    run("import", str(source))
    first = tmp_path / "first.yaml"
    run("export", "--out", str(first))
    text = first.read_text(encoding="utf-8")
    assert text.count("deceased: true") == 1
    assert "deceased: false" not in text
    assert "kind: married" in text
    assert "kind: divorced" in text
    assert "kind: violent_towards" in text
    opa = text[text.index("name: Opa Oost") : text.index("relations:", text.index("Opa Oost"))]
    assert opa.strip().splitlines()[-1].strip() == "deceased: true"  # after email, before relations
    other = tmp_path / "other.db"
    run("--db", str(other), "import", str(first))
    second = tmp_path / "second.yaml"
    run("--db", str(other), "export", "--out", str(second))
    assert second.read_bytes() == first.read_bytes()
    assert run("import", str(first)).stdout.endswith("nothing to change\n")
    # the file says someone did not die after all: the import updates the member
    run("import", "-", input=FILE.replace("deceased: true", "deceased: false"))
    members = run("member", "list", "GO-2026-300", "-f", "json").json()
    assert not any(m["deceased"] for m in members)


def test_import_refuses_a_deceased_that_is_not_true_or_false(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text(FILE.replace("deceased: true", "deceased: ja"), encoding="utf-8")
    result = run("import", str(source), ok=False)
    assert "cases[0].members[0].deceased: expected true or false, not 'ja'" in result.stderr
