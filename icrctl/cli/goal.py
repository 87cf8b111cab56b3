"""``icrctl goal``: the goals of the work plan."""

from typing import Annotated

import typer

from icrctl.cli.options import WHOLE, DateHelp, Format, FormatOption, RefArg
from icrctl.cli.state import day, out, reading, writing
from icrctl.domain.text import field_words
from icrctl.domain.vocabulary import GOAL_STATUS
from icrctl.i18n import _

app = typer.Typer(help="Goals of the work plan: Doel / Wie doet / Wat.", no_args_is_help=True)

GoalId = Annotated[
    int, typer.Argument(help="The goal's number (see 'goal list').", click_type=WHOLE)
]
Who = Annotated[str | None, typer.Option("--who", help="Who does it (wie doet).")]
What = Annotated[str | None, typer.Option("--what", help="What they do (wat).")]
Due = Annotated[str | None, typer.Option("--due", help="Due date. {dates}")]


@app.command("add")
def add(
    ref: RefArg,
    goal: Annotated[str, typer.Argument(help="The goal (doel).")],
    who: Who = None,
    what: What = None,
    due: Due = None,
) -> None:
    """Add a goal to the work plan."""
    from icrctl.services.goals import add_goal

    with writing() as (session, ctx):
        g = add_goal(session, ctx, ref, goal, who=who, what=what, due=day(due))
    out().say(_("added goal {id} to {ref}").format(id=g.id, ref=ref))


@app.command("list")
def list_(
    ref: RefArg,
    status: Annotated[
        str | None, typer.Option("--status", help="open, achieved or dropped.")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The goals of a case."""
    from icrctl.render.tables import goals_table
    from icrctl.services.goals import list_goals

    with reading() as (session, _ctx):
        rows = list_goals(session, ref, status)
    out().emit(rows, fmt.value, goals_table)


@app.command("done")
def done(
    ref: RefArg,
    goal: GoalId,
    dropped: Annotated[bool, typer.Option("--dropped", help="Dropped, not achieved.")] = False,
    date: Annotated[str | None, typer.Option("--date", "-d", help=DateHelp)] = None,
) -> None:
    """Mark a goal achieved (or dropped)."""
    from icrctl.services.goals import set_status

    with writing() as (session, ctx):
        g = set_status(session, ctx, ref, goal, "dropped" if dropped else "achieved", day(date))
    out().say(
        _("goal {id} of {ref} is {status} since {date}").format(
            id=g.id, ref=ref, status=GOAL_STATUS.label(g.status), date=g.status_date.isoformat()
        )
    )


@app.command("reopen")
def reopen(ref: RefArg, goal: GoalId) -> None:
    """Open a goal again."""
    from icrctl.services.goals import set_status

    with writing() as (session, ctx):
        g = set_status(session, ctx, ref, goal, "open")
    out().say(_("goal {id} of {ref} is open again").format(id=g.id, ref=ref))


@app.command("edit")
def edit(
    ref: RefArg,
    goal: GoalId,
    text: Annotated[str | None, typer.Option("--goal", help="New wording.")] = None,
    who: Who = None,
    what: What = None,
    due: Due = None,
    no_due: Annotated[bool, typer.Option("--no-due", help="Remove the due date.")] = False,
) -> None:
    """Change a goal's wording, who, what or due date."""
    from icrctl.services.goals import edit_goal

    with writing() as (session, ctx):
        g, changed = edit_goal(
            session, ctx, ref, goal, goal=text, who=who, what=what, due=day(due), clear_due=no_due
        )
    if changed:
        out().say(_("updated goal {id}: {fields}").format(id=g.id, fields=field_words(changed)))
    else:
        out().say(_("goal {id}: nothing changed").format(id=g.id))
