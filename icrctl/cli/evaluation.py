"""``icrctl eval``: recurring evaluation meetings, what happened at them, what is overdue."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from icrctl.cli.documents import Kind, write_meeting_report
from icrctl.cli.options import WHOLE, DateHelp, Format, FormatOption, RefArg
from icrctl.cli.state import day, out, reading, writing
from icrctl.i18n import _, ngettext

if TYPE_CHECKING:
    from icrctl.services.agreements import Where
    from icrctl.services.evaluations import Occurrence, SeriesRow

app = typer.Typer(
    help="Evaluation meetings (evaluatiemomenten): schedule, record, cancel, move, "
    "stop, list, export to a calendar.",
    no_args_is_help=True,
)

DateArg = Annotated[str, typer.Argument(help=DateHelp, show_default=False)]
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
        str | None,
        typer.Option("--with", "-w", help="Attendees: member and partner keys, a,b."),
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
    out().say(_scheduled(ref, s, first))
    if off:
        _warn_days_off(ref, s.id, s.start.isoformat(), off)


def _scheduled(ref: str, s: "SeriesRow", first: dt.date | None) -> str:
    """The confirmation of a new series: its rule, its first meeting, its working days."""
    from icrctl.domain.vocabulary import WEEKDAY

    if s.weekday:
        rule = _("every {every} on {weekday} at {time}").format(
            every=s.every, weekday=WEEKDAY.label(s.weekday), time=s.time
        )
    else:
        rule = _("every {every} at {time}").format(every=s.every, time=s.time)
    if first is not None:
        met = _("first meeting {date}").format(date=first.isoformat())
    else:
        met = _("no meeting: it ends before it meets")
    if s.workdays == "previous":
        kept = _("previous working day for a weekend or holiday")
    elif s.workdays:
        kept = _("next working day for a weekend or holiday")
    else:
        return _("scheduled series {series} for {ref}: {rule}, {first}").format(
            series=s.id, ref=ref, rule=rule, first=met
        )
    return _("scheduled series {series} for {ref}: {rule}, {first}, {workdays}").format(
        series=s.id, ref=ref, rule=rule, first=met, workdays=kept
    )


def _warn_days_off(ref: str, series: int, start: str, off: list[tuple[dt.date, str]]) -> None:
    """Meetings of a new series on a weekend or public holiday, and how to keep to working days."""
    from icrctl.domain.recurrence import day_off_label

    named = ", ".join(f"{d.isoformat()} {day_off_label(why)}" for d, why in off[:3])
    more = ", …" if len(off) > 3 else ""
    out().warn(
        ngettext(
            "{count} meeting in the coming year falls on a weekend or public holiday "
            "({days}): move it, or stop the series from its start "
            "('icrctl eval stop {ref} --from {start} --series {series}') and plan it again with "
            "--workdays next or previous",
            "{count} meetings in the coming year fall on a weekend or public holiday "
            "({days}): move them one by one, or stop the series from its start "
            "('icrctl eval stop {ref} --from {start} --series {series}') and plan it again with "
            "--workdays next or previous",
            len(off),
        ).format(count=len(off), days=named + more, ref=ref, start=start, series=series)
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
    from icrctl.services.access import log_access
    from icrctl.services.evaluation_view import show_evaluation

    with reading(logged=True) as (session, ctx):
        view = show_evaluation(session, ctx, ref, _required(date), series, time)  # type: ignore[arg-type]
        log_access(session, ctx, "meeting", [ref])
    out().emit(view, fmt.value, evaluation_view)


@app.command("series")
def series(ref: RefArg, fmt: FormatOption = Format.table) -> None:
    """The evaluation series of a case, with their rules."""
    from icrctl.render.tables import series_table
    from icrctl.services.evaluations import list_series

    with reading() as (session, _ctx):
        rows = list_series(session, ref)
    out().emit(rows, fmt.value, series_table)


@app.command("record")
def record(
    ref: RefArg,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            help="Default: the most recent "
            "unrecorded evaluation up to today. A date outside the series records an "
            "extra meeting.",
        ),
    ] = None,
    attended: Annotated[
        str | None,
        typer.Option(
            help="Who attended: keys of members and partners, comma-separated (m1,vt-devos)."
        ),
    ] = None,
    absent: Annotated[
        str | None,
        typer.Option(help="Who was absent: keys of members and partners, comma-separated."),
    ] = None,
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
    if r.extra:
        done = _("recorded the extra meeting of {date} for {ref}")
    else:
        done = _("recorded the evaluation of {date} for {ref}")
    out().say(_moved(done.format(date=r.occurrence.date.isoformat(), ref=ref), r.occurrence))
    if r.refused:
        names, count = ", ".join(r.refused), len(r.refused)
        if r.referrer:
            warning = ngettext(
                "{names} refused: inform {referrer} (werkwijze casusregie)",
                "{names} refused: inform {referrer} (werkwijze casusregie)",
                count,
            ).format(names=names, referrer=r.referrer)
        else:
            warning = ngettext(
                "{names} refused: inform the referrer (werkwijze casusregie)",
                "{names} refused: inform the referrer (werkwijze casusregie)",
                count,
            ).format(names=names)
        out().warn(warning)


Which = Annotated[
    str | None,
    typer.Option("--time", help="HH:MM: which meeting, when two meet that day."),
]


def _where(date: str, series: int | None, time: str | None) -> "Where":
    """The meeting a command names: its date, and the series or time that pick it."""
    from icrctl.services.agreements import Where

    when = day(date)
    assert when is not None
    return Where(when, series, time)


@app.command("agree")
def agree(
    ref: RefArg,
    date: DateArg,
    what: Annotated[
        str | None,
        typer.Argument(help="What was agreed (not with --drop).", show_default=False),
    ] = None,
    who: Annotated[
        str | None, typer.Option("--who", help="Who does it: names or member/partner keys.")
    ] = None,
    due: Annotated[str | None, typer.Option("--due", help="By when. {dates}")] = None,
    goal: Annotated[
        int | None,
        typer.Option("--goal", help="The goal it serves (its number).", click_type=WHOLE),
    ] = None,
    drop: Annotated[
        int | None,
        typer.Option(
            "--drop", help="Remove agreement N; the later ones move up.", click_type=WHOLE
        ),
    ] = None,
    series: Series = None,
    time: Which = None,
) -> None:
    """Record an agreement made at a held evaluation: who does what, by when."""
    from icrctl.services import agreements

    with writing() as (session, ctx):
        if drop is not None:
            _no_text(what, "--drop")
            n = agreements.drop_agreement(session, ctx, ref, _where(date, series, time), drop)
        else:
            where, text = _where(date, series, time), _given(what)
            n = agreements.agree(session, ctx, ref, where, text, who=who, due=day(due), goal=goal)
    assert n.agreement is not None
    done = (
        _("removed agreement {number} of the evaluation of {date} for {ref}")
        if drop is not None
        else _("recorded agreement {number} of the evaluation of {date} for {ref}")
    )
    out().say(done.format(number=n.agreement.number, date=n.date.isoformat(), ref=n.ref))


@app.command("discuss")
def discuss(
    ref: RefArg,
    date: DateArg,
    goal: Annotated[int, typer.Argument(help="The goal's number.", click_type=WHOLE)],
    note: Annotated[
        str | None,
        typer.Argument(help="What was discussed (replaces what was noted).", show_default=False),
    ] = None,
    drop: Annotated[
        bool, typer.Option("--drop", help="Remove what was noted about the goal.")
    ] = False,
    series: Series = None,
    time: Which = None,
) -> None:
    """Record what was discussed about a goal at a held evaluation."""
    from icrctl.services import agreements

    with writing() as (session, ctx):
        if drop:
            _no_text(note, "--drop")
            n = agreements.drop_discussion(session, ctx, ref, _where(date, series, time), goal)
        else:
            where, text = _where(date, series, time), _given(note)
            n = agreements.discuss(session, ctx, ref, where, goal, text)
    if drop:
        done = _("removed the note on goal {goal} of the evaluation of {date} for {ref}")
    elif n.replaced:
        done = _("replaced the note on goal {goal} of the evaluation of {date} for {ref}")
    else:
        done = _("noted goal {goal} at the evaluation of {date} for {ref}")
    out().say(done.format(goal=goal, date=n.date.isoformat(), ref=n.ref))


def _given(text: str | None) -> str:
    """The text argument, required unless --drop."""
    from icrctl.errors import InvalidValue

    if text is None:
        raise InvalidValue(_("give the text, or --drop"))
    return text


def _no_text(text: str | None, option: str) -> None:
    from icrctl.errors import InvalidValue

    if text is not None:
        raise InvalidValue(_("{option} takes no text").format(option=option))


@app.command("cancel")
def cancel(
    ref: RefArg,
    date: DateArg,
    reason: Annotated[str | None, typer.Option("--reason", "-r")] = None,
    time: Time = None,
    series: Series = None,
) -> None:
    """Cancel one occurrence; the series stays."""
    from icrctl.services.meetings import cancel as cancel_one

    with writing() as (session, ctx):
        o = cancel_one(session, ctx, ref, _required(date), reason, time, series)  # type: ignore[arg-type]
    done = _("cancelled the evaluation of {date} for {ref}")
    out().say(_moved(done.format(date=o.date.isoformat(), ref=ref), o))


def _moved(message: str, o: "Occurrence") -> str:
    """The confirmation ``message``, with where a moved occurrence was planned."""
    if not o.moved:
        return message
    return _("{message} (moved there from {original})").format(
        message=message, original=o.original.isoformat()
    )


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
        _("moved the evaluation of {original} for {ref} to {date} {time}").format(
            original=o.original.isoformat(), ref=ref, date=o.date.isoformat(), time=o.time
        )
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
    out().say(
        _("series {series} of {ref} stops from {date}").format(
            series=s.id, ref=ref, date=s.stopped_from
        )
    )


@app.command("ics")
def ics(
    ref: Annotated[str | None, typer.Argument(help="One case; default: every open case.")] = None,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="The .ics file to write.")] = ...,  # type: ignore[assignment]
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
        raise InvalidValue(
            _("two cases given ({ref} and --case {case}): export one, or every one").format(
                ref=ref, case=case
            )
        )
    with writing() as (session, ctx):
        w = export_ics(session, ctx, ref or case, out_file, force=force, names=names)
    if w.cancelled:
        wrote = ngettext(
            "wrote {count} evaluation ({cancelled} cancelled) to {file}",
            "wrote {count} evaluations ({cancelled} cancelled) to {file}",
            w.events,
        )
    else:
        wrote = ngettext(
            "wrote {count} evaluation to {file}", "wrote {count} evaluations to {file}", w.events
        )
    out().say(wrote.format(count=w.events, cancelled=w.cancelled, file=out_file))


@app.command("report")
def report(
    ref: RefArg,
    date: Annotated[
        str,
        typer.Argument(
            help="The meeting: the date it took place, or the date it was planned on.",
            show_default=False,
        ),
    ],
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="FILE.md or FILE.html; with --for all a folder. Default: print it.",
        ),
    ] = None,
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--format",
            "-f",
            help="md or html. Default: the file's suffix; html into a folder, md when printed.",
        ),
    ] = None,
    for_: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="A partner's key: the version for that partner, refused without the client's "
            "consent. 'all': one file per consenting partner into the folder --out.",
        ),
    ] = None,
    internal: Annotated[
        bool,
        typer.Option(
            "--internal",
            help="The practitioner's own copy, with the meeting's note and the safety "
            "signals: not to send.",
        ),
    ] = False,
    series: Series = None,
    time: Which = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write the report of a held evaluation: attendance, scores, goals, agreements, next."""
    write_meeting_report(ref, _where(date, series, time), out_path, kind, for_, internal, force)
