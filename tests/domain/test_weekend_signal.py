"""``evaluation-on-weekend``: a planned evaluation on a Saturday or Sunday is flagged the way one on
a public holiday is, one signal per meeting, and a holiday in the weekend is flagged once."""

from __future__ import annotations

import datetime as dt

from icrctl.domain import signals as sig
from icrctl.domain.signals import CaseFacts, EvaluationOnWeekend, signals
from icrctl.render.signals import message
from tests.helpers import TODAY

REF = "GO-2026-100"
SATURDAY, SUNDAY = dt.date(2026, 12, 5), dt.date(2026, 12, 13)
CHRISTMAS_SATURDAY = dt.date(2027, 12, 25)


def quiet(**changes: object) -> CaseFacts:
    f = CaseFacts(
        ref=REF,
        phase=2,
        stage="inventory",
        framework="voluntary",
        regie="professional",
        opened=dt.date(2026, 1, 5),
        last_contact=TODAY - dt.timedelta(days=1),
    )
    for name, value in changes.items():
        setattr(f, name, value)
    return f


def test_one_signal_per_meeting_in_the_weekend() -> None:
    found = signals(quiet(weekend_meetings=[SATURDAY, SUNDAY]), TODAY)
    assert found == [EvaluationOnWeekend(REF, SATURDAY), EvaluationOnWeekend(REF, SUNDAY)]
    assert [s.code for s in found] == ["evaluation-on-weekend"] * 2


def test_no_weekend_meetings_no_signal() -> None:
    assert signals(quiet(), TODAY) == []


def test_a_holiday_in_the_weekend_is_the_holiday_signal_only() -> None:
    f = quiet(
        holiday_meetings=[(CHRISTMAS_SATURDAY, "Eerste kerstdag")],
        weekend_meetings=[CHRISTMAS_SATURDAY, SATURDAY],
    )
    assert [(s.code, getattr(s, "date", None)) for s in signals(f, TODAY)] == [
        ("evaluation-on-holiday", CHRISTMAS_SATURDAY),
        ("evaluation-on-weekend", SATURDAY),
    ]


def test_a_weekday_given_as_a_weekend_meeting_is_no_signal() -> None:
    assert sig.evaluation_on_weekend(quiet(weekend_meetings=[dt.date(2026, 12, 7)]), TODAY) == []


def test_it_comes_right_after_the_holiday_signal() -> None:
    order = [rule.__name__ for rule in sig.RULES]
    assert order.index("evaluation_on_weekend") == order.index("evaluation_on_holiday") + 1


def test_closed_cases_have_none() -> None:
    assert signals(quiet(stage="closed", weekend_meetings=[SATURDAY]), TODAY) == []


def test_the_words_name_the_day_and_the_command_that_moves_it() -> None:
    assert message(EvaluationOnWeekend(REF, SATURDAY)) == (
        "evaluation on 2026-12-05 falls on a Saturday: move it "
        "('icrctl eval move GO-2026-100 2026-12-05 …')"
    )
    assert "falls on a Sunday" in message(EvaluationOnWeekend(REF, SUNDAY))
