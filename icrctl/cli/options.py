"""Options shared by many commands."""

from enum import StrEnum
from typing import Annotated

import typer

from icrctl.cli.complete import case_refs


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="table, json or csv.", case_sensitive=False)
]
DateHelp = "A date: 2026-11-24, 24-11-2026, today, tomorrow, yesterday, +3d, -2w, or a weekday."
RefArg = Annotated[
    str,
    typer.Argument(
        help="The case's ref, e.g. GO-2026-014.", show_default=False, autocompletion=case_refs
    ),
]
