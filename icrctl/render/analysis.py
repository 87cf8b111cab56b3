"""The Casus Plus analysis: on the terminal (its parts numbered, to edit by), and as a document
(``analysis REF --out``, and a section of the internal werkplan). Internal: it names risk factors
per member, so the document says so at its top."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icrctl.domain.analysis import FACTOR_KIND, TERM
from icrctl.i18n import N_, _
from icrctl.render.documents import Block, Document, Facts, Heading, Para, Table

if TYPE_CHECKING:
    from rich.console import RenderableType

    from icrctl.services.analysis import AnalysisDocument, AnalysisView

#: A factor's kind and an intervention's term as a document names them.
KIND_WORDS = {
    "protective": N_("Protective factor"),
    "risk": N_("Risk factor"),
    "lever": N_("Lever"),
}
TERM_WORDS = {"short": N_("Short term"), "long": N_("Long term")}


def _kind(term: str) -> str:
    return _(KIND_WORDS[term]) if term in KIND_WORDS else term


def _term(term: str) -> str:
    return _(TERM_WORDS[term]) if term in TERM_WORDS else term


def _goal(number: int | None, text: str | None) -> str:
    return "–" if number is None else f"{number}. {text or ''}".strip()


# ------------------------------------------------------------------ the document


def analysis_document(doc: AnalysisDocument) -> Document:
    """The analysis to print for (or after) the Casus Plus meeting: internal, not to send."""
    from icrctl.render.plans import d, phase, s, stage

    a = doc.analysis
    blocks: list[Block] = [
        Facts(
            [
                (_("Name"), a.title),
                (_("Case"), a.ref),
                (_("Date"), d(doc.date)),
                (_("Case director (ICR)"), s(doc.regisseur)),
                (_("Regiekaart phase"), phase(doc.phase)),
                (_("Stage"), stage(doc.stage)),
            ]
        ),
        Para(
            _(
                "Internal document for the case director's own file: it names risk factors per "
                "member. Do not send it."
            ),
            "warning",
        ),
        *analysis_blocks(a),
    ]
    return Document(_("Casus Plus analysis {title}").format(title=a.title), blocks)


def analysis_blocks(a: AnalysisView, level: int = 2) -> list[Block]:
    """The parts of the analysis, each under a heading of ``level`` (3 inside the werkplan)."""
    missing = _("Not filled in yet.")
    problem: list[Block] = [Para(a.problem) if a.problem else Para(missing, "note")]
    if a.about_named:
        problem.append(Para(_("About: {who}").format(who=a.about_named)))
    return [
        Heading(_("The problem"), level),
        *problem,
        Heading(_("Protective factors, risk factors and levers per member"), level),
        Table(
            [_("Member"), _("Kind"), _("Factor")],
            [[f.name, _kind(f.kind), f.text] for f in a.factors],
            _("No factors recorded yet."),
        ),
        Heading(_("The desired situation, if everything were possible"), level),
        Para(a.desired) if a.desired else Para(missing, "note"),
        Heading(_("Interventions"), level),
        Table(
            [_("Term"), _("Intervention"), _("Goal")],
            [[_term(i.term), i.text, _goal(i.goal, i.goal_text)] for i in a.interventions],
            _("No interventions recorded yet."),
        ),
        Heading(_("Roles: who fits best, and why"), level),
        Table(
            [_("Role"), _("Professional"), _("Why")],
            [[r.role, r.name, r.why] for r in a.roles],
            _("No roles recorded yet."),
        ),
    ]


# ------------------------------------------------------------------ the terminal


def analysis_view(a: AnalysisView) -> RenderableType:
    """``analysis REF``: the texts, then each numbered part (the numbers to edit and remove by)."""
    from rich.console import Group
    from rich.text import Text

    from icrctl.render.tables import Column, Trimmed, t, table, word

    head = Text.assemble((a.ref, "bold"), "  ", a.title)
    if a.empty:
        hint = _("no analysis yet: 'icrctl analysis {ref} --problem TEXT' starts one").format(
            ref=a.ref
        )
        return Trimmed(Group(head, Text(hint, style="dim")))
    parts: list[RenderableType] = [head, _texts(a)]
    if a.factors:
        parts.append(
            table(
                _("factors"),
                [
                    Column("#", "key"),
                    Column(_("member"), "key"),
                    Column(_("name"), "text", drop=1, least=12),
                    Column(_("kind")),
                    Column(_("factor"), "text"),
                ],
                [
                    (f.number, f.member, f.name, word(FACTOR_KIND, f.kind), f.text)
                    for f in a.factors
                ],
            )
        )
    if a.interventions:
        parts.append(
            table(
                _("interventions"),
                [
                    Column("#", "key"),
                    Column(_("term")),
                    Column(_("what"), "text"),
                    Column(_("goal"), "text", least=12),
                ],
                [
                    (i.number, word(TERM, i.term), i.text, t(_goal(i.goal, i.goal_text)))
                    for i in a.interventions
                ],
            )
        )
    if a.roles:
        parts.append(
            table(
                _("roles"),
                [
                    Column("#", "key"),
                    Column(_("role"), "text", least=12),
                    Column(_("who"), "text", least=12),
                    Column(_("why"), "text"),
                ],
                [(r.number, r.role, r.name, r.why) for r in a.roles],
            )
        )
    spaced: list[RenderableType] = []
    for part in parts:
        spaced += [Text(""), part] if spaced else [part]
    return Trimmed(Group(*spaced))


def _texts(a: AnalysisView) -> RenderableType:
    """Problem, whom it is about, desired situation: label and text, one a line."""
    from rich.table import Table as Grid
    from rich.text import Text

    from icrctl.render.tables import t

    grid = Grid.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in (
        (_("problem"), a.problem),
        (_("about"), a.about_named),
        (_("desired"), a.desired),
    ):
        grid.add_row(Text(label), t(value))
    return grid
