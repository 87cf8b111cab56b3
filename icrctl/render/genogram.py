"""The genogram drawn: DOT text written by our own code (always), and SVG or PNG made from it by
Graphviz (the ``graphviz`` Python package calling the ``dot`` program), when it is installed.

The conventions (see docs/cli.md, ``genogram``): generations in rows (``rank=same``), partners
side by side joined by a line that says how they stand (married: a double line; together: a line;
separated: a dashed line with one slash; divorced: a dotted line with two slashes), children below
their parents' line, the household inside one dashed boundary (a ``cluster``), violence as a bold
red arrow from the one who uses it to the one it is used against, a perpetrator with a bold red
border, a victim with a double border, a deceased person shaded with crossed corners and a ``†``.
The case file does not record sex, so everyone has the same shape (the legend says so).

Every stored string is escaped for DOT (:func:`quoted`); node names are our own (``p1``, ``u1``).
"""

from __future__ import annotations

import html
import re

from icrctl.domain.genogram import Couple, Drawing, Family, Genogram
from icrctl.domain.vocabulary import ROLE
from icrctl.errors import InvalidValue
from icrctl.i18n import N_, _

#: The formats ``icrctl genogram`` writes; DOT needs nothing but icrctl.
FORMATS = ("dot", "svg", "png")
#: The line between two partners, per kind: DOT edge attributes, and the mark on the line.
PARTNER_LINES = {
    "married": ('color="black:invis:black"', ""),
    "partner": ("style=solid", ""),
    "ex_partner": ("style=dashed", "/"),
    "divorced": ("style=dotted", "//"),
}
VIOLENCE_LINE = "color=red, fontcolor=red, penwidth=3, style=bold, dir=forward, arrowhead=normal"
SIBLING_LINE = "style=dashed, color=gray40, constraint=false"
PERPETRATOR = "color=red, penwidth=2.5"
VICTIM = "peripheries=2"
DECEASED = 'style="filled,diagonals", fillcolor="#e6e6e6"'
#: The words of the legend, per line kind, and of the marks.
LEGEND_LINES = {
    "married": N_("married"),
    "partner": N_("together"),
    "ex_partner": N_("separated"),
    "divorced": N_("divorced"),
}
#: How to get Graphviz, said when it is missing.
INSTALL = N_(
    "install Graphviz (Debian/Ubuntu: 'apt install graphviz'; macOS: 'brew install graphviz') "
    "and its Python package ('pip install graphviz'), then run the command again"
)


# ------------------------------------------------------------------ DOT


def quoted(text: str) -> str:
    """``text`` as a DOT string: in double quotes, backslashes and quotes escaped, a line break
    as DOT's ``\\n``, ``&`` as ``&amp;`` (Graphviz reads ``&lt;`` and the like in a label as the
    character they name) and other control characters, which icrctl refuses as input, dropped."""
    escaped = text.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\n").replace("\n", "\\n")
    return '"' + "".join(ch for ch in escaped if ch >= " " or ch == "\t") + '"'


def to_dot(drawing: Drawing) -> str:
    """The genogram as DOT text, in the language in use (names as stored)."""
    g = drawing.genogram
    ids = {key: f"p{i}" for i, key in enumerate(g.people, 1)}
    title = _("Genogram {title} ({ref}), {date}").format(
        title=drawing.title, ref=drawing.ref, date=drawing.date.strftime("%d-%m-%Y")
    )
    lines = [
        "digraph genogram {",
        f"  graph [label={quoted(title)}, labelloc=t, fontsize=14, newrank=true, "
        'rankdir=TB, nodesep=0.35, ranksep=0.6, fontname="Helvetica"];',
        '  node [shape=box, fontname="Helvetica", fontsize=10];',
        '  edge [dir=none, fontname="Helvetica", fontsize=9];',
    ]
    order = {key: i for i, key in enumerate(key for row in _rows_in_order(g) for key in row)}
    lines += [
        f"  {ids[key]} [{_person(g, key)}];" for key in sorted(g.people, key=order.__getitem__)
    ]
    lines += _generations(g, ids, order)
    lines += _household(g, ids)
    for i, couple in enumerate(g.couples, 1):
        lines += _couple(couple, f"u{i}", ids, order)
    for family in g.families:
        lines += _children(family, ids)
    lines += [f"  {ids[t.member]} -> {ids[t.other]} [{SIBLING_LINE}];" for t in g.siblings]
    violence = _("violence against")
    lines += [
        f"  {ids[t.member]} -> {ids[t.other]} [{VIOLENCE_LINE}, constraint=false, "
        f"label={quoted(violence)}];"
        for t in g.violence
    ]
    lines += _legend(g)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _person(g: Genogram, key: str) -> str:
    """A person's node: name (``†`` when deceased), role and year of birth; the marks."""
    p = g.people[key]
    name = f"{p.name} †" if p.deceased else p.name
    about = ROLE.label(p.role) + (f", {p.born.year}" if p.born else "")
    attributes = [f"label={quoted(name + chr(10) + about)}"]
    if g.perpetrator(key):
        attributes.append(PERPETRATOR)
    if g.victim(key):
        attributes.append(VICTIM)
    if p.deceased:
        attributes.append(DECEASED)
    return ", ".join(attributes)


def _rows_in_order(g: Genogram) -> list[list[str]]:
    """Each row in the order to draw it, left to right: partners next to each other, a person
    with two partners (an ex and a new one) between them, those outside the household before
    those in it; otherwise as added. Graphviz keeps a line within a row running left to right,
    but not one that crosses the household's boundary: there it mostly keeps the order in which
    the nodes are named, so they are named in this order (outsiders first)."""
    home = set(g.household)
    out = []
    for row in g.rows:
        partners: dict[str, list[str]] = {key: [] for key in row}
        for c in g.couples:
            if c.first in partners and c.second in partners:
                partners[c.first].append(c.second)
                partners[c.second].append(c.first)
        placed: list[str] = []
        for key in sorted(row, key=lambda k: (k in home, row.index(k))):
            if key not in placed:
                placed += _along(key, partners, home, placed)
        out.append(placed)
    return out


def _along(
    start: str, partners: dict[str, list[str]], home: set[str], placed: list[str]
) -> list[str]:
    """The people joined to ``start`` by couples, from one end of their chain to the other
    (an end outside the household first); a tangle of more than two partners each in the
    order met."""
    group, todo = [start], [start]
    while todo:
        for other in partners[todo.pop()]:
            if other not in group and other not in placed:
                group.append(other)
                todo.append(other)
    ends = [k for k in group if len(partners[k]) <= 1]
    first = min(ends or group, key=lambda k: (k in home, group.index(k)))
    chain, todo = [], [first]
    while todo:
        key = todo.pop()
        if key not in chain:
            chain.append(key)
            todo += [k for k in reversed(partners[key]) if k in group and k not in chain]
    return chain


def _generations(g: Genogram, ids: dict[str, str], order: dict[str, int]) -> list[str]:
    """One ``rank=same`` row per generation, with the couples' joining points, in the order
    drawn; an invisible ladder keeps the rows in order where no line runs between them."""
    lines = []
    for n, row in enumerate(g.rows):
        joins = [(c, f"u{i}") for i, c in enumerate(g.couples, 1) if g.row_of(c.first) == n]
        named = [(order[key], 0, ids[key]) for key in row]
        named += [(max(order[c.first], order[c.second]), -1, u) for c, u in joins]
        members = "; ".join([f"g{n}", *(name for _o, _j, name in sorted(named))])
        lines.append(f"  {{ rank=same; {members}; }}")
    lines += [f"  g{n} [shape=point, style=invis, width=0];" for n in range(len(g.rows))]
    if len(g.rows) > 1:
        ladder = " -> ".join(f"g{n}" for n in range(len(g.rows)))
        lines.append(f"  {ladder} [style=invis];")
    return lines


def _household(g: Genogram, ids: dict[str, str]) -> list[str]:
    """The household as one boundary around its people (and their couples' joining points)."""
    home = set(g.household)
    if not home:
        return []
    joins = [f"u{i}" for i, c in enumerate(g.couples, 1) if c.first in home and c.second in home]
    inside = "; ".join([*(ids[key] for key in g.household), *joins])
    return [
        "  subgraph cluster_household {",
        f'    label={quoted(_("Household"))}; style="rounded,dashed"; color=gray40; fontsize=10;',
        f"    {inside};",
        "  }",
    ]


def _couple(couple: Couple, join: str, ids: dict[str, str], order: dict[str, int]) -> list[str]:
    """Two partners with a joining point between them, on a line of their kind, the line
    running from the left partner (in the order drawn) to the right one: Graphviz keeps a line
    within a row running left to right, so the point stands between them."""
    line, mark = PARTNER_LINES[couple.kind]
    left, right = sorted((couple.first, couple.second), key=order.__getitem__)
    point = (
        f"shape=plaintext, label={quoted(mark)}, width=0, height=0, margin=0"
        if mark
        else "shape=point, width=0.06"
    )
    return [
        f"  {join} [{point}];",
        f"  {ids[left]} -> {join} [{line}];",
        f"  {join} -> {ids[right]} [{line}];",
    ]


def _children(family: Family, ids: dict[str, str]) -> list[str]:
    """Children below their parents' joining point, or below each parent who is not part of a
    couple with the other."""
    if family.couple is not None:
        tops = [f"u{family.couple + 1}"]
    else:
        tops = [ids[parent] for parent in family.parents]
    return [f"  {top} -> {ids[child]};" for top in tops for child in family.children]


def _legend(g: Genogram) -> list[str]:
    """A small legend: the lines and marks this genogram uses, and the one shape."""
    entries: list[tuple[str, str]] = [
        (_(LEGEND_LINES[kind]) + (f" {mark}" if mark else ""), line)
        for kind, (line, mark) in PARTNER_LINES.items()
        if any(c.kind == kind for c in g.couples)
    ]
    if g.violence:
        entries.append((_("violence (from perpetrator to victim)"), VIOLENCE_LINE))
    marks = [
        (N_("perpetrator: bold red border"), any(g.perpetrator(k) for k in g.people)),
        (N_("victim: double border"), any(g.victim(k) for k in g.people)),
        (N_("deceased: shaded, † after the name"), any(p.deceased for p in g.people.values())),
        (N_("one shape for everyone: the case file does not record sex"), True),
    ]
    lines = [
        "  subgraph cluster_legend {",
        f"    label={quoted(_('Legend'))}; style=solid; color=gray70; fontsize=10;",
    ]
    for i, (word, line) in enumerate(entries, 1):
        lines += [
            f"    l{i}a [shape=point, width=0.04]; l{i}b [shape=point, width=0.04];",
            f"    l{i}a -> l{i}b [{line}, label={quoted(word)}];",
            f"    {{ rank=same; l{i}a; l{i}b; }}",
        ]
    text = "\\l".join(quoted(_(word))[1:-1] for word, shown in marks if shown) + "\\l"
    lines += [f'    l0 [shape=plaintext, fontsize=9, label="{text}"];', "  }"]
    return lines


# ------------------------------------------------------------------ Graphviz


class GraphvizMissing(Exception):
    """Graphviz (the ``dot`` program or its Python package) is not installed."""


def draw(dot: str, kind: str) -> bytes:
    """``dot`` drawn as ``kind`` (``svg`` or ``png``) by Graphviz; :class:`GraphvizMissing`
    when the Python package or the ``dot`` program is not there."""
    try:
        import graphviz
    except ImportError as missing:
        raise GraphvizMissing("graphviz") from missing
    try:
        data: bytes = graphviz.pipe("dot", kind, dot.encode("utf-8"))
    except graphviz.ExecutableNotFound as missing:
        raise GraphvizMissing("dot") from missing
    except graphviz.CalledProcessError as failed:
        reason = (failed.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise InvalidValue(
            _("Graphviz could not draw the genogram: {reason}").format(
                reason=reason[0] if reason else failed.returncode
            )
        ) from failed
    return data


def picture(drawing: Drawing, kind: str) -> tuple[bytes, bool]:
    """The file to write for ``kind``: the picture, and True; or, when Graphviz is missing, the
    DOT text, and False."""
    dot = to_dot(drawing)
    if kind == "dot":
        return dot.encode("utf-8"), True
    try:
        return draw(dot, kind), True
    except GraphvizMissing:
        return dot.encode("utf-8"), False


def missing_message(kind: str) -> str:
    """The one line said when Graphviz is missing."""
    return _("Graphviz is not installed, so no {kind} was drawn: {install}").format(
        kind=kind.upper(), install=_(INSTALL)
    )


def format_of(suffix: str, given: str | None) -> str:
    """``dot``, ``svg`` or ``png``: ``given`` (``--format``), else the file's suffix (``.gv``
    counts as DOT)."""
    word = (given or suffix.lstrip(".")).lower()
    word = "dot" if word == "gv" else word
    if word not in FORMATS:
        raise InvalidValue(
            _("unknown genogram format {suffix!r}: write to a .dot, .svg or .png file").format(
                suffix=given or suffix
            )
        )
    return word


# ------------------------------------------------------------------ inline in a document

#: The genogram's place in a document: a block as wide as the page at most, kept on one page (on
#: the element itself, so that the documents' shared style sheet stays as it is).
FIGURE_STYLE = (
    "display: block; margin: 1mm 0 3mm; max-width: 100%; height: auto; "
    "break-inside: avoid; page-break-inside: avoid"
)
_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.S)
_OUTSIDE = re.compile(r'\s(?:xmlns(?::\w+)?|xlink:href|href)="[^"]*"')
_SVG = re.compile(r"<svg\b")


def inline_svg(dot: str, label: str) -> str | None:
    """The genogram as SVG to put inside an HTML page: no XML prolog, doctype or comments, no
    namespace or other address (a page that names no outside address), scaled to the page;
    None when Graphviz is missing."""
    try:
        svg = draw(dot, "svg").decode("utf-8")
    except GraphvizMissing:
        return None
    svg = _OUTSIDE.sub("", _PROLOG.sub("", svg)).strip()
    named = (
        f'<svg class="genogram" role="img" aria-label="{html.escape(label, quote=True)}" '
        f'style="{FIGURE_STYLE}"'
    )
    return _SVG.sub(lambda _svg: named, svg, count=1)
