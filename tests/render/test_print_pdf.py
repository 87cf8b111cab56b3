"""The HTML documents as a printer sees them: every document icrctl writes (the werkplan, the
closing report, a meeting's report, the week's printout) in Dutch and English, printed to PDF by
a real headless Chromium and checked from the PDF, not by eye: A4 pages, a sensible page count,
every page carrying text, nothing wider than the paper, and no ordinary word cut in two across a
line.

"Nothing wider than the paper" has two halves. Chromium does not cut off content wider than the
page: it shrinks the whole page to fit (up to half size), so a too-wide table shows as every
letter printed smaller. The text must therefore print at 100 % (a CSS pixel is 0.75 pt), and every
piece of text must start and end on the paper (its end measured with the font's own widths).

Without Chromium (``chromium``, ``chromium-browser`` or ``google-chrome`` on PATH) these tests are
skipped; with ``ICRCTL_REQUIRE_CHROMIUM=1`` (set by ``.ci/run``, which installs Debian's chromium)
a missing Chromium is a failure instead.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pypdf import PageObject, PdfReader

from tests.helpers import make_run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "caseload.yaml"

A4 = (595.0, 842.0)  # points; Chromium writes 594.96 × 841.92
A4_TOLERANCE = 2.0
#: Points per CSS pixel when the page prints at 100 % (96 CSS pixels to the inch).
FULL_SCALE = 0.75
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
PRINT_TIMEOUT = 90  # seconds; a print takes about one

#: Each document of the example caseload: the command that writes it (the file's path follows)
#: and the most pages it may sensibly take (it takes about half that).
DOCUMENTS: dict[str, tuple[tuple[str, ...], int]] = {
    # GO-2026-003 has the longest words in a narrow column: "Jeugdgezondheidszorg",
    # "ondertoezichtstelling" among the network's organisations.
    "werkplan": (("werkplan", "GO-2026-003", "--out"), 4),
    "report": (("report", "GO-2025-031", "--out"), 4),
    # The meeting of 2026-11-04 has its agreements and per-goal notes, partners by name and
    # organisation, and the chart of seven evaluations.
    "meeting": (("eval", "report", "GO-2026-003", "2026-11-04", "--out"), 3),
    "week": (("week", "--week", "2026-W49", "--html"), 10),
}

#: The Casus Plus analysis of GO-2026-003, as a practitioner types it in the meeting: long Dutch
#: words in narrow columns, a partner with a long organisation's name.
ANALYSIS: tuple[tuple[str, ...], ...] = (
    ("analysis", "GO-2026-003", "--problem", "Verwaarlozing van Mila bij een licht verstandelijk "
     "beperkte moeder; ondertoezichtstelling sinds januari; woningvervuiling.", "--about",
     "m1, m2 en Mila", "--desired", "Mila groeit veilig op bij haar moeder, met een netwerk dat "
     "meekijkt en een schoon huis."),
    ("analysis", "factor", "GO-2026-003", "m1", "beschermend", "Grootmoeder woont dichtbij"),
    ("analysis", "factor", "GO-2026-003", "m1", "risico", "Schuldenproblematiek en "
     "slaapproblemen; vergeet afspraken"),
    ("analysis", "factor", "GO-2026-003", "m2", "hefboom", "Zijn dochter; voetbalvereniging"),
    ("analysis", "intervention", "GO-2026-003", "kort", "Jeugdgezondheidszorg op huisbezoek",
     "--goal", "1"),
    ("analysis", "intervention", "GO-2026-003", "lang", "Woningbegeleiding via de "
     "woningcorporatie", "--goal", "2"),
    ("analysis", "role", "GO-2026-003", "procesregie", "--partner", "gi-brouwer", "--why",
     "Gezinsvoogd onder de ondertoezichtstelling"),
)  # fmt: skip


# ============================================================================ Chromium, or a skip


def browser() -> str:
    """Chromium's path; a skip without it, or a failure when CI requires it."""
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    reason = f"no Chromium on PATH ({', '.join(BROWSERS)}): the printed documents go unchecked"
    if os.environ.get("ICRCTL_REQUIRE_CHROMIUM") == "1":
        pytest.fail(f"{reason}, but ICRCTL_REQUIRE_CHROMIUM=1 requires them")
    pytest.skip(f"{reason} (CI installs it and sets ICRCTL_REQUIRE_CHROMIUM=1)")


def print_to_pdf(page: Path) -> Path:
    """Print ``page`` as Chromium prints it (no header or footer), beside it as .pdf. Each print
    has its own profile, so prints in parallel do not share one; no network is asked for."""
    pdf = page.with_suffix(".pdf")
    command = [
        browser(),
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        f"--user-data-dir={page.parent / (page.stem + '-profile')}",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT)
    assert done.returncode == 0, f"Chromium did not print {page}:\n{done.stderr}"
    assert pdf.is_file(), f"Chromium wrote no {pdf.name}:\n{done.stderr}"
    return pdf


# ======================================================================== where the text lies


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(a: Sequence[float], b: Sequence[float]) -> Matrix:
    """``a × b`` for PDF matrices ``[a b c d e f]`` (row vectors: ``a`` applies first)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def point(m: Sequence[float], x: float, y: float = 0.0) -> tuple[float, float]:
    """Where ``(x, y)`` lands on the page under ``m``."""
    return (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])


@dataclass(frozen=True)
class FontWidths:
    """Glyph advances (thousandths of the font size) of one PDF font, by character code."""

    code_bytes: int  # 2 for a composite (Type0) font, 1 for a simple one
    widths: dict[int, float]
    default: float

    def advance(self, data: bytes) -> float:
        codes = [
            int.from_bytes(data[i : i + self.code_bytes], "big")
            for i in range(0, len(data), self.code_bytes)
        ]
        return sum(self.widths.get(code, self.default) for code in codes) / 1000


def font_widths(font: Any) -> FontWidths:
    """The widths of a font dictionary: ``/W`` of a composite font's descendant, or a simple
    font's ``/Widths`` from ``/FirstChar``."""
    if font["/Subtype"] != "/Type0":
        first = int(font.get("/FirstChar", 0))
        simple = {first + i: float(w) for i, w in enumerate(font.get("/Widths", []))}
        return FontWidths(1, simple, 0.0)
    descendant = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    entries = list(descendant.get("/W", []))
    i = 0
    while i < len(entries):
        start, following = int(entries[i]), entries[i + 1].get_object()
        if isinstance(following, list):  # start [w w w ...]
            widths.update({start + k: float(w) for k, w in enumerate(following)})
            i += 2
        else:  # first last w
            widths.update(dict.fromkeys(range(start, int(following) + 1), float(entries[i + 2])))
            i += 3
    return FontWidths(2, widths, float(descendant.get("/DW", 1000)))


@dataclass(frozen=True)
class Shown:
    """One piece of text shown on a page: where it starts and ends (points), and the points per
    CSS pixel it was drawn at (Chromium gives font sizes in CSS pixels)."""

    start: tuple[float, float]
    end: tuple[float, float]
    scale: float


@dataclass
class TextState:
    """What a page's content stream has set for its text so far (only the operators Chromium
    writes; any other text-positioning operator fails the check rather than being guessed)."""

    fonts: dict[str, FontWidths]
    font: FontWidths | None = None
    size: float = 0.0
    matrix: Matrix = IDENTITY
    line: Matrix = IDENTITY
    shown: list[Shown] = field(default_factory=list)
    #: The page's first clip rectangle, left and right (points): Chromium's page area, the paper
    #: less its margins; what lies beyond it is cut off.
    area: tuple[float, float] | None = None
    rectangle: tuple[float, float] | None = None

    def operate(self, operator: bytes, operands: list[Any], cm: Sequence[float]) -> None:
        if operator == b"re":
            x, y, width = (float(v) for v in operands[:3])
            edges = (point(cm, x, y)[0], point(cm, x + width, y)[0])
            self.rectangle = (min(edges), max(edges))
        elif operator in (b"W", b"W*") and self.area is None:
            self.area = self.rectangle
        elif operator == b"BT":
            self.matrix = self.line = IDENTITY
        elif operator == b"Tf":
            self.font, self.size = self.fonts[str(operands[0])], float(operands[1])
        elif operator == b"Tm":
            self.matrix = self.line = (*(float(v) for v in operands),)  # type: ignore[assignment]
        elif operator in (b"Td", b"TD"):
            move = (1.0, 0.0, 0.0, 1.0, float(operands[0]), float(operands[1]))
            self.matrix = self.line = multiply(move, self.line)
        elif operator in (b"Tj", b"TJ"):
            self.show(operands[0], cm)
        elif operator in (b"T*", b"'", b'"'):
            raise AssertionError(f"unexpected text operator {operator!r}: teach the check")

    def show(self, what: Any, cm: Sequence[float]) -> None:
        assert self.font is not None, "text shown before any font was set"
        parts = what if isinstance(what, list) else [what]
        advance = 0.0
        for part in parts:
            if isinstance(part, (int, float)):  # a TJ adjustment, thousandths of the size
                advance -= float(part) / 1000 * self.size
            else:
                raw: Any = getattr(part, "original_bytes", part)  # a text string's bytes
                advance += self.font.advance(bytes(raw)) * self.size
        page = multiply(self.matrix, cm)
        scale = math.hypot(page[0], page[1])
        self.shown.append(Shown(point(page, 0.0), point(page, advance), scale))
        self.matrix = multiply((1.0, 0.0, 0.0, 1.0, advance, 0.0), self.matrix)


def read_page(page: PageObject) -> TextState:
    """Every piece of text on ``page``, measured, and the page area."""
    resources: Any = page["/Resources"].get_object()
    fonts = resources.get("/Font", {})
    state = TextState({name: font_widths(f.get_object()) for name, f in fonts.items()})

    def visit(operator: bytes, operands: list[Any], cm: Sequence[float], _tm: Any) -> None:
        state.operate(operator, operands, cm)

    page.extract_text(visitor_operand_before=visit)
    return state


# ================================================================================== the checks


def page_problems(number: int, page: PageObject) -> Iterator[str]:
    """What is wrong with one printed page: not A4, no text, text printed smaller than 100 %
    (Chromium shrank something too wide), or text off the paper or cut off at its margins."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    if abs(width - A4[0]) > A4_TOLERANCE or abs(height - A4[1]) > A4_TOLERANCE:
        yield f"page {number} is {width:.1f} × {height:.1f} pt, not A4 ({A4[0]} × {A4[1]})"
    state = read_page(page)
    shown = state.shown
    if not shown:
        yield f"page {number} carries no text"
    scales = sorted({round(s.scale, 3) for s in shown if abs(s.scale - FULL_SCALE) > 0.01})
    if scales:
        yield (
            f"page {number} prints text at {scales} pt per CSS pixel, not {FULL_SCALE}: "
            "Chromium shrank the page to fit something wider than the paper"
        )
    left, right = state.area or (0.0, width)
    for s in shown:
        xs, ys = (s.start[0], s.end[0]), (s.start[1], s.end[1])
        if min(xs) < max(0, left - 1) or max(xs) > min(width, right + 1):
            yield (
                f"page {number}: text from x {min(xs):.0f} to {max(xs):.0f} pt at y "
                f"{ys[0]:.0f} runs off the printed area (x {left:.0f} to {right:.0f} pt of "
                f"{width:.0f})"
            )
        elif min(ys) < 0 or max(ys) > height:
            yield f"page {number}: text at y {ys[0]:.0f} lies off the paper ({height:.0f} pt)"


class _Text(HTMLParser):
    """The text a reader sees: the body's, not the style sheet's or the title's."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.hidden += tag in ("style", "title", "script")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("style", "title", "script")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


PUNCTUATION = "()[]{},.;:!?\"'«»“”‘’…–—"


def ordinary_words(page: str) -> set[str]:
    """The words of an HTML page made of letters alone (not addresses, keys or dates)."""
    reader = _Text()
    reader.feed(page)
    tokens = (token.strip(PUNCTUATION) for token in " ".join(reader.parts).split())
    return {token for token in tokens if token.isalpha()}


LAST_LETTERS = re.compile(r"([^\W\d_]+)$")
FIRST_LETTERS = re.compile(r"^([^\W\d_]+)")


def broken_words(printed: str, words: set[str]) -> list[str]:
    """The words of ``words`` that the text extracted from a PDF cuts across two lines with no
    hyphen: ``Jeugdgezondheidszo|rg``. A break at a hyphen (``Goeree-`` / ``Overflakkee``, or
    one Chromium's hyphenation added) is a proper break; two words that each stand alone are
    taken as two words."""
    lines = unicodedata.normalize("NFKC", printed).splitlines()  # ligatures: "ﬂ" is "fl"
    found = []
    for above, below in itertools.pairwise(lines):
        head, tail = LAST_LETTERS.search(above.rstrip()), FIRST_LETTERS.match(below.lstrip())
        if head is None or tail is None:
            continue
        whole = head[1] + tail[1]
        if whole in words and not (head[1] in words and tail[1] in words):
            found.append(f"{head[1]}|{tail[1]}")
    return found


def printed_problems(page: Path, pdf: Path, most_pages: int) -> list[str]:
    """Everything wrong with the print ``pdf`` of the HTML ``page``."""
    reader = PdfReader(pdf)
    problems = [p for n, pg in enumerate(reader.pages, 1) for p in page_problems(n, pg)]
    if not 1 <= len(reader.pages) <= most_pages:
        problems.append(f"{len(reader.pages)} pages; expected 1 to {most_pages}")
    printed = "\n".join(pg.extract_text() for pg in reader.pages)
    words = ordinary_words(page.read_text(encoding="utf-8"))
    problems += [f"a word cut without a hyphen: {w}" for w in broken_words(printed, words)]
    return problems


# =================================================================================== the tests


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_document_prints_on_a4(tmp_path: Path, document: str, lang: str) -> None:
    """The example's document, printed by Chromium: A4, sensible, on the paper, words whole."""
    browser()  # skip (or fail in CI) before any work
    run = make_run({"ICRCTL_LANG": lang})
    run("import", str(EXAMPLE))
    args, most_pages = DOCUMENTS[document]
    page = tmp_path / f"{document}-{lang}.html"
    run(*args, str(page))
    problems = printed_problems(page, print_to_pdf(page), most_pages)
    assert not problems, f"{page.name} as printed:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_analysis_prints_on_a4(tmp_path: Path, lang: str) -> None:
    """The Casus Plus analysis (an internal document) prints as the others do."""
    browser()
    run = make_run({"ICRCTL_LANG": lang})
    run("import", str(EXAMPLE))
    for args in ANALYSIS:
        run(*args)
    page = tmp_path / f"analysis-{lang}.html"
    run("analysis", "GO-2026-003", "--out", str(page))
    problems = printed_problems(page, print_to_pdf(page), 3)
    assert not problems, f"{page.name} as printed:\n" + "\n".join(problems)


def test_a_page_too_wide_for_the_paper_is_seen(tmp_path: Path) -> None:
    """The check is not blind: a table far too wide for A4 fails it twice over: Chromium
    shrinks the page as far as it will (to half size), then cuts off what still sticks out."""
    browser()
    page = tmp_path / "too-wide.html"
    cells = "".join(f"<td>{'Jeugdgezondheidszorg' * 2}</td>" for _ in range(4))
    page.write_text(
        "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><style>"
        "@page { size: A4; margin: 18mm 16mm; } td { white-space: nowrap; }</style></head>"
        f"<body><p>Werkplan</p><table><tr>{cells}</tr></table></body></html>",
        encoding="utf-8",
    )
    problems = printed_problems(page, print_to_pdf(page), 1)
    assert any("shrank the page" in p for p in problems), problems
    assert any("runs off the printed area" in p for p in problems), problems


# Check the checker without Chromium: the cuts it must see and the breaks it must allow.
WORDS = {"Jeugdgezondheidszorg", "Middelharnis", "CJG", "school", "van", "Sem", "slachtoffer"}
CUTS: list[tuple[str, list[str]]] = [
    ("CJG Jeugdgezondheidszor\ng Middelharnis", ["Jeugdgezondheidszor|g"]),
    ("(Jeugdgezondheidszo\nrg)", ["Jeugdgezondheidszo|rg"]),
    ("Jeugdgezondheids-\nzorg", []),  # hyphenated: a proper break
    ("school\nvan Sem", []),  # two words
    ("Goer\n03-12", []),  # not a word's two halves
    ("slachto\ufb00\ner", ["slachtoff|er"]),  # a ligature ("ﬀ") is its letters
]


@pytest.mark.parametrize(("printed", "expected"), CUTS)
def test_broken_words_sees_a_cut_word(printed: str, expected: list[str]) -> None:
    assert broken_words(printed, WORDS) == expected


def test_ordinary_words_are_the_visible_words_of_letters() -> None:
    page = (
        "<html><head><title>Werkplan</title><style>td { hyphens: auto; }</style></head><body>"
        "<td>Jeugdgezondheidszorg (CJG): l.kramer@cjg.example.org, 0187 555 303</td></body></html>"
    )
    assert ordinary_words(page) == {"Jeugdgezondheidszorg", "CJG"}
