"""``icrctl salvage DAMAGED OUT``: what a damaged case file still holds, exported in the import
format; what is lost is named; the damaged file and the case file in use are never written."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import ENVIRONMENT, Run, error_line, make_run, unchanged

pytestmark = pytest.mark.sqlite_only(reason="damages the pages of an SQLite file")

CONTACTS = 300
PAGE = 4096


def case_yaml(ref: str, contacts: int) -> str:
    notes = "".join(
        f"      - {{date: 2026-0{1 + n % 9}-1{n % 10}, kind: phone, "
        f"note: 'Contact {ref} nummer {n:04d} {'x' * 180}'}}\n"
        for n in range(contacts)
    )
    return (
        f"  - ref: {ref}\n    title: Familie {ref}\n    opened: 2025-12-01\n    phase: 2\n"
        f"    members:\n      - {{key: m1, name: Persoon {ref}, role: victim}}\n"
        f"    contacts:\n{notes}"
    )


@pytest.fixture
def damaged(run: Run, tmp_path: Path) -> Path:
    """A case file of two cases with many contacts, copied, then one page in the middle of the
    contacts table overwritten with garbage."""
    source = tmp_path / "bron" / "caseload.db"
    data = tmp_path / "in.yaml"
    data.write_text("version: 1\ncases:\n" + case_yaml("GO-1", CONTACTS) + case_yaml("GO-2", 3))
    run("--db", str(source), "import", str(data))
    copy = tmp_path / "kapot.db"
    run("--db", str(source), "backup", str(copy))
    con = sqlite3.connect(copy)
    try:
        leaves = [
            r[0]
            for r in con.execute(
                "SELECT pageno FROM dbstat WHERE name = 'contacts' AND pagetype = 'leaf' "
                "ORDER BY path"
            )
        ]
    finally:
        con.close()
    assert len(leaves) > 10, "the contacts must span many pages"
    bad = leaves[len(leaves) // 2]
    with copy.open("r+b") as f:
        f.seek((bad - 1) * PAGE)
        f.write(os.urandom(PAGE))
    return copy


def test_a_damaged_file_is_refused_by_export_but_salvaged(
    run: Run, damaged: Path, tmp_path: Path
) -> None:
    assert run("--db", str(damaged), "export", ok=False).exit_code == 1
    out = tmp_path / "gered.yaml"
    before = (damaged.read_bytes(), damaged.stat().st_mtime_ns)
    with unchanged(exact=True):  # the case file in use ($ICRCTL_DB) is not touched either
        result = run("salvage", str(damaged), str(out), ok=None)
    assert result.exit_code == 4, result.stderr
    assert (damaged.read_bytes(), damaged.stat().st_mtime_ns) == before
    assert sorted(p.name for p in damaged.parent.iterdir() if p.name.startswith("kapot")) == [
        "kapot.db"
    ], "no -wal, -shm or journal made beside the damaged file"
    assert "contacts: the rows with id" in result.stderr
    assert "could not be read" in result.stderr
    assert "partial" in result.stderr.splitlines()[-1]
    assert "salvaged 2 cases" in result.stdout
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    doc = yaml.safe_load(out.read_text())
    cases = {c["ref"]: c for c in doc["cases"]}
    assert len(cases["GO-2"]["contacts"]) == 3
    kept = len(cases["GO-1"]["contacts"])
    assert CONTACTS - 40 < kept < CONTACTS, "one page of contacts lost, the rest kept"
    # The export is the normal format: it imports into a fresh case file as it is.
    fresh = tmp_path / "nieuw" / "caseload.db"
    run("--db", str(fresh), "import", str(out))
    assert len(run("--db", str(fresh), "log", "list", "GO-1", "-f", "json").json()) == kept
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".icrctl-salvage")] == []


def test_an_undamaged_file_salvages_whole_with_exit_0(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "gered.yaml"
    copy = tmp_path / "kopie.db"
    run("backup", str(copy))
    result = run("salvage", str(copy), str(out))
    assert result.stderr == ""
    assert out.read_text() == run("export").stdout


def test_salvage_refuses_to_write_over_the_damaged_file_or_the_case_file(
    run: Run, family: str, db_path: Path, damaged: Path, tmp_path: Path
) -> None:
    before = damaged.read_bytes()
    for target in (damaged, db_path):
        with unchanged(exact=True):
            line = error_line(run("salvage", str(damaged), str(target), "--force", ok=False))
        assert "salvage never writes to either" in line
    assert damaged.read_bytes() == before
    line = error_line(run("salvage", str(tmp_path / "nope.db"), str(tmp_path / "x.yaml"), ok=False))
    assert "no file at" in line


def test_salvage_of_garbage_is_one_line_and_writes_nothing(run: Run, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(8 * PAGE))
    out = tmp_path / "gered.yaml"
    line = error_line(run("salvage", str(junk), str(out), ok=False))
    assert "nothing could be read" in line
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".icrctl-salvage")] == []


#: The first byte of a b-tree page says its kind; garbage that starts like one is read as SQLite
#: rows (docs/cli.md, salvage): the property below is about pages SQLite knows to be damaged.
PAGE_KINDS = (2, 5, 10, 13)


@pytest.fixture(scope="module")
def many_contacts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    """A checked copy of a case file with one case and 200 contacts, and its contacts' pages."""
    folder = tmp_path_factory.mktemp("salvage")
    data = folder / "in.yaml"
    data.write_text("version: 1\ncases:\n" + case_yaml("GO-1", 200))
    run = make_run({**ENVIRONMENT, "ICRCTL_DB": str(folder / "data" / "caseload.db")})
    run("import", str(data))
    copy = folder / "heel.db"
    run("backup", str(copy))
    con = sqlite3.connect(copy)
    try:
        pages = [
            int(r[0])
            for r in con.execute("SELECT pageno FROM dbstat WHERE name = 'contacts' ORDER BY path")
        ]
    finally:
        con.close()
    return copy, pages


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(choice=st.data())
def test_every_row_is_salvaged_or_named_as_lost(
    many_contacts: tuple[Path, list[int]], tmp_path: Path, choice: st.DataObject
) -> None:
    """Whatever pages of the table are damaged (its root included), no row goes missing
    silently: each is in the rescued file, or within what the losses name."""
    import shutil
    import tempfile

    from icrctl.db.salvage import rescue

    whole, pages = many_contacts
    hit = choice.draw(st.sets(st.sampled_from(pages), min_size=1, max_size=4))
    seed = choice.draw(st.integers(0, 2**32))
    first = choice.draw(st.integers(0, 255).filter(lambda b: b not in PAGE_KINDS))
    garbage = [
        bytes([first]) + random.Random(seed + n).randbytes(PAGE - 1) for n in range(len(hit))
    ]
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        damaged = Path(folder) / "kapot.db"
        shutil.copyfile(whole, damaged)
        with damaged.open("r+b") as f:
            for page, bytes_ in zip(sorted(hit), garbage, strict=True):
                f.seek((page - 1) * PAGE)
                f.write(bytes_)
        fresh = Path(folder) / "gered.db"
        result = rescue(damaged, fresh, damaged)
        [loss] = [t for t in result.tables if t.table == "contacts"]
        con = sqlite3.connect(fresh)
        try:
            kept = {r[0] for r in con.execute("SELECT id FROM contacts")}
        finally:
            con.close()
    if loss.whole:
        assert kept == set()
        return
    named = {i for a, b in loss.unreadable for i in range(a, b + 1)}
    after = loss.rest_after if loss.rest_after is not None else 200
    for rowid in range(1, 201):
        assert rowid in kept or rowid in named or rowid > after, rowid
    assert len(kept) == loss.read
