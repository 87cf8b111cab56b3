"""A series' ``workdays`` in the file format: read (with its Dutch words), checked (meetings on the
moved dates), written, and kept through export → import into an empty case file → export, byte
for byte; an import may not change the workdays of a series the case file holds meetings of."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icrctl.domain.recurrence import CADENCES, Rule, occurrences
from icrctl.io.exportfile import export_text
from icrctl.io.records import CaseFileRec, CaseRec, MeetingRec, SeriesRec
from tests.helpers import TODAY, Run, make_run, unchanged

REF = "GO-2026-301"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

CASE = f"""\
version: 1
cases:
- ref: {REF}
  title: Familie Werkdag
  opened: 2026-01-05
  phase: 2
  stage: execution
  evaluations:
  - every: 1m
    start: 2026-03-05
    workdays: {{workdays}}
  meetings:
{{meetings}}"""

HELD_ON_MONDAY = "  - date: 2026-09-07\n    status: held\n"  # Saturday 5 September moved


def case_file(workdays: str, meetings: str = HELD_ON_MONDAY) -> str:
    return CASE.format(workdays=workdays, meetings=meetings)


def imported(run: Run, text: str, tmp_path: Path, name: str = "in.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run("import", str(path)).stdout


def test_the_export_writes_workdays_and_reads_back_the_same_bytes(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(run, case_file("volgende"), tmp_path)
    first = run("export").stdout
    assert "    workdays: next\n" in first
    assert "  meetings:\n  - date: 2026-09-07\n    status: held\n" in first
    monkeypatch.setenv("ICRCTL_DB", str(tmp_path / "empty" / "caseload.db"))
    run("import", "-", input=first)
    assert run("export").stdout == first
    assert run("import", "-", input=first).stdout.endswith("nothing to change\n")
    [series] = run("eval", "series", REF, "-f", "json").json()
    assert series["workdays"] == "next"


def test_a_series_without_workdays_writes_none(run: Run, tmp_path: Path) -> None:
    meetings = "  - date: 2026-09-05\n    status: held\n"
    imported(
        run, CASE.replace("    workdays: {workdays}\n", "").format(meetings=meetings), tmp_path
    )
    assert "workdays" not in run("export").stdout


def test_other_workdays_are_an_error_with_the_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(case_file("later"), encoding="utf-8")
    result = run("import", str(path), ok=False)
    assert f"{path}:11: cases[0].evaluations[0].workdays: " in result.stderr
    assert "unknown workdays 'later'" in result.stderr
    assert run("case", "list", "--all", "-f", "json").json() == []


def test_a_meeting_on_the_rule_day_it_moved_from_is_no_occurrence(run: Run, tmp_path: Path) -> None:
    cancelled = "  - date: 2026-09-05\n    status: cancelled\n"
    path = tmp_path / "saturday.yaml"
    path.write_text(case_file("next", cancelled), encoding="utf-8")
    result = run("import", str(path), ok=False)
    assert "no evaluation series of this case meets on 2026-09-05" in result.stderr
    # Held there, it is an extra meeting: the series met on the Monday.
    imported(run, case_file("next", "  - date: 2026-09-05\n    status: held\n"), tmp_path)
    [extra] = run(
        "eval", "list", REF, "--from", "2026-09-05", "--to", "2026-09-06", "-f", "json"
    ).json()
    assert extra["series"] is None


def test_previous_puts_the_meeting_on_friday(run: Run, tmp_path: Path) -> None:
    imported(run, case_file("vorige", "  - date: 2026-09-04\n    status: held\n"), tmp_path)
    found = run("eval", "list", REF, "--from", "2026-09-01", "--to", "2026-09-30", "-f", "json")
    assert [(o["date"], o["status"], o["series"]) for o in found.json()] == [
        ("2026-09-04", "held", 1)
    ]


def test_workdays_of_a_series_with_meetings_cannot_change(run: Run, tmp_path: Path) -> None:
    imported(run, case_file("next"), tmp_path)
    path = tmp_path / "changed.yaml"
    path.write_text(case_file("previous", ""), encoding="utf-8")
    with unchanged():
        result = run("import", str(path), ok=False)
    assert f"{path}:9: cases[0].evaluations[0].workdays: " in result.stderr
    assert "(next); they cannot change to previous" in result.stderr
    assert result.stderr.endswith("error: 1 error; nothing was imported\n")


def test_workdays_of_a_series_without_meetings_are_updated(run: Run, tmp_path: Path) -> None:
    imported(run, case_file("next", ""), tmp_path)
    imported(run, case_file("previous", ""), tmp_path, "again.yaml")
    [series] = run("eval", "series", REF, "-f", "json").json()
    assert series["workdays"] == "previous"


# --- property: any series with workdays and meetings on its dates round-trips -------------------


@st.composite
def documents(draw: st.DrawFn) -> CaseFileRec:
    case = CaseRec(
        ref=REF, title="Familie Werkdag", opened=dt.date(2026, 1, 5), phase=2, stage="execution"
    )
    for index in range(draw(st.integers(1, 2))):
        start = dt.date(2026, 1, 5) + dt.timedelta(days=draw(st.integers(0, 500)))
        s = SeriesRec(
            every=draw(st.sampled_from(CADENCES)),
            start=start,
            time=draw(st.sampled_from(["10:00", "14:30"])),
            weekday=draw(st.none() | st.sampled_from(WEEKDAYS)),
            workdays=draw(st.none() | st.sampled_from(["next", "previous"])),
        )
        if draw(st.booleans()):
            s.until = start + dt.timedelta(days=draw(st.integers(0, 300)))
        if draw(st.booleans()):
            s.stopped = start + dt.timedelta(days=draw(st.integers(1, 300)))
        case.evaluations.append(s)
        last = TODAY + dt.timedelta(days=90)
        if s.until is not None:
            last = min(last, s.until)
        if s.stopped is not None:
            last = min(last, s.stopped - dt.timedelta(days=1))
        rule = Rule(s.every, s.start, dt.time(10), s.weekday, s.until, s.workdays)
        days = occurrences(rule, start, last)
        for day in draw(st.lists(st.sampled_from(days), max_size=4, unique=True)) if days else []:
            status = "held" if day <= TODAY else "cancelled"
            case.meetings.append(MeetingRec(date=day, status=status, series=index))
    case.meetings.sort(key=lambda m: (m.date, m.series or 0))
    return CaseFileRec(partners=[], cases=[case])


@pytest.fixture(scope="module")
def empty_case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("empty") / "caseload.db"
    make_run({"ICRCTL_DB": str(db), "ICRCTL_TODAY": TODAY.isoformat()})("export")
    return db


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(doc=documents())
def test_series_with_workdays_round_trip(empty_case_file: Path, doc: CaseFileRec) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        one, two = base / "one" / "caseload.db", base / "two" / "caseload.db"
        for db in (one, two):
            db.parent.mkdir(mode=0o700)
            shutil.copyfile(empty_case_file, db)
        run_one = make_run({"ICRCTL_DB": str(one)})
        run_two = make_run({"ICRCTL_DB": str(two)})
        run_one("import", "-", input=export_text(doc))
        first = run_one("export").stdout
        run_two("import", "-", input=first)
        assert run_two("export").stdout == first
        held = sum(1 for m in doc.cases[0].meetings if m.status == "held")
        listed = run_two(
            "eval", "list", REF, "--from", "2026-01-01", "--to", "2028-12-31", "-f", "json"
        )
        assert sum(1 for o in listed.json() if o["status"] == "held") == held
