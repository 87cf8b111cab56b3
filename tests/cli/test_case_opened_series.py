"""``case edit --opened`` keeps the case file importable: no evaluation series starts before its
case opened (``eval schedule`` refuses one, and so does an import), so the opening date cannot
move past a series' start."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import Run, refused, unchanged

REF = "GO-2026-030"


def test_the_opening_date_cannot_move_past_the_start_of_a_series(run: Run, tmp_path: Path) -> None:
    run("case", "create", REF, "--title", "Familie Oost", "--opened", "2026-03-02")
    run("eval", "schedule", REF, "--every", "2w", "--start", "2026-04-01")

    refused(run, "case", "edit", REF, "--opened", "2026-04-02",
            match="an evaluation series starts on 2026-04-01")  # fmt: skip
    run("case", "edit", REF, "--opened", "2026-04-01")

    exported = run("export").stdout
    assert "opened: 2026-04-01\n" in exported
    restored = tmp_path / "restored" / "caseload.db"
    run("--db", str(restored), "import", "-", input=exported)
    assert run("--db", str(restored), "export").stdout == exported
    with unchanged():
        assert run("import", "-", input=exported).stdout.endswith("nothing to change\n")


def test_a_series_stopped_before_it_began_still_holds_the_opening_date(run: Run) -> None:
    run("case", "create", REF, "--title", "Familie Oost", "--opened", "2026-03-02")
    run("eval", "schedule", REF, "--every", "1w", "--start", "2026-04-01")
    run("eval", "stop", REF, "--from", "2026-04-01")

    refused(run, "case", "edit", REF, "--opened", "2026-05-01",
            match="an evaluation series starts on 2026-04-01")  # fmt: skip
