"""The audit log: every change is logged with time, OS user, command, case ref, entity and field
names, never the personal data itself; ``audit [REF] [--since D]``; the chain shows tampering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from icrctl.db.models import Base
from icrctl.services.context import os_user
from tests.helpers import POSTGRES, Result, Run, query, refused

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "caseload.yaml"


def entries(run: Run, *args: str) -> list[dict[str, object]]:
    got = run("audit", *args, "-f", "json").json()
    assert isinstance(got, list)
    return got


def raw(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """``sql`` on the test's case file, outside icrctl (``db``: the SQLite file; on PostgreSQL
    the test's database)."""
    return query(sql, *params, db=None if POSTGRES else db)


def chain_problems(result: Result) -> list[str]:
    return [
        line
        for line in result.stdout.splitlines()
        if "PROBLEM" in line and "audit log chain" in line
    ]


def test_every_kind_of_change_is_logged(run: Run, family: str, tmp_path: Path) -> None:
    """One command after another: each adds the entry it should, with its case and entity."""
    z = "GO-2026-020"
    export, werkplan, kopie = (str(tmp_path / n) for n in ("e.yaml", "w.md", "kopie.db"))
    # (action, entity, ref or None for "any"), then the command
    steps: list[tuple[tuple[str, str, str | None], tuple[str, ...]]] = [
        (("create", "case", z), ("case", "create", z, "--title", "Familie Zuid")),
        (("update", "case", z), ("case", "edit", z, "--regisseur", "B. de Wit")),
        (("create", "member", z), ("member", "add", z, "Ida Zuid", "--role", "victim")),
        (("update", "member", z), ("member", "edit", z, "m1", "--phone", "06 1")),
        (("create", "member", z), ("member", "add", z, "Per Abuis", "--role", "family")),
        (("delete", "member", z), ("member", "remove", z, "m2")),
        (("create", "partner", None), ("partner", "add", "P. Leraar", "--organisation", "OBS",
                                       "--kind", "school", "--key", "obs")),
        (("create", "case_partner", z), ("partner", "link", z, "obs")),
        (("delete", "case_partner", z), ("partner", "unlink", z, "obs")),
        (("create", "contact", z), ("log", z, "Huisbezoek", "--kind", "visit", "--with", "m1")),
        (("create", "goal", z), ("goal", "add", z, "Veilig thuis")),
        (("update", "goal", z), ("goal", "done", z, "1")),
        (("update", "case", z), ("phase", "set", z, "3", "--reason", "escalatie")),
        (("export", "case_file", None), ("export", "--out", export)),
        (("export", "case_file", z), ("export", "--case", z)),
        (("document", "werkplan", z), ("werkplan", z, "--out", werkplan)),
        (("backup", "case_file", None), ("backup", kopie)),
        (("erase", "member", z), ("member", "forget", z, "m1", "--reason", "verzoek art. 17")),
        (("update", "case", z), ("case", "close", z, "--summary", "Klaar", "--safety", "Veilig",
                                 *CLOSE_ANYWAY)),
        (("erase", "case", None), ("case", "purge", z, "--yes")),
        (("import", "case", "GO-2025-031"), ("import", str(EXAMPLE))),
        (("restore", "case_file", None), ("restore", kopie, "--yes")),
    ]  # fmt: skip
    if POSTGRES:  # a team database is restored with pg_restore, outside icrctl
        steps.pop()
    seen: set[str] = set()
    for (action, entity, ref), args in steps:
        before = len(entries(run))
        run(*args)
        logged = entries(run)
        new = logged[before:] if args[0] != "restore" else logged[-1:]
        assert new, f"{args} was not logged"
        assert any(
            (e["action"], e["entity"]) == (action, entity) and (ref is None or e["ref"] == ref)
            for e in new
        ), (args, new)
        seen.add(action)
    assert seen >= {
        "create",
        "update",
        "delete",
        "import",
        "export",
        "backup",
        "document",
        "erase",
    } | (set() if POSTGRES else {"restore"})
    assert chain_problems(run("doctor")) == []


def test_json_fields_and_order(run: Run, family: str) -> None:
    logged = entries(run)
    assert len(logged) == 6  # the case, three members, the partner, the link
    for e in logged:
        assert {"at", "user", "action", "ref", "entity"} <= set(e)
        assert e["user"] == os_user()
        assert isinstance(e["at"], str)
        dt.datetime.fromisoformat(e["at"])
    assert [(e["action"], e["entity"]) for e in logged] == [
        ("create", "case"),
        ("create", "member"),
        ("create", "member"),
        ("create", "member"),
        ("create", "partner"),
        ("create", "case_partner"),
    ]
    assert [e["ref"] for e in logged] == [family] * 4 + [None, family]
    ats = [str(e["at"]) for e in logged]
    assert ats == sorted(ats), "oldest first"
    # The command and the field names say what was done, not what was written.
    assert logged[1]["fields"] == "born,key,name,role"
    assert str(logged[1]["command"]).endswith("member add")


def test_the_table_and_an_empty_log(run: Run, family: str, tmp_path: Path) -> None:
    table = run("audit").stdout
    for word in ("action", "entity", family, "member", os_user()):
        assert word in table
    assert "nothing logged" in run("--db", str(tmp_path / "new" / "c.db"), "audit").stdout
    assert run("--db", str(tmp_path / "new" / "c.db"), "audit", "-f", "json").json() == []


def test_audit_of_one_case(run: Run, family: str) -> None:
    run("case", "create", "GO-2026-020", "--title", "Familie Zuid")
    run("log", "GO-2026-020", "Huisbezoek", "--kind", "visit")
    run("log", family, "Telefoon", "--kind", "phone")
    mine = entries(run, family)
    assert {e["ref"] for e in mine} == {family}
    assert [(e["action"], e["entity"]) for e in mine][-1] == ("create", "contact")
    assert len(mine) == 6
    other = entries(run, "GO-2026-020")
    assert [(e["action"], e["entity"]) for e in other] == [
        ("create", "case"),
        ("create", "contact"),
    ]
    assert entries(run, "GO-0000-000") == []


def test_audit_since(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """``at`` is UTC; a day given to --since starts at midnight in Amsterdam (UTC+1 in November)."""
    from icrctl.services import audit

    for when, ref in (
        (dt.datetime(2026, 11, 10, 9, 0), "GO-1"),
        (dt.datetime(2026, 11, 19, 22, 59), "GO-2"),  # 23:59 on the 19th in Amsterdam
        (dt.datetime(2026, 11, 19, 23, 30), "GO-3"),  # 00:30 on the 20th in Amsterdam
        (dt.datetime(2026, 11, 24, 8, 30), "GO-4"),
    ):
        monkeypatch.setattr(audit, "utc_now", lambda when=when: when)
        run("case", "create", ref, "--title", "Familie", "--opened", "2026-11-01")
    assert [e["ref"] for e in entries(run)] == ["GO-1", "GO-2", "GO-3", "GO-4"]
    assert [e["ref"] for e in entries(run, "--since", "2026-11-20")] == ["GO-3", "GO-4"]
    assert [e["ref"] for e in entries(run, "--since", "21-11-2026")] == ["GO-4"]
    assert [e["ref"] for e in entries(run, "--since", "-1w")] == ["GO-2", "GO-3", "GO-4"]
    assert entries(run, "--since", "2026-11-25") == []
    assert [e["ref"] for e in entries(run, "GO-3", "--since", "2026-11-01")] == ["GO-3"]
    refused(run, "audit", "--since", "2026-13-01", match="2026-13-01")
    assert chain_problems(run("doctor")) == []


def test_the_log_holds_no_personal_data(run: Run, db_path: Path, tmp_path: Path) -> None:
    name, phone, email = "Zoë Yılmaz", "06-98765432", "zoe.yilmaz@example.nl"
    run(
        "case", "create", "GO-2026-030", "--title", "Casus Zonneveld", "--referrer", "Wijkteam Oost"
    )
    run(
        "member", "add", "GO-2026-030", name, "--role", "victim", "--born", "1991-04-17",
        "--phone", phone, "--email", email,
    )  # fmt: skip
    run("member", "add", "GO-2026-030", "Emre Yılmaz", "--role", "perpetrator")
    run("member", "edit", "GO-2026-030", "m1", "--name", "Zoë Yılmaz-Kaya")
    run("member", "relate", "GO-2026-030", "m1", "ex_partner", "m2")
    run("log", "GO-2026-030", "Zoë vertelde over de dreiging", "--kind", "visit", "--with", "m1")
    run("goal", "add", "GO-2026-030", "Zoë heeft een veiligheidsplan")
    run("phase", "set", "GO-2026-030", "3", "--reason", "Emre dreigt opnieuw")
    run("werkplan", "GO-2026-030", "--out", str(tmp_path / "werkplan.md"))
    columns = [c.name for c in Base.metadata.tables["audit_log"].columns]
    rows = raw(db_path, "SELECT * FROM audit_log")
    assert len(rows) >= 8
    text = "\n".join(str(v) for row in rows for v in row if v is not None)
    for secret in (
        "Zoë", "Zoe", "Yılmaz", "Yilmaz", "Kaya", "Emre", phone, "98765432", email,
        "1991-04-17", "dreiging", "veiligheidsplan", "dreigt", "Zonneveld", "Wijkteam",
    ):  # fmt: skip
        assert secret not in text, f"{secret!r} is in the audit log"
        assert secret.casefold() not in text.casefold()
    assert {"at", "user", "command", "action", "ref", "entity", "fields"} <= set(columns)


def test_a_changed_entry_is_detected(run: Run, family: str, db_path: Path) -> None:
    assert chain_problems(run("doctor")) == []
    raw(db_path, "UPDATE audit_log SET action = 'update' WHERE id = 2")
    result = run("doctor", ok=False)
    assert result.exit_code == 1
    assert chain_problems(result)
    assert "entry 2 was changed" in result.stdout


@pytest.mark.parametrize(
    "statement",
    [
        """UPDATE audit_log SET "user" = 'iemand anders' WHERE id = 3""",
        "UPDATE audit_log SET at = '2020-01-01 00:00:00.000000' WHERE id = 3",
        "UPDATE audit_log SET fields = 'key' WHERE id = 3",
        "UPDATE audit_log SET entity = 'partner' WHERE id = 3",
        "UPDATE audit_log SET ref = 'GO-2026-999' WHERE id = 3",
        "UPDATE audit_log SET ref_digest = NULL WHERE id = 3",
        "DELETE FROM audit_log WHERE id = 3",
        "UPDATE audit_log SET id = 99 WHERE id = 3",
    ],
    ids=["user", "at", "fields", "entity", "ref", "digest", "delete", "reorder"],
)
def test_tampering_is_detected_by_doctor(
    run: Run, family: str, db_path: Path, statement: str
) -> None:
    raw(db_path, statement)
    result = run("doctor", ok=False)
    assert result.exit_code == 1
    assert chain_problems(result), result.stdout


def test_deleting_a_middle_entry_in_a_separate_process(
    run: Run, family: str, db_path: Path
) -> None:
    import subprocess
    import sys

    count = raw(db_path, "SELECT count(*) FROM audit_log")[0][0]
    assert isinstance(count, int)
    middle = count // 2 + 1
    raw(db_path, "DELETE FROM audit_log WHERE id = ?", middle)
    proc = subprocess.run(
        [sys.executable, "-m", "icrctl", "doctor"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert f"entry {middle + 1} does not follow" in proc.stdout


def test_a_rehashed_forgery_still_breaks_the_chain(run: Run, family: str, db_path: Path) -> None:
    """Whoever changes an entry and recomputes its hash breaks the link to the next one."""
    from icrctl.services.audit import chain_hash

    row = raw(
        db_path,
        "SELECT at, user, command, action, ref_digest, entity, fields, prev_hash "
        "FROM audit_log WHERE id = 2",
    )[0]
    at, user, cmd, _, ref_digest, entity, fields, prev = row
    forged = chain_hash(
        str(prev),
        dt.datetime.fromisoformat(str(at)),
        str(user),
        str(cmd),
        "delete",
        str(ref_digest),
        str(entity),
        None if fields is None else str(fields),
    )
    raw(db_path, "UPDATE audit_log SET action = 'delete', hash = ? WHERE id = 2", forged)
    result = run("doctor", ok=False)
    assert "entry 3 does not follow" in result.stdout


def test_the_chain_survives_a_purge(run: Run, family: str) -> None:
    """Purging blanks the ref of the case's entries; the chain covers its digest, so it holds."""
    run("case", "close", family, "--summary", "Klaar", "--safety", "Veilig", *CLOSE_ANYWAY)
    run("case", "purge", family, "--yes")
    logged = entries(run)
    assert all(e["ref"] is None for e in logged)
    assert (logged[-1]["action"], logged[-1]["entity"]) == ("erase", "case")
    assert chain_problems(run("doctor")) == []
