"""The signal rules of ``icrctl.domain.signals`` over plain facts: each rule raises its code, with
the facts its words need, in the situation it names and not without it; the boundaries (ages, days
without contact); a closed case has none; the codes come in a fixed order. The words themselves
come from ``icrctl.render.signals`` and are checked here, through it, to the character."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from icrctl.domain import signals as sig
from icrctl.domain.signals import CONTACT_DAYS, CaseFacts, Child, Signal, signals
from icrctl.render.signals import WORDS, message
from tests.conftest import TODAY

REF = "GO-2026-100"

CODES = [
    "jgz-missing",
    "school-missing",
    "no-evaluation-series",
    "evaluation-overdue",
    "no-contact",
    "client-regie-unsafe",
    "holder-in-consultation",
    "phase4-checklist-open",
    "refused-evaluation",
    "partner-without-consent",
    "evaluation-on-holiday",
    "evaluation-on-weekend",
    "goal-overdue",
    "safety-signal",
    "aftercare-contact-overdue",
]


def facts(**changes: object) -> CaseFacts:
    """A quiet case: phase 2, inventory, voluntary, professional regie, contact yesterday."""
    base = CaseFacts(
        ref=REF,
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


def texts(found: list[Signal]) -> list[str]:
    return [message(s) for s in found]


def years_ago(years: int, days: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - years) + dt.timedelta(days=days)


def test_a_quiet_case_has_no_signals() -> None:
    assert signals(facts(), TODAY) == []
    assert all(rule(facts(), TODAY) == [] for rule in sig.RULES)


# --------------------------------------------------------------------- children and partners


def test_jgz_missing_for_a_child_under_four() -> None:
    baby = Child("m2", "Luca Koster", years_ago(1))
    found = sig.jgz_missing(facts(children=[baby]), TODAY)
    assert found == [sig.JgzMissing(REF, ("Luca Koster",))]
    assert texts(found) == [
        "Luca Koster under 4 and no youth health care (JGz) partner: link the consultatiebureau "
        "('icrctl partner link GO-2026-100 …')"
    ]
    assert sig.jgz_missing(facts(children=[baby], partner_kinds={"youth_health"}), TODAY) == []


def test_jgz_age_boundary() -> None:
    three = Child("m", "Three", years_ago(4, days=1))  # turns four tomorrow
    four = Child("m", "Four", years_ago(4))  # four today
    assert codes(facts(children=[three], partner_kinds={"school"})) == ["jgz-missing"]
    assert codes(facts(children=[four], partner_kinds={"youth_health"})) == ["school-missing"]


def test_school_missing_for_a_school_age_child() -> None:
    child = Child("m3", "Noor de Vries", years_ago(7))
    found = sig.school_missing(facts(children=[child]), TODAY)
    assert found == [sig.SchoolMissing(REF, ("Noor de Vries",))]
    assert texts(found) == [
        "Noor de Vries of school age and no school partner: the school is always involved"
    ]
    assert sig.school_missing(facts(children=[child], partner_kinds={"school"}), TODAY) == []


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
    assert "Baby A, Peuter B" in message(found[0])
    assert "Kind C" in message(found[1])
    assert "Baby" not in message(found[1])


def test_partner_without_consent_only_for_those_invited_to_the_evaluations() -> None:
    linked = facts(partners_without_consent=["vt-devos", "pol", "ther-bos"])
    assert sig.partner_without_consent(linked, TODAY) == []  # linked alone: lawful, a fact
    linked.invited_partners = {"ther-bos", "jgz", "vt-devos"}  # jgz invited with consent
    found = sig.partner_without_consent(linked, TODAY)
    assert found == [sig.PartnerWithoutConsent(REF, ("vt-devos", "ther-bos"))]  # link order
    assert texts(found) == [
        "vt-devos, ther-bos invited to the evaluations, where the plan is shared, without the "
        "client's consent to share information: ask for consent and record it ('icrctl partner "
        f"link {REF} … --consent'), or discuss the plan without them"
    ]
    linked.invited_partners = {"pol"}
    [one] = sig.partner_without_consent(linked, TODAY)
    assert f"'icrctl partner link {REF} pol --consent'" in message(one)


# --------------------------------------------------------------------- evaluations


@pytest.mark.parametrize("stage", ["execution", "aftercare"])
def test_no_evaluation_series_in_execution_and_aftercare(stage: str) -> None:
    found = sig.no_evaluation_series(facts(stage=stage), TODAY)
    assert found == [sig.NoEvaluationSeries(REF, stage)]
    assert texts(found) == [
        f"in {stage} without evaluation meetings: 'icrctl eval schedule GO-2026-100 --every 2w'"
    ]
    assert sig.no_evaluation_series(facts(stage=stage, running_series=1), TODAY) == []


@pytest.mark.parametrize("stage", ["inventory", "analysis"])
def test_no_evaluation_series_is_not_asked_before_execution(stage: str) -> None:
    assert sig.no_evaluation_series(facts(stage=stage), TODAY) == []


def test_evaluation_overdue_counts_and_names_the_last_three() -> None:
    days = [dt.date(2026, 10, d) for d in (6, 13, 20, 27)]
    found = sig.evaluation_overdue(facts(overdue=days), TODAY)
    assert found == [sig.EvaluationOverdue(REF, tuple(days))]
    assert texts(found) == [
        "4 evaluation(s) overdue (2026-10-13, 2026-10-20, 2026-10-27): record or cancel them "
        "('icrctl eval record GO-2026-100 --date …')"
    ]


def test_refused_evaluation() -> None:
    found = sig.refused_evaluation(facts(refused_last=["Peter de Vries"]), TODAY)
    assert found == [sig.RefusedEvaluation(REF, ("Peter de Vries",))]
    assert texts(found) == [
        "Peter de Vries refused the last evaluation: note it and inform the referrer"
    ]


def test_evaluation_on_holiday_one_signal_per_meeting() -> None:
    meetings = [(dt.date(2026, 12, 25), "Eerste kerstdag"), (dt.date(2027, 1, 1), "Nieuwjaarsdag")]
    found = sig.evaluation_on_holiday(facts(holiday_meetings=meetings), TODAY)
    assert found == [sig.EvaluationOnHoliday(REF, day, name) for day, name in meetings]
    assert texts(found) == [
        "evaluation on 2026-12-25 falls on Christmas Day: move it "
        "('icrctl eval move GO-2026-100 2026-12-25 …')",
        "evaluation on 2027-01-01 falls on New Year's Day: move it "
        "('icrctl eval move GO-2026-100 2027-01-01 …')",
    ]


# --------------------------------------------------------------------- contact


@pytest.mark.parametrize(("phase", "limit"), [(2, 30), (3, 14), (4, 14)])
def test_no_contact_from_the_limit_on(phase: int, limit: int) -> None:
    assert CONTACT_DAYS[phase] == limit
    before = TODAY - dt.timedelta(days=limit - 1)
    at = TODAY - dt.timedelta(days=limit)
    assert sig.no_contact(facts(phase=phase, last_contact=before), TODAY) == []
    found = sig.no_contact(facts(phase=phase, last_contact=at), TODAY)
    assert found == [sig.NoContact(REF, phase, limit, at, limit)]
    assert texts(found) == [
        f"no contact for {limit} days in phase {phase} (last: {at.isoformat()}; "
        f"limit {limit} days): get in touch"
    ]


def test_no_contact_never_in_phase_one() -> None:
    assert (
        sig.no_contact(facts(phase=1, last_contact=None, opened=dt.date(2020, 1, 1)), TODAY) == []
    )
    assert sig.no_contact(facts(phase=1, last_contact=dt.date(2025, 1, 1)), TODAY) == []


def test_no_contact_counts_from_the_opening_when_there_was_none() -> None:
    opened = TODAY - dt.timedelta(days=13)
    assert sig.no_contact(facts(phase=3, last_contact=None, opened=opened), TODAY) == []
    opened = TODAY - dt.timedelta(days=14)
    found = sig.no_contact(facts(phase=3, last_contact=None, opened=opened), TODAY)
    assert found == [sig.NoContact(REF, 3, 14, None, 14)]
    assert texts(found) == [
        "no contact for 14 days in phase 3 (last: none yet; limit 14 days): get in touch"
    ]


# --------------------------------------------------------------------- regie and phase 4


@pytest.mark.parametrize("phase", [3, 4])
def test_client_regie_unsafe_in_phase_three_and_four(phase: int) -> None:
    found = sig.client_regie_unsafe(facts(phase=phase, regie="client"), TODAY)
    assert found == [sig.ClientRegieUnsafe(REF, phase)]
    assert texts(found) == [
        f"phase {phase} while the client holds casusregie: the regiekaart says a professional "
        "must hold it ('icrctl case edit GO-2026-100 --regie professional')"
    ]
    assert sig.client_regie_unsafe(facts(phase=phase, regie="professional"), TODAY) == []


def test_client_regie_is_fine_in_phase_two_and_in_a_compulsory_framework() -> None:
    assert sig.client_regie_unsafe(facts(phase=2, regie="client"), TODAY) == []
    unsafe = facts(phase=3, regie="client", framework="compulsory")
    assert sig.client_regie_unsafe(unsafe, TODAY) == []


def test_phase4_checklist_open() -> None:
    found = sig.phase4_checklist_open(facts(phase=4, open_checklist=["mayor", "aov"]), TODAY)
    assert found == [sig.Phase4ChecklistOpen(REF, ("mayor", "aov"))]
    assert texts(found) == [
        "still to inform after the escalation: mayor, aov ('icrctl phase inform GO-2026-100 …')"
    ]


# --------------------------------------------------------------------- goals and safety


def test_goal_overdue_one_signal_per_goal() -> None:
    goals = [(2, "Woning schoon", dt.date(2026, 10, 1)), (5, "Dagbesteding", dt.date(2026, 11, 24))]
    found = sig.goal_overdue(facts(overdue_goals=goals), TODAY)
    assert found == [sig.GoalOverdue(REF, n, goal, due) for n, goal, due in goals]
    assert texts(found) == [
        "goal 2 (Woning schoon) was due 2026-10-01: mark it done, drop it, or set a new date",
        "goal 5 (Dagbesteding) was due 2026-11-24: mark it done, drop it, or set a new date",
    ]


def test_safety_signal() -> None:
    days = [dt.date(2026, 11, 15), dt.date(2026, 11, 20)]
    found = sig.safety_signal(facts(recent_safety_signals=days), TODAY)
    assert found == [sig.SafetySignal(REF, tuple(days))]
    assert texts(found) == [
        "safety signal(s) logged recently (2026-11-15, 2026-11-20): weigh them in the next "
        "evaluation"
    ]


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
        "invited_partners": {"ther-bos"},
        "holiday_meetings": [(dt.date(2026, 12, 25), "Eerste kerstdag")],
        "weekend_meetings": [dt.date(2026, 12, 5)],
        "overdue_goals": [(1, "Doel", dt.date(2026, 11, 1))],
        "recent_safety_signals": [dt.date(2026, 11, 20)],
        "open_follow_ups": [dt.date(2026, 11, 1), dt.date(2027, 1, 1)],
        "procesregie": "partner",
        "procesregie_partner": "wijkagent",
        "procesregie_kind": "police",
    }
    return facts(**(everything | changes))


def test_every_code_in_a_fixed_order() -> None:
    assert codes(everything()) == CODES


#: Where ``regie-off-card`` stands among the codes: it says nothing for a case that
#: ``client-regie-unsafe`` already names, as :func:`everything` is.
ALL_CODES = [*CODES[:6], "regie-off-card", "compulsory-without-holder", *CODES[6:]]


def test_one_rule_per_code_each_with_its_words() -> None:
    """Each rule raises one code only; every code has words; signals() is the rules in order."""
    found = [[s.code for s in rule(everything(), TODAY)] for rule in sig.RULES]
    assert [set(c) for c in found if c] == [{code} for code in CODES]
    # ``everything()`` has the client direct the case, so no professional holder to signal.
    assert [rule.__name__ for rule, c in zip(sig.RULES, found, strict=True) if not c] == [
        "regie_off_card",
        "compulsory_without_holder",
    ]
    assert list(WORDS) == [*ALL_CODES, "report-after-closing"]
    assert signals(everything(), TODAY) == [
        s for rule in sig.RULES for s in rule(everything(), TODAY)
    ]


def test_a_case_from_before_the_card_rule_is_signalled_once() -> None:
    """Phase 1 in a compulsory framework (the card has none): ``regie-off-card``; a phase-3 case
    the client directs is ``client-regie-unsafe`` alone, not both."""
    off = facts(phase=1, framework="compulsory", regie="professional")
    assert codes(off) == ["regie-off-card"]
    assert "regiekaart" in message(signals(off, TODAY)[0])
    assert "regie-off-card" not in codes(facts(phase=3, regie="client"))
    gi = {
        "casusregie": "partner",
        "casusregie_partner": "gi-voogd",
        "casusregie_kind": "youth_protection",
    }
    assert codes(facts(phase=2, framework="compulsory", regie="professional", **gi)) == []


def test_a_signal_is_data() -> None:
    """The domain holds the facts, never the words: no field of a signal is a sentence."""
    for s in signals(everything(), TODAY):
        assert s.ref == REF
        for f in dataclasses.fields(s):
            value = getattr(s, f.name)
            assert not (isinstance(value, str) and "icrctl" in value), (s.code, f.name)


def test_a_closed_case_has_no_signals_but_a_report_after_closing() -> None:
    assert codes(everything(stage="closed")) == []
    assert codes(everything(stage="closed", closed=TODAY, reports_since_closing=[TODAY])) == [
        "report-after-closing"
    ]


def test_messages_name_the_case_where_a_command_is_suggested() -> None:
    for s in signals(everything(), TODAY):
        if "'icrctl " in message(s):
            assert "GO-2026-100" in message(s), s


# --------------------------------------------------------------------- aftercare


def test_aftercare_contact_overdue_names_the_follow_ups_past_due() -> None:
    dues = [dt.date(2026, 10, 1), TODAY - dt.timedelta(days=1), TODAY, dt.date(2027, 1, 1)]
    found = sig.aftercare_contact_overdue(facts(stage="aftercare", open_follow_ups=dues), TODAY)
    assert found == [
        sig.AftercareContactOverdue(REF, (dt.date(2026, 10, 1), dt.date(2026, 11, 24)))
    ]
    assert texts(found) == [
        "aftercare follow-up contact(s) due 2026-10-01, 2026-11-24 not held: get in touch with the "
        "family, or mark one held ('icrctl case aftercare GO-2026-100 --done …')"
    ]
    assert sig.aftercare_contact_overdue(facts(open_follow_ups=[TODAY]), TODAY) == []


def test_report_after_closing_within_a_year_of_closing() -> None:
    closed = dt.date(2026, 2, 28)
    late = facts(stage="closed", closed=closed, reports_since_closing=[dt.date(2026, 11, 1)])
    found = signals(late, TODAY)
    assert found == [sig.ReportAfterClosing(REF, closed, (dt.date(2026, 11, 1),))]
    assert texts(found) == [
        "report(s) logged since the case closed on 2026-02-28 (2026-11-01): consider reopening "
        "it ('icrctl case reopen GO-2026-100 --reason …')"
    ]
    # the period ends a year after closing: the last day counts, the next does not
    assert signals(late, dt.date(2027, 2, 28)) == found
    assert signals(late, dt.date(2027, 3, 1)) == []
    # a report after the period is no signal; nor is a report while the case is open
    after = facts(stage="closed", closed=closed, reports_since_closing=[dt.date(2027, 3, 1)])
    assert signals(after, dt.date(2027, 3, 1)) == []
    assert codes(facts(reports_since_closing=[TODAY])) == []
