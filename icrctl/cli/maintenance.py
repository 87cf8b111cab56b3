"""``backup``, ``restore``, ``salvage``, ``doctor``, ``audit`` and ``retention``: keeping the
case file safe."""

from pathlib import Path
from typing import Annotated

import typer

from icrctl.cli.options import DateHelp, Format, FormatOption
from icrctl.cli.state import confirm, day, logged_reading, out, reading, state, writing
from icrctl.i18n import _, ngettext


def _sqlite_path() -> Path:
    from icrctl.errors import InvalidValue
    from icrctl.settings import resolve_case_file, sqlite_path

    path = sqlite_path(resolve_case_file(state().db))
    if path is None:
        raise InvalidValue(
            _(
                "backup, restore and doctor work on an SQLite case file; for a "
                "team database use the database's own tools"
            )
        )
    return path


def _server_url() -> str | None:
    """The team database's URL (PostgreSQL), or None for an SQLite case file."""
    from icrctl.settings import resolve_case_file, sqlite_path

    location = resolve_case_file(state().db)
    if sqlite_path(location) is not None or not location.startswith("postgresql"):
        return None
    return location


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """A consistent, verified copy of the case file (mode 0600), safe while others write."""
    from icrctl.db import backups
    from icrctl.services import audit

    url = _server_url()
    if url is not None:
        _dump(url, file, force)
        return
    source = _sqlite_path()
    with logged_reading(shows=False) as (session, ctx, log):  # opening checks the file
        # Logging first takes the write lock (BEGIN IMMEDIATE): if another icrctl holds it too
        # long, the command stops before any copy is written. The entry itself is flushed at
        # commit, after the copy, so a failed copy leaves no entry either. A read-only case
        # file takes no entry, and nobody can write it meanwhile.
        if log:
            audit.record(session, ctx, "backup", "case_file", None, [])
        backups.copy(source, file, force=force)
    out().say(_("backed up {source} to {file}").format(source=source, file=file))


def _dump(url: str, file: Path, force: bool) -> None:
    """``backup`` of a team database: pg_dump's custom format (db/server.py)."""
    from icrctl.db import server
    from icrctl.db.engine import shown
    from icrctl.services import audit

    with writing() as (session, ctx):  # the write lock: the entry goes in after the dump
        audit.record(session, ctx, "backup", "case_file", None, [])
        server.dump(url, file, force=force)
    out().say(
        _("backed up {source} to {file} (pg_dump, custom format)").format(
            source=shown(url), file=file
        )
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by 'icrctl backup'.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Replace the case file with a backup; the replaced file is kept as *.before-restore."""
    from icrctl.db import backups
    from icrctl.errors import InvalidValue
    from icrctl.services import audit

    url = _server_url()
    if url is not None:
        from icrctl.db.server import restore_refused

        raise restore_refused(url, file)
    target = _sqlite_path()
    try:
        found = file.is_file()
    except OSError as exc:  # a name too long, a folder without permission
        raise InvalidValue(
            _("cannot read {file}: {error}").format(file=file, error=exc.strerror or exc)
        ) from None
    if not found:
        raise InvalidValue(_("no backup at {file}").format(file=file))
    problems = backups.check(file)
    if problems:
        raise InvalidValue(
            _("{file} is not a sound backup: {problems}").format(
                file=file, problems="; ".join(problems)
            )
        )
    _keeps_encryption(target, file)
    confirm(_("Replace {target} with {file}?").format(target=target, file=file), yes)
    kept = backups.restore(target, file)
    with writing() as (session, ctx):
        audit.record(session, ctx, "restore", "case_file", None, [])
    if kept is None:
        out().say(_("restored {target} from {file}").format(target=target, file=file))
        return
    out().say(
        _("restored {target} from {file}; the replaced file is kept as {kept}").format(
            target=target, file=file, kept=kept
        )
    )


def _keeps_encryption(target: Path, file: Path) -> None:
    """A plain backup would leave an encrypted case file plain: refused."""
    from icrctl.db import cipher
    from icrctl.errors import InvalidValue

    if cipher.kind(target) == "encrypted" and cipher.kind(file) != "encrypted":
        raise InvalidValue(
            _(
                "{file} is not encrypted and the case file is: restoring it would leave the "
                "case file unencrypted; nothing was changed. Restore it elsewhere with --db, "
                "then encrypt that file with 'icrctl encrypt'"
            ).format(file=file)
        )


#: The exit status of a salvage that lost something (docs/cli.md, "Exit status").
PARTIAL = 4


def salvage(
    damaged: Annotated[Path, typer.Argument(help="The damaged case file (only read).")],
    out_file: Annotated[Path, typer.Argument(help="Where to write the export (mode 0600).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Export what a damaged case file still holds, in the import format. It never writes to
    the damaged file nor to the case file in use. Exit 4 when something could not be read."""
    from icrctl.render.maintenance import salvage_losses
    from icrctl.services.salvage import salvage as rescue
    from icrctl.settings import resolve_case_file, sqlite_path

    in_use = sqlite_path(resolve_case_file(state().db))
    result = rescue(damaged, out_file, force=force, case_file=in_use)
    for line in salvage_losses(result.losses):
        out().warn(line)
    saved = ngettext(
        "salvaged {count} case from {damaged} into {file}",
        "salvaged {count} cases from {damaged} into {file}",
        result.cases,
    )
    out().say(saved.format(count=result.cases, damaged=damaged, file=out_file))
    if result.losses:
        out().warn(_("the salvage is partial: what is named above was lost"))
        raise typer.Exit(PARTIAL)


def doctor() -> None:
    """Check the case file: integrity, foreign keys, schema, the app's rules, the audit chain.
    Exit 1 on any problem. It never repairs and never creates a file."""
    from icrctl.render.maintenance import doctor_table
    from icrctl.services.doctor import examine, examine_server

    url = _server_url()
    report = examine(_sqlite_path()) if url is None else examine_server(url)
    out().console.print(doctor_table(report))
    if not report.ok:
        raise typer.Exit(1)


def audit(
    ref: Annotated[str | None, typer.Argument(help="Only this case.")] = None,
    since: Annotated[str | None, typer.Option("--since", help=DateHelp)] = None,
    access: Annotated[
        bool,
        typer.Option(
            "--access",
            help="Only who read or took out a case's data (read, document, export), "
            "not the changes.",
        ),
    ] = False,
    fmt: FormatOption = Format.table,
    reseal: Annotated[
        bool,
        typer.Option(
            "--reseal",
            help="Seal the log anew with this computer's audit key (its old key is lost).",
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (with --reseal).")] = False,
) -> None:
    """Who changed what, when (never the personal data itself), oldest first."""
    from icrctl.render.maintenance import audit_table
    from icrctl.services.access import access_entries
    from icrctl.services.audit import entries

    if reseal:
        _reseal(ref, since, yes)
        return
    with reading() as (session, _ctx):
        rows = (access_entries if access else entries)(session, ref, day(since))
    out().emit(rows, fmt.value, audit_table)


def _reseal(ref: str | None, since: str | None, yes: bool) -> None:
    from icrctl.errors import InvalidValue
    from icrctl.services.audit import reseal

    if ref is not None or since is not None:
        raise InvalidValue(_("--reseal seals the whole log: give no REF or --since with it"))
    confirm(
        _(
            "Seal the audit log anew with this computer's key? Its entries can then no longer be "
            "checked against the key that sealed them."
        ),
        yes,
    )
    with writing() as (session, ctx):
        count = reseal(session, ctx)
    out().say(
        _(
            "the audit log is sealed anew with this computer's key (entries sealed anew: {count}); "
            "the reseal is logged"
        ).format(count=count)
    )


def retention(fmt: FormatOption = Format.table) -> None:
    """Closed cases past their retention end, to be purged with 'icrctl case purge'."""
    from icrctl.render.maintenance import retention_table
    from icrctl.services.erasure import past_retention

    with reading() as (session, ctx):
        rows = past_retention(session, ctx)
    out().emit(rows, fmt.value, retention_table)
