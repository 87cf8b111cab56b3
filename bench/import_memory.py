"""Peak memory of an import, against 1 GB, each import a fresh process.

    python bench/import_memory.py [--cases 10000] [--seed 1] [--junk-mib 16]

Three imports, each ``python -m icrctl --db DB import FILE`` into a new case file in a folder of
its own; the peak resident set size of that one process is what the operating system reports for
it when it ends (``ru_maxrss`` from ``os.wait4``):

  valid     a generated caseload of ``--cases`` cases (``bench/generate.py``; 10,000 cases are
            about 43 MB and 4.6 million values), imported: it must succeed
  list      ``--junk-mib`` MiB of one long list (``cases:`` and then ``- 1`` on every line, about
            4 million entries): refused, with the first 50 errors and "... and N more"
  mappings  the same size of one long list of small mappings (``- {a: []}``, the most memory per
            value the reader has to hold): refused at the reader's limit of values

Each peak must stay at or below 1 GB (``TARGET_MB``). The caseload is generated once into
``bench/.cache/`` (keyed by a hash of ``generate.py``, the size and the seed), by ``generate.py``
in a process of its own: generating 10,000 cases takes about a minute, importing them two to
three.

Linux counts in a child's ``ru_maxrss`` the memory its parent held when it started it (the
copy of the parent that the child is until it runs Python): this bench keeps itself small, and
prints its own size beside the figures (``bench/run.py`` runs it before it builds anything).

``run()`` does all of this and returns a :class:`Result` for ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
TODAY = "2026-11-25"
TARGET_MB = 1024


@dataclass(frozen=True)
class Peak:
    """One import: its peak resident set size, wall-clock seconds, exit status, last words."""

    name: str
    what: str
    mb: float
    wall: float
    status: int
    tail: str

    @property
    def ratio(self) -> float:
        return self.mb / TARGET_MB


@dataclass
class Result:
    peaks: list[Peak] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    parent_mb: float = 0.0

    @property
    def ratios(self) -> dict[str, float]:
        return {f"memory {p.name}": p.ratio for p in self.peaks}

    @property
    def ok(self) -> bool:
        return not self.problems and all(p.mb <= TARGET_MB for p in self.peaks)

    def report(self) -> str:
        lines = [
            f"peak resident memory of one import process (target <= {TARGET_MB} MB; this "
            f"bench held {self.parent_mb:.0f} MB when it started them)"
        ]
        for p in self.peaks:
            verdict = "ok" if p.mb <= TARGET_MB else "MISSED"
            lines.append(
                f"  {p.name:9} {p.mb:7.0f} MB = {p.ratio:4.2f} x {TARGET_MB} MB  {verdict:6}"
                f"  {p.wall:6.1f} s  exit {p.status}  {p.what}"
            )
            lines.append(f"  {'':9} {p.tail}")
        lines += [f"  PROBLEM: {problem}" for problem in self.problems]
        return "\n".join(lines)


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICRCTL_")}
    env.update({"ICRCTL_TODAY": TODAY, "NO_COLOR": "1"})
    env["ICRCTL_CONFIG_DIR"] = str(CACHE / "config")  # the audit key and anchors: not the user's
    return env


def own_mb() -> float:
    """This process's resident memory now: what a child it starts is counted as holding."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def peak(name: str, what: str, data: Path, work: Path) -> Peak:
    """Import ``data`` into a new case file in a fresh process; its peak memory and time."""
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=work))
    argv = [sys.executable, "-m", "icrctl", "--db", str(folder / "case.db"), "import", str(data)]
    errors = folder / "stderr.txt"
    start = time.perf_counter()
    with open(errors, "wb") as err:
        child = subprocess.Popen(
            argv, env=environment(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)  # macOS counts bytes
    said = errors.read_text(encoding="utf-8", errors="replace").splitlines()
    tail = said[-1] if said else "(nothing on stderr)"
    return Peak(name, what, kb / 1024, wall, child.returncode, tail[:100])


def caseload(cases: int, seed: int) -> Path:
    """The generated caseload of ``cases`` cases, made once into ``bench/.cache``."""
    CACHE.mkdir(mode=0o700, exist_ok=True)
    digest = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:12]
    path = CACHE / f"memory-{cases}-s{seed}-{digest}.yaml"
    if not path.exists():
        print(f"generating {cases:,} cases into {path} (once)", file=sys.stderr, flush=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        argv = [sys.executable, str(HERE / "generate.py"), str(cases), "--out", str(tmp)]
        subprocess.run([*argv, "--seed", str(seed)], cwd=ROOT, check=True)
        os.replace(tmp, path)
    return path


def junk(path: Path, mib: int, entry: str) -> Path:
    """``version: 1``, ``cases:``, then ``entry`` again and again up to ``mib`` MiB."""
    head = "version: 1\ncases:\n"
    count = (mib * 2**20 - len(head)) // len(entry)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head)
        for _ in range(count // 10_000):
            f.write(entry * 10_000)
        f.write(entry * (count % 10_000))
    return path


def run(cases: int = 10_000, seed: int = 1, junk_mib: int = 16) -> Result:
    """The three imports (see the module's description), one after the other."""
    result = Result()
    work = Path(tempfile.mkdtemp(prefix="icrctl-bench-memory-"))
    try:
        valid = caseload(cases, seed)
        size = valid.stat().st_size / 1e6
        imports = [
            ("valid", f"{cases:,} generated cases ({size:.0f} MB)", valid, 0),
            ("list", f"{junk_mib} MiB of '- 1'", junk(work / "list.yaml", junk_mib, "- 1\n"), 1),
            (
                "mappings",
                f"{junk_mib} MiB of '- {{a: []}}'",
                junk(work / "maps.yaml", junk_mib, "- {a: []}\n"),
                1,
            ),
        ]
        for name, what, data, expected in imports:
            print(f"  importing: {name} ...", file=sys.stderr, flush=True)
            result.parent_mb = max(result.parent_mb, own_mb())
            found = peak(name, what, data, work)
            result.peaks.append(found)
            if found.status != expected:
                result.problems.append(f"{name}: exit {found.status}, expected {expected}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--junk-mib", type=int, default=16)
    args = ap.parse_args(argv)
    result = run(args.cases, args.seed, args.junk_mib)
    print(result.report())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
