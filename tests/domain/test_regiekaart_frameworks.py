"""Who may hold casusregie, per phase and framework, as the regiekaart's data says
(``casusregie`` in regiekaart.yaml), and the partner kinds of the organisations the card names."""

from __future__ import annotations

import importlib.resources
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from icrctl import i18n
from icrctl.domain import regiekaart as rk
from icrctl.domain.vocabulary import FRAMEWORK, PARTNER_KIND, REGIE
from icrctl.errors import RuleViolation
from icrctl.render.errors import error_text

#: The card's table (docs/domain.md): per phase, per framework it has, who may hold casusregie.
CARD: dict[int, dict[str, set[str]]] = {
    1: {"voluntary": {"client"}},
    2: {"voluntary": {"client", "professional"}, "compulsory": {"professional"}},
    3: {"voluntary": {"professional"}, "compulsory": {"professional"}},
    4: {"voluntary": {"professional"}, "compulsory": {"professional"}},
}

phases = st.sampled_from(rk.PHASE_NUMBERS)
frameworks = st.sampled_from(FRAMEWORK.terms)
holders = st.sampled_from(REGIE.terms)


def source() -> dict[str, Any]:
    resource = importlib.resources.files("icrctl.domain") / "regiekaart.yaml"
    data: dict[str, Any] = yaml.safe_load(resource.read_text(encoding="utf-8"))
    return data


def refusal(call: Any) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call()
    return caught.value


# --- the data ------------------------------------------------------------------------------------


def test_the_table_is_the_cards() -> None:
    for p in rk.phases():
        assert {kind: set(who) for kind, who in p.casusregie.items()} == CARD[p.number]


def test_the_rules_are_read_from_the_yaml() -> None:
    raw = {p["number"]: p["casusregie"] for p in source()["phases"]}
    for p in rk.phases():
        assert dict(p.casusregie) == {kind: tuple(who) for kind, who in raw[p.number].items()}


def test_a_framework_has_rules_exactly_where_the_card_names_its_holders() -> None:
    for p in rk.phases():
        named = {kind for kind in FRAMEWORK.terms if p.roles[f"casusregie_{kind}"] is not None}
        assert set(p.frameworks) == named
    assert rk.phase(1).frameworks == ("voluntary",)


def test_professional_casusregie_required_follows_from_the_table() -> None:
    assert [p.professional_casusregie_required for p in rk.phases()] == [False, False, True, True]


def _parse_with(change: Any) -> None:
    data = source()
    change(data["phases"])
    rk._parse(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize(
    "change",
    [
        lambda ps: ps[0]["casusregie"].update(compulsory=["professional"]),  # role is null
        lambda ps: ps[1]["casusregie"].pop("compulsory"),
        lambda ps: ps[1]["casusregie"].update(voluntary=[]),
        lambda ps: ps[1]["casusregie"].update(voluntary=["client", "client"]),
        lambda ps: ps[2]["casusregie"].update(voluntary=["family"]),
        lambda ps: ps[3].pop("casusregie"),
    ],
)
def test_a_table_that_does_not_fit_the_card_is_a_packaging_error(change: Any) -> None:
    with pytest.raises(rk._DataError, match="casusregie"):
        _parse_with(change)


# --- the rule ------------------------------------------------------------------------------------


@given(n=phases, kind=frameworks, who=holders)
def test_check_regie_refuses_exactly_what_the_card_does_not_give(
    n: int, kind: str, who: str
) -> None:
    allowed = who in CARD[n].get(kind, set())
    if allowed:
        rk.check_regie(n, kind, who)
        assert rk.casusregie_breach(n, kind, who) is None
        return
    refused = refusal(lambda: rk.check_regie(n, kind, who))
    assert str(refused).startswith("regiekaart: ")
    assert refused.hint is None
    assert rk.casusregie_breach(n, kind, who) == str(refused)


@given(current=phases, new=phases, kind=frameworks, who=holders)
def test_a_phase_change_is_held_to_the_card_as_the_case_will_be(
    current: int, new: int, kind: str, who: str
) -> None:
    track = "care" if new == 4 else None

    def move() -> None:
        rk.check_phase_change(
            current=current, new=new, framework=kind, regie=who, track=track, ref="GO-1"
        )

    if current == new:
        assert str(refusal(move)) == f"case is already in phase {new}"
    elif who in CARD[new].get(kind, set()):
        move()
    else:
        refused = refusal(move)
        assert str(refused).startswith("regiekaart: ")
        assert refused.hint is not None
        assert refused.facts["ref"] == "GO-1"


def test_phase_1_has_no_compulsory_framework() -> None:
    message = "regiekaart: phase 1 (Het gewone leven) has no compulsory framework"
    for who in REGIE.terms:
        assert str(refusal(lambda w=who: rk.check_regie(1, "gedwongen", w))) == message
    refused = refusal(
        lambda: rk.check_phase_change(
            current=2, new=1, framework="compulsory", regie="professional", track=None, ref="GO-1"
        )
    )
    assert refused.hint == rk.CHANGE_FRAMEWORK
    assert error_text(refused) == (
        f"{message} — when the framework has changed, first 'icrctl case edit GO-1 --framework "
        "voluntary'"
    )


def test_in_phase_1_the_client_holds_casusregie() -> None:
    rk.check_regie(1, "vrijwillig", "cliënt")
    assert str(refusal(lambda: rk.check_regie(1, "voluntary", "professional"))) == (
        "regiekaart: in phase 1 (Het gewone leven) the client holds casusregie themselves; "
        "a professional cannot hold it"
    )
    refused = refusal(
        lambda: rk.check_phase_change(
            current=3, new=1, framework="voluntary", regie="professional", track=None, ref="GO-1"
        )
    )
    assert refused.hint == rk.HAND_REGIE_TO_CLIENT
    assert refused.facts == {"ref": "GO-1", "phase": "1"}
    assert error_text(refused) == (
        "regiekaart: in phase 1 (Het gewone leven) the client holds casusregie themselves; "
        "a professional holds it in this case — 'icrctl phase set GO-1 1 --regie client "
        "--reason …' hands it to the client in the same step"
    )


def test_a_compulsory_case_the_client_holds_is_not_moved_on() -> None:
    """Such a case cannot be made today; one from before is refused its next phase with the way
    out, not let through."""
    refused = refusal(
        lambda: rk.check_phase_change(
            current=2, new=3, framework="compulsory", regie="client", track=None, ref="GO-1"
        )
    )
    assert str(refused) == (
        "regiekaart: in a compulsory framework casusregie is always held by a professional (GI, "
        "probation, forensic care or a care provider); the client holds it in this case"
    )
    assert refused.hint == rk.HAND_REGIE_TO_PROFESSIONAL


def test_a_stray_track_is_still_reported_first() -> None:
    refused = refusal(
        lambda: rk.check_phase_change(
            current=2, new=1, framework="compulsory", regie="professional", track="care"
        )
    )
    assert refused.hint == rk.DROP_TRACK


@given(n=phases, kind=frameworks)
def test_a_new_case_defaults_to_the_cards_holder(n: int, kind: str) -> None:
    who = rk.default_regie(n, kind)
    if kind in CARD[n]:
        assert who in CARD[n][kind]
        assert who == "professional" or CARD[n][kind] == {"client"}
    else:
        assert who == "professional"  # and the framework itself is refused
    assert rk.default_regie(1, "vrijwillig") == "client"


def test_the_rules_speak_dutch() -> None:
    i18n.use("nl")
    assert rk.casusregie_breach(1, "compulsory", "professional") == (
        "regiekaart: fase 1 (Het gewone leven) kent geen gedwongen kader"
    )
    assert rk.casusregie_breach(1, "voluntary", "professional") == (
        "regiekaart: in fase 1 (Het gewone leven) voert de cliënt zelf de casusregie; "
        "een professional kan die niet voeren"
    )
    refused = refusal(
        lambda: rk.check_phase_change(
            current=2, new=1, framework="voluntary", regie="professional", track=None, ref="GO-1"
        )
    )
    assert error_text(refused) == (
        "regiekaart: in fase 1 (Het gewone leven) voert de cliënt zelf de casusregie; in deze "
        "casus voert een professional die — 'icrctl phase set GO-1 1 --regie client --reason …' "
        "draagt die in dezelfde stap over aan de cliënt"
    )
    refused = refusal(
        lambda: rk.check_phase_change(
            current=2, new=1, framework="compulsory", regie="client", track=None, ref="GO-1"
        )
    )
    assert error_text(refused).endswith(
        " — als het kader veranderd is, eerst 'icrctl case edit GO-1 --framework voluntary'"
    )


# --- the organisations the card names ------------------------------------------------------------

#: Each organisation the card names (casusregie, procesregie), as a practitioner writes it, and its
#: partner kind.
ORGANISATIONS = {
    "wijkteam": "neighbourhood_team",
    "sociaal wijkteam": "neighbourhood_team",
    "Toegang": "access_team",
    "CJG": "youth_family_centre",
    "centrum voor jeugd en gezin": "youth_family_centre",
    "zorgaanbieder": "care_provider",
    "Veilig Thuis": "veilig_thuis",
    "GI": "youth_protection",
    "gecertificeerde instelling": "youth_protection",
    "jeugdbescherming": "youth_protection",
    "jeugdreclassering": "youth_protection",
    "reclassering": "probation",
    "forensische zorg": "forensic_care",
    "OGGZ": "public_mental_health",
    "OGGZ-team": "public_mental_health",
    "AOV": "public_order_officer",
    "ambtenaar openbare orde en veiligheid": "public_order_officer",
    "gemeente": "municipality",
}


@pytest.mark.parametrize(("word", "kind"), ORGANISATIONS.items())
def test_every_organisation_of_the_card_is_a_partner_kind(word: str, kind: str) -> None:
    assert PARTNER_KIND.parse(word) == kind


#: The organisations as the card's Dutch writes them (casusregie, procesregie, phase 4).
CARD_WORDS = (
    "wijkteam", "toegang", "cjg", "zorgaanbieder", "veilig thuis", "gi", "jeugdreclassering",
    "reclassering", "forensische zorg", "oggz", "aov",
)  # fmt: skip


def test_the_card_names_them_and_each_is_a_partner_kind() -> None:
    text = " ".join(
        (p.holders[key] or rk.Wording("-", "-")).nl.lower()
        for p in rk.phases()
        for key in ("casusregie_voluntary", "casusregie_compulsory", "procesregie")
    )
    for word in CARD_WORDS:
        assert word in text, word
        assert PARTNER_KIND.parse(word) in ORGANISATIONS.values(), word


@pytest.mark.parametrize(
    ("kind", "dutch"),
    [
        ("access_team", "toegang"),
        ("youth_family_centre", "cjg"),
        ("care_provider", "zorgaanbieder"),
        ("forensic_care", "forensische_zorg"),
        ("public_mental_health", "oggz"),
        ("public_order_officer", "aov"),
    ],
)
def test_a_new_kind_reads_in_dutch_by_its_dutch_name(kind: str, dutch: str) -> None:
    assert PARTNER_KIND.dutch(kind) == dutch
    i18n.use("nl")
    assert PARTNER_KIND.label(kind) == dutch.replace("_", " ")


def test_no_kind_or_word_was_renamed_or_dropped() -> None:
    before = {
        "neighbourhood_team": ("wijkteam", "sociaal_wijkteam"),
        "veilig_thuis": (),
        "police": ("politie", "wijkagent"),
        "youth_health": ("jgz", "jeugdgezondheidszorg", "consultatiebureau"),
        "school": (),
        "gp": ("huisarts",),
        "mental_health": ("ggz",),
        "addiction_care": ("verslavingszorg",),
        "youth_protection": ("gi", "jeugdbescherming", "gecertificeerde_instelling"),
        "probation": ("reclassering",),
        "therapist": ("therapeut",),
        "shelter": ("opvang", "vrouwenopvang"),
        "debt_help": ("schuldhulp", "schuldhulpverlening"),
        "housing": ("woningcorporatie",),
        "social_work": ("maatschappelijk_werk",),
        "municipality": ("gemeente",),
        "other": ("overig", "anders"),
    }
    kept = [t for t in PARTNER_KIND.terms if t in before]
    assert kept == list(before)
    for term, words in before.items():
        now = tuple(a for a, t in PARTNER_KIND.aliases.items() if t == term)
        assert now[: len(words)] == words, term
    assert PARTNER_KIND.terms[-1] == "other"
