"""The evaluation calendar as an iCalendar file: the next 26 weeks, stable UIDs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Case, EvaluationSeries
from icrctl.domain.dates import parse_time
from icrctl.domain.recurrence import local_datetime
from icrctl.io.files import write_private
from icrctl.io.ics import CalendarEvent, calendar_bytes
from icrctl.services import audit
from icrctl.services.context import Context
from icrctl.services.evaluations import CANCELLED, list_occurrences
from icrctl.services.lookup import attendee_names

HORIZON = timedelta(weeks=26)
MINUTES = 60


def export_ics(
    session: Session, ctx: Context, ref: str | None, path: Path, *, force: bool = False
) -> int:
    last = ctx.today + HORIZON
    occurrences = [
        o for o in list_occurrences(session, ctx, ref, ctx.today, last) if o.status != CANCELLED
    ]
    refs = {o.ref for o in occurrences}
    cases = list(session.scalars(select(Case).where(Case.ref.in_(refs))))
    titles = {c.ref: c.title for c in cases}
    names = attendee_names(session, [c.id for c in cases])
    natural = {
        s.id: f"{s.every}/{s.weekday or ''}/{s.time}/{s.start.isoformat()}"
        for s in session.scalars(
            select(EvaluationSeries).where(
                EvaluationSeries.id.in_({o.series for o in occurrences if o.series})
            )
        )
    }
    events = []
    for o in occurrences:
        key = f"{o.ref}/{natural.get(o.series or 0, 'extra')}/{o.original.isoformat()}"
        people = ", ".join(names.get((o.ref, k), k) for k in o.attendees) or "–"
        events.append(
            CalendarEvent(
                uid_key=key,
                start=local_datetime(o.date, parse_time(o.time or "10:00")),
                minutes=MINUTES,
                summary=f"Evaluatie {o.ref} {titles.get(o.ref, '')}".strip(),
                description=f"Aanwezig: {people}",
            )
        )
    stamp = datetime.combine(ctx.today, datetime.min.time(), tzinfo=UTC)
    write_private(path, calendar_bytes(events, stamp=stamp), force=force)
    audit.record(session, ctx, "export", "calendar", ref, ["evaluations"])
    return len(events)
