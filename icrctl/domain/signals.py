"""Signals: what needs the practitioner's attention, each a stable code and the facts behind it.

Pure rules over plain facts about one case; ``services.signals`` gathers the facts and
``render.signals`` puts each signal into words (what is wrong and what to do about it). One rule
function per code, run in the fixed order of :data:`RULES`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from icrctl.domain import aftercare, regiekaart
from icrctl.domain.dates import age_on
from icrctl.domain.vocabulary import CLOSED

#: Days without contact before a signal, per phase (phase 1 has none).
CONTACT_DAYS = {2: 30, 3: 14, 4: 14}
RECENT_SIGNAL_DAYS = 14


@dataclass
class Child:
    key: str
    name: str
    born: dt.date


@dataclass
class CaseFacts:
    ref: str
    phase: int
    stage: str
    framework: str
    regie: str
    opened: dt.date
    children: list[Child] = field(default_factory=list)
    partner_kinds: set[str] = field(default_factory=set)
    #: The partners linked to the case, as (key, kind), in link order.
    linked_partners: list[tuple[str, str]] = field(default_factory=list)
    #: Partners linked without the client's consent to share information, in link order: a
    #: fact (the police, a GI under a court order are often linked so), a signal only with
    #: :attr:`invited_partners`.
    partners_without_consent: list[str] = field(default_factory=list)
    #: Partners invited to an evaluation series that still runs: its meetings share the plan.
    invited_partners: set[str] = field(default_factory=set)
    running_series: int = 0
    overdue: list[dt.date] = field(default_factory=list)
    last_contact: dt.date | None = None
    open_checklist: list[str] = field(default_factory=list)
    #: The track of each open checklist item (its latest open escalation), by code.
    checklist_tracks: dict[str, str] = field(default_factory=dict)
    refused_last: list[str] = field(default_factory=list)
    holiday_meetings: list[tuple[dt.date, str]] = field(default_factory=list)
    weekend_meetings: list[dt.date] = field(default_factory=list)
    overdue_goals: list[tuple[int, str, dt.date]] = field(default_factory=list)
    recent_safety_signals: list[dt.date] = field(default_factory=list)
    members: int = 0
    partners: int = 0
    #: The due dates of the aftercare follow-ups not held yet, earliest first.
    open_follow_ups: list[dt.date] = field(default_factory=list)
    #: The day the case closed (None while open), and the days of the reports (meldingen)
    #: logged since then.
    closed: dt.date | None = None
    reports_since_closing: list[dt.date] = field(default_factory=list)
    #: Who holds casusregie: ``client``, ``icr`` (the case director) or ``partner`` (the key and
    #: kind below); procesregie ``icr``, ``partner`` or ``None`` (nobody named).
    casusregie: str = "icr"
    casusregie_partner: str | None = None
    casusregie_kind: str | None = None
    procesregie: str | None = None
    procesregie_partner: str | None = None
    procesregie_kind: str | None = None
    #: A child among the members (or no members yet): a compulsory framework may be a youth
    #: measure, so the card's youth holder (the GI) counts besides the adults' ones.
    youth: bool = True


# --- the signals: a code and the facts its words need ----------------------------------------


@dataclass(frozen=True)
class Signal:
    """One signal for the case ``ref``; each kind below adds its ``code`` and its facts."""

    code: ClassVar[str]
    ref: str


@dataclass(frozen=True)
class JgzMissing(Signal):
    """Children under 4 and no youth health care (JGz) partner."""

    code: ClassVar[str] = "jgz-missing"
    children: tuple[str, ...]


@dataclass(frozen=True)
class SchoolMissing(Signal):
    """Children of school age and no school partner."""

    code: ClassVar[str] = "school-missing"
    children: tuple[str, ...]


@dataclass(frozen=True)
class NoEvaluationSeries(Signal):
    """In ``stage`` (execution or aftercare) without evaluation meetings."""

    code: ClassVar[str] = "no-evaluation-series"
    stage: str


@dataclass(frozen=True)
class EvaluationOverdue(Signal):
    """Evaluations past their date, neither recorded nor cancelled, oldest first."""

    code: ClassVar[str] = "evaluation-overdue"
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class NoContact(Signal):
    """``days`` without contact in ``phase``, at or over its ``limit``."""

    code: ClassVar[str] = "no-contact"
    phase: int
    days: int
    last: dt.date | None
    limit: int


@dataclass(frozen=True)
class ClientRegieUnsafe(Signal):
    """Phase 3 or 4 of a voluntary framework while the client holds casusregie."""

    code: ClassVar[str] = "client-regie-unsafe"
    phase: int


@dataclass(frozen=True)
class RegieOffCard(Signal):
    """A framework or casusregie the regiekaart does not give the case's phase (phase 1 in a
    compulsory framework, or directed by a professional; the client in a compulsory framework):
    a case from before the rule, or closed then and reopened. ``client-regie-unsafe`` already
    says it for the client in phase 3 or 4 of a voluntary framework."""

    code: ClassVar[str] = "regie-off-card"
    phase: int
    framework: str
    regie: str


@dataclass(frozen=True)
class CompulsoryWithoutHolder(Signal):
    """A compulsory framework whose casusregie no linked partner of a kind the card names for it
    holds (the GI for youth; probation, forensic care or a care provider for adults): the case
    director holds it, or a partner of another kind. ``partner`` and ``kind`` are the holder's
    when a partner holds it; ``fitting`` the keys of the linked partners of a kind the card
    names, who could take it over."""

    code: ClassVar[str] = "compulsory-without-holder"
    phase: int
    partner: str | None
    kind: str | None
    youth: bool
    fitting: tuple[str, ...] = ()


@dataclass(frozen=True)
class HolderInConsultation(Signal):
    """A role held by someone the card does not name for it in this phase (in consultation, in
    overleg): casusregie of a voluntary framework by a partner of another kind, or procesregie
    by a holder the phase's list lacks (or in phase 1, where nobody holds it)."""

    code: ClassVar[str] = "holder-in-consultation"
    role: str
    phase: int
    framework: str
    holder: str
    partner: str | None
    kind: str | None


@dataclass(frozen=True)
class Phase4ChecklistOpen(Signal):
    """People still to inform after the escalation to phase 4; ``tracks`` the track of each
    item, in the same order (empty when not known), which says whose task it is."""

    code: ClassVar[str] = "phase4-checklist-open"
    items: tuple[str, ...]
    tracks: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefusedEvaluation(Signal):
    """Members who refused the last evaluation held."""

    code: ClassVar[str] = "refused-evaluation"
    names: tuple[str, ...]


@dataclass(frozen=True)
class PartnerWithoutConsent(Signal):
    """Partners without the client's consent to share information, invited all the same to a
    running evaluation series, where the plan is shared."""

    code: ClassVar[str] = "partner-without-consent"
    partners: tuple[str, ...]


@dataclass(frozen=True)
class EvaluationOnHoliday(Signal):
    """A planned evaluation on a public holiday."""

    code: ClassVar[str] = "evaluation-on-holiday"
    date: dt.date
    holiday: str


@dataclass(frozen=True)
class EvaluationOnWeekend(Signal):
    """A planned evaluation on a Saturday or Sunday (that is no public holiday as well)."""

    code: ClassVar[str] = "evaluation-on-weekend"
    date: dt.date


@dataclass(frozen=True)
class GoalOverdue(Signal):
    """An open goal past its due date."""

    code: ClassVar[str] = "goal-overdue"
    number: int
    goal: str
    due: dt.date


@dataclass(frozen=True)
class SafetySignal(Signal):
    """Safety signals logged in the last :data:`RECENT_SIGNAL_DAYS` days."""

    code: ClassVar[str] = "safety-signal"
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class AftercareContactOverdue(Signal):
    """Aftercare follow-up contacts past their due date and not held, earliest first."""

    code: ClassVar[str] = "aftercare-contact-overdue"
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class ReportAfterClosing(Signal):
    """Reports (meldingen) logged within the report period after the case ``closed``: the way
    back is short, reopen the case."""

    code: ClassVar[str] = "report-after-closing"
    closed: dt.date
    dates: tuple[dt.date, ...]


# --- the rules, one per code -------------------------------------------------------------------


def jgz_missing(f: CaseFacts, today: dt.date) -> list[JgzMissing]:
    young = tuple(c.name for c in f.children if age_on(c.born, today) < 4)
    if young and "youth_health" not in f.partner_kinds:
        return [JgzMissing(f.ref, young)]
    return []


def school_missing(f: CaseFacts, today: dt.date) -> list[SchoolMissing]:
    school_age = tuple(c.name for c in f.children if 4 <= age_on(c.born, today) < 18)
    if school_age and "school" not in f.partner_kinds:
        return [SchoolMissing(f.ref, school_age)]
    return []


def no_evaluation_series(f: CaseFacts, today: dt.date) -> list[NoEvaluationSeries]:
    if f.stage in ("execution", "aftercare") and f.running_series == 0:
        return [NoEvaluationSeries(f.ref, f.stage)]
    return []


def evaluation_overdue(f: CaseFacts, today: dt.date) -> list[EvaluationOverdue]:
    return [EvaluationOverdue(f.ref, tuple(f.overdue))] if f.overdue else []


def no_contact(f: CaseFacts, today: dt.date) -> list[NoContact]:
    """From :data:`CONTACT_DAYS` days after the last contact (or the opening, if none) on."""
    limit = CONTACT_DAYS.get(f.phase)
    if limit is None:
        return []
    quiet = (today - (f.last_contact or f.opened)).days
    if quiet < limit:
        return []
    return [NoContact(f.ref, f.phase, quiet, f.last_contact, limit)]


def client_regie_unsafe(f: CaseFacts, today: dt.date) -> list[ClientRegieUnsafe]:
    if f.phase in (3, 4) and f.framework == "voluntary" and f.regie == "client":
        return [ClientRegieUnsafe(f.ref, f.phase)]
    return []


def regie_off_card(f: CaseFacts, today: dt.date) -> list[RegieOffCard]:
    if client_regie_unsafe(f, today):
        return []
    if regiekaart.casusregie_breach(f.phase, f.framework, f.regie) is None:
        return []
    return [RegieOffCard(f.ref, f.phase, f.framework, f.regie)]


def compulsory_without_holder(f: CaseFacts, today: dt.date) -> list[CompulsoryWithoutHolder]:
    """A compulsory case held by a professional who is not of a kind the card names; a case
    the card refuses as it stands is ``regie-off-card`` (or ``client-regie-unsafe``) only."""
    if f.framework != "compulsory" or f.regie != "professional":
        return []
    if regiekaart.casusregie_breach(f.phase, f.framework, f.regie) is not None:
        return []
    named = regiekaart.named_casusregie_kinds(f.phase, f.framework, f.youth)
    if f.casusregie == regiekaart.PARTNER and f.casusregie_kind in named:
        return []
    held = f.casusregie == regiekaart.PARTNER
    fitting = tuple(key for key, kind in f.linked_partners if kind in named)
    return [
        CompulsoryWithoutHolder(
            f.ref,
            f.phase,
            f.casusregie_partner if held else None,
            f.casusregie_kind if held else None,
            f.youth,
            fitting,
        )
    ]


def holder_in_consultation(f: CaseFacts, today: dt.date) -> list[HolderInConsultation]:
    """One signal per role whose holder the card names only in consultation; a compulsory
    framework's casusregie is ``compulsory-without-holder``'s."""
    found = []
    if (
        f.framework != "compulsory"
        and regiekaart.casusregie_breach(f.phase, f.framework, f.regie) is None
        and regiekaart.casusregie_note(
            f.phase, f.framework, f.casusregie, f.casusregie_kind, f.youth
        )
    ):
        found.append(
            HolderInConsultation(
                f.ref,
                "casusregie",
                f.phase,
                f.framework,
                f.casusregie,
                f.casusregie_partner,
                f.casusregie_kind,
            )
        )
    if regiekaart.procesregie_note(f.phase, f.procesregie, f.procesregie_kind):
        found.append(
            HolderInConsultation(
                f.ref,
                "procesregie",
                f.phase,
                f.framework,
                f.procesregie or "",
                f.procesregie_partner,
                f.procesregie_kind,
            )
        )
    return found


def phase4_checklist_open(f: CaseFacts, today: dt.date) -> list[Phase4ChecklistOpen]:
    if not f.open_checklist:
        return []
    tracks = tuple(f.checklist_tracks.get(item, "") for item in f.open_checklist)
    return [Phase4ChecklistOpen(f.ref, tuple(f.open_checklist), tracks if any(tracks) else ())]


def refused_evaluation(f: CaseFacts, today: dt.date) -> list[RefusedEvaluation]:
    return [RefusedEvaluation(f.ref, tuple(f.refused_last))] if f.refused_last else []


def partner_without_consent(f: CaseFacts, today: dt.date) -> list[PartnerWithoutConsent]:
    """Linked without consent is lawful and common (the police, a GI under a court order); a
    signal only for those of them invited to the evaluations, where the plan is shared."""
    invited = tuple(key for key in f.partners_without_consent if key in f.invited_partners)
    return [PartnerWithoutConsent(f.ref, invited)] if invited else []


def evaluation_on_holiday(f: CaseFacts, today: dt.date) -> list[EvaluationOnHoliday]:
    """One signal per planned evaluation on a public holiday."""
    return [EvaluationOnHoliday(f.ref, day, name) for day, name in f.holiday_meetings]


def evaluation_on_weekend(f: CaseFacts, today: dt.date) -> list[EvaluationOnWeekend]:
    """One signal per planned evaluation on a weekend; a public holiday in the weekend is
    ``evaluation-on-holiday`` only, so that one meeting gives one signal."""
    holidays = {day for day, _ in f.holiday_meetings}
    return [
        EvaluationOnWeekend(f.ref, day)
        for day in f.weekend_meetings
        if day.weekday() >= 5 and day not in holidays
    ]


def goal_overdue(f: CaseFacts, today: dt.date) -> list[GoalOverdue]:
    """One signal per overdue goal."""
    return [GoalOverdue(f.ref, number, goal, due) for number, goal, due in f.overdue_goals]


def safety_signal(f: CaseFacts, today: dt.date) -> list[SafetySignal]:
    if f.recent_safety_signals:
        return [SafetySignal(f.ref, tuple(f.recent_safety_signals))]
    return []


def aftercare_contact_overdue(f: CaseFacts, today: dt.date) -> list[AftercareContactOverdue]:
    """A follow-up past due and not held, in an open case (a case closed with ``--force``
    before one was held no longer owes it; reopened, it does again)."""
    if f.closed is not None:
        return []
    late = aftercare.overdue(f.open_follow_ups, today)
    return [AftercareContactOverdue(f.ref, tuple(late))] if late else []


def report_after_closing(f: CaseFacts, today: dt.date) -> list[ReportAfterClosing]:
    """A closed case with reports logged within :data:`aftercare.REPORT_PERIOD_MONTHS` after
    closing, while that period lasts (``today`` within it)."""
    if f.closed is None or not aftercare.in_report_period(f.closed, today):
        return []
    days = tuple(d for d in f.reports_since_closing if aftercare.in_report_period(f.closed, d))
    return [ReportAfterClosing(f.ref, f.closed, days)] if days else []


Rule = Callable[[CaseFacts, dt.date], Sequence[Signal]]

#: Every rule, in the order its signals are listed.
RULES: tuple[Rule, ...] = (
    jgz_missing,
    school_missing,
    no_evaluation_series,
    evaluation_overdue,
    no_contact,
    client_regie_unsafe,
    regie_off_card,
    compulsory_without_holder,
    holder_in_consultation,
    phase4_checklist_open,
    refused_evaluation,
    partner_without_consent,
    evaluation_on_holiday,
    evaluation_on_weekend,
    goal_overdue,
    safety_signal,
    aftercare_contact_overdue,
)
#: The rules of a closed case: the way back after closing.
CLOSED_RULES: tuple[Rule, ...] = (report_after_closing,)


def signals(f: CaseFacts, today: dt.date) -> list[Signal]:
    """Every signal for one case, in the order of :data:`RULES`; a closed case has only those of
    :data:`CLOSED_RULES`."""
    rules = CLOSED_RULES if f.stage == CLOSED else RULES
    return [s for rule in rules for s in rule(f, today)]
