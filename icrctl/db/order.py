"""Text in one order on both engines: by code point.

SQLite compares text byte by byte (BINARY), which for UTF-8 is code-point order; PostgreSQL
compares with the database's collation, which for ``nl_NL.UTF-8`` or ``en_US.UTF-8`` ignores
punctuation and case at first ("GO-2026-10" beside "go2026…"). A listing, an export and a golden
output must not depend on how the server was set up, so every ORDER BY on text goes through
:func:`by_code_point`: ``COLLATE "C"`` on PostgreSQL (code-point order there too), the column as
it is on SQLite (which has no collation of that name).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class by_code_point(FunctionElement[str]):
    """``by_code_point(Case.ref)``: the column, ordered by code point on every engine."""

    type = String()
    inherit_cache = True


@compiles(by_code_point)
def _as_it_is(element: by_code_point, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(by_code_point, "postgresql")
def _collate_c(element: by_code_point, compiler: SQLCompiler, **kw: Any) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'
