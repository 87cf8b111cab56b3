"""What a held evaluation meeting yielded besides attendance and scores: the agreements made
(who does what, by when; numbered per meeting) and what was discussed per goal, read back.
``services.agreements`` records them; ``eval show`` and ``eval report`` read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Case, Goal, Meeting
from icrctl.services.evaluations import HELD, Occurrence


@dataclass
class AgreementRow:
    """One agreement: its number within the meeting, what, who, by when, and for which goal."""

    number: int
    what: str
    who: str | None
    due: dt.date | None
    goal: int | None


@dataclass
class DiscussionRow:
    """What was discussed about one goal (by its number) at one meeting."""

    goal: int
    note: str


@dataclass
class MeetingNotes:
    agreements: list[AgreementRow] = field(default_factory=list)
    discussed: list[DiscussionRow] = field(default_factory=list)


def notes_of(session: Session, meeting_ids: list[int]) -> dict[int, MeetingNotes]:
    """Per meeting its agreements (by number) and discussions (by goal), in two queries."""
    from icrctl.db.models import Agreement, GoalDiscussion  # mapped when first used

    out: dict[int, MeetingNotes] = {mid: MeetingNotes() for mid in meeting_ids}
    if not meeting_ids:
        return out
    for mid, number, what, who, due, goal in session.execute(
        select(
            Agreement.meeting_id,
            Agreement.number,
            Agreement.what,
            Agreement.who,
            Agreement.due,
            Goal.number,
        )
        .outerjoin(Goal, Goal.id == Agreement.goal_id)
        .where(Agreement.meeting_id.in_(meeting_ids))
        .order_by(Agreement.meeting_id, Agreement.number)
    ):
        out[mid].agreements.append(AgreementRow(number, what, who, due, goal))
    for mid, goal, note in session.execute(
        select(GoalDiscussion.meeting_id, Goal.number, GoalDiscussion.note)
        .join(Goal, Goal.id == GoalDiscussion.goal_id)
        .where(GoalDiscussion.meeting_id.in_(meeting_ids))
        .order_by(GoalDiscussion.meeting_id, Goal.number)
    ):
        out[mid].discussed.append(DiscussionRow(goal, note))
    return out


def meeting_id_of(session: Session, case: Case, occ: Occurrence) -> int | None:
    """The record of a held occurrence (None when it is not held)."""
    if occ.status != HELD:
        return None
    return session.scalar(
        select(Meeting.id).where(
            Meeting.case_id == case.id,
            Meeting.series_id.is_(None) if occ.series is None else Meeting.series_id == occ.series,
            Meeting.date == occ.original,
            Meeting.status == HELD,
        )
    )
