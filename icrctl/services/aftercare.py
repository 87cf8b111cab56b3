"""Aftercare (nazorg): the follow-up contacts of a case in aftercare, planned when it enters the
stage, held when the practitioner says so or when a contact with a member is logged near their
due date, and adjusted by ``case aftercare``. The rules are in ``domain.aftercare``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from icrctl.db.models import AftercareContact, Case, Contact, StageChange
from icrctl.domain import aftercare
from icrctl.domain.dates import not_in_future
from icrctl.domain.vocabulary import CLOSED
from icrctl.errors import Conflict, NotFound, RuleViolation
from icrctl.i18n import _
from icrctl.services import audit
from icrctl.services.context import Context, utc_now
from icrctl.services.lookup import get_case, open_case

AFTERCARE = "aftercare"
#: What became of a follow-up: ``held``; ``overdue`` (past due, not held); ``open``; and, once
#: the case has closed, ``not-held`` (closed with ``--force`` before it was held): no longer due.
HELD, OVERDUE, OPEN, NOT_HELD = "held", "overdue", "open", "not-held"


@dataclass
class FollowUp:
    """One follow-up contact of aftercare: when it is due, and when it was held (by which entry
    of the contact log, where one held it)."""

    due: dt.date
    status: str
    done: dt.date | None = None
    contact: int | None = None


def _status(due: dt.date, done: dt.date | None, today: dt.date, closed: dt.date | None) -> str:
    if done is not None:
        return HELD
    if closed is not None:
        return NOT_HELD
    return OVERDUE if due < today else OPEN


def stage_changed(session: Session, case: Case, new: str, day: dt.date) -> list[dt.date]:
    """Called as ``case`` moves to stage ``new`` on ``day`` (its ``stage`` still the old one):
    entering aftercare plans its follow-ups (see :func:`plan_aftercare`); leaving it for an
    earlier stage cancels those not held (the held ones stay, as history). The dates planned."""
    if new == AFTERCARE:
        return plan_aftercare(session, case, day)
    if case.stage == AFTERCARE:
        session.execute(
            delete(AftercareContact).where(
                AftercareContact.case_id == case.id, AftercareContact.done.is_(None)
            )
        )
    return []


def plan_aftercare(session: Session, case: Case, start: dt.date) -> list[dt.date]:
    """Plan the follow-ups of an aftercare beginning on ``start``
    (:data:`aftercare.FOLLOW_UP_MONTHS` months later); a date the case already has stays as
    it is. The dates planned, earliest first."""
    have = set(
        session.scalars(select(AftercareContact.due).where(AftercareContact.case_id == case.id))
    )
    planned = [due for due in aftercare.follow_up_dates(start) if due not in have]
    now = utc_now()
    session.add_all(AftercareContact(case_id=case.id, due=due, recorded_at=now) for due in planned)
    session.flush()
    return planned


def hold_by_contact(session: Session, case: Case, contact: Contact, members: int) -> None:
    """A contact with ``members`` members of a case in aftercare holds its earliest open
    follow-up whose window has begun (:func:`aftercare.follow_up_held_by`). A report (melding)
    is no follow-up, nor is a contact with partners only."""
    if case.stage != AFTERCARE or contact.kind == aftercare.REPORT or not members:
        return
    rows = {
        r.due: r
        for r in session.scalars(
            select(AftercareContact).where(
                AftercareContact.case_id == case.id, AftercareContact.done.is_(None)
            )
        )
    }
    due = aftercare.follow_up_held_by(rows, contact.date)
    if due is not None:
        rows[due].done = contact.date
        rows[due].contact_id = contact.id


def held_by(session: Session, contact_id: int) -> dt.date | None:
    """The due date of the follow-up the contact ``contact_id`` held, if it held one."""
    return session.scalar(
        select(AftercareContact.due).where(AftercareContact.contact_id == contact_id)
    )


def follow_ups_of(session: Session, ids: list[int], today: dt.date) -> dict[int, list[FollowUp]]:
    """The follow-ups of each case, earliest first, by case id: one query."""
    out: dict[int, list[FollowUp]] = defaultdict(list)
    if not ids:
        return out
    for r, closed in session.execute(
        select(AftercareContact, Case.closed)
        .join(Case, Case.id == AftercareContact.case_id)
        .where(AftercareContact.case_id.in_(ids))
        .order_by(AftercareContact.due)
    ):
        status = _status(r.due, r.done, today, closed)
        out[r.case_id].append(FollowUp(r.due, status, r.done, r.contact_id))
    return out


def list_follow_ups(session: Session, ctx: Context, ref: str) -> list[FollowUp]:
    """``case aftercare REF``: the case's follow-ups, earliest first (closed cases too)."""
    case = get_case(session, ref)
    return follow_ups_of(session, [case.id], ctx.today)[case.id]


def _in_aftercare(session: Session, ref: str) -> Case:
    case = open_case(session, ref)
    if case.stage != AFTERCARE:
        raise RuleViolation(
            _(
                "case {ref} is not in aftercare: its follow-up contacts are planned when it "
                "enters it ('icrctl case stage {ref} aftercare')"
            ).format(ref=case.ref)
        )
    return case


def _follow_up(session: Session, case: Case, due: dt.date) -> AftercareContact:
    row = session.scalars(
        select(AftercareContact).where(
            AftercareContact.case_id == case.id, AftercareContact.due == due
        )
    ).one_or_none()
    if row is None:
        raise NotFound(
            _(
                "case {ref} has no follow-up due on {due}; 'icrctl case aftercare {ref}' lists them"
            ).format(ref=case.ref, due=due.isoformat())
        )
    return row


def add_follow_up(session: Session, ctx: Context, ref: str, due: dt.date) -> dt.date:
    """``case aftercare REF --add DATE``: one more follow-up, due on ``due``."""
    case = _in_aftercare(session, ref)
    have = session.scalar(
        select(AftercareContact.id).where(
            AftercareContact.case_id == case.id, AftercareContact.due == due
        )
    )
    if have is not None:
        raise Conflict(
            _("case {ref} already has a follow-up due on {due}").format(
                ref=case.ref, due=due.isoformat()
            )
        )
    session.add(AftercareContact(case_id=case.id, due=due, recorded_at=utc_now()))
    audit.record(session, ctx, "create", "aftercare_contact", case.ref, ["due"])
    return due


def drop_follow_up(session: Session, ctx: Context, ref: str, due: dt.date) -> dt.date:
    """``case aftercare REF --drop DATE``: a follow-up no longer needed; a held one stays."""
    case = open_case(session, ref)
    row = _follow_up(session, case, due)
    if row.done is not None:
        raise RuleViolation(
            _(
                "the follow-up due on {due} was held on {done}: a held follow-up stays in the "
                "record"
            ).format(due=due.isoformat(), done=row.done.isoformat())
        )
    session.delete(row)
    audit.record(session, ctx, "delete", "aftercare_contact", case.ref, ["due"])
    return due


def mark_held(
    session: Session, ctx: Context, ref: str, due: dt.date, on: dt.date | None
) -> dt.date:
    """``case aftercare REF --done DATE [--on DAY]``: the follow-up due on ``due`` was held on
    ``on`` (default today, not in the future). The day it was held."""
    case = open_case(session, ref)
    row = _follow_up(session, case, due)
    if row.done is not None:
        raise RuleViolation(
            _("the follow-up due on {due} was already held on {done}").format(
                due=due.isoformat(), done=row.done.isoformat()
            )
        )
    held = not_in_future(on or ctx.today, ctx.today, "--on")
    row.done = held
    audit.record(session, ctx, "update", "aftercare_contact", case.ref, ["done"])
    return held


def open_follow_ups(session: Session, ids: list[int]) -> dict[int, list[dt.date]]:
    """The due dates of the follow-ups not held, earliest first, by case id: one query."""
    out: dict[int, list[dt.date]] = defaultdict(list)
    if not ids:
        return out
    for cid, due in session.execute(
        select(AftercareContact.case_id, AftercareContact.due)
        .where(AftercareContact.case_id.in_(ids), AftercareContact.done.is_(None))
        .order_by(AftercareContact.due)
    ):
        out[cid].append(due)
    return out


def reports_since_closing(session: Session, ids: list[int]) -> dict[int, list[dt.date]]:
    """The days of the reports (meldingen) logged on or after each closed case's closing day,
    earliest first, by case id: one query."""
    out: dict[int, list[dt.date]] = defaultdict(list)
    if not ids:
        return out
    for cid, day in session.execute(
        select(Contact.case_id, Contact.date)
        .join(Case, Case.id == Contact.case_id)
        .where(
            Contact.case_id.in_(ids),
            Case.stage == CLOSED,
            Contact.kind == aftercare.REPORT,
            Contact.date >= Case.closed,
        )
        .order_by(Contact.date, Contact.id)
    ):
        out[cid].append(day)
    return out


@dataclass
class Period:
    """One stay in aftercare: from the day the case entered it to the day it left (None while it
    is still there)."""

    start: dt.date
    end: dt.date | None


def periods(stages: list[tuple[dt.date, str]]) -> list[Period]:
    """The stays in aftercare of a stage history (date and stage, oldest first)."""
    out: list[Period] = []
    for i, (day, stage) in enumerate(stages):
        if stage == AFTERCARE:
            after = stages[i + 1][0] if i + 1 < len(stages) else None
            out.append(Period(day, after))
    return out


def aftercare_periods(session: Session, case: Case) -> list[Period]:
    """The case's stays in aftercare, oldest first."""
    rows = session.execute(
        select(StageChange.date, StageChange.stage)
        .where(StageChange.case_id == case.id)
        .order_by(StageChange.date, StageChange.id)
    )
    return periods([(day, stage) for day, stage in rows])
