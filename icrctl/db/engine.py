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
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from icrctl.db import cipher, passphrase
from icrctl.errors import CaseFileError, WriteConflict
from icrctl.i18n import _
from icrctl.settings import is_url, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

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


def _prepare_file(path: Path) -> None:
    """Create the case file's folder (0700) and the empty file (0600) before SQLite does."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
        folder.chmod(0o700)
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return
        os.close(fd)
        path.chmod(0o600)
        return
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise CaseFileError(_("case file {path} is not a regular file").format(path=path))
    if st.st_nlink > 1:
        raise CaseFileError(
            _(
                "case file {path} has {count} hard links: another name reaches the same data; "
                "remove the other links first"
            ).format(path=path, count=st.st_nlink)
        )


def check_folder(path: Path) -> None:
    """Refuse a case file in a folder that others may write to (they could swap the file)."""
    folder = path.parent
    mode = folder.stat().st_mode
    if mode & stat.S_IWOTH:
        raise CaseFileError(
            _(
                "the folder {folder} can be written by others; keep the case file in a private "
                "folder (mode 0700)"
            ).format(folder=folder)
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


def _install_sqlite_events(engine: Engine, location: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
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


class CaseFile:
    """One opened case file: a path or an SQLAlchemy URL, migrated to the current schema."""

    def __init__(self, location: str, *, encrypted: bool = False) -> None:
        self.location = location
        self.key: Key | None = None
        if is_url(location):
            url = database_url(location)
            self.is_sqlite = url.get_backend_name() == "sqlite"
            database = url.database if self.is_sqlite else None
            self.path: Path | None = Path(database) if database else None
        else:
            self.path = Path(location).expanduser()
            url = make_url(f"sqlite:///{self.path}")
            self.is_sqlite = True
        self.warnings: list[str] = []
        if self.is_sqlite and self.path is not None:
            self.key = passphrase.for_case_file(self.path, encrypted=encrypted)
            try:
                _prepare_file(self.path)
                check_folder(self.path)
            except OSError as exc:  # no such folder, no permission, /proc, a name too long
                reason = exc.strerror or str(exc)
                raise CaseFileError(
                    _("cannot use the case file {path}: {reason}").format(
                        path=self.path, reason=reason
                    )
                ) from None
            kind = network_file_system(self.path)
            if kind is not None:
                self.warnings.append(
                    _(
                        "the case file lies on a network file system ({kind}); SQLite's locking "
                        "is not reliable there: keep it on a local disk"
                    ).format(kind=kind)
                )
        self.engine = create_engine(url, **cipher.engine_options(self.key))
        if self.key is not None:
            cipher.install(self.engine, self.key)
        if self.is_sqlite:
            _install_sqlite_events(self.engine, location)
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

    def _ensure_schema(self) -> None:
        from icrctl.db.migrations import HEAD

        with self.engine.connect() as conn:
            current = None
            if self.is_sqlite:  # cheaper than the inspector: one query, nothing to compile
                found = conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
                ).scalar()
            else:
                found = inspect(conn).has_table("alembic_version")
            if found:
                current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        if current != HEAD:
            if current is not None and current not in known_revisions():
                # A newer icrctl wrote it: Alembic cannot upgrade it, and a backup per attempt
                # would only push the good automatic backups out.
                raise CaseFileError(
                    _(
                        "the case file {location} has schema version {version!r}, unknown to "
                        "this icrctl (written by a newer version?); nothing was changed"
                    ).format(location=shown(self.location), version=current)
                )
            from icrctl.db.migrate import upgrade

            if current is None or not self.is_sqlite or self.path is None:
                upgrade(self._write_engine, current)
                return
            from icrctl.db import backups

            copy = backups.automatic_backup(self.path, f"before-migration-{current}", prune=False)
            try:
                upgrade(self._write_engine, current)
            except CaseFileError:
                # Refused (e.g. an audit log changed before the upgrade): the file is as it was,
                # so the copy adds nothing, and every refused attempt must not push out the good
                # copies made before.
                copy.unlink(missing_ok=True)
                raise
            backups.prune_automatic_backups(self.path)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One writing unit of work: ``BEGIN IMMEDIATE`` (SQLite) or the write lock
        (PostgreSQL), committed only if nothing raised."""
        with self._session(self._write_engine) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._session(self.engine) as session:
            yield session

    @contextmanager
    def _session(self, engine: Engine) -> Iterator[Session]:
        session = Session(engine, expire_on_commit=False, autoflush=True)
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

    def compact(self, tables: list[str] | None = None) -> tuple[int, bool]:
        """After an erasure: no freed page, WAL frame or automatic backup keeps the data.

        Returns how many automatic backups were removed, and whether the file itself could be
        rewritten now (False: another program has it open; SQLite finishes when it closes).
        On PostgreSQL: ``VACUUM`` on ``tables`` (default: every table of the case file), after
        the commit; the server's WAL archive and backups are the operator's to expire.
        """
        if not self.is_sqlite and self.engine.dialect.name == "postgresql":
            from icrctl.db.models import Base
            from icrctl.db.server import vacuum

            try:
                vacuum(self.engine, tables or sorted(Base.metadata.tables))
            except (OperationalError, DatabaseError) as exc:
                raise translate(exc, self.location) from exc
            return 0, True
        if not self.is_sqlite or self.path is None:
            return 0, True
        from icrctl.db import backups

        self.engine.dispose()
        old = backups.automatic_backups(self.path)
        for path in old:
            path.unlink(missing_ok=True)
        before = self.path.with_name(self.path.name + ".before-restore")
        before.unlink(missing_ok=True)
        done = backups.compact(self.path)
        return len(old), done

    @property
    def encrypted(self) -> bool:
        """Is this an SQLCipher case file?"""
        return self.key is not None

    def dispose(self) -> None:
        self.engine.dispose()
