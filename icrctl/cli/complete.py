"""Shell completion for case refs, member keys and partner keys.

It runs on every TAB, so it reads the case file with the standard library's ``sqlite3`` alone
(read-only; no SQLAlchemy, no migration, never creating a file) and answers nothing when there
is no case file yet.
"""

import sqlite3
from pathlib import Path

import click

from icrctl.settings import resolve_case_file, sqlite_path

LIMIT = 200


def _path(ctx: click.Context) -> Path | None:
    path = sqlite_path(resolve_case_file(ctx.find_root().params.get("db")))
    return path if path is not None and path.is_file() else None


def _query(ctx: click.Context, sql: str, *args: str) -> list[str]:
    path = _path(ctx)
    if path is None:
        return []
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)
        try:
            return [str(row[0]) for row in con.execute(sql, args)]
        finally:
            con.close()
    except sqlite3.Error:
        return []


def _like(incomplete: str) -> str:
    return incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def case_refs(ctx: click.Context, incomplete: str) -> list[str]:
    return _query(
        ctx,
        "SELECT ref FROM cases WHERE ref LIKE ? ESCAPE '\\' AND stage <> 'closed' "
        f"ORDER BY ref LIMIT {LIMIT}",
        _like(incomplete),
    )


def member_keys(ctx: click.Context, incomplete: str) -> list[str]:
    ref = ctx.params.get("ref")
    if not ref:
        return []
    return _query(
        ctx,
        "SELECT m.key FROM members m JOIN cases c ON c.id = m.case_id "
        "WHERE c.ref = ? AND m.key LIKE ? ESCAPE '\\' ORDER BY m.id "
        f"LIMIT {LIMIT}",
        str(ref),
        _like(incomplete),
    )


def partner_keys(ctx: click.Context, incomplete: str) -> list[str]:
    return _query(
        ctx,
        f"SELECT key FROM partners WHERE key LIKE ? ESCAPE '\\' ORDER BY key LIMIT {LIMIT}",
        _like(incomplete),
    )
