"""``doctor``: is the case file sound? SQLite's own checks, the schema version, the app's own
invariants, and the audit chain. Read-only: it never repairs, and never creates a file.

On PostgreSQL (:func:`examine_server`) the same checks run but the file's own (integrity, foreign
keys: the server keeps its pages and enforces the references itself), through one read-only
connection; the SQL of every check is portable. :data:`SERVER_CHECKS` is where a team
database's own checks (row-level security, grants) join in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.exc import DBAPIError

from icrctl.db import cipher
from icrctl.errors import CaseFileError
from icrctl.i18n import N_, _, ngettext

RESTORE = N_("restore a backup")
RESTORE_FILE = N_("restore a backup with 'icrctl restore FILE'")

#: The app's own rules: (what holds, the SQL that finds what breaks it, what to do). The words are
#: marked for the catalogue and translated where a finding is made.
INVARIANTS: tuple[tuple[str, str, str], ...] = (
    (
        N_("every case's phase equals its last phase change"),
        """SELECT c.ref FROM cases c WHERE COALESCE(c.phase, -1) <> COALESCE((
               SELECT p.phase FROM phase_changes p WHERE p.case_id = c.id
               ORDER BY p.date DESC, p.id DESC LIMIT 1), -1)""",
        N_("record the phase again with 'icrctl phase set', or restore a backup"),
    ),
    (
        N_("every case's stage equals its last stage change"),
        """SELECT c.ref FROM cases c WHERE COALESCE(c.stage, '') <> COALESCE((
               SELECT s.stage FROM stage_changes s WHERE s.case_id = c.id
               ORDER BY s.date DESC, s.id DESC LIMIT 1), '')""",
        N_("set the stage again with 'icrctl case stage', or restore a backup"),
    ),
    (
        N_("a closed date exactly when the stage is closed"),
        """SELECT ref FROM cases WHERE (closed IS NULL) <> (stage <> 'closed')""",
        N_("close or reopen the case with 'icrctl case close' / 'icrctl case reopen'"),
    ),
    (
        N_("no link to a missing partner or member"),
        """SELECT 'case_partners ' || id FROM case_partners
               WHERE partner_id NOT IN (SELECT id FROM partners)
           UNION ALL SELECT 'series_attendees ' || id FROM series_attendees
               WHERE (member_id IS NOT NULL AND member_id NOT IN (SELECT id FROM members))
                  OR (partner_id IS NOT NULL AND partner_id NOT IN (SELECT id FROM partners))""",
        RESTORE,
    ),
    (
        N_("relations and attendees stay within their own case"),
        """SELECT 'relation ' || r.id FROM member_relations r
               JOIN members a ON a.id = r.from_member_id JOIN members b ON b.id = r.to_member_id
               WHERE a.case_id <> r.case_id OR b.case_id <> r.case_id
           UNION ALL SELECT 'attendee ' || sa.id FROM series_attendees sa
               JOIN evaluation_series s ON s.id = sa.series_id
               JOIN members m ON m.id = sa.member_id WHERE m.case_id <> s.case_id""",
        RESTORE,
    ),
    (
        N_("the analysis names members and goals of its own case"),
        """SELECT 'analysis factor ' || f.id FROM analysis_factors f
               JOIN members m ON m.id = f.member_id WHERE m.case_id <> f.case_id
           UNION ALL SELECT 'intervention ' || i.id FROM interventions i
               JOIN goals g ON g.id = i.goal_id WHERE g.case_id <> i.case_id""",
        RESTORE,
    ),
    (
        N_("phase-4 checklist items belong to a phase-4 change of their case"),
        """SELECT c.ref || ' ' || i.item FROM checklist_items i JOIN cases c ON c.id = i.case_id
               LEFT JOIN phase_changes p ON p.id = i.phase_change_id
               WHERE p.id IS NOT NULL AND (p.case_id <> i.case_id OR p.phase <> 4)""",
        RESTORE,
    ),
    (
        N_("scores lie between 1 and 5"),
        """SELECT 'meeting ' || id FROM meetings
               WHERE risk NOT BETWEEN 1 AND 5 OR self_reliance NOT BETWEEN 1 AND 5""",
        RESTORE,
    ),
)


class Reader(Protocol):
    """What a check reads through: an ``sqlite3.Connection``, or :class:`_ServerReader`."""

    def execute(self, sql: str, /) -> Any: ...


@dataclass
class Finding:
    check: str
    ok: bool
    detail: str = ""
    advice: str = ""


@dataclass
class Report:
    location: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Did every check pass?"""
        return all(f.ok for f in self.findings)


class _Stop(Exception):
    """The file cannot be examined further; ``finding`` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.detail)
        self.finding = finding


def examine(given: Path) -> Report:
    """Run every check on the case file at ``given`` (SQLite; a symlink is followed), read-only."""
    from icrctl.db.location import resolved

    path = resolved(given)
    if not path.exists():
        raise CaseFileError(_("there is no case file at {path}").format(path=given))
    report = Report(str(path))
    report.findings += _file_modes(given, path)
    try:
        from icrctl.db import readonly

        con = readonly.connect(path)
        con.execute("PRAGMA busy_timeout = 10000")
    except cipher.db_errors() as exc:
        report.findings.append(_integrity_finding(False, str(exc)))
        return report
    try:
        if cipher.kind(path) == "encrypted":
            report.findings += _pages_authentic(con)
        for check in CHECKS:
            report.findings += check(con)
    except _Stop as stop:
        report.findings.append(stop.finding)
    except cipher.db_errors() as exc:
        report.findings.append(Finding(_("reading the case file"), False, str(exc), _(RESTORE)))
    finally:
        con.close()
    return report


def _file_modes(given: Path, path: Path) -> list[Finding]:
    """Nobody but the owner may use the case file and its side files, or write in the folders of
    the file and of a link to it. The next command makes the files private; folders are the
    user's to change."""
    from icrctl.db import location

    name = _("file modes")
    found = []
    for folder in location.folders(given, path):
        mode = folder.stat().st_mode
        if mode & stat.S_IWOTH:
            detail = _("others can write in the folder {folder} ({mode:04o})")
            advice = _("keep the case file in a private folder (mode 0700)")
        elif mode & stat.S_IWGRP:
            detail = _("its group can write in the folder {folder} ({mode:04o})")
            advice = _("make the folder private with 'chmod 700 {folder}'")
        else:
            continue
        found.append(
            Finding(
                name,
                False,
                detail.format(folder=folder, mode=stat.S_IMODE(mode)),
                advice.format(folder=folder),
            )
        )
    files = location.open_files(path)
    if files:
        detail = _("open to others: {files}").format(files=location.listed(files))
        advice = _("the next icrctl command makes them private (only you have access)")
        found.append(Finding(name, False, detail, advice))
    if found:
        return found
    detail = _("private: the file {file:04o}, its folder {folder:04o}").format(
        file=stat.S_IMODE(path.stat().st_mode), folder=stat.S_IMODE(path.parent.stat().st_mode)
    )
    return [Finding(name, True, detail)]


def _pages_authentic(con: Reader) -> list[Finding]:
    """SQLCipher's check of every page's authentication code (an encrypted file only): a page
    changed or damaged on disk fails it."""
    bad = [str(r[0]) for r in con.execute("PRAGMA cipher_integrity_check")]
    return [Finding(_("encryption: every page authentic"), not bad, _first_lines(bad), _(RESTORE))]


def _integrity(con: Reader) -> list[Finding]:
    """SQLite's own check of every page and index; a file it cannot read stops the rest."""
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
    except cipher.db_errors() as exc:
        raise _Stop(_integrity_finding(False, str(exc))) from exc
    return [_integrity_finding(rows == ["ok"], _first_lines(rows) if rows != ["ok"] else "")]


def _integrity_finding(ok: bool, detail: str) -> Finding:
    return Finding(_("SQLite integrity check"), ok, detail, _(RESTORE_FILE))


def _foreign_keys(con: Reader) -> list[Finding]:
    """No row refers to a row that is not there."""
    fk = con.execute("PRAGMA foreign_key_check").fetchall()
    broken = (
        ngettext("{count} broken reference", "{count} broken references", len(fk)).format(
            count=len(fk)
        )
        if fk
        else ""
    )
    return [Finding(_("foreign keys"), not fk, broken, _(RESTORE))]


def _schema_version(con: Reader) -> list[Finding]:
    """Written by icrctl: this version, or an older one that the next command upgrades. Another
    program's database, or a newer icrctl's, stops the rest."""
    from icrctl.db.migrations import HEAD

    if "alembic_version" not in _tables(con):
        raise _Stop(
            Finding(_("schema version"), False, _("not an icrctl case file"), _("check --db"))
        )
    current = _version(con)
    if current == HEAD:
        return [
            Finding(_("schema version"), True, _("{version} (current)").format(version=current))
        ]
    if current in _known_revisions():
        detail = _(
            "{version}; the next command upgrades it to {head} after an automatic backup"
        ).format(version=current, head=HEAD)
        return [Finding(_("schema version"), True, detail)]
    raise _Stop(
        Finding(
            _("schema version"),
            False,
            _("{version!r} is unknown to this icrctl").format(version=current),
            _("use the icrctl that wrote it (a newer version?)"),
        )
    )


def _invariants(con: Reader) -> list[Finding]:
    """The app's own rules (:data:`INVARIANTS`), a finding each, naming up to ten offenders. A
    file at an older schema may lack a rule's tables: that rule waits for the upgrade."""
    from icrctl.db.migrations import HEAD

    findings = []
    missing: tuple[type[Exception], ...] = (*cipher.db_errors(), DBAPIError)
    for name, sql, advice in INVARIANTS:
        try:
            bad = [str(r[0]) for r in con.execute(sql)]
        except missing:
            if _version(con) == HEAD:
                raise
            detail = _("checked once the file is at {head}").format(head=HEAD)
            findings.append(Finding(_(name), True, detail))
            continue
        detail = ", ".join(bad[:10]) + (" …" if len(bad) > 10 else "")
        findings.append(Finding(_(name), not bad, detail, _(advice)))
    return findings


def _schema_objects(con: Reader) -> list[Finding]:
    """No trigger, view, table or index that icrctl did not create (``db/schema.py``); at an
    older revision only triggers and views, the rest once it is upgraded."""
    from icrctl.db.migrations import HEAD
    from icrctl.db.schema import MASTER, unknown

    found = unknown(con.execute(MASTER).fetchall(), current=_version(con) == HEAD)
    advice = _(
        "something outside icrctl changed the case file's schema: keep the file as evidence and "
        "restore a backup with 'icrctl restore FILE'"
    )
    return [Finding(_("schema objects"), not found, ", ".join(found), advice)]


def _audit_log(con: Reader) -> list[Finding]:
    """Every audit entry follows the one before it and is as it was written: under the audit
    key in a personal file at the keyed revision, else under the plain formula of its
    revision."""
    from icrctl.db.migrations import HEAD
    from icrctl.db.seal import GENESIS, KEYED_REVISION, audit_key, genesis, key_file

    version = _version(con) or ""
    rows = _audit_rows(con, version)
    first = rows[0][-2] if rows else None
    key: bytes | None = None
    problems: list[str] = []
    advice = _(
        "the audit log was changed outside icrctl: keep this file as evidence and restore a backup"
    )
    personal = not isinstance(con, _ServerReader)
    if personal and version < KEYED_REVISION and first not in (None, GENESIS):
        problems.append(
            _(
                "the log is sealed with the audit key, yet the schema version says {version}: "
                "the version was set back outside icrctl"
            ).format(version=version)
        )
    elif personal and version >= KEYED_REVISION and first == GENESIS:
        problems.append(_("the log is not sealed with the audit key: it was rewritten"))
    elif personal and version >= KEYED_REVISION and rows:
        key = audit_key(create=False)
        if key is None or first != genesis(key):
            problems.append(_("sealed with an audit key this computer does not have"))
            advice = _(
                "copy the audit key file {path} from the computer that made this file "
                "(or its key from that computer's keyring) to check it here"
            ).format(path=key_file())
    if not problems:
        problems = _audit_chain(rows, key, ref_hashed=version != "0001")
    detail = "; ".join(problems[:5])
    if not problems and version != HEAD:
        detail = _("as revision {version} wrote it").format(version=version)
    return [Finding(_("audit log chain"), not problems, detail, advice)]


def _audit_anchor(con: Reader) -> list[Finding]:
    """The log still holds what this computer anchored after the last change (the newest
    entries are not gone); a file without an anchor here is said to be so, not failed."""
    from icrctl.db import seal

    files = [row[2] for row in con.execute("PRAGMA database_list") if row[1] == "main"]
    anchor = seal.read_anchor(Path(files[0])) if files and files[0] else None
    name = _("audit log anchor")
    if anchor is None:
        detail = _(
            "none on this computer (a copy made or last changed elsewhere): removed newest "
            "entries cannot be told here; the next change anchors it"
        )
        return [Finding(name, True, detail)]
    problem = seal.disagreement(con, anchor)
    advice = _(
        "keep this file as evidence; restore a backup with 'icrctl restore FILE' (a copy put in "
        "place by hand is not anchored: use 'icrctl restore')"
    )
    return [Finding(name, problem is None, problem or "", advice)]


CHECKS: tuple[Callable[[Reader], list[Finding]], ...] = (
    _integrity,
    _foreign_keys,
    _schema_version,
    _schema_objects,
    _invariants,
    _audit_log,
    _audit_anchor,
)
"""What ``doctor`` checks, in order."""


def _version(con: Reader) -> str | None:
    version = con.execute("SELECT version_num FROM alembic_version").fetchone()
    return version[0] if version else None


def _first_lines(rows: list[str], limit: int = 5) -> str:
    """SQLite may put many problems into one row, a line each: show the first few."""
    lines = [line for row in rows for line in str(row).splitlines() if line.strip()]
    more = len(lines) - limit
    shown = "; ".join(lines[:limit])
    if more > 0:
        return _("{lines} (and {count} more)").format(lines=shown, count=more)
    return shown


def _known_revisions() -> set[str]:
    folder = Path(__file__).resolve().parent.parent / "db" / "migrations" / "versions"
    return {p.name.split("_", 1)[0] for p in folder.glob("*.py")}


def _audit_rows(con: Reader, version: str) -> list[Any]:
    """The log oldest first; at revision 0001 (no digest yet) its ref stands in the digest's
    place, as 0001's formula hashed it."""
    digest = "ref" if version == "0001" else "ref_digest"
    return list(
        con.execute(
            f'SELECT id, at, "user", command, action, ref, {digest}, entity, fields, prev_hash, '
            "hash FROM audit_log ORDER BY id"
        )
    )


def _audit_chain(rows: list[Any], key: bytes | None, *, ref_hashed: bool = True) -> list[str]:
    from icrctl.db.seal import GENESIS, genesis
    from icrctl.services.audit import chain_hash, digest

    problems: list[str] = []
    prev = GENESIS if key is None else genesis(key)
    for eid, at, user, command, action, ref, ref_digest, entity, fields, prev_hash, stored in rows:
        when = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(at)
        if prev_hash != prev:
            problems.append(_("entry {id} does not follow the one before it").format(id=eid))
        elif (
            chain_hash(prev_hash, when, user, command, action, ref_digest, entity, fields, key)
            != stored
        ):
            problems.append(_("entry {id} was changed after it was written").format(id=eid))
        elif ref_hashed and ref is not None and digest(ref, key) != ref_digest:
            problems.append(
                _("entry {id} names another case than it was written for").format(id=eid)
            )
        prev = stored
    return problems


def _tables(con: Reader) -> set[str]:
    if not isinstance(con, _ServerReader):
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    found = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    )
    return {r[0] for r in found}


class _ServerReader:
    """A read-only connection to a database server, read the way the checks read SQLite."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, /) -> _Rows:
        """The rows of ``sql``, read in a savepoint: a check that fails (a table an older
        revision lacks) leaves the transaction usable for the next."""
        with self._connection.begin_nested():
            return _Rows(self._connection.exec_driver_sql(sql).fetchall())


class _Rows(list[Any]):
    """Rows read already, answering ``fetchone``/``fetchall`` as a cursor does."""

    def fetchone(self) -> Any:
        return self[0] if self else None

    def fetchall(self) -> list[Any]:
        return list(self)


def _server_files(_con: Reader) -> list[Finding]:
    """The file checks have nothing to look at on a server: said, not skipped in silence."""
    return [
        Finding(
            _("file checks"),
            True,
            _(
                "not run on a database server: PostgreSQL checks its own pages and enforces the "
                "foreign keys"
            ),
        )
    ]


def _server_audit_log(con: Reader) -> list[Finding]:
    """The audit chain, read by a role that may read the log (in team mode the lead and the
    administrator); a practitioner is told it was not run. Restoring is the administrator's."""
    readable = con.execute(
        "SELECT has_table_privilege(current_user, 'audit_log', 'SELECT')"
    ).fetchone()
    if not readable or not readable[0]:
        detail = _("not run: in a team database the audit log is the lead's to read")
        return [Finding(_("audit log chain"), True, detail)]
    advice = _(
        "the audit log was changed outside icrctl: keep the database as it is, as evidence, and "
        "tell the administrator (its backups are made with pg_dump)"
    )
    return [dataclasses.replace(f, advice=advice) for f in _audit_log(con)]


def _server_objects(con: Reader) -> list[Finding]:
    """No trigger, rule or icrctl_* function that icrctl did not make (``db/schema.py``)."""
    from icrctl.db.schema import SERVER_OBJECTS, server_unknown

    found = server_unknown(con.execute(SERVER_OBJECTS).fetchall())
    advice = _(
        "something outside icrctl changed the database's schema: keep it as it is, as evidence, "
        "and tell the administrator"
    )
    return [Finding(_("schema objects"), not found, ", ".join(found), advice)]


def _team_mode(con: Reader) -> list[Finding]:
    """A team database: row-level security and grants as ``team init`` made them."""
    from icrctl.services.team import doctor_findings

    return doctor_findings(con)


SERVER_CHECKS: list[Callable[[Reader], list[Finding]]] = [
    _server_files,
    _schema_version,
    _server_objects,
    _invariants,
    _server_audit_log,
    _team_mode,
]
"""What ``doctor`` checks in a team database, in order."""


def examine_server(url: str) -> Report:
    """Run :data:`SERVER_CHECKS` on the database at ``url`` (PostgreSQL), in one read-only
    transaction (one snapshot)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from icrctl.db.engine import database_url, shown, translate

    report = Report(shown(url))
    engine = create_engine(database_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            reader = _ServerReader(connection)
            for check in SERVER_CHECKS:
                report.findings += check(reader)
    except _Stop as stop:
        report.findings.append(stop.finding)
    except DBAPIError as exc:
        raise translate(exc, url) from exc
    finally:
        engine.dispose()
    return report
