"""The .ics export of evaluatiemomenten: time zone, stable UIDs, deterministic bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from icrctl.domain.recurrence import local_datetime, make_rule, occurrences
from icrctl.io.ics import PRODID, CalendarEvent, calendar_bytes, event_uid

AMS = ZoneInfo("Europe/Amsterdam")
STAMP = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
TEN = time(10, 0)


def event(day: str, key: str | None = None, minutes: int = 60) -> CalendarEvent:
    return CalendarEvent(
        uid_key=key or f"ICR-2026-001/eval/{day}",
        start=local_datetime(date.fromisoformat(day), TEN),
        minutes=minutes,
        summary="Evaluatie ICR-2026-001",
        description="met m1, vt-bakker",
    )


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_calendar_header() -> None:
    cal = parse(calendar_bytes([event("2026-03-10")], stamp=STAMP))
    assert cal.name == "VCALENDAR"
    assert str(cal["PRODID"]) == PRODID == "-//icrctl//icrctl//NL"
    assert str(cal["VERSION"]) == "2.0"


def test_vtimezone_present_and_events_carry_tzid() -> None:
    data = calendar_bytes([event("2026-03-10"), event("2026-03-24")], stamp=STAMP)
    cal = parse(data)
    zones = cal.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/Amsterdam"]
    assert zones[0].walk("DAYLIGHT")
    assert zones[0].walk("STANDARD")
    assert cal.get_missing_tzids() == set()
    for vevent in cal.walk("VEVENT"):
        assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert vevent["DTEND"].params["TZID"] == "Europe/Amsterdam"
    assert b"DTSTART;TZID=Europe/Amsterdam:20260310T100000" in data


def test_event_fields_round_trip() -> None:
    item = CalendarEvent(
        uid_key="ICR-2026-001/eval/2026-03-10",
        start=local_datetime(date(2026, 3, 10), TEN),
        minutes=90,
        summary="Evaluatie; gezin Özdemir, fase 3",
        description="met m1, vt-bakker\nagenda: veiligheidsplan",
    )
    vevent = parse(calendar_bytes([item], stamp=STAMP)).walk("VEVENT")[0]
    assert vevent.decoded("DTSTART") == datetime(2026, 3, 10, 10, 0, tzinfo=AMS)
    assert vevent.decoded("DTEND") == datetime(2026, 3, 10, 11, 30, tzinfo=AMS)
    assert str(vevent["SUMMARY"]) == item.summary
    assert str(vevent["DESCRIPTION"]) == item.description
    assert vevent.decoded("DTSTAMP") == STAMP
    assert str(vevent["UID"]) == event_uid(item.uid_key)


def test_dtstamp_is_written_in_utc() -> None:
    local_stamp = datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=AMS)
    data = calendar_bytes([event("2026-03-10")], stamp=local_stamp)
    assert b"DTSTAMP:20260701T100000Z" in data


def test_uid_is_stable_across_exports() -> None:
    first = parse(calendar_bytes([event("2026-03-10"), event("2026-03-24")], stamp=STAMP))
    later = datetime(2026, 9, 1, tzinfo=UTC)
    second = parse(calendar_bytes([event("2026-03-24"), event("2026-04-07")], stamp=later))
    uids_first = {str(v["DTSTART"].dt.date()): str(v["UID"]) for v in first.walk("VEVENT")}
    uids_second = {str(v["DTSTART"].dt.date()): str(v["UID"]) for v in second.walk("VEVENT")}
    assert uids_first["2026-03-24"] == uids_second["2026-03-24"]
    assert uids_first["2026-03-10"] != uids_first["2026-03-24"]
    assert all(uid.endswith("@icrctl") for uid in [*uids_first.values(), *uids_second.values()])


def test_event_uid_depends_only_on_the_key() -> None:
    assert event_uid("a") == event_uid("a")
    assert event_uid("a") != event_uid("b")
    assert event_uid("ICR-1/eval/2026-03-10") == event_uid("ICR-1/eval/2026-03-10")


def test_output_is_deterministic_and_sorted() -> None:
    events = [event("2026-04-07"), event("2026-03-10"), event("2026-03-24")]
    data = calendar_bytes(events, stamp=STAMP)
    assert data == calendar_bytes(list(reversed(events)), stamp=STAMP)
    starts = [v.decoded("DTSTART") for v in parse(data).walk("VEVENT")]
    assert starts == sorted(starts)


def test_events_at_the_same_start_are_sorted_by_uid() -> None:
    events = [event("2026-03-10", key=key) for key in ("c", "a", "b", "d")]
    vevents = parse(calendar_bytes(events, stamp=STAMP)).walk("VEVENT")
    uids = [str(v["UID"]) for v in vevents]
    assert uids == sorted(uids) == sorted(event_uid(key) for key in "abcd")


def test_ten_oclock_stays_ten_across_dst() -> None:
    rule = make_rule("1w", date(2026, 3, 24), time=TEN)
    days = occurrences(rule, date(2026, 3, 1), date(2026, 3, 31))
    days += occurrences(rule, date(2026, 10, 20), date(2026, 10, 27))
    assert [str(day) for day in days] == ["2026-03-24", "2026-03-31", "2026-10-20", "2026-10-27"]
    events = [
        CalendarEvent(f"x/{day}", local_datetime(day, rule.time), 60, "Evaluatie", "")
        for day in days
    ]
    data = calendar_bytes(events, stamp=STAMP)
    starts = [v.decoded("DTSTART") for v in parse(data).walk("VEVENT")]
    assert [s.hour for s in starts] == [10, 10, 10, 10]
    offsets = [s.utcoffset() for s in starts]
    hour = timedelta(hours=1)
    assert offsets == [hour, 2 * hour, 2 * hour, hour]
    for day in ("20260324", "20260331", "20261020", "20261027"):
        assert f"DTSTART;TZID=Europe/Amsterdam:{day}T100000".encode() in data
    # The VTIMEZONE describes both changes of 2026.
    assert b"20260329T030000" in data
    assert b"20261025T030000" in data


def test_start_in_another_zone_is_written_as_amsterdam_time() -> None:
    item = CalendarEvent("u", datetime(2026, 6, 2, 8, 0, tzinfo=UTC), 45, "Evaluatie", "")
    data = calendar_bytes([item], stamp=STAMP)
    assert b"DTSTART;TZID=Europe/Amsterdam:20260602T100000" in data
    assert b"DTEND;TZID=Europe/Amsterdam:20260602T104500" in data


def test_vtimezone_covers_every_year_with_events() -> None:
    data = calendar_bytes([event("2026-03-10"), event("2028-11-14")], stamp=STAMP)
    assert b"20280326T030000" in data  # last Sunday of March 2028
    assert b"20281029T030000" in data  # last Sunday of October 2028
    vevents = parse(data).walk("VEVENT")
    assert vevents[-1].decoded("DTSTART") == datetime(2028, 11, 14, 10, 0, tzinfo=AMS)


def test_no_events_still_gives_a_valid_calendar() -> None:
    cal = parse(calendar_bytes([], stamp=STAMP))
    assert cal.walk("VEVENT") == []
    assert [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_refuses_naive_times_negative_lengths_and_shared_keys() -> None:
    with pytest.raises(ValueError, match="aware"):
        CalendarEvent("u", datetime(2026, 3, 10, 10, 0), 60, "s", "d")
    with pytest.raises(ValueError, match="minutes"):
        CalendarEvent("u", local_datetime(date(2026, 3, 10), TEN), -1, "s", "d")
    with pytest.raises(ValueError, match="aware"):
        calendar_bytes([event("2026-03-10")], stamp=datetime(2026, 3, 1, 8, 30))
    with pytest.raises(ValueError, match="uid_key"):
        calendar_bytes([event("2026-03-10", "same"), event("2026-03-24", "same")], stamp=STAMP)
