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
from icrctl.domain.dates import LOCAL, local_from_utc, parse_time, utc_from_local
from icrctl.domain.text import clean_text
from icrctl.domain.vocabulary import CLOSED, REGIE
from icrctl.errors import InvalidValue, NotFound, RuleViolation
from icrctl.i18n import _
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
    """One item of the phase-4 checklist. ``label`` and ``informed_by`` are the card's English
    (JSON and CSV read the same in every language; a table shows the language in use);
    ``yours``: the ICR's own task, else others do it and the ICR checks; ``done_by`` who did it,
    as recorded when it was ticked off."""

    item: str
    label: str
    track: str
    done_at: datetime | None
    escalated: date | None
    informed_by: str | None = None
    yours: bool = True
    done_by: str | None = None


@dataclass
class PhaseSet:
    ref: str
    previous: int
    phase: int
    date: date
    name: str
    checklist: list[ChecklistRow]
    regie: str | None = None  # who holds casusregie now, when the change handed it over
    previous_regie: str | None = None
    #: The change ended procesregie (phase 1: the card names nobody for it).
    procesregie_ended: bool = False


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
    regie: str | None = None,
) -> PhaseSet:
    """Move a case to another phase of the regiekaart, saying why; ``regie`` hands casusregie
    over in the same step (the rules hold for who holds it afterwards); phase 4 opens its
    checklist."""
    case = open_case(session, ref)
    new = regiekaart.phase(phase).number
    if reason is None or not reason.strip():
        raise InvalidValue(_("a phase change needs a --reason: the history must say why"))
    reason = clean_text(reason, "reason", multiline=True)
    code = regiekaart.parse_track(track) if track else None
    holder = _check_change(case, new, code, regie)
    day = _change_date(session, case, when or ctx.today, ctx.today)
    change = PhaseChange(
        case_id=case.id, date=day, phase=new, reason=reason, track=code, recorded_at=utc_now()
    )
    session.add(change)
    session.flush()
    old, old_regie = case.phase, case.regie
    case.phase = new
    handed = _hand_regie(session, case, holder, day, reason)
    cleared = _clear_procesregie(session, case, day, reason)
    case.updated_at = utc_now()
    items = open_checklist(session, case, change) if new == 4 else []
    fields = ["phase", *(["regie"] if handed else []), *(["procesregie"] if cleared else [])]
    audit.record(session, ctx, "update", "case", case.ref, fields)
    rows = [r for r in checklist(session, case) if r.item in items and r.escalated == day]
    result = PhaseSet(case.ref, old, new, day, regiekaart.phase(new).name_nl, rows)
    result.procesregie_ended = cleared
    if handed:
        result.regie, result.previous_regie = holder, old_regie
    return result


def _check_change(case: Case, new: int, track: str | None, regie: str | None) -> str:
    """Hold the change to the regiekaart as the case will be after it: who holds casusregie
    then (``regie`` when it is handed over, else as now)."""
    holder = case.regie
    if regie is not None:
        holder = REGIE.parse(regie)
        regiekaart.check_regie(new, case.framework, holder)
    regiekaart.check_phase_change(
        current=case.phase,
        new=new,
        framework=case.framework,
        regie=holder,
        track=track,
        ref=case.ref,
    )
    return holder


def _hand_regie(session: Session, case: Case, holder: str, day: date, reason: str) -> bool:
    """Give casusregie to ``holder`` (client|professional) as part of a phase change, noted as
    events on the change's day with its reason (``services.roles``); whether it changed hands.
    A professional taking it over from the client is the case director."""
    from icrctl.services import roles

    if holder == case.regie:
        return False
    who = regiekaart.CLIENT if holder == "client" else regiekaart.ICR
    roles.hand_casusregie(session, case, who, None, day, reason)
    return True


def _clear_procesregie(session: Session, case: Case, day: date, reason: str) -> bool:
    """A phase where the card names nobody for procesregie (phase 1) ends it, noted with the
    phase change's reason; whether there was one."""
    from icrctl.services import roles

    if regiekaart.has_procesregie(case.phase) or case.procesregie is None:
        return False
    return bool(roles.set_procesregie(session, case, None, None, day, reason))


def _change_date(session: Session, case: Case, day: date, today: date) -> date:
    """The day of a phase change: not in the future, not before the last change, and not while
    the case was closed; the history runs forward."""
    if day > today:
        raise RuleViolation(
            _("a phase change cannot be dated in the future ({date})").format(date=day.isoformat())
        )
    previous = last_change(session, case)
    if previous is not None and day < previous.date:
        raise RuleViolation(
            _(
                "date {date} lies before the last phase change ({last}); the history runs forward"
            ).format(date=day.isoformat(), last=previous.date.isoformat())
        )
    closed = closed_period(session, case, day)
    if closed is not None:
        raise RuleViolation(
            _(
                "date {date} falls while case {ref} was closed ({closed} to {reopened}); a closed "
                "case has no phase changes"
            ).format(
                date=day.isoformat(),
                ref=case.ref,
                closed=closed[0].isoformat(),
                reopened=closed[1].isoformat(),
            )
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
        raise RuleViolation(_("phase 4 needs a track (care or social)"))
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
        item.item,
        label(item.track, item.item),
        item.track,
        item.done_at,
        escalated,
        regiekaart.checklist_informed_by(item.track, item.item, "en"),
        regiekaart.checklist_yours(item.track, item.item),
        item.done_by,
    )


def label(track: str, code: str) -> str:
    """How a checklist item reads on the regiekaart, in English: the label JSON and CSV carry
    in every language (a table shows ``regiekaart.checklist_label`` in the language in use)."""
    return regiekaart.checklist_label(track, code, "en")


def tick(
    session: Session,
    ctx: Context,
    ref: str,
    item: str,
    at: datetime | None = None,
    undo: bool = False,
) -> ChecklistRow:
    """Tick a checklist item off at ``at`` (a stored moment, naive UTC; default now); ``undo``:
    open it again."""
    case = get_case(session, ref)
    moment = None if undo else (at or utc_now())
    return _tick(session, ctx, case, item, moment)


def inform(
    session: Session,
    ctx: Context,
    ref: str,
    items: str,
    when: date | None = None,
    at: str | None = None,
    undo: bool = False,
    by: str | None = None,
) -> list[ChecklistRow]:
    """``phase inform``: tick items off (``aov,lokale_driehoek``), all or none, as informed on
    ``when`` at ``at`` (Amsterdam time; default today and now) by ``by`` (default: whom the card
    names, :func:`regiekaart.checklist_done_by`); ``undo``: open them again."""
    case = get_case(session, ref)
    if undo and (when is not None or at is not None or by is not None):
        raise InvalidValue(_("--undo opens an item again; it takes no --date, --time or --by"))
    words = [word for word in items.split(",") if word.strip()]
    if not words:
        raise InvalidValue(_("name a checklist item to tick off, e.g. aov"))
    who = None if by is None else clean_text(by, "done_by")
    moment = None if undo else _informed_at(ctx.today, when, at)
    ticked: dict[str, ChecklistRow] = {}
    for word in words:
        row = ticked.get(_item_code(session, case, word))
        if row is None:
            row = _tick(session, ctx, case, word, moment, who)
            ticked[row.item] = row
    return list(ticked.values())


def _informed_at(today: date, when: date | None, at: str | None) -> datetime:
    """When someone was informed, as stored (naive UTC), from the local day and time given;
    not in the future."""
    now = datetime.now(LOCAL).replace(tzinfo=None, second=0, microsecond=0)
    now = datetime.combine(today, now.time())
    moment = datetime.combine(when or today, parse_time(at) if at else now.time())
    if moment > now:
        raise InvalidValue(
            _("informed at {moment} lies in the future").format(moment=f"{moment:%Y-%m-%d %H:%M}")
        )
    return utc_from_local(moment)


def _item_code(session: Session, case: Case, word: str) -> str:
    """The code of a checklist item, from its code or Dutch word; refused with the case's items
    when the word names none."""
    try:
        return regiekaart.parse_checklist_item(word)
    except InvalidValue:
        raise _not_on_checklist(session, case, word) from None


def _not_on_checklist(session: Session, case: Case, word: str) -> NotFound:
    have = {r.item for r in checklist(session, case)}
    vocabulary = regiekaart.checklist_items()
    known = ", ".join(vocabulary.both(code) for code in vocabulary.terms if code in have)
    return NotFound(
        _("case {ref} has no checklist item {item!r} (items: {items})").format(
            ref=case.ref, item=word.strip(), items=known or _("none")
        )
    )


def _tick(
    session: Session,
    ctx: Context,
    case: Case,
    word: str,
    moment: datetime | None,
    by: str | None = None,
) -> ChecklistRow:
    """Tick the latest open item ``word`` (its code or Dutch word) off at ``moment``, done by
    ``by`` (default: whom the card names); ``None`` opens the latest ticked one again."""
    undo = moment is None
    code = _item_code(session, case, word)
    found = session.execute(
        select(ChecklistItem, PhaseChange.date)
        .outerjoin(PhaseChange, PhaseChange.id == ChecklistItem.phase_change_id)
        .where(ChecklistItem.case_id == case.id, ChecklistItem.item == code)
        .order_by(ChecklistItem.id.desc())
    ).all()
    if not found:
        raise _not_on_checklist(session, case, word)
    target = next(((i, d) for i, d in found if (i.done_at is None) != undo), None)
    if target is None:
        already = (
            _("{item} is already open for case {ref}")
            if undo
            else _("{item} is already ticked off for case {ref}")
        )
        raise RuleViolation(already.format(item=code, ref=case.ref))
    item, escalated = target
    if moment is not None and escalated is not None:
        informed = local_from_utc(moment).date()
        if informed < escalated:
            raise RuleViolation(
                _(
                    "{item} cannot have been informed on {date}: case {ref} escalated to phase 4 "
                    "on {escalated}"
                ).format(
                    item=code,
                    date=informed.isoformat(),
                    ref=case.ref,
                    escalated=escalated.isoformat(),
                )
            )
    item.done_at = moment
    item.done_by = None if undo else by or _done_by(case, item)
    audit.record(session, ctx, "update", "checklist_item", case.ref, ["done_at", "done_by"])
    session.flush()
    return _checklist_row(item, escalated)


def _done_by(case: Case, item: ChecklistItem) -> str:
    """Who did ``item`` when the one ticking it off does not say (see ``regiekaart.yaml``)."""
    return regiekaart.checklist_done_by(item.track, item.item, case.regisseur)


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
    """``phase show``: the phase the case is in, since when, who holds which role, what is open.
    Its texts are the card's English, as JSON carries them in every language; a table shows
    them in the language in use (``render.tables.phase_view``)."""
    case = get_case(session, ref)
    info = regiekaart.phase(case.phase)
    last = last_change(session, case)
    since = last.date if last else case.opened
    return PhaseView(
        case.ref,
        case.phase,
        info.name_nl,
        info.gloss,
        info.meaning.en,
        case.framework,
        case.regie,
        since,
        (ctx.today - since).days,
        regiekaart.responsibilities(case.phase, case.framework, "en"),
        checklist(session, case, open_only=True),
    )
