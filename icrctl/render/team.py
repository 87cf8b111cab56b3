"""The team's roles as a table (``icrctl team list``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType

from icrctl.i18n import _
from icrctl.render.tables import Column, empty_or, table

if TYPE_CHECKING:
    from icrctl.services.team import Member


def team_table(rows: list[Member]) -> RenderableType:
    tab = table(
        None,
        [
            Column(_("role"), "key"),
            Column(_("name"), "text", least=16),
            Column(_("lead")),
            Column(_("can log in"), drop=1),
        ],
        [(m.role, m.display_name, m.lead, m.login) for m in rows],
    )
    return empty_or(tab, rows, _("no practitioners yet: add one with 'icrctl team add NAME'"))
