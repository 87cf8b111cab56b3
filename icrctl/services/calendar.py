"""The evaluation calendar as an iCalendar file: the next 26 weeks, stable UIDs, and every change
since an earlier file (a cancellation, a move, a stopped series) as an update of the event a
calendar already holds, never a second event beside a ghost.

Calendars sync to the cloud, so an event says only the case ref and "Evaluatie" unless the
practitioner asks for the family name and the invited attendees (``names``). What an event says
follows the language (``Evaluatie`` in Dutch, ``Evaluation`` in English); its UID, sequence and
status do not, so that a file written in the other language updates the same events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from icrctl.db.models import Case, EvaluationSeries, Meeting
from icrctl.db.order import by_code_point
from icrctl.domain.dates import parse_time
from icrctl.domain.recurrence import local_datetime
from icrctl.i18n import _
from icrctl.io.files import write_private
from icrctl.io.ics import CalendarEvent, calendar_bytes
from icrctl.services import audit
from icrctl.services.context import Context
from icrctl.services.evaluations import (
    CANCELLED,
    Loaded,
    case_occurrences,
    earliest,
    load,
    series_dates,
)
from icrctl.services.lookup import attendee_names, get_case

HORIZON = timedelta(weeks=26)
MINUTES = 60

Originals = dict[tuple[int | None, date], Meeting]
"""A case's meeting records by (series, the occurrence's own date); an extra meeting's series is
None."""


@dataclass
class CalendarWritten:
    """What ``eval ics`` wrote: how many events, of which cancelled."""

    events: int
    cancelled: int


@dataclass(frozen=True)
class _Item:
    """One agenda item before it is written: its UID key, where and when it stands now, how often
    it changed, whether it is cancelled, and whom the series invited."""

    ref: str
    key: str
    day: date
    time: str
    sequence: int
    cancelled: bool
    invited: tuple[str, ...]


def export_ics(
    session: Session,
    ctx: Context,
    ref: str | None,
    path: Path,
    *,
    force: bool = False,
    names: bool = False,
) -> CalendarWritten:
    """``eval ics``: the next 26 weeks of one case's or every open case's evaluations, with what
    became of those an earlier file held; the family name and attendees only with ``names``."""
    first, last = ctx.today, ctx.today + HORIZON
    cases = _cases(session, ref, ctx.today)
    data = load(session, [c.id for c in cases])
    items = _unique([i for c in cases for i in _case_items(c, data, first, last, ctx.today)])
    titles = {c.ref: c.title for c in cases}
    people = attendee_names(session, [c.id for c in cases]) if names else {}
    events = [_event(i, titles if names else None, people) for i in items]
    stamp = datetime.combine(ctx.today, datetime.min.time(), tzinfo=UTC)
    write_private(path, calendar_bytes(events, stamp=stamp), force=force)
    fields = ["evaluations", "names"] if names else ["evaluations"]
    audit.record(session, ctx, "export", "calendar", ref, fields)
    return CalendarWritten(len(events), sum(e.cancelled for e in events))


def _cases(session: Session, ref: str | None, today: date) -> list[Case]:
    """One case; or every open case, and those closed within the horizon (a file written before
    the closing may hold their meetings)."""
    if ref is not None:
        return [get_case(session, ref)]
    since = today - HORIZON
    query = select(Case).where(or_(Case.closed.is_(None), Case.closed >= since))
    return list(session.scalars(query.order_by(by_code_point(Case.ref))))


def _case_items(case: Case, data: Loaded, first: date, last: date, today: date) -> list[_Item]:
    """The occurrences that take place in the window or were planned in it (wherever they went
    since), cancelled ones too; then those a stop of their series took away."""
    meetings = data.meetings.get(case.id, [])
    originals: Originals = {(m.series_id, m.date): m for m in meetings}
    natural = {s.id: _natural(s) for s in data.series.get(case.id, [])}
    lo = min(first, earliest(data, case))
    hi = max([last, *(m.moved_to for m in meetings if m.moved_to is not None)])
    items = []
    for o in case_occurrences(case, data, lo, hi, today):
        if not (first <= o.date <= last or (o.series is not None and first <= o.original <= last)):
            continue
        m = originals.get((o.series, o.original))
        key = _key(case.ref, natural.get(o.series or 0), o.original)
        sequence = m.sequence if m is not None else 0
        cancelled = o.status == CANCELLED
        items.append(_Item(o.ref, key, o.date, o.time, sequence, cancelled, tuple(o.attendees)))
    for s in data.series.get(case.id, []):
        invited = tuple(data.attendees.get(s.id, []))
        items += _taken_by_the_stop(case.ref, s, originals, invited, first, last)
    return items


def _taken_by_the_stop(
    ref: str,
    series: EvaluationSeries,
    originals: Originals,
    invited: tuple[str, ...],
    first: date,
    last: date,
) -> list[_Item]:
    """The occurrences a stopped series (stopped, or its case closed) no longer holds that an
    earlier file may: planned in the window or moved into it, where they stood, up to 26 weeks
    after the stop (a file written the day before it reached no further). Each is cancelled, one
    change later than the event that file held."""
    stop = series.stopped_from
    if stop is None:
        return []
    days = set(series_dates(series, first, last, stopped=False))
    days |= {
        m.date
        for (sid, _day), m in originals.items()
        if sid == series.id and m.moved_to is not None and first <= m.moved_to <= last
    }
    out = []
    for day in sorted(days):
        m = originals.get((series.id, day))
        when = m.moved_to if m is not None and m.moved_to is not None else day
        if not stop <= when < stop + HORIZON or not _of_the_rule(series, day):
            continue
        count = 0 if m is None else m.sequence
        sequence = count if m is not None and m.status == CANCELLED else count + 1
        at = m.moved_time if m is not None and m.moved_time else series.time
        out.append(_Item(ref, _key(ref, _natural(series), day), when, at, sequence, True, invited))
    return out


def _of_the_rule(series: EvaluationSeries, day: date) -> bool:
    """Is ``day`` one of the series' own dates (its stop aside)?"""
    return series_dates(series, day, day, stopped=False) == [day]


def _natural(series: EvaluationSeries) -> str:
    """The series by its rule, as the UIDs have named it from the first export on."""
    weekday = series.weekday or ""
    return f"{series.every}/{weekday}/{series.time}/{series.start.isoformat()}"


def _key(ref: str, natural: str | None, original: date) -> str:
    """An occurrence's UID key: its case, its series' rule (an extra meeting: ``extra``) and its
    own date, so that a move or a cancellation keeps the UID."""
    return f"{ref}/{natural or 'extra'}/{original.isoformat()}"


def _unique(items: list[_Item]) -> list[_Item]:
    """One event per UID: an occurrence that takes place wins over one a stop took away that
    answers to the same key (a series stopped and planned again with the same rule)."""
    seen: dict[str, _Item] = {}
    for item in items:  # per case, those that take place come first
        seen.setdefault(item.key, item)
    return list(seen.values())


def _event(
    item: _Item, titles: dict[str, str] | None, people: dict[tuple[str, str], str]
) -> CalendarEvent:
    """The event as the calendar shows it, in the language in use: the case ref and "Evaluatie";
    with ``titles`` also the case's title (the family name) and the invited attendees by name."""
    summary = _("{ref} Evaluation").format(ref=item.ref)
    description = None
    if titles is not None:
        title = titles.get(item.ref, "")
        if title:
            summary = _("{ref} Evaluation {title}").format(ref=item.ref, title=title)
        invited = ", ".join(people.get((item.ref, k), k) for k in item.invited)
        description = _("Invited: {names}").format(names=invited) if invited else None
    if item.cancelled:
        summary = _("{summary} (cancelled)").format(summary=summary)
    return CalendarEvent(
        uid_key=item.key,
        start=local_datetime(item.day, parse_time(item.time or "10:00")),
        minutes=MINUTES,
        summary=summary,
        description=description,
        sequence=item.sequence,
        cancelled=item.cancelled,
    )
