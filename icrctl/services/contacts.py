"""The contact log: every contact with members and partners, and safety signals (structural
unsafety, under-the-radar violence) that never become a formal report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Case, Contact, ContactPerson, Member, Partner
from icrctl.domain.dates import not_in_future
from icrctl.domain.text import clean_text
from icrctl.domain.vocabulary import CLOSED, CONTACT_KIND
from icrctl.errors import RuleViolation
from icrctl.i18n import _
from icrctl.services import audit
from icrctl.services.context import Context, utc_now
from icrctl.services.lookup import find_people, get_case, person_ids, person_key


@dataclass
class ContactRow:
    date: dt.date
    kind: str
    note: str
    signal: bool
    with_: list[str] = field(default_factory=list)
    id: int = 0


def log_contact(
    session: Session,
    ctx: Context,
    ref: str,
    note: str,
    *,
    kind: str,
    with_: list[str] | None = None,
    day: dt.date | None = None,
    signal: bool = False,
) -> ContactRow:
    """Log a contact with members or partners of a case; ``signal`` marks a safety signal. A
    closed case takes a report (melding) only; in aftercare a contact with a member may hold a
    follow-up (``services.aftercare``)."""
    from icrctl.services import aftercare

    canonical = CONTACT_KIND.parse(kind)
    case = _case_for(session, ref, canonical)
    text = clean_text(note, "note", multiline=True)
    when = not_in_future(day or ctx.today, ctx.today, _("a contact's date"))
    # a member named twice (by key and by name) is one person in the contact
    people = list(dict.fromkeys(find_people(session, case, with_ or [])))
    contact = Contact(
        case_id=case.id, date=when, kind=canonical, note=text, signal=signal, recorded_at=utc_now()
    )
    session.add(contact)
    session.flush()
    for person in people:
        member_id, partner_id = person_ids(person)
        session.add(
            ContactPerson(contact_id=contact.id, member_id=member_id, partner_id=partner_id)
        )
    aftercare.hold_by_contact(session, case, contact, sum(1 for m, _p in people if m))
    audit.record(session, ctx, "create", "contact", case.ref, ["date", "kind", "note", "signal"])
    keys = [person_key(person) for person in people]
    return ContactRow(when, canonical, text, signal, keys, contact.id)


def _case_for(session: Session, ref: str, kind: str) -> Case:
    """The case a contact of ``kind`` is logged for: an open one, or for a report (melding) a
    closed one too (a report after closing suggests reopening: ``check``)."""
    from icrctl.domain.aftercare import REPORT

    case = get_case(session, ref)
    if case.stage == CLOSED and kind != REPORT:
        raise RuleViolation(
            _(
                "case {ref} is closed: it takes only a report (--kind report); "
                "'icrctl case reopen' first"
            ).format(ref=case.ref)
        )
    return case


def contacts_of(
    session: Session,
    cases: list[Case],
    first: dt.date | None = None,
    last: dt.date | None = None,
    signals_only: bool = False,
) -> dict[int, list[ContactRow]]:
    """Contacts per case id, oldest first, in two queries."""
    ids = [c.id for c in cases]
    out: dict[int, list[ContactRow]] = defaultdict(list)
    if not ids:
        return out
    query = select(Contact).where(Contact.case_id.in_(ids))
    if first is not None:
        query = query.where(Contact.date >= first)
    if last is not None:
        query = query.where(Contact.date <= last)
    if signals_only:
        query = query.where(Contact.signal.is_(True))
    contacts = list(session.scalars(query.order_by(Contact.date, Contact.id)))
    people: dict[int, list[str]] = defaultdict(list)
    if contacts:
        rows = session.execute(
            select(ContactPerson.contact_id, Member.key, Partner.key)
            .outerjoin(Member, Member.id == ContactPerson.member_id)
            .outerjoin(Partner, Partner.id == ContactPerson.partner_id)
            .where(ContactPerson.contact_id.in_([c.id for c in contacts]))
            .order_by(ContactPerson.id)
        )
        for cid, mkey, pkey in rows:
            people[cid].append(mkey or pkey or "")
    for c in contacts:
        out[c.case_id].append(ContactRow(c.date, c.kind, c.note, c.signal, people[c.id], c.id))
    return out


def list_contacts(
    session: Session,
    ref: str,
    first: dt.date | None = None,
    last: dt.date | None = None,
    signals_only: bool = False,
) -> list[ContactRow]:
    """``log list``: the case's contacts, oldest first."""
    case = get_case(session, ref)
    return contacts_of(session, [case], first, last, signals_only)[case.id]


def last_contacts(session: Session, case_ids: list[int]) -> dict[int, dt.date]:
    """The day of the last contact per case: a logged contact or a held evaluation meeting
    (meeting the family at an evaluation is contact too). Two queries for any number of cases."""
    from sqlalchemy import func

    from icrctl.db.models import Meeting

    out: dict[int, dt.date] = {}
    if not case_ids:
        return out
    logged = select(Contact.case_id, func.max(Contact.date)).where(Contact.case_id.in_(case_ids))
    met = select(Meeting.case_id, func.max(func.coalesce(Meeting.moved_to, Meeting.date))).where(
        Meeting.case_id.in_(case_ids), Meeting.status == "held"
    )
    for query, column in ((logged, Contact.case_id), (met, Meeting.case_id)):
        for cid, day in session.execute(query.group_by(column)):
            if day is not None and (cid not in out or day > out[cid]):
                out[cid] = day
    return out
