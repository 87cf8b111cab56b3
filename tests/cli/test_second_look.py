"""What a first practitioner's trial of the regiekaart work found: hints that must run as given,
icrctl's own words in the practitioner's language, and nothing that changes without a word."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import Run, refused

REF = "GO-2026-090"


def make_case(run: Run, *more: str) -> None:
    run("case", "create", REF, "--title", "Familie Berg", "--opened", "2026-09-01", *more)


def test_the_closing_hint_into_aftercare_carries_the_reason_a_skip_needs(run: Run) -> None:
    make_case(run)
    message = refused(run, "case", "close", REF, "--summary", "klaar", "--safety", "veilig")
    assert f"('icrctl case stage {REF} aftercare --reason …')" in message
    # run as the hint says, the move is accepted
    run("case", "stage", REF, "aftercare", "--reason", "hulp liep al via het wijkteam")


def test_from_execution_the_closing_hint_into_aftercare_needs_no_reason(run: Run) -> None:
    make_case(run)
    run("case", "stage", REF, "analysis")
    run("case", "stage", REF, "execution")
    message = refused(run, "case", "close", REF, "--summary", "klaar", "--safety", "veilig")
    assert f"('icrctl case stage {REF} aftercare')" in message


def test_case_show_gives_icrctls_own_reason_in_dutch(run: Run) -> None:
    make_case(run)
    shown = run("--lang", "nl", "case", "show", REF).stdout
    assert "casus geopend" in shown
    assert "case opened" not in shown
    history = run("--lang", "nl", "phase", "history", REF).stdout
    assert "casus geopend" in history
    # scripts read the stored words
    assert run("case", "show", REF, "-f", "json").json()["phase_history"][0]["reason"] == (
        "case opened"
    )


def test_de_escalating_to_phase_1_says_procesregie_ended(run: Run) -> None:
    make_case(run, "--procesregie", "icr")
    said = run("phase", "set", REF, "1", "--regie", "client", "--reason", "rust in het gezin")
    assert said.stdout.splitlines()[-1] == (
        "procesregie ended: the regiekaart names nobody for it in phase 1 (Het gewone leven)"
    )
    assert run("case", "show", REF, "-f", "json").json()["procesregie"]["holder"] is None


def test_the_meeting_report_and_the_analysis_name_the_icr_as_the_werkplan_does(
    run: Run, tmp_path: Path
) -> None:
    make_case(run)
    run("member", "add", REF, "Sanne Berg", "--role", "victim")
    run("eval", "record", REF, "--date", "2026-11-20", "--attended", "m1", "--risk", "3")
    report, analysis = tmp_path / "v.md", tmp_path / "a.md"
    run("--lang", "nl", "eval", "report", REF, "2026-11-20", "--out", str(report))
    run("--lang", "nl", "analysis", REF, "--problem", "Ruzie", "--out", str(analysis))
    for text in (report.read_text(encoding="utf-8"), analysis.read_text(encoding="utf-8")):
        assert "Intensief casusregisseur (ICR)" in text
        assert "**Casusregisseur:**" not in text
