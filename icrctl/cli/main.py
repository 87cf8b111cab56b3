"""The root of the command line: ``icrctl [--db PATH] [--debug] COMMAND``."""

import contextlib
import importlib
import os
import sys
from typing import Annotated, Any

import click
import typer
import typer.main

from icrctl import __version__
from icrctl.cli import language
from icrctl.cli.catalogue import COMMANDS
from icrctl.cli.state import AppState, IcrGroup
from icrctl.i18n import _


class LazyRoot(IcrGroup):
    """The root group: a command's module is imported only when that command runs, so that
    ``icrctl --help`` and every command pay for their own imports alone."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Choose the language (``--lang``, ``$ICRCTL_LANG``, the locale) before click reads
        anything: ``icrctl --help`` is printed while the arguments are parsed."""
        arguments = list(sys.argv[1:] if args is None else args)
        language.start(self, arguments)
        return super().main(arguments, *rest, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attribute, _ = entry
        target: Any = getattr(importlib.import_module(module), attribute)
        if not isinstance(target, typer.Typer):
            single = typer.Typer()
            single.command(name=cmd_name)(target)
            target = single
        target.rich_markup_mode = None
        target._add_completion = False  # completion is installed from the root only
        command = typer.main.get_command(target)
        command.name = cmd_name
        return language.localize(command)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, _(text)) for name, (_m, _a, text) in COMMANDS.items()])


app = typer.Typer(
    cls=LazyRoot,
    name="icrctl",
    help="Case direction for intensive case directors (intensieve casusregie): cases, members, "
    "partners, evaluations and the regiekaart phases, in a local case file.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"icrctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="The case file: a path or an SQLAlchemy URL. Default: $ICRCTL_DB, else "
            "caseload.db in the platform's data folder.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="The language: nl (Dutch) or en (English). Default: $ICRCTL_LANG, else the "
            "locale (LC_ALL, LC_MESSAGES, LANG), else nl.",
            show_default=False,
            metavar="nl|en",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    encrypted: Annotated[
        bool,
        typer.Option(
            "--encrypted",
            help="Create a new case file encrypted (SQLCipher; needs icrctl[encrypted]).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    ctx.obj = AppState(db=db, debug=debug, encrypted=encrypted)
    _passphrases(db, encrypted)


def _passphrases(db: str | None, encrypted: bool) -> None:
    """How an encrypted case file's passphrase is asked; with a passphrase file, its key
    derivation starts now, beside the command's imports. A plain file pays one stat."""
    from icrctl.cli.state import ask_passphrase
    from icrctl.db import passphrase
    from icrctl.settings import resolve_case_file, sqlite_path

    passphrase.set_prompt(ask_passphrase)
    path = sqlite_path(resolve_case_file(db))
    if encrypted and path is None:
        from icrctl.errors import InvalidValue

        raise InvalidValue(
            _(
                "--encrypted works on an SQLite case file; a team database is encrypted by its "
                "server"
            )
        )
    if path is not None and os.environ.get(passphrase.FILE_VAR):
        passphrase.start(path)


def main() -> None:
    """The console script. Once the command has finished (its transaction committed, the case
    file closed, output flushed) the process ends at once: tearing down SQLAlchemy's and
    rich's module state costs more than many commands take, and there is nothing left to do."""
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    else:  # pragma: no cover - typer's standalone mode always exits
        code = 0
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # the reader went away (| head): nothing to tell
            stream.flush()
    os._exit(code or 0)
