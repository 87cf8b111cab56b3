"""What a command needs from the root: the case file, the day, the output; and the one place
where an :class:`IcrError` becomes ``error: …`` and an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import click
from typer.core import TyperGroup

from icrctl.errors import CaseFileError, IcrError, ImportErrors, WriteConflict
from icrctl.i18n import _, ngettext
from icrctl.render.output import Output

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from icrctl.db.engine import CaseFile
    from icrctl.services.context import Context


@dataclass
class AppState:
    db: str | None = None
    debug: bool = False
    encrypted: bool = False
    out: Output = field(default_factory=Output)
    _case_file: CaseFile | None = None
    _context: Context | None = None

    def case_file(self) -> CaseFile:
        if self._case_file is None:
            from icrctl.db.engine import CaseFile
            from icrctl.settings import resolve_case_file

            self._case_file = CaseFile(resolve_case_file(self.db), encrypted=self.encrypted)
            for warning in self._case_file.warnings:
                self.out.warn(warning)
        return self._case_file

    def context(self) -> Context:
        if self._context is None:
            from icrctl.services.context import Context

            command = click.get_current_context().command_path
            self._context = Context.from_environment(command)
        return self._context

    def release(self) -> None:
        """Close the case file; the next use opens it again (after it was encrypted, say)."""
        if self._case_file is not None:
            self._case_file.dispose()
            self._case_file = None

    def close(self) -> None:
        if self._case_file is not None:
            self._case_file.dispose()
        import sys

        keys = sys.modules.get("icrctl.db.passphrase")
        if keys is not None:  # an encrypted file's key lives only as long as its command
            keys.forget()


def state() -> AppState:
    obj = click.get_current_context().find_root().obj
    if not isinstance(obj, AppState):  # pragma: no cover - the root callback always sets it
        raise RuntimeError("icrctl state missing")
    return obj


def today() -> date:
    return state().context().today


def day(text: str | None) -> date | None:
    """A date option as docs/cli.md reads it, relative to today."""
    if text is None:
        return None
    from icrctl.domain.dates import parse_date

    return parse_date(text, today())


@contextmanager
def writing() -> Iterator[tuple[Session, Context]]:
    """One writing transaction (``BEGIN IMMEDIATE``, or PostgreSQL's write lock) for the whole
    command. A :class:`WriteConflict` from it runs the whole command again (:class:`IcrGroup`)."""
    st = state()
    with st.case_file().write() as session:
        yield session, _identified(session, st)


@contextmanager
def reading(*, logged: bool = False) -> Iterator[tuple[Session, Context]]:
    """One reading transaction. ``logged``: the command shows a case's personal data and logs
    that (``services/access.py``); with ``audit_reads`` on, an SQLite file is then read in a
    writing transaction, so that the access entry is written in the same one."""
    st = state()
    case_file = st.case_file()
    logging = logged and _reads_logged(case_file, st)
    if logging and case_file.read_only:
        from icrctl.services.access import cannot_log

        raise cannot_log()
    try:
        with case_file.write() if logging else case_file.read() as session:
            yield session, _identified(session, st)
    except CaseFileError as exc:
        from icrctl.services.access import cannot_log, read_only

        if logging and read_only(exc.__cause__):
            raise cannot_log() from None
        raise


def _reads_logged(case_file: CaseFile, st: AppState) -> bool:
    """Whether reads are audited, asked before the command's transaction (SQLite only: on a
    server a reading transaction may append to the audit log as it is)."""
    if not case_file.is_sqlite:
        return False
    from icrctl.services.config import reads_audited

    with case_file.read() as session:
        return reads_audited(session, st.context())


@contextmanager
def logged_reading(*, shows: bool = True) -> Iterator[tuple[Session, Context, bool]]:
    """A command that only reads but logs that it did (``export``, ``backup``): a writing
    transaction, whose third value (True) says to write the audit entry. On a read-only case
    file, which takes no entry, a reading one (False), with a warning that it goes unlogged;
    unless it ``shows`` personal data (``export``) and reads must be logged (``audit_reads``),
    which refuses it as every read that cannot be logged."""
    st = state()
    case_file = st.case_file()
    if not case_file.read_only:
        with writing() as (session, ctx):
            yield session, ctx, True
        return
    if shows and _reads_logged(case_file, st):  # showing personal data must be logged
        from icrctl.services.access import cannot_log

        raise cannot_log()
    st.out.warn(_("the case file is read-only: this is not written to its audit log"))
    with reading() as (session, ctx):
        yield session, ctx, False


def _identified(session: Session, st: AppState) -> Context:
    """The command's context; on PostgreSQL in team mode the user is the database role."""
    ctx = st.context()
    if ctx.team is None and not st.case_file().is_sqlite:
        from icrctl.services.team import apply_identity

        apply_identity(session, ctx)
    return ctx


def out() -> Output:
    return state().out


#: How often a command runs when the database gives up on its unit of work (a serialization
#: failure or a deadlock on PostgreSQL) before the conflict is reported.
WRITE_ATTEMPTS = 5


class IcrGroup(TyperGroup):
    """The root group: the one place that turns an IcrError into ``error: …`` and its exit code,
    and the one place that runs a command again after a :class:`WriteConflict`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return self._invoke_retrying(ctx)
        except IcrError as exc:
            if _debug(ctx):
                raise
            if isinstance(exc, ImportErrors):
                for line in exc.errors:
                    click.echo(line, err=True)
                count = exc.total
                if count > len(exc.errors):
                    more = count - len(exc.errors)
                    click.echo(_("… and {count} more").format(count=more), err=True)
                summary = ngettext(
                    "{count} error; nothing was imported",
                    "{count} errors; nothing was imported",
                    count,
                ).format(count=count)
                click.echo(_("error: {message}").format(message=summary), err=True)
            else:
                from icrctl.render.errors import error_text

                message = " ".join(error_text(exc).splitlines())
                click.echo(_("error: {message}").format(message=message), err=True)
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if _debug(ctx):
                raise
            message = _(
                "unexpected {kind}: {detail} (run with --debug for the traceback; nothing was "
                "changed)"
            ).format(kind=type(exc).__name__, detail=exc)
            click.echo(_("error: {message}").format(message=message), err=True)
            ctx.exit(1)
        finally:
            if isinstance(ctx.obj, AppState):
                ctx.obj.close()

    def _invoke_retrying(self, ctx: click.Context) -> Any:
        """Run the command; after a :class:`WriteConflict` (its transaction rolled back, nothing
        changed) run it again from its arguments, at most :data:`WRITE_ATTEMPTS` times, after a
        short random pause so that the contenders do not meet again."""
        import random
        import time

        arguments = _arguments(ctx)
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return super().invoke(ctx)
            except WriteConflict:
                if attempt == WRITE_ATTEMPTS:
                    raise
            if isinstance(ctx.obj, AppState):
                ctx.obj.close()
            _restore_arguments(ctx, arguments)
            time.sleep(random.uniform(0, 0.02 * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover


def _arguments(ctx: click.Context) -> tuple[list[str], list[str]]:
    """The command line below the root (click empties it while invoking)."""
    protected = getattr(ctx, "_protected_args", None)
    if protected is None:  # click < 8.2
        protected = ctx.protected_args
    return list(protected), list(ctx.args)


def _restore_arguments(ctx: click.Context, arguments: tuple[list[str], list[str]]) -> None:
    protected, rest = arguments
    # click < 8.2 keeps them in ``protected_args``, a property since
    setattr(
        ctx,
        "_protected_args" if hasattr(ctx, "_protected_args") else "protected_args",
        list(protected),
    )
    ctx.args = list(rest)


def confirm(question: str, yes: bool) -> None:
    """Ask before something that cannot be undone; without --yes and with nobody to answer on a
    terminal, refuse (as an :class:`IcrError`, so the boundary above reports it)."""
    import sys

    from icrctl.errors import RuleViolation

    if yes:
        return
    if not sys.stdin.isatty():
        raise RuleViolation(
            _("{question} Give --yes to confirm (no terminal to ask on)").format(question=question)
        )
    if not click.confirm(question, default=False):
        raise click.exceptions.Exit(1)


def ask_passphrase(question: str, twice: bool) -> str | None:
    """A passphrase typed on the terminal, not shown; asked twice when it is being set. None
    when there is no terminal to ask on."""
    import sys

    if not sys.stdin.isatty():
        return None
    again = _("Repeat it: ") if twice else False
    answer: str = click.prompt(
        question, hide_input=True, confirmation_prompt=again, prompt_suffix="", err=True
    )
    return answer


def _debug(ctx: click.Context) -> bool:
    return isinstance(ctx.obj, AppState) and ctx.obj.debug
