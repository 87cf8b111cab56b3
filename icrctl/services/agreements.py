"""Recording what a held evaluation meeting yielded: ``eval agree`` (an agreement: who does
what, by when; numbered per meeting) and ``eval discuss`` (what was discussed about a goal). The
method records them after every meeting and mails them to everyone involved (``eval report``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from icrctl.db.models import Agreement, Case, Goal, GoalDiscussion, Meeting
from icrctl.domain.text import clean_text, optional_text
from icrctl.errors import NotFound, RuleViolation
from icrctl.i18n import _
from icrctl.services import audit
from icrctl.services.context import Context
from icrctl.services.evaluation_view import occurrence_named
from icrctl.services.evaluations import Occurrence
from icrctl.services.goals import find_goal
from icrctl.services.lookup import open_case
from icrctl.services.meeting_notes import AgreementRow, DiscussionRow, meeting_id_of


@dataclass
class Noted:
    """What ``eval agree`` or ``eval discuss`` did: the meeting's date, and the row."""

    ref: str
    date: dt.date
    agreement: AgreementRow | None = None
    discussion: DiscussionRow | None = None
    replaced: bool = False


@dataclass
class Where:
    """Which meeting: the date that names it, and the series or time that pick it."""

    day: dt.date
    series: int | None = None
    time: str | None = None


def held_meeting(
    session: Session, ctx: Context, case: Case, where: Where
) -> tuple[Occurrence, Meeting]:
    """The held meeting a date names, as ``eval show`` reads it; one not held is refused."""
    occ = occurrence_named(session, ctx, case, where.day, where.series, where.time)
    found = meeting_id_of(session, case, occ)
    meeting = session.get(Meeting, found) if found is not None else None
    if meeting is None:
        raise RuleViolation(
            _(
                "the evaluation of {date} is not recorded as held: record it first "
                "('icrctl eval record {ref} --date {date}')"
            ).format(date=where.day.isoformat(), ref=case.ref)
        )
    return occ, meeting


def _goal(session: Session, case: Case, number: int | None) -> Goal | None:
    return None if number is None else find_goal(session, case, number)


def agree(
    session: Session,
    ctx: Context,
    ref: str,
    where: Where,
    what: str,
    *,
    who: str | None = None,
    due: dt.date | None = None,
    goal: int | None = None,
) -> Noted:
    """Record an agreement made at a held meeting; it gets the meeting's next number."""
    case = open_case(session, ref)
    text = clean_text(what, "what", multiline=True)
    person = optional_text(who, "who")
    occ, meeting = held_meeting(session, ctx, case, where)
    target = _goal(session, case, goal)
    number = (
        session.scalar(select(func.max(Agreement.number)).where(Agreement.meeting_id == meeting.id))
        or 0
    ) + 1
    session.add(
        Agreement(
            meeting_id=meeting.id,
            number=number,
            what=text,
            who=person,
            due=due,
            goal_id=target.id if target else None,
        )
    )
    audit.record(session, ctx, "create", "agreement", case.ref, ["what", "who", "due", "goal"])
    return Noted(case.ref, occ.date, agreement=AgreementRow(number, text, person, due, goal))


def drop_agreement(session: Session, ctx: Context, ref: str, where: Where, number: int) -> Noted:
    """Remove agreement ``number`` of a held meeting; the later ones move up one, so that the
    agreements stay numbered 1, 2, 3 as a report lists them."""
    case = open_case(session, ref)
    occ, meeting = held_meeting(session, ctx, case, where)
    rows = list(
        session.scalars(
            select(Agreement).where(Agreement.meeting_id == meeting.id).order_by(Agreement.number)
        )
    )
    gone = next((a for a in rows if a.number == number), None)
    if gone is None:
        raise NotFound(
            _("the evaluation of {date} has no agreement {number}").format(
                date=where.day.isoformat(), number=number
            )
        )
    row = _agreement_row(session, gone)
    session.delete(gone)
    session.flush()
    for later in rows:
        if later.number > number:
            later.number -= 1
            session.flush()  # one at a time: the numbers stay unique on the way
    audit.record(session, ctx, "delete", "agreement", case.ref, ["number"])
    return Noted(case.ref, occ.date, agreement=row)


def _agreement_row(session: Session, a: Agreement) -> AgreementRow:
    goal = session.get(Goal, a.goal_id) if a.goal_id is not None else None
    return AgreementRow(a.number, a.what, a.who, a.due, goal.number if goal else None)


def discuss(session: Session, ctx: Context, ref: str, where: Where, goal: int, note: str) -> Noted:
    """Record what was discussed about a goal at a held meeting (replacing what was noted)."""
    case = open_case(session, ref)
    text = clean_text(note, "note", multiline=True)
    occ, meeting = held_meeting(session, ctx, case, where)
    target = _goal(session, case, goal)
    assert target is not None
    row = session.scalars(
        select(GoalDiscussion).where(
            GoalDiscussion.meeting_id == meeting.id, GoalDiscussion.goal_id == target.id
        )
    ).one_or_none()
    replaced = row is not None
    if row is None:
        session.add(GoalDiscussion(meeting_id=meeting.id, goal_id=target.id, note=text))
    else:
        row.note = text
    audit.record(
        session, ctx, "update" if replaced else "create", "goal_discussion", case.ref, ["note"]
    )
    return Noted(case.ref, occ.date, discussion=DiscussionRow(goal, text), replaced=replaced)


def drop_discussion(session: Session, ctx: Context, ref: str, where: Where, goal: int) -> Noted:
    """Remove what was noted about a goal at a held meeting."""
    case = open_case(session, ref)
    occ, meeting = held_meeting(session, ctx, case, where)
    target = _goal(session, case, goal)
    assert target is not None
    row = session.scalars(
        select(GoalDiscussion).where(
            GoalDiscussion.meeting_id == meeting.id, GoalDiscussion.goal_id == target.id
        )
    ).one_or_none()
    if row is None:
        raise NotFound(
            _("nothing is noted about goal {goal} at the evaluation of {date}").format(
                goal=goal, date=where.day.isoformat()
            )
        )
    found = DiscussionRow(goal, row.note)
    session.delete(row)
    audit.record(session, ctx, "delete", "goal_discussion", case.ref, ["note"])
    return Noted(case.ref, occ.date, discussion=found)
