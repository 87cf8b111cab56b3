"""audit log: the chain covers a digest of the case ref, so a purge can blank the ref

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 20:10:00

Existing entries get their digest and the chain is sealed again under the new formula.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref_digest", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)
    from icrctl.services.audit import reseal

    reseal(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_at")
        batch_op.drop_column("ref_digest")
