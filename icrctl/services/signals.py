"""Gathering the facts the signal rules need, for many cases at once (no query per case)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Attendance,
    Case,
    CasePartner,
    ChecklistItem,
    Contact,
    EvaluationSeries,
    Meeting,
    Member,
    Partner,
    SeriesAttendee,
)
from icrctl.db.order import by_code_point
from icrctl.domain.aftercare import REPORT_PERIOD_MONTHS
from icrctl.domain.dates import age_on
from icrctl.domain.signals import RECENT_SIGNAL_DAYS, CaseFacts, Child, Signal, signals
from icrctl.services import aftercare, evaluations
from icrctl.services.contacts import last_contacts
from icrctl.services.context import Context
from icrctl.services.goals import goals_of
from icrctl.services.lookup import CASE_IS_OPEN, get_case

#: Days enough to hold :data:`REPORT_PERIOD_MONTHS` months (the rule itself decides).
REPORT_PERIOD_DAYS = REPORT_PERIOD_MONTHS * 31


def facts_for(
    session: Session,
    cases: list[Case],
    today: dt.date,
    summaries: dict[int, evaluations.EvaluationSummary] | None = None,
) -> dict[int, CaseFacts]:
    """The facts the signal rules need, by case id, in a fixed number of queries."""
    facts = {
        c.id: CaseFacts(c.ref, c.phase, c.stage, c.framework, c.regie, c.opened, closed=c.closed)
        for c in cases
    }
    for c in cases:
        _roles(c, facts[c.id])
    ids = [c.id for c in cases]
    if not ids:
        return facts
    _members(session, ids, today, facts)
    holders = {c.id: (c.casusregie_partner_id, c.procesregie_partner_id) for c in cases}
    _partners(session, ids, facts, holders)
    for cid, keys in invited_partners(session, ids, today).items():
        facts[cid].invited_partners = keys
    _evaluations(cases, summaries or evaluations.summaries(session, cases, today), facts)
    for cid, last in last_contacts(session, ids).items():
        facts[cid].last_contact = last
    _safety_signals(session, ids, today, facts)
    _open_checklists(session, ids, facts)
    _refusals(session, ids, facts)
    _overdue_goals(session, ids, today, facts)
    _aftercare(session, ids, facts)
    return facts


def _aftercare(session: Session, ids: list[int], facts: dict[int, CaseFacts]) -> None:
    """The follow-ups not held yet, and the reports (meldingen) logged after closing."""
    for cid, dues in aftercare.open_follow_ups(session, ids).items():
        facts[cid].open_follow_ups = dues
    for cid, days in aftercare.reports_since_closing(session, ids).items():
        facts[cid].reports_since_closing = days


def _roles(c: Case, f: CaseFacts) -> None:
    """Who holds casusregie and procesregie, as the case row says (the partners' keys and kinds
    come with the links, :func:`_partners`)."""
    if c.regie == "client":
        f.casusregie = "client"
    elif c.casusregie_partner_id is not None:
        f.casusregie = "partner"
    f.procesregie = c.procesregie


def _members(session: Session, ids: list[int], today: dt.date, facts: dict[int, CaseFacts]) -> None:
    """How many members each case has, and which of them are children; whether a compulsory
    framework may be about youth (a child by role or age, or no members yet)."""
    youth: dict[int, bool] = {}
    for cid, key, name, born, role in session.execute(
        select(Member.case_id, Member.key, Member.name, Member.born, Member.role)
        .where(Member.case_id.in_(ids))
        .order_by(Member.id)
    ):
        facts[cid].members += 1
        young = False
        if born is not None and age_on(born, today) < 18:
            facts[cid].children.append(Child(key, name, born))
            young = True
        youth[cid] = youth.get(cid, False) or young or role == "child"
    for cid, any_child in youth.items():
        facts[cid].youth = any_child


def _partners(
    session: Session,
    ids: list[int],
    facts: dict[int, CaseFacts],
    holders: dict[int, tuple[int | None, int | None]],
) -> None:
    """How many partners each case has, of which kinds, those linked without consent, and the
    keys and kinds of those holding casusregie and procesregie (``holders``: their ids)."""
    for cid, kind, key, consent, pid in session.execute(
        select(CasePartner.case_id, Partner.kind, Partner.key, CasePartner.consent, Partner.id)
        .join(Partner, Partner.id == CasePartner.partner_id)
        .where(CasePartner.case_id.in_(ids))
        .order_by(CasePartner.id)
    ):
        f = facts[cid]
        f.partners += 1
        f.partner_kinds.add(kind)
        f.linked_partners.append((key, kind))
        if not consent:
            f.partners_without_consent.append(key)
        if pid == holders[cid][0]:
            f.casusregie_partner, f.casusregie_kind = key, kind
        if pid == holders[cid][1]:
            f.procesregie_partner, f.procesregie_kind = key, kind


def invited_partners(session: Session, ids: list[int], today: dt.date) -> dict[int, set[str]]:
    """The partners each case invited to an evaluation series still running today (planned to
    meet from today on), by case id: the meetings where the plan is shared. One query."""
    out: dict[int, set[str]] = {}
    for series, key in session.execute(
        select(EvaluationSeries, Partner.key)
        .join(SeriesAttendee, SeriesAttendee.series_id == EvaluationSeries.id)
        .join(Partner, Partner.id == SeriesAttendee.partner_id)
        .where(EvaluationSeries.case_id.in_(ids))
    ):
        if evaluations.still_runs(series, today):
            out.setdefault(series.case_id, set()).add(key)
    return out


def _evaluations(
    cases: list[Case],
    summaries: dict[int, evaluations.EvaluationSummary],
    facts: dict[int, CaseFacts],
) -> None:
    """Overdue evaluations, running series and planned evaluations on a public holiday or a
    weekend."""
    for c in cases:
        s = summaries[c.id]
        f = facts[c.id]
        f.overdue = list(s.overdue_dates)
        f.running_series = s.running
        f.holiday_meetings = [
            (o.date, o.holiday) for o in s.upcoming if o.holiday and o.status == evaluations.PLANNED
        ]
        f.weekend_meetings = [
            o.date for o in s.upcoming if o.weekend and o.status == evaluations.PLANNED
        ]


def _safety_signals(
    session: Session, ids: list[int], today: dt.date, facts: dict[int, CaseFacts]
) -> None:
    """The days of the safety signals logged in the last :data:`RECENT_SIGNAL_DAYS` days."""
    for cid, day in session.execute(
        select(Contact.case_id, Contact.date)
        .where(
            Contact.case_id.in_(ids),
            Contact.signal.is_(True),
            Contact.date > today - dt.timedelta(days=RECENT_SIGNAL_DAYS),
        )
        .order_by(Contact.date)
    ):
        facts[cid].recent_safety_signals.append(day)


def _open_checklists(session: Session, ids: list[int], facts: dict[int, CaseFacts]) -> None:
    """The phase-4 checklist items not done yet, each once, with the track of the latest."""
    for cid, item, track in session.execute(
        select(ChecklistItem.case_id, ChecklistItem.item, ChecklistItem.track)
        .where(ChecklistItem.case_id.in_(ids), ChecklistItem.done_at.is_(None))
        .order_by(ChecklistItem.id)
    ):
        if item not in facts[cid].open_checklist:
            facts[cid].open_checklist.append(item)
        facts[cid].checklist_tracks[item] = track


def _overdue_goals(
    session: Session, ids: list[int], today: dt.date, facts: dict[int, CaseFacts]
) -> None:
    """The open goals whose due date has passed."""
    for cid, goals in goals_of(session, ids).items():
        facts[cid].overdue_goals = [
            (g.id, g.goal, g.due)
            for g in goals
            if g.status == "open" and g.due is not None and g.due < today
        ]


def _refusals(session: Session, ids: list[int], facts: dict[int, CaseFacts]) -> None:
    """Who refused the most recent held evaluation of each case: one query, the latest meeting
    picked by the database (a long-running case holds a hundred held ones)."""
    when = func.coalesce(Meeting.moved_to, Meeting.date)
    ranked = (
        select(
            Meeting.id,
            func.row_number()
            .over(partition_by=Meeting.case_id, order_by=(when.desc(), Meeting.id.desc()))
            .label("nth"),
        )
        .where(Meeting.case_id.in_(ids), Meeting.status == evaluations.HELD)
        .subquery()
    )
    last = select(ranked.c.id).where(ranked.c.nth == 1)
    for cid, name in session.execute(
        select(Meeting.case_id, Member.name)
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .join(Member, Member.id == Attendance.member_id)
        .where(Meeting.id.in_(last), Attendance.presence == "refused")
        .order_by(Attendance.id)
    ):
        facts[cid].refused_last.append(name)


def signals_for(
    session: Session,
    cases: list[Case],
    today: dt.date,
    summaries: dict[int, evaluations.EvaluationSummary] | None = None,
) -> dict[int, list[Signal]]:
    """The signals of each of ``cases``, by case id."""
    facts = facts_for(session, cases, today, summaries)
    return {cid: signals(f, today) for cid, f in facts.items()}


def check(session: Session, ctx: Context, ref: str | None = None) -> list[tuple[str, Signal]]:
    """``check``: the signals of one case, or of the whole open caseload and the cases closed
    recently enough that a report (melding) suggests reopening them, by ref."""
    if ref is not None:
        cases = [get_case(session, ref)]
    else:
        recent = Case.closed >= ctx.today - dt.timedelta(days=REPORT_PERIOD_DAYS)
        cases = list(
            session.scalars(
                select(Case).where(CASE_IS_OPEN | recent).order_by(by_code_point(Case.ref))
            )
        )
    found = signals_for(session, cases, ctx.today)
    return [(c.ref, s) for c in cases for s in found[c.id]]
