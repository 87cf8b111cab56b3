"""Finding what the user names: a case by ref, a member by key or unique exact name, a partner by
key or exact name. Unknown names are :class:`NotFound` with a hint."""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from icrctl.db.models import Case, CasePartner, Member, Partner
from icrctl.db.order import by_code_point
from icrctl.domain.vocabulary import CLOSED, STAGE
from icrctl.errors import InvalidValue, NotFound, RuleViolation
from icrctl.i18n import _, ngettext

Person = tuple[Member | None, Partner | None]
"""Someone at a meeting or a contact: a member of the case, or a partner linked to it (the other
of the two is ``None``)."""


#: An open case, as a query condition: any stage but closed. ``~CASE_IS_OPEN`` means closed.
#: The one definition every list of open cases filters on.
CASE_IS_OPEN: ColumnElement[bool] = Case.stage != CLOSED


def _name(text: str) -> str:
    """What the user typed, as names are stored: NFC-normalised and stripped."""
    return unicodedata.normalize("NFC", text).strip()


def select_cases(
    session: Session,
    *,
    which: str = "open",
    phase: int | None = None,
    stage: str | None = None,
    regisseur: str | None = None,
) -> list[Case]:
    """The cases of a caseload list, by ref: open ones unless ``which`` is ``all`` or ``closed``.

    Here rather than beside the case view, so that ``status`` and ``week`` need not import it."""
    query = select(Case)
    if which == "open":
        query = query.where(CASE_IS_OPEN)
    elif which == "closed":
        query = query.where(~CASE_IS_OPEN)
    if phase is not None:
        from icrctl.domain import regiekaart

        query = query.where(Case.phase == regiekaart.phase(phase).number)
    if stage is not None:
        query = query.where(Case.stage == STAGE.parse(stage))
    if regisseur is not None:
        query = query.where(Case.regisseur == regisseur)
    return list(session.scalars(query.order_by(by_code_point(Case.ref))))


def get_case(session: Session, ref: str) -> Case:
    """The case with this ref, open or closed."""
    case = session.scalars(select(Case).where(Case.ref == _name(ref))).one_or_none()
    if case is None:
        raise NotFound(
            _("no case {ref!r}; 'icrctl case list --all' shows the refs").format(ref=ref)
        )
    return case


def open_case(session: Session, ref: str) -> Case:
    """A case that may still be worked on (not closed)."""
    case = get_case(session, ref)
    if case.stage == CLOSED:
        raise RuleViolation(
            _("case {ref} is closed; 'icrctl case reopen' first").format(ref=case.ref)
        )
    return case


def find_member(session: Session, case: Case, name: str) -> Member:
    """A member of the case by key, or by a name only one member has."""
    text = _name(name)
    by_key = session.scalars(
        select(Member).where(Member.case_id == case.id, Member.key == text)
    ).one_or_none()
    if by_key is not None:
        return by_key
    by_name = list(
        session.scalars(select(Member).where(Member.case_id == case.id, Member.name == text))
    )
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        keys = ", ".join(m.key for m in by_name)
        raise InvalidValue(
            ngettext(
                "{count} member of {ref} is named {name!r}; use a key ({keys})",
                "{count} members of {ref} are named {name!r}; use a key ({keys})",
                len(by_name),
            ).format(count=len(by_name), ref=case.ref, name=text, keys=keys)
        )
    raise NotFound(
        _("no member {name!r} in case {ref}; 'icrctl member list {ref}' shows them").format(
            name=name, ref=case.ref
        )
    )


def find_partner(session: Session, name: str) -> Partner:
    """A partner in the directory by key, or by a name only one partner has."""
    text = _name(name)
    by_key = session.scalars(select(Partner).where(Partner.key == text)).one_or_none()
    if by_key is not None:
        return by_key
    by_name = list(session.scalars(select(Partner).where(Partner.name == text)))
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        keys = ", ".join(p.key for p in by_name)
        raise InvalidValue(
            ngettext(
                "{count} partner is named {name!r}; use a key ({keys})",
                "{count} partners are named {name!r}; use a key ({keys})",
                len(by_name),
            ).format(count=len(by_name), name=text, keys=keys)
        )
    raise NotFound(
        _("no partner {name!r}; 'icrctl partner list' shows the directory").format(name=name)
    )


def find_link(session: Session, case: Case, partner: Partner) -> CasePartner | None:
    """The partner's link to the case, if they are linked."""
    return session.scalars(
        select(CasePartner).where(
            CasePartner.case_id == case.id, CasePartner.partner_id == partner.id
        )
    ).one_or_none()


def find_people(session: Session, case: Case, keys: list[str]) -> list[Person]:
    """Resolve attendee or contact keys: members of the case, or partners linked to it."""
    people: list[Person] = []
    for key in keys:
        try:
            people.append((find_member(session, case, key), None))
            continue
        except NotFound:
            pass
        try:
            partner = find_partner(session, key)
        except NotFound:
            raise NotFound(
                _("{key!r} is neither a member nor a partner of case {ref}").format(
                    key=key, ref=case.ref
                )
            ) from None
        if find_link(session, case, partner) is None:
            raise NotFound(
                _(
                    "partner {partner} is not linked to case {ref}; "
                    "'icrctl partner link {ref} {partner}' first"
                ).format(partner=partner.key, ref=case.ref)
            )
        people.append((None, partner))
    return people


def person_ids(person: Person) -> tuple[int | None, int | None]:
    """The (member id, partner id) a person is stored by."""
    member, partner = person
    return (member.id if member else None, partner.id if partner else None)


def person_key(person: Person) -> str:
    """The key a person is shown by."""
    member, partner = person
    return member.key if member else partner.key if partner else ""


def split_keys(text: str | None) -> list[str]:
    """Comma-separated keys as a list: stripped, without blanks or repeats."""
    if not text:
        return []
    out: list[str] = []
    for part in text.split(","):
        key = part.strip()
        if key and key not in out:
            out.append(key)
    return out


def attendee_names(session: Session, case_ids: list[int]) -> dict[tuple[str, str], str]:
    """How attendees read in printouts, by (case ref, key): members by name, partners by name
    with their key (they work on many cases). Two queries for any number of cases."""
    out: dict[tuple[str, str], str] = {}
    if not case_ids:
        return out
    for ref, key, name in session.execute(
        select(Case.ref, Member.key, Member.name)
        .join(Member, Member.case_id == Case.id)
        .where(Case.id.in_(case_ids))
    ):
        out[(ref, key)] = name
    for ref, key, name in session.execute(
        select(Case.ref, Partner.key, Partner.name)
        .join(CasePartner, CasePartner.case_id == Case.id)
        .join(Partner, Partner.id == CasePartner.partner_id)
        .where(Case.id.in_(case_ids))
    ):
        out[(ref, key)] = f"{name} ({key})"
    return out
