"""``icrctl analysis``: the Casus Plus analysis of a case (stage *analysis and plan*).

``icrctl analysis REF`` shows it, sets its texts (``--problem``, ``--about``, ``--desired``) and
writes it as a document (``--out analyse.html``); ``analysis factor``, ``analysis intervention``
and ``analysis role`` add, edit and remove its numbered parts, and ``analysis factor REF …`` is
short for ``analysis factor add REF …`` (the same for the other two)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer
from typer.core import TyperGroup

from icrctl.cli.options import WHOLE, Format, FormatOption, RefArg
from icrctl.cli.state import out, reading, writing
from icrctl.domain.analysis import FACTOR_KIND, TERM
from icrctl.domain.text import field_words
from icrctl.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from icrctl.services.context import Context


class DefaultTo(TyperGroup):
    """A group whose first argument, when it is not one of its commands, is the ref of its
    default command: ``analysis REF`` is ``analysis show REF``, ``analysis factor REF …`` is
    ``analysis factor add REF …``."""

    default = "add"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


class DefaultToShow(DefaultTo):
    default = "show"


app = typer.Typer(
    cls=DefaultToShow,
    no_args_is_help=True,
    help="The Casus Plus analysis: 'icrctl analysis REF' shows it, '--problem/--about/--desired' "
    "set its texts, '--out analyse.html' writes it; 'factor', 'intervention' and 'role' add, "
    "edit and remove its parts.",
)
factor_app = typer.Typer(
    cls=DefaultTo,
    no_args_is_help=True,
    help="Protective factors, risk factors and levers of a member: "
    "'icrctl analysis factor REF MEMBER KIND TEXT' adds one.",
)
intervention_app = typer.Typer(
    cls=DefaultTo,
    no_args_is_help=True,
    help="Interventions for the short or the long term, each linked to a goal: "
    "'icrctl analysis intervention REF short|long TEXT --goal N' adds one.",
)
role_app = typer.Typer(
    cls=DefaultTo,
    no_args_is_help=True,
    help="Per role, the professional who fits best and why: "
    "'icrctl analysis role REF ROLE --partner KEY --why TEXT' adds one.",
)
app.add_typer(factor_app, name="factor")
app.add_typer(intervention_app, name="intervention")
app.add_typer(role_app, name="role")

Number = Annotated[
    int, typer.Argument(help="The part's number (see 'icrctl analysis REF').", click_type=WHOLE)
]
Member = Annotated[str, typer.Argument(help="The member's key (or their name).")]
Kind = Annotated[
    str, typer.Argument(help="protective, risk or lever (beschermend, risico, hefboom).")
]
Term = Annotated[str, typer.Argument(help="short or long (kort, lang).")]
Text = Annotated[str, typer.Argument(help="The text.")]
GoalOption = Annotated[
    int | None,
    typer.Option(
        "--goal", help="The goal it serves (its number, see 'goal list').", click_type=WHOLE
    ),
]
PartnerOption = Annotated[
    str | None, typer.Option("--partner", help="A partner linked to the case, by key.")
]
WhoOption = Annotated[
    str | None, typer.Option("--who", help="A professional not in the directory, by name.")
]


def _confirm(what: str, ref: str, changed: list[str]) -> None:
    """``updated …: fields``, or that nothing changed."""
    if changed:
        out().say(
            _("updated {what} of {ref}: {fields}").format(
                what=what, ref=ref, fields=field_words(changed)
            )
        )
    else:
        out().say(_("{what} of {ref}: nothing changed").format(what=what, ref=ref))


@app.command("show")
def show(
    ref: RefArg,
    problem: Annotated[
        str | None, typer.Option("--problem", help="The problem, in a few lines ('' clears).")
    ] = None,
    about: Annotated[
        str | None,
        typer.Option("--about", help="Whom it is about: names, or member keys (m1, m2)."),
    ] = None,
    desired: Annotated[
        str | None,
        typer.Option("--desired", help="The desired situation, if everything were possible."),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write it as a document: FILE.md or FILE.html."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Show the analysis; set its texts; write it as an internal document."""
    given = {
        name: value
        for name, value in (("problem", problem), ("about", about), ("desired", desired))
        if value is not None
    }
    if out_file is None and not given:
        _show(ref, fmt)
        return
    from icrctl.services.analysis import set_texts

    with writing() as (session, ctx):
        changed = set_texts(session, ctx, ref, **given) if given else None
        if out_file is not None:
            _write(session, ctx, ref, out_file, force)
    if changed is not None:
        _confirm(_("the analysis"), ref, changed)
    if out_file is not None:
        out().say(
            _("wrote the analysis of {ref} to {file} (internal: not to send)").format(
                ref=ref, file=out_file
            )
        )


def _show(ref: str, fmt: Format) -> None:
    from icrctl.render.analysis import analysis_view
    from icrctl.services.access import log_access
    from icrctl.services.analysis import show_analysis

    with reading(logged=True) as (session, ctx):
        view = show_analysis(session, ref)
        log_access(session, ctx, "analysis", [ref])
    out().emit(view, fmt.value, analysis_view)


def _write(session: "Session", ctx: "Context", ref: str, out_file: Path, force: bool) -> None:
    """Render the analysis document by the file's suffix, write it and audit it (internal)."""
    from icrctl.render.analysis import analysis_document
    from icrctl.render.documents import render
    from icrctl.services.analysis import analysis_document as gather
    from icrctl.services.documents import save_document

    doc = gather(session, ctx, ref)
    data = render(analysis_document(doc), out_file.suffix)
    save_document(
        session, ctx, doc.analysis.ref, "analysis", out_file, data, force=force, internal=True
    )


# ------------------------------------------------------------------ factors


@factor_app.command("add")
def factor_add(ref: RefArg, member: Member, kind: Kind, text: Text) -> None:
    """Add a protective factor, a risk factor or a lever of a member."""
    from icrctl.services.analysis import add_factor

    with writing() as (session, ctx):
        f = add_factor(session, ctx, ref, member, kind, text)
    out().say(
        _("added factor {number} to {ref}: {kind} of {name}").format(
            number=f.number, ref=ref, kind=FACTOR_KIND.label(f.kind), name=f.name
        )
    )


@factor_app.command("edit")
def factor_edit(
    ref: RefArg,
    number: Number,
    member: Annotated[str | None, typer.Option("--member", help="Another member.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="protective, risk or lever.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="New wording.")] = None,
) -> None:
    """Change a factor's member, kind or text."""
    from icrctl.services.analysis import edit_factor

    with writing() as (session, ctx):
        f, changed = edit_factor(session, ctx, ref, number, member=member, kind=kind, text=text)
    _confirm(_("factor {number}").format(number=f.number), ref, changed)


@factor_app.command("remove")
def factor_remove(ref: RefArg, number: Number) -> None:
    """Remove a factor (the numbers after it close up)."""
    from icrctl.services.analysis import remove_factor

    with writing() as (session, ctx):
        f = remove_factor(session, ctx, ref, number)
    out().say(
        _("removed factor {number} of {ref}: {kind} of {name}").format(
            number=f.number, ref=ref, kind=FACTOR_KIND.label(f.kind), name=f.name
        )
    )


# ------------------------------------------------------------------ interventions


@intervention_app.command("add")
def intervention_add(ref: RefArg, term: Term, text: Text, goal: GoalOption = None) -> None:
    """Add an intervention for the short or the long term, linked to a goal."""
    from icrctl.services.analysis import add_intervention

    with writing() as (session, ctx):
        i = add_intervention(session, ctx, ref, term, text, goal)
    out().say(
        _("added intervention {number} to {ref} ({term})").format(
            number=i.number, ref=ref, term=TERM.label(i.term)
        )
    )
    if i.goal is None:
        out().warn(
            _("intervention {number} serves no goal yet: link one with '--goal N'").format(
                number=i.number
            )
        )


@intervention_app.command("edit")
def intervention_edit(
    ref: RefArg,
    number: Number,
    term: Annotated[str | None, typer.Option("--term", help="short or long.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="New wording.")] = None,
    goal: GoalOption = None,
    no_goal: Annotated[bool, typer.Option("--no-goal", help="Link it to no goal.")] = False,
) -> None:
    """Change an intervention's term, text or goal."""
    from icrctl.services.analysis import edit_intervention

    with writing() as (session, ctx):
        i, changed = edit_intervention(
            session, ctx, ref, number, term=term, text=text, goal=goal, no_goal=no_goal
        )
    _confirm(_("intervention {number}").format(number=i.number), ref, changed)


@intervention_app.command("remove")
def intervention_remove(ref: RefArg, number: Number) -> None:
    """Remove an intervention (the numbers after it close up)."""
    from icrctl.services.analysis import remove_intervention

    with writing() as (session, ctx):
        i = remove_intervention(session, ctx, ref, number)
    out().say(_("removed intervention {number} of {ref}").format(number=i.number, ref=ref))


# ------------------------------------------------------------------ roles


@role_app.command("add")
def role_add(
    ref: RefArg,
    role: Annotated[str, typer.Argument(help="The role, e.g. procesregie or 'hulp kind'.")],
    why: Annotated[str, typer.Option("--why", help="Why they fit it best.")],
    partner: PartnerOption = None,
    who: WhoOption = None,
) -> None:
    """Name the professional who fits a role best, and why."""
    from icrctl.services.analysis import add_role

    with writing() as (session, ctx):
        r = add_role(session, ctx, ref, role, why, partner=partner, who=who)
    out().say(
        _("added role {number} to {ref}: {role}, {name}").format(
            number=r.number, ref=ref, role=r.role, name=r.name
        )
    )


@role_app.command("edit")
def role_edit(
    ref: RefArg,
    number: Number,
    role: Annotated[str | None, typer.Option("--role", help="New wording of the role.")] = None,
    partner: PartnerOption = None,
    who: WhoOption = None,
    why: Annotated[str | None, typer.Option("--why", help="Why they fit it best.")] = None,
) -> None:
    """Change a role, who fits it, or why."""
    from icrctl.services.analysis import edit_role

    with writing() as (session, ctx):
        r, changed = edit_role(
            session, ctx, ref, number, role=role, partner=partner, who=who, why=why
        )
    _confirm(_("role {number}").format(number=r.number), ref, changed)


@role_app.command("remove")
def role_remove(ref: RefArg, number: Number) -> None:
    """Remove a role (the numbers after it close up)."""
    from icrctl.services.analysis import remove_role

    with writing() as (session, ctx):
        r = remove_role(session, ctx, ref, number)
    out().say(_("removed role {number} of {ref}").format(number=r.number, ref=ref))
