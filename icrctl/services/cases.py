"""Cases (casussen): create, edit, list, show, and their way through the working stages."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Case,
    CaseEvent,
    CasePartner,
    Contact,
    ContactPerson,
    EvaluationSeries,
    Partner,
    PhaseChange,
    StageChange,
)
from icrctl.domain import closing, regiekaart, signals, stages
from icrctl.domain.dates import check_opened, not_in_future
from icrctl.domain.text import clean_text, optional_text
from icrctl.domain.vocabulary import CLOSED, DOMAIN, FRAMEWORK, REGIE, STAGE, VIOLENCE
from icrctl.errors import Conflict, InvalidValue, RuleViolation
from icrctl.i18n import N_, _
from icrctl.services import aftercare, audit, roles
from icrctl.services.context import Context, utc_now
from icrctl.services.lookup import get_case

#: Stored as the reason of a case's first phase entry (the stored value stays English; a view
#: may show it translated, ``_(OPENING_REASON)``).
OPENING_REASON = N_("case opened")
RETENTION_YEARS = 20


@dataclass
class CaseInput:
    """What ``case create`` and ``case edit`` may set; ``None`` means not given."""

    title: str | None = None
    opened: date | None = None
    phase: int | None = None
    track: str | None = None
    framework: str | None = None
    regie: str | None = None
    regisseur: str | None = None
    referrer: str | None = None
    violence: list[str] | None = None
    domains: list[str] | None = None
    plan_signed: date | None = None
    retention_until: date | None = None
    #: Who holds the roles, as typed (``services.roles``): ``client``, ``icr``, ``none`` or a
    #: linked partner's key.
    casusregie: str | None = None
    procesregie: str | None = None
    regiebehandelaar: str | None = None


@dataclass
class CaseCreated:
    ref: str
    title: str
    phase: int
    stage: str
    checklist: list[str] = field(default_factory=list)


def _clean(data: CaseInput, today: date) -> CaseInput:
    return CaseInput(
        title=clean_text(data.title, "title") if data.title is not None else None,
        opened=check_opened(data.opened, today) if data.opened else None,
        phase=regiekaart.phase(data.phase).number if data.phase is not None else None,
        track=regiekaart.parse_track(data.track) if data.track else None,
        framework=FRAMEWORK.parse(data.framework) if data.framework else None,
        regie=REGIE.parse(data.regie) if data.regie else None,
        regisseur=optional_text(data.regisseur, "regisseur")
        if data.regisseur is not None
        else None,
        referrer=optional_text(data.referrer, "referrer") if data.referrer is not None else None,
        violence=VIOLENCE.parse_list(data.violence) if data.violence is not None else None,
        domains=DOMAIN.parse_list(data.domains) if data.domains is not None else None,
        plan_signed=data.plan_signed,
        retention_until=data.retention_until,
        casusregie=data.casusregie,
        procesregie=data.procesregie,
        regiebehandelaar=data.regiebehandelaar,
    )


def _roles(d: CaseInput) -> roles.RoleInput:
    return roles.RoleInput(d.casusregie, d.procesregie, d.regiebehandelaar, d.regie)


def create_case(
    session: Session, ctx: Context, ref: str, data: CaseInput, notes: list[str] | None = None
) -> CaseCreated:
    """``case create``: open a case in stage inventory, in phase 2 unless another is given; the
    regiekaart's words on a holder it names only in consultation are added to ``notes``."""
    from icrctl.services import phases

    ref = clean_text(ref, "ref")
    if any(ch.isspace() for ch in ref):
        raise InvalidValue(_("ref {ref!r} must not contain spaces").format(ref=ref))
    d = _clean(data, ctx.today)
    if d.regisseur is None and ctx.display_name:  # team mode: the role's own name
        d = replace(d, regisseur=ctx.display_name)
    if d.title is None:
        raise InvalidValue(_("a case needs a --title"))
    if session.scalar(select(func.count()).select_from(Case).where(Case.ref == ref)) or (
        ctx.team and _taken_in_team(session, ref)
    ):
        raise Conflict(_("case {ref} already exists").format(ref=ref))
    case, track = _new_case(ref, d.title, d, ctx.today)
    change = _record_opening(session, case, track)
    if d.casusregie or d.procesregie or d.regiebehandelaar:
        roles.edit_roles(session, case, _roles(d), case.framework, case.opened, notes)
    checklist = phases.open_checklist(session, case, change) if case.phase == 4 else []
    audit.record(session, ctx, "create", "case", ref, ["ref", "title", "phase", "opened"])
    return CaseCreated(ref, case.title, case.phase, case.stage, checklist)


def _taken_in_team(session: Session, ref: str) -> bool:
    """Team mode: another practitioner's case, which this role cannot see, may hold the ref."""
    from icrctl.services.team import ref_taken

    return ref_taken(session, ref)


def _new_case(ref: str, title: str, d: CaseInput, today: date) -> tuple[Case, str | None]:
    """The case ``d`` describes, its defaults filled in and held to the regiekaart; with the
    track it opens on (phase 4 only). Casusregie defaults to the card's: a professional, but the
    client in phase 1."""
    opened = d.opened or today
    phase = d.phase or 2
    framework = d.framework or "voluntary"
    if d.casusregie is not None and d.regie is None:  # --casusregie client|icr says the regie
        d = replace(d, regie=_regie_of(d.casusregie))
    regie = d.regie or regiekaart.default_regie(phase, framework)
    regiekaart.check_regie(phase, framework, regie)
    track = regiekaart.check_track(phase, d.track)
    if d.plan_signed is not None and d.plan_signed < opened:
        raise InvalidValue(_("plan_signed lies before the case was opened"))
    now = utc_now()
    case = Case(
        ref=ref,
        title=title,
        opened=opened,
        stage="inventory",
        phase=phase,
        framework=framework,
        regie=regie,
        regisseur=d.regisseur,
        referrer=d.referrer,
        violence=d.violence or [],
        domains=d.domains or [],
        plan_signed=d.plan_signed,
        created_at=now,
        updated_at=now,
    )
    return case, track


def _regie_of(holder: str) -> str | None:
    """The regie a new case's ``--casusregie`` gives (a partner cannot be linked yet)."""
    from icrctl.domain.vocabulary import CASUSREGIE_WORD

    try:
        return regiekaart.holder_regie(CASUSREGIE_WORD.parse(holder))
    except InvalidValue:
        return None


def _record_opening(session: Session, case: Case, track: str | None) -> PhaseChange:
    """Store a new case with the first entries of its phase and stage history."""
    session.add(case)
    session.flush()
    change = PhaseChange(
        case_id=case.id,
        date=case.opened,
        phase=case.phase,
        reason=OPENING_REASON,
        track=track,
        recorded_at=case.created_at,
    )
    session.add(change)
    session.add(
        StageChange(
            case_id=case.id, date=case.opened, stage="inventory", recorded_at=case.created_at
        )
    )
    session.flush()
    return change


def edit_case(
    session: Session, ctx: Context, ref: str, data: CaseInput, notes: list[str] | None = None
) -> list[str]:
    """``case edit``: change the given fields; return the names of those that changed. The
    regiekaart's words on a holder it names only in consultation are added to ``notes``."""
    case = get_case(session, ref)
    if data.phase is not None:
        raise RuleViolation(
            _(
                "a phase change needs a reason: use 'icrctl phase set {ref} {phase} --reason …'"
            ).format(ref=case.ref, phase=data.phase)
        )
    d = _clean(data, ctx.today)
    framework = d.framework or case.framework
    if framework != case.framework:  # noted first, then the roles it may bring along
        session.add(
            CaseEvent(
                case_id=case.id,
                date=ctx.today,
                kind="framework",
                old=case.framework,
                new=framework,
                recorded_at=utc_now(),
            )
        )
    changed = roles.edit_roles(session, case, _roles(d), framework, ctx.today, notes)
    changed = sorted(_set_fields(session, case, d, data) + changed, key=_FIELD_ORDER.index)
    if _set_retention(case, d.retention_until):
        changed.append("retention_until")
    if case.plan_signed is not None and case.plan_signed < case.opened:
        raise InvalidValue(_("plan_signed lies before the case was opened"))
    if changed:
        case.updated_at = utc_now()
        audit.record(session, ctx, "update", "case", case.ref, changed)
    return changed


#: The order ``case edit`` names the fields that changed.
_FIELD_ORDER = (
    "opened",
    "title",
    "framework",
    "regie",
    "casusregie",
    "procesregie",
    "regiebehandelaar",
    "violence",
    "domains",
    "plan_signed",
    "regisseur",
    "referrer",
)


def _set_fields(session: Session, case: Case, d: CaseInput, given: CaseInput) -> list[str]:
    """Set the fields that were given and differ (``given`` tells an emptied text from an
    absent one); the names of those that changed."""
    changed: list[str] = []
    if d.opened is not None and d.opened != case.opened:
        _move_opened(session, case, d.opened)
        changed.append("opened")
    for name in ("title", "framework", "violence", "domains", "plan_signed"):
        new = getattr(d, name)
        if new is not None and new != getattr(case, name):
            setattr(case, name, new)
            changed.append(name)
    for name in ("regisseur", "referrer"):
        new = getattr(d, name)
        if getattr(given, name) is not None and new != getattr(case, name):
            setattr(case, name, new)
            changed.append(name)
    return changed


def _set_retention(case: Case, until: date | None) -> bool:
    """Set the end of a closed case's retention; whether it changed."""
    if until is None or until == case.retention_until:
        return False
    if case.closed is None:
        raise RuleViolation(_("a retention end can only be set on a closed case"))
    if until < case.closed:
        raise InvalidValue(_("the retention end lies before the case was closed"))
    case.retention_until = until
    return True


def _move_opened(session: Session, case: Case, opened: date) -> None:
    """Move the opening date, carrying the first phase and stage entries along with it."""
    first_phase = session.scalars(
        select(PhaseChange)
        .where(PhaseChange.case_id == case.id)
        .order_by(PhaseChange.date, PhaseChange.id)
    ).first()
    first_stage = session.scalars(
        select(StageChange)
        .where(StageChange.case_id == case.id)
        .order_by(StageChange.date, StageChange.id)
    ).first()
    later = [
        session.scalar(
            select(func.min(PhaseChange.date)).where(
                PhaseChange.case_id == case.id,
                PhaseChange.id != (first_phase.id if first_phase else -1),
            )
        ),
        session.scalar(
            select(func.min(StageChange.date)).where(
                StageChange.case_id == case.id,
                StageChange.id != (first_stage.id if first_stage else -1),
            )
        ),
        case.closed,
    ]
    for when in later:
        if when is not None and opened > when:
            raise RuleViolation(
                _("the case cannot open on {opened}: its history has an entry on {day}").format(
                    opened=opened.isoformat(), day=when.isoformat()
                )
            )
    series = select(func.min(EvaluationSeries.start)).where(EvaluationSeries.case_id == case.id)
    if (start := session.scalar(series)) is not None and opened > start:
        # As eval schedule: no series starts before the case opened (an import refuses one).
        raise RuleViolation(
            _("the case cannot open on {opened}: an evaluation series starts on {start}").format(
                opened=opened.isoformat(), start=start.isoformat()
            )
        )
    for entry in (first_phase, first_stage):
        if entry is not None and entry.date == case.opened:
            entry.date = opened
    case.opened = opened


def set_stage(
    session: Session,
    ctx: Context,
    ref: str,
    stage: str,
    when: date | None,
    reason: str | None = None,
) -> StageChange:
    """``case stage``: move the case to another working stage (closing has its own command);
    skipping a stage forward needs a ``reason`` (``domain.stages``), kept with the change."""
    case = get_case(session, ref)
    new = STAGE.parse(stage)
    if new == CLOSED:
        raise RuleViolation(
            _(
                "closing needs a closing summary and a safety section: "
                "'icrctl case close {ref} --summary … --safety …'"
            ).format(ref=case.ref)
        )
    if case.stage == CLOSED:
        raise RuleViolation(
            _("case {ref} is closed; 'icrctl case reopen' first").format(ref=case.ref)
        )
    if new == case.stage:
        raise RuleViolation(
            _("case {ref} is already in stage {stage}").format(ref=case.ref, stage=STAGE.label(new))
        )
    reason = optional_text(reason, "reason", multiline=True)
    stages.check_stage_move(case.stage, new, reason, case.ref)
    day = _history_date(session, case, when, ctx.today)
    change = StageChange(case_id=case.id, date=day, stage=new, reason=reason, recorded_at=utc_now())
    session.add(change)
    aftercare.stage_changed(session, case, new, day)
    case.stage = new
    case.updated_at = utc_now()
    audit.record(session, ctx, "update", "case", case.ref, ["stage"])
    return change


def _last_stage_change(session: Session, case: Case) -> StageChange | None:
    return session.scalars(
        select(StageChange)
        .where(StageChange.case_id == case.id)
        .order_by(StageChange.date.desc(), StageChange.id.desc())
        .limit(1)
    ).first()


def _history_date(session: Session, case: Case, when: date | None, today: date) -> date:
    day = not_in_future(when or today, today, "date")
    last = _last_stage_change(session, case)
    if last is not None and day < last.date:
        raise RuleViolation(
            _("date {day} lies before the last stage change ({last})").format(
                day=day.isoformat(), last=last.date.isoformat()
            )
        )
    return day


def add_years(day: date, years: int) -> date:
    """``day`` ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


#: How to settle an item of the closing checklist, where one command does it: a command reads
#: the same in every language. ``safety-signal`` has none: it settles with time, or ``--force``.
CLOSING_FIXES: dict[str, str] = {
    closing.PARTNERS_UNINFORMED: "'icrctl log add {ref} … --kind … --with {keys}'",
    closing.PLAN_UNSIGNED: "'icrctl case edit {ref} --plan-signed …'",
    signals.EvaluationOverdue.code: "'icrctl eval record {ref} --date …'",
    signals.Phase4ChecklistOpen.code: "'icrctl phase inform {ref} …'",
    signals.SchoolMissing.code: "'icrctl partner link {ref} …'",
    signals.JgzMissing.code: "'icrctl partner link {ref} …'",
    closing.NO_AFTERCARE: "'icrctl case stage {ref} aftercare'",
    closing.AFTERCARE_OPEN: "'icrctl case aftercare {ref} --done …'",
}


def close_case(
    session: Session,
    ctx: Context,
    ref: str,
    summary: str,
    safety: str,
    when: date | None,
    force: bool = False,
    reason: str | None = None,
) -> Case:
    """``case close``: close the case with its closing summary and safety section, once the
    closing checklist (``domain.closing``) has nothing open; ``force`` closes it all the same,
    its ``reason`` kept as the reason of the closing's stage change."""
    from icrctl.services import meetings

    forced = _forced_reason(force, reason)
    case = get_case(session, ref)
    if case.stage == CLOSED:
        raise RuleViolation(_("case {ref} is already closed").format(ref=case.ref))
    summary = clean_text(summary, "summary", multiline=True)
    safety = clean_text(safety, "safety", multiline=True)
    day = _closing_date(session, case, when, ctx.today)
    if forced is None:
        _check_closing(session, case, ctx.today)
    now = utc_now()
    session.add(
        StageChange(case_id=case.id, date=day, stage=CLOSED, reason=forced, recorded_at=now)
    )
    session.add(
        CaseEvent(
            case_id=case.id, date=day, kind="closed", new=summary, reason=safety, recorded_at=now
        )
    )
    case.stage = CLOSED
    case.closed = day
    case.closing_summary = summary
    case.closing_safety = safety
    if case.retention_until is None:
        case.retention_until = add_years(day, RETENTION_YEARS)
    case.updated_at = now
    meetings.stop_all(session, case, day)
    fields = ["stage", "closed", "closing_summary", "closing_safety", "retention_until"]
    if forced is not None:
        fields.append("closing_checklist_overridden")
    audit.record(session, ctx, "update", "case", case.ref, fields)
    return case


def _forced_reason(force: bool, reason: str | None) -> str | None:
    """The reason to close despite the closing checklist; ``--force`` needs one, and a reason
    belongs to ``--force``."""
    if force and reason is None:
        raise InvalidValue(_("--force needs a --reason: why the case closes with items open"))
    if reason is not None and not force:
        raise InvalidValue(_("--reason goes with --force: why the case closes with items open"))
    return None if reason is None else clean_text(reason, "reason", multiline=True)


def _closing_date(session: Session, case: Case, when: date | None, today: date) -> date:
    """The closing day: not in the future, nor before the last stage or phase change."""
    from icrctl.services import phases

    day = _history_date(session, case, when, today)
    last_phase = phases.last_change(session, case)
    if last_phase is not None and day < last_phase.date:
        raise RuleViolation(
            _(
                "date {day} lies before the last phase change ({last}); "
                "a case cannot close before it"
            ).format(day=day.isoformat(), last=last_phase.date.isoformat())
        )
    return day


def closing_facts(session: Session, case: Case, today: date) -> closing.ClosingFacts:
    """What the closing checklist looks at for ``case`` today."""
    from icrctl.services.signals import signals_for

    had_aftercare = session.scalar(
        select(func.count())
        .select_from(StageChange)
        .where(StageChange.case_id == case.id, StageChange.stage == "aftercare")
    )
    return closing.ClosingFacts(
        plan_signed=case.plan_signed is not None,
        had_aftercare=bool(had_aftercare),
        signals=tuple(signals_for(session, [case], today)[case.id]),
        open_follow_ups=tuple(aftercare.open_follow_ups(session, [case.id])[case.id]),
        uninformed_partners=tuple(
            f"{p.name} ({p.organisation})" for p in uninformed_partners(session, case)
        ),
    )


def uninformed_partners(session: Session, case: Case) -> list[Partner]:
    """The partners linked to ``case`` with consent and not yet told that it is closing: no
    contact with them logged on or after the day the case last entered aftercare (never in
    aftercare: its last stage change). Partners without consent are not told: nothing is
    shared with them without consent."""
    entered = session.scalar(
        select(func.max(StageChange.date)).where(
            StageChange.case_id == case.id, StageChange.stage == "aftercare"
        )
    )
    if entered is None:
        last = _last_stage_change(session, case)
        entered = last.date if last is not None else case.opened
    told = (
        select(ContactPerson.partner_id)
        .join(Contact, Contact.id == ContactPerson.contact_id)
        .where(
            Contact.case_id == case.id,
            Contact.date >= entered,
            ContactPerson.partner_id.is_not(None),
        )
    )
    return list(
        session.scalars(
            select(Partner)
            .join(CasePartner, CasePartner.partner_id == Partner.id)
            .where(
                CasePartner.case_id == case.id,
                CasePartner.consent.is_(True),
                Partner.id.not_in(told),
            )
            .order_by(Partner.name, Partner.organisation, Partner.id)
        )
    )


def _check_closing(session: Session, case: Case, today: date) -> None:
    """Refuse to close while the closing checklist has open items."""
    keys = ",".join(p.key for p in uninformed_partners(session, case))
    fixes = {
        code: command.format(ref=case.ref, keys=keys) for code, command in CLOSING_FIXES.items()
    }
    if case.stage != CLOSED and stages.skipped(case.stage, "aftercare"):
        # the way into aftercare passes over a stage: the command must say why
        fixes[closing.NO_AFTERCARE] = f"'icrctl case stage {case.ref} aftercare --reason …'"
    closing.check(case.ref, closing_facts(session, case, today), fixes)


def reopen_case(session: Session, ctx: Context, ref: str, reason: str, when: date | None) -> Case:
    """``case reopen``: open a closed case again, in the stage it had before closing."""
    case = get_case(session, ref)
    if case.stage != CLOSED or case.closed is None:
        raise RuleViolation(_("case {ref} is not closed").format(ref=case.ref))
    reason = clean_text(reason, "reason", multiline=True)
    day = not_in_future(when or ctx.today, ctx.today, "date")
    if day < case.closed:
        raise RuleViolation(
            _("date {day} lies before the case was closed ({closed})").format(
                day=day.isoformat(), closed=case.closed.isoformat()
            )
        )
    before = session.scalars(
        select(StageChange.stage)
        .where(StageChange.case_id == case.id, StageChange.stage != CLOSED)
        .order_by(StageChange.date.desc(), StageChange.id.desc())
        .limit(1)
    ).first()
    stage = before or "execution"
    now = utc_now()
    session.add(StageChange(case_id=case.id, date=day, stage=stage, reason=reason, recorded_at=now))
    session.add(
        CaseEvent(
            case_id=case.id,
            date=day,
            kind="reopened",
            old=case.closed.isoformat(),
            reason=reason,
            recorded_at=now,
        )
    )
    case.stage = stage
    case.closed = None
    case.closing_summary = None
    case.closing_safety = None
    case.retention_until = None
    case.updated_at = now
    audit.record(session, ctx, "update", "case", case.ref, ["stage", "closed"])
    return case
