"""The domain in both languages: parse errors, the regiekaart's texts, checklist labels, signal
words, refusal hints and holiday names read Dutch in Dutch and English in English; what scripts and
the user type (checklist codes, option names, quoted command lines) is the same in both."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import holidays
import pytest

from icrctl import i18n
from icrctl.domain import dates, recurrence, text
from icrctl.domain import regiekaart as rk
from icrctl.domain import vocabulary as v
from icrctl.domain.holidays_nl import ENGLISH, FIRST_YEAR, LAST_YEAR, TABLE, english
from icrctl.domain.signals import CaseFacts, Child, signals
from icrctl.errors import IcrError, InvalidValue, RuleViolation
from icrctl.render.errors import HINTS, error_text
from icrctl.render.signals import message
from tests.conftest import TODAY

REF = "GO-2026-100"


def refusal(action: Callable[[], object]) -> str:
    with pytest.raises(IcrError) as caught:
        action()
    return error_text(caught.value)


def in_both(action: Callable[[], str]) -> tuple[str, str]:
    """What ``action`` says in Dutch and in English."""
    i18n.use("nl")
    dutch = action()
    i18n.use("en")
    return dutch, action()


# --- parse errors --------------------------------------------------------------------------------

PARSE_ERRORS: list[tuple[Callable[[], object], str, str]] = [
    (lambda: dates.parse_date("morgenochtend", TODAY), "ongeldige datum", "vandaag, morgen"),
    (lambda: dates.parse_date("31-02-2026", TODAY), "die datum bestaat niet", "ongeldige datum"),
    (lambda: dates.parse_date("2300-01-01", TODAY), "datums lopen van 1900-01-01", "tot en met"),
    (lambda: dates.parse_iso_date("25-11-2026"), "JJJJ-MM-DD", "gebruik"),
    (lambda: dates.parse_iso_week("2026-W60"), "ongeldige week", "heeft geen week 60"),
    (lambda: dates.parse_time("25:00"), "ongeldige tijd", "UU:MM"),
    (lambda: dates.not_in_future(dt.date(2027, 1, 1), TODAY, "born"), "geboortedatum", "toekomst"),
    (lambda: dates.check_opened(dt.date(1990, 1, 1), TODAY), "openingsdatum", "30 jaar terug"),
    (lambda: text.clean_text("", "name"), "naam mag niet leeg zijn", "naam"),
    (lambda: text.clean_text("a\x07b", "note"), "notitie bevat een stuurteken", "U+0007"),
    (lambda: text.clean_text("x" * 201, "title"), "201 tekens lang", "ten hoogste 200"),
    (lambda: v.ROLE.parse("buurman"), "rol 'buurman' is onbekend; kies uit:", "kind (child)"),
    (lambda: v.DOMAIN.parse("geld"), "leefgebied 'geld' is onbekend", "opvoeden (parenting)"),
    (lambda: recurrence.parse_cadence("soms"), "frequentie 'soms' is onbekend", "tweewekelijks"),
    (lambda: rk.parse_track("brand"), "spoor 'brand' is onbekend", "zorg (care)"),
    (lambda: rk.parse_checklist_item("pers"), "checklistpunt 'pers' is onbekend", "burgemeester"),
    (lambda: rk.phase(5), "fase moet 1, 2, 3 of 4 zijn", "fase"),
]


@pytest.mark.parametrize(("action", "dutch", "also"), PARSE_ERRORS)
def test_parse_errors_read_dutch_in_dutch(
    action: Callable[[], object], dutch: str, also: str
) -> None:
    nl, en = in_both(lambda: refusal(action))
    assert dutch in nl
    assert also in nl
    assert nl != en
    for english_word in ("invalid ", "unknown ", "expected", "must ", " is in the future"):
        assert english_word not in nl


def test_parse_errors_stay_english_in_english() -> None:
    i18n.use("en")
    assert refusal(lambda: v.ROLE.parse("buurman")).startswith(
        "unknown role 'buurman'; expected one of: victim (slachtoffer)"
    )
    assert refusal(lambda: dates.parse_time("25:00")) == (
        "invalid time '25:00': expected HH:MM between 00:00 and 23:59"
    )
    assert refusal(lambda: text.clean_text("", "name")) == "name must not be empty"


def test_a_rule_of_a_series_refuses_in_dutch() -> None:
    i18n.use("nl")
    start = dt.date(2026, 12, 1)
    assert refusal(lambda: recurrence.make_rule("2w", start, until=dt.date(2026, 11, 1))).endswith(
        "2026-11-01 ligt vóór start 2026-12-01"
    )
    assert refusal(lambda: recurrence.make_rule("2w", start, workdays="soms")).startswith(
        "werkdagenregel 'soms' is onbekend; kies uit: volgende (next)"
    )


# --- the regiekaart ------------------------------------------------------------------------------


def test_phase_texts_follow_the_language() -> None:
    three = rk.phase(3)
    i18n.use("nl")
    assert three.name == "Er is (ook) onveiligheid"
    assert "veiligheid is in het geding" in three.description
    assert three.informal_network.startswith("Het informele netwerk")
    assert three.roles["casusregie_voluntary"] is not None
    assert "altijd een professional" in three.roles["casusregie_voluntary"]
    assert three.roles["behandelregie"] == "De regiebehandelaar."
    i18n.use("en")
    assert three.name == "(also) unsafety" == three.gloss
    assert "safety is at risk" in three.description
    assert three.roles["behandelregie"] == "The lead practitioner (regiebehandelaar)."
    # the card's Dutch name and the English gloss are the same in both languages
    for language in i18n.LANGUAGES:
        i18n.use(language)
        assert (three.name_nl, three.gloss) == ("Er is (ook) onveiligheid", "(also) unsafety")


@pytest.mark.parametrize("n", rk.PHASE_NUMBERS)
@pytest.mark.parametrize("framework", ["voluntary", "compulsory"])
def test_responsibilities_in_dutch(n: int, framework: str) -> None:
    i18n.use("nl")
    rows = rk.responsibilities(n, framework)
    assert [label for label, _holder in rows] == [
        "casusregie",
        "behandelregie",
        "procesregie",
        "operationeel verantwoordelijk",
        "bestuurlijk verantwoordelijk",
        "informeel netwerk",
    ]
    held = " ".join(holder for _label, holder in rows if holder)
    assert "wethouder" in held.lower() or "burgemeester" in held.lower()
    for english_word in ("the ", "alderman", "mayor", "every phase", "always a professional"):
        assert english_word not in held.lower()


def test_every_text_of_the_card_is_in_both_languages() -> None:
    texts: list[rk.Wording] = []
    for p in rk.phases():
        texts += [p.title, p.meaning, p.network, *(t for t in p.holders.values() if t)]
    for t in rk.TRACK.terms:
        track = rk.track(t)
        texts += [track.title, track.meaning]
        texts += [w for e in track.inform for w in (e.wording, e.by)]
    assert len(texts) == 4 * 3 + 21 + 2 * 2 + 2 * 9
    for wording in texts:
        assert wording.nl.strip()
        assert wording.en.strip()


def test_track_texts_follow_the_language() -> None:
    social = rk.track("social")
    i18n.use("nl")
    assert social.name == "Andere calamiteit sociaal domein"
    assert "lokale driehoek" in social.description
    i18n.use("en")
    assert social.name == "other social-domain calamity"
    assert "local triangle" in social.description


def test_checklist_labels_follow_the_language_and_keys_do_not() -> None:
    def card() -> list[tuple[str, str, str, str]]:
        return [
            (e.code, e.label, e.informed_by, e.label_nl)
            for t in rk.TRACK.terms
            for e in rk.checklist_for(t)
        ]

    dutch, english = in_both(lambda: repr(card()))
    i18n.use("nl")
    nl = card()
    i18n.use("en")
    en = card()
    assert [row[0] for row in nl] == [row[0] for row in en]  # the keys, in both
    assert [row[3] for row in nl] == [row[3] for row in en]  # label_nl, in both
    by_code = {code: (label, by) for code, label, by, _nl in nl}
    assert by_code["mayor"] == ("burgemeester geïnformeerd", "afdeling Zorg")
    assert (
        by_code["local_triangle"][0] == "lokale driehoek geïnformeerd (burgemeester, politie, OM)"
    )
    assert {code: label for code, label, _by, _nl in en}["mayor"] == "mayor informed"
    assert "informed" not in dutch
    assert "geïnformeerd" in english  # label_nl is Dutch in English too
    assert rk.checklist_items().terms == tuple(dict.fromkeys(row[0] for row in en))


def test_rule_refusals_read_dutch_with_the_commands_unchanged() -> None:
    def refusals() -> list[str]:
        return [
            refusal(
                lambda: rk.check_phase_change(
                    current=2, new=3, framework="voluntary", regie="client", track=None, ref=REF
                )
            ),
            refusal(
                lambda: rk.check_phase_change(
                    current=2, new=4, framework="voluntary", regie="professional", track=None
                )
            ),
            refusal(lambda: rk.check_track(2, "care")),
            refusal(lambda: rk.check_regie(3, "voluntary", "client")),
            refusal(lambda: rk.check_regie(2, "compulsory", "client")),
            refusal(
                lambda: rk.check_phase_change(
                    current=2, new=2, framework="voluntary", regie="professional", track=None
                )
            ),
        ]

    i18n.use("nl")
    nl = refusals()
    i18n.use("en")
    en = refusals()
    assert nl[0] == (
        "regiekaart: in fase 3 voert altijd een professional casusregie; in deze casus voert de "
        f"cliënt die — 'icrctl phase set {REF} 3 --regie professional --reason …' draagt die in "
        f"dezelfde stap over aan een professional (of eerst 'icrctl case edit {REF} --regie "
        "professional')"
    )
    assert nl[1] == (
        "fase 4 heeft twee sporen: geef --track care (zorgcalamiteit) of --track social "
        "(calamiteit sociaal domein)"
    )
    assert nl[2].endswith("fase 2 heeft er geen: laat --track weg")
    assert nl[3].startswith("regiekaart: in fase 3 voert altijd een professional casusregie")
    assert "gedwongen kader" in nl[4]
    assert nl[5] == "casus staat al in fase 2"
    for dutch, in_english in zip(nl, en, strict=True):
        assert dutch != in_english
        # what the user types reads the same in both languages
        assert re.findall(r"'[^']*'", dutch) == re.findall(r"'[^']*'", in_english)
        assert re.findall(r"--[\w-]+", dutch) == re.findall(r"--[\w-]+", in_english)


def test_every_hint_keeps_its_command_line_in_dutch() -> None:
    facts = {"ref": REF, "phase": "3", "framework": "voluntary", "stage": "aftercare"}
    for words in HINTS.values():
        i18n.use("nl")
        dutch = i18n._(words).format(**facts)
        i18n.use("en")
        english = words.format(**facts)
        assert dutch != english
        assert re.findall(r"'[^']*'", dutch) == re.findall(r"'[^']*'", english)
        assert re.findall(r"--[\w-]+", dutch) == re.findall(r"--[\w-]+", english)


# --- signals -------------------------------------------------------------------------------------


def everything() -> CaseFacts:
    return CaseFacts(
        ref=REF,
        phase=3,
        stage="execution",
        framework="voluntary",
        regie="client",
        opened=dt.date(2026, 1, 1),
        children=[
            Child("a", "Baby", dt.date(2025, 11, 1)),
            Child("b", "Kind", dt.date(2018, 1, 1)),
        ],
        overdue=[dt.date(2026, 11, 11), dt.date(2026, 11, 18)],
        last_contact=dt.date(2026, 10, 1),
        open_checklist=["mayor", "local_triangle"],
        refused_last=["Pa"],
        partners_without_consent=["ther-bos"],
        invited_partners={"ther-bos", "ggz"},
        holiday_meetings=[(dt.date(2026, 12, 25), "Eerste kerstdag")],
        weekend_meetings=[dt.date(2026, 12, 5)],
        overdue_goals=[(1, "Woning schoon", dt.date(2026, 11, 1))],
        recent_safety_signals=[dt.date(2026, 11, 20)],
    )


def words_of_every_signal() -> dict[str, str]:
    return {s.code: message(s) for s in signals(everything(), TODAY)}


def test_signal_words_in_dutch() -> None:
    i18n.use("nl")
    said = words_of_every_signal()
    assert said == {
        "jgz-missing": "Baby: jonger dan 4 jaar, maar geen jeugdgezondheidszorg (JGZ) als "
        f"ketenpartner gekoppeld; koppel het consultatiebureau ('icrctl partner link {REF} …')",
        "school-missing": "Kind: in de schoolgaande leeftijd, maar geen school als ketenpartner "
        "gekoppeld; de school is altijd betrokken",
        "no-evaluation-series": "in werkfase uitvoering zonder evaluaties: "
        f"'icrctl eval schedule {REF} --every 2w'",
        "evaluation-overdue": "2 evaluaties te laat (2026-11-11, 2026-11-18): leg ze vast of "
        f"zeg ze af ('icrctl eval record {REF} --date …')",
        "no-contact": "55 dagen geen contact in fase 3 (laatste: 2026-10-01; grens 14 dagen): "
        "neem contact op",
        "client-regie-unsafe": "fase 3 terwijl de cliënt casusregie voert: volgens de regiekaart "
        f"hoort een professional die te voeren ('icrctl case edit {REF} --regie professional')",
        "phase4-checklist-open": "nog te informeren na de escalatie: burgemeester, "
        f"lokale driehoek ('icrctl phase inform {REF} …')",
        "refused-evaluation": "Pa weigerde de laatste evaluatie: leg dat vast en informeer de "
        "verwijzer",
        "partner-without-consent": "ther-bos uitgenodigd voor de evaluaties, waar het plan "
        "besproken wordt, zonder toestemming van de cliënt om informatie te delen: vraag om "
        f"toestemming en leg die vast ('icrctl partner link {REF} ther-bos --consent'), of "
        "bespreek het plan zonder deze ketenpartner",
        "evaluation-on-holiday": "evaluatie op 2026-12-25 valt op Eerste kerstdag: verplaats die "
        f"('icrctl eval move {REF} 2026-12-25 …')",
        "evaluation-on-weekend": "evaluatie op 2026-12-05 valt op een zaterdag: verplaats die "
        f"('icrctl eval move {REF} 2026-12-05 …')",
        "goal-overdue": "doel 1 (Woning schoon) had op 2026-11-01 behaald moeten zijn: markeer "
        "het als behaald, laat het vervallen of geef een nieuwe datum",
        "safety-signal": "onlangs een veiligheidssignaal vastgelegd (2026-11-20): weeg het mee in "
        "de volgende evaluatie",
    }


def test_signal_words_in_english_and_the_same_commands() -> None:
    nl, en = in_both(lambda: "\n".join(words_of_every_signal().values()))
    i18n.use("en")
    said = words_of_every_signal()
    assert said["evaluation-on-holiday"].startswith(
        "evaluation on 2026-12-25 falls on Christmas Day: move it"
    )
    assert said["evaluation-on-weekend"].startswith("evaluation on 2026-12-05 falls on a Saturday")
    assert said["phase4-checklist-open"].startswith(
        "still to inform after the escalation: mayor, local_triangle"
    )
    assert said["no-evaluation-series"].startswith("in execution without evaluation meetings")
    assert re.findall(r"'icrctl [^']*'", nl) == re.findall(r"'icrctl [^']*'", en)
    for english_word in (" and no ", "evaluation", "overdue", "refused", "contact for"):
        assert english_word not in nl


def test_the_dutch_singular_and_plural() -> None:
    i18n.use("nl")
    one = everything()
    one.overdue = [dt.date(2026, 11, 18)]
    one.refused_last = ["Pa", "Ma"]
    one.partners_without_consent = ["ther-bos", "ggz"]
    one.recent_safety_signals = [dt.date(2026, 11, 2), dt.date(2026, 11, 20)]
    one.last_contact = None
    said = {s.code: message(s) for s in signals(one, TODAY)}
    assert said["evaluation-overdue"].startswith("1 evaluatie te laat (2026-11-18): leg die vast")
    assert said["refused-evaluation"].startswith("Pa, Ma weigerden de laatste evaluatie")
    assert said["partner-without-consent"].endswith("bespreek het plan zonder deze ketenpartners")
    assert said["safety-signal"].startswith("onlangs veiligheidssignalen vastgelegd")
    assert "(laatste: nog geen; grens 14 dagen)" in said["no-contact"]


# --- public holidays -----------------------------------------------------------------------------


def test_holiday_names_follow_the_language() -> None:
    christmas, kings_day = dt.date(2026, 12, 25), dt.date(2027, 4, 27)
    i18n.use("nl")
    assert recurrence.holiday_shown(christmas) == "Eerste kerstdag"
    assert recurrence.holiday_label("Koningsdag") == "Koningsdag"
    assert recurrence.day_off_label("Saturday") == "zaterdag"
    i18n.use("en")
    assert recurrence.holiday_shown(christmas) == "Christmas Day"
    assert recurrence.holiday_shown(kings_day) == "King's Day"
    assert recurrence.holiday_shown(dt.date(2026, 12, 24)) is None
    assert recurrence.day_off_label("Koningsdag") == "King's Day"
    assert recurrence.day_off_label("Sunday") == "Sunday"
    # what is kept (and what JSON shows) is the Dutch name, in both languages
    for language in i18n.LANGUAGES:
        i18n.use(language)
        assert recurrence.holiday_name(christmas) == "Eerste kerstdag"


def test_the_english_names_are_the_holidays_packages() -> None:
    """Every Dutch name of the table (and of the years outside it) has its English name, the one
    the holidays package gives for that day in English."""
    for year in (FIRST_YEAR - 1, *range(FIRST_YEAR, LAST_YEAR + 1), LAST_YEAR + 1):
        dutch = holidays.country_holidays("NL", years=year, language="nl")
        found = holidays.country_holidays("NL", years=year, language="en_US")
        for day, name in dutch.items():
            assert sorted(english(name).split("; ")) == sorted(found[day].split("; ")), day
    assert {n for year in TABLE.values() for n in year.values() for n in n.split("; ")} <= set(
        ENGLISH
    )


# --- the vocabulary ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "vocab",
    [
        v.STAGE, v.FRAMEWORK, v.REGIE, v.ROLE, v.RELATION, v.VIOLENCE, v.DOMAIN, v.PARTNER_KIND,
        v.CONTACT_KIND, v.WEEKDAY, v.GOAL_STATUS, v.ATTENDANCE, v.MEETING_STATUS, v.EVENT_KIND,
        recurrence.WORKDAYS, rk.TRACK, rk.checklist_items(),
    ],
)  # fmt: skip
def test_every_vocabulary_has_a_dutch_word_and_a_dutch_name(vocab: v.Vocabulary) -> None:
    i18n.use("nl")
    for term in vocab.terms:
        assert vocab.label(term) == vocab.dutch(term).replace("_", " ")
        assert vocab.label(term).strip()
    assert i18n._(vocab.name) != vocab.name or vocab.name == "regie"
    with pytest.raises(InvalidValue) as caught:
        vocab.parse("geen-bekend-woord")
    assert str(caught.value).startswith(f"{i18n._(vocab.name)} 'geen-bekend-woord' is onbekend")
    i18n.use("en")
    assert [vocab.label(term) for term in vocab.terms] == list(vocab.terms)


def test_a_rule_violation_is_one_sentence_in_dutch() -> None:
    """No English pieces glued into a Dutch refusal."""
    i18n.use("nl")
    with pytest.raises(RuleViolation) as caught:
        rk.check_track(4, None)
    assert str(caught.value) == "fase 4 heeft twee sporen"


# --- what scripts read: English in every language ------------------------------------------------


def test_json_words_are_english_in_dutch_too() -> None:
    """JSON and CSV read the same in both languages: a signal's message, a phase's roles and the
    card's texts are asked for in English there, and the language in use stays."""
    i18n.use("en")
    english = words_of_every_signal()
    roles = rk.responsibilities(4, "voluntary")
    i18n.use("nl")
    assert {s.code: message(s, "en") for s in signals(everything(), TODAY)} == english
    assert i18n.language() == "nl"
    assert rk.responsibilities(4, "voluntary", "en") == roles
    assert rk.responsibilities(4, "voluntary") != roles
    assert rk.phase(4).meaning.shown("en") == rk.phase(4).meaning.en
    assert rk.checklist_for("care")[0].wording.shown("en") == (
        "public order and safety officer (AOV) informed"
    )
