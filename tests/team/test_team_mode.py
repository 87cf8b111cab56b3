"""Team mode on PostgreSQL: practitioners are roles, each sees the cases they direct or that are
shared with them (in icrctl and in direct SQL), the lead sees all, the audit log is append-only
for everyone; ``team migrate`` moves a personal case file in, twice adding nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from icrctl.db import team as setup
from icrctl.db.models import Base, load_all
from tests.helpers import error_line, make_run
from tests.team.conftest import Team


def refs(team: Team, role: str | None, *args: str) -> list[str]:
    rows = team.run(role, "case", "list", "--all", "--format", "json", *args).json()
    return sorted(r["ref"] for r in rows)


def two_practitioners(team: Team) -> tuple[str, str, str]:
    anna = team.add("anna", "--display-name", "A. Jansen")
    bob = team.add("bob")
    lea = team.add("lea", "--lead")
    team.run(anna, "case", "create", "A-1", "--title", "Anna's family")
    team.run(anna, "member", "add", "A-1", "Kim", "--role", "child")
    team.run(bob, "case", "create", "B-1", "--title", "Bob's family")
    team.run(bob, "member", "add", "B-1", "Tom", "--role", "child")
    return anna, bob, lea


# --- without a server ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("team", "init"),
        ("team", "add", "anna"),
        ("team", "list"),
        ("team", "check"),
        ("team", "migrate", "--from", "x.db"),
        ("case", "share", "A-1", "anna"),
        ("case", "unshare", "A-1", "anna"),
    ],
)
def test_a_personal_case_file_refuses_team_commands_in_one_line(
    args: tuple[str, ...], db_path: Path
) -> None:
    result = make_run({"ICRCTL_DB": str(db_path)})(*args, ok=False)
    assert "team mode needs a PostgreSQL case file" in error_line(result)
    assert not db_path.exists()


@pytest.mark.parametrize("url", ["mysql://anna@localhost/team", "oracle+oracledb://x@db/team"])
def test_another_kind_of_database_is_refused_in_one_line(url: str) -> None:
    result = make_run({"ICRCTL_DB": url})("case", "list", ok=False)
    kind = url.split("+")[0].split(":")[0]
    assert error_line(result) == (
        f"error: {url}: icrctl works on an SQLite case file or a PostgreSQL database "
        f"(postgresql+psycopg://ROLE@HOST/DATABASE), not {kind}"
    )


def test_every_table_is_case_data_or_named_as_the_teams() -> None:
    found = {t.name: t for t in setup.case_tables()}
    classified = set(found) | set(setup.TEAM_TABLES) | set(setup.OTHER_TABLES)
    load_all()
    assert classified == set(Base.metadata.tables)
    assert found["members"].parent == "cases"
    assert (found["attendance"].column, found["attendance"].parent) == ("meeting_id", "meetings")
    assert "partners" not in found
    assert "audit_log" not in found


def test_a_new_table_with_a_case_id_is_protected_and_one_without_must_be_named() -> None:
    meta = sa.MetaData()
    cases = sa.Table("cases", meta, sa.Column("id", sa.Integer, primary_key=True))
    notes = sa.Table(
        "notes",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.ForeignKey("cases.id"), nullable=False),
    )
    lines = sa.Table(
        "note_lines",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.ForeignKey("notes.id"), nullable=False),
    )
    made = setup.case_tables([cases, notes, lines])
    assert [(t.name, t.parent) for t in made] == [
        ("cases", None),
        ("notes", "cases"),
        ("note_lines", "notes"),
    ]
    loose = sa.Table("preferences", meta, sa.Column("id", sa.Integer, primary_key=True))
    with pytest.raises(setup.UnclassifiedTable, match="preferences"):
        setup.case_tables([cases, loose])


@pytest.mark.parametrize("name", ["Anna", "1anna", "pg_x", "icr_lead", "an na", "a" * 64, "a;b"])
def test_a_bad_role_name_is_refused_in_one_line(name: str) -> None:
    from icrctl.errors import InvalidValue
    from icrctl.services.team import check_role_name

    with pytest.raises(InvalidValue) as caught:
        check_role_name(name)
    assert "\n" not in str(caught.value)


# --- on a server ---------------------------------------------------------------------------------


def test_init_sets_up_an_empty_database_once(empty_team_db: Team) -> None:
    team = empty_team_db
    said = team.run(None, "team", "init").stdout
    assert "row-level security on" in said
    again = team.run(None, "team", "init", ok=False)
    assert "team init needs an empty database" in error_line(again)
    assert team.run(None, "team", "check").stdout.startswith("team mode:")
    assert "PROBLEM" not in team.run(None, "doctor").stdout
    rls = dict(team.sql(None, "SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r'"))
    assert all(rls[t] for t in setup.protected_tables())
    assert not rls["partners"]


def test_each_practitioner_sees_only_their_own_cases_and_the_lead_all(team: Team) -> None:
    anna, bob, lea = two_practitioners(team)
    assert refs(team, anna) == ["A-1"]
    assert refs(team, bob) == ["B-1"]
    assert refs(team, lea) == ["A-1", "B-1"]
    # status and export
    assert "A-1" in team.run(anna, "status").stdout
    assert "B-1" not in team.run(anna, "status").stdout
    exported = team.run(bob, "export").stdout
    assert "B-1" in exported
    assert "A-1" not in exported
    assert "Kim" not in exported
    assert "Kim" in team.run(lea, "export").stdout
    # another's case by name: as if it were not there; its ref is taken all the same
    taken = team.run(bob, "case", "create", "A-1", "--title", "Mine?", ok=False)
    assert error_line(taken) == "error: case A-1 already exists"
    assert "no case" in error_line(team.run(bob, "member", "list", "A-1", ok=False))
    # direct SQL as the role, table by table
    assert team.sql(bob, "SELECT ref FROM cases") == [("B-1",)]
    assert team.sql(bob, "SELECT name FROM members") == [("Tom",)]
    assert sorted(team.sql(lea, "SELECT name FROM members")) == [("Kim",), ("Tom",)]
    assert team.sql(bob, "UPDATE members SET name = 'X' WHERE name = 'Kim' RETURNING id") == []
    # who directs a case is not a practitioner's to change, not even of their own case
    with pytest.raises(Exception, match="permission denied for table cases"):
        team.sql(bob, "UPDATE cases SET owner = 'x' WHERE ref = 'B-1'")


def test_identity_comes_from_the_server(team: Team) -> None:
    anna, _bob, _lea = two_practitioners(team)
    shown = team.run(anna, "case", "show", "A-1", "--format", "json").json()
    assert shown["regisseur"] == "A. Jansen"
    owners = team.sql(None, "SELECT ref, owner FROM cases ORDER BY ref")
    assert owners == [("A-1", anna), ("B-1", team.role("bob"))]
    users = team.sql(None, "SELECT DISTINCT \"user\" FROM audit_log WHERE ref = 'A-1'")
    assert users == [(anna,)]
    listed = team.run(None, "team", "list", "--format", "json").json()
    assert {m["role"]: (m["display_name"], m["lead"]) for m in listed}[anna] == ("A. Jansen", False)


@pytest.mark.parametrize("who", ["anna", "lea"])
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"],
)
def test_the_audit_log_is_append_only_for_every_role(team: Team, who: str, statement: str) -> None:
    roles = dict(zip(("anna", "bob", "lea"), two_practitioners(team), strict=True))
    with pytest.raises(Exception, match="permission denied"):
        team.sql(roles[who], statement)
    assert team.sql(None, "SELECT count(*) FROM audit_log")[0][0] >= 4


def test_only_the_lead_reads_the_audit_log(team: Team) -> None:
    anna, _bob, lea = two_practitioners(team)
    with pytest.raises(Exception, match="permission denied"):
        team.sql(anna, "SELECT * FROM audit_log")
    assert "A-1" in team.run(lea, "audit").stdout
    # in icrctl a practitioner is told in words, not by the driver's exception
    assert error_line(team.run(anna, "audit", ok=False)) == (
        "error: the team database refused this to your role (permission denied for table "
        "audit_log); nothing was changed. In team mode the audit log is the team lead's to read, "
        "and purging a case, backups and adding practitioners are the administrator's (the "
        "database's owner)"
    )
    with pytest.raises(Exception, match="row-level security"):
        team.sql(
            anna,
            'INSERT INTO audit_log (at, "user", command, action, entity, prev_hash, '
            "hash) VALUES (now(), 'someone_else', 'x', 'x', 'x', 'x', 'x')",
        )


def test_share_and_unshare(team: Team) -> None:
    anna, bob, lea = two_practitioners(team)
    refused = team.run(bob, "case", "share", "A-1", bob, ok=False)
    assert "no case" in error_line(refused)
    assert team.run(anna, "case", "share", "A-1", bob).stdout.startswith("shared A-1 with")
    assert "already" in team.run(anna, "case", "share", "A-1", bob).stdout
    assert refs(team, bob) == ["A-1", "B-1"]
    assert "Kim" in team.run(bob, "member", "list", "A-1").stdout
    # owners and shares stay on the server: not in the export (docs/format.md)
    exported = team.run(lea, "export").stdout
    assert anna not in exported
    assert bob not in exported
    team.run(bob, "log", "add", "A-1", "called the school", "--kind", "phone")
    # a colleague it is shared with changes the case, but cannot take it over, even in psql
    team.sql(bob, "UPDATE cases SET title = 'Anna''s family (school)' WHERE ref = 'A-1'")
    with pytest.raises(Exception, match="permission denied"):
        team.sql(bob, f"UPDATE cases SET owner = '{bob}' WHERE ref = 'A-1'")
    assert team.sql(None, "SELECT owner FROM cases WHERE ref = 'A-1'") == [(anna,)]
    not_his = team.run(bob, "case", "unshare", "A-1", bob, ok=False)
    assert error_line(not_his) == (
        f"error: only the case's director ({anna}) or the lead may share or unshare case A-1"
    )
    assert error_line(team.run(anna, "case", "share", "A-1", anna, ok=False)) == (
        f"error: {anna} directs case A-1: a case is shared with others"
    )
    assert "not in the team" in error_line(
        team.run(anna, "case", "share", "A-1", "nobody", ok=False)
    )
    team.run(anna, "case", "unshare", "A-1", bob)
    assert refs(team, bob) == ["B-1"]
    team.run(lea, "case", "share", "B-1", anna)
    assert refs(team, anna) == ["A-1", "B-1"]
    actions = team.sql(None, "SELECT action, \"user\" FROM audit_log WHERE action LIKE '%share'")
    assert actions == [("share", anna), ("unshare", anna), ("share", lea)]


def test_migrate_moves_a_personal_case_file_in_once(team: Team, tmp_path: Path) -> None:
    anna = team.add("anna")
    personal = tmp_path / "data" / "caseload.db"  # the test's own SQLite case file
    run = make_run({"ICRCTL_DB": str(personal)})
    run("case", "create", "P-1", "--title", "From my laptop")
    run(
        "partner",
        "add",
        "Vera Visser",
        "--organisation",
        "Veilig Thuis",
        "--key",
        "vera",
        "--kind",
        "veilig_thuis",
    )
    run("partner", "link", "P-1", "vera", "--role", "melder")
    team.run(
        None,
        "partner",
        "add",
        "Vera Visser",
        "--organisation",
        "VT",
        "--key",
        "vera",
        "--kind",
        "veilig_thuis",
    )
    first = team.run(None, "team", "migrate", "--from", str(personal), "--regisseur", anna)
    assert "P-1" in first.stdout
    assert f"directed by {anna}" in first.stdout
    # the team's directory is not a personal file's to change: it keeps its entry, and says so
    assert " ".join(first.stdout.split()).endswith(
        "the team's directory kept its own entries for vera: your file's differ (see 'icrctl "
        "partner show KEY'; the directory is the team's to change)"
    )
    kept = team.sql(None, "SELECT organisation FROM partners WHERE key = 'vera'")
    assert kept == [("VT",)]
    second = team.run(None, "team", "migrate", "--from", str(personal), "--regisseur", anna)
    assert "1 case was in the team database already: P-1" in second.stdout
    assert refs(team, anna) == ["P-1"]
    assert team.sql(None, "SELECT count(*) FROM partners") == [(1,)]
    moves = team.sql(None, "SELECT count(*) FROM audit_log WHERE action = 'migrate'")
    assert moves == [(1,)]
    assert "not in the team" in error_line(
        team.run(None, "team", "migrate", "--from", str(personal), "--regisseur", "x", ok=False)
    )


def test_check_names_a_table_without_row_level_security(team: Team) -> None:
    team.sql(None, "ALTER TABLE goals DISABLE ROW LEVEL SECURITY")
    team.sql(None, f"GRANT UPDATE ON audit_log TO {setup.PRACTITIONER}")
    result = team.run(None, "team", "check", ok=False)
    lines = result.stdout.splitlines()
    assert "problem: row-level security is off on goals" in lines
    assert f"problem: {setup.PRACTITIONER} must not have UPDATE on audit_log" in lines
    doctor = team.run(None, "doctor", ok=False).stdout
    assert "row-level security is off on goals" in doctor
    assert "PROBLEM" in doctor
    team.sql(None, f"REVOKE UPDATE ON audit_log FROM {setup.PRACTITIONER}")


def test_team_add_refuses_twice_and_team_list_shows_json_keys(team: Team) -> None:
    anna = team.add("anna", "--display-name", "A. Jansen")
    again = team.run(None, "team", "add", anna, ok=False)
    assert "already in the team" in error_line(again)
    # the rules would not bind a superuser: it is no practitioner
    superuser = team.run(None, "team", "add", "postgres", ok=False)
    assert error_line(superuser) == (
        "error: postgres is a superuser or bypasses row-level security: the team's rules would "
        "not bind it; add a practitioner's own login role"
    )
    listed = team.run(None, "team", "list", "--format", "json").json()
    assert listed == [{"role": anna, "display_name": "A. Jansen", "lead": False, "login": True}]
    assert json.loads(team.run(anna, "team", "list", "--format", "json").stdout) == listed


def test_doctor_and_backup_by_practitioner_lead_and_owner(team: Team, tmp_path: Path) -> None:
    """doctor runs for everyone (the audit chain where the role may read the log); a backup
    reads every row, so it is the administrator's, refused to the others in one line."""
    anna, _bob, lea = two_practitioners(team)
    mine = " ".join(team.run(anna, "doctor").stdout.split())
    assert "audit log chain │ ok │ not run: in a team database the audit log is" in mine
    assert "the lead's to read" in mine
    assert "PROBLEM" not in mine
    leads = " ".join(team.run(lea, "doctor").stdout.split())
    assert "audit log chain │ ok │ │" in leads
    for role in (anna, lea):
        refused = team.run(role, "backup", str(tmp_path / f"{role}.dump"), ok=False)
        assert error_line(refused).endswith(
            "is the administrator's (the database's owner): a backup must read every row, "
            "which team mode keeps from practitioners and the lead; nothing was written"
        )
        assert not (tmp_path / f"{role}.dump").exists()
    team.run(None, "backup", str(tmp_path / "owner.dump"))
    assert (tmp_path / "owner.dump").stat().st_size > 0


def test_an_import_of_a_ref_another_practitioner_holds_is_refused_in_words(
    team: Team, tmp_path: Path
) -> None:
    """The ref is unique across the team, and the other's case is invisible: the import says
    so for that case, and imports nothing, instead of failing on the database's constraint."""
    anna, bob, _lea = two_practitioners(team)
    exported = team.run(bob, "export").stdout
    path = tmp_path / "b.yaml"
    path.write_text(exported, encoding="utf-8")
    result = team.run(anna, "import", str(path), ok=False)
    lines = result.stderr.splitlines()
    assert any(
        line.endswith(
            "cases[0].ref: case B-1 already exists in the team database, another practitioner's "
            "case you cannot see: give this one another ref"
        )
        for line in lines
    ), lines
    assert lines[-1] == "error: 1 error; nothing was imported"
    assert refs(team, anna) == ["A-1"]


def test_a_url_as_libpq_writes_it_reaches_the_same_database(team: Team) -> None:
    anna, _bob, _lea = two_practitioners(team)
    for scheme in ("postgresql://", "postgres://"):
        url = team.url(anna).replace("postgresql+psycopg://", scheme)
        rows = make_run({"ICRCTL_DB": url})("case", "list", "--format", "json").json()
        assert [r["ref"] for r in rows] == ["A-1"]
