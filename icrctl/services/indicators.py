"""The ICR study's 18 indicators per case: the practitioner's scores, what the case file
suggests beside them, and the caseload summed the way the study did (see docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Attendance,
    Case,
    Contact,
    ContactPerson,
    IndicatorScore,
    Meeting,
    Member,
    MemberRelation,
    PhaseChange,
    StageChange,
)
from icrctl.domain import indicators as ind
from icrctl.domain.dates import not_in_future
from icrctl.domain.text import optional_text
from icrctl.errors import InvalidValue
from icrctl.i18n import _
from icrctl.services import audit
from icrctl.services.context import Context, utc_now
from icrctl.services.lookup import get_case

REPORT = "report"


@dataclass
class ScoreSet:
    """What ``indicator set`` did: ``replaced`` an earlier score or not; ``not_yet_counted``
    for a closed-only indicator of a case still open."""

    ref: str
    key: str
    score: str
    date: dt.date
    replaced: bool
    not_yet_counted: bool


@dataclass
class IndicatorRow:
    """One indicator of one case: the practitioner's score beside the data's suggestion."""

    number: int
    key: str
    indicator: str
    closed_only: bool
    score: str | None
    note: str | None
    date: dt.date | None
    suggested: str | None
    basis: dict[str, int | str] | None


@dataclass
class SummaryRow:
    """One indicator over the caseload (``mean`` rounded to two decimals for the reader; the
    score comes from the exact mean)."""

    key: str
    indicator: str
    score: str | None
    mean: float | None
    cases: int
    example: str | None


def set_score(
    session: Session,
    ctx: Context,
    ref: str,
    key: str,
    score: str,
    *,
    note: str | None = None,
    day: dt.date | None = None,
) -> ScoreSet:
    """Score one indicator of a case (open or closed); a second score replaces the first."""
    case = get_case(session, ref)
    indicator = ind.parse_key(key)
    value = ind.parse_score(score)
    text = optional_text(note, "note", multiline=True)
    when = not_in_future(day or ctx.today, ctx.today, "date")
    if when < case.opened:
        raise InvalidValue(
            _("date {date} is before the case opened ({opened})").format(
                date=when.isoformat(), opened=case.opened.isoformat()
            )
        )
    row = session.scalars(
        select(IndicatorScore).where(
            IndicatorScore.case_id == case.id, IndicatorScore.key == indicator.key
        )
    ).one_or_none()
    replaced = row is not None
    if row is None:
        row = IndicatorScore(case_id=case.id, key=indicator.key)
        session.add(row)
    row.score, row.note, row.date, row.recorded_at = value, text, when, utc_now()
    action = "update" if replaced else "create"
    audit.record(session, ctx, action, "indicator", case.ref, [indicator.key])
    waiting = indicator.closed_only and case.closed is None
    return ScoreSet(case.ref, indicator.key, value, when, replaced, waiting)


def list_indicators(session: Session, ctx: Context, ref: str) -> list[IndicatorRow]:
    """``indicator list``: all 18 in the study's order, each score with the data's suggestion."""
    case = get_case(session, ref)
    scores = {
        s.key: s
        for s in session.scalars(select(IndicatorScore).where(IndicatorScore.case_id == case.id))
    }
    suggestions = ind.suggest(case_facts(session, case, ctx.today))
    rows = []
    for number, indicator in enumerate(ind.INDICATORS, 1):
        s = scores.get(indicator.key)
        hint = suggestions.get(indicator.key)
        rows.append(
            IndicatorRow(
                number,
                indicator.key,
                indicator.dutch,
                indicator.closed_only,
                s.score if s else None,
                s.note if s else None,
                s.date if s else None,
                hint.score if hint else None,
                hint.facts if hint else None,
            )
        )
    return rows


def summary(session: Session, closed_since: dt.date | None = None) -> list[SummaryRow]:
    """``indicator summary``: every indicator over the cases, as the study summed it. With
    ``closed_since``: the cases still open and those closed on or after that day."""
    query = select(
        Case.ref, Case.closed, IndicatorScore.key, IndicatorScore.score, IndicatorScore.note
    ).join(Case, Case.id == IndicatorScore.case_id)
    if closed_since is not None:
        query = query.where(or_(Case.closed.is_(None), Case.closed >= closed_since))
    pairs = [
        (key, ind.CaseScore(ref, closed is not None, score, note))
        for ref, closed, key, score, note in session.execute(query)
        if key in ind.BY_KEY
    ]
    return [_summary_row(s) for s in ind.summarise(pairs)]


def _summary_row(s: ind.Summary) -> SummaryRow:
    return SummaryRow(
        s.indicator.key,
        s.indicator.dutch,
        s.score,
        _two_decimals(s.mean),
        s.cases,
        s.example,
    )


def _two_decimals(mean: Fraction | None) -> float | None:
    if mean is None:
        return None
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(mean.numerator) / Decimal(mean.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# ------------------------------------------------------------------ the facts of one case


def case_facts(session: Session, case: Case, today: dt.date) -> ind.IndicatorFacts:
    """What the case file tells about ``case`` for the suggestions (see docs/indicators.md)."""
    end = case.closed or today
    members = list(session.scalars(select(Member).where(Member.case_id == case.id)))
    facts = ind.IndicatorFacts(
        opened=case.opened,
        end=end,
        family=[m.key for m in members if m.household and not m.deceased],
        members=len(members),
        related_members=_related(session, case),
        plan_signed=case.plan_signed,
        reached_execution=_reached_execution(session, case),
        phases=[
            (d, p)
            for d, p in session.execute(
                select(PhaseChange.date, PhaseChange.phase)
                .where(PhaseChange.case_id == case.id)
                .order_by(PhaseChange.date, PhaseChange.id)
            )
        ],
    )
    facts.first_evaluations = _first_evaluations(session, case)
    facts.due_evaluations, facts.held_evaluations = _cadence(session, case, end, today)
    facts.family_contacts, facts.reports = _contacts(session, case)
    return facts


def _related(session: Session, case: Case) -> int:
    """How many members a relation names, from either end."""
    named: set[int] = set()
    for a, b in session.execute(
        select(MemberRelation.from_member_id, MemberRelation.to_member_id).where(
            MemberRelation.case_id == case.id
        )
    ):
        named |= {a, b}
    return len(named)


def _reached_execution(session: Session, case: Case) -> bool:
    if case.stage in ("execution", "aftercare"):
        return True
    found = session.scalars(
        select(StageChange.id)
        .where(
            StageChange.case_id == case.id,
            StageChange.stage.in_(("execution", "aftercare")),
        )
        .limit(1)
    ).first()
    return found is not None


def _first_evaluations(session: Session, case: Case) -> list[set[str]]:
    """The members who attended each of the first held evaluations (by the day they took
    place)."""
    held = list(
        session.scalars(select(Meeting).where(Meeting.case_id == case.id, Meeting.status == "held"))
    )
    held.sort(key=lambda m: (m.moved_to or m.date, m.id))
    first = held[: ind.FIRST_EVALUATIONS]
    out: list[set[str]] = [set() for _m in first]
    where = {m.id: i for i, m in enumerate(first)}
    if first:
        for meeting_id, key in session.execute(
            select(Attendance.meeting_id, Member.key)
            .join(Member, Member.id == Attendance.member_id)
            .where(Attendance.meeting_id.in_(where), Attendance.presence == "attended")
        ):
            out[where[meeting_id]].add(key)
    return out


def _cadence(session: Session, case: Case, end: dt.date, today: dt.date) -> tuple[int, int]:
    """The series' evaluations due up to ``end`` (at the latest yesterday), and how many held."""
    from icrctl.services import evaluations

    data = evaluations.load(session, [case.id])
    last = min(end, today - dt.timedelta(days=1))
    first = evaluations.earliest(data, case)
    if last < first:
        return 0, 0
    due = [
        o
        for o in evaluations.case_occurrences(case, data, first, last, today)
        if o.series is not None
    ]
    return len(due), sum(1 for o in due if o.status == "held")


def _contacts(session: Session, case: Case) -> tuple[list[dt.date], list[dt.date]]:
    """The days of contact with a member (reports aside), and the days of reports."""
    family: set[dt.date] = set()
    reports: list[dt.date] = []
    rows = session.execute(
        select(Contact.id, Contact.date, Contact.kind).where(Contact.case_id == case.id)
    ).all()
    with_member = set(
        session.scalars(
            select(ContactPerson.contact_id)
            .join(Contact, Contact.id == ContactPerson.contact_id)
            .where(Contact.case_id == case.id, ContactPerson.member_id.is_not(None))
        )
    )
    for cid, day, kind in rows:
        if kind == REPORT:
            reports.append(day)
        elif cid in with_member:
            family.add(day)
    return sorted(family), sorted(reports)
