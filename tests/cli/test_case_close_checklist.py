"""``case close`` runs the closing checklist: refused with one line naming every open item (and
the command that settles it), exit 1, nothing changed; ``--force --reason`` closes anyway and keeps
the reason; an import keeps a closed case as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import Run, refused

REF = "GO-2026-040"
CLOSING = ("--summary", "Doelen behaald.", "--safety", "Geen meldingen meer.")


@pytest.fixture
def aftercare(run: Run) -> str:
    """The issue's case: a few days of aftercare, a child of school age without a school partner,
    no signed process plan."""
    run("case", "create", REF, "--title", "Familie Oost", "--opened", "2026-09-01")
    run("member", "add", REF, "Eva Oost", "--role", "victim", "--born", "1990-01-01")
    run("member", "add", REF, "Tim Oost", "--role", "child", "--born", "2016-05-01")
    run("case", "stage", REF, "analysis", "--date", "2026-09-15")
    run("case", "stage", REF, "execution", "--date", "2026-10-01")
    run("case", "stage", REF, "aftercare", "--date", "2026-11-20")
    return REF


def stage_reasons(run: Run, tmp_path: Path) -> list[tuple[str, str | None]]:
    """The case's stage history with each entry's reason, as the export keeps it."""
    out = tmp_path / "export.yaml"
    run("export", "--case", REF, "--out", str(out))
    (case,) = yaml.safe_load(out.read_text())["cases"]
    return [(s["stage"], s.get("reason")) for s in case["stages"]]


def test_the_issue_case_is_refused_naming_every_open_item(run: Run, aftercare: str) -> None:
    message = refused(run, "case", "close", aftercare, *CLOSING)
    assert message == (
        f"error: case {REF} cannot close, 3 items of the closing checklist are open: "
        f"process plan not signed ('icrctl case edit {REF} --plan-signed …'); "
        f"no school partner for Tim Oost ('icrctl partner link {REF} …'); "
        "aftercare follow-up contacts not held (2026-12-20, 2027-02-20, 2027-05-20) "
        f"('icrctl case aftercare {REF} --done …') "
        "— settle them, or close anyway with --force --reason …"
    )


def drop_follow_ups(run: Run) -> None:
    """The practitioner decides the planned follow-ups are not needed."""
    run("case", "aftercare", REF, "--drop", "2026-12-20")
    drop_follow_ups_after_the_first(run)


def drop_follow_ups_after_the_first(run: Run) -> None:
    for due in ("2027-02-20", "2027-05-20"):
        run("case", "aftercare", REF, "--drop", due)


def test_once_settled_the_case_closes(run: Run, aftercare: str) -> None:
    run("case", "edit", REF, "--plan-signed", "2026-09-15")
    message = refused(run, "case", "close", REF, *CLOSING)
    assert "2 items of the closing checklist are open: no school partner for Tim Oost" in message
    run("partner", "add", "K. Wit", "--organisation", "OBS De Linde", "--kind", "school")
    run("partner", "link", REF, "k-wit", "--consent")
    message = refused(run, "case", "close", REF, *CLOSING)
    assert "1 item of the closing checklist is open: aftercare follow-up contacts" in message
    run("case", "aftercare", REF, "--done", "2026-12-20", "--on", "2026-11-24")
    drop_follow_ups_after_the_first(run)
    result = run("case", "close", REF, *CLOSING)
    assert result.stdout == f"closed {REF} on 2026-11-25; kept until 2046-11-25\n"


def test_every_kind_of_open_item_is_listed_with_its_command(run: Run) -> None:
    """Phase 4 with its people to inform, a recent safety signal, an overdue evaluation, a child
    under 4 without JGz, never in aftercare."""
    run("case", "create", REF, "--title", "Familie Noord", "--opened", "2026-09-01",
        "--phase", "4", "--track", "social", "--plan-signed", "2026-09-02")  # fmt: skip
    run("member", "add", REF, "Mo Noord", "--role", "child", "--born", "2025-01-01")
    run("eval", "schedule", REF, "--every", "2w", "--start", "2026-11-03")
    run("log", REF, "dreigende berichten", "--kind", "phone", "--signal", "--date", "2026-11-20")
    message = refused(run, "case", "close", REF, *CLOSING)
    listed = message.split(" open: ", 1)[1].rsplit(" — ", 1)[0].split("; ")
    assert [item.split(" (")[0].split(":")[0] for item in listed] == [
        "recent safety signals",
        "evaluations overdue",
        "still to inform after phase 4",
        "no youth health care",
        "never in aftercare",
    ]
    assert listed[0] == "recent safety signals (2026-11-20)"
    assert (
        listed[1]
        == f"evaluations overdue (2026-11-03, 2026-11-17) ('icrctl eval record {REF} --date …')"
    )
    assert listed[2].endswith(f"('icrctl phase inform {REF} …')")
    assert (
        listed[3]
        == f"no youth health care (JGz) partner for Mo Noord ('icrctl partner link {REF} …')"
    )
    assert listed[4] == f"never in aftercare ('icrctl case stage {REF} aftercare')"
    assert message.startswith(f"error: case {REF} cannot close, 5 items")


def test_force_with_a_reason_closes_and_keeps_the_reason(
    run: Run, aftercare: str, tmp_path: Path
) -> None:
    reason = "gezin verhuisd naar Tilburg; overgedragen aan het wijkteam daar"
    result = run("case", "close", REF, *CLOSING, "--force", "--reason", reason)
    assert result.stdout == f"closed {REF} on 2026-11-25; kept until 2046-11-25\n"
    assert stage_reasons(run, tmp_path)[-1] == ("closed", reason)
    (entry,) = [e for e in run("audit", "-f", "json").json() if e["command"].endswith("close")]
    assert "closing_checklist_overridden" in entry["fields"]
    shown = run("case", "show", REF, "-f", "json").json()["stage_history"]
    assert shown[-1] == {"date": "2026-11-25", "stage": "closed", "reason": reason}
    facts = " ".join(run("case", "show", REF).stdout.split())
    assert f"closed despite the checklist {reason}" in facts
    run("report", REF, "--out", str(tmp_path / "eindrapport.md"))
    assert reason in (tmp_path / "eindrapport.md").read_text(encoding="utf-8")


def test_a_close_without_open_items_keeps_no_reason(
    run: Run, aftercare: str, tmp_path: Path
) -> None:
    run("case", "edit", REF, "--plan-signed", "2026-09-15")
    run("partner", "add", "K. Wit", "--organisation", "OBS De Linde", "--kind", "school")
    run("partner", "link", REF, "k-wit", "--consent")
    drop_follow_ups(run)
    run("case", "close", REF, *CLOSING)
    assert stage_reasons(run, tmp_path)[-1] == ("closed", None)
    assert "closed despite the checklist" not in run("case", "show", REF).stdout
    (entry,) = [e for e in run("audit", "-f", "json").json() if e["command"].endswith("close")]
    assert "closing_checklist_overridden" not in entry["fields"]


def test_force_needs_a_reason_and_a_reason_needs_force(run: Run, aftercare: str) -> None:
    message = refused(run, "case", "close", REF, *CLOSING, "--force")
    assert message == "error: --force needs a --reason: why the case closes with items open"
    message = refused(run, "case", "close", REF, *CLOSING, "-r", "verhuisd")
    assert message == "error: --reason goes with --force: why the case closes with items open"
    refused(run, "case", "close", REF, *CLOSING, "--force", "-r", "  ", match="must not be empty")


def test_other_refusals_come_before_the_checklist(run: Run, aftercare: str) -> None:
    message = refused(run, "case", "close", REF, *CLOSING, "--date", "2026-11-19")
    assert message == "error: date 2026-11-19 lies before the last stage change (2026-11-20)"


IMPORTED = f"""\
version: 1
cases:
  - ref: {REF}
    title: Familie West
    opened: 2025-02-03
    closed: 2025-06-30
    stage: closed
    phase: 2
    members:
      - {{key: lisa, name: Lisa West, role: child, born: 2015-04-04}}
    stages:
      - {{date: 2025-02-03, stage: inventory}}
      - {{date: 2025-06-30, stage: closed}}
    closing:
      summary: Gezin verhuisd.
      safety: Overgedragen.
"""


def test_an_import_keeps_a_closed_case_as_it_was(run: Run, tmp_path: Path) -> None:
    """No signed plan, a child without a school partner, never in aftercare: the file records
    history as it was, so the checklist does not apply."""
    source = tmp_path / "closed.yaml"
    source.write_text(IMPORTED)
    run("import", str(source))
    case = run("case", "show", REF, "-f", "json").json()
    assert (case["stage"], case["closed"], case["plan_signed"]) == ("closed", "2025-06-30", None)
    assert stage_reasons(run, tmp_path) == [("inventory", None), ("closed", None)]
