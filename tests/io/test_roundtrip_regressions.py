"""States the commands reach that an export once could not bring back, each by name: the export
imports into an empty case file, which then exports the same bytes and shows the same meetings;
imported into the original case file, it changes nothing. And an import naming a partner it
cannot link ends in the file's error lines, not in an unexpected error.

The whole class is explored at random in ``tests/test_state_machine.py``; these are the cases a
practitioner met."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Run, unchanged

REF = "GO-2026-030"
OTHER = "GO-2026-031"


def _case(run: Run, ref: str = REF) -> None:
    run("case", "create", ref, "--title", "Familie Oost", "--opened", "2026-03-02")


def _meetings(run: Run, db: Path | None, first: str, last: str) -> list[dict[str, object]]:
    """The case's evaluations in ``[first, last]``, as ``eval list`` shows them."""
    where = ["--db", str(db)] if db is not None else []
    found = run(*where, "eval", "list", REF, "--from", first, "--to", last, "-f", "json").json()
    return list(found)


def _restore(run: Run, tmp_path: Path, *only: str) -> tuple[str, Path]:
    """Export (the whole file, or ``--case REF``), import into an empty case file, export again:
    the same bytes; the export imported into the original changes nothing."""
    exported = run("export", *only).stdout
    restored = tmp_path / "restored" / "caseload.db"
    run("--db", str(restored), "import", "-", input=exported)
    assert run("--db", str(restored), "export", *only).stdout == exported
    with unchanged():
        assert run("import", "-", input=exported).stdout.endswith("nothing to change\n")
    return exported, restored


# ---------------------------------------------------------------- a meeting after the stop


@pytest.mark.parametrize("series", [1, 2], ids=["one series", "two series"])
@pytest.mark.parametrize("only", [(), ("--case", REF)], ids=["whole file", "one case"])
def test_a_cancelled_meeting_after_the_stop_comes_back(
    run: Run, tmp_path: Path, series: int, only: tuple[str, ...]
) -> None:
    """Cancel the Christmas meeting of a weekly series, then stop the series from 10 December:
    the cancellation (and its reason) is kept, and the backup restores."""
    _case(run)
    _case(run, OTHER)
    run("eval", "schedule", REF, "--every", "1w", "--weekday", "fri", "--start", "2026-11-06")
    if series == 2:
        run("eval", "schedule", REF, "--every", "2w", "--weekday", "fri", "--start", "2026-11-13",
            "--time", "14:00")  # fmt: skip
    run("eval", "cancel", REF, "2026-12-25", "--reason", "kerst", "--time", "10:00")
    run("eval", "stop", REF, "--from", "2026-12-10", "--series", "1")

    exported, restored = _restore(run, tmp_path, *only)

    assert "- date: 2026-12-25\n    status: cancelled\n    series: 0\n    reason: kerst\n" in (
        exported
    )
    assert f"ref: {OTHER}" in exported if not only else f"ref: {OTHER}" not in exported
    assert _meetings(run, restored, "2026-11-01", "2027-01-31") == _meetings(
        run, None, "2026-11-01", "2027-01-31"
    )


def test_a_cancelled_meeting_of_a_series_stopped_before_it_began_comes_back(
    run: Run, tmp_path: Path
) -> None:
    _case(run)
    run("eval", "schedule", REF, "--every", "1w", "--start", "2026-12-04")
    run("eval", "cancel", REF, "2026-12-04", "--reason", "ziek")
    run("eval", "stop", REF, "--from", "2026-12-04")

    exported, _ = _restore(run, tmp_path)

    assert "status: cancelled" in exported


def test_a_meeting_moved_to_before_the_stop_and_held_there_stays_in_its_series(
    run: Run, tmp_path: Path
) -> None:
    """The 20 November meeting was moved to the 13th, at another time, and held there; the
    series stopped from the 14th. Restored, it is still that series' meeting, not an extra."""
    _case(run)
    run("eval", "schedule", REF, "--every", "1w", "--weekday", "fri", "--start", "2026-10-02")
    run("eval", "move", REF, "2026-11-20", "2026-11-13", "--time", "15:00")
    run("eval", "record", REF, "--date", "2026-11-13", "--time", "15:00", "--risk", "2")
    run("eval", "stop", REF, "--from", "2026-11-14")

    exported, restored = _restore(run, tmp_path)

    assert "- date: 2026-11-20\n    status: held\n    series: 0\n    to: 2026-11-13\n" in exported
    shown = _meetings(run, restored, "2026-11-13", "2026-11-13")
    assert shown == _meetings(run, None, "2026-11-13", "2026-11-13")
    assert [(m["time"], m["status"], m["series"]) for m in shown] == [
        ("10:00", "overdue", 1),
        ("15:00", "held", 1),
    ]


# ---------------------------------------------------------------- extra meetings


def test_an_extra_meeting_on_a_day_its_series_moved_away_from_comes_back(
    run: Run, tmp_path: Path
) -> None:
    """The series' meeting of 20 November moved to the 19th; a crisis meeting was held on the
    20th itself. Both are kept, each as what it is."""
    _case(run)
    run("eval", "schedule", REF, "--every", "1w", "--weekday", "fri", "--start", "2026-10-02")
    run("eval", "move", REF, "2026-11-20", "2026-11-19")
    run("eval", "record", REF, "--date", "2026-11-19", "--risk", "3")
    run("eval", "record", REF, "--date", "2026-11-20", "--time", "16:00", "--risk", "4")

    exported, restored = _restore(run, tmp_path)

    assert "- date: 2026-11-20\n    status: held\n    extra: true\n    time: '16:00'\n" in exported
    shown = _meetings(run, restored, "2026-11-19", "2026-11-20")
    assert shown == _meetings(run, None, "2026-11-19", "2026-11-20")
    assert [(m["date"], m["series"]) for m in shown] == [("2026-11-19", 1), ("2026-11-20", None)]


def test_an_extra_meeting_before_its_day_joined_a_series_stays_extra(
    run: Run, tmp_path: Path
) -> None:
    """A crisis meeting on Friday 13 November, then a weekly series on Fridays planned from
    October: the crisis meeting stays an extra meeting and the series' own meeting of that day
    stays to be recorded."""
    _case(run)
    run("eval", "record", REF, "--date", "2026-11-13", "--note", "crisisoverleg")
    run("eval", "schedule", REF, "--every", "1w", "--weekday", "fri", "--start", "2026-10-02")

    _, restored = _restore(run, tmp_path)

    shown = _meetings(run, restored, "2026-11-13", "2026-11-13")
    assert shown == _meetings(run, None, "2026-11-13", "2026-11-13")
    assert sorted((m["status"], m["series"] is None) for m in shown) == [
        ("held", True),
        ("overdue", False),
    ]


# ---------------------------------------------------------------- a partner no longer linked


@pytest.mark.parametrize("only", [(), ("--case", REF)], ids=["whole file", "one case"])
def test_who_took_part_stays_when_their_partner_is_unlinked(
    run: Run, tmp_path: Path, only: tuple[str, ...]
) -> None:
    """The school's mentor was phoned and attended an evaluation, then the school was unlinked:
    the contact and the meeting still name the mentor, and the backup (or the access request's
    export, which then carries the mentor's directory entry) restores them."""
    _case(run)
    run("member", "add", REF, "Eva Oost", "--role", "victim")
    run("partner", "add", "P. Leraar", "--organisation", "OBS De Linde", "--kind", "school",
        "--key", "school")  # fmt: skip
    run("partner", "link", REF, "school")
    run("eval", "schedule", REF, "--every", "1w", "--weekday", "fri", "--start", "2026-11-06",
        "--with", "m1,school")  # fmt: skip
    run("eval", "record", REF, "--date", "2026-11-13", "--attended", "m1,school")
    run("log", REF, "mentor gebeld", "--kind", "phone", "--with", "school", "--date", "2026-11-16")
    run("partner", "unlink", REF, "school")

    exported, restored = _restore(run, tmp_path, *only)

    assert "- key: school\n" in exported
    assert "    with: [school]\n" in exported
    assert "    attended: [m1, school]\n" in exported
    for listing in (("log", "list", REF), ("eval", "show", REF, "2026-11-13")):
        shown = run("--db", str(restored), *listing, "-f", "json").stdout
        assert shown == run(*listing, "-f", "json").stdout


# ---------------------------------------------------------------- written by hand

STOPPED = """\
version: 1
cases:
- ref: GO-2026-050
  title: Familie Zuid
  opened: 2026-03-02
  phase: 2
  evaluations:
  - {every: 1w, weekday: fri, start: 2026-11-06, stopped: 2026-12-10}
  - {every: 2w, weekday: fri, start: 2026-11-13, time: '14:00', stopped: STOP}
  meetings:
  - MEETING
"""


def _import(run: Run, tmp_path: Path, text: str, ok: bool = True) -> str:
    source = tmp_path / "zuid.yaml"
    source.write_text(text, encoding="utf-8")
    if ok:
        return run("import", str(source)).stdout
    with unchanged():
        result = run("import", str(source), ok=False)
    assert result.stderr.splitlines()[-1].endswith("nothing was imported"), result.stderr
    return "\n".join(line.split(": ", 1)[1] for line in result.stderr.splitlines()[:-1])


def test_a_cancelled_meeting_after_the_stop_belongs_to_the_series_that_had_it(
    run: Run, tmp_path: Path
) -> None:
    """Without ``series``: the one stopped series whose dates held the day (the other, running
    series meets on other Fridays)."""
    text = STOPPED.replace("STOP", "2027-06-01")
    _import(run, tmp_path, text.replace("MEETING", "{date: 2026-12-18, status: cancelled}"))

    assert "- date: 2026-12-18\n    status: cancelled\n    series: 0\n" in run("export").stdout


def test_a_cancelled_meeting_two_stopped_series_had_needs_its_series(
    run: Run, tmp_path: Path
) -> None:
    text = STOPPED.replace("STOP", "2026-12-10")
    errors = _import(
        run, tmp_path, text.replace("MEETING", "{date: 2026-12-25, status: cancelled}"), ok=False
    )

    assert errors == (
        "cases[0].meetings[0].series: 2 series meet on 2026-12-25: say which with series: N "
        "(counted from 0)"
    )


@pytest.mark.parametrize(
    ("meeting", "error"),
    [
        (
            "{date: 2026-11-13, status: cancelled, extra: true}",
            "cases[0].meetings[0].extra: an extra meeting is held: only a series' meeting is "
            "cancelled",
        ),
        (
            "{date: 2026-11-13, status: held, extra: true, series: 0}",
            "cases[0].meetings[0].extra: an extra meeting belongs to no series: give series or "
            "extra, not both",
        ),
        (
            "{date: 2026-11-13, status: held, extra: yes}",
            "cases[0].meetings[0].extra: expected true or false, not 'yes'",
        ),
    ],
)
def test_an_extra_meeting_is_a_held_one_outside_every_series(
    run: Run, tmp_path: Path, meeting: str, error: str
) -> None:
    text = STOPPED.replace("STOP", "2027-06-01").replace("MEETING", meeting)
    assert _import(run, tmp_path, text, ok=False) == error


def test_an_extra_meeting_on_a_series_day_and_that_days_meeting_are_two(
    run: Run, tmp_path: Path
) -> None:
    text = STOPPED.replace("STOP", "2027-06-01").replace(
        "MEETING",
        "{date: 2026-11-13, status: held, extra: true, time: '8:00'}\n"
        "  - {date: 2026-11-13, status: held, series: 0}",
    )
    _import(run, tmp_path, text)

    shown = run("eval", "list", "GO-2026-050", "--from", "2026-11-13", "--to", "2026-11-13",
                "-f", "json").json()  # fmt: skip
    assert [(m["time"], m["status"], m["series"]) for m in shown] == [
        ("08:00", "held", None),
        ("10:00", "held", 1),
        ("14:00", "overdue", 2),
    ]


UNLINKED = """\
version: 1
partners:
- {key: school, name: P. Leraar, organisation: OBS De Linde, kind: school}
cases:
- ref: GO-2026-060
  title: Familie Noord
  opened: 2026-03-02
  phase: 2
  members:
  - {key: m1, name: Eva Noord, role: victim}
  evaluations:
  - {every: 1w, weekday: fri, start: 2026-11-06, with: [WITH]}
  contacts:
  - {date: 2026-11-16, kind: phone, note: mentor gebeld, with: [school]}
"""


def test_a_contact_may_name_a_partner_of_the_directory_the_case_does_not_link(
    run: Run, tmp_path: Path
) -> None:
    _import(run, tmp_path, UNLINKED.replace("WITH", "m1"))

    contacts = run("log", "list", "GO-2026-060", "-f", "json").json()
    assert [c["with"] for c in contacts] == [["school"]]


def test_a_series_invites_only_members_and_linked_partners(run: Run, tmp_path: Path) -> None:
    errors = _import(run, tmp_path, UNLINKED.replace("WITH", "m1, school"), ok=False)

    assert errors == (
        "cases[0].evaluations[0].with: attendee school is neither a member nor a partner of "
        "this case"
    )


# ---------------------------------------------------------------- a partner the case cannot link

GHOST = """\
version: 1
cases:
- ref: GO-2026-040
  title: Familie West
  opened: 2026-03-02
  phase: 2
  members:
  - {key: m1, name: Eva West, role: victim}
  partners:
  - {partner: ghost}
  evaluations:
  - {every: 1w, start: 2026-10-02, with: [WITH_SERIES]}
  meetings:
  - {date: 2026-10-02, status: held, attended: [WITH_MEETING]}
  contacts:
  - {date: 2026-10-01, kind: phone, note: gebeld, with: [WITH_CONTACT]}
"""


@pytest.mark.parametrize("where", ["SERIES", "MEETING", "CONTACT", "ALL"])
def test_an_unknown_partner_named_in_a_case_is_an_error_line_of_the_file(
    run: Run, tmp_path: Path, where: str
) -> None:
    """The partner ``ghost`` is in neither directory, so the case cannot link it; a series, a
    meeting or a contact that names it gets no extra error, and nothing is imported."""
    text = GHOST
    for place in ("SERIES", "MEETING", "CONTACT"):
        text = text.replace(f"WITH_{place}", "m1, ghost" if where in (place, "ALL") else "m1")
    source = tmp_path / "west.yaml"
    source.write_text(text, encoding="utf-8")

    with unchanged():
        result = run("import", str(source), ok=False)

    assert result.exit_code == 1
    assert "unexpected" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{source}:10: cases[0].partners[0].partner: no partner 'ghost' in the file's partners "
        "or in the case file's directory",
        "error: 1 error; nothing was imported",
    ]


def test_a_dry_run_naming_an_unknown_partner_everywhere_reports_the_link_once(
    run: Run, tmp_path: Path
) -> None:
    text = GHOST
    for place in ("SERIES", "MEETING", "CONTACT"):
        text = text.replace(f"WITH_{place}", "ghost")
    source = tmp_path / "west.yaml"
    source.write_text(text, encoding="utf-8")

    with unchanged():
        result = run("import", str(source), "--dry-run", ok=False)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert [line.split(": ", 2)[1] for line in result.stderr.splitlines()] == [
        "cases[0].partners[0].partner",
        "1 error; nothing was imported",
    ]
