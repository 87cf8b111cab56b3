"""``icrctl indicator``: the ICR study's 18 indicators, per case and over the caseload."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import click
import typer
from typer.core import TyperCommand

from icrctl.cli.options import Format, FormatOption, RefArg
from icrctl.cli.state import day, out, reading, writing
from icrctl.i18n import _

if TYPE_CHECKING:
    from icrctl.services.indicators import ScoreSet

app = typer.Typer(
    help="The ICR study's 18 indicators: score a case, list, summary.", no_args_is_help=True
)


class ScoreCommand(TyperCommand):
    """``indicator set REF KEY --``: a bare ``--`` at the end would only end the options, and
    click would ask for the score; here it is the score, and refused as the study's scale has
    none (``-- -`` and ``-- --`` still read as click reads them)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[-1] == "--" and args.count("--") == 1:
            args = [*args, "--"]
        return super().parse_args(ctx, args)


class SummaryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


@app.command("set", cls=ScoreCommand)
def set_(
    ref: RefArg,
    key: Annotated[str, typer.Argument(help="The indicator's key or number (indicator list).")],
    score: Annotated[
        str,
        typer.Argument(help="++, +, 0 or - (or plusplus, plus, nul, min).", metavar="SCORE"),
    ],
    note: Annotated[str | None, typer.Option("--note", help="Why this score.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", help="When it was judged. {dates}")
    ] = None,
) -> None:
    """Score one indicator of a case; a new score replaces the old."""
    from icrctl.services.indicators import set_score

    with writing() as (session, ctx):
        done = set_score(session, ctx, ref, key, score, note=note, day=day(date))
    _confirm(done)


def _confirm(done: "ScoreSet") -> None:
    """What ``set`` did, and a warning when the summary does not count it yet."""
    message = _("{key} of {ref} scored {score} on {date}")
    if done.replaced:
        message = _("{key} of {ref} scored {score} on {date} (replaced)")
    out().say(message.format(key=done.key, ref=done.ref, score=done.score, date=done.date))
    if done.not_yet_counted:
        later = _(
            "{key} is judged on closed cases only: the summary counts it once {ref} is closed"
        )
        out().warn(later.format(key=done.key, ref=done.ref))


@app.command("list")
def list_(ref: RefArg, fmt: FormatOption = Format.table) -> None:
    """The 18 indicators of a case: the score given and what the data suggests."""
    from icrctl.render.indicators import indicators_table
    from icrctl.services.indicators import list_indicators

    with reading() as (session, ctx):
        rows = list_indicators(session, ctx, ref)
    out().emit(rows, fmt.value, indicators_table)


@app.command("summary")
def summary(
    closed_since: Annotated[
        str | None,
        typer.Option(
            "--closed-since",
            help="Only the cases still open and those closed on or after this day. {dates}",
        ),
    ] = None,
    fmt: Annotated[
        SummaryFormat,
        typer.Option("--format", "-f", help="table, json, csv or md.", case_sensitive=False),
    ] = SummaryFormat.table,
) -> None:
    """One score per indicator over the cases, summed as the study did."""
    from icrctl.render.indicators import summary_markdown, summary_table
    from icrctl.services.indicators import summary as summarise

    with reading() as (session, _ctx):
        rows = summarise(session, day(closed_since))
    if fmt is SummaryFormat.md:
        click.echo(summary_markdown(rows), nl=False)
    else:
        out().emit(rows, fmt.value, summary_table)
