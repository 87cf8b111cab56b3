"""A team database on PostgreSQL: its backup with ``pg_dump``, and what ``member forget`` and
``case purge`` leave to the server (docs/architecture.md, "Two engines").

``backup FILE`` runs ``pg_dump --format=custom`` (the server's own consistent snapshot, readable
by ``pg_restore``) into a private temporary file beside FILE, checks it with
``pg_restore --list``, and renames it into place (mode 0600), as the SQLite backup does. The
password, if the URL holds one, goes to the programs through ``$PGPASSWORD``, never on their
command line (which ``ps`` shows). ``restore`` does not overwrite a live team database: it
refuses in one line that says how (``createdb`` a new, empty database, ``pg_restore`` into it,
point ``--db`` at it), so that a mistaken restore cannot replace what the whole team sees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from icrctl.errors import CaseFileError, InvalidValue, ProgramMissing
from icrctl.i18n import N_, _
from icrctl.io.files import cannot_write, refuse_existing

#: What an erasure in a team database cannot reach, said after it.
SERVER_KEEPS = N_(
    "the database server's WAL archive and its backups (pg_dump files, base backups) still hold "
    "the erased data until they expire: that is the operator's to do"
)

#: How long pg_dump may take before icrctl gives up (a team database of thousands of cases
#: dumps in seconds).
DUMP_TIMEOUT_S = 600


def program(name: str) -> str:
    """The path of a PostgreSQL client program, or :class:`ProgramMissing` in one line."""
    found = shutil.which(name)
    if found is None:
        raise ProgramMissing(
            _(
                "{program} was not found: install PostgreSQL's client programs (Debian: "
                "postgresql-client) to back up a team database; nothing was written"
            ).format(program=name)
        )
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The connection string for libpq's programs, and the environment that carries the
    password."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def dump(url: str, target: Path, *, force: bool = False) -> None:
    """Write a ``pg_dump --format=custom`` backup of the database ``url`` to ``target``."""
    from icrctl.db.engine import shown

    pg_dump, pg_restore = program("pg_dump"), program("pg_restore")
    target = target.expanduser()
    refuse_existing(target, force=force)
    conninfo, env = _libpq(url)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    try:
        _run([pg_dump, "--format=custom", f"--file={tmp}", f"--dbname={conninfo}"], env, url)
        _run([pg_restore, "--list", str(tmp)], env, url)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    except subprocess.TimeoutExpired:
        raise CaseFileError(
            _("the backup of {location} took longer than {seconds} s; nothing was written").format(
                location=shown(url), seconds=DUMP_TIMEOUT_S
            )
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _run(command: list[str], env: dict[str, str], url: str) -> None:
    from icrctl.db.engine import shown

    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=DUMP_TIMEOUT_S, check=False
    )
    if done.returncode != 0:
        reason = " ".join(done.stderr.split()) or f"exit {done.returncode}"
        if "permission denied" in reason:  # a practitioner or the lead: RLS and grants say no
            raise CaseFileError(
                _(
                    "the backup of {location} is the administrator's (the database's owner): "
                    "a backup must read every row, which team mode keeps from practitioners and "
                    "the lead; nothing was written"
                ).format(location=shown(url))
            )
        raise CaseFileError(
            _("the backup of {location} failed: {reason}").format(
                location=shown(url), reason=reason
            )
        )


def restore_refused(url: str, backup: Path) -> InvalidValue:
    """``restore`` on a team database: how to restore it instead, in one line."""
    from icrctl.db.engine import shown

    return InvalidValue(
        _(
            "restore does not overwrite a team database ({location}); restore into a new, empty "
            "database instead: 'createdb NEW', 'pg_restore --dbname=NEW {file}', then use --db "
            "with NEW's URL"
        ).format(location=shown(url), file=backup)
    )


def vacuum(engine: Engine, tables: list[str]) -> None:
    """``VACUUM`` the tables an erasure touched, after its commit (VACUUM runs outside a
    transaction): the dead rows that still held the erased data are cleared from the tables.
    The server's WAL, its archive and its backups still hold them: those are the operator's."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in tables:
            quoted = connection.dialect.identifier_preparer.quote(table)
            connection.execute(text(f"VACUUM {quoted}"))
