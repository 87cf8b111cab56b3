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

from icrctl.domain import regiekaart
from icrctl.domain.dates import local_from_utc
from icrctl.domain.vocabulary import (
    CASUSREGIE_WORD,
    CONTACT_KIND,
    EVENT_KIND,
    FRAMEWORK,
    GOAL_STATUS,
    PARTNER_KIND,
    PROCESREGIE_WORD,
    REGIE,
    RELATION,
    ROLE,
    STAGE,
    VIOLENCE,
    WEEKDAY,
    Vocabulary,
)
from icrctl.domain.vocabulary import DOMAIN as LIFE_DOMAIN
from icrctl.i18n import N_, _, language, ngettext, weekday

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, JustifyMethod, RenderableType, RenderResult
    from rich.table import Column as RichColumn

    from icrctl.services.aftercare import FollowUp
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
STATUS_STYLE = {
    "planned": "",
    "held": "green",
    "cancelled": "dim",
    "overdue": "bold red",
    "not-held": "dim",
}
OVERDUE_STYLE = "bold red"


def t(value: Any, style: str = "") -> Text:
    """A cell: the value as literal text (never markup)."""
    if value is None:
        return Text("–", style="dim")
    if isinstance(value, bool):
        return Text(_("yes") if value else _("no"), style=style)
    if isinstance(value, datetime):
        return Text(value.strftime("%Y-%m-%d %H:%M"), style=style)
    if isinstance(value, date):
        return Text(value.isoformat(), style=style)
    if isinstance(value, list | tuple):
        return Text(", ".join(str(v) for v in value) or "–", style=style)
    return Text(str(value), style=style)


def phase_cell(phase: int) -> Text:
    """A phase of the regiekaart, in its colour: 3 yellow, 4 red and bold."""
    return Text(str(phase), style=PHASE_STYLE.get(phase, ""))


def overdue_cell(count: int) -> Text:
    """How many evaluations are overdue: red and bold when any are."""
    return t(count, OVERDUE_STYLE if count else "")


def word(vocabulary: Vocabulary, value: str | None, style: str = "") -> Text:
    """An enumerated value as the reader's language says it (``slachtoffer`` / ``victim``)."""
    return t(None) if value is None else Text(vocabulary.label(value), style=style)


def words(vocabulary: Vocabulary, values: Sequence[str]) -> Text:
    """Several enumerated values, each in the reader's language, comma-separated."""
    return t([vocabulary.label(v) for v in values])


#: The state of an evaluation as the tables name it (the glossary's words).
STATUS_WORDS = {
    "planned": N_("planned"),
    "held": N_("held"),
    "cancelled": N_("cancelled"),
    "moved": N_("moved"),
    "overdue": N_("overdue"),
    # an aftercare follow-up of a case that closed before it was held
    "not-held": N_("not held"),
}


def status_cell(status: str) -> Text:
    """An evaluation's state in words and colour: overdue red and bold, held green."""
    said = STATUS_WORDS.get(status, status)
    return Text(_(said), style=STATUS_STYLE.get(status, ""))


def _track(code: str | None) -> Text:
    return word(regiekaart.TRACK, code)


# --- the layout of a table on the terminal -------------------------------------------------

Kind = Literal["key", "value", "text"]

#: The narrowest a text column (a title, a note) is squeezed to before columns are left out:
#: most case titles and short notes fit on one line.
TEXT_MIN = 20
#: A text column is at least as wide as its longest word, up to this many characters.
LONGEST_WORD = 24
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
      or its longest word (up to :data:`LONGEST_WORD`) if longer, its longest line if shorter.

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
       width), then to as many headers as it can unwrap, the shortest first.
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
            needs = sorted((bounds[i][2] - widths[i], i) for i in keep if i not in texts)
            for need, i in needs:  # as many headers whole as fit, the shortest first
                if 0 < need <= spare:
                    widths[i] += need
                    spare -= need
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
        cells = [Measurement.get(console, wide, c) for c in col.cells]
        body = max((m.maximum for m in cells), default=0)
        head = Measurement.get(console, wide, col.header)
        natural = max(body, head.maximum)
        if self.specs[i].kind == "text":  # its longest word whole, if not too long
            longest = max((m.minimum for m in cells), default=0)
            least = min(natural, max(head.minimum, self.specs[i].least, min(longest, LONGEST_WORD)))
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
    """``tab``, or, when there are no rows, ``message`` on one line (``no cases``)."""
    return tab if rows else Text(message, style="dim")


def members_table(rows: list[MemberRow]) -> RenderableType:
    died = _deceased_column(rows, 4)
    tab = table(
        None,
        [
            Column(_("key"), "key"),
            Column(_("name"), "text", least=16),
            Column(_("born"), drop=3),
            Column(_("role")),
            Column(_("household"), drop=4),
            *died,
            Column(_("phone"), drop=2),
            Column(_("email"), drop=1),
        ],
        [
            (m.key, m.name, m.born, word(ROLE, m.role), m.household)
            + ((m.deceased,) if died else ())
            + (m.phone, m.email)
            for m in rows
        ],
    )
    return empty_or(tab, rows, _("no members yet"))


def _deceased_column(rows: Sequence[MemberRow], drop: int) -> list[Column]:
    """The column *deceased*, only when a member of the list has died."""
    return [Column(_("deceased"), drop=drop)] if any(m.deceased for m in rows) else []


def partners_table(rows: list[PartnerRow]) -> RenderableType:
    linked = any(p.consent is not None for p in rows)
    key, name = Column(_("key"), "key"), Column(_("name"), "text", least=16)
    organisation = Column(_("organisation"), "text", drop=5, least=16)
    kind = Column(_("kind"), drop=3)
    if linked:
        tab = table(
            None,
            [
                key,
                name,
                organisation,
                kind,
                Column(_("role"), "text", drop=2, least=12),
                Column(_("consent")),
                Column(_("coordination"), "text", drop=1, least=16),
            ],
            [
                (
                    p.key,
                    p.name,
                    p.organisation,
                    word(PARTNER_KIND, p.kind),
                    p.role,
                    _consent(p.consent),
                    p.coordination,
                )
                for p in rows
            ],
        )
    else:
        tab = table(
            None,
            [
                key,
                name,
                organisation,
                kind,
                Column(_("email"), drop=2),
                Column(_("phone"), drop=4),
                Column(_("reachable"), drop=1),
            ],
            [
                (
                    p.key,
                    p.name,
                    p.organisation,
                    word(PARTNER_KIND, p.kind),
                    p.email,
                    p.phone,
                    words(WEEKDAY, p.reachable),
                )
                for p in rows
            ],
        )
    return empty_or(tab, rows, _("no partners"))


def _consent(consent: bool | None) -> Text:
    """Consent to share information; a missing one stands out."""
    return t(consent, "" if consent else "yellow")


def cases_table(rows: list[CaseSummary]) -> RenderableType:
    tab = table(
        None,
        [
            Column(_("ref"), "key"),
            Column(_("title"), "text"),
            Column(_("phase")),
            Column(_("stage"), drop=4),
            Column(_("regisseur"), drop=5),
            Column(_("members"), drop=1),
            Column(_("partners"), drop=2),
            Column(_("next evaluation")),
            Column(_("overdue")),
            Column(_("last contact"), drop=3),
        ],
        [
            (
                c.ref,
                c.title,
                phase_cell(c.phase),
                word(STAGE, c.stage),
                c.regisseur,
                c.members,
                c.partners,
                c.next_evaluation,
                overdue_cell(c.overdue_evaluations),
                c.last_contact,
            )
            for c in rows
        ],
    )
    return empty_or(tab, rows, _("no cases"))


def _facts(pairs: Iterable[tuple[str, Any]]) -> Trimmed:
    """Label and value, one pair a line; a long value wraps hanging under its first line."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in pairs:
        grid.add_row(Text(label), value if isinstance(value, Text) else t(value))
    return Trimmed(grid)


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
        _aftercare(d),
        _phase_history(d),
        _stage_history(d),
        _events(d),
        _closing(d),
        _after_closing(d),
    )


def _aftercare(d: CaseDetails) -> Sheet | None:
    """The follow-up contacts of aftercare, when the case has any."""
    return _table_if_any(
        _("aftercare follow-up contacts"), _follow_up_columns(), _follow_up_rows(d.aftercare)
    )


def _after_closing(d: CaseDetails) -> Text | None:
    """The signal of reports logged after closing: the way back is short."""
    if not d.reports_after_closing or d.closed is None:
        return None
    from icrctl.domain.signals import ReportAfterClosing
    from icrctl.render.signals import message

    signal = ReportAfterClosing(d.ref, d.closed, tuple(d.reports_after_closing))
    return Text.assemble((signal.code, "bold red"), ": ", message(signal))


def _days(n: int) -> str:
    return ngettext("({n} day)", "({n} days)", n).format(n=n)


def _case_facts(d: CaseDetails) -> Trimmed:
    phase = Text.assemble(
        (f"{d.phase}", PHASE_STYLE.get(d.phase, "")),
        f" {d.phase_name}",
        ("  " + _days(d.days_in_phase), "dim"),
    )
    nxt = (
        Text(f"{d.next_evaluation.isoformat()} {d.next_evaluation_time}")
        if d.next_evaluation
        else t(None)
    )
    return _facts(
        [
            (_("phase"), phase),
            (_("stage"), word(STAGE, d.stage)),
            (_("opened"), d.opened),
            *([(_("closed"), d.closed)] if d.closed else []),
            (_("framework"), word(FRAMEWORK, d.framework)),
            *_role_facts(d),
            (_("regisseur"), d.regisseur),
            (_("referrer"), d.referrer),
            (_("violence"), words(VIOLENCE, d.violence)),
            (_("domains"), words(LIFE_DOMAIN, d.domains)),
            (_("plan signed"), d.plan_signed),
            (_("next evaluation"), nxt),
            (_("overdue"), overdue_cell(d.overdue_evaluations)),
            *_consent_fact(d),
        ]
    )


#: Short words for a signal about who holds a role (``check`` gives the whole message).
ROLE_SIGNAL_WORDS = {
    "compulsory-without-holder": N_(
        "not a holder the regiekaart names for a compulsory framework ('icrctl check')"
    ),
    "holder-in-consultation": N_("in consultation (in overleg) on the regiekaart ('icrctl check')"),
}


def _holder(d: CaseDetails, partner: str | None, signal: str | None = None) -> Text:
    """Who holds a role: a partner by name, organisation and key, else the case director (by
    name when the case names its regisseur)."""
    shown = Text(f"{d.regisseur} (ICR)" if d.regisseur else _("case director (ICR)"))
    if partner is not None:
        found = next((p for p in d.partners if p.key == partner), None)
        shown = Text(f"{found.name} ({found.organisation}) [{partner}]" if found else partner)
    if signal in ROLE_SIGNAL_WORDS:
        shown.append(" — " + _(ROLE_SIGNAL_WORDS[signal]), "yellow")
    return shown


def _role_facts(d: CaseDetails) -> list[tuple[str, Any]]:
    """Who holds casusregie (the client, or a professional: who), procesregie and the lead
    practitioner's role; the last two only when someone is named."""
    casus = word(REGIE, d.regie)
    held = d.casusregie
    if held.holder != "client":
        casus = Text.assemble(casus, ": ", _holder(d, held.partner, held.signal))
    rows: list[tuple[str, Any]] = [(_("casusregie"), casus)]
    if d.procesregie.holder is not None:
        rows.append((_("procesregie"), _holder(d, d.procesregie.partner, d.procesregie.signal)))
    if d.regiebehandelaar is not None:
        rows.append((_("regiebehandelaar"), _holder(d, d.regiebehandelaar)))
    return rows


def _consent_fact(d: CaseDetails) -> list[tuple[str, Text]]:
    """Who is linked without consent to share information (a fact, often lawful: the police, a
    GI under a court order); those of them invited to the evaluations stand out, as ``check``
    signals them."""
    if not d.partners_without_consent:
        return []
    shown = [
        t(_("{partner} (invited to the evaluations)").format(partner=key), "yellow")
        if key in d.invited_without_consent
        else Text(key)
        for key in d.partners_without_consent
    ]
    return [(_("without consent"), Text(", ").join(shown))]


def _phase4_checklist(rows: list[ChecklistRow]) -> RenderableType | None:
    """The phase-4 checklist of who is to be informed; nothing when the case has none."""
    return checklist_table(rows, _("phase 4: still to inform")) if rows else None


def _block(
    title: str, columns: Sequence[str | Column], rows: Sequence[Sequence[Any]], empty: str
) -> RenderableType:
    """A block of the case view that is always there: its table, or its title and ``empty``."""
    if rows:
        return table(title, columns, rows)
    return Group(Text(title, style="bold"), Text(empty, style="dim"))


def _table_if_any(
    title: str, columns: Sequence[str | Column], rows: Sequence[Sequence[Any]]
) -> Sheet | None:
    """A block of the case view that shows only when the case has something to list in it."""
    return table(title, columns, rows) if rows else None


def _members(d: CaseDetails) -> RenderableType:
    died = _deceased_column(d.members, 1)
    return _block(
        _("members"),
        [
            Column(_("key"), "key"),
            Column(_("name"), "text", least=16),
            Column(_("born"), drop=2),
            Column(_("role")),
            Column(_("household"), drop=1),
            *died,
        ],
        [
            (m.key, m.name, m.born, word(ROLE, m.role), m.household)
            + ((m.deceased,) if died else ())
            for m in d.members
        ],
        _("no members yet"),
    )


def _relations(d: CaseDetails) -> Sheet | None:
    rows = [(r.member, word(RELATION, r.kind), r.other) for r in d.relations]
    return _table_if_any(
        _("relations"),
        [Column(_("member"), "key"), Column(_("relation")), Column(_("member"), "key")],
        rows,
    )


def _partners(d: CaseDetails) -> RenderableType:
    """The linked partners; a missing consent stands out."""
    return _block(
        _("partners"),
        [
            Column(_("key"), "key"),
            Column(_("name"), "text", least=16),
            Column(_("organisation"), "text", drop=3, least=16),
            Column(_("kind"), drop=2),
            Column(_("role"), "text", drop=1, least=12),
            Column(_("consent")),
        ],
        [
            (
                p.key,
                p.name,
                p.organisation,
                word(PARTNER_KIND, p.kind),
                p.role,
                _consent(p.consent),
            )
            for p in d.partners
        ],
        _("no partners"),
    )


def _goal_columns(*extra: Column) -> list[Column]:
    return [
        Column(_("id"), "key"),
        Column(_("goal"), "text"),
        Column(_("who"), "text", least=12, drop=2),
        Column(_("what"), "text", least=16, drop=3),
        Column(_("due"), drop=1),
        *extra,
    ]


def _open_goals(d: CaseDetails) -> Sheet | None:
    rows = [(g.id, g.goal, g.who, g.what, g.due) for g in d.open_goals]
    return _table_if_any(_("open goals"), _goal_columns(), rows)


def _signal(signal: bool) -> Text:
    return t(_("SIGNAL"), "bold red") if signal else t("")


def _contact_columns() -> list[Column]:
    return [
        Column(_("date")),
        Column(_("kind"), drop=2),
        Column(_("with"), "text", least=10, drop=1),
        Column(_("note"), "text"),
        Column(_("signal")),
    ]


def _last_contacts(d: CaseDetails) -> Sheet | None:
    """The last few contacts, newest first."""
    rows = [
        (c.date, word(CONTACT_KIND, c.kind), c.with_, c.note, _signal(c.signal))
        for c in reversed(d.last_contacts)
    ]
    return _table_if_any(_("last contacts"), _contact_columns(), rows)


def _risk_and_self_reliance(d: CaseDetails) -> Sheet | None:
    """The last six assessments; above them each score's sparkline and its course in words
    that say which scores they compare (``icrctl.domain.trend``)."""
    from icrctl.domain.trend import in_words, sparkline

    a = d.assessments
    series = [
        (_("risk"), [s.risk for s in a.scores]),
        (_("self-reliance"), [s.self_reliance for s in a.scores]),
    ]
    width = max(len(name) for name, _scores in series)
    lines = [
        _("{score} {sparkline}  {course}").format(
            score=name.ljust(width), sparkline=sparkline(scores), course=in_words(scores)
        )
        for name, scores in series
    ]
    return _table_if_any(
        "\n".join([_("risk and self-reliance"), *lines]),
        [_("date"), _("risk"), _("self-reliance")],
        [(s.date, s.risk, s.self_reliance) for s in a.scores[-6:]],
    )


def _coming_evaluations(d: CaseDetails) -> Sheet | None:
    rows = [(e.date, e.time, e.holiday) for e in d.evaluations]
    return _table_if_any(
        _("evaluations, next four weeks"),
        [_("date"), _("time"), Column(_("holiday"), "text")],
        rows,
    )


def _phase_history(d: CaseDetails) -> RenderableType:
    from icrctl.render.plans import reason_words

    return _block(
        _("phase history"),
        [_("date"), _("phase"), Column(_("reason"), "text")],
        [(h.date, phase_cell(h.phase), reason_words(h.reason)) for h in d.phase_history],
        _("no phase changes"),
    )


def _stage_history(d: CaseDetails) -> Sheet | None:
    """The steps through the working stages, with the reason where one was given (a skipped
    stage, a step back, closing despite the checklist)."""
    return _table_if_any(
        _("stage history"),
        [_("date"), _("stage"), Column(_("reason"), "text")],
        [(s.date, word(STAGE, s.stage), s.reason) for s in d.stage_history],
    )


def _event_value(kind: str, value: str | None) -> Text:
    """What an event changed from or to: a framework, regie or holder in words (the client,
    the case director), else as stored (a partner's key)."""
    vocabulary = {
        "framework": FRAMEWORK,
        "regie": REGIE,
        "casusregie_holder": CASUSREGIE_WORD,
        "procesregie": PROCESREGIE_WORD,
    }.get(kind)
    return word(vocabulary, value) if vocabulary and value in vocabulary.terms else t(value)


def _events(d: CaseDetails) -> Sheet | None:
    """Changes that are neither phase nor stage: framework, regie, who holds a role, closing,
    reopening."""
    rows = [
        (
            e.date,
            word(EVENT_KIND, e.kind),
            _event_value(e.kind, e.old),
            _event_value(e.kind, e.new),
            e.reason,
        )
        for e in d.events
    ]
    return _table_if_any(
        _("events"),
        [
            _("date"),
            _("event"),
            Column(_("from"), "text", least=12),
            Column(_("to"), "text", least=12),
            Column(_("reason"), "text"),
        ],
        rows,
    )


def _closing(d: CaseDetails) -> Trimmed | None:
    """What the practitioner gave when closing the case, and how long it is kept."""
    if not d.closing_summary:
        return None
    closed = [s for s in d.stage_history if s.stage == "closed"]
    forced = closed[-1].reason if closed else None
    return _facts(
        [
            (_("closing summary"), d.closing_summary),
            (_("safety"), d.closing_safety),
            *([(_("closed despite the checklist"), forced)] if forced else []),
            (_("retention until"), d.retention_until),
        ]
    )


def _spaced(*parts: RenderableType | None) -> Trimmed:
    """The parts a view has (``None``: left out), one blank line between them."""
    out: list[RenderableType] = []
    for part in parts:
        if part is None:
            continue
        if out:
            out.append(Text(""))
        out.append(part)
    return Trimmed(Group(*out))


def occurrences_table(rows: list[Listed]) -> RenderableType:
    tab = table(
        None,
        [
            Column(_("date")),
            Column(_("time")),
            Column(_("ref"), "key"),
            Column(_("status")),
            Column(_("note"), "text", least=16),
            Column(_("outcome"), "text", drop=1),
        ],
        [(o.date, o.time, o.ref, status_cell(o.status), _note(o), Text(_outcome(o))) for o in rows],
    )
    return empty_or(tab, rows, _("no evaluations in this window"))


def _outcome(o: Listed) -> str:
    """What happened at a held meeting: who attended, was absent, refused; the scores."""
    said = (
        (N_("attended {keys}"), o.attended),
        (N_("absent {keys}"), o.absent),
        (N_("refused {keys}"), o.refused),
    )
    parts = [_(message).format(keys=", ".join(keys)) for message, keys in said if keys]
    scores = [
        _(message).format(score=v)
        for message, v in (
            (N_("risk {score}"), o.risk),
            (N_("self-reliance {score}"), o.self_reliance),
        )
        if v
    ]
    return "; ".join(parts + ([", ".join(scores)] if scores else []))


def evaluation_view(v: MeetingView) -> RenderableType:
    """One evaluation: when and what became of it, whom its series invited and how each was
    recorded, the scores, the note, and the goals of that day."""
    head = Text.assemble(
        (v.ref, "bold"),
        "  ",
        _("evaluation of {date} at {time}:").format(
            date=v.date.isoformat(), time=v.time or "--:--"
        ),
        " ",
        status_cell(v.status),
    )
    goals = _table_if_any(
        _("goals set, achieved or dropped that day"),
        [
            Column(_("id"), "key"),
            Column(_("goal"), "text"),
            Column(_("status")),
            Column(_("who"), "text", least=12, drop=2),
            Column(_("what"), "text", least=16, drop=1),
        ],
        [(g.id, g.goal, word(GOAL_STATUS, g.status), g.who, g.what) for g in v.goals],
    )
    discussed = _table_if_any(
        _("discussed per goal"),
        [Column(_("goal"), "key"), Column(_("note"), "text", least=20)],
        [(x.goal, x.note) for x in v.discussed],
    )
    agreements = _table_if_any(
        _("agreements"),
        [
            Column(_("no."), "key"),
            Column(_("what"), "text", least=16),
            Column(_("who"), "text", least=10),
            Column(_("due")),
            Column(_("goal"), drop=1),
        ],
        [(a.number, a.what, a.who, a.due, a.goal) for a in v.agreements],
    )
    return _spaced(head, _facts(_meeting_facts(v)), goals, discussed, agreements)


def _meeting_facts(v: MeetingView) -> list[tuple[str, Any]]:
    """The facts of a meeting that it has: a cancelled one has no outcome, a planned one no note."""
    facts: list[tuple[str, Any]] = [
        (_("series"), v.series if v.series is not None else _("– (an extra meeting)"))
    ]
    if v.moved:
        facts.append((_("planned on"), v.original))
    facts += [(_("holiday"), v.holiday), (_("reason"), v.reason)]
    named = {p.key: f"{p.name} ({p.key})" for p in v.people}
    facts.append((_("invited"), [named[k] for k in v.invited] or t(None)))
    presences = (("attended", N_("attended")), ("absent", N_("absent")), ("refused", N_("refused")))
    for presence, label in presences:
        facts.append((_(label), [named[p.key] for p in v.people if p.presence == presence] or None))
    facts += [(_("risk"), v.risk), (_("self-reliance"), v.self_reliance), (_("note"), v.note)]
    return [(label, value) for label, value in facts if value is not None]


def _note(o: Occurrence) -> Text:
    notes = []
    if o.moved:
        notes.append(_("moved from {date}").format(date=o.original.isoformat()))
    if o.holiday:
        notes.append(_("public holiday: {name}").format(name=o.holiday))
    if o.weekend:
        notes.append(_("weekend: {day}").format(day=weekday(o.date)))
    if o.series is None:
        notes.append(_("extra meeting"))
    if o.reason:
        notes.append(o.reason)
    return Text("; ".join(notes))


def series_table(rows: list[SeriesRow]) -> RenderableType:
    tab = table(
        None,
        [
            Column(_("series"), "key"),
            Column(_("every")),
            Column(_("weekday")),
            Column(_("time")),
            Column(_("start")),
            Column(_("until"), drop=3),
            Column(_("workdays"), drop=1),
            Column(_("stopped from"), drop=4),
            Column(_("with"), "text", least=12, drop=2),
        ],
        [
            (
                s.id,
                s.every,
                word(WEEKDAY, s.weekday),
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
    return empty_or(tab, rows, _("no evaluation series"))


def phase_history_table(rows: list[PhaseRow]) -> RenderableType:
    from icrctl.render.plans import reason_words

    tab = table(
        None,
        [
            Column(_("date")),
            Column(_("phase")),
            Column(_("name"), "text", drop=2, least=16),
            Column(_("track")),
            Column(_("reason"), "text"),
            Column(_("recorded"), drop=1),
        ],
        [
            (
                r.date,
                phase_cell(r.phase),
                r.name,
                _track(r.track),
                reason_words(r.reason),
                r.recorded_at,
            )
            for r in rows
        ],
    )
    return empty_or(tab, rows, _("no phase changes"))


def checklist_table(rows: list[ChecklistRow], title: str | None = None) -> RenderableType:
    """The phase-4 checklist: per item who informs, as the regiekaart says, whether it is the
    ICR's own task or one to check, and when and by whom it was done (that column only when an
    item is done: the open items of ``case show`` have no one yet)."""
    done = any(r.done_by for r in rows)
    columns = [
        Column(_("item"), "key"),
        Column(_("description"), "text"),
        Column(_("whose task"), "text", least=12),
        Column(_("track"), drop=2),
        Column(_("escalated"), drop=1),
        Column(_("informed")),
    ]
    cells = [
        [
            r.item,
            regiekaart.checklist_label(r.track, r.item),
            _checklist_task(r),
            _track(r.track),
            r.escalated,
            t(local_from_utc(r.done_at), "green") if r.done_at else t(_("open"), "bold red"),
        ]
        + ([r.done_by] if done else [])
        for r in rows
    ]
    if done:
        columns.append(Column(_("done by"), "text", least=10, drop=3))
    return empty_or(table(title, columns, cells), rows, _("no phase-4 checklist"))


def _checklist_task(r: ChecklistRow) -> str:
    """Whose task an item is, as the regiekaart says: the ICR's own, or one the card gives to
    others (named), which the ICR checks."""
    who = regiekaart.checklist_informed_by(r.track, r.item) or "–"
    return (_("yours: {who}") if r.yours else _("to check: {who}")).format(who=who)


def phase_view(v: PhaseView) -> RenderableType:
    head = Text.assemble(
        (v.ref, "bold"),
        "  ",
        (_("phase {phase}").format(phase=v.phase), PHASE_STYLE.get(v.phase, "")),
        f": {v.name}",
        f" ({v.gloss})" if language() == "en" else "",  # the card's Dutch name, glossed
    )
    facts = _facts(
        [
            (_("meaning"), regiekaart.phase(v.phase).description),
            (_("since"), Text(f"{v.since.isoformat()} {_days(v.days)}")),
            (_("framework"), word(FRAMEWORK, v.framework)),
            (_("casusregie"), word(REGIE, v.regie)),
        ]
    )
    roles = table(
        _("who holds which role"),
        [Column(_("role"), "text"), Column(_("held by"), "text")],
        regiekaart.responsibilities(v.phase, v.framework),
    )
    return _spaced(head, facts, roles, _phase4_checklist(v.checklist))


def contacts_table(rows: list[ContactRow]) -> RenderableType:
    tab = table(
        None,
        _contact_columns(),
        [(c.date, word(CONTACT_KIND, c.kind), c.with_, c.note, _signal(c.signal)) for c in rows],
    )
    return empty_or(tab, rows, _("no contacts logged"))


def _follow_up_rows(rows: list[FollowUp]) -> list[tuple[Any, ...]]:
    return [
        (f.due, status_cell("planned" if f.status == "open" else f.status), f.done, f.contact)
        for f in rows
    ]


def _follow_up_columns() -> list[str | Column]:
    return [_("due"), _("status"), _("held on"), Column(_("contact"), drop=1)]


def follow_ups_table(rows: list[FollowUp]) -> RenderableType:
    """``case aftercare``: the follow-up contacts, earliest first; an overdue one in red."""
    tab = table(None, _follow_up_columns(), _follow_up_rows(rows))
    return empty_or(tab, rows, _("no aftercare follow-up contacts"))


GOAL_STYLE = {"open": "", "achieved": "green", "dropped": "dim"}


def goals_table(rows: list[GoalRow]) -> RenderableType:
    tab = table(
        None,
        _goal_columns(Column(_("status")), Column(_("since"), drop=4)),
        [
            (
                g.id,
                g.goal,
                g.who,
                g.what,
                g.due,
                word(GOAL_STATUS, g.status, GOAL_STYLE.get(g.status, "")),
                g.status_date,
            )
            for g in rows
        ],
    )
    return empty_or(tab, rows, _("no goals"))


#: The case file's tables, as an import summary names them.
TABLE_WORDS = {
    "partners": N_("partners"), "cases": N_("cases"), "members": N_("members"),
    "relations": N_("relations"), "links": N_("links to partners"), "phases": N_("phase changes"),
    "stages": N_("stage changes"), "events": N_("events"), "checklist": N_("checklist items"),
    "series": N_("evaluation series"), "attendees": N_("invited attendees"),
    "meetings": N_("meetings"), "attendance": N_("attendance records"),
    "contacts": N_("contacts"), "contact_people": N_("contact people"), "goals": N_("goals"),
    "indicators": N_("indicator scores"),
    "aftercare": N_("aftercare follow-up contacts"),
    "analyses": N_("analyses"), "analysis_factors": N_("analysis factors"),
    "interventions": N_("interventions"), "role_fits": N_("roles (analysis)"),
}  # fmt: skip


def _rows_of(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {_(TABLE_WORDS.get(name, name))}" for name, n in sorted(counts.items()))


def import_summary(result: ImportResult) -> RenderableType:
    """What an import did (or would do): the cases new and updated, the rows per table (in
    words: :data:`TABLE_WORDS`)."""
    lines = [
        _("cases: {new} new, {updated} updated, {unchanged} unchanged").format(
            new=len(result.cases_created),
            updated=len(result.cases_updated),
            unchanged=result.cases_unchanged,
        )
    ]
    if result.dry_run:
        lines.insert(0, _("dry run: nothing was written"))
    for ref in result.cases_created:
        lines.append("  " + _("new      {ref}").format(ref=ref))
    for ref in result.cases_updated:
        lines.append("  " + _("updated  {ref}").format(ref=ref))
    if result.changed:
        made = _rows_of(result.created)
        changed = _rows_of(result.updated)
        if made:
            message = (
                _("rows that would be created: {rows}")
                if result.dry_run
                else _("rows that were created: {rows}")
            )
            lines.append(message.format(rows=made))
        if changed:
            message = (
                _("rows that would be updated: {rows}")
                if result.dry_run
                else _("rows that were updated: {rows}")
            )
            lines.append(message.format(rows=changed))
    else:
        lines.append(_("nothing to change"))
    return Trimmed(Text("\n".join(lines)))
