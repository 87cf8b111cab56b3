"""Signals: what needs the practitioner's attention, each with a stable code and what to do.

Pure rules over plain facts about one case; ``services.signals`` gathers the facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from icrctl.domain.dates import age_on
from icrctl.domain.vocabulary import CLOSED

#: Days without contact before a signal, per phase (phase 1 has none).
CONTACT_DAYS = {2: 30, 3: 14, 4: 14}
RECENT_SIGNAL_DAYS = 14


@dataclass(frozen=True)
class Signal:
    code: str
    message: str


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
    partners_without_consent: list[str] = field(default_factory=list)
    running_series: int = 0
    overdue: list[dt.date] = field(default_factory=list)
    last_contact: dt.date | None = None
    open_checklist: list[str] = field(default_factory=list)
    refused_last: list[str] = field(default_factory=list)
    holiday_meetings: list[tuple[dt.date, str]] = field(default_factory=list)
    overdue_goals: list[tuple[int, str, dt.date]] = field(default_factory=list)
    recent_safety_signals: list[dt.date] = field(default_factory=list)
    members: int = 0
    partners: int = 0


def signals(f: CaseFacts, today: dt.date) -> list[Signal]:
    """Every signal for one case, in a fixed order; a closed case has none."""
    out: list[Signal] = []
    if f.stage == CLOSED:
        return out
    young = [c for c in f.children if age_on(c.born, today) < 4]
    if young and "youth_health" not in f.partner_kinds:
        names = ", ".join(c.name for c in young)
        out.append(
            Signal(
                "jgz-missing",
                f"{names} under 4 and no youth health care (JGz) "
                f"partner: link the consultatiebureau ('icrctl partner link {f.ref} …')",
            )
        )
    school_age = [c for c in f.children if 4 <= age_on(c.born, today) < 18]
    if school_age and "school" not in f.partner_kinds:
        names = ", ".join(c.name for c in school_age)
        out.append(
            Signal(
                "school-missing",
                f"{names} of school age and no school partner: the school is always involved",
            )
        )
    if f.stage in ("execution", "aftercare") and f.running_series == 0:
        out.append(
            Signal(
                "no-evaluation-series",
                f"in {f.stage} without evaluation meetings: "
                f"'icrctl eval schedule {f.ref} --every 2w'",
            )
        )
    if f.overdue:
        days = ", ".join(d.isoformat() for d in f.overdue[-3:])
        out.append(
            Signal(
                "evaluation-overdue",
                f"{len(f.overdue)} evaluation(s) overdue "
                f"({days}): record or cancel them ('icrctl eval record {f.ref} "
                "--date …')",
            )
        )
    limit = CONTACT_DAYS.get(f.phase)
    if limit is not None:
        since = f.last_contact or f.opened
        quiet = (today - since).days
        if quiet >= limit:
            last = f.last_contact.isoformat() if f.last_contact else "none yet"
            out.append(
                Signal(
                    "no-contact",
                    f"no contact for {quiet} days in phase {f.phase} "
                    f"(last: {last}; limit {limit} days): get in touch",
                )
            )
    if f.phase in (3, 4) and f.framework == "voluntary" and f.regie == "client":
        out.append(
            Signal(
                "client-regie-unsafe",
                f"phase {f.phase} while the client holds "
                "casusregie: the regiekaart says a professional must hold it "
                f"('icrctl case edit {f.ref} --regie professional')",
            )
        )
    if f.open_checklist:
        out.append(
            Signal(
                "phase4-checklist-open",
                "still to inform after the escalation: "
                f"{', '.join(f.open_checklist)} ('icrctl phase inform {f.ref} …')",
            )
        )
    if f.refused_last:
        out.append(
            Signal(
                "refused-evaluation",
                f"{', '.join(f.refused_last)} refused the last "
                "evaluation: note it and inform the referrer",
            )
        )
    if f.partners_without_consent:
        out.append(
            Signal(
                "partner-without-consent",
                f"{', '.join(f.partners_without_consent)} "
                "linked without the client's consent to share information: ask for "
                "consent, or leave them out of what you send",
            )
        )
    for day, name in f.holiday_meetings:
        out.append(
            Signal(
                "evaluation-on-holiday",
                f"evaluation on {day.isoformat()} falls on "
                f"{name}: move it ('icrctl eval move {f.ref} {day.isoformat()} …')",
            )
        )
    for number, goal, due in f.overdue_goals:
        out.append(
            Signal(
                "goal-overdue",
                f"goal {number} ({goal}) was due {due.isoformat()}: "
                f"mark it done, drop it, or set a new date",
            )
        )
    if f.recent_safety_signals:
        days = ", ".join(d.isoformat() for d in f.recent_safety_signals)
        out.append(
            Signal(
                "safety-signal",
                f"safety signal(s) logged recently ({days}): weigh them in the next evaluation",
            )
        )
    return out
