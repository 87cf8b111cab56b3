"""The suite on PostgreSQL: every test on a case file of its own on the server
``$ICRCTL_TEST_POSTGRES`` names (an admin URL, e.g. what ``.ci/postgres start DIR`` prints).

Creating a database copies a template's files and checkpoints: about half a second, more than
most tests take. So every test process (an xdist worker) migrates one database once and, before
each test, empties it again (every table, every sequence back to its start: what a new SQLite
file holds). A case file a test starts from (the family, a Hypothesis setup) is made once per
process in a database of its own, through the CLI or the services like on SQLite, and its rows
are kept as ``COPY … (FORMAT binary)`` data with its sequences' values; loading it is a few
COPYs. If a test left the schema changed, its database is dropped and made anew. Names carry a
random token per process, so that workers and runs never meet; every database is dropped when
the process ends.

Imported only when the variable is set: an SQLite run needs no psycopg.
"""

from __future__ import annotations

import atexit
import functools
import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.helpers import POSTGRES

_TOKEN = secrets.token_hex(4)
_numbers = itertools.count(1)
_made: list[str] = []


def is_postgres(location: object) -> bool:
    return isinstance(location, str) and location.startswith("postgresql")


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@functools.cache
def _admin() -> psycopg.Connection[Any]:
    """One autocommit connection per process to the server's admin database (CREATE DATABASE
    runs outside a transaction)."""
    connection = psycopg.connect(_conninfo(POSTGRES), autocommit=True)
    atexit.register(_drop_all, connection)
    return connection


def url_of(name: str) -> str:
    """The SQLAlchemy URL of the database ``name`` on the test server."""
    return make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)


def name_of(url: str) -> str:
    return str(make_url(url).database)


def create(name: str | None = None) -> str:
    """Create a migrated database (``name``, else a new one); return its URL."""
    from icrctl.db.engine import CaseFile

    name = name or f"icrctl_{_TOKEN}_{next(_numbers)}"
    _admin().execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _made.append(name)
    url = url_of(name)
    CaseFile(url).dispose()  # migrates it
    return url


def drop(url_or_name: str) -> None:
    """Drop a database, whoever is still connected to it."""
    name = name_of(url_or_name) if is_postgres(url_or_name) else url_or_name
    _admin().execute(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    )


def _drop_all(admin: psycopg.Connection[Any]) -> None:
    try:
        for name in _made:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        admin.close()
    except psycopg.Error:  # the server went first (CI stops it at the end): nothing to drop
        pass


@dataclass(frozen=True)
class Contents:
    """What a case file holds: each table's rows as binary COPY data, each sequence's value."""

    tables: tuple[tuple[str, bytes], ...]
    sequences: tuple[tuple[str, int | None], ...]


EMPTY = Contents((), ())


def _tables(connection: psycopg.Connection[Any]) -> list[str]:
    found = connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename <> 'alembic_version' ORDER BY tablename"
    )
    return [row[0] for row in found]


def _sequences(connection: psycopg.Connection[Any]) -> list[tuple[str, int | None]]:
    found = connection.execute(
        "SELECT sequencename, last_value FROM pg_sequences "
        "WHERE schemaname = current_schema() ORDER BY sequencename"
    )
    return [(row[0], row[1]) for row in found]


def _fingerprint(connection: psycopg.Connection[Any]) -> tuple[Any, ...]:
    """The schema, roughly: its tables, columns, indexes, and the version. A test that changed
    it leaves a database that must be made anew."""
    return tuple(
        connection.execute(
            "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = "
            "current_schema()::regnamespace), (SELECT count(*) FROM pg_attribute a JOIN pg_class c"
            " ON a.attrelid = c.oid WHERE c.relnamespace = current_schema()::regnamespace), "
            "(SELECT max(version_num) FROM alembic_version)"
        ).fetchone()
        or ()
    )


def capture(url: str) -> Contents:
    """Every row and sequence value of the database ``url``."""
    with psycopg.connect(_conninfo(url)) as connection:
        tables = []
        for table in _tables(connection):
            held = sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table))
            if connection.execute(held).fetchone() != (True,):
                continue
            statement = sql.SQL("COPY {} TO STDOUT (FORMAT binary)").format(sql.Identifier(table))
            with connection.cursor().copy(statement) as copy:
                tables.append((table, b"".join(bytes(chunk) for chunk in copy)))
        return Contents(tuple(tables), tuple(_sequences(connection)))


class Pool:
    """One migrated database, emptied and loaded again for each test."""

    def __init__(self) -> None:
        self.url = create()
        self._connection = psycopg.connect(_conninfo(self.url))
        self._fingerprint = _fingerprint(self._connection)
        self._connection.commit()
        atexit.register(self.close)  # before the databases are dropped (atexit runs backwards)

    def close(self) -> None:
        self._connection.close()

    def load(self, contents: Contents) -> str:
        """Empty the database, then load ``contents``; return its URL."""
        connection = self._connection
        try:
            if _fingerprint(connection) != self._fingerprint:
                raise psycopg.errors.UndefinedTable("the schema changed")
            self._fill(connection, contents)
            connection.commit()
        except psycopg.Error:
            connection.rollback()
            self._renew()
            self._fill(self._connection, contents)
            self._connection.commit()
        return self.url

    def _renew(self) -> None:
        self._connection.close()
        drop(self.url)
        self.url = create(name_of(self.url))
        self._connection = psycopg.connect(_conninfo(self.url))

    @staticmethod
    def _fill(connection: psycopg.Connection[Any], contents: Contents) -> None:
        connection.execute("SET LOCAL lock_timeout = 5000")
        connection.execute("SET LOCAL session_replication_role = replica")  # no FK checks
        for table in _tables(connection):  # faster than TRUNCATE on a few rows
            connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
        for table, data in contents.tables:
            statement = sql.SQL("COPY {} FROM STDIN (FORMAT binary)").format(sql.Identifier(table))
            with connection.cursor().copy(statement) as copy:
                copy.write(data)
        kept = dict(contents.sequences)
        for sequence, _value in _sequences(connection):
            value = kept.get(sequence)
            connection.execute(
                "SELECT setval(%s::regclass, %s, %s)",
                (sequence, value if value is not None else 1, value is not None),
            )


@functools.cache
def pool(purpose: str) -> Pool:
    """This process's database for ``purpose`` ("case": the test's; "fresh": Hypothesis's)."""
    return Pool()


@functools.cache
def contents(key: object, build: Callable[[str], None]) -> Contents:
    """What ``build(url)`` writes into a new case file, made once per process (``key`` names
    it); the database it was made in is dropped."""
    url = create()
    try:
        build(url)
        return capture(url)
    finally:
        drop(url)


def rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that has rows (the schema version aside), each table's rows in
    one order: what :func:`tests.helpers.snapshot` compares."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            found = {}
            for table in sorted(inspect(connection).get_table_names()):
                if table == "alembic_version":
                    continue
                result = connection.execute(text(f'SELECT * FROM "{table}"'))
                values = sorted((tuple(row) for row in result), key=repr)
                if values:
                    found[table] = values
            return found
    finally:
        engine.dispose()
