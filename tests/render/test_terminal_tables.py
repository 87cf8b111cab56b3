"""The tables of ``icrctl/render/tables.py`` on a terminal of 80 and 120 columns, in Dutch and
English: golden files of ``case list`` and ``case show`` of the example caseload
(``examples/caseload.yaml``, today 2026-11-25), refs and keys printed whole, no line longer than
the terminal or ending in spaces, an empty list said in one line, colours that carry meaning,
and JSON and CSV that stay English whatever the language.

``ICRCTL_UPDATE_GOLDEN=1 pytest tests/render/test_terminal_tables.py`` rewrites the golden files
(``tests/golden/case-list-*.txt``, ``tests/golden/case-show-*.txt``); review the diff before
committing it.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from icrctl import i18n
from icrctl.render.tables import PHASE_STYLE, Column, overdue_cell, phase_cell, status_cell, table
from tests.helpers import Run, golden

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "caseload.yaml"
WIDTHS = (80, 120)
LANGUAGES = ("nl", "en")

#: The case ``case show`` is kept of: phase 4 with its checklist, relations, a signal.
SHOWN = "GO-2026-007"

#: The golden printouts: ``tests/golden/NAME-LANG-WIDTH.txt``.
TERMINAL = {"case-list": ("case", "list"), "case-show": ("case", "show", SHOWN)}

#: Every other table of render/tables.py, on the example: each must fit and end no line in spaces.
TABLES = (
    ("case", "list", "--all"),
    ("case", "show", "GO-2026-003"),
    ("member", "list", "GO-2026-011"),
    ("partner", "list"),
    ("partner", "list", "--case", "GO-2026-007"),
    ("goal", "list", "GO-2026-003"),
    ("log", "list", "GO-2026-003"),
    ("phase", "history", "GO-2026-007"),
    ("phase", "show", "GO-2026-007"),
    ("phase", "checklist", "GO-2026-007"),
    ("eval", "list", "GO-2026-003"),
    ("eval", "series", "GO-2026-003"),
)

#: English headers and words that must not show in the Dutch tables.
ENGLISH = ("next evaluation", "last contact", "members", "phase history", "consent", " yes ")


@pytest.fixture
def example(run: Run) -> None:
    """The example caseload imported into this test's case file."""
    run("import", str(EXAMPLE))


def fits(output: str, width: int) -> None:
    """Every line within ``width`` columns, none ending in spaces."""
    for line in output.splitlines():
        assert len(line) <= width, (width, line)
        assert line == line.rstrip(), (width, line)


# ================================================================== golden files


@pytest.mark.usefixtures("example")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_case_list_and_show_golden(run: Run, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """case list and case show of the example, at 80 and 120 columns: they fit, no line ends
    in spaces, and each is its golden file (all four of a language are compared, then failed)."""
    monkeypatch.setenv("ICRCTL_LANG", lang)
    failures = []
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        for name, args in TERMINAL.items():
            result = run(*args)
            assert result.stderr == ""
            fits(result.stdout, width)
            try:
                golden(f"{name}-{lang}-{width}.txt", result.stdout)
            except pytest.fail.Exception as exc:
                failures.append(str(exc))
    if failures:
        pytest.fail("\n\n".join(failures))


# ================================================================== what the user types, whole


@pytest.mark.usefixtures("example")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_at_80_columns_refs_keys_and_dates_print_whole(
    run: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """At 80 columns every ref of case list starts its line whole, every key of partner list
    too, and every date of eval series prints whole."""
    monkeypatch.setenv("ICRCTL_LANG", lang)
    monkeypatch.setenv("COLUMNS", "80")
    refs = [c["ref"] for c in run("case", "list", "--all", "-f", "json").json()]
    lines = run("case", "list", "--all").stdout.splitlines()
    for ref in refs:
        assert any(line.startswith(ref + " ") for line in lines), ref

    keys = [p["key"] for p in run("partner", "list", "-f", "json").json()]
    assert any(len(k) >= 16 for k in keys)  # the directory has long keys: they matter here
    lines = run("partner", "list").stdout.splitlines()
    for key in keys:
        assert any(line.startswith(key + " ") for line in lines), key

    for ref in refs:
        series = run("eval", "series", ref, "-f", "json").json()
        out = run("eval", "series", ref).stdout
        for s in series:
            for field in ("start", "until", "stopped_from"):
                if s.get(field):
                    assert s[field] in out, (ref, field, s[field])


@pytest.mark.usefixtures("example")
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_table_fits_without_trailing_spaces(
    run: Run, monkeypatch: pytest.MonkeyPatch, lang: str, width: int
) -> None:
    """Every table of render/tables.py fits the terminal and ends no line in spaces; the Dutch
    ones show no English header."""
    monkeypatch.setenv("ICRCTL_LANG", lang)
    monkeypatch.setenv("COLUMNS", str(width))
    for args in TABLES:
        out = run(*args).stdout
        assert out.strip(), args
        fits(out, width)
        if lang == "nl":
            for english in ENGLISH:
                assert english not in out, (args, english)


def test_a_key_column_is_never_cut_a_droppable_column_is_left_out() -> None:
    """The layout itself: on a narrow terminal the droppable column goes (lowest drop first),
    the text wraps, and the key stays whole on one line."""
    tab = table(
        "a title longer than the terminal is wide, which wraps at the full width",
        [
            Column("key", "key"),
            Column("note", "text"),
            Column("first to go", drop=1),
            Column("second", drop=2),
        ],
        [("a-rather-long-key-of-thirty-one", "a note " * 8, "2026-11-25", "kept")],
    )
    console = Console(width=70, no_color=True, highlight=False)
    with console.capture() as captured:
        console.print(tab)
    out = captured.get()
    fits(out, 70)
    assert "a-rather-long-key-of-thirty-one " in out
    assert "first to go" not in out
    assert "2026-11-25" not in out
    assert "second" in out
    assert "kept" in out
    assert out.splitlines()[0].startswith("a title longer")


# ================================================================== empty lists


@pytest.mark.parametrize(
    ("lang", "no_cases", "no_members", "no_goals"),
    [
        ("nl", "geen casussen", "nog geen betrokkenen", "geen doelen"),
        ("en", "no cases", "no members yet", "no goals"),
    ],
)
def test_an_empty_list_says_so_in_one_line(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    no_cases: str,
    no_members: str,
    no_goals: str,
) -> None:
    monkeypatch.setenv("ICRCTL_LANG", lang)
    assert run("case", "list").stdout == no_cases + "\n"
    run("case", "create", "GO-2026-901", "--title", "Leeg", "--opened", "2026-11-02")
    assert run("member", "list", "GO-2026-901").stdout == no_members + "\n"
    assert run("goal", "list", "GO-2026-901").stdout == no_goals + "\n"
    shown = run("case", "show", "GO-2026-901").stdout
    assert no_members in shown


# ================================================================== the words of the tables


@pytest.mark.usefixtures("example")
def test_dutch_tables_say_enumerated_values_and_yes_no_in_dutch(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICRCTL_LANG", "nl")
    shown = run("case", "show", "GO-2026-007").stdout
    for dutch in (
        "werkfase",
        "uitvoering",
        "kader",
        "vrijwillig",
        "professioneel",
        "betrokkenen",
        "slachtoffer",
        "pleger",
        "toestemming",
        " ja",
        " nee",
        "fase 4: nog te informeren",
        "laatste contacten",
        "SIGNAAL",
        "faseverloop",
        "(29 dagen)",
    ):
        assert dutch in shown, dutch
    for english in ("execution", "voluntary", "victim", "perpetrator", "SIGNAL ", "days)"):
        assert english not in shown, english
    listed = run("case", "list").stdout
    assert "volgende" in listed
    assert "evaluatie" in listed
    assert "uitvoering" in listed


@pytest.mark.usefixtures("example")
def test_json_and_csv_stay_english_in_dutch(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripts read the same fields and values in both languages: the tables' words never go
    into JSON or CSV."""
    outputs = {}
    shown = {}
    for lang in LANGUAGES:
        monkeypatch.setenv("ICRCTL_LANG", lang)
        outputs[lang] = [
            run("case", "list", "--all", "-f", "json").stdout,
            run("member", "list", "GO-2026-007", "-f", "csv").stdout,
            run("partner", "list", "-f", "csv").stdout,
            run("goal", "list", "GO-2026-003", "-f", "csv").stdout,
            run("eval", "series", "GO-2026-003", "-f", "json").stdout,
        ]
        shown[lang] = run("case", "show", "GO-2026-007", "-f", "json").json()
    assert outputs["nl"] == outputs["en"]
    for field in ("stage", "framework", "regie", "violence", "domains", "members", "partners"):
        assert shown["nl"][field] == shown["en"][field], field
    members = list(csv.DictReader(io.StringIO(outputs["nl"][1])))
    assert {m["role"] for m in members} >= {"victim", "perpetrator"}
    assert {m["household"] for m in members} <= {"true", "false"}


# ================================================================== colour


def test_colour_carries_meaning() -> None:
    """Phase 4 red and bold, phase 3 yellow, overdue red and bold, an overdue evaluation red."""
    assert PHASE_STYLE[3] == "yellow"
    assert phase_cell(4).style == "bold red"
    assert phase_cell(3).style == "yellow"
    assert overdue_cell(2).style == "bold red"
    assert overdue_cell(0).style == ""
    assert status_cell("overdue").style == "bold red"
    cells = Text.assemble(phase_cell(4), " ", phase_cell(3))
    console = Console(width=80, force_terminal=True, color_system="standard", no_color=False)
    with console.capture() as captured:
        console.print(cells)
    assert "\x1b[1;31m4" in captured.get()
    assert "\x1b[33m3" in captured.get()
    console = Console(width=80, force_terminal=True, color_system="standard", no_color=True)
    with console.capture() as captured:
        console.print(cells)
    assert "31m" not in captured.get()
    assert "33m" not in captured.get()


@pytest.mark.usefixtures("example")
def test_no_colour_off_a_terminal_or_with_no_color(run: Run) -> None:
    """The tests' NO_COLOR, and a runner that is no terminal: no escape codes at all."""
    assert not re.search("\x1b\\[", run("case", "show", "GO-2026-007").stdout)
    assert not re.search("\x1b\\[", run("case", "list").stdout)


def test_status_words_follow_the_language() -> None:
    i18n.use("nl")
    assert str(status_cell("overdue")) == "te laat"
    assert str(status_cell("cancelled")) == "afgelast"
    i18n.use("en")
    assert str(status_cell("overdue")) == "overdue"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_import_summary_fits_without_trailing_spaces(
    run: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The import summary wraps its long line of rows per table without spaces at line ends."""
    monkeypatch.setenv("ICRCTL_LANG", lang)
    monkeypatch.setenv("COLUMNS", "80")
    out = run("import", str(EXAMPLE)).stdout
    fits(out, 80)
    assert ("nieuw      GO-2026-007" if lang == "nl" else "new      GO-2026-007") in out
