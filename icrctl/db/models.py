"""SQLAlchemy 2.0 typed mappings of the case file.

Portable SQL only: the same models run on SQLite (one practitioner) and PostgreSQL (a team).
Enumerated values are stored as their canonical English words (see ``domain.vocabulary``).
"""

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

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


# --- the tables only some commands use: defined when first asked for --------------------------

#: Mapping a class costs start-up time of every command (a thirtieth of ``check``'s own time for
#: these twelve), and the caseload views (``status``, ``check``, ``week``) use none of them: they
#: live in ``models_more`` and are imported from here as if defined here, on first use.
LATER = frozenset(
    {
        "MemberRelation",
        "CaseEvent",
        "Agreement",
        "GoalDiscussion",
        "IndicatorScore",
        "Analysis",
        "AnalysisFactor",
        "Intervention",
        "RoleFit",
        "CaseShare",
        "TeamMember",
        "Setting",
    }
)


def __getattr__(name: str) -> Any:
    if name in LATER:
        from icrctl.db import models_more

        return getattr(models_more, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_all() -> None:
    """Define every mapped class, so that ``Base.metadata`` holds every table (for what walks
    them all: team mode's grants, a VACUUM of every table, the migrations' environment)."""
    from icrctl.db import models_more  # noqa: F401


if TYPE_CHECKING:
    from icrctl.db.models_more import Agreement as Agreement
    from icrctl.db.models_more import Analysis as Analysis
    from icrctl.db.models_more import AnalysisFactor as AnalysisFactor
    from icrctl.db.models_more import CaseEvent as CaseEvent
    from icrctl.db.models_more import CaseShare as CaseShare
    from icrctl.db.models_more import GoalDiscussion as GoalDiscussion
    from icrctl.db.models_more import IndicatorScore as IndicatorScore
    from icrctl.db.models_more import Intervention as Intervention
    from icrctl.db.models_more import MemberRelation as MemberRelation
    from icrctl.db.models_more import RoleFit as RoleFit
    from icrctl.db.models_more import Setting as Setting
    from icrctl.db.models_more import TeamMember as TeamMember
