"""Evaluatiemomenten as an iCalendar (.ics) file for the agenda of the case director.

Every event carries ``TZID=Europe/Amsterdam`` with a matching VTIMEZONE, so agendas keep 10:00 at
10:00 across summer time. The UID of an event is derived from a stable key, so that importing a
new export updates the same agenda items instead of adding copies; its ``SEQUENCE`` counts the
changes (RFC 5545 §3.8.7.4), so that an agenda takes a moved time or a ``STATUS:CANCELLED`` over
the event it holds instead of keeping the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone

from icrctl.domain.dates import LOCAL, TIME_ZONE

PRODID = "-//icrctl//icrctl//NL"


@dataclass(frozen=True)
class CalendarEvent:
    """One agenda item: an aware ``start``, a length in ``minutes``, the texts to show (no
    ``description``: none is written), how often it changed (``sequence``), and whether it is
    ``cancelled``."""

    uid_key: str
    start: dt.datetime
    minutes: int
    summary: str
    description: str | None = None
    sequence: int = 0
    cancelled: bool = False

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() is None:
            raise ValueError("a calendar event needs an aware start time")
        if self.minutes < 0:
            raise ValueError(f"a calendar event cannot last {self.minutes} minutes")
        if self.sequence < 0:
            raise ValueError(f"a calendar event cannot have changed {self.sequence} times")


def event_uid(key: str) -> str:
    """The UID for ``key``: the same key gives the same UID in every export."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@icrctl"


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LOCAL).replace(microsecond=0)


def _timezone(events: list[CalendarEvent], stamp: dt.datetime) -> Timezone:
    years = [_local(event.start).year for event in events] or [stamp.year]
    # Whole years around the events; no transition falls in early January, so an event that ends
    # after New Year's Eve is still covered.
    return Timezone.from_tzid(
        TIME_ZONE, first_date=dt.date(min(years), 1, 1), last_date=dt.date(max(years) + 1, 1, 1)
    )


def calendar_bytes(events: list[CalendarEvent], *, stamp: dt.datetime) -> bytes:
    """The .ics file for ``events``, sorted by start then UID; ``stamp`` (aware) is the DTSTAMP.

    Equal input gives equal bytes. Two events with the same ``uid_key`` are a ``ValueError``.
    """
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("the calendar stamp needs an aware time")
    stamp_utc = stamp.astimezone(dt.UTC).replace(microsecond=0)
    keyed = sorted(
        ((event_uid(event.uid_key), event) for event in events),
        key=lambda pair: (pair[1].start, pair[0]),
    )
    uids = [uid for uid, _ in keyed]
    if len(set(uids)) != len(uids):
        raise ValueError("two calendar events share a uid_key")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add_component(_timezone(events, stamp))
    for uid, event in keyed:
        calendar.add_component(_vevent(uid, event, stamp_utc))
    data: bytes = calendar.to_ical()
    return data


def _vevent(uid: str, event: CalendarEvent, stamp_utc: dt.datetime) -> Event:
    start = _local(event.start)
    end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=event.minutes)).astimezone(LOCAL)
    item = Event()
    item.add("uid", uid)
    item.add("dtstamp", stamp_utc)
    item.add("sequence", event.sequence)
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    item.add("dtstart", start)
    item.add("dtend", end)
    item.add("summary", event.summary)
    if event.description:
        item.add("description", event.description)
    return item
