"""``icrctl eval ics`` tells a calendar the truth: a cancelled or moved occurrence keeps its UID
and comes with ``STATUS:CANCELLED`` or its new time and a higher ``SEQUENCE``; a stopped series
and a closed case cancel what an earlier file gave; by default an event carries only the case ref
and "Evaluation" (Dutch: "Evaluatie"; ``--names`` adds the family name and the attendees);
``--case REF``.

The files are read as a calendar program reads them: each file with ``recurring_ical_events`` (an
independent reader), and one file after another into :class:`Agenda`, which keeps one event per
UID and takes a newer version only by RFC 5546's rule (a higher SEQUENCE, or the same SEQUENCE
with a later DTSTAMP). TODAY is Wednesday 2026-11-25."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar, Event

from tests.helpers import TODAY, Run, refused

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

AMS = ZoneInfo("Europe/Amsterdam")
HORIZON = TODAY + timedelta(weeks=26)


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=AMS)


def read(path: Path) -> list[Any]:
    """The events of one file, as an independent reader lists them (cancelled ones too)."""
    cal = Calendar.from_ical(path.read_bytes())
    start, end = datetime(2000, 1, 1, tzinfo=AMS), datetime(2100, 1, 1, tzinfo=AMS)
    found: list[Any] = recurring_ical_events.of(cal).between(start, end)
    return found


class Agenda:
    """A calendar program that imports .ics files one after another: one event per UID."""

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}

    def take(self, path: Path) -> None:
        for event in read(path):
            uid = str(event["UID"])
            held = self.events.get(uid)
            if held is None or self._version(event) > self._version(held):
                self.events[uid] = event

    @staticmethod
    def _version(event: Event) -> tuple[int, datetime]:
        return int(event.get("SEQUENCE", 0)), event.decoded("DTSTAMP")

    def shown(self) -> dict[datetime, str]:
        """What the agenda shows: the start and summary of each event not cancelled."""
        cal = Calendar()
        for event in self.events.values():
            cal.add_component(event)
        return {
            e.decoded("DTSTART"): str(e["SUMMARY"])
            for e in read_calendar(cal)
            if str(e.get("STATUS", "CONFIRMED")) != "CANCELLED"
        }


def read_calendar(cal: Calendar) -> list[Any]:
    start, end = datetime(2000, 1, 1, tzinfo=AMS), datetime(2100, 1, 1, tzinfo=AMS)
    found: list[Any] = recurring_ical_events.of(cal).between(start, end)
    return found


def write(run: Run, path: Path, *args: str) -> str:
    return run("eval", "ics", *args, "--out", str(path), "--force").stdout


def by_start(path: Path) -> dict[datetime, Any]:
    return {e.decoded("DTSTART"): e for e in read(path)}


@pytest.fixture
def fridays(run: Run, family: str) -> str:
    """Weekly on Friday at 10:00 from 4 December, with Sanne and the Veilig Thuis partner."""
    run("eval", "schedule", family, "--every", "1w", "--weekday", "vr", "--start",
        "2026-12-04", "--with", "m1,vt-bakker")  # fmt: skip
    return family


# ------------------------------------------------------------------ what an event says


def test_by_default_an_event_says_only_the_ref_and_evaluatie(
    run: Run, fridays: str, tmp_path: Path
) -> None:
    run("eval", "cancel", fridays, "2026-12-11", "--reason", "moeder opgenomen")
    path = tmp_path / "agenda.ics"
    write(run, path, fridays)
    events = read(path)
    assert len(events) == 25
    assert {str(e["SUMMARY"]) for e in events} == {
        "GO-2026-014 Evaluation",
        "GO-2026-014 Evaluation (cancelled)",
    }
    assert all("DESCRIPTION" not in e and "ATTENDEE" not in e for e in events)
    raw = path.read_bytes().decode()
    for private in ("Vries", "Sanne", "Bakker", "vt-bakker", "m1", "opgenomen"):
        assert private not in raw


def test_names_adds_the_family_name_and_the_attendees(
    run: Run, fridays: str, tmp_path: Path
) -> None:
    path = tmp_path / "agenda.ics"
    write(run, path, fridays, "--names")
    for event in read(path):
        assert str(event["SUMMARY"]) == "GO-2026-014 Evaluation Familie De Vries"
        assert str(event["DESCRIPTION"]) == "Invited: Sanne de Vries, J. Bakker (vt-bakker)"
    audit = run("audit", fridays, "-f", "json").json()
    exports = [a["fields"] for a in audit if a["entity"] == "calendar"]
    assert exports == ["evaluations,names"]


def test_case_option_is_one_case(run: Run, fridays: str, tmp_path: Path) -> None:
    run("case", "create", "GO-2026-015", "--title", "Familie Bakker", "--opened", "2026-10-01")
    run("eval", "schedule", "GO-2026-015", "--every", "2w", "--start", "2026-12-01")
    one, positional, every = tmp_path / "one.ics", tmp_path / "pos.ics", tmp_path / "all.ics"
    write(run, one, "--case", fridays)
    write(run, positional, fridays)
    write(run, every)
    assert one.read_bytes() == positional.read_bytes()
    assert {str(e["SUMMARY"]).split()[0] for e in read(one)} == {fridays}
    assert {str(e["SUMMARY"]).split()[0] for e in read(every)} == {fridays, "GO-2026-015"}
    refused(run, "eval", "ics", fridays, "--case", "GO-2026-015", "--out", str(tmp_path / "x"),
            match="two cases")  # fmt: skip
    refused(run, "eval", "ics", "--case", "NO-SUCH", "--out", str(tmp_path / "y.ics"))
    assert not (tmp_path / "x").exists()


# ------------------------------------------------------------------ a calendar follows the changes


def test_a_cancellation_replaces_the_event_a_calendar_holds(
    run: Run, fridays: str, tmp_path: Path
) -> None:
    agenda = Agenda()
    write(run, tmp_path / "one.ics", fridays)
    agenda.take(tmp_path / "one.ics")
    assert at("2026-12-11") in agenda.shown()
    run("eval", "cancel", fridays, "2026-12-11", "--reason", "ziek")
    write(run, tmp_path / "two.ics", fridays)
    agenda.take(tmp_path / "two.ics")
    assert at("2026-12-11") not in agenda.shown()
    assert len(agenda.shown()) == 24
    before, after = by_start(tmp_path / "one.ics"), by_start(tmp_path / "two.ics")
    cancelled = after[at("2026-12-11")]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["UID"] == before[at("2026-12-11")]["UID"]
    assert int(cancelled["SEQUENCE"]) > int(before[at("2026-12-11")]["SEQUENCE"])
    assert {str(e["STATUS"]) for k, e in after.items() if k != at("2026-12-11")} == {"CONFIRMED"}


def test_a_move_and_a_move_back_each_replace_the_event(
    run: Run, fridays: str, tmp_path: Path
) -> None:
    agenda = Agenda()
    write(run, tmp_path / "one.ics", fridays)
    agenda.take(tmp_path / "one.ics")
    run("eval", "move", fridays, "2026-12-11", "2026-12-10", "--time", "14:30")
    write(run, tmp_path / "two.ics", fridays)
    agenda.take(tmp_path / "two.ics")
    shown = agenda.shown()
    assert at("2026-12-10", 14, 30) in shown
    assert at("2026-12-11") not in shown
    assert len(shown) == 25
    run("eval", "move", fridays, "2026-12-10", "2026-12-11", "--time", "10:00")  # back again
    write(run, tmp_path / "three.ics", fridays)
    agenda.take(tmp_path / "three.ics")
    shown = agenda.shown()
    assert at("2026-12-11") in shown
    assert at("2026-12-10", 14, 30) not in shown
    sequences = [int(by_start(tmp_path / n)[when]["SEQUENCE"]) for n, when in (
        ("one.ics", at("2026-12-11")), ("two.ics", at("2026-12-10", 14, 30)),
        ("three.ics", at("2026-12-11")))]  # fmt: skip
    assert sequences == [0, 1, 2]
    dates = [o["date"] for o in run("eval", "list", fridays, "-f", "json").json()]
    assert "2026-12-11" in dates
    assert "2026-12-10" not in dates


def test_a_move_out_of_the_26_weeks_still_reaches_the_calendar(
    run: Run, fridays: str, tmp_path: Path
) -> None:
    agenda = Agenda()
    write(run, tmp_path / "one.ics", fridays)
    agenda.take(tmp_path / "one.ics")
    run("eval", "move", fridays, "2026-12-04", "2027-07-01")
    write(run, tmp_path / "two.ics", fridays)
    agenda.take(tmp_path / "two.ics")
    shown = agenda.shown()
    assert at("2026-12-04") not in shown
    assert at("2027-07-01") in shown


def test_a_stopped_series_cancels_what_an_earlier_file_gave(
    run: Run, fridays: str, tmp_path: Path
) -> None:
    agenda = Agenda()
    write(run, tmp_path / "one.ics", fridays)
    agenda.take(tmp_path / "one.ics")
    run("eval", "move", fridays, "2026-12-25", "2027-01-04")  # moved to after the stop: gone too
    write(run, tmp_path / "moved.ics", fridays)
    agenda.take(tmp_path / "moved.ics")
    run("eval", "stop", fridays, "--from", "2027-01-01")
    out = write(run, tmp_path / "two.ics", fridays)
    agenda.take(tmp_path / "two.ics")
    assert sorted(agenda.shown()) == [at("2026-12-04"), at("2026-12-11"), at("2026-12-18")]
    cancelled = [e for e in read(tmp_path / "two.ics") if str(e["STATUS"]) == "CANCELLED"]
    assert len(cancelled) == 22  # 25 December (moved to 4 January), 1 January … 21 May
    assert "(22 cancelled)" in out
    moved = by_start(tmp_path / "two.ics")[at("2027-01-04")]
    assert (str(moved["STATUS"]), int(moved["SEQUENCE"])) == ("CANCELLED", 2)


def test_a_closed_case_cancels_its_events_in_the_file_of_every_case(
    run: Run, fridays: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agenda = Agenda()
    write(run, tmp_path / "one.ics")
    agenda.take(tmp_path / "one.ics")
    run(
        "case", "close", fridays, "--summary", "doelen behaald", "--safety", "veilig", *CLOSE_ANYWAY
    )
    write(run, tmp_path / "two.ics")
    agenda.take(tmp_path / "two.ics")
    assert agenda.shown() == {}
    assert len(read(tmp_path / "two.ics")) == 25
    # half a year after the closing no earlier file can hold its meetings: it is left out
    monkeypatch.setenv("ICRCTL_TODAY", (TODAY + timedelta(weeks=27)).isoformat())
    write(run, tmp_path / "later.ics")
    assert read(tmp_path / "later.ics") == []


def test_a_stop_cancels_no_further_than_26_weeks_after_it(
    run: Run, fridays: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("eval", "stop", fridays, "--from", "2027-01-01")
    monkeypatch.setenv("ICRCTL_TODAY", "2027-03-01")
    write(run, tmp_path / "later.ics", fridays)
    found = sorted(by_start(tmp_path / "later.ics"))
    assert found[0] == at("2027-03-05")
    assert found[-1] == at("2027-06-25")  # the last Friday before 1 January + 26 weeks
    assert all(str(e["STATUS"]) == "CANCELLED" for e in read(tmp_path / "later.ics"))


def test_a_series_planned_again_with_its_rule_keeps_the_events(
    run: Run, fridays: str, tmp_path: Path
) -> None:
    agenda = Agenda()
    write(run, tmp_path / "one.ics", fridays)
    agenda.take(tmp_path / "one.ics")
    run("eval", "stop", fridays, "--from", "2026-12-04", "--series", "1")
    run("eval", "schedule", fridays, "--every", "1w", "--weekday", "fri", "--start",
        "2026-12-04", "--with", "m1,vt-bakker")  # fmt: skip
    write(run, tmp_path / "two.ics", fridays)
    agenda.take(tmp_path / "two.ics")
    assert agenda.shown() == agenda_of(tmp_path / "one.ics")
    assert {str(e["STATUS"]) for e in read(tmp_path / "two.ics")} == {"CONFIRMED"}


def agenda_of(path: Path) -> dict[datetime, str]:
    agenda = Agenda()
    agenda.take(path)
    return agenda.shown()


def test_the_file_agrees_with_eval_list(run: Run, fridays: str, tmp_path: Path) -> None:
    run("eval", "cancel", fridays, "2027-01-01", "--reason", "Nieuwjaarsdag")
    run("eval", "move", fridays, "2026-12-18", "2026-12-17", "--time", "09:00")
    write(run, tmp_path / "agenda.ics", fridays)
    listed = run("eval", "list", fridays, "--from", "today", "--to", HORIZON.isoformat(),
                 "-f", "json").json()  # fmt: skip
    expected = {
        (at(o["date"], *map(int, o["time"].split(":"))), o["status"] == "cancelled") for o in listed
    }
    found = {
        (e.decoded("DTSTART"), str(e["STATUS"]) == "CANCELLED")
        for e in read(tmp_path / "agenda.ics")
    }
    assert found == expected


def test_the_change_count_survives_export_and_import(
    run: Run, fridays: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("eval", "cancel", fridays, "2026-12-11")
    run("eval", "move", fridays, "2026-12-18", "2026-12-17")
    run("eval", "move", fridays, "2026-12-17", "2026-12-18")  # back: still a change
    write(run, tmp_path / "before.ics", fridays)
    run("export", "--out", str(tmp_path / "all.yaml"))
    monkeypatch.setenv("ICRCTL_DB", str(tmp_path / "other" / "caseload.db"))
    run("import", str(tmp_path / "all.yaml"))
    write(run, tmp_path / "after.ics", fridays)
    assert (tmp_path / "after.ics").read_bytes() == (tmp_path / "before.ics").read_bytes()
    sequences = {k.date(): int(e["SEQUENCE"]) for k, e in by_start(tmp_path / "after.ics").items()}
    assert (sequences[date(2026, 12, 11)], sequences[date(2026, 12, 18)]) == (1, 2)
