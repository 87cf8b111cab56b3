"""Team mode: one case file on PostgreSQL for a team, each practitioner a database role.

``init`` sets up an empty database (schema, group roles, grants, row-level security; see
``icrctl.db.team``), ``add_member`` makes a login role, ``share``/``unshare`` open a case to
another role, ``identity`` tells a command who is working, ``migrate`` moves a personal SQLite
case file in, and ``problems`` is doctor's check of the setup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from icrctl.db import team as setup
from icrctl.db.models import Case, CaseShare, TeamMember
from icrctl.errors import CaseFileError, Conflict, InvalidValue, NotFound, RuleViolation
from icrctl.i18n import _
from icrctl.services import audit
from icrctl.services.context import Context, utc_now
from icrctl.services.lookup import get_case

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from icrctl.services.doctor import Finding
    from icrctl.services.importer import ImportResult

ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
RESERVED = ("pg_", "icr_")


def needs_postgres(location: str) -> None:
    """Team commands refuse a personal (SQLite) case file with one line."""
    if not location.startswith(("postgresql:", "postgresql+", "postgres:")):
        raise CaseFileError(
            _(
                "team mode needs a PostgreSQL case file (--db postgresql+psycopg://…); "
                "{location} is a personal case file"
            ).format(location=location)
        )


def check_role_name(name: str) -> str:
    if not ROLE_NAME.fullmatch(name) or name.startswith(RESERVED) or name == "public":
        raise InvalidValue(
            _(
                "role name {name!r}: use lower-case letters, digits and _, starting with a "
                "letter, at most 63, not starting with pg_ or icr_"
            ).format(name=name[:80])
        )
    return name


# --- team init ---------------------------------------------------------------------------------


def init(location: str) -> list[str]:
    """Set up team mode on an empty database; returns the case tables now under RLS."""
    needs_postgres(location)
    from sqlalchemy import create_engine

    from icrctl.db.engine import CaseFile, database_url, translate

    engine = create_engine(database_url(location))
    try:
        with engine.connect() as conn:
            _refuse_unless_empty(conn, location)
    except DBAPIError as exc:
        raise translate(exc, location) from None
    finally:
        engine.dispose()

    case_file = CaseFile(location)  # runs the migrations
    try:
        with case_file.write() as session:
            _apply(session)
    finally:
        case_file.dispose()
    return setup.protected_tables()


def _refuse_unless_empty(conn: Connection, location: str) -> None:
    from icrctl.db.engine import shown

    owner = conn.execute(
        text(
            "SELECT pg_get_userbyid(datdba) = current_user OR "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
            "FROM pg_database WHERE datname = current_database()"
        )
    ).scalar()
    if not owner:
        raise RuleViolation(_("run 'team init' as the database's owner; nothing was changed"))
    tables = set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    if not tables:
        return
    filled = "cases" not in tables or "alembic_version" not in tables
    if not filled:
        filled = bool(
            conn.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM cases) OR EXISTS (SELECT 1 FROM partners) "
                    "OR (SELECT relrowsecurity FROM pg_class WHERE oid = 'cases'::regclass)"
                )
            ).scalar()
        )
    if filled:
        raise Conflict(
            _(
                "team init needs an empty database; {location} already holds tables or cases "
                "(to move a personal case file in, use 'team migrate' after 'team init' on a new "
                "database)"
            ).format(location=shown(location))
        )


def _apply(session: Session) -> None:
    existing = set(
        session.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname IN (:a, :b)"),
            {"a": setup.PRACTITIONER, "b": setup.LEAD},
        ).scalars()
    )
    database = session.execute(text("SELECT current_database()")).scalar_one()
    for statement in setup.group_roles_sql(existing) + setup.setup_sql(database):
        session.execute(text(statement))


# --- who is working ----------------------------------------------------------------------------


@dataclass
class Identity:
    role: str
    display_name: str | None
    team: bool


def identity(session: Session) -> Identity | None:
    """On PostgreSQL: the role and whether the database is in team mode (RLS on ``cases``)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    row = session.execute(
        text(
            "SELECT current_user, c.relrowsecurity, "
            "(SELECT display_name FROM team_members WHERE role = current_user) "
            "FROM pg_class c WHERE c.oid = 'cases'::regclass"
        )
    ).one()
    return Identity(role=str(row[0]), display_name=row[2], team=bool(row[1]))


def apply_identity(session: Session, ctx: Context) -> None:
    """In team mode the audit user is the database role, and a new case's director defaults
    to the role's display name."""
    if ctx.team is not None:
        return
    who = identity(session)
    ctx.team = bool(who and who.team)
    if who is not None and who.team:
        ctx.user = who.role
        ctx.display_name = who.display_name


def ref_taken(session: Session, ref: str) -> bool:
    return bool(refs_taken(session, [ref]))


def refs_taken(session: Session, refs: list[str]) -> set[str]:
    """Which of ``refs`` a case holds, seen or not (another practitioner's): one query."""
    if not refs:
        return set()
    rows = session.execute(
        text("SELECT r FROM unnest(CAST(:refs AS varchar[])) AS r WHERE icrctl_ref_taken(r)"),
        {"refs": refs},
    )
    return {str(r[0]) for r in rows}


def _team_only(ctx: Context) -> None:
    if not ctx.team:
        raise CaseFileError(
            _("team mode needs a PostgreSQL case file set up with 'icrctl team init'")
        )


# --- team add / list ---------------------------------------------------------------------------


@dataclass
class Member:
    role: str
    display_name: str | None
    lead: bool
    login: bool


def add_member(
    session: Session, ctx: Context, name: str, lead: bool, display_name: str | None
) -> Member:
    _team_only(ctx)
    check_role_name(name)
    if display_name is not None:
        from icrctl.domain.text import optional_text

        display_name = optional_text(display_name, "regisseur")
    if session.get(TeamMember, name) is not None:
        raise Conflict(_("{role} is already in the team").format(role=name))
    group = setup.LEAD if lead else setup.PRACTITIONER
    exists = session.execute(
        text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": name}
    ).first()
    if exists is not None and exists[0]:
        raise RuleViolation(
            _(
                "{role} is a superuser or bypasses row-level security: the team's rules would not "
                "bind it; add a practitioner's own login role"
            ).format(role=name)
        )
    try:
        with session.begin_nested():
            if exists is None:
                session.execute(text(f"CREATE ROLE {setup.quote(name)} LOGIN"))
            session.execute(text(f"GRANT {group} TO {setup.quote(name)}"))
    except DBAPIError as exc:
        raise RuleViolation(
            _(
                "cannot create the role {role}: {reason}; run 'team add' as the administrator"
            ).format(role=name, reason=str(exc.orig).strip().splitlines()[0])
        ) from None
    session.add(TeamMember(role=name, display_name=display_name, added_at=utc_now()))
    audit.record(session, ctx, "create", "team_member", None, ["lead" if lead else "role"])
    return Member(name, display_name, lead, True)


def members(session: Session, ctx: Context) -> list[Member]:
    _team_only(ctx)
    rows = session.execute(
        text(
            "SELECT t.role, t.display_name, "
            "COALESCE(pg_has_role(r.oid, :lead, 'MEMBER'), false), COALESCE(r.rolcanlogin, false) "
            "FROM team_members t LEFT JOIN pg_roles r ON r.rolname = t.role ORDER BY t.role"
        ),
        {"lead": setup.LEAD},
    )
    return [Member(str(r[0]), r[1], bool(r[2]), bool(r[3])) for r in rows]


# --- case share / unshare ----------------------------------------------------------------------


def _may_share(session: Session, ctx: Context, ref: str) -> int:
    _team_only(ctx)
    case = get_case(session, ref)
    lead = session.execute(
        text("SELECT pg_has_role(current_user, :lead, 'MEMBER')"), {"lead": setup.LEAD}
    ).scalar()
    if case.owner != ctx.user and not lead:
        raise RuleViolation(
            _(
                "only the case's director ({owner}) or the lead may share or unshare case {ref}"
            ).format(owner=case.owner, ref=ref)
        )
    return case.id


def share(session: Session, ctx: Context, ref: str, role: str) -> bool:
    """Share case ``ref`` with ``role``; False when it was shared already."""
    case_id = _may_share(session, ctx, ref)
    if session.get(TeamMember, check_role_name(role)) is None:
        raise NotFound(_("{role} is not in the team (see 'icrctl team list')").format(role=role))
    owner = session.scalar(select(Case.owner).where(Case.id == case_id))
    if role == owner:
        raise Conflict(
            _("{role} directs case {ref}: a case is shared with others").format(role=role, ref=ref)
        )
    found = session.scalars(
        select(CaseShare).where(CaseShare.case_id == case_id, CaseShare.role == role)
    ).first()
    if found is not None:
        return False
    session.add(CaseShare(case_id=case_id, role=role))
    audit.record(session, ctx, "share", "case", ref, ["role"])
    return True


def unshare(session: Session, ctx: Context, ref: str, role: str) -> bool:
    case_id = _may_share(session, ctx, ref)
    gone = session.execute(
        delete(CaseShare).where(CaseShare.case_id == case_id, CaseShare.role == role)
    )
    if not getattr(gone, "rowcount", 0):
        return False
    audit.record(session, ctx, "unshare", "case", ref, ["role"])
    return True


# --- team migrate ------------------------------------------------------------------------------


@dataclass
class Moved:
    result: ImportResult
    cases: int
    skipped: list[str] = field(default_factory=list)
    owner: str = ""


def migrate(session: Session, ctx: Context, source: str, owner: str | None) -> Moved:
    """Move a personal SQLite case file in: its export, imported by key (so a second run adds
    nothing); the new cases are directed by ``owner`` (default: whoever runs it)."""
    _team_only(ctx)
    from icrctl.db.engine import CaseFile
    from icrctl.services.exporter import export_records
    from icrctl.services.importer import import_records

    if owner is not None and session.get(TeamMember, check_role_name(owner)) is None:
        raise NotFound(_("{role} is not in the team (see 'icrctl team list')").format(role=owner))
    personal = CaseFile(source)
    try:
        if not personal.is_sqlite:
            raise InvalidValue(_("--from must be a personal (SQLite) case file"))
        with personal.read() as mine:
            doc = export_records(mine)
    finally:
        personal.dispose()
    result = import_records(session, ctx, doc, source, keep_directory=True)
    created = sorted(result.cases_created)
    if owner is not None and created:
        session.execute(
            text("UPDATE cases SET owner = :o WHERE ref = ANY(:refs)"),
            {"o": owner, "refs": created},
        )
    skipped = [c.ref for c in doc.cases if c.ref not in created]
    if result.changed:
        audit.record(session, ctx, "migrate", "case_file", None, ["cases"])
    return Moved(result, len(doc.cases), skipped, owner or ctx.user)


# --- doctor ------------------------------------------------------------------------------------

#: Runs one SQL statement (no parameters) and returns its rows: a session's or doctor's reader.
Query = Callable[[str], list[Any]]


def session_query(session: Session) -> Query:
    return lambda sql: list(session.execute(text(sql)).all())


def problems(query: Query) -> list[str]:
    """Team mode as ``team init`` made it: one line per problem (none when not in team mode)."""
    team = query("SELECT relrowsecurity FROM pg_class WHERE oid = 'cases'::regclass")
    if not team or not team[0][0]:
        return []
    rls = {
        str(name): bool(on)
        for name, on in query(
            "SELECT relname, relrowsecurity FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
        )
    }
    found = [
        _("row-level security is off on {table}").format(table=table)
        for table in setup.protected_tables()
        if not rls.get(table)
    ]
    expected = _expected_grants()
    # Our own constants (group roles, table names, privileges): safe as literals.
    values = ", ".join(f"('{r}', '{t}', '{p}')" for t, p, r, _e in expected)
    # UPDATE of a case table is granted column by column: "held" means on some column
    # (has_any_column_privilege); the owner column of cases is checked on its own below.
    held = query(
        "SELECT v.r, v.t, v.p, CASE WHEN v.p = 'UPDATE' "
        "THEN has_any_column_privilege(v.r, v.t, v.p) ELSE has_table_privilege(v.r, v.t, v.p) END "
        f"FROM (VALUES {values}) AS v(r, t, p)"
    )
    for role in setup.GROUPS:
        if query(f"SELECT has_column_privilege('{role}', 'cases', 'owner', 'UPDATE')")[0][0]:
            found.append(
                _("{role} must not have {privilege} on {table}").format(
                    role=role, privilege="UPDATE", table="cases.owner"
                )
            )
    for (table, privilege, role, want), row in zip(expected, held, strict=True):
        if bool(row[3]) != want:
            message = (
                _("{role} lacks {privilege} on {table}")
                if want
                else _("{role} must not have {privilege} on {table}")
            )
            found.append(message.format(role=role, privilege=privilege, table=table))
    return found


def doctor_findings(con: Any) -> list[Finding]:
    """``doctor`` on PostgreSQL (``services.doctor.SERVER_CHECKS``): one finding per problem of
    team mode, or one that says it holds; none for a database not in team mode."""
    from icrctl.services.doctor import Finding

    query: Query = lambda sql: list(con.execute(sql).fetchall())  # noqa: E731
    if not query("SELECT relrowsecurity FROM pg_class WHERE oid = 'cases'::regclass")[0][0]:
        return []
    check = _("team mode: row-level security and grants")
    advice = _(
        "as the database's owner, put it back as 'team init' made it (docs/architecture.md, "
        "'Team mode')"
    )
    found = problems(query)
    if not found:
        return [Finding(check, True)]
    return [Finding(check, False, line, advice) for line in found]


def _expected_grants() -> list[tuple[str, str, str, bool]]:
    rows: list[tuple[str, str, str, bool]] = []
    for role in setup.GROUPS:
        for table in [t.name for t in setup.case_tables()] + ["partners"]:
            rows += [(table, p, role, True) for p in ("SELECT", "INSERT", "UPDATE", "DELETE")]
        rows += [("audit_log", "INSERT", role, True)]
        rows += [("audit_log", p, role, False) for p in ("UPDATE", "DELETE", "TRUNCATE")]
        rows += [("audit_log", "SELECT", role, role == setup.LEAD)]
        rows += [("team_members", p, role, p == "SELECT") for p in ("SELECT", "INSERT", "UPDATE")]
    return rows
