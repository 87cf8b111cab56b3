"""``doctor.examine`` called directly: a sound case file passes every check, and each check reports
the inconsistency made for it with raw SQL behind icrctl's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from icrctl.db.migrations import HEAD
from icrctl.errors import CaseFileError
from icrctl.services import doctor
from icrctl.services.context import Context

pytestmark = pytest.mark.sqlite_only(
    reason="SQLite's integrity and foreign-key checks of a case file changed behind icrctl's "
    "back (checks off, pages damaged); a team database's doctor: "
    "tests/db/test_server_maintenance.py"
)

Unit = Callable[..., AbstractContextManager[tuple[Session, Context]]]
CHECKS = [
    "file modes",
    "SQLite integrity check",
    "foreign keys",
    "schema version",
    "schema objects",
    *(name for name, _, _ in doctor.INVARIANTS),
    "audit log chain",
    "audit log anchor",
]


@pytest.fixture
def case_file(services: Unit, db_path: Path) -> Path:
    """Two cases with everything the checks look at: phase and stage changes, members with a
    relation, a linked partner, a series with attendees, a held meeting with scores, and the
    phase-4 checklist."""
    from icrctl.services import meetings, phases
    from icrctl.services.cases import CaseInput, create_case
    from icrctl.services.members import MemberInput, add_member, relate
    from icrctl.services.partners import PartnerInput, add_partner, link_partner

    with services() as (session, ctx):
        for ref, family in (("GO-2026-041", "Smit"), ("GO-2026-042", "Mulder")):
            create_case(
                session, ctx, ref, CaseInput(title=f"Familie {family}", opened=date(2026, 3, 2))
            )
            add_member(session, ctx, ref, MemberInput(name=f"Eva {family}", role="victim"))
            add_member(session, ctx, ref, MemberInput(name=f"Tom {family}", role="perpetrator"))
            meetings.schedule(
                session, ctx, ref, every="2w", start=date(2026, 11, 3), attendees=["m1"]
            )
        relate(session, ctx, "GO-2026-041", "m1", "ex_partner", "m2")
        add_partner(
            session,
            ctx,
            PartnerInput(name="S. de Wit", organisation="Politie", kind="police", key="pol"),
        )
        link_partner(session, ctx, "GO-2026-041", "pol", consent=True)
        meetings.record(
            session, ctx, "GO-2026-041", day=date(2026, 11, 17), attended=["m1", "pol"], risk=3
        )
        phases.set_phase(session, ctx, "GO-2026-041", 3, "geweld thuis", date(2026, 6, 1))
        phases.set_phase(session, ctx, "GO-2026-041", 4, "in de media", track="social")
    return db_path


def sql(path: Path, *statements: str) -> None:
    """Change the case file as another program could: no foreign keys, no checks."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def findings(path: Path) -> dict[str, doctor.Finding]:
    return {f.check: f for f in doctor.examine(path).findings}


def problems(path: Path) -> dict[str, str]:
    return {f.check: f.detail for f in doctor.examine(path).findings if not f.ok}


def test_a_sound_file_passes_every_check_in_order(case_file: Path) -> None:
    report = doctor.examine(case_file)
    assert report.ok, [f for f in report.findings if not f.ok]
    assert [f.check for f in report.findings] == CHECKS
    assert report.location == str(case_file)
    assert findings(case_file)["schema version"].detail == f"{HEAD} (current)"


def test_a_missing_file_is_an_error_and_stays_missing(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with pytest.raises(CaseFileError, match="no case file"):
        doctor.examine(path)
    assert not path.exists()


# ---------------------------------------------------------------- SQLite's own checks


def test_a_file_sqlite_cannot_read_stops_at_the_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    path.write_bytes(b"not a database " * 512)
    path.chmod(0o600)
    [modes, finding] = doctor.examine(path).findings
    assert (modes.check, modes.ok) == ("file modes", True)
    assert (finding.check, finding.ok) == ("SQLite integrity check", False)
    assert "not a database" in finding.detail
    assert finding.advice == doctor.RESTORE_FILE


def test_a_damaged_page_fails_the_integrity_check(case_file: Path) -> None:
    con = sqlite3.connect(case_file)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'members'").fetchone()[0]
    con.close()
    with case_file.open("r+b") as f:  # the members' page, headers and all
        f.seek((root - 1) * page)
        f.write(b"\xa5" * page)
    found = doctor.examine(case_file).findings[1:]
    assert found[0].check == "SQLite integrity check"
    assert not found[0].ok
    assert found[0].detail


def test_a_reference_to_a_deleted_row_fails_the_foreign_keys(case_file: Path) -> None:
    sql(case_file, "DELETE FROM partners")
    assert "broken reference" in problems(case_file)["foreign keys"]


# ---------------------------------------------------------------- the schema version


def test_another_programs_database_stops_at_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "places.sqlite"
    sql(path, "CREATE TABLE bookmarks (url TEXT)")
    found = doctor.examine(path).findings
    assert [(f.check, f.ok) for f in found] == [
        ("file modes", False),  # sqlite3 made it 0644
        ("SQLite integrity check", True),
        ("foreign keys", True),
        ("schema version", False),
    ]
    assert found[-1].detail == "not an icrctl case file"


def test_a_newer_icrctls_file_stops_at_the_schema_version(case_file: Path) -> None:
    sql(case_file, "UPDATE alembic_version SET version_num = '9999'")
    found = doctor.examine(case_file).findings
    assert found[-1].check == "schema version"
    assert (found[-1].ok, found[-1].detail) == (False, "'9999' is unknown to this icrctl")
    assert len(found) == 4


def test_a_version_set_back_under_a_keyed_log_is_a_problem(case_file: Path) -> None:
    """The log is sealed with the audit key (revision 0008): a schema version that says 0001
    was set back outside icrctl, to have the next start seal edited entries anew."""
    sql(case_file, "UPDATE alembic_version SET version_num = '0001'")
    found = findings(case_file)
    assert found["schema version"].ok
    assert f"upgrades it to {HEAD}" in found["schema version"].detail
    assert not found["audit log chain"].ok
    assert "yet the schema version says 0001" in found["audit log chain"].detail


# ---------------------------------------------------------------- the app's own rules


@pytest.mark.parametrize(
    ("statement", "check", "named"),
    [
        (
            "UPDATE cases SET phase = 1 WHERE ref = 'GO-2026-041'",
            "every case's phase equals its last phase change",
            "GO-2026-041",
        ),
        (
            "UPDATE cases SET stage = 'analysis' WHERE ref = 'GO-2026-042'",
            "every case's stage equals its last stage change",
            "GO-2026-042",
        ),
        (
            "UPDATE cases SET closed = '2026-11-01' WHERE ref = 'GO-2026-042'",
            "a closed date exactly when the stage is closed",
            "GO-2026-042",
        ),
        (
            "UPDATE series_attendees SET member_id = 999",
            "no link to a missing partner or member",
            "series_attendees",
        ),
        (
            "UPDATE member_relations SET case_id = "
            "(SELECT id FROM cases WHERE ref = 'GO-2026-042')",
            "relations and attendees stay within their own case",
            "relation",
        ),
        (
            "UPDATE series_attendees SET series_id = (SELECT MIN(id) FROM evaluation_series) "
            "WHERE series_id = (SELECT MAX(id) FROM evaluation_series)",
            "relations and attendees stay within their own case",
            "attendee",
        ),
        (
            "UPDATE checklist_items SET phase_change_id = "
            "(SELECT id FROM phase_changes WHERE phase = 3)",
            "phase-4 checklist items belong to a phase-4 change of their case",
            "GO-2026-041",
        ),
        ("UPDATE meetings SET self_reliance = 6", "scores lie between 1 and 5", "meeting"),
    ],
    ids=["phase", "stage", "closed", "missing", "relation", "attendee", "checklist", "score"],
)
def test_a_broken_rule_is_reported_with_what_breaks_it(
    case_file: Path, statement: str, check: str, named: str
) -> None:
    sql(case_file, statement)
    found = problems(case_file)
    assert set(found) - {"foreign keys"} == {check}  # a missing row is a broken reference too
    assert named in found[check]


def test_a_broken_rule_names_ten_and_says_there_are_more(case_file: Path) -> None:
    sql(
        case_file,
        *(
            f"INSERT INTO cases (ref, title, opened, stage, phase, framework, regie, violence, "
            f"domains, created_at, updated_at) SELECT 'X-{n:02}', title, opened, stage, phase, "
            f"framework, regie, violence, domains, created_at, updated_at FROM cases "
            f"WHERE ref = 'GO-2026-042'"
            for n in range(12)
        ),
    )
    detail = problems(case_file)["every case's phase equals its last phase change"]
    assert detail.endswith(" …")
    assert len(detail.split(", ")) == 10


def test_a_table_that_cannot_be_read_is_reported_not_raised(case_file: Path) -> None:
    sql(case_file, "DROP TABLE checklist_items")
    found = doctor.examine(case_file).findings
    assert (found[-1].check, found[-1].ok) == ("reading the case file", False)
    assert "checklist_items" in found[-1].detail


# ---------------------------------------------------------------- the audit log


@pytest.mark.parametrize(
    ("statement", "says"),
    [
        ("UPDATE audit_log SET user = 'iemand' WHERE id = 3", "entry 3 was changed"),
        ("DELETE FROM audit_log WHERE id = 3", "entry 4 "),
        ("UPDATE audit_log SET ref = 'GO-2026-042' WHERE id = 1", "entry 1 names another case"),
    ],
    ids=["changed", "removed", "other case"],
)
def test_a_tampered_audit_log_breaks_the_chain(case_file: Path, statement: str, says: str) -> None:
    sql(case_file, statement)
    assert list(problems(case_file)) == ["audit log chain"]
    assert says in problems(case_file)["audit log chain"]
