"""settings: the case file's own settings, kept in the file (on a server: the team's)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:30:00

- ``settings``: one row per setting that differs from its default (``key``, ``value`` as text,
  ``changed_at``, ``changed_by``). Which keys exist, their defaults and how a value is read are
  the application's (``icrctl config``); the table only keeps what was set.

Frozen: the table below is this revision's own; nothing is imported from icrctl.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=63), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )


def downgrade() -> None:
    op.drop_table("settings")
