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


Block = Heading | Para | Table | Facts | Bullets | Section


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
