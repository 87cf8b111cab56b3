"""Opening the case file: file modes, SQLite pragmas, transactions, automatic migrations.

Two engines (docs/architecture.md, "Two engines"): a local SQLite file, or a team database on
PostgreSQL (an SQLAlchemy URL, ``postgresql+psycopg://…``). Every command is one transaction on
both.

SQLite: every connection gets ``foreign_keys=ON``, WAL, a ``busy_timeout`` and
``synchronous=NORMAL``. pysqlite's own transaction handling is switched off (Python 3.11 still
emits its legacy implicit BEGIN), and SQLAlchemy's ``begin`` event emits ``BEGIN IMMEDIATE`` for
writing units of work and plain ``BEGIN`` for reading ones, so that a write never fails half-way
on a lock upgrade.

PostgreSQL: nothing SQLite-only runs there (no pragma, no file mode, no ``sqlite_master``). A
writing unit of work begins with ``SELECT pg_advisory_xact_lock(WRITE_LOCK)``, PostgreSQL's
analogue of ``BEGIN IMMEDIATE``: writers take turns, readers never wait. Why a lock and not
SERIALIZABLE alone: every change appends to the audit log, whose entries each carry the previous
entry's hash (services/audit.py). Two writers under SERIALIZABLE would both read the same last
entry and one would fail at commit, after all its work, on nearly every concurrent write; under
READ COMMITTED without a lock both would commit and fork the chain. One transaction-scoped
advisory lock makes the chain linear, costs one round trip, is released by commit or rollback
(never left behind by a crashed client), and locks no table a lead's ``psql`` may read. The
isolation stays READ COMMITTED, so every statement after the lock sees what the writer before
committed. ``lock_timeout`` bounds the wait as ``busy_timeout`` does on SQLite.

Serialization failures (SQLSTATE 40001) and deadlocks (40P01) can still happen (row-level
security policies, another program writing the same rows): they become :class:`WriteConflict`,
which the command line retries as a whole command a bounded number of times
(``cli/state.py``), then reports in one line. A connection that cannot be made (server down, no
such database, authentication) is one line naming the URL with its password hidden.

``$ICRCTL_BUSY_TIMEOUT_MS`` (milliseconds, default 10000) overrides how long a command waits for
another icrctl's lock before it gives up; meant for tests, which need not wait ten seconds.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from icrctl.db import cipher, passphrase, readonly
from icrctl.db.location import prepare as prepare_location
from icrctl.db.location import refuse_url_options, sqlite_uri
from icrctl.errors import CaseFileError, WriteConflict
from icrctl.i18n import _, ngettext
from icrctl.settings import is_url, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from icrctl.db.backups import Erased
    from icrctl.db.cipher import Key

BUSY_TIMEOUT_MS = 10_000
BUSY_TIMEOUT_VAR = "ICRCTL_BUSY_TIMEOUT_MS"
WRITE = "icrctl_write"
#: The key of the PostgreSQL advisory lock every writing unit of work takes (any constant that
#: no other program on the database uses: "icrctl" in ASCII).
WRITE_LOCK = 0x696372_63746C
#: SQLSTATEs after which the whole unit of work is tried again: serialization failure, deadlock.
RETRY_STATES = frozenset({"40001", "40P01"})
#: SQLSTATE classes of a database that cannot be reached or entered: connection exceptions,
#: authorization, no such database ("3D000"), the server shutting down ("57P0x").
CONNECTION_STATES = ("08", "28", "3D", "57P")


def busy_timeout_ms() -> int:
    """How long to wait for a lock: ``$ICRCTL_BUSY_TIMEOUT_MS``, else :data:`BUSY_TIMEOUT_MS`."""
    value = os.environ.get(BUSY_TIMEOUT_VAR, "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 9:  # not '²', not 10**23
        return int(value)
    return BUSY_TIMEOUT_MS


def _waited(ms: int) -> str:
    return f"{ms // 1000} s" if ms % 1000 == 0 else f"{ms / 1000:g} s"


def sqlite_url(path: Path, **options: str) -> URL:
    """The URL the engine opens the SQLite case file ``path`` (resolved) by: a file URI naming
    exactly that file (db/location.py), never the name itself, in which ``?`` or ``%41`` would
    be read as options or escapes. Built as a URL object: a string would be unquoted once more."""
    return URL.create("sqlite", database=sqlite_uri(path, **options), query={"uri": "true"})


def _check_opened(cursor: Any, expected: Path) -> None:
    """The file SQLite opened is the one that was checked (``PRAGMA database_list``)."""
    cursor.execute("PRAGMA database_list")
    opened = next((row[2] for row in cursor.fetchall() if row[1] == "main"), "")
    if opened != str(expected):
        cursor.close()
        raise CaseFileError(
            _(
                "the case file {path} was opened as {opened}, another file; nothing was changed"
            ).format(path=expected, opened=opened or "?")
        )


NETWORK_FILE_SYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "davfs",
    "fuse.davfs2",
}


def network_file_system(path: Path, mounts: str = "/proc/mounts") -> str | None:
    """The network file system the path lies on, if any (SQLite's locking is unsafe there)."""
    try:
        lines = Path(mounts).read_text().splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, kind = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, parts[2]
    return kind if kind in NETWORK_FILE_SYSTEMS else None


def known_revisions() -> set[str]:
    """The schema revisions this icrctl ships (the migration files' ids), without Alembic."""
    folder = Path(__file__).with_name("migrations") / "versions"
    return {p.name.split("_", 1)[0] for p in folder.glob("[0-9]*.py")}


def read_only_error(location: str) -> CaseFileError:
    """A change asked of a case file that cannot be written (docs/cli.md, "Read-only")."""
    return CaseFileError(
        _(
            "the case file {location} is read-only (a read-only disk or folder); nothing was "
            "changed. Reading commands, export and backup work; to change it, copy it to a "
            "writable place"
        ).format(location=shown(location))
    )


def _install_sqlite_events(
    engine: Engine, location: str, path: Path, read_only: bool = False
) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        _check_opened(cursor, path)
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        # Another program's SQLite database is left alone: no WAL switch, no icrctl tables.
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in cursor.fetchall()}
        if tables and "alembic_version" not in tables:
            cursor.close()
            raise CaseFileError(
                _(
                    "{location} is an SQLite database but not an icrctl case file; nothing was "
                    "changed. Choose another file with --db or $ICRCTL_DB"
                ).format(location=location)
            )
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _install_postgresql_events(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE, False):
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {busy_timeout_ms()}")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def current_role(session: Session) -> str:
    """The database role this session acts as (PostgreSQL's ``current_user``): in a team
    database, the practitioner. PostgreSQL only: SQLite has no roles, and there the operating
    system's user name stands in (services/context.py)."""
    return str(session.execute(text("SELECT current_user")).scalar_one())


def shown(location: str) -> str:
    """The case file as a message names it: a URL with its password hidden."""
    if not is_url(location):
        return location
    try:
        return unquote(make_url(location).render_as_string(hide_password=True))
    except Exception:  # not a URL SQLAlchemy can read: say nothing of what it holds
        return location.split("://", 1)[0] + "://…"


def _sqlstate(exc: Exception) -> str:
    return str(getattr(getattr(exc, "orig", None), "sqlstate", None) or "")


def _reason(exc: Exception) -> str:
    """The driver's message on one line."""
    return " ".join(str(getattr(exc, "orig", exc)).split())


def _locked(location: str) -> CaseFileError:
    """Another icrctl held the write lock for longer than the busy timeout (either engine)."""
    return CaseFileError(
        _(
            "the case file {location} is locked by another icrctl (waited {waited}); nothing "
            "was changed, try again"
        ).format(location=shown(location), waited=_waited(busy_timeout_ms()))
    )


def translate(exc: Exception, location: str) -> CaseFileError:
    """The database's error as one line a practitioner can act on."""
    state = _sqlstate(exc)
    if state in RETRY_STATES:
        return WriteConflict(
            _(
                "another icrctl changed the same data at the same time ({reason}); nothing was "
                "changed, try again"
            ).format(reason=_reason(exc))
        )
    if state == "55P03":  # lock_not_available: lock_timeout passed
        return _locked(location)
    if state == "42501":  # insufficient_privilege: the team database's grants said no
        return CaseFileError(
            _(
                "the team database refused this to your role ({reason}); nothing was changed. "
                "In team mode the audit log is the team lead's to read, and purging a case, "
                "backups and adding practitioners are the administrator's (the database's owner)"
            ).format(reason=_reason(exc))
        )
    server = sqlite_path(location) is None
    unreachable = state.startswith(CONNECTION_STATES) or (
        not state and isinstance(exc, OperationalError)
    )
    if server and unreachable:
        return CaseFileError(
            _("cannot connect to the database {location}: {reason}").format(
                location=shown(location), reason=_reason(exc)
            )
        )
    message = str(getattr(exc, "orig", exc))
    if "locked" in message or "busy" in message:
        return _locked(location)
    if "readonly database" in message:
        return read_only_error(location)
    if "not a database" in message or "malformed" in message:
        return CaseFileError(
            _(
                "the case file {location} is unreadable ({reason}); nothing was changed. Run "
                "'icrctl doctor', or restore a backup with 'icrctl restore'"
            ).format(location=shown(location), reason=message)
        )
    return CaseFileError(
        _("the case file {location} could not be used: {reason}").format(
            location=shown(location), reason=_reason(exc)
        )
    )


def database_url(location: str) -> URL:
    """The URL of an SQLite case file or of a PostgreSQL database, read with psycopg 3 (a
    ``postgresql://`` or ``postgres://`` URL as libpq writes it means the same); any other kind
    of database, or psycopg missing, is one line saying what works."""
    try:
        url = make_url(location)
    except Exception:  # SQLAlchemy's ArgumentError: not a URL it can read
        url = None
    kind = url.get_backend_name() if url is not None else location.split("://", 1)[0]
    if url is not None and kind == "sqlite":
        return url
    if url is None or kind not in ("postgresql", "postgres"):
        raise CaseFileError(
            _(
                "{location}: icrctl works on an SQLite case file or a PostgreSQL database "
                "(postgresql+psycopg://ROLE@HOST/DATABASE), not {kind}"
            ).format(location=shown(location), kind=kind)
        )
    if importlib.util.find_spec("psycopg") is None:
        raise CaseFileError(
            _(
                "a team database on PostgreSQL needs psycopg: pip install 'icrctl[team]'; "
                "nothing was changed"
            )
        )
    return url.set(drivername="postgresql+psycopg")


#: ``Session.info`` key: the SQLite case file's resolved path (None on a server), for what is
#: kept beside it (the audit log's anchor), since the engine's URL is a quoted file URI.
CASE_FILE = "icrctl.case_file"


class CaseFile:
    """One opened case file: a path or an SQLAlchemy URL, migrated to the current schema."""

    def __init__(self, location: str, *, encrypted: bool = False) -> None:
        self.location = location
        self.key: Key | None = None
        self.warnings: list[str] = []
        self.read_only = False
        self.path: Path | None = sqlite_path(location)
        self.is_sqlite = self.path is not None
        if self.path is None:
            url = database_url(location)
            if url.get_backend_name() == "sqlite":
                raise CaseFileError(
                    _(
                        "{location}: name an SQLite case file by its path or as sqlite:///PATH"
                    ).format(location=location)
                )
        else:
            self.path, self.key = self._prepare(self.path, encrypted)
            url = sqlite_url(self.path, **(readonly.options(self.path) if self.read_only else {}))
        self.engine = create_engine(url, **cipher.engine_options(self.key))
        if self.key is not None:
            cipher.install(self.engine, self.key)
        if self.path is not None:
            _install_sqlite_events(self.engine, location, self.path, self.read_only)
        elif self.engine.dialect.name == "postgresql":
            _install_postgresql_events(self.engine)
        self._write_engine = self.engine.execution_options(**{WRITE: True})
        try:
            self._ensure_schema()
        except (OperationalError, DatabaseError) as exc:
            self.engine.dispose()  # nobody else holds this half-made case file to close it
            raise translate(exc, location) from exc
        except BaseException:
            self.engine.dispose()
            raise

    def _prepare(self, given: Path, encrypted: bool) -> tuple[Path, Key | None]:
        """Check the SQLite case file ``given`` names (db/location.py), and find its key when it
        is encrypted (before a new file is made): its resolved path and its key."""
        refuse_url_options(self.location)
        keys: list[Key | None] = [None]

        def unlock(path: Path) -> None:
            keys[0] = passphrase.for_case_file(path, encrypted=encrypted)

        try:
            path, self.warnings = prepare_location(given, unlock)
        except OSError as exc:  # no such folder, no permission, /proc, a name too long
            reason = exc.strerror or str(exc)
            raise CaseFileError(
                _("cannot use the case file {path}: {reason}").format(path=given, reason=reason)
            ) from None
        self.path = path
        self.read_only = readonly.on_read_only_media(path)
        if not self.read_only:  # nothing can be removed there
            self._remove_stale_copies()
        kind = network_file_system(path)
        if kind is not None:
            self.warnings.append(
                _(
                    "the case file lies on a network file system ({kind}); SQLite's locking "
                    "is not reliable there: keep it on a local disk"
                ).format(kind=kind)
            )
        return path, keys[0]

    def _ensure_schema(self) -> None:
        from icrctl.db.migrations import HEAD

        objects: list[Any] = []
        with self.engine.connect() as conn:
            current = None
            if self.is_sqlite:  # one query, nothing to compile: every object, checked below
                from icrctl.db.schema import MASTER

                objects = list(conn.exec_driver_sql(MASTER).all())
                found = any(row[0] == "table" and row[1] == "alembic_version" for row in objects)
            else:
                found = inspect(conn).has_table("alembic_version")
            if found:
                current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if self.is_sqlite:
                self._refuse_foreign_objects(objects, current=current == HEAD)
                if current == HEAD:
                    self._check_anchor(conn)
        if current == HEAD:
            return
        if current is not None and current not in known_revisions():
            # A newer icrctl wrote it: Alembic cannot upgrade it, and a backup per attempt
            # would only push the good automatic backups out.
            raise CaseFileError(
                _(
                    "the case file {location} has schema version {version!r}, unknown to "
                    "this icrctl (written by a newer version?); nothing was changed"
                ).format(location=shown(self.location), version=current)
            )
        self._upgrade(current)

    def _upgrade(self, current: str | None) -> None:
        from icrctl.db.migrate import upgrade

        if self.read_only:  # an upgrade is a write: refused before any backup is tried
            raise read_only_error(self.location)
        if current is None or not self.is_sqlite or self.path is None:
            upgrade(self._write_engine, current)
            self._anchor_after_upgrade()
            return
        from icrctl.db import backups

        self._refuse_set_back(current)
        copy = backups.migration_backup(self.path, current)
        try:
            upgrade(self._write_engine, current)
        except CaseFileError:
            # Refused (e.g. an audit log changed before the upgrade): the file is as it was,
            # so the copy adds nothing, and every refused attempt must not push out the good
            # copies made before.
            copy.unlink(missing_ok=True)
            raise
        backups.prune_automatic_backups(self.path)
        self._anchor_after_upgrade()

    def _refuse_foreign_objects(self, objects: list[Any], *, current: bool) -> None:
        """A trigger, view, table or index icrctl did not create stops every command."""
        from icrctl.db.schema import refusal, unknown

        found = unknown(objects, current=current)  # at an older revision: in full after upgrading
        if found:
            raise CaseFileError(refusal(shown(self.location), found))

    def _refuse_set_back(self, current: str) -> None:
        """Before an upgrade: a log that is keyed already, or that this computer anchored as
        keyed, means the schema version was set back by hand; upgrading would seal it again and
        hide whatever was changed meanwhile. And a log that lost anchored entries is refused
        before anything seals it anew."""
        from icrctl.db import seal

        assert self.path is not None
        with self.engine.connect() as conn:
            first = seal.first_prev(conn)
            anchor = seal.read_anchor(self.path)
            problem = None if anchor is None else seal.disagreement(conn, anchor)
        sealed = first not in (None, seal.GENESIS) and first == seal.genesis(seal.required_key())
        keyed = sealed or (anchor is not None and anchor.keyed)
        if current < seal.KEYED_REVISION and keyed:
            problem = _(
                "its audit log was sealed with the audit key already, yet its schema version "
                "says {version}: the version was set back outside icrctl"
            ).format(version=current)
        if problem is not None:
            raise CaseFileError(
                _(
                    "cannot upgrade the case file {location}: {problem}; nothing was changed. "
                    "Keep the file as evidence, and restore a backup with 'icrctl restore'"
                ).format(location=shown(self.location), problem=problem)
            )

    def _anchor_after_upgrade(self) -> None:
        """The upgrade sealed the log anew (0008 keys it): the anchor follows, and the schema
        is held to what icrctl creates now that it is current."""
        if not self.is_sqlite or self.path is None:
            return
        from icrctl.db import seal
        from icrctl.db.schema import MASTER

        with self.engine.connect() as conn:
            objects = list(conn.exec_driver_sql(MASTER).all())
            head = seal.head_of(conn)
        self._refuse_foreign_objects(objects, current=True)
        seal.write_anchor(self.path, head)

    def _check_anchor(self, conn: Connection) -> None:
        """A log that no longer holds what this computer anchored: said once per command (the
        anchor stays as it is, the evidence ``doctor`` reports). One lookup by primary key."""
        if self.path is None:
            return
        from icrctl.db import seal

        anchor = seal.read_anchor(self.path)
        if anchor is None:
            return
        # The anchor is written after a commit: a log read after the anchor holds it, one read
        # before (this connection's snapshot, from reading the schema) may not, while another
        # icrctl commits and moves the anchor in between. So a fresh snapshot, after the anchor.
        conn.commit()
        problem = seal.disagreement(conn, anchor)
        if problem is not None:
            self.warnings.append(_("{problem}; run 'icrctl doctor'").format(problem=problem))

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One writing unit of work: ``BEGIN IMMEDIATE`` (SQLite) or the write lock
        (PostgreSQL), committed only if nothing raised."""
        if self.read_only:
            raise read_only_error(self.location)
        with self._session(self._write_engine) as session:
            yield session
        if self.is_sqlite and self.path is not None:
            from icrctl.db.seal import after_commit

            known = {"key": self.key} if self.key is not None else {"plain": True}
            after_commit(self.path, session.info, **known)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._session(self.engine) as session:
            yield session

    @contextmanager
    def _session(self, engine: Engine) -> Iterator[Session]:
        session = Session(engine, expire_on_commit=False, autoflush=True)
        session.info[CASE_FILE] = self.path
        try:
            yield session
            session.commit()
        except (OperationalError, DatabaseError) as exc:
            session.rollback()
            raise translate(exc, self.location) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def compact(
        self, tables: list[str] | None = None, restore_points: list[Path] | None = None
    ) -> tuple[Erased, bool]:
        """After an erasure: no freed page, WAL frame, automatic backup or stale temporary copy
        keeps the data; nor the ``restore_points`` given (the caller asked the user first).

        Returns which copies were removed, and whether the file itself could be rewritten now
        (False: another program has it open; SQLite finishes when it closes).
        On PostgreSQL: ``VACUUM`` on ``tables`` (default: every table of the case file), after
        the commit; the server's WAL archive and backups are the operator's to expire.
        """
        from icrctl.db import backups

        if not self.is_sqlite and self.engine.dialect.name == "postgresql":
            from icrctl.db.models import Base, load_all
            from icrctl.db.server import vacuum

            load_all()

            try:
                vacuum(self.engine, tables or sorted(Base.metadata.tables))
            except (OperationalError, DatabaseError) as exc:
                raise translate(exc, self.location) from exc
            return backups.Erased(), True
        if not self.is_sqlite or self.path is None:
            return backups.Erased(), True
        self.engine.dispose()
        erased = backups.erase_copies(self.path, restore_points or [])
        return erased, backups.compact(self.path)

    def restore_points(self) -> list[Path]:
        """What ``restore`` kept of this case file (none on a server)."""
        from icrctl.db import backups

        return backups.restore_points(self.path) if self.is_sqlite and self.path else []

    def _remove_stale_copies(self) -> None:
        """A copy left by an interrupted command holds the whole case file: remove it now, and
        say so (one directory read of the folder and of its backups folder)."""
        from icrctl.db.leftovers import remove_stale_copies

        assert self.path is not None
        removed = remove_stale_copies(self.path)
        if removed:
            self.warnings.append(
                ngettext(
                    "removed {count} temporary copy of the case file that an interrupted command "
                    "left behind",
                    "removed {count} temporary copies of the case file that interrupted commands "
                    "left behind",
                    removed,
                ).format(count=removed)
            )

    @property
    def encrypted(self) -> bool:
        """Is this an SQLCipher case file?"""
        return self.key is not None

    def dispose(self) -> None:
        self.engine.dispose()
