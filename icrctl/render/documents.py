"""Documents a practitioner sends or prints: one block model, rendered as Markdown or as one
self-contained, print-ready HTML page (A4, no external assets). Every value from the case file is
escaped: no markup ever comes from data.

In HTML, words hyphenate in the document's language (``lang`` and ``hyphens: auto``) and never
break mid-word; only an e-mail address or a web address, which has no syllables, may break
anywhere (``span.address``)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from icrctl.i18n import N_, _, language

CSS = """
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; font-size: 10.5pt; color: #111;
       line-height: 1.35; margin: 0 auto; max-width: 180mm;
       hyphens: auto; -webkit-hyphens: auto; }
h1 { font-size: 17pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; page-break-inside: auto; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
td.nowrap { white-space: nowrap; }
th { background: #eee; }
.address { overflow-wrap: anywhere; hyphens: none; -webkit-hyphens: none; }
tr { page-break-inside: avoid; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.5mm 4mm; margin: 0 0 3mm; }
dt { font-weight: 600; }
dd { margin: 0; }
p.note { color: #555; font-style: italic; }
p.warning { color: #a00; font-weight: 600; }
section.case { break-inside: avoid; page-break-inside: avoid; margin-bottom: 6mm; }
.nobreak { page-break-inside: avoid; }
svg.chart { display: block; margin: 1mm 0 3mm; font-family: inherit; break-inside: avoid;
            page-break-inside: avoid; max-width: 100%; }
@media screen { body { padding: 10mm; } }
"""


#: Columns whose cells stay on one line in HTML: dates and times should not break at a hyphen
#: (their headers, translated where a table is rendered).
NOWRAP = (N_("Day"), N_("Time"), N_("Date"), N_("Born"), N_("Due"), N_("Since"))


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Para:
    text: str
    style: str = ""


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    empty: str = "–"


@dataclass
class Facts:
    pairs: list[tuple[str, str]]


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Section:
    """A group of blocks kept together (a case in the weekly printout)."""

    blocks: list[Block] = field(default_factory=list)


@dataclass
class Chart:
    """Scores (1 to 5) over the evaluations: an inline SVG line chart in HTML, a table of the
    same numbers in Markdown (unless ``in_markdown`` is off: the document already has that
    table). ``title`` names the chart for a screen reader; ``series`` are (legend, scores) pairs,
    one score per date, ``None`` where none was given."""

    title: str
    date_header: str
    dates: list[str]
    series: list[tuple[str, list[int | None]]]
    in_markdown: bool = True


@dataclass
class Figure:
    """A drawing Graphviz makes from ``dot`` (the genogram): inline SVG in HTML, named
    ``label`` for a screen reader; where it cannot be drawn (in Markdown, or without Graphviz)
    a note: ``markdown_note``, or ``missing_note``."""

    label: str
    dot: str
    markdown_note: str
    missing_note: str


Block = Heading | Para | Table | Facts | Bullets | Section | Chart | Figure


@dataclass
class Document:
    """A document in the language in use when it is made (``lang``: ``nl`` or ``en``), which
    its HTML declares, so that a browser hyphenates and reads it aloud in that language."""

    title: str
    blocks: list[Block]
    lang: str = field(default_factory=language)


# ------------------------------------------------------------------ Markdown

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&])")
# A leading - + = starts a list item, or (a run of - or =) a setext heading underline.
_MD_BULLET = re.compile(r"^(\s*)([-+=])(?=\s|$|[-=])", re.MULTILINE)
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def _md_text(text: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    escaped = _MD_BULLET.sub(r"\1\\\2", escaped)
    return _MD_NUMBERED.sub(r"\1\\\2", escaped)


def md_escape(text: str) -> str:
    """Escape Markdown (and raw-HTML) syntax so that data prints as itself."""
    return _md_text(text).replace("\n", "  \n")


def _md_cell(text: str) -> str:
    return _md_text(text).replace("\n", " ")


def to_markdown(doc: Document) -> str:
    lines = [f"# {md_escape(doc.title)}", ""]
    _md_blocks(doc.blocks, lines)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def _md_blocks(blocks: list[Block], lines: list[str]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + md_escape(block.text), ""]
        elif isinstance(block, Para):
            text = md_escape(block.text)
            lines += [f"*{text}*" if block.style in ("note", "warning") else text, ""]
        elif isinstance(block, Facts):
            lines += [f"- **{md_escape(k)}:** {_md_cell(v)}" for k, v in block.pairs] + [""]
        elif isinstance(block, Bullets):
            lines += [f"- {_md_cell(item)}" for item in block.items] + [""]
        elif isinstance(block, Chart):
            if block.in_markdown:
                _md_blocks([chart_table(block)], lines)
        elif isinstance(block, Figure):
            lines += [f"*{md_escape(block.markdown_note)}*", ""]
        elif isinstance(block, Table):
            if not block.rows:
                lines += [md_escape(block.empty), ""]
                continue
            lines.append("| " + " | ".join(_md_cell(c) for c in block.columns) + " |")
            lines.append("|" + "|".join("---" for _ in block.columns) + "|")
            lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in block.rows]
            lines.append("")
        else:
            _md_blocks(block.blocks, lines)


# ------------------------------------------------------------------ HTML


#: An e-mail address or a web address in a text: the only words that may break anywhere.
ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _h(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def _h_text(text: str) -> str:
    """A value from the case file, escaped, with each address in a ``span.address``."""
    parts, start = [], 0
    for match in ADDRESS.finditer(text):
        parts += [_h(text[start : match.start()]), f'<span class="address">{_h(match[0])}</span>']
        start = match.end()
    return "".join([*parts, _h(text[start:])])


def to_html(doc: Document) -> str:
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_h(doc.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex, nofollow">',
        f"<title>{_h(doc.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(doc.title)}</h1>",
    ]
    _html_blocks(doc.blocks, parts)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _html_blocks(blocks: list[Block], parts: list[str]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 2), 4)
            parts.append(f"<h{level}>{_h(block.text)}</h{level}>")
        elif isinstance(block, Para):
            cls = f' class="{_h(block.style)}"' if block.style else ""
            parts.append(f"<p{cls}>{_h_text(block.text)}</p>")
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{_h_text(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Facts):
            parts.append("<dl>")
            parts += [f"<dt>{_h(k)}</dt><dd>{_h_text(v)}</dd>" for k, v in block.pairs]
            parts.append("</dl>")
        elif isinstance(block, Chart):
            parts.append(chart_svg(block))
        elif isinstance(block, Figure):
            parts.append(_figure(block))
        elif isinstance(block, Table):
            if not block.rows:
                parts.append(f'<p class="note">{_h(block.empty)}</p>')
                continue
            head = "".join(f"<th>{_h(c)}</th>" for c in block.columns)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
            headers = {_(name) for name in NOWRAP}
            nowrap = {i for i, c in enumerate(block.columns) if c in headers}
            for r in block.rows:
                cells = "".join(
                    f'<td class="nowrap">{_h(c)}</td>' if i in nowrap else f"<td>{_h_text(c)}</td>"
                    for i, c in enumerate(r)
                )
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</tbody></table>")
        else:
            parts.append('<section class="case">')
            _html_blocks(block.blocks, parts)
            parts.append("</section>")


def _figure(figure: Figure) -> str:
    """The drawing as inline SVG (Graphviz escapes the text in it), or the note without it."""
    from icrctl.render.genogram import inline_svg

    svg = inline_svg(figure.dot, figure.label)
    return svg if svg is not None else f'<p class="note">{_h(figure.missing_note)}</p>'


# ------------------------------------------------------------------ the chart

#: The chart's size in CSS pixels, drawn one to one (A4's printed width is about 670): text in
#: it prints at the size of the text around it.
CHART_WIDTH, CHART_HEIGHT = 640, 216
#: The plotting area inside it: the left edge leaves room for the axis, the bottom for the dates
#: and the legend.
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 44, 616, 14, 150
SCALE = range(1, 6)
#: Each series' look: colour, dash pattern and point fill (told apart in black and white too).
LOOKS = (("#a3261b", "", "#a3261b"), ("#1d5a9e", "6 4", "#fff"))
#: At most this many dates are written along the bottom (a long series shows every n-th).
DATE_LABELS = 7
#: The room a written date takes (``25-11-2026`` at the chart's font size), with some air.
DATE_WIDTH = 66


def chart_table(chart: Chart) -> Table:
    """The chart's numbers as a table: one row per date."""
    columns = [chart.date_header, *(name for name, _scores in chart.series)]
    rows = [
        [day, *("–" if scores[i] is None else str(scores[i]) for _name, scores in chart.series)]
        for i, day in enumerate(chart.dates)
    ]
    return Table(columns, rows)


def chart_x(index: int, count: int) -> float:
    """Where the ``index``-th of ``count`` evaluations stands, evenly spread."""
    if count < 2:
        return (PLOT_LEFT + PLOT_RIGHT) / 2
    return round(PLOT_LEFT + index * (PLOT_RIGHT - PLOT_LEFT) / (count - 1), 1)


def chart_y(score: int) -> float:
    """How high a score stands: 1 at the bottom of the plot, 5 at its top (clamped)."""
    low, high = SCALE[0], SCALE[-1]
    value = min(max(score, low), high)
    return round(PLOT_BOTTOM - (value - low) * (PLOT_BOTTOM - PLOT_TOP) / (high - low), 1)


def _runs(scores: list[int | None]) -> list[list[tuple[int, int]]]:
    """The unbroken runs of given scores, as (index, score): a missing score breaks the line."""
    runs: list[list[tuple[int, int]]] = [[]]
    for i, score in enumerate(scores):
        if score is None:
            runs.append([])
        else:
            runs[-1].append((i, score))
    return [run for run in runs if run]


def labelled(count: int) -> list[int]:
    """Which of ``count`` dates are written: at most :data:`DATE_LABELS`, evenly spread, the
    first and the last always (the one before the last left out when they would touch)."""
    if count == 0:
        return []
    step = -(-count // DATE_LABELS)
    shown = list(range(0, count, step))
    if shown[-1] != count - 1:
        crowded = chart_x(count - 1, count) - chart_x(shown[-1], count) < 1.5 * DATE_WIDTH
        if len(shown) > 1 and (crowded or len(shown) == DATE_LABELS):
            shown.pop()
        shown.append(count - 1)
    return shown


def _chart_axes(chart: Chart) -> list[str]:
    """The scale 1 to 5 with its grid lines, and the dates along the bottom."""
    parts = []
    for score in SCALE:
        y = chart_y(score)
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:g}" x2="{PLOT_RIGHT}" y2="{y:g}" stroke="#ddd"/>'
            f'<text x="{PLOT_LEFT - 10}" y="{y + 4:g}" text-anchor="end">{score}</text>'
        )
    count = len(chart.dates)
    shown = labelled(count)
    for i in shown:
        anchor = (
            "middle" if count < 2 else "start" if i == 0 else "end" if i == count - 1 else "middle"
        )
        parts.append(
            f'<text class="date" x="{chart_x(i, count):g}" y="{PLOT_BOTTOM + 20}" '
            f'text-anchor="{anchor}">{_h(chart.dates[i])}</text>'
        )
    return parts


def _chart_series(index: int, name: str, scores: list[int | None]) -> list[str]:
    """One score's lines (broken where a score is missing) and points, and its legend entry."""
    colour, dash, fill = LOOKS[index % len(LOOKS)]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    count = len(scores)
    parts = [f'<g class="series" data-name="{_h(name)}">']
    for run in _runs(scores):
        points = " ".join(f"{chart_x(i, count):g},{chart_y(s):g}" for i, s in run)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>'
        )
        parts += [
            f'<circle cx="{chart_x(i, count):g}" cy="{chart_y(s):g}" r="4" fill="{fill}" '
            f'stroke="{colour}" stroke-width="2" data-score="{s}"/>'
            for i, s in run
        ]
    x = PLOT_LEFT + index * 220
    y = CHART_HEIGHT - 14
    parts += [
        f'<line class="legend" x1="{x}" y1="{y}" x2="{x + 28}" y2="{y}" stroke="{colour}" '
        f'stroke-width="2"{dashed}/>',
        f'<circle cx="{x + 14}" cy="{y}" r="4" fill="{fill}" stroke="{colour}" stroke-width="2"/>',
        f'<text class="legend" x="{x + 36}" y="{y + 4}">{_h(name)}</text>',
        "</g>",
    ]
    return parts


def chart_svg(chart: Chart) -> str:
    """The chart as inline SVG, drawn one to one in CSS pixels, named for a screen reader."""
    parts = [
        f'<svg class="chart" role="img" '
        f'aria-label="{_h(chart.title)}" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" font-size="11">',
        f"<title>{_h(chart.title)}</title>",
        *_chart_axes(chart),
        *(
            line
            for index, (name, scores) in enumerate(chart.series)
            for line in _chart_series(index, name, scores)
        ),
        "</svg>",
    ]
    return "".join(parts)


def render(doc: Document, suffix: str) -> bytes:
    """Markdown for ``.md``, HTML for ``.html``: chosen by the output file's suffix."""
    kind = suffix.lower()
    if kind in (".md", ".markdown"):
        return to_markdown(doc).encode()
    if kind in (".html", ".htm"):
        return to_html(doc).encode()
    from icrctl.errors import InvalidValue

    raise InvalidValue(
        _("unknown document type {suffix!r}: write to a .md or .html file").format(suffix=suffix)
    )
