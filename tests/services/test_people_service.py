"""Members, partners and goals called directly: an edit changes and audits only what differs,
one person of one organisation is in the directory once, a relation is recorded once, and
removing or forgetting a member takes their relations along."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import AuditEntry, MemberRelation
from icrctl.errors import Conflict, InvalidValue, RuleViolation
from icrctl.services import erasure, goals, members, partners
from icrctl.services.context import Context
from icrctl.services.lookup import get_case
from icrctl.services.members import MemberInput
from icrctl.services.partners import PartnerInput

REF = "GO-2026-061"
Unit = Callable[..., AbstractContextManager[tuple[Session, Context]]]


@pytest.fixture
def unit(services: Unit) -> Unit:
    """A case with three members (m1, m2, m3) and one partner in the directory."""
    from icrctl.services.cases import CaseInput, create_case

    with services() as (session, ctx):
        create_case(session, ctx, REF, CaseInput(title="Familie Jansen", opened=date(2026, 3, 2)))
        for name, role in (("Ria Jansen", "victim"), ("Bas Jansen", "perpetrator")):
            members.add_member(session, ctx, REF, MemberInput(name=name, role=role))
        members.add_member(session, ctx, REF, MemberInput(name="Mila Jansen", role="child"))
        partners.add_partner(
            session, ctx, PartnerInput(name="A. Vos", organisation="GGD", kind="youth_health")
        )
    return services


def audited(unit: Unit) -> list[tuple[str, str, str | None]]:
    """(action, entity, fields) of every audit entry, oldest first."""
    with unit() as (session, _):
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.entity, e.fields) for e in entries]


def relations(unit: Unit) -> list[tuple[str, str, str]]:
    with unit() as (session, _):
        case = get_case(session, REF)
        return [(r.member, r.kind, r.other) for r in members.relations(session, case)]


# ---------------------------------------------------------------- edits


def test_a_member_edit_changes_and_audits_only_what_differs(unit: Unit) -> None:
    before = audited(unit)
    with unit() as (session, ctx):
        row, changed = members.edit_member(
            session, ctx, REF, "m1", MemberInput(name="Ria Jansen", phone="06 1234 5678")
        )
    assert changed == ["phone"]
    assert (row.name, row.phone) == ("Ria Jansen", "06 1234 5678")
    assert audited(unit) == [*before, ("update", "member", "phone")]


def test_an_edit_that_changes_nothing_is_not_audited(unit: Unit) -> None:
    before = audited(unit)
    with unit() as (session, ctx):
        _, changed = partners.edit_partner(session, ctx, "a-vos", PartnerInput(organisation="GGD"))
        number = goals.add_goal(session, ctx, REF, "Veilig thuis", who="Ria").id
        _, also = goals.edit_goal(session, ctx, REF, number, goal="Veilig thuis", who="Ria")
    assert (changed, also) == ([], [])
    assert audited(unit) == [*before, ("create", "goal", "due,goal,what,who")]


def test_a_goal_edit_names_each_field_it_changed(unit: Unit) -> None:
    with unit() as (session, ctx):
        number = goals.add_goal(session, ctx, REF, "Veilig thuis", who="Ria").id
    with unit() as (session, ctx):
        row, changed = goals.edit_goal(
            session, ctx, REF, number, who="Ria", what="Plan maken", due=date(2027, 1, 31)
        )
    assert changed == ["what", "due"]
    assert (row.who, row.what, row.due) == ("Ria", "Plan maken", date(2027, 1, 31))


# ---------------------------------------------------------------- the directory


def test_a_partner_is_in_the_directory_once(unit: Unit) -> None:
    twice = r"A\. Vos of GGD is already in the directory as a-vos"
    with pytest.raises(Conflict, match=twice), unit() as (session, ctx):
        partners.add_partner(
            session, ctx, PartnerInput(name="A. Vos", organisation="GGD", kind="school")
        )
    with unit() as (session, ctx):
        partners.add_partner(
            session, ctx, PartnerInput(name="A. Vos", organisation="Veilig Thuis", kind="other")
        )
    with pytest.raises(Conflict, match=twice), unit() as (session, ctx):
        partners.edit_partner(session, ctx, "a-vos-2", PartnerInput(organisation="GGD"))
    with unit() as (session, _):
        assert [p.organisation for p in partners.list_partners(session)] == ["GGD", "Veilig Thuis"]


# ---------------------------------------------------------------- relations


def test_a_relation_is_recorded_once_either_way_round_when_it_is_mutual(unit: Unit) -> None:
    with unit() as (session, ctx):
        members.relate(session, ctx, REF, "m1", "ex_partner", "m2")
        members.relate(session, ctx, REF, "m1", "parent_of", "m3")
    for who, kind, other in (("m1", "ex_partner", "m2"), ("m2", "ex_partner", "m1")):
        with pytest.raises(Conflict, match="already recorded"), unit() as (session, ctx):
            members.relate(session, ctx, REF, who, kind, other)
    with pytest.raises(InvalidValue, match="not the other way too"), unit() as (session, ctx):
        members.relate(session, ctx, REF, "m3", "parent_of", "m1")
    assert relations(unit) == [("m1", "ex_partner", "m2"), ("m1", "parent_of", "m3")]


def test_removing_a_member_takes_their_relations_along(unit: Unit) -> None:
    with unit() as (session, ctx):
        members.relate(session, ctx, REF, "m1", "parent_of", "m3")
        members.relate(session, ctx, REF, "m2", "parent_of", "m3")
        members.relate(session, ctx, REF, "m1", "ex_partner", "m2")
    with unit() as (session, ctx):
        members.remove_member(session, ctx, REF, "m3")
    assert relations(unit) == [("m1", "ex_partner", "m2")]


def test_a_member_with_history_is_not_removed(unit: Unit) -> None:
    from icrctl.services.contacts import log_contact

    with unit() as (session, ctx):
        log_contact(session, ctx, REF, "huisbezoek", kind="visit", with_=["m1"])
    kept = "appears in 1 meeting or contact record"
    with pytest.raises(RuleViolation, match=kept), unit() as (session, ctx):
        members.remove_member(session, ctx, REF, "m1")


def test_forgetting_a_member_takes_their_relations_along(unit: Unit) -> None:
    with unit() as (session, ctx):
        members.relate(session, ctx, REF, "m1", "parent_of", "m3")
        members.relate(session, ctx, REF, "m3", "sibling", "m2")
        members.relate(session, ctx, REF, "m1", "ex_partner", "m2")
    with unit() as (session, ctx):
        erasure.forget_member(session, ctx, REF, "m3", "verzoek van betrokkene")
    assert relations(unit) == [("m1", "ex_partner", "m2")]
    with unit() as (session, _):
        assert len(session.scalars(select(MemberRelation)).all()) == 1
