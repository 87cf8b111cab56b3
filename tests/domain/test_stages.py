"""The working stages in order (domain.stages): which stages a move skips, and the rule that a
move forward over a stage needs a reason, while the next stage and a step back need none."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl import i18n
from icrctl.domain.stages import GIVE_STAGE_REASON, WORKING_ORDER, check_stage_move, skipped
from icrctl.errors import InvalidValue, RuleViolation

STAGES = st.sampled_from(WORKING_ORDER)
REASONS = st.one_of(st.none(), st.text(max_size=5))


def test_the_working_order() -> None:
    assert WORKING_ORDER == ("inventory", "analysis", "execution", "aftercare", "closed")


@pytest.mark.parametrize(
    ("current", "new", "passed"),
    [
        ("inventory", "analysis", ()),
        ("inventory", "execution", ("analysis",)),
        ("inventory", "aftercare", ("analysis", "execution")),
        ("analysis", "aftercare", ("execution",)),
        ("execution", "aftercare", ()),
        ("aftercare", "execution", ()),
        ("aftercare", "inventory", ()),
        ("execution", "closed", ("aftercare",)),
        ("analysis", "analysis", ()),
    ],
)
def test_what_a_move_skips(current: str, new: str, passed: tuple[str, ...]) -> None:
    assert skipped(current, new) == passed


def test_dutch_words_are_stages_too() -> None:
    assert skipped("inventarisatie", "nazorg") == ("analysis", "execution")


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(InvalidValue, match="unknown stage"):
        skipped("inventory", "halfway")


def test_the_refusal_names_the_skipped_stages_and_the_case() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_stage_move("inventory", "aftercare", None, "GO-2026-001")
    assert str(caught.value) == (
        "moving from inventory to aftercare skips the stages analysis, execution"
    )
    assert caught.value.hint == GIVE_STAGE_REASON
    assert caught.value.facts == {"ref": "GO-2026-001", "stage": "aftercare"}


def test_one_skipped_stage_reads_singular() -> None:
    with pytest.raises(RuleViolation, match=r"skips the stage execution$"):
        check_stage_move("analysis", "aftercare", "  ", "GO-2026-001")


def test_the_refusal_in_dutch() -> None:
    i18n.use("nl")
    with pytest.raises(RuleViolation) as caught:
        check_stage_move("inventory", "execution", None)
    assert str(caught.value) == (
        "van inventarisatie naar uitvoering slaat de werkfase analyse over"
    )


@given(STAGES, STAGES)
def test_skipped_are_the_stages_strictly_between_going_forward(current: str, new: str) -> None:
    start, end = WORKING_ORDER.index(current), WORKING_ORDER.index(new)
    passed = skipped(current, new)
    assert len(passed) == max(0, end - start - 1)
    assert all(start < WORKING_ORDER.index(s) < end for s in passed)
    assert list(passed) == sorted(passed, key=WORKING_ORDER.index)


@given(STAGES, STAGES, REASONS)
def test_a_reason_is_needed_exactly_when_a_move_skips_forward(
    current: str, new: str, reason: str | None
) -> None:
    given_reason = reason is not None and reason.strip() != ""
    if skipped(current, new) and not given_reason:
        with pytest.raises(RuleViolation) as caught:
            check_stage_move(current, new, reason)
        assert all(stage in str(caught.value) for stage in skipped(current, new))
    else:
        check_stage_move(current, new, reason)
    if WORKING_ORDER.index(new) <= WORKING_ORDER.index(current) + 1:
        check_stage_move(current, new, None)  # the next stage, the same one, or back: never
