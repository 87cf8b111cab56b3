"""``icrctl phase``: the Zeeland regiekaart (de-)escaleren."""

from typing import TYPE_CHECKING, Annotated

import typer

from icrctl.cli.options import WHOLE, DateHelp, Format, FormatOption, RefArg
from icrctl.cli.state import day, out, reading, writing
from icrctl.domain.vocabulary import REGIE
from icrctl.i18n import N_, _

if TYPE_CHECKING:
    from icrctl.services.phases import PhaseSet

app = typer.Typer(
    help="The regiekaart phases: escalate, de-escalate, history, who holds which "
    "role, the phase-4 checklist.",
    no_args_is_help=True,
)

#: Who holds casusregie after a handover, one whole sentence per holder.
HELD_BY = {
    "professional": N_("casusregie now held by the professional (was: {previous})"),
    "client": N_("casusregie now held by the client (was: {previous})"),
}


@app.command("set")
def set_(
    ref: RefArg,
    phase: Annotated[int, typer.Argument(help="1, 2, 3 or 4.", click_type=WHOLE)],
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why (required).")] = None,
    date: Annotated[str | None, typer.Option("--date", "-d", help=DateHelp)] = None,
    track: Annotated[
        str | None,
        typer.Option(
            "--track", help="Phase 4: care (zorgcalamiteit) or social (calamiteit sociaal domein)."
        ),
    ] = None,
    regie: Annotated[
        str | None,
        typer.Option(
            "--regie",
            help="Hand casusregie over in the same step: professional or client (cliënt).",
        ),
    ] = None,
) -> None:
    """Record a phase change, checked against the regiekaart's rules."""
    from icrctl.services.phases import set_phase

    with writing() as (session, ctx):
        r = set_phase(session, ctx, ref, phase, reason, day(date), track, regie)
    _say_phase_set(ref, r)


def _say_phase_set(ref: str, r: "PhaseSet") -> None:
    """What a phase change did: the step, a handover of casusregie, procesregie ended, and the
    phase-4 checklist to work through."""
    way = (
        _("{ref} escalated from phase {previous} to {phase} ({name}) on {date}")
        if r.phase > r.previous
        else _("{ref} de-escalated from phase {previous} to {phase} ({name}) on {date}")
    )
    out().say(
        way.format(
            ref=ref, previous=r.previous, phase=r.phase, name=r.name, date=r.date.isoformat()
        )
    )
    if r.regie is not None:
        previous = REGIE.label(r.previous_regie) if r.previous_regie else ""
        out().say(_(HELD_BY[r.regie]).format(previous=previous))
    if r.procesregie_ended:
        out().say(
            _(
                "procesregie ended: the regiekaart names nobody for it in phase {phase} ({name})"
            ).format(phase=r.phase, name=r.name)
        )
    if r.checklist:
        from icrctl.render.signals import checklist_duties

        duties = checklist_duties((c.track, c.item) for c in r.checklist)
        out().say(_("to inform: {items}").format(items=duties))
        out().say(_("tick off with 'icrctl phase inform {ref} ITEM'").format(ref=ref))


@app.command("history")
def history(ref: RefArg, fmt: FormatOption = Format.table) -> None:
    """Every phase change, oldest first."""
    from icrctl.render.tables import phase_history_table
    from icrctl.services.phases import history as phase_history

    with reading() as (session, _ctx):
        rows = phase_history(session, ref)
    if fmt is Format.table:
        out().emit(rows, "table", phase_history_table)
    else:
        out().emit(
            [
                {
                    "date": r.date,
                    "phase": r.phase,
                    "reason": r.reason,
                    "track": r.track,
                    "recorded_at": r.recorded_at,
                }
                for r in rows
            ],
            fmt.value,
            phase_history_table,
        )


@app.command("show")
def show(ref: RefArg, fmt: FormatOption = Format.table) -> None:
    """The current phase, what it means, and who holds each role in this case's framework."""
    from icrctl.render.tables import phase_view
    from icrctl.services.phases import show as phase_show

    with reading() as (session, ctx):
        view = phase_show(session, ctx, ref)
    out().emit(view, fmt.value, phase_view)


@app.command("checklist")
def checklist(ref: RefArg, fmt: FormatOption = Format.table) -> None:
    """Who must be informed after an escalation to phase 4, and who has been."""
    from icrctl.render.tables import checklist_table
    from icrctl.services.lookup import get_case
    from icrctl.services.phases import checklist as items

    with reading() as (session, _ctx):
        rows = items(session, get_case(session, ref))
    out().emit(rows, fmt.value, checklist_table)


@app.command("inform")
def inform(
    ref: RefArg,
    items: Annotated[
        str,
        typer.Argument(
            help="Checklist items, comma-separated: aov,local_triangle (or the Dutch words: "
            "lokale_driehoek, burgemeester, …).",
            show_default=False,
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option("--date", "-d", help="When they were informed (default today). {dates}"),
    ] = None,
    time: Annotated[
        str | None,
        typer.Option("--time", help="At what time, HH:MM, local time (default: now)."),
    ] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Open the items again.")] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Who did it, e.g. 'afdeling Zorg, J. Jansen' (default: the regisseur for the "
            "ICR's own items, else whom the regiekaart names).",
        ),
    ] = None,
) -> None:
    """Tick phase-4 checklist items off: they have been informed (with the day, time and who)."""
    from icrctl.domain.dates import local_from_utc
    from icrctl.domain.regiekaart import checklist_label
    from icrctl.services.phases import inform as tick_off

    with writing() as (session, ctx):
        rows = tick_off(session, ctx, ref, items, day(date), time, undo, by)
    for r in rows:
        when = local_from_utc(r.done_at) if r.done_at else None
        said = (
            _("{ref}: {item} ({label}) on {date} at {time}, by {who}")
            if when
            else _("{ref}: {item} ({label}) open again")
        )
        out().say(
            said.format(
                ref=ref,
                item=r.item,
                label=checklist_label(r.track, r.item),
                date=f"{when:%Y-%m-%d}" if when else "",
                time=f"{when:%H:%M}" if when else "",
                who=r.done_by or "",
            )
        )
