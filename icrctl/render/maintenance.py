"""Renderings for doctor, audit and retention.

The headers and words are in the user's language; the audit log's own values (action, entity,
fields, command) are stored as they were written and shown as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from icrctl.i18n import _
from icrctl.render.tables import empty_or, t, table

if TYPE_CHECKING:
    from rich.console import RenderableType

    from icrctl.services.audit import AuditRow
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
        [_("check"), _("result"), _("detail"), _("what to do")],
        rows,
    )
    return tab


def audit_table(rows: list[AuditRow]) -> RenderableType:
    tab = table(
        None,
        [
            _("at (UTC)"),
            _("user"),
            _("action"),
            _("ref"),
            _("entity"),
            _("fields"),
            _("command"),
        ],
        [(r.at, r.user, r.action, r.ref, r.entity, r.fields, r.command) for r in rows],
    )
    return empty_or(tab, rows, _("nothing logged"))


def retention_table(rows: list[RetentionRow]) -> RenderableType:
    nothing = _("no closed case is past its retention end")
    tab = table(
        None,
        [_("ref"), _("title"), _("closed"), _("keep until"), _("days past")],
        [(r.ref, r.title, r.closed, r.retention_until, r.days_past) for r in rows],
    )
    return empty_or(tab, rows, nothing) if rows else Text(nothing, style="dim")
