"""The closing checklist: what must be done before a case closes (``case close``).

A case closes when the work is done, not when the practitioner runs out of time: every partner
sharing with consent was told it is closing, the process plan was signed, everyone the regiekaart
says to inform after an escalation to phase 4 was informed, nothing that signals danger or an
unfinished record is open, and the case went through aftercare (nazorg) first, its follow-up
contacts held (or dropped). This module is the one place that says which items are on the list
and what each is called; the service gathers the facts, and ``case close --force --reason``
closes anyway, the reason kept with the closing. Pure Python: no command syntax here (the service
passes in how to settle an item, where one command does it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from icrctl.domain.regiekaart import checklist_items
from icrctl.domain.signals import (
    EvaluationOverdue,
    JgzMissing,
    Phase4ChecklistOpen,
    SafetySignal,
    SchoolMissing,
    Signal,
)
from icrctl.errors import RuleViolation
from icrctl.i18n import N_, _, ngettext

#: A partner linked to the case with consent was not told that it is closing: no contact with them
#: logged since the case last entered aftercare (or, never in aftercare, since its last stage
#: change). Partners without consent are not told: nothing is shared with them without consent.
PARTNERS_UNINFORMED = "partners-uninformed"
#: The process plan (procesplan) was never signed by the family: ``plan_signed`` is not set.
PLAN_UNSIGNED = "plan-unsigned"
#: The case's stage history has no aftercare (nazorg): it would close straight from the work.
NO_AFTERCARE = "no-aftercare"
#: Follow-up contacts of aftercare neither held nor dropped: aftercare was not held through.
AFTERCARE_OPEN = "aftercare-contacts-open"

#: The signals that keep a case from closing, in the order the refusal lists them. Why each:
#:
#: - ``safety-signal``: a safety signal logged in the last two weeks means safety is not settled,
#:   so the closing's safety section cannot yet say how it stands;
#: - ``evaluation-overdue``: an evaluation neither recorded nor cancelled leaves a hole in the
#:   record the closing report draws on (the scores, who attended);
#: - ``phase4-checklist-open``: after an escalation to phase 4 the regiekaart names who must be
#:   informed; closing does not make that unnecessary;
#: - ``school-missing``, ``jgz-missing``: after closing, the school and youth health care (JGz) are
#:   the professionals who keep seeing the children; without them no one watches once casusregie
#:   ends.
#:
#: The other signals do not block: ``no-contact`` and ``no-evaluation-series`` are how aftercare
#: winds down; what became of an overdue goal or a refused evaluation is said in the closing
#: summary; closing stops the series, which ends ``evaluation-on-holiday``,
#: ``evaluation-on-weekend`` and ``partner-without-consent``; and it ends casusregie and
#: procesregie, which ends ``client-regie-unsafe``, ``regie-off-card``,
#: ``compulsory-without-holder`` and ``holder-in-consultation`` (who held a role is said in the
#: closing report).
BLOCKING_SIGNALS: tuple[str, ...] = (
    SafetySignal.code,
    EvaluationOverdue.code,
    Phase4ChecklistOpen.code,
    SchoolMissing.code,
    JgzMissing.code,
)

#: Every item of the checklist, in the order the refusal lists them.
ITEMS: tuple[str, ...] = (
    PARTNERS_UNINFORMED,
    PLAN_UNSIGNED,
    *BLOCKING_SIGNALS,
    NO_AFTERCARE,
    AFTERCARE_OPEN,
)

#: What each open item is called; ``{names}`` lists its facts (dates, people, children).
WHAT: dict[str, str] = {
    PARTNERS_UNINFORMED: N_("partners not informed of the closing: {names}"),
    PLAN_UNSIGNED: N_("process plan not signed"),
    SafetySignal.code: N_("recent safety signals ({names})"),
    EvaluationOverdue.code: N_("evaluations overdue ({names})"),
    Phase4ChecklistOpen.code: N_("still to inform after phase 4: {names}"),
    SchoolMissing.code: N_("no school partner for {names}"),
    JgzMissing.code: N_("no youth health care (JGz) partner for {names}"),
    NO_AFTERCARE: N_("never in aftercare"),
    AFTERCARE_OPEN: N_("aftercare follow-up contacts not held ({names})"),
}


@dataclass(frozen=True)
class OpenItem:
    """One item of the checklist still open: its code (one of :data:`ITEMS`) and its facts, in
    the language in use when it was found (dates ISO)."""

    code: str
    names: tuple[str, ...] = ()

    def what(self) -> str:
        """The item in words, in the language in use."""
        return _(WHAT[self.code]).format(names=", ".join(self.names))


@dataclass(frozen=True)
class ClosingFacts:
    """What the checklist looks at: whether the plan was signed, whether the stage history has
    aftercare, the case's signals today, and the due dates of the aftercare follow-ups neither
    held nor dropped. Aftercare is held when the case was in it and every follow-up planned
    was held or dropped. ``uninformed_partners`` names the partners with consent not yet told
    that the case is closing (name and organisation), as the service found them."""

    plan_signed: bool
    had_aftercare: bool
    signals: tuple[Signal, ...] = ()
    open_follow_ups: tuple[dt.date, ...] = ()
    uninformed_partners: tuple[str, ...] = ()


def _names(signal: Signal) -> tuple[str, ...]:
    if isinstance(signal, SafetySignal | EvaluationOverdue):
        return tuple(day.isoformat() for day in signal.dates)
    if isinstance(signal, Phase4ChecklistOpen):
        items = checklist_items()
        return tuple(items.label(i) if i in items.terms else i for i in signal.items)
    if isinstance(signal, SchoolMissing | JgzMissing):
        return signal.children
    return ()


def open_items(facts: ClosingFacts) -> list[OpenItem]:
    """The items still open, in the order of :data:`ITEMS`; empty when the case may close."""
    found: dict[str, OpenItem] = {}
    if facts.uninformed_partners:
        found[PARTNERS_UNINFORMED] = OpenItem(PARTNERS_UNINFORMED, facts.uninformed_partners)
    if not facts.plan_signed:
        found[PLAN_UNSIGNED] = OpenItem(PLAN_UNSIGNED)
    for signal in facts.signals:
        if signal.code in BLOCKING_SIGNALS:
            found[signal.code] = OpenItem(signal.code, _names(signal))
    if not facts.had_aftercare:
        found[NO_AFTERCARE] = OpenItem(NO_AFTERCARE)
    if facts.open_follow_ups:
        dues = tuple(due.isoformat() for due in sorted(facts.open_follow_ups))
        found[AFTERCARE_OPEN] = OpenItem(AFTERCARE_OPEN, dues)
    return [found[code] for code in ITEMS if code in found]


def check(ref: str, facts: ClosingFacts, fixes: Mapping[str, str]) -> None:
    """Refuse to close case ``ref`` while the checklist has open items, naming every one of them
    on one line, each with its entry of ``fixes`` (by item code: the command that settles it)."""
    items = open_items(facts)
    if not items:
        return
    listed = "; ".join(
        _("{item} ({command})").format(item=item.what(), command=fixes[item.code])
        if item.code in fixes
        else item.what()
        for item in items
    )
    raise RuleViolation(
        ngettext(
            "case {ref} cannot close, {count} item of the closing checklist is open: {items} — "
            "settle it, or close anyway with --force --reason …",
            "case {ref} cannot close, {count} items of the closing checklist are open: {items} — "
            "settle them, or close anyway with --force --reason …",
            len(items),
        ).format(ref=ref, count=len(items), items=listed)
    )
