"""Shell completion for case refs, member keys and partner keys.

It runs on every TAB, so it reads the case file with the standard library's ``sqlite3`` alone
(read-only; no SQLAlchemy, no migration, never creating a file) and answers nothing when there
is no case file yet. A team database (``postgresql+psycopg://…``) is read with psycopg itself,
in a read-only session that gives up after a second; there ``ILIKE`` matches as SQLite's
``LIKE`` does (without regard to case) and refs and keys come in code-point order
(``COLLATE "C"``), as everywhere else.
"""

import sqlite3
from pathlib import Path

import click

from icrctl.db import readonly
from icrctl.settings import resolve_case_file, sqlite_path

LIMIT = 200


def _path(ctx: click.Context) -> Path | None:
    path = sqlite_path(resolve_case_file(ctx.find_root().params.get("db")))
    return path if path is not None and path.is_file() else None


def _query(ctx: click.Context, sql: str, *args: str) -> list[str]:
    location = resolve_case_file(ctx.find_root().params.get("db"))
    if location.startswith("postgresql"):
        return _server_query(location, sql, *args)
    path = _path(ctx)
    if path is None:
        return []
    try:
        con = readonly.connect(path, timeout=0.5)
        try:
            return [str(row[0]) for row in con.execute(sql, args)]
        finally:
            con.close()
    except sqlite3.Error:
        return []


def _server_query(url: str, sql: str, *args: str) -> list[str]:
    """``sql`` on a team database, read-only; nothing when it cannot be reached in a second."""
    try:
        import psycopg
        from psycopg.conninfo import make_conninfo
    except ImportError:
        return []
    scheme, rest = url.split("://", 1)
    plain = "postgresql://" + rest if scheme.startswith("postgresql") else url
    statement = sql.replace(" LIKE ", " ILIKE ").replace("?", "%s")
    statement = statement.replace("ORDER BY ref", 'ORDER BY ref COLLATE "C"')
    statement = statement.replace("ORDER BY key", 'ORDER BY key COLLATE "C"')
    try:
        conninfo = make_conninfo(plain, connect_timeout=1, options="-c statement_timeout=1000")
        with psycopg.connect(conninfo) as con:
            con.read_only = True
            return [str(row[0]) for row in con.execute(statement, args)]
    except psycopg.Error:
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
