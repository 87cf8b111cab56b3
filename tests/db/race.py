"""Many icrctl processes at once, cheaply: ``python -m tests.db.race SPEC`` imports the command
line once, then forks one process per lane, each running its commands through the CLI
in-process (as ``icrctl`` would, a fresh case-file connection per command). Forking after the
imports makes 17 processes start in milliseconds instead of seconds each.

SPEC is JSON: ``{"rounds": N, "lanes": [[DELAY, ARGS], ...], "warm": [ARGS, ...]}``, where
each ``ARGS`` of a lane may hold ``{round}`` and ``{lane}``; the ``warm`` commands run first,
once, on a scratch case file (``{scratch}`` is its folder), to import what the lanes will run.
Every round, every lane waits its DELAY and then runs its command; the next round starts when all
have finished. Standard output gets one JSON line per command run:
``[round, lane, args, exit status, stderr]``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import IO, Any


def lane(commands: IO[str], answers: IO[str]) -> None:
    from tests.helpers import make_run

    run = make_run()
    for line in commands:
        delay, args = json.loads(line)
        time.sleep(delay)
        result = run(*args, ok=None)
        answers.write(json.dumps([args, result.exit_code, result.stderr]) + "\n")
        answers.flush()


def start(n: int) -> tuple[IO[str], IO[str]]:
    """Fork lane ``n``: returns the parent's ends, to send commands and read answers."""
    down_r, down_w = os.pipe()
    up_r, up_w = os.pipe()
    if os.fork() == 0:
        os.close(down_w)
        os.close(up_r)
        code = 0
        try:
            lane(os.fdopen(down_r), os.fdopen(up_w, "w"))
        except BaseException:
            code = 1
        os._exit(code)
    os.close(down_r)
    os.close(up_w)
    return os.fdopen(down_w, "w"), os.fdopen(up_r)


def race(spec: dict[str, Any]) -> None:
    import tempfile

    from tests.helpers import make_run

    with tempfile.TemporaryDirectory() as scratch:  # import what the lanes run, before the fork
        run = make_run({"ICRCTL_DB": f"{scratch}/data/warm.db"})
        for args in spec.get("warm", []):
            run(*(a.format(scratch=scratch) for a in args))
    lanes = [start(n) for n in range(len(spec["lanes"]))]
    for rnd in range(spec["rounds"]):
        for n, ((send, _), (delay, args)) in enumerate(zip(lanes, spec["lanes"], strict=True)):
            shown = [a.format(round=rnd, lane=n) for a in args]
            send.write(json.dumps([delay, shown]) + "\n")
            send.flush()
        for n, (_, answers) in enumerate(lanes):
            line = answers.readline()
            if not line:
                raise SystemExit(f"lane {n} died")
            args, code, err = json.loads(line)
            print(json.dumps([rnd, n, args, code, err]), flush=True)
    for send, answers in lanes:
        send.close()
        answers.close()
    for _ in lanes:
        os.wait()


if __name__ == "__main__":
    race(json.loads(sys.argv[1]))
