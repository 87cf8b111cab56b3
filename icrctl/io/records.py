"""The import/export file as plain records: what ``importfile`` reads and ``exportfile`` writes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# Text that other tools take for a number (and lose its leading zero or spacing): the import
# refuses it bare where text belongs (a phone number), the export writes it in quotes.
BARE_NUMBER = re.compile(r"^[+-]?[\d_]+([.,]\d+)?$", re.ASCII)


@dataclass
class Where:
    """Where a record stands in its file, for error messages: ``FILE:LINE: path``."""

    line: int = 0
    path: str = ""


@dataclass
class PartnerRec:
    name: str
    organisation: str
    kind: str
    key: str | None = None
    email: str | None = None
    phone: str | None = None
    reachable: list[str] = field(default_factory=list)
    at: Where = field(default_factory=Where)


@dataclass
class RelationRec:
    to: str
    kind: str
    at: Where = field(default_factory=Where)


@dataclass
class MemberRec:
    name: str
    role: str
    key: str | None = None
    born: dt.date | None = None
    household: bool = True
    phone: str | None = None
    email: str | None = None
    relations: list[RelationRec] = field(default_factory=list)
    at: Where = field(default_factory=Where)
    deceased: bool = False


@dataclass
class LinkRec:
    partner: str | None = None
    inline: PartnerRec | None = None
    role: str | None = None
    consent: bool = False
    coordination: str | None = None
    at: Where = field(default_factory=Where)


@dataclass
class SeriesRec:
    every: str
    start: dt.date
    time: str = "10:00"
    weekday: str | None = None
    until: dt.date | None = None
    stopped: dt.date | None = None
    with_: list[str] = field(default_factory=list)
    at: Where = field(default_factory=Where)
    workdays: str | None = None  # next, previous: a meeting on a day off moves to a working day


@dataclass
class HistoryRec:
    date: dt.date
    phase: int
    reason: str
    track: str | None = None
    at: Where = field(default_factory=Where)


@dataclass
class StageRec:
    date: dt.date
    stage: str
    reason: str | None = None
    at: Where = field(default_factory=Where)


@dataclass
class AgreementRec:
    """An agreement made at a meeting; ``goal`` is a goal's place in the case's goals (from 1)."""

    what: str
    who: str | None = None
    due: dt.date | None = None
    goal: int | None = None
    at: Where = field(default_factory=Where)


@dataclass
class DiscussionRec:
    """What was discussed about one goal (its place in the case's goals, from 1)."""

    goal: int
    note: str
    at: Where = field(default_factory=Where)


@dataclass
class MeetingRec:
    date: dt.date
    status: str
    series: int | None = None
    extra: bool = False  # held outside any series, also on a day a series meets
    to: dt.date | None = None
    time: str | None = None
    attended: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    risk: int | None = None
    self_reliance: int | None = None
    note: str | None = None
    reason: str | None = None
    sequence: int | None = None  # how often the plan changed: the iCalendar SEQUENCE
    discussed: list[DiscussionRec] = field(default_factory=list)
    agreements: list[AgreementRec] = field(default_factory=list)  # in number order
    at: Where = field(default_factory=Where)


@dataclass
class ChecklistRec:
    item: str
    track: str | None = None
    escalated: dt.date | None = None
    done: dt.datetime | None = None
    at: Where = field(default_factory=Where)
    done_by: str | None = None


@dataclass
class ContactRec:
    date: dt.date
    kind: str
    note: str
    with_: list[str] = field(default_factory=list)
    signal: bool = False
    at: Where = field(default_factory=Where)


@dataclass
class FollowUpRec:
    """A follow-up contact of aftercare: due when, held when, and by which contact of the
    case's list (counted from 0), where one held it."""

    due: dt.date
    done: dt.date | None = None
    contact: int | None = None
    at: Where = field(default_factory=Where)


@dataclass
class GoalRec:
    goal: str
    who: str | None = None
    what: str | None = None
    due: dt.date | None = None
    status: str = "open"
    changed: dt.date | None = None
    at: Where = field(default_factory=Where)


@dataclass
class IndicatorRec:
    """A score of one of the ICR study's indicators (``indicators: {KEY: {...}}``)."""

    key: str
    score: str
    date: dt.date
    note: str | None = None
    at: Where = field(default_factory=Where)


@dataclass
class EventRec:
    date: dt.date
    kind: str
    old: str | None = None
    new: str | None = None
    reason: str | None = None
    at: Where = field(default_factory=Where)


@dataclass
class FactorRec:
    """A protective factor, risk factor or lever of the member with key ``member``."""

    member: str
    kind: str
    text: str
    at: Where = field(default_factory=Where)


@dataclass
class InterventionRec:
    term: str
    text: str
    goal: int | None = None  # the goal's place in the case's ``goals`` (from 1): its number
    at: Where = field(default_factory=Where)


@dataclass
class RoleFitRec:
    role: str
    why: str
    partner: str | None = None  # a partner's key
    who: str | None = None  # or a professional by name
    at: Where = field(default_factory=Where)


@dataclass
class AnalysisRec:
    """The Casus Plus analysis of a case."""

    problem: str | None = None
    about: str | None = None
    desired: str | None = None
    factors: list[FactorRec] = field(default_factory=list)
    interventions: list[InterventionRec] = field(default_factory=list)
    roles: list[RoleFitRec] = field(default_factory=list)
    at: Where = field(default_factory=Where)


@dataclass
class CaseRec:
    ref: str
    title: str
    opened: dt.date
    phase: int
    closed: dt.date | None = None
    stage: str = "inventory"
    framework: str = "voluntary"
    regie: str = "professional"
    regisseur: str | None = None
    referrer: str | None = None
    violence: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    plan_signed: dt.date | None = None
    members: list[MemberRec] = field(default_factory=list)
    partners: list[LinkRec] = field(default_factory=list)
    evaluations: list[SeriesRec] = field(default_factory=list)
    history: list[HistoryRec] = field(default_factory=list)
    goals: list[GoalRec] = field(default_factory=list)
    meetings: list[MeetingRec] = field(default_factory=list)
    stages: list[StageRec] = field(default_factory=list)
    checklist: list[ChecklistRec] = field(default_factory=list)
    contacts: list[ContactRec] = field(default_factory=list)
    aftercare: list[FollowUpRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    indicators: list[IndicatorRec] = field(default_factory=list)
    summary: str | None = None
    safety: str | None = None
    retention_until: dt.date | None = None
    last_member_number: int | None = None
    analysis: AnalysisRec | None = None
    #: Who holds the roles: the key of a partner linked to the case holding casusregie (else
    #: the case director, or the client by ``regie``); procesregie ``icr``, ``partner`` (with
    #: its key) or ``None``; the lead practitioner's key.
    casusregie_partner: str | None = None
    procesregie: str | None = None
    procesregie_partner: str | None = None
    regiebehandelaar: str | None = None
    at: Where = field(default_factory=Where)


@dataclass
class CaseFileRec:
    partners: list[PartnerRec] = field(default_factory=list)
    cases: list[CaseRec] = field(default_factory=list)
