"""team mode: who directs a case, with whom it is shared, the team's display names, and (on
PostgreSQL) the audit log's tip kept by the server

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 11:30:00

- ``cases.owner``: the database role that directs the case (team mode on PostgreSQL, where it
  defaults to ``current_user``); NULL and unused in a personal SQLite case file.
- ``case_shares``: a case shared with another role (``case_id``, ``role``).
- ``team_members``: a login role of the team and the name it goes by (``display_name``).
- PostgreSQL only: ``icrctl_audit_tip()``, the newest audit entry's hash, read with its owner's
  rights (``SECURITY DEFINER``) so that a practitioner, who may append to the log but not read it,
  still links the next entry to the last. It first takes a transaction-scoped advisory lock, so
  that two writers append one after the other: the second waits, then (READ COMMITTED: a new
  snapshot per statement) reads the first one's entry. The log itself is the only record of its
  tip: nothing else to keep in step.

Frozen: the tables below are this revision's own; nothing is imported from icrctl.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64

#: The advisory lock of the audit chain ("icraud" in ASCII); any constant no other program uses.
AUDIT_LOCK = 0x696372_617564

PG_AUDIT_TIP = [
    f"""CREATE FUNCTION icrctl_audit_tip() RETURNS varchar
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
        AS $$
        DECLARE last varchar;
        BEGIN
            PERFORM pg_advisory_xact_lock({AUDIT_LOCK});
            SELECT hash INTO last FROM audit_log ORDER BY id DESC LIMIT 1;
            RETURN COALESCE(last, '{GENESIS}');
        END $$""",
    "REVOKE ALL ON FUNCTION icrctl_audit_tip() FROM PUBLIC",
]

PG_AUDIT_TIP_DOWN = ["DROP FUNCTION icrctl_audit_tip()"]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=63), nullable=True))
        batch_op.create_index("ix_cases_owner", ["owner"], unique=False)
    if postgres:
        op.execute("ALTER TABLE cases ALTER COLUMN owner SET DEFAULT current_user")
    op.create_table(
        "case_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=63), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_shares_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_shares"),
        sa.UniqueConstraint("case_id", "role", name="uq_case_shares_case_role"),
    )
    op.create_index("ix_case_shares_role", "case_shares", ["role"])
    op.create_table(
        "team_members",
        sa.Column("role", sa.String(length=63), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("role", name="pk_team_members"),
    )
    if postgres:
        for statement in PG_AUDIT_TIP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_AUDIT_TIP_DOWN:
            op.execute(statement)
    op.drop_table("team_members")
    op.drop_index("ix_case_shares_role", table_name="case_shares")
    op.drop_table("case_shares")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_owner")
        batch_op.drop_column("owner")
