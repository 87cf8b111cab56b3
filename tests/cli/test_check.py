"""``icrctl check``: every signal raised by the situation it names and cleared by what the
practitioner does about it, through the command line. Exit 0 with or without signals;
JSON is a list of {ref, code, message}; closed cases have none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Run

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

REF = "GO-2026-040"


# --- helpers -------------------------------------------------------------------------------------


def case(run: Run, *extra: str, ref: str = REF, opened: str = "2026-11-02", phase: int = 1) -> str:
    """A case in phase 1 (no contact rule) unless asked otherwise."""
    run("case", "create", ref, "--title", "Familie Smit", "--opened", opened, "--phase", str(phase))
    if extra:
        run("case", "edit", ref, *extra)
    return ref


def check(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run("check", *args, "-f", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    rows: list[dict[str, Any]] = result.json()
    for row in rows:
        assert set(row) == {"ref", "code", "message"}
    return rows


def codes(run: Run, ref: str = REF) -> list[str]:
    return [r["code"] for r in check(run, ref)]


def message(run: Run, code: str, ref: str = REF) -> str:
    found = [r["message"] for r in check(run, ref) if r["code"] == code]
    assert len(found) == 1, found
    return found[0]


def partner(run: Run, key: str, kind: str) -> str:
    run("partner", "add", f"Partner {key}", "--organisation", "Org", "--kind", kind, "--key", key)
    return key


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Let time pass: ``today("2026-12-10")``."""

    def set_today(day: str) -> None:
        monkeypatch.setenv("ICRCTL_TODAY", day)

    return set_today


# --- the command ---------------------------------------------------------------------------------


def test_no_cases_no_signals(run: Run) -> None:
    assert check(run) == []
    result = run("check")
    assert result.exit_code == 0
    assert "no signals" in result.stdout


def test_signals_exit_zero_and_json_shape(run: Run) -> None:
    case(run)
    run("member", "add", REF, "Luca Smit", "--role", "child", "--born", "2025-08-19")
    rows = check(run)
    assert rows == [
        {
            "ref": REF,
            "code": "jgz-missing",
            "message": "Luca Smit under 4 and no youth health care (JGz) partner: link the "
            f"consultatiebureau ('icrctl partner link {REF} …')",
        }
    ]
    table = run("check")
    assert table.exit_code == 0
    assert REF in table.stdout
    assert "jgz-missing" in table.stdout
    csv = run("check", "-f", "csv").stdout.splitlines()
    assert csv[0] == "ref,code,message"
    assert csv[1].startswith(f"{REF},jgz-missing,")


def test_check_one_case(run: Run) -> None:
    case(run, ref="GO-2026-041")
    run("member", "add", "GO-2026-041", "Kind", "--role", "child", "--born", "2016-01-01")
    case(run, ref="GO-2026-042")
    run("goal", "add", "GO-2026-042", "Doel", "--due", "2026-11-01")
    assert [(r["ref"], r["code"]) for r in check(run)] == [
        ("GO-2026-041", "school-missing"),
        ("GO-2026-042", "goal-overdue"),
    ]
    assert [(r["ref"], r["code"]) for r in check(run, "GO-2026-042")] == [
        ("GO-2026-042", "goal-overdue")
    ]
    case(run, ref="GO-2026-043")
    assert check(run, "GO-2026-043") == []


def test_check_an_unknown_case_is_refused(run: Run) -> None:
    result = run("check", "GO-1999-001", ok=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_closed_cases_have_no_signals(run: Run) -> None:
    case(run, phase=2, opened="2026-01-05")
    run("member", "add", REF, "Baby", "--role", "child", "--born", "2025-08-19")
    run("partner", "link", REF, partner(run, "pol", "police"), "--no-consent")
    run("eval", "schedule", REF, "--every", "2w", "--with", "pol")
    run("goal", "add", REF, "Doel", "--due", "2026-02-01")
    run("log", REF, "dreiging", "--kind", "phone", "--date", "2026-11-20", "--signal")
    assert codes(run) == ["jgz-missing", "partner-without-consent", "goal-overdue", "safety-signal"]
    run("case", "close", REF, "--summary", "klaar", "--safety", "veilig", *CLOSE_ANYWAY)
    assert check(run) == []
    assert check(run, REF) == []
    listed = run("case", "list", "--all", "-f", "json").json()
    assert [(c["ref"], c["signals"]) for c in listed] == [(REF, [])]
    run("case", "reopen", REF, "--reason", "nieuwe melding")
    assert "jgz-missing" in codes(run)


# --- each signal: raised, then cleared -----------------------------------------------------------


def test_jgz_missing_cleared_by_linking_youth_health_care(run: Run) -> None:
    case(run)
    run("member", "add", REF, "Luca Smit", "--role", "child", "--born", "2025-08-19")
    assert codes(run) == ["jgz-missing"]
    assert "Luca Smit" in message(run, "jgz-missing")
    run("partner", "link", REF, partner(run, "jgz-kramer", "jgz"), "--consent")
    assert codes(run) == []


def test_jgz_missing_becomes_school_missing_on_the_fourth_birthday(
    run: Run, today: Callable[[str], None]
) -> None:
    case(run)
    run("member", "add", REF, "Mila Smit", "--role", "child", "--born", "2022-11-26")
    assert codes(run) == ["jgz-missing"]
    today("2026-11-26")
    assert codes(run) == ["school-missing"]


def test_school_missing_cleared_by_linking_the_school(run: Run) -> None:
    case(run)
    run("member", "add", REF, "Noor Smit", "--role", "child", "--born", "2015-03-01")
    run("member", "add", REF, "Moeder", "--role", "victim", "--born", "1990-01-01")
    assert codes(run) == ["school-missing"]
    assert message(run, "school-missing").startswith("Noor Smit of school age")
    run("partner", "link", REF, partner(run, "school-a", "school"), "--consent")
    assert codes(run) == []


def test_no_evaluation_series_cleared_by_scheduling_one(run: Run) -> None:
    case(run)
    assert codes(run) == []
    run("case", "stage", REF, "execution", "--date", "2026-11-20", "--reason", "analysed already")
    assert codes(run) == ["no-evaluation-series"]
    assert f"icrctl eval schedule {REF}" in message(run, "no-evaluation-series")
    run("eval", "schedule", REF, "--every", "2w", "--start", "2026-11-26", "--time", "10:00")
    assert codes(run) == []
    run("eval", "stop", REF)
    assert codes(run) == ["no-evaluation-series"]


def test_no_evaluation_series_in_aftercare(run: Run) -> None:
    case(run)
    run("case", "stage", REF, "execution", "--date", "2026-11-10", "--reason", "analysed already")
    run("case", "stage", REF, "aftercare", "--date", "2026-11-20")
    assert codes(run) == ["no-evaluation-series"]
    run("eval", "schedule", REF, "--every", "2m", "--start", "2026-12-02")
    assert codes(run) == []


def test_evaluation_overdue_cleared_by_recording_and_cancelling(run: Run) -> None:
    case(run)
    run("member", "add", REF, "Ma", "--role", "victim", "--key", "ma")
    run("eval", "schedule", REF, "--every", "1w", "--start", "2026-11-11", "--time", "10:00")
    assert codes(run) == ["evaluation-overdue"]
    text = message(run, "evaluation-overdue")
    assert text.startswith("2 evaluation(s) overdue (2026-11-11, 2026-11-18)")
    run("eval", "record", REF, "--date", "2026-11-11", "--attended", "ma")
    assert message(run, "evaluation-overdue").startswith("1 evaluation(s) overdue (2026-11-18)")
    run("eval", "cancel", REF, "2026-11-18", "--reason", "ziek")
    assert codes(run) == []


def test_evaluation_overdue_when_time_passes(run: Run, today: Callable[[str], None]) -> None:
    case(run)
    run("eval", "schedule", REF, "--every", "1w", "--start", "2026-11-25", "--time", "10:00")
    assert codes(run) == []  # today's evaluation is not overdue yet
    today("2026-11-26")
    assert codes(run) == ["evaluation-overdue"]


def test_no_contact_in_phase_three_after_fourteen_days(
    run: Run, today: Callable[[str], None]
) -> None:
    case(run, phase=3, opened="2026-10-01")
    assert codes(run) == ["no-contact"]
    assert "none yet" in message(run, "no-contact")
    run("log", REF, "huisbezoek", "--kind", "visit", "--date", "2026-11-12")
    assert codes(run) == []  # 13 days
    today("2026-11-26")
    assert codes(run) == ["no-contact"]
    text = message(run, "no-contact")
    assert text.startswith("no contact for 14 days in phase 3 (last: 2026-11-12")
    run("log", REF, "gebeld", "--kind", "phone", "--date", "2026-11-26")
    assert codes(run) == []


def test_no_contact_in_phase_four(run: Run, today: Callable[[str], None]) -> None:
    run(
        "case",
        "create",
        REF,
        "--title",
        "T",
        "--opened",
        "2026-11-01",
        "--phase",
        "4",
        "--track",
        "care",
    )
    assert "no-contact" in codes(run)  # 24 days since the opening, none logged
    assert "none yet" in message(run, "no-contact")
    run("log", REF, "crisisoverleg", "--kind", "meeting", "--date", "2026-11-12")
    assert "no-contact" not in codes(run)  # 13 days
    today("2026-11-26")
    assert "no contact for 14 days in phase 4" in message(run, "no-contact")
    run("log", REF, "huisbezoek", "--kind", "visit", "--date", "today")
    assert "no-contact" not in codes(run)


def test_no_contact_in_phase_two_after_thirty_days(run: Run, today: Callable[[str], None]) -> None:
    case(run, phase=2, opened="2026-09-01")
    assert codes(run) == ["no-contact"]
    run("log", REF, "gebeld", "--kind", "phone", "--date", "2026-10-27")
    assert codes(run) == []  # 29 days
    today("2026-11-26")
    assert codes(run) == ["no-contact"]
    assert "no contact for 30 days in phase 2" in message(run, "no-contact")
    run("log", REF, "mail", "--kind", "email", "--date", "2026-11-26")
    assert codes(run) == []


def test_no_contact_never_in_phase_one(run: Run, today: Callable[[str], None]) -> None:
    case(run, phase=1, opened="2025-01-06")
    assert codes(run) == []
    today("2027-06-01")
    assert codes(run) == []


def test_no_contact_raised_again_when_the_phase_goes_up(run: Run) -> None:
    case(run, phase=2, opened="2026-09-01")
    run("log", REF, "gebeld", "--kind", "phone", "--date", "2026-11-05")
    assert codes(run) == []  # 20 days in phase 2
    run("phase", "set", REF, "3", "--reason", "escalatie", "--date", "2026-11-24")
    assert codes(run) == ["no-contact"]  # 20 days in phase 3


def test_client_regie_unsafe(run: Run, services: Callable[..., Any]) -> None:
    """The command line refuses client-held regie in phase 3 or 4; a case file that holds it all
    the same (an older file, an edit outside icrctl) is signalled, and the fix clears it."""
    from sqlalchemy import select

    from icrctl.db.models import Case

    run(
        "case",
        "create",
        REF,
        "--title",
        "T",
        "--opened",
        "2026-11-20",
        "--phase",
        "3",
        "--regie",
        "client",
        ok=False,
    )
    case(run, "--regie", "client", phase=2, opened="2026-11-20")
    assert run("phase", "set", REF, "3", "--reason", "onveilig", ok=False).exit_code == 1
    assert codes(run) == []
    with services() as (session, _):
        session.scalars(select(Case).where(Case.ref == REF)).one().phase = 3
    assert codes(run) == ["client-regie-unsafe"]
    assert f"icrctl case edit {REF} --regie professional" in message(run, "client-regie-unsafe")
    run("case", "edit", REF, "--regie", "professional")
    assert codes(run) == []


def test_phase4_checklist_open_cleared_by_informing(run: Run) -> None:
    run("case", "create", REF, "--title", "T", "--opened", "2026-11-20", "--phase", "3")
    assert codes(run) == []
    run("phase", "set", REF, "4", "--reason", "calamiteit", "--track", "social")
    assert codes(run) == ["phase4-checklist-open"]
    items = ["aov", "local_triangle", "communications_adviser"]
    assert "aov (yours); local_triangle, communications_adviser (by AOV; to check)" in message(
        run, "phase4-checklist-open"
    )
    run("phase", "inform", REF, "aov")
    assert "aov" not in message(run, "phase4-checklist-open").split(":", 1)[1].split("(")[0]
    for item in items[1:]:
        run("phase", "inform", REF, item)
    assert codes(run) == []


def test_refused_evaluation_cleared_by_a_later_evaluation(run: Run) -> None:
    case(run)
    run("member", "add", REF, "Sanne Smit", "--role", "victim", "--key", "ma")
    run("member", "add", REF, "Peter Smit", "--role", "perpetrator", "--key", "pa")
    run("eval", "schedule", REF, "--every", "1w", "--start", "2026-11-18", "--with", "ma,pa")
    run("eval", "record", REF, "--date", "2026-11-18", "--attended", "ma", "--refused", "pa")
    assert codes(run) == ["refused-evaluation"]
    assert message(run, "refused-evaluation").startswith("Peter Smit refused the last evaluation")
    run("eval", "record", REF, "--date", "2026-11-25", "--attended", "ma,pa")
    assert codes(run) == []


def test_partner_without_consent_only_when_invited_and_cleared_by_consent(run: Run) -> None:
    case(run)
    run("partner", "link", REF, partner(run, "ther-bos", "therapist"), "--no-consent")
    assert codes(run) == []  # linked without consent: lawful, a fact of case show
    run("eval", "schedule", REF, "--every", "2w", "--with", "ther-bos")
    assert codes(run) == ["partner-without-consent"]
    assert message(run, "partner-without-consent").startswith(
        "ther-bos invited to the evaluations, where the plan is shared, without"
    )
    assert f"'icrctl partner link {REF} ther-bos --consent'" in message(
        run, "partner-without-consent"
    )
    run("partner", "link", REF, "ther-bos", "--consent")
    assert codes(run) == []
    run("partner", "link", REF, partner(run, "ggz", "mental_health"))  # default: no consent
    assert codes(run) == []
    run("eval", "schedule", REF, "--every", "1w", "--with", "ggz")
    assert codes(run) == ["partner-without-consent"]
    run("partner", "unlink", REF, "ggz")  # leaves the series too
    assert codes(run) == []


def test_evaluation_on_holiday_cleared_by_moving_it(run: Run, today: Callable[[str], None]) -> None:
    today("2026-12-01")
    case(run)
    run("eval", "schedule", REF, "--every", "1w", "--weekday", "fri", "--start", "2026-12-04")
    assert codes(run) == ["evaluation-on-holiday"]
    text = message(run, "evaluation-on-holiday")
    assert "2026-12-25" in text
    assert "Christmas Day" in text  # the holiday's English name in English (Eerste kerstdag)
    run("eval", "move", REF, "2026-12-25", "2026-12-24")
    assert codes(run) == []
    run("eval", "move", REF, "2026-12-18", "2026-12-26")  # Tweede kerstdag
    assert "Second Day of Christmas" in message(run, "evaluation-on-holiday")


def test_evaluation_on_holiday_cleared_by_cancelling_it(
    run: Run, today: Callable[[str], None]
) -> None:
    today("2026-12-01")
    case(run)
    run("eval", "schedule", REF, "--every", "1w", "--weekday", "fri", "--start", "2026-12-04")
    run("eval", "cancel", REF, "2026-12-25", "--reason", "kerst")
    assert codes(run) == []


def test_goal_overdue_cleared_by_done(run: Run, today: Callable[[str], None]) -> None:
    case(run)
    run("goal", "add", REF, "Woning schoon", "--due", "2026-11-20")
    run("goal", "add", REF, "Dagbesteding", "--due", "2026-11-25")
    assert codes(run) == ["goal-overdue"]  # due today is not overdue
    assert message(run, "goal-overdue").startswith("goal 1 (Woning schoon) was due 2026-11-20")
    run("goal", "done", REF, "1")
    assert codes(run) == []
    today("2026-11-26")
    assert codes(run) == ["goal-overdue"]
    run("goal", "done", REF, "2", "--dropped")
    assert codes(run) == []


def test_safety_signal_clears_with_time(run: Run, today: Callable[[str], None]) -> None:
    case(run)
    run("log", REF, "ex staat voor de deur", "--kind", "message", "--date", "2026-11-20")
    assert codes(run) == []
    run("log", REF, "dreigende berichten", "--kind", "message", "--date", "2026-11-21", "--signal")
    assert codes(run) == ["safety-signal"]
    assert "2026-11-21" in message(run, "safety-signal")
    today("2026-12-04")
    assert codes(run) == ["safety-signal"]  # 13 days ago
    today("2026-12-05")
    assert codes(run) == []
