"""Meetings on weekends, through the command line: ``eval schedule --workdays next|previous``
moves a meeting the rule puts on a weekend or public holiday to a working day, in the rule itself
(``eval list``, ``check`` and ``eval ics`` agree); without it, the weekend is flagged wherever a
holiday is (the schedule's warning, ``eval list``, ``check``). TODAY is Wednesday 2026-11-25."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Run, refused

MONTHLY = ("--every", "maandelijks", "--start", "2026-11-05")  # Thursday 5 November
YEAR = ("--from", "2026-11-01", "--to", "2027-10-31")


def listing(run: Run, ref: str, *args: str) -> list[dict[str, Any]]:
    data = run("eval", "list", ref, *args, "-f", "json").json()
    assert isinstance(data, list)
    return data


def dates(run: Run, ref: str, *args: str) -> list[str]:
    return [o["date"] for o in listing(run, ref, *args)]


def codes(run: Run, ref: str) -> list[str]:
    return [s["code"] for s in run("check", ref, "-f", "json").json()]


# ---------------------------------------------------------------- --workdays


def test_next_moves_the_saturdays_of_the_report_to_monday(run: Run, family: str) -> None:
    result = run("eval", "schedule", family, *MONTHLY, "--workdays", "next")
    assert result.stderr == ""  # nothing left on a weekend or holiday to warn about
    got = dates(run, family, *YEAR)
    assert "2026-12-07" in got
    assert "2027-06-07" in got
    assert "2026-12-05" not in got
    assert "2027-06-05" not in got
    assert all(date.fromisoformat(d).weekday() < 5 for d in got)
    assert not any(o["weekend"] or o["holiday"] for o in listing(run, family, *YEAR))


def test_previous_moves_them_to_friday(run: Run, family: str) -> None:
    run("eval", "schedule", family, *MONTHLY, "--workdays", "previous")
    got = dates(run, family, *YEAR)
    assert "2026-12-04" in got
    assert "2027-06-04" in got
    assert "2026-12-05" not in got


def test_the_series_keeps_its_workdays(run: Run, family: str) -> None:
    out = run("eval", "schedule", family, *MONTHLY, "--workdays", "volgende").stdout
    assert "next working day" in out
    [row] = run("eval", "series", family, "-f", "json").json()
    assert row["workdays"] == "next"
    assert "next" in run("eval", "series", family).stdout
    run("eval", "schedule", family, "--every", "2w", "--start", "2026-11-03")
    assert [s["workdays"] for s in run("eval", "series", family, "-f", "json").json()] == [
        "next",
        None,
    ]


@pytest.mark.parametrize("value", ["later", "weekdays", ""])
def test_other_workdays_are_refused(run: Run, family: str, value: str) -> None:
    message = refused(run, "eval", "schedule", family, *MONTHLY, "--workdays", value)
    assert "workdays" in message


def test_a_public_holiday_on_a_weekday_moves_too(run: Run, family: str) -> None:
    # Weekly on Tuesday; Koningsdag 2027 is Tuesday 27 April.
    run("eval", "schedule", family, "--every", "1w", "--start", "2027-04-06", "--workdays", "next")
    assert dates(run, family, "--from", "2027-04-19", "--to", "2027-05-05") == [
        "2027-04-20",
        "2027-04-28",
        "2027-05-04",
    ]


def test_monthly_on_the_nth_weekday_moves_only_off_a_holiday(run: Run, family: str) -> None:
    # The last Monday of the month from Tweede paasdag, Monday 29 March 2027.
    run("eval", "schedule", family, "--every", "1m", "--weekday", "ma", "--start", "2027-03-29")
    run(
        "eval", "schedule", family, "--every", "1m", "--weekday", "ma", "--start", "2027-03-29",
        "--time", "14:00", "--workdays", "next",
    )  # fmt: skip
    found = listing(run, family, "--from", "2027-03-01", "--to", "2027-06-30")
    by_time = {t: [o["date"] for o in found if o["time"] == t] for t in ("10:00", "14:00")}
    assert by_time["10:00"] == ["2027-03-29", "2027-04-26", "2027-05-31", "2027-06-28"]
    assert by_time["14:00"] == ["2027-03-30", "2027-04-26", "2027-05-31", "2027-06-28"]


def test_a_moved_meeting_is_named_by_the_day_it_takes_place(run: Run, family: str) -> None:
    # Monthly from 5 March 2026 keeping to working days: Saturday 5 September became Monday 7.
    run("eval", "schedule", family, "--every", "1m", "--start", "2026-03-05", "--workdays", "next")
    assert "2026-09-07" in run("eval", "record", family, "--date", "2026-09-07").stdout
    [held] = listing(run, family, "--from", "2026-09-01", "--to", "2026-09-30")
    assert (held["date"], held["original"], held["status"]) == ("2026-09-07", "2026-09-07", "held")
    refused(run, "eval", "cancel", family, "2026-12-05", match="no evaluation on 2026-12-05")
    run("eval", "cancel", family, "2026-12-07", "--reason", "ziek")
    run("eval", "move", family, "2027-01-05", "2027-01-06")
    assert ("2027-01-06", "2027-01-05") in [
        (o["date"], o["original"]) for o in listing(run, family, *YEAR)
    ]


def test_a_stop_cuts_the_moved_dates(run: Run, family: str) -> None:
    # Saturday 5 December moved to Monday the 7th: a stop from the 7th leaves no meeting there,
    # and never moves it back to Friday the 4th.
    run("eval", "schedule", family, *MONTHLY, "--workdays", "next")
    run("eval", "stop", family, "--from", "2026-12-07")
    assert dates(run, family, *YEAR) == ["2026-11-05"]


# ---------------------------------------------------------------- flagged like a holiday


def test_schedule_warns_about_weekends_and_holidays(run: Run, family: str) -> None:
    result = run("eval", "schedule", family, *MONTHLY)
    assert result.stdout.startswith("scheduled series 1")
    [warning] = result.stderr.splitlines()
    assert warning.startswith("warning: 3 meetings in the coming year ")
    assert "2026-12-05 Saturday, 2027-06-05 Saturday, 2027-09-05 Sunday" in warning
    assert "--workdays next" in warning
    assert f"'icrctl eval stop {family} --from 2026-11-05 --series 1'" in warning


def test_schedule_warns_with_the_holiday_name(run: Run, family: str) -> None:
    warning = run("eval", "schedule", family, "--every", "1w", "--start", "2027-04-20").stderr
    assert "(2027-04-27 King's Day)" in warning  # Koningsdag, in English


def test_eval_list_flags_the_weekend(run: Run, family: str) -> None:
    run("eval", "schedule", family, *MONTHLY)
    found = {o["date"]: o for o in listing(run, family, *YEAR)}
    assert found["2026-12-05"]["weekend"] is True
    assert found["2027-09-05"]["weekend"] is True
    assert found["2027-01-05"]["weekend"] is False
    table = run("eval", "list", family, *YEAR).stdout
    assert "weekend: Saturday" in table
    assert "weekend: Sunday" in table
    csv_header = run("eval", "list", family, *YEAR, "-f", "csv").stdout.splitlines()[0]
    assert "weekend" in csv_header.split(",")


def test_check_flags_a_weekend_meeting_in_the_next_four_weeks(run: Run, family: str) -> None:
    run("eval", "schedule", family, *MONTHLY)
    [found] = [s for s in run("check", family, "-f", "json").json() if "weekend" in s["code"]]
    assert found["code"] == "evaluation-on-weekend"
    assert found["message"].startswith("evaluation on 2026-12-05 falls on a Saturday: move it")
    assert "evaluation-on-weekend" in run("status", "-f", "json").json()[0]["signals"]
    run("eval", "move", family, "2026-12-05", "2026-12-04")
    assert "evaluation-on-weekend" not in codes(run, family)


def test_check_is_quiet_when_the_series_keeps_to_working_days(run: Run, family: str) -> None:
    run("eval", "schedule", family, *MONTHLY, "--workdays", "next")
    assert "evaluation-on-weekend" not in codes(run, family)
    assert "evaluation-on-holiday" not in codes(run, family)


# ---------------------------------------------------------------- planning it again


def test_a_series_stopped_from_its_start_may_be_planned_again(run: Run, family: str) -> None:
    run("eval", "schedule", family, *MONTHLY)
    refused(run, "eval", "schedule", family, *MONTHLY, "--workdays", "next", match="already")
    run("eval", "stop", family, "--from", "2026-11-05", "--series", "1")
    run("eval", "schedule", family, *MONTHLY, "--workdays", "next")
    assert dates(run, family, "--from", "2026-11-01", "--to", "2026-12-31") == [
        "2026-11-05",
        "2026-12-07",
    ]
    assert [o["series"] for o in listing(run, family, *YEAR)] == [2] * 12


def test_a_series_stopped_later_still_refuses_a_repeat(run: Run, family: str) -> None:
    run("eval", "schedule", family, *MONTHLY)
    run("eval", "stop", family, "--from", "2026-12-01")
    refused(run, "eval", "schedule", family, *MONTHLY, "--workdays", "next", match="already")


# ---------------------------------------------------------------- the calendar agrees


def test_the_calendar_has_the_moved_dates(run: Run, family: str, tmp_path: Path) -> None:
    from icalendar import Calendar

    run("eval", "schedule", family, *MONTHLY, "--workdays", "next")
    out = tmp_path / "evaluaties.ics"
    run("eval", "ics", family, "--out", str(out))
    calendar = Calendar.from_ical(out.read_bytes())
    starts = sorted(e.decoded("DTSTART").date().isoformat() for e in calendar.walk("VEVENT"))
    assert "2026-12-07" in starts
    assert "2026-12-05" not in starts
    shown = dates(run, family, "--from", "2026-11-25", "--to", "2027-05-26")
    assert starts == shown
