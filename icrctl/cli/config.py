"""``icrctl config``: the settings kept in the case file (on a team's server, the team's)."""

from typing import Annotated

import typer

from icrctl.cli.options import Format, FormatOption
from icrctl.cli.state import out, reading, writing
from icrctl.i18n import _

app = typer.Typer(
    help="Settings of the case file: list, get, set, unset. "
    "On a team database the team lead changes them.",
    no_args_is_help=True,
)

Key = Annotated[str, typer.Argument(help="The setting, e.g. audit_reads.", show_default=False)]


@app.command("list")
def list_(fmt: FormatOption = Format.table) -> None:
    """Every setting, its value and whether that is the default."""
    from icrctl.render.maintenance import settings_table
    from icrctl.services.config import list_settings

    with reading() as (session, ctx):
        rows = list_settings(session, ctx)
    out().emit(rows, fmt.value, settings_table)


@app.command("get")
def get(key: Key) -> None:
    """Print one setting's value."""
    from icrctl.services.config import get_setting

    with reading() as (session, ctx):
        row = get_setting(session, ctx, key)
    out().say(row.value)


@app.command("set")
def set_(
    key: Key,
    value: Annotated[str, typer.Argument(help="The value, e.g. on or off (aan, uit).")],
) -> None:
    """Change a setting (audited)."""
    from icrctl.services.config import set_setting

    with writing() as (session, ctx):
        row, changed = set_setting(session, ctx, key, value)
    if changed:
        out().say(_("{key} is now {value}").format(key=row.key, value=row.value))
    else:
        out().say(
            _("{key} is {value} already: nothing changed").format(key=row.key, value=row.value)
        )


@app.command("unset")
def unset(key: Key) -> None:
    """Put a setting back to its default (audited)."""
    from icrctl.services.config import unset_setting

    with writing() as (session, ctx):
        row, changed = unset_setting(session, ctx, key)
    if changed:
        message = _("{key} is back to its default: {value}")
    else:
        message = _("{key} was not set (its default is {value}): nothing changed")
    out().say(message.format(key=row.key, value=row.value))
