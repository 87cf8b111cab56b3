"""Ten practitioners at once, each a separate ``python -m icrctl`` process connected as their own
role, twenty writes each, on their own case and on one case all of them share: every write is
there afterwards, no process shows a traceback, the audit chain stays one line, and no
practitioner's ``case list`` ever shows another's case that is not shared with them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from icrctl.services.audit import chain_hash
from tests.team.conftest import Team

REPO = Path(__file__).resolve().parents[2]
PRACTITIONERS = 10
WRITES_EACH = 20
SHARED = "S-1"


def icrctl(url: str, *args: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "icrctl", *args],
        cwd=REPO,
        env={**os.environ, "ICRCTL_DB": url, "ICRCTL_BUSY_TIMEOUT_MS": "60000"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


def practitioner(team: Team, role: str, own: str) -> list[tuple[str, int, str, list[str]]]:
    """Twenty writes, every other one on the shared case; ``case list`` twice on the way."""
    done: list[tuple[str, int, str, list[str]]] = []
    url = team.url(role)
    for i in range(WRITES_EACH):
        ref = SHARED if i % 2 else own
        code, _out, err = icrctl(url, "log", "add", ref, f"write {i} by {role}", "--kind", "phone")
        done.append(("write", code, err, []))
        if i in (WRITES_EACH // 2, WRITES_EACH - 1):
            code, out, err = icrctl(url, "case", "list", "--all", "--format", "json")
            seen = [r["ref"] for r in json.loads(out)] if code == 0 else []
            done.append(("list", code, err, seen))
    return done


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
