"""A member key means one person: keys are never given twice in a case — not after a member is
removed or forgotten, not after an export and import, not after a key of the automatic form was
given by hand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icrctl.errors import Conflict, RuleViolation
from icrctl.services import erasure, members
from icrctl.services.cases import CaseInput, create_case
from icrctl.services.members import MemberInput
from tests.helpers import Run, Unit, fresh_case_file, query, refused, unchanged

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from icrctl.services.context import Context

REF = "GO-2026-040"


@pytest.fixture
def case(run: Run) -> str:
    run("case", "create", REF, "--title", "Familie Visser", "--opened", "2026-09-01")
    return REF


def add(run: Run, name: str, *extra: str, ref: str = REF) -> str:
    """Add a member; the key it got."""
    said = run("member", "add", ref, name, "--role", "family", *extra).stdout
    return said.split()[1]


def keys(run: Run, ref: str = REF, db: Path | None = None) -> list[str]:
    where = ("--db", str(db)) if db is not None else ()
    return [m["key"] for m in run(*where, "member", "list", ref, "-f", "json").json()]


def last_number(db: Path, ref: str = REF) -> int:
    [row] = query("SELECT last_member_number FROM cases WHERE ref = ?", ref)
    return int(row[0])


# --- the command line ----------------------------------------------------------------------------


def test_a_removed_members_key_is_not_given_again(run: Run, case: str) -> None:
    assert [add(run, "Anna"), add(run, "Bram")] == ["m1", "m2"]
    run("member", "remove", case, "m2")
    assert add(run, "Cor") == "m3"
    run("member", "remove", case, "m1")
    assert add(run, "Daan") == "m4"
    assert keys(run) == ["m3", "m4"]


def test_a_forgotten_members_key_is_not_given_again(run: Run, case: str) -> None:
    add(run, "Anna de Wit")
    add(run, "Bram de Wit")
    run("member", "forget", case, "m2", "--reason", "verzoek art. 17")
    assert add(run, "Cor") == "m3"


def test_a_key_of_the_automatic_form_given_by_hand_counts(run: Run, case: str) -> None:
    assert add(run, "Oma", "--key", "m7") == "m7"
    assert add(run, "Kind") == "m8"
    assert add(run, "Buurvrouw", "--key", "buurvrouw") == "buurvrouw"
    assert add(run, "Vader") == "m9"
    assert add(run, "Opa", "--key", "m12") == "m12"
    assert add(run, "Tante") == "m13"


def test_a_key_at_or_below_the_last_number_given_is_refused(
    run: Run, case: str, db_path: Path
) -> None:
    add(run, "Anna")
    add(run, "Bram")
    run("member", "remove", case, "m1")
    message = refused(run, "member", "add", case, "Cor", "--role", "child", "--key", "m1")
    assert message == (
        f"error: member key m1 may have belonged to someone removed from or forgotten in case "
        f"{case} (keys up to m2 have been given): a key is never given twice; leave out --key to "
        "get the next one"
    )
    # the same number written another way is the same key to a reader
    refused(run, "member", "add", case, "Cor", "--role", "child", "--key", "m01", match="m01")
    assert last_number(db_path) == 2
    assert add(run, "Cor") == "m3"


def test_other_keys_by_hand_are_free(run: Run, case: str, db_path: Path) -> None:
    for key in ("M3", "m", "mx1", "m1a", "a1", "m0"):
        assert add(run, key, "--key", key) == key
    assert last_number(db_path) == 0
    assert add(run, "Anna") == "m1"


def test_keys_are_counted_per_case(run: Run, case: str) -> None:
    run("case", "create", "GO-2", "--title", "Familie Smit")
    add(run, "A", "--key", "m5")
    assert add(run, "B", ref="GO-2") == "m1"


# --- export and import ---------------------------------------------------------------------------


def round_trip(run: Run, tmp_path: Path, name: str = "other") -> tuple[str, Path]:
    """Export, import into an empty case file, export again: the text, and the second file."""
    first, second = tmp_path / f"{name}-1.yaml", tmp_path / f"{name}-2.yaml"
    other = tmp_path / name / "caseload.db"
    run("export", "--out", str(first))
    run("--db", str(other), "import", str(first))
    run("--db", str(other), "export", "--out", str(second))
    text = first.read_text(encoding="utf-8")
    assert second.read_text(encoding="utf-8") == text
    return text, other


def test_the_last_number_survives_export_and_import(run: Run, case: str, tmp_path: Path) -> None:
    add(run, "Anna de Wit")
    add(run, "Bram de Wit")
    add(run, "Cor de Wit")
    run("member", "forget", case, "m3", "--reason", "verzoek art. 17")
    text, other = round_trip(run, tmp_path)
    assert "  last_member_number: 3\n" in text
    assert text.index("last_member_number") < text.index("  members:")
    assert last_number(other) == 3
    said = run("--db", str(other), "member", "add", case, "Daan", "--role", "child").stdout
    assert said.startswith("added m4 ")


def test_the_export_says_nothing_the_keys_do_not(run: Run, case: str, tmp_path: Path) -> None:
    add(run, "Anna")
    add(run, "Bram", "--key", "m4")
    text, other = round_trip(run, tmp_path)
    assert "last_member_number" not in text
    assert last_number(other) == 4


def write(path: Path, members_yaml: str, extra: str = "") -> Path:
    path.write_text(
        "version: 1\ncases:\n"
        f"- ref: {REF}\n  title: Familie Visser\n  opened: 2026-09-01\n  phase: 2\n"
        f"{extra}  members:\n{members_yaml}",
        encoding="utf-8",
    )
    return path


def test_import_gives_keyless_members_keys_after_the_last_number(
    run: Run, case: str, tmp_path: Path, db_path: Path
) -> None:
    add(run, "Anna")
    add(run, "Bram")
    run("member", "remove", case, "m2")
    file = write(
        tmp_path / "more.yaml",
        "  - {name: Anna, role: victim}\n  - {name: Cor, role: child}\n"
        "  - {name: Daan, role: child}\n",
    )
    run("import", str(file))
    assert keys(run) == ["m1", "m3", "m4"]  # Anna matched by name, not given a new key
    assert last_number(db_path) == 4
    run("import", str(file))  # idempotent: nothing new, no key given
    assert keys(run) == ["m1", "m3", "m4"]
    assert last_number(db_path) == 4


def test_import_takes_the_files_last_number(run: Run, tmp_path: Path, db_path: Path) -> None:
    file = write(
        tmp_path / "case.yaml",
        "  - {key: m2, name: Anna, role: victim}\n  - {name: Cor, role: child}\n",
        extra="  last_member_number: 5\n",
    )
    run("import", str(file))
    assert keys(run) == ["m2", "m6"]
    assert last_number(db_path) == 6
    assert add(run, "Daan") == "m7"


def test_import_never_lowers_the_last_number(
    run: Run, case: str, tmp_path: Path, db_path: Path
) -> None:
    add(run, "Anna", "--key", "m9")
    file = write(tmp_path / "case.yaml", "  - {key: m1, name: Bram, role: child}\n")
    file.write_text(file.read_text().replace("  members:", "  last_member_number: 1\n  members:"))
    run("import", str(file))
    assert last_number(db_path) == 9
    assert add(run, "Cor") == "m10"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "expected a whole number 0 to 999999999, not '-1'"),
        ("drie", "expected a whole number 0 to 999999999, not 'drie'"),
        ("1000000000", "expected 0 to 999999999, not 1000000000"),
        ("[3]", "expected a single value, not a list or mapping"),
    ],
)
def test_a_bad_last_number_is_an_error(run: Run, tmp_path: Path, value: str, message: str) -> None:
    file = write(
        tmp_path / "bad.yaml",
        "  - {name: Anna, role: victim}\n",
        extra=f"  last_member_number: {value}\n",
    )
    with unchanged():
        result = run("import", str(file), ok=False)
    assert result.stderr.splitlines() == [
        f"{file}:7: cases[0].last_member_number: {message}",
        "error: 1 error; nothing was imported",
    ]


# --- the services, and a property ---------------------------------------------------------------


def _opened(session: Session, ctx: Context) -> None:
    create_case(session, ctx, REF, CaseInput(title="Familie Visser"))


@settings(max_examples=25, deadline=None)
@given(
    steps=st.lists(
        st.one_of(
            st.just(("add", None)),
            st.tuples(st.just("key"), st.integers(1, 30)),
            st.tuples(st.sampled_from(["remove", "forget"]), st.integers(0, 10)),
        ),
        max_size=14,
    )
)
def test_no_key_is_ever_given_twice(steps: list[tuple[str, int | None]]) -> None:
    """Whatever is added, given by hand, removed and forgotten: every member ever added has a key
    no earlier member had."""
    given_keys: list[str] = []
    with fresh_case_file(_opened) as unit:
        for i, (step, n) in enumerate(steps):
            _step(unit, step, n, i, given_keys)
    assert len(given_keys) == len(set(given_keys))


def _step(unit: Unit, step: str, n: int | None, i: int, given_keys: list[str]) -> None:
    with unit() as (session, ctx):
        present = [m.key for m in members.list_members(session, REF)]
        if step in ("add", "key"):
            key = f"m{n}" if step == "key" else None
            _add(session, ctx, MemberInput(name=f"Lid {i}", role="family", key=key), present)
            given_keys += [m.key for m in members.list_members(session, REF)][len(present) :]
        elif present:
            who = present[(n or 0) % len(present)]
            if step == "remove":
                members.remove_member(session, ctx, REF, who)
            else:
                erasure.forget_member(session, ctx, REF, who, "verzoek")


def _add(session: Session, ctx: Context, data: MemberInput, present: list[str]) -> None:
    """Add a member; a refusal is all right (the key may have been someone else's), and a
    conflict only for a key a member has now."""
    try:
        members.add_member(session, ctx, REF, data)
    except RuleViolation:
        return
    except Conflict:
        assert data.key in present
