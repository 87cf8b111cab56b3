"""The regiekaart in use: phase changes with their rules, the phase-4 checklist, who holds which
role in the current phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Case, ChecklistItem, PhaseChange, StageChange
from icrctl.domain import regiekaart
from icrctl.domain.text import clean_text
from icrctl.domain.vocabulary import CLOSED
from icrctl.errors import InvalidValue, NotFound, RuleViolation
from icrctl.services import audit
from icrctl.services.context import Context, utc_now
from icrctl.services.lookup import get_case, open_case


@dataclass
class PhaseRow:
    date: date
    phase: int
    reason: str
    track: str | None
    recorded_at: datetime
    name: str


@dataclass
class ChecklistRow:
    item: str
    label: str
    track: str
    done_at: datetime | None
    escalated: date | None


@dataclass
class PhaseSet:
    ref: str
    previous: int
    phase: int
    date: date
    name: str
    checklist: list[ChecklistRow]


@dataclass
class PhaseView:
    ref: str
    phase: int
    name: str
    gloss: str
    description: str
    framework: str
    regie: str
    since: date
    days: int
    responsibilities: list[tuple[str, str | None]]
    checklist: list[ChecklistRow]


def last_change(session: Session, case: Case) -> PhaseChange | None:
    """The case's latest phase change, if it has one."""
    return session.scalars(
        select(PhaseChange)
        .where(PhaseChange.case_id == case.id)
        .order_by(PhaseChange.date.desc(), PhaseChange.id.desc())
        .limit(1)
    ).first()


def set_phase(
    session: Session,
    ctx: Context,
    ref: str,
    phase: int,
    reason: str | None,
    when: date | None = None,
    track: str | None = None,
) -> PhaseSet:
    """Move a case to another phase of the regiekaart, saying why; phase 4 opens its checklist."""
    case = open_case(session, ref)
    new = regiekaart.phase(phase).number
    if reason is None or not reason.strip():
        raise InvalidValue("a phase change needs a --reason: the history must say why")
    reason = clean_text(reason, "reason", multiline=True)
    code = regiekaart.parse_track(track) if track else None
    regiekaart.check_phase_change(
        current=case.phase,
        new=new,
        framework=case.framework,
        regie=case.regie,
        track=code,
        ref=case.ref,
    )
    day = _change_date(session, case, when or ctx.today, ctx.today)
    change = PhaseChange(
        case_id=case.id, date=day, phase=new, reason=reason, track=code, recorded_at=utc_now()
    )
    session.add(change)
    session.flush()
    old = case.phase
    case.phase = new
    case.updated_at = utc_now()
    items = open_checklist(session, case, change) if new == 4 else []
    audit.record(session, ctx, "update", "case", case.ref, ["phase"])
    rows = [r for r in checklist(session, case) if r.item in items and r.escalated == day]
    return PhaseSet(case.ref, old, new, day, regiekaart.phase(new).name_nl, rows)


def _change_date(session: Session, case: Case, day: date, today: date) -> date:
    """The day of a phase change: not in the future, not before the last change, and not while
    the case was closed; the history runs forward."""
    if day > today:
        raise RuleViolation(f"a phase change cannot be dated in the future ({day.isoformat()})")
    previous = last_change(session, case)
    if previous is not None and day < previous.date:
        raise RuleViolation(
            f"date {day.isoformat()} lies before the last phase change "
            f"({previous.date.isoformat()}); the history runs forward"
        )
    closed = closed_period(session, case, day)
    if closed is not None:
        raise RuleViolation(
            f"date {day.isoformat()} falls while case {case.ref} was closed "
            f"({closed[0].isoformat()} to {closed[1].isoformat()}); a closed case has no phase "
            "changes"
        )
    return day


def closed_period(session: Session, case: Case, day: date) -> tuple[date, date] | None:
    """The (closed, reopened) dates of a past closure that ``day`` falls strictly inside."""
    stages = list(
        session.scalars(
            select(StageChange)
            .where(StageChange.case_id == case.id)
            .order_by(StageChange.date, StageChange.id)
        )
    )
    for this, after in pairwise(stages):
        if this.stage == CLOSED and this.date < day < after.date:
            return this.date, after.date
    return None


def open_checklist(session: Session, case: Case, change: PhaseChange) -> list[str]:
    """Add who must be informed for the track of this escalation to phase 4."""
    if change.track is None:
        raise RuleViolation("phase 4 needs a track (care or social)")
    codes = []
    for entry in regiekaart.checklist_for(change.track):
        session.add(
            ChecklistItem(
                case_id=case.id, phase_change_id=change.id, track=change.track, item=entry.code
            )
        )
        codes.append(entry.code)
    session.flush()
    return codes


def checklist(session: Session, case: Case, open_only: bool = False) -> list[ChecklistRow]:
    """The case's phase-4 checklist, with the date of the escalation each item belongs to."""
    rows = session.execute(
        select(ChecklistItem, PhaseChange.date)
        .outerjoin(PhaseChange, PhaseChange.id == ChecklistItem.phase_change_id)
        .where(ChecklistItem.case_id == case.id)
        .order_by(ChecklistItem.id)
    )
    out = []
    for item, escalated in rows:
        if open_only and item.done_at is not None:
            continue
        out.append(_checklist_row(item, escalated))
    return out


def _checklist_row(item: ChecklistItem, escalated: date | None) -> ChecklistRow:
    return ChecklistRow(
        item.item, label(item.track, item.item), item.track, item.done_at, escalated
    )


def label(track: str, code: str) -> str:
    """How a checklist item reads on the regiekaart (its code, if the card has no such item)."""
    for entry in regiekaart.checklist_for(track):
        if entry.code == code:
            return entry.label
    return code


def tick(
    session: Session,
    ctx: Context,
    ref: str,
    item: str,
    at: datetime | None = None,
    undo: bool = False,
) -> ChecklistRow:
    """Tick a checklist item off (``undo``: open it again)."""
    case = get_case(session, ref)
    code = item.strip().lower()
    items = list(
        session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.case_id == case.id, ChecklistItem.item == code)
            .order_by(ChecklistItem.id.desc())
        )
    )
    if not items:
        known = ", ".join(sorted({r.item for r in checklist(session, case)})) or "none"
        raise NotFound(f"case {case.ref} has no checklist item {item!r} (items: {known})")
    target = next((i for i in items if (i.done_at is None) != undo), None)
    if target is None:
        state = "open" if undo else "ticked off"
        raise RuleViolation(f"{code} is already {state} for case {case.ref}")
    target.done_at = None if undo else (at or utc_now())
    audit.record(session, ctx, "update", "checklist_item", case.ref, ["done_at"])
    session.flush()
    return _checklist_row(target, None)


def history(session: Session, ref: str) -> list[PhaseRow]:
    """``phase history``: every phase change of the case, oldest first."""
    case = get_case(session, ref)
    return history_of(session, case)


def history_of(session: Session, case: Case) -> list[PhaseRow]:
    """Every phase change of the case, oldest first."""
    changes = session.scalars(
        select(PhaseChange)
        .where(PhaseChange.case_id == case.id)
        .order_by(PhaseChange.date, PhaseChange.id)
    )
    return [
        PhaseRow(
            c.date, c.phase, c.reason, c.track, c.recorded_at, regiekaart.phase(c.phase).name_nl
        )
        for c in changes
    ]


def show(session: Session, ctx: Context, ref: str) -> PhaseView:
    """``phase show``: the phase the case is in, since when, who holds which role, what is open."""
    case = get_case(session, ref)
    info = regiekaart.phase(case.phase)
    last = last_change(session, case)
    since = last.date if last else case.opened
    return PhaseView(
        case.ref,
        case.phase,
        info.name_nl,
        info.gloss,
        info.description,
        case.framework,
        case.regie,
        since,
        (ctx.today - since).days,
        regiekaart.responsibilities(case.phase, case.framework),
        checklist(session, case, open_only=True),
    )
