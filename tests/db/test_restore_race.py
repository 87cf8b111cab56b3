"""``restore`` while others write: every write reported as saved survives, in the case file or in a
kept restore point, and two restores in a row keep both earlier states.

The writers are long-lived processes forked after the imports (one per writer, each running a
command per round through the CLI in-process, tests/db/race.py), so that 16 writers and a restore
race 20 times in seconds, not minutes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from icrctl.db.backups import restore_points
from tests.helpers import Run

REPO = Path(__file__).resolve().parents[2]
WRITERS = 16
ROUNDS = 20
#: The writers start this far apart; the restore starts in the middle of them.
SPACING = 0.02
#: What the lanes run, once on a scratch case file: the imports are then made before the fork.
WARM = [
    ["case", "create", "W-1", "--title", "Warm"],
    ["log", "W-1", "warm", "--kind", "phone"],
    ["backup", "{scratch}/warm-copy.db"],
    ["restore", "{scratch}/warm-copy.db", "--yes"],
    ["case", "list"],
]


Outcome = tuple[list[str], int, str]


def race(rounds: int, lanes: list[tuple[float, list[str]]]) -> list[Outcome]:
    """Run ``lanes`` (a delay and a command each) at once, ``rounds`` times, as separate
    processes (tests/db/race.py): each command's arguments, exit status and stderr."""
    spec = json.dumps({"rounds": rounds, "lanes": lanes, "warm": WARM})
    done = subprocess.run(
        [sys.executable, "-m", "tests.db.race", spec],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [
        (args, code, err) for _r, _l, args, code, err in map(json.loads, done.stdout.splitlines())
    ]


def notes(db: Path) -> set[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT note FROM contacts")}
    finally:
        con.close()


def damaged(db: Path) -> bool:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    finally:
        con.close()


@pytest.mark.long
@pytest.mark.sqlite_only(reason="restores the SQLite file while other processes write to it")
def test_every_write_reported_saved_survives_a_concurrent_restore(
    run: Run, family: str, db_path: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "b.db"
    run("backup", str(backup))
    writers = [
        (n * SPACING, ["log", family, f"write {{round}}-{n}", "--kind", "phone"])
        for n in range(WRITERS)
    ]
    restorer = (WRITERS * SPACING / 2, ["restore", str(backup), "--yes"])
    results = race(ROUNDS, [*writers, restorer])
    writes = [(args[2], code, err) for args, code, err in results if args[0] == "log"]
    assert len(writes) == WRITERS * ROUNDS
    saved = [text for text, code, _ in writes if code == 0]
    failed = [(text, err) for text, code, err in writes if code]
    points = restore_points(db_path)
    assert not damaged(db_path), "the case file itself is sound"
    found = notes(db_path).union(*(notes(p) for p in points))
    lost = [text for text in saved if text not in found]
    assert lost == []
    restores = [(err, code) for args, code, err in results if args[0] == "restore"]
    assert restores == [("", 0)] * ROUNDS
    assert len(points) == ROUNDS, "every restore keeps its own restore point"
    # A writer that could not go ahead said so in one line and wrote nothing anywhere.
    for text, err in failed:
        assert err.count("error: ") == 1, err
        assert err.startswith("error: "), err
        assert text not in found
    assert len(saved) >= WRITERS * ROUNDS // 2, "the writers were to get through, mostly"
    assert [p.name for p in points if damaged(p)] == [], "every restore point is sound"
