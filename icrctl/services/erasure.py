"""Erasure under the GDPR (art. 17) and the retention periods of the Jeugdwet and Wmo.

``forget_member`` removes a person and every trace of them from a case: the member, their
relations, attendance, invitations, contact links, and their name, phone and e-mail wherever
stored text mentions them. ``purge_case`` removes a whole closed case. The audit log keeps only
that an erasure happened, when, why and by whom. After the transaction the file is compacted
(``secure_delete``, checkpoint, ``VACUUM``) so that no old page keeps the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Analysis,
    AnalysisFactor,
    Attendance,
    AuditEntry,
    Base,
    Case,
    CaseEvent,
    CasePartner,
    ChecklistItem,
    Contact,
    ContactPerson,
    Goal,
    IndicatorScore,
    Intervention,
    Meeting,
    Member,
    MemberRelation,
    PhaseChange,
    RoleFit,
    SeriesAttendee,
    StageChange,
)
from icrctl.db.order import by_code_point
from icrctl.domain.text import clean_text
from icrctl.domain.traces import Traces, identifies
from icrctl.domain.vocabulary import CLOSED
from icrctl.errors import InvalidValue, RuleViolation
from icrctl.i18n import _
from icrctl.services import audit
from icrctl.services.context import Context
from icrctl.services.lookup import CASE_IS_OPEN, find_member, get_case
from icrctl.services.members import delete_relations, keep_member_number

REDACTED = "[verwijderd]"
"""What stands where a name was: stored in the case file, so the same in either language."""
PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "ter",
    "ten",
    "te",
    "la",
    "le",
    "du",
    "da",
    "di",
    "el",
    "al",
    "bin",
    "ben",
    "op",
    "in",
    "'t",
    "s",
}

#: Every stored free text of a case, by model and column.
TEXTS: tuple[tuple[type[Base], tuple[str, ...]], ...] = (
    (Contact, ("note",)),
    (Meeting, ("note", "reason")),
    (Goal, ("goal", "who", "what")),
    (PhaseChange, ("reason",)),
    (StageChange, ("reason",)),
    (CaseEvent, ("old", "new", "reason")),
    (CasePartner, ("role", "coordination")),
    (IndicatorScore, ("note",)),
    (Analysis, ("problem", "about", "desired")),
    (AnalysisFactor, ("text",)),
    (Intervention, ("text",)),
    (RoleFit, ("role", "who", "why")),
    (ChecklistItem, ("done_by",)),
)
CASE_TEXTS = ("title", "referrer", "closing_summary", "closing_safety")


def forget_tables() -> list[str]:
    """The tables ``member forget`` deletes from or rewrites: what a database server vacuums
    after it (db/server.py)."""
    touched = [Case, Member, MemberRelation, Attendance, SeriesAttendee, ContactPerson]
    touched += [AnalysisFactor, AuditEntry] + [model for model, _columns in TEXTS]
    return sorted({str(model.__tablename__) for model in touched})


def traces(member: Member) -> list[str]:
    """What names this person in free text: the full name, the given names, phone, e-mail; only
    what is long enough to identify them (``domain/traces.py``: :func:`identifies`).

    A family name shared with the rest of the family is not theirs alone and stays.
    """
    found = [member.name]
    words = member.name.split()
    given = []
    for word in words[:-1]:
        if word.lower() in PARTICLES:
            break
        given.append(word)
    found += given
    found += [v for v in (member.phone, member.email) if v]
    return sorted({v for v in found if identifies(v)}, key=lambda v: (-len(v), v))


def traces_of(member: Member, *more: str) -> Traces:
    """The person's traces to look for, folded and normalised, with ``more`` names."""
    names = [v for v in traces(member) if v != member.phone]
    return Traces.of([*names, *more], [member.phone] if member.phone else [])


@dataclass
class Forgotten:
    ref: str
    key: str
    texts_redacted: int


def forget_member(session: Session, ctx: Context, ref: str, who: str, reason: str) -> Forgotten:
    """Erase a person from a case: their rows, and their traces in the case's free text."""
    case = get_case(session, ref)
    member = find_member(session, case, who)
    reason = clean_text(reason, "reason")
    person = traces_of(member)
    if person.found_in(reason):
        raise InvalidValue(_("the reason names the person; the audit log must not hold their name"))
    _secure_delete(session)
    key = member.key
    keep_member_number(case, key)  # the key stays given: it is never handed to someone else
    for model in (Attendance, SeriesAttendee, ContactPerson, AnalysisFactor):
        session.execute(delete(model).where(model.member_id == member.id))
    delete_relations(session, member)
    session.execute(delete(Member).where(Member.id == member.id))
    redacted = _redact_case(session, case, person)
    audit.record(session, ctx, "erase", "member", case.ref, [f"reason: {reason}"])
    return Forgotten(case.ref, key, redacted)


def _secure_delete(session: Session) -> None:
    """Have SQLite overwrite what it deletes (other databases do not keep freed pages)."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete = ON")


def _redact_case(session: Session, case: Case, person: Traces) -> int:
    count = 0
    for name in CASE_TEXTS:
        value = getattr(case, name)
        if value and person.found_in(value):
            setattr(case, name, person.redact(value, REDACTED))
            count += 1
    for model, columns in TEXTS:
        table: Any = model.__table__
        rows = session.execute(select(table).where(table.c.case_id == case.id)).mappings().all()
        for row in rows:
            changes = {
                c: person.redact(row[c], REDACTED)
                for c in columns
                if row[c] and person.found_in(row[c])
            }
            if changes:
                session.execute(update(table).where(table.c.id == row["id"]).values(changes))
                count += len(changes)
    return count


def purge_case(session: Session, ctx: Context, ref: str, reason: str) -> str:
    """Remove a closed case entirely; the audit log keeps that it happened."""
    case = get_case(session, ref)
    if case.stage != CLOSED:
        raise RuleViolation(
            _("case {ref} is not closed; only a closed case can be purged").format(ref=case.ref)
        )
    reason = clean_text(reason, "reason")
    names = [case.ref, case.title]
    phones = []
    for member in session.scalars(select(Member).where(Member.case_id == case.id)):
        names += [v for v in traces(member) if v != member.phone]
        phones += [member.phone] if member.phone else []
        names.append(member.name.split()[-1])  # gone with the whole family, so it names them
    if Traces.of(names, phones).found_in(reason):
        raise InvalidValue(
            _("the reason names the case or its people; the audit log must not hold them")
        )
    _secure_delete(session)
    gone = case.ref
    session.execute(delete(Case).where(Case.id == case.id))
    session.execute(update(AuditEntry).where(AuditEntry.ref == gone).values(ref=None))
    audit.record(session, ctx, "erase", "case", None, [f"reason: {reason}"])
    return gone


@dataclass
class RetentionRow:
    ref: str
    title: str
    closed: dt.date | None
    retention_until: dt.date | None
    days_past: int


def past_retention(session: Session, ctx: Context) -> list[RetentionRow]:
    """Closed cases whose retention end has passed: to be purged."""
    cases = session.scalars(
        select(Case)
        .where(~CASE_IS_OPEN, Case.retention_until < ctx.today)
        .order_by(Case.retention_until, by_code_point(Case.ref))
    )
    return [
        RetentionRow(
            c.ref,
            c.title,
            c.closed,
            c.retention_until,
            (ctx.today - c.retention_until).days if c.retention_until else 0,
        )
        for c in cases
    ]
