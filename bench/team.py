"""Team mode on PostgreSQL: does row-level security keep a practitioner's view fast as the team's
database grows, and how many writes a second do ten practitioners get in together?

    python bench/team.py [--server ADMIN_URL] [--big 5000] [--small 50] [--repeat 9] [--seed 1]

- ``status`` as a practitioner who directs about 30 cases, in a team database of ``--big`` cases
  against the same on ``--small`` (the very same 30 cases, ``generate.within``): the ratio of the
  medians must stay within 1.5.
- ten practitioners, each a process per write (``log add`` on their own case), twenty writes
  each, all at once: writes per second, and every write present afterwards.

The server is ``--server`` or ``$ICRCTL_TEST_POSTGRES`` (an admin URL such as ``.ci/postgres
start DIR`` prints); without one the bench says so and exits 0. Each run makes its own databases
and roles and drops them at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"
TARGET = 1.5
WRITERS = 10
WRITES_EACH = 20


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Server:
    def __init__(self, admin: str) -> None:
        from sqlalchemy.engine import make_url

        self.admin = make_url(admin)
        self.suffix = secrets.token_hex(3)
        self.databases: list[str] = []
        self.roles: list[str] = []

    def url(self, database: str, role: str | None = None) -> str:
        url = self.admin.set(database=database)
        if role is not None:
            url = url.set(username=role)
        return str(url.render_as_string(hide_password=False))

    def sql(self, database: str, statement: str, role: str | None = None) -> list[Any]:
        import psycopg

        args: dict[str, Any] = {"dbname": database, "user": role or self.admin.username}
        host = self.admin.query.get("host") or self.admin.host
        if host:
            args["host"] = host
        if self.admin.port:
            args["port"] = self.admin.port
        if self.admin.password and role is None:
            args["password"] = self.admin.password
        with psycopg.connect(**args, autocommit=True) as conn:
            cur = conn.execute(statement)
            return cur.fetchall() if cur.description else []

    def icrctl(
        self, database: str, role: str | None, *args: str
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ICRCTL_")}
        env.update({"ICRCTL_DB": self.url(database, role), "ICRCTL_TODAY": TODAY, "NO_COLOR": "1"})
        return subprocess.run(
            [sys.executable, "-m", "icrctl", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

    def ok(self, database: str, role: str | None, *args: str) -> str:
        done = self.icrctl(database, role, *args)
        if done.returncode != 0:
            raise RuntimeError(f"icrctl {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def team(self, name: str) -> str:
        database = f"icrctl_bench_{name}_{self.suffix}"
        self.sql(self.admin.database or "postgres", f'CREATE DATABASE "{database}"')
        self.databases.append(database)
        self.ok(database, None, "team", "init")
        return database

    def role(self, database: str, name: str) -> str:
        role = f"{name}_{self.suffix}"
        if role not in self.roles:
            self.roles.append(role)
        self.ok(database, None, "team", "add", role)
        return role

    def drop(self) -> None:
        for database in self.databases:
            self.sql(self.admin.database or "postgres", f'DROP DATABASE "{database}" WITH (FORCE)')
        for role in self.roles:
            self.sql(self.admin.database or "postgres", f'DROP ROLE IF EXISTS "{role}"')


def build(server: Server, name: str, doc: dict[str, Any], work: Path) -> tuple[str, str]:
    """A team database holding ``doc``: A. Jansen's cases owned by the bench's practitioner, the
    others by a colleague. Returns the database and the practitioner's role."""
    t0 = time.perf_counter()
    database = server.team(name)
    me, other = server.role(database, "me"), server.role(database, "colleague")
    for i, part in enumerate(generate.parts(doc, 1000)):
        path = work / f"{name}-{i}.yaml"
        path.write_text(generate.dump(part), encoding="utf-8")
        server.ok(database, None, "import", str(path))
    server.sql(database, f"UPDATE cases SET owner = '{other}'")
    server.sql(database, f"UPDATE cases SET owner = '{me}' WHERE regisseur = '{generate.PERSONAL}'")
    server.sql(database, "ANALYZE")
    log(f"  {name}: {len(doc['cases']):,} cases in {time.perf_counter() - t0:.0f} s")
    return database, me


def status_ratio(server: Server, small: tuple[str, str], big: tuple[str, str], repeat: int) -> bool:
    runs: dict[str, list[float]] = {"small": [], "big": []}
    for _ in range(repeat):
        for label, (database, role) in (("small", small), ("big", big)):
            t0 = time.perf_counter()
            server.ok(database, role, "status")
            runs[label].append(time.perf_counter() - t0)
    a, b = statistics.median(runs["big"]), statistics.median(runs["small"])
    ratio = a / b
    good = ratio <= TARGET
    print(
        f"status as a practitioner, big/small: {a * 1000:.0f} ms / {b * 1000:.0f} ms = "
        f"{ratio:.2f} (target <= {TARGET}) {'ok' if good else 'OVER'}"
    )
    return good


def throughput(server: Server) -> bool:
    database = server.team("writes")
    roles = [server.role(database, f"w{n}") for n in range(WRITERS)]
    for n, role in enumerate(roles):
        server.ok(database, role, "case", "create", f"W-{n}", "--title", "Bench")

    def writer(n: int) -> int:
        failed = 0
        for i in range(WRITES_EACH):
            done = server.icrctl(
                database, roles[n], "log", "add", f"W-{n}", f"w{i}", "--kind", "phone"
            )
            failed += done.returncode != 0 or "Traceback" in done.stderr
        return failed

    t0 = time.perf_counter()
    with ThreadPoolExecutor(WRITERS) as pool:
        failed = sum(pool.map(writer, range(WRITERS)))
    wall = time.perf_counter() - t0
    count = server.sql(database, "SELECT count(*) FROM contacts")[0][0]
    total = WRITERS * WRITES_EACH
    print(
        f"{WRITERS} practitioners x {WRITES_EACH} writes: {total / wall:.1f} writes/s "
        f"({wall:.1f} s), {count}/{total} present, {failed} failed"
    )
    return failed == 0 and count == total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", default=os.environ.get("ICRCTL_TEST_POSTGRES", ""))
    ap.add_argument("--big", type=int, default=5000)
    ap.add_argument("--small", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if not args.server:
        print("bench/team.py: skipped, no PostgreSQL server (--server or $ICRCTL_TEST_POSTGRES)")
        return 0
    server = Server(args.server)
    try:
        with tempfile.TemporaryDirectory() as work:
            log(f"building team databases of {args.small:,} and {args.big:,} cases")
            big_doc = generate.caseload(args.big, args.seed, 30, False)
            small_doc = generate.within(big_doc, args.small)
            small = build(server, "small", small_doc, Path(work))
            big = build(server, "big", big_doc, Path(work))
        good = status_ratio(server, small, big, args.repeat)
        good = throughput(server) and good
    finally:
        server.drop()
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
