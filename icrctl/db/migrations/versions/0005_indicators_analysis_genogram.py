"""the ICR study's indicators per case, the Casus Plus analysis, and a deceased mark for the
genogram

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:30:00

- ``indicator_scores``: the practitioner's score (``++ + 0 -``) of an indicator, with a note.
- ``analyses``, ``analysis_factors``, ``interventions``, ``role_fits``: the Casus Plus analysis.
- ``members.deceased``: the genogram crosses the person out.

Frozen: the tables below are this revision's own; nothing is imported from icrctl.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def _case_table(name: str, *columns: sa.schema.SchemaItem) -> None:
    """A table of one case's rows: ``id``, ``case_id`` (indexed) and ``columns``."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_case_id", name, ["case_id"])


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deceased", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "indicator_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("score", sa.String(length=2), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _fk("case_id", "indicator_scores", "cases", "CASCADE"),
        sa.CheckConstraint("score IN ('++', '+', '0', '-')", name="ck_indicator_scores_score"),
        sa.PrimaryKeyConstraint("id", name="pk_indicator_scores"),
        sa.UniqueConstraint("case_id", "key", name="uq_indicator_scores_case_key"),
    )
    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("about", sa.Text(), nullable=True),
        sa.Column("desired", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("case_id", "analyses", "cases", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_analyses"),
        sa.UniqueConstraint("case_id", name="uq_analyses_case_id"),
    )
    _case_table(
        "analysis_factors",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _fk("case_id", "analysis_factors", "cases", "CASCADE"),
        _fk("member_id", "analysis_factors", "members", "CASCADE"),
        sa.CheckConstraint(
            "kind IN ('protective', 'risk', 'lever')", name="ck_analysis_factors_kind"
        ),
    )
    op.create_index("ix_analysis_factors_member_id", "analysis_factors", ["member_id"])
    _case_table(
        "interventions",
        sa.Column("term", sa.String(length=5), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        _fk("case_id", "interventions", "cases", "CASCADE"),
        _fk("goal_id", "interventions", "goals", "SET NULL"),
        sa.CheckConstraint("term IN ('short', 'long')", name="ck_interventions_term"),
    )
    op.create_index("ix_interventions_goal_id", "interventions", ["goal_id"])
    _case_table(
        "role_fits",
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("who", sa.Text(), nullable=True),
        sa.Column("why", sa.Text(), nullable=False),
        _fk("case_id", "role_fits", "cases", "CASCADE"),
        _fk("partner_id", "role_fits", "partners", "RESTRICT"),
        sa.CheckConstraint(
            "partner_id IS NOT NULL OR who IS NOT NULL", name="ck_role_fits_someone"
        ),
    )
    op.create_index("ix_role_fits_partner_id", "role_fits", ["partner_id"])


def downgrade() -> None:
    for table in ("role_fits", "interventions", "analysis_factors", "analyses", "indicator_scores"):
        op.drop_table(table)
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("deceased")
