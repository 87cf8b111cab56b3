"""Aftercare (nazorg) on the command line: the follow-up contacts planned on entering it, held by
a contact with a member or by ``case aftercare --done``, adjusted by ``--add``/``--drop``; shown
by ``status``, ``week``, ``check``, ``case show`` and the closing report; kept by the closing
checklist; carried by export and import. After closing: a report (melding) only, and within a
year it suggests ``case reopen``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import Run, refused

REF = "GO-2026-050"
DUES = ["2026-09-30", "2026-11-30", "2027-02-28"]
CLOSING = ("--summary", "Doelen behaald.", "--safety", "Geen meldingen meer.")


@pytest.fixture
def case(run: Run) -> str:
    """A case entering aftercare on 31 August 2026 (month ends: 30 November, 28 February)."""
    run("case", "create", REF, "--title", "Familie Zuid", "--opened", "2026-01-05",
        "--plan-signed", "2026-01-10")  # fmt: skip
    run("member", "add", REF, "Eva Zuid", "--role", "victim", "--born", "1990-01-01")
    run("partner", "add", "J. Bakker", "--organisation", "Veilig Thuis", "--kind",
        "veilig_thuis", "--key", "vt-bakker")  # fmt: skip
    run("partner", "link", REF, "vt-bakker", "--consent")
    run("case", "stage", REF, "analysis", "--date", "2026-01-20")
    run("case", "stage", REF, "execution", "--date", "2026-02-01")
    result = run("case", "stage", REF, "aftercare", "--date", "2026-08-31")
    assert result.stdout.splitlines() == [
        f"{REF} is in stage aftercare since 2026-08-31",
        f"aftercare follow-up contacts due: {', '.join(DUES)} ('icrctl case aftercare {REF}')",
    ]
    return REF


def follow_ups(run: Run) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = run("case", "aftercare", REF, "-f", "json").json()
    return rows


def test_entering_aftercare_plans_three_follow_ups(run: Run, case: str) -> None:
    assert follow_ups(run) == [
        {"due": "2026-09-30", "status": "overdue", "done": None, "contact": None},
        {"due": "2026-11-30", "status": "open", "done": None, "contact": None},
        {"due": "2027-02-28", "status": "open", "done": None, "contact": None},
    ]
    lines = run("case", "aftercare", REF).stdout.splitlines()
    assert lines[0].split() == ["due", "┃", "status", "┃", "held", "on", "┃", "contact"]
    assert lines[2].split() == ["2026-09-30", "│", "overdue", "│", "–", "│", "–"]
    assert lines[3].split() == ["2026-11-30", "│", "planned", "│", "–", "│", "–"]


def test_a_contact_with_a_member_holds_the_follow_up_from_14_days_before(
    run: Run, case: str
) -> None:
    # a contact with a partner only, and a report, hold nothing
    run("log", REF, "Afstemming", "--kind", "phone", "--with", "vt-bakker", "--date", "2026-10-01")
    run("log", REF, "Melding", "--kind", "melding", "--with", "m1", "--date", "2026-10-02")
    assert [f["done"] for f in follow_ups(run)] == [None, None, None]
    # late for the first: it holds that one
    result = run("log", REF, "Nabellen", "--kind", "phone", "--with", "m1", "--date", "2026-10-05")
    assert result.stdout.splitlines()[-1] == (
        "it holds the aftercare follow-up contact due 2026-09-30"
    )
    # 15 days before the second: too early; 14 days before: it holds it
    quiet = run("log", REF, "Bezoek", "--kind", "visit", "--with", "m1", "--date", "2026-11-15")
    assert "follow-up" not in quiet.stdout
    run("log", REF, "Bezoek", "--kind", "visit", "--with", "m1", "--date", "2026-11-16")
    contacts = run("log", "list", REF, "-f", "json").json()
    by_date = {c["date"]: c["id"] for c in contacts}
    rows = follow_ups(run)
    assert [(f["due"], f["status"], f["done"]) for f in rows] == [
        ("2026-09-30", "held", "2026-10-05"),
        ("2026-11-30", "held", "2026-11-16"),
        ("2027-02-28", "open", None),
    ]
    assert rows[0]["contact"] == by_date["2026-10-05"]
    assert rows[1]["contact"] == by_date["2026-11-16"]


def test_add_drop_and_done(run: Run, case: str) -> None:
    assert run("case", "aftercare", REF, "--add", "2027-05-01").stdout == (
        f"{REF}: follow-up planned on 2027-05-01\n"
    )
    assert run("case", "aftercare", REF, "--drop", "2027-02-28").stdout == (
        f"{REF}: follow-up due 2027-02-28 dropped\n"
    )
    assert run("case", "aftercare", REF, "--done", "30-09-2026", "--on", "2026-10-02").stdout == (
        f"{REF}: follow-up due 2026-09-30 held on 2026-10-02\n"
    )
    assert [(f["due"], f["done"], f["contact"]) for f in follow_ups(run)] == [
        ("2026-09-30", "2026-10-02", None),
        ("2026-11-30", None, None),
        ("2027-05-01", None, None),
    ]
    audit = [
        e for e in run("audit", REF, "-f", "json").json() if e["entity"] == "aftercare_contact"
    ]
    assert [(e["action"], e["fields"]) for e in audit] == [
        ("create", "due"),
        ("delete", "due"),
        ("update", "done"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--add", "2026-11-30"), f"error: case {REF} already has a follow-up due on 2026-11-30"),
        (
            ("--drop", "2026-12-01"),
            f"error: case {REF} has no follow-up due on 2026-12-01; 'icrctl case aftercare {REF}' "
            "lists them",
        ),
        (("--done", "2026-11-30", "--on", "2026-11-26"), "error: --on 2026-11-26 is in the future"),
        (
            ("--add", "2027-01-01", "--drop", "2026-11-30"),
            "error: give one of --add, --drop, --done at a time, not --add --drop",
        ),
        (("--on", "2026-11-01"), "error: --on goes with --done: the day the follow-up was held"),
        (("--done", "31-02-2027"), "error: invalid date '31-02-2027': no such day"),
    ],
)
def test_refusals_change_nothing(run: Run, case: str, args: tuple[str, ...], message: str) -> None:
    assert refused(run, "case", "aftercare", REF, *args) == message


def test_a_held_follow_up_stays(run: Run, case: str) -> None:
    run("case", "aftercare", REF, "--done", "2026-09-30", "--on", "2026-10-01")
    assert refused(run, "case", "aftercare", REF, "--drop", "2026-09-30") == (
        "error: the follow-up due on 2026-09-30 was held on 2026-10-01: a held follow-up stays in "
        "the record"
    )
    assert refused(run, "case", "aftercare", REF, "--done", "2026-09-30") == (
        "error: the follow-up due on 2026-09-30 was already held on 2026-10-01"
    )


def test_add_needs_aftercare(run: Run, case: str) -> None:
    run("case", "aftercare", REF, "--done", "2026-09-30", "--on", "2026-10-01")
    run("case", "stage", REF, "execution")
    # leaving aftercare cancels what was not held; the held one stays
    assert [(f["due"], f["status"]) for f in follow_ups(run)] == [("2026-09-30", "held")]
    assert refused(run, "case", "aftercare", REF, "--add", "2027-01-01") == (
        f"error: case {REF} is not in aftercare: its follow-up contacts are planned when it "
        f"enters it ('icrctl case stage {REF} aftercare')"
    )
    run("case", "stage", REF, "aftercare")  # today: 2026-11-25
    assert [f["due"] for f in follow_ups(run)] == [
        "2026-09-30",
        "2026-12-25",
        "2027-02-25",
        "2027-05-25",
    ]


def test_check_status_and_week_show_them(run: Run, case: str, tmp_path: Path) -> None:
    found = [s for s in run("check", "-f", "json").json() if s["code"].startswith("aftercare")]
    assert found == [
        {
            "ref": REF,
            "code": "aftercare-contact-overdue",
            "message": "aftercare follow-up contact(s) due 2026-09-30 not held: get in touch with "
            f"the family, or mark one held ('icrctl case aftercare {REF} --done …')",
        }
    ]
    (row,) = run("status", "-f", "json").json()
    assert (row["next_follow_up"], row["overdue_follow_ups"]) == ("2026-09-30", 1)
    table = run("status").stdout
    header, body = table.split("━", 1)
    assert "follow-" in header
    assert "2026-09-30" in body
    week = run("week", "--week", "2026-W49").stdout
    block = week.split("aftercare follow-up contacts:\n", 1)[1].split("\n  signals:", 1)[0]
    assert block.split() == ["2026-09-30", "2026-11-30"]
    out = tmp_path / "week.md"
    run("week", "--week", "2026-W49", "--markdown", str(out))
    md = out.read_text(encoding="utf-8")
    # on paper there is no red: the one past due says so
    assert "Aftercare follow-up contacts:\n\n- 2026-09-30 (overdue)\n- 2026-11-30\n" in md
    run("case", "aftercare", REF, "--done", "2026-09-30")
    assert "aftercare-contact-overdue" not in run("check").stdout
    (row,) = run("status", "-f", "json").json()
    assert (row["next_follow_up"], row["overdue_follow_ups"]) == ("2026-11-30", 0)


def test_status_has_no_follow_up_column_without_aftercare(run: Run) -> None:
    run("case", "create", "GO-1", "--title", "Familie Noord")
    assert "follow-up" not in run("status").stdout
    (row,) = run("status", "-f", "json").json()
    assert (row["next_follow_up"], row["overdue_follow_ups"]) == (None, 0)


def test_closing_needs_the_follow_ups_held_or_dropped(run: Run, case: str) -> None:
    run("log", REF, "Afsluiting gemeld.", "--kind", "phone", "--with", "vt-bakker")
    message = refused(run, "case", "close", REF, *CLOSING)
    assert message == (
        f"error: case {REF} cannot close, 1 item of the closing checklist is open: "
        f"aftercare follow-up contacts not held ({', '.join(DUES)}) "
        f"('icrctl case aftercare {REF} --done …') "
        "— settle it, or close anyway with --force --reason …"
    )
    run("case", "aftercare", REF, "--done", "2026-09-30", "--on", "2026-10-01")
    run("case", "aftercare", REF, "--done", "2026-11-30", "--on", "2026-11-20")
    run("case", "aftercare", REF, "--drop", "2027-02-28")
    run("case", "close", REF, *CLOSING)


def closed(run: Run) -> None:
    run("case", "close", REF, *CLOSING, "--date", "2026-11-20", "--force", "-r", "verhuisd")


def test_a_case_closed_before_its_follow_ups_owes_them_no_more(run: Run, case: str) -> None:
    """Closed with --force, a follow-up not held is no longer due: not overdue, no signal;
    reopened, it is owed again."""
    closed(run)
    assert [(f["due"], f["status"]) for f in follow_ups(run)] == [
        ("2026-09-30", "not-held"),
        ("2026-11-30", "not-held"),
        ("2027-02-28", "not-held"),
    ]
    assert run("case", "aftercare", REF).stdout.splitlines()[2].split() == [
        "2026-09-30", "│", "not", "held", "│", "–", "│", "–"
    ]  # fmt: skip
    assert "aftercare-contact-overdue" not in run("check").stdout
    run("case", "reopen", REF, "-r", "nieuwe melding")
    assert [f["status"] for f in follow_ups(run)] == ["overdue", "open", "open"]
    assert "aftercare-contact-overdue" in run("check").stdout


def test_a_closed_case_takes_a_report_only(run: Run, case: str) -> None:
    closed(run)
    assert refused(run, "log", REF, "Bezoek", "--kind", "visit") == (
        f"error: case {REF} is closed: it takes only a report (--kind report); "
        "'icrctl case reopen' first"
    )
    assert refused(run, "case", "aftercare", REF, "--done", "2026-09-30", match="is closed")
    assert run("log", REF, "Melding van de school", "--kind", "melding").stdout == (
        f"logged report of 2026-11-25 for {REF}\n"
    )


def test_a_report_after_closing_suggests_reopening(run: Run, case: str) -> None:
    closed(run)
    assert run("check", "-f", "json").json() == []
    run("log", REF, "Melding Veilig Thuis", "--kind", "report", "--date", "2026-11-24")
    expected = {
        "ref": REF,
        "code": "report-after-closing",
        "message": "report(s) logged since the case closed on 2026-11-20 (2026-11-24): consider "
        f"reopening it ('icrctl case reopen {REF} --reason …')",
    }
    assert run("check", "-f", "json").json() == [expected]
    assert run("check", REF, "-f", "json").json() == [expected]
    (listed,) = run("case", "list", "--closed", "-f", "json").json()
    assert listed["signals"] == ["report-after-closing"]
    view = run("case", "show", REF, "-f", "json").json()
    assert view["reports_after_closing"] == ["2026-11-24"]
    assert [f["due"] for f in view["aftercare"]] == DUES
    shown = " ".join(run("case", "show", REF).stdout.split())
    assert f"report-after-closing: {expected['message']}" in shown
    assert "aftercare follow-up contacts" in shown
    assert "2026-11-30 │ not held" in run("case", "show", REF).stdout


def test_the_report_period_ends_a_year_after_closing(
    run: Run, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed(run)
    run("log", REF, "Melding", "--kind", "report", "--date", "2026-11-24")
    monkeypatch.setenv("ICRCTL_TODAY", "2027-11-20")
    assert [s["code"] for s in run("check", "-f", "json").json()] == ["report-after-closing"]
    monkeypatch.setenv("ICRCTL_TODAY", "2027-11-21")
    assert run("check", "-f", "json").json() == []
    assert run("case", "show", REF, "-f", "json").json()["reports_after_closing"] == []


def test_the_closing_report_shows_the_aftercare(run: Run, case: str, tmp_path: Path) -> None:
    run("case", "aftercare", REF, "--done", "2026-09-30", "--on", "2026-10-01")
    closed(run)
    out = tmp_path / "eindrapport.md"
    run("report", REF, "--out", str(out))
    text = out.read_text(encoding="utf-8")
    section = text.split("## Aftercare\n", 1)[1].split("\n## ", 1)[0]
    assert section.strip().splitlines() == [
        "From 2026-08-31 to 2026-11-20.",
        "",
        "| Follow-up contact due | Held on |",
        "|---|---|",
        "| 2026-09-30 | 2026-10-01 |",
        "| 2026-11-30 | not held |",
        "| 2027-02-28 | not held |",
    ]
    dutch = tmp_path / "nl.md"
    run("--lang", "nl", "report", REF, "--out", str(dutch))
    assert "## Nazorg\n\nVan 31-08-2026 tot 20-11-2026." in dutch.read_text(encoding="utf-8")


def test_a_case_never_in_aftercare_says_so_in_its_report(run: Run, tmp_path: Path) -> None:
    run("case", "create", "GO-1", "--title", "Familie Noord")
    out = tmp_path / "r.md"
    run("report", "GO-1", "--out", str(out))
    assert "## Aftercare\n\n*The case was never in aftercare.*\n" in out.read_text(encoding="utf-8")


def test_export_and_import_carry_the_follow_ups(run: Run, case: str, tmp_path: Path) -> None:
    run("log", REF, "Nabellen", "--kind", "phone", "--with", "m1", "--date", "2026-10-05")
    run("case", "aftercare", REF, "--done", "2026-11-30", "--on", "2026-11-20")
    closed(run)
    first = tmp_path / "one.yaml"
    run("export", "--out", str(first))
    (c,) = yaml.safe_load(first.read_text(encoding="utf-8"))["cases"]
    assert [(str(f["due"]), str(f.get("done")), f.get("contact")) for f in c["aftercare"]] == [
        ("2026-09-30", "2026-10-05", 0),
        ("2026-11-30", "2026-11-20", None),
        ("2027-02-28", "None", None),
    ]
    other = tmp_path / "other.db"
    run("--db", str(other), "import", str(first))
    second = tmp_path / "two.yaml"
    run("--db", str(other), "export", "--out", str(second))
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    again = run("--db", str(other), "import", str(first))
    assert "nothing to change" in again.stdout
    shown = run("--db", str(other), "case", "aftercare", REF, "-f", "json").json()
    contacts = run("--db", str(other), "log", "list", REF, "-f", "json").json()
    assert shown[0]["contact"] == contacts[0]["id"]


IMPORTED = f"""\
version: 1
cases:
  - ref: {REF}
    title: Familie West
    opened: 2025-02-03
    closed: 2025-10-30
    stage: closed
    phase: 2
    stages:
      - {{date: 2025-02-03, stage: inventory}}
      - {{date: 2025-06-01, stage: aftercare}}
      - {{date: 2025-10-30, stage: closed}}
    contacts:
      - {{date: 2025-07-01, kind: phone, note: Nabellen}}
    aftercare:
      - {{due: 2025-07-01, done: 2025-07-01, contact: 0}}
      - {{due: 2025-09-01}}
"""


def test_an_import_keeps_a_closed_case_with_a_follow_up_not_held(run: Run, tmp_path: Path) -> None:
    """The closing checklist is not run on an import: the case is kept as it was."""
    path = tmp_path / "closed.yaml"
    path.write_text(IMPORTED, encoding="utf-8")
    run("import", str(path))
    rows = run("case", "aftercare", REF, "-f", "json").json()
    assert [(f["due"], f["status"], f["done"]) for f in rows] == [
        ("2025-07-01", "held", "2025-07-01"),
        ("2025-09-01", "not-held", None),
    ]
    assert run("case", "show", REF, "-f", "json").json()["stage"] == "closed"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("[{due: 2025-07-01, done: 2025-07-01, contact: 1}]",
         "the case has no contact 1 (its contacts count from 0)"),
        ("[{due: 2025-07-01}, {due: 2025-07-01}]", "two follow-ups due on 2025-07-01"),
        ("[{due: 2025-07-01, contact: 0}]", "only a held follow-up has a contact"),
        ("[{due: 2025-07-01, done: 2027-01-01}]", "2027-01-01 is in the future"),
        ("[{done: 2025-07-01}]", "required"),
    ],
)  # fmt: skip
def test_an_import_refuses_a_bad_follow_up(
    run: Run, tmp_path: Path, entries: str, message: str
) -> None:
    text = IMPORTED.split("    aftercare:\n")[0] + f"    aftercare: {entries}\n"
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("import", str(path), ok=False)
    assert message in result.stderr
    assert result.stderr.splitlines()[-1].endswith("nothing was imported")
