"""``icrctl week`` tells the truth about cancellations: a cancelled evaluation stays in the week's
agenda, marked cancelled with its reason, in the terminal, Markdown and HTML printouts alike — it
does not vanish as if nobody came. Golden files of the example caseload's week 2026-W45 (with the
cancellation of 3 November); ``ICRCTL_UPDATE_GOLDEN=1`` rewrites them. TODAY is 2026-11-25."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from tests.helpers import Run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "caseload.yaml"
GOLDEN = ROOT / "tests" / "golden"


def golden(name: str, data: str) -> None:
    """Compare ``data`` with ``tests/golden/NAME``, or rewrite it with ICRCTL_UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if os.environ.get("ICRCTL_UPDATE_GOLDEN") == "1":
        path.write_text(data, encoding="utf-8", newline="")
        return
    expected = path.read_text(encoding="utf-8")
    if data != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), data.splitlines(keepends=True), name, "output"
            )
        )
        pytest.fail(f"{name} differs from its golden file (ICRCTL_UPDATE_GOLDEN=1):\n{diff}")


@pytest.fixture
def week_with_cancellations(run: Run, family: str) -> str:
    """Weekly on Tuesday and Thursday in week 2026-W49: Tuesday cancelled with a reason,
    Thursday cancelled without one, and a moved one of the week before still planned."""
    run("eval", "schedule", family, "--every", "1w", "--weekday", "tue", "--start", "2026-11-24",
        "--with", "m1,vt-bakker")  # fmt: skip
    run("eval", "schedule", family, "--every", "1w", "--weekday", "thu", "--start", "2026-12-03",
        "--time", "14:00")  # fmt: skip
    run("eval", "cancel", family, "2026-12-01", "--reason", "moeder [ziek] <b>&</b>\nopgenomen")
    run("eval", "cancel", family, "2026-12-03")
    return family


def test_terminal_marks_a_cancellation_with_its_reason(
    run: Run, week_with_cancellations: str
) -> None:
    out = run("week", "--week", "2026-W49").stdout
    tuesday = out[out.index("Tuesday 2026-12-01") : out.index("Wednesday")]
    assert "GO-2026-014 Familie De Vries  [cancelled: moeder [ziek] <b>&</b> opgenomen]" in tuesday
    thursday = out[out.index("Thursday 2026-12-03") : out.index("Friday")]
    assert "14:00  GO-2026-014 Familie De Vries  [cancelled]" in thursday


def test_markdown_and_html_mark_it_too(
    run: Run, week_with_cancellations: str, tmp_path: Path
) -> None:
    md, page = tmp_path / "week.md", tmp_path / "week.html"
    run("week", "--week", "2026-W49", "--markdown", str(md), "--html", str(page))
    markdown = md.read_text(encoding="utf-8")
    row = next(line for line in markdown.splitlines() if line.startswith("| Tue 2026-12-01"))
    assert row.endswith(r"| cancelled: moeder \[ziek\] \<b\>\&\</b\> opgenomen |")
    assert "<b>&</b>" not in markdown
    html = page.read_text(encoding="utf-8")
    assert "cancelled: moeder [ziek] &lt;b&gt;&amp;&lt;/b&gt; opgenomen" in html
    assert "<b>&</b>" not in html


@pytest.fixture
def example(run: Run) -> None:
    run("import", str(EXAMPLE))


@pytest.mark.usefixtures("example")
def test_week_45_of_the_example_golden(run: Run, tmp_path: Path) -> None:
    terminal = run("week", "--week", "2026-W45").stdout
    assert "[cancelled: herfstvakantie school]" in terminal
    golden("week-2026-W45.txt", terminal)
    md, page = tmp_path / "week.md", tmp_path / "week.html"
    run("week", "--week", "2026-W45", "--markdown", str(md), "--html", str(page))
    golden("week-2026-W45.md", md.read_text(encoding="utf-8"))
    golden("week-2026-W45.html", page.read_text(encoding="utf-8"))
