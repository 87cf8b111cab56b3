"""Documents fit to send: a werkplan written to a file holds nothing internal unless
``--internal`` asks for the practitioner's own copy; *Wie doet* names people, not keys; the
closing report lists the people and the phase history; the HTML hyphenates and never breaks a
word in the middle. The documents are read back, Markdown and HTML, in Dutch and in English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.render.documents import CSS
from icrctl.services.documents import WHO_SEPARATOR, who_named
from tests.helpers import Run, refused

SIGNAL = "Peter stuurt Sanne dreigende berichten via Instagram."
SAFETY_NL = "Veiligheidssignalen (intern, niet voor verspreiding)"
SAFETY_EN = "Safety signals (internal, not for distribution)"
LONG_WORD = "Jeugdgezondheidszorg"


@pytest.fixture
def case(run: Run, family: str) -> str:
    """The family with a safety signal, a partner with a long organisation name and an address,
    one without consent, a grandmother, and goals whose *Wie doet* holds keys and free text."""
    ref = family
    run("partner", "add", "Joke Bakker", "--organisation", f"{LONG_WORD} Zuid-Holland",
        "--kind", "youth_health", "--key", "joke-bakker",
        "--email", "joke.bakker@jgz-zuid-holland.example.org")  # fmt: skip
    run("partner", "link", ref, "joke-bakker", "--role", "consultatiebureau", "--consent")
    run("partner", "add", "R. Hendriks", "--organisation", "GGZ Delfland", "--kind",
        "mental_health", "--key", "ggz-hendriks")  # fmt: skip
    run("partner", "link", ref, "ggz-hendriks", "--role", "behandelaar Peter", "--no-consent")
    run("member", "add", ref, "Oma Truus", "--role", "grandparent", "--key", "oma",
        "--outside-household")  # fmt: skip
    run("goal", "add", ref, "Noor gaat naar het consultatiebureau", "--who", "joke-bakker")
    run("goal", "add", ref, "Sanne maakt een veiligheidsplan", "--who", "m1 en vt-bakker")
    run("goal", "add", ref, "Peter volgt behandeling", "--who", "m2, ggz-hendriks")
    run("goal", "add", ref, "Oppas geregeld", "--who", "oma")
    run("goal", "add", ref, "Schulden in beeld", "--who", "Sanne, met de wijkcoach")
    run("log", ref, SIGNAL, "--kind", "message", "--with", "m1", "--signal", "--date",
        "2026-11-12")  # fmt: skip
    return ref


def write(run: Run, tmp_path: Path, *args: str, lang: str = "nl", name: str = "w.md") -> str:
    out = tmp_path / name
    run("--lang", lang, *args, "--out", str(out), "--force")
    return out.read_text(encoding="utf-8")


def goal_row(text: str, goal: str) -> str:
    """The Markdown table row of a goal."""
    (row,) = [line for line in text.splitlines() if line.startswith(f"| {goal} |")]
    return row


# ------------------------------------------------------------------ nothing internal is sent


@pytest.mark.parametrize("name", ["w.md", "w.html"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_werkplan_to_send_holds_no_safety_signals(
    run: Run, case: str, tmp_path: Path, name: str, lang: str
) -> None:
    for partner in ((), ("--for", "joke-bakker")):
        text = write(run, tmp_path, "werkplan", case, *partner, lang=lang, name=name)
        assert SIGNAL not in text
        assert "Instagram" not in text
        for word in (SAFETY_NL, SAFETY_EN, "Veiligheidssignalen", "Safety signals", "intern"):
            assert word not in text, word


@pytest.mark.parametrize("name", ["w.md", "w.html"])
def test_internal_is_the_practitioners_own_copy(
    run: Run, case: str, tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    result = run("werkplan", case, "--internal", "--out", str(out))
    assert result.stdout.split() == [
        "wrote", "the", "internal", "werkplan", "of", case, "to", str(out),
        "(with", "the", "safety", "signals:", "not", "to", "send)",
    ]  # fmt: skip
    text = write(run, tmp_path, "werkplan", case, "--internal", name=name)
    assert SAFETY_NL in text
    assert SIGNAL in text
    assert "Interne versie voor het eigen dossier van de regisseur" in text
    assert "Niet versturen" in text
    assert text.index("Doelen en afspraken") < text.index(SAFETY_NL)  # the section comes last
    english = write(run, tmp_path, "werkplan", case, "--internal", lang="en", name=name)
    assert SAFETY_EN in english
    assert "Internal version for the case director" in english
    assert SAFETY_NL not in english


def test_internal_without_signals_says_so(run: Run, family: str, tmp_path: Path) -> None:
    text = write(run, tmp_path, "werkplan", family, "--internal")
    assert f"## {SAFETY_NL}" in text
    assert "Geen veiligheidssignalen vastgelegd." in text


def test_a_partners_version_is_never_internal(run: Run, case: str, tmp_path: Path) -> None:
    out = tmp_path / "w.md"
    refused(run, "werkplan", case, "--for", "joke-bakker", "--internal", "--out", str(out),
            match="give --for or --internal, not both")  # fmt: skip
    assert not out.exists()
    nl = run("--lang", "nl", "werkplan", case, "--internal", "--for", "vt-bakker", "--out",
             str(out), ok=False)  # fmt: skip
    assert "geef --for of --internal, niet allebei" in nl.stderr
    assert not out.exists()


def test_the_audit_log_says_which_version_left(run: Run, case: str, tmp_path: Path) -> None:
    write(run, tmp_path, "werkplan", case)
    write(run, tmp_path, "werkplan", case, "--internal")
    write(run, tmp_path, "werkplan", case, "--for", "joke-bakker")
    entries = json.loads(run("audit", case, "-f", "json").stdout)
    documents = [e["fields"] for e in entries if e["action"] == "document"]
    assert documents == [None, "internal", "for_partner"]


# ------------------------------------------------------------------ Wie doet: names, not keys


def test_who_names_people_not_keys(run: Run, case: str, tmp_path: Path) -> None:
    text = write(run, tmp_path, "werkplan", case)
    bakker = f"Joke Bakker ({LONG_WORD} Zuid-Holland)"
    assert f"| {bakker} |" in goal_row(text, "Noor gaat naar het consultatiebureau")
    row = goal_row(text, "Sanne maakt een veiligheidsplan")
    assert "| Sanne de Vries en J. Bakker (Veilig Thuis Rotterdam Rijnmond) |" in row
    row = goal_row(text, "Peter volgt behandeling")
    assert "| Peter de Vries, R. Hendriks (GGZ Delfland) |" in row
    assert "| Oma Truus |" in goal_row(text, "Oppas geregeld")
    assert "| Sanne, met de wijkcoach |" in goal_row(text, "Schulden in beeld")  # as typed
    for key in ("joke-bakker", "vt-bakker", "ggz-hendriks", "m1", "m2"):
        assert not re.search(rf"(?<![\w-]){key}(?![\w-])", text), key
    page = write(run, tmp_path, "werkplan", case, name="w.html")
    assert f"<td>{bakker}</td>" in page
    assert "joke-bakker" not in page


def test_a_partners_version_names_a_partner_without_consent_by_organisation_only(
    run: Run, case: str, tmp_path: Path
) -> None:
    text = write(run, tmp_path, "werkplan", case, "--for", "joke-bakker")
    assert "| Peter de Vries, GGZ Delfland |" in goal_row(text, "Peter volgt behandeling")
    assert "Hendriks" not in text
    assert "ggz-hendriks" not in text


def test_the_report_names_who_did_what_and_who_refused(run: Run, case: str, tmp_path: Path) -> None:
    run("eval", "record", case, "--date", "2026-11-20", "--attended", "m1", "--refused",
        "joke-bakker", "--risk", "3", "--self-reliance", "3")  # fmt: skip
    text = write(run, tmp_path, "report", case)
    assert f"| Joke Bakker ({LONG_WORD} Zuid-Holland) |" in goal_row(
        text, "Noor gaat naar het consultatiebureau"
    )
    assert f"| Sanne de Vries | – | Joke Bakker ({LONG_WORD} Zuid-Holland) |" in text
    assert "joke-bakker" not in text


KEYS = {"m1": "Sanne de Vries", "vt-bakker": "J. Bakker (Veilig Thuis)", "oma": "Oma Truus"}
SEPARATORS = st.sampled_from([", ", ",", " en ", " and ", " & ", "/", "; ", " + "])


@given(st.lists(st.sampled_from(sorted(KEYS)), min_size=1, max_size=4), st.data())
def test_keys_between_separators_become_names(keys: list[str], data: st.DataObject) -> None:
    separators = [data.draw(SEPARATORS) for _key in keys[1:]]
    typed = keys[0] + "".join(s + k for s, k in zip(separators, keys[1:], strict=True))
    named = KEYS[keys[0]] + "".join(s + KEYS[k] for s, k in zip(separators, keys[1:], strict=True))
    assert who_named(typed, KEYS) == named


@given(st.text(max_size=40))
def test_free_text_stays_as_typed(text: str) -> None:
    """Text none of whose parts is a key comes back exactly as typed."""
    parts = WHO_SEPARATOR.split(text)[::2]
    if any(part.strip() in KEYS for part in parts):
        return
    assert who_named(text, KEYS) == text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("m1", "Sanne de Vries"),
        ("  m1 ", "  Sanne de Vries "),
        ("M1", "M1"),
        ("m1x", "m1x"),
        ("met oma naar school", "met oma naar school"),
        ("oma, en de buurvrouw", "Oma Truus, en de buurvrouw"),
        ("", ""),
    ],
)
def test_who_examples(typed: str, shown: str) -> None:
    assert who_named(typed, KEYS) == shown
    assert who_named(None, KEYS) is None


# ------------------------------------------------------------------ the closing report


def test_report_lists_members_partners_and_phase_history(
    run: Run, case: str, tmp_path: Path
) -> None:
    run("phase", "set", case, "3", "--reason", "Nieuw incident", "--date", "2026-11-05")
    text = write(run, tmp_path, "report", case)
    lines = text.splitlines()
    assert "## Gezinsleden" in lines
    assert "| Naam | Rol |" in lines
    for row in ("| Sanne de Vries | slachtoffer |", "| Peter de Vries | pleger |",
                "| Noor de Vries | kind |", "| Oma Truus | grootouder |"):  # fmt: skip
        assert row in lines, row
    assert "## Betrokken professionals" in lines
    assert "| Naam | Organisatie | Rol | Toestemming informatiedeling |" in lines
    assert "| J. Bakker | Veilig Thuis Rotterdam Rijnmond | veiligheidsplan | ja |" in lines
    assert "| R. Hendriks | GGZ Delfland | behandelaar Peter | nee |" in lines
    assert f"| Joke Bakker | {LONG_WORD} Zuid-Holland | consultatiebureau | ja |" in lines
    assert "| 02-03-2026 | 2: Er zijn zorgen en er is hulp nodig | casus geopend |" in lines
    assert "| 05-11-2026 | 3: Er is (ook) onveiligheid | Nieuw incident |" in lines
    order = [text.index(h) for h in ("## Gezinsleden", "## Betrokken professionals", "## Verloop")]
    assert order == sorted(order)


def test_report_in_english(run: Run, case: str, tmp_path: Path) -> None:
    run("phase", "set", case, "3", "--reason", "Nieuw incident", "--date", "2026-11-05")
    text = write(run, tmp_path, "report", case, lang="en")
    lines = text.splitlines()
    assert "## Family members" in lines
    assert "| Name | Role |" in lines
    assert "| Sanne de Vries | victim |" in lines
    assert "## Professionals involved" in lines
    assert "| Name | Organisation | Role | Consent to share information |" in lines
    assert "| R. Hendriks | GGZ Delfland | behandelaar Peter | no |" in lines
    assert "| J. Bakker | Veilig Thuis Rotterdam Rijnmond | veiligheidsplan | yes |" in lines
    # the card's Dutch phase name, glossed, and icrctl's own reason in English
    (opened,) = [line for line in lines if line.startswith("| 2026-03-02 | 2: ")]
    assert re.fullmatch(
        r"\| 2026-03-02 \| 2: Er zijn zorgen en er is hulp nodig \(.+\) \| case opened \|", opened
    )
    assert any(line.startswith("| 2026-11-05 | 3: Er is (ook) onveiligheid (") for line in lines)
    for dutch in ("Gezinsleden", "Betrokken professionals", "Toestemming", "casus geopend"):
        assert dutch not in text, dutch


def test_report_of_a_case_without_people(run: Run, tmp_path: Path) -> None:
    run("case", "create", "GO-2026-020", "--title", "Familie Leeg", "--opened", "2026-11-01")
    text = write(run, tmp_path, "report", "GO-2026-020")
    assert "Geen gezinsleden vastgelegd." in text
    assert "Geen betrokken professionals vastgelegd." in text


# ------------------------------------------------------------------ HTML: words hyphenate


def css_rules(css: str) -> dict[str, str]:
    """Each selector with its declarations (of every rule that names it, ``@media`` included)."""
    rules: dict[str, str] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        name = selector.split("{")[-1].strip()
        rules[name] = rules.get(name, "") + body
    return rules


def test_only_addresses_may_break_anywhere() -> None:
    rules = css_rules(CSS)
    assert "hyphens: auto" in rules["body"]
    breaking = re.compile(r"overflow-wrap|word-break|line-break")
    assert [sel for sel, body in rules.items() if breaking.search(body)] == [".address"]
    assert "break-all" not in CSS
    assert "overflow-wrap: anywhere" in rules[".address"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_html_documents_hyphenate_in_their_language(
    run: Run, case: str, tmp_path: Path, lang: str
) -> None:
    for kind in ("werkplan", "report"):
        page = write(run, tmp_path, kind, case, lang=lang, name="d.html")
        assert f'<html lang="{lang}">' in page
        assert "hyphens: auto" in page
        assert "break-all" not in page
        # the long word whole, in its cell; the address in a span that may break anywhere
        assert f"<td>{LONG_WORD} Zuid-Holland" in page
        if kind == "werkplan":
            assert (
                '<td><span class="address">joke.bakker@jgz-zuid-holland.example.org</span></td>'
                in page
            )
