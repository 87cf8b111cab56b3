"""``case``, ``member``, ``partner``, ``phase``, ``goal`` and ``log`` in Dutch (the default) and
English: their confirmations, warnings and questions, their help, the short options (``-t``,
``-r``, ``-d``, ``-w``), and the output for scripts, which is the same in both languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import pytest

from icrctl import i18n
from icrctl.cli import language
from tests.helpers import POSTGRES, Run, copy_of_case_file, make_run

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

#: The groups of these modules and their commands, by path.
GROUPS = {
    "case": ("create", "list", "show", "edit", "stage", "close", "reopen", "purge"),
    "member": ("add", "list", "edit", "relate", "remove", "forget"),
    "partner": ("add", "edit", "list", "link", "unlink"),
    "phase": ("set", "history", "show", "checklist", "inform"),
    "goal": ("add", "list", "done", "reopen", "edit"),
    "log": ("add", "list"),
}
MINE = [(group,) for group in GROUPS] + [(g, c) for g, subs in GROUPS.items() for c in subs]

#: The short options of the most used long ones (docs/cli.md).
SHORT = {"--title": "-t", "--reason": "-r", "--date": "-d", "--with": "-w", "--out": "-o"}

#: Words of the English confirmations that must not show in the Dutch ones.
ENGLISH = re.compile(
    r"\b(created|added|updated|removed|erased|linked|unlinked|logged|escalated|de-escalated|"
    r"closed|reopened|since|stage|phase|goal|nothing|changed|consent|inform|to|for|from|on|at|"
    r"victim|grandparent|visit|achieved|dropped|yes|no)\b"
)


@pytest.fixture
def dutch() -> Run:
    return make_run({"ICRCTL_LANG": "nl"})


def flat(text: str) -> str:
    return " ".join(text.split())


def no_english(text: str) -> None:
    found = ENGLISH.findall(text)
    assert not found, f"English in {text!r}: {found}"


# --- messages ------------------------------------------------------------------------------------


def test_case_create_says_it_in_dutch(dutch: Run) -> None:
    result = dutch("case", "create", "GO-2026-100", "-t", "Familie Smit", "--opened", "2026-11-02")
    assert result.stdout == "casus GO-2026-100 aangemaakt (fase 2, werkfase inventarisatie)\n"
    result = dutch(
        "case", "create", "GO-2026-101", "--title", "Familie Smit", "--phase", "4",
        "--track", "social",
    )  # fmt: skip
    assert result.stdout == (
        "casus GO-2026-101 aangemaakt (fase 4, werkfase inventarisatie)\n"
        "fase 4: informeer aov (zelf); local_triangle, communications_adviser (door AOV; nagaan) "
        "('icrctl phase inform')\n"
    )


def test_case_edit_stage_close_reopen_purge_say_it_in_dutch(family: str, dutch: Run) -> None:
    said = dutch("case", "edit", family, "-t", "Familie de Vries", "--referrer", "politie").stdout
    assert said == f"{family} bijgewerkt: titel, verwijzer\n"
    assert dutch("case", "edit", family).stdout == f"{family}: niets gewijzigd\n"
    said = dutch("case", "stage", family, "analyse", "-d", "2026-11-20").stdout
    assert said == f"{family} is sinds 2026-11-20 in werkfase analyse\n"
    said = dutch(
        "case", "close", family, "--summary", "rust", "--safety", "veilig", *CLOSE_ANYWAY
    ).stdout
    assert said == f"{family} gesloten op 2026-11-25; bewaard tot 2046-11-25\n"
    said = dutch("case", "reopen", family, "-r", "nieuwe melding").stdout
    assert said == (
        f"{family} heropend; werkfase analyse\n"
        "de evaluatiereeksen blijven gestopt: plan ze opnieuw met 'icrctl eval schedule'\n"
    )
    dutch("case", "close", family, "--summary", "rust", "--safety", "veilig", *CLOSE_ANYWAY)
    refused = dutch("case", "purge", family, ok=False)
    assert flat(refused.stderr) == (
        f"fout: Casus {family} met alles erin voorgoed wissen? Geef --yes om te bevestigen "
        "(er is geen terminal om het te vragen)"
    )
    said = dutch("case", "purge", family, "-r", "bewaartermijn verstreken", "--yes").stdout
    assert said.splitlines()[0] == f"casus {family} gewist"
    for line in said.splitlines()[1:]:
        assert re.fullmatch(
            r"\d+ automatische reservekopie(ën)? verwijderd waarin de casus nog stond", line
        )


def test_member_commands_say_it_in_dutch(family: str, dutch: Run) -> None:
    said = dutch("member", "add", family, "Kees de Vries", "--role", "opa").stdout
    assert said == f"m4 Kees de Vries (grootouder) toegevoegd aan {family}\n"
    said = dutch("member", "edit", family, "m4", "--phone", "0612345678").stdout
    assert said == "m4 bijgewerkt: telefoon\n"
    assert dutch("member", "edit", family, "m4").stdout == "m4: niets gewijzigd\n"
    assert dutch("member", "remove", family, "m4").stdout == (
        f"m4 Kees de Vries verwijderd uit {family}\n"
    )
    result = dutch("member", "forget", family, "m2", "-r", "verzoek van betrokkene")
    assert re.fullmatch(
        rf"m2 gewist uit {family}; \d+ teksten? geschoond\n"
        r"(\d+ automatische reservekopie(ën)? verwijderd waarin de persoon nog stond\n)?",
        result.stdout,
    )
    assert flat(result.stderr.splitlines()[-2 if POSTGRES else -1]).endswith(
        "waarschuwing: kopieën gemaakt met 'icrctl backup' of 'icrctl export' bevatten de "
        "persoon nog: wis die ook"
    )


def test_partner_commands_say_it_in_dutch(family: str, dutch: Run) -> None:
    said = dutch(
        "partner", "add", "K. Visser", "--organisation", "Wijkteam Noord", "--kind", "wijkteam"
    ).stdout
    assert said == "ketenpartner k-visser toegevoegd: K. Visser, Wijkteam Noord\n"
    assert dutch("partner", "edit", "k-visser", "--phone", "010").stdout == (
        "k-visser bijgewerkt: telefoon\n"
    )
    assert dutch("partner", "link", family, "k-visser").stdout == (
        f"k-visser gekoppeld aan {family} (toestemming: nee)\n"
    )
    assert dutch("partner", "link", family, "k-visser", "--consent").stdout == (
        f"koppeling van k-visser aan {family} bijgewerkt (toestemming: ja)\n"
    )
    assert dutch("partner", "unlink", family, "k-visser").stdout == (
        f"k-visser ontkoppeld van {family}\n"
    )
    dutch("eval", "schedule", family, "--every", "2w", "-w", "vt-bakker")
    assert dutch("partner", "unlink", family, "vt-bakker").stdout == (
        f"vt-bakker ontkoppeld van {family}; uit 1 evaluatiereeks gehaald\n"
    )


def test_phase_set_and_inform_say_it_in_dutch(family: str, dutch: Run) -> None:
    said = dutch("phase", "set", family, "3", "-r", "zorgen", "-d", "2026-11-20").stdout
    assert said.startswith(f"{family} opgeschaald van fase 2 naar 3 (")
    assert said.endswith(") op 2026-11-20\n")
    said = dutch(
        "phase", "set", family, "4", "-r", "escalatie", "--track", "sociaal", "-d", "2026-11-21"
    ).stdout
    lines = said.splitlines()
    assert lines[0].startswith(f"{family} opgeschaald van fase 3 naar 4 (")
    assert lines[1].startswith("te informeren: aov (")
    assert lines[2] == f"vink af met 'icrctl phase inform {family} ONDERDEEL'"
    said = dutch("phase", "inform", family, "aov", "-d", "2026-11-22", "--time", "14:05").stdout
    assert re.fullmatch(rf"{family}: aov \(.+\) op 2026-11-22 om 14:05, door .+\n", said)
    said = dutch("phase", "inform", family, "aov", "--undo").stdout
    assert re.fullmatch(rf"{family}: aov \(.+\) weer open\n", said)
    said = dutch("phase", "set", family, "2", "-r", "rustiger").stdout
    assert said.startswith(f"{family} afgeschaald van fase 4 naar 2 (")


def test_a_regie_handover_says_it_in_dutch(dutch: Run) -> None:
    ref = "GO-2026-102"
    dutch(
        "case", "create", ref, "-t", "Familie Smit", "--opened", "2026-03-02", "--regie", "client"
    )
    said = dutch("phase", "set", ref, "3", "-r", "zorgen", "--regie", "professional").stdout
    assert said.splitlines()[1] == "casusregie ligt nu bij de professional (was: cliënt)"
    said = dutch("phase", "set", ref, "2", "-r", "rust", "--regie", "client").stdout
    assert said.splitlines()[1] == "casusregie ligt nu bij de cliënt (was: professioneel)"


def test_goal_and_log_say_it_in_dutch(family: str, dutch: Run) -> None:
    assert dutch("goal", "add", family, "Veilig thuis").stdout == (
        f"doel 1 toegevoegd aan {family}\n"
    )
    assert dutch("goal", "done", family, "1", "-d", "2026-11-20").stdout == (
        f"doel 1 van {family} is sinds 2026-11-20 behaald\n"
    )
    assert dutch("goal", "reopen", family, "1").stdout == f"doel 1 van {family} is weer open\n"
    assert dutch("goal", "done", family, "1", "--dropped").stdout == (
        f"doel 1 van {family} is sinds 2026-11-25 vervallen\n"
    )
    assert dutch("goal", "edit", family, "1", "--who", "Sanne").stdout == (
        "doel 1 bijgewerkt: wie\n"
    )
    assert dutch("goal", "edit", family, "1").stdout == "doel 1: niets gewijzigd\n"
    said = dutch("log", family, "Gesprek", "--kind", "visit", "-w", "m1", "-d", "2026-11-20")
    assert said.stdout == f"huisbezoek van 2026-11-20 vastgelegd voor {family}\n"
    said = dutch("log", "add", family, "Appje", "--kind", "sms", "--signal")
    assert said.stdout == f"bericht van 2026-11-25 vastgelegd voor {family} (veiligheidssignaal)\n"


def test_no_english_word_in_the_dutch_confirmations(family: str, dutch: Run) -> None:
    for args in (
        ("member", "add", family, "Kees de Vries", "--role", "grandparent"),
        ("partner", "link", family, "vt-bakker", "--no-consent"),
        ("phase", "set", family, "3", "-r", "zorgen"),
        ("goal", "add", family, "Veilig thuis"),
        ("goal", "done", family, "1"),
        ("log", family, "Gesprek", "--kind", "visit", "--signal"),
        ("case", "stage", family, "analysis"),
        ("case", "close", family, "--summary", "rust", "--safety", "veilig", *CLOSE_ANYWAY),
    ):
        result = dutch(*args)
        # The phase's name on the regiekaart and the people's names are data, not words of ours.
        no_english(re.sub(r"\(.*\)|Kees de Vries", "", result.stdout) + result.stderr)


def test_english_stays_english(family: str, run: Run) -> None:
    assert run("member", "add", family, "Kees de Vries", "--role", "opa").stdout == (
        f"added m4 Kees de Vries (grandparent) to {family}\n"
    )
    assert run("goal", "add", family, "Veilig thuis").stdout == f"added goal 1 to {family}\n"
    assert run("log", family, "Gesprek", "--kind", "huisbezoek", "-d", "2026-11-20").stdout == (
        f"logged visit of 2026-11-20 for {family}\n"
    )
    said = run("member", "forget", family, "m4", "--reason", "request").stdout
    assert said.splitlines()[0] == f"erased m4 from {family}; 0 texts redacted"


# --- help ----------------------------------------------------------------------------------------


def command_at(path: tuple[str, ...]) -> click.Command:
    from tests.helpers import command

    i18n.use("en")
    target = command()
    for name in path:
        assert isinstance(target, click.Group)
        found = target.get_command(click.Context(target), name)
        assert found is not None, path
        target = found
    return target


def english_help(target: click.Command) -> list[str]:
    """The English help texts of a command and its options, as written in the code."""
    texts = []
    for obj in (target, *[p for p in target.params if isinstance(p, click.Option)]):
        text = obj.__dict__.get(language._SOURCE, {}).get("help", getattr(obj, "help", None))
        if text and "--help" not in getattr(obj, "opts", []):
            texts.append(text)
    return texts


@pytest.mark.parametrize("path", MINE, ids=" ".join)
def test_the_dutch_help_has_no_english_help_text(path: tuple[str, ...], dutch: Run) -> None:
    texts = english_help(command_at(path))
    assert texts
    page = flat(dutch(*path, "--help").stdout)
    i18n.use("nl")
    try:
        for text in texts:
            translated = language.translate_help(text)
            assert translated is not None
            assert translated != text, f"not translated: {text!r}"
            assert flat(translated) in page
            assert flat(text) not in page
    finally:
        i18n.use("en")
    assert page.startswith("Gebruik: icrctl ")
    assert "Opties:" in page


def test_the_group_help_lists_the_commands_in_dutch(dutch: Run) -> None:
    page = flat(dutch("phase", "--help").stdout)
    assert "set Leg een faseovergang vast, getoetst aan de regels van de" in page
    assert "Opdrachten:" in page
    assert "Record a phase change" not in page


# --- short options -------------------------------------------------------------------------------


def long_options() -> list[tuple[tuple[str, ...], str]]:
    """Every (command, long option) of these modules that has a short one."""
    found = []
    for path in MINE:
        for param in command_at(path).params:
            for name in getattr(param, "opts", []):
                if name in SHORT:
                    found.append((path, name))
    return found


def test_every_long_option_of_issue_14_has_its_short_one() -> None:
    found = long_options()
    assert {long for _path, long in found} == {"--title", "--reason", "--date", "--with"}
    # case close --reason (its --force) since the closing checklist; case stage --reason (a
    # skipped stage) since the stages are held to their order
    assert len(found) == 16
    for path, long in found:
        options = [p for p in command_at(path).params if long in getattr(p, "opts", [])]
        assert len(options) == 1
        assert SHORT[long] in options[0].opts, f"{' '.join(path)} {long}"


#: Commands given long options, and a command that reads back what they did; ``{ref}`` is the
#: family's case. Each runs on two copies of the case file: with the long options, with the short.
STEPS = {
    "case create": (
        [("case", "create", "GO-2026-103", "--title", "Familie Smit", "--opened", "2026-11-02")],
        ("case", "show", "GO-2026-103", "-f", "json"),
    ),
    "case edit": (
        [("case", "edit", "{ref}", "--title", "Familie Smit")],
        ("case", "show", "{ref}", "-f", "json"),
    ),
    "case stage": (
        [("case", "stage", "{ref}", "analysis", "--date", "2026-11-20")],
        ("case", "show", "{ref}", "-f", "json"),
    ),
    "case close, reopen": (
        [
            ("case", "close", "{ref}", "--summary", "rust", "--safety", "veilig", *CLOSE_ANYWAY,
             "--date", "2026-11-20"),
            ("case", "reopen", "{ref}", "--reason", "nieuwe melding", "--date", "2026-11-24"),
        ],
        ("case", "show", "{ref}", "-f", "json"),
    ),
    "case purge": (
        [
            ("case", "close", "{ref}", "--summary", "rust", "--safety", "veilig", *CLOSE_ANYWAY),
            ("case", "purge", "{ref}", "--reason", "bewaartermijn", "--yes"),
        ],
        ("case", "list", "--all", "-f", "json"),
    ),
    "member forget": (
        [("member", "forget", "{ref}", "m2", "--reason", "verzoek")],
        ("member", "list", "{ref}", "-f", "json"),
    ),
    "phase set, inform": (
        [
            ("phase", "set", "{ref}", "4", "--reason", "escalatie", "--date", "2026-11-20",
             "--track", "social"),
            ("phase", "inform", "{ref}", "aov", "--date", "2026-11-21", "--time", "10:00"),
        ],
        ("phase", "checklist", "{ref}", "-f", "json"),
    ),
    "log": (
        [
            ("log", "{ref}", "Gesprek", "--kind", "visit", "--with", "m1,vt-bakker", "--date",
             "2026-11-20"),
            ("log", "add", "{ref}", "Appje", "--kind", "message", "--with", "m2", "--date",
             "2026-11-21"),
        ],
        ("log", "list", "{ref}", "-f", "json"),
    ),
    "goal done": (
        [
            ("goal", "add", "{ref}", "Veilig thuis"),
            ("goal", "done", "{ref}", "1", "--date", "2026-11-20"),
        ],
        ("goal", "list", "{ref}", "-f", "json"),
    ),
}  # fmt: skip


def untimed(data: Any) -> Any:
    """``data`` without the clock's time of recording (``recorded_at``), which differs per run."""
    if isinstance(data, dict):
        return {k: untimed(v) for k, v in data.items() if k != "recorded_at"}
    if isinstance(data, list):
        return [untimed(v) for v in data]
    return data


@pytest.mark.parametrize(("steps", "read"), STEPS.values(), ids=STEPS.keys())
def test_a_short_option_does_what_its_long_one_does(
    steps: list[tuple[str, ...]],
    read: tuple[str, ...],
    family: str,
    db_path: Path,
    tmp_path: Path,
) -> None:
    other = copy_of_case_file(tmp_path)
    assert any(word in SHORT for step in steps for word in step)
    found = []
    for this, short in ((make_run(), True), (make_run({"ICRCTL_DB": other}), False)):
        said = []
        for step in steps:
            words = [family if w == "{ref}" else w for w in step]
            if short:
                words = [SHORT.get(w, w) for w in words]
            said.append(this(*words).stdout)
        shown = this(*[family if w == "{ref}" else w for w in read])
        found.append((said, untimed(shown.json())))
    assert found[0] == found[1]


# --- what scripts read ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("case", "list", "--all", "-f", "json"),
        ("case", "list", "-f", "csv"),
        ("case", "show", "GO-2026-014", "-f", "json"),
        ("member", "list", "GO-2026-014", "-f", "json"),
        ("member", "list", "GO-2026-014", "-f", "csv"),
        ("partner", "list", "-f", "json"),
        ("partner", "list", "--case", "GO-2026-014", "-f", "csv"),
        ("phase", "show", "GO-2026-014", "-f", "json"),
        ("phase", "history", "GO-2026-014", "-f", "json"),
        ("phase", "history", "GO-2026-014", "-f", "csv"),
        ("phase", "checklist", "GO-2026-014", "-f", "json"),
        ("goal", "list", "GO-2026-014", "-f", "json"),
        ("goal", "list", "GO-2026-014", "-f", "csv"),
        ("log", "list", "GO-2026-014", "-f", "json"),
        ("log", "list", "GO-2026-014", "-f", "csv"),
    ],
    ids=" ".join,
)
def test_json_and_csv_do_not_change_with_the_language(
    args: tuple[str, ...], family: str, run: Run, dutch: Run
) -> None:
    run(
        "phase",
        "set",
        family,
        "4",
        "--reason",
        "escalatie",
        "--track",
        "social",
        "-d",
        "2026-11-20",
    )
    run("phase", "inform", family, "aov", "--date", "2026-11-21", "--time", "10:00")
    run("member", "relate", family, "m1", "parent_of", "m3")
    run("goal", "add", family, "Veilig thuis", "--who", "Sanne", "--due", "2026-12-31")
    run("goal", "add", family, "Rust", "--who", "Peter")
    run("goal", "done", family, "2", "--dropped")
    run("log", family, "Gesprek", "--kind", "visit", "--with", "m1,vt-bakker", "--signal")
    run("case", "stage", family, "analysis")
    english = run(*args).stdout
    assert english.strip()
    assert dutch(*args).stdout == english
