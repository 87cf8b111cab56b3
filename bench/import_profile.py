"""Where ``icrctl import`` spends its time, step by step, without a profiler's overhead.

    python bench/import_profile.py FILE DB

Runs the import in this process (as the command does: one writing transaction, today pinned
to 2026-11-25) and prints the CPU seconds of each step: module imports, YAML events to nodes,
field conversion and checks, loading what the case file holds, planning, writing, the audit
entries, the commit. CPU (process) time, because it is steadier than wall-clock time on a busy
machine and nearly all of an import is CPU. Run it twice on the same DB to see the re-import.
For function-level detail use ``python -m cProfile -s tottime -m icrctl --db DB import FILE``.

It wraps internal functions by name from the outside; a step whose function has been renamed
is simply not shown.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

TODAY = dt.date(2026, 11, 25)


def _wrap(owner: Any, name: str, label: str, acc: Counter[str]) -> None:
    inner = getattr(owner, name, None)
    if inner is None:  # renamed in the code: say so rather than leave a line out unnoticed
        raise SystemExit(f"import_profile: {owner.__name__}.{name} no longer exists; update me")

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            acc[label] += time.process_time() - start

    setattr(owner, name, timed)


def profile(path: str, db: str, out: Callable[[str], None] = print) -> Counter[str]:
    begin = time.process_time()
    from icrctl.db.engine import CaseFile
    from icrctl.io import importfile
    from icrctl.services import audit, importer
    from icrctl.services.context import Context

    acc: Counter[str] = Counter()
    acc["imports (sqlalchemy, icrctl)"] = time.process_time() - begin
    _wrap(importfile, "read_yaml", "  yaml: libyaml events -> nodes", acc)
    _wrap(importer, "load_existing", "  load what the case file holds", acc)
    _wrap(importer, "plan_case", "  plan the cases", acc)
    _wrap(importer, "write", "  write (Core inserts/updates)", acc)
    _wrap(audit, "record", "  audit entries", acc)
    start = time.process_time()
    with open(path, encoding="utf-8") as stream:
        doc = importfile.read_import(stream, path, TODAY)
    acc["read and check the file"] = time.process_time() - start
    acc["  fields: convert and check"] = (
        acc["read and check the file"] - acc["  yaml: libyaml events -> nodes"]
    )
    start = time.process_time()
    case_file = CaseFile(db)
    acc["open the case file"] = time.process_time() - start
    start = time.process_time()
    with case_file.write() as session:
        ctx = Context(today=TODAY, command="python -m icrctl import")
        result = importer.import_records(session, ctx, doc, path)
        committing = time.process_time()
    acc["  commit"] = time.process_time() - committing
    acc["import into the case file"] = time.process_time() - start
    total = time.process_time() - begin
    order = [
        "imports (sqlalchemy, icrctl)",
        "read and check the file",
        "  yaml: libyaml events -> nodes",
        "  fields: convert and check",
        "open the case file",
        "import into the case file",
        "  load what the case file holds",
        "  plan the cases",
        "  write (Core inserts/updates)",
        "  audit entries",
        "  commit",
    ]
    created = sum(result.created.values())
    updated = sum(result.updated.values())
    out(f"{len(doc.cases)} cases: {created} rows created, {updated} updated")
    for label in order:
        if label in acc:
            out(f"{label:36} {acc[label]:6.2f} s  {acc[label] / total:4.0%}")
    out(f"{'total (in this process)':36} {total:6.2f} s")
    return acc


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python bench/import_profile.py FILE DB", file=sys.stderr)
        return 2
    profile(args[0], args[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
