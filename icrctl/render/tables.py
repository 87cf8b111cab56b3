"""Rich renderings of the service results. Every stored string goes in as ``Text``: literal.

The layout of every table on the terminal is :func:`table` with :class:`Column` specs: see
:class:`Sheet` for the rules (keys never cut, titles and notes give way first, a column that
cannot fit is left out, never mangled, no trailing spaces).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from rich.console import Group
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, JustifyMethod, RenderableType, RenderResult
    from rich.table import Column as RichColumn

    from icrctl.services.caseview import CaseDetails, CaseSummary
    from icrctl.services.contacts import ContactRow
    from icrctl.services.evaluation_view import Listed, MeetingView
    from icrctl.services.evaluations import Occurrence, SeriesRow
    from icrctl.services.goals import GoalRow
    from icrctl.services.importer import ImportResult
    from icrctl.services.members import MemberRow
    from icrctl.services.partners import PartnerRow
    from icrctl.services.phases import ChecklistRow, PhaseRow, PhaseView

PHASE_STYLE = {1: "green", 2: "", 3: "yellow", 4: "bold red"}
STATUS_STYLE = {"planned": "", "held": "green", "cancelled": "dim", "overdue": "bold red"}
OVERDUE_STYLE = "bold red"


def t(value: Any, style: str = "") -> Text:
    """A cell: the value as literal text (never markup)."""
    if value is None:
        return Text("–", style="dim")
    if isinstance(value, bool):
        return Text("yes" if value else "no", style=style)
    if isinstance(value, datetime):
        return Text(value.strftime("%Y-%m-%d %H:%M"), style=style)
    if isinstance(value, date):
        return Text(value.isoformat(), style=style)
    if isinstance(value, list | tuple):
        return Text(", ".join(str(v) for v in value) or "–", style=style)
    return Text(str(value), style=style)


def phase_cell(phase: int) -> Text:
    return Text(str(phase), style=PHASE_STYLE.get(phase, ""))


# --- the layout of a table on the terminal -------------------------------------------------

Kind = Literal["key", "value", "text"]

#: The narrowest a text column (a title, a note) is squeezed to before columns are left out:
#: most case titles and short notes fit on one line.
TEXT_MIN = 20
#: The narrowest a text column gets when the table has no column left to leave out.
SQUEEZED = 8


@dataclass(frozen=True)
class Column:
    """One column of a :func:`table`.

    ``kind``:

    - ``"key"``: a ref, a key, an id: what the user types. Never cut, never wrapped, never left
      out (``drop`` is ignored).
    - ``"value"`` (the default; a plain string header is a value column): a date, a number, a
      phase, a status, a name. Printed whole; when the table does not fit, a value column with a
      ``drop`` is left out rather than cut.
    - ``"text"``: a title, a note, a reason. Gives way first: wraps (hanging in its column) into
      the room the key and value columns leave, down to ``least`` characters (:data:`TEXT_MIN`)
      or its longest line if that is shorter.

    ``drop``: 0 (the default) keeps the column always; 1, 2, 3, … are left out in that order
    (1 first) while the table is too wide for the terminal. Give it to the columns the reader can
    best do without (they are in ``show``, JSON and CSV anyway).
    """

    header: str
    kind: Kind = "value"
    drop: int = 0
    justify: JustifyMethod = "left"
    style: str = ""
    least: int = TEXT_MIN


class Sheet(Table):
    """A rich ``Table`` laid out at render time for the width it gets (``options.max_width``).

    1. Key and value columns are measured: each needs its widest cell (headers may wrap at
       their spaces: ``next`` over ``evaluation``).
    2. Text columns need their ``least`` (:data:`TEXT_MIN`; less when their text is shorter).
    3. While that does not fit, the columns with a ``drop`` are left out, 1 first.
    4. What is left over goes first, shared fairly, to the text columns (which wrap into their
       width), then to headers that would otherwise wrap.
    5. The title is printed above the table, wrapped at the full width; no line ends in spaces.

    If even without its droppable columns the table cannot fit, text columns are squeezed to
    :data:`SQUEEZED`; if that is not enough, rich squeezes the value and text columns as usual,
    and key columns still keep their width.

    It stays a ``rich.table.Table`` (``add_row``, ``columns``), so code that builds or tweaks a
    table keeps working; a column given a fixed ``width`` by its caller keeps that width.
    """

    def __init__(self, title: str | None, columns: Sequence[str | Column]) -> None:
        super().__init__(show_edge=False, pad_edge=False, header_style="bold", title_justify="left")
        self.heading = title
        self.specs = [c if isinstance(c, Column) else Column(c) for c in columns]
        for spec in self.specs:
            self.add_column(spec.header, justify=spec.justify, style=spec.style or None)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.heading:
            yield from trimmed(console, options, Text(self.heading, style="bold"))
        yield from trimmed(console, options, self.laid_out(console, options))

    def laid_out(self, console: Console, options: ConsoleOptions) -> Table:
        """A plain table of the columns that fit in ``options.max_width``, with their widths."""
        avail = options.max_width
        bounds = [self._bounds(console, options, i) for i in range(len(self.columns))]
        keep = list(range(len(self.columns)))
        droppable = sorted(
            (i for i, s in enumerate(self.specs) if s.drop and s.kind != "key"),
            key=lambda i: (self.specs[i].drop, -i),
        )
        while sum(bounds[i][1] for i in keep) + self._between(len(keep)) > avail and droppable:
            keep.remove(droppable.pop(0))
        widths = {i: bounds[i][1] for i in keep}
        spare = avail - self._between(len(keep)) - sum(widths.values())
        for i in sorted(keep, key=lambda i: -widths[i]):  # still too wide: squeeze the texts
            if spare < 0 and self.specs[i].kind == "text":
                less = min(-spare, widths[i] - bounds[i][0])
                widths[i] -= less
                spare += less
        fits = spare >= 0
        if fits:  # text lines whole first (a wrapped title costs a line a row), then headers
            texts = [i for i in keep if self.specs[i].kind == "text"]
            spare = _share(widths, {i: bounds[i][2] for i in texts}, spare)
            for i in keep:
                if self.specs[i].kind != "text":
                    more = min(spare, bounds[i][2] - widths[i])
                    widths[i] += more
                    spare -= more
        out = Table(
            show_edge=False,
            pad_edge=False,
            header_style=self.header_style,
            box=self.box,
            padding=self.padding,
            show_header=self.show_header,
        )
        for at, i in enumerate(keep):
            col = dataclasses.replace(self.columns[i], _index=at)
            if col.width is None and fits:
                col.width, col.overflow = widths[i], "fold"
            elif col.width is None and self.specs[i].kind == "key":
                col.min_width, col.no_wrap = widths[i], True
            elif col.width is None:
                col.overflow = "fold"
            out.columns.append(col)
        out.rows = self.rows
        return out

    def _between(self, n: int) -> int:
        """The width between ``n`` columns: padding and rules (the outer edges have none)."""
        _top, right, _bottom, left = self.padding
        return max(0, n - 1) * (left + right + (1 if self.box else 0))

    def _bounds(self, console: Console, options: ConsoleOptions, i: int) -> tuple[int, int, int]:
        """The (squeezed, least, natural) width of column ``i``: see the class docstring."""
        col: RichColumn = self.columns[i]
        if col.width is not None:
            return col.width, col.width, col.width
        wide = options.update(width=10_000)
        body = max((Measurement.get(console, wide, c).maximum for c in col.cells), default=0)
        head = Measurement.get(console, wide, col.header)
        natural = max(body, head.maximum)
        if self.specs[i].kind == "text":
            least = min(natural, max(head.minimum, self.specs[i].least))
            return min(least, max(head.minimum, SQUEEZED)), least, natural
        return max(body, head.minimum), max(body, head.minimum), natural


def _share(widths: dict[int, int], wants: dict[int, int], spare: int) -> int:
    """Give ``spare`` to the columns in ``wants`` (index -> natural width), fairly: each up to
    what it wants, the rest shared equally among those that want more. Returns what is left."""
    pending = {i: w for i, w in wants.items() if w > widths[i]}
    while pending and spare > 0:
        share = spare // len(pending)
        content = [i for i, w in pending.items() if w - widths[i] <= share]
        if not content:
            for n, i in enumerate(sorted(pending)):
                give = share + (1 if n < spare - share * len(pending) else 0)
                widths[i] += give
            return 0
        for i in content:
            spare -= pending[i] - widths[i]
            widths[i] = pending.pop(i)
    return spare


def trimmed(console: Console, options: ConsoleOptions, renderable: RenderableType) -> RenderResult:
    """``renderable``'s lines without the spaces rich pads them with at the end."""
    for line in console.render_lines(renderable, options, pad=False):
        yield from _rstrip(line)
        yield Segment.line()


def _rstrip(line: list[Segment]) -> list[Segment]:
    out = list(line)
    while out and not out[-1].control:
        last = out[-1]
        text = last.text.rstrip(" ")
        if text:
            out[-1] = Segment(text, last.style)
            break
        out.pop()
    return out


class Trimmed:
    """Any renderable, printed without trailing spaces (a block of facts, a whole view)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from trimmed(console, options, self.renderable)


def table(
    title: str | None, columns: Sequence[str | Column], rows: Iterable[Sequence[Any]]
) -> Sheet:
    """A table laid out for the terminal (:class:`Sheet`): ``columns`` are :class:`Column` specs,
    or plain header strings (value columns). ``rows`` hold values (made cells by :func:`t`) or
    ready ``Text`` cells. An empty list prints as one line: wrap it in :func:`empty_or`."""
    tab = Sheet(title, columns)
    for r in rows:
        tab.add_row(*[cell if isinstance(cell, Text) else t(cell) for cell in r])
    return tab


def empty_or(tab: RenderableType, rows: Sequence[Any], message: str) -> RenderableType:
    return tab if rows else Text(message, style="dim")


def members_table(rows: list[MemberRow]) -> RenderableType:
    tab = table(
        None,
        ["key", "name", "born", "role", "household", "phone", "email"],
        [(m.key, m.name, m.born, m.role, m.household, m.phone, m.email) for m in rows],
    )
    return empty_or(tab, rows, "no members yet")


def partners_table(rows: list[PartnerRow]) -> RenderableType:
    linked = any(p.consent is not None for p in rows)
    if linked:
        tab = table(
            None,
            ["key", "name", "organisation", "kind", "role", "consent", "coordination"],
            [
                (p.key, p.name, p.organisation, p.kind, p.role, p.consent, p.coordination)
                for p in rows
            ],
        )
    else:
        tab = table(
            None,
            ["key", "name", "organisation", "kind", "email", "phone", "reachable"],
            [(p.key, p.name, p.organisation, p.kind, p.email, p.phone, p.reachable) for p in rows],
        )
    return empty_or(tab, rows, "no partners")


def cases_table(rows: list[CaseSummary]) -> RenderableType:
    tab = table(
        None,
        [
            Column("ref", "key"),
            Column("title", "text"),
            Column("phase"),
            Column("stage", drop=4),
            Column("regisseur", drop=5),
            Column("members", drop=1),
            Column("partners", drop=2),
            Column("next evaluation"),
            Column("overdue"),
            Column("last contact", drop=3),
        ],
        [
            (
                c.ref,
                c.title,
                phase_cell(c.phase),
                c.stage,
                c.regisseur,
                c.members,
                c.partners,
                c.next_evaluation,
                t(c.overdue_evaluations, "bold red" if c.overdue_evaluations else ""),
                c.last_contact,
            )
            for c in rows
        ],
    )
    return empty_or(tab, rows, "no cases")


def _facts(pairs: Iterable[tuple[str, Any]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in pairs:
        grid.add_row(Text(label), value if isinstance(value, Text) else t(value))
    return grid


def case_view(d: CaseDetails) -> RenderableType:
    """The one-screen view of a case: its facts, then each list it has, blank lines between."""
    return _spaced(
        Text.assemble((d.ref, "bold"), "  ", d.title),
        _case_facts(d),
        _phase4_checklist(d.checklist_open),
        _members(d),
        _relations(d),
        _partners(d),
        _open_goals(d),
        _last_contacts(d),
        _risk_and_self_reliance(d),
        _coming_evaluations(d),
        _phase_history(d),
        _events(d),
        _closing(d),
    )


def _case_facts(d: CaseDetails) -> Table:
    phase = Text.assemble(
        (f"{d.phase}", PHASE_STYLE.get(d.phase, "")),
        f" {d.phase_name}",
        (f"  ({d.days_in_phase} days)", "dim"),
    )
    nxt = (
        Text(f"{d.next_evaluation.isoformat()} {d.next_evaluation_time}")
        if d.next_evaluation
        else t(None)
    )
    return _facts(
        [
            ("phase", phase),
            ("stage", d.stage),
            ("opened", d.opened),
            *([("closed", d.closed)] if d.closed else []),
            ("framework", d.framework),
            ("casusregie", d.regie),
            ("regisseur", d.regisseur),
            ("referrer", d.referrer),
            ("violence", d.violence),
            ("domains", d.domains),
            ("plan signed", d.plan_signed),
            ("next evaluation", nxt),
            ("overdue", t(d.overdue_evaluations, "bold red" if d.overdue_evaluations else "")),
        ]
    )


def _phase4_checklist(rows: list[ChecklistRow]) -> RenderableType | None:
    """The phase-4 checklist of who is to be informed; nothing when the case has none."""
    return checklist_table(rows, "phase 4: still to inform") if rows else None


def _table_if_any(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Table | None:
    """A block of the case view that shows only when the case has something to list in it."""
    return table(title, columns, rows) if rows else None


def _members(d: CaseDetails) -> Table:
    return table(
        "members",
        ["key", "name", "born", "role", "household"],
        [(m.key, m.name, m.born, m.role, m.household) for m in d.members],
    )


def _relations(d: CaseDetails) -> Table | None:
    rows = [(r.member, r.kind, r.other) for r in d.relations]
    return _table_if_any("relations", ["member", "relation", "member"], rows)


def _partners(d: CaseDetails) -> Table:
    """The linked partners; a missing consent stands out."""
    return table(
        "partners",
        ["key", "name", "organisation", "kind", "role", "consent"],
        [
            (
                p.key,
                p.name,
                p.organisation,
                p.kind,
                p.role,
                t(p.consent, "" if p.consent else "yellow"),
            )
            for p in d.partners
        ],
    )


def _open_goals(d: CaseDetails) -> Table | None:
    rows = [(g.id, g.goal, g.who, g.what, g.due) for g in d.open_goals]
    return _table_if_any("open goals", ["id", "goal", "who", "what", "due"], rows)


def _last_contacts(d: CaseDetails) -> Table | None:
    """The last few contacts, newest first."""
    rows = [
        (c.date, c.kind, c.with_, c.note, t("SIGNAL", "bold red") if c.signal else "")
        for c in reversed(d.last_contacts)
    ]
    return _table_if_any("last contacts", ["date", "kind", "with", "note", "signal"], rows)


def _risk_and_self_reliance(d: CaseDetails) -> Table | None:
    """The last six assessments, with the trend of each score in the title."""
    a = d.assessments
    return _table_if_any(
        f"risk and self-reliance (risk {a.risk_trend or '–'}, "
        f"self-reliance {a.self_reliance_trend or '–'})",
        ["date", "risk", "self-reliance"],
        [(s.date, s.risk, s.self_reliance) for s in a.scores[-6:]],
    )


def _coming_evaluations(d: CaseDetails) -> Table | None:
    rows = [(e.date, e.time, e.holiday) for e in d.evaluations]
    return _table_if_any("evaluations, next four weeks", ["date", "time", "holiday"], rows)


def _phase_history(d: CaseDetails) -> Table:
    return table(
        "phase history",
        ["date", "phase", "reason"],
        [(h.date, phase_cell(h.phase), h.reason) for h in d.phase_history],
    )


def _events(d: CaseDetails) -> Table | None:
    """Changes that are neither phase nor stage: framework, regie, closing, reopening."""
    rows = [(e.date, e.kind, e.old, e.new, e.reason) for e in d.events]
    return _table_if_any("events", ["date", "event", "from", "to", "reason"], rows)


def _closing(d: CaseDetails) -> Table | None:
    """What the practitioner gave when closing the case, and how long it is kept."""
    if not d.closing_summary:
        return None
    return _facts(
        [
            ("closing summary", d.closing_summary),
            ("safety", d.closing_safety),
            ("retention until", d.retention_until),
        ]
    )


def _spaced(*parts: RenderableType | None) -> Group:
    """The parts a view has (``None``: left out), one blank line between them."""
    out: list[RenderableType] = []
    for part in parts:
        if part is None:
            continue
        if out:
            out.append(Text(""))
        out.append(part)
    return Group(*out)


def occurrences_table(rows: list[Listed]) -> RenderableType:
    tab = table(
        None,
        ["date", "time", "ref", "status", "note", "outcome"],
        [
            (
                o.date,
                o.time,
                o.ref,
                t(o.status, STATUS_STYLE.get(o.status, "")),
                _note(o),
                Text(_outcome(o)),
            )
            for o in rows
        ],
    )
    return empty_or(tab, rows, "no evaluations in this window")


def _outcome(o: Listed) -> str:
    """What happened at a held meeting: who attended, was absent, refused; the scores."""
    parts = [
        f"{label} {', '.join(keys)}"
        for label, keys in (("attended", o.attended), ("absent", o.absent), ("refused", o.refused))
        if keys
    ]
    scores = [f"{n} {v}" for n, v in (("risk", o.risk), ("self-reliance", o.self_reliance)) if v]
    return "; ".join(parts + ([", ".join(scores)] if scores else []))


def evaluation_view(v: MeetingView) -> RenderableType:
    """One evaluation: when and what became of it, whom its series invited and how each was
    recorded, the scores, the note, and the goals of that day."""
    head = Text.assemble(
        (v.ref, "bold"),
        f"  evaluation of {v.date.isoformat()} at {v.time or '--:--'}: ",
        (v.status, STATUS_STYLE.get(v.status, "")),
    )
    goals = _table_if_any(
        "goals set, achieved or dropped that day",
        ["goal", "", "status", "who", "what"],
        [(g.id, g.goal, g.status, g.who, g.what) for g in v.goals],
    )
    return _spaced(head, _facts(_meeting_facts(v)), goals)


def _meeting_facts(v: MeetingView) -> list[tuple[str, Any]]:
    """The facts of a meeting that it has: a cancelled one has no outcome, a planned one no note."""
    facts: list[tuple[str, Any]] = [
        ("series", v.series if v.series is not None else "– (an extra meeting)")
    ]
    if v.moved:
        facts.append(("planned on", v.original))
    facts += [(label, value) for label, value in (("holiday", v.holiday), ("reason", v.reason))]
    named = {p.key: f"{p.name} ({p.key})" for p in v.people}
    facts.append(("invited", [named[k] for k in v.invited] or None))
    for presence in ("attended", "absent", "refused"):
        facts.append((presence, [named[p.key] for p in v.people if p.presence == presence] or None))
    facts += [("risk", v.risk), ("self-reliance", v.self_reliance), ("note", v.note)]
    return [(label, value) for label, value in facts if value is not None or label == "invited"]


def _note(o: Occurrence) -> Text:
    notes = []
    if o.moved:
        notes.append(f"moved from {o.original.isoformat()}")
    if o.holiday:
        notes.append(f"public holiday: {o.holiday}")
    if o.weekend:
        notes.append(f"weekend: {('Saturday', 'Sunday')[o.date.weekday() - 5]}")
    if o.series is None:
        notes.append("extra meeting")
    if o.reason:
        notes.append(o.reason)
    return Text("; ".join(notes))


def series_table(rows: list[SeriesRow]) -> RenderableType:
    tab = table(
        None,
        [
            "series",
            "every",
            "weekday",
            "time",
            "start",
            "until",
            "workdays",
            "stopped from",
            "with",
        ],
        [
            (
                s.id,
                s.every,
                s.weekday,
                s.time,
                s.start,
                s.until,
                s.workdays,
                s.stopped_from,
                s.attendees,
            )
            for s in rows
        ],
    )
    return empty_or(tab, rows, "no evaluation series")


def phase_history_table(rows: list[PhaseRow]) -> RenderableType:
    return table(
        None,
        ["date", "phase", "name", "track", "reason", "recorded"],
        [(r.date, phase_cell(r.phase), r.name, r.track, r.reason, r.recorded_at) for r in rows],
    )


def checklist_table(rows: list[ChecklistRow], title: str | None = None) -> RenderableType:
    tab = table(
        title,
        ["item", "who", "track", "escalated", "informed"],
        [
            (
                r.item,
                r.label,
                r.track,
                r.escalated,
                t(r.done_at, "green") if r.done_at else t("open", "bold red"),
            )
            for r in rows
        ],
    )
    return empty_or(tab, rows, "no phase-4 checklist")


def phase_view(v: PhaseView) -> RenderableType:
    head = Text.assemble(
        (v.ref, "bold"),
        "  phase ",
        (str(v.phase), PHASE_STYLE.get(v.phase, "")),
        f": {v.name} ({v.gloss})",
    )
    facts = _facts(
        [
            ("meaning", v.description),
            ("since", Text(f"{v.since.isoformat()} ({v.days} days)")),
            ("framework", v.framework),
            ("casusregie", v.regie),
        ]
    )
    roles = table("who holds which role", ["role", "held by"], v.responsibilities)
    return _spaced(head, facts, roles, _phase4_checklist(v.checklist))


def contacts_table(rows: list[ContactRow]) -> RenderableType:
    tab = table(
        None,
        ["date", "kind", "with", "note", "signal"],
        [
            (c.date, c.kind, c.with_, c.note, t("SIGNAL", "bold red") if c.signal else t(""))
            for c in rows
        ],
    )
    return empty_or(tab, rows, "no contacts logged")


GOAL_STYLE = {"open": "", "achieved": "green", "dropped": "dim"}


def goals_table(rows: list[GoalRow]) -> RenderableType:
    tab = table(
        None,
        ["id", "goal", "who", "what", "due", "status", "since"],
        [
            (
                g.id,
                g.goal,
                g.who,
                g.what,
                g.due,
                t(g.status, GOAL_STYLE.get(g.status, "")),
                g.status_date,
            )
            for g in rows
        ],
    )
    return empty_or(tab, rows, "no goals")


def import_summary(result: ImportResult) -> RenderableType:
    verb = "would be" if result.dry_run else "were"
    lines = [
        f"cases: {len(result.cases_created)} new, {len(result.cases_updated)} updated, "
        f"{result.cases_unchanged} unchanged"
    ]
    if result.dry_run:
        lines.insert(0, "dry run: nothing was written")
    for ref in result.cases_created:
        lines.append(f"  new      {ref}")
    for ref in result.cases_updated:
        lines.append(f"  updated  {ref}")
    if result.changed:
        made = ", ".join(f"{n} {t}" for t, n in sorted(result.created.items()))
        changed = ", ".join(f"{n} {t}" for t, n in sorted(result.updated.items()))
        if made:
            lines.append(f"rows that {verb} created: {made}")
        if changed:
            lines.append(f"rows that {verb} updated: {changed}")
    else:
        lines.append("nothing to change")
    return Text("\n".join(lines))
