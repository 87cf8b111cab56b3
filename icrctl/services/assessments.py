"""Safety risk and self-reliance as assessed at each evaluation, as a series with its trend."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from icrctl.db.models import Meeting
from icrctl.domain.trend import trend


@dataclass
class Score:
    date: dt.date
    risk: int | None
    self_reliance: int | None


@dataclass
class Assessments:
    scores: list[Score] = field(default_factory=list)
    risk_trend: str | None = None
    self_reliance_trend: str | None = None


def assessments_of(session: Session, case_ids: list[int]) -> dict[int, Assessments]:
    """Per case, the scores of held meetings in date order, in one query (plain rows: a case
    that has run two years holds a hundred of them)."""
    scores: dict[int, list[Score]] = defaultdict(list)
    if case_ids:
        held = session.execute(
            select(
                Meeting.case_id, Meeting.date, Meeting.moved_to, Meeting.risk, Meeting.self_reliance
            )
            .where(
                Meeting.case_id.in_(case_ids),
                Meeting.status == "held",
                or_(Meeting.risk.is_not(None), Meeting.self_reliance.is_not(None)),
            )
            .order_by(Meeting.case_id, Meeting.date, Meeting.id)
        )
        for cid, day, moved_to, risk, self_reliance in held:
            scores[cid].append(Score(moved_to or day, risk, self_reliance))
    out = {}
    for cid in case_ids:
        rows = sorted(scores[cid], key=lambda s: s.date)
        out[cid] = Assessments(
            rows, trend([s.risk for s in rows]), trend([s.self_reliance for s in rows])
        )
    return out
