"""``icrctl log``: the contact log. ``icrctl log REF NOTE --kind …`` adds an entry."""

from typing import Annotated

import click
import typer
from typer.core import TyperGroup

from icrctl.cli.options import DateHelp, Format, FormatOption, RefArg
from icrctl.cli.state import day, out, reading, writing
from icrctl.domain.vocabulary import CONTACT_KIND
from icrctl.i18n import _


class DefaultToAdd(TyperGroup):
    """``log REF NOTE`` means ``log add REF NOTE``; ``log list REF`` lists."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["add", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["add", "list"]


app = typer.Typer(
    cls=DefaultToAdd,
    no_args_is_help=True,
    help="The contact log: 'icrctl log REF NOTE --kind visit' adds a contact, "
    "'icrctl log list REF' shows them.",
)


@app.command("add")
def add(
    ref: RefArg,
    note: Annotated[str, typer.Argument(help="What happened.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="visit, phone, message, meeting, email or report "
            "(huisbezoek, telefoon, bericht, overleg, melding); a closed case takes a report "
            "only.",
        ),
    ],
    with_: Annotated[
        str | None, typer.Option("--with", "-w", help="Member and partner keys, a,b.")
    ] = None,
    date: Annotated[str | None, typer.Option("--date", "-d", help=DateHelp)] = None,
    signal: Annotated[
        bool,
        typer.Option(
            "--signal", help="A safety signal: structural unsafety or under-the-radar violence."
        ),
    ] = False,
) -> None:
    """Log a contact with members or partners (a closed case: a report only)."""
    from icrctl.services.aftercare import held_by
    from icrctl.services.contacts import log_contact
    from icrctl.services.lookup import split_keys

    with writing() as (session, ctx):
        c = log_contact(
            session,
            ctx,
            ref,
            note,
            kind=kind,
            with_=split_keys(with_),
            day=day(date),
            signal=signal,
        )
        follow_up = held_by(session, c.id)
    said = (
        _("logged {kind} of {date} for {ref} (safety signal)")
        if c.signal
        else _("logged {kind} of {date} for {ref}")
    )
    out().say(said.format(kind=CONTACT_KIND.label(c.kind), date=c.date.isoformat(), ref=ref))
    if follow_up is not None:
        out().say(
            _("it holds the aftercare follow-up contact due {due}").format(
                due=follow_up.isoformat()
            )
        )


@app.command("list")
def list_(
    ref: RefArg,
    from_: Annotated[str | None, typer.Option("--from", help=DateHelp)] = None,
    to: Annotated[str | None, typer.Option("--to", help=DateHelp)] = None,
    signals: Annotated[bool, typer.Option("--signals", help="Only safety signals.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """The contacts of a case, oldest first."""
    from icrctl.render.tables import contacts_table
    from icrctl.services.access import log_access
    from icrctl.services.contacts import list_contacts

    with reading(logged=True) as (session, ctx):
        rows = list_contacts(session, ref, day(from_), day(to), signals)
        log_access(session, ctx, "contact", [ref])
    out().emit(rows, fmt.value, contacts_table)
