"""Importing the case file format: merge by key, idempotent, all or nothing.

The file is checked first (``io.importfile``); then the case file's current state for the cases
named is loaded in a few bulk queries, the merge is planned row by row (insert, update, or
nothing), checked again against what the database holds, and only then written with Core bulk
inserts, level by level, in the one transaction of the command. Import never deletes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from icrctl.db.rows import CHUNK, TABLES, rows_of_cases, rows_where
from icrctl.domain import regiekaart
from icrctl.domain.dates import parse_time, utc_from_local
from icrctl.domain.recurrence import Rule, occurrences
from icrctl.errors import ImportErrors
from icrctl.io.records import CaseFileRec, CaseRec, MeetingRec, PartnerRec, Where
from icrctl.services import audit
from icrctl.services.cases import OPENING_REASON, RETENTION_YEARS, add_years
from icrctl.services.context import Context, utc_now
from icrctl.services.partners import slug

ORDER = (
    "partners",
    "cases",
    "members",
    "links",
    "phases",
    "stages",
    "events",
    "series",
    "contacts",
    "goals",
    "relations",
    "attendees",
    "meetings",
    "checklist",
    "contact_people",
    "attendance",
)


class New:
    """A row to insert; ``id`` is known once it is written."""

    __slots__ = ("id", "parents", "table", "values")

    def __init__(self, table: str, values: dict[str, Any], parents: dict[str, Ref]) -> None:
        self.table = table
        self.values = values
        self.parents = parents
        self.id: int | None = None


Ref = New | int


def _id(ref: Ref) -> int:
    if isinstance(ref, int):
        return ref
    assert ref.id is not None, f"{ref.table} row written before its parent"
    return ref.id


@dataclass
class ImportResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    cases_created: list[str] = field(default_factory=list)
    cases_updated: list[str] = field(default_factory=list)
    cases_unchanged: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# ------------------------------------------------------------------ what the file meets


@dataclass
class Existing:
    partners_by_key: dict[str, dict[str, Any]]
    partners_by_name: dict[tuple[str, str], dict[str, Any]]
    cases: dict[str, dict[str, Any]]
    by_case: dict[str, dict[int, list[dict[str, Any]]]]
    by_parent: dict[str, dict[int, list[dict[str, Any]]]]
    partner_key_of: dict[int, str] = field(default_factory=dict)


def _load(session: Session, doc: CaseFileRec) -> Existing:
    partners = [dict(r) for r in session.execute(select(TABLES["partners"])).mappings()]
    cases = {r["ref"]: r for r in rows_where(session, "cases", "ref", (c.ref for c in doc.cases))}
    by_case, by_parent = rows_of_cases(session, (r["id"] for r in cases.values()))
    return Existing(
        {p["key"]: p for p in partners},
        {(p["name"], p["organisation"]): p for p in partners},
        cases,
        by_case,
        by_parent,
        {p["id"]: p["key"] for p in partners},
    )


# ------------------------------------------------------------------ planning


class Plan:
    """Every insert and update the file asks for, and every error found against the database."""

    def __init__(self, ctx: Context, name: str, existing: Existing) -> None:
        self.ctx = ctx
        self.name = name
        self.x = existing
        self.now = utc_now()
        self.inserts: dict[str, list[New]] = defaultdict(list)
        self.updates: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        self.errors: list[str] = []
        self.partner_keys: dict[str, Ref] = {}
        self.touched: dict[str, set[str]] = defaultdict(set)
        self.result = ImportResult()
        self.partner_names: dict[tuple[str, str], tuple[str, Ref]] = {}
        self._taken_partner_keys = set(existing.partners_by_key)

    def error(self, at: Where, field_name: str, message: str) -> None:
        path = f"{at.path}.{field_name}" if field_name else at.path
        self.errors.append(f"{self.name}:{at.line}: {path}: {message}")

    def insert(
        self, table: str, values: dict[str, Any], ref: str | None = None, **parents: Ref
    ) -> New:
        row = New(table, values, parents)
        self.inserts[table].append(row)
        self.result.created[table] += 1
        if ref is not None:
            self.touched[ref].add(table)
        return row

    def merge(
        self,
        table: str,
        row: dict[str, Any] | None,
        values: dict[str, Any],
        ref: str | None = None,
        **parents: Ref,
    ) -> Ref:
        """Insert when ``row`` is None; otherwise update the fields that differ."""
        if row is None:
            return self.insert(table, values, ref, **parents)
        changes = {k: v for k, v in values.items() if row.get(k) != v}
        if changes:
            self.updates[table].append((row["id"], changes))
            self.result.updated[table] += 1
            if ref is not None:
                self.touched[ref].add(table)
        return int(row["id"])

    # -------------------------------------------------------------- partners

    def partner(self, rec: PartnerRec) -> tuple[str, Ref]:
        row = None
        if rec.key is not None:
            # A partner with a key is matched by its key only: two keys are two partners, even
            # with the same name and organisation (else the second key would vanish).
            row = self.x.partners_by_key.get(rec.key)
            if rec.key in self.partner_keys:
                return rec.key, self.partner_keys[rec.key]
        else:
            row = self.x.partners_by_name.get((rec.name, rec.organisation))
            if (rec.name, rec.organisation) in self.partner_names:
                return self.partner_names[(rec.name, rec.organisation)]
        key = rec.key or (row["key"] if row else self._new_partner_key(rec.name))
        values = {
            "key": key,
            "name": rec.name,
            "organisation": rec.organisation,
            "kind": rec.kind,
            "email": rec.email,
            "phone": rec.phone,
            "reachable": list(rec.reachable),
        }
        if row is not None and rec.key is None:
            values = {k: v for k, v in values.items() if k != "key"}
        ref = self.merge("partners", row, values)
        self.partner_keys[key] = ref
        self.partner_names[(rec.name, rec.organisation)] = (key, ref)
        return key, ref

    def _new_partner_key(self, name: str) -> str:
        base = slug(name)
        key, n = base, 2
        while key in self._taken_partner_keys:
            key, n = f"{base}-{n}", n + 1
        self._taken_partner_keys.add(key)
        return key

    # -------------------------------------------------------------- a case

    def case(self, c: CaseRec) -> None:
        row = self.x.cases.get(c.ref)
        cid = row["id"] if row else -1
        rows = {t: self.x.by_case[t].get(cid, []) for t in self.x.by_case}
        retention = c.retention_until
        if retention is None and c.closed is not None:
            retention = (row or {}).get("retention_until") or add_years(c.closed, RETENTION_YEARS)
        values = {
            "ref": c.ref,
            "title": c.title,
            "opened": c.opened,
            "closed": c.closed,
            "stage": c.stage,
            "phase": c.phase,
            "framework": c.framework,
            "regie": c.regie,
            "regisseur": c.regisseur,
            "referrer": c.referrer,
            "violence": list(c.violence),
            "domains": list(c.domains),
            "plan_signed": c.plan_signed,
            "closing_summary": c.summary,
            "closing_safety": c.safety,
            "retention_until": retention,
        }
        if row is None:
            values |= {"created_at": self.now, "updated_at": self.now}
            case: Ref = self.insert("cases", values, c.ref)
            self.result.cases_created.append(c.ref)
        else:
            before = self.result.updated["cases"]
            case = self.merge("cases", row, values, c.ref)
            if self.result.updated["cases"] > before:
                self.updates["cases"][-1][1]["updated_at"] = self.now
        members = self._members(c, case, rows)
        people = dict(members)
        people.update(self._links(c, case, rows))
        phase_refs = self._phases(c, case, rows, row)
        self._stages(c, case, rows, row)
        self._events(c, case, rows)
        self._checklist(c, case, rows, phase_refs)
        series = self._series(c, case, rows, people)
        self._meetings(c, case, rows, series, people)
        self._contacts(c, case, rows, people)
        self._goals(c, case, rows)
        if row is not None:
            if self.touched.get(c.ref):
                self.result.cases_updated.append(c.ref)
            else:
                self.result.cases_unchanged += 1

    def _members(
        self, c: CaseRec, case: Ref, rows: dict[str, list[dict[str, Any]]]
    ) -> dict[str, tuple[str, Ref]]:
        by_key = {r["key"]: r for r in rows["members"]}
        by_name = {(r["name"], r["born"]): r for r in rows["members"]}
        taken = set(by_key) | {mm.key for mm in c.members if mm.key}
        out: dict[str, tuple[str, Ref]] = {}
        sources: list[Ref] = []
        n = 1
        for rec in c.members:
            row = by_key.get(rec.key) if rec.key else by_name.get((rec.name, rec.born))
            key = rec.key or (row["key"] if row else None)
            if key is None:
                while f"m{n}" in taken:
                    n += 1
                key = f"m{n}"
                taken.add(key)
            values = {
                "key": key,
                "name": rec.name,
                "born": rec.born,
                "role": rec.role,
                "household": rec.household,
                "phone": rec.phone,
                "email": rec.email,
            }
            out[key] = ("member", self.merge("members", row, values, c.ref, case_id=case))
            sources.append(out[key][1])
        for r in rows["members"]:
            out.setdefault(r["key"], ("member", r["id"]))
        have = {(r["from_member_id"], r["to_member_id"], r["kind"]) for r in rows["relations"]}
        for rec, source in zip(c.members, sources, strict=True):
            for rel in rec.relations:
                target = out.get(rel.to)
                if target is None:
                    continue
                if (
                    isinstance(source, int)
                    and isinstance(target[1], int)
                    and (source, target[1], rel.kind) in have
                ):
                    continue
                self.insert(
                    "relations",
                    {"kind": rel.kind},
                    c.ref,
                    case_id=case,
                    from_member_id=source,
                    to_member_id=target[1],
                )
        return out

    def _links(
        self, c: CaseRec, case: Ref, rows: dict[str, list[dict[str, Any]]]
    ) -> dict[str, tuple[str, Ref]]:
        by_partner = {r["partner_id"]: r for r in rows["links"]}
        out: dict[str, tuple[str, Ref]] = {}
        for link in c.partners:
            if link.inline is not None:
                key, partner = self.partner(link.inline)
            elif link.partner in self.partner_keys:
                key, partner = link.partner, self.partner_keys[link.partner]
            elif link.partner in self.x.partners_by_key:
                key, partner = link.partner, int(self.x.partners_by_key[link.partner]["id"])
                self.partner_keys[link.partner] = partner
            else:
                self.error(
                    link.at,
                    "partner",
                    f"no partner {link.partner!r} in the file's "
                    "partners or in the case file's directory",
                )
                continue
            row = by_partner.get(partner) if isinstance(partner, int) else None
            values = {"role": link.role, "consent": link.consent, "coordination": link.coordination}
            self.merge("links", row, values, c.ref, case_id=case, partner_id=partner)
            out[key] = ("partner", partner)
        for r in rows["links"]:
            known = self.x.partner_key_of.get(r["partner_id"])
            if known is not None:
                out.setdefault(known, ("partner", r["partner_id"]))
        return out

    def _phases(
        self,
        c: CaseRec,
        case: Ref,
        rows: dict[str, list[dict[str, Any]]],
        row: dict[str, Any] | None,
    ) -> list[tuple[dt.date, int, str | None, Ref]]:
        have = _Matcher(rows["phases"], lambda r: (r["date"], r["phase"]))
        wanted = [(h.date, h.phase, h.reason, h.track, h.at) for h in c.history]
        if not wanted:
            if row is None:
                if c.phase == 4:
                    self.error(c.at, "phase", "phase 4 needs a history entry with its track")
                wanted = [(c.opened, c.phase, OPENING_REASON, None, c.at)]
            elif row["phase"] != c.phase:
                wanted = [(self.ctx.today, c.phase, "changed by import", None, c.at)]
        merged = [(r["date"], r["id"], r["phase"], r["track"], r["id"]) for r in rows["phases"]]
        refs: list[tuple[dt.date, int, str | None, Ref]] = []
        for r in rows["phases"]:
            refs.append((r["date"], r["phase"], r["track"], r["id"]))
        for i, (day, phase, reason, track, at) in enumerate(wanted):
            existing = have.get((day, phase))
            values = {"date": day, "phase": phase, "reason": reason, "track": track}
            if existing is None:
                values["recorded_at"] = self.now
            ref = self.merge("phases", existing, values, c.ref, case_id=case)
            if existing is None:
                merged.append((day, 10**9 + i, phase, track, -1))
                refs.append((day, phase, track, ref))
            del at
        last = max(merged, key=lambda t: (t[0], t[1]), default=None)
        if last is not None and last[2] != c.phase:
            self.error(
                c.at,
                "phase",
                f"the case file holds a later phase change ({last[0]}: "
                f"phase {last[2]}) than the file's phase {c.phase}",
            )
        return refs

    def _stages(
        self,
        c: CaseRec,
        case: Ref,
        rows: dict[str, list[dict[str, Any]]],
        row: dict[str, Any] | None,
    ) -> None:
        have = _Matcher(rows["stages"], lambda r: (r["date"], r["stage"]))
        wanted = [(s.date, s.stage, s.reason) for s in c.stages]
        if not wanted:
            if row is None:
                wanted = [(c.opened, "inventory", None)]
                if c.stage == "closed" and c.closed is not None:
                    wanted.append((c.closed, "closed", None))
                elif c.stage != "inventory":
                    wanted.append((c.opened, c.stage, None))
            elif row["stage"] != c.stage:
                day = c.closed if c.stage == "closed" and c.closed else self.ctx.today
                wanted = [(day, c.stage, "changed by import")]
        merged = [(r["date"], r["id"], r["stage"]) for r in rows["stages"]]
        for i, (day, stage, reason) in enumerate(wanted):
            existing = have.get((day, stage))
            values: dict[str, Any] = {"date": day, "stage": stage, "reason": reason}
            if existing is None:
                values["recorded_at"] = self.now
                merged.append((day, 10**9 + i, stage))
            self.merge("stages", existing, values, c.ref, case_id=case)
        last = max(merged, key=lambda t: (t[0], t[1]), default=None)
        if last is not None and last[2] != c.stage:
            self.error(
                c.at,
                "stage",
                f"the case file holds a later stage change ({last[0]}: "
                f"{last[2]}) than the file's stage {c.stage}",
            )

    def _events(self, c: CaseRec, case: Ref, rows: dict[str, list[dict[str, Any]]]) -> None:
        have = _Matcher(rows["events"], lambda r: (r["date"], r["kind"], r["new"]))
        for e in c.events:
            row = have.get((e.date, e.kind, e.new))
            values: dict[str, Any] = {
                "date": e.date,
                "kind": e.kind,
                "old": e.old,
                "new": e.new,
                "reason": e.reason,
            }
            if row is None:
                values["recorded_at"] = self.now
            self.merge("events", row, values, c.ref, case_id=case)

    def _checklist(
        self,
        c: CaseRec,
        case: Ref,
        rows: dict[str, list[dict[str, Any]]],
        phase_refs: list[tuple[dt.date, int, str | None, Ref]],
    ) -> None:
        fours = sorted(((d, t, r) for d, p, t, r in phase_refs if p == 4), key=lambda x: x[0])
        have = {(r["track"], r["item"], r["phase_change_id"]): r for r in rows["checklist"]}
        for item in c.checklist:
            matches = [f for f in fours if item.escalated is None or f[0] == item.escalated]
            if item.track is not None:
                matches = [f for f in matches if f[1] == item.track]
            if not matches:
                self.error(
                    item.at, "item", "no escalation to phase 4 in this case's history to tick off"
                )
                continue
            day, track, ref = matches[-1]
            track = item.track or track
            if track is None or item.item not in {e.code for e in regiekaart.checklist_for(track)}:
                self.error(
                    item.at, "item", f"{item.item!r} is not on the {track} track's checklist"
                )
                continue
            done = _utc(item.done)
            key = (track, item.item, ref if isinstance(ref, int) else None)
            row = have.get(key) if isinstance(ref, int) else None
            self.merge(
                "checklist",
                row,
                {"track": track, "item": item.item, "done_at": done},
                c.ref,
                case_id=case,
                phase_change_id=ref,
            )
            del day
        # a new escalation without listed items gets its full checklist
        listed = {(i.track, i.escalated) for i in c.checklist}
        for day, track, ref in fours:
            if isinstance(ref, int) or track is None:
                continue
            if any((t in (None, track)) and (e in (None, day)) for t, e in listed):
                continue
            for entry in regiekaart.checklist_for(track):
                self.insert(
                    "checklist",
                    {"track": track, "item": entry.code, "done_at": None},
                    c.ref,
                    case_id=case,
                    phase_change_id=ref,
                )

    def _series(
        self,
        c: CaseRec,
        case: Ref,
        rows: dict[str, list[dict[str, Any]]],
        people: dict[str, tuple[str, Ref]],
    ) -> list[tuple[Ref, Rule | None]]:
        have = _Matcher(rows["series"], lambda r: (r["every"], r["weekday"], r["time"], r["start"]))
        out: list[tuple[Ref, Rule | None]] = []
        for s in c.evaluations:
            row = have.get((s.every, s.weekday, s.time, s.start))
            values: dict[str, Any] = {
                "every": s.every,
                "weekday": s.weekday,
                "time": s.time,
                "start": s.start,
                "until": s.until,
                "stopped_from": s.stopped,
            }
            if row is None:
                values["created_at"] = self.now
            ref = self.merge("series", row, values, c.ref, case_id=case)
            present = {
                (a["member_id"], a["partner_id"])
                for a in self.x.by_parent["attendees"].get(_maybe(ref), [])
            }
            for key in s.with_:
                kind, person = people[key]
                pair = (person, None) if kind == "member" else (None, person)
                if isinstance(ref, int) and isinstance(person, int) and pair in present:
                    continue
                self.insert(
                    "attendees",
                    {},
                    c.ref,
                    series_id=ref,
                    **({"member_id": person} if kind == "member" else {"partner_id": person}),
                )
            end = s.until
            if s.stopped is not None:
                stop = s.stopped - dt.timedelta(days=1)
                end = stop if end is None else min(end, stop)
            rule = (
                None
                if end is not None and end < s.start
                else Rule(s.every, s.start, parse_time(s.time), s.weekday, end)
            )
            out.append((ref, rule))
        return out

    def _meetings(
        self,
        c: CaseRec,
        case: Ref,
        rows: dict[str, list[dict[str, Any]]],
        series: list[tuple[Ref, Rule | None]],
        people: dict[str, tuple[str, Ref]],
    ) -> None:
        have = {(r["series_id"], r["date"]): r for r in rows["meetings"]}
        for mt in c.meetings:
            target = self._series_for(c, mt, series)
            if target is False:
                continue
            if target is not None and mt.time is not None and mt.to is None:
                # Would be dropped silently: an occurrence keeps its series' time unless moved.
                self.error(
                    mt.at,
                    "time",
                    "an occurrence of a series has the series' time; "
                    "to change it, move it (to: DATE, time: HH:MM)",
                )
                continue
            values: dict[str, Any] = {
                "date": mt.date,
                "status": mt.status,
                "time": mt.time if target is None else None,
                "moved_to": mt.to,
                "moved_time": mt.time if target is not None and mt.to else None,
                "reason": mt.reason,
                "risk": mt.risk,
                "self_reliance": mt.self_reliance,
                "note": mt.note,
            }
            sid = target if target is not None else None
            row = have.get((sid, mt.date)) if sid is None or isinstance(sid, int) else None
            if row is None:
                values["recorded_at"] = self.now
            ref = self.merge(
                "meetings",
                row,
                values,
                c.ref,
                case_id=case,
                **({"series_id": sid} if sid is not None else {}),
            )
            present = {
                (a["member_id"], a["partner_id"]): a
                for a in self.x.by_parent["attendance"].get(_maybe(ref), [])
            }
            for presence in ("attended", "absent", "refused"):
                for key in getattr(mt, presence):
                    kind, person = people[key]
                    who = {"member_id": person} if kind == "member" else {"partner_id": person}
                    pair = (person, None) if kind == "member" else (None, person)
                    existing = present.get(pair) if isinstance(person, int) else None
                    self.merge(
                        "attendance",
                        existing,
                        {"presence": presence},
                        c.ref,
                        meeting_id=ref,
                        **({} if existing else who),
                    )

    def _series_for(
        self, c: CaseRec, mt: MeetingRec, series: list[tuple[Ref, Rule | None]]
    ) -> Ref | bool | None:
        """The series whose occurrence this meeting is; None for an extra one; False: error."""
        if mt.series is not None:
            ref, rule = series[mt.series]
            if rule is None or not occurrences(rule, mt.date, mt.date):
                self.error(
                    mt.at, "date", f"evaluation series {mt.series} has no meeting on {mt.date}"
                )
                return False
            return ref
        found = [ref for ref, rule in series if rule and occurrences(rule, mt.date, mt.date)]
        if len(found) > 1:
            self.error(
                mt.at,
                "series",
                f"{len(found)} series meet on {mt.date}: say which with series: N (counted from 0)",
            )
            return False
        if found:
            return found[0]
        if mt.status != "held":
            self.error(mt.at, "date", f"no evaluation series of this case meets on {mt.date}")
            return False
        return None

    def _contacts(
        self,
        c: CaseRec,
        case: Ref,
        rows: dict[str, list[dict[str, Any]]],
        people: dict[str, tuple[str, Ref]],
    ) -> None:
        have = _Matcher(rows["contacts"], lambda r: (r["date"], r["kind"], r["note"]))
        for ct in c.contacts:
            row = have.get((ct.date, ct.kind, ct.note))
            values: dict[str, Any] = {
                "date": ct.date,
                "kind": ct.kind,
                "note": ct.note,
                "signal": ct.signal,
            }
            if row is None:
                values["recorded_at"] = self.now
            ref = self.merge("contacts", row, values, c.ref, case_id=case)
            present = {
                (a["member_id"], a["partner_id"])
                for a in self.x.by_parent["contact_people"].get(_maybe(ref), [])
            }
            for key in ct.with_:
                kind, person = people[key]
                pair = (person, None) if kind == "member" else (None, person)
                if isinstance(ref, int) and isinstance(person, int) and pair in present:
                    continue
                self.insert(
                    "contact_people",
                    {},
                    c.ref,
                    contact_id=ref,
                    **({"member_id": person} if kind == "member" else {"partner_id": person}),
                )

    def _goals(self, c: CaseRec, case: Ref, rows: dict[str, list[dict[str, Any]]]) -> None:
        have = _Matcher(rows["goals"], lambda r: r["goal"])
        number = max((r["number"] for r in rows["goals"]), default=0)
        for g in c.goals:
            row = have.get(g.goal)
            values: dict[str, Any] = {
                "goal": g.goal,
                "who": g.who,
                "what": g.what,
                "due": g.due,
                "status": g.status,
            }
            if g.changed is not None or row is None:
                values["status_date"] = g.changed or self.ctx.today
            if row is None:
                number += 1
                values |= {"number": number, "created_at": self.now}
            elif row["status"] != g.status and g.changed is None:
                values["status_date"] = self.ctx.today
            self.merge("goals", row, values, c.ref, case_id=case)


class _Matcher:
    """Rows by their matching key; the n-th entry of the file with a key gets the n-th row with
    it (oldest first), so that the same entry twice (two phone calls "geen gehoor" on one day)
    stays two entries, import after import."""

    def __init__(self, rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            self.rows[key(row)].append(row)
        self.seen: Counter[Any] = Counter()

    def get(self, key: Any) -> dict[str, Any] | None:
        n = self.seen[key]
        self.seen[key] += 1
        same = self.rows.get(key, [])
        return same[n] if n < len(same) else None


def _maybe(ref: Ref) -> int:
    return ref if isinstance(ref, int) else -1


def _utc(local: dt.datetime | None) -> dt.datetime | None:
    """A wall-clock time in Amsterdam, as stored: naive UTC."""
    if local is None:
        return None
    return utc_from_local(local)


# ------------------------------------------------------------------ writing


def _write(session: Session, plan: Plan) -> None:
    conn = session.connection()
    for table in ORDER:
        rows = plan.inserts.get(table, [])
        if rows:
            tab = TABLES[table]
            params = [{**r.values, **{k: _id(v) for k, v in r.parents.items()}} for r in rows]
            columns = set().union(*params)
            params = [{c: p.get(c) for c in columns} for p in params]  # executemany: same keys
            needs_id = table not in (
                "relations",
                "attendance",
                "contact_people",
                "attendees",
                "checklist",
                "goals",
                "links",
                "stages",
                "events",
            )
            if needs_id:
                for i in range(0, len(params), CHUNK):
                    chunk = params[i : i + CHUNK]
                    result = conn.execute(
                        insert(tab).returning(tab.c.id, sort_by_parameter_order=True), chunk
                    )
                    for row, (new_id,) in zip(rows[i : i + CHUNK], result, strict=True):
                        row.id = new_id
            else:
                for i in range(0, len(params), CHUNK):
                    conn.execute(insert(tab), params[i : i + CHUNK])
        for names, batch in _by_columns(plan.updates.get(table, [])).items():
            tab = TABLES[table]
            stmt = (
                update(tab)
                .where(tab.c.id == bindparam("_id"))
                .values({c: bindparam(c) for c in names})
            )
            conn.execute(stmt, [{"_id": rid, **changes} for rid, changes in batch])


def _by_columns(
    updates: list[tuple[int, dict[str, Any]]],
) -> dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]]:
    out: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for rid, changes in updates:
        out[tuple(sorted(changes))].append((rid, changes))
    return out


def import_records(
    session: Session,
    ctx: Context,
    doc: CaseFileRec,
    name: str,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    before_write: Callable[[], None] | None = None,
) -> ImportResult:
    """Merge ``doc`` into the case file; nothing is written when any error is found.

    ``before_write`` runs once the merge is planned and found sound, just before the first
    write (the CLI makes its automatic backup there).
    """
    plan = Plan(ctx, name, _load(session, doc))
    # Keys the file gives are taken before any key is made up for a partner without one.
    plan._taken_partner_keys |= {p.key for p in doc.partners if p.key} | {
        link.inline.key for c in doc.cases for link in c.partners if link.inline and link.inline.key
    }
    for p in doc.partners:
        plan.partner(p)
    for c in doc.cases:
        plan.case(c)
        if progress is not None:
            progress(1)
    if plan.errors:
        raise ImportErrors(plan.errors)
    plan.result.dry_run = dry_run
    if dry_run or not plan.result.changed:
        return plan.result
    if before_write is not None:
        before_write()
    _write(session, plan)
    for ref, tables in sorted(plan.touched.items()):
        action = "create" if ref in plan.result.cases_created else "update"
        audit.record(session, ctx, "import", "case", ref, [f"{action}:{t}" for t in tables])
    if plan.result.created["partners"] or plan.result.updated["partners"]:
        audit.record(session, ctx, "import", "partner", None, ["directory"])
    return plan.result
