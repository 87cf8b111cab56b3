"""``icrctl eval``: recurring evaluation meetings, what happened at them, what is overdue."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from icrctl.cli.options import WHOLE, DateHelp, Format, FormatOption, RefArg
from icrctl.cli.state import day, out, reading, writing

if TYPE_CHECKING:
    from icrctl.services.evaluations import Occurrence

app = typer.Typer(
    help="Evaluation meetings (evaluatiemomenten): schedule, record, cancel, move, "
    "stop, list, export to a calendar.",
    no_args_is_help=True,
)

DateArg = Annotated[str, typer.Argument(help=DateHelp, show_default=False)]
Keys = Annotated[str | None, typer.Option(help="Member and partner keys, a,b.")]
Time = Annotated[str | None, typer.Option("--time", help="HH:MM, local time (Europe/Amsterdam).")]
Series = Annotated[
    int | None,
    typer.Option("--series", help="Which series (see 'eval series').", click_type=WHOLE),
]


def _keys(text: str | None) -> list[str]:
    from icrctl.services.lookup import split_keys

    return split_keys(text)


def _required(text: str) -> object:
    value = day(text)
    assert value is not None
    return value


@app.command("schedule")
def schedule(
    ref: RefArg,
    every: Annotated[
        str,
        typer.Option(
            "--every", help="1w 2w 3w 4w 1m 2m, or weekly, biweekly, monthly (or the Dutch words)."
        ),
    ],
    weekday: Annotated[
        str | None,
        typer.Option(
            "--weekday",
            help="Weekly kinds: the day "
            "(default: the start's). Monthly: meet on the start's n-th weekday.",
        ),
    ] = None,
    time: Time = None,
    start: Annotated[
        str | None, typer.Option("--start", help="The first day it may meet. {dates}")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="The last possible date.")] = None,
    with_: Annotated[
        str | None, typer.Option("--with", help="Attendees: member and partner keys, a,b.")
    ] = None,
    workdays: Annotated[
        str | None,
        typer.Option(
            "--workdays",
            help="next or previous: a meeting on a weekend or public holiday moves to the "
            "next (previous) working day.",
        ),
    ] = None,
) -> None:
    """Plan a recurring evaluation meeting. Occurrences follow from the rule, never copied."""
    from icrctl.services.evaluation_view import first_meeting
    from icrctl.services.meetings import off_days
    from icrctl.services.meetings import schedule as plan

    with writing() as (session, ctx):
        s = plan(
            session,
            ctx,
            ref,
            every=every,
            weekday=weekday,
            time=time,
            start=day(start),
            until=day(until),
            attendees=_keys(with_),
            workdays=workdays,
        )
        off = off_days(s, ctx.today)
        first = first_meeting(session, s.id)
    when = f" on {s.weekday}" if s.weekday else ""
    kept = f", {s.workdays} working day for a weekend or holiday" if s.workdays else ""
    met = f"first meeting {first.isoformat()}" if first else "no meeting: it ends before it meets"
    out().say(f"scheduled series {s.id} for {ref}: every {s.every}{when} at {s.time}, {met}{kept}")
    if off:
        _warn_days_off(ref, s.id, s.start.isoformat(), off)


def _warn_days_off(ref: str, series: int, start: str, off: list[tuple[dt.date, str]]) -> None:
    """Meetings of a new series on a weekend or public holiday, and how to keep to working days."""
    named = ", ".join(f"{d.isoformat()} {why}" for d, why in off[:3])
    more = ", …" if len(off) > 3 else ""
    out().warn(
        f"{len(off)} meeting(s) in the coming year fall on a weekend or public holiday "
        f"({named}{more}): move them one by one, or stop the series from its start "
        f"('icrctl eval stop {ref} --from {start} --series {series}') and plan it again with "
        "--workdays next or previous"
    )


@app.command("list")
def list_(
    ref: Annotated[str | None, typer.Argument(help="One case; default: every open case.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help=DateHelp)] = None,
    to: Annotated[str | None, typer.Option("--to", help=DateHelp)] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only the overdue ones.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Evaluations by date: by default what is overdue and the next four weeks."""
    from icrctl.render.tables import occurrences_table
    from icrctl.services.evaluation_view import list_evaluations

    with reading() as (session, ctx):
        rows = list_evaluations(session, ctx, ref, day(from_), day(to), overdue)
    out().emit(rows, fmt.value, occurrences_table)


@app.command("show")
def show(
    ref: RefArg,
    date: DateArg,
    series: Series = None,
    time: Annotated[
        str | None, typer.Option("--time", help="HH:MM: which meeting, when two meet that day.")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """One evaluation: whom it invited, who attended, was absent or refused, scores, note."""
    from icrctl.render.tables import evaluation_view
    from icrctl.services.evaluation_view import show_evaluation

    with reading() as (session, ctx):
        view = show_evaluation(session, ctx, ref, _required(date), series, time)  # type: ignore[arg-type]
    out().emit(view, fmt.value, evaluation_view)


@app.command("series")
def series(ref: RefArg, fmt: FormatOption = Format.table) -> None:
    """The evaluation series of a case, with their rules."""
    from icrctl.render.tables import series_table
    from icrctl.services.evaluations import list_series

    with reading() as (session, _):
        rows = list_series(session, ref)
    out().emit(rows, fmt.value, series_table)


@app.command("record")
def record(
    ref: RefArg,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Default: the most recent "
            "unrecorded evaluation up to today. A date outside the series records an "
            "extra meeting.",
        ),
    ] = None,
    attended: Keys = None,
    absent: Keys = None,
    refused: Annotated[
        str | None,
        typer.Option(
            help="Who refused to take part, a,b: noted, and the referrer must be informed."
        ),
    ] = None,
    risk: Annotated[
        int | None, typer.Option("--risk", help="Safety risk, 1 (low) to 5.", click_type=WHOLE)
    ] = None,
    self_reliance: Annotated[
        int | None,
        typer.Option("--self-reliance", help="Self-reliance, 1 (low) to 5.", click_type=WHOLE),
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    time: Time = None,
    series: Series = None,
) -> None:
    """Record what happened at an evaluation."""
    from icrctl.services.meetings import record as record_meeting

    with writing() as (session, ctx):
        r = record_meeting(
            session,
            ctx,
            ref,
            day=day(date),
            attended=_keys(attended),
            absent=_keys(absent),
            refused=_keys(refused),
            risk=risk,
            self_reliance=self_reliance,
            note=note,
            time=time,
            series=series,
        )
    kind = "extra meeting" if r.extra else "evaluation"
    out().say(
        f"recorded the {kind} of {r.occurrence.date.isoformat()} for {ref}{_moved(r.occurrence)}"
    )
    if r.refused:
        to = r.referrer or "the referrer"
        out().warn(f"{', '.join(r.refused)} refused: inform {to} (werkwijze casusregie)")


@app.command("cancel")
def cancel(
    ref: RefArg,
    date: DateArg,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    time: Time = None,
    series: Series = None,
) -> None:
    """Cancel one occurrence; the series stays."""
    from icrctl.services.meetings import cancel as cancel_one

    with writing() as (session, ctx):
        o = cancel_one(session, ctx, ref, _required(date), reason, time, series)  # type: ignore[arg-type]
    out().say(f"cancelled the evaluation of {o.date.isoformat()} for {ref}{_moved(o)}")


def _moved(o: "Occurrence") -> str:
    """Where a moved occurrence was planned, for the confirmation line."""
    return f" (moved there from {o.original.isoformat()})" if o.moved else ""


@app.command("move")
def move(
    ref: RefArg,
    date: DateArg,
    new_date: DateArg,
    time: Annotated[
        str | None, typer.Option("--time", help="The new time, HH:MM (Europe/Amsterdam).")
    ] = None,
    series: Series = None,
) -> None:
    """Move one occurrence to another day or time; the series stays."""
    from icrctl.services.meetings import move as move_one

    with writing() as (session, ctx):
        o = move_one(session, ctx, ref, _required(date), _required(new_date), time, series)  # type: ignore[arg-type]
    out().say(
        f"moved the evaluation of {o.original.isoformat()} for {ref} to "
        f"{o.date.isoformat()} {o.time}"
    )


@app.command("stop")
def stop(
    ref: RefArg,
    from_: Annotated[
        str | None,
        typer.Option("--from", help="First day without meetings (default today). {dates}"),
    ] = None,
    series: Series = None,
) -> None:
    """End a series from a date on."""
    from icrctl.services.meetings import stop as stop_series

    with writing() as (session, ctx):
        s = stop_series(session, ctx, ref, day(from_), series)
    out().say(f"series {s.id} of {ref} stops from {s.stopped_from}")


@app.command("ics")
def ics(
    ref: Annotated[str | None, typer.Argument(help="One case; default: every open case.")] = None,
    out_file: Annotated[Path, typer.Option("--out", help="The .ics file to write.")] = ...,  # type: ignore[assignment]
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    case: Annotated[
        str | None, typer.Option("--case", help="One case (the same as REF).", show_default=False)
    ] = None,
    names: Annotated[
        bool,
        typer.Option(
            "--names",
            help="Add the family name (the case title) and the invited attendees. Default: "
            "only the case ref and 'Evaluatie', for a calendar that syncs to the cloud.",
        ),
    ] = False,
) -> None:
    """Export the next 26 weeks of evaluations as an iCalendar file (UIDs stay stable)."""
    from icrctl.errors import InvalidValue
    from icrctl.services.calendar import export_ics

    if ref is not None and case is not None and ref != case:
        raise InvalidValue(f"two cases given ({ref} and --case {case}): export one, or every one")
    with writing() as (session, ctx):
        w = export_ics(session, ctx, ref or case, out_file, force=force, names=names)
    cancelled = f" ({w.cancelled} cancelled)" if w.cancelled else ""
    out().say(f"wrote {w.events} evaluations{cancelled} to {out_file}")
