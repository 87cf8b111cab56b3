"""The caseload at a glance: the status table, signals, and the weekly printout in its three
renderings (terminal, Markdown, HTML) from one set of data, in the language in use.

On the terminal, at any width: refs are never cut; titles and notes give way first (they wrap,
hanging under where they start); a column that cannot fit is left out, not mangled; no line ends
in spaces. Colour carries meaning (overdue red, phase 4 red and bold, phase 3 yellow, signals by
how urgent they are) and is gone with ``NO_COLOR``.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text

from icrctl.domain.recurrence import holiday_label
from icrctl.domain.vocabulary import STAGE
from icrctl.i18n import N_, _, day_month, language, long_date, short_date, weekday, weekday_short
from icrctl.render.documents import (
    Block,
    Bullets,
    Document,
    Facts,
    Heading,
    Para,
    Section,
    Table,
)
from icrctl.render.signals import message
from icrctl.render.tables import (
    OVERDUE_STYLE,
    PHASE_STYLE,
    Column,
    Trimmed,
    empty_or,
    phase_cell,
    t,
    table,
)

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from icrctl.services.caseload import StatusRow, WeekCase, WeekDay, WeekMeeting, WeekReport
    from icrctl.services.goals import GoalRow

#: How urgent a signal is, by code: the colour of its code (and of a case's signal count).
#: Safety first (red); what is missing or late in the work, yellow; the rest plain.
URGENT = {
    "safety-signal",
    "phase4-checklist-open",
    "client-regie-unsafe",
    "regie-off-card",
    "evaluation-overdue",
    "no-contact",
    "report-after-closing",
}
WARNING = {
    "jgz-missing",
    "school-missing",
    "partner-without-consent",
    "refused-evaluation",
    "goal-overdue",
    "no-evaluation-series",
    "aftercare-contact-overdue",
}
URGENT_STYLE = "bold red"
WARNING_STYLE = "yellow"

#: What became of a meeting, in the weekly printout (``planned`` says nothing).
MEETING_STATUS = {
    "overdue": N_("overdue"),
    "cancelled": N_("cancelled"),
    "held": N_("held"),
    "moved": N_("moved"),
}


def signal_style(codes: list[str]) -> str:
    """The colour of the most urgent of ``codes``."""
    if any(c in URGENT for c in codes):
        return URGENT_STYLE
    return WARNING_STYLE if any(c in WARNING for c in codes) else ""


def styled(template: str, styles: dict[str, str], **fields: object) -> Text:
    """``template.format(**fields)`` as one ``Text``, each field in its style from ``styles``:
    a whole translated sentence keeps its word order, and a part of it its colour."""
    out = Text()
    for literal, name, spec, conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            value = fields[name]
            if conversion == "r":
                value = repr(value)
            out.append(format(value, spec or ""), styles.get(name, ""))
    return out


class Hanging:
    """``lead`` then ``body``, the body wrapped into the width left and its further lines
    hanging under where it starts; no line ends in spaces. ``Hanging.listing(lead, items)``
    wraps a list between its items (``with: a, b,`` / ``c``), a name never split in two unless
    it is wider than the line."""

    #: The least width a body wraps into; below it the line is simply too narrow.
    LEAST = 16

    def __init__(self, lead: Text, body: Text) -> None:
        self.lead = lead
        self.body = body
        self.items: list[str] | None = None

    @classmethod
    def listing(cls, lead: Text, items: list[str], empty: str = "–") -> Hanging:
        made = cls(lead, Text(", ".join(items) or empty))
        made.items = items or None
        return made

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.lead.cell_len
        width = max(options.max_width - indent, self.LEAST)
        lines = self._packed(console, width) if self.items else self._wrapped(console, width)
        for n, line in enumerate(lines):
            text = Text.assemble(self.lead if n == 0 else " " * indent, line)
            text.rstrip()
            yield text

    def _wrapped(self, console: Console, width: int) -> list[Text]:
        return list(self.body.wrap(console, width, overflow="fold")) if self.body else [Text()]

    def _packed(self, console: Console, width: int) -> list[Text]:
        """The items, as many to a line as fit, each but the last followed by a comma."""
        assert self.items is not None
        lines: list[Text] = []
        line = Text()
        last = len(self.items) - 1
        for i, item in enumerate(self.items):
            piece = item + ("," if i < last else "")
            if line and line.cell_len + 1 + cell_len(piece) > width:
                lines.append(line)
                line = Text()
            if not line and cell_len(piece) > width:  # wider than the line itself: words wrap
                lines += list(Text(piece).wrap(console, width, overflow="fold"))
                continue
            line.append((" " if line else "") + piece)
        if line:
            lines.append(line)
        for made in lines:
            made.rstrip()
        return lines


# ------------------------------------------------------------------ status and check


def status_table(rows: list[StatusRow]) -> RenderableType:
    """One row per case, most urgent first. Left out first on a narrow terminal: members and
    partners, days in the phase, regisseur, stage, last contact; the title wraps. A column of
    the next aftercare follow-up shows when a case has one."""
    if not rows:
        return Text(_("no open cases"), style="dim")
    follow_ups = any(r.next_follow_up for r in rows)
    columns = [
        Column(_("ref"), "key"),
        Column(_("title"), "text"),
        Column(_("ph")),
        Column(_("stage"), drop=4),
        Column(_("days"), drop=2),
        Column(_("regisseur"), drop=3),
        Column(_("m/p"), drop=1),
        Column(_("last contact"), drop=5),
        Column(_("next evaluation")),
        *([Column(_("follow-up"), drop=6)] if follow_ups else []),
        Column(_("late")),
        Column(_("sig")),
    ]
    cells = [_status_cells(r, follow_ups) for r in rows]
    return table(None, columns, cells)


def _follow_up_cell(r: StatusRow) -> Text:
    """The next follow-up of aftercare; red when one is past due."""
    return t(r.next_follow_up, OVERDUE_STYLE if r.overdue_follow_ups else "")


def _status_cells(r: StatusRow, follow_ups: bool = False) -> list[Text]:
    contact = None
    if r.last_contact is not None:
        contact = _("{date} {days}d").format(
            date=r.last_contact.isoformat(), days=r.days_since_contact
        )
    nxt = None
    if r.next_evaluation is not None:
        nxt = f"{r.next_evaluation.isoformat()} {r.next_evaluation_time or ''}".rstrip()
    return [
        t(r.ref),
        t(r.title),
        phase_cell(r.phase),
        t(STAGE.label(r.stage)),
        t(r.days_in_phase),
        t(r.regisseur),
        t(f"{r.members}/{r.partners}"),
        t(contact),
        t(nxt),
        *([_follow_up_cell(r)] if follow_ups else []),
        t(r.overdue_evaluations, OVERDUE_STYLE if r.overdue_evaluations else ""),
        t(len(r.signals), signal_style(r.signals)),
    ]


def signals_table(rows: list[tuple[str, str, str]]) -> RenderableType:
    """``check``: ref and code whole, what to do wrapping beside them."""
    return empty_or(
        table(
            None,
            [Column(_("ref"), "key"), Column(_("code"), "key"), Column(_("what to do"), "text")],
            [(t(ref), t(code, signal_style([code])), t(text)) for ref, code, text in rows],
        ),
        rows,
        _("no signals: nothing needs attention"),
    )


# ------------------------------------------------------------------ dates in the printout


def day_heading(day: dt.date) -> str:
    """A day of the week's agenda: ``maandag 30 november 2026``; in English as it always read,
    ``Monday 2026-11-30``."""
    if language() == "nl":
        return long_date(day)
    return f"{weekday(day)} {day.isoformat()}"


def day_label(day: dt.date) -> str:
    """A day in the printout's table: ``ma 30-11``; in English ``Mon 2026-11-30``."""
    if language() == "nl":
        return short_date(day)
    return f"{weekday_short(day)} {day.isoformat()}"


def week_span(monday: dt.date, sunday: dt.date) -> str:
    """``30 november – 6 december 2026``; in English ``2026-11-30 – 2026-12-06``."""
    if language() != "nl":
        return f"{monday.isoformat()} – {sunday.isoformat()}"
    if monday.year == sunday.year:
        first = day_month(monday)
    else:
        first = _("{day_month} {year}").format(day_month=day_month(monday), year=monday.year)
    last = _("{day_month} {year}").format(day_month=day_month(sunday), year=sunday.year)
    return f"{first} – {last}"


def in_week(day: dt.date) -> str:
    """A day of this week in a line of the printout: ``di 24-11``; in English ``2026-11-24``."""
    return short_date(day) if language() == "nl" else day.isoformat()


def a_date(day: dt.date) -> str:
    """A date in a line of the printout: ``30-11-2026`` in Dutch, ``2026-11-30`` in English."""
    return day.strftime("%d-%m-%Y") if language() == "nl" else day.isoformat()


# ------------------------------------------------------------------ week: terminal


def week_terminal(w: WeekReport) -> RenderableType:
    """The week's agenda, day by day, then each open case in the order of ``status``."""
    parts: list[RenderableType] = [
        Text.assemble(
            (_("Week {week}").format(week=w.week), "bold"), "  ", week_span(w.monday, w.sunday)
        ),
        Text(""),
    ]
    for day in w.days:
        parts.append(
            Text.assemble(
                (day_heading(day.date), "bold"),
                (
                    "  "
                    + _("{holiday} (public holiday)").format(holiday=holiday_label(day.holiday)),
                    "yellow",
                )
                if day.holiday
                else "",
            )
        )
        if not day.meetings:
            parts.append(Text("  –", style="dim"))
        for mt in day.meetings:
            parts += _meeting_terminal(mt)
    parts.append(Text(""))
    parts += [_case_terminal(c, w.today) for c in w.cases]
    if not w.cases:
        parts.append(Text(_("no open cases"), style="dim"))
    return Trimmed(Group(*parts))


def _meeting_terminal(mt: WeekMeeting) -> list[RenderableType]:
    """``  10:00  REF title  [overdue]`` and, hanging under the title, who is invited."""
    lead = Text.assemble(f"  {mt.time or '--:--'}  ", (mt.ref, "bold"), " ")
    body = Text(mt.title)
    if mt.status == "overdue":
        body.append("  [" + _("overdue") + "]", OVERDUE_STYLE)
    elif mt.status == "cancelled":
        body.append(f"  [{_cancelled(mt)}]", "bold")
    if mt.moved_from:
        body.append(" " + _("(moved from {date})").format(date=a_date(mt.moved_from)))
    label = Text.assemble(" " * 9, (_("with:"), "dim"), " ")
    return [Hanging(lead, body), Hanging.listing(label, mt.attendees)]


def _case_terminal(c: WeekCase, today: dt.date) -> RenderableType:
    heading = styled(
        _("{title}  {phase} {phase_name}, stage {stage}"),
        {"phase": PHASE_STYLE.get(c.phase, "")},
        title=c.title,
        phase=_("phase {number}").format(number=c.phase),
        phase_name=c.phase_name,
        stage=STAGE.label(c.stage),
    )
    lines: list[RenderableType] = [Hanging(Text.assemble((c.ref, "bold"), "  "), heading)]
    items = _case_items_terminal(c, today)
    for label, entries in items:
        lines.append(Text("  " + label + ":", style="bold"))
        lines += entries
    if not items:
        lines.append(Text("  " + _("nothing needs attention"), style="dim"))
    lines.append(Text(""))
    return Group(*lines)


def _case_items_terminal(c: WeekCase, today: dt.date) -> list[tuple[str, list[RenderableType]]]:
    """The blocks of a case, each a label and its lines; a wrapped line hangs under its text."""
    out: list[tuple[str, list[RenderableType]]] = []
    if c.changes:
        out.append(
            (
                _("this week"),
                [Hanging(Text(f"    {in_week(ch.date)}  "), Text(ch.what)) for ch in c.changes],
            )
        )
    if c.overdue:
        dates: list[RenderableType] = [Text(f"    {a_date(d)}", OVERDUE_STYLE) for d in c.overdue]
        out.append((_("overdue evaluations"), dates))
    if c.goals_due:
        goals: list[RenderableType] = []
        for g in c.goals_due:
            late = g.due is not None and g.due < today
            goals.append(
                Hanging(Text(f"    {g.id}. "), Text(_goal_due(g), OVERDUE_STYLE if late else ""))
            )
        out.append((_("goals due"), goals))
    if c.follow_ups:
        due: list[RenderableType] = [
            Text(f"    {a_date(d)}", OVERDUE_STYLE if d < today else "") for d in c.follow_ups
        ]
        out.append((_("aftercare follow-up contacts"), due))
    if c.signals:
        out.append(
            (
                _("signals"),
                [
                    Hanging(
                        Text.assemble("    ", (s.code, signal_style([s.code])), ": "),
                        Text(message(s)),
                    )
                    for s in c.signals
                ],
            )
        )
    return out


def _goal_due(g: GoalRow) -> str:
    """``goal (due 2026-12-01, who)``: the goal, when it is due and who does it."""
    return _("{goal} (due {due}, {who})").format(
        goal=g.goal, due=a_date(g.due) if g.due else "–", who=g.who or _("nobody named")
    )


def _cancelled(mt: WeekMeeting) -> str:
    """A cancelled evaluation, and why: it will not take place (not: nobody came)."""
    if mt.reason:
        return _("cancelled: {reason}").format(reason=" ".join(mt.reason.split()))
    return _("cancelled")


# ------------------------------------------------------------------ week: document


def week_document(w: WeekReport) -> Document:
    """The printout as a document (HTML or Markdown), in the language in use."""
    blocks: list[Block] = [
        Para(
            _("{span}; printed for {today}").format(
                span=week_span(w.monday, w.sunday), today=a_date(w.today)
            )
        ),
        Heading(_("Evaluations this week")),
        Table(
            [_("Day"), _("Time"), _("Case"), _("With"), _("Note")],
            [row for day in w.days for row in _agenda_rows(day)],
        ),
        Heading(_("Cases")),
    ]
    blocks += [_case_section(c, w.today) for c in w.cases]
    if not w.cases:
        blocks.append(Para(_("No open cases."), "note"))
    return Document(_("Caseload week {week}").format(week=w.week), blocks)


def _agenda_rows(day: WeekDay) -> list[list[str]]:
    """One row per meeting of ``day`` (the day named on its first), or one empty row."""
    label = day_label(day.date)
    if day.holiday:
        label = _("{day} ({holiday})").format(day=label, holiday=holiday_label(day.holiday))
    if not day.meetings:
        return [[label, "", "–", "", ""]]
    rows = []
    for mt in day.meetings:
        notes = []
        if mt.status == "cancelled":
            notes.append(_cancelled(mt))
        elif mt.status in MEETING_STATUS:
            notes.append(_(MEETING_STATUS[mt.status]))
        if mt.moved_from:
            notes.append(_("moved from {date}").format(date=a_date(mt.moved_from)))
        rows.append(
            [label, mt.time, f"{mt.ref} {mt.title}", ", ".join(mt.attendees), "; ".join(notes)]
        )
        label = ""
    return rows


def _case_section(c: WeekCase, today: dt.date) -> Block:
    section: list[Block] = [
        Heading(f"{c.ref} {c.title}", 3),
        Facts(
            [
                (_("Phase"), f"{c.phase} {c.phase_name}"),
                (_("Stage"), STAGE.label(c.stage)),
                (_("Regisseur"), c.regisseur or "–"),
            ]
        ),
    ]
    items = _case_items_document(c, today)
    for label, entries in items:
        section += [Para(label), Bullets(entries)]
    if not items:
        section.append(Para(_("nothing needs attention"), "note"))
    return Section(section)


def _late(text: str, late: bool) -> str:
    """On paper there is no red: a goal or follow-up past its date says so in words."""
    return _("{item} (overdue)").format(item=text) if late else text


def _case_items_document(c: WeekCase, today: dt.date) -> list[tuple[str, list[str]]]:
    out = []
    if c.changes:
        out.append((_("This week:"), [f"{in_week(ch.date)}  {ch.what}" for ch in c.changes]))
    if c.overdue:
        out.append((_("Overdue evaluations:"), [a_date(d) for d in c.overdue]))
    if c.goals_due:
        goals = [
            _late(f"{g.id}. {_goal_due(g)}", g.due is not None and g.due < today)
            for g in c.goals_due
        ]
        out.append((_("Goals due:"), goals))
    if c.follow_ups:
        due = [_late(a_date(d), d < today) for d in c.follow_ups]
        out.append((_("Aftercare follow-up contacts:"), due))
    if c.signals:
        out.append((_("Signals:"), [f"{s.code}: {message(s)}" for s in c.signals]))
    return out
