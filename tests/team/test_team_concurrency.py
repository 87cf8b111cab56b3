"""Ten practitioners at once, each a separate process connected as their own role, twenty writes
each (every write its own command and transaction, as on the command line), on their own case and
on one case all of them share: every write is there afterwards, no process shows a traceback, the
audit chain stays one line, and no practitioner's ``case list`` ever shows another's case that is
not shared with them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from icrctl.services.audit import chain_hash
from tests.team.conftest import Team

REPO = Path(__file__).resolve().parents[2]
PRACTITIONERS = 10
WRITES_EACH = 20
SHARED = "S-1"


#: One practitioner's process: runs each command of the JSON list on argv in turn, each its own
#: command (one transaction, as on the command line), and prints what each returned.
DRIVER = """
import contextlib, io, json, sys, traceback
from icrctl.cli.main import app

results = []
for args in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            app(args, standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code = 1
            err.write(traceback.format_exc())
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def commands(role: str, own: str) -> list[list[str]]:
    """Twenty writes, every other one on the shared case; ``case list`` twice on the way."""
    out: list[list[str]] = []
    for i in range(WRITES_EACH):
        ref = SHARED if i % 2 else own
        out.append(["log", "add", ref, f"write {i} by {role}", "--kind", "phone"])
        if i in (WRITES_EACH // 2, WRITES_EACH - 1):
            out.append(["case", "list", "--all", "--format", "json"])
    return out


def practitioner(team: Team, role: str, own: str) -> list[tuple[str, int, str, list[str]]]:
    """One practitioner: a separate process, its own role, its commands one after another."""
    asked = commands(role, own)
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(asked)],
        cwd=REPO,
        env={**os.environ, "ICRCTL_DB": team.url(role), "ICRCTL_BUSY_TIMEOUT_MS": "60000"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    done: list[tuple[str, int, str, list[str]]] = []
    for args, (code, out, err) in zip(asked, json.loads(proc.stdout), strict=True):
        if args[0] == "case":
            seen = [r["ref"] for r in json.loads(out)] if code == 0 else []
            done.append(("list", code, err, seen))
        else:
            done.append(("write", code, err, []))
    return done


@pytest.mark.long
def test_ten_practitioners_twenty_writes_each(team: Team) -> None:
    roles = [team.add(f"p{n}") for n in range(PRACTITIONERS)]
    owns = {role: f"P-{n}" for n, role in enumerate(roles)}
    for role, ref in owns.items():
        team.run(role, "case", "create", ref, "--title", f"Case of {role}")
    team.run(roles[0], "case", "create", SHARED, "--title", "Shared by all")
    for role in roles[1:]:
        team.run(roles[0], "case", "share", SHARED, role)

    with ThreadPoolExecutor(PRACTITIONERS) as pool:
        results = dict(
            zip(roles, pool.map(lambda r: practitioner(team, r, owns[r]), roles), strict=True)
        )

    for role, done in results.items():
        for kind, code, err, seen in done:
            assert code == 0, f"{role} {kind}: {err}"
            assert "Traceback" not in err, err
            if kind == "list":
                assert sorted(seen) == sorted([owns[role], SHARED]), (role, seen)
    notes = {r[0] for r in team.sql(None, "SELECT note FROM contacts")}
    expected = {f"write {i} by {role}" for role in roles for i in range(WRITES_EACH)}
    assert notes == expected
    per_case = dict(
        team.sql(
            None,
            "SELECT c.ref, count(*) FROM contacts k JOIN cases c ON c.id = k.case_id "
            "GROUP BY c.ref",
        )
    )
    assert per_case[SHARED] == PRACTITIONERS * WRITES_EACH // 2
    assert all(per_case[ref] == WRITES_EACH // 2 for ref in owns.values())
    entries = team.sql(
        None,
        'SELECT prev_hash, at, "user", command, action, ref_digest, entity, fields, hash '
        "FROM audit_log ORDER BY id",
    )
    prev = "0" * 64
    for row in entries:
        assert row[0] == prev
        assert chain_hash(*row[:8]) == row[8]
        prev = row[8]
