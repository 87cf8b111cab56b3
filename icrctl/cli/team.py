"""``icrctl team``: one case file on PostgreSQL for a team, each practitioner a database role."""

from pathlib import Path
from typing import Annotated

import typer

from icrctl.cli.options import Format, FormatOption
from icrctl.cli.state import out, reading, state, writing
from icrctl.i18n import _, ngettext

app = typer.Typer(
    help="Team mode on PostgreSQL: set up the database, add practitioners, move a personal "
    "case file in.",
    no_args_is_help=True,
)

RoleArg = Annotated[str, typer.Argument(help="The practitioner's database role (login name).")]


def team_location() -> str:
    from icrctl.services.team import needs_postgres
    from icrctl.settings import resolve_case_file

    location = resolve_case_file(state().db)
    needs_postgres(location)
    return location


@app.command("init")
def init() -> None:
    """Set up an empty PostgreSQL database for a team (run as its owner)."""
    from icrctl.services.team import init as init_team

    tables = init_team(team_location())
    out().say(
        ngettext(
            "team mode set up: row-level security on {count} table; add practitioners with "
            "'icrctl team add NAME'",
            "team mode set up: row-level security on {count} tables; add practitioners with "
            "'icrctl team add NAME'",
            len(tables),
        ).format(count=len(tables))
    )


@app.command("add")
def add(
    name: RoleArg,
    lead: Annotated[bool, typer.Option("--lead", help="A team lead: sees every case.")] = False,
    display_name: Annotated[
        str | None,
        typer.Option("--display-name", help="The name on documents, e.g. 'A. Jansen'."),
    ] = None,
) -> None:
    """Create a login role for a practitioner (or, with --lead, the team lead)."""
    from icrctl.services.team import add_member

    team_location()
    with writing() as (session, ctx):
        member = add_member(session, ctx, name, lead, display_name)
    message = _("added lead {role}") if member.lead else _("added practitioner {role}")
    out().say_with(message, "role", role=member.role)
    out().say(
        _(
            "set a password in psql with: \\password {role} (never on the command line); "
            "{role} connects with --db postgresql+psycopg://{role}@HOST/DATABASE"
        ).format(role=member.role)
    )


@app.command("list")
def list_(fmt: FormatOption = Format.table) -> None:
    """The team's roles and the names they go by."""
    from icrctl.render.team import team_table
    from icrctl.services.team import members

    team_location()
    with reading() as (session, ctx):
        rows = members(session, ctx)
    out().emit(rows, fmt.value, team_table)


@app.command("migrate")
def migrate(
    source: Annotated[
        Path, typer.Option("--from", help="The personal (SQLite) case file to move in.")
    ],
    regisseur: Annotated[
        str | None,
        typer.Option("--regisseur", help="The role that directs the moved cases (default: you)."),
    ] = None,
) -> None:
    """Move a personal case file into the team database (running it twice adds nothing)."""
    from icrctl.render.tables import import_summary
    from icrctl.services.team import migrate as move

    team_location()
    if not source.is_file():
        from icrctl.errors import NotFound

        raise NotFound(_("no case file at {path}").format(path=source))
    with writing() as (session, ctx):
        moved = move(session, ctx, str(source), regisseur)
    out().console.print(import_summary(moved.result))
    if moved.skipped:
        out().say(
            ngettext(
                "{count} case was in the team database already: {refs}",
                "{count} cases were in the team database already: {refs}",
                len(moved.skipped),
            ).format(count=len(moved.skipped), refs=", ".join(moved.skipped))
        )
    if moved.result.cases_created:
        out().say(_("the new cases are directed by {role}").format(role=moved.owner))
    if moved.result.partners_kept:
        out().say(
            _(
                "the team's directory kept its own entries for {keys}: your file's differ "
                "(see 'icrctl partner show KEY'; the directory is the team's to change)"
            ).format(keys=", ".join(moved.result.partners_kept))
        )


@app.command("check")
def check() -> None:
    """Check team mode's row-level security and grants; exit 1 on a problem."""
    from icrctl.services.team import problems, session_query

    team_location()
    with reading() as (session, _ctx):
        found = problems(session_query(session))
    for line in found:
        out().say(_("problem: {line}").format(line=line))
    if found:
        raise typer.Exit(1)
    out().say(_("team mode: row-level security and grants as 'team init' made them"))
