"""What icrctl itself puts in an SQLite case file, so that anything else is refused by name.

A trigger, a view, a table or an index that icrctl did not create can change what a command
does without a line of icrctl changing: ``CREATE TRIGGER … AFTER INSERT ON audit_log BEGIN DELETE
…`` switches the audit log off. The expected objects are the models' at the current
revision (their tables and named indexes, the schema version's table, and the indexes SQLite makes
itself for unique and primary keys, ``sqlite_autoindex_TABLE_N``); a test holds a freshly migrated
file and an upgraded old one to exactly this set, so the models and the migrations cannot drift
apart unseen. icrctl creates no trigger and no view.

Checked on every open (one query of ``sqlite_master``, already read there), before ``restore``
accepts a backup, and by ``doctor``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from icrctl.i18n import _

#: Tables SQLite itself may add: AUTOINCREMENT's counters, ANALYZE's statistics.
SQLITE_TABLES = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3"})
SQLITE_TABLES |= {"sqlite_stat4"}
_AUTOINDEX = re.compile(r"^sqlite_autoindex_(.+)_[0-9]+$")


#: Every table icrctl creates, with its named indexes, at the current revision. Written out, not
#: read from the models on every open: that would define every mapped class for every command
#: (``models.LATER``). ``tests/db/test_schema_objects.py`` holds it to the models (:func:`derived`)
#: and to a freshly migrated file, so it cannot drift unseen.
TABLES: dict[str, tuple[str, ...]] = {
    "aftercare_contacts": ("ix_aftercare_contacts_case_id", "ix_aftercare_contacts_contact_id"),
    "agreements": ("ix_agreements_goal_id", "ix_agreements_meeting_id"),
    "analyses": (),
    "analysis_factors": ("ix_analysis_factors_case_id", "ix_analysis_factors_member_id"),
    "attendance": ("ix_attendance_meeting_id", "ix_attendance_member_id"),
    "audit_log": ("ix_audit_log_at", "ix_audit_log_ref"),
    "case_events": ("ix_case_events_case_id",),
    "case_partners": ("ix_case_partners_partner_id",),
    "case_shares": ("ix_case_shares_role",),
    "cases": ("ix_cases_owner", "ix_cases_phase", "ix_cases_regisseur", "ix_cases_stage"),
    "checklist_items": ("ix_checklist_items_case_id",),
    "contact_people": ("ix_contact_people_contact_id", "ix_contact_people_member_id"),
    "contacts": ("ix_contacts_case_date",),
    "evaluation_series": ("ix_evaluation_series_case_id",),
    "goal_discussions": ("ix_goal_discussions_goal_id",),
    "goals": (),
    "indicator_scores": (),
    "interventions": ("ix_interventions_case_id", "ix_interventions_goal_id"),
    "meetings": ("ix_meetings_case_date", "ix_meetings_series_id"),
    "member_relations": ("ix_member_relations_case_id", "ix_member_relations_to_member_id"),
    "members": (),
    "partners": ("ix_partners_name_org",),
    "phase_changes": ("ix_phase_changes_case_date",),
    "role_fits": ("ix_role_fits_case_id", "ix_role_fits_partner_id"),
    "series_attendees": ("ix_series_attendees_member_id", "ix_series_attendees_series_id"),
    "settings": (),
    "stage_changes": ("ix_stage_changes_case_date",),
    "team_members": (),
}


@functools.cache
def expected() -> dict[str, tuple[str, str]]:
    """Every object icrctl creates, by name: (type, the table it belongs to)."""
    objects: dict[str, tuple[str, str]] = {"alembic_version": ("table", "alembic_version")}
    for table, indexes in TABLES.items():
        objects[table] = ("table", table)
        for index in indexes:
            objects[index] = ("index", table)
    return objects


def derived() -> dict[str, tuple[str, ...]]:
    """:data:`TABLES` as the models define it (every mapped class)."""
    from icrctl.db.models import Base, load_all

    load_all()
    return {
        table.name: tuple(sorted(str(index.name) for index in table.indexes if index.name))
        for table in sorted(Base.metadata.tables.values(), key=lambda table: table.name)
    }


def unknown(rows: Iterable[tuple[str, str, str]], *, current: bool = True) -> list[str]:
    """The objects among ``sqlite_master``'s (type, name, tbl_name) rows that icrctl did not
    create, as "KIND NAME". A file at an older revision (``current=False``) is held only to
    "no trigger and no view": its tables and indexes are checked once it is upgraded."""
    known = expected()
    found = []
    for kind, name, table in rows:
        if kind in ("trigger", "view") or (
            current and not _sqlite_own(kind, name) and known.get(name) != (kind, table)
        ):
            found.append(f"{kind} {name}")
    return sorted(found)


def _sqlite_own(kind: str, name: str) -> bool:
    """What SQLite makes itself: its own tables, the indexes of a table's keys."""
    if kind == "table":
        return name in SQLITE_TABLES
    match = _AUTOINDEX.match(name)
    return kind == "index" and match is not None and match.group(1) in expected()


def refusal(location: str, objects: list[str]) -> str:
    """The one line that refuses a case file holding ``objects``."""
    return _(
        "the case file {location} holds {objects}, which icrctl did not create (it could change "
        "or hide what icrctl records); nothing was changed. Keep the file as evidence, run "
        "'icrctl doctor', and restore a backup with 'icrctl restore'"
    ).format(location=location, objects=", ".join(objects))


MASTER = "SELECT type, name, tbl_name FROM sqlite_master"


# --- a database server ----------------------------------------------------------------------

_FUNCTION = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(icrctl_\w+)", re.IGNORECASE)

#: On PostgreSQL: triggers and rules on the case file's tables (icrctl makes none; a rule ``DO
#: INSTEAD NOTHING`` on the audit log would switch it off as a trigger would), event triggers,
#: and the functions named icrctl_*, as "KIND NAME".
SERVER_OBJECTS = """
    SELECT 'trigger ' || c.relname || '.' || t.tgname FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND n.nspname = current_schema()
    UNION ALL SELECT 'rule ' || tablename || '.' || rulename FROM pg_rules
        WHERE schemaname = current_schema()
    UNION ALL SELECT 'event trigger ' || evtname FROM pg_event_trigger
    UNION ALL SELECT 'function ' || p.proname FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND left(p.proname, 7) = 'icrctl_'
"""


@functools.cache
def server_functions() -> frozenset[str]:
    """The icrctl_* functions icrctl makes on PostgreSQL, read from the SQL that makes them (the
    migrations and team mode's setup), so that a new one cannot be forgotten here."""
    from pathlib import Path

    db = Path(__file__).resolve().parent
    sources = [db / "team.py", *sorted((db / "migrations" / "versions").glob("*.py"))]
    return frozenset(name for path in sources for name in _FUNCTION.findall(path.read_text()))


def server_unknown(rows: Iterable[tuple[str]]) -> list[str]:
    """The rows of :data:`SERVER_OBJECTS` that icrctl did not make."""
    made = {f"function {name}" for name in server_functions()}
    return sorted({row[0] for row in rows} - made)
