"""The words of each signal: what is wrong and what to do, with the command to do it.

``domain.signals`` decides that a signal applies and with which facts; this module, keyed by the
signal's code, is the only place its text is written (``status``, ``check`` and ``week`` all show
it from here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from icrctl import i18n
from icrctl.domain import regiekaart
from icrctl.domain.recurrence import holiday_label
from icrctl.domain.regiekaart import checklist_items
from icrctl.domain.signals import (
    AftercareContactOverdue,
    ClientRegieUnsafe,
    CompulsoryWithoutHolder,
    EvaluationOnHoliday,
    EvaluationOnWeekend,
    EvaluationOverdue,
    GoalOverdue,
    HolderInConsultation,
    JgzMissing,
    NoContact,
    NoEvaluationSeries,
    PartnerWithoutConsent,
    Phase4ChecklistOpen,
    RefusedEvaluation,
    RegieOffCard,
    ReportAfterClosing,
    SafetySignal,
    SchoolMissing,
    Signal,
)
from icrctl.domain.vocabulary import PARTNER_KIND, STAGE
from icrctl.i18n import _, ngettext, weekday

#: How many overdue evaluation dates a message names (the latest ones).
OVERDUE_NAMED = 3

# Each message is one sentence with its facts as named fields; the command it advises is a field
# too, so that it reads the same in every language. Where the English says ``(s)`` for any count,
# ngettext gives the Dutch its singular and plural (the English ids of both are the same).


def _listed(items: Iterable[str]) -> str:
    return ", ".join(items)


def _days(dates: Iterable[dt.date]) -> str:
    return _listed(d.isoformat() for d in dates)


def _jgz_missing(s: JgzMissing) -> str:
    return _(
        "{children} under 4 and no youth health care (JGz) partner: link the consultatiebureau "
        "({command})"
    ).format(children=_listed(s.children), command=f"'icrctl partner link {s.ref} …'")


def _school_missing(s: SchoolMissing) -> str:
    return _(
        "{children} of school age and no school partner: the school is always involved"
    ).format(children=_listed(s.children))


def _no_evaluation_series(s: NoEvaluationSeries) -> str:
    return _("in {stage} without evaluation meetings: {command}").format(
        stage=STAGE.label(s.stage), command=f"'icrctl eval schedule {s.ref} --every 2w'"
    )


def _evaluation_overdue(s: EvaluationOverdue) -> str:
    return ngettext(
        "{count} evaluation(s) overdue ({dates}): record or cancel them ({command})",
        "{count} evaluation(s) overdue ({dates}): record or cancel them ({command})",
        len(s.dates),
    ).format(
        count=len(s.dates),
        dates=_days(s.dates[-OVERDUE_NAMED:]),
        command=f"'icrctl eval record {s.ref} --date …'",
    )


def _no_contact(s: NoContact) -> str:
    if s.last is None:
        words = _(
            "no contact for {days} days in phase {phase} (last: none yet; limit {limit} days): "
            "get in touch"
        )
    else:
        words = _(
            "no contact for {days} days in phase {phase} (last: {last}; limit {limit} days): "
            "get in touch"
        )
    last = s.last.isoformat() if s.last else ""
    return words.format(days=s.days, phase=s.phase, last=last, limit=s.limit)


def _client_regie_unsafe(s: ClientRegieUnsafe) -> str:
    return _(
        "phase {phase} while the client holds casusregie: the regiekaart says a professional "
        "must hold it ({command})"
    ).format(phase=s.phase, command=f"'icrctl case edit {s.ref} --regie professional'")


def _regie_off_card(s: RegieOffCard) -> str:
    card = regiekaart.phase(s.phase)
    framework = s.framework if s.framework in card.casusregie else card.frameworks[0]
    regie = regiekaart.default_regie(s.phase, framework)
    return _("{rule} ({command})").format(
        rule=regiekaart.casusregie_breach(s.phase, s.framework, s.regie),
        command=f"'icrctl case edit {s.ref} --framework {framework} --regie {regie}'",
    )


def _compulsory_without_holder(s: CompulsoryWithoutHolder) -> str:
    card = regiekaart.phase(s.phase).roles["casusregie_compulsory"] or "–"
    if s.fitting:
        command = f"'icrctl case edit {s.ref} --casusregie {s.fitting[0]}'"
        todo = _("hand it to {partner}, linked already: {command}").format(
            partner=s.fitting[0], command=command
        )
    else:
        named = regiekaart.named_casusregie_kinds(s.phase, "compulsory", s.youth)
        todo = _("link a partner of kind {kinds} ({link}), then hand it over ({edit})").format(
            kinds=_(" or ").join(PARTNER_KIND.label(kind) for kind in named),
            link=f"'icrctl partner link {s.ref} …'",
            edit=f"'icrctl case edit {s.ref} --casusregie …'",
        )
    if s.partner is None:
        return _(
            "compulsory framework and no partner holds casusregie: regiekaart: {card} — {todo}"
        ).format(card=card, todo=todo)
    kind = PARTNER_KIND.label(s.kind or "other")
    if not s.youth and s.kind in regiekaart.named_casusregie_kinds(s.phase, "compulsory"):
        return _(
            "compulsory framework and casusregie is held by {partner}, a partner of kind {kind}, "
            "who fits a youth measure only: no child in the case, so the adults' list applies: "
            "regiekaart: {card} — {todo}"
        ).format(partner=s.partner, kind=kind, card=card, todo=todo)
    return _(
        "compulsory framework and casusregie is held by {partner}, a partner of kind {kind}: "
        "regiekaart: {card} — {todo}"
    ).format(partner=s.partner, kind=kind, card=card, todo=todo)


def _holder_in_consultation(s: HolderInConsultation) -> str:
    if s.role == "casusregie":
        note = regiekaart.casusregie_note(s.phase, s.framework, s.holder, s.kind)
    else:
        note = regiekaart.procesregie_note(s.phase, s.holder, s.kind)
    command = f"'icrctl case edit {s.ref} --{s.role} …'"
    return _("{rule} — or hand the role to a holder the card names ({command})").format(
        rule=note, command=command
    )


def _phase4_checklist_open(s: Phase4ChecklistOpen) -> str:
    items = checklist_items()

    def named(item: str) -> str:
        return items.label(item) if item in items.terms else item

    listed = (
        checklist_duties(zip(s.tracks, s.items, strict=True), named)
        if s.tracks
        else _listed(named(item) for item in s.items)
    )
    return _("still to inform after the escalation: {items} ({command})").format(
        items=listed, command=f"'icrctl phase inform {s.ref} …'"
    )


def checklist_duties(items: Iterable[tuple[str, str]], named: Callable[[str], str] = str) -> str:
    """Phase-4 checklist items (``(track, code)``) by whose task they are, as the regiekaart
    says: the ICR's own first, then per whom the card names, the ICR to check it was done
    (``aov (yours); local_triangle, communications_adviser (by AOV; to check)``). ``named``
    gives an item's word."""
    groups: dict[str | None, list[str]] = {}
    for track, code in items:
        yours = regiekaart.checklist_yours(track, code)
        who = None if yours else regiekaart.checklist_informed_by(track, code)
        groups.setdefault(who, []).append(named(code))
    parts = []
    for who, codes in sorted(groups.items(), key=lambda g: g[0] is not None):
        parts.append(
            _("{items} (yours)").format(items=_listed(codes))
            if who is None
            else _("{items} (by {who}; to check)").format(items=_listed(codes), who=who)
        )
    return "; ".join(parts)


def _refused_evaluation(s: RefusedEvaluation) -> str:
    return ngettext(
        "{names} refused the last evaluation: note it and inform the referrer",
        "{names} refused the last evaluation: note it and inform the referrer",
        len(s.names),
    ).format(names=_listed(s.names))


def _partner_without_consent(s: PartnerWithoutConsent) -> str:
    partner = s.partners[0] if len(s.partners) == 1 else "…"
    return ngettext(
        "{partners} invited to the evaluations, where the plan is shared, without the client's "
        "consent to share information: ask for consent and record it ({command}), or discuss "
        "the plan without them",
        "{partners} invited to the evaluations, where the plan is shared, without the client's "
        "consent to share information: ask for consent and record it ({command}), or discuss "
        "the plan without them",
        len(s.partners),
    ).format(
        partners=_listed(s.partners),
        command=f"'icrctl partner link {s.ref} {partner} --consent'",
    )


def _evaluation_on_holiday(s: EvaluationOnHoliday) -> str:
    day = s.date.isoformat()
    return _("evaluation on {date} falls on {holiday}: move it ({command})").format(
        date=day, holiday=holiday_label(s.holiday), command=f"'icrctl eval move {s.ref} {day} …'"
    )


def _evaluation_on_weekend(s: EvaluationOnWeekend) -> str:
    day = s.date.isoformat()
    return _("evaluation on {date} falls on a {weekend}: move it ({command})").format(
        date=day, weekend=weekday(s.date), command=f"'icrctl eval move {s.ref} {day} …'"
    )


def _goal_overdue(s: GoalOverdue) -> str:
    return _(
        "goal {number} ({goal}) was due {due}: mark it done, drop it, or set a new date"
    ).format(number=s.number, goal=s.goal, due=s.due.isoformat())


def _safety_signal(s: SafetySignal) -> str:
    return ngettext(
        "safety signal(s) logged recently ({dates}): weigh them in the next evaluation",
        "safety signal(s) logged recently ({dates}): weigh them in the next evaluation",
        len(s.dates),
    ).format(dates=_days(s.dates))


def _aftercare_contact_overdue(s: AftercareContactOverdue) -> str:
    return ngettext(
        "aftercare follow-up contact(s) due {dates} not held: get in touch with the family, "
        "or mark one held ({command})",
        "aftercare follow-up contact(s) due {dates} not held: get in touch with the family, "
        "or mark one held ({command})",
        len(s.dates),
    ).format(dates=_days(s.dates), command=f"'icrctl case aftercare {s.ref} --done …'")


def _report_after_closing(s: ReportAfterClosing) -> str:
    return ngettext(
        "report(s) logged since the case closed on {closed} ({dates}): consider reopening it "
        "({command})",
        "report(s) logged since the case closed on {closed} ({dates}): consider reopening it "
        "({command})",
        len(s.dates),
    ).format(
        closed=s.closed.isoformat(),
        dates=_days(s.dates),
        command=f"'icrctl case reopen {s.ref} --reason …'",
    )


#: The words of each signal code; each function takes the signal kind of its code.
WORDS: dict[str, Callable[[Any], str]] = {
    JgzMissing.code: _jgz_missing,
    SchoolMissing.code: _school_missing,
    NoEvaluationSeries.code: _no_evaluation_series,
    EvaluationOverdue.code: _evaluation_overdue,
    NoContact.code: _no_contact,
    ClientRegieUnsafe.code: _client_regie_unsafe,
    RegieOffCard.code: _regie_off_card,
    CompulsoryWithoutHolder.code: _compulsory_without_holder,
    HolderInConsultation.code: _holder_in_consultation,
    Phase4ChecklistOpen.code: _phase4_checklist_open,
    RefusedEvaluation.code: _refused_evaluation,
    PartnerWithoutConsent.code: _partner_without_consent,
    EvaluationOnHoliday.code: _evaluation_on_holiday,
    EvaluationOnWeekend.code: _evaluation_on_weekend,
    GoalOverdue.code: _goal_overdue,
    SafetySignal.code: _safety_signal,
    AftercareContactOverdue.code: _aftercare_contact_overdue,
    ReportAfterClosing.code: _report_after_closing,
}


def message(signal: Signal, language: str | None = None) -> str:
    """What the signal means and what to do about it, in the words every command shows: in the
    language in use, or in ``language`` (``"en"`` for JSON and CSV, which read the same in every
    language)."""
    if language is None or language == i18n.language():
        return WORDS[signal.code](signal)
    previous = i18n.language()
    i18n.use(language)
    try:
        return WORDS[signal.code](signal)
    finally:
        i18n.use(previous)
