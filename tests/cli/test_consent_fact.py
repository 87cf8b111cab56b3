"""A partner linked without the client's consent, through the command line: ``case show`` gives
it as a fact (JSON ``partners_without_consent``, and ``invited_without_consent`` for those of
them invited to a running evaluation series), and ``check`` signals it only for the invited ones,
in Dutch and English, with the command that records consent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import Run, make_run

REF = "GO-2026-060"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "caseload.yaml"


def a_case_with_a_police_officer_without_consent(run: Run) -> None:
    run("case", "create", REF, "--title", "Familie de Wit", "--opened", "2026-11-02")
    run("member", "add", REF, "Sara de Wit", "--role", "victim", "--key", "sara")
    run("partner", "add", "R. Bos", "--organisation", "Politie", "--kind", "police", "--key", "pol")
    run(
        "partner",
        "add",
        "T. Lam",
        "--organisation",
        "GGZ",
        "--kind",
        "mental_health",
        "--key",
        "ggz",
    )
    run("partner", "link", REF, "pol", "--no-consent", "--role", "wijkagent")
    run("partner", "link", REF, "ggz", "--consent")


def shown(run: Run) -> dict[str, Any]:
    view: dict[str, Any] = run("case", "show", REF, "-f", "json").json()
    return view


def signalled(run: Run) -> list[dict[str, Any]]:
    return [
        r for r in run("check", REF, "-f", "json").json() if r["code"] == "partner-without-consent"
    ]


def test_case_show_gives_the_fact_and_check_stays_quiet(run: Run) -> None:
    a_case_with_a_police_officer_without_consent(run)
    view = shown(run)
    assert view["partners_without_consent"] == ["pol"]
    assert view["invited_without_consent"] == []
    assert [(p["key"], p["consent"]) for p in view["partners"]] == [("pol", False), ("ggz", True)]
    assert signalled(run) == []


def test_invited_to_the_evaluations_it_is_signalled_until_consent_is_recorded(run: Run) -> None:
    a_case_with_a_police_officer_without_consent(run)
    run("eval", "schedule", REF, "--every", "2w", "--with", "sara,pol,ggz")
    assert shown(run)["invited_without_consent"] == ["pol"]
    [row] = signalled(run)
    assert row["message"] == (
        "pol invited to the evaluations, where the plan is shared, without the client's consent "
        f"to share information: ask for consent and record it ('icrctl partner link {REF} pol "
        "--consent'), or discuss the plan without them"
    )
    run("partner", "link", REF, "pol", "--consent")
    assert (shown(run)["partners_without_consent"], signalled(run)) == ([], [])


def test_in_dutch_the_words_change_and_the_keys_do_not(run: Run) -> None:
    a_case_with_a_police_officer_without_consent(run)
    run("eval", "schedule", REF, "--every", "2w", "--with", "pol")
    dutch = make_run({"ICRCTL_LANG": "nl", "COLUMNS": "200"})
    table = dutch("check", REF).stdout
    assert "partner-without-consent" in table  # the code stays: scripts read it
    assert "pol uitgenodigd voor de evaluaties, waar het plan besproken wordt" in table
    assert "vraag om toestemming en leg die vast" in table
    assert "invited" not in table
    view = dutch("case", "show", REF, "-f", "json").json()
    assert (view["partners_without_consent"], view["invited_without_consent"]) == (["pol"], ["pol"])
    [row] = dutch("check", REF, "-f", "json").json()
    assert row["message"].startswith("pol invited to the evaluations")  # JSON: English


def test_the_example_caseload_links_without_consent_and_invites_none_of_them(run: Run) -> None:
    run("import", str(EXAMPLE))
    assert "partner-without-consent" not in {r["code"] for r in run("check", "-f", "json").json()}
    view = run("case", "show", "GO-2026-007", "-f", "json").json()
    assert view["partners_without_consent"] == ["school-regenboog"]
    assert view["invited_without_consent"] == []
