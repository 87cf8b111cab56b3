"""The genogram of a case: its members and the relations between them, laid out by
``domain.genogram`` (``render.genogram`` draws it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from icrctl.domain.genogram import Drawing, Person, Tie, genogram
from icrctl.services.context import Context
from icrctl.services.lookup import get_case
from icrctl.services.members import list_members, relations


def genogram_of(session: Session, ctx: Context, ref: str) -> Drawing:
    """``genogram``: the case's members and their relations, laid out in generations."""
    case = get_case(session, ref)
    people = [
        Person(m.key, m.name, m.role, m.born, m.household, m.deceased)
        for m in list_members(session, case.ref)
    ]
    ties = [Tie(r.member, r.kind, r.other) for r in relations(session, case)]
    return Drawing(case.ref, case.title, ctx.today, genogram(people, ties))
