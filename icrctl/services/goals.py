"""Goals of the work plan (*Doel / Wie doet / Wat*), each open, achieved or dropped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from icrctl.db.models import Case, Goal
from icrctl.domain.dates import not_in_future
from icrctl.domain.text import clean_text, optional_text
from icrctl.domain.vocabulary import GOAL_STATUS
from icrctl.errors import InvalidValue, NotFound, RuleViolation
from icrctl.i18n import _
from icrctl.services import audit
from icrctl.services.context import Context, utc_now
from icrctl.services.edits import apply_changes
from icrctl.services.lookup import get_case, open_case

OPEN, ACHIEVED, DROPPED = "open", "achieved", "dropped"


@dataclass
class GoalRow:
    id: int
    goal: str
    who: str | None
    what: str | None
    due: dt.date | None
    status: str
    status_date: dt.date


def row(goal: Goal) -> GoalRow:
    """A goal as listed."""
    return GoalRow(
        goal.number, goal.goal, goal.who, goal.what, goal.due, goal.status, goal.status_date
    )


def add_goal(
    session: Session,
    ctx: Context,
    ref: str,
    goal: str,
    *,
    who: str | None = None,
    what: str | None = None,
    due: dt.date | None = None,
) -> GoalRow:
    """Add a goal to the case's work plan: the goal, who does what, by when."""
    case = open_case(session, ref)
    text = clean_text(goal, "goal", multiline=True)
    number = (session.scalar(select(func.max(Goal.number)).where(Goal.case_id == case.id)) or 0) + 1
    item = Goal(
        case_id=case.id,
        number=number,
        goal=text,
        who=optional_text(who, "who"),
        what=optional_text(what, "what", multiline=True),
        due=due,
        status=OPEN,
        status_date=ctx.today,
        created_at=utc_now(),
    )
    session.add(item)
    audit.record(session, ctx, "create", "goal", case.ref, ["goal", "who", "what", "due"])
    return row(item)


def find_goal(session: Session, case: Case, number: int) -> Goal:
    """Goal ``number`` of ``case``, else :class:`NotFound` pointing at ``goal list``."""
    goal = session.scalars(
        select(Goal).where(Goal.case_id == case.id, Goal.number == number)
    ).one_or_none()
    if goal is None:
        raise NotFound(
            _("case {ref} has no goal {number}; 'icrctl goal list {ref}'").format(
                ref=case.ref, number=number
            )
        )
    return goal


def set_status(
    session: Session,
    ctx: Context,
    ref: str,
    number: int,
    status: str,
    day: dt.date | None = None,
) -> GoalRow:
    """Mark a goal open, achieved or dropped, as of ``day`` (today)."""
    case = open_case(session, ref)
    goal = find_goal(session, case, number)
    new = GOAL_STATUS.parse(status)
    if goal.status == new:
        raise RuleViolation(
            _("goal {number} of {ref} is already {status}").format(
                number=number, ref=case.ref, status=GOAL_STATUS.label(new)
            )
        )
    goal.status = new
    goal.status_date = not_in_future(day or ctx.today, ctx.today, "date")
    audit.record(session, ctx, "update", "goal", case.ref, ["status"])
    return row(goal)


def edit_goal(
    session: Session,
    ctx: Context,
    ref: str,
    number: int,
    *,
    goal: str | None = None,
    who: str | None = None,
    what: str | None = None,
    due: dt.date | None = None,
    clear_due: bool = False,
) -> tuple[GoalRow, list[str]]:
    """Change a goal's text, who, what or due date; returns the row and what changed."""
    case = open_case(session, ref)
    item = find_goal(session, case, number)
    new: dict[str, object] = {}
    if goal is not None:
        new["goal"] = clean_text(goal, "goal", multiline=True)
    if who is not None:
        new["who"] = optional_text(who, "who")
    if what is not None:
        new["what"] = optional_text(what, "what", multiline=True)
    if due is not None and clear_due:
        raise InvalidValue(_("give --due or --no-due, not both"))
    if due is not None or clear_due:
        new["due"] = due
    changed = apply_changes(item, new)
    if changed:
        audit.record(session, ctx, "update", "goal", case.ref, changed)
    return row(item), changed


def goals_of(session: Session, case_ids: list[int]) -> dict[int, list[GoalRow]]:
    """The goals of many cases at once, by case id, in their order."""
    out: dict[int, list[GoalRow]] = {i: [] for i in case_ids}
    if not case_ids:
        return out
    for g in session.scalars(
        select(Goal).where(Goal.case_id.in_(case_ids)).order_by(Goal.case_id, Goal.number)
    ):
        out[g.case_id].append(row(g))
    return out


def list_goals(session: Session, ref: str, status: str | None = None) -> list[GoalRow]:
    """``goal list``: the case's goals, or only those with ``status``."""
    case = get_case(session, ref)
    rows = goals_of(session, [case.id])[case.id]
    if status is not None:
        wanted = GOAL_STATUS.parse(status)
        rows = [g for g in rows if g.status == wanted]
    return rows
