"""The caseload at a glance: the status table, signals, and the weekly printout in its three
renderings (terminal, Markdown, HTML) from one set of data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.text import Text

from icrctl.render.documents import Block, Bullets, Document, Facts, Heading, Para, Section, Table
from icrctl.render.signals import message
from icrctl.render.tables import PHASE_STYLE, empty_or, phase_cell, t, table

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from icrctl.services.caseload import StatusRow, WeekCase, WeekMeeting, WeekReport

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


STATUS_COLUMNS = [
    "ref",
    "title",
    "ph",
    "stage",
    "days",
    "regisseur",
    "m/p",
    "last contact",
    "next evaluation",
    "late",
    "sig",
]
FLEXIBLE = (1, 5)  # title and regisseur give way; every other column keeps its width
DROP_FIRST = (6, 4, 5, 3)  # m/p, days, regisseur, stage: left out on a narrow terminal


class StatusTable:
    """The status table, one line per case at any terminal width: long titles and names are
    cut with an ellipsis, never wrapped, so the most urgent case stays on the first line."""

    def __init__(self, rows: list[StatusRow]) -> None:
        self.rows = rows

    def _cells(self, r: StatusRow) -> list[Text]:
        return [
            t(r.ref),
            t(r.title),
            phase_cell(r.phase),
            t(r.stage),
            t(r.days_in_phase),
            t(r.regisseur),
            t(f"{r.members}/{r.partners}"),
            t(f"{r.last_contact.isoformat()} {r.days_since_contact}d")
            if r.last_contact
            else t(None),
            t(f"{r.next_evaluation.isoformat()} {r.next_evaluation_time}")
            if r.next_evaluation
            else t(None),
            t(r.overdue_evaluations, "bold red" if r.overdue_evaluations else ""),
            t(len(r.signals), "bold red" if r.signals else ""),
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            yield Text("no open cases", style="dim")
            return
        cells = [self._cells(r) for r in self.rows]
        widths = {
            i: max([len(h), *(c[i].cell_len for c in cells)]) for i, h in enumerate(STATUS_COLUMNS)
        }
        keep = list(range(len(STATUS_COLUMNS)))
        while True:  # on a narrow terminal, leave out the least needed columns first
            fixed = sum(widths[i] for i in keep if i not in FLEXIBLE)
            room = options.max_width - fixed - 3 * (len(keep) - 1)
            optional = [i for i in DROP_FIRST if i in keep]
            if room >= 12 + (6 if 5 in keep else 0) or not optional:
                break
            keep.remove(optional[0])
        if 5 in keep:
            regisseur = min(widths[5], max(6, room - 14))
            widths[1] = max(8, min(widths[1], room - regisseur))
            widths[5] = max(4, min(widths[5], room - widths[1]))
        else:
            widths[1] = max(8, min(widths[1], room))
        tab = table(
            None, [STATUS_COLUMNS[i] for i in keep], [[row[i] for i in keep] for row in cells]
        )
        for column, i in zip(tab.columns, keep, strict=True):
            column.no_wrap = True
            column.overflow = "ellipsis"
            column.width = widths[i]
        yield tab


def status_table(rows: list[StatusRow]) -> RenderableType:
    return StatusTable(rows)


def signals_table(rows: list[tuple[str, str, str]]) -> RenderableType:
    return empty_or(
        table(None, ["ref", "code", "what to do"], rows),
        rows,
        "no signals: nothing needs attention",
    )


# ------------------------------------------------------------------ week: terminal


def week_terminal(w: WeekReport) -> RenderableType:
    parts: list[RenderableType] = [
        Text.assemble(
            (f"Week {w.week}", "bold"), f"  {w.monday.isoformat()} – {w.sunday.isoformat()}"
        ),
        Text(""),
    ]
    for day in w.days:
        label = f"{WEEKDAYS[day.date.weekday()]} {day.date.isoformat()}"
        head = Text.assemble(
            (label, "bold"), (f"  {day.holiday} (public holiday)", "yellow") if day.holiday else ""
        )
        parts.append(head)
        if not day.meetings:
            parts.append(Text("  –", style="dim"))
        for mt in day.meetings:
            moved = f" (moved from {mt.moved_from.isoformat()})" if mt.moved_from else ""
            parts.append(
                Text.assemble(
                    f"  {mt.time or '--:--'}  ",
                    (mt.ref, "bold"),
                    f" {mt.title}",
                    (f"  [{mt.status}]", "bold red") if mt.status == "overdue" else "",
                    (f"  [{_cancelled(mt)}]", "bold") if mt.status == "cancelled" else "",
                    moved,
                    "\n         with: ",
                    ", ".join(mt.attendees) or "–",
                )
            )
    parts.append(Text(""))
    for c in w.cases:
        parts.append(_case_terminal(c))
    if not w.cases:
        parts.append(Text("no open cases", style="dim"))
    return Group(*parts)


def _case_terminal(c: WeekCase) -> RenderableType:
    lines: list[RenderableType] = [
        Text.assemble(
            (c.ref, "bold"),
            f"  {c.title}  ",
            (f"phase {c.phase}", PHASE_STYLE.get(c.phase, "")),
            f" {c.phase_name}, stage {c.stage}",
        )
    ]
    for label, items in _case_items(c):
        if label:
            lines.append(Text(f"  {label}:", style="bold"))
            lines += [Padding(Text(item), (0, 0, 0, 4)) for item in items]  # wraps indented
        else:
            lines += [Text(f"  {item}", style="dim") for item in items]
    lines.append(Text(""))
    return Group(*lines)


def _case_items(c: WeekCase) -> list[tuple[str, list[str]]]:
    out = []
    if c.changes:
        out.append(("this week", [f"{ch.date.isoformat()}  {ch.what}" for ch in c.changes]))
    if c.overdue:
        out.append(("overdue evaluations", [d.isoformat() for d in c.overdue]))
    if c.goals_due:
        out.append(
            (
                "goals due",
                [
                    f"{g.id}. {g.goal} (due {g.due.isoformat() if g.due else '–'}"
                    f", {g.who or 'nobody named'})"
                    for g in c.goals_due
                ],
            )
        )
    if c.signals:
        out.append(("signals", [f"{s.code}: {message(s)}" for s in c.signals]))
    if not out:
        out.append(("", ["nothing needs attention"]))
    return out


def _cancelled(mt: WeekMeeting) -> str:
    """A cancelled evaluation, and why: it will not take place (not: nobody came)."""
    return f"cancelled: {' '.join(mt.reason.split())}" if mt.reason else "cancelled"


# ------------------------------------------------------------------ week: document


def week_document(w: WeekReport) -> Document:
    blocks: list[Block] = [
        Para(f"{w.monday.isoformat()} – {w.sunday.isoformat()}; printed for {w.today.isoformat()}"),
        Heading("Evaluations this week"),
    ]
    rows = []
    for day in w.days:
        label = f"{WEEKDAYS[day.date.weekday()][:3]} {day.date.isoformat()}"
        if day.holiday:
            label += f" ({day.holiday})"
        if not day.meetings:
            rows.append([label, "", "–", "", ""])
        for mt in day.meetings:
            note = _cancelled(mt) if mt.status == "cancelled" else mt.status
            note = "" if note == "planned" else note
            if mt.moved_from:
                note = (note + "; " if note else "") + f"moved from {mt.moved_from.isoformat()}"
            rows.append([label, mt.time, f"{mt.ref} {mt.title}", ", ".join(mt.attendees), note])
            label = ""
    blocks.append(Table(["Day", "Time", "Case", "With", "Note"], rows))
    blocks.append(Heading("Cases"))
    for c in w.cases:
        section: list[Block] = [
            Heading(f"{c.ref} {c.title}", 3),
            Facts(
                [
                    ("Phase", f"{c.phase} {c.phase_name}"),
                    ("Stage", c.stage),
                    ("Regisseur", c.regisseur or "–"),
                ]
            ),
        ]
        for label, items in _case_items(c):
            if label:
                section.append(Para(label.capitalize() + ":"))
            section.append(Bullets(items) if label else Para(items[0], "note"))
        blocks.append(Section(list(section)))
    if not w.cases:
        blocks.append(Para("No open cases.", "note"))
    return Document(f"Caseload week {w.week}", list(blocks), lang="en")
