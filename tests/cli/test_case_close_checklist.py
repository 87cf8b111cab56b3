"""``case close`` runs the closing checklist: refused with one line naming every open item (and
the command that settles it), exit 1, nothing changed; ``--force --reason`` closes anyway and keeps
the reason; an import keeps a closed case as it was. Every partner sharing with consent must have
been told the case closes: a contact with them since the case entered aftercare."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import Run, make_run, refused, unchanged

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
    assert (
        "2 items of the closing checklist are open: "
        "partners not informed of the closing: K. Wit (OBS De Linde) "
        f"('icrctl log add {REF} … --kind … --with k-wit'); aftercare follow-up contacts"
    ) in message
    run("case", "aftercare", REF, "--done", "2026-12-20", "--on", "2026-11-24")
    drop_follow_ups_after_the_first(run)
    tell_the_school(run)
    result = run("case", "close", REF, *CLOSING)
    assert result.stdout == f"closed {REF} on 2026-11-25; kept until 2046-11-25\n"


def tell_the_school(run: Run, day: str = "2026-11-24") -> None:
    """The practitioner tells the school the case is closing."""
    run("log", REF, "Afsluiting gemeld.", "--kind", "phone", "--with", "k-wit", "--date", day)


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
    # from inventory, the way into aftercare passes over stages: the command must say why
    assert listed[4] == f"never in aftercare ('icrctl case stage {REF} aftercare --reason …')"
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
    tell_the_school(run)
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
    partners:
      - {{name: K. Wit, organisation: OBS De Linde, kind: school, consent: true}}
    stages:
      - {{date: 2025-02-03, stage: inventory}}
      - {{date: 2025-06-30, stage: closed}}
    closing:
      summary: Gezin verhuisd.
      safety: Overgedragen.
"""


def test_an_import_keeps_a_closed_case_as_it_was(run: Run, tmp_path: Path) -> None:
    """No signed plan, a child without a school partner, never in aftercare, a partner with
    consent never told: the file records history as it was, so the checklist does not apply."""
    source = tmp_path / "closed.yaml"
    source.write_text(IMPORTED)
    run("import", str(source))
    case = run("case", "show", REF, "-f", "json").json()
    assert (case["stage"], case["closed"], case["plan_signed"]) == ("closed", "2025-06-30", None)
    assert stage_reasons(run, tmp_path) == [("inventory", None), ("closed", None)]


@pytest.fixture
def partners(run: Run, aftercare: str) -> str:
    """The issue's case with all else settled, and three partners: the school and Veilig Thuis
    share with consent, the GGZ therapist without."""
    run("case", "edit", REF, "--plan-signed", "2026-09-15")
    drop_follow_ups(run)
    for key, name, organisation, kind, consent in (
        ("k-wit", "K. Wit", "OBS De Linde", "school", "--consent"),
        ("j-bakker", "J. Bakker", "Veilig Thuis Zeeland", "veilig_thuis", "--consent"),
        ("r-hendriks", "R. Hendriks", "Emergis", "mental_health", "--no-consent"),
    ):
        run("partner", "add", name, "--organisation", organisation, "--kind", kind, "--key", key)
        run("partner", "link", REF, key, consent)
    return REF


def test_partners_with_consent_not_told_are_named_with_the_command(run: Run, partners: str) -> None:
    message = refused(run, "case", "close", REF, *CLOSING)
    assert message == (
        f"error: case {REF} cannot close, 1 item of the closing checklist is open: "
        "partners not informed of the closing: J. Bakker (Veilig Thuis Zeeland), "
        f"K. Wit (OBS De Linde) ('icrctl log add {REF} … --kind … --with j-bakker,k-wit') "
        "— settle it, or close anyway with --force --reason …"
    )
    assert "Hendriks" not in message  # without consent: not told


def test_a_contact_since_aftercare_settles_a_partner_and_an_earlier_one_does_not(
    run: Run, partners: str
) -> None:
    tell_the_school(run, "2026-11-19")  # the day before the case entered aftercare
    run("log", REF, "Overleg.", "--kind", "meeting", "--with", "j-bakker", "--date", "2026-11-20")
    message = refused(run, "case", "close", REF, *CLOSING)
    assert "partners not informed of the closing: K. Wit (OBS De Linde) (" in message
    assert "Bakker" not in message  # told on the day aftercare began
    tell_the_school(run)
    result = run("case", "close", REF, *CLOSING)
    assert result.stdout == f"closed {REF} on 2026-11-25; kept until 2046-11-25\n"


def test_back_in_aftercare_the_partners_are_told_again(run: Run, partners: str) -> None:
    run("log", REF, "Afsluiting gemeld.", "--kind", "email", "--with", "k-wit,j-bakker",
        "--date", "2026-11-21")  # fmt: skip
    run("case", "stage", REF, "execution", "--date", "2026-11-22", "--reason", "nieuwe zorgen")
    run("case", "stage", REF, "aftercare", "--date", "2026-11-23")
    drop_follow_ups_later(run)
    message = refused(run, "case", "close", REF, *CLOSING)
    assert message.startswith(
        f"error: case {REF} cannot close, 1 item of the closing checklist is open: "
        "partners not informed of the closing: J. Bakker (Veilig Thuis Zeeland), "
        "K. Wit (OBS De Linde) ("
    )


def drop_follow_ups_later(run: Run) -> None:
    """Drop the follow-ups planned on entering aftercare on 23 November."""
    for row in run("case", "aftercare", REF, "-f", "json").json():
        if row["status"] in ("open", "overdue"):
            run("case", "aftercare", REF, "--drop", row["due"])


def test_force_closes_with_partners_not_told(run: Run, partners: str) -> None:
    result = run("case", "close", REF, *CLOSING, "--force", "--reason", "gezin verhuisd")
    assert result.stdout == f"closed {REF} on 2026-11-25; kept until 2046-11-25\n"


def test_the_partners_item_in_dutch(run: Run, partners: str) -> None:
    run("log", REF, "Afsluiting gemeld.", "--kind", "phone", "--with", "j-bakker")
    with unchanged():
        result = make_run({"ICRCTL_LANG": "nl"})("case", "close", REF, *CLOSING, ok=False)
    assert result.stderr == (
        f"fout: casus {REF} kan niet sluiten, 1 punt van de afsluitchecklist staat open: "
        "ketenpartners niet geïnformeerd over de afsluiting: K. Wit (OBS De Linde) "
        f"('icrctl log add {REF} … --kind … --with k-wit') "
        "— werk het af, of sluit toch met --force --reason …\n"
    )


def test_never_in_aftercare_the_partners_are_told_after_the_last_stage_change(run: Run) -> None:
    run("case", "create", REF, "--title", "Familie Oost", "--opened", "2026-09-01",
        "--plan-signed", "2026-09-02")  # fmt: skip
    run("partner", "add", "K. Wit", "--organisation", "OBS De Linde", "--kind", "school")
    run("partner", "link", REF, "k-wit", "--consent")
    run("case", "stage", REF, "analysis", "--date", "2026-11-10")
    tell_the_school(run, "2026-11-09")
    message = refused(run, "case", "close", REF, *CLOSING)
    assert "partners not informed of the closing: K. Wit (OBS De Linde)" in message
    tell_the_school(run, "2026-11-10")
    message = refused(run, "case", "close", REF, *CLOSING)
    assert "partners not informed" not in message
    assert "never in aftercare" in message
