"""Free text (NFC, trimmed, no control characters) and the vocabulary with its Dutch aliases."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from icrctl.domain.text import clean_text, optional_text
from icrctl.domain.vocabulary import (
    CONTACT_KIND,
    DOMAIN,
    EVENT_KIND,
    FRAMEWORK,
    GOAL_STATUS,
    MEETING_STATUS,
    PARTNER_KIND,
    REGIE,
    RELATION,
    ROLE,
    STAGE,
    VIOLENCE,
    WEEKDAY,
    Vocabulary,
)
from icrctl.errors import InvalidValue

# --- text -----------------------------------------------------------------------------------

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
C0_C1 = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]


def test_decomposed_text_is_stored_composed() -> None:
    decomposed = "Zoe\u0308 Yılmaz"
    assert len(decomposed) == 11
    cleaned = clean_text(decomposed, "name")
    assert cleaned == "Zoë Yılmaz"
    assert cleaned == "Zo\u00eb Y\u0131lmaz"
    assert unicodedata.is_normalized("NFC", cleaned)


def test_text_is_trimmed() -> None:
    assert clean_text("  Sanne de Vries \n", "name") == "Sanne de Vries"


@pytest.mark.parametrize(
    "bad",
    ["Jan\x07", "\x1b[31mJan", "Jan\x1b[0m de Wit", "Jan\u202edeW", "A\x00B", "A\x7fB", "A\u2066B"],
)
def test_control_characters_are_refused(bad: str) -> None:
    with pytest.raises(InvalidValue, match=r"name contains a control character \(U\+"):
        clean_text(bad, "name")


def test_refusal_names_the_code_point() -> None:
    with pytest.raises(InvalidValue, match=r"title contains a control character \(U\+202E\)"):
        clean_text("Familie \u202eseirV eD", "title")
    with pytest.raises(InvalidValue, match=r"U\+001B"):
        clean_text("x\x1b[31my", "title")


@pytest.mark.parametrize("ch", C0_C1 + BIDI)
def test_every_control_and_bidi_character_inside_text_is_refused(ch: str) -> None:
    with pytest.raises(InvalidValue, match="control character"):
        clean_text(f"Jan{ch}de Wit", "name")


def test_undecodable_bytes_are_refused() -> None:
    """A non-UTF-8 terminal hands Python surrogate escapes; they cannot be stored."""
    with pytest.raises(InvalidValue, match=r"name is not valid UTF-8 text \(U\+DCFF\)"):
        clean_text("Jan\udcff", "name")


def test_line_breaks_and_tabs_only_in_multiline_fields() -> None:
    assert clean_text("eerste regel\r\ntweede\tregel", "note", multiline=True) == (
        "eerste regel\ntweede\tregel"
    )
    with pytest.raises(InvalidValue, match="control character"):
        clean_text("eerste\ntweede", "name")
    with pytest.raises(InvalidValue, match="control character"):
        clean_text("a\tb", "name")
    with pytest.raises(InvalidValue, match="control character"):
        clean_text("bel\x07", "note", multiline=True)
    with pytest.raises(InvalidValue, match="control character"):
        clean_text("a\u202eb", "note", multiline=True)


def test_empty_text() -> None:
    with pytest.raises(InvalidValue, match="name must not be empty"):
        clean_text("   ", "name")
    assert clean_text("  ", "name", required=False) == ""
    assert optional_text(None, "phone") is None
    assert optional_text("   ", "phone") is None
    assert optional_text(" 06 1234 5678 ", "phone") == "06 1234 5678"
    with pytest.raises(InvalidValue):
        optional_text("06\x07", "phone")


def test_markup_and_non_ascii_letters_are_ordinary_text() -> None:
    for text in ("Jan [/] de Wit", "[bold]x[/bold]", "Zoë Yılmaz", "Łukasz Šimić", "محمد"):
        assert clean_text(text, "name") == text


printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="".join(BIDI)),
    max_size=30,
)


@given(text=printable)
def test_clean_text_is_nfc_trimmed_and_idempotent(text: str) -> None:
    expected = unicodedata.normalize("NFC", text).strip()
    assume(expected)
    cleaned = clean_text(text, "name")
    assert cleaned == expected
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned, "name") == cleaned


@given(
    left=printable.filter(lambda s: s.strip()),
    right=printable.filter(lambda s: s.strip()),
    ch=st.sampled_from(C0_C1 + BIDI),
)
def test_a_control_character_between_letters_is_always_refused(
    left: str, right: str, ch: str
) -> None:
    with pytest.raises(InvalidValue, match="control character"):
        clean_text(left.strip() + ch + right.strip(), "name")


# --- vocabulary -----------------------------------------------------------------------------

# The table of docs/format.md, written out here so that a drift in the code fails a test.
FORMAT_MD: dict[str, tuple[Vocabulary, dict[str, tuple[str, ...]]]] = {
    "stage": (
        STAGE,
        {
            "inventory": ("inventarisatie", "in_kaart_brengen"),
            "analysis": ("analyse", "analyse_en_plan"),
            "execution": ("uitvoering", "uitvoering_en_evaluatie"),
            "aftercare": ("nazorg",),
            "closed": ("afgesloten", "gesloten"),
        },
    ),
    "framework": (
        FRAMEWORK,
        {
            "voluntary": ("vrijwillig", "vrijwillig_kader"),
            "compulsory": ("gedwongen", "gedwongen_kader", "verplicht"),
        },
    ),
    "regie": (
        REGIE,
        {"professional": ("professional", "professioneel"), "client": ("client", "cliënt")},
    ),
    "role": (
        ROLE,
        {
            "victim": ("slachtoffer",),
            "perpetrator": ("pleger", "dader"),
            "both": ("beide", "slachtoffer_en_pleger"),
            "child": ("kind", "zoon", "dochter"),
            "ex_partner": ("ex-partner", "ex"),
            "grandparent": ("grootouder", "oma", "opa", "grootmoeder", "grootvader"),
            "family": ("familie", "familielid"),
            "network": ("netwerk", "netwerklid"),
        },
    ),
    "relation": (
        RELATION,
        {
            "partner": ("partner", "partner_van"),
            "ex_partner": ("ex-partner", "ex", "ex_van"),
            "parent_of": ("ouder_van", "moeder_van", "vader_van"),
            "sibling": ("broer_zus", "broer_van", "zus_van", "broer", "zus"),
            "married": ("getrouwd", "gehuwd", "getrouwd_met", "echtgenoot_van", "echtgenote_van"),
            "divorced": ("gescheiden", "gescheiden_van"),
            "violent_towards": ("geweld_tegen", "pleger_van", "gewelddadig_tegen"),
        },
    ),
    "violence": (
        VIOLENCE,
        {
            "physical": ("fysiek", "lichamelijk"),
            "psychological": ("psychisch", "geestelijk"),
            "sexual": ("seksueel",),
            "financial": ("financieel",),
            "neglect": ("verwaarlozing",),
            "stalking": ("stalking", "belaging"),
            "elder_abuse": ("ouderenmishandeling",),
        },
    ),
    "domains": (
        DOMAIN,
        {
            "parenting": ("opvoeden", "opvoeding"),
            "mental_health": ("psychische_gezondheid",),
            "physical_health": ("lichamelijke_gezondheid",),
            "finances": ("financiën", "financien", "schulden"),
            "housing": ("huisvesting", "wonen"),
            "addiction": ("verslaving",),
            "intellectual_disability": ("lvb", "licht_verstandelijke_beperking"),
            "justice": ("justitie",),
            "work_daytime": ("dagbesteding", "werk"),
            "social_network": ("sociaal_netwerk",),
            "relationship": ("relatie", "relaties"),
        },
    ),
    "partner kind": (
        PARTNER_KIND,
        {
            "neighbourhood_team": ("wijkteam", "sociaal_wijkteam"),
            "access_team": ("toegang", "toegangsteam", "integrale_toegang"),
            "youth_family_centre": ("cjg", "centrum_voor_jeugd_en_gezin"),
            "veilig_thuis": (),
            "police": ("politie", "wijkagent"),
            "youth_health": ("jgz", "jeugdgezondheidszorg", "consultatiebureau"),
            "school": (),
            "gp": ("huisarts",),
            "mental_health": ("ggz",),
            "public_mental_health": ("oggz", "oggz_team", "openbare_geestelijke_gezondheidszorg"),
            "addiction_care": ("verslavingszorg",),
            "care_provider": ("zorgaanbieder",),
            "forensic_care": ("forensische_zorg",),
            "youth_protection": (
                "gi",
                "jeugdbescherming",
                "gecertificeerde_instelling",
                "jeugdreclassering",
            ),
            "probation": ("reclassering",),
            "therapist": ("therapeut",),
            "shelter": ("opvang", "vrouwenopvang"),
            "debt_help": ("schuldhulp", "schuldhulpverlening"),
            "housing": ("woningcorporatie",),
            "social_work": ("maatschappelijk_werk",),
            "municipality": ("gemeente",),
            "public_order_officer": ("aov", "ambtenaar_openbare_orde_en_veiligheid"),
            "other": ("overig", "anders"),
        },
    ),
    "contact kind": (
        CONTACT_KIND,
        {
            "visit": ("huisbezoek", "bezoek"),
            "phone": ("telefoon", "telefonisch"),
            "message": ("bericht", "sms", "app"),
            "meeting": ("overleg", "vergadering"),
            "email": ("email", "e-mail", "mail"),
            "report": ("report", "melding"),
        },
    ),
    "weekday": (
        WEEKDAY,
        {
            "mon": ("ma",),
            "tue": ("di",),
            "wed": ("wo",),
            "thu": ("do",),
            "fri": ("vr",),
            "sat": ("za",),
            "sun": ("zo",),
        },
    ),
    "goal status": (
        GOAL_STATUS,
        {"open": ("open",), "achieved": ("behaald", "bereikt"), "dropped": ("vervallen",)},
    ),
    "meeting status": (
        MEETING_STATUS,
        {
            "held": ("gehouden",),
            "cancelled": ("afgelast", "geannuleerd", "afgezegd"),
            "moved": ("verplaatst",),
        },
    ),
    "event kind": (
        EVENT_KIND,
        {
            "framework": ("kader",),
            "regie": ("casusregie",),
            "closed": ("afgesloten", "gesloten"),
            "reopened": ("heropend",),
            "casusregie_holder": ("houder_casusregie", "casusregisseur"),
            "procesregie": (),
            "regiebehandelaar": (),
        },
    ),
}

ALIAS_CASES = [
    pytest.param(vocab, alias, term, id=f"{field}:{alias}")
    for field, (vocab, table) in FORMAT_MD.items()
    for term, aliases in table.items()
    for alias in (term, *aliases)
]


@pytest.mark.parametrize(("vocab", "alias", "term"), ALIAS_CASES)
def test_every_alias_of_format_md_gives_the_canonical_word(
    vocab: Vocabulary, alias: str, term: str
) -> None:
    assert vocab.parse(alias) == term
    assert vocab.parse(alias.upper()) == term
    assert vocab.parse(f" {alias.title()} ") == term


@pytest.mark.parametrize("field", list(FORMAT_MD))
def test_canonical_words_are_those_of_format_md(field: str) -> None:
    vocab, table = FORMAT_MD[field]
    assert set(vocab.terms) == set(table)


def test_canonical_words_are_stored_in_order_of_format_md() -> None:
    assert STAGE.terms == ("inventory", "analysis", "execution", "aftercare", "closed")
    assert WEEKDAY.terms == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.mark.parametrize(
    ("vocab", "text"),
    [
        (ROLE, "boss"),
        (ROLE, "moeder"),
        (ROLE, ""),
        (ROLE, "victim,child"),
        (FRAMEWORK, "maybe"),
        (PARTNER_KIND, "dokter"),
        (VIOLENCE, "fysiek geweld"),
        (STAGE, "open"),
    ],
)
def test_unknown_words_are_refused_with_the_choices(vocab: Vocabulary, text: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        vocab.parse(text)
    message = str(caught.value)
    assert message.startswith(f"unknown {vocab.name} {text!r}; expected one of: ")
    for term in vocab.terms:
        assert term in message


def test_decomposed_alias_is_accepted() -> None:
    """A terminal may hand over 'cliënt' decomposed (e + combining diaeresis)."""
    assert REGIE.parse("clie\u0308nt") == "client"


def test_parse_list_keeps_order_drops_repeats_and_blanks() -> None:
    assert VIOLENCE.parse_list("fysiek,psychological, PSYCHISCH,,stalking ") == [
        "physical",
        "psychological",
        "stalking",
    ]
    assert VIOLENCE.parse_list("") == []
    assert DOMAIN.parse_list(["lvb", "opvoeden", "intellectual_disability"]) == [
        "intellectual_disability",
        "parenting",
    ]
    with pytest.raises(InvalidValue, match="unknown violence 'boos'"):
        VIOLENCE.parse_list("fysiek,boos")


def test_order() -> None:
    assert WEEKDAY.order("mon") == 0
    assert WEEKDAY.order(WEEKDAY.parse("zondag")) == 6
    assert STAGE.order("aftercare") == 3


@given(data=st.data())
def test_aliases_always_map_to_a_canonical_word(data: st.DataObject) -> None:
    vocab = data.draw(st.sampled_from([v for v, _ in FORMAT_MD.values()]))
    if not vocab.aliases:
        return
    alias = data.draw(st.sampled_from(sorted(vocab.aliases)))
    assert vocab.parse(alias) in vocab.terms
    assert vocab.parse(vocab.parse(alias)) == vocab.parse(alias)
