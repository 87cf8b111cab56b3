"""Team mode on PostgreSQL: the group roles, the grants and the row-level security that
``icrctl team init`` sets up, derived from the models so that no table is forgotten.

- A **case table** holds one case's data: ``cases`` itself, every table with a ``case_id``
  pointing at ``cases``, and every table whose rows belong to a row of a case table (attendance
  belongs to a meeting). Each gets ``ENABLE ROW LEVEL SECURITY`` and one policy: a row is visible
  and writable when its case is (``cases``' policy), or when its parent row is (the parent's own
  policy applies inside the subquery). A case is visible to the role that owns it, to the roles it
  is shared with (``case_shares``), and to members of ``icr_lead``.
- A **team table** is shared by the whole team: the partner directory and ``team_members``.
- The **settings** are the team's: readable by every icr role, changed by the lead.
- The **audit log** is append-only for every icr role (no UPDATE or DELETE is granted to anyone),
  readable by the lead; an entry must carry the writer's own role as its user.

The database's owner, who ran ``team init``, is the administrator: RLS is enabled but not forced,
so the owner sees everything (for ``team migrate``, backups and ``doctor``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table

from icrctl.db.models import Base, load_all

load_all()  # every table: none may be left out of the grants and policies

PRACTITIONER = "icr_practitioner"
LEAD = "icr_lead"
GROUPS = (PRACTITIONER, LEAD)
#: Shared by the whole team: no row-level security.
TEAM_TABLES = ("partners", "team_members")
#: Not case data and not the team's to write: handled on their own.
OTHER_TABLES = ("audit_log", "case_shares", "settings")

VISIBLE_CASE = (
    f"owner = current_user OR pg_has_role(current_user, '{LEAD}', 'MEMBER') "
    "OR EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = cases.id AND s.role = current_user)"
)
# Asked by case_shares' policy: a SECURITY DEFINER function, so that the two policies (cases asks
# case_shares, case_shares asks cases) do not recurse. Inside it current_user is the definer, so
# the asking role is passed in.
OWNS_CASE = """CREATE OR REPLACE FUNCTION icrctl_owns_case(cid integer, who name) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT EXISTS (SELECT 1 FROM cases WHERE id = cid AND owner = who) $$"""
# A ref is unique across the team, but another's case is invisible: this says only whether a ref
# is taken, so that 'case create' can refuse it in words rather than by a unique violation.
REF_TAKEN = """CREATE OR REPLACE FUNCTION icrctl_ref_taken(r varchar) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT EXISTS (SELECT 1 FROM cases WHERE ref = r) $$"""
IS_LEAD = f"pg_has_role(current_user, '{LEAD}', 'MEMBER')"


@dataclass(frozen=True)
class CaseTable:
    """A table of case data, and how a row finds its case: through ``column`` to ``parent``
    (``cases`` for a ``case_id``); ``cases`` itself has neither."""

    name: str
    column: str | None = None
    parent: str | None = None

    def condition(self) -> str:
        if self.parent is None:
            return VISIBLE_CASE
        return f"EXISTS (SELECT 1 FROM {self.parent} p WHERE p.id = {self.name}.{self.column})"


class UnclassifiedTable(Exception):
    """A table that is neither case data nor named as the team's: decide before team mode."""


def case_tables(tables: list[Table] | None = None) -> list[CaseTable]:
    """Every case table, parents before children, derived from the models' foreign keys."""
    found: dict[str, CaseTable] = {"cases": CaseTable("cases")}
    tables = list(Base.metadata.sorted_tables) if tables is None else tables
    for table in tables:
        if table.name in found or table.name in TEAM_TABLES + OTHER_TABLES:
            continue
        link = _link(table, found)
        if link is None:
            raise UnclassifiedTable(
                f"table {table.name} holds no case_id and is not a team table: add it to "
                "icrctl.db.team.TEAM_TABLES or give it a link to its case"
            )
        found[table.name] = link
    return list(found.values())


def _link(table: Table, found: dict[str, CaseTable]) -> CaseTable | None:
    keys = sorted(table.foreign_keys, key=lambda k: (k.parent.name != "case_id", k.parent.name))
    for key in keys:
        parent = key.column.table.name
        if parent in found and not key.parent.nullable:
            return CaseTable(table.name, key.parent.name, parent)
    return None


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: Columns no icr role may change: who directs a case is the administrator's to move (a colleague
#: a case is shared with would otherwise take it over), and no row changes its id.
FIXED_COLUMNS = {"cases": ("id", "owner")}


def updatable_columns(table: str) -> list[str]:
    """The columns of ``table`` an icr role may UPDATE (a column-level grant): all but
    :data:`FIXED_COLUMNS` (``id`` everywhere)."""
    fixed = FIXED_COLUMNS.get(table, ("id",))
    return [quote(c.name) for c in Base.metadata.tables[table].columns if c.name not in fixed]


def group_roles_sql(existing: set[str]) -> list[str]:
    return [f"CREATE ROLE {g} NOLOGIN" for g in GROUPS if g not in existing]


def setup_sql(database: str) -> list[str]:
    """The grants and policies of team mode, on a schema at the newest revision."""
    both = ", ".join(GROUPS)
    sql = [
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {both}",
        f"GRANT USAGE ON SCHEMA public TO {both}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {both}",
        f"GRANT SELECT ON alembic_version TO {both}",
        OWNS_CASE,
        "REVOKE ALL ON FUNCTION icrctl_owns_case(integer, name) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION icrctl_owns_case(integer, name) TO {both}",
        REF_TAKEN,
        "REVOKE ALL ON FUNCTION icrctl_ref_taken(varchar) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION icrctl_ref_taken(varchar) TO {both}",
        f"GRANT EXECUTE ON FUNCTION icrctl_audit_tip() TO {both}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON partners TO {both}",
        f"GRANT SELECT ON team_members TO {both}",
        # The team's settings: read by everyone, changed by the lead (and the administrator).
        f"GRANT SELECT ON settings TO {both}",
        f"GRANT INSERT, UPDATE, DELETE ON settings TO {LEAD}",
    ]
    for table in case_tables():
        condition = table.condition()
        sql += [
            f"GRANT SELECT, INSERT, DELETE ON {table.name} TO {both}",
            f"GRANT UPDATE ({', '.join(updatable_columns(table.name))}) ON {table.name} TO {both}",
            f"ALTER TABLE {table.name} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY icr_case_rows ON {table.name} TO {both} "
            f"USING ({condition}) WITH CHECK ({condition})",
        ]
    sql += _shares_sql(both) + _audit_sql(both)
    return sql


def _shares_sql(both: str) -> list[str]:
    may_share = f"{IS_LEAD} OR icrctl_owns_case(case_id, current_user)"
    return [
        f"GRANT SELECT, INSERT, DELETE ON case_shares TO {both}",
        "ALTER TABLE case_shares ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY icr_share_read ON case_shares FOR SELECT TO {both} "
        f"USING (role = current_user OR {may_share})",
        f"CREATE POLICY icr_share_add ON case_shares FOR INSERT TO {both} WITH CHECK ({may_share})",
        f"CREATE POLICY icr_share_remove ON case_shares FOR DELETE TO {both} USING ({may_share})",
    ]


def _audit_sql(both: str) -> list[str]:
    return [
        f"GRANT INSERT ON audit_log TO {both}",
        f"GRANT SELECT ON audit_log TO {LEAD}",
        "ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY icr_audit_append ON audit_log FOR INSERT TO {both} "
        'WITH CHECK ("user" = current_user)',
        f"CREATE POLICY icr_audit_read ON audit_log FOR SELECT TO {LEAD} USING (true)",
    ]


#: Tables whose row-level security ``doctor`` expects enabled in team mode.
def protected_tables() -> list[str]:
    return [t.name for t in case_tables()] + ["case_shares", "audit_log"]
