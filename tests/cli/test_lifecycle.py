"""The case lifecycle through the command line: working stages, closing, reopening,
framework and regie changes as events, and closing that stops the evaluation series."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import TODAY, Run, refused, usage_error

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

REF = "GO-2026-031"
OPENED = "2026-01-05"


def create(run: Run, *extra: str, ref: str = REF, opened: str = OPENED) -> str:
    run("case", "create", ref, "--title", "Familie Bakker", "--opened", opened, *extra)
    return ref


def shown(run: Run, ref: str = REF) -> dict[str, Any]:
    case: dict[str, Any] = run("case", "show", ref, "-f", "json").json()
    return case


def stages(run: Run, ref: str = REF) -> list[tuple[str, str]]:
    return [(s["date"], s["stage"]) for s in shown(run, ref)["stage_history"]]


def events(run: Run, ref: str = REF) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = shown(run, ref)["events"]
    return rows


def listed(run: Run, *flags: str) -> list[str]:
    return [c["ref"] for c in run("case", "list", *flags, "-f", "json").json()]


def close(run: Run, when: str | None = None, ref: str = REF) -> None:
    date = ["--date", when] if when else []
    run(
        "case", "close", ref, "--summary", "Goals met; the family directs itself again.",
        "--safety", "No incidents for six months; safety plan in place.", *CLOSE_ANYWAY, *date,
    )  # fmt: skip


# --- working stages ------------------------------------------------------------------------------


def test_a_new_case_starts_in_inventory(run: Run) -> None:
    create(run)
    case = shown(run)
    assert case["stage"] == "inventory"
    assert case["closed"] is None
    assert stages(run) == [(OPENED, "inventory")]


def test_stages_move_forward_with_their_history(run: Run) -> None:
    create(run)
    r = run("case", "stage", REF, "analysis", "--date", "2026-02-02")
    assert r.stdout.strip() == f"{REF} is in stage analysis since 2026-02-02"
    r = run("case", "stage", REF, "uitvoering", "--date", "01-04-2026")
    assert r.stdout.strip() == f"{REF} is in stage execution since 2026-04-01"
    run("case", "stage", REF, "nazorg", "--date", "2026-10-01")
    run("case", "stage", REF, "execution")  # back: after care turned out too early
    assert stages(run) == [
        (OPENED, "inventory"),
        ("2026-02-02", "analysis"),
        ("2026-04-01", "execution"),
        ("2026-10-01", "aftercare"),
        (TODAY.isoformat(), "execution"),
    ]
    assert shown(run)["stage"] == "execution"
    assert listed(run, "--stage", "execution") == [REF]
    assert listed(run, "--stage", "analysis") == []


def test_the_same_stage_is_refused(run: Run) -> None:
    create(run)
    run("case", "stage", REF, "analysis")
    message = refused(run, "case", "stage", REF, "analyse")
    assert message == f"error: case {REF} is already in stage analysis"
    message = refused(run, "case", "stage", REF, "inventarisatie", "--date", "2026-01-01")
    assert "before" in message


def test_a_date_before_the_last_stage_change_is_refused(run: Run) -> None:
    create(run)
    run("case", "stage", REF, "analysis", "--date", "2026-03-01")
    message = refused(run, "case", "stage", REF, "execution", "--date", "2026-02-28")
    assert message == "error: date 2026-02-28 lies before the last stage change (2026-03-01)"
    # the same day is fine
    run("case", "stage", REF, "execution", "--date", "2026-03-01")


def test_a_stage_date_in_the_future_is_refused(run: Run) -> None:
    create(run)
    message = refused(run, "case", "stage", REF, "analysis", "--date", "tomorrow")
    assert message == "error: date 2026-11-26 is in the future"


def test_an_unknown_stage_is_refused(run: Run) -> None:
    create(run)
    message = refused(run, "case", "stage", REF, "therapy")
    assert message.startswith("error: unknown stage 'therapy'; expected one of: inventory")


@pytest.mark.parametrize("word", ["closed", "afgesloten", "CLOSED"])
def test_stage_closed_points_to_case_close(run: Run, word: str) -> None:
    create(run)
    message = refused(run, "case", "stage", REF, word)
    assert f"'icrctl case close {REF} --summary … --safety …'" in message
    assert shown(run)["closed"] is None


# --- closing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--summary", "Goals met."],
        ["--safety", "Safe."],
        [],
    ],
    ids=["no safety", "no summary", "neither"],
)
def test_close_needs_summary_and_safety(run: Run, args: list[str]) -> None:
    create(run)
    usage_error(run, "case", "close", REF, *args, match="Missing option")


@pytest.mark.parametrize("empty", ["summary", "safety"])
def test_close_refuses_an_empty_summary_or_safety(run: Run, empty: str) -> None:
    create(run)
    texts = {"summary": "Goals met.", "safety": "Safe."}
    texts[empty] = "   "
    message = refused(
        run, "case", "close", REF, "--summary", texts["summary"], "--safety", texts["safety"]
    )
    assert message == f"error: {empty} must not be empty"


def test_close_records_the_closing_and_keeps_it_twenty_years(run: Run) -> None:
    create(run)
    run("case", "stage", REF, "aftercare", "--date", "2026-06-01", "-r", "help already ended")
    result = run(
        "case", "close", REF, "--summary", "Goals met.", "--safety", "Safe at home.", *CLOSE_ANYWAY,
        "--date", "2026-10-01",
    )  # fmt: skip
    assert result.stdout.strip() == f"closed {REF} on 2026-10-01; kept until 2046-10-01"
    case = shown(run)
    assert case["stage"] == "closed"
    assert case["closed"] == "2026-10-01"
    assert case["retention_until"] == "2046-10-01"
    assert case["closing_summary"] == "Goals met."
    assert case["closing_safety"] == "Safe at home."
    assert stages(run)[-1] == ("2026-10-01", "closed")
    assert [(e["date"], e["kind"]) for e in case["events"]] == [("2026-10-01", "closed")]


def test_close_without_a_date_is_today(run: Run) -> None:
    create(run)
    close(run)
    case = shown(run)
    assert case["closed"] == TODAY.isoformat()
    assert case["retention_until"] == TODAY.replace(year=TODAY.year + 20).isoformat()


def test_close_date_rules(run: Run) -> None:
    create(run)
    run("case", "stage", REF, "execution", "--date", "2026-04-01", "-r", "analysed elsewhere")
    message = refused(
        run, "case", "close", REF, "--summary", "s", "--safety", "s", "--date", "2026-03-31"
    )
    assert message == "error: date 2026-03-31 lies before the last stage change (2026-04-01)"
    message = refused(
        run, "case", "close", REF, "--summary", "s", "--safety", "s", "--date", "2026-11-26"
    )
    assert message == "error: date 2026-11-26 is in the future"


def test_a_case_cannot_close_before_its_last_phase_change(run: Run) -> None:
    create(run)
    run("phase", "set", REF, "3", "--reason", "unsafe", "--date", "2026-08-01")
    message = refused(
        run, "case", "close", REF, "--summary", "s", "--safety", "s", "--date", "2026-07-31"
    )
    assert "2026-07-31 lies before the last phase change (2026-08-01)" in message
    close(run, "2026-08-01")


def test_closed_cases_leave_the_list(run: Run) -> None:
    create(run)
    create(run, ref="GO-2026-032")
    close(run)
    assert listed(run) == ["GO-2026-032"]
    assert listed(run, "--all") == [REF, "GO-2026-032"]
    assert listed(run, "--closed") == [REF]
    table = run("case", "list").stdout
    assert REF not in table
    assert "GO-2026-032" in table
    assert REF in run("case", "list", "--closed").stdout


def test_a_closed_case_refuses_changes_of_stage_and_a_second_close(run: Run) -> None:
    create(run)
    close(run, "2026-10-01")
    message = refused(run, "case", "stage", REF, "execution")
    assert message == f"error: case {REF} is closed; 'icrctl case reopen' first"
    message = refused(run, "case", "close", REF, "--summary", "again", "--safety", "again")
    assert message == f"error: case {REF} is already closed"


# --- reopening -----------------------------------------------------------------------------------


def test_reopen_returns_to_the_stage_before_closing_with_history_kept(run: Run) -> None:
    create(run, "--phase", "3")
    run("case", "stage", REF, "analysis", "--date", "2026-02-01")
    run("case", "stage", REF, "aftercare", "--date", "2026-06-01", "-r", "help already ended")
    run("phase", "set", REF, "2", "--reason", "calmer", "--date", "2026-06-01")
    close(run, "2026-09-01")
    r = run("case", "reopen", REF, "--reason", "new report by the police", "--date", "2026-11-20")
    assert r.stdout.splitlines()[0] == f"reopened {REF}; stage aftercare"
    assert "eval schedule" in r.stdout  # the series stopped at closing stay stopped

    case = shown(run)
    assert case["stage"] == "aftercare"
    assert case["closed"] is None
    assert case["retention_until"] is None
    assert case["phase"] == 2
    assert stages(run) == [
        (OPENED, "inventory"),
        ("2026-02-01", "analysis"),
        ("2026-06-01", "aftercare"),
        ("2026-09-01", "closed"),
        ("2026-11-20", "aftercare"),
    ]
    assert [(e["date"], e["kind"]) for e in case["events"]] == [
        ("2026-09-01", "closed"),
        ("2026-11-20", "reopened"),
    ]
    reopened = case["events"][1]
    assert reopened["reason"] == "new report by the police"
    assert reopened["old"] == "2026-09-01"
    assert [(p["date"], p["phase"]) for p in case["phase_history"]] == [
        (OPENED, 3),
        ("2026-06-01", 2),
    ]
    assert REF in listed(run)
    assert listed(run, "--closed") == []


def test_close_and_reopen_twice(run: Run) -> None:
    create(run)
    run("case", "stage", REF, "execution", "--date", "2026-02-01", "-r", "analysed elsewhere")
    close(run, "2026-05-01")
    run("case", "reopen", REF, "--reason", "relapse", "--date", "2026-06-01")
    run("case", "stage", REF, "aftercare", "--date", "2026-08-01")
    close(run, "2026-09-01")
    assert shown(run)["retention_until"] == "2046-09-01"
    run("case", "reopen", REF, "--reason", "stalking", "--date", "2026-09-01")
    assert shown(run)["stage"] == "aftercare"
    assert [s for _, s in stages(run)] == [
        "inventory",
        "execution",
        "closed",
        "execution",
        "aftercare",
        "closed",
        "aftercare",
    ]
    assert [e["kind"] for e in events(run)] == ["closed", "reopened", "closed", "reopened"]


def test_reopen_straight_from_inventory(run: Run) -> None:
    create(run)
    close(run)
    run("case", "reopen", REF, "--reason", "closed by mistake")
    assert shown(run)["stage"] == "inventory"


def test_reopening_an_open_case_is_refused(run: Run) -> None:
    create(run)
    message = refused(run, "case", "reopen", REF, "--reason", "why not")
    assert message == f"error: case {REF} is not closed"


def test_reopen_date_rules(run: Run) -> None:
    create(run)
    close(run, "2026-10-01")
    message = refused(run, "case", "reopen", REF, "--reason", "x", "--date", "2026-09-30")
    assert message == "error: date 2026-09-30 lies before the case was closed (2026-10-01)"
    message = refused(run, "case", "reopen", REF, "--reason", "x", "--date", "tomorrow")
    assert message == "error: date 2026-11-26 is in the future"
    message = refused(run, "case", "reopen", REF, "--reason", " ")
    assert message == "error: reason must not be empty"
    usage_error(run, "case", "reopen", REF, match="Missing option '--reason'")
    # the closing day itself is fine
    run("case", "reopen", REF, "--reason", "x", "--date", "2026-10-01")


def test_no_phase_change_dated_while_the_case_was_closed(run: Run) -> None:
    create(run)
    close(run, "2026-09-01")
    run("case", "reopen", REF, "--reason", "new report", "--date", "2026-11-02")
    message = refused(run, "phase", "set", REF, "3", "--reason", "x", "--date", "2026-10-15")
    assert "falls while case" in message
    assert "was closed (2026-09-01 to 2026-11-02)" in message
    run("phase", "set", REF, "3", "--reason", "unsafe", "--date", "2026-11-02")
    assert [p["phase"] for p in shown(run)["phase_history"]] == [2, 3]


# --- framework and regie: events, not phase changes ----------------------------------------------


def test_framework_and_regie_changes_are_events(run: Run) -> None:
    create(run, "--phase", "2", "--regie", "client")
    history = shown(run)["phase_history"]
    r = run("case", "edit", REF, "--regie", "professional")
    assert r.stdout.strip() == f"updated {REF}: regie"
    run("case", "edit", REF, "--framework", "compulsory")
    case = shown(run)
    assert case["framework"] == "compulsory"
    assert case["regie"] == "professional"
    assert case["events"] == [
        {
            "date": TODAY.isoformat(),
            "kind": "regie",
            "old": "client",
            "new": "professional",
            "reason": None,
        },
        {
            "date": TODAY.isoformat(),
            "kind": "framework",
            "old": "voluntary",
            "new": "compulsory",
            "reason": None,
        },
    ]
    assert case["phase_history"] == history
    assert case["phase"] == 2
    table = run("case", "show", REF).stdout
    assert "events" in table
    assert any("framework" in line and "compulsory" in line for line in table.splitlines())

    # the compulsory framework ends
    run("case", "edit", REF, "--framework", "vrijwillig", "--regie", "client")
    case = shown(run)
    assert [(e["kind"], e["old"], e["new"]) for e in case["events"][2:]] == [
        ("framework", "compulsory", "voluntary"),
        ("regie", "professional", "client"),
    ]
    assert case["phase_history"] == history


def test_an_unchanged_framework_is_no_event(run: Run) -> None:
    create(run)
    r = run("case", "edit", REF, "--framework", "voluntary", "--regie", "professional")
    assert r.stdout.strip() == f"{REF}: nothing changed"
    assert events(run) == []


def test_regie_client_refused_in_phase_3(run: Run) -> None:
    create(run, "--phase", "3")
    message = refused(run, "case", "edit", REF, "--regie", "client")
    assert message == (
        "error: regiekaart: in phase 3 casusregie is always held by a professional; "
        "the client cannot hold it"
    )
    assert events(run) == []


def test_regie_client_refused_in_a_compulsory_framework(run: Run) -> None:
    create(run, "--phase", "2", "--framework", "compulsory")
    message = refused(run, "case", "edit", REF, "--regie", "cliënt")
    assert message.startswith(
        "error: regiekaart: in a compulsory framework casusregie is always held by a professional"
    )
    # nor the other way round: a compulsory framework while the client holds it
    create(run, "--phase", "2", "--regie", "client", ref="GO-2026-033")
    message = refused(run, "case", "edit", "GO-2026-033", "--framework", "compulsory")
    assert "compulsory framework" in message
    assert events(run) == []
    assert events(run, "GO-2026-033") == []


def test_a_phase_is_not_edited(run: Run) -> None:
    create(run)
    message = refused(run, "case", "edit", REF, "--phase", "3")
    assert f"'icrctl phase set {REF} 3 --reason …'" in message


# --- closing stops the evaluation series ---------------------------------------------------------


def test_closing_stops_evaluation_series(run: Run) -> None:
    create(run)
    run("eval", "schedule", REF, "--every", "2w", "--start", "2026-03-02")
    run("eval", "schedule", REF, "--every", "1m", "--start", "2026-03-10", "--time", "14:00")
    before = run("eval", "list", REF, "--from", "2026-09-01", "--to", "2027-03-31", "-f", "json")
    assert any(o["date"] > "2026-10-01" for o in before.json())
    close(run, "2026-10-01")

    after = run("eval", "list", REF, "--from", "2026-09-01", "--to", "2027-03-31", "-f", "json")
    dates = [o["date"] for o in after.json()]
    assert dates, "the occurrences before closing are kept"
    assert all(d <= "2026-10-01" for d in dates)
    assert "2026-09-14" in dates
    assert "2026-09-10" in dates
    case = shown(run)
    assert case["evaluations"] == []
    assert case["next_evaluation"] is None
    upcoming = run("eval", "list", "--from", "today", "--to", "2027-12-31", "-f", "json").json()
    assert [o for o in upcoming if o["ref"] == REF] == []
