"""The floor for ``icrctl import``: the same rows, written as fast as Python can write them.

    python bench/import_floor.py FILE DB

DB must be an empty, migrated case file (``python -m icrctl --db DB case list`` makes one).
The file is parsed with libyaml (``CSafeLoader``) and the rows ``icrctl import`` would insert
are written with raw ``sqlite3`` ``executemany`` in one transaction, with the pragmas icrctl
uses (WAL, ``synchronous=NORMAL``, foreign keys on): no validation, no merge, no ORM, ids
assigned here so that every table is one ``executemany``.

It writes every table the import writes: cases, members, member_relations, partners,
case_partners, phase_changes, stage_changes, case_events, checklist_items, evaluation_series,
series_attendees, meetings, attendance, contacts, contact_people, goals, and the audit_log
entries (one per case and one for the directory, hash-chained like icrctl's).

It trusts the file the way ``bench/generate.py`` writes it: canonical English words, every
member and directory partner with a key, case partners by key, and ``series: N`` on each meeting
that is an occurrence of a series (icrctl finds the series by computing occurrences; the floor
does not).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import sqlite3
import sys
from typing import Any
from zoneinfo import ZoneInfo

import yaml

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
GENESIS = "0" * 64
CHECKLIST = {
    "care": (
        "aov",
        "communications",
        "portfolio_holder",
        "mayor",
        "process_coordinator",
        "calamity_meeting_decision",
    ),
    "social": ("aov", "local_triangle", "communications_adviser"),
}
# icrctl's internal table names, as they appear in the audit entries' fields
AUDIT_NAMES = {
    "cases": "cases",
    "members": "members",
    "member_relations": "relations",
    "case_partners": "links",
    "phase_changes": "phases",
    "stage_changes": "stages",
    "case_events": "events",
    "checklist_items": "checklist",
    "evaluation_series": "series",
    "series_attendees": "attendees",
    "meetings": "meetings",
    "attendance": "attendance",
    "contacts": "contacts",
    "contact_people": "contact_people",
    "goals": "goals",
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "partners": ("id", "key", "name", "organisation", "kind", "email", "phone", "reachable"),
    "cases": (
        "id",
        "ref",
        "title",
        "opened",
        "closed",
        "stage",
        "phase",
        "framework",
        "regie",
        "regisseur",
        "referrer",
        "violence",
        "domains",
        "plan_signed",
        "closing_summary",
        "closing_safety",
        "retention_until",
        "created_at",
        "updated_at",
    ),
    "members": ("id", "case_id", "key", "name", "born", "role", "household", "phone", "email"),
    "case_partners": ("case_id", "partner_id", "role", "consent", "coordination"),
    "phase_changes": ("id", "case_id", "date", "phase", "reason", "track", "recorded_at"),
    "stage_changes": ("case_id", "date", "stage", "reason", "recorded_at"),
    "case_events": ("case_id", "date", "kind", "old", "new", "reason", "recorded_at"),
    "evaluation_series": (
        "id",
        "case_id",
        "every",
        "weekday",
        "time",
        "start",
        "until",
        "stopped_from",
        "created_at",
    ),
    "contacts": ("id", "case_id", "date", "kind", "note", "signal", "recorded_at"),
    "goals": (
        "case_id",
        "number",
        "goal",
        "who",
        "what",
        "due",
        "status",
        "status_date",
        "created_at",
    ),
    "member_relations": ("case_id", "from_member_id", "to_member_id", "kind"),
    "series_attendees": ("series_id", "member_id", "partner_id"),
    "meetings": (
        "id",
        "case_id",
        "series_id",
        "date",
        "status",
        "time",
        "moved_to",
        "moved_time",
        "reason",
        "risk",
        "self_reliance",
        "note",
        "recorded_at",
    ),
    "checklist_items": ("case_id", "phase_change_id", "track", "item", "done_at"),
    "contact_people": ("contact_id", "member_id", "partner_id"),
    "attendance": ("meeting_id", "member_id", "partner_id", "presence"),
    "audit_log": (
        "at",
        "user",
        "command",
        "action",
        "ref",
        "entity",
        "fields",
        "prev_hash",
        "hash",
    ),
}
ORDER = tuple(COLUMNS)  # parents before children
WITH_ID = (
    "partners",
    "cases",
    "members",
    "phase_changes",
    "evaluation_series",
    "contacts",
    "meetings",
)


def _d(value: Any) -> str | None:
    """A date as SQLAlchemy stores it on SQLite."""
    return None if value is None else value.isoformat()


def _ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _json(value: Any) -> str:
    return json.dumps(list(value or ()))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _done(value: Any) -> str | None:
    if value is None:
        return None
    local = dt.datetime.fromisoformat(str(value))
    utc = local.replace(tzinfo=AMSTERDAM).astimezone(dt.UTC).replace(tzinfo=None)
    return _ts(utc)


def _today() -> dt.date:
    pinned = os.environ.get("ICRCTL_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.datetime.now(AMSTERDAM).date()


def rows_of(doc: dict[str, Any], next_id: dict[str, int], today: dt.date) -> dict[str, list[tuple]]:
    """Every row to insert, per table, as tuples in ``COLUMNS`` order."""
    now = _ts(dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0))
    out: dict[str, list[tuple]] = {t: [] for t in ORDER}

    def new_id(table: str) -> int:
        next_id[table] += 1
        return next_id[table]

    partner_ids: dict[str, int] = {}
    for p in doc.get("partners") or ():
        pid = new_id("partners")
        partner_ids[p["key"]] = pid
        out["partners"].append(
            (
                pid,
                p["key"],
                p["name"],
                p["organisation"],
                p["kind"],
                p.get("email"),
                p.get("phone"),
                _json(p.get("reachable")),
            )
        )
    touched: list[tuple[str, list[str]]] = []
    for c in doc.get("cases") or ():
        before = {t: len(v) for t, v in out.items()}
        cid = new_id("cases")
        closed = c.get("closed")
        retention = c.get("retention_until") or (_add_years(closed, 20) if closed else None)
        closing = c.get("closing") or {}
        out["cases"].append(
            (
                cid,
                c["ref"],
                c["title"],
                _d(c["opened"]),
                _d(closed),
                c.get("stage", "inventory"),
                c["phase"],
                c.get("framework", "voluntary"),
                c.get("regie", "professional"),
                c.get("regisseur"),
                c.get("referrer"),
                _json(c.get("violence")),
                _json(c.get("domains")),
                _d(c.get("plan_signed")),
                closing.get("summary"),
                closing.get("safety"),
                _d(retention),
                now,
                now,
            )
        )
        people: dict[str, tuple[int | None, int | None]] = {}
        for m in c.get("members") or ():
            mid = new_id("members")
            people[m["key"]] = (mid, None)
            out["members"].append(
                (
                    mid,
                    cid,
                    m["key"],
                    m["name"],
                    _d(m.get("born")),
                    m["role"],
                    int(m.get("household", True)),
                    m.get("phone"),
                    m.get("email"),
                )
            )
        for m in c.get("members") or ():
            source = people[m["key"]][0]
            for rel in m.get("relations") or ():
                out["member_relations"].append((cid, source, people[rel["to"]][0], rel["kind"]))
        for link in c.get("partners") or ():
            pid = partner_ids[link["partner"]]
            people[link["partner"]] = (None, pid)
            out["case_partners"].append(
                (
                    cid,
                    pid,
                    link.get("role"),
                    int(link.get("consent", False)),
                    link.get("coordination"),
                )
            )
        history = c.get("history") or [
            {"date": c["opened"], "phase": c["phase"], "reason": "case opened"}
        ]
        fours: list[tuple[int, str]] = []
        for h in history:
            hid = new_id("phase_changes")
            track = h.get("track")
            if h["phase"] == 4:
                fours.append((hid, track))
            out["phase_changes"].append(
                (hid, cid, _d(h["date"]), h["phase"], h["reason"], track, now)
            )
        stages = c.get("stages")
        if not stages:
            stage = c.get("stage", "inventory")
            stages = [{"date": c["opened"], "stage": "inventory"}]
            if stage == "closed":
                stages.append({"date": closed, "stage": "closed"})
            elif stage != "inventory":
                stages.append({"date": c["opened"], "stage": stage})
        for s in stages:
            out["stage_changes"].append((cid, _d(s["date"]), s["stage"], s.get("reason"), now))
        for e in c.get("events") or ():
            out["case_events"].append(
                (cid, _d(e["date"]), e["kind"], e.get("old"), e.get("new"), e.get("reason"), now)
            )
        listed = c.get("checklist") or ()
        if fours:
            hid, track = fours[-1]
            for item in listed:
                out["checklist_items"].append(
                    (cid, hid, item.get("track") or track, item["item"], _done(item.get("done")))
                )
            for hid, track in fours if not listed else ():
                for code in CHECKLIST[track]:
                    out["checklist_items"].append((cid, hid, track, code, None))
        series_ids = []
        for s in c.get("evaluations") or ():
            sid = new_id("evaluation_series")
            series_ids.append(sid)
            out["evaluation_series"].append(
                (
                    sid,
                    cid,
                    str(s["every"]),
                    s.get("weekday"),
                    s.get("time", "10:00"),
                    _d(s["start"]),
                    _d(s.get("until")),
                    _d(s.get("stopped")),
                    now,
                )
            )
            for key in s.get("with") or ():
                out["series_attendees"].append((sid, *people[key]))
        for mt in c.get("meetings") or ():
            mid = new_id("meetings")
            sid = series_ids[mt["series"]] if "series" in mt else None
            time = mt.get("time")
            out["meetings"].append(
                (
                    mid,
                    cid,
                    sid,
                    _d(mt["date"]),
                    mt["status"],
                    time if sid is None else None,
                    _d(mt.get("to")),
                    time if sid is not None and mt.get("to") else None,
                    mt.get("reason"),
                    mt.get("risk"),
                    mt.get("self_reliance"),
                    mt.get("note"),
                    now,
                )
            )
            for presence in ("attended", "absent", "refused"):
                for key in mt.get(presence) or ():
                    out["attendance"].append((mid, *people[key], presence))
        for ct in c.get("contacts") or ():
            tid = new_id("contacts")
            out["contacts"].append(
                (
                    tid,
                    cid,
                    _d(ct["date"]),
                    ct["kind"],
                    ct["note"],
                    int(ct.get("signal", False)),
                    now,
                )
            )
            for key in ct.get("with") or ():
                out["contact_people"].append((tid, *people[key]))
        for number, g in enumerate(c.get("goals") or (), start=1):
            out["goals"].append(
                (
                    cid,
                    number,
                    g["goal"],
                    g.get("who"),
                    g.get("what"),
                    _d(g.get("due")),
                    g.get("status", "open"),
                    _d(g.get("changed") or today),
                    now,
                )
            )
        tables = [AUDIT_NAMES[t] for t in AUDIT_NAMES if len(out[t]) > before[t]]
        touched.append((c["ref"], tables))
    return out | {"audit_log": _audit(touched, bool(out["partners"]), now)}


def _audit(touched: list[tuple[str, list[str]]], directory: bool, now: str) -> list[tuple]:
    """icrctl's entries: one per case (sorted by ref), one for the directory."""
    user, command = getpass.getuser(), "python -m icrctl import"
    entries = [(ref, "case", [f"create:{t}" for t in tables]) for ref, tables in sorted(touched)]
    if directory:
        entries.append((None, "partner", ["directory"]))
    rows = []
    prev = GENESIS  # the floor writes into an empty case file
    for ref, entity, fields in entries:
        text = ",".join(sorted(set(fields))) or None
        at = now.replace(" ", "T").split(".")[0]
        payload = json.dumps(
            [prev, at, user, command, "import", ref, entity, text],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        digest = hashlib.sha256(payload.encode()).hexdigest()
        rows.append((now, user, command, "import", ref, entity, text, prev, digest))
        prev = digest
    return rows


def write(path: str, db: str) -> dict[str, int]:
    """Import ``path`` into the empty case file ``db``; return the rows written per table."""
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=yaml.CSafeLoader)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        next_id = {
            t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in WITH_ID
        }
        last = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        if last is not None:
            raise SystemExit(f"{db}: not an empty case file (the floor writes into an empty one)")
        rows = rows_of(doc, next_id, _today())
        for table in ORDER:
            if rows[table]:
                names = ", ".join(f'"{c}"' for c in COLUMNS[table])
                marks = ", ".join("?" * len(COLUMNS[table]))
                conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[table])
        conn.execute("COMMIT")
    finally:
        conn.close()
    return {t: len(v) for t, v in rows.items()}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python bench/import_floor.py FILE DB", file=sys.stderr)
        return 2
    counts = write(args[0], args[1])
    print(" ".join(f"{n} {t}" for t, n in counts.items() if n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
