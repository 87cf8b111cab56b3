"""Bad numbers, dates, texts and output paths end in one ``error: …`` line and change nothing;
never in ``error: unexpected …``.

A whole number beyond what every case file holds (a goal number of 23 digits), a date before 1900
or after 2199, a week out of range, a case opened more than 30 years ago, a text longer than its
column, an output path that cannot be written: each is refused where it is typed.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import Run, error_line, make_run, refused, unchanged, usage_error

HUGE = "99999999999999999999999"
PROC = Path("/proc")
needs_proc = pytest.mark.skipif(not (PROC / "self").exists(), reason="no /proc here")


def _with_goal(run: Run, ref: str) -> None:
    run("goal", "add", ref, "Veilig thuis wonen")
    run("eval", "schedule", ref, "--every", "2w", "--start", "2026-03-03")


# --- whole numbers ------------------------------------------------------------------------------

NUMBER_COMMANDS = [
    ("goal", "done", "{ref}", "{n}"),
    ("goal", "reopen", "{ref}", "{n}"),
    ("goal", "edit", "{ref}", "{n}", "--goal", "Anders"),
    ("eval", "stop", "{ref}", "--series", "{n}"),
    ("eval", "record", "{ref}", "--risk", "{n}"),
    ("eval", "record", "{ref}", "--self-reliance", "{n}"),
    ("phase", "set", "{ref}", "{n}", "--reason", "x"),
    ("status", "--phase", "{n}"),
    ("case", "list", "--phase", "{n}"),
    ("case", "create", "GO-2026-900", "--title", "x", "--phase", "{n}"),
    ("case", "edit", "{ref}", "--phase", "{n}"),
]


def _line(template: tuple[str, ...], ref: str, n: str) -> list[str]:
    return [part.format(ref=ref, n=n) for part in template]


@pytest.mark.parametrize("template", NUMBER_COMMANDS, ids=" ".join)
def test_a_number_too_large_for_the_case_file_is_refused(
    run: Run, family: str, template: tuple[str, ...]
) -> None:
    _with_goal(run, family)
    line = refused(run, *_line(template, family, HUGE))
    at = template.index("{n}")
    named = template[at - 1] if template[at - 1].startswith("--") else template[0].upper()
    assert line == f"error: invalid value for '{named}': {HUGE} is too large (at most 2147483647)"


def test_the_largest_number_reaches_the_command(run: Run, family: str) -> None:
    _with_goal(run, family)
    refused(run, "goal", "done", family, "2147483647", match="has no goal 2147483647")
    refused(run, "goal", "done", family, "2147483648", match="too large (at most 2147483647)")
    refused(run, "goal", "done", family, "--", f"-{HUGE}", match="too small (at least -2147483647)")
    refused(run, "eval", "stop", family, "--series", "2147483647", match="no evaluation series")


def test_a_number_that_is_no_number_stays_a_usage_error(run: Run, family: str) -> None:
    usage_error(run, "goal", "done", family, "abc", match="is not a valid integer")


# --- dates and weeks ----------------------------------------------------------------------------

OUT_OF_RANGE = "dates run from 1900-01-01 to 2199-12-31"


@pytest.mark.parametrize(
    "args",
    [
        ("audit", "--since", "0001-01-01"),
        ("audit", "--since", "9999-12-31"),
        ("eval", "list", "{ref}", "--from", "9999-12-31"),
        ("eval", "list", "--to", "0001-01-01"),
        ("eval", "list", "{ref}", "--from", "+9999w"),
        ("log", "list", "{ref}", "--from", "1899-12-31"),
        ("goal", "add", "{ref}", "Doel", "--due", "2200-01-01"),
        ("member", "add", "{ref}", "Oma", "--role", "grandparent", "--born", "31-12-1899"),
        ("case", "create", "GO-2026-900", "--title", "x", "--opened", "0001-01-01"),
        ("case", "edit", "{ref}", "--plan-signed", "9999-12-31"),
        ("eval", "schedule", "{ref}", "--every", "1w", "--until", "9999-12-31"),
        ("eval", "cancel", "{ref}", "9999-12-31"),
    ],
    ids=" ".join,
)
def test_a_date_before_1900_or_after_2199_is_refused(
    run: Run, family: str, args: tuple[str, ...]
) -> None:
    refused(run, *(a.format(ref=family) for a in args), match=OUT_OF_RANGE)


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "2200-W01"])
def test_a_week_out_of_range_is_refused(run: Run, family: str, week: str) -> None:
    refused(run, "week", "--week", week, match="weeks run from 1900-W01 to 2199-W52")


def test_the_first_and_last_weeks_print(run: Run, family: str) -> None:
    assert "1900-W01" in run("week", "--week", "1900-W01").stdout
    assert "2199-W52" in run("week", "--week", "2199-W52").stdout


def test_a_pinned_day_out_of_range_names_the_variable(
    run: Run, family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICRCTL_TODAY", "0001-01-01")
    refused(run, "status", match=f"$ICRCTL_TODAY: invalid date '0001-01-01': {OUT_OF_RANGE}")


# --- the day a case opened ----------------------------------------------------------------------


def test_a_case_opened_more_than_thirty_years_ago_is_refused(run: Run, family: str) -> None:
    refused(
        run,
        "case",
        "create",
        "GO-1996-001",
        "--title",
        "Familie Oud",
        "--opened",
        "1996-11-24",
        match="opened 1996-11-24 lies more than 30 years ago (before 1996-11-25)",
    )
    refused(run, "case", "edit", family, "--opened", "24-11-1996", match="more than 30 years ago")
    refused(run, "case", "create", "GO-2027-001", "--title", "x", "--opened", "+1d")


def test_a_case_opened_thirty_years_ago_to_the_day_is_taken(run: Run) -> None:
    run("case", "create", "GO-1996-001", "--title", "Familie Oud", "--opened", "1996-11-25")
    assert run("case", "show", "GO-1996-001", "-f", "json").json()["opened"] == "1996-11-25"


# --- the length of a text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("case", "create", "GO-2026-900", "--title", "t" * 100_000), "title is 100000 characters"),
        (("case", "create", "G" * 65, "--title", "x"), "ref is 65 characters; at most 64"),
        (("case", "edit", "{ref}", "--title", "t" * 201), "title is 201 characters; at most 200"),
        (("case", "edit", "{ref}", "--regisseur", "r" * 201), "regisseur is 201 characters"),
        (("member", "add", "{ref}", "n" * 201, "--role", "child"), "name is 201 characters"),
        (("member", "add", "{ref}", "Kim", "--role", "child", "--key", "k" * 65), "key is 65"),
        (("member", "add", "{ref}", "Kim", "--role", "child", "--phone", "6" * 65), "phone is 65"),
        (("member", "edit", "{ref}", "m1", "--email", "e" * 201), "email is 201 characters"),
        (
            ("partner", "add", "Jan", "--organisation", "o" * 201, "--kind", "school"),
            "organisation is 201 characters; at most 200",
        ),
    ],
    ids=lambda v: v[0] if isinstance(v, tuple) else v[:30],
)
def test_a_text_longer_than_its_column_is_refused_with_the_limit(
    run: Run, family: str, args: tuple[str, ...], message: str
) -> None:
    refused(run, *(a.format(ref=family) for a in args), match=message)


def test_a_text_that_fills_its_column_is_stored(run: Run, family: str) -> None:
    run("case", "edit", family, "--title", "t" * 200)
    assert run("case", "show", family, "-f", "json").json()["title"] == "t" * 200


def test_a_key_made_from_a_long_name_fits_a_key(run: Run) -> None:
    run("partner", "add", "Anna " + "b" * 194, "--organisation", "Wijkteam", "--kind", "school")
    run("partner", "add", "Anna " + "b" * 194, "--organisation", "Ggz", "--kind", "school")
    keys = [p["key"] for p in run("partner", "list", "-f", "json").json()]
    assert all(len(key) <= 64 for key in keys), keys
    assert keys == sorted({keys[0], keys[0] + "-2"})


# --- output paths -------------------------------------------------------------------------------


@needs_proc
@pytest.mark.parametrize(
    "args",
    [
        ("export", "--out", "/proc/nope.yaml"),
        ("eval", "ics", "--out", "/proc/nope.ics"),
        ("werkplan", "{ref}", "--out", "/proc/nope.md"),
        ("report", "{ref}", "--out", "/proc/nope.html"),
        ("backup", "/proc/nope.db"),
        ("week", "--html", "/proc/nope.html"),
        ("week", "--markdown", "/proc/nope.md"),
    ],
    ids=" ".join,
)
def test_an_unwritable_output_path_is_named_with_the_reason(
    run: Run, family: str, args: tuple[str, ...]
) -> None:
    target = next(a for a in args if a.startswith("/proc/"))
    refused(
        run,
        *(a.format(ref=family) for a in args),
        match=f"error: cannot write {target}: No such file or directory",
    )


def test_an_output_path_in_a_missing_folder_or_under_a_file(
    run: Run, family: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing" / "x.yaml"
    refused(run, "export", "--out", str(missing), match=f"{tmp_path / 'missing'} does not exist")
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    refused(run, "export", "--out", str(plain / "x.yaml"), match=f"{plain} is not a folder")
    refused(run, "backup", str(plain / "x.db"), match=f"cannot write {plain / 'x.db'}")


def test_an_output_name_too_long_for_the_file_system(run: Run, family: str, tmp_path: Path) -> None:
    long = tmp_path / ("x" * 300 + ".yaml")
    refused(run, "export", "--out", str(long), match=f"error: cannot write {long}: File name too")
    html = tmp_path / ("y" * 300 + ".html")
    refused(run, "week", "--html", str(html), match=f"error: cannot write {html}: File name too")
    db = tmp_path / ("z" * 300 + ".db")
    refused(run, "backup", str(db), match=f"error: cannot write {db}: File name too long")


def test_a_case_file_that_cannot_be_made_and_a_backup_that_cannot_be_read(
    run: Run, family: str, tmp_path: Path
) -> None:
    long = tmp_path / ("c" * 300 + ".db")
    line = error_line(run("--db", str(long), "status", ok=False))
    assert line == f"error: cannot use the case file {long}: File name too long"
    if PROC.is_dir():
        line = error_line(run("--db", "/proc/nope/caseload.db", "status", ok=False))
        assert line.endswith(
            "cannot use the case file /proc/nope/caseload.db: No such file or directory"
        )
    long = tmp_path / ("b" * 300 + ".db")
    own = str(tmp_path / "own" / "caseload.db")  # restore replaces an SQLite file only
    refused(
        run,
        "--db",
        own,
        "restore",
        str(long),
        "--yes",
        match=f"cannot read {long}: File name too long",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_output_folder_without_permission(run: Run, family: str, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    refused(run, "export", "--out", str(locked / "x.yaml"), match="Permission denied")
    refused(run, "eval", "ics", "--out", str(locked / "x.ics"), match="Permission denied")


# --- whatever is typed: never "unexpected" ------------------------------------------------------

numbers = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.integers(-(2**31), 2**31).map(str),
    st.text(alphabet="0123456789-+ x", max_size=30),
)
dates = st.one_of(
    st.sampled_from(["0001-01-01", "1-1-0001", "9999-12-31", "31-12-9999", "1899-12-31"]),
    st.sampled_from(["2200-01-01", "9999-W52", "0001-W01", "+9999w", "-9999w", "+9999d"]),
    st.dates(max_value=date(1, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(min_value=date(9999, 1, 1)).map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.day}-{d.month}-{d.year:04d}"),
    st.builds(
        lambda s, n, u: f"{s}{n}{u}",
        st.sampled_from("+-"),
        st.integers(0, 9999),
        st.sampled_from("dw"),
    ),
    st.from_regex(r"\A[0-9]{4}-W[0-9]{1,2}\Z"),
    st.text(max_size=20),
)
DATE_COMMANDS = [
    ("audit", "--since", "{d}"),
    ("eval", "list", "{ref}", "--from", "{d}"),
    ("eval", "list", "--to", "{d}"),
    ("log", "list", "{ref}", "--to", "{d}"),
    ("goal", "add", "{ref}", "Doel", "--due", "{d}"),
    ("case", "create", "GO-2026-901", "--title", "x", "--opened", "{d}"),
    ("member", "add", "{ref}", "Kim", "--role", "child", "--born", "{d}"),
    ("eval", "cancel", "{ref}", "{d}"),
    ("phase", "history", "{ref}"),
    ("week", "--week", "{d}"),
]


def _never_unexpected(run: Run, args: list[str]) -> None:
    result = run(*args, ok=None)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    assert "error: unexpected" not in result.stderr, (args, result.stderr)
    assert "Traceback" not in result.stderr, (args, result.stderr)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(template=st.sampled_from(NUMBER_COMMANDS), n=numbers)
def test_no_number_ends_in_unexpected(family: str, template: tuple[str, ...], n: str) -> None:
    args = _line(template, family, n)
    at = template.index("{n}")
    if n.startswith("-") and template[at - 1].startswith("--"):  # --series=-5
        args[at - 1 : at + 1] = [f"{args[at - 1]}={n}"]
    elif n.startswith("-"):  # a negative argument comes after -- (and the options before it)
        args = [*args[:at], *args[at + 1 :], "--", n]
    _never_unexpected(make_run(), args)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(template=st.sampled_from(DATE_COMMANDS), d=dates)
def test_no_date_ends_in_unexpected(family: str, template: tuple[str, ...], d: str) -> None:
    _never_unexpected(make_run(), [p.format(ref=family, d=d) for p in template])


def test_the_listed_crashes_of_the_report_now_change_nothing(run: Run, family: str) -> None:
    """The four lines of the practitioner's report, each now one error line."""
    _with_goal(run, family)
    with unchanged():
        for args in (
            ("goal", "done", family, HUGE),
            ("audit", "--since", "9999-12-31"),
            ("week", "--week", "9999-W52"),
        ):
            result = run(*args, ok=False)
            assert result.exit_code == 1
            assert result.stderr.startswith("error: ")
            assert "unexpected" not in result.stderr
    if PROC.is_dir():
        refused(run, "export", "--out", "/proc/nope.yaml", match="cannot write /proc/nope.yaml")
    assert json.loads(run("goal", "list", family, "-f", "json").stdout)[0]["status"] == "open"


@pytest.mark.parametrize(
    ("value", "waits"),
    [("²", 10_000), ("١٢", 10_000), (HUGE, 10_000), ("-5", 10_000), (" 2500 ", 2500)],
)
def test_a_busy_timeout_that_is_no_plain_number_waits_the_default(
    run: Run, family: str, monkeypatch: pytest.MonkeyPatch, value: str, waits: int
) -> None:
    from icrctl.db.engine import busy_timeout_ms

    monkeypatch.setenv("ICRCTL_BUSY_TIMEOUT_MS", value)
    assert busy_timeout_ms() == waits
    assert family in run("case", "list").stdout
