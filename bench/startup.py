"""Where a command's start-up goes: ``python -X importtime``, summed per top-level package.

    python bench/startup.py [--repeat 5] [--db DB] [--top 15] [--against CODE] [--modules]
                            -- ICRCTL-ARGS...
    python bench/startup.py --code "import typer, rich.table, sqlalchemy.orm"

Runs the command ``--repeat`` times as a fresh process with ``-X importtime`` (from the
repository root, ``ICRCTL_TODAY=2026-11-25``, ``NO_COLOR=1``, output thrown away) and prints,
per top-level package (``sqlalchemy``, ``rich``, ``icrctl`` ...), the median of the summed *self*
import times, with the wall-clock time of the whole process and the part not spent importing
(interpreter start-up, the command's own work). ``--against CODE`` profiles ``python -c CODE``
too and prints the difference: what A imports beyond its floor B. ``--modules`` lists the
slowest single modules (self time) instead of packages.

The figures are inflated by ``-X importtime`` itself (roughly 10-20 %), so use them to rank
and compare, and ``bench/run.py`` for the ratios. It also names the packages that ``--help``
must not import (issue 9): SQLAlchemy, Alembic, YAML, dateutil, holidays, icalendar, pydantic.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TODAY = "2026-11-25"
HEAVY = ("sqlalchemy", "alembic", "yaml", "dateutil", "holidays", "icalendar", "pydantic")


@dataclass
class Profile:
    """Median milliseconds per package (or module) over several runs, and of the whole run."""

    packages: dict[str, float] = field(default_factory=dict)
    modules: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0  # ms, the whole process under -X importtime
    imports: float = 0.0  # ms, the sum of all self times

    @property
    def rest(self) -> float:
        return self.wall - self.imports


def _parse(stderr: str) -> dict[str, float]:
    """Self time in ms per module from ``-X importtime`` output."""
    out: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3:
            continue
        out[parts[2].strip()] = out.get(parts[2].strip(), 0.0) + int(parts[0]) / 1000
    return out


def profile(argv: Sequence[str], env: dict[str, str], repeat: int = 5, cwd: Path = ROOT) -> Profile:
    """Run ``argv`` (``[python, ...]``) with ``-X importtime``, ``repeat`` times after a warm-up."""
    cmd = [argv[0], "-X", "importtime", *argv[1:]]
    runs: list[dict[str, float]] = []
    walls: list[float] = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        done = subprocess.run(
            cmd,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        wall = (time.perf_counter() - start) * 1000
        if done.returncode != 0:
            tail = "\n".join(
                x for x in done.stderr.splitlines() if not x.startswith("import time:")
            )
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{tail[-2000:]}")
        if i:  # the first run only warms
            runs.append(_parse(done.stderr))
            walls.append(wall)
    names = set().union(*runs)
    modules = {n: statistics.median(r.get(n, 0.0) for r in runs) for n in names}
    packages: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for n, ms in modules.items():
        packages[n.split(".")[0]] += ms
        counts[n.split(".")[0]] += 1
    return Profile(
        packages=dict(packages),
        modules=modules,
        counts=dict(counts),
        wall=statistics.median(walls),
        imports=statistics.median(sum(r.values()) for r in runs),
    )


def table(p: Profile, top: int = 15, indent: str = "  ", modules: bool = False) -> str:
    items = p.modules if modules else p.packages
    lines = [
        f"{indent}whole process {p.wall:6.0f} ms: imports {p.imports:.0f} ms, "
        f"the rest {p.rest:.0f} ms (interpreter start-up, the command's own work)"
    ]
    for name, ms in sorted(items.items(), key=lambda kv: -kv[1])[:top]:
        extra = "" if modules else f"  ({p.counts[name]} modules)"
        lines.append(f"{indent}  {name:40} {ms:7.1f} ms{extra}")
    return "\n".join(lines)


def compare(a: Profile, b: Profile, top: int = 15, indent: str = "  ") -> str:
    """A's packages against B's: what A costs beyond its floor, largest first."""
    lines = [
        f"{indent}{'':30} {'A':>8} {'B':>8} {'A-B':>8}",
        f"{indent}{'whole process':30} {a.wall:8.0f} {b.wall:8.0f} {a.wall - b.wall:8.0f}",
        f"{indent}{'  imports':30} {a.imports:8.0f} {b.imports:8.0f} {a.imports - b.imports:8.0f}",
        f"{indent}{'  the rest':30} {a.rest:8.0f} {b.rest:8.0f} {a.rest - b.rest:8.0f}",
        f"{indent}imports per package (self ms; modules in A):",
    ]
    names = set(a.packages) | set(b.packages)
    diff = {n: a.packages.get(n, 0.0) - b.packages.get(n, 0.0) for n in names}
    for n in sorted(names, key=lambda n: -abs(diff[n]))[:top]:
        lines.append(
            f"{indent}  {n:28} {a.packages.get(n, 0.0):8.1f} {b.packages.get(n, 0.0):8.1f} "
            f"{diff[n]:+8.1f}  ({a.counts.get(n, 0)})"
        )
    heavy = [h for h in HEAVY if h in a.packages]
    if heavy:
        lines.append(f"{indent}A imports: {', '.join(heavy)}")
    return "\n".join(lines)


def environment(db: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICRCTL_")}
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.update({"ICRCTL_TODAY": TODAY, "NO_COLOR": "1"})
    if db:
        env["ICRCTL_DB"] = db
    return env


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("args", nargs="*", help="icrctl's arguments (after --)")
    ap.add_argument("--code", help="profile python -c CODE instead of icrctl")
    ap.add_argument("--against", metavar="CODE", help="compare with python -c CODE")
    ap.add_argument("--db", help="the case file ($ICRCTL_DB)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--modules", action="store_true", help="single modules, not packages")
    args = ap.parse_args(argv)
    env = environment(args.db)
    python = sys.executable
    if args.code is not None:
        target = [python, "-c", args.code]
    else:
        target = [python, "-m", "icrctl", *(args.args or ["--help"])]
    print(f"A: {' '.join(target[1:])}")
    a = profile(target, env, args.repeat)
    if args.against is None:
        print(table(a, args.top, modules=args.modules))
        heavy = [h for h in HEAVY if h in a.packages]
        print(f"  imports of {', '.join(HEAVY)}: {', '.join(heavy) or 'none'}")
        return 0
    print(f"B: -c {args.against}")
    b = profile([python, "-c", args.against], env, args.repeat)
    if args.modules:
        print(table(a, args.top, modules=True))
        print(table(b, args.top, modules=True))
    print(compare(a, b, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
