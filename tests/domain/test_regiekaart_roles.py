"""Who the regiekaart names for casusregie and procesregie (``holder_kinds`` in
``regiekaart.yaml``): a holder it refuses is refused quoting it, one it does not name is accepted
in consultation, over every phase, framework and holder (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.domain import regiekaart as rk
from icrctl.domain.vocabulary import FRAMEWORK, PARTNER_KIND
from icrctl.errors import RuleViolation

VOLUNTARY = {
    "neighbourhood_team",
    "access_team",
    "youth_family_centre",
    "care_provider",
    "veilig_thuis",
    "youth_protection",
}


def test_the_card_as_data() -> None:
    for n in (2, 3, 4):
        assert set(rk.named_casusregie_kinds(n, "voluntary")) == VOLUNTARY
        assert rk.named_casusregie_kinds(n, "compulsory", youth=False) == (
            "probation",
            "forensic_care",
            "care_provider",
        )
        assert "youth_protection" in rk.named_casusregie_kinds(n, "compulsory", youth=True)
    assert rk.named_casusregie_kinds(1, "voluntary") == ()
    assert rk.phase(1).procesregie_kinds is None
    assert rk.phase(2).procesregie_kinds == ("icr", "public_mental_health", "veilig_thuis")
    assert rk.phase(3).procesregie_kinds == ("icr", "veilig_thuis")
    assert rk.phase(4).procesregie_kinds == ("public_order_officer", "municipality")


holders = st.one_of(
    st.sampled_from([("client", None), ("icr", None)]),
    st.sampled_from(PARTNER_KIND.terms).map(lambda kind: ("partner", kind)),
)


@given(
    phase=st.sampled_from((1, 2, 3, 4)),
    framework=st.sampled_from(FRAMEWORK.terms),
    holder=holders,
    youth=st.booleans(),
)
def test_casusregie_is_refused_or_accepted_as_the_card_says(
    phase: int, framework: str, holder: tuple[str, str | None], youth: bool
) -> None:
    who, kind = holder
    regie = rk.holder_regie(who)
    allowed = rk.phase(phase).may_hold(framework, regie)
    if not allowed:
        with pytest.raises(RuleViolation, match=r"^regiekaart: "):
            rk.check_casusregie(phase, framework, who, kind, youth)
        return
    note = rk.check_casusregie(phase, framework, who, kind, youth)
    named = rk.named_casusregie_kinds(phase, framework, youth)
    if who == "partner" and kind not in named:
        assert note is not None
        assert note.startswith("regiekaart: ")
        assert "in consultation (in overleg)" in note
    else:
        assert note is None
    assert (who == "icr") <= (regie == "professional")  # the ICR counts as a professional


@given(
    phase=st.sampled_from((1, 2, 3, 4)),
    holder=st.one_of(
        st.just((None, None)),
        st.just(("icr", None)),
        st.sampled_from(PARTNER_KIND.terms).map(lambda kind: ("partner", kind)),
    ),
)
def test_procesregie_is_refused_in_phase_1_and_else_named_or_in_consultation(
    phase: int, holder: tuple[str | None, str | None]
) -> None:
    who, kind = holder
    if who is None:
        assert rk.check_procesregie(phase, who, kind) is None
        return
    if phase == 1:
        with pytest.raises(RuleViolation, match=r"^regiekaart: in phase 1 .* nobody holds"):
            rk.check_procesregie(phase, who, kind)
        assert rk.procesregie_note(phase, who, kind) is not None  # flagged, for old cases
        return
    note = rk.check_procesregie(phase, who, kind)
    named = rk.phase(phase).procesregie_kinds or ()
    assert (note is None) == ((kind if who == "partner" else "icr") in named)


def test_the_words_quote_the_card() -> None:
    note = rk.casusregie_note(2, "voluntary", "partner", "police")
    assert note == (
        "regiekaart: Voluntary framework (vrijwillig kader): the client directs the case "
        "themselves (cliënt voert zelf casusregie), or a professional of the social neighbourhood "
        "team (sociaal wijkteam), the access team (Toegang), the CJG, a care provider "
        "(zorgaanbieder), Veilig Thuis, or the GI on behalf of the local team (tandem GI/local "
        "team). — a partner of kind police is not among them: casusregie in consultation (in "
        "overleg)"
    )
    assert rk.procesregie_note(3, "partner", "public_mental_health") == (
        "regiekaart: procesregie in phase 3: The municipal process director for the social domain "
        "(gemeentelijk procesregisseur sociaal domein), or Veilig Thuis. — a partner of kind "
        "public_mental_health is not among them: in consultation (in overleg)"
    )
