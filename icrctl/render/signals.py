"""The words of each signal: what is wrong and what to do, with the command to do it.

``domain.signals`` decides that a signal applies and with which facts; this module, keyed by the
signal's code, is the only place its text is written (``status``, ``check`` and ``week`` all show
it from here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from icrctl.domain.signals import (
    ClientRegieUnsafe,
    EvaluationOnHoliday,
    EvaluationOnWeekend,
    EvaluationOverdue,
    GoalOverdue,
    JgzMissing,
    NoContact,
    NoEvaluationSeries,
    PartnerWithoutConsent,
    Phase4ChecklistOpen,
    RefusedEvaluation,
    SafetySignal,
    SchoolMissing,
    Signal,
)

#: How many overdue evaluation dates a message names (the latest ones).
OVERDUE_NAMED = 3


def _listed(items: Iterable[str]) -> str:
    return ", ".join(items)


def _days(dates: Iterable[dt.date]) -> str:
    return _listed(d.isoformat() for d in dates)


def _jgz_missing(s: JgzMissing) -> str:
    return (
        f"{_listed(s.children)} under 4 and no youth health care (JGz) "
        f"partner: link the consultatiebureau ('icrctl partner link {s.ref} …')"
    )


def _school_missing(s: SchoolMissing) -> str:
    return (
        f"{_listed(s.children)} of school age and no school partner: the school is always involved"
    )


def _no_evaluation_series(s: NoEvaluationSeries) -> str:
    return f"in {s.stage} without evaluation meetings: 'icrctl eval schedule {s.ref} --every 2w'"


def _evaluation_overdue(s: EvaluationOverdue) -> str:
    return (
        f"{len(s.dates)} evaluation(s) overdue ({_days(s.dates[-OVERDUE_NAMED:])}): "
        f"record or cancel them ('icrctl eval record {s.ref} --date …')"
    )


def _no_contact(s: NoContact) -> str:
    last = s.last.isoformat() if s.last else "none yet"
    return (
        f"no contact for {s.days} days in phase {s.phase} "
        f"(last: {last}; limit {s.limit} days): get in touch"
    )


def _client_regie_unsafe(s: ClientRegieUnsafe) -> str:
    return (
        f"phase {s.phase} while the client holds casusregie: the regiekaart says a professional "
        f"must hold it ('icrctl case edit {s.ref} --regie professional')"
    )


def _phase4_checklist_open(s: Phase4ChecklistOpen) -> str:
    return (
        f"still to inform after the escalation: {_listed(s.items)} "
        f"('icrctl phase inform {s.ref} …')"
    )


def _refused_evaluation(s: RefusedEvaluation) -> str:
    return f"{_listed(s.names)} refused the last evaluation: note it and inform the referrer"


def _partner_without_consent(s: PartnerWithoutConsent) -> str:
    return (
        f"{_listed(s.partners)} linked without the client's consent to share information: "
        "ask for consent, or leave them out of what you send"
    )


def _evaluation_on_holiday(s: EvaluationOnHoliday) -> str:
    day = s.date.isoformat()
    return f"evaluation on {day} falls on {s.holiday}: move it ('icrctl eval move {s.ref} {day} …')"


def _evaluation_on_weekend(s: EvaluationOnWeekend) -> str:
    day = s.date.isoformat()
    weekend = ("Saturday", "Sunday")[s.date.weekday() - 5]
    return f"evaluation on {day} falls on a {weekend}: move it ('icrctl eval move {s.ref} {day} …')"


def _goal_overdue(s: GoalOverdue) -> str:
    return (
        f"goal {s.number} ({s.goal}) was due {s.due.isoformat()}: "
        "mark it done, drop it, or set a new date"
    )


def _safety_signal(s: SafetySignal) -> str:
    return f"safety signal(s) logged recently ({_days(s.dates)}): weigh them in the next evaluation"


#: The words of each signal code; each function takes the signal kind of its code.
WORDS: dict[str, Callable[[Any], str]] = {
    JgzMissing.code: _jgz_missing,
    SchoolMissing.code: _school_missing,
    NoEvaluationSeries.code: _no_evaluation_series,
    EvaluationOverdue.code: _evaluation_overdue,
    NoContact.code: _no_contact,
    ClientRegieUnsafe.code: _client_regie_unsafe,
    Phase4ChecklistOpen.code: _phase4_checklist_open,
    RefusedEvaluation.code: _refused_evaluation,
    PartnerWithoutConsent.code: _partner_without_consent,
    EvaluationOnHoliday.code: _evaluation_on_holiday,
    EvaluationOnWeekend.code: _evaluation_on_weekend,
    GoalOverdue.code: _goal_overdue,
    SafetySignal.code: _safety_signal,
}


def message(signal: Signal) -> str:
    """What the signal means and what to do about it, in the words every command shows."""
    return WORDS[signal.code](signal)
