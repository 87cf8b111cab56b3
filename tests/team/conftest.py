"""A team database of its own per test, on the PostgreSQL server ``$ICRCTL_TEST_POSTGRES`` names
(the admin URL, e.g. ``postgresql+psycopg://postgres@/postgres?host=/tmp/pg``; ``.ci/postgres
start DIR`` prints one). Without it the tests here that need a server are skipped.

Roles are the cluster's, not the database's: each test's practitioners get names of their own
(``anna_1a2b3c``) and are dropped afterwards, with the database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.helpers import Result, make_run

SERVER_VAR = "ICRCTL_TEST_POSTGRES"


def admin_url() -> str:
    url = os.environ.get(SERVER_VAR, "")
    if not url:
        pytest.skip(f"team mode needs a PostgreSQL server: set ${SERVER_VAR} to its admin URL")
    return url


@dataclass
class Team:
    """One team database: ``url(role)`` to connect as a role, ``run(role, …)`` to run icrctl as
    that role (``None``: the administrator), ``sql(role, …)`` for direct SQL as that role."""

    admin: Any  # sqlalchemy URL of the server's admin
    database: str
    suffix: str
    roles: list[str] = field(default_factory=list)

    def role(self, name: str) -> str:
        return f"{name}_{self.suffix}"

    def url(self, role: str | None = None) -> str:
        url = self.admin.set(database=self.database)
        if role is not None:
            url = url.set(username=role)
        return str(url.render_as_string(hide_password=False))

    def run(self, role: str | None, *args: str, ok: bool | None = True) -> Result:
        return make_run({"ICRCTL_DB": self.url(role)})(*args, ok=ok)

    def add(self, name: str, *options: str) -> str:
        role = self.role(name)
        self.roles.append(role)
        self.run(None, "team", "add", role, *options)
        return role

    def sql(self, role: str | None, statement: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(**self.connect_args(role), autocommit=True) as conn:
            cur = conn.execute(statement)
            return cur.fetchall() if cur.description else []

    def connect_args(self, role: str | None) -> dict[str, Any]:
        args: dict[str, Any] = {"dbname": self.database, "user": role or self.admin.username}
        host = self.admin.query.get("host") or self.admin.host
        if host:
            args["host"] = host
        if self.admin.port:
            args["port"] = self.admin.port
        if self.admin.password and role is None:
            args["password"] = self.admin.password
        return args


def _admin(url: Any, statement: str) -> None:
    import psycopg

    args: dict[str, Any] = {"dbname": url.database or "postgres", "user": url.username}
    host = url.query.get("host") or url.host
    if host:
        args["host"] = host
    if url.port:
        args["port"] = url.port
    if url.password:
        args["password"] = url.password
    with psycopg.connect(**args, autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture
def server() -> Any:
    from sqlalchemy.engine import make_url

    return make_url(admin_url())


@pytest.fixture
def empty_team_db(server: Any) -> Iterator[Team]:
    """A new, empty database (not set up yet)."""
    suffix = secrets.token_hex(3)
    team = Team(server, f"icrctl_team_{suffix}", suffix)
    _admin(server, f'CREATE DATABASE "{team.database}"')
    try:
        yield team
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{team.database}" WITH (FORCE)')
        for role in team.roles:
            _admin(server, f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def team(empty_team_db: Team) -> Team:
    """A team database after ``team init``."""
    empty_team_db.run(None, "team", "init")
    return empty_team_db
