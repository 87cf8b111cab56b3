"""Rich renderings of the service results. Every stored string goes in as ``Text``: literal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import RenderableType

    from icrctl.services.caseview import CaseDetails, CaseSummary
    from icrctl.services.contacts import ContactRow
    from icrctl.services.evaluation_view import Listed, MeetingView
    from icrctl.services.evaluations import Occurrence, SeriesRow
    from icrctl.services.goals import GoalRow
    from icrctl.services.importer import ImportResult
    from icrctl.services.members import MemberRow
    from icrctl.services.partners import PartnerRow
    from icrctl.services.phases import ChecklistRow, PhaseRow, PhaseView

PHASE_STYLE = {1: "green", 2: "yellow", 3: "dark_orange", 4: "bold red"}
STATUS_STYLE = {"planned": "", "held": "green", "cancelled": "dim", "overdue": "bold red"}


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


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    tab = Table(
        title=Text(title) if title else None,
        title_justify="left",
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )
    for column in columns:
        tab.add_column(column)
    for r in rows:
        tab.add_row(*[cell if isinstance(cell, Text) else t(cell) for cell in r])
    return tab


def empty_or(tab: Table, rows: Sequence[Any], message: str) -> RenderableType:
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
            "ref",
            "title",
            "phase",
            "stage",
            "regisseur",
            "members",
            "partners",
            "next evaluation",
            "overdue",
            "last contact",
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
