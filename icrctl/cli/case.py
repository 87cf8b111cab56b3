"""``icrctl case``: create, list, show, edit; stages, closing and reopening."""

from typing import TYPE_CHECKING, Annotated

import typer

from icrctl.cli.options import WHOLE, DateHelp, Format, FormatOption, RefArg
from icrctl.cli.state import confirm, day, out, reading, writing
from icrctl.domain.text import field_words
from icrctl.domain.vocabulary import STAGE
from icrctl.i18n import _, ngettext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from icrctl.services.cases import CaseInput
    from icrctl.services.context import Context

app = typer.Typer(
    help="Cases: create, list, show, edit, move through the stages, close, reopen.",
    no_args_is_help=True,
)

Title = Annotated[str | None, typer.Option("--title", "-t", help="e.g. 'Familie De Vries'.")]
Opened = Annotated[str | None, typer.Option("--opened", help="When the case opened. {dates}")]
PhaseOpt = Annotated[
    int | None, typer.Option("--phase", help="The regiekaart phase, 1-4.", click_type=WHOLE)
]
Track = Annotated[str | None, typer.Option("--track", help="Phase 4 only: care or social.")]
Framework = Annotated[str | None, typer.Option("--framework", help="voluntary or compulsory.")]
Regie = Annotated[
    str | None, typer.Option("--regie", help="Who holds casusregie: professional or client.")
]
Casusregie = Annotated[
    str | None,
    typer.Option(
        "--casusregie",
        help="Who holds casusregie: client, icr (the case director) or a linked partner's key.",
    ),
]
Procesregie = Annotated[
    str | None,
    typer.Option(
        "--procesregie", help="Who holds procesregie: icr, a linked partner's key, or none."
    ),
]
Regiebehandelaar = Annotated[
    str | None,
    typer.Option(
        "--regiebehandelaar", help="The lead practitioner: a linked partner's key, or none."
    ),
]
Regisseur = Annotated[str | None, typer.Option("--regisseur", help="The case director's name.")]
Referrer = Annotated[str | None, typer.Option("--referrer", help="Who referred the case.")]
Violence = Annotated[
    str | None,
    typer.Option(
        "--violence",
        help="Kinds of violence, a,b: "
        "physical, psychological, sexual, financial, neglect, "
        "stalking, elder_abuse.",
    ),
]
Domains = Annotated[str | None, typer.Option("--domains", help="Life domains with problems, a,b.")]
DateOpt = Annotated[str | None, typer.Option("--date", "-d", help=DateHelp)]
PlanSigned = Annotated[
    str | None, typer.Option("--plan-signed", help="When the family signed the process plan.")
]


def _input(
    *,
    title: str | None = None,
    opened: str | None = None,
    phase: int | None = None,
    track: str | None = None,
    framework: str | None = None,
    regie: str | None = None,
    regisseur: str | None = None,
    referrer: str | None = None,
    violence: str | None = None,
    domains: str | None = None,
    plan_signed: str | None = None,
    retention_until: str | None = None,
    casusregie: str | None = None,
    procesregie: str | None = None,
    regiebehandelaar: str | None = None,
) -> "CaseInput":
    from icrctl.services.cases import CaseInput

    return CaseInput(
        title=title,
        opened=day(opened),
        phase=phase,
        track=track,
        framework=framework,
        regie=regie,
        regisseur=regisseur,
        referrer=referrer,
        violence=None if violence is None else violence.split(","),
        domains=None if domains is None else domains.split(","),
        plan_signed=day(plan_signed),
        retention_until=day(retention_until),
        casusregie=casusregie,
        procesregie=procesregie,
        regiebehandelaar=regiebehandelaar,
    )


def _warn_all(notes: list[str]) -> None:
    """The regiekaart's words on a holder it names only in consultation (in overleg)."""
    for note in notes:
        out().warn(note)


@app.command("create")
def create(
    ref: RefArg,
    title: Title = None,
    opened: Opened = None,
    phase: PhaseOpt = None,
    track: Track = None,
    framework: Framework = None,
    regie: Regie = None,
    casusregie: Casusregie = None,
    procesregie: Procesregie = None,
    regisseur: Regisseur = None,
    referrer: Referrer = None,
    violence: Violence = None,
    domains: Domains = None,
    plan_signed: PlanSigned = None,
) -> None:
    """Open a case. It starts in stage inventory; its first phase is recorded on the opening day."""
    from icrctl.services.cases import create_case

    data = _input(
        title=title,
        opened=opened,
        phase=phase,
        track=track,
        framework=framework,
        regie=regie,
        regisseur=regisseur,
        referrer=referrer,
        violence=violence,
        domains=domains,
        plan_signed=plan_signed,
        casusregie=casusregie,
        procesregie=procesregie,
    )
    notes: list[str] = []
    with writing() as (session, ctx):
        made = create_case(session, ctx, ref, data, notes)
    out().say_with(
        _("created case {ref} (phase {phase}, stage {stage})"),
        "ref",
        ref=made.ref,
        phase=made.phase,
        stage=STAGE.label(made.stage),
    )
    _warn_all(notes)
    if made.checklist and track is not None:
        from icrctl.domain.regiekaart import parse_track
        from icrctl.render.signals import checklist_duties

        duties = checklist_duties((parse_track(track), code) for code in made.checklist)
        out().say(_("phase 4: inform {items} ('icrctl phase inform')").format(items=duties))


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Open and closed cases.")] = False,
    closed: Annotated[bool, typer.Option("--closed", help="Closed cases only.")] = False,
    phase: PhaseOpt = None,
    stage: Annotated[str | None, typer.Option("--stage", help="Only cases in this stage.")] = None,
    regisseur: Regisseur = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The caseload: open cases unless --all or --closed."""
    from icrctl.render.tables import cases_table
    from icrctl.services.caseview import list_cases

    which = "all" if all_ else "closed" if closed else "open"
    with reading() as (session, ctx):
        rows = list_cases(session, ctx, which=which, phase=phase, stage=stage, regisseur=regisseur)
    out().emit(rows, fmt.value, cases_table)


@app.command("show")
def show(ref: RefArg, fmt: FormatOption = Format.table) -> None:
    """Everything about one case on one screen."""
    from icrctl.render.tables import case_view
    from icrctl.services.access import log_access
    from icrctl.services.caseview import details

    with reading(logged=True) as (session, ctx):
        view = details(session, ctx, ref)
        log_access(session, ctx, "case", [view.ref])
    out().emit(view, fmt.value, case_view)


@app.command("edit")
def edit(
    ref: RefArg,
    title: Title = None,
    opened: Opened = None,
    phase: PhaseOpt = None,
    framework: Framework = None,
    regie: Regie = None,
    casusregie: Casusregie = None,
    procesregie: Procesregie = None,
    regiebehandelaar: Regiebehandelaar = None,
    regisseur: Regisseur = None,
    referrer: Referrer = None,
    violence: Violence = None,
    domains: Domains = None,
    plan_signed: PlanSigned = None,
    retention_until: Annotated[
        str | None, typer.Option("--retention-until", help="Closed cases: keep until this date.")
    ] = None,
) -> None:
    """Change a case's fields. A change of framework, regie or of who holds a role is kept as an
    event of the case."""
    from icrctl.services.cases import edit_case

    data = _input(
        title=title,
        opened=opened,
        phase=phase,
        framework=framework,
        regie=regie,
        regisseur=regisseur,
        referrer=referrer,
        violence=violence,
        domains=domains,
        plan_signed=plan_signed,
        retention_until=retention_until,
        casusregie=casusregie,
        procesregie=procesregie,
        regiebehandelaar=regiebehandelaar,
    )
    notes: list[str] = []
    with writing() as (session, ctx):
        changed = edit_case(session, ctx, ref, data, notes)
    if changed:
        out().say(_("updated {name}: {fields}").format(name=ref, fields=field_words(changed)))
    else:
        out().say(_("{name}: nothing changed").format(name=ref))
    _warn_all(notes)


@app.command("stage")
def stage(
    ref: RefArg,
    stage: Annotated[
        str, typer.Argument(help="inventory, analysis, execution or aftercare (or the Dutch word).")
    ],
    date: DateOpt = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            "-r",
            help="Why (kept in the stage history); required when the move skips a stage.",
        ),
    ] = None,
) -> None:
    """Move a case to another working stage; skipping one needs a reason."""
    from icrctl.services.aftercare import list_follow_ups
    from icrctl.services.cases import set_stage

    with writing() as (session, ctx):
        change = set_stage(session, ctx, ref, stage, day(date), reason)
        planned = list_follow_ups(session, ctx, ref) if change.stage == "aftercare" else []
    out().say(
        _("{ref} is in stage {stage} since {date}").format(
            ref=ref, stage=STAGE.label(change.stage), date=change.date.isoformat()
        )
    )
    if planned:
        out().say(
            _("aftercare follow-up contacts due: {dates} ('icrctl case aftercare {ref}')").format(
                dates=", ".join(f.due.isoformat() for f in planned if f.done is None), ref=ref
            )
        )


@app.command("aftercare")
def aftercare(
    ref: RefArg,
    add: Annotated[
        str | None, typer.Option("--add", help="Plan one more follow-up, due then. {dates}")
    ] = None,
    drop: Annotated[
        str | None, typer.Option("--drop", help="Drop the follow-up due then (not a held one).")
    ] = None,
    done: Annotated[
        str | None, typer.Option("--done", help="Mark the follow-up due then as held.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="With --done: the day it was held (default today).")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The follow-up contacts of aftercare: list them, or add, drop or mark one held."""
    from icrctl.render.tables import follow_ups_table
    from icrctl.services import aftercare as service

    given = [name for name, value in (("--add", add), ("--drop", drop), ("--done", done)) if value]
    _one_change(given, on)
    if not given:
        with reading() as (session, ctx):
            rows = service.list_follow_ups(session, ctx, ref)
        out().emit(rows, fmt.value, follow_ups_table)
        return
    with writing() as (session, ctx):
        said = _change(session, ctx, ref, add, drop, done, on)
    out().say(said)


def _change(
    session: "Session",
    ctx: "Context",
    ref: str,
    add: str | None,
    drop: str | None,
    done: str | None,
    on: str | None,
) -> str:
    """Add, drop or mark held one follow-up; the confirmation line."""
    from icrctl.services import aftercare as service

    if add:
        due = service.add_follow_up(session, ctx, ref, day(add) or ctx.today)
        return _("{ref}: follow-up planned on {due}").format(ref=ref, due=due.isoformat())
    if drop:
        due = service.drop_follow_up(session, ctx, ref, day(drop) or ctx.today)
        return _("{ref}: follow-up due {due} dropped").format(ref=ref, due=due.isoformat())
    due = day(done) or ctx.today
    held = service.mark_held(session, ctx, ref, due, day(on))
    return _("{ref}: follow-up due {due} held on {on}").format(
        ref=ref, due=due.isoformat(), on=held.isoformat()
    )


def _one_change(given: list[str], on: str | None) -> None:
    """At most one of --add, --drop, --done; --on only with --done."""
    from icrctl.errors import InvalidValue

    if len(given) > 1:
        raise InvalidValue(
            _("give one of --add, --drop, --done at a time, not {options}").format(
                options=" ".join(given)
            )
        )
    if on is not None and given != ["--done"]:
        raise InvalidValue(_("--on goes with --done: the day the follow-up was held"))


@app.command("close")
def close(
    ref: RefArg,
    summary: Annotated[str, typer.Option("--summary", help="Why the case can close.")],
    safety: Annotated[str, typer.Option("--safety", help="How safety stands.")],
    date: DateOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Close although the closing checklist has open items.")
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option("--reason", "-r", help="With --force: why (kept with the closing)."),
    ] = None,
) -> None:
    """Close a case with the closing report's summary and safety section, once the closing
    checklist is done: process plan signed, phase-4 checklist done, no safety signal, overdue
    evaluation or missing school or JGz partner, and aftercare first."""
    from icrctl.services.cases import close_case

    with writing() as (session, ctx):
        case = close_case(session, ctx, ref, summary, safety, day(date), force, reason)
    out().say(
        _("closed {ref} on {date}; kept until {until}").format(
            ref=case.ref, date=case.closed, until=case.retention_until
        )
    )


@app.command("reopen")
def reopen(
    ref: RefArg,
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why the case reopens.")],
    date: DateOpt = None,
) -> None:
    """Reopen a closed case: its history is kept, the way back is short."""
    from icrctl.services.cases import reopen_case

    with writing() as (session, ctx):
        case = reopen_case(session, ctx, ref, reason, day(date))
    out().say(
        _("reopened {ref}; stage {stage}").format(ref=case.ref, stage=STAGE.label(case.stage))
    )
    out().say(_("its evaluation series stay stopped: plan again with 'icrctl eval schedule'"))


ShareRole = Annotated[str, typer.Argument(help="The practitioner's database role.")]


@app.command("share")
def share(ref: RefArg, role: ShareRole) -> None:
    """Team mode: let another practitioner see and work on a case."""
    from icrctl.cli.team import team_location
    from icrctl.services.team import share as share_case

    team_location()
    with writing() as (session, ctx):
        done = share_case(session, ctx, ref, role)
    message = _("shared {ref} with {role}") if done else _("{ref} was shared with {role} already")
    out().say(message.format(ref=ref, role=role))


@app.command("unshare")
def unshare(ref: RefArg, role: ShareRole) -> None:
    """Team mode: stop sharing a case with a practitioner."""
    from icrctl.cli.team import team_location
    from icrctl.services.team import unshare as unshare_case

    team_location()
    with writing() as (session, ctx):
        done = unshare_case(session, ctx, ref, role)
    message = (
        _("stopped sharing {ref} with {role}") if done else _("{ref} was not shared with {role}")
    )
    out().say(message.format(ref=ref, role=role))


@app.command("purge")
def purge(
    ref: RefArg,
    reason: Annotated[
        str,
        typer.Option("--reason", "-r", help="Why, e.g. 'retention ended' (kept in the audit log)."),
    ] = "retention period ended",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Erase a closed case entirely (its retention ended, or an erasure request)."""
    from icrctl.cli.erasing import report_copies, restore_points_question
    from icrctl.cli.state import state
    from icrctl.services.erasure import purge_case

    case_file = state().case_file()
    points = case_file.restore_points()
    question = _("Erase case {ref} and everything in it, for good?").format(ref=ref)
    confirm(" ".join(filter(None, [question, restore_points_question(points)])), yes)
    with writing() as (session, ctx):
        gone = purge_case(session, ctx, ref, reason)
    erased, done = case_file.compact(None, points)
    out().say(_("erased case {ref}").format(ref=gone))
    if not case_file.is_sqlite:
        from icrctl.db.server import SERVER_KEEPS

        out().warn(_(SERVER_KEEPS))
    if erased.backups:
        out().say(
            ngettext(
                "removed {count} automatic backup that still held it",
                "removed {count} automatic backups that still held it",
                erased.backups,
            ).format(count=erased.backups)
        )
    report_copies(erased, done)
