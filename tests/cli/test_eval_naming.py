"""Occurrences that mean one thing: ``--series`` on ``eval cancel``, ``record`` and ``move``
when two series meet at one date and time (and an error that says which series to name), and
``eval record --date`` on the date a moved meeting was planned on records that meeting, saying
so, instead of an extra one. TODAY is Wednesday 2026-11-25."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Run, refused


def listing(run: Run, ref: str, *args: str) -> list[dict[str, Any]]:
    data = run("eval", "list", ref, *args, "-f", "json").json()
    assert isinstance(data, list)
    return data


def on(run: Run, ref: str, day: str) -> list[tuple[str, int | None, str]]:
    """(time, series, status) of what takes place on ``day``."""
    return [
        (o["time"], o["series"], o["status"]) for o in listing(run, ref, "--from", day, "--to", day)
    ]


@pytest.fixture
def twins(run: Run, family: str) -> str:
    """Series 1 weekly, series 2 every two weeks, both Tuesdays at 10:00 from 3 November: they
    meet together on 3 and 17 November, 1, 15 and 29 December."""
    run("eval", "schedule", family, "--every", "1w", "--weekday", "tue", "--start", "2026-11-03")
    run("eval", "schedule", family, "--every", "2w", "--weekday", "tue", "--start", "2026-11-03")
    return family


# ---------------------------------------------------------------- the error says which to name


@pytest.mark.parametrize(
    "args",
    [
        ("cancel", "2026-12-01"),
        ("cancel", "2026-12-01", "--time", "10:00"),
        ("record", "--date", "2026-11-17"),
        ("move", "2026-12-15", "2026-12-16"),
    ],
    ids=lambda args: " ".join(args),
)
def test_two_series_at_one_date_and_time_are_refused_naming_both(
    run: Run, twins: str, args: tuple[str, ...]
) -> None:
    command, *rest = args
    message = refused(run, "eval", command, twins, *rest)
    assert "(series 1 at 10:00; series 2 at 10:00)" in message
    assert message.endswith("give --series 1 or 2")


def test_different_times_may_be_named_by_time_or_series(run: Run, twins: str) -> None:
    run("eval", "schedule", twins, "--every", "1w", "--weekday", "tue", "--start", "2026-11-03",
        "--time", "14:00")  # fmt: skip
    message = refused(run, "eval", "cancel", twins, "2026-12-08")
    assert "(series 1 at 10:00; series 3 at 14:00)" in message
    assert message.endswith("give --time, or --series 1 or 3")
    # move's --time is the new time: only --series picks there.
    message = refused(run, "eval", "move", twins, "2026-12-08", "2026-12-09")
    assert message.endswith("give --series 1 or 3")


def test_an_unknown_series_is_refused(run: Run, twins: str) -> None:
    message = refused(run, "eval", "cancel", twins, "2026-12-01", "--series", "9")
    assert f"case {twins} has no evaluation series 9" in message
    refused(run, "eval", "record", twins, "--series", "9", match="no evaluation series 9")
    refused(run, "eval", "move", twins, "2026-12-01", "2026-12-02", "--series", "9")


def test_a_series_that_does_not_meet_that_day_is_refused(run: Run, twins: str) -> None:
    message = refused(run, "eval", "cancel", twins, "2026-12-08", "--series", "2")
    assert f"series 2 of case {twins} has no evaluation on 2026-12-08" in message
    # Not an extra meeting either: the series was named.
    refused(run, "eval", "record", twins, "--date", "2026-11-10", "--series", "2")


# ---------------------------------------------------------------- --series picks


def test_cancel_names_the_series(run: Run, twins: str) -> None:
    run("eval", "cancel", twins, "2026-12-01", "--series", "2", "--reason", "ziek")
    assert on(run, twins, "2026-12-01") == [("10:00", 1, "planned"), ("10:00", 2, "cancelled")]


def test_record_names_the_series(run: Run, twins: str) -> None:
    run("eval", "record", twins, "--date", "2026-11-17", "--series", "1", "--attended", "m1")
    assert on(run, twins, "2026-11-17") == [("10:00", 1, "held"), ("10:00", 2, "overdue")]
    # Without --date: the latest unrecorded meeting of that series.
    assert "2026-11-17" in run("eval", "record", twins, "--series", "2").stdout
    assert on(run, twins, "2026-11-17") == [("10:00", 1, "held"), ("10:00", 2, "held")]
    assert "2026-11-24" in run("eval", "record", twins, "--series", "1").stdout


def test_move_names_the_series(run: Run, twins: str) -> None:
    run("eval", "move", twins, "2026-12-15", "2026-12-16", "--series", "2")
    assert on(run, twins, "2026-12-15") == [("10:00", 1, "planned")]
    [moved] = listing(run, twins, "--from", "2026-12-16", "--to", "2026-12-16")
    assert (moved["series"], moved["original"]) == (2, "2026-12-15")


# ---------------------------------------------------------------- the day a moved one was planned


@pytest.fixture
def tuesdays(run: Run, family: str) -> str:
    run("eval", "schedule", family, "--every", "1w", "--weekday", "tue", "--start", "2026-11-03")
    return family


def test_record_on_the_planned_date_records_the_moved_meeting(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-17", "2026-11-19", "--time", "15:00")
    out = run("eval", "record", tuesdays, "--date", "2026-11-17", "--attended", "m1").stdout
    assert (
        out
        == f"recorded the evaluation of 2026-11-19 for {tuesdays} (moved there from 2026-11-17)\n"
    )
    found = listing(run, tuesdays, "--from", "2026-11-16", "--to", "2026-11-20")
    assert [(o["date"], o["time"], o["status"], o["series"], o["original"]) for o in found] == [
        ("2026-11-19", "15:00", "held", 1, "2026-11-17")
    ]
    refused(run, "eval", "record", tuesdays, "--date", "2026-11-17", match="already recorded")


def test_a_meeting_moved_to_a_day_still_to_come_is_not_recorded(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-24", "2026-11-27")
    message = refused(run, "eval", "record", tuesdays, "--date", "2026-11-24")
    assert "moved to 2026-11-27" in message
    assert f"'icrctl eval move {tuesdays} 2026-11-27 2026-11-24'" in message


def test_a_cancelled_moved_meeting_is_not_recorded(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-10", "2026-11-12")
    run("eval", "cancel", tuesdays, "2026-11-12")
    refused(run, "eval", "record", tuesdays, "--date", "2026-11-10", match="was cancelled")


def test_a_day_no_series_was_ever_on_is_still_an_extra_meeting(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-17", "2026-11-19")
    out = run("eval", "record", tuesdays, "--date", "2026-11-18").stdout
    assert out.startswith("recorded the extra meeting of 2026-11-18")


def test_the_moved_meeting_on_its_new_date_is_recorded_as_before(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-17", "2026-11-19")
    out = run("eval", "record", tuesdays, "--date", "2026-11-19").stdout
    assert "(moved there from 2026-11-17)" in out


def test_what_was_recorded_survives_the_round_trip(
    run: Run, tuesdays: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("eval", "move", tuesdays, "2026-11-17", "2026-11-19")
    run("eval", "record", tuesdays, "--date", "2026-11-17", "--attended", "m1", "--risk", "3")
    first = run("export").stdout
    monkeypatch.setenv("ICRCTL_DB", str(tmp_path / "other" / "caseload.db"))
    run("import", "-", input=first)
    assert run("export").stdout == first
    assert ("2026-11-19", "held") in [
        (o["date"], o["status"])
        for o in listing(run, tuesdays, "--from", "2026-11-01", "--to", "2026-11-30")
    ]
