"""The document renderer: Markdown and HTML escaping (no markup ever comes from data), and the
golden files of the werkplan and the closing report of the example case in ``examples/``.

``ICRCTL_UPDATE_GOLDEN=1 pytest tests/render`` rewrites the golden files from the example script;
review the diff before committing it. ``ICRCTL_RUN_EXAMPLES=1`` also runs the script itself with
bash and the installed ``icrctl`` (slow: one process per command).
"""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from icrctl.errors import InvalidValue
from icrctl.render.documents import (
    CSS,
    Document,
    Facts,
    Heading,
    Para,
    Section,
    Table,
    md_escape,
    render,
    to_html,
    to_markdown,
)
from tests.helpers import ENVIRONMENT, GOLDEN, Run, golden, make_run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "werkplan-case.sh"
DOCUMENTS = (
    "werkplan.md",
    "werkplan.html",
    "werkplan-school.md",
    "eindrapport.md",
    "eindrapport.html",
)

COMMONMARK = MarkdownIt("commonmark").enable("table")


def doc(*blocks: Heading | Para | Table | Facts | Section, title: str = "Titel") -> Document:
    return Document(title, list(blocks))


def body(page: str) -> str:
    """What a rendered HTML page holds between ``<body>`` and ``</body>``."""
    return page.split("<body>", 1)[1].split("</body>", 1)[0]


def cells(page: str) -> list[str]:
    """The body cells of an HTML page, an address's ``span`` taken off (it only lets the
    address break anywhere)."""
    found = re.findall(r"<td>(.*?)</td>", page, flags=re.DOTALL)
    return [re.sub(r'<span class="address">(.*?)</span>', r"\1", c) for c in found]


def md_table_cells(markdown: str) -> list[str]:
    """The body cells of the Markdown tables, as a CommonMark renderer with tables reads them."""
    return [html.unescape(c) for c in cells(COMMONMARK.render(markdown))]


# ------------------------------------------------------------------ Markdown escaping


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("- niet een lijst", "\\- niet een lijst"),
        ("+ ook niet", "\\+ ook niet"),
        ("1. geen genummerde lijst", "1\\. geen genummerde lijst"),
        ("12) ook niet", "12\\) ook niet"),
        ("[klik](https://example.org)", "\\[klik\\](https://example.org)"),
        ("![plaatje](x.png)", "!\\[plaatje\\](x.png)"),
        ("a | b", "a \\| b"),
        ("Jansen & Zn.", "Jansen \\& Zn."),
        ("&amp; &#60;", "\\&amp; \\&\\#60;"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("# geen kop", "\\# geen kop"),
        ("*vet* _schuin_ `code`", "\\*vet\\* \\_schuin\\_ \\`code\\`"),
        ("C:\\map", "C:\\\\map"),
        ("regel 1\nregel 2", "regel 1  \nregel 2"),
        ("kop\n---", "kop  \n\\---"),
        ("kop\n===", "kop  \n\\==="),
        ("Fase 3 - onveilig", "Fase 3 - onveilig"),
        ("Gewone tekst, met komma's.", "Gewone tekst, met komma's."),
    ],
)
def test_md_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


@pytest.mark.parametrize(
    "text",
    [
        "- lijst",
        "1. lijst",
        "[x](y)",
        "a | b | c",
        "Jansen & Zn. &amp; &lt;b&gt;",
        "<script>alert(1)</script>",
        "<b>vet</b>",
        "# kop",
        "> citaat",
        "regel\n---",
        "regel\n===",
        "regel\n- item",
        "regel\n2. item",
        "***",
        "~~~",
        "`code`",
        "x\\",
        "https://example.org www.example.org",
    ],
)
def test_md_escaped_paragraph_renders_as_the_text(text: str) -> None:
    """Rendered by a CommonMark parser, an escaped paragraph is one paragraph of the text."""
    rendered = COMMONMARK.render(md_escape(text))
    assert rendered.startswith("<p>"), rendered
    assert rendered.count("<p>") == 1, rendered
    inner = rendered.removeprefix("<p>").removesuffix("</p>\n").replace("<br />\n", "\n")
    assert "<" not in inner.replace("&lt;", "")
    assert html.unescape(inner) == text


def test_markdown_table_cells_keep_pipes_and_lines() -> None:
    table = Table(
        ["Naam", "Notitie"],
        [
            ["a | b", "- regel 1\nregel 2"],
            ["[x](y)", "1. Jansen & Zn."],
            ["x \\| y", "<i>schuin</i>"],
        ],
    )
    markdown = to_markdown(doc(table))
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(rows) == 5  # header, delimiter, three rows: no line break inside a row
    assert all(row.count(" | ") == 1 for row in rows[2:]), rows  # exactly two cells per row
    assert md_table_cells(markdown) == [
        "a | b",
        "- regel 1 regel 2",
        "[x](y)",
        "1. Jansen & Zn.",
        "x \\| y",
        "<i>schuin</i>",
    ]


def test_markdown_blocks() -> None:
    markdown = to_markdown(
        doc(
            Facts([("Naam", "Familie <De> Vries"), ("Datum", "25-11-2026")]),
            Heading("Doelen & afspraken"),
            Para("Let op: *niet* vet", "warning"),
            Table(["Doel"], [], "Nog geen doelen."),
            Section([Heading("Binnen", 3), Para("tekst")]),
            title="Werkplan [Familie]",
        )
    )
    assert markdown.splitlines() == [
        "# Werkplan \\[Familie\\]",
        "",
        "- **Naam:** Familie \\<De\\> Vries",
        "- **Datum:** 25-11-2026",
        "",
        "## Doelen \\& afspraken",
        "",
        "*Let op: \\*niet\\* vet*",
        "",
        "Nog geen doelen.",
        "",
        "### Binnen",
        "",
        "tekst",
    ]
    assert markdown.endswith("tekst\n")


# ------------------------------------------------------------------ HTML escaping


def test_html_escapes_every_value() -> None:
    page = to_html(
        doc(
            Facts([("<k>", "Jansen & Zn.")]),
            Heading("<h2>"),
            Para("\"citaat\" en 'apostrof'", "note"),
            Table(["<th>"], [["a | b"], ["[x](y)"], ["- item\n1. item"], ["<script>x</script>"]]),
            title="<title>",
        )
    )
    assert "<title>&lt;title&gt;</title>" in page
    assert "<h1>&lt;title&gt;</h1>" in page
    assert "<dt>&lt;k&gt;</dt><dd>Jansen &amp; Zn.</dd>" in page
    assert "<h2>&lt;h2&gt;</h2>" in page
    assert '<p class="note">&quot;citaat&quot; en &#x27;apostrof&#x27;</p>' in page
    assert "<th>&lt;th&gt;</th>" in page
    assert cells(page) == [
        "a | b",
        "[x](y)",
        "- item<br>1. item",
        "&lt;script&gt;x&lt;/script&gt;",
    ]
    assert "<script>" not in page


def test_html_is_self_contained_and_print_ready() -> None:
    page = to_html(doc(Para("tekst")))
    assert page.startswith("<!DOCTYPE html>\n")
    assert '<meta charset="utf-8">' in page
    assert "@page { size: A4" in page
    assert "@page { size: A4" in CSS
    for external in ("http", "src=", "<link", "<script", "@import", "url("):
        assert external not in page


def test_empty_table_is_a_note() -> None:
    page = to_html(doc(Table(["Doel"], [], "Nog <geen> doelen.")))
    assert '<p class="note">Nog &lt;geen&gt; doelen.</p>' in page
    assert "<table>" not in page


def test_section_and_heading_levels() -> None:
    page = to_html(doc(Section([Heading("a", 1), Heading("b", 6)])))
    assert '<section class="case">\n<h2>a</h2>\n<h4>b</h4>\n</section>' in page


@pytest.mark.parametrize(
    ("suffix", "start"),
    [(".md", b"# T"), (".markdown", b"# T"), (".html", b"<!DOCTYPE"), (".HTM", b"<!DOCTYPE")],
)
def test_render_by_suffix(suffix: str, start: bytes) -> None:
    assert render(doc(title="T"), suffix).startswith(start)


@pytest.mark.parametrize("suffix", [".pdf", ".txt", ""])
def test_render_refuses_other_suffixes(suffix: str) -> None:
    with pytest.raises(InvalidValue, match="unknown document type"):
        render(doc(), suffix)


# Text as it reaches a document: anything but control characters other than newline and tab
# (clean_text refuses those), so surrogates and C0/C1 controls are left out.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t<>&\"'|[]()#*_-.1"),
    max_size=60,
)


@given(TEXT)
@example("<script>alert(1)</script>")
@example("&lt;script&gt;")
@example("a\nb<br>c")
@example("&#60;&amp;")
def test_html_cell_round_trips(text: str) -> None:
    page = to_html(doc(Table(["kolom"], [[text]])))
    (cell,) = cells(page)
    assert "<" not in cell.replace("<br>", "")
    assert ">" not in cell.replace("<br>", "")
    assert html.unescape(cell.replace("<br>", "\n")) == text


@given(TEXT)
@example("<script>alert(1)</script>")
def test_html_data_never_makes_tags(text: str) -> None:
    page = to_html(doc(Heading(text), Para(text), Facts([(text, text)]), title=text))
    tags = set(re.findall(r"</?([a-zA-Z0-9!]+)", body(page)))
    assert tags <= {"h1", "h2", "p", "dl", "dt", "dd", "br", "span"}
    assert set(re.findall(r"<span[^>]*>", page)) <= {'<span class="address">'}


@given(TEXT)
@example("- a\n1. b\n[x](y) | & <b>")
@example("a\n---")
def test_markdown_cell_renders_as_the_text(text: str) -> None:
    """A Markdown table cell shows the text itself (line breaks as spaces, edges trimmed)."""
    markdown = to_markdown(doc(Table(["kolom"], [[text]])))
    (row,) = [line for line in markdown.splitlines() if line.startswith("|")][2:]
    assert row.count("|") - row.count("\\|") == 2
    (shown,) = md_table_cells(markdown)
    assert shown.strip() == " ".join(text.split("\n")).strip()


@given(TEXT)
@example("kop\n---")
@example("kop\n===")
@example("regel\n- item\n2. item\n> citaat\n# kop")
def test_markdown_paragraph_renders_as_the_text(text: str) -> None:
    """Each line of a paragraph shows as itself (leading and trailing blanks aside)."""
    lines = text.split("\n")
    assume(all(line.strip() and line == line.strip() for line in lines))
    rendered = COMMONMARK.render(md_escape(text))
    assert rendered.startswith("<p>"), rendered
    assert rendered.count("<p>") == 1, rendered
    inner = rendered.removeprefix("<p>").removesuffix("</p>\n").replace("<br />\n", "\n")
    assert "<" not in inner
    assert html.unescape(inner) == text


# ------------------------------------------------------------------ the example case


@dataclass
class Step:
    line: int
    today: str | None = None
    args: tuple[str, ...] = ()


def example_steps(out: Path, script: Path = EXAMPLE) -> list[Step]:
    """The example script as steps: ``export ICRCTL_TODAY=…`` and ``icrctl …`` commands.

    Anything else the script does would not be run by the golden tests, so it is refused here."""
    steps: list[Step] = []
    logical: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(script.read_text(encoding="utf-8").splitlines(), 1):
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending += raw[:-1] + " "
            continue
        logical.append((start, pending + raw))
        pending = ""
    assert not pending, "the script ends in a continued line"
    for number, text in logical:
        line = text.strip()
        if not line or line.startswith("#") or line == "set -euo pipefail":
            continue
        if line == 'OUT="${OUT:-.}"':
            continue
        if m := re.fullmatch(r"export ICRCTL_TODAY=(\d{4}-\d{2}-\d{2})", line):
            steps.append(Step(number, today=m[1]))
            continue
        words = shlex.split(line)
        assert words[0] == "icrctl", f"{script.name}:{number}: the test cannot run {line!r}"
        args = tuple(w.replace("$OUT", str(out)) for w in words[1:])
        assert not any("$" in a for a in args), f"{script.name}:{number}: a shell variable"
        steps.append(Step(number, args=args))
    return steps


def build_example(run: Run, monkeypatch: pytest.MonkeyPatch, out: Path) -> None:
    for step in example_steps(out):
        if step.today:
            monkeypatch.setenv("ICRCTL_TODAY", step.today)
        else:
            result = run(*step.args, ok=None)
            assert result.exit_code == 0, f"{EXAMPLE.name}:{step.line}: {result.stderr}"


@pytest.fixture(scope="module")
def example_documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example case built once for this module (70 commands), in its own case file."""
    base = tmp_path_factory.mktemp("example")
    out = base / "out"
    out.mkdir()
    with pytest.MonkeyPatch.context() as mp:  # the script sets ICRCTL_TODAY as it goes
        for name, value in ENVIRONMENT.items():
            if value is None:
                mp.delenv(name, raising=False)
            else:
                mp.setenv(name, value)
        mp.setenv("ICRCTL_DB", str(base / "data" / "caseload.db"))
        mp.setenv("ICRCTL_LANG", "nl")  # the documents in Dutch, the default language
        build_example(make_run(), mp, out)
    return out


def test_example_script_is_understood() -> None:
    steps = example_steps(Path("/out"))
    commands = [s.args[0] for s in steps if s.args]
    assert commands.count("werkplan") == 3
    assert commands.count("report") == 2
    assert [s.today for s in steps if s.today] == ["2026-05-06", "2026-11-25"]
    bash = shutil.which("bash")
    if bash:
        subprocess.run([bash, "-n", str(EXAMPLE)], check=True)


def test_example_documents_match_golden(example_documents: Path) -> None:
    written = sorted(p.name for p in example_documents.iterdir())
    assert written == sorted(DOCUMENTS)
    failures = []
    for name in DOCUMENTS:
        path = example_documents / name
        assert path.stat().st_mode & 0o777 == 0o600
        try:
            golden(name, path.read_text(encoding="utf-8"))
        except pytest.fail.Exception as exc:
            failures.append(str(exc))
    if failures:
        pytest.fail("\n\n".join(failures))


def test_example_documents_hold_no_clock_time(example_documents: Path) -> None:
    """The documents are dated by the pinned day, never by the clock: the only times in them are
    the evaluation times of the series (10:00 and 14:00)."""
    for name in DOCUMENTS:
        text = (example_documents / name).read_text(encoding="utf-8")
        if name.endswith(".html"):
            text = body(text)
        assert set(re.findall(r"\b\d{1,2}:\d{2}\b", text)) <= {"10:00", "14:00"}, name
        assert not re.search(r"\d:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T", text), name
        dates = set(re.findall(r"\b\d{2}-\d{2}-\d{4}\b", text))
        assert dates, name
        stamp = "06-05-2026" if name.startswith("werkplan") else "25-11-2026"
        assert stamp in dates, name


def test_example_werkplan_content(example_documents: Path) -> None:
    full = (example_documents / "werkplan.md").read_text(encoding="utf-8")
    school = (example_documents / "werkplan-school.md").read_text(encoding="utf-8")
    page = (example_documents / "werkplan.html").read_text(encoding="utf-8")
    # the werkplan to send, to everyone or to a partner, never holds the safety signals
    for sent in (full, page, school):
        assert "dreigende appjes" not in sent
        assert "Veiligheidssignalen" not in sent
        assert "intern" not in sent.replace("intern begeleider", "")
    assert "R. Hendriks (geen toestemming informatiedeling)" in full
    assert "Hendriks" not in school
    assert "behandelaar Ruben" not in school
    assert "Evaluatie om de 2 weken op dinsdag om 10:00, vanaf 03-03-2026" in full
    assert "03-09-1991" in full
    assert "03-09-1991" not in school  # a partner gets names and roles, no dates of birth
    for column in ("Doel", "Wie doet", "Wat"):
        assert f"| {column} |" in full


def test_example_report_content(example_documents: Path) -> None:
    report = (example_documents / "eindrapport.md").read_text(encoding="utf-8")
    assert "concept" not in report
    assert "- **Afgesloten:** 24-11-2026" in report
    # the trend is that of the last two assessments (1, 1); the table shows the whole series
    assert "Veiligheidsrisico: dalend, van 4 naar 1 over 10 evaluaties" in report
    present = "Lotte Visser, Ruben Visser, J. Bakker (Veilig Thuis Zeeland)"
    assert f"| 03-03-2026 | 4 | 2 | {present} | – | – |" in report
    assert "zelfredzaamheid: stijgend, van 2 naar 5 over 10 evaluaties" in report
    assert "| 31-03-2026 |" not in report  # cancelled, not held
    assert (
        "| 28-04-2026 | 3 | 3 | Lotte Visser, Ruben Visser | J. Bakker (Veilig Thuis Zeeland) | – |"
        in report
    )
    assert "| 04-08-2026 | 2 | 4 | Lotte Visser | – | Ruben Visser |" in report
    assert "Lotte voert zelf weer de regie." in report
    assert "meldt Veilig Thuis de casus direct terug." in report


@pytest.mark.skipif(
    os.environ.get("ICRCTL_RUN_EXAMPLES") != "1", reason="slow; set ICRCTL_RUN_EXAMPLES=1"
)
def test_example_script_runs_in_bash(tmp_path: Path) -> None:
    """The script itself, with bash and the installed icrctl, writes the golden documents."""
    out = tmp_path / "out"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ICRCTL_TODAY"}
    env["ICRCTL_DB"] = str(tmp_path / "bash" / "caseload.db")
    env["OUT"] = str(out)
    env["ICRCTL_LANG"] = "nl"
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    subprocess.run(["bash", str(EXAMPLE)], env=env, check=True, capture_output=True)
    for name in DOCUMENTS:
        expected = (GOLDEN / name).read_text(encoding="utf-8")
        assert (out / name).read_text(encoding="utf-8") == expected, name
