"""The regiekaart data against its table (docs/domain.md); the rules of phase changes and regie."""

from __future__ import annotations

import importlib.resources
import re

import pytest
import yaml

from icrctl.domain import regiekaart as rk
from icrctl.errors import InvalidValue, RuleViolation
from icrctl.render.errors import error_text

NAMES_NL = {
    1: "Het gewone leven",
    2: "Er zijn zorgen en er is hulp nodig",
    3: "Er is (ook) onveiligheid",
    4: "Totale escalatie. Dreiging maatschappelijke onrust",
}


def holders(n: int, framework: str) -> dict[str, str | None]:
    """``responsibilities`` as {first word of the label: holder}."""
    return {label.split()[0]: holder for label, holder in rk.responsibilities(n, framework)}


def lower(text: str | None) -> str:
    assert text is not None
    return text.lower()


# --- the data ------------------------------------------------------------------------------------


def test_yaml_is_plain_and_safe_loadable() -> None:
    resource = importlib.resources.files("icrctl.domain") / "regiekaart.yaml"
    source = resource.read_text(encoding="utf-8")
    data = yaml.safe_load(source)
    assert [p["number"] for p in data["phases"]] == [1, 2, 3, 4]
    assert [t["code"] for t in data["tracks"]] == ["care", "social"]
    # no anchors, aliases or tags
    assert not re.search(r"(^|\s)[&*!][A-Za-z]", source)


def test_four_phases_with_exact_dutch_names() -> None:
    phases = rk.phases()
    assert [p.number for p in phases] == [1, 2, 3, 4]
    assert {p.number: p.name_nl for p in phases} == NAMES_NL
    for p in phases:
        assert rk.phase(p.number) is p
        assert p.gloss
        assert p.description
        assert "informele netwerk" in p.informal_network
        assert set(p.roles) == set(rk.ROLE_KEYS)


@pytest.mark.parametrize("n", [0, 5, -1, 34])
def test_phase_out_of_range(n: int) -> None:
    with pytest.raises(InvalidValue, match=r"^phase must be 1, 2, 3 or 4$"):
        rk.phase(n)


def test_professional_casusregie_required_in_phases_3_and_4() -> None:
    assert [p.professional_casusregie_required for p in rk.phases()] == [False, False, True, True]


def test_roles_are_read_only() -> None:
    with pytest.raises(TypeError):
        rk.phase(1).roles["procesregie"] = "someone"  # type: ignore[index]


def test_responsibilities_rows_in_order() -> None:
    labels = [label for label, _ in rk.responsibilities(2, "voluntary")]
    assert labels == [
        "casusregie (case direction)",
        "behandelregie (treatment direction)",
        "procesregie (process direction)",
        "operational responsibility (operationeel verantwoordelijk)",
        "administrative responsibility (bestuurlijk verantwoordelijk)",
        "informal network (informeel netwerk)",
    ]
    assert rk.responsibilities(2, "vrijwillig") == rk.responsibilities(2, "voluntary")


# --- the table, phase by phase --------------------------------------------------------------------


def test_phase_1() -> None:
    vol = holders(1, "voluntary")
    assert "citizens" in lower(vol["casusregie"])
    assert "basic services" in lower(vol["casusregie"])
    assert holders(1, "compulsory")["casusregie"] is None
    for framework in ("voluntary", "compulsory"):
        h = holders(1, framework)
        assert h["behandelregie"] is None
        assert h["procesregie"] is None
        assert "basic services" in lower(h["operational"])
        assert "alderman" in lower(h["administrative"])
        assert "wethouder sociaal domein" in lower(h["administrative"])
        assert "mayor" not in lower(h["administrative"])


PROFESSIONALS = ("wijkteam", "toegang", "cjg", "care provider", "veilig thuis", "gi")


@pytest.mark.parametrize("n", [2, 3])
def test_phases_2_and_3_compulsory_casusregie(n: int) -> None:
    text = lower(holders(n, "compulsory")["casusregie"])
    assert "always a professional" in text
    youth, adults = text.split("adults:")
    assert "youth:" in youth
    assert "guardian" in youth
    assert "youth probation officer" in youth
    assert "gi" in youth
    assert "probation" in adults
    assert "forensic care" in adults
    assert "care providers" in adults


def test_phase_2_voluntary_casusregie_client_or_professional() -> None:
    text = lower(holders(2, "voluntary")["casusregie"])
    assert "the client" in text
    assert "always" not in text
    for word in PROFESSIONALS:
        assert word in text
    assert "tandem" in text


def test_phase_3_voluntary_casusregie_always_a_professional() -> None:
    text = lower(holders(3, "voluntary")["casusregie"])
    assert "always a professional" in text
    for word in PROFESSIONALS:
        assert word in text
    assert "client" not in text


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("framework", ["voluntary", "compulsory"])
def test_behandelregie_regiebehandelaar(n: int, framework: str) -> None:
    assert "regiebehandelaar" in lower(holders(n, framework)["behandelregie"])


@pytest.mark.parametrize("framework", ["voluntary", "compulsory"])
def test_phases_2_and_3_procesregie_operational_administrative(framework: str) -> None:
    two, three = holders(2, framework), holders(3, framework)
    assert "process director" in lower(two["procesregie"])
    assert "oggz" in lower(two["procesregie"])
    assert "veilig thuis" in lower(two["procesregie"])
    assert "process director" in lower(three["procesregie"])
    assert "veilig thuis" in lower(three["procesregie"])
    assert "oggz" not in lower(three["procesregie"])
    for h in (two, three):
        assert "team leader" in lower(h["operational"])
        assert "managers" in lower(h["operational"])
        assert "alderman" in lower(h["administrative"])
    assert "mayor" not in lower(two["administrative"])
    assert "informs the mayor" in lower(three["administrative"])


@pytest.mark.parametrize("framework", ["voluntary", "compulsory"])
def test_phase_4(framework: str) -> None:
    h = holders(4, framework)
    assert "two tracks" in lower(h["casusregie"])
    assert "zorgcalamiteit" in lower(h["casusregie"])
    assert "calamiteit sociaal domein" in lower(h["casusregie"])
    assert "aov" in lower(h["procesregie"])
    assert "care department" in lower(h["procesregie"])
    assert "sociaal calamiteiten plan zeeland" in lower(h["procesregie"])
    assert "aov" in lower(h["operational"])
    assert "mayor" in lower(h["administrative"])
    assert "alderman" in lower(h["administrative"])


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_informal_network_in_every_phase(n: int) -> None:
    assert "every phase" in lower(holders(n, "voluntary")["informal"])


# --- the tracks ----------------------------------------------------------------------------------


def test_care_track_checklist() -> None:
    care = rk.track("care")
    assert care.name_nl == "Zorgcalamiteit bij zorgaanbieder"
    codes = [e.code for e in care.inform]
    assert codes == [
        "aov",
        "communications",
        "portfolio_holder",
        "mayor",
        "process_coordinator",
        "calamity_meeting_decision",
    ]
    by_code = {e.code: e for e in care.inform}
    for code in codes[:-1]:
        assert "care department" in by_code[code].informed_by
    decision = by_code["calamity_meeting_decision"]
    assert "portfolio holder" in decision.informed_by
    assert "mayor" in decision.informed_by
    assert "zorgcalamiteitsoverleg" in decision.label_nl


def test_social_track_checklist() -> None:
    social = rk.track("social")
    assert social.name_nl == "Andere calamiteit sociaal domein"
    assert [e.code for e in social.inform] == ["aov", "local_triangle", "communications_adviser"]
    by_code = {e.code: e for e in social.inform}
    assert by_code["local_triangle"].informed_by == "AOV"
    assert by_code["communications_adviser"].informed_by == "AOV"
    for word in ("mayor", "police", "public prosecutor"):
        assert word in by_code["local_triangle"].label


def test_checklist_entries_are_complete_and_codes_stable() -> None:
    for code in ("care", "social"):
        entries = rk.checklist_for(code)
        assert entries == rk.track(code).inform
        for e in entries:
            assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", e.code)
            assert e.label
            assert e.label_nl
            assert e.informed_by


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("care", "care"),
        ("CARE", "care"),
        ("zorg", "care"),
        ("zorgcalamiteit", "care"),
        ("social", "social"),
        ("sociaal", "social"),
        ("sociaal_domein", "social"),
        ("Sociaal domein", "social"),
        (" sociaal-domein ", "social"),
    ],
)
def test_parse_track(text: str, code: str) -> None:
    assert rk.parse_track(text) == code
    assert rk.track(text).code == code


@pytest.mark.parametrize("text", ["", "both", "calamity", "zorgen"])
def test_parse_track_unknown(text: str) -> None:
    with pytest.raises(InvalidValue, match="track"):
        rk.parse_track(text)
    with pytest.raises(InvalidValue):
        rk.checklist_for(text)


# --- check_phase_change --------------------------------------------------------------------------


def change(
    current: int,
    new: int,
    *,
    framework: str = "voluntary",
    regie: str = "professional",
    track: str | None = None,
) -> None:
    rk.check_phase_change(current=current, new=new, framework=framework, regie=regie, track=track)


@pytest.mark.parametrize(
    ("current", "new", "track"),
    [(1, 2, None), (2, 3, None), (2, 4, "care"), (2, 4, "sociaal"), (4, 2, None), (3, 2, None)],
)
def test_allowed_moves(current: int, new: int, track: str | None) -> None:
    change(current, new, track=track)
    change(current, new, framework="compulsory", track=track)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_same_phase_refused(n: int) -> None:
    with pytest.raises(RuleViolation, match=rf"^case is already in phase {n}$"):
        change(n, n, track="care" if n == 4 else None)


@pytest.mark.parametrize(("current", "new"), [(2, 3), (1, 3), (2, 4), (1, 4)])
def test_client_regie_refused_for_phase_3_and_4(current: int, new: int) -> None:
    with pytest.raises(RuleViolation) as info:
        change(current, new, regie="client", track="care" if new == 4 else None)
    assert str(info.value) == (
        f"regiekaart: in phase {new} casusregie is always held by a professional; "
        "the client holds it in this case"
    )
    assert info.value.hint == rk.HAND_REGIE_TO_PROFESSIONAL
    assert error_text(info.value) == (
        f"regiekaart: in phase {new} casusregie is always held by a professional; "
        f"the client holds it in this case — 'icrctl phase set REF {new} --regie professional "
        "--reason …' hands it to a professional in the same step (or first 'icrctl case edit "
        "REF --regie professional')"
    )


def test_client_regie_hint_names_the_case() -> None:
    with pytest.raises(RuleViolation) as info:
        rk.check_phase_change(
            current=2, new=3, framework="voluntary", regie="client", track=None, ref="GO-2026-014"
        )
    assert info.value.facts == {"ref": "GO-2026-014", "phase": "3"}
    assert error_text(info.value).endswith(
        " — 'icrctl phase set GO-2026-014 3 --regie professional --reason …' hands it to a "
        "professional in the same step (or first 'icrctl case edit GO-2026-014 --regie "
        "professional')"
    )


def test_client_regie_allowed_in_phases_1_and_2() -> None:
    change(2, 1, regie="client")
    change(1, 2, regie="cliënt")
    change(3, 2, regie="client")


@pytest.mark.parametrize("current", [1, 2, 3])
def test_phase_4_needs_a_track(current: int) -> None:
    with pytest.raises(RuleViolation) as info:
        change(current, 4)
    assert str(info.value) == "phase 4 has two tracks"
    assert info.value.hint == rk.CHOOSE_TRACK
    assert error_text(info.value) == (
        "phase 4 has two tracks: give --track care (zorgcalamiteit) "
        "or --track social (calamiteit sociaal domein)"
    )


@pytest.mark.parametrize(("current", "new"), [(1, 2), (2, 3), (4, 3), (4, 1)])
def test_track_refused_outside_phase_4(current: int, new: int) -> None:
    with pytest.raises(RuleViolation) as info:
        change(current, new, track="care")
    assert info.value.hint == rk.DROP_TRACK
    assert error_text(info.value) == (
        "a track applies only to phase 4 (zorgcalamiteit or calamiteit sociaal domein); "
        f"phase {new} has none: leave out --track"
    )


def test_a_stray_track_is_reported_before_the_client_regie() -> None:
    with pytest.raises(RuleViolation) as info:
        change(2, 3, regie="client", track="care")
    assert info.value.hint == rk.DROP_TRACK


def test_unknown_track_refused() -> None:
    with pytest.raises(InvalidValue, match="track"):
        change(2, 4, track="brand")


# --- check_track ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("track", "code"), [("care", "care"), ("zorg", "care"), ("sociaal", "social")]
)
def test_phase_4_takes_a_track(track: str, code: str) -> None:
    assert rk.check_track(4, track) == code


@pytest.mark.parametrize("n", [1, 2, 3])
def test_other_phases_take_none(n: int) -> None:
    assert rk.check_track(n, None) is None
    with pytest.raises(
        RuleViolation, match=rf"^a track applies only to phase 4 .*phase {n} has none$"
    ):
        rk.check_track(n, "care")


def test_check_track_refusals() -> None:
    with pytest.raises(RuleViolation, match=r"^phase 4 has two tracks$"):
        rk.check_track(4, None)
    with pytest.raises(InvalidValue, match="track"):
        rk.check_track(4, "brand")
    with pytest.raises(InvalidValue, match=r"^phase must be 1, 2, 3 or 4$"):
        rk.check_track(5, None)


def test_rules_write_no_command_lines() -> None:
    """The hint words are the command line's: a rule's own message names no option."""
    refusals = [
        lambda: change(2, 3, regie="client"),
        lambda: change(2, 4),
        lambda: change(2, 3, track="care"),
        lambda: rk.check_regie(3, "voluntary", "client"),
        lambda: rk.check_regie(2, "compulsory", "client"),
    ]
    for refuse in refusals:
        with pytest.raises(RuleViolation) as info:
            refuse()
        assert "--" not in str(info.value)
        assert "case edit" not in str(info.value)


@pytest.mark.parametrize(("current", "new"), [(0, 2), (2, 5)])
def test_phase_numbers_checked(current: int, new: int) -> None:
    with pytest.raises(InvalidValue, match=r"^phase must be 1, 2, 3 or 4$"):
        change(current, new)


# --- check_regie ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 4])  # phase 1: tests/domain/test_regiekaart_frameworks.py
@pytest.mark.parametrize("framework", ["voluntary", "compulsory"])
def test_professional_regie_always_allowed(n: int, framework: str) -> None:
    rk.check_regie(n, framework, "professional")


@pytest.mark.parametrize("n", [1, 2])
def test_client_regie_allowed_voluntary_phases_1_2(n: int) -> None:
    rk.check_regie(n, "voluntary", "client")
    rk.check_regie(n, "vrijwillig", "cliënt")


@pytest.mark.parametrize("n", [3, 4])
def test_client_regie_refused_voluntary_phases_3_4(n: int) -> None:
    with pytest.raises(
        RuleViolation,
        match=rf"^regiekaart: in phase {n} casusregie is always held by a professional",
    ):
        rk.check_regie(n, "voluntary", "client")


@pytest.mark.parametrize("n", [2, 3, 4])  # phase 1 has no compulsory framework at all
def test_client_regie_refused_compulsory(n: int) -> None:
    with pytest.raises(RuleViolation, match="compulsory framework casusregie is always held by"):
        rk.check_regie(n, "compulsory", "client")


def test_check_regie_bad_values() -> None:
    with pytest.raises(InvalidValue):
        rk.check_regie(5, "voluntary", "professional")
    with pytest.raises(InvalidValue):
        rk.check_regie(2, "forced", "professional")
    with pytest.raises(InvalidValue):
        rk.check_regie(2, "voluntary", "family")
