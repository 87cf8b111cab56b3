"""The phase-4 checklist says who informs whom, per track, as the regiekaart's table does: per
item who the card names (``informed_by``), whether it is the ICR's own task or one the ICR checks
(``yours``), and, once ticked off, who did it (``done_by``, ``phase inform --by``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Run, refused

REF = "GO-2026-060"


def escalate(run: Run, track: str, *create: str) -> str:
    """A case in phase 3 escalated to phase 4 on ``track`` on 2026-11-02."""
    run("case", "create", REF, "--title", "Familie Bos", "--opened", "2026-09-01", "--phase", "3",
        *create)  # fmt: skip
    run("phase", "set", REF, "4", "--reason", "onrust", "--track", track, "--date", "2026-11-02")
    return REF


def items(run: Run, *lang: str) -> dict[str, Any]:
    return {i["item"]: i for i in run(*lang, "phase", "checklist", REF, "-f", "json").json()}


def rows(text: str) -> dict[str, str]:
    """A table's rows by the item that starts them: each cell with its wrapped lines joined, the
    cells joined by `` | ``."""
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines()[2:]:
        cells = [cell.strip() for cell in line.split("│")]
        if cells[0]:
            current = found.setdefault(cells[0], [""] * len(cells))
        for i, cell in enumerate(cells):
            current[i] = f"{current[i]} {cell}".strip()
    return {item: " | ".join(cells[1:]) for item, cells in found.items()}


def test_the_care_track_names_the_care_department_and_the_deciders(run: Run) -> None:
    escalate(run, "care")
    table = rows(run("phase", "checklist", REF).stdout)
    for item in ("aov", "communications", "portfolio_holder", "mayor", "process_coordinator"):
        assert "to check: care department (afdeling Zorg)" in table[item], table[item]
    assert "to check: portfolio holder and mayor together" in table["calamity_meeting_decision"]
    assert not any("yours" in row for row in table.values())


def test_the_social_track_the_icr_informs_the_aov_and_the_aov_the_rest(run: Run) -> None:
    escalate(run, "social")
    table = rows(run("phase", "checklist", REF).stdout)
    assert "yours: case director or care department" in table["aov"]
    assert "to check: AOV" in table["local_triangle"]
    assert "to check: AOV" in table["communications_adviser"]


def test_json_carries_the_english_keys(run: Run) -> None:
    escalate(run, "social")
    aov = items(run, "--lang", "nl")["aov"]
    assert list(aov) == [
        "item", "label", "track", "done_at", "escalated", "informed_by", "yours", "done_by"
    ]  # fmt: skip
    assert aov["informed_by"] == "case director or care department (casusregisseur / afdeling Zorg)"
    assert aov["yours"] is True
    assert aov["done_by"] is None
    assert items(run)["local_triangle"]["yours"] is False
    assert items(run)["local_triangle"]["informed_by"] == "AOV"


def test_by_is_stored_and_shown(run: Run) -> None:
    escalate(run, "care")
    said = run("phase", "inform", REF, "burgemeester", "--by", "afdeling Zorg, J. Jansen",
               "--date", "2026-11-20", "--time", "10:00").stdout  # fmt: skip
    assert said == (
        f"{REF}: mayor (mayor informed) on 2026-11-20 at 10:00, by afdeling Zorg, J. Jansen\n"
    )
    assert items(run)["mayor"]["done_by"] == "afdeling Zorg, J. Jansen"
    assert "afdeling Zorg, J. Jansen" in rows(run("phase", "checklist", REF).stdout)["mayor"]


def test_without_by_the_card_or_the_regisseur_is_recorded(run: Run) -> None:
    escalate(run, "social", "--regisseur", "P. de Vries")
    run("phase", "inform", REF, "aov,lokale_driehoek")
    done = items(run)
    assert done["aov"]["done_by"] == "P. de Vries"  # the ICR's own task
    assert done["local_triangle"]["done_by"] == "AOV"  # as the card names who does it
    assert done["communications_adviser"]["done_by"] is None


def test_without_a_regisseur_the_icrs_item_is_done_by_the_regisseur(run: Run) -> None:
    escalate(run, "social")
    run("phase", "inform", REF, "aov")
    assert items(run)["aov"]["done_by"] == "regisseur"


def test_the_default_reads_the_same_in_both_languages(run: Run) -> None:
    escalate(run, "care")
    run("--lang", "en", "phase", "inform", REF, "aov")
    run("--lang", "nl", "phase", "inform", REF, "zorgcalamiteitsoverleg")
    done = items(run)
    assert done["aov"]["done_by"] == "afdeling Zorg"
    assert (
        done["calamity_meeting_decision"]["done_by"] == "portefeuillehouder en burgemeester samen"
    )


def test_undo_forgets_who_did_it(run: Run) -> None:
    escalate(run, "care")
    run("phase", "inform", REF, "aov", "--by", "J. Jansen")
    run("phase", "inform", REF, "aov", "--undo")
    assert items(run)["aov"]["done_by"] is None
    assert items(run)["aov"]["done_at"] is None


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("--by", "J.\x1bJansen"), "done by contains a control character (U+001B)"),
        (("--by", "   "), "done by must not be empty"),
        (("--undo", "--by", "J. Jansen"), "--undo opens an item again; it takes no --date"),
    ],
)
def test_a_bad_by_is_refused(run: Run, args: tuple[str, ...], match: str) -> None:
    escalate(run, "care")
    refused(run, "phase", "inform", REF, "aov", *args, match=match)


def test_phase_set_says_whose_task_each_item_is(run: Run) -> None:
    run("case", "create", REF, "--title", "Familie Bos", "--opened", "2026-09-01", "--phase", "3")
    said = run("phase", "set", REF, "4", "--reason", "onrust", "--track", "social").stdout
    assert (
        "to inform: aov (yours); local_triangle, communications_adviser (by AOV; to check)"
    ) in said


def test_the_signal_says_whose_task_is_open(run: Run) -> None:
    escalate(run, "social")
    run("phase", "inform", REF, "driehoek")
    check = " ".join(run("check", "-f", "json").stdout.split())
    assert (
        "still to inform after the escalation: aov (yours); communications_adviser "
        "(by AOV; to check)"
    ) in check


def test_case_show_lists_the_open_items_with_whose_task(run: Run) -> None:
    escalate(run, "care")
    shown = run("case", "show", REF).stdout
    block = shown[shown.index("phase 4: still to inform") :].split("\n\n")[0]
    table = rows(block.split("\n", 1)[1])
    assert "to check: care department (afdeling Zorg)" in table["mayor"]
    case = run("case", "show", REF, "-f", "json").json()
    assert case["checklist_open"][0]["informed_by"] == "care department (afdeling Zorg)"
    assert case["checklist_open"][0]["yours"] is False


def test_dutch(run: Run) -> None:
    escalate(run, "social", "--regisseur", "P. de Vries")
    said = run("--lang", "nl", "phase", "inform", REF, "aov", "--time", "9:00").stdout
    assert said.endswith("op 2026-11-25 om 09:00, door P. de Vries\n")
    table = rows(run("--lang", "nl", "phase", "checklist", REF).stdout)
    assert "zelf: regisseur of afdeling Zorg" in table["aov"]
    assert "P. de Vries" in table["aov"]
    assert "nagaan: AOV" in table["local_triangle"]
    header = run("--lang", "nl", "phase", "checklist", REF).stdout.splitlines()[0]
    assert [cell.strip() for cell in header.split("┃")][2] == "wiens taak"
    check = rows(run("--lang", "nl", "check").stdout)[REF]
    assert (
        "nog te informeren na de escalatie: lokale driehoek, communicatieadviseur "
        f"(door AOV; nagaan) ('icrctl phase inform {REF} …')"
    ) in check


def test_forgetting_a_person_scrubs_who_did_it(run: Run) -> None:
    escalate(run, "social")
    run("member", "add", REF, "Sanne Bos", "--role", "victim")
    run("phase", "inform", REF, "aov", "--by", "Sanne Bos (buurvrouw belde de AOV)")
    run("member", "forget", REF, "m1", "--reason", "verzoek art. 17 AVG")
    assert items(run)["aov"]["done_by"] == "[verwijderd] (buurvrouw belde de AOV)"
