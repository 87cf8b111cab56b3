"""A meeting's agreements stay numbered 1, 2, … in the order recorded, whatever is added and
dropped (Hypothesis against a plain list), and they travel through export and import as they are.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from icrctl.services import agreements, cases, meetings
from icrctl.services.agreements import Where
from icrctl.services.context import Context
from icrctl.services.evaluation_view import show_evaluation
from icrctl.services.exporter import export_records
from icrctl.services.goals import add_goal
from tests.helpers import Unit, fresh_case_file

REF = "GO-2026-060"
DAY = date(2026, 11, 17)

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _setup(session: Session, ctx: Context) -> None:
    """A case with one goal and one extra meeting held on ``DAY``."""
    cases.create_case(
        session, ctx, REF, cases.CaseInput(title="Familie Kok", opened=date(2026, 3, 2))
    )
    add_goal(session, ctx, REF, "Thuis is het veilig")
    meetings.record(session, ctx, REF, day=DAY, risk=3)


#: Each step: a text to agree, or the (1-based, wrapped) number of one to drop.
STEPS = st.lists(
    st.one_of(st.text("abc", min_size=1, max_size=3), st.integers(min_value=1, max_value=6)),
    max_size=12,
)


def agreed(unit: Unit) -> list[tuple[int, str]]:
    with unit() as (session, ctx):
        view = show_evaluation(session, ctx, REF, DAY)
    return [(a.number, a.what) for a in view.agreements]


@EXAMPLES
@given(STEPS)
def test_numbers_stay_one_two_three(steps: list[str | int]) -> None:
    model: list[str] = []
    with fresh_case_file(_setup) as unit:
        for step in steps:
            with unit() as (session, ctx):
                if isinstance(step, str):
                    agreements.agree(session, ctx, REF, Where(DAY), step, goal=1)
                    model.append(step)
                elif model:
                    number = (step - 1) % len(model) + 1
                    agreements.drop_agreement(session, ctx, REF, Where(DAY), number)
                    del model[number - 1]
        assert agreed(unit) == list(enumerate(model, start=1))
        with unit() as (session, _ctx):
            exported = export_records(session, REF).cases[0].meetings[0].agreements
        assert [(a.what, a.goal) for a in exported] == [(what, 1) for what in model]
