"""Every start-up, scale and import ratio in one run, each against its target; exit 1 on a miss.

    python bench/run.py [--only startup|scale|long|import|memory] [--repeat 15] [--quick] [--seed 1]
                        [--import-cases 1000] [--import-repeat 3] [--rebuild] [--no-explain]

Every command is a fresh Python process (``sys.executable``), run from the repository root with
``ICRCTL_DB`` set, ``ICRCTL_TODAY=2026-11-25``, ``NO_COLOR=1`` and its output thrown away. Each
ratio compares two commands A and B: both are run once untimed (this warms the OS page cache and
writes the ``.pyc`` files), then alternately A, B, A, B, ... ``--repeat`` times; the ratio is
median(A) / median(B) of the wall-clock times. The ratio of the fastest runs and of the median
CPU times (user + sys) is printed beside it: on a busy machine those are the steadier figures.

  startup   ``icrctl --help``   / ``python -c "import typer"``                         <= 1.5x
            ``icrctl status`` (50 cases) / ``python -c "import typer, rich.table,
            sqlalchemy.orm"``                                                            <= 1.3x
  scale     ``case show REF``, ``eval list REF``, ``status --regisseur "A. Jansen"``:
            in the 5,000-case file / in the 50-case file                                 <= 1.5x
  long      ``status``, ``check``, ``week``, ``eval list`` on 50 long-running cases /
            ``python -c "import typer, rich.table, sqlalchemy.orm"``                     <= 1.3x
            ``case show REF`` in 5,000 long-running cases / in 50 of them                <= 1.5x
  import    ``bench/import_bench.py``'s ``run()``: import and re-import of 1,000 cases
            / the floor (``bench/import_floor.py``), best of ``--import-repeat``          <= 1.5x
  memory    ``bench/import_memory.py``'s ``run()``: peak memory of one import process of
            10,000 generated cases, and of 16 MiB of junk, / 1 GB (run first; not --quick) <= 1.0x

The 50-case file holds the very same cases as the 5,000-case file: A. Jansen's 30 and the first
20 others (``generate.py 50 --within 5000``). REF is one of A. Jansen's open cases, the middle
one by size, so each scale ratio compares identical work in a small and in a large file. Both
case files are built once (by ``icrctl import`` of the generated YAML, which takes a minute)
into ``bench/.cache/``, keyed by the generator's source, the seed and the share; each run
copies them into its own temporary folder. The long-running files (``generate.py --long``: cases
opened up to two years ago with weekly or biweekly evaluations since, nearly all recorded) are
built the same way, in parts of 1,000 cases (5,000 of them would make one file larger than an
import reads); that takes a quarter of an hour once.

When a start-up ratio is missed, ``bench/startup.py`` is asked where the time goes (``python -X
importtime``, per top-level package, A against B); ``--no-explain`` skips that.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
TODAY = "2026-11-25"
BIG, SMALL = 5000, 50

sys.path.insert(0, str(HERE))
import generate  # noqa: E402
import import_bench  # noqa: E402
import import_memory  # noqa: E402
import startup  # noqa: E402

# ------------------------------------------------------------------ timing


@dataclass(frozen=True)
class Command:
    label: str
    argv: tuple[str, ...]
    env: dict[str, str]


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


def environment(db: Path) -> dict[str, str]:
    """The user's environment without any ``ICRCTL_*``, then the bench's case file and day."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICRCTL_")}
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({"ICRCTL_DB": str(db), "ICRCTL_TODAY": TODAY, "NO_COLOR": "1"})
    env["ICRCTL_CONFIG_DIR"] = str(CACHE / "config")  # the audit key and anchors: not the user's
    return env


def timed(cmd: Command) -> Timing:
    """One fresh process, output thrown away; its failure is ours."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        cmd.argv,
        env=cmd.env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace")[-3000:]
        raise RuntimeError(f"{cmd.label} failed ({done.returncode}):\n{err}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


@dataclass
class Ratio:
    """A against B, measured alternately; the ratio of the medians must stay within ``target``."""

    name: str
    a: Command
    b: Command
    target: float
    runs_a: list[Timing] = field(default_factory=list)
    runs_b: list[Timing] = field(default_factory=list)

    @staticmethod
    def _median(runs: list[Timing], what: str) -> float:
        return statistics.median(getattr(t, what) for t in runs)

    @staticmethod
    def _min(runs: list[Timing], what: str) -> float:
        return min(getattr(t, what) for t in runs)

    @property
    def value(self) -> float:
        return self._median(self.runs_a, "wall") / self._median(self.runs_b, "wall")

    @property
    def best(self) -> float:
        return self._min(self.runs_a, "wall") / self._min(self.runs_b, "wall")

    @property
    def cpu(self) -> float:
        return self._median(self.runs_a, "cpu") / self._median(self.runs_b, "cpu")

    @property
    def ok(self) -> bool:
        return self.value <= self.target

    def measure(self, repeat: int) -> Ratio:
        timed(self.a)  # warm: page cache, .pyc files, a pending migration
        timed(self.b)
        for _ in range(repeat):
            self.runs_a.append(timed(self.a))
            self.runs_b.append(timed(self.b))
        return self

    def report(self) -> str:
        ma, mb = self._median(self.runs_a, "wall"), self._median(self.runs_b, "wall")
        ca, cb = self._median(self.runs_a, "cpu"), self._median(self.runs_b, "cpu")
        verdict = "ok" if self.ok else "MISSED"
        return (
            f"  {self.name}\n"
            f"      A  {self.a.label}\n"
            f"      B  {self.b.label}\n"
            f"      median {ma * 1000:6.0f} ms / {mb * 1000:6.0f} ms = {self.value:5.2f}x"
            f"  (target <= {self.target}x)  {verdict}\n"
            f"      min    {self._min(self.runs_a, 'wall') * 1000:6.0f} ms / "
            f"{self._min(self.runs_b, 'wall') * 1000:6.0f} ms = {self.best:5.2f}x;"
            f"  cpu {ca * 1000:.0f} ms / {cb * 1000:.0f} ms = {self.cpu:.2f}x"
        )


# ------------------------------------------------------------------ the case files


@dataclass(frozen=True)
class CaseFiles:
    small: Path
    big: Path
    ref: str
    mine: int  # A. Jansen's cases (open and closed) in each file


def _key(seed: int, share: int, long: bool = False) -> str:
    return f"{'long-' if long else ''}s{seed}-j{share}-{_generator_digest()}"


def _generator_digest() -> str:
    """A hash of what ``generate.py`` does: its code without docstrings and comments, which
    change nothing it generates (and rebuilding the long-running files takes a while)."""
    tree = ast.parse((HERE / "generate.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            kept = [n for n in body if not _is_text(n)]
            node.body = kept or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()[:12]


def _is_text(node: ast.AST) -> bool:
    """A bare string: a docstring, or the docstring of the assignment before it."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _typical(doc: dict, person: str) -> str:
    """A. Jansen's open case in the middle by size (members, partners, meetings, contacts ...)."""

    def size(c: dict) -> int:
        parts = ("members", "partners", "meetings", "contacts", "goals", "history", "stages")
        return sum(len(c.get(k) or ()) for k in parts)

    mine = sorted(
        (size(c), c["ref"]) for c in doc["cases"] if c["regisseur"] == person and "closed" not in c
    )
    return mine[len(mine) // 2][1]


def _import(python: str, data: Sequence[Path], db: Path) -> None:
    """``icrctl import`` of each file in turn into a new case file in a folder of its own, then
    move it to ``db``."""
    work = Path(tempfile.mkdtemp(prefix="build-", dir=db.parent))
    try:
        target = work / "case.db"
        env = environment(target)
        for part in data:
            argv = [python, "-m", "icrctl", "import", str(part)]
            subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        con = sqlite3.connect(target, isolation_level=None)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
        os.replace(target, db)
    finally:
        shutil.rmtree(work, ignore_errors=True)


PART = 1000
"""Cases per import file when a caseload is built: 5,000 long-running cases would make one file
larger than ``icrctl import`` reads (64 MiB)."""


def _write_parts(doc: dict, stem: str) -> list[Path]:
    """The caseload as import files of at most :data:`PART` cases, in ``CACHE``."""
    paths = []
    for i, part in enumerate(generate.parts(doc, PART)):
        data = CACHE / f"{stem}-{i + 1}.yaml"
        tmp = data.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(generate.dump(part), encoding="utf-8")
        os.replace(tmp, data)
        paths.append(data)
    return paths


def case_files(
    seed: int = 1,
    share: int = 30,
    rebuild: bool = False,
    python: str = sys.executable,
    long: bool = False,
) -> CaseFiles:
    """The 50- and 5,000-case files in ``bench/.cache`` (built once), and REF; ``long``: of
    long-running cases (``generate.py --long``)."""
    CACHE.mkdir(mode=0o700, exist_ok=True)
    key = _key(seed, share, long)
    meta_path = CACHE / f"meta-{key}.json"
    big_db, small_db = CACHE / f"caseload-{BIG}-{key}.db", CACHE / f"caseload-{SMALL}-{key}.db"
    if rebuild or not (meta_path.exists() and big_db.exists() and small_db.exists()):
        t0 = time.perf_counter()
        kind = "long-running " if long else ""
        log(f"building the {kind}case files in {CACHE} (once; {BIG:,} cases take a while)")
        big = generate.caseload(BIG, seed, share, long)
        small = generate.within(big, SMALL)
        ref = _typical(big, generate.PERSONAL)
        assert any(c["ref"] == ref for c in small["cases"])
        mine = sum(c["regisseur"] == generate.PERSONAL for c in small["cases"])
        for n, doc, db in ((SMALL, small, small_db), (BIG, big, big_db)):
            data = _write_parts(doc, f"caseload-{n}-{key}")
            t1 = time.perf_counter()
            _import(python, data, db)
            log(f"  {db.name}: {n:,} cases imported in {time.perf_counter() - t1:.0f} s")
        meta = {"seed": seed, "share": share, "ref": ref, "mine": mine}
        tmp = meta_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        os.replace(tmp, meta_path)
        log(f"  built in {time.perf_counter() - t0:.0f} s")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return CaseFiles(small_db, big_db, meta["ref"], meta["mine"])


def copies(files: CaseFiles, work: Path) -> CaseFiles:
    """Private copies for this run: the cache stays as built, whatever a command writes."""
    out = []
    for db in (files.small, files.big):
        folder = work / db.stem
        folder.mkdir(mode=0o700)
        out.append(Path(shutil.copy2(db, folder / "case.db")))
    return CaseFiles(out[0], out[1], files.ref, files.mine)


# ------------------------------------------------------------------ the ratios


def icrctl(python: str, db: Path, *args: str) -> Command:
    shown = " ".join(f'"{a}"' if " " in a else a for a in args)
    return Command(f"icrctl {shown}", (python, "-m", "icrctl", *args), environment(db))


def code(python: str, db: Path, text: str) -> Command:
    return Command(f'python -c "{text}"', (python, "-c", text), environment(db))


def startup_ratios(python: str, files: CaseFiles) -> list[Ratio]:
    small = files.small
    help_ = icrctl(python, small, "--help")
    status = icrctl(python, small, "status")
    status = Command(f"{status.label}  ({SMALL} cases)", status.argv, status.env)
    return [
        Ratio("help", help_, code(python, small, "import typer"), 1.5),
        Ratio("status", status, code(python, small, FLOOR), 1.3),
    ]


def scale_ratios(python: str, files: CaseFiles) -> list[Ratio]:
    out = []
    for name, args in (
        ("case show", ("case", "show", files.ref)),
        ("eval list", ("eval", "list", files.ref)),
        ("status --regisseur", ("status", "--regisseur", generate.PERSONAL)),
    ):
        a, b = icrctl(python, files.big, *args), icrctl(python, files.small, *args)
        a = Command(f"{a.label}  ({BIG:,} cases)", a.argv, a.env)
        b = Command(f"{b.label}  ({SMALL} cases)", b.argv, b.env)
        out.append(Ratio(name, a, b, 1.5))
    return out


FLOOR = "import typer, rich.table, sqlalchemy.orm"
"""The imports no real command can avoid: the floor of the start-up and long-running ratios."""


def long_ratios(python: str, files: CaseFiles) -> list[Ratio]:
    """The caseload commands on 50 long-running cases against the floor; one such case's view
    in 5,000 of them against the same in 50."""
    small, big = files.small, files.big
    out = []
    for name, args in (
        ("long status", ("status",)),
        ("long check", ("check",)),
        ("long week", ("week",)),
        ("long eval list", ("eval", "list")),
    ):
        a = icrctl(python, small, *args)
        a = Command(f"{a.label}  ({SMALL} long-running cases)", a.argv, a.env)
        out.append(Ratio(name, a, code(python, small, FLOOR), 1.3))
    a, b = (
        icrctl(python, big, "case", "show", files.ref),
        icrctl(python, small, "case", "show", files.ref),
    )
    a = Command(f"{a.label}  ({BIG:,} long-running cases)", a.argv, a.env)
    b = Command(f"{b.label}  ({SMALL} long-running cases)", b.argv, b.env)
    out.append(Ratio("long case show", a, b, 1.5))
    return out


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def explain(ratio: Ratio, repeat: int = 5) -> str:
    """Where a missed start-up ratio's time goes: imports per top-level package, A against B."""
    a = startup.profile(ratio.a.argv, ratio.a.env, repeat, cwd=ROOT)
    b = startup.profile(ratio.b.argv, ratio.b.env, repeat, cwd=ROOT)
    return startup.compare(a, b, top=12, indent="      ")


def sections(
    only: set[str], args: argparse.Namespace, python: str, work: Path
) -> list[tuple[str, list[Ratio]]]:
    """The ratios to measure, by section, on private copies of the cached case files."""
    out: list[tuple[str, list[Ratio]]] = []
    if only & {"startup", "scale"}:
        files = copies(case_files(args.seed, args.share, args.rebuild, python), work)
        if "startup" in only:
            out.append(("start-up", startup_ratios(python, files)))
        if "scale" in only:
            title = f"scale (REF {files.ref}; {generate.PERSONAL}: {files.mine} cases in each)"
            out.append((title, scale_ratios(python, files)))
    if "long" in only:
        files = copies(case_files(args.seed, args.share, args.rebuild, python, long=True), work)
        title = f"long-running cases (REF {files.ref}; {generate.PERSONAL}: {files.mine} in each)"
        out.append((title, long_ratios(python, files)))
    return out


def memory(seed: int) -> list[tuple[str, float, float, bool]]:
    """``bench/import_memory.py``: each import's peak memory as a ratio to 1 GB."""
    print(f"\nimport memory ({import_memory.TARGET_MB} MB at most)")
    found = import_memory.run(seed=seed)
    print(found.report(), flush=True)
    return [
        (name, value, 1.0, value <= 1.0 and not found.problems)
        for name, value in found.ratios.items()
    ]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--only", choices=("startup", "scale", "long", "import", "memory"), action="append"
    )
    ap.add_argument("--repeat", type=int, help="runs of each command (default 15, --quick 5)")
    ap.add_argument("--quick", action="store_true", help="5 runs each and no import bench")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--share", type=int, default=30, help="A. Jansen's cases (default 30)")
    ap.add_argument("--import-cases", type=int, default=1000)
    ap.add_argument("--import-repeat", type=int, default=3)
    ap.add_argument("--rebuild", action="store_true", help="build the cached case files again")
    ap.add_argument("--no-explain", action="store_true", help="no import-time breakdown")
    args = ap.parse_args(argv)
    only = set(args.only or ("startup", "scale", "long", "import", "memory"))
    if args.quick and not args.only:
        only -= {"import", "memory"}
    repeat = args.repeat or (5 if args.quick else 15)
    python = sys.executable

    m = import_bench.machine()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {m['nproc']} x {m['cpu']}, Python {m['python']}, {m['system']}")
    print(f"load average at the start: {load}; {repeat} alternating runs per command", flush=True)

    results: list[tuple[str, float, float, bool]] = []  # name, ratio, target, ok
    missed_startup: list[Ratio] = []
    work = Path(tempfile.mkdtemp(prefix="icrctl-bench-run-"))
    try:
        if "memory" in only:  # first, while this process is small (see import_memory.py)
            results += memory(args.seed)
        for title, ratios in sections(only, args, python, work):
            print(f"\n{title}: median wall-clock time of A / of B")
            for r in ratios:
                log(f"  timing {r.name} ...")
                print(r.measure(repeat).report(), flush=True)
                results.append((r.name, r.value, r.target, r.ok))
                if title == "start-up" and not r.ok:
                    missed_startup.append(r)
        if missed_startup and not args.no_explain:
            print("\nwhere the start-up goes (bench/startup.py: median of 5 runs each, ms)")
            for r in missed_startup:
                print(f"  {r.name}: {r.a.label}  against  {r.b.label}")
                print(explain(r), flush=True)
        if "import" in only:
            print(f"\nimport ({args.import_cases:,} cases; best of {args.import_repeat})")
            res = import_bench.run(args.import_cases, args.import_repeat, args.seed)
            print(res.report(), flush=True)
            for name, value in res.ratios.items():
                ok = value <= import_bench.TARGET
                results.append((name, value, import_bench.TARGET, ok))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nsummary (load average at the end: {load})")
    for name, value, target, ok in results:
        print(f"  {name:20} {value:5.2f}x  <= {target}x  {'ok' if ok else 'MISSED'}")
    missed = [name for name, _, _, ok in results if not ok]
    print(
        f"  {len(results) - len(missed)} of {len(results)} met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
