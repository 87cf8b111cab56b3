"""Options shared by many commands."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer

from icrctl.cli.complete import case_refs
from icrctl.i18n import N_, _


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="table, json or csv.", case_sensitive=False)
]
DateHelp = N_("{dates}")
"""The date forms, as a help text (``icrctl.cli.language.HELP_TERMS`` words them); a longer help
text names them with ``{dates}`` inside its own words."""
RefArg = Annotated[
    str,
    typer.Argument(
        help="The case's ref, e.g. GO-2026-014.", show_default=False, autocompletion=case_refs
    ),
]

LARGEST_NUMBER = 2**31 - 1
"""The largest whole number every case file holds (PostgreSQL's ``integer``; SQLite's goes
further): a goal number, a series id, a phase or a score beyond it is a typing error."""


if TYPE_CHECKING:  # click is generic from 8.2 on; 8.1 (still supported) is not, at run time
    _NumberType = click.ParamType[int]
else:
    _NumberType = click.ParamType


class WholeNumber(_NumberType):
    """A whole number (goal numbers, series ids, phases, scores). Not a number at all is a usage
    error, as click has it; a number beyond :data:`LARGEST_NUMBER` either way is refused in one
    line (exit 1), so that it never reaches the case file, where it would overflow."""

    name = "integer"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = click.INT.convert(value, param, ctx)
        if abs(number) > LARGEST_NUMBER:
            from icrctl.errors import InvalidValue

            what = param.get_error_hint(ctx) if param is not None and ctx else _("a number")
            if number < 0:
                message = _("invalid value for {what}: {number} is too small (at least {limit})")
            else:
                message = _("invalid value for {what}: {number} is too large (at most {limit})")
            limit = -LARGEST_NUMBER if number < 0 else LARGEST_NUMBER
            raise InvalidValue(message.format(what=what, number=number, limit=limit))
        return number


WHOLE = WholeNumber()
