"""Text is listed in code-point order on both engines, whatever the server's collation."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from icrctl.db.models import Case
from icrctl.db.order import by_code_point
from tests.helpers import Run


def test_postgresql_orders_with_collate_c_and_sqlite_as_it_is() -> None:
    query = select(Case.ref).order_by(by_code_point(Case.ref))
    assert str(query.compile(dialect=postgresql.dialect())).endswith(
        'ORDER BY cases.ref COLLATE "C"'
    )
    assert str(query.compile(dialect=sqlite.dialect())).endswith("ORDER BY cases.ref")


def test_case_list_is_in_code_point_order(run: Run) -> None:
    for ref in ("go-2", "GO-10", "GO-2", "Go-1", "GO_3", "ÉÉN-1"):
        run("case", "create", ref, "--title", "Familie")
    listed = [c["ref"] for c in run("case", "list", "--all", "-f", "json").json()]
    assert listed == sorted(listed)
