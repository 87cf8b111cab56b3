"""The documents of a case: the werkplan (mailed to everyone involved, or to one partner; the
practitioner's own internal version adds the safety signals) and the closing report
(eindrapport). Services gather the data; ``render.plans`` lays it out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Attendance, Case, CasePartner, Meeting, Member, Partner
from icrctl.domain.genogram import Drawing
from icrctl.errors import InvalidValue, RuleViolation
from icrctl.i18n import N_, _
from icrctl.io.files import write_private
from icrctl.services import audit, phases, roles
from icrctl.services.aftercare import FollowUp, Period, aftercare_periods, follow_ups_of
from icrctl.services.analysis import AnalysisView, analysis_of
from icrctl.services.assessments import Assessments, assessments_of
from icrctl.services.caseview import StageEntry, partner_links, stage_history
from icrctl.services.contacts import ContactRow, contacts_of
from icrctl.services.context import Context
from icrctl.services.evaluations import SeriesRow, list_series
from icrctl.services.genogram import genogram_of
from icrctl.services.goals import GoalRow, goals_of
from icrctl.services.lookup import find_link, find_partner, get_case
from icrctl.services.members import MemberRow, list_members

NETWORK_ROLES = ("grandparent", "family", "network")
#: Where a goal's *Wie doet* divides into people: commas, semicolons, slashes, ``&``, ``+`` and
#: the words ``en`` and ``and`` (the separator is kept as typed).
WHO_SEPARATOR = re.compile(r"(\s*[,;/&+]\s*|\s+(?:en|and)\s+)")


@dataclass
class PlanPerson:
    """One line of the werkplan's table of professionals and network."""

    name: str
    relation: str
    email: str | None
    phone: str | None
    reachable: list[str]
    consent: bool | None
    coordination: str | None


@dataclass
class HeldBy:
    """Who holds a role, as a document names them: ``holder`` is ``client``, ``icr`` (``name``
    the case director's, if known), ``partner`` (``name``: the partner with their organisation,
    or in a partner's version only the organisation of one without consent) or ``None`` (nobody
    named)."""

    holder: str | None
    name: str | None = None


@dataclass
class Werkplan:
    ref: str
    title: str
    date: dt.date
    phase: int
    stage: str
    regisseur: str | None
    members: list[MemberRow]
    people: list[PlanPerson]
    rhythm: list[SeriesRow]
    goals: list[GoalRow]
    signals: list[ContactRow] = field(default_factory=list)
    for_partner: str | None = None
    left_out: int = 0
    internal: bool = False
    assessments: Assessments = field(default_factory=Assessments)
    #: The Casus Plus analysis: only in the internal version, and only when the case has one.
    analysis: AnalysisView | None = None
    #: The genogram: in the internal version only (it holds names and the violence between them).
    genogram: Drawing | None = None
    casusregie: HeldBy = field(default_factory=lambda: HeldBy("icr"))
    procesregie: HeldBy = field(default_factory=lambda: HeldBy(None))
    regiebehandelaar: HeldBy = field(default_factory=lambda: HeldBy(None))


@dataclass
class InvolvedPartner:
    """A professional linked to the case, as the closing report lists them."""

    name: str
    organisation: str
    role: str | None
    consent: bool


@dataclass
class HeldMeeting:
    """A meeting held, as the closing report lists it: who attended, was absent or refused (by
    name; ``attended`` counts those present)."""

    date: dt.date
    risk: int | None
    self_reliance: int | None
    attended: int
    refused: list[str]
    extra: bool
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


@dataclass
class ClosingReport:
    ref: str
    title: str
    opened: dt.date
    closed: dt.date | None
    regisseur: str | None
    referrer: str | None
    framework: str
    violence: list[str]
    domains: list[str]
    members: list[MemberRow]
    partners: list[InvolvedPartner]
    phases: list[phases.PhaseRow]
    stages: list[StageEntry]
    goals: list[GoalRow]
    meetings: list[HeldMeeting]
    assessments: Assessments
    contacts: int
    signals: int
    summary: str | None
    safety: str | None
    date: dt.date
    #: The stays in aftercare (from, to) and the follow-up contacts planned in them.
    aftercare: list[Period] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    casusregie: HeldBy = field(default_factory=lambda: HeldBy("icr"))
    procesregie: HeldBy = field(default_factory=lambda: HeldBy(None))
    regiebehandelaar: HeldBy = field(default_factory=lambda: HeldBy(None))


def werkplan(
    session: Session,
    ctx: Context,
    ref: str,
    for_partner: str | None = None,
    *,
    internal: bool = False,
) -> Werkplan:
    """``werkplan``: the plan to send to everyone involved; the smaller version a consenting
    partner may get (``for_partner``); or the practitioner's own copy with the internal safety
    signals (``internal``). What is sent never holds them."""
    if internal and for_partner is not None:
        raise InvalidValue(
            _(
                "give --for or --internal, not both: "
                "a partner's version never holds the safety signals"
            )
        )
    case = get_case(session, ref)
    addressee = None if for_partner is None else consenting_partner(session, case, for_partner)
    members = list_members(session, case.ref)
    links = partner_links(session, case)
    people = _betrokkenen(links, members, addressee)
    left_out = sum(1 for _partner, link in links if not link.consent) if addressee else 0
    names = who_names(members, links, partner_version=addressee is not None)
    if addressee is not None:  # data minimisation: a partner needs names and roles, no more
        members = [replace(m, born=None, phone=None, email=None) for m in members]
    goals = [g for g in _goals_named(session, case, names) if g.status != "dropped"]
    signals = contacts_of(session, [case], signals_only=True)[case.id] if internal else []
    return Werkplan(
        case.ref,
        case.title,
        ctx.today,
        case.phase,
        case.stage,
        case.regisseur,
        members,
        people,
        _running_series(session, case, ctx.today),
        goals,
        signals,
        addressee,
        left_out,
        internal,
        assessments_of(session, [case.id])[case.id],
        analysis=_internal_analysis(session, case) if internal else None,
        genogram=genogram_of(session, ctx, case.ref) if internal else None,
        **held_by(session, case, who_names([], links, partner_version=addressee is not None)),
    )


def _internal_analysis(session: Session, case: Case) -> AnalysisView | None:
    """The case's Casus Plus analysis for the internal werkplan; None while it has none."""
    view = analysis_of(session, case)
    return None if view.empty else view


def held_by(session: Session, case: Case, names: Mapping[str, str]) -> dict[str, HeldBy]:
    """Who holds casusregie, procesregie and the lead practitioner's role, by name; ``names``
    the case's partners by key, as the document names them (:func:`who_names`)."""
    held = roles.holders_of(session, case)

    def by(holder: str | None, key: str | None) -> HeldBy:
        if key is not None:
            return HeldBy("partner", names.get(key, key))
        return HeldBy(holder, case.regisseur if holder == "icr" else None)

    lead = held.regiebehandelaar
    return {
        "casusregie": by(held.casusregie.holder, held.casusregie.partner),
        "procesregie": by(held.procesregie.holder, held.procesregie.partner),
        "regiebehandelaar": by(None if lead is None else "partner", lead),
    }


def who_names(
    members: list[MemberRow],
    links: list[tuple[Partner, CasePartner]],
    *,
    partner_version: bool = False,
) -> dict[str, str]:
    """How the people of a case read in a document, by key: a member by name, a partner by name
    with their organisation. A partner's version names a partner without consent only by their
    organisation, as it leaves them out everywhere else. A member's key wins over a partner's, as
    in ``--with``."""
    names = {
        p.key: f"{p.name} ({p.organisation})"
        if link.consent or not partner_version
        else p.organisation
        for p, link in links
    }
    return names | {m.key: m.name for m in members}


def who_named(who: str | None, names: Mapping[str, str]) -> str | None:
    """A goal's *Wie doet* as people read it: each part (divided by commas, ``en``, ``&``, …)
    that is the key of a member or partner of the case becomes that person's name; everything
    else, separators included, stays as typed."""
    if who is None:
        return None
    parts = WHO_SEPARATOR.split(who)  # text, separator, text, …
    return "".join(part if i % 2 else _person(part, names) for i, part in enumerate(parts))


def _person(part: str, names: Mapping[str, str]) -> str:
    """One part of *Wie doet*: a key becomes the name (blanks around it kept), text stays."""
    key = part.strip()
    return part.replace(key, names[key]) if key in names else part


def _goals_named(session: Session, case: Case, names: Mapping[str, str]) -> list[GoalRow]:
    """The goals of the case, with *Wie doet* naming people instead of keys."""
    return [replace(g, who=who_named(g.who, names)) for g in goals_of(session, [case.id])[case.id]]


#: Why a document is not written for a partner without the client's consent (werkplan).
NO_CONSENT_WERKPLAN = N_(
    "the client has not consented to share information with {name} "
    "({organisation}); without consent the werkplan may not be sent. "
    "Record consent with 'icrctl partner link {ref} {partner} --consent'"
)


def consenting_partner(
    session: Session, case: Case, name: str, no_consent: str = NO_CONSENT_WERKPLAN
) -> str:
    """The key of the partner a document is for: linked to the case, with the client's consent
    (``no_consent``: the refusal, a message id with ``name``, ``organisation``, ``ref`` and
    ``partner``)."""
    partner = find_partner(session, name)
    link = find_link(session, case, partner)
    if link is None:
        raise RuleViolation(
            _("partner {partner} is not linked to case {ref}").format(
                partner=partner.key, ref=case.ref
            )
        )
    if not link.consent:
        raise RuleViolation(
            _(no_consent).format(
                name=partner.name,
                organisation=partner.organisation,
                ref=case.ref,
                partner=partner.key,
            )
        )
    return partner.key


def _betrokkenen(
    links: list[tuple[Partner, CasePartner]], members: list[MemberRow], addressee: str | None
) -> list[PlanPerson]:
    """The professionals (in a partner's version only those with consent), then the network."""
    people = [
        PlanPerson(
            p.name,
            f"{p.organisation}" + (f": {link.role}" if link.role else ""),
            p.email,
            p.phone,
            list(p.reachable),
            link.consent,
            link.coordination,
        )
        for p, link in links
        if addressee is None or link.consent
    ]
    return people + [
        PlanPerson(m.name, m.role, m.email, m.phone, [], None, None)
        for m in members
        if m.role in NETWORK_ROLES
    ]


def _running_series(session: Session, case: Case, today: dt.date) -> list[SeriesRow]:
    """The evaluation series still running: not stopped, not past their last day."""
    return [
        s
        for s in list_series(session, case.ref)
        if (s.stopped_from is None or s.stopped_from > today)
        and (s.until is None or s.until >= today)
    ]


def closing_report(session: Session, ctx: Context, ref: str) -> ClosingReport:
    """``report``: the eindrapport of a case, a draft while the case is still open."""
    case = get_case(session, ref)
    contacts = contacts_of(session, [case])[case.id]
    members = list_members(session, case.ref)
    links = partner_links(session, case)
    names = who_names(members, links)
    return ClosingReport(
        ref=case.ref,
        title=case.title,
        opened=case.opened,
        closed=case.closed,
        regisseur=case.regisseur,
        referrer=case.referrer,
        framework=case.framework,
        violence=list(case.violence),
        domains=list(case.domains),
        members=members,
        partners=[
            InvolvedPartner(p.name, p.organisation, link.role, link.consent) for p, link in links
        ],
        phases=phases.history_of(session, case),
        stages=stage_history(session, case),
        goals=_goals_named(session, case, names),
        meetings=_held_meetings(session, case, names),
        assessments=assessments_of(session, [case.id])[case.id],
        contacts=len(contacts),
        signals=sum(1 for c in contacts if c.signal),
        summary=case.closing_summary,
        safety=case.closing_safety,
        date=ctx.today,
        aftercare=aftercare_periods(session, case),
        follow_ups=follow_ups_of(session, [case.id], ctx.today)[case.id],
        **held_by(session, case, who_names([], links)),
    )


def _held_meetings(session: Session, case: Case, names: Mapping[str, str]) -> list[HeldMeeting]:
    """The evaluations held, by the day they took place, with who attended, was absent and
    refused (by name: a partner with their organisation)."""
    meetings = list(
        session.scalars(
            select(Meeting)
            .where(Meeting.case_id == case.id, Meeting.status == "held")
            .order_by(Meeting.date, Meeting.id)
        )
    )
    presence = _presence(session, [m.id for m in meetings])
    held = []
    for m in meetings:
        rows = presence.get(m.id, [])
        held.append(
            HeldMeeting(
                m.moved_to or m.date,
                m.risk,
                m.self_reliance,
                sum(1 for p, _who in rows if p == "attended"),
                [names.get(who, who) for p, who in rows if p == "refused"],
                m.series_id is None,
                [names.get(who, who) for p, who in rows if p == "attended"],
                [names.get(who, who) for p, who in rows if p == "absent"],
            )
        )
    held.sort(key=lambda h: h.date)
    return held


def _presence(session: Session, meeting_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Per meeting: each attendee's presence and key (a member's or a partner's)."""
    attendance = session.execute(
        select(Attendance.meeting_id, Attendance.presence, Member.key, Partner.key)
        .outerjoin(Member, Member.id == Attendance.member_id)
        .outerjoin(Partner, Partner.id == Attendance.partner_id)
        .where(Attendance.meeting_id.in_(meeting_ids))
        .order_by(Attendance.id)
    ).all()
    out: dict[int, list[tuple[str, str]]] = {}
    for mid, presence, mk, pk in attendance:
        out.setdefault(mid, []).append((presence, mk or pk or ""))
    return out


def save_document(
    session: Session,
    ctx: Context,
    ref: str | None,
    kind: str,
    path: Path,
    data: bytes,
    *,
    force: bool = False,
    addressee: str | None = None,
    internal: bool = False,
) -> None:
    """Write a rendered document (mode 0600, no overwrite without force) and audit it, noting a
    partner's version and an internal one (which holds the safety signals)."""
    write_private(path, data, force=force)
    fields = (["for_partner"] if addressee else []) + (["internal"] if internal else [])
    audit.record(session, ctx, "document", kind, ref, fields)
