"""who holds casusregie, procesregie and the lead practitioner; who ticked a phase-4 item;
aftercare follow-up contacts; a meeting's agreements and what was said per goal

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00

- ``cases.casusregie_partner_id``: the linked partner holding casusregie (NULL with regie
  ``professional``: the case director); ``cases.procesregie`` (``icr``, ``partner`` or NULL) with
  ``cases.procesregie_partner_id``; ``cases.regiebehandelaar_partner_id``.
- ``checklist_items.done_by``: who informed, as told when the item was ticked.
- ``aftercare_contacts``: follow-up contacts planned in aftercare, and when each was held.
- ``agreements``: what was agreed at a meeting (who does what, by when).
- ``goal_discussions``: what a meeting said about a goal.

Frozen: the tables below are this revision's own; nothing is imported from icrctl.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE_COLUMNS = ("casusregie_partner_id", "procesregie_partner_id", "regiebehandelaar_partner_id")


def _cases() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for column in ROLE_COLUMNS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f"fk_cases_{column}_partners", "partners", [column], ["id"], ondelete="RESTRICT"
            )
        batch_op.add_column(sa.Column("procesregie", sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(
            "ck_cases_procesregie", "procesregie IS NULL OR procesregie IN ('icr', 'partner')"
        )
        batch_op.create_check_constraint(
            "ck_cases_procesregie_partner",
            "(procesregie_partner_id IS NULL) = (procesregie IS NULL OR procesregie <> 'partner')",
        )
        batch_op.create_check_constraint(
            "ck_cases_casusregie_partner",
            "casusregie_partner_id IS NULL OR regie = 'professional'",
        )


def _aftercare_contacts() -> None:
    op.create_table(
        "aftercare_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done", sa.Date(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name="fk_aftercare_contacts_case_id_cases",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_aftercare_contacts_contact_id_contacts",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_aftercare_contacts"),
        sa.UniqueConstraint("case_id", "due", name="uq_aftercare_contacts_case_due"),
    )
    op.create_index("ix_aftercare_contacts_case_id", "aftercare_contacts", ["case_id"])
    op.create_index("ix_aftercare_contacts_contact_id", "aftercare_contacts", ["contact_id"])


def _agreements() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("who", sa.Text(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_agreements_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name="fk_agreements_goal_id_goals", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_agreements"),
        sa.UniqueConstraint("meeting_id", "number", name="uq_agreements_meeting_number"),
    )
    op.create_index("ix_agreements_meeting_id", "agreements", ["meeting_id"])
    op.create_index("ix_agreements_goal_id", "agreements", ["goal_id"])


def _goal_discussions() -> None:
    op.create_table(
        "goal_discussions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_goal_discussions_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name="fk_goal_discussions_goal_id_goals", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_goal_discussions"),
        sa.UniqueConstraint("meeting_id", "goal_id", name="uq_goal_discussions"),
    )
    op.create_index("ix_goal_discussions_goal_id", "goal_discussions", ["goal_id"])


def upgrade() -> None:
    _cases()
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done_by", sa.Text(), nullable=True))
    _aftercare_contacts()
    _agreements()
    _goal_discussions()


def downgrade() -> None:
    op.drop_table("goal_discussions")
    op.drop_table("agreements")
    op.drop_table("aftercare_contacts")
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.drop_column("done_by")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint("ck_cases_casusregie_partner", type_="check")
        batch_op.drop_constraint("ck_cases_procesregie_partner", type_="check")
        batch_op.drop_constraint("ck_cases_procesregie", type_="check")
        batch_op.drop_column("procesregie")
        for column in reversed(ROLE_COLUMNS):
            batch_op.drop_constraint(f"fk_cases_{column}_partners", type_="foreignkey")
            batch_op.drop_column(column)
