"""The regiekaart's frameworks and who may hold casusregie per phase, through the command line:
case create and edit, phase set and import are held to them; a case from before that breaks them
is shown, not crashed on; partner kinds for the organisations the card names."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Run, make_run, refused

REF = "GO-2026-030"

PHASE_1_PROFESSIONAL = (
    "error: regiekaart: in phase 1 (Het gewone leven) the client holds casusregie themselves; "
    "a professional cannot hold it"
)
PHASE_1_COMPULSORY = "error: regiekaart: phase 1 (Het gewone leven) has no compulsory framework"

#: A case closed before these rules: phase 1 in a compulsory framework, a professional directing.
CLOSED_BEFORE = """\
version: 1
cases:
  - ref: GO-2024-001
    title: Familie Oud
    opened: 2024-02-05
    closed: 2025-06-30
    stage: closed
    phase: 1
    framework: compulsory
    regie: professional
    history:
      - {date: 2024-02-05, phase: 2, reason: melding}
      - {date: 2025-03-03, phase: 1, reason: maatregel liep af}
    closing: {summary: doelen bereikt, safety: veilig thuis}
"""


def create(run: Run, *extra: str) -> None:
    run("case", "create", REF, "--title", "Familie Kok", "--opened", "2026-03-02", *extra)


def shown(run: Run, ref: str = REF) -> dict[str, Any]:
    case: dict[str, Any] = run("case", "show", ref, "-f", "json").json()
    return case


# --- case create and edit ------------------------------------------------------------------------


def test_a_case_created_in_phase_1_is_directed_by_the_client(run: Run) -> None:
    create(run, "--phase", "1")
    case = shown(run)
    assert (case["phase"], case["framework"], case["regie"]) == (1, "voluntary", "client")


def test_a_case_created_elsewhere_is_directed_by_a_professional(run: Run) -> None:
    create(run, "--phase", "2")
    assert shown(run)["regie"] == "professional"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--regie", "professional"), PHASE_1_PROFESSIONAL),
        (("--regie", "professioneel"), PHASE_1_PROFESSIONAL),
        (("--framework", "compulsory"), PHASE_1_COMPULSORY),
        (("--framework", "gedwongen_kader", "--regie", "client"), PHASE_1_COMPULSORY),
    ],
)
def test_create_in_phase_1_against_the_card_is_refused(
    run: Run, extra: tuple[str, ...], message: str
) -> None:
    line = refused(run, "case", "create", REF, "--title", "Familie Kok", "--phase", "1", *extra)
    assert line == message
    refused(run, "case", "show", REF, match=f"no case '{REF}'")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--regie", "professional", PHASE_1_PROFESSIONAL),
        ("--framework", "compulsory", PHASE_1_COMPULSORY),
    ],
)
def test_edit_in_phase_1_against_the_card_is_refused(
    run: Run, option: str, value: str, message: str
) -> None:
    create(run, "--phase", "1")
    assert refused(run, "case", "edit", REF, option, value) == message
    case = shown(run)
    assert (case["framework"], case["regie"]) == ("voluntary", "client")


# --- phase set -----------------------------------------------------------------------------------


def test_back_to_phase_1_hands_casusregie_to_the_client(run: Run) -> None:
    create(run, "--phase", "2")
    line = refused(run, "phase", "set", REF, "1", "--reason", "gezin redt het zelf")
    assert line == (
        "error: regiekaart: in phase 1 (Het gewone leven) the client holds casusregie themselves; "
        f"a professional holds it in this case — 'icrctl phase set {REF} 1 --regie client "
        "--reason …' hands it to the client in the same step"
    )
    run("phase", "set", REF, "1", "--reason", "gezin redt het zelf", "--regie", "client")
    case = shown(run)
    assert (case["phase"], case["regie"]) == (1, "client")


def test_a_compulsory_case_does_not_go_back_to_phase_1(run: Run) -> None:
    create(run, "--phase", "2", "--framework", "compulsory")
    for extra in ((), ("--regie", "client")):
        line = refused(run, "phase", "set", REF, "1", "--reason", "rustig", *extra)
        assert line.startswith(PHASE_1_COMPULSORY)
    assert line == PHASE_1_COMPULSORY  # the handover asked for: no command to suggest
    line = refused(run, "phase", "set", REF, "1", "--reason", "rustig")
    assert line.endswith(
        f" — when the framework has changed, first 'icrctl case edit {REF} --framework voluntary'"
    )
    run("case", "edit", REF, "--framework", "voluntary")
    run("phase", "set", REF, "1", "--reason", "maatregel afgelopen", "--regie", "client")
    assert shown(run)["phase"] == 1


def test_the_refusals_speak_dutch(run: Run) -> None:
    create(run, "--phase", "2", "--framework", "compulsory")
    dutch = make_run({"ICRCTL_LANG": "nl"})
    result = dutch("phase", "set", REF, "1", "--reason", "rustig", ok=False)
    assert result.stderr == (
        "fout: regiekaart: fase 1 (Het gewone leven) kent geen gedwongen kader — als het kader "
        f"veranderd is, eerst 'icrctl case edit {REF} --framework voluntary'\n"
    )
    create_x = ("case", "create", "GO-X", "--title", "X", "--phase", "1", "--regie", "professional")
    assert dutch(*create_x, ok=False).stderr == (
        "fout: regiekaart: in fase 1 (Het gewone leven) voert de cliënt zelf de casusregie; "
        "een professional kan die niet voeren\n"
    )
    assert shown(run)["phase"] == 2


# --- the import and a case from before -----------------------------------------------------------


def test_a_closed_case_is_imported_as_it_was(run: Run) -> None:
    run("import", "-", input=CLOSED_BEFORE)
    case = shown(run, "GO-2024-001")
    assert (case["phase"], case["framework"], case["regie"]) == (1, "compulsory", "professional")


def test_an_open_case_against_the_card_is_refused_by_the_import(run: Run) -> None:
    text = CLOSED_BEFORE.replace("    closed: 2025-06-30\n    stage: closed\n", "").replace(
        "    closing: {summary: doelen bereikt, safety: veilig thuis}\n", ""
    )
    lines = run("import", "-", input=text, ok=False).stderr.splitlines()
    assert lines[0].startswith("<stdin>:"), lines
    assert lines[0].endswith(": regiekaart: phase 1 (Het gewone leven) has no compulsory framework")
    assert lines[-1].endswith("nothing was imported")
    refused(run, "case", "show", "GO-2024-001", match="no case 'GO-2024-001'")


def test_a_case_from_before_is_shown_and_checked_not_crashed_on(run: Run) -> None:
    run("import", "-", input=CLOSED_BEFORE)
    run("case", "reopen", "GO-2024-001", "--reason", "nieuwe zorgen")
    view = run("phase", "show", "GO-2024-001", "-f", "json").json()
    holders = dict(view["responsibilities"])
    assert holders["casusregie (case direction)"] is None  # the card's '–'
    assert "Het gewone leven" in run("phase", "show", "GO-2024-001").stdout
    for args in (("check",), ("status",), ("doctor",), ("case", "show", "GO-2024-001")):
        result = run(*args, ok=None)
        assert result.exit_code in (0, 1), args
        assert "unexpected" not in result.stderr, args
    # its next step is held to the card, with the way out
    line = refused(
        run, "phase", "set", "GO-2024-001", "2", "--reason", "zorgen", "--regie", "client"
    )
    assert "compulsory framework casusregie is always held by a professional" in line


# --- partner kinds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "term", "dutch"),
    [
        ("toegang", "access_team", "toegang"),
        ("CJG", "youth_family_centre", "cjg"),
        ("zorgaanbieder", "care_provider", "zorgaanbieder"),
        ("forensische zorg", "forensic_care", "forensische zorg"),
        ("OGGZ", "public_mental_health", "oggz"),
        ("AOV", "public_order_officer", "aov"),
        ("jeugdreclassering", "youth_protection", "gi"),
    ],
)
def test_partners_of_the_card(run: Run, kind: str, term: str, dutch: str) -> None:
    run("partner", "add", "A. de Boer", "--organisation", "Gemeente Goes", "--kind", kind)
    (partner,) = run("partner", "list", "-f", "json").json()
    assert partner["kind"] == term
    table = make_run({"ICRCTL_LANG": "nl"})("partner", "list").stdout
    assert dutch in table
    assert term not in table
