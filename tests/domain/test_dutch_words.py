"""Dutch input everywhere: every enumerated value has its Dutch words, written any reasonable way,
and an unknown word is refused with the accepted words in both languages. The words of the code
are exactly those docs/cli.md and docs/format.md list."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.domain import regiekaart as rk
from icrctl.domain import vocabulary as v
from icrctl.domain.vocabulary import Vocabulary, weekdays
from icrctl.errors import InvalidValue

DOCS = Path(__file__).resolve().parents[2] / "docs"

#: Every vocabulary a command or the import file reads, by the name docs/cli.md's table uses.
VOCABULARIES: dict[str, Vocabulary] = {
    "stage": v.STAGE,
    "framework": v.FRAMEWORK,
    "regie (who holds casusregie)": v.REGIE,
    "member role": v.ROLE,
    "relation kind": v.RELATION,
    "violence": v.VIOLENCE,
    "life domain": v.DOMAIN,
    "partner kind": v.PARTNER_KIND,
    "contact kind": v.CONTACT_KIND,
    "weekday": v.WEEKDAY,
    "goal status": v.GOAL_STATUS,
    "meeting status": v.MEETING_STATUS,
    "phase-4 track": rk.TRACK,
}
ALL = [*VOCABULARIES.values(), v.EVENT_KIND, v.ATTENDANCE, rk.checklist_items()]


# --- what the practitioner typed, and was refused ------------------------------------------------


@pytest.mark.parametrize(
    ("vocab", "word", "term"),
    [
        (v.ROLE, "oma", "grandparent"),
        (v.ROLE, "opa", "grandparent"),
        (v.ROLE, "Oma", "grandparent"),
        (v.RELATION, "moeder_van", "parent_of"),
        (v.RELATION, "vader van", "parent_of"),
        (v.RELATION, "Moeder-van", "parent_of"),
        (v.PARTNER_KIND, "wijkteam", "neighbourhood_team"),
        (v.PARTNER_KIND, "sociaal wijkteam", "neighbourhood_team"),
        (v.DOMAIN, "opvoeding", "parenting"),
        (v.DOMAIN, "financiën", "finances"),
        (v.DOMAIN, "Psychische gezondheid", "mental_health"),
        (v.PARTNER_KIND, "Maatschappelijk Werk", "social_work"),
        (v.PARTNER_KIND, "veilig thuis", "veilig_thuis"),
        (v.EVENT_KIND, "heropend", "reopened"),
        (rk.TRACK, "sociaal domein", "social"),
    ],
)
def test_the_words_the_report_names_are_read(vocab: Vocabulary, word: str, term: str) -> None:
    assert vocab.parse(word) == term


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("lokale_driehoek", "local_triangle"),
        ("Lokale driehoek", "local_triangle"),
        ("burgemeester", "mayor"),
        ("procescoördinator", "process_coordinator"),
        ("procescoordinator", "process_coordinator"),
        ("communicatieadviseur", "communications_adviser"),
        ("portefeuillehouder", "portfolio_holder"),
        (" AOV ", "aov"),
    ],
)
def test_checklist_items_have_their_dutch_words(word: str, code: str) -> None:
    assert rk.parse_checklist_item(word) == code


def test_the_checklist_words_are_the_regiekaarts() -> None:
    """The item vocabulary is made from regiekaart.yaml: every code of both tracks, in the card's
    order, and each Dutch word there names its own code."""
    vocab = rk.checklist_items()
    codes = [e.code for t in rk.TRACK.terms for e in rk.checklist_for(t)]
    assert vocab.terms == tuple(dict.fromkeys(codes))
    for t in rk.TRACK.terms:
        for entry in rk.checklist_for(t):
            assert entry.words_nl, f"{entry.code} has no Dutch word"
            for word in entry.words_nl:
                assert rk.parse_checklist_item(word) == entry.code


# --- how a word may be written -------------------------------------------------------------------


def _forms(word: str) -> list[str]:
    """Ways to type ``word``: upper case, spaces or hyphens for underscores, accents dropped."""
    plain = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return [
        word.upper(),
        f"  {word.title()} ",
        word.replace("_", " "),
        word.replace("_", "-"),
        word.replace("_", "  "),
        unicodedata.normalize("NFC", plain),
        unicodedata.normalize("NFD", word),
    ]


@given(data=st.data())
def test_every_word_in_every_form_gives_its_term(data: st.DataObject) -> None:
    vocab = data.draw(st.sampled_from(ALL))
    term = data.draw(st.sampled_from(vocab.terms))
    words = [term, *(a for a, t in vocab.aliases.items() if t == term)]
    word = data.draw(st.sampled_from(words))
    for form in _forms(word):
        assert vocab.parse(form) == term, form


@pytest.mark.parametrize("vocab", ALL, ids=lambda x: x.name)
def test_no_word_names_two_terms(vocab: Vocabulary) -> None:
    """Written plainly (lower case, underscores, no accents) every word still names one term."""

    def plain(word: str) -> str:
        word = re.sub(r"[\s-]+", "_", word.lower())
        return "".join(
            c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)
        )

    seen: dict[str, str] = {}
    for word, term in [*((t, t) for t in vocab.terms), *vocab.aliases.items()]:
        assert seen.setdefault(plain(word), term) == term, f"{word!r} names two terms"


@pytest.mark.parametrize("vocab", ALL, ids=lambda x: x.name)
def test_every_term_has_a_dutch_word_or_is_dutch_itself(vocab: Vocabulary) -> None:
    untranslated = {t for t in vocab.terms if vocab.dutch(t) == t}
    # Dutch already, or the same word in both languages.
    assert untranslated <= {
        "veilig_thuis",
        "school",
        "open",
        "aov",
        "regie",
        "procesregie",
        "regiebehandelaar",
    }


# --- unknown words -------------------------------------------------------------------------------


@pytest.mark.parametrize("vocab", ALL, ids=lambda x: x.name)
def test_an_unknown_word_lists_the_accepted_words_in_both_languages(vocab: Vocabulary) -> None:
    with pytest.raises(InvalidValue) as caught:
        vocab.parse("onbekend woord")
    message = str(caught.value)
    assert message.startswith(f"unknown {vocab.name} 'onbekend woord'; expected one of: ")
    listed = message.split("; expected one of: ", 1)[1].split(", ")
    assert len(listed) == len(vocab.terms)
    for term in vocab.terms:
        dutch = vocab.dutch(term)
        assert (f"{term} ({dutch})" if dutch != term else term) in listed, term
    assert "\n" not in message


def test_the_error_pairs_each_word_with_its_dutch_word() -> None:
    with pytest.raises(InvalidValue) as caught:
        v.ROLE.parse("buurman")
    assert str(caught.value) == (
        "unknown role 'buurman'; expected one of: victim (slachtoffer), perpetrator (pleger), "
        "both (beide), child (kind), ex_partner (ex-partner), grandparent (grootouder), "
        "family (familie), network (netwerk)"
    )
    with pytest.raises(InvalidValue, match=r"mon \(ma\), tue \(di\)"):
        v.WEEKDAY.parse("someday")
    with pytest.raises(InvalidValue, match=r"local_triangle \(lokale_driehoek\)"):
        rk.parse_checklist_item("nobody")


@pytest.mark.parametrize(
    ("vocab", "text"),
    [
        (v.ROLE, "moeder"),
        (v.ROLE, "victim,child"),
        (v.ROLE, ""),
        (v.ROLE, "_"),
        (v.DOMAIN, "geld"),
        (v.VIOLENCE, "fysiek geweld"),
        (v.RELATION, "moeder_vanaf"),
        (v.PARTNER_KIND, "wijk"),
    ],
)
def test_near_misses_are_still_refused(vocab: Vocabulary, text: str) -> None:
    with pytest.raises(InvalidValue, match="expected one of"):
        vocab.parse(text)


# --- ranges of weekdays -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("ma t/m do", ["mon", "tue", "wed", "thu"]),
        ("Ma T/M Do", ["mon", "tue", "wed", "thu"]),
        ("mon-thu", ["mon", "tue", "wed", "thu"]),
        ("ma - wo", ["mon", "tue", "wed"]),
        ("maandag tot en met woensdag", ["mon", "tue", "wed"]),
        ("tue to thu", ["tue", "wed", "thu"]),
        ("vr t/m ma", ["fri", "sat", "sun", "mon"]),
        ("wo t/m wo", ["wed"]),
        ("ma t/m di, vr", ["mon", "tue", "fri"]),
        ("di,ma t/m wo", ["tue", "mon", "wed"]),
        ("ma,wo", ["mon", "wed"]),
        ("", []),
    ],
)
def test_ranges_of_weekdays(text: str, days: list[str]) -> None:
    assert weekdays(text) == days
    assert weekdays([part for part in text.split(",")]) == days


@pytest.mark.parametrize("text", ["ma t/m someday", "t/m do", "ma t/m", "ma tot"])
def test_a_range_with_an_unknown_day_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue, match=r"unknown weekday .*expected one of: mon \(ma\)"):
        weekdays(text)


@given(first=st.integers(0, 6), last=st.integers(0, 6), dutch=st.booleans())
def test_a_range_runs_from_its_first_to_its_last_day(first: int, last: int, dutch: bool) -> None:
    names = [v.WEEKDAY.dutch(t) if dutch else t for t in v.WEEKDAY.terms]
    days = weekdays(f"{names[first]} t/m {names[last]}")
    assert days[0] == v.WEEKDAY.terms[first]
    assert days[-1] == v.WEEKDAY.terms[last]
    assert len(days) == (last - first) % 7 + 1
    assert len(set(days)) == len(days)


# --- the docs list exactly the code's words ------------------------------------------------------


def _words(cell: str) -> dict[str, tuple[str, ...]]:
    """``a (b, c), d`` → ``{a: (b, c), d: ()}``."""
    out: dict[str, tuple[str, ...]] = {}
    for term, aliases in re.findall(r"([\w-]+)(?: \(([^)]*)\))?(?:, |$)", cell.strip()):
        out[term] = tuple(a.strip() for a in aliases.split(",")) if aliases else ()
    return out


def _code_words(vocab: Vocabulary) -> dict[str, tuple[str, ...]]:
    return {t: tuple(a for a, term in vocab.aliases.items() if term == t) for t in vocab.terms}


def test_cli_md_lists_the_code_words() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    section = text.split("### Vocabulary", 1)[1].split("###", 1)[0]
    rows = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", section, re.MULTILINE))
    for field, vocab in VOCABULARIES.items():
        if field == "weekday":
            continue
        assert _words(rows[field]) == _code_words(vocab), field


def test_cli_md_lists_the_checklist_words() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    section = text.split("## Checklist items", 1)[1]
    found: dict[str, tuple[str, ...]] = {}
    for code, words in re.findall(r"`(\w+)` \(([^)]*)\)", section):
        if code not in rk.TRACK.terms:  # a track's row names it with its Dutch name
            found[code] = tuple(w.strip() for w in words.split(","))
    assert found == _code_words(rk.checklist_items())


def test_format_md_lists_the_code_words() -> None:
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    section = text.split("## Vocabulary", 1)[1]
    entries = {
        name: " ".join(body.split())
        for name, body in re.findall(r"^- ([\w ]+): (.*?)(?=^- |\Z)", section, re.M | re.S)
    }
    fields = {
        "stage": v.STAGE,
        "framework": v.FRAMEWORK,
        "regie": v.REGIE,
        "member role": v.ROLE,
        "relation": v.RELATION,
        "violence": v.VIOLENCE,
        "domains": v.DOMAIN,
        "partner kind": v.PARTNER_KIND,
        "contact kind": v.CONTACT_KIND,
        "goal status": v.GOAL_STATUS,
        "meeting status": v.MEETING_STATUS,
        "event kind": v.EVENT_KIND,
        "track": rk.TRACK,
        "checklist item": rk.checklist_items(),
    }
    for name, vocab in fields.items():
        assert _words(entries[name]) == _code_words(vocab), name
