"""The root of the command line: ``icrctl [--db PATH] [--debug] COMMAND``."""

from typing import Annotated

import typer

from icrctl import __version__
from icrctl.cli import (
    case,
    caseload,
    documents,
    evaluation,
    goal,
    log,
    maintenance,
    member,
    partner,
    phase,
    transfer,
)
from icrctl.cli.state import AppState, IcrGroup

app = typer.Typer(
    cls=IcrGroup,
    name="icrctl",
    help="Case direction for intensive case directors (intensieve casusregie): cases, members, "
    "partners, evaluations and the regiekaart phases, in a local case file.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"icrctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="The case file: a path or an SQLAlchemy URL. Default: $ICRCTL_DB, else "
            "caseload.db in the platform's data folder.",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    ctx.obj = AppState(db=db, debug=debug)


app.command("status")(caseload.status)
app.command("week")(caseload.week)
app.command("check")(caseload.check)
app.add_typer(case.app, name="case")
app.add_typer(member.app, name="member")
app.add_typer(partner.app, name="partner")
app.add_typer(evaluation.app, name="eval")
app.add_typer(phase.app, name="phase")
app.add_typer(log.app, name="log")
app.add_typer(goal.app, name="goal")
app.command("werkplan")(documents.werkplan)
app.command("report")(documents.report)
app.command("import")(transfer.import_)
app.command("export")(transfer.export)
app.command("backup")(maintenance.backup)
app.command("restore")(maintenance.restore)
app.command("doctor")(maintenance.doctor)
app.command("audit")(maintenance.audit)
app.command("retention")(maintenance.retention)


def main() -> None:
    app()
