"""``icrctl status``, ``icrctl week`` and ``icrctl check``: the caseload at a glance."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from icrctl.cli.options import WHOLE, Format, FormatOption
from icrctl.cli.state import out, reading, writing
from icrctl.errors import InvalidValue
from icrctl.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from icrctl.services.caseload import WeekReport
    from icrctl.services.context import Context

PhaseOpt = Annotated[
    int | None, typer.Option("--phase", help="Only cases in this phase.", click_type=WHOLE)
]
StageOpt = Annotated[str | None, typer.Option("--stage", help="Only cases in this stage.")]
Regisseur = Annotated[
    str | None, typer.Option("--regisseur", help="Only this case director's cases.")
]


def status(
    phase: PhaseOpt = None,
    stage: StageOpt = None,
    regisseur: Regisseur = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The open caseload, what needs attention first on top.

    Order: highest phase; most overdue evaluations; most days without contact; most open
    phase-4 checklist items; most signals; then ref.
    """
    from icrctl.render.caseload import status_table
    from icrctl.services.caseload import status as caseload_status

    with reading() as (session, ctx):
        rows = caseload_status(session, ctx, phase=phase, stage=stage, regisseur=regisseur)
    out().emit(rows, fmt.value, status_table)


def week(
    week_: Annotated[
        str | None,
        typer.Option(
            "--week",
            help="ISO week, e.g. 2026-W48. Default: this week (from Saturday on: next week).",
        ),
    ] = None,
    regisseur: Regisseur = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a print-ready HTML page.")
    ] = None,
    markdown: Annotated[Path | None, typer.Option("--markdown", help="Write Markdown.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """The weekly caseload printout: evaluations per day, and per case what changed, what is
    overdue, goals due and signals."""
    from icrctl.io.files import refuse_existing
    from icrctl.render.caseload import week_terminal
    from icrctl.services.caseload import week as week_report

    files = [(p, p.suffix) for p in (html, markdown) if p is not None]
    if html is not None and markdown is not None and html.resolve() == markdown.resolve():
        raise InvalidValue(_("--html and --markdown name the same file"))
    for path, _suffix in files:  # refuse before writing anything: a refused command changes nothing
        refuse_existing(path, force=force)
    with writing() if files else reading() as (session, ctx):
        report = week_report(session, ctx, week_, regisseur)
        if files:
            _save_week(session, ctx, report, html, markdown, force)
    if not files:
        out().console.print(week_terminal(report))
    for path, _suffix in files:
        out().say(
            _("wrote the printout of week {week} to {file}").format(week=report.week, file=path)
        )


def _save_week(
    session: "Session",
    ctx: "Context",
    report: "WeekReport",
    html: Path | None,
    markdown: Path | None,
    force: bool,
) -> None:
    """Write the printout as HTML and as Markdown; the document modules are imported only here,
    the terminal printout needs neither."""
    from icrctl.render.caseload import week_document
    from icrctl.render.documents import render
    from icrctl.services.documents import save_document

    for path, suffix in ((html, ".html"), (markdown, ".md")):
        if path is not None:
            data = render(week_document(report), suffix)
            save_document(session, ctx, None, "week", path, data, force=force)


def check(
    ref: Annotated[str | None, typer.Argument(help="One case; default: every open case.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Signals: what needs attention, with a stable code and what to do. Exit 0 either way."""
    from icrctl.render.caseload import signals_table
    from icrctl.render.signals import message
    from icrctl.services.signals import check as find

    with reading() as (session, ctx):
        found = find(session, ctx, ref)
    if fmt is Format.table:
        out().emit(
            found, "table", lambda rows: signals_table([(r, s.code, message(s)) for r, s in rows])
        )
    else:  # what a script reads is the same in every language: the message too, in English
        out().emit(
            [{"ref": r, "code": s.code, "message": message(s, "en")} for r, s in found],
            fmt.value,
            signals_table,
        )
