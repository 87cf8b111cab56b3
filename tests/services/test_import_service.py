"""``import_records`` on a session, without the command line: merge by key, idempotence, dry
run, all or nothing, and when it asks for a backup before writing."""

from __future__ import annotations

import io
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from icrctl.db.engine import CaseFile
from icrctl.db.models import AuditEntry
from icrctl.db.rows import TABLES
from icrctl.errors import ImportErrors
from icrctl.io.importfile import read_import
from icrctl.io.records import CaseFileRec
from icrctl.services.importer import ImportResult, backup_before_import, import_records
from tests.conftest import TODAY

REF = "GO-2026-001"
BASE = """\
version: 1
partners:
  - {key: vt-bakker, name: J. Bakker, organisation: Veilig Thuis, kind: veilig_thuis}
cases:
  - ref: GO-2026-001
    title: Familie Zuid
    opened: 2026-03-02
    phase: 2
    members:
      - {key: ida, name: Ida Zuid, role: victim, phone: "06 1234 5678"}
      - {key: kim, name: Kim Zuid, role: child, born: 2015-02-03,
         relations: [{to: ida, kind: sibling}]}
    partners:
      - {partner: vt-bakker, consent: true}
    evaluations:
      - {every: 2w, start: 2026-03-03, with: [ida, vt-bakker]}
    meetings:
      - {date: 2026-03-17, status: held, attended: [ida], absent: [vt-bakker], risk: 3}
    contacts:
      - {date: 2026-03-02, kind: visit, note: eerste gesprek, with: [ida]}
    goals:
      - {goal: Een veilig thuis, who: Ida}
"""
# The same case: one field of the case and one of a member changed, a member and a contact
# added, a member and the partner left out (they stay).
CHANGED = """\
version: 1
cases:
  - ref: GO-2026-001
    title: Familie Zuid-West
    opened: 2026-03-02
    phase: 2
    members:
      - {key: ida, name: Ida Zuid, role: victim, phone: "06 8765 4321"}
      - {key: noor, name: Noor Zuid, role: child, born: 2019-06-01}
    contacts:
      - {date: 2026-03-02, kind: visit, note: eerste gesprek, with: [ida]}
      - {date: 2026-03-09, kind: phone, note: geen gehoor}
"""
OTHER = """\
version: 1
cases:
  - {ref: GO-2026-002, title: Familie Noord, opened: 2026-04-01, phase: 1}
"""
# A sound new case, and one that links a partner neither the file nor the case file knows.
CONFLICT = """\
version: 1
cases:
  - {ref: GO-2026-003, title: Familie Oost, opened: 2026-04-01, phase: 1}
  - ref: GO-2026-001
    title: Familie Zuid
    opened: 2026-03-02
    phase: 2
    partners:
      - {partner: nobody}
"""

Unit = Callable[..., Any]


def doc(text: str) -> CaseFileRec:
    return read_import(io.StringIO(text), "test.yaml", TODAY)


def load(services: Unit, text: str, **options: Any) -> ImportResult:
    with services() as (session, ctx):
        return import_records(session, ctx, doc(text), "test.yaml", **options)


def counts(services: Unit) -> dict[str, int]:
    """Rows per table, the audit log included."""
    with services() as (session, _):
        out = {name: _count(session, name) for name in TABLES}
        out["audit"] = int(session.scalar(select(func.count(AuditEntry.id))) or 0)
        return out


def _count(session: Session, table: str) -> int:
    return int(session.execute(select(func.count()).select_from(TABLES[table])).scalar())


def members(services: Unit) -> dict[str, tuple[str, str | None]]:
    members = TABLES["members"]
    with services() as (session, _):
        rows = session.execute(select(members.c.key, members.c.name, members.c.phone))
        return {key: (name, phone) for key, name, phone in rows}


# ---------------------------------------------------------------------- merge by key


def test_a_new_case_file_gets_every_record(services: Unit) -> None:
    result = load(services, BASE)
    assert result.cases_created == [REF]
    assert result.created == Counter(
        partners=1,
        cases=1,
        members=2,
        relations=1,
        links=1,
        phases=1,  # "case opened"
        stages=1,  # inventory
        series=1,
        attendees=2,
        meetings=1,
        attendance=2,
        contacts=1,
        contact_people=1,
        goals=1,
    )
    assert not result.updated
    written = {table: n for table, n in counts(services).items() if n}
    assert written == {**result.created, "audit": 2}, "audit: the case and the directory"


def test_records_are_merged_by_key_and_nothing_is_deleted(services: Unit) -> None:
    load(services, BASE)
    result = load(services, CHANGED)
    assert result.cases_created == []
    assert result.cases_updated == [REF]
    assert result.updated == Counter(cases=1, members=1)
    assert result.created == Counter(members=1, contacts=1)
    assert members(services) == {
        "ida": ("Ida Zuid", "06 8765 4321"),
        "kim": ("Kim Zuid", None),  # not in the file: kept
        "noor": ("Noor Zuid", None),
    }
    after = counts(services)
    assert after["links"] == 1, "the partner left out of the file stays linked"
    assert after["contacts"] == 2, "the contact in both files is matched, not doubled"


def test_a_member_without_key_is_matched_by_name_and_birth_date(services: Unit) -> None:
    load(services, BASE)
    result = load(
        services,
        BASE.replace("{key: kim, name: Kim Zuid", "{name: Kim Zuid").replace(
            "relations: [{to: ida, kind: sibling}]", "household: false"
        ),
    )
    assert result.updated == Counter(members=1)
    assert not result.created
    assert sorted(members(services)) == ["ida", "kim"]


# ---------------------------------------------------------------------- idempotence, dry run


def test_a_second_import_changes_nothing(services: Unit) -> None:
    load(services, BASE)
    load(services, OTHER)
    before = counts(services)
    again = load(services, BASE + OTHER.removeprefix("version: 1\ncases:\n"))
    assert not again.changed
    assert again.cases_unchanged == 2
    assert (again.cases_created, again.cases_updated) == ([], [])
    assert counts(services) == before, "no row and no audit entry was added"


def test_a_dry_run_plans_but_writes_nothing(services: Unit) -> None:
    empty = counts(services)
    result = load(services, BASE, dry_run=True)
    assert result.dry_run
    assert result.cases_created == [REF]
    assert result.created["members"] == 2
    assert counts(services) == empty


# ---------------------------------------------------------------------- all or nothing


def test_an_error_against_the_case_file_writes_nothing_at_all(services: Unit) -> None:
    load(services, BASE)
    before = counts(services)
    with pytest.raises(ImportErrors) as caught:
        load(services, CONFLICT)
    assert caught.value.errors == [
        "test.yaml:9: cases[1].partners[0].partner: no partner 'nobody' in the file's partners "
        "or in the case file's directory"
    ]
    assert counts(services) == before, "the sound case GO-2026-003 was not written either"


def test_every_error_is_reported_together(services: Unit) -> None:
    two = CONFLICT + "      - {partner: nobody-else}\n"
    with pytest.raises(ImportErrors) as caught:
        load(services, two)
    assert [e.split(": ")[1] for e in caught.value.errors] == [
        "cases[1].partners[0].partner",
        "cases[1].partners[1].partner",
    ]


# ---------------------------------------------------------------------- the backup decision


def backups_taken(services: Unit, text: str, **options: Any) -> list[int]:
    """Import ``text`` with a backup callback; for each call, the cases the import's own
    transaction saw then (it sees its own writes: so the call came before them)."""
    calls: list[int] = []
    with services() as (session, ctx):

        def backup() -> None:
            calls.append(_count(session, "cases"))

        import_records(session, ctx, doc(text), "test.yaml", backup=backup, **options)
    return calls


def test_no_backup_of_an_empty_case_file(services: Unit) -> None:
    assert backups_taken(services, BASE) == []
    assert counts(services)["cases"] == 1


def test_a_backup_before_writing_into_a_case_file_with_cases(services: Unit) -> None:
    load(services, BASE)
    assert backups_taken(services, OTHER) == [1], "once, before the new case was written"
    assert counts(services)["cases"] == 2


@pytest.mark.parametrize(
    ("text", "dry_run"),
    [(BASE, False), (OTHER, True)],
    ids=["nothing-to-change", "dry-run"],
)
def test_no_backup_when_nothing_will_be_written(services: Unit, text: str, dry_run: bool) -> None:
    load(services, BASE)
    assert backups_taken(services, text, dry_run=dry_run) == []


def test_no_backup_when_the_file_is_refused(services: Unit) -> None:
    load(services, BASE)
    calls: list[str] = []
    with services() as (session, ctx), pytest.raises(ImportErrors):
        import_records(session, ctx, doc(CONFLICT), "t.yaml", backup=lambda: calls.append("x"))
    assert calls == []


@pytest.mark.sqlite_only(reason="the automatic backup beside the .db file")
def test_the_automatic_backup_holds_the_case_file_as_it_was(services: Unit, db_path: Path) -> None:
    load(services, BASE)
    case_file = CaseFile(str(db_path))
    try:
        load(services, OTHER, backup=backup_before_import(case_file))
    finally:
        case_file.dispose()
    (made,) = sorted((db_path.parent / "backups").iterdir())
    assert made.name.endswith("-before-import.db")
    with sqlite3.connect(made) as conn:
        assert conn.execute("SELECT ref FROM cases").fetchall() == [(REF,)]
