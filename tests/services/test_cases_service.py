"""Creating and editing cases at the service level: the defaults of a new case, its first
history entries, the regiekaart's track and regie rules applied through ``domain.regiekaart``
(one rule, one wording), and what an edit changes and records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from icrctl.db.models import Case, CaseEvent, ChecklistItem, PhaseChange, StageChange
from icrctl.domain import regiekaart
from icrctl.errors import InvalidValue, RuleViolation
from icrctl.render.errors import error_text
from icrctl.services.cases import OPENING_REASON, CaseInput, create_case, edit_case
from tests.conftest import TODAY

REF = "GO-2026-300"
Unit = Callable[..., Any]


def test_a_new_case_has_the_defaults_and_its_first_history(services: Unit) -> None:
    with services() as (s, ctx):
        made = create_case(s, ctx, REF, CaseInput(title="Familie Jansen"))
        assert (made.phase, made.stage, made.checklist) == (2, "inventory", [])
        case = s.scalars(select(Case).where(Case.ref == REF)).one()
        assert (case.opened, case.framework, case.regie) == (TODAY, "voluntary", "professional")
        change = s.scalars(select(PhaseChange).where(PhaseChange.case_id == case.id)).one()
        stage = s.scalars(select(StageChange).where(StageChange.case_id == case.id)).one()
        assert (change.date, change.phase, change.reason, change.track) == (
            TODAY,
            2,
            OPENING_REASON,
            None,
        )
        assert (stage.date, stage.stage) == (TODAY, "inventory")
        assert change.recorded_at == stage.recorded_at == case.created_at


def test_a_case_opened_in_phase_4_stores_its_track_and_opens_the_checklist(services: Unit) -> None:
    with services() as (s, ctx):
        made = create_case(s, ctx, REF, CaseInput(title="Onrust", phase=4, track="zorg"))
        change = s.scalars(select(PhaseChange)).one()
        assert change.track == "care"
        codes = [e.code for e in regiekaart.checklist_for("care")]
        assert made.checklist == codes
        assert list(s.scalars(select(ChecklistItem.item))) == codes


@pytest.mark.parametrize(
    ("phase", "track", "hint", "text"),
    [
        (
            4,
            None,
            regiekaart.CHOOSE_TRACK,
            "phase 4 has two tracks: give --track care (zorgcalamiteit) or --track social "
            "(calamiteit sociaal domein)",
        ),
        (
            2,
            "care",
            regiekaart.DROP_TRACK,
            "a track applies only to phase 4 (zorgcalamiteit or calamiteit sociaal domein); "
            "phase 2 has none: leave out --track",
        ),
    ],
)
def test_the_track_rule_is_the_regiekaarts(
    services: Unit, phase: int, track: str | None, hint: str, text: str
) -> None:
    with pytest.raises(RuleViolation) as info, services() as (s, ctx):
        create_case(s, ctx, REF, CaseInput(title="x", phase=phase, track=track))
    assert info.value.hint == hint
    assert error_text(info.value) == text
    with services() as (s, _):
        assert s.scalars(select(Case)).all() == []


def test_a_new_case_is_held_to_the_regie_rule_and_its_own_dates(services: Unit) -> None:
    with pytest.raises(RuleViolation, match="phase 3 casusregie"), services() as (s, ctx):
        create_case(s, ctx, REF, CaseInput(title="x", phase=3, regie="client"))
    early = CaseInput(title="x", opened=date(2026, 11, 2), plan_signed=date(2026, 11, 1))
    with pytest.raises(InvalidValue, match="plan_signed"), services() as (s, ctx):
        create_case(s, ctx, REF, early)


def test_an_edit_returns_what_changed_and_records_regie_changes(services: Unit) -> None:
    with services() as (s, ctx):
        create_case(s, ctx, REF, CaseInput(title="Familie Jansen", regisseur="A. de Wit"))
    with services() as (s, ctx):
        changed = edit_case(
            s, ctx, REF, CaseInput(title="Familie Jansen", regie="client", regisseur="")
        )
        assert changed == ["regie", "regisseur"]
        case = s.scalars(select(Case)).one()
        assert (case.regie, case.regisseur) == ("client", None)
        event = s.scalars(select(CaseEvent)).one()
        assert (event.kind, event.old, event.new, event.date) == (
            "regie",
            "professional",
            "client",
            TODAY,
        )
    with services() as (s, ctx):
        assert edit_case(s, ctx, REF, CaseInput(title="Familie Jansen")) == []


def test_an_edit_refuses_a_phase_and_a_retention_end_on_an_open_case(services: Unit) -> None:
    with services() as (s, ctx):
        create_case(s, ctx, REF, CaseInput(title="x"))
    with pytest.raises(RuleViolation, match="needs a reason"), services() as (s, ctx):
        edit_case(s, ctx, REF, CaseInput(phase=3))
    retention = CaseInput(retention_until=date(2046, 1, 1))
    with pytest.raises(RuleViolation, match="only be set on a closed case"), services() as (s, c):
        edit_case(s, c, REF, retention)
