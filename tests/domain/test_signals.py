"""The signal rules of ``icrctl.domain.signals`` over plain facts: each code raised by the
situation it names, and not raised without it; the boundaries (ages, days without contact); a
closed case has none; the codes come in a fixed order."""

from __future__ import annotations

import datetime as dt

import pytest

from icrctl.domain.signals import CONTACT_DAYS, CaseFacts, Child, signals
from tests.conftest import TODAY

CODES = [
    "jgz-missing",
    "school-missing",
    "no-evaluation-series",
    "evaluation-overdue",
    "no-contact",
    "client-regie-unsafe",
    "phase4-checklist-open",
    "refused-evaluation",
    "partner-without-consent",
    "evaluation-on-holiday",
    "goal-overdue",
    "safety-signal",
]


def facts(**changes: object) -> CaseFacts:
    """A quiet case: phase 2, inventory, voluntary, professional regie, contact yesterday."""
    base = CaseFacts(
        ref="GO-2026-100",
        phase=2,
        stage="inventory",
        framework="voluntary",
        regie="professional",
        opened=dt.date(2026, 1, 5),
        last_contact=TODAY - dt.timedelta(days=1),
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def codes(f: CaseFacts, today: dt.date = TODAY) -> list[str]:
    return [s.code for s in signals(f, today)]


def years_ago(years: int, days: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - years) + dt.timedelta(days=days)


def test_a_quiet_case_has_no_signals() -> None:
    assert signals(facts(), TODAY) == []


# --------------------------------------------------------------------- children and partners


def test_jgz_missing_for_a_child_under_four() -> None:
    baby = Child("m2", "Luca Koster", years_ago(1))
    found = signals(facts(children=[baby]), TODAY)
    assert [s.code for s in found] == ["jgz-missing"]
    assert "Luca Koster" in found[0].message
    assert "GO-2026-100" in found[0].message
    assert codes(facts(children=[baby], partner_kinds={"youth_health"})) == []


def test_jgz_age_boundary() -> None:
    three = Child("m", "Three", years_ago(4, days=1))  # turns four tomorrow
    four = Child("m", "Four", years_ago(4))  # four today
    assert codes(facts(children=[three], partner_kinds={"school"})) == ["jgz-missing"]
    assert codes(facts(children=[four], partner_kinds={"youth_health"})) == ["school-missing"]


def test_school_missing_for_a_school_age_child() -> None:
    child = Child("m3", "Noor de Vries", years_ago(7))
    found = signals(facts(children=[child]), TODAY)
    assert [s.code for s in found] == ["school-missing"]
    assert "Noor de Vries" in found[0].message
    assert codes(facts(children=[child], partner_kinds={"school"})) == []


def test_school_age_ends_at_eighteen() -> None:
    seventeen = Child("m", "Seventeen", years_ago(18, days=1))
    eighteen = Child("m", "Eighteen", years_ago(18))
    assert codes(facts(children=[seventeen])) == ["school-missing"]
    assert codes(facts(children=[eighteen])) == []


def test_both_children_signals_name_every_child() -> None:
    kids = [
        Child("a", "Baby A", years_ago(0, days=-30)),
        Child("b", "Peuter B", years_ago(2)),
        Child("c", "Kind C", years_ago(9)),
    ]
    found = signals(facts(children=kids), TODAY)
    assert [s.code for s in found] == ["jgz-missing", "school-missing"]
    assert "Baby A, Peuter B" in found[0].message
    assert "Kind C" in found[1].message
    assert "Baby" not in found[1].message


def test_partner_without_consent() -> None:
    found = signals(facts(partners_without_consent=["vt-devos", "ther-bos"]), TODAY)
    assert [s.code for s in found] == ["partner-without-consent"]
    assert "vt-devos, ther-bos" in found[0].message


# --------------------------------------------------------------------- evaluations


@pytest.mark.parametrize("stage", ["execution", "aftercare"])
def test_no_evaluation_series_in_execution_and_aftercare(stage: str) -> None:
    found = signals(facts(stage=stage), TODAY)
    assert [s.code for s in found] == ["no-evaluation-series"]
    assert "icrctl eval schedule GO-2026-100" in found[0].message
    assert codes(facts(stage=stage, running_series=1)) == []


@pytest.mark.parametrize("stage", ["inventory", "analysis"])
def test_no_evaluation_series_is_not_asked_before_execution(stage: str) -> None:
    assert codes(facts(stage=stage)) == []


def test_evaluation_overdue_counts_and_names_the_last_three() -> None:
    days = [dt.date(2026, 10, d) for d in (6, 13, 20, 27)]
    found = signals(facts(overdue=days), TODAY)
    assert [s.code for s in found] == ["evaluation-overdue"]
    message = found[0].message
    assert message.startswith("4 evaluation(s) overdue")
    assert "2026-10-13, 2026-10-20, 2026-10-27" in message
    assert "2026-10-06" not in message


def test_refused_evaluation() -> None:
    found = signals(facts(refused_last=["Peter de Vries"]), TODAY)
    assert [s.code for s in found] == ["refused-evaluation"]
    assert "Peter de Vries" in found[0].message
    assert "referrer" in found[0].message


def test_evaluation_on_holiday_one_signal_per_meeting() -> None:
    meetings = [(dt.date(2026, 12, 25), "Eerste kerstdag"), (dt.date(2027, 1, 1), "Nieuwjaarsdag")]
    found = signals(facts(holiday_meetings=meetings), TODAY)
    assert [s.code for s in found] == ["evaluation-on-holiday"] * 2
    assert "2026-12-25" in found[0].message
    assert "Eerste kerstdag" in found[0].message
    assert "icrctl eval move GO-2026-100 2026-12-25" in found[0].message
    assert "Nieuwjaarsdag" in found[1].message


# --------------------------------------------------------------------- contact


@pytest.mark.parametrize(("phase", "limit"), [(2, 30), (3, 14), (4, 14)])
def test_no_contact_from_the_limit_on(phase: int, limit: int) -> None:
    assert CONTACT_DAYS[phase] == limit
    before = TODAY - dt.timedelta(days=limit - 1)
    at = TODAY - dt.timedelta(days=limit)
    assert codes(facts(phase=phase, last_contact=before)) == []
    found = signals(facts(phase=phase, last_contact=at), TODAY)
    assert [s.code for s in found] == ["no-contact"]
    assert f"no contact for {limit} days in phase {phase}" in found[0].message
    assert at.isoformat() in found[0].message


def test_no_contact_never_in_phase_one() -> None:
    assert codes(facts(phase=1, last_contact=None, opened=dt.date(2020, 1, 1))) == []
    assert codes(facts(phase=1, last_contact=dt.date(2025, 1, 1))) == []


def test_no_contact_counts_from_the_opening_when_there_was_none() -> None:
    assert codes(facts(phase=3, last_contact=None, opened=TODAY - dt.timedelta(days=13))) == []
    found = signals(facts(phase=3, last_contact=None, opened=TODAY - dt.timedelta(days=14)), TODAY)
    assert [s.code for s in found] == ["no-contact"]
    assert "none yet" in found[0].message


# --------------------------------------------------------------------- regie and phase 4


@pytest.mark.parametrize("phase", [3, 4])
def test_client_regie_unsafe_in_phase_three_and_four(phase: int) -> None:
    found = signals(facts(phase=phase, regie="client"), TODAY)
    assert [s.code for s in found] == ["client-regie-unsafe"]
    assert "icrctl case edit GO-2026-100 --regie professional" in found[0].message
    assert codes(facts(phase=phase, regie="professional")) == []


def test_client_regie_is_fine_in_phase_two_and_in_a_compulsory_framework() -> None:
    assert codes(facts(phase=2, regie="client")) == []
    assert codes(facts(phase=3, regie="client", framework="compulsory")) == []


def test_phase4_checklist_open() -> None:
    found = signals(facts(phase=4, open_checklist=["mayor", "aov"]), TODAY)
    assert [s.code for s in found] == ["phase4-checklist-open"]
    assert "mayor, aov" in found[0].message
    assert "icrctl phase inform GO-2026-100" in found[0].message


# --------------------------------------------------------------------- goals and safety


def test_goal_overdue_one_signal_per_goal() -> None:
    goals = [(2, "Woning schoon", dt.date(2026, 10, 1)), (5, "Dagbesteding", dt.date(2026, 11, 24))]
    found = signals(facts(overdue_goals=goals), TODAY)
    assert [s.code for s in found] == ["goal-overdue", "goal-overdue"]
    assert "goal 2 (Woning schoon) was due 2026-10-01" in found[0].message
    assert "goal 5 (Dagbesteding)" in found[1].message


def test_safety_signal() -> None:
    days = [dt.date(2026, 11, 15), dt.date(2026, 11, 20)]
    found = signals(facts(recent_safety_signals=days), TODAY)
    assert [s.code for s in found] == ["safety-signal"]
    assert "2026-11-15, 2026-11-20" in found[0].message


# --------------------------------------------------------------------- all together


def everything(**changes: object) -> CaseFacts:
    everything = {
        "phase": 3,
        "stage": "execution",
        "regie": "client",
        "children": [Child("a", "Baby", years_ago(1)), Child("b", "Kind", years_ago(8))],
        "overdue": [dt.date(2026, 11, 18)],
        "last_contact": dt.date(2026, 10, 1),
        "open_checklist": ["mayor"],
        "refused_last": ["Pa"],
        "partners_without_consent": ["ther-bos"],
        "holiday_meetings": [(dt.date(2026, 12, 25), "Eerste kerstdag")],
        "overdue_goals": [(1, "Doel", dt.date(2026, 11, 1))],
        "recent_safety_signals": [dt.date(2026, 11, 20)],
    }
    return facts(**(everything | changes))


def test_every_code_in_a_fixed_order() -> None:
    assert codes(everything()) == CODES


def test_a_closed_case_has_no_signals() -> None:
    assert codes(everything(stage="closed")) == []


def test_messages_name_the_case_where_a_command_is_suggested() -> None:
    for sig in signals(everything(), TODAY):
        if "'icrctl " in sig.message:
            assert "GO-2026-100" in sig.message, sig
