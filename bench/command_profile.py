"""Where one command spends its time after start-up, in process: cProfile, or a plain timing.

    python bench/command_profile.py --db DB [--top 40] [--sort tottime] -- status
    python bench/command_profile.py --db DB --time [--repeat 7] -- week

The command runs once in this process, with typer, rich and SQLAlchemy's ORM already imported
(so what is measured is what a command adds to the floor of ``bench/run.py``: its own modules,
opening the case file, the queries and the rendering), its output thrown away. ``--time``
instead runs it ``--repeat`` times, each in a fresh process, and prints the median CPU and
wall-clock time of that part alone: steadier on a busy machine than timing whole processes.
The day is pinned to ``ICRCTL_TODAY=2026-11-25`` unless set.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def floor() -> None:
    """The floor's imports (``bench/run.py``), paid before the clock starts, and the root."""
    import rich.table  # noqa: F401
    import sqlalchemy.orm  # noqa: F401
    import typer  # noqa: F401

    import icrctl.cli.main  # noqa: F401


def run_once(args: Sequence[str]) -> tuple[float, float]:
    """Run ``icrctl ARGS`` in this process; its (cpu, wall) seconds, imports of the floor aside."""
    from icrctl.cli.main import app

    cpu, wall = time.process_time(), time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        try:
            app(list(args), standalone_mode=False)
        except SystemExit as exc:  # pragma: no cover - only --help and friends exit
            if exc.code:
                raise
    return time.process_time() - cpu, time.perf_counter() - wall


def profile(args: Sequence[str], sort: str, top: int) -> str:
    """cProfile's table of one run, the ``top`` lines by ``sort``."""
    floor()
    prof = cProfile.Profile()
    prof.enable()
    run_once(args)
    prof.disable()
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats(sort).print_stats(top)
    return text.getvalue()


def timings(args: Sequence[str], db: str, repeat: int) -> list[tuple[float, float]]:
    """(cpu, wall) of ``repeat`` runs, each in a fresh process."""
    env = dict(os.environ, ICRCTL_DB=db, NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as bench/run.py: the .pyc files count
    env.setdefault("ICRCTL_TODAY", "2026-11-25")
    out = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--db", db, "--child", "--", *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        out.append(tuple(json.loads(done.stdout.strip().splitlines()[-1])))
    return out  # type: ignore[return-value]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="the case file")
    ap.add_argument("--time", action="store_true", help="median times of fresh processes")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--sort", default="cumulative", help="a pstats sort key (default cumulative)")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("command", nargs="+", help="the icrctl command and its arguments")
    args = ap.parse_args(argv)
    os.environ["ICRCTL_DB"] = args.db
    os.environ.setdefault("ICRCTL_TODAY", "2026-11-25")
    os.environ["NO_COLOR"] = "1"
    if args.child:
        floor()
        print(json.dumps(run_once(args.command)))
        return 0
    if args.time:
        runs = timings(args.command, args.db, args.repeat)
        cpu = statistics.median(c for c, _ in runs) * 1000
        wall = statistics.median(w for _, w in runs) * 1000
        print(f"icrctl {' '.join(args.command)}: median of {args.repeat} fresh processes, after")
        print(f"the floor's imports: cpu {cpu:.0f} ms, wall {wall:.0f} ms")
        return 0
    print(profile(args.command, args.sort, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
