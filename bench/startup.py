"""Where a command's start-up goes: ``python -X importtime``, summed per top-level package.

    python bench/startup.py [--repeat 5] [--db DB] [--top 15] [--against CODE] [--modules]
                            -- ICRCTL-ARGS...
    python bench/startup.py --code "import typer, rich.table, sqlalchemy.orm"

Runs the command ``--repeat`` times as a fresh process with ``-X importtime`` (from the
repository root, ``ICRCTL_TODAY=2026-11-25``, ``NO_COLOR=1``, output thrown away) and prints,
per top-level package (``sqlalchemy``, ``rich``, ``icrctl`` ...), the median of the summed *self*
import times, with the wall-clock time of the whole process and the part not spent importing
(interpreter start-up and shutdown, the command's own work). It then runs the command
alternately as it is and ending in ``os._exit(0)`` (after flushing its output): the difference
is what the interpreter's shutdown costs (clearing modules, collecting garbage). ``--against
CODE`` does all this for ``python -c CODE`` too and prints A beside B, with the difference:
what A costs beyond its floor B. ``--modules`` lists the slowest single modules (self time).

The import figures are inflated by ``-X importtime`` itself (roughly 10-20 %), so use them to
rank and compare, and ``bench/run.py`` for the ratios. It also names the packages that
``--help`` must not import: SQLAlchemy, Alembic, YAML, dateutil, holidays, icalendar,
pydantic.
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

_EXIT = "import os, sys\nsys.stdout.flush()\nsys.stderr.flush()\nos._exit(0)\n"
_MODULE = """import runpy, sys
sys.argv[0] = {name!r}
try:
    runpy.run_module({name!r}, run_name="__main__", alter_sys=True)
except SystemExit as exc:
    if exc.code not in (None, 0):
        raise
"""


@dataclass
class Profile:
    """Median milliseconds per package (or module) over several runs, and of the whole run."""

    packages: dict[str, float] = field(default_factory=dict)
    modules: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0  # the whole process under -X importtime
    imports: float = 0.0  # the sum of all self times
    plain: float = 0.0  # the whole process without -X importtime
    no_shutdown: float = 0.0  # the same, ending in os._exit(): no interpreter shutdown

    @property
    def rest(self) -> float:
        return self.wall - self.imports

    @property
    def shutdown(self) -> float:
        return self.plain - self.no_shutdown


def _parse(stderr: str) -> dict[str, float]:
    """Self time in ms per module from ``-X importtime`` output."""
    out: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3:
            continue
        name = parts[2].strip()
        out[name] = out.get(name, 0.0) + int(parts[0]) / 1000
    return out


def without_shutdown(argv: Sequence[str]) -> list[str]:
    """The same command ending in ``os._exit(0)``: what it costs without interpreter shutdown."""
    python, *rest = argv
    if rest[:1] == ["-c"]:
        return [python, "-c", f"{rest[1]}\n{_EXIT}", *rest[2:]]
    if rest[:1] == ["-m"]:
        return [python, "-c", _MODULE.format(name=rest[1]) + _EXIT, *rest[2:]]
    raise ValueError(f"neither python -c nor python -m: {argv}")


def _run(cmd: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """Wall-clock ms and standard error of one fresh process; its failure is ours."""
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
        tail = "\n".join(x for x in done.stderr.splitlines() if not x.startswith("import time:"))
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{tail[-2000:]}")
    return wall, done.stderr


def profile(argv: Sequence[str], env: dict[str, str], repeat: int = 5, cwd: Path = ROOT) -> Profile:
    """``argv`` (``[python, -m|-c, ...]``) under ``-X importtime``, ``repeat`` times after a
    warm-up; then alternately as it is and without interpreter shutdown."""
    cmd = [argv[0], "-X", "importtime", *argv[1:]]
    runs: list[dict[str, float]] = []
    walls: list[float] = []
    for i in range(repeat + 1):
        wall, stderr = _run(cmd, env, cwd)
        if i:  # the first run only warms
            runs.append(_parse(stderr))
            walls.append(wall)
    quick = without_shutdown(argv)
    _run(quick, env, cwd)
    plain: list[float] = []
    no_shutdown: list[float] = []
    for _ in range(repeat):
        plain.append(_run(argv, env, cwd)[0])
        no_shutdown.append(_run(quick, env, cwd)[0])
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
        plain=statistics.median(plain),
        no_shutdown=statistics.median(no_shutdown),
    )


def table(p: Profile, top: int = 15, indent: str = "  ", modules: bool = False) -> str:
    items = p.modules if modules else p.packages
    lines = [
        f"{indent}whole process {p.plain:.0f} ms, of which shutting down {p.shutdown:.0f} ms",
        f"{indent}under -X importtime {p.wall:.0f} ms: imports {p.imports:.0f} ms, the rest "
        f"{p.rest:.0f} ms (interpreter start-up and shutdown, the command's own work)",
    ]
    for name, ms in sorted(items.items(), key=lambda kv: -kv[1])[:top]:
        extra = "" if modules else f"  ({p.counts[name]} modules)"
        lines.append(f"{indent}  {name:40} {ms:7.1f} ms{extra}")
    return "\n".join(lines)


def compare(a: Profile, b: Profile, top: int = 15, indent: str = "  ") -> str:
    """A against B: what A costs beyond its floor, the largest differences first."""

    def row(label: str, x: float, y: float) -> str:
        return f"{indent}{label:32} {x:7.0f} {y:7.0f} {x - y:+7.0f}"

    lines = [
        f"{indent}{'(median ms)':32} {'A':>7} {'B':>7} {'A-B':>7}",
        row("whole process", a.plain, b.plain),
        row("  without shutdown (os._exit)", a.no_shutdown, b.no_shutdown),
        row("  interpreter shutdown", a.shutdown, b.shutdown),
        row("under -X importtime", a.wall, b.wall),
        row("  imports (sum of self times)", a.imports, b.imports),
        row("  the rest", a.rest, b.rest),
        f"{indent}imports per top-level package (self ms; modules in A):",
    ]
    names = set(a.packages) | set(b.packages)
    diff = {n: a.packages.get(n, 0.0) - b.packages.get(n, 0.0) for n in names}
    for n in sorted(names, key=lambda n: -abs(diff[n]))[:top]:
        lines.append(
            f"{indent}  {n:30} {a.packages.get(n, 0.0):7.1f} {b.packages.get(n, 0.0):7.1f} "
            f"{diff[n]:+7.1f}  ({a.counts.get(n, 0)})"
        )
    heavy = [h for h in HEAVY if h in a.packages]
    lines.append(f"{indent}A imports of {', '.join(HEAVY)}: {', '.join(heavy) or 'none'}")
    return "\n".join(lines)


def environment(db: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICRCTL_")}
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.update({"ICRCTL_TODAY": TODAY, "NO_COLOR": "1"})
    env["ICRCTL_CONFIG_DIR"] = str(HERE / ".cache" / "config")  # the audit key: not the user's
    if db:
        env["ICRCTL_DB"] = db
    return env


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("args", nargs="*", help="icrctl's arguments (after --; default --help)")
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
    print(f"A: python {' '.join(target[1:])}")
    a = profile(target, env, args.repeat)
    if args.against is None:
        print(table(a, args.top, modules=args.modules))
        heavy = [h for h in HEAVY if h in a.packages]
        print(f"  imports of {', '.join(HEAVY)}: {', '.join(heavy) or 'none'}")
        return 0
    print(f"B: python -c {args.against!r}")
    b = profile([python, "-c", args.against], env, args.repeat)
    if args.modules:
        print("A:\n" + table(a, args.top, modules=True))
        print("B:\n" + table(b, args.top, modules=True))
    print(compare(a, b, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
