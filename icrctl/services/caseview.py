"""Reading cases: the caseload list and the practitioner's one-screen view of a case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from icrctl.db.models import (
    Case,
    CaseEvent,
    CasePartner,
    Contact,
    Member,
    Partner,
    StageChange,
)
from icrctl.domain import regiekaart
from icrctl.domain.signals import ReportAfterClosing
from icrctl.services import evaluations, phases
from icrctl.services.aftercare import FollowUp, follow_ups_of
from icrctl.services.assessments import Assessments, assessments_of
from icrctl.services.contacts import ContactRow, contacts_of, last_contacts
from icrctl.services.context import Context
from icrctl.services.goals import GoalRow, goals_of
from icrctl.services.lookup import get_case, select_cases
from icrctl.services.members import MemberRow, RelationRow, list_members, relations
from icrctl.services.roles import RoleHolder, holders_of
from icrctl.services.signals import invited_partners, signals_for

LAST_CONTACTS = 5


@dataclass
class CaseSummary:
    ref: str
    title: str
    phase: int
    stage: str
    regisseur: str | None
    next_evaluation: date | None
    overdue_evaluations: int
    last_contact: date | None
    opened: date
    closed: date | None
    members: int
    partners: int
    signals: list[str] = field(default_factory=list)


@dataclass
class LinkedPartner:
    key: str
    name: str
    organisation: str
    kind: str
    role: str | None
    consent: bool
    coordination: str | None
    email: str | None
    phone: str | None
    reachable: list[str]


@dataclass
class PhaseEntry:
    date: date
    phase: int
    reason: str
    track: str | None
    recorded_at: datetime


@dataclass
class StageEntry:
    date: date
    stage: str
    #: Why, where the step was given one: a case closed with ``--force`` despite its closing
    #: checklist keeps the reason here.
    reason: str | None = None


@dataclass
class EventEntry:
    date: date
    kind: str
    old: str | None
    new: str | None
    reason: str | None


@dataclass
class Planned:
    date: date
    time: str
    status: str
    holiday: str | None


@dataclass
class CaseDetails:
    ref: str
    title: str
    opened: date
    closed: date | None
    stage: str
    phase: int
    framework: str
    regie: str
    regisseur: str | None
    referrer: str | None
    violence: list[str]
    domains: list[str]
    plan_signed: date | None
    members: list[MemberRow]
    partners: list[LinkedPartner]
    phase_history: list[PhaseEntry]
    evaluations: list[Planned]
    next_evaluation: date | None
    next_evaluation_time: str | None
    overdue_evaluations: int
    phase_name: str
    days_in_phase: int
    relations: list[RelationRow] = field(default_factory=list)
    stage_history: list[StageEntry] = field(default_factory=list)
    events: list[EventEntry] = field(default_factory=list)
    checklist_open: list[phases.ChecklistRow] = field(default_factory=list)
    open_goals: list[GoalRow] = field(default_factory=list)
    last_contacts: list[ContactRow] = field(default_factory=list)
    assessments: Assessments = field(default_factory=Assessments)
    closing_summary: str | None = None
    closing_safety: str | None = None
    retention_until: date | None = None
    #: The keys of the partners linked without the client's consent to share information, in
    #: the order they were linked: lawful (the police, a GI under a court order), so a fact.
    partners_without_consent: list[str] = field(default_factory=list)
    #: Those of them invited to an evaluation series still running: the plan is shared there,
    #: so ``check`` signals them (``partner-without-consent``).
    invited_without_consent: list[str] = field(default_factory=list)
    #: The follow-up contacts of aftercare, earliest first.
    aftercare: list[FollowUp] = field(default_factory=list)
    #: A closed case: the days of the reports (meldingen) logged since closing, within the
    #: period in which they suggest reopening it (the signal ``report-after-closing``).
    reports_after_closing: list[date] = field(default_factory=list)
    #: Who holds casusregie (``client``, ``icr``, ``partner``) and procesregie (``icr``,
    #: ``partner``, ``None``), with the partner's key and the code of the regiekaart's signal
    #: about the holder; the lead practitioner's key.
    casusregie: RoleHolder = field(default_factory=lambda: RoleHolder("icr"))
    procesregie: RoleHolder = field(default_factory=lambda: RoleHolder(None))
    regiebehandelaar: str | None = None


def list_cases(
    session: Session,
    ctx: Context,
    *,
    which: str = "open",
    phase: int | None = None,
    stage: str | None = None,
    regisseur: str | None = None,
) -> list[CaseSummary]:
    """``case list``: open cases by default, ``all`` or ``closed`` on request."""
    cases = select_cases(session, which=which, phase=phase, stage=stage, regisseur=regisseur)
    return summarise(session, ctx, cases)


def summarise(session: Session, ctx: Context, cases: list[Case]) -> list[CaseSummary]:
    """One summary line per case, with a fixed number of queries however many cases there are."""
    ids = [c.id for c in cases]
    evals = evaluations.summaries(session, cases, ctx.today)
    found = signals_for(session, cases, ctx.today, evals)  # a closed case: after closing only
    last_contact = last_contacts(session, ids)
    members = _by_case(session, select(Member.case_id, func.count()), Member.case_id, ids)
    partners = _by_case(
        session, select(CasePartner.case_id, func.count()), CasePartner.case_id, ids
    )
    out = []
    for c in cases:
        ev = evals[c.id]
        out.append(
            CaseSummary(
                c.ref,
                c.title,
                c.phase,
                c.stage,
                c.regisseur,
                ev.next_evaluation.date if ev.next_evaluation else None,
                ev.overdue,
                last_contact.get(c.id),
                c.opened,
                c.closed,
                members.get(c.id, 0),
                partners.get(c.id, 0),
                [s.code for s in found.get(c.id, [])],
            )
        )
    return out


def _by_case(
    session: Session,
    query: Any,
    column: InstrumentedAttribute[int],
    ids: list[int],
) -> dict[int, Any]:
    """One aggregate per case, in one query."""
    if not ids:
        return {}
    return dict(session.execute(query.where(column.in_(ids)).group_by(column)).all())


def details(session: Session, ctx: Context, ref: str) -> CaseDetails:
    """``case show``: the case's facts, people, plan, evaluations and history on one screen."""
    case = get_case(session, ref)
    history = phases.history_of(session, case)
    summary = evaluations.summaries(session, [case], ctx.today)[case.id]
    since = history[-1].date if history else case.opened
    nxt = summary.next_evaluation
    links = partner_links(session, case)
    without_consent, invited = _without_consent(session, case, links, ctx.today)
    return CaseDetails(
        ref=case.ref,
        title=case.title,
        opened=case.opened,
        closed=case.closed,
        stage=case.stage,
        phase=case.phase,
        framework=case.framework,
        regie=case.regie,
        regisseur=case.regisseur,
        referrer=case.referrer,
        violence=list(case.violence),
        domains=list(case.domains),
        plan_signed=case.plan_signed,
        members=list_members(session, case.ref),
        partners=[_linked(p, link) for p, link in links],
        phase_history=[
            PhaseEntry(h.date, h.phase, h.reason, h.track, h.recorded_at) for h in history
        ],
        evaluations=[
            Planned(o.date, o.time, o.status, o.holiday)
            for o in summary.upcoming
            if o.status == evaluations.PLANNED
        ],
        next_evaluation=nxt.date if nxt else None,
        next_evaluation_time=nxt.time if nxt else None,
        overdue_evaluations=summary.overdue,
        phase_name=regiekaart.phase(case.phase).name_nl,
        days_in_phase=((case.closed or ctx.today) - since).days,
        relations=relations(session, case),
        stage_history=stage_history(session, case),
        events=_events(session, case),
        checklist_open=phases.checklist(session, case, open_only=True),
        open_goals=[g for g in goals_of(session, [case.id])[case.id] if g.status == "open"],
        last_contacts=_latest_contacts(session, case),
        assessments=assessments_of(session, [case.id])[case.id],
        closing_summary=case.closing_summary,
        closing_safety=case.closing_safety,
        retention_until=case.retention_until,
        partners_without_consent=without_consent,
        invited_without_consent=invited,
        aftercare=follow_ups_of(session, [case.id], ctx.today)[case.id],
        reports_after_closing=_reports_after_closing(session, case, ctx.today),
        **_roles(session, case, ctx.today),
    )


def _reports_after_closing(session: Session, case: Case, today: date) -> list[date]:
    """The reports of a closed case that make ``report-after-closing`` stand today."""
    if case.closed is None:
        return []
    found = signals_for(session, [case], today)[case.id]
    return [day for s in found if isinstance(s, ReportAfterClosing) for day in s.dates]


def _roles(session: Session, case: Case, today: date) -> dict[str, Any]:
    """Who holds the roles, each with the code of the signal ``check`` gives about its holder."""
    from icrctl.domain.signals import CompulsoryWithoutHolder, HolderInConsultation

    held = holders_of(session, case)
    found = signals_for(session, [case], today)[case.id] if case.closed is None else []
    for signal in found:
        if isinstance(signal, CompulsoryWithoutHolder):
            held.casusregie.signal = signal.code
        elif isinstance(signal, HolderInConsultation):
            role = held.casusregie if signal.role == "casusregie" else held.procesregie
            role.signal = signal.code
    return {
        "casusregie": held.casusregie,
        "procesregie": held.procesregie,
        "regiebehandelaar": held.regiebehandelaar,
    }


def _without_consent(
    session: Session, case: Case, links: list[tuple[Partner, CasePartner]], today: date
) -> tuple[list[str], list[str]]:
    """The partners linked without consent, and those of them invited to a running series (a
    closed case invites nobody any more: its series meet no more after the closing day)."""
    without = [p.key for p, link in links if not link.consent]
    if case.closed is not None:
        return without, []
    invited = invited_partners(session, [case.id], today).get(case.id, set())
    return without, [key for key in without if key in invited]


def _latest_contacts(session: Session, case: Case) -> list[ContactRow]:
    """The case's last :data:`LAST_CONTACTS` contacts, oldest first: read from the day of the
    earliest of them on, not the whole log (a case that has run two years logged a hundred)."""
    since = session.scalar(
        select(Contact.date)
        .where(Contact.case_id == case.id)
        .order_by(Contact.date.desc(), Contact.id.desc())
        .offset(LAST_CONTACTS - 1)
        .limit(1)
    )
    return contacts_of(session, [case], first=since)[case.id][-LAST_CONTACTS:]


def partner_links(session: Session, case: Case) -> list[tuple[Partner, CasePartner]]:
    """The partners linked to a case, each with its link, in the order they were linked."""
    return [
        (p, link)
        for p, link in session.execute(
            select(Partner, CasePartner)
            .join(CasePartner, CasePartner.partner_id == Partner.id)
            .where(CasePartner.case_id == case.id)
            .order_by(CasePartner.id)
        )
    ]


def _linked(p: Partner, link: CasePartner) -> LinkedPartner:
    return LinkedPartner(
        p.key,
        p.name,
        p.organisation,
        p.kind,
        link.role,
        link.consent,
        link.coordination,
        p.email,
        p.phone,
        list(p.reachable),
    )


def stage_history(session: Session, case: Case) -> list[StageEntry]:
    """The case's steps through the stages, oldest first."""
    stages = session.scalars(
        select(StageChange)
        .where(StageChange.case_id == case.id)
        .order_by(StageChange.date, StageChange.id)
    )
    return [StageEntry(s.date, s.stage, s.reason) for s in stages]


def _events(session: Session, case: Case) -> list[EventEntry]:
    """Changes besides phase and stage; a closing without its texts, which the view shows last."""
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.date, CaseEvent.id)
    )
    return [
        EventEntry(
            e.date,
            e.kind,
            e.old,
            e.new if e.kind != "closed" else None,
            e.reason if e.kind != "closed" else None,
        )
        for e in events
    ]
