"""A meeting's change count (``sequence``: how often it was cancelled or moved, the SEQUENCE of
its event in ``eval ics``) in the case file format: read strictly, exported when not 0, kept by
a round trip, and never lowered by an import (one more when the import itself cancels or moves
it), so that a calendar always takes the change. TODAY is Wednesday 2026-11-25."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import Run, refused

CASE = """\
version: 1
cases:
  - ref: GO-2026-014
    title: Familie De Vries
    opened: 2026-03-02
    phase: 2
    evaluations:
      - {every: 1w, weekday: fri, start: 2026-12-04}
    meetings:
{meetings}
"""


def load(run: Run, tmp_path: Path, meetings: str, name: str = "in.yaml") -> str:
    path = tmp_path / name
    path.write_text(CASE.replace("{meetings}", meetings), encoding="utf-8")
    return run("import", str(path)).stdout


def exported(run: Run) -> list[dict[str, Any]]:
    doc = yaml.safe_load(run("export").stdout)
    found: list[dict[str, Any]] = doc["cases"][0].get("meetings", [])
    return found


def test_the_commands_count_cancellations_and_moves(run: Run, family: str) -> None:
    run("eval", "schedule", family, "--every", "1w", "--weekday", "fri", "--start", "2026-12-04")
    run("eval", "cancel", family, "2026-12-04")
    run("eval", "move", family, "2026-12-11", "2026-12-10")
    run("eval", "move", family, "2026-12-10", "2026-12-09")
    run("eval", "move", family, "2026-12-18", "2026-12-17")
    run("eval", "move", family, "2026-12-17", "2026-12-18")  # back where the rule puts it
    doc = yaml.safe_load(run("export").stdout)
    meetings = {m["date"].isoformat(): m for m in doc["cases"][0]["meetings"]}
    assert {d: m["sequence"] for d, m in meetings.items()} == {
        "2026-12-04": 1,
        "2026-12-11": 2,
        "2026-12-18": 2,
    }
    back = meetings["2026-12-18"]
    assert (back["status"], back["to"].isoformat(), back["time"]) == (
        "moved",
        "2026-12-18",
        "10:00",
    )
    dates = [o["date"] for o in run("eval", "list", family, "-f", "json").json()]
    assert "2026-12-18" in dates
    assert "2026-12-17" not in dates


def test_read_exported_and_zero_left_out(run: Run, tmp_path: Path) -> None:
    load(
        run,
        tmp_path,
        "      - {date: 2026-12-04, status: cancelled, sequence: 3}\n"
        "      - {date: 2026-12-11, status: moved, to: 2026-12-10, sequence: 0}",
    )
    meetings = exported(run)
    assert meetings[0]["sequence"] == 3
    assert "sequence" not in meetings[1]


@pytest.mark.parametrize("value", ["-1", "x", "1.5", "1000000", "[1]", "true"])
def test_a_bad_sequence_is_refused(run: Run, tmp_path: Path, value: str) -> None:
    path = tmp_path / "bad.yaml"
    meeting = f"      - date: 2026-12-04\n        status: cancelled\n        sequence: {value}"
    path.write_text(CASE.replace("{meetings}", meeting), encoding="utf-8")
    result = run("import", str(path), ok=False)
    assert result.exit_code == 1
    assert f"{path}:12: cases[0].meetings[0].sequence:" in result.stderr
    assert "nothing was imported" in result.stderr
    refused(run, "eval", "list", "GO-2026-014")  # the case was not made


def test_an_import_never_lowers_the_count(run: Run, tmp_path: Path) -> None:
    load(run, tmp_path, "      - {date: 2026-12-04, status: cancelled, sequence: 5}")
    again = load(run, tmp_path, "      - {date: 2026-12-04, status: cancelled, sequence: 2}", "b")
    assert again.endswith("nothing to change\n")
    load(run, tmp_path, "      - {date: 2026-12-04, status: cancelled}", "c.yaml")
    assert exported(run)[0]["sequence"] == 5


def test_an_import_that_cancels_or_moves_counts_one_more(run: Run, tmp_path: Path) -> None:
    load(run, tmp_path, "      - {date: 2026-12-04, status: moved, to: 2026-12-03, sequence: 1}")
    load(run, tmp_path, "      - {date: 2026-12-04, status: cancelled}", "cancel.yaml")
    assert exported(run)[0]["sequence"] == 2
    load(run, tmp_path, "      - {date: 2026-12-04, status: moved, to: 2026-12-02}", "move.yaml")
    assert exported(run)[0]["sequence"] == 3
    # the same file again: no change, no count
    again = load(run, tmp_path, "      - {date: 2026-12-04, status: moved, to: 2026-12-02}", "m2")
    assert again.endswith("nothing to change\n")
    assert exported(run)[0]["sequence"] == 3
    # a file that counts further than the case file wins
    load(run, tmp_path, "      - {date: 2026-12-04, status: moved, to: 2026-12-02, sequence: 9}")
    assert exported(run)[0]["sequence"] == 9


def test_export_import_export_keeps_the_count(run: Run, family: str, tmp_path: Path) -> None:
    run("eval", "schedule", family, "--every", "1w", "--weekday", "fri", "--start", "2026-12-04")
    run("eval", "cancel", family, "2026-12-04")
    run("eval", "move", family, "2026-12-11", "2026-12-10", "--time", "14:00")
    run("eval", "move", family, "2026-12-10", "2026-12-11", "--time", "10:00")
    first = run("export").stdout
    (tmp_path / "first.yaml").write_text(first, encoding="utf-8")
    other = ["--db", str(tmp_path / "other" / "caseload.db")]
    run(*other, "import", str(tmp_path / "first.yaml"))
    assert run(*other, "export").stdout == first
    assert run(*other, "import", str(tmp_path / "first.yaml")).stdout.endswith(
        "nothing to change\n"
    )
