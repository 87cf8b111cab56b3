"""Renderings for doctor, audit, retention and salvage.

The headers and words are in the user's language; the audit log's own values (action, entity,
fields, command) are stored as they were written and shown as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from icrctl.i18n import _, ngettext
from icrctl.render.tables import Column, empty_or, t, table

if TYPE_CHECKING:
    from rich.console import RenderableType

    from icrctl.db.salvage import TableLoss
    from icrctl.services.audit import AuditRow
    from icrctl.services.config import SettingRow
    from icrctl.services.doctor import Report
    from icrctl.services.erasure import RetentionRow


def doctor_table(report: Report) -> RenderableType:
    rows = [
        (
            f.check,
            t(_("ok"), "green") if f.ok else t(_("PROBLEM"), "bold red"),
            f.detail,
            "" if f.ok else f.advice,
        )
        for f in report.findings
    ]
    tab = table(
        _("doctor: {location}").format(location=report.location),
        [
            Column(_("check"), "text"),
            Column(_("result")),
            Column(_("detail"), "text"),
            Column(_("what to do"), "text"),
        ],
        rows,
    )
    return tab


def audit_table(rows: list[AuditRow]) -> RenderableType:
    """Refs whole at any width; the fields and the command wrap, and go first when even that
    does not fit."""
    tab = table(
        None,
        [
            Column(_("at (UTC)")),
            Column(_("user"), drop=2),
            Column(_("action")),
            Column(_("ref"), "key"),
            Column(_("entity"), drop=3),
            Column(_("fields"), "text", drop=1),
            Column(_("command"), "text", drop=4),
        ],
        [(r.at, r.user, r.action, r.ref, r.entity, _spaced(r.fields), r.command) for r in rows],
    )
    return empty_or(tab, rows, _("nothing logged"))


def _spaced(fields: str | None) -> str | None:
    """``create:cases,create:stages`` as ``create:cases, create:stages``: a list wraps between its
    items, not inside a word."""
    return None if fields is None else fields.replace(",", ", ")


def retention_table(rows: list[RetentionRow]) -> RenderableType:
    nothing = _("no closed case is past its retention end")
    tab = table(
        None,
        [
            Column(_("ref"), "key"),
            Column(_("title"), "text"),
            Column(_("closed"), drop=2),
            Column(_("keep until")),
            Column(_("days past"), drop=1),
        ],
        [(r.ref, r.title, r.closed, r.retention_until, r.days_past) for r in rows],
    )
    return empty_or(tab, rows, nothing) if rows else Text(nothing, style="dim")


def settings_table(rows: list[SettingRow]) -> RenderableType:
    """``config list``: each setting, its value (``(default)`` after a default one), who last
    changed it, and what it does."""
    from icrctl.domain.config import KNOWN

    return table(
        None,
        [
            Column(_("setting"), "key"),
            Column(_("value")),
            Column(_("changed"), drop=2),
            Column(_("by"), drop=1),
            Column(_("what it does"), "text", drop=3),
        ],
        [
            (
                r.key,
                _("{value} (default)").format(value=r.value) if r.default else r.value,
                r.changed_at,
                r.changed_by,
                _(KNOWN[r.key].about),
            )
            for r in rows
        ],
    )


def salvage_losses(losses: list[TableLoss]) -> list[str]:
    """One line per table that lost rows in a salvage, in the user's language."""
    lines = []
    for loss in losses:
        if loss.whole:
            lines.append(_("{table}: could not be read at all").format(table=loss.table))
            continue
        if loss.unreadable:
            shown = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in loss.unreadable)
            lines.append(
                _("{table}: the rows with id {ids} could not be read").format(
                    table=loss.table, ids=shown
                )
            )
        if loss.rest_after is not None:
            lines.append(
                _("{table}: nothing could be read after the row with id {id}").format(
                    table=loss.table, id=loss.rest_after
                )
            )
        if loss.refused:
            lines.append(
                ngettext(
                    "{table}: {count} row read was damaged (it breaks the case file's rules)",
                    "{table}: {count} rows read were damaged (they break the case file's rules)",
                    loss.refused,
                ).format(table=loss.table, count=loss.refused)
            )
        if loss.orphaned:
            lines.append(
                ngettext(
                    "{table}: {count} row belonged to a row that was lost",
                    "{table}: {count} rows belonged to rows that were lost",
                    loss.orphaned,
                ).format(table=loss.table, count=loss.orphaned)
            )
    return lines
