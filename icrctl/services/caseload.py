"""The caseload at a glance: ``status`` (what needs attention first) and ``week`` (the weekly
printout). Both read many cases with a fixed number of queries, whatever the caseload's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Case,
    Contact,
    Goal,
    Meeting,
    PhaseChange,
    StageChange,
)
from icrctl.domain import aftercare, regiekaart
from icrctl.domain.dates import parse_iso_week
from icrctl.domain.recurrence import holiday_name
from icrctl.domain.signals import Signal, signals
from icrctl.domain.vocabulary import CONTACT_KIND, STAGE
from icrctl.i18n import _
from icrctl.services import evaluations
from icrctl.services.context import Context
from icrctl.services.goals import GoalRow, goals_of
from icrctl.services.lookup import attendee_names, select_cases
from icrctl.services.signals import facts_for

ATTENTION_RULE = (
    "highest phase first; then most overdue evaluations; then most days without contact; then "
    "most open phase-4 checklist items; then most signals; then ref"
)


@dataclass
class StatusRow:
    ref: str
    title: str
    phase: int
    stage: str
    days_in_phase: int
    regisseur: str | None
    members: int
    partners: int
    last_contact: dt.date | None
    days_since_contact: int | None
    next_evaluation: dt.date | None
    next_evaluation_time: str | None
    overdue_evaluations: int
    open_checklist: int
    signals: list[str]
    #: The earliest aftercare follow-up contact not held yet (past due or to come), and how
    #: many are past due.
    next_follow_up: dt.date | None = None
    overdue_follow_ups: int = 0

    def attention(self, today: dt.date, opened: dt.date) -> tuple[object, ...]:
        quiet = (
            self.days_since_contact
            if self.days_since_contact is not None
            else ((today - opened).days)
        )
        return (
            -self.phase,
            -self.overdue_evaluations,
            -quiet,
            -self.open_checklist,
            -len(self.signals),
            self.ref,
        )


def status(
    session: Session,
    ctx: Context,
    *,
    phase: int | None = None,
    stage: str | None = None,
    regisseur: str | None = None,
) -> list[StatusRow]:
    """The open caseload, sorted by :data:`ATTENTION_RULE`."""
    cases = select_cases(session, phase=phase, stage=stage, regisseur=regisseur)
    return _assess(session, ctx, cases).rows


@dataclass
class _Assessed:
    rows: list[StatusRow]
    summaries: dict[int, evaluations.EvaluationSummary]
    signals: dict[int, list[Signal]]
    follow_ups: dict[int, list[dt.date]] = field(default_factory=dict)


def _assess(session: Session, ctx: Context, cases: list[Case]) -> _Assessed:
    """Rows in attention order, with the evaluation summaries and signals they came from."""
    ids = [c.id for c in cases]
    today = ctx.today
    summaries = evaluations.summaries(session, cases, today)
    facts = facts_for(session, cases, today, summaries)
    found = {cid: signals(f, today) for cid, f in facts.items()}
    since: dict[int, dt.date] = {}
    if ids:
        since = {
            cid: d
            for cid, d in session.execute(
                select(PhaseChange.case_id, func.max(PhaseChange.date))
                .where(PhaseChange.case_id.in_(ids))
                .group_by(PhaseChange.case_id)
            )
        }
    rows: list[tuple[tuple[object, ...], StatusRow]] = []
    for c in cases:
        s = summaries[c.id]
        codes = [sig.code for sig in found[c.id]]
        contact = facts[c.id].last_contact
        row = StatusRow(
            c.ref,
            c.title,
            c.phase,
            c.stage,
            (today - since.get(c.id, c.opened)).days,
            c.regisseur,
            facts[c.id].members,
            facts[c.id].partners,
            contact,
            (today - contact).days if contact else None,
            s.next_evaluation.date if s.next_evaluation else None,
            s.next_evaluation.time if s.next_evaluation else None,
            s.overdue,
            len(facts[c.id].open_checklist),
            codes,
            *_follow_up(facts[c.id].open_follow_ups, today),
        )
        rows.append((row.attention(today, c.opened), row))
    ordered = [row for _key, row in sorted(rows, key=lambda pair: pair[0])]
    follow_ups = {cid: f.open_follow_ups for cid, f in facts.items()}
    return _Assessed(ordered, summaries, found, follow_ups)


def _follow_up(dues: list[dt.date], today: dt.date) -> tuple[dt.date | None, int]:
    """The earliest follow-up not held, and how many are past due."""
    return (min(dues) if dues else None), len(aftercare.overdue(dues, today))


# ------------------------------------------------------------------ the weekly printout


def parse_week(text: str | None, today: dt.date) -> dt.date:
    """The Monday of ``2026-W48``; by default this week, or next week from Saturday on."""
    if text is None:
        monday = today - dt.timedelta(days=today.weekday())
        return monday + dt.timedelta(weeks=1) if today.weekday() >= 5 else monday
    return parse_iso_week(text)


@dataclass
class WeekMeeting:
    time: str
    ref: str
    title: str
    attendees: list[str]
    status: str
    moved_from: dt.date | None
    reason: str | None = None  # why it was cancelled or moved


@dataclass
class WeekDay:
    date: dt.date
    holiday: str | None
    meetings: list[WeekMeeting] = field(default_factory=list)


@dataclass
class Change:
    date: dt.date
    what: str


@dataclass
class WeekCase:
    ref: str
    title: str
    phase: int
    phase_name: str
    stage: str
    regisseur: str | None
    changes: list[Change]
    overdue: list[dt.date]
    goals_due: list[GoalRow]
    signals: list[Signal]
    #: The aftercare follow-up contacts not held and due by Sunday (those past due too).
    follow_ups: list[dt.date] = field(default_factory=list)


@dataclass
class WeekReport:
    week: str
    monday: dt.date
    sunday: dt.date
    today: dt.date
    days: list[WeekDay]
    cases: list[WeekCase]


def week(
    session: Session, ctx: Context, week_text: str | None = None, regisseur: str | None = None
) -> WeekReport:
    """``week``: the week's evaluation agenda, then each open case in the order of ``status``."""
    monday = parse_week(week_text, ctx.today)
    sunday = monday + dt.timedelta(days=6)
    open_cases = select_cases(session, regisseur=regisseur)
    assessed = _assess(session, ctx, open_cases)  # the cases in the order of status
    order = {r.ref: i for i, r in enumerate(assessed.rows)}
    cases = sorted(open_cases, key=lambda c: order[c.ref])
    iso = monday.isocalendar()
    return WeekReport(
        f"{iso.year}-W{iso.week:02d}",
        monday,
        sunday,
        ctx.today,
        _agenda(session, cases, monday, sunday, ctx.today),
        _week_cases(session, cases, assessed, monday, sunday),
    )


def _agenda(
    session: Session, cases: list[Case], monday: dt.date, sunday: dt.date, today: dt.date
) -> list[WeekDay]:
    """The days of the week, each with its public holiday and its evaluations; a cancelled one
    stays, marked, with its reason: the printout says it will not take place."""
    titles = {c.ref: c.title for c in cases}
    names = attendee_names(session, [c.id for c in cases])
    days = [
        WeekDay(monday + dt.timedelta(days=i), holiday_name(monday + dt.timedelta(days=i)))
        for i in range(7)
    ]
    for o in evaluations.occurrences_for(session, cases, monday, sunday, today):
        days[(o.date - monday).days].meetings.append(
            WeekMeeting(
                o.time,
                o.ref,
                titles.get(o.ref, ""),
                [names.get((o.ref, k), k) for k in o.attendees],
                o.status,
                o.original if o.moved else None,
                o.reason,
            )
        )
    return days


def _week_cases(
    session: Session, cases: list[Case], assessed: _Assessed, monday: dt.date, sunday: dt.date
) -> list[WeekCase]:
    """Per case: what changed this week, overdue evaluations, goals due by Sunday, signals."""
    ids = [c.id for c in cases]
    changes = _changes(session, ids, monday, sunday)
    goals = goals_of(session, ids)
    return [
        WeekCase(
            c.ref,
            c.title,
            c.phase,
            regiekaart.phase(c.phase).name_nl,
            c.stage,
            c.regisseur,
            sorted(changes.get(c.id, []), key=lambda ch: (ch.date, ch.what)),
            list(assessed.summaries[c.id].overdue_dates),
            [
                g
                for g in goals[c.id]
                if g.status == "open" and g.due is not None and g.due <= sunday
            ],
            assessed.signals[c.id],
            [due for due in assessed.follow_ups.get(c.id, []) if due <= sunday],
        )
        for c in cases
    ]


def _changes(
    session: Session, ids: list[int], first: dt.date, last: dt.date
) -> dict[int, list[Change]]:
    """What changed in the cases from ``first`` to ``last``, each said in the language in use
    (the printout's words; the user's own words, such as a reason, as typed)."""
    out: dict[int, list[Change]] = {}
    if not ids:
        return out

    def add(cid: int, day: dt.date, what: str) -> None:
        out.setdefault(cid, []).append(Change(day, what))

    for cid, day, phase, reason in session.execute(
        select(PhaseChange.case_id, PhaseChange.date, PhaseChange.phase, PhaseChange.reason).where(
            PhaseChange.case_id.in_(ids), PhaseChange.date.between(first, last)
        )
    ):
        add(cid, day, _("phase {phase}: {reason}").format(phase=phase, reason=reason))
    for cid, day, stage in session.execute(
        select(StageChange.case_id, StageChange.date, StageChange.stage).where(
            StageChange.case_id.in_(ids), StageChange.date.between(first, last)
        )
    ):
        add(cid, day, _("stage {stage}").format(stage=STAGE.label(stage)))
    for cid, day, kind, signal in session.execute(
        select(Contact.case_id, Contact.date, Contact.kind, Contact.signal).where(
            Contact.case_id.in_(ids), Contact.date.between(first, last)
        )
    ):
        said = _("contact: {kind} (safety signal)") if signal else _("contact: {kind}")
        add(cid, day, said.format(kind=CONTACT_KIND.label(kind)))
    for cid, day, moved, risk in session.execute(
        select(Meeting.case_id, Meeting.date, Meeting.moved_to, Meeting.risk).where(
            Meeting.case_id.in_(ids),
            Meeting.status == evaluations.HELD,
            func.coalesce(Meeting.moved_to, Meeting.date).between(first, last),
        )
    ):
        held = (
            _("evaluation held (risk {risk})").format(risk=risk)
            if risk is not None
            else _("evaluation held")
        )
        add(cid, moved or day, held)
    for cid, day, number, text in session.execute(
        select(Goal.case_id, Goal.status_date, Goal.number, Goal.goal).where(
            Goal.case_id.in_(ids), Goal.status == "achieved", Goal.status_date.between(first, last)
        )
    ):
        add(cid, day, _("goal {number} achieved: {goal}").format(number=number, goal=text))
    return out
