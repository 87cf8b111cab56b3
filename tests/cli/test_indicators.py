"""``icrctl indicator``: scoring the ICR study's indicators per case, the suggestions beside them,
the caseload summed as the study did, and the scores in the import/export file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.helpers import FAMILY_REF, Run, refused, snapshot

STUDY = Path(__file__).parent.parent / "data" / "icr_study.yaml"
#: The study's column (its table 2.1), in the table's order.
STUDY_COLUMN = [
    "++",
    "++",
    "++",
    "+",
    "+",
    "0",
    "++",
    "++",
    "++",
    "++",
    "++",
    "+",
    "++",
    "++",
    "++",
    "++",
    "0",
    "++",
]


def _scores(run: Run, *args: str) -> list[str | None]:
    return [r["score"] for r in run("indicator", "summary", *args, "-f", "json").json()]


def _listed(run: Run, ref: str) -> dict[str, dict[str, object]]:
    return {r["key"]: r for r in run("indicator", "list", ref, "-f", "json").json()}


# --- set and list ---------------------------------------------------------------------------


def test_set_then_list(run: Run, family: str) -> None:
    out = run(
        "indicator", "set", family, "all_members_in_analysis", "++", "--note", "hele gezin",
        "--date", "2026-04-01",
    )  # fmt: skip
    assert out.stdout == f"all_members_in_analysis of {family} scored ++ on 2026-04-01\n"
    rows = run("indicator", "list", family, "-f", "json").json()
    assert len(rows) == 18
    assert [r["number"] for r in rows] == list(range(1, 19))
    first = rows[0]
    assert first == {
        "number": 1,
        "key": "all_members_in_analysis",
        "indicator": "Alle gezinsleden betrokken bij probleemanalyse?",
        "closed_only": False,
        "score": "++",
        "note": "hele gezin",
        "date": "2026-04-01",
        "suggested": None,
        "basis": {"family": 2, "present": 0, "evaluations": 0},
    }
    assert all(r["score"] is None for r in rows[1:])
    assert rows[12]["closed_only"] is True


def test_a_second_score_replaces_the_first_and_is_audited(run: Run, family: str) -> None:
    run("indicator", "set", family, "safety_in_view", "+", "--note", "eerst")
    out = run("indicator", "set", family, "16", "plusplus")
    assert out.stdout.endswith("scored ++ on 2026-11-25 (replaced)\n")
    row = _listed(run, family)["safety_in_view"]
    assert (row["score"], row["note"]) == ("++", None)
    audit = run("audit", family, "-f", "json").json()
    mine = [(a["action"], a["entity"], a["fields"]) for a in audit if a["entity"] == "indicator"]
    assert mine == [
        ("create", "indicator", "safety_in_view"),
        ("update", "indicator", "safety_in_view"),
    ]


@pytest.mark.parametrize("args", [["-"], ["min"], ["--", "-"], ["M"]])
def test_minus_is_passed_as_it_is(run: Run, family: str, args: list[str]) -> None:
    run("indicator", "set", family, "reports_decrease", *args)
    assert _listed(run, family)["reports_decrease"]["score"] == "-"


def test_minus_with_options_after_it(run: Run, family: str) -> None:
    run("indicator", "set", family, "reports_decrease", "-", "--note", "meer meldingen")
    assert _listed(run, family)["reports_decrease"]["note"] == "meer meldingen"


@pytest.mark.parametrize("args", [["--"], ["--", "--"], ["--note", "x", "--"]])
def test_double_minus_is_refused_in_one_line(run: Run, family: str, args: list[str]) -> None:
    message = refused(run, "indicator", "set", family, "reports_decrease", *args)
    assert message == "error: the study's scale has no score '--'; the lowest is '-' (min)"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["NOPE-1", "family_support", "+"], "no case 'NOPE-1'"),
        ([FAMILY_REF, "happiness", "+"], "unknown indicator 'happiness'"),
        ([FAMILY_REF, "19", "+"], "unknown indicator '19'"),
        ([FAMILY_REF, "family_support", "+++"], "unknown score '+++'"),
        ([FAMILY_REF, "family_support", "goed"], "expected one of: ++ (plusplus)"),
        ([FAMILY_REF, "family_support", "+", "--date", "+1d"], "is in the future"),
        ([FAMILY_REF, "family_support", "+", "--date", "2026-03-01"], "before the case opened"),
        ([FAMILY_REF, "family_support", "+", "--note", "a\x1bb"], "control character"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    run: Run, family: str, args: list[str], match: str
) -> None:
    refused(run, "indicator", "set", *args, match=match)


def test_a_closed_only_indicator_of_an_open_case_waits(run: Run, family: str) -> None:
    out = run("indicator", "set", family, "lasting_safety", "++")
    assert "warning: lasting_safety is judged on closed cases only" in out.stderr
    assert _scores(run)[17] is None
    assert _scores(run)[15] is None


def test_list_of_an_unknown_case(run: Run) -> None:
    refused(run, "indicator", "list", "NOPE-1", match="no case 'NOPE-1'")


def test_the_table_shows_score_and_suggestion(
    run: Run, family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    run("indicator", "set", family, "1", "0", "--note", "[bold]vader[/] ontbrak")
    table = run("indicator", "list", family).stdout
    assert "All family members involved" in table
    assert "[bold]vader[/] ontbrak" in table  # stored text, never markup
    assert "no evaluation held yet" in table
    assert "¹ judged on closed cases only" in table


def test_a_narrow_table_keeps_the_suggestion(run: Run, family: str) -> None:
    run("indicator", "set", family, "1", "0")
    header = run("indicator", "list", family).stdout.splitlines()[0]
    assert "score" in header
    assert "suggested" in header


def test_dutch_shows_the_study_s_words_and_json_stays(
    run: Run, family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    run("indicator", "set", family, "1", "+")
    dutch = run("--lang", "nl", "indicator", "list", family).stdout
    assert "Alle gezinsleden betrokken bij probleemanalyse?" in dutch
    assert "nog geen evaluatie gehouden" in dutch
    english = run("indicator", "list", family, "-f", "json").stdout
    assert run("--lang", "nl", "indicator", "list", family, "-f", "json").stdout == english


# --- the summary ----------------------------------------------------------------------------


def test_the_study_s_caseload_gives_the_study_s_column(run: Run) -> None:
    run("import", str(STUDY))
    rows = run("indicator", "summary", "-f", "json").json()
    assert [r["score"] for r in rows] == STUDY_COLUMN
    assert list(rows[0]) == ["key", "indicator", "score", "mean", "cases", "example"]
    first = rows[0]
    assert first["indicator"] == "Alle gezinsleden betrokken bij probleemanalyse?"
    assert (first["mean"], first["cases"]) == (1.64, 14)
    assert first["example"] == "vader, moeder en beide kinderen bij de eerste evaluatie"
    closed_only = {r["key"]: r["cases"] for r in rows if r["key"] in ("help_fits_risks",
                   "risks_reduced", "regie_returned", "lasting_safety")}  # fmt: skip
    assert set(closed_only.values()) == {8}
    assert rows[1]["cases"] == 13  # one case has no score for it
    assert rows[11]["mean"] == 0.79  # 11/14: just above the 0.75 of '+'


def test_counting_open_cases_too_would_change_the_closed_only_ones(run: Run) -> None:
    """The ¹ indicators' open cases are scored low in the fixture: they must not count."""
    run("import", str(STUDY))
    for n in range(9, 15):
        run("case", "close", f"ICR-{n:02d}", "--summary", "x", "--safety", "y", "--force",
            "--reason", "test")  # fmt: skip
    assert _scores(run)[12:15] == ["0", "+", "+"]


def test_closed_since_keeps_the_open_cases_and_those_closed_since(run: Run) -> None:
    run("import", str(STUDY))
    # ICR-01 … ICR-08 closed on the 15th of March … October 2026; ICR-09 … ICR-14 open
    rows = run("indicator", "summary", "--closed-since", "2026-09-01", "-f", "json").json()
    assert rows[0]["cases"] == 6 + 2
    assert rows[17]["cases"] == 2  # closed only: ICR-07 and ICR-08
    everything = run("indicator", "summary", "--closed-since", "2000-01-01", "-f", "json").json()
    assert everything == run("indicator", "summary", "-f", "json").json()


def test_an_empty_caseload_has_no_scores(run: Run) -> None:
    rows = run("indicator", "summary", "-f", "json").json()
    assert len(rows) == 18
    assert {(r["score"], r["mean"], r["cases"], r["example"]) for r in rows} == {
        (None, None, 0, None)
    }


def test_summary_as_table_csv_and_markdown(run: Run, family: str) -> None:
    run("indicator", "set", family, "1", "-", "--note", "| *vader* weigert\n=1+1")
    table = run("indicator", "summary").stdout
    assert "-1.00" in table
    assert "| *vader* weigert" in table
    rows = list(csv.DictReader(io.StringIO(run("indicator", "summary", "-f", "csv").stdout)))
    assert list(rows[0]) == ["key", "indicator", "score", "mean", "cases", "example"]
    # a leading - or + is defused for a spreadsheet, as in every CSV of icrctl
    assert (rows[0]["score"], rows[0]["mean"], rows[0]["cases"]) == ("'-", "'-1.0", "1")
    md = run("indicator", "summary", "-f", "md").stdout
    assert md.startswith("# Indicators of intensive case direction\n")
    assert "\\| \\*vader\\* weigert =1+1 |" in md
    assert "| 17 | Fewer reports to Veilig Thuis and the police? | – | – | 0 | – |" in md
    dutch = run("--lang", "nl", "indicator", "summary", "-f", "md").stdout
    assert "| 1 | Alle gezinsleden betrokken bij probleemanalyse? | \\- | -1,00 | 1 |" in dutch


def test_summary_refuses_a_bad_format_and_date(run: Run) -> None:
    assert run("indicator", "summary", "-f", "xml", ok=False).exit_code == 2
    refused(run, "indicator", "summary", "--closed-since", "31-02-2026", match="invalid date")


# --- suggestions from cases built for each rule ---------------------------------------------

RULES = """\
version: 1
partners:
  - {key: vt, name: M. de Vos, organisation: Veilig Thuis, kind: veilig_thuis}
cases:
  - ref: R-1
    title: Gezin R
    opened: 2026-01-05
    stage: execution
    phase: 3
    members:
      - {key: m1, name: Moeder, role: victim, relations: [{to: m3, kind: parent_of}]}
      - {key: m2, name: Vader, role: perpetrator, household: false}
      - {key: m3, name: Kind, role: child}
      - {key: m4, name: Buurvrouw, role: network, household: false}
    partners:
      - {partner: vt, consent: true}
    evaluations:
      - {every: 2w, start: 2026-01-13, until: 2026-03-31, with: [m1, vt]}
    history:
      - {date: 2026-01-05, phase: 2, reason: aanmelding}
      - {date: 2026-03-02, phase: 3, reason: escalatie}
    stages:
      - {date: 2026-01-05, stage: inventory}
      - {date: 2026-02-01, stage: execution}
    meetings:
      - {date: 2026-01-13, status: held, attended: [m1, m3, vt]}
      - {date: 2026-01-27, status: held, attended: [m1], absent: [m3]}
      - {date: 2026-02-10, status: cancelled, reason: ziek}
      - {date: 2026-02-24, status: held, attended: [m1]}
    contacts:
      - {date: 2026-01-20, kind: visit, with: [m1], note: huisbezoek}
      - {date: 2026-02-01, kind: melding, with: [vt], note: melding VT}
      - {date: 2026-02-15, kind: report, note: politiemelding}
      - {date: 2026-02-20, kind: phone, with: [vt], note: overleg VT}
      - {date: 2026-03-01, kind: phone, with: [m1], note: gebeld}
      - {date: 2026-03-10, kind: visit, with: [m1, m3], note: huisbezoek}
      - {date: 2026-09-01, kind: report, note: nieuwe melding}
  - ref: R-2
    title: Gezin S
    opened: 2026-01-05
    phase: 2
    plan_signed: 2026-02-01
"""


@pytest.fixture
def rules(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    run("import", str(path))


def test_suggestions_of_a_case_built_for_the_rules(run: Run, rules: None) -> None:
    rows = _listed(run, "R-1")
    got = {k: (r["suggested"], r["basis"]) for k, r in rows.items() if r["basis"] is not None}
    assert got == {
        # m1 and m3 (the household) were both at one of the first two held evaluations
        "all_members_in_analysis": ("++", {"family": 2, "present": 2, "evaluations": 2}),
        # m1 and m3 of four members are in a relation
        "systemic_insight": ("0", {"members": 4, "related": 2}),
        # no signed plan, and the case is in execution
        "all_members_in_plan": ("-", {}),
        # 01-05..01-20 (15 < 30), 01-20..03-01 (40), 03-01..03-10 (9 < 30, began in phase 2),
        # 03-10..11-25 (phase 3, 14)
        "purposeful_family_contact": ("0", {"stretches": 4, "within_limit": 2}),
        # six meetings due (01-13 … 03-24), three held
        "monitoring_partners": ("0", {"due": 6, "held": 3}),
        # two reports before the middle day (2026-06-16), one after
        "reports_decrease": ("+", {"first_half": 2, "last_half": 1}),
    }
    assert all(r["score"] is None for r in rows.values())  # a suggestion never scores


def test_what_a_bare_case_can_tell(run: Run, rules: None) -> None:
    rows = _listed(run, "R-2")
    suggested = {k: r["suggested"] for k, r in rows.items() if r["suggested"] is not None}
    # no contact at all since the opening, in phase 2: one stretch, far over 30 days
    assert suggested == {"all_members_in_plan": "+", "purposeful_family_contact": "-"}
    assert rows["all_members_in_plan"]["basis"] == {"signed": "2026-02-01"}


def test_a_report_logged_today_is_in_the_last_half(run: Run, rules: None) -> None:
    run("log", "R-1", "melding politie", "--kind", "melding")
    assert _listed(run, "R-1")["reports_decrease"]["basis"] == {"first_half": 2, "last_half": 2}


# --- import and export ----------------------------------------------------------------------


def test_the_study_s_caseload_round_trip(run: Run, tmp_path: Path) -> None:
    run("import", str(STUDY))
    first = tmp_path / "first.yaml"
    run("export", "--out", str(first))
    text = first.read_text(encoding="utf-8")
    assert "  indicators:\n    all_members_in_analysis:\n      score: ++\n" in text
    assert "      score: '-'\n" in text
    other = tmp_path / "other.db"
    run("--db", str(other), "import", str(first))
    second = tmp_path / "second.yaml"
    run("--db", str(other), "export", "--out", str(second))
    assert second.read_bytes() == first.read_bytes()
    assert run("import", str(first)).stdout.endswith("nothing to change\n")
    assert (
        run("--db", str(other), "indicator", "summary", "-f", "json").json()
        == run("indicator", "summary", "-f", "json").json()
    )


def test_an_import_replaces_a_score_and_keeps_what_it_leaves_out(
    run: Run, family: str, tmp_path: Path
) -> None:
    run("indicator", "set", family, "1", "+", "--date", "2026-04-01")
    run("indicator", "set", family, "2", "0")
    path = tmp_path / "one.yaml"
    path.write_text(
        "version: 1\ncases:\n  - ref: GO-2026-014\n    title: Familie De Vries\n"
        "    opened: 2026-03-02\n    phase: 2\n    indicators:\n"
        "      all_members_in_analysis: {score: plusplus, note: alsnog, date: 2026-05-01}\n",
        encoding="utf-8",
    )
    assert "1 updated" in run("import", str(path)).stdout
    rows = _listed(run, family)
    assert (rows["all_members_in_analysis"]["score"], rows["all_members_in_analysis"]["date"]) == (
        "++",
        "2026-05-01",
    )
    assert rows["systemic_insight"]["score"] == "0"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("happiness: {score: +}", "indicators.happiness: unknown field (allowed: "),
        ("family_support: {score: --}", "the study's scale has no score '--'"),
        ("family_support: {note: x}", "indicators.family_support.score: required"),
        ("family_support: {score: +, date: 2027-01-01}", "2027-01-01 is in the future"),
        ("family_support: {score: +, date: 2025-01-01}", "before the case opened (2026-03-02)"),
        ("family_support: {score: +, by: me}", "family_support.by: unknown field"),
    ],
)
def test_bad_indicators_in_a_file(run: Run, tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\ncases:\n  - ref: X-1\n    title: X\n    opened: 2026-03-02\n    phase: 2\n"
        f"    indicators:\n      {entry}\n",
        encoding="utf-8",
    )
    before = snapshot()
    out = run("import", str(path), ok=False)
    assert message in out.stderr
    assert snapshot() == before


def test_forgetting_a_member_redacts_them_from_the_notes(run: Run, family: str) -> None:
    run("indicator", "set", family, "6", "0", "--note", "Sanne gemotiveerd, Peter niet")
    run("member", "forget", family, "m1", "--reason", "verzoek art. 17 AVG")
    note = _listed(run, family)["family_motivation"]["note"]
    assert note == "[verwijderd] gemotiveerd, Peter niet"
