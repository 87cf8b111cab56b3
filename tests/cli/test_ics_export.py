"""``icrctl eval ics``: the next 26 weeks of evaluations as an iCalendar file.

Moved occurrences at their new time, cancelled ones as STATUS:CANCELLED, Europe/Amsterdam with its
VTIMEZONE, attendees by name with --names, mode 0600, no overwrite without --force, and UIDs that
stay the same from one export to the next (tests/cli/test_calendar_truth.py: what a calendar makes
of the changes). TODAY is Wednesday 2026-11-25."""

from __future__ import annotations

import stat
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.helpers import TODAY, Run, refused, usage_error

AMS = ZoneInfo("Europe/Amsterdam")


def export(run: Run, path: Path, *args: str) -> Calendar:
    out = run("eval", "ics", *args, "--out", str(path)).stdout
    assert f"to {path}" in out
    return Calendar.from_ical(path.read_bytes())


def events(cal: Calendar) -> list[Any]:
    return list(cal.walk("VEVENT"))


def starts(cal: Calendar) -> list[datetime]:
    return [e.decoded("DTSTART") for e in events(cal)]


def uid_by_start(cal: Calendar) -> dict[datetime, str]:
    return {e.decoded("DTSTART"): str(e["UID"]) for e in events(cal)}


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time()).replace(
        hour=hour, minute=minute, tzinfo=AMS
    )


@pytest.fixture
def fridays(run: Run, family: str) -> str:
    """Weekly on Friday at 10:00 from 4 December, with Sanne and the Veilig Thuis partner."""
    run(
        "eval",
        "schedule",
        family,
        "--every",
        "1w",
        "--weekday",
        "vr",
        "--start",
        "2026-12-04",
        "--with",
        "m1,vt-bakker",
    )
    return family


def test_one_event_per_occurrence_in_the_next_26_weeks(
    run: Run, fridays: str, tmp_path: Path
) -> None:
    cal = export(run, tmp_path / "agenda.ics", fridays)
    found = starts(cal)
    horizon = TODAY + timedelta(weeks=26)
    expected = [
        run(
            "eval", "list", fridays, "--from", "today", "--to", horizon.isoformat(), "-f", "json"
        ).json()[i]["date"]
        for i in range(len(found))
    ]
    assert [d.date().isoformat() for d in found] == expected
    assert len(found) == 25  # 4 December 2026 up to 21 May 2027
    assert found[0] == at("2026-12-04")
    assert found[-1].date() <= horizon
    assert found[-1].date() + timedelta(weeks=1) > horizon
    for event in events(cal):
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=1)
        assert str(event["SUMMARY"]) == "GO-2026-014 Evaluation"


def test_past_and_overdue_occurrences_are_not_exported(
    run: Run, family: str, tmp_path: Path
) -> None:
    run("eval", "schedule", family, "--every", "1w", "--weekday", "tue", "--start", "2026-11-03")
    run("eval", "record", family, "--date", "2026-11-24")
    cal = export(run, tmp_path / "agenda.ics", family)
    assert min(starts(cal)) == at("2026-12-01")


def test_vtimezone_and_tzid(run: Run, fridays: str, tmp_path: Path) -> None:
    path = tmp_path / "agenda.ics"
    cal = export(run, path, fridays)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert cal.get_missing_tzids() == set()
    for event in events(cal):
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert event["DTEND"].params["TZID"] == "Europe/Amsterdam"
    assert b"DTSTART;TZID=Europe/Amsterdam:20261204T100000" in path.read_bytes()


def test_attendee_names_in_the_description(run: Run, fridays: str, tmp_path: Path) -> None:
    cal = export(run, tmp_path / "agenda.ics", fridays, "--names")
    for event in events(cal):
        description = str(event["DESCRIPTION"])
        assert "Sanne de Vries" in description
        assert "J. Bakker" in description
        assert "Peter de Vries" not in description


def test_moved_at_new_time_and_cancelled_marked(run: Run, fridays: str, tmp_path: Path) -> None:
    run("eval", "move", fridays, "2026-12-11", "2026-12-10", "--time", "14:30")
    run("eval", "cancel", fridays, "2026-12-18", "--reason", "ziek")
    cal = export(run, tmp_path / "agenda.ics", fridays)
    found = starts(cal)
    assert at("2026-12-10", 14, 30) in found
    assert not [d for d in found if d.date() == date(2026, 12, 11)]
    cancelled = [e for e in events(cal) if str(e["STATUS"]) == "CANCELLED"]
    assert [e.decoded("DTSTART") for e in cancelled] == [at("2026-12-18")]
    assert len(found) == 25


def test_moved_beyond_the_horizon_is_moved_there_and_moved_in_is_added(
    run: Run, fridays: str, tmp_path: Path
) -> None:
    run("eval", "move", fridays, "2026-12-04", "2027-07-01")  # beyond 26 weeks: still updated
    run("eval", "move", fridays, "2027-06-04", "2027-05-25")  # from beyond into the horizon
    found = starts(export(run, tmp_path / "agenda.ics", fridays))
    assert at("2026-12-04") not in found
    assert at("2027-07-01") in found
    assert at("2027-05-25") in found
    assert len(found) == 26


def test_file_mode_0600(run: Run, fridays: str, tmp_path: Path) -> None:
    path = tmp_path / "agenda.ics"
    export(run, path, fridays)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_refuses_to_overwrite_without_force(run: Run, fridays: str, tmp_path: Path) -> None:
    path = tmp_path / "agenda.ics"
    path.write_text("mijn eigen agenda\n")
    message = refused(run, "eval", "ics", fridays, "--out", str(path))
    assert "--force" in message
    assert path.read_text() == "mijn eigen agenda\n"
    cal = export(run, path, fridays, "--force")
    assert len(events(cal)) == 25


def test_unknown_case_or_missing_folder_is_refused(run: Run, fridays: str, tmp_path: Path) -> None:
    refused(run, "eval", "ics", "NO-SUCH", "--out", str(tmp_path / "a.ics"))
    refused(run, "eval", "ics", fridays, "--out", str(tmp_path / "nowhere" / "a.ics"))
    assert list(tmp_path.glob("**/*.ics")) == []
    usage_error(run, "eval", "ics", fridays)  # --out is required


def test_uids_are_stable_across_exports(run: Run, fridays: str, tmp_path: Path) -> None:
    first = export(run, tmp_path / "one.ics", fridays)
    second = export(run, tmp_path / "two.ics", fridays)
    assert uid_by_start(first) == uid_by_start(second)
    assert (tmp_path / "one.ics").read_bytes() == (tmp_path / "two.ics").read_bytes()
    uids = [str(e["UID"]) for e in events(first)]
    assert len(set(uids)) == len(uids)


def test_a_moved_occurrence_keeps_its_uid(run: Run, fridays: str, tmp_path: Path) -> None:
    before = uid_by_start(export(run, tmp_path / "one.ics", fridays))
    run("eval", "move", fridays, "2026-12-11", "2026-12-10", "--time", "14:30")
    after = uid_by_start(export(run, tmp_path / "two.ics", fridays))
    assert after[at("2026-12-10", 14, 30)] == before[at("2026-12-11")]
    unchanged = {k: v for k, v in before.items() if k != at("2026-12-11")}
    assert {k: v for k, v in after.items() if k != at("2026-12-10", 14, 30)} == unchanged


def test_uids_survive_time_passing_and_cancelling(
    run: Run, fridays: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = uid_by_start(export(run, tmp_path / "one.ics", fridays))
    run("eval", "cancel", fridays, "2027-01-01", "--reason", "Nieuwjaarsdag")
    monkeypatch.setenv("ICRCTL_TODAY", "2026-12-12")
    after = uid_by_start(export(run, tmp_path / "two.ics", fridays))
    assert after[at("2027-01-01")] == before[at("2027-01-01")]  # now STATUS:CANCELLED
    assert after[at("2027-06-04")] not in before.values()  # newly inside the horizon
    shared = set(before) & set(after)
    assert len(shared) == 23
    assert all(before[k] == after[k] for k in shared)


def test_uids_differ_between_cases_and_series(run: Run, fridays: str, tmp_path: Path) -> None:
    run("case", "create", "GO-2026-015", "--title", "Familie Bakker", "--opened", "2026-10-01")
    run(
        "eval",
        "schedule",
        "GO-2026-015",
        "--every",
        "1w",
        "--weekday",
        "fri",
        "--start",
        "2026-12-04",
    )
    run(
        "eval",
        "schedule",
        fridays,
        "--every",
        "1w",
        "--weekday",
        "fri",
        "--start",
        "2026-12-04",
        "--time",
        "10:30",
    )
    cal = export(run, tmp_path / "all.ics")  # every open case
    uids = [str(e["UID"]) for e in events(cal)]
    assert len(uids) == 3 * 25
    assert len(set(uids)) == len(uids)
    one = export(run, tmp_path / "one.ics", fridays)
    everything = {str(e["UID"]) for e in events(cal)}
    assert {str(e["UID"]) for e in events(one)} <= everything
    assert len(events(one)) == 50


@pytest.mark.parametrize(
    ("today", "start", "change"),
    [
        ("2026-11-25", "2027-03-15", date(2027, 3, 28)),
        ("2026-10-01", "2026-10-12", date(2026, 10, 25)),
    ],
    ids=["march", "october"],
)
def test_ten_stays_ten_across_summer_time(
    run: Run,
    family: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    today: str,
    start: str,
    change: date,
) -> None:
    monkeypatch.setenv("ICRCTL_TODAY", today)
    run(
        "eval",
        "schedule",
        family,
        "--every",
        "1w",
        "--weekday",
        "mon",
        "--time",
        "10:00",
        "--start",
        start,
        "--until",
        (change + timedelta(weeks=3)).isoformat(),
    )
    listed = run("eval", "list", family, "--from", start, "--to", "+52w", "-f", "json").json()
    assert {o["time"] for o in listed} == {"10:00"}
    path = tmp_path / "dst.ics"
    cal = export(run, path, family)
    found = starts(cal)
    assert len(found) == 5
    before = [d for d in found if d.date() < change]
    after = [d for d in found if d.date() > change]
    assert before
    assert after
    assert {(d.hour, d.minute) for d in found} == {(10, 0)}
    assert all(d.tzinfo is not None and str(d.tzinfo) == "Europe/Amsterdam" for d in found)
    assert {d.utcoffset() for d in before} != {d.utcoffset() for d in after}
    raw = path.read_bytes().decode()
    for d in found:
        assert f"DTSTART;TZID=Europe/Amsterdam:{d:%Y%m%d}T100000" in raw
