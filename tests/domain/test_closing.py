"""The closing checklist (domain.closing): which items keep a case from closing, and the one line
that refuses it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl import i18n
from icrctl.domain import closing
from icrctl.domain.closing import ClosingFacts, check, open_items
from icrctl.domain.signals import (
    EvaluationOnWeekend,
    EvaluationOverdue,
    GoalOverdue,
    JgzMissing,
    NoContact,
    NoEvaluationSeries,
    Phase4ChecklistOpen,
    RefusedEvaluation,
    SafetySignal,
    SchoolMissing,
    Signal,
)
from icrctl.errors import RuleViolation

REF = "GO-2026-014"
DAY = dt.date(2026, 11, 20)

#: One signal of each blocking kind, with facts a refusal must name.
BLOCKING: dict[str, Signal] = {
    SafetySignal.code: SafetySignal(REF, (dt.date(2026, 11, 18),)),
    EvaluationOverdue.code: EvaluationOverdue(REF, (dt.date(2026, 11, 3), dt.date(2026, 11, 17))),
    Phase4ChecklistOpen.code: Phase4ChecklistOpen(REF, ("mayor_informed",)),
    SchoolMissing.code: SchoolMissing(REF, ("Daan",)),
    JgzMissing.code: JgzMissing(REF, ("Mila",)),
}
#: Signals that never keep a case from closing.
HARMLESS: tuple[Signal, ...] = (
    NoContact(REF, 2, 40, None, 30),
    NoEvaluationSeries(REF, "aftercare"),
    GoalOverdue(REF, 1, "Veiligheidsplan", DAY),
    RefusedEvaluation(REF, ("Ruben",)),
    EvaluationOnWeekend(REF, dt.date(2026, 11, 28)),
)
#: How each item's words start, and what they name.
STARTS = {
    closing.PARTNERS_UNINFORMED: "partners not informed of the closing",
    closing.PLAN_UNSIGNED: "process plan not signed",
    SafetySignal.code: "recent safety signals",
    EvaluationOverdue.code: "evaluations overdue",
    Phase4ChecklistOpen.code: "still to inform after phase 4",
    SchoolMissing.code: "no school partner",
    JgzMissing.code: "no youth health care (JGz) partner",
    closing.NO_AFTERCARE: "never in aftercare",
}
NAMED = {
    closing.PARTNERS_UNINFORMED: ["K. Wit (OBS De Linde)", "J. Bakker (Veilig Thuis)"],
    SafetySignal.code: ["2026-11-18"],
    EvaluationOverdue.code: ["2026-11-03", "2026-11-17"],
    Phase4ChecklistOpen.code: ["mayor_informed"],
    SchoolMissing.code: ["Daan"],
    JgzMissing.code: ["Mila"],
}
FIXES = {
    closing.PLAN_UNSIGNED: "'fix plan'",
    EvaluationOverdue.code: "'fix evaluations'",
    closing.NO_AFTERCARE: "'fix aftercare'",
}

situations = st.fixed_dictionaries(
    {
        "plan_signed": st.booleans(),
        "had_aftercare": st.booleans(),
        "uninformed": st.booleans(),
        "blocking": st.sets(st.sampled_from(sorted(BLOCKING))),
        "harmless": st.sets(st.sampled_from(range(len(HARMLESS)))),
    }
)


def facts_of(s: dict[str, object]) -> tuple[ClosingFacts, list[str]]:
    """The facts of a situation, its signals shuffled in no particular order, and the codes
    that must be open, in the checklist's order."""
    blocking = sorted(s["blocking"])  # type: ignore[call-overload]
    harmless = [HARMLESS[i] for i in sorted(s["harmless"])]  # type: ignore[call-overload]
    signals = tuple(harmless + [BLOCKING[code] for code in reversed(blocking)])
    uninformed = tuple(NAMED[closing.PARTNERS_UNINFORMED]) if s["uninformed"] else ()
    facts = ClosingFacts(
        bool(s["plan_signed"]), bool(s["had_aftercare"]), signals, uninformed_partners=uninformed
    )
    expected = set(blocking)
    if uninformed:
        expected.add(closing.PARTNERS_UNINFORMED)
    if not s["plan_signed"]:
        expected.add(closing.PLAN_UNSIGNED)
    if not s["had_aftercare"]:
        expected.add(closing.NO_AFTERCARE)
    return facts, [code for code in closing.ITEMS if code in expected]


@given(situations)
def test_the_open_items_are_exactly_the_unmet_ones_in_checklist_order(s: dict[str, object]) -> None:
    facts, expected = facts_of(s)
    assert [item.code for item in open_items(facts)] == expected


@given(situations)
def test_refused_exactly_when_an_item_is_open_and_the_line_lists_exactly_those(
    s: dict[str, object],
) -> None:
    facts, expected = facts_of(s)
    if not expected:
        check(REF, facts, FIXES)  # closes: nothing raised
        return
    with pytest.raises(RuleViolation) as refused:
        check(REF, facts, FIXES)
    line = str(refused.value)
    assert "\n" not in line
    assert line.startswith(f"case {REF} cannot close, {len(expected)} item")
    plural = "them" if len(expected) > 1 else "it"
    assert line.endswith(f"— settle {plural}, or close anyway with --force --reason …")
    listed = line.split(" open: ", 1)[1].rsplit(" — ", 1)[0].split("; ")
    assert len(listed) == len(expected), listed
    for code, shown in zip(expected, listed, strict=True):
        assert shown.startswith(STARTS[code])
        assert all(name in shown for name in NAMED.get(code, []))
        if code in FIXES:
            assert shown.endswith(f"({FIXES[code]})")
        else:
            assert "'" not in shown
    for harmless in HARMLESS:
        assert harmless.code not in line


def test_a_case_with_everything_done_may_close_whatever_else_it_signals() -> None:
    facts = ClosingFacts(plan_signed=True, had_aftercare=True, signals=HARMLESS)
    assert open_items(facts) == []
    check(REF, facts, FIXES)


def test_the_words_of_each_item() -> None:
    facts = ClosingFacts(False, False, tuple(BLOCKING.values()))
    assert [item.what() for item in open_items(facts)] == [
        "process plan not signed",
        "recent safety signals (2026-11-18)",
        "evaluations overdue (2026-11-03, 2026-11-17)",
        "still to inform after phase 4: mayor_informed",
        "no school partner for Daan",
        "no youth health care (JGz) partner for Mila",
        "never in aftercare",
    ]


def test_a_phase_4_item_is_named_as_the_card_names_it() -> None:
    from icrctl.domain.regiekaart import checklist_items

    items = checklist_items()
    code = items.terms[0]
    facts = ClosingFacts(True, True, (Phase4ChecklistOpen(REF, (code,)),))
    (item,) = open_items(facts)
    assert item.names == (items.label(code),)


def test_one_item_reads_singular() -> None:
    with pytest.raises(RuleViolation) as refused:
        check(REF, ClosingFacts(False, True), FIXES)
    assert str(refused.value) == (
        f"case {REF} cannot close, 1 item of the closing checklist is open: "
        "process plan not signed ('fix plan') — settle it, or close anyway with --force --reason …"
    )


def test_the_refusal_in_dutch() -> None:
    i18n.use("nl")
    with pytest.raises(RuleViolation) as refused:
        check(REF, ClosingFacts(False, False, (BLOCKING[SchoolMissing.code],)), {})
    line = str(refused.value)
    assert line == (
        f"casus {REF} kan niet sluiten, 3 punten van de afsluitchecklist staan open: "
        "procesplan niet ondertekend; geen school als ketenpartner voor Daan; "
        "nooit in nazorg geweest — werk ze af, of sluit toch met --force --reason …"
    )


def test_the_blocking_signals_are_signal_codes_and_on_the_checklist() -> None:
    from icrctl.domain.signals import RULES

    assert set(closing.BLOCKING_SIGNALS) <= set(closing.ITEMS)
    assert set(closing.WHAT) == set(closing.ITEMS)
    assert len(closing.BLOCKING_SIGNALS) < len(RULES)


def test_the_partners_not_told_are_named_first() -> None:
    facts = ClosingFacts(False, True, uninformed_partners=("K. Wit (OBS De Linde)",))
    assert [item.what() for item in open_items(facts)] == [
        "partners not informed of the closing: K. Wit (OBS De Linde)",
        "process plan not signed",
    ]
