"""Renderings for doctor, audit and retention."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

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
            t("ok", "green") if f.ok else t("PROBLEM", "bold red"),
            f.detail,
            "" if f.ok else f.advice,
        )
        for f in report.findings
    ]
    tab = table(f"doctor: {report.location}", ["check", "result", "detail", "what to do"], rows)
    return tab


def audit_table(rows: list[AuditRow]) -> RenderableType:
    tab = table(
        None,
        ["at (UTC)", "user", "action", "ref", "entity", "fields", "command"],
        [(r.at, r.user, r.action, r.ref, r.entity, r.fields, r.command) for r in rows],
    )
    return empty_or(tab, rows, "nothing logged")


def retention_table(rows: list[RetentionRow]) -> RenderableType:
    tab = table(
        None,
        ["ref", "title", "closed", "keep until", "days past"],
        [(r.ref, r.title, r.closed, r.retention_until, r.days_past) for r in rows],
    )
    return (
        empty_or(tab, rows, "no closed case is past its retention end")
        if rows
        else Text("no closed case is past its retention end", style="dim")
    )
