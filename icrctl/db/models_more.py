"""The mapped classes of the tables only some commands use (relations, events, agreements, the
indicators, the Casus Plus analysis, team mode's tables, the settings), apart from
``models`` so that a command that does not use them does not pay for mapping them. Import them
from ``icrctl.db.models`` as any other model: it defines them here on first use
(``models.load_all()`` defines them all).
"""

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from icrctl.db.models import Base


class MemberRelation(Base):
    """A relation between two members of one case: what a genogram draws."""

    __tablename__ = "member_relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    to_member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))

    __table_args__ = (
        UniqueConstraint("from_member_id", "to_member_id", "kind", name="uq_member_relations"),
        CheckConstraint("from_member_id <> to_member_id", name="not_self"),
    )


class CaseEvent(Base):
    """A change to the case that is neither phase nor stage: framework, regie, reopening."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Agreement(Base):
    """An agreement (afspraak) made at a meeting: who does what, by when."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str | None] = mapped_column(Text)
    due: Mapped[dt.date | None] = mapped_column(Date)
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("goals.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (
        UniqueConstraint("meeting_id", "number", name="uq_agreements_meeting_number"),
    )


class GoalDiscussion(Base):
    """What was discussed about one goal at one meeting (the evaluatieverslag per goal)."""

    __tablename__ = "goal_discussions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("meeting_id", "goal_id", name="uq_goal_discussions"),)


class IndicatorScore(Base):
    """The practitioner's score of one of the ICR study's 18 indicators for a case."""

    __tablename__ = "indicator_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    score: Mapped[str] = mapped_column(String(2))
    note: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("case_id", "key", name="uq_indicator_scores_case_key"),
        CheckConstraint("score IN ('++', '+', '0', '-')", name="score"),
    )


class Analysis(Base):
    """The Casus Plus analysis of a case: the problem, whom it is about, the desired situation."""

    __tablename__ = "analyses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    problem: Mapped[str | None] = mapped_column(Text)
    about: Mapped[str | None] = mapped_column(Text)
    desired: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AnalysisFactor(Base):
    """A protective factor, a risk factor or a lever (what can move a person) of one member."""

    __tablename__ = "analysis_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (CheckConstraint("kind IN ('protective', 'risk', 'lever')", name="kind"),)


class Intervention(Base):
    """An intervention of the analysis, for the short or the long term, linked to a goal."""

    __tablename__ = "interventions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(Text)
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("goals.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (CheckConstraint("term IN ('short', 'long')", name="term"),)


class RoleFit(Base):
    """Per role, the professional who fits it best and why (Casus Plus)."""

    __tablename__ = "role_fits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(Text)
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    #: A professional not in the partner directory (yet), by name.
    who: Mapped[str | None] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)

    __table_args__ = (CheckConstraint("partner_id IS NOT NULL OR who IS NOT NULL", name="someone"),)


class CaseShare(Base):
    """Team mode: a case shared with another role, who then sees and changes it too."""

    __tablename__ = "case_shares"
    __table_args__ = (UniqueConstraint("case_id", "role", name="uq_case_shares_case_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(63), index=True)


class TeamMember(Base):
    """Team mode: a login role of the team (made by ``team add``) and the name it goes by."""

    __tablename__ = "team_members"

    role: Mapped[str] = mapped_column(String(63), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Setting(Base):
    """A setting of the case file that differs from its default (``icrctl config``); on a server,
    the team's. Which keys exist and their defaults are the application's, not the table's."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(63), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(100))
