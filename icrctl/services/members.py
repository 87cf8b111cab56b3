"""Members (betrokkenen) of a case: victims and perpetrators alike, children, ex-partners,
grandparents, network; and the relations between them that a genogram draws."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from icrctl.db.models import Attendance, Case, ContactPerson, Member, MemberRelation, SeriesAttendee
from icrctl.domain.dates import not_in_future
from icrctl.domain.text import clean_text, optional_text
from icrctl.domain.vocabulary import RELATION, ROLE
from icrctl.errors import Conflict, InvalidValue, RuleViolation
from icrctl.i18n import _, ngettext
from icrctl.services import audit
from icrctl.services.context import Context
from icrctl.services.edits import apply_changes
from icrctl.services.lookup import find_member, get_case

SYMMETRIC = {"partner", "ex_partner", "sibling", "married", "divorced"}
#: The form of an automatic member key, ``m1``, ``m2`` … (as migration 0003 counts them).
AUTOMATIC_KEY = re.compile(r"m([0-9]{1,9})")


@dataclass
class MemberInput:
    name: str | None = None
    role: str | None = None
    key: str | None = None
    born: date | None = None
    household: bool | None = None
    phone: str | None = None
    email: str | None = None
    deceased: bool | None = None


@dataclass
class MemberRow:
    key: str
    name: str
    born: date | None
    role: str
    household: bool
    phone: str | None
    email: str | None
    #: Died (the genogram crosses them out); last, as it came last to the JSON record.
    deceased: bool = False


def row(member: Member) -> MemberRow:
    """A member as listed."""
    return MemberRow(
        member.key,
        member.name,
        member.born,
        member.role,
        member.household,
        member.phone,
        member.email,
        member.deceased,
    )


def clean_key(key: str, what: str = "key") -> str:
    """A key as typed, checked: no spaces or commas (keys are listed comma-separated)."""
    text = clean_text(key, what)
    if any(ch.isspace() for ch in text) or "," in text:
        raise InvalidValue(
            _("{what} {key!r} must not contain spaces or commas").format(what=what, key=text)
        )
    return text


def member_number(key: str) -> int:
    """The number of a key of the automatic form (``m7``: 7); 0 for any other key."""
    found = AUTOMATIC_KEY.fullmatch(key)
    return int(found[1]) if found else 0


def next_member_key(session: Session, case: Case) -> str:
    """The key after every automatic number the case ever gave (``m1``, ``m2``, …): the key of a
    removed or forgotten member is never given to another person."""
    keys = session.scalars(select(Member.key).where(Member.case_id == case.id))
    return f"m{max([case.last_member_number, *map(member_number, keys)]) + 1}"


def keep_member_number(case: Case, key: str) -> None:
    """Count ``key`` among the numbers the case has given, if it has the automatic form."""
    case.last_member_number = max(case.last_member_number or 0, member_number(key))


def _check_given_key(case: Case, key: str) -> None:
    """Refuse a key given by hand of the automatic form at or below the case's last number: it
    may have been someone else's."""
    if 0 < member_number(key) <= (case.last_member_number or 0):
        raise RuleViolation(
            _(
                "member key {key} may have belonged to someone removed from or forgotten in case "
                "{ref} (keys up to m{last} have been given): a key is never given twice; leave "
                "out --key to get the next one"
            ).format(key=key, ref=case.ref, last=case.last_member_number)
        )


def add_member(session: Session, ctx: Context, ref: str, data: MemberInput) -> MemberRow:
    """Add a member to the case: a name and a role at least."""
    case = get_case(session, ref)
    if data.name is None or data.role is None:
        raise InvalidValue(_("a member needs a name and a --role"))
    name = clean_text(data.name, "name")
    role = ROLE.parse(data.role)
    key = clean_key(data.key) if data.key else next_member_key(session, case)
    taken = session.scalar(
        select(func.count()).select_from(Member).where(Member.case_id == case.id, Member.key == key)
    )
    if taken:
        raise Conflict(_("case {ref} already has a member {key}").format(ref=case.ref, key=key))
    if data.key:
        _check_given_key(case, key)
    keep_member_number(case, key)
    member = Member(
        case_id=case.id,
        key=key,
        name=name,
        born=not_in_future(data.born, ctx.today, "born") if data.born else None,
        role=role,
        household=True if data.household is None else data.household,
        phone=optional_text(data.phone, "phone"),
        email=optional_text(data.email, "email"),
        deceased=bool(data.deceased),
    )
    session.add(member)
    fields = ["key", "name", "role", "born", *(["deceased"] if member.deceased else [])]
    audit.record(session, ctx, "create", "member", case.ref, fields)
    return row(member)


def list_members(session: Session, ref: str) -> list[MemberRow]:
    """``member list``: the case's members in the order they were added."""
    case = get_case(session, ref)
    members = session.scalars(select(Member).where(Member.case_id == case.id).order_by(Member.id))
    return [row(m) for m in members]


def edit_member(
    session: Session, ctx: Context, ref: str, who: str, data: MemberInput
) -> tuple[MemberRow, list[str]]:
    """Change what is given of a member (never the key); returns the row and what changed."""
    case = get_case(session, ref)
    member = find_member(session, case, who)
    new: dict[str, object] = {}
    if data.name is not None:
        new["name"] = clean_text(data.name, "name")
    if data.role is not None:
        new["role"] = ROLE.parse(data.role)
    if data.born is not None:
        new["born"] = not_in_future(data.born, ctx.today, "born")
    if data.household is not None:
        new["household"] = data.household
    if data.phone is not None:
        new["phone"] = optional_text(data.phone, "phone")
    if data.email is not None:
        new["email"] = optional_text(data.email, "email")
    if data.deceased is not None:
        new["deceased"] = data.deceased
    if data.key is not None:
        raise InvalidValue(_("a member's key does not change (scripts and series refer to it)"))
    changed = apply_changes(member, new)
    if changed:
        audit.record(session, ctx, "update", "member", case.ref, changed)
    return row(member), changed


def relate(session: Session, ctx: Context, ref: str, who: str, kind: str, other: str) -> str:
    """Record how two members are related (``parent_of``, ``partner``, …), for the genogram."""
    case = get_case(session, ref)
    a = find_member(session, case, who)
    b = find_member(session, case, other)
    kind = RELATION.parse(kind)
    if a.id == b.id:
        raise InvalidValue(_("{member} cannot be related to themselves").format(member=a.key))
    pairs = [(a.id, b.id)] + ([(b.id, a.id)] if kind in SYMMETRIC else [])
    for x, y in pairs:
        if _recorded(session, x, kind, y):
            raise Conflict(
                _("{member} {relation} {other} is already recorded").format(
                    member=a.key, relation=RELATION.label(kind), other=b.key
                )
            )
    if kind == "parent_of" and _recorded(session, b.id, "parent_of", a.id):
        raise InvalidValue(
            _("{other} is recorded as parent of {member}; not the other way too").format(
                other=b.key, member=a.key
            )
        )
    session.add(MemberRelation(case_id=case.id, from_member_id=a.id, to_member_id=b.id, kind=kind))
    audit.record(session, ctx, "create", "relation", case.ref, ["kind"])
    return f"{a.key} {RELATION.label(kind)} {b.key}"


def _recorded(session: Session, member_id: int, kind: str, other_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(MemberRelation)
            .where(
                MemberRelation.from_member_id == member_id,
                MemberRelation.to_member_id == other_id,
                MemberRelation.kind == kind,
            )
        )
    )


@dataclass
class RelationRow:
    member: str
    kind: str
    other: str


def relations(session: Session, case: Case) -> list[RelationRow]:
    """Every relation recorded between the case's members, by key."""
    query = select(Member.id, Member.key).where(Member.case_id == case.id)
    keys: dict[int, str] = dict(session.execute(query).all())
    rels = session.scalars(
        select(MemberRelation).where(MemberRelation.case_id == case.id).order_by(MemberRelation.id)
    )
    return [RelationRow(keys[r.from_member_id], r.kind, keys[r.to_member_id]) for r in rels]


def remove_member(session: Session, ctx: Context, ref: str, who: str) -> MemberRow:
    """Remove a member entered by mistake. One with history (attendance, contacts) stays: removing
    them would lose the record; erasure under the GDPR is ``member forget``."""
    case = get_case(session, ref)
    member = find_member(session, case, who)
    used = sum(
        session.scalar(select(func.count()).select_from(model).where(model.member_id == member.id))
        or 0
        for model in (Attendance, ContactPerson)
    )
    if used:
        raise RuleViolation(
            ngettext(
                "{member} appears in {count} meeting or contact record; removing them would "
                "lose that history (to erase a person under the GDPR: 'icrctl member forget')",
                "{member} appears in {count} meeting or contact records; removing them would "
                "lose that history (to erase a person under the GDPR: 'icrctl member forget')",
                used,
            ).format(member=member.key, count=used)
        )
    gone = row(member)
    keep_member_number(case, member.key)
    delete_relations(session, member)
    session.execute(delete(SeriesAttendee).where(SeriesAttendee.member_id == member.id))
    session.delete(member)
    audit.record(session, ctx, "delete", "member", case.ref, ["key"])
    return gone


def delete_relations(session: Session, member: Member) -> None:
    """Remove every relation from or to ``member``."""
    session.execute(
        delete(MemberRelation).where(
            or_(
                MemberRelation.from_member_id == member.id, MemberRelation.to_member_id == member.id
            )
        )
    )
