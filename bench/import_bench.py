"""Import speed, as ratios against the floor, measured side by side in one run.

    python bench/import.py [--cases 1000] [--repeat 3] [--seed 1] [--keep DIR]

(``import`` is a Python keyword, so the code lives here, in ``bench/import_bench.py``, and
``bench/import.py`` only calls :func:`main`.)

Generates a caseload with ``bench/generate.py``, makes one empty migrated case file as a
template (not timed), and then, ``--repeat`` times in turn, times three whole commands, each a
fresh Python process:

  (a) floor     ``python bench/import_floor.py FILE DB`` into a copy of the empty case file
  (b) import    ``python -m icrctl --db DB import FILE`` into another copy
  (c) reimport  the same command again, into the case file from (b): nothing changes

The best wall-clock time of each is kept; the ratios b/a and c/a must be at most 1.5 (
point 7), otherwise the exit status is 1. The CPU time (user + sys) of each command is shown
beside it: on a machine busy with other work it is the steadier of the two.

After the first round the row counts of (a) and (b) are compared table by table (the floor must
write what the import writes), and the re-import must leave them as they are (idempotent).

``run()`` does all of this and returns a :class:`Result`, for ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TODAY = "2026-11-25"
TARGET = 1.5

sys.path.insert(0, str(HERE))
import generate  # noqa: E402


def machine() -> dict[str, str]:
    """What the figures came from: CPUs, CPU model, Python."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def environment() -> dict[str, str]:
    """The pinned day, and nothing of the user's own case file or settings (``--db`` is given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICRCTL_")}
    env["ICRCTL_TODAY"] = TODAY
    env["ICRCTL_CONFIG_DIR"] = str(HERE / ".cache" / "config")  # the audit key: not the user's
    return env


@dataclass(frozen=True)
class Timing:
    """One command: wall-clock seconds (what the ratios use) and its CPU seconds (user + sys)."""

    wall: float
    cpu: float


def timed(argv: list[str], env: dict[str, str]) -> Timing:
    """Run one command and time it; its failure is ours."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def fresh(template: Path, dest: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, dest)
    dest.chmod(0o600)
    return dest


@dataclass
class Result:
    cases: int
    size: int
    floor: list[Timing] = field(default_factory=list)
    first: list[Timing] = field(default_factory=list)
    again: list[Timing] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def best(self, runs: list[Timing], what: str = "wall") -> float:
        return min(getattr(t, what) for t in runs)

    def ratio(self, runs: list[Timing], what: str = "wall") -> float:
        return self.best(runs, what) / self.best(self.floor, what)

    @property
    def ratios(self) -> dict[str, float]:
        """The checked ratios, on wall-clock time: import/floor and reimport/floor."""
        return {"import": self.ratio(self.first), "reimport": self.ratio(self.again)}

    @property
    def ok(self) -> bool:
        return all(r <= TARGET for r in self.ratios.values())

    def report(self) -> str:
        rows = sum(n for t, n in self.rows.items() if t != "audit_log")
        lines = [
            f"import of {self.cases} generated cases ({self.size / 1e6:.1f} MB, {rows:,} rows "
            f"+ {self.rows.get('audit_log', 0)} audit entries), best of {len(self.floor)}",
            f"  {'':14}{'wall':>8}  {'ratio':>6}  {'target':>7}        {'cpu':>8}  {'ratio':>6}",
        ]
        for label, runs in (
            ("(a) floor", self.floor),
            ("(b) import", self.first),
            ("(c) reimport", self.again),
        ):
            wall, cpu = self.best(runs), self.best(runs, "cpu")
            if runs is self.floor:
                check = f"{'':7}  {'':6}"
            else:
                r = self.ratio(runs)
                check = f"<= {TARGET}x  {'ok' if r <= TARGET else 'MISSED':6}"
            lines.append(
                f"  {label:14}{wall:7.2f}s  {self.ratio(runs):5.2f}x  {check}"
                f"{cpu:7.2f}s  {self.ratio(runs, 'cpu'):5.2f}x"
            )
        lines.append(
            "  every run (wall s): "
            + "; ".join(
                f"{name} {' '.join(f'{t.wall:.2f}' for t in runs)}"
                for name, runs in (("a", self.floor), ("b", self.first), ("c", self.again))
            )
        )
        return "\n".join(lines)


def run(
    cases: int = 1000,
    repeat: int = 3,
    seed: int = 1,
    workdir: Path | None = None,
    python: str = sys.executable,
    log: bool = True,
) -> Result:
    """Generate, then time floor / import / re-import side by side; see the module docstring."""
    own = workdir is None
    work = Path(tempfile.mkdtemp(prefix="icrctl-bench-import-")) if own else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    try:
        env = environment()
        data = work / f"caseload-{cases}.yaml"
        generate.write(cases, str(data), seed)
        template = work / "empty.db"
        if not template.exists():
            subprocess.run(
                [python, "-m", "icrctl", "--db", str(template), "case", "list"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        result = Result(cases, data.stat().st_size)
        floor_db, import_db = work / "floor.db", work / "import.db"
        for i in range(repeat):
            fresh(template, floor_db)
            fresh(template, import_db)
            a = timed([python, str(HERE / "import_floor.py"), str(data), str(floor_db)], env)
            b = timed([python, "-m", "icrctl", "--db", str(import_db), "import", str(data)], env)
            if i == 0:
                have, want = counts(floor_db), counts(import_db)
                if have != want:
                    diff = {t: (have.get(t), want.get(t)) for t in want if have.get(t) != want[t]}
                    raise RuntimeError(f"floor and import wrote different rows: {diff}")
                result.rows = want
            c = timed([python, "-m", "icrctl", "--db", str(import_db), "import", str(data)], env)
            if i == 0 and counts(import_db) != result.rows:
                raise RuntimeError("the re-import changed the case file: it is not idempotent")
            result.floor.append(a)
            result.first.append(b)
            result.again.append(c)
            if log:
                print(
                    f"  round {i + 1}: a {a.wall:.2f} s, b {b.wall:.2f} s, c {c.wall:.2f} s",
                    file=sys.stderr,
                )
        return result
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep its files")
    args = ap.parse_args(argv)
    m = machine()
    print(f"machine: {m['nproc']} x {m['cpu']}, Python {m['python']}, {m['system']}", flush=True)
    result = run(args.cases, args.repeat, args.seed, args.keep)
    print(result.report())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
