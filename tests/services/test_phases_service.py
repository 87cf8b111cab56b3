"""``phases.set_phase`` called directly: the refusals that keep the phase history true, and what a
change stores."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

import pytest
from sqlalchemy.orm import Session

from icrctl.errors import InvalidValue, RuleViolation
from icrctl.services import phases
from icrctl.services.context import Context
from icrctl.services.lookup import get_case

REF = "GO-2026-051"
Unit = Callable[..., AbstractContextManager[tuple[Session, Context]]]


@pytest.fixture
def unit(services: Unit) -> Unit:
    """A case in phase 2, opened on 2 March 2026."""
    from icrctl.services.cases import CaseInput, create_case

    with services() as (session, ctx):
        create_case(
            session, ctx, REF, CaseInput(title="Familie Kok", opened=date(2026, 3, 2), phase=2)
        )
    return services


def history(unit: Unit) -> list[tuple[date, int, str]]:
    with unit() as (session, _):
        return [(r.date, r.phase, r.reason) for r in phases.history(session, REF)]


def test_a_change_is_stored_with_its_date_and_reason(unit: Unit) -> None:
    with unit() as (session, ctx):
        done = phases.set_phase(session, ctx, REF, 3, "  geweld thuis ", date(2026, 6, 1))
    assert (done.previous, done.phase, done.date, done.checklist) == (2, 3, date(2026, 6, 1), [])
    assert history(unit)[-1] == (date(2026, 6, 1), 3, "geweld thuis")


def test_escalation_to_phase_4_opens_the_checklist_of_its_track(unit: Unit) -> None:
    with unit() as (session, ctx):
        done = phases.set_phase(session, ctx, REF, 4, "in de media", track="social")
    assert done.checklist
    assert {row.track for row in done.checklist} == {"social"}
    assert {row.escalated for row in done.checklist} == {ctx.today}
    with unit() as (session, _):
        assert [r.item for r in phases.checklist(session, get_case(session, REF))] == [
            r.item for r in done.checklist
        ]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_change_without_a_reason_is_refused(unit: Unit, reason: str | None) -> None:
    with pytest.raises(InvalidValue, match="needs a --reason"), unit() as (session, ctx):
        phases.set_phase(session, ctx, REF, 3, reason)
    assert [p for _, p, _ in history(unit)] == [2]


def test_a_change_in_the_future_is_refused(unit: Unit) -> None:
    with pytest.raises(RuleViolation, match="in the future"), unit() as (session, ctx):
        phases.set_phase(session, ctx, REF, 3, "zorgen", date(2026, 11, 26))
    assert [p for _, p, _ in history(unit)] == [2]


def test_a_change_before_the_last_one_is_refused(unit: Unit) -> None:
    with unit() as (session, ctx):
        phases.set_phase(session, ctx, REF, 3, "zorgen", date(2026, 6, 1))
    before = r"before the last phase change \(2026-06-01\)"
    with pytest.raises(RuleViolation, match=before), unit() as (session, ctx):
        phases.set_phase(session, ctx, REF, 2, "rustiger", date(2026, 5, 31))
    with unit() as (session, ctx):  # the same day is not before it
        phases.set_phase(session, ctx, REF, 2, "rustiger", date(2026, 6, 1))
    assert [p for _, p, _ in history(unit)] == [2, 3, 2]


def test_a_change_while_the_case_was_closed_is_refused(unit: Unit) -> None:
    from icrctl.services.cases import close_case, reopen_case

    with unit() as (session, ctx):
        close_case(
            session,
            ctx,
            REF,
            "doelen gehaald",
            "veilig thuis",
            date(2026, 7, 1),
            force=True,
            reason="gezin verhuisd",
        )
    closed = "is closed; 'icrctl case reopen' first"
    with pytest.raises(RuleViolation, match=closed), unit() as (session, ctx):
        phases.set_phase(session, ctx, REF, 3, "nieuwe melding")
    with unit() as (session, ctx):
        reopen_case(session, ctx, REF, "nieuwe melding", date(2026, 9, 1))
    while_closed = r"was closed \(2026-07-01 to 2026-09-01\)"
    with pytest.raises(RuleViolation, match=while_closed), unit() as (session, ctx):
        phases.set_phase(session, ctx, REF, 3, "achteraf", date(2026, 8, 1))
    with unit() as (session, ctx):
        phases.set_phase(session, ctx, REF, 3, "nieuwe melding", date(2026, 9, 1))
    assert [p for _, p, _ in history(unit)] == [2, 3]
