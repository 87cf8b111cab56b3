"""The ICR study's indicators: the table, the scale, the summary rule (with its exact
boundaries) and each suggestion's rule, without a database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.domain import indicators as ind
from icrctl.errors import InvalidValue

D = dt.date


# --- the table and the scale ----------------------------------------------------------------


def test_the_table_holds_the_study_s_18_in_its_order() -> None:
    assert len(ind.INDICATORS) == 18
    assert ind.KEYS[0] == "all_members_in_analysis"
    assert ind.KEYS[-1] == "lasting_safety"
    assert ind.BY_KEY["reports_decrease"].dutch == (
        "Aantal Veilig Thuis- en politiemeldingen neemt af?"
    )
    closed_only = [i.key for i in ind.INDICATORS if i.closed_only]
    assert closed_only == ["help_fits_risks", "risks_reduced", "regie_returned", "lasting_safety"]


def test_the_scale_counts_as_the_study_did() -> None:
    assert ind.SCALE == {"++": 2, "+": 1, "0": 0, "-": -1}


@pytest.mark.parametrize(
    ("text", "score"),
    [("++", "++"), ("+", "+"), ("0", "0"), ("-", "-"), ("plusplus", "++"), ("PP", "++"),
     ("plus", "+"), ("nul", "0"), ("zero", "0"), ("min", "-"), ("Minus", "-"), (" + ", "+")],
)  # fmt: skip
def test_a_score_or_a_word_for_one(text: str, score: str) -> None:
    assert ind.parse_score(text) == score


def test_the_scale_has_no_double_minus() -> None:
    with pytest.raises(InvalidValue, match="the study's scale has no score '--'"):
        ind.parse_score("--")


@pytest.mark.parametrize("text", ["+++", "2", "-1", "", "goed"])
def test_anything_else_is_no_score(text: str) -> None:
    with pytest.raises(InvalidValue, match="unknown score"):
        ind.parse_score(text)


def test_an_indicator_by_key_or_number() -> None:
    assert ind.parse_key("reports_decrease").key == "reports_decrease"
    assert ind.parse_key("reports-decrease").key == "reports_decrease"
    assert ind.parse_key("1").key == "all_members_in_analysis"
    assert ind.parse_key("18").key == "lasting_safety"
    for wrong in ("0", "19", "safety"):
        with pytest.raises(InvalidValue, match="unknown indicator"):
            ind.parse_key(wrong)


# --- the summary rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mean", "score"),
    [(Fraction(2), "++"), (Fraction(3, 2), "++"), (Fraction(149, 100), "+"),
     (Fraction(3, 4), "+"), (Fraction(74, 100), "0"), (Fraction(0), "0"),
     (Fraction(-49, 100), "0"), (Fraction(-1, 2), "-"), (Fraction(-1), "-")],
)  # fmt: skip
def test_the_thresholds_are_exact(mean: Fraction, score: str) -> None:
    assert ind.score_of_mean(mean) == score


scores = st.lists(st.sampled_from(list(ind.SCALE)), min_size=1, max_size=40)


def _reference(values: list[str]) -> str:
    """The rule written out in whole numbers: 4 * sum against 4 * n * threshold."""
    total, n = sum(ind.SCALE[v] for v in values), len(values)
    if 2 * total >= 3 * n:
        return "++"
    if 4 * total >= 3 * n:
        return "+"
    return "0" if 2 * total > -n else "-"


@given(scores)
def test_the_summary_score_follows_the_mean(values: list[str]) -> None:
    mean = ind.mean_of(values)
    assert mean == Fraction(sum(ind.SCALE[v] for v in values), len(values))
    assert ind.score_of_mean(mean) == _reference(values)


@given(st.integers(1, 60), st.sampled_from([Fraction(3, 2), Fraction(3, 4), Fraction(-1, 2)]))
def test_a_mean_on_a_boundary_is_never_rounded_away(n: int, boundary: Fraction) -> None:
    """Whenever n scores can hit a boundary exactly, the score is the boundary's: at least 3/2
    and 3/4 count up, -1/2 counts down."""
    total = boundary * n
    if total.denominator != 1:
        return
    mean = Fraction(int(total), n)
    assert mean == boundary
    expected = {Fraction(3, 2): "++", Fraction(3, 4): "+", Fraction(-1, 2): "-"}[boundary]
    assert ind.score_of_mean(mean) == expected
    nudge = Fraction(1, 10 * n)
    if boundary == Fraction(-1, 2):
        assert ind.score_of_mean(mean + nudge) == "0"
    else:
        assert ind.score_of_mean(mean - nudge) != expected


@given(scores, scores)
def test_a_closed_only_indicator_counts_the_closed_cases_alone(
    closed: list[str], still_open: list[str]
) -> None:
    rows = [ind.CaseScore(f"C{i:03d}", True, s) for i, s in enumerate(closed)]
    rows += [ind.CaseScore(f"O{i:03d}", False, s) for i, s in enumerate(still_open)]
    lasting = ind.summarise_one(ind.BY_KEY["lasting_safety"], rows)
    assert lasting.cases == len(closed)
    assert lasting.score == _reference(closed)
    every = ind.summarise_one(ind.BY_KEY["safety_in_view"], rows)
    assert every.cases == len(closed) + len(still_open)
    assert every.score == _reference(closed + still_open)


def test_no_case_no_score() -> None:
    s = ind.summarise_one(ind.BY_KEY["family_support"], [])
    assert (s.score, s.mean, s.cases, s.example) == (None, None, 0, None)


def test_the_example_is_a_note_of_a_case_with_the_summary_s_score() -> None:
    rows = [
        ind.CaseScore("A", False, "-", "niet gelukt"),
        ind.CaseScore("B", False, "++", None),
        ind.CaseScore("C", False, "++", "hele gezin"),
        ind.CaseScore("D", False, "++", "ook goed"),
    ]
    s = ind.summarise_one(ind.BY_KEY["family_support"], rows)
    assert (s.score, s.example) == ("+", "niet gelukt")  # no "+" has a note: the first note
    rows += [ind.CaseScore("E", False, "++", None), ind.CaseScore("F", False, "++", None)]
    s = ind.summarise_one(ind.BY_KEY["family_support"], rows)
    assert (s.score, s.mean, s.example) == ("++", Fraction(3, 2), "hele gezin")


def test_summarise_keeps_the_table_s_order() -> None:
    pairs = [("lasting_safety", ind.CaseScore("A", True, "+")), ("systemic_insight",
             ind.CaseScore("A", True, "0"))]  # fmt: skip
    out = ind.summarise(pairs)
    assert [s.indicator.key for s in out] == list(ind.KEYS)
    assert out[1].score == "0"
    assert out[-1].score == "+"


# --- the suggestions ------------------------------------------------------------------------


def facts(**kw: object) -> ind.IndicatorFacts:
    base: dict[str, object] = {"opened": D(2026, 1, 1), "end": D(2026, 11, 25)}
    base.update(kw)
    return ind.IndicatorFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kept", "of", "score"),
    [(0, 0, None), (3, 3, "++"), (2, 3, "+"), (1, 3, "0"), (0, 3, "-"), (5, 6, "+"),
     (1, 4, "-"), (1, 2, "0")],
)  # fmt: skip
def test_a_share_on_the_scale(kept: int, of: int, score: str | None) -> None:
    assert ind.from_share(kept, of) == score


def test_members_in_analysis() -> None:
    family = ["m1", "m2", "m3"]
    first = [{"m1", "p1"}, {"m2"}]
    s = ind.members_in_analysis(facts(family=family, first_evaluations=first))
    assert s == ind.Suggestion("+", {"family": 3, "present": 2, "evaluations": 2})
    everyone = [{"m1", "m2"}, {"m3"}]
    assert ind.members_in_analysis(facts(family=family, first_evaluations=everyone)).score == "++"
    assert ind.members_in_analysis(facts(family=family)).score is None  # nothing held yet
    assert ind.members_in_analysis(facts(first_evaluations=first)).score is None  # no family


def test_evaluations_kept() -> None:
    assert ind.evaluations_kept(facts(due_evaluations=10, held_evaluations=10)).score == "++"
    assert ind.evaluations_kept(facts(due_evaluations=10, held_evaluations=7)).score == "+"
    assert ind.evaluations_kept(facts(due_evaluations=10, held_evaluations=3)).score == "-"
    assert ind.evaluations_kept(facts()).score is None


def test_contact_kept_against_the_phase_s_limit() -> None:
    # phase 2 (30 days) from the opening, phase 3 (14 days) from 1 March
    phases = [(D(2026, 1, 1), 2), (D(2026, 3, 1), 3)]
    contacts = [D(2026, 1, 20), D(2026, 2, 25), D(2026, 3, 10), D(2026, 3, 30)]
    s = ind.contact_kept(facts(end=D(2026, 4, 5), phases=phases, family_contacts=contacts))
    # 1-1..1-20 (19 < 30 kept), 1-20..2-25 (36: not), 2-25..3-10 (13 < 30 kept: began in
    # phase 2), 3-10..3-30 (20 >= 14: not), 3-30..4-5 (6 < 14 kept)
    assert s == ind.Suggestion("0", {"stretches": 5, "within_limit": 3})


def test_contact_in_phase_1_does_not_count() -> None:
    s = ind.contact_kept(facts(phases=[(D(2026, 1, 1), 1)]))
    assert s.score is None
    assert s.facts == {"stretches": 0, "within_limit": 0}


def test_a_stretch_of_exactly_the_limit_is_too_long() -> None:
    """As the no-contact signal: at the limit it is a signal."""
    s = ind.contact_kept(facts(end=D(2026, 1, 31), phases=[(D(2026, 1, 1), 2)], family_contacts=[]))
    assert s.facts == {"stretches": 1, "within_limit": 0}
    s = ind.contact_kept(facts(end=D(2026, 1, 30), phases=[(D(2026, 1, 1), 2)]))
    assert s.facts == {"stretches": 1, "within_limit": 1}


@pytest.mark.parametrize(
    ("reports", "score"),
    [([], None), (["01-10", "02-01"], "++"), (["01-10", "01-20", "10-01"], "+"),
     (["01-10", "10-01"], "0"), (["10-01", "11-01"], "-"), (["06-14"], "-"), (["06-13"], "++")],
)  # fmt: skip
def test_reports_in_the_first_half_against_the_last(reports: list[str], score: str | None) -> None:
    # 2026-01-01 .. 2026-11-25: 328 days, the middle day 2026-06-14 counts to the last half
    days = [D.fromisoformat(f"2026-{r}") for r in reports]
    assert ind.reports_decrease(facts(reports=days)).score == score


def test_reports_in_a_case_of_a_day_tell_nothing() -> None:
    one_day = facts(end=D(2026, 1, 2), reports=[D(2026, 1, 1)])
    assert ind.reports_decrease(one_day).score is None


def test_genogram_drawn() -> None:
    assert ind.genogram_drawn(facts(members=4, related_members=4)).score == "++"
    assert ind.genogram_drawn(facts(members=4, related_members=2)).score == "0"
    assert ind.genogram_drawn(facts(members=4)).score is None


def test_plan_signed() -> None:
    signed = ind.plan_signed(facts(plan_signed=D(2026, 2, 1)))
    assert signed == ind.Suggestion("+", {"signed": "2026-02-01"})
    assert ind.plan_signed(facts(reached_execution=True)).score == "-"
    assert ind.plan_signed(facts()).score is None


def test_suggest_gives_the_six_rules() -> None:
    assert set(ind.suggest(facts())) == {
        "all_members_in_analysis",
        "systemic_insight",
        "all_members_in_plan",
        "purposeful_family_contact",
        "monitoring_partners",
        "reports_decrease",
    }
