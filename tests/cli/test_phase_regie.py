"""One step where the rule is known: ``phase set REF 3 --regie professional --reason …`` hands
casusregie to a professional and escalates at once; and every hint a refusal gives is a command a
practitioner can copy, starting with ``icrctl``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from icrctl.domain import regiekaart as rk
from icrctl.render.errors import HINTS
from tests.helpers import TODAY, Run, refused

REF = "GO-2026-060"
PACKAGE = Path(__file__).resolve().parents[2] / "icrctl"


def create(run: Run, *extra: str) -> None:
    run("case", "create", REF, "--title", "Familie Kok", "--opened", "2026-09-01", *extra)


def shown(run: Run) -> dict[str, Any]:
    case: dict[str, Any] = run("case", "show", REF, "-f", "json").json()
    return case


def test_the_refusal_names_the_one_step(run: Run) -> None:
    create(run, "--phase", "2", "--regie", "client")
    message = refused(run, "phase", "set", REF, "3", "--reason", "onveilig")
    assert message == (
        "error: regiekaart: in phase 3 casusregie is always held by a professional; the client "
        f"holds it in this case — 'icrctl phase set {REF} 3 --regie professional --reason …' "
        f"hands it to a professional in the same step (or first 'icrctl case edit {REF} "
        "--regie professional')"
    )


def test_escalating_and_handing_regie_over_in_one_command(run: Run) -> None:
    create(run, "--phase", "2", "--regie", "client")
    r = run(
        "phase", "set", REF, "3", "--regie", "professional", "--reason", "dreiging ex-partner",
        "--date", "2026-11-20",
    )  # fmt: skip
    assert r.stdout.splitlines() == [
        f"{REF} escalated from phase 2 to 3 (Er is (ook) onveiligheid) on 2026-11-20",
        "casusregie now held by the professional (was: client)",
    ]
    case = shown(run)
    assert (case["phase"], case["regie"]) == (3, "professional")
    assert case["events"] == [
        {
            "date": "2026-11-20",
            "kind": "regie",
            "old": "client",
            "new": "professional",
            "reason": "dreiging ex-partner",
        }
    ]
    assert case["phase_history"][-1]["reason"] == "dreiging ex-partner"
    audit = run("audit", REF, "-f", "json").json()
    assert audit[-1]["fields"] == "phase,regie"
    assert "signals" not in case or "client-regie-unsafe" not in case.get("signals", [])


def test_straight_to_phase_4_with_a_track(run: Run) -> None:
    create(run, "--phase", "2", "--regie", "cliënt")
    run("phase", "set", REF, "4", "--regie", "professioneel", "--track", "zorg", "--reason", "x")
    case = shown(run)
    assert (case["phase"], case["regie"]) == (4, "professional")
    assert [i["item"] for i in case["checklist_open"]][:1] == ["aov"]


def test_the_regie_already_held_changes_nothing_but_the_phase(run: Run) -> None:
    create(run, "--phase", "2")
    r = run("phase", "set", REF, "3", "--regie", "professional", "--reason", "zorgen")
    assert "casusregie" not in r.stdout
    assert shown(run)["events"] == []
    assert run("audit", REF, "-f", "json").json()[-1]["fields"] == "phase"


def test_de_escalating_and_handing_regie_back_to_the_client(run: Run) -> None:
    create(run, "--phase", "3")
    r = run("phase", "set", REF, "2", "--regie", "client", "--reason", "gezin kan het weer")
    assert "casusregie now held by the client (was: professional)" in r.stdout
    assert shown(run)["regie"] == "client"


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (
            ("--phase", "2"),
            ("3", "--regie", "client", "--reason", "x"),
            "error: regiekaart: in phase 3 casusregie is always held by a professional; the "
            "client cannot hold it",
        ),
        (
            ("--phase", "3", "--framework", "compulsory"),
            ("2", "--regie", "client", "--reason", "x"),
            "error: regiekaart: in a compulsory framework casusregie is always held by a "
            "professional",
        ),
        (
            ("--phase", "2", "--regie", "client"),
            ("2", "--regie", "professional", "--reason", "x"),
            "error: case is already in phase 2",
        ),
        (
            ("--phase", "2", "--regie", "client"),
            ("3", "--regie", "iemand", "--reason", "x"),
            "error: unknown regie 'iemand'; expected one of: professional (professioneel), "
            "client (cliënt)",
        ),
        (
            ("--phase", "2", "--regie", "client"),
            ("3", "--regie", "professional"),
            "error: a phase change needs a --reason",
        ),
        (
            ("--phase", "2", "--regie", "client"),
            ("3", "--regie", "professional", "--reason", "x", "--date", "tomorrow"),
            "in the future",
        ),
    ],
)
def test_refusals_change_nothing(
    run: Run, setup: tuple[str, ...], args: tuple[str, ...], message: str
) -> None:
    create(run, *setup)
    refused(run, "phase", "set", REF, *args, match=message)


def test_the_regie_event_is_exported_and_imported(run: Run, tmp_path: Path) -> None:
    create(run, "--phase", "2", "--regie", "client")
    run("phase", "set", REF, "3", "--regie", "professional", "--reason", "onveilig")
    first, second = tmp_path / "1.yaml", tmp_path / "2.yaml"
    other = tmp_path / "other" / "caseload.db"
    run("export", "--out", str(first))
    run("--db", str(other), "import", str(first))
    run("--db", str(other), "export", "--out", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert f"  - date: {TODAY.isoformat()}\n    kind: regie\n" in first.read_text()


# --- every hint starts with icrctl ---------------------------------------------------------------

COMMANDS = (
    "case|member|partner|eval|phase|log|goal|werkplan|report|status|week|check|import|export|"
    "backup|restore|doctor|audit|retention"
)


def test_every_hint_of_a_rule_is_a_whole_command() -> None:
    facts = {"ref": "GO-1", "phase": "3", "framework": "voluntary", "stage": "aftercare"}
    for key, words in HINTS.items():
        quoted = re.findall(r"'([^']*)'", words.format(**facts))
        for command in quoted:
            assert command.startswith("icrctl "), (key, command)
    assert rk.HAND_REGIE_TO_PROFESSIONAL in HINTS


def test_no_message_quotes_a_command_without_icrctl() -> None:
    """A quoted command in any message the services, rules and renderers write starts with
    ``icrctl``: ``'icrctl case edit …'``, never ``'case edit …'``."""
    bare = re.compile(rf"'({COMMANDS}) ")
    found = [
        f"{file.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for sub in ("services", "domain", "render")
        for file in sorted((PACKAGE / sub).rglob("*.py"))
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line)
    ]
    assert found == []
