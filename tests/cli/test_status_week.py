"""``icrctl status``, ``icrctl week`` and ``icrctl check``: golden files of the example caseload
(``examples/caseload.yaml``, today 2026-11-25) in Dutch and English at 80 and 120 columns, the
documented attention order on a small constructed caseload, the filters and JSON fields, the
default week, and stored strings printed literally (terminal) or escaped (HTML).

``ICRCTL_UPDATE_GOLDEN=1 pytest tests/cli/test_status_week.py`` rewrites the golden files
(``tests/golden/status*``, ``tests/golden/week-2026-W49*``, ``tests/golden/check-*``); review the
diff before committing it.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import TODAY, Run, golden, refused, usage_error

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "caseload.yaml"

STATUS_FIELDS = {
    "ref",
    "title",
    "phase",
    "stage",
    "regisseur",
    "next_evaluation",
    "overdue_evaluations",
    "last_contact",
    "signals",
}


@pytest.fixture
def example(run: Run) -> None:
    """The example caseload imported into this test's case file."""
    run("import", str(EXAMPLE))


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    def set_today(day: str) -> None:
        monkeypatch.setenv("ICRCTL_TODAY", day)

    return set_today


def status_json(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run("status", *args, "-f", "json")
    assert result.stderr == ""
    rows: list[dict[str, Any]] = result.json()
    return rows


def refs(run: Run, *args: str) -> list[str]:
    return [r["ref"] for r in status_json(run, *args)]


def attention(row: dict[str, Any]) -> tuple[Any, ...]:
    """The documented rule, from the JSON fields (every case here has a contact)."""
    return (
        -row["phase"],
        -row["overdue_evaluations"],
        -row["days_since_contact"],
        -row["open_checklist"],
        -len(row["signals"]),
        row["ref"],
    )


# ================================================================== golden files: the example


#: The terminal printouts kept as golden files, per language and terminal width:
#: ``tests/golden/NAME-LANG-WIDTH.txt``.
TERMINAL = {
    "status": ("status",),
    "week-2026-W49": ("week", "--week", "2026-W49"),
    "check": ("check",),
}
WIDTHS = (80, 120)


@pytest.mark.usefixtures("example")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_terminal_golden(run: Run, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """status, week and check of the example, in both languages at 80 and 120 columns: every
    line fits, none ends in spaces, and every ref prints whole."""
    monkeypatch.setenv("ICRCTL_LANG", lang)
    refs = [r["ref"] for r in status_json(run)]
    failures = []
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        for name, args in TERMINAL.items():
            result = run(*args)
            assert result.stderr == ""
            lines = result.stdout.splitlines()
            assert all(len(line) <= width for line in lines), (name, width)
            assert all(line == line.rstrip() for line in lines), (name, width)
            for ref in refs if name == "status" else []:
                assert any(line.startswith(ref + " ") for line in lines), (ref, width)
            try:
                golden(f"{name}-{lang}-{width}.txt", result.stdout)
            except pytest.fail.Exception as exc:
                failures.append(str(exc))
            assert run(*args).stdout == result.stdout  # deterministic
    if failures:
        pytest.fail("\n\n".join(failures))


@pytest.mark.usefixtures("example")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_week_markdown_and_html_golden(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("ICRCTL_LANG", lang)
    md, page = tmp_path / "week.md", tmp_path / "week.html"
    result = run("week", "--week", "2026-W49", "--markdown", str(md), "--html", str(page))
    assert result.stderr == ""
    assert str(md) in result.stdout
    assert str(page) in result.stdout
    if lang == "en":
        assert f"wrote the printout of week 2026-W49 to {md}" in result.stdout
        assert f"wrote the printout of week 2026-W49 to {page}" in result.stdout
    golden(f"week-2026-W49-{lang}.md", md.read_text(encoding="utf-8"))
    golden(f"week-2026-W49-{lang}.html", page.read_text(encoding="utf-8"))
    assert f'<html lang="{lang}">' in page.read_text(encoding="utf-8")
    for path in (md, page):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    # Deterministic: a second run writes the same bytes.
    before = (md.read_bytes(), page.read_bytes())
    run("week", "--week", "2026-W49", "--markdown", str(md), "--html", str(page), "--force")
    assert (md.read_bytes(), page.read_bytes()) == before


@pytest.mark.usefixtures("example")
def test_week_html_is_self_contained_and_print_ready(run: Run, tmp_path: Path) -> None:
    page = tmp_path / "week.html"
    run("week", "--week", "2026-W49", "--html", str(page))
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "http" not in text.lower()
    assert "<script" not in text.lower()
    assert "<link" not in text.lower()
    assert "url(" not in text.lower()
    assert "@import" not in text.lower()
    assert "<img" not in text.lower()
    assert "@page { size: A4" in text
    assert "page-break" in text
    assert text.count('<section class="case">') == 11  # one per open case
    assert "<title>Caseload week 2026-W49</title>" in text


@pytest.mark.usefixtures("example")
def test_week_files_are_never_overwritten_without_force(run: Run, tmp_path: Path) -> None:
    for option, name in (("--html", "week.html"), ("--markdown", "week.md")):
        path = tmp_path / name
        path.write_text("mine", encoding="utf-8")
        message = refused(run, "week", "--week", "2026-W49", option, str(path))
        assert "--force" in message
        assert path.read_text(encoding="utf-8") == "mine"
        run("week", "--week", "2026-W49", option, str(path), "--force")
        assert path.read_text(encoding="utf-8") != "mine"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.usefixtures("example")
def test_week_refused_for_one_file_writes_neither(run: Run, tmp_path: Path) -> None:
    md, page = tmp_path / "week.md", tmp_path / "week.html"
    md.write_text("mine", encoding="utf-8")
    refused(run, "week", "--html", str(page), "--markdown", str(md))
    assert not page.exists()
    assert md.read_text(encoding="utf-8") == "mine"
    refused(run, "week", "--html", str(page), "--markdown", str(page))
    assert not page.exists()


@pytest.mark.usefixtures("example")
def test_week_this_week_on_the_example(run: Run) -> None:
    """What changed this week, what is overdue, goals due and signals, per case."""
    out = run("week").stdout
    assert out.startswith("Week 2026-W48  2026-11-23 – 2026-11-29\n")
    postma = out.split("GO-2026-033  Familie Postma", 1)[1].split("\n\n", 1)[0]
    assert "this week:\n    2026-11-24  evaluation held (risk 2)" in postma
    assert "overdue evaluations:\n    2026-10-27" in postma
    assert "school-missing: Femke Postma" in postma
    yilmaz = out.split("GO-2026-030  Familie Yilmaz", 1)[1].split("\n\n", 1)[0]
    assert "2026-11-23  contact: phone" in yilmaz
    koster = out.split("GO-2026-022  Familie Koster", 1)[1].split("\n\n", 1)[0]
    assert "goals due" not in koster  # due 2026-12-01: next week
    koster = run("week", "--week", "2026-W49").stdout.split("GO-2026-022  Familie Koster")[1]
    assert "goals due:\n    1. Alle betrokken professionals in beeld (due 2026-12-01" in koster
    schouten = out.split("GO-2026-028  Familie Schouten", 1)[1].split("\n\n", 1)[0]
    assert schouten.splitlines()[1:] == ["  nothing needs attention"]
    assert "GO-2025-031" not in out  # closed


# ================================================================== the attention order

# The expected order and why each case sits where it does (ATTENTION_RULE): refs are chosen so
# that ref order alone would be wrong.
ORDER = [
    "R-09",  # phase 4, 0 overdue, 20 days without contact, checklist done
    "R-05",  # phase 4, contact today, 6 open checklist items, 1 signal
    "R-01",  # phase 4, contact today, 1 open checklist item, 3 signals
    "R-08",  # phase 3, 2 overdue evaluations, contact today
    "R-02",  # phase 3, 1 overdue evaluation, 55 days without contact
    "R-07",  # phase 2, contact today, 2 signals
    "R-03",  # phase 2, contact today, 1 signal
    "R-04",  # phase 2, contact today, no signals
    "R-06",  # phase 2, contact today, no signals: after R-04 by ref
]
CARE = ["aov", "communications", "portfolio_holder", "mayor", "process_coordinator"]


@pytest.fixture
def caseload(run: Run) -> list[str]:
    def create(ref: str, phase: int, opened: str, *extra: str) -> None:
        track = ["--track", "care"] if phase == 4 else []
        title = f"Familie {ref}"
        run(
            "case",
            "create",
            ref,
            "--title",
            title,
            "--opened",
            opened,
            "--phase",
            str(phase),
            *track,
        )
        if extra:
            run("case", "edit", ref, *extra)

    def contact_today(ref: str) -> None:
        run("log", ref, "gebeld", "--kind", "phone", "--date", "today")

    run("partner", "add", "T. Bos", "--organisation", "Praktijk", "--kind", "therapist")
    create("R-09", 4, "2026-11-05", "--regisseur", "A. Jansen")
    for item in [*CARE, "calamity_meeting_decision"]:
        run("phase", "inform", "R-09", item)
    create("R-05", 4, "2026-11-05", "--regisseur", "B. de Wit")
    contact_today("R-05")
    create("R-01", 4, "2026-11-05", "--regisseur", "A. Jansen")
    contact_today("R-01")
    for item in CARE:
        run("phase", "inform", "R-01", item)
    run("partner", "link", "R-01", "t-bos", "--no-consent")
    run("eval", "schedule", "R-01", "--every", "2w", "--start", "2026-12-02", "--with", "t-bos")
    run("goal", "add", "R-01", "Doel", "--due", "2026-11-20")
    create("R-08", 3, "2026-11-02", "--regisseur", "A. Jansen")
    run("eval", "schedule", "R-08", "--every", "1w", "--start", "2026-11-11", "--time", "10:00")
    contact_today("R-08")
    create("R-02", 3, "2026-10-01", "--regisseur", "B. de Wit")
    run("case", "stage", "R-02", "analysis", "--date", "2026-10-20")
    run("eval", "schedule", "R-02", "--every", "1w", "--start", "2026-11-18", "--time", "10:00")
    create("R-07", 2, "2026-11-02")
    contact_today("R-07")
    run("partner", "link", "R-07", "t-bos", "--no-consent")
    run("eval", "schedule", "R-07", "--every", "2w", "--start", "2026-12-02", "--with", "t-bos")
    run("goal", "add", "R-07", "Doel", "--due", "2026-11-20")
    create("R-03", 2, "2026-11-02")
    contact_today("R-03")
    run("goal", "add", "R-03", "Doel", "--due", "2026-11-20")
    for ref in ("R-06", "R-04"):
        create(ref, 2, "2026-11-02")
        contact_today(ref)
    return ORDER


def test_attention_order(run: Run, caseload: list[str]) -> None:
    rows = status_json(run)
    assert [r["ref"] for r in rows] == caseload
    by_ref = {r["ref"]: r for r in rows}
    # The constructed caseload is what the comments on ORDER say.
    facts = {
        ref: (
            r["phase"],
            r["overdue_evaluations"],
            r["days_since_contact"],
            r["open_checklist"],
            len(r["signals"]),
        )
        for ref, r in by_ref.items()
    }
    assert facts == {
        "R-09": (4, 0, None, 0, 1),
        "R-05": (4, 0, 0, 6, 1),
        "R-01": (4, 0, 0, 1, 3),
        "R-08": (3, 2, 0, 0, 1),
        "R-02": (3, 1, None, 0, 2),
        "R-07": (2, 0, 0, 0, 2),
        "R-03": (2, 0, 0, 0, 1),
        "R-04": (2, 0, 0, 0, 0),
        "R-06": (2, 0, 0, 0, 0),
    }
    table = run("status").stdout
    positions = [table.index(ref) for ref in caseload]
    assert positions == sorted(positions)


def test_attention_rule_is_documented() -> None:
    from icrctl.cli.caseload import status
    from icrctl.services.caseload import ATTENTION_RULE

    assert ATTENTION_RULE == (
        "highest phase first; then most overdue evaluations; then most days without contact; "
        "then most open phase-4 checklist items; then most signals; then ref"
    )
    doc = " ".join((status.__doc__ or "").split())
    assert (
        "Order: highest phase; most overdue evaluations; most days without contact; most open "
        "phase-4 checklist items; most signals; then ref." in doc
    )


def test_status_help_shows_the_rule(run: Run) -> None:
    text = " ".join(run("status", "--help").stdout.split())
    assert "highest phase" in text
    assert "most days without contact" in text


def test_attention_order_when_time_passes(
    run: Run, caseload: list[str], today: Callable[[str], None]
) -> None:
    """The next day R-08 has one more overdue evaluation; the phase still decides first."""
    today("2026-11-26")
    rows = status_json(run)
    assert [r["ref"] for r in rows][:5] == ["R-09", "R-05", "R-01", "R-08", "R-02"]
    assert {r["ref"]: r["overdue_evaluations"] for r in rows}["R-08"] == 3


# ================================================================== filters and fields


def test_status_filters(run: Run, caseload: list[str]) -> None:
    assert refs(run, "--phase", "3") == ["R-08", "R-02"]
    assert refs(run, "--phase", "4") == ["R-09", "R-05", "R-01"]
    assert refs(run, "--phase", "1") == []
    assert refs(run, "--stage", "analysis") == ["R-02"]
    assert refs(run, "--stage", "analyse") == ["R-02"]  # the Dutch word
    assert refs(run, "--stage", "inventory") == [r for r in caseload if r != "R-02"]
    assert refs(run, "--regisseur", "A. Jansen") == ["R-09", "R-01", "R-08"]
    assert refs(run, "--regisseur", "B. de Wit", "--phase", "3") == ["R-02"]
    assert refs(run, "--regisseur", "Niemand") == []
    assert "no open cases" in run("status", "--regisseur", "Niemand").stdout


def test_status_filters_refuse_invalid_values(run: Run) -> None:
    refused(run, "status", "--phase", "7")
    refused(run, "status", "--stage", "bogus")
    usage_error(run, "status", "--phase", "x")


def test_status_json_fields(run: Run, family: str) -> None:
    run("eval", "schedule", family, "--every", "2w", "--weekday", "tue", "--start", "2026-11-17")
    run("log", family, "gebeld", "--kind", "phone", "--date", "2026-11-20")
    rows = status_json(run)
    assert len(rows) == 1
    row = rows[0]
    assert set(row) >= STATUS_FIELDS
    assert {k: row[k] for k in STATUS_FIELDS} == {
        "ref": "GO-2026-014",
        "title": "Familie De Vries",
        "phase": 2,
        "stage": "inventory",
        "regisseur": "A. Jansen",
        "next_evaluation": "2026-12-01",
        "overdue_evaluations": 1,
        "last_contact": "2026-11-20",
        "signals": ["school-missing", "evaluation-overdue"],
    }
    assert row["days_since_contact"] == 5
    assert row["days_in_phase"] == (TODAY - date(2026, 3, 2)).days
    assert row["members"] == 3
    assert row["partners"] == 1
    listed = run("case", "list", "-f", "json").json()
    assert [(c["ref"], c["signals"]) for c in listed] == [(family, row["signals"])]


def test_status_empty_and_closed(run: Run, family: str) -> None:
    run("case", "close", family, "--summary", "klaar", "--safety", "veilig", *CLOSE_ANYWAY)
    assert status_json(run) == []
    assert "no open cases" in run("status").stdout
    assert run("status", "-f", "csv").stdout == ""


def test_status_csv(run: Run, family: str) -> None:
    lines = run("status", "-f", "csv").stdout.splitlines()
    header = lines[0].split(",")
    assert set(header) >= STATUS_FIELDS
    assert lines[1].startswith("GO-2026-014,Familie De Vries,2,inventory,")


# ================================================================== the week


@pytest.mark.parametrize(
    ("day", "week", "monday"),
    [
        ("2026-11-23", "2026-W48", "2026-11-23"),  # Monday
        ("2026-11-25", "2026-W48", "2026-11-23"),  # TODAY, a Wednesday
        ("2026-11-27", "2026-W48", "2026-11-23"),  # Friday
        ("2026-11-28", "2026-W49", "2026-11-30"),  # Saturday: next week
        ("2026-11-29", "2026-W49", "2026-11-30"),  # Sunday: next week
        ("2026-12-26", "2026-W53", "2026-12-28"),  # Saturday before ISO week 53
        ("2027-01-02", "2027-W01", "2027-01-04"),  # Saturday of 2026-W53
    ],
)
def test_week_default(
    run: Run, today: Callable[[str], None], day: str, week: str, monday: str
) -> None:
    today(day)
    first = run("week").stdout.splitlines()[0]
    assert first.startswith(f"Week {week}  {monday} – ")


@pytest.mark.parametrize(
    ("text", "week", "monday"),
    [
        ("2026-W49", "2026-W49", "2026-11-30"),
        ("2026w49", "2026-W49", "2026-11-30"),
        ("2026-W1", "2026-W01", "2025-12-29"),
        ("2026-W53", "2026-W53", "2026-12-28"),  # 2026 has 53 ISO weeks
        ("2020-W53", "2020-W53", "2020-12-28"),
    ],
)
def test_week_option(run: Run, text: str, week: str, monday: str) -> None:
    first = run("week", "--week", text).stdout.splitlines()[0]
    assert first.startswith(f"Week {week}  {monday} – ")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2027-W53", "2027 has no week 53"),
        ("2026-W54", "2026 has no week 54"),
        ("2026-W00", "2026 has no week 0"),
        ("foo", "invalid week 'foo'"),
        ("2026-49", "invalid week"),
        ("W49", "invalid week"),
        ("2026-11-25", "invalid week"),
        ("", "invalid week"),
    ],
)
def test_week_refuses_a_week_that_does_not_exist(run: Run, text: str, says: str) -> None:
    message = refused(run, "week", "--week", text)
    assert says in message


def test_week_refused_writes_no_file(run: Run, tmp_path: Path) -> None:
    page = tmp_path / "week.html"
    refused(run, "week", "--week", "2027-W53", "--html", str(page))
    assert not page.exists()


def test_week_of_an_empty_case_file(run: Run, tmp_path: Path) -> None:
    out = run("week", "--week", "2026-W49").stdout
    assert "no open cases" in out
    page = tmp_path / "w.html"
    run("week", "--week", "2026-W49", "--html", str(page))
    assert "No open cases." in page.read_text(encoding="utf-8")


def test_week_changes_holidays_moves_and_regisseur(run: Run, family: str, tmp_path: Path) -> None:
    """A week with every kind of change, a moved meeting and a public holiday (2026-W52)."""
    ref = family
    run("member", "add", ref, "Oma", "--role", "family", "--key", "oma")
    run("eval", "schedule", ref, "--every", "1w", "--weekday", "wed", "--start", "2026-11-04")
    run("eval", "schedule", ref, "--every", "1w", "--weekday", "fri", "--start", "2026-12-18")
    run("eval", "move", ref, "2026-12-23", "2026-12-22", "--time", "15:30")
    run("eval", "record", ref, "--date", "2026-11-04", "--attended", "m1", "--risk", "3")
    run("phase", "set", ref, "3", "--reason", "escalatie thuis", "--date", "2026-11-24")
    run("case", "stage", ref, "analysis", "--date", "2026-11-23")
    run("log", ref, "dreiging", "--kind", "message", "--date", "2026-11-25", "--signal")
    run("goal", "add", ref, "Veiligheidsplan", "--who", "Veilig Thuis", "--due", "2026-11-26")
    run("goal", "add", ref, "Later doel", "--due", "2027-03-01")
    run("goal", "add", ref, "Behaald", "--due", "2027-01-01")
    run("goal", "done", ref, "3", "--date", "2026-11-24")
    out = "\n".join(line.rstrip() for line in run("week", "--week", "2026-W48").stdout.splitlines())
    case = out.split(f"{ref}  Familie De Vries", 1)[1]
    assert "phase 3 Er is (ook) onveiligheid, stage analysis" in case
    assert (
        "  this week:\n"
        "    2026-11-23  stage analysis\n"
        "    2026-11-24  goal 3 achieved: Behaald\n"
        "    2026-11-24  phase 3: escalatie thuis\n"
        "    2026-11-25  contact: message (safety signal)\n"
    ) in case
    assert "overdue evaluations:\n    2026-11-11\n    2026-11-18\n" in case
    assert "goals due:\n    1. Veiligheidsplan (due 2026-11-26, Veilig Thuis)\n" in case
    assert "Later doel" not in case
    assert "safety-signal:" in case
    assert "  signals:\n" in case
    held = run("week", "--week", "2026-W45").stdout
    assert "2026-11-04  evaluation held (risk 3)" in held

    christmas = run("week", "--week", "2026-W52").stdout
    assert "Friday 2026-12-25  Christmas Day (public holiday)" in christmas
    assert "Saturday 2026-12-26  Second Day of Christmas (public holiday)" in christmas
    assert "15:30  GO-2026-014 Familie De Vries (moved from 2026-12-23)" in christmas
    md = tmp_path / "w52.md"
    run("week", "--week", "2026-W52", "--markdown", str(md))
    text = md.read_text(encoding="utf-8")
    assert "| Fri 2026-12-25 (Christmas Day) |" in text
    assert "moved from 2026-12-23" in text

    run("case", "create", "GO-2026-099", "--title", "Ander", "--regisseur", "B. de Wit")
    mine = run("week", "--week", "2026-W48", "--regisseur", "A. Jansen").stdout
    assert ref in mine
    assert "GO-2026-099" not in mine


def test_week_lists_cases_in_attention_order(run: Run, caseload: list[str]) -> None:
    out = run("week").stdout
    positions = [out.index(f"{ref}  Familie {ref}") for ref in caseload]
    assert positions == sorted(positions)


# ================================================================== stored strings are data

TITLE = "Familie [bold]X[/bold] <script>alert(1)</script> & *zo*"
NAME = "[red]Jan[/red] <b>de Wit</b>"
REGISSEUR = "[i]A. Jansen[/i]"
GOAL = "[link=https://example.org]doel[/link] `code` #1"


@pytest.fixture
def markup(run: Run) -> str:
    ref = "GO-2026-066"
    run("case", "create", ref, "--title", TITLE, "--opened", "2026-11-02", "--phase", "3")
    run("case", "edit", ref, "--regisseur", REGISSEUR)
    run("member", "add", ref, NAME, "--role", "victim", "--key", "jan")
    run("eval", "schedule", ref, "--every", "1w", "--start", "2026-11-26", "--with", "jan")
    run("goal", "add", ref, GOAL, "--who", NAME, "--due", "2026-11-20")
    run("phase", "set", ref, "2", "--reason", "[dim]rustiger[/dim] <i>", "--date", "2026-11-24")
    return ref


def test_status_prints_stored_strings_literally(
    run: Run, markup: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    out = run("status").stdout
    assert TITLE in out
    assert REGISSEUR in out
    assert [r["title"] for r in status_json(run)] == [TITLE]


def test_week_terminal_prints_stored_strings_literally(
    run: Run, markup: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    out = run("week").stdout
    assert f"{markup} {TITLE}" in out  # the day's meeting
    assert f"{markup}  {TITLE}  phase 2" in out  # the case
    assert f"with: {NAME}" in out
    assert f"1. {GOAL} (due 2026-11-20, {NAME})" in out
    assert "phase 2: [dim]rustiger[/dim] <i>" in out


def test_week_html_escapes_stored_strings(run: Run, markup: str, tmp_path: Path) -> None:
    page, md = tmp_path / "w.html", tmp_path / "w.md"
    run("week", "--html", str(page), "--markdown", str(md))
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text
    assert "<b>" not in text
    assert "<i>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *zo*" in text
    assert "[red]Jan[/red] &lt;b&gt;de Wit&lt;/b&gt;" in text
    assert "[i]A. Jansen[/i]" in text
    assert "https://example.org" in text  # as text inside a goal, never as a link
    assert "<a " not in text
    assert "phase 2: [dim]rustiger[/dim] &lt;i&gt;" in text
    markdown = md.read_text(encoding="utf-8")
    assert "<script>" not in markdown
    assert r"\<script\>" in markdown
    assert r"\[bold\]X\[/bold\]" in markdown
