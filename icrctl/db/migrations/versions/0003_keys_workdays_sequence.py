"""member numbers are never handed out twice; series may keep to working days; meetings count
their changes for calendars

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 02:20:00

- ``cases.last_member_number``: the highest number ever given to an automatic member key
  (``m1``, ``m2``, …), so that a removed or forgotten member's key is never given to another
  person. Existing cases start from the highest ``m<n>`` key they hold now.
- ``evaluation_series.workdays``: ``next`` or ``previous``: an occurrence on a weekend or a public
  holiday moves to that working day, in the rule itself; NULL keeps the plain rule.
- ``meetings.sequence``: how often the occurrence was changed (cancelled, moved) after it was
  planned, the iCalendar ``SEQUENCE`` that lets a calendar update instead of keeping a ghost.

Frozen: the tables below are this revision's own; nothing is imported from icrctl.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUTOMATIC_KEY = re.compile(r"^m([0-9]{1,9})$")


def _last_member_numbers() -> dict[int, int]:
    """Per case, the highest number among its automatic member keys as they are now."""
    members = sa.table("members", sa.column("case_id", sa.Integer), sa.column("key", sa.String))
    highest: dict[int, int] = {}
    for case_id, key in op.get_bind().execute(sa.select(members.c.case_id, members.c.key)):
        found = AUTOMATIC_KEY.match(key)
        if found:
            highest[case_id] = max(highest.get(case_id, 0), int(found.group(1)))
    return highest


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_member_number", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("evaluation_series", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workdays", sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            "ck_evaluation_series_workdays", "workdays IS NULL OR workdays IN ('next', 'previous')"
        )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_check_constraint("ck_meetings_sequence", "sequence >= 0")
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("last_member_number"))
    highest = _last_member_numbers()
    if highest:
        op.get_bind().execute(
            cases.update()
            .where(cases.c.id == sa.bindparam("case"))
            .values(last_member_number=sa.bindparam("number")),
            [{"case": case, "number": number} for case, number in highest.items()],
        )


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint("ck_meetings_sequence", type_="check")
        batch_op.drop_column("sequence")
    with op.batch_alter_table("evaluation_series", schema=None) as batch_op:
        batch_op.drop_constraint("ck_evaluation_series_workdays", type_="check")
        batch_op.drop_column("workdays")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("last_member_number")
