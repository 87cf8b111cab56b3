"""``status``, ``check`` and ``week``, the werkplan and the eindrapport in Dutch (the default) and
in English: the words, the dates, the ``lang`` of the documents; and the terminal layout rules
(refs whole, wrapped lines hanging under their text, no trailing spaces, colour that means
something and is gone with ``NO_COLOR``). The golden files of both languages are in
``test_status_week.py``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from icrctl import i18n
from icrctl.render.caseload import Hanging
from tests.helpers import Run, make_run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "caseload.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def dutch() -> Run:
    return make_run({"ICRCTL_LANG": "nl"})


@pytest.fixture
def example(run: Run) -> None:
    run("import", str(EXAMPLE))


def squash(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ status and check


@pytest.mark.usefixtures("example")
def test_status_in_dutch(dutch: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    out = dutch("status").stdout
    head = squash(out.splitlines()[0])
    for word in ("ref", "titel", "fase", "werkfase", "dagen", "regisseur", "b/p"):
        assert word in head, word
    for word in ("laatste contact", "volgende evaluatie", "te laat"):
        assert word in out, word
    assert "uitvoering" in out  # the stage in Dutch
    for english in ("title", "stage", "last contact", "next evaluation", "execution"):
        assert english not in out, english


def test_empty_lists_say_so_in_one_line(run: Run, dutch: Run) -> None:
    assert dutch("status").stdout == "geen open casussen\n"
    assert run("status").stdout == "no open cases\n"
    assert dutch("check").stdout == "geen signalen: niets vraagt aandacht\n"
    assert run("check").stdout == "no signals: nothing needs attention\n"
    week = dutch("week", "--week", "2026-W49").stdout
    assert week.endswith("\ngeen open casussen\n")
    assert "no open cases" not in week


@pytest.mark.usefixtures("example")
def test_check_in_dutch(dutch: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = dutch("check").stdout
    assert squash(out.splitlines()[0]) == "ref ┃ code ┃ wat te doen"
    assert "what to do" not in out
    assert "evaluation-overdue" in out  # codes stay as they are: scripts read them
    rows = dutch("check", "-f", "json").json()
    assert {"ref", "code", "message"} == set(rows[0])  # JSON keys stay English


@pytest.mark.usefixtures("example")
def test_check_wraps_what_to_do_beside_ref_and_code(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = run("check").stdout.splitlines()
    codes = [line.split("│")[1].strip() for line in lines[2:] if line[:1] != " "]
    assert "phase4-checklist-open" in codes  # whole, never cut
    text_at = lines[0].index("what to do")
    continued = [line for line in lines[2:] if line.startswith(" ")]
    assert continued, "at 80 columns the texts wrap"
    assert all(line[text_at - 1] == " " and line[text_at] != " " for line in continued)


# ------------------------------------------------------------------ the week on the terminal


@pytest.mark.usefixtures("example")
def test_week_in_dutch(dutch: Run) -> None:
    out = dutch("week", "--week", "2026-W49").stdout
    assert out.startswith("Week 2026-W49  30 november – 6 december 2026\n")
    assert "\nmaandag 30 november 2026\n" in out
    assert "\ndinsdag 1 december 2026\n" in out
    assert "met: Sanne de Vries, Peter de Vries, M. de Vos (vt-devos)" in out
    assert "GO-2026-007  Familie Bakker  fase 4 " in out
    assert ", werkfase uitvoering\n" in out
    assert "  evaluaties te laat:\n" in out
    assert "  doelen uiterlijk deze week:\n" in out
    assert "(uiterlijk 01-10-2026, maatschappelijk werk)" in out
    assert "  signalen:\n" in out
    assert "  niets vraagt aandacht\n" in out
    for english in (
        "with:",
        "phase 4",
        ", stage",
        "[overdue]",
        "overdue evaluations",
        "goals due",
        "signals:",
        "Monday",
    ):
        assert english not in out, english


def test_week_holiday_move_and_cancellation_in_dutch(run: Run, dutch: Run, family: str) -> None:
    run("eval", "schedule", family, "--every", "1w", "--weekday", "fri", "--start", "2026-12-18")
    run("eval", "move", family, "2026-12-25", "2026-12-24", "--time", "15:30")
    run("eval", "schedule", family, "--every", "1w", "--weekday", "mon", "--start", "2026-12-21")
    run("eval", "cancel", family, "2026-12-21", "--reason", "ziek")
    run("eval", "cancel", family, "2026-12-28")
    out = dutch("week", "--week", "2026-W52").stdout
    assert "vrijdag 25 december 2026  Eerste kerstdag (feestdag)" in out
    assert "15:30  GO-2026-014 Familie De Vries (verplaatst van 25-12-2026)" in out
    assert "GO-2026-014 Familie De Vries  [afgelast: ziek]" in out
    assert "public holiday" not in out
    assert "moved from" not in out
    english = run("week", "--week", "2026-W52").stdout
    assert "Friday 2026-12-25  Christmas Day (public holiday)" in english
    assert "(moved from 2026-12-25)" in english
    assert (
        "Week 2026-W53  28 december 2026 – 3 januari 2027"
        in dutch("week", "--week", "2026-W53").stdout
    )


def test_week_changes_in_dutch_name_the_day(run: Run, dutch: Run, family: str) -> None:
    run("log", family, "gebeld", "--kind", "phone", "--date", "2026-11-24")
    out = dutch("week", "--week", "2026-W48").stdout
    assert "  deze week:\n    di 24-11  contact: telefoon" in out


def test_hanging_lines_keep_names_whole() -> None:
    console = Console(width=40, no_color=True, force_terminal=False)
    names = ["Sanne de Vries", "Peter de Vries", "R. van den Berg (pol-vandenberg)"]
    with console.capture() as captured:
        console.print(Hanging.listing(Text("         with: "), names))
    assert captured.get() == (
        "         with: Sanne de Vries,\n"
        "               Peter de Vries,\n"
        "               R. van den Berg\n"
        "               (pol-vandenberg)\n"
    )  # an item wider than the line wraps at its words
    with console.capture() as captured:
        console.print(Hanging(Text("    code: "), Text("one two three four five six seven")))
    assert captured.get() == "    code: one two three four five six\n          seven\n"


# ------------------------------------------------------------------ colour


@pytest.mark.usefixtures("example")
def test_colour_means_something_and_is_gone_with_no_color(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    status = run("status").stdout
    phase4 = next(line for line in status.splitlines() if "GO-2026-007" in line)
    assert "\x1b[1;31m4" in phase4  # phase 4: red and bold
    phase3 = next(line for line in status.splitlines() if "GO-2026-003" in line)
    assert "\x1b[33m3" in phase3  # phase 3: yellow
    assert "\x1b[1;31m3" in phase3  # three overdue evaluations: red
    week = run("week", "--week", "2026-W49").stdout
    assert "\x1b[1;31mevaluation-overdue" in week  # an urgent signal: red
    assert "\x1b[33mschool-missing" in week  # a warning: yellow
    assert "\x1b[1;31m    2026-09-17" in week  # an overdue evaluation
    monkeypatch.setenv("NO_COLOR", "1")
    for args in (("status",), ("check",), ("week", "--week", "2026-W49")):
        plain = run(*args).stdout
        assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", plain), args  # no colour at all


# ------------------------------------------------------------------ documents


@pytest.mark.usefixtures("example")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_week_page_declares_its_language(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("ICRCTL_LANG", lang)
    page = tmp_path / "week.html"
    run("week", "--week", "2026-W49", "--html", str(page))
    text = page.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in text
    assert "hyphens: auto" in text
    if lang == "nl":
        assert '<td class="nowrap">ma 30-11</td>' in text
        assert "<h2>Evaluaties deze week</h2>" in text
        assert "<th>Dag</th><th>Tijd</th><th>Casus</th><th>Met</th><th>Notitie</th>" in text
        assert "<dt>Werkfase</dt><dd>uitvoering</dd>" in text
        assert "afgedrukt op 25-11-2026" in text
    else:
        assert '<td class="nowrap">Mon 2026-11-30</td>' in text
        assert "<th>Day</th><th>Time</th><th>Case</th><th>With</th><th>Note</th>" in text


def test_documents_follow_the_language(run: Run, family: str, tmp_path: Path) -> None:
    run("eval", "schedule", family, "--every", "2w", "--weekday", "tue", "--start", "2026-11-03")
    run("partner", "link", family, "vt-bakker", "--no-consent")
    dutch_page = tmp_path / "nl.html"
    run("--lang", "nl", "werkplan", family, "--out", str(dutch_page))
    nl = dutch_page.read_text(encoding="utf-8")
    assert '<html lang="nl">' in nl
    assert "hyphens: auto" in nl
    assert "<h2>Gezinsleden</h2>" in nl
    assert "Evaluatie om de 2 weken op dinsdag om 10:00, vanaf 03-11-2026" in nl
    english_page = tmp_path / "en.html"
    run("--lang", "en", "werkplan", family, "--out", str(english_page))
    en = english_page.read_text(encoding="utf-8")
    assert '<html lang="en">' in en
    assert "hyphens: auto" in en
    assert "<h2>Family members</h2>" in en
    assert "<td>Sanne de Vries</td><td>victim</td>" in en
    assert "Evaluation every 2 weeks on Tuesday at 10:00, from 2026-11-03" in en
    assert "J. Bakker (no consent to share information)" in en
    for dutch_word in ("Gezinsleden", "Doelen en afspraken", "Uiterlijk", "slachtoffer"):
        assert dutch_word not in en, dutch_word
    report = tmp_path / "r.md"
    run("--lang", "en", "report", family, "--out", str(report))
    text = report.read_text(encoding="utf-8")
    assert text.startswith(
        "# Closing report Familie De Vries (draft: the case is not closed yet)\n"
    )
    assert "*Not filled in yet: it is recorded when the case is closed.*" in text
    assert "Safety risk: not assessed; self-reliance: not assessed." in text


def test_a_document_is_in_the_language_it_was_made_in() -> None:
    from icrctl.render.documents import Document, to_html

    i18n.use("nl")
    assert to_html(Document("x", [])).startswith('<!DOCTYPE html>\n<html lang="nl">')
    i18n.use("en")
    assert to_html(Document("x", [])).startswith('<!DOCTYPE html>\n<html lang="en">')
