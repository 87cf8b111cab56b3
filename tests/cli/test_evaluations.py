"""``icrctl eval`` through the command line: schedule, list, record, cancel, move, stop,
the calendar rules (monthly on the 31st, n-th weekday, summer time, public holidays) and what
``case show`` says about evaluations. TODAY is Wednesday 2026-11-25."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest

from tests.helpers import TODAY, Run, refused, usage_error

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

REF = "GO-2026-014"
WIDE = ("--from", "2026-03-02", "--to", "2028-12-31")


def listing(run: Run, *args: str) -> list[dict[str, Any]]:
    data = run("eval", "list", *args, "-f", "json").json()
    assert isinstance(data, list)
    return data


def dates(run: Run, *args: str) -> list[str]:
    return [o["date"] for o in listing(run, *args)]


def triples(run: Run, *args: str) -> list[tuple[str, str, str]]:
    return [(o["date"], o["time"], o["status"]) for o in listing(run, *args)]


def schedule(run: Run, *args: str, ref: str = REF) -> str:
    return run("eval", "schedule", ref, *args).stdout


def series(run: Run, ref: str = REF) -> list[dict[str, Any]]:
    data = run("eval", "series", ref, "-f", "json").json()
    assert isinstance(data, list)
    return data


def gaps(days: list[str]) -> set[int]:
    parsed = [date.fromisoformat(d) for d in days]
    return {(b - a).days for a, b in itertools.pairwise(parsed)}


# ---------------------------------------------------------------- schedule


@pytest.mark.parametrize(
    ("every", "canonical", "days"),
    [
        ("1w", "1w", 7),
        ("weekly", "1w", 7),
        ("wekelijks", "1w", 7),
        ("2w", "2w", 14),
        ("biweekly", "2w", 14),
        ("tweewekelijks", "2w", 14),
        ("3w", "3w", 21),
        ("driewekelijks", "3w", 21),
        ("4w", "4w", 28),
        ("vierwekelijks", "4w", 28),
        ("Biweekly", "2w", 14),
    ],
)
def test_weekly_cadences_and_aliases(
    run: Run, family: str, every: str, canonical: str, days: int
) -> None:
    schedule(run, "--every", every, "--weekday", "thu", "--start", "2026-12-01")
    [row] = series(run)
    assert row["every"] == canonical
    assert row["weekday"] == "thu"
    found = dates(run, family, "--from", "2026-12-01", "--to", "2027-06-30")
    assert found[0] == "2026-12-03"  # the first Thursday on or after the start
    assert gaps(found) == {days}
    assert all(date.fromisoformat(d).weekday() == 3 for d in found)
    assert len(found) == (date(2027, 6, 30) - date(2026, 12, 3)).days // days + 1


@pytest.mark.parametrize(
    ("every", "canonical", "expected"),
    [
        ("1m", "1m", ["2026-12-07", "2027-01-07", "2027-02-07", "2027-03-07", "2027-04-07"]),
        ("monthly", "1m", ["2026-12-07", "2027-01-07", "2027-02-07", "2027-03-07", "2027-04-07"]),
        ("maandelijks", "1m", ["2026-12-07", "2027-01-07", "2027-02-07", "2027-03-07"]),
        ("2m", "2m", ["2026-12-07", "2027-02-07", "2027-04-07"]),
        ("tweemaandelijks", "2m", ["2026-12-07", "2027-02-07", "2027-04-07"]),
    ],
)
def test_monthly_cadences_and_aliases(
    run: Run, family: str, every: str, canonical: str, expected: list[str]
) -> None:
    schedule(run, "--every", every, "--start", "2026-12-07")
    [row] = series(run)
    assert row["every"] == canonical
    found = dates(run, family, "--from", "2026-12-01", "--to", "2027-04-30")
    assert found[: len(expected)] == expected


@pytest.mark.parametrize(("weekday", "number"), [("tue", 1), ("di", 1), ("fri", 4), ("vr", 4)])
def test_weekday_english_or_dutch(run: Run, family: str, weekday: str, number: int) -> None:
    out = schedule(run, "--every", "weekly", "--weekday", weekday, "--start", "2026-12-01")
    canonical = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[number]
    assert f"every 1w on {canonical} at 10:00" in out
    assert series(run)[0]["weekday"] == canonical
    found = dates(run, family, "--from", "2026-12-01", "--to", "2027-01-31")
    assert found
    assert {date.fromisoformat(d).weekday() for d in found} == {number}


def test_schedule_defaults_start_today_at_ten(run: Run, family: str) -> None:
    out = schedule(run, "--every", "2w")
    assert "  " not in out.strip()
    [row] = series(run)
    assert row["start"] == TODAY.isoformat()
    assert row["time"] == "10:00"
    assert row["until"] is None
    first = listing(run, family)[0]
    assert (first["date"], first["time"], first["status"]) == ("2026-11-25", "10:00", "planned")
    assert dates(run, family) == ["2026-11-25", "2026-12-09", "2026-12-23"]


def test_schedule_time_until_and_attendees(run: Run, family: str) -> None:
    schedule(
        run,
        "--every",
        "1w",
        "--weekday",
        "ma",
        "--time",
        "14:30",
        "--start",
        "2026-12-01",
        "--until",
        "2026-12-31",
        "--with",
        "m1,vt-bakker,Noor de Vries",
    )
    [row] = series(run)
    assert row["until"] == "2026-12-31"
    assert row["attendees"] == ["m1", "vt-bakker", "m3"]
    found = listing(run, family, "--from", "2026-11-01", "--to", "2027-12-31")
    assert [(o["date"], o["time"]) for o in found] == [
        ("2026-12-07", "14:30"),
        ("2026-12-14", "14:30"),
        ("2026-12-21", "14:30"),
        ("2026-12-28", "14:30"),
    ]
    assert all(o["attendees"] == ["m1", "vt-bakker", "m3"] for o in found)


def test_until_on_the_last_occurrence_includes_it(run: Run, family: str) -> None:
    schedule(run, "--every", "1w", "--start", "2026-12-02", "--until", "2026-12-16")
    assert dates(run, family, *WIDE) == ["2026-12-02", "2026-12-09", "2026-12-16"]


def test_schedule_dutch_dates(run: Run, family: str) -> None:
    schedule(run, "--every", "1w", "--start", "02-12-2026", "--until", "16-12-2026")
    assert dates(run, family, *WIDE) == ["2026-12-02", "2026-12-09", "2026-12-16"]


def test_a_case_may_have_several_series(run: Run, family: str) -> None:
    schedule(run, "--every", "2w", "--weekday", "tue", "--start", "2026-12-01")
    schedule(run, "--every", "1m", "--time", "15:00", "--start", "2026-12-03")
    assert [s["every"] for s in series(run)] == ["2w", "1m"]
    assert triples(run, family, "--from", "2026-12-01", "--to", "2026-12-31") == [
        ("2026-12-01", "10:00", "planned"),
        ("2026-12-03", "15:00", "planned"),
        ("2026-12-15", "10:00", "planned"),
        ("2026-12-29", "10:00", "planned"),
    ]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "args",
    [
        ["--every", "5w"],
        ["--every", "daily"],
        ["--every", "dagelijks"],
        ["--every", "1w", "--time", "25:00"],
        ["--every", "1w", "--time", "10:60"],
        ["--every", "1w", "--time", "tien uur"],
        ["--every", "1w", "--weekday", "someday"],
        ["--every", "1w", "--with", "m9"],
        ["--every", "1w", "--with", "m1,nobody"],
        ["--every", "1w", "--with", "school-smit"],  # in the directory, not linked to the case
        ["--every", "1w", "--start", "2027-01-10", "--until", "2027-01-09"],
        ["--every", "1w", "--start", "2026-03-01"],  # before the case opened
        ["--every", "1w", "--start", "31-02-2027"],
        ["--every", "1w", "--start", "sometime"],
    ],
    ids=lambda args: " ".join(args),
)
def test_schedule_refuses_bad_input(run: Run, family: str, args: list[str]) -> None:
    run(
        "partner",
        "add",
        "K. Smit",
        "--organisation",
        "De Regenboog",
        "--kind",
        "school",
        "--key",
        "school-smit",
    )
    schedule(run, "--every", "2w", "--weekday", "tue", "--start", "2026-11-03")
    refused(run, "eval", "schedule", family, *args)


def test_schedule_error_messages_name_the_problem(run: Run, family: str) -> None:
    run(
        "partner",
        "add",
        "K. Smit",
        "--organisation",
        "De Regenboog",
        "--kind",
        "school",
        "--key",
        "school-smit",
    )
    assert "cadence" in refused(run, "eval", "schedule", family, "--every", "daily")
    assert "25:00" in refused(run, "eval", "schedule", family, "--every", "1w", "--time", "25:00")
    assert "m9" in refused(run, "eval", "schedule", family, "--every", "1w", "--with", "m9")
    assert "not linked" in refused(
        run, "eval", "schedule", family, "--every", "1w", "--with", "school-smit"
    )
    message = refused(
        run,
        "eval",
        "schedule",
        family,
        "--every",
        "1w",
        "--start",
        "2027-01-10",
        "--until",
        "2027-01-09",
    )
    assert "before" in message
    assert "opened" in refused(
        run, "eval", "schedule", family, "--every", "1w", "--start", "2026-03-01"
    )


def test_schedule_refuses_an_unknown_or_closed_case(run: Run, family: str) -> None:
    refused(run, "eval", "schedule", "NO-SUCH", "--every", "1w")
    run("case", "close", family, "--summary", "klaar", "--safety", "veilig", *CLOSE_ANYWAY)
    refused(run, "eval", "schedule", family, "--every", "1w")
    assert series(run) == []


def test_the_same_series_twice_is_refused(run: Run, family: str) -> None:
    schedule(run, "--every", "1w", "--start", "2026-12-01")
    refused(run, "eval", "schedule", family, "--every", "weekly", "--start", "2026-12-01")
    # 2026-12-01 is a Tuesday: naming the weekday gives the very same dates.
    refused(
        run, "eval", "schedule", family, "--every", "1w", "--weekday", "di", "--start", "2026-12-01"
    )
    schedule(run, "--every", "1w", "--start", "2026-12-01", "--time", "14:00")
    assert len(series(run)) == 2


def test_usage_errors_exit_2(run: Run, family: str) -> None:
    usage_error(run, "eval", "schedule", family)  # --every missing
    usage_error(run, "eval", "record", family, "--risk", "hoog")
    usage_error(run, "eval", "cancel", family)


def test_record_risk_out_of_range_changes_nothing(run: Run, family: str) -> None:
    schedule(run, "--every", "1w", "--weekday", "tue", "--start", "2026-11-17")
    assert "risk" in refused(run, "eval", "record", family, "--date", "2026-11-24", "--risk", "9")
    refused(run, "eval", "record", family, "--date", "2026-11-24", "--risk", "0")
    refused(run, "eval", "record", family, "--date", "2026-11-24", "--self-reliance", "6")
    refused(run, "eval", "record", family, "--attended", "m9")


@pytest.mark.parametrize(
    "args",
    [
        ["cancel", "2026-11-25"],  # a Wednesday: the series meets on Tuesdays
        ["cancel", "2027-06-01", "--reason", "ziek"],  # after until
        ["cancel", "2026-11-03"],  # before start
        ["move", "2026-11-26", "2026-11-27"],
        ["move", "2027-06-01", "2027-06-02"],
        ["move", "2026-12-01", "2026-03-01"],  # to before the case opened
        ["move", "2026-12-01", "2026-12-01"],  # nowhere
        ["move", "2026-12-01", "2026-12-02", "--time", "24:00"],
    ],
    ids=lambda args: " ".join(args),
)
def test_cancel_and_move_refuse_a_date_without_occurrence(
    run: Run, family: str, args: list[str]
) -> None:
    schedule(
        run, "--every", "1w", "--weekday", "tue", "--start", "2026-11-10", "--until", "2027-03-31"
    )
    refused(run, "eval", args[0], family, *args[1:])


# ---------------------------------------------------------------- list


@pytest.fixture
def tuesdays(run: Run, family: str) -> str:
    """Weekly on Tuesday from 3 November: 3, 10, 17, 24 November lie in the past."""
    schedule(run, "--every", "1w", "--weekday", "tue", "--start", "2026-11-03")
    return family


def test_list_default_window_is_overdue_and_next_four_weeks(run: Run, tuesdays: str) -> None:
    run("eval", "record", tuesdays, "--date", "2026-11-10")
    run("eval", "cancel", tuesdays, "2026-11-17", "--reason", "ziek")
    assert triples(run, tuesdays) == [
        ("2026-11-03", "10:00", "overdue"),
        ("2026-11-24", "10:00", "overdue"),
        ("2026-12-01", "10:00", "planned"),
        ("2026-12-08", "10:00", "planned"),
        ("2026-12-15", "10:00", "planned"),
        ("2026-12-22", "10:00", "planned"),  # 2026-12-29 is more than four weeks ahead
    ]
    # The same window without a REF: every open case.
    assert triples(run) == triples(run, tuesdays)


def test_list_from_to_shows_every_status(run: Run, tuesdays: str) -> None:
    run("eval", "record", tuesdays, "--date", "2026-11-10")
    run("eval", "cancel", tuesdays, "2026-11-17", "--reason", "ziek")
    found = listing(run, tuesdays, "--from", "2026-11-01", "--to", "2026-12-01")
    assert [(o["date"], o["status"]) for o in found] == [
        ("2026-11-03", "overdue"),
        ("2026-11-10", "held"),
        ("2026-11-17", "cancelled"),
        ("2026-11-24", "overdue"),
        ("2026-12-01", "planned"),
    ]
    for o in found:
        assert {"ref", "date", "time", "status"} <= set(o)
        assert o["ref"] == tuesdays
    table = run("eval", "list", tuesdays, "--from", "2026-11-01", "--to", "2026-12-01").stdout
    assert "ziek" in table
    for status in ("overdue", "held", "cancelled", "planned"):
        assert status in table


def test_list_from_to_both_inclusive_and_relative_dates(run: Run, tuesdays: str) -> None:
    assert dates(run, tuesdays, "--from", "2026-11-10", "--to", "2026-11-24") == [
        "2026-11-10",
        "2026-11-17",
        "2026-11-24",
    ]
    assert dates(run, tuesdays, "--from", "today", "--to", "+2w") == ["2026-12-01", "2026-12-08"]
    assert dates(run, tuesdays, "--from", "-2w", "--to", "yesterday") == [
        "2026-11-17",
        "2026-11-24",
    ]


def test_list_from_alone_reaches_four_weeks_past_it(run: Run, tuesdays: str) -> None:
    assert dates(run, tuesdays, "--from", "2027-01-01") == [
        "2027-01-05",
        "2027-01-12",
        "2027-01-19",
        "2027-01-26",
    ]


def test_list_overdue_only(run: Run, tuesdays: str) -> None:
    run("eval", "record", tuesdays, "--date", "2026-11-10")
    assert triples(run, tuesdays, "--overdue") == [
        ("2026-11-03", "10:00", "overdue"),
        ("2026-11-17", "10:00", "overdue"),
        ("2026-11-24", "10:00", "overdue"),
    ]
    assert dates(run, tuesdays, "--overdue", "--from", "2026-11-15") == [
        "2026-11-17",
        "2026-11-24",
    ]
    assert dates(run, "--overdue") == dates(run, tuesdays, "--overdue")


def test_list_of_a_case_without_series_is_empty(run: Run, family: str) -> None:
    assert listing(run, family) == []
    assert "no evaluations" in run("eval", "list", family).stdout
    refused(run, "eval", "list", "NO-SUCH")


def test_list_sorted_by_date_time_ref(run: Run, family: str) -> None:
    for ref in ("GO-2026-001", "GO-2026-002"):
        run("case", "create", ref, "--title", f"Familie {ref}", "--opened", "2026-10-01")
    schedule(run, "--every", "1w", "--weekday", "tue", "--time", "14:00", "--start", "2026-12-01")
    schedule(
        run,
        "--every",
        "1w",
        "--weekday",
        "tue",
        "--time",
        "14:00",
        "--start",
        "2026-12-01",
        ref="GO-2026-001",
    )
    schedule(
        run,
        "--every",
        "2w",
        "--weekday",
        "tue",
        "--time",
        "09:00",
        "--start",
        "2026-12-01",
        ref="GO-2026-002",
    )
    schedule(run, "--every", "1m", "--time", "11:00", "--start", "2026-12-02", ref="GO-2026-002")
    found = listing(run, "--from", "2026-12-01", "--to", "2026-12-08")
    assert [(o["date"], o["time"], o["ref"]) for o in found] == [
        ("2026-12-01", "09:00", "GO-2026-002"),
        ("2026-12-01", "14:00", "GO-2026-001"),
        ("2026-12-01", "14:00", "GO-2026-014"),
        ("2026-12-02", "11:00", "GO-2026-002"),
        ("2026-12-08", "14:00", "GO-2026-001"),
        ("2026-12-08", "14:00", "GO-2026-014"),
    ]
    table = run("eval", "list", "--from", "2026-12-01", "--to", "2026-12-08").stdout
    positions = [table.index(ref) for ref in ("GO-2026-002", "GO-2026-001", "GO-2026-014")]
    assert positions == sorted(positions)


def test_list_csv(run: Run, tuesdays: str) -> None:
    text = run("eval", "list", tuesdays, "--overdue", "-f", "csv").stdout
    header, *rows = text.strip().splitlines()
    assert header.split(",")[:4] == ["ref", "date", "time", "status"]
    assert len(rows) == 4


# ---------------------------------------------------------------- overdue and recording


def test_a_missed_occurrence_becomes_overdue(
    run: Run, family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule(run, "--every", "1w", "--start", "today")
    assert triples(run, family)[0] == ("2026-11-25", "10:00", "planned")
    assert run("case", "show", family, "-f", "json").json()["overdue_evaluations"] == 0
    monkeypatch.setenv("ICRCTL_TODAY", "2026-11-26")
    assert triples(run, family)[0] == ("2026-11-25", "10:00", "overdue")
    assert triples(run, family, "--overdue") == [("2026-11-25", "10:00", "overdue")]
    assert run("case", "show", family, "-f", "json").json()["overdue_evaluations"] == 1
    run("eval", "record", family, "--date", "2026-11-25", "--attended", "m1")
    assert triples(run, family, "--overdue") == []
    assert triples(run, family, "--from", "2026-11-25", "--to", "2026-11-25") == [
        ("2026-11-25", "10:00", "held")
    ]
    assert run("case", "show", family, "-f", "json").json()["overdue_evaluations"] == 0


def test_record_without_date_takes_the_latest_unrecorded_up_to_today(
    run: Run, tuesdays: str
) -> None:
    out = run("eval", "record", tuesdays).stdout
    assert "2026-11-24" in out
    assert "2026-11-17" in run("eval", "record", tuesdays).stdout
    run("eval", "cancel", tuesdays, "2026-11-10")
    assert "2026-11-03" in run("eval", "record", tuesdays).stdout
    message = refused(run, "eval", "record", tuesdays)
    assert "no unrecorded evaluation" in message
    assert triples(run, tuesdays, "--from", "2026-11-01", "--to", "2026-11-30") == [
        ("2026-11-03", "10:00", "held"),
        ("2026-11-10", "10:00", "cancelled"),
        ("2026-11-17", "10:00", "held"),
        ("2026-11-24", "10:00", "held"),
    ]


def test_record_without_date_takes_todays_meeting(run: Run, family: str) -> None:
    schedule(run, "--every", "1w", "--weekday", "wo", "--start", "2026-11-11")
    assert "2026-11-25" in run("eval", "record", family).stdout
    assert "2026-11-18" in run("eval", "record", family).stdout


def test_record_without_date_and_nothing_to_record(run: Run, family: str) -> None:
    refused(run, "eval", "record", family)
    schedule(run, "--every", "1w", "--start", "2026-12-01")
    refused(run, "eval", "record", family)


def test_record_on_a_date_outside_the_series_is_an_extra_meeting(run: Run, tuesdays: str) -> None:
    out = run("eval", "record", tuesdays, "--date", "2026-11-20", "--risk", "3", "--note", "crisis")
    assert "extra meeting" in out.stdout
    [extra] = listing(run, tuesdays, "--from", "2026-11-20", "--to", "2026-11-20")
    assert extra["status"] == "held"
    assert extra["series"] is None
    assert (
        "extra meeting"
        in run("eval", "list", tuesdays, "--from", "2026-11-20", "--to", "2026-11-20").stdout
    )
    # The extra meeting counts as nothing overdue, and cannot be recorded twice.
    assert "2026-11-20" not in dates(run, tuesdays, "--overdue")
    refused(run, "eval", "record", tuesdays, "--date", "2026-11-20")


def test_record_of_an_extra_meeting_without_series(run: Run, family: str) -> None:
    run("eval", "record", family, "--date", "2026-11-02", "--attended", "m1,vt-bakker")
    assert triples(run, family, *WIDE) == [("2026-11-02", "", "held")]
    assert listing(run, family) == []  # the default window has only overdue and upcoming ones


def test_record_in_the_future_is_refused(run: Run, tuesdays: str) -> None:
    assert "future" in refused(run, "eval", "record", tuesdays, "--date", "2026-12-01")
    refused(run, "eval", "record", tuesdays, "--date", "2026-11-26")  # an extra meeting
    refused(run, "eval", "record", tuesdays, "--date", "tomorrow")


def test_recording_twice_is_refused(run: Run, tuesdays: str) -> None:
    run("eval", "record", tuesdays, "--date", "2026-11-24", "--risk", "2")
    assert "already" in refused(run, "eval", "record", tuesdays, "--date", "2026-11-24")


def test_recording_a_cancelled_occurrence_is_refused(run: Run, tuesdays: str) -> None:
    run("eval", "cancel", tuesdays, "2026-11-24", "--reason", "ziek")
    assert "cancelled" in refused(run, "eval", "record", tuesdays, "--date", "2026-11-24")


def test_refusal_warns_to_inform_the_referrer(run: Run, tuesdays: str) -> None:
    result = run(
        "eval",
        "record",
        tuesdays,
        "--date",
        "2026-11-24",
        "--attended",
        "m1,vt-bakker",
        "--absent",
        "m3",
        "--refused",
        "m2",
        "--risk",
        "4",
        "--self-reliance",
        "2",
        "--note",
        "vader weigert deel te nemen",
    )
    assert result.exit_code == 0
    assert "warning:" in result.stderr
    assert "m2" in result.stderr
    assert "Veilig Thuis" in result.stderr  # the referrer of the case
    assert "warning" not in result.stdout
    assert ("2026-11-24", "10:00", "held") in triples(run, tuesdays, *WIDE)


def test_refusal_without_referrer_still_warns(run: Run) -> None:
    run("case", "create", "GO-2026-020", "--title", "Familie Z", "--opened", "2026-10-01")
    run("member", "add", "GO-2026-020", "Karim", "--role", "perpetrator")
    result = run("eval", "record", "GO-2026-020", "--date", "2026-11-20", "--refused", "m1")
    assert "m1" in result.stderr
    assert "referrer" in result.stderr


def test_no_warning_without_refusal(run: Run, tuesdays: str) -> None:
    result = run("eval", "record", tuesdays, "--attended", "m1")
    assert result.stderr == ""


@pytest.mark.parametrize(
    "lists",
    [
        ["--attended", "m1", "--absent", "m1"],
        ["--attended", "m1,m2", "--refused", "m2"],
        ["--absent", "vt-bakker", "--refused", "vt-bakker"],
        ["--attended", "m1", "--refused", "Sanne de Vries"],  # the same person, by name
        ["--attended", "J. Bakker", "--absent", "vt-bakker"],
    ],
    ids=lambda lists: " ".join(lists),
)
def test_a_person_in_two_attendance_lists_is_refused(
    run: Run, tuesdays: str, lists: list[str]
) -> None:
    message = refused(run, "eval", "record", tuesdays, "--date", "2026-11-24", *lists)
    assert "both" in message


def test_attendees_must_belong_to_the_case(run: Run, tuesdays: str) -> None:
    run(
        "partner",
        "add",
        "K. Smit",
        "--organisation",
        "De Regenboog",
        "--kind",
        "school",
        "--key",
        "school-smit",
    )
    refused(run, "eval", "record", tuesdays, "--attended", "m9")
    refused(run, "eval", "record", tuesdays, "--absent", "school-smit")


# ---------------------------------------------------------------- cancel, move, stop


def test_cancel_one_occurrence_leaves_the_others(run: Run, tuesdays: str) -> None:
    before = listing(run, tuesdays, *WIDE)
    out = run("eval", "cancel", tuesdays, "2026-12-08", "--reason", "vakantie").stdout
    assert "cancelled" in out
    assert "2026-12-08" in out
    after = listing(run, tuesdays, *WIDE)
    assert len(after) == len(before)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    old, new = changed[0]
    assert (old["date"], old["status"]) == ("2026-12-08", "planned")
    assert (new["date"], new["time"], new["status"]) == ("2026-12-08", "10:00", "cancelled")
    assert new["reason"] == "vakantie"
    assert ("2026-12-08", "10:00", "cancelled") in triples(run, tuesdays)
    assert "vakantie" in run("eval", "list", tuesdays).stdout


def test_cancel_twice_or_after_recording_is_refused(run: Run, tuesdays: str) -> None:
    run("eval", "cancel", tuesdays, "2026-12-08")
    run("eval", "record", tuesdays, "--date", "2026-11-24")
    assert "already" in refused(run, "eval", "cancel", tuesdays, "2026-12-08")
    assert "held" in refused(run, "eval", "cancel", tuesdays, "2026-11-24")
    refused(run, "eval", "move", tuesdays, "2026-11-24", "2026-11-23")
    refused(run, "eval", "move", tuesdays, "2026-12-08", "2026-12-09")


def test_cancel_an_overdue_occurrence(run: Run, tuesdays: str) -> None:
    run("eval", "cancel", tuesdays, "2026-11-03", "--reason", "gezin niet thuis")
    assert dates(run, tuesdays, "--overdue") == ["2026-11-10", "2026-11-17", "2026-11-24"]


def test_move_one_occurrence(run: Run, tuesdays: str) -> None:
    series_before = series(run)
    before = listing(run, tuesdays, *WIDE)
    out = run("eval", "move", tuesdays, "2026-12-08", "2026-12-10", "--time", "14:00").stdout
    assert "2026-12-10 14:00" in out
    after = listing(run, tuesdays, *WIDE)
    assert series(run) == series_before
    assert "2026-12-08" not in [o["date"] for o in after]
    [moved] = [o for o in after if o["date"] == "2026-12-10"]
    assert (moved["time"], moved["status"], moved["original"]) == ("14:00", "planned", "2026-12-08")
    rest_before = [o for o in before if o["date"] != "2026-12-08"]
    rest_after = [o for o in after if o["date"] != "2026-12-10"]
    assert rest_after == rest_before
    table = run("eval", "list", tuesdays).stdout
    assert "moved from 2026-12-08" in table
    # The original date has no occurrence any more.
    refused(run, "eval", "cancel", tuesdays, "2026-12-08")


def test_move_keeps_time_unless_given_and_can_move_again(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-12-08", "2026-12-09")
    assert ("2026-12-09", "10:00", "planned") in triples(run, tuesdays)
    run("eval", "move", tuesdays, "2026-12-09", "2026-12-11", "--time", "16:00")
    found = triples(run, tuesdays, "--from", "2026-12-07", "--to", "2026-12-13")
    assert found == [("2026-12-11", "16:00", "planned")]
    # Back to where the rule puts it: an ordinary occurrence again.
    run("eval", "move", tuesdays, "2026-12-11", "2026-12-08", "--time", "10:00")
    [back] = listing(run, tuesdays, "--from", "2026-12-07", "--to", "2026-12-13")
    assert (back["date"], back["time"], back["original"]) == ("2026-12-08", "10:00", "2026-12-08")


def test_move_then_record_at_the_new_date(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-24", "2026-11-23", "--time", "15:00")
    assert ("2026-11-23", "15:00", "overdue") in triples(run, tuesdays)
    # The original date has gone: recording there would be an extra meeting, not this one.
    run("eval", "record", tuesdays, "--date", "2026-11-23", "--attended", "m1")
    found = triples(run, tuesdays, "--from", "2026-11-23", "--to", "2026-11-24")
    assert found == [("2026-11-23", "15:00", "held")]


def test_move_into_the_future_and_record_without_date(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-24", "2026-11-26")
    assert ("2026-11-26", "10:00", "planned") in triples(run, tuesdays)
    # Nothing recordable on 24 November any more: the default is the 17th.
    assert "2026-11-17" in run("eval", "record", tuesdays).stdout
    assert dates(run, tuesdays, "--overdue") == ["2026-11-03", "2026-11-10"]


def test_move_before_the_series_start_still_counts(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-03", "2026-10-30")
    assert triples(run, tuesdays)[:2] == [
        ("2026-10-30", "10:00", "overdue"),
        ("2026-11-10", "10:00", "overdue"),
    ]
    assert run("case", "show", tuesdays, "-f", "json").json()["overdue_evaluations"] == 4


def test_move_onto_another_occurrence_is_refused(run: Run, tuesdays: str) -> None:
    message = refused(run, "eval", "move", tuesdays, "2026-12-01", "2026-12-08")
    assert "already" in message
    run("eval", "move", tuesdays, "2026-12-01", "2026-12-08", "--time", "14:00")
    assert triples(run, tuesdays, "--from", "2026-12-01", "--to", "2026-12-08") == [
        ("2026-12-08", "10:00", "planned"),
        ("2026-12-08", "14:00", "planned"),
    ]
    run("eval", "cancel", tuesdays, "2026-12-08", "--time", "14:00")
    assert triples(run, tuesdays, "--from", "2026-12-01", "--to", "2026-12-08") == [
        ("2026-12-08", "10:00", "planned"),
        ("2026-12-08", "14:00", "cancelled"),
    ]


def test_stop_from_a_date(run: Run, tuesdays: str) -> None:
    out = run("eval", "stop", tuesdays, "--from", "2026-12-15").stdout
    assert "2026-12-15" in out
    assert series(run)[0]["stopped_from"] == "2026-12-15"
    after = dates(run, tuesdays, *WIDE)
    assert after[-2:] == ["2026-12-01", "2026-12-08"]
    assert all(d < "2026-12-15" for d in after)
    assert dates(run, tuesdays, "--overdue") == [
        "2026-11-03",
        "2026-11-10",
        "2026-11-17",
        "2026-11-24",
    ]
    refused(run, "eval", "cancel", tuesdays, "2026-12-15")
    refused(run, "eval", "stop", tuesdays, "--from", "2027-01-05")  # already stopped by then


def test_stop_on_an_occurrence_date_excludes_it(run: Run, tuesdays: str) -> None:
    run("eval", "stop", tuesdays, "--from", "2026-12-08")
    assert dates(run, tuesdays)[-1] == "2026-12-01"


def test_stop_defaults_to_today(run: Run, tuesdays: str) -> None:
    run("eval", "stop", tuesdays)
    assert series(run)[0]["stopped_from"] == TODAY.isoformat()
    assert all(o["status"] == "overdue" for o in listing(run, tuesdays))
    case = run("case", "show", tuesdays, "-f", "json").json()
    assert case["next_evaluation"] is None
    assert case["evaluations"] == []


def test_stop_refused_when_a_meeting_was_held_on_or_after(run: Run, tuesdays: str) -> None:
    run("eval", "record", tuesdays, "--date", "2026-11-17")
    assert "held" in refused(run, "eval", "stop", tuesdays, "--from", "2026-11-17")
    refused(run, "eval", "stop", tuesdays, "--from", "2026-11-10")
    run("eval", "stop", tuesdays, "--from", "2026-11-18")
    assert dates(run, tuesdays, *WIDE) == ["2026-11-03", "2026-11-10", "2026-11-17"]


def test_stop_refused_when_a_moved_meeting_was_held_after(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-17", "2026-11-19")
    run("eval", "record", tuesdays, "--date", "2026-11-19")
    refused(run, "eval", "stop", tuesdays, "--from", "2026-11-18")


def test_stop_after_a_meeting_moved_forward_and_held(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-11-24", "2026-11-20")
    run("eval", "record", tuesdays, "--date", "2026-11-20")
    run("eval", "stop", tuesdays, "--from", "2026-11-22")
    assert triples(run, tuesdays, *WIDE)[-2:] == [
        ("2026-11-17", "10:00", "overdue"),
        ("2026-11-20", "10:00", "held"),
    ]


def test_stop_counts_where_a_moved_occurrence_takes_place(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-12-01", "2026-12-20")  # to after the stop: gone
    run("eval", "move", tuesdays, "2026-12-15", "2026-12-05")  # from after it: still held then
    run("eval", "stop", tuesdays, "--from", "2026-12-10")
    wide = dates(run, tuesdays, *WIDE)
    assert wide[-2:] == ["2026-12-05", "2026-12-08"]
    assert all(d < "2026-12-10" for d in wide)
    # The answer does not depend on the window asked for.
    for first, last in [("2026-12-01", "2026-12-09"), ("2026-12-04", "2026-12-06")]:
        narrow = dates(run, tuesdays, "--from", first, "--to", last)
        assert narrow == [d for d in wide if first <= d <= last]
    refused(run, "eval", "cancel", tuesdays, "2026-12-20")
    run("eval", "cancel", tuesdays, "2026-12-05")


def test_stop_with_two_running_series_needs_series(run: Run, tuesdays: str) -> None:
    schedule(run, "--every", "1m", "--start", "2026-12-03")
    assert "--series" in refused(run, "eval", "stop", tuesdays, "--from", "2027-01-01")
    second = series(run)[1]["id"]
    run("eval", "stop", tuesdays, "--from", "2027-01-01", "--series", str(second))
    assert (
        dates(run, tuesdays, "--from", "2026-12-01", "--to", "2027-02-28").count("2027-01-03") == 0
    )
    assert "2027-01-05" in dates(run, tuesdays, "--from", "2026-12-01", "--to", "2027-02-28")


def test_closing_a_case_stops_its_series(run: Run, tuesdays: str) -> None:
    closing = ("--summary", "klaar", "--safety", "veilig", *CLOSE_ANYWAY)
    run("case", "close", tuesdays, *closing, "--date", "today")
    assert dates(run, "--from", "2026-11-26", "--to", "2027-06-30") == []
    refused(run, "eval", "record", tuesdays, "--date", "2026-11-24")


# ---------------------------------------------------------------- calendar rules


def test_monthly_on_the_31st(run: Run, family: str) -> None:
    schedule(run, "--every", "1m", "--start", "2027-01-31")
    assert dates(run, family, "--from", "2027-01-01", "--to", "2027-07-31") == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
        "2027-06-30",
        "2027-07-31",
    ]
    assert dates(run, family, "--from", "2028-02-01", "--to", "2028-02-29") == ["2028-02-29"]


def test_two_monthly_on_the_31st(run: Run, family: str) -> None:
    schedule(run, "--every", "2m", "--start", "2026-12-31")
    assert dates(run, family, "--from", "2026-12-01", "--to", "2027-12-31") == [
        "2026-12-31",
        "2027-02-28",
        "2027-04-30",
        "2027-06-30",
        "2027-08-31",
        "2027-10-31",
        "2027-12-31",
    ]


def test_monthly_on_the_nth_weekday(run: Run, family: str) -> None:
    schedule(run, "--every", "1m", "--weekday", "tue", "--start", "2026-03-10")
    found = dates(run, family, "--from", "2026-03-01", "--to", "2027-03-31")
    assert found[:4] == ["2026-03-10", "2026-04-14", "2026-05-12", "2026-06-09"]
    assert len(found) == 13
    for text in found:
        d = date.fromisoformat(text)
        assert d.weekday() == 1
        assert (d.day - 1) // 7 == 1


def test_monthly_on_the_fifth_weekday_is_the_last(run: Run, family: str) -> None:
    schedule(run, "--every", "maandelijks", "--weekday", "di", "--start", "2026-03-31")
    found = dates(run, family, "--from", "2026-03-01", "--to", "2026-08-31")
    assert found == [
        "2026-03-31",
        "2026-04-28",
        "2026-05-26",
        "2026-06-30",
        "2026-07-28",
        "2026-08-25",
    ]
    for text in found:
        d = date.fromisoformat(text)
        assert d.weekday() == 1
        assert (d + timedelta(days=7)).month != d.month


@pytest.mark.parametrize(
    ("start", "until", "count"),
    [("2027-03-08", "2027-04-12", 6), ("2026-10-12", "2026-11-09", 5)],
    ids=["march", "october"],
)
def test_ten_stays_ten_across_summer_time(
    run: Run, family: str, start: str, until: str, count: int
) -> None:
    schedule(
        run,
        "--every",
        "1w",
        "--weekday",
        "mon",
        "--time",
        "10:00",
        "--start",
        start,
        "--until",
        until,
    )
    found = listing(run, family, *WIDE)
    assert len(found) == count
    assert {o["time"] for o in found} == {"10:00"}


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2026-12-25", "Eerste kerstdag"),
        ("2026-12-26", "Tweede kerstdag"),
        ("2027-04-27", "Koningsdag"),
    ],
)
def test_public_holidays_are_marked(run: Run, family: str, day: str, name: str) -> None:
    schedule(run, "--every", "2w", "--start", day)
    [first, second] = listing(run, family, "--from", day, "--to", "+100w")[:2]
    assert (first["date"], first["holiday"]) == (day, name)
    assert second["holiday"] is None
    table = run("eval", "list", family, "--from", day, "--to", day).stdout
    assert f"public holiday: {name}" in table
    assert first["status"] == "planned"  # marked, not moved or skipped


def test_holidays_in_case_show(run: Run, family: str, monkeypatch: pytest.MonkeyPatch) -> None:
    schedule(run, "--every", "1w", "--weekday", "fri", "--start", "2026-12-18")
    monkeypatch.setenv("ICRCTL_TODAY", "2026-12-20")
    case = run("case", "show", family, "-f", "json").json()
    assert [(e["date"], e["holiday"]) for e in case["evaluations"]] == [
        ("2026-12-25", "Eerste kerstdag"),
        ("2027-01-01", "Nieuwjaarsdag"),
        ("2027-01-08", None),
        ("2027-01-15", None),
    ]
    table = run("case", "show", family).stdout
    assert "Eerste kerstdag" in table
    assert "Nieuwjaarsdag" in table


def test_a_moved_occurrence_is_marked_by_its_new_date(run: Run, family: str) -> None:
    schedule(run, "--every", "1w", "--weekday", "fri", "--start", "2026-12-18")
    run("eval", "move", family, "2026-12-25", "2026-12-24")
    found = listing(run, family, "--from", "2026-12-20", "--to", "2027-01-02")
    assert [(o["date"], o["holiday"]) for o in found] == [
        ("2026-12-24", None),
        ("2027-01-01", "Nieuwjaarsdag"),
    ]


# ---------------------------------------------------------------- case show


def test_case_show_without_evaluations(run: Run, family: str) -> None:
    case = run("case", "show", family, "-f", "json").json()
    assert case["evaluations"] == []
    assert case["next_evaluation"] is None
    assert case["overdue_evaluations"] == 0


def test_case_show_next_evaluation_and_overdue(run: Run, tuesdays: str) -> None:
    run("eval", "record", tuesdays, "--date", "2026-11-10")
    run("eval", "cancel", tuesdays, "2026-12-01")
    case = run("case", "show", tuesdays, "-f", "json").json()
    assert case["overdue_evaluations"] == 3
    assert case["next_evaluation"] == "2026-12-08"
    assert [(e["date"], e["time"]) for e in case["evaluations"]] == [
        ("2026-12-08", "10:00"),
        ("2026-12-15", "10:00"),
        ("2026-12-22", "10:00"),
    ]
    table = run("case", "show", tuesdays).stdout
    assert "next evaluation" in table
    assert "2026-12-08 10:00" in table
    overdue_line = next(line for line in table.splitlines() if line.startswith("overdue"))
    assert overdue_line.split()[-1] == "3"


def test_case_show_next_evaluation_after_a_move(run: Run, tuesdays: str) -> None:
    run("eval", "move", tuesdays, "2026-12-01", "2026-11-27", "--time", "09:00")
    case = run("case", "show", tuesdays, "-f", "json").json()
    assert case["next_evaluation"] == "2026-11-27"
    assert case["evaluations"][0]["time"] == "09:00"


def test_case_show_next_evaluation_beyond_four_weeks(run: Run, family: str) -> None:
    schedule(run, "--every", "1m", "--start", "2027-03-01", "--time", "13:00")
    case = run("case", "show", family, "-f", "json").json()
    assert case["evaluations"] == []
    assert case["next_evaluation"] == "2027-03-01"
    assert case["overdue_evaluations"] == 0


def test_case_list_carries_next_and_overdue(run: Run, tuesdays: str) -> None:
    [row] = run("case", "list", "-f", "json").json()
    assert row["next_evaluation"] == "2026-12-01"
    assert row["overdue_evaluations"] == 4
