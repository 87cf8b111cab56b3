"""Rescuing what a damaged case file still holds, row by row, into a fresh case file.

Only the :mod:`sqlite3` module is used (no ``sqlite3`` program, no recovery extension): the damaged
file is first copied byte for byte into a private folder, so that SQLite never opens, locks or
writes the damaged file itself; then every table of the copy is read in rowid order. Where a read
fails (a damaged page), the rows after it are looked for again past the damage, and every rowid
in the gap is asked for singly, so that what lies on good pages around a bad one is kept and what
is lost is known by id. A row that cannot be read, or that breaks the schema's rules, or whose
parent row was lost, is counted as lost, never guessed at.

The audit log is not rescued: it is not part of the export, and the file it is rescued into is
thrown away after the export.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from icrctl.errors import CaseFileError
from icrctl.i18n import _

#: Tables not rescued: the schema version (made anew), SQLite's own, the audit log.
SKIPPED = frozenset({"alembic_version", "sqlite_sequence", "audit_log"})
#: How many rowids past a damaged page are looked for before the rest of a table counts as lost.
FARTHEST = 1 << 24
#: The largest gap whose rowids are asked for one by one.
WIDEST_GAP = 200_000


@dataclass
class TableLoss:
    table: str
    read: int = 0
    unreadable: list[tuple[int, int]] = field(default_factory=list)  # rowid ranges
    whole: bool = False  # the table could not be read at all
    rest_after: int | None = None  # nothing could be read after this rowid
    refused: int = 0  # read, but breaking the schema's rules
    orphaned: int = 0  # read, but belonging to a row that was lost

    @property
    def lost(self) -> bool:
        return bool(self.unreadable or self.whole or self.rest_after is not None) or bool(
            self.refused or self.orphaned
        )


@dataclass
class Rescue:
    revision: str | None
    tables: list[TableLoss]

    @property
    def losses(self) -> list[TableLoss]:
        return [t for t in self.tables if t.lost]


def copy_damaged(damaged: Path, folder: Path) -> Path:
    """Copy the damaged file (and a WAL beside it) into ``folder`` byte for byte."""
    copy = folder / "damaged.db"
    try:
        shutil.copyfile(damaged, copy)
        wal = damaged.with_name(damaged.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, folder / "damaged.db-wal")
    except OSError as exc:
        raise CaseFileError(
            _("cannot read {path}: {reason}").format(path=damaged, reason=exc.strerror or exc)
        ) from None
    return copy


def rescue(damaged_copy: Path, fresh: Path, damaged: Path) -> Rescue:
    """Read what ``damaged_copy`` (a copy of ``damaged``) holds into a new case file ``fresh``
    at the same revision."""
    src = sqlite3.connect(damaged_copy, isolation_level=None)
    try:
        try:
            tables = {
                str(name): _columns(src, str(name))
                for (name,) in src.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                ).fetchall()
            }
        except sqlite3.DatabaseError as exc:
            raise CaseFileError(
                _(
                    "nothing could be read from {path}: {reason}; its list of tables is "
                    "damaged. Restore a backup with 'icrctl restore'"
                ).format(path=damaged, reason=exc)
            ) from None
        revision = _revision(src) if "alembic_version" in tables else None
        if revision is None or "cases" not in tables:
            raise CaseFileError(_("{path} is not an icrctl case file").format(path=damaged))
        _make_fresh(fresh, revision)
        dst = sqlite3.connect(fresh, isolation_level=None)
        try:
            dst.execute("PRAGMA foreign_keys = OFF")
            dst.execute("BEGIN")
            found = [_copy_table(src, dst, t, tables.get(t, [])) for t in _fresh_tables(dst)]
            _drop_orphans(dst, {loss.table: loss for loss in found})
            dst.execute("COMMIT")
        finally:
            dst.close()
        return Rescue(revision, found)
    finally:
        src.close()


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [str(r[1]) for r in con.execute(f'PRAGMA table_info("{table}")')]
    except sqlite3.DatabaseError:
        return []


def _revision(con: sqlite3.Connection) -> str | None:
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else str(row[0])


def _make_fresh(fresh: Path, revision: str) -> None:
    """An empty case file at ``revision``, made by the migrations themselves."""
    from alembic import command
    from sqlalchemy import create_engine

    from icrctl.db.engine import known_revisions
    from icrctl.db.migrate import alembic_config

    if revision not in known_revisions():
        raise CaseFileError(
            _("schema version {version!r} is unknown to this icrctl (a newer one?)").format(
                version=revision
            )
        )
    engine = create_engine(f"sqlite:///{fresh}")
    try:
        command.upgrade(alembic_config(engine), revision)
    finally:
        engine.dispose()


def _fresh_tables(dst: sqlite3.Connection) -> list[str]:
    rows = dst.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [str(name) for (name,) in rows if name not in SKIPPED]


def _copy_table(
    src: sqlite3.Connection, dst: sqlite3.Connection, table: str, src_columns: list[str]
) -> TableLoss:
    loss = TableLoss(table)
    columns = [c for c in _columns(dst, table) if c in src_columns]
    if not src_columns:
        loss.whole = True
        return loss
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})'
    for row in _readable_rows(src, table, names, loss):
        try:
            dst.execute(insert, row)
            loss.read += 1
        except sqlite3.DatabaseError:  # a CHECK or NOT NULL the damaged row breaks
            loss.refused += 1
    return loss


def _readable_rows(
    src: sqlite3.Connection, table: str, names: str, loss: TableLoss
) -> Iterator[tuple[object, ...]]:
    """The rows of ``table`` in rowid order, around damaged pages (recorded in ``loss``)."""
    after: int | None = None
    while True:
        last = after
        query = f'SELECT rowid, {names} FROM "{table}"'
        try:
            rows = (
                src.execute(query + " ORDER BY rowid")
                if after is None
                else src.execute(query + " WHERE rowid > ? ORDER BY rowid", (after,))
            )
            for row in rows:
                last = int(row[0])
                yield tuple(row[1:])
            return
        except sqlite3.DatabaseError:
            pass
        after = yield from _past_damage(src, table, names, last or 0, loss)
        if after is None:
            return


def _past_damage(
    src: sqlite3.Connection, table: str, names: str, last: int, loss: TableLoss
) -> Generator[tuple[object, ...], None, int | None]:
    """After a failed read at rowid ``last``: find the next rowid SQLite reads again, asking
    each rowid of the gap singly. Returns where to go on from, or None at the table's end."""
    step = 1
    while step <= FARTHEST:
        try:
            ahead = src.execute(
                f'SELECT rowid FROM "{table}" WHERE rowid > ? ORDER BY rowid LIMIT 1',
                (last + step,),
            ).fetchone()
            break
        except sqlite3.DatabaseError:
            step *= 2
    else:
        if last == 0:
            loss.whole = True
        else:
            loss.rest_after = last
        return None
    end = last + step if ahead is None else int(ahead[0]) - 1
    if end - last > WIDEST_GAP:
        loss.unreadable.append((last + 1, end))
        return end
    yield from _single_rows(src, table, names, last + 1, end, loss)
    return None if ahead is None else end


def _single_rows(
    src: sqlite3.Connection, table: str, names: str, first: int, end: int, loss: TableLoss
) -> Iterator[tuple[object, ...]]:
    query = f'SELECT {names} FROM "{table}" WHERE rowid = ?'
    bad: list[int] = []
    for rowid in range(first, end + 1):
        try:
            row = src.execute(query, (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            bad.append(rowid)
            continue
        if row is not None:
            yield tuple(row)
    loss.unreadable += _ranges(bad)


def _ranges(ids: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i in ids:
        if out and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _drop_orphans(dst: sqlite3.Connection, losses: dict[str, TableLoss]) -> None:
    """Rows whose parent row was lost are lost too (and so are their own children)."""
    while True:
        broken = dst.execute("PRAGMA foreign_key_check").fetchall()
        if not broken:
            return
        for table, rowid in {(str(r[0]), int(r[1])) for r in broken}:
            dst.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
            if table in losses:
                losses[table].orphaned += 1
                losses[table].read -= 1
