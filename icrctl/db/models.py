"""SQLAlchemy 2.0 typed mappings of the case file.

Portable SQL only: the same models run on SQLite (one practitioner) and PostgreSQL (a team).
Enumerated values are stored as their canonical English words (see ``domain.vocabulary``).
"""

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from icrctl.domain.text import MAX_LENGTH

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ONE_PERSON = "(member_id IS NULL) <> (partner_id IS NULL)"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {list[str]: JSON}


class Case(Base):
    """A case (casus): one household or family system."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(MAX_LENGTH["ref"]), unique=True)
    title: Mapped[str] = mapped_column(String(MAX_LENGTH["title"]))
    opened: Mapped[dt.date] = mapped_column(Date)
    closed: Mapped[dt.date | None] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(20), index=True)
    phase: Mapped[int] = mapped_column(Integer, index=True)
    framework: Mapped[str] = mapped_column(String(20))
    regie: Mapped[str] = mapped_column(String(20))
    regisseur: Mapped[str | None] = mapped_column(String(MAX_LENGTH["regisseur"]), index=True)
    referrer: Mapped[str | None] = mapped_column(Text)
    violence: Mapped[list[str]] = mapped_column(JSON, default=list)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    plan_signed: Mapped[dt.date | None] = mapped_column(Date)
    closing_summary: Mapped[str | None] = mapped_column(Text)
    closing_safety: Mapped[str | None] = mapped_column(Text)
    retention_until: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: The highest number ever given to an automatic member key (m1, m2, …): never given twice.
    last_member_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The linked partner who holds casusregie (the family guardian, youth probation, probation…);
    #: NULL while ``regie`` is ``professional`` means the case director (the ICR) holds it.
    casusregie_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT")
    )
    #: Who holds procesregie: ``icr`` (the case director), ``partner`` (the linked partner
    #: ``procesregie_partner_id``), or NULL where nobody is named.
    procesregie: Mapped[str | None] = mapped_column(String(10))
    procesregie_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT")
    )
    #: The lead practitioner (regiebehandelaar), a linked partner, where there is one.
    regiebehandelaar_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT")
    )
    #: Team mode: the database role that directs the case (PostgreSQL fills in ``current_user``;
    #: row-level security shows the case to this role, the roles it is shared with, and the lead).
    #: NULL and unused in a personal SQLite case file.
    owner: Mapped[str | None] = mapped_column(String(63), index=True, server_default=FetchedValue())

    members: Mapped[list["Member"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Member.id"
    )
    partner_links: Mapped[list["CasePartner"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CasePartner.id"
    )

    __table_args__ = (
        CheckConstraint("phase BETWEEN 1 AND 4", name="phase_range"),
        CheckConstraint(
            "procesregie IS NULL OR procesregie IN ('icr', 'partner')", name="procesregie"
        ),
        CheckConstraint(
            "(procesregie_partner_id IS NULL) = (procesregie IS NULL OR procesregie <> 'partner')",
            name="procesregie_partner",
        ),
        CheckConstraint(
            "casusregie_partner_id IS NULL OR regie = 'professional'", name="casusregie_partner"
        ),
    )


class Member(Base):
    """A member (betrokkene) of the family system, inside or outside the household."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(MAX_LENGTH["key"]))
    name: Mapped[str] = mapped_column(String(MAX_LENGTH["name"]))
    born: Mapped[dt.date | None] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(20))
    household: Mapped[bool] = mapped_column(Boolean, default=True)
    phone: Mapped[str | None] = mapped_column(String(MAX_LENGTH["phone"]))
    email: Mapped[str | None] = mapped_column(String(MAX_LENGTH["email"]))
    #: Died: the genogram crosses the person out.
    deceased: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    case: Mapped[Case] = relationship(back_populates="members")

    __table_args__ = (UniqueConstraint("case_id", "key", name="uq_members_case_key"),)


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


class Partner(Base):
    """A partner professional (ketenpartner), in a directory reused across cases."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_LENGTH["key"]), unique=True)
    name: Mapped[str] = mapped_column(String(MAX_LENGTH["name"]))
    organisation: Mapped[str] = mapped_column(String(MAX_LENGTH["organisation"]))
    kind: Mapped[str] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(MAX_LENGTH["email"]))
    phone: Mapped[str | None] = mapped_column(String(MAX_LENGTH["phone"]))
    reachable: Mapped[list[str]] = mapped_column(JSON, default=list)

    __table_args__ = (Index("ix_partners_name_org", "name", "organisation"),)


class CasePartner(Base):
    """A partner linked to a case: their role here, consent to share, and coordination agreed."""

    __tablename__ = "case_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    coordination: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="partner_links")
    partner: Mapped[Partner] = relationship()

    __table_args__ = (UniqueConstraint("case_id", "partner_id", name="uq_case_partners"),)


class PhaseChange(Base):
    """One step on the regiekaart: the case entered ``phase`` on ``date``."""

    __tablename__ = "phase_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    phase: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    track: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_phase_changes_case_date", "case_id", "date", "id"),
        CheckConstraint("phase BETWEEN 1 AND 4", name="phase_range"),
    )


class StageChange(Base):
    """One step through the working stages (inventory … closed)."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_stage_changes_case_date", "case_id", "date", "id"),)


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


class ChecklistItem(Base):
    """Someone who must be informed on an escalation to phase 4, ticked off when done."""

    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    phase_change_id: Mapped[int | None] = mapped_column(
        ForeignKey("phase_changes.id", ondelete="SET NULL")
    )
    track: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(40))
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: Who did it (the care department, the AOV, the case director…), as told when ticked.
    done_by: Mapped[str | None] = mapped_column(Text)


class EvaluationSeries(Base):
    """A recurring evaluation meeting (evaluatiemoment): a rule, never stored as copies."""

    __tablename__ = "evaluation_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    every: Mapped[str] = mapped_column(String(4))
    weekday: Mapped[str | None] = mapped_column(String(3))
    time: Mapped[str] = mapped_column(String(5))
    start: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)
    stopped_from: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: ``next`` or ``previous``: an occurrence on a weekend or public holiday moves to that
    #: working day; None keeps the plain rule.
    workdays: Mapped[str | None] = mapped_column(String(8))

    __table_args__ = (
        CheckConstraint("workdays IS NULL OR workdays IN ('next', 'previous')", name="workdays"),
    )


class SeriesAttendee(Base):
    """Who is invited to a series: a member or a partner of the case."""

    __tablename__ = "series_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_series.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))

    __table_args__ = (CheckConstraint(ONE_PERSON, name="one_person"),)


class Meeting(Base):
    """What happened to one occurrence (held, cancelled, moved), or an extra meeting.

    ``date`` is the occurrence's own date from the rule (for an extra meeting: its date);
    a moved occurrence takes place on ``moved_to`` at ``moved_time``.
    """

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("evaluation_series.id", ondelete="SET NULL"), index=True
    )
    date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    time: Mapped[str | None] = mapped_column(String(5))
    moved_to: Mapped[dt.date | None] = mapped_column(Date)
    moved_time: Mapped[str | None] = mapped_column(String(5))
    reason: Mapped[str | None] = mapped_column(Text)
    risk: Mapped[int | None] = mapped_column(Integer)
    self_reliance: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: How often the occurrence was changed (cancelled, moved) after it was planned: the
    #: iCalendar SEQUENCE, so that a calendar updates the event instead of keeping a ghost.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        Index("ix_meetings_case_date", "case_id", "date"),
        CheckConstraint("sequence >= 0", name="sequence"),
        CheckConstraint("risk IS NULL OR risk BETWEEN 1 AND 5", name="risk_range"),
        CheckConstraint(
            "self_reliance IS NULL OR self_reliance BETWEEN 1 AND 5", name="self_reliance_range"
        ),
    )


class Attendance(Base):
    """Whether a member or partner attended, was absent from, or refused a meeting."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    presence: Mapped[str] = mapped_column(String(10))

    __table_args__ = (CheckConstraint(ONE_PERSON, name="one_person"),)


class Contact(Base):
    """One entry of the contact log; ``signal`` marks a safety signal."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    signal: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_contacts_case_date", "case_id", "date"),)


class ContactPerson(Base):
    """Who a contact was with: a member or a partner."""

    __tablename__ = "contact_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))

    __table_args__ = (CheckConstraint(ONE_PERSON, name="one_person"),)


class Goal(Base):
    """A goal of the work plan: *Doel / Wie doet / Wat*. ``number`` is its id within the case."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    goal: Mapped[str] = mapped_column(Text)
    who: Mapped[str | None] = mapped_column(Text)
    what: Mapped[str | None] = mapped_column(Text)
    due: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    status_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_goals_case_number"),)


class AftercareContact(Base):
    """A follow-up contact planned in aftercare (nazorg), e.g. 1, 3 and 6 months after it began;
    ``done`` once held (``contact_id`` the contact log's entry, where there is one)."""

    __tablename__ = "aftercare_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    due: Mapped[dt.date] = mapped_column(Date)
    done: Mapped[dt.date | None] = mapped_column(Date)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("case_id", "due", name="uq_aftercare_contacts_case_due"),)


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


class AuditEntry(Base):
    """One line of the audit log: what changed, never the personal data itself.

    Each entry carries the hash of the one before it, so that tampering shows.
    """

    __tablename__ = "audit_log"
    # No RETURNING on insert: in team mode a practitioner may append to the log but not read it,
    # and PostgreSQL wants SELECT for RETURNING; the id comes from the sequence beforehand.
    __table_args__ = (Index("ix_audit_log_at", "at"), {"implicit_returning": False})

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    command: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str | None] = mapped_column(String(64), index=True)
    #: sha256 of ``ref``: the chain covers this, so that purging a case can blank ``ref``
    #: without breaking the chain.
    ref_digest: Mapped[str | None] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(40))
    fields: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
