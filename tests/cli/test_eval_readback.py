"""Reading back what happened: ``eval show REF DATE`` (the plan apart from what happened: whom
the series invited, who attended, was absent or refused; scores, note, the goals of that day),
the outcome of held meetings in ``eval list``, and ``eval schedule`` naming the first meeting.

The family (``tests.helpers.FAMILY``): m1 Sanne (victim), m2 Peter (perpetrator, outside the
household), m3 Noor (child), partner vt-bakker. TODAY is Wednesday 2026-11-25."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import TODAY, Run, fresh_case_file, refused

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")


@pytest.fixture
def mondays(run: Run, family: str) -> str:
    """Weekly on Monday from 2 November, inviting Sanne, Peter and Veilig Thuis; the meeting of
    16 November held: Sanne and Veilig Thuis came, Peter refused, Noor was absent."""
    run("eval", "schedule", family, "--every", "1w", "--weekday", "mon", "--start",
        "2026-11-02", "--with", "m1,m2,vt-bakker")  # fmt: skip
    run("eval", "record", family, "--date", "2026-11-16", "--attended", "m1,vt-bakker",
        "--refused", "m2", "--absent", "m3", "--risk", "4", "--self-reliance", "2",
        "--note", "Afspraak: vader krijgt een brief; VT maakt het veiligheidsplan")  # fmt: skip
    return family


def show(run: Run, ref: str, *args: str) -> dict[str, Any]:
    found: dict[str, Any] = run("eval", "show", ref, *args, "-f", "json").json()
    return found


# ------------------------------------------------------------------ eval show


def test_show_separates_the_plan_from_what_happened(run: Run, mondays: str) -> None:
    v = show(run, mondays, "2026-11-16")
    assert v["status"] == "held"
    assert v["invited"] == ["m1", "m2", "vt-bakker"]
    assert v["attended"] == ["m1", "vt-bakker"]
    assert v["refused"] == ["m2"]
    assert v["absent"] == ["m3"]  # recorded, though the series did not invite her
    assert "m2" not in v["attended"]
    assert (v["risk"], v["self_reliance"]) == (4, 2)
    assert v["note"] == "Afspraak: vader krijgt een brief; VT maakt het veiligheidsplan"
    assert v["people"] == [
        {"key": "m1", "name": "Sanne de Vries", "invited": True, "presence": "attended"},
        {"key": "m2", "name": "Peter de Vries", "invited": True, "presence": "refused"},
        {"key": "vt-bakker", "name": "J. Bakker", "invited": True, "presence": "attended"},
        {"key": "m3", "name": "Noor de Vries", "invited": False, "presence": "absent"},
    ]
    # the eval list record's fields are all there, `attendees` as before: the invited
    listed = run("eval", "list", mondays, "--from", "2026-11-16", "--to", "2026-11-16",
                 "-f", "json").json()  # fmt: skip
    assert {k: v[k] for k in listed[0]} == listed[0]
    assert v["attendees"] == v["invited"]


def test_show_as_a_table_names_everyone(run: Run, mondays: str) -> None:
    out = run("eval", "show", mondays, "2026-11-16").stdout
    assert "evaluation of 2026-11-16 at 10:00: held" in out
    lines = {line.split("  ")[0]: line for line in out.splitlines() if line}
    assert "Peter de Vries (m2)" in lines["refused"]
    assert "Peter de Vries" not in lines["attended"]
    assert "Sanne de Vries (m1)" in lines["attended"]
    assert "J. Bakker (vt-bakker)" in lines["attended"]
    assert "Noor de Vries (m3)" in lines["absent"]
    assert "Peter de Vries (m2)" in lines["invited"]
    assert "4" in lines["risk"]
    assert "veiligheidsplan" in out


def test_show_a_planned_and_a_cancelled_meeting(run: Run, mondays: str) -> None:
    planned = show(run, mondays, "2026-12-07")
    assert planned["status"] == "planned"
    assert planned["invited"] == ["m1", "m2", "vt-bakker"]
    assert planned["attended"] == planned["absent"] == planned["refused"] == []
    assert planned["note"] is None
    assert planned["risk"] is None
    assert [p["presence"] for p in planned["people"]] == [None, None, None]

    run("eval", "cancel", mondays, "2026-11-30", "--reason", "vader ziek")
    cancelled = show(run, mondays, "2026-11-30")
    assert (cancelled["status"], cancelled["reason"]) == ("cancelled", "vader ziek")
    out = run("eval", "show", mondays, "2026-11-30").stdout
    assert "cancelled" in out
    assert "vader ziek" in out
    assert "attended" not in out


def test_a_moved_meeting_answers_to_both_dates(run: Run, mondays: str) -> None:
    run("eval", "move", mondays, "2026-11-23", "2026-11-24", "--time", "14:00")
    run("eval", "record", mondays, "--date", "2026-11-24", "--attended", "m1")
    by_new, by_planned = show(run, mondays, "2026-11-24"), show(run, mondays, "2026-11-23")
    assert by_new == by_planned
    assert (by_new["date"], by_new["time"], by_new["original"]) == ("2026-11-24", "14:00",
                                                                    "2026-11-23")  # fmt: skip
    assert by_new["attended"] == ["m1"]
    assert re.search(r"planned on +2026-11-23", run("eval", "show", mondays, "2026-11-24").stdout)


def test_an_extra_meeting_and_a_closed_case(run: Run, mondays: str) -> None:
    run("eval", "record", mondays, "--date", "2026-11-19", "--attended", "m2", "--note", "extra")
    extra = show(run, mondays, "2026-11-19")
    assert (extra["series"], extra["invited"], extra["attended"]) == (None, [], ["m2"])
    assert "an extra meeting" in run("eval", "show", mondays, "2026-11-19").stdout
    run("case", "close", mondays, "--summary", "klaar", "--safety", "veilig", *CLOSE_ANYWAY)
    assert show(run, mondays, "2026-11-16")["refused"] == ["m2"]


def test_the_goals_of_that_day(run: Run, mondays: str) -> None:
    run("goal", "add", mondays, "Veiligheidsplan opgesteld", "--who", "Veilig Thuis")
    run("goal", "add", mondays, "Vader in behandeling")
    run("goal", "done", mondays, "1", "--date", "2026-11-16")
    goals = show(run, mondays, "2026-11-16")["goals"]
    assert [(g["id"], g["status"]) for g in goals] == [(1, "achieved")]
    assert "Veiligheidsplan opgesteld" in run("eval", "show", mondays, "2026-11-16").stdout
    assert show(run, mondays, "2026-11-09")["goals"] == []


def test_two_series_on_one_day_need_series_or_time(run: Run, mondays: str) -> None:
    run("eval", "schedule", mondays, "--every", "2w", "--weekday", "mon", "--start",
        "2026-11-30", "--time", "14:00", "--with", "m1")  # fmt: skip
    message = refused(run, "eval", "show", mondays, "2026-11-30")
    assert "2 evaluations on 2026-11-30" in message
    assert "series 1 at 10:00; series 2 at 14:00" in message
    assert "--series 1 or 2" in message
    assert "--time 10:00 or 14:00" in message
    assert show(run, mondays, "2026-11-30", "--series", "2")["invited"] == ["m1"]
    assert show(run, mondays, "2026-11-30", "--time", "10:00")["series"] == 1


def test_refusals_change_nothing(run: Run, mondays: str) -> None:
    refused(run, "eval", "show", mondays, "2026-11-17", match="no evaluation on 2026-11-17")
    refused(run, "eval", "show", mondays, "2026-11-16", "--series", "9", match="no evaluation "
            "series 9")  # fmt: skip
    refused(run, "eval", "show", mondays, "2026-11-16", "--time", "11:00", match="no evaluation")
    refused(run, "eval", "show", "NO-SUCH", "2026-11-16")
    refused(run, "eval", "show", mondays, "2026-13-40")


def test_stored_text_is_printed_literally(run: Run, mondays: str) -> None:
    run("eval", "record", mondays, "--date", "2026-11-09", "--note", "[bold red]x[/] <b>&</b>")
    out = run("eval", "show", mondays, "2026-11-09").stdout
    assert "[bold red]x[/] <b>&</b>" in out


# ------------------------------------------------------------------ eval list: the outcome


def test_list_gives_the_outcome_of_held_meetings(run: Run, mondays: str) -> None:
    rows = run("eval", "list", mondays, "--from", "2026-11-09", "--to", "2026-11-23",
               "-f", "json").json()  # fmt: skip
    held = [r for r in rows if r["status"] == "held"]
    assert [r["date"] for r in held] == ["2026-11-16"]
    assert (held[0]["attended"], held[0]["absent"], held[0]["refused"]) == (
        ["m1", "vt-bakker"], ["m3"], ["m2"])  # fmt: skip
    assert (held[0]["risk"], held[0]["self_reliance"]) == (4, 2)
    assert held[0]["attendees"] == held[0]["invited"] == ["m1", "m2", "vt-bakker"]
    for other in (r for r in rows if r["status"] != "held"):
        assert other["attended"] == other["absent"] == other["refused"] == []
        assert other["risk"] is None
        assert other["self_reliance"] is None
    table = run("eval", "list", mondays, "--from", "2026-11-16", "--to", "2026-11-16").stdout
    assert "outcome" in table
    assert "refused m2" in table
    assert "risk 4" in table


def test_list_outcomes_across_cases_keep_to_their_own_meeting(run: Run, mondays: str) -> None:
    run("case", "create", "GO-2026-015", "--title", "Familie Bakker", "--opened", "2026-10-01")
    run("member", "add", "GO-2026-015", "Eva Bakker", "--role", "victim")
    run("eval", "schedule", "GO-2026-015", "--every", "1w", "--weekday", "mon", "--start",
        "2026-11-16", "--with", "m1")  # fmt: skip
    run("eval", "record", "GO-2026-015", "--date", "2026-11-16", "--absent", "m1", "--risk", "1")
    rows = run("eval", "list", "--from", "2026-11-16", "--to", "2026-11-16", "-f", "json").json()
    by_ref = {r["ref"]: r for r in rows}
    assert (by_ref["GO-2026-015"]["absent"], by_ref["GO-2026-015"]["attended"]) == (["m1"], [])
    assert by_ref["GO-2026-015"]["risk"] == 1
    assert by_ref[mondays]["absent"] == ["m3"]
    assert by_ref[mondays]["risk"] == 4


# ------------------------------------------------------------ eval schedule: the first meeting


def test_schedule_says_the_first_meetings_date(run: Run, family: str) -> None:
    out = run("eval", "schedule", family, "--every", "2w", "--weekday", "mon", "--start",
              "2026-12-17").stdout  # fmt: skip
    assert "first meeting 2026-12-21" in out
    assert "2026-12-17" not in out
    out = run("eval", "schedule", family, "--every", "1m", "--start", "2026-12-31",
              "--time", "09:00").stdout  # fmt: skip
    assert "first meeting 2026-12-31" in out


def test_schedule_says_when_a_series_never_meets(run: Run, family: str) -> None:
    out = run("eval", "schedule", family, "--every", "1w", "--weekday", "mon", "--start",
              "2026-12-16", "--until", "2026-12-20").stdout  # fmt: skip
    assert "no meeting: it ends before it meets" in out


# ------------------------------------------------------------------ a date names one meeting


def _weekly(session: Any, ctx: Any) -> None:
    from icrctl.services import cases, meetings

    made = cases.CaseInput(title="Familie", opened=dt.date(2026, 1, 5))
    cases.create_case(session, ctx, "GO-2026-001", made)
    meetings.schedule(session, ctx, "GO-2026-001", every="1w", weekday="tue",
                      start=dt.date(2026, 11, 3))  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    moves=st.lists(
        st.tuples(st.integers(0, 7), st.integers(-3, 10), st.sampled_from(["10:00", "15:30"])),
        max_size=4,
    )
)
def test_every_listed_meeting_is_shown_by_its_date_and_by_the_date_it_was_planned_on(
    moves: list[tuple[int, int, str]],
) -> None:
    """Whatever was moved where: each occurrence that a date names alone is what eval show
    gives for it, by the date it takes place on and by the date it was planned on."""
    from icrctl.errors import IcrError
    from icrctl.services import evaluation_view as view
    from icrctl.services import evaluations as ev
    from icrctl.services import meetings

    first = dt.date(2026, 11, 3)
    lo, hi = first - dt.timedelta(days=7), TODAY + dt.timedelta(days=70)
    with fresh_case_file(_weekly) as unit:
        for week, by, at in moves:
            day = first + dt.timedelta(weeks=week)
            try:
                with unit() as (session, ctx):
                    meetings.move(session, ctx, "GO-2026-001", day, day + dt.timedelta(by), at)
            except IcrError:
                pass  # moved already, a clash, the same place: refused, changed nothing
        with unit() as (session, ctx):
            listed = ev.list_occurrences(session, ctx, "GO-2026-001", lo, hi)
            for day in {d for o in listed for d in (o.date, o.original)}:
                taking_place = [o for o in listed if o.date == day]
                named = taking_place or [o for o in listed if o.original == day]
                if len(named) == 1:
                    shown = view.show_evaluation(session, ctx, "GO-2026-001", day)
                    assert (shown.date, shown.time, shown.original) == (
                        named[0].date,
                        named[0].time,
                        named[0].original,
                    )
                else:
                    with pytest.raises(IcrError, match="evaluations on"):
                        view.show_evaluation(session, ctx, "GO-2026-001", day)
