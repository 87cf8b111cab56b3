"""The state every planner shares: what the case file holds, and the inserts, updates and
errors planned so far."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.rows import TABLES, Grouped, Rows, rows_of_cases, rows_where
from icrctl.domain.dates import utc_from_local
from icrctl.io.records import CaseFileRec, CaseRec, Where
from icrctl.services.context import Context, utc_now


class New:
    """A row to insert; ``id`` is known once it is written."""

    __slots__ = ("id", "parents", "table", "values")

    def __init__(self, table: str, values: dict[str, Any], parents: dict[str, Ref]) -> None:
        self.table = table
        self.values = values
        self.parents = parents
        self.id: int | None = None


# A row: the id of one the case file holds, or one still to insert.
Ref = New | int
# A person of a case by key: ("member", row) or ("partner", row).
Person = tuple[str, Ref]


def ref_id(ref: Ref) -> int:
    """The id of a row; a new row's id once it is written."""
    if isinstance(ref, int):
        return ref
    assert ref.id is not None, f"{ref.table} row written before its parent"
    return ref.id


def known_id(ref: Ref) -> int:
    """The id of a row the case file holds; -1 (no row) for a new one."""
    return ref if isinstance(ref, int) else -1


def utc(local: dt.datetime | None) -> dt.datetime | None:
    """A wall-clock time in Amsterdam, as stored: naive UTC."""
    if local is None:
        return None
    return utc_from_local(local)


@dataclass
class ImportResult:
    """What an import created and updated, per table and per case: the summary it prints."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    cases_created: list[str] = field(default_factory=list)
    cases_updated: list[str] = field(default_factory=list)
    cases_unchanged: int = 0
    dry_run: bool = False
    #: With ``keep_directory`` (``team migrate``): partners the directory holds already whose
    #: entry in the file differs; the directory's entry was kept.
    partners_kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the import writes anything at all."""
        return bool(self.created or self.updated)


@dataclass
class Existing:
    """What the case file holds of the partner directory and of the cases the file names."""

    partners_by_key: dict[str, dict[str, Any]]
    partners_by_name: dict[tuple[str, str], dict[str, Any]]
    cases: dict[str, dict[str, Any]]
    by_case: dict[str, Grouped]
    by_parent: dict[str, Grouped]
    partner_key_of: dict[int, str] = field(default_factory=dict)
    #: Team mode: refs of the file that another practitioner's case holds (invisible here).
    taken: set[str] = field(default_factory=set)

    def of_case(self, case_id: int) -> dict[str, Rows]:
        """A case's rows per table (none for a new case, id -1)."""
        return {table: grouped.get(case_id, []) for table, grouped in self.by_case.items()}

    def children(self, table: str, parent: Ref) -> Rows:
        """The rows of ``table`` (attendees, attendance, contact people) of one parent row."""
        return self.by_parent[table].get(known_id(parent), [])


def load_existing(session: Session, doc: CaseFileRec, team: bool = False) -> Existing:
    """The directory and the file's cases as the case file holds them, in a few bulk queries;
    in ``team`` mode also which of the file's other refs another practitioner's case holds."""
    partners = [dict(r) for r in session.execute(select(TABLES["partners"])).mappings()]
    cases = {r["ref"]: r for r in rows_where(session, "cases", "ref", (c.ref for c in doc.cases))}
    by_case, by_parent = rows_of_cases(session, (r["id"] for r in cases.values()))
    taken: set[str] = set()
    if team:
        from icrctl.services.team import refs_taken

        taken = refs_taken(session, [c.ref for c in doc.cases if c.ref not in cases])
    return Existing(
        {p["key"]: p for p in partners},
        {(p["name"], p["organisation"]): p for p in partners},
        cases,
        by_case,
        by_parent,
        {p["id"]: p["key"] for p in partners},
        taken,
    )


@dataclass
class CaseScope:
    """One case being planned: its record, its row, and what the case file holds of it."""

    rec: CaseRec
    row: dict[str, Any] | None  # the case's row in the case file; None for a new case
    case: Ref  # the same row (or the one to insert), the parent of everything below
    rows: dict[str, Rows]  # the case's rows per table, as the case file holds them
    people: dict[str, Person] = field(default_factory=dict)  # members and partners by key


class Plan:
    """Every insert and update the file asks for, and every error found against the database."""

    def __init__(
        self, ctx: Context, name: str, existing: Existing, keep_directory: bool = False
    ) -> None:
        self.ctx = ctx
        #: A partner the directory holds keeps its entry (a team's shared directory is not a
        #: personal file's to change); the file's differing entry is only reported.
        self.keep_directory = keep_directory
        self.name = name
        self.x = existing
        self.now = utc_now()
        self.inserts: dict[str, list[New]] = defaultdict(list)
        self.updates: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        self.errors: list[str] = []
        self.touched: dict[str, set[str]] = defaultdict(set)
        self.result = ImportResult()

    def error(self, at: Where, field_name: str, message: str) -> None:
        """``FILE:LINE: path.field: message``, as the file's own errors read."""
        path = f"{at.path}.{field_name}" if field_name else at.path
        self.errors.append(f"{self.name}:{at.line}: {path}: {message}")

    def insert(
        self, table: str, values: dict[str, Any], ref: str | None = None, **parents: Ref
    ) -> New:
        """A new row of ``table``; ``ref`` is the case it changes (for the audit)."""
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

    def people(self, table: str, column: str, owner: Ref, persons: list[Person], ref: str) -> None:
        """Link ``persons`` to the row ``owner`` (a series' attendees, a contact's people)
        unless the case file already links them: one row each, never an update."""
        have = {(r["member_id"], r["partner_id"]) for r in self.x.children(table, owner)}
        for kind, person in persons:
            pair = (person, None) if kind == "member" else (None, person)
            if isinstance(owner, int) and isinstance(person, int) and pair in have:
                continue
            self.insert(table, {}, ref, **{column: owner}, **person_column(kind, person))


def person_column(kind: str, person: Ref) -> dict[str, Ref]:
    """``member_id`` or ``partner_id``, as the person is a member or a partner."""
    return {"member_id": person} if kind == "member" else {"partner_id": person}


class Matcher:
    """Rows by their matching key; the n-th entry of the file with a key gets the n-th row with
    it (oldest first), so that the same entry twice (two phone calls "geen gehoor" on one day)
    stays two entries, import after import."""

    def __init__(self, rows: Rows, key: Callable[[dict[str, Any]], Any]) -> None:
        self.rows: dict[Any, Rows] = defaultdict(list)
        for row in rows:
            self.rows[key(row)].append(row)
        self.seen: Counter[Any] = Counter()

    def get(self, key: Any) -> dict[str, Any] | None:
        """The next unmatched row with ``key``; None when the file has more than the rows."""
        n = self.seen[key]
        self.seen[key] += 1
        same = self.rows.get(key, [])
        return same[n] if n < len(same) else None
