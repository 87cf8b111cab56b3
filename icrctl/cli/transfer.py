"""``icrctl import`` and ``icrctl export``: the whole case file as YAML (see docs/format.md)."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from icrctl.cli.state import logged_reading, out, state, today, writing
from icrctl.i18n import _, ngettext

PROGRESS_FROM = 50


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr, only on a terminal and only for many cases."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=out().err, transient=True) as bar:
        task = bar.add_task(_("importing cases"), total=total)
        yield lambda n: bar.advance(task, n)


def import_(
    file: Annotated[str, typer.Argument(help="The YAML file, or - for standard input.")],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check the file and say what would change; write nothing."),
    ] = False,
) -> None:
    """Import cases, members, partners, series, history, goals and contacts (merge by key)."""
    from icrctl.io.importfile import read_import
    from icrctl.services.importer import backup_before_import, import_records

    name = "<stdin>" if file == "-" else file
    if file == "-":
        doc = read_import(sys.stdin, name, today())
    else:
        try:
            with open(file, encoding="utf-8") as stream:
                doc = read_import(stream, name, today())
        except (OSError, UnicodeDecodeError) as exc:
            from icrctl.errors import InvalidValue

            raise InvalidValue(
                _("cannot read {file}: {error}").format(file=file, error=exc)
            ) from None
    with _progress(len(doc.cases)) as advance, writing() as (session, ctx):
        result = import_records(
            session,
            ctx,
            doc,
            name,
            dry_run=dry_run,
            progress=advance,
            backup=backup_before_import(state().case_file()),
        )
    from icrctl.render.tables import import_summary

    out().console.print(import_summary(result))


def _warn_if_encrypted() -> None:
    """An export is plain YAML by nature: say so once when the case file is encrypted."""
    if state().case_file().encrypted:
        out().warn(_("the export is not encrypted, unlike the case file: keep it safe"))


def export(
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write to this file (mode 0600); default: standard output."
        ),
    ] = None,
    case: Annotated[
        str | None,
        typer.Option("--case", help="Only this case (e.g. for an access request under the GDPR)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Export the case file (or one case) in the import format."""
    from icrctl.io.exportfile import export_text
    from icrctl.services import audit
    from icrctl.services.access import log_access
    from icrctl.services.exporter import export_records

    _warn_if_encrypted()
    if out_file is None:
        with logged_reading() as (session, ctx, log):
            doc = export_records(session, case)
            text = export_text(doc)
            if log:
                audit.record(session, ctx, "export", "case_file", case, ["cases"])
                log_access(session, ctx, "case", [c.ref for c in doc.cases])
        sys.stdout.write(text)
        return
    from icrctl.io.files import write_private

    with logged_reading() as (session, ctx, log):
        doc = export_records(session, case)
        write_private(out_file, export_text(doc).encode(), force=force)
        if log:
            audit.record(session, ctx, "export", "case_file", case, ["cases"])
            log_access(session, ctx, "case", [c.ref for c in doc.cases])
    count = len(doc.cases)
    exported = ngettext(
        "exported {count} case to {file}", "exported {count} cases to {file}", count
    )
    out().say(exported.format(count=count, file=out_file))
