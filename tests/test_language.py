"""Two languages: how the language is chosen, that the catalogue is whole, that Dutch help reads
Dutch from top to bottom, and that nothing a script reads changes with the language."""

from __future__ import annotations

import gettext
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl import i18n
from tests.helpers import ENVIRONMENT, Run, make_run
from tests.test_readme import readme_commands

ROOT = Path(__file__).resolve().parent.parent


# --- choosing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("explicit", "environ", "expected"),
    [
        (None, {}, "nl"),
        ("en", {"ICRCTL_LANG": "nl"}, "en"),
        (None, {"ICRCTL_LANG": "en", "LANG": "nl_NL.UTF-8"}, "en"),
        (None, {"ICRCTL_LANG": "nl_NL.UTF-8"}, "nl"),
        (None, {"LANG": "en_GB.UTF-8"}, "en"),
        (None, {"LANG": "nl_BE.UTF-8"}, "nl"),
        (None, {"LC_MESSAGES": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
        (None, {"LC_ALL": "nl_NL.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "nl"),
        # the first locale variable that is set decides, as POSIX has it: C means the default
        (None, {"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, "nl"),
        (None, {"LANG": "de_DE.UTF-8"}, "nl"),
        (None, {"LC_ALL": "", "LANG": "en_US"}, "en"),
        (None, {"ICRCTL_LANG": "", "LANG": "en_US"}, "en"),
        ("EN", {}, "en"),
    ],
)
def test_the_language_is_chosen_in_order(
    explicit: str | None, environ: dict[str, str], expected: str
) -> None:
    assert i18n.choose(explicit, environ) == expected


@pytest.mark.parametrize(("explicit", "environ"), [("de", {}), (None, {"ICRCTL_LANG": "fr"})])
def test_a_language_icrctl_does_not_speak_is_refused(
    explicit: str | None, environ: dict[str, str]
) -> None:
    with pytest.raises(i18n.UnknownLanguage):
        i18n.choose(explicit, environ)


@given(st.text(max_size=12))
def test_any_locale_gives_one_of_the_two_languages(value: str) -> None:
    assert i18n.choose(None, {"LANG": value}) in i18n.LANGUAGES


def dutch_run(**env: str | None) -> Run:
    return make_run({"ICRCTL_LANG": "nl", **env})


def test_dutch_is_the_default(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ICRCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert "Gebruik:" in run("--help").stdout


def test_the_locale_chooses_when_nothing_else_does(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ICRCTL_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert "Gebruik:" in make_run()("--help").stdout
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "Usage:" in make_run()("--help").stdout


def test_lang_option_beats_the_environment(run: Run) -> None:
    assert "Gebruik:" in run("--lang", "nl", "--help").stdout
    assert "Usage:" in dutch_run()("--lang=en", "--help").stdout


def test_an_unknown_language_is_one_line_and_exit_2(run: Run) -> None:
    result = make_run({"ICRCTL_LANG": "de"})("case", "list", ok=False)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "ICRCTL_LANG" in result.stderr
    result = run("--lang", "fr", "case", "list", ok=False)
    assert result.exit_code == 2
    assert "--lang" in result.stderr


def test_errors_read_in_the_language(run: Run) -> None:
    english = run("case", "show", "GO-2026-999", ok=False).stderr
    dutch = dutch_run()("case", "show", "GO-2026-999", ok=False).stderr
    assert english.startswith("error: ")
    assert dutch.startswith("fout: ")


def test_a_command_after_a_dutch_one_speaks_its_own_language(run: Run) -> None:
    dutch_run()("--help")
    assert "Usage:" in run("--help").stdout
    assert "Show this message and exit." in run("case", "create", "--help").stdout


# --- the catalogue -------------------------------------------------------------------------------


def test_the_catalogue_is_complete_and_compiled() -> None:
    """Every message id in the code has a Dutch translation (none missing, none fuzzy, the same
    placeholders), the template is current and the compiled .mo matches the .po."""
    pytest.importorskip("babel")
    result = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "catalogue.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def dutch_catalogue() -> dict[str, str]:
    """Message id -> Dutch, as the shipped .mo holds them (plural ids by their singular)."""
    mo = i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    found: dict[str, str] = {}
    for key, value in catalogue._catalog.items():  # type: ignore[attr-defined]
        if isinstance(key, tuple):
            key, index = key
            if index != 0:
                continue
        if key:
            found[key] = value
    return found


def english_only() -> list[str]:
    """The English message ids whose Dutch differs and that are long enough to be told apart
    from words both languages share: these must never appear in Dutch output."""
    return sorted(
        (msgid for msgid, dutch in dutch_catalogue().items()
         if dutch != msgid and len(msgid) >= 12 and "{" not in msgid),
        key=len,
    )  # fmt: skip


_TYPED = re.compile(
    r"--[a-z][\w-]*|'icrctl [^']*'|^(?:Gebruik|Usage): .*$|\bicrctl(?: [a-z-]+)+", re.M
)


def leaks(text: str) -> list[str]:
    """The English message ids found in ``text``, as whole words, once what the user types is
    taken out (option names such as ``--self-reliance``, commands such as ``icrctl phase
    history``): those are the same in both languages."""
    plain = _TYPED.sub(" ", text)
    return [
        msgid
        for msgid in english_only()
        if re.search(rf"(?<![\w-]){re.escape(msgid)}(?![\w-])", plain)
    ]


def commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            yield from commands(sub, (*path, name))


def every_command() -> list[tuple[str, ...]]:
    from tests.helpers import command

    i18n.use("en")
    return list(commands(command()))


def test_every_help_text_is_in_the_catalogue() -> None:
    """Walk every command and option: each help text (as Typer hands it to click) has a Dutch
    translation, so that nothing reads English in a Dutch help page."""
    from icrctl.cli import language
    from tests.helpers import command

    dutch = dutch_catalogue()
    missing: list[str] = []
    root = command()
    i18n.use("en")
    for path in every_command():
        target: click.Command = root
        for name in path:
            assert isinstance(target, click.Group)
            found = target.get_command(click.Context(target), name)
            assert found is not None
            target = found
        for obj in (target, *target.params):
            text = obj.__dict__.get(language._SOURCE, {}).get("help", getattr(obj, "help", None))
            if text and text not in dutch:
                missing.append(f"{' '.join(path) or 'icrctl'}: {text!r}")
    assert missing == []


@pytest.mark.parametrize("path", every_command(), ids=" ".join)
def test_dutch_help_reads_dutch(path: tuple[str, ...]) -> None:
    text = dutch_run()(*path, "--help").stdout
    assert leaks(text) == []
    assert "Show this message and exit." not in text
    assert "Usage:" not in text


def test_the_readme_examples_read_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "examples" / "caseload.yaml", tmp_path / "caseload.yaml")
    run = dutch_run()
    found: list[str] = []
    for words in readme_commands():
        result = run(*words, ok=None)
        assert result.exit_code == 0, f"icrctl {shlex.join(words)}: {result.stderr}"
        if "en" in words[:2]:  # the README's own example of English on request
            continue
        for msgid in leaks(result.stdout + result.stderr):
            found.append(f"icrctl {shlex.join(words)}: {msgid!r}")
        for output in tmp_path.glob("*.html"):
            assert 'lang="nl"' in output.read_text(encoding="utf-8")
    assert found == []


# --- what scripts read does not change ----------------------------------------------------------


READ_COMMANDS = [
    ("status", "--format", "json"),
    ("status", "--format", "csv"),
    ("check", "--format", "json"),
    ("case", "list", "--format", "json"),
    ("case", "show", "GO-2026-014", "--format", "json"),
    ("member", "list", "GO-2026-014", "--format", "csv"),
    ("partner", "list", "--format", "json"),
    ("eval", "list", "--format", "json"),
    ("phase", "show", "GO-2026-014", "--format", "json"),
    ("phase", "checklist", "GO-2026-014", "--format", "json"),
    ("audit", "--format", "json"),
    ("indicator", "list", "GO-2026-014", "--format", "json"),
    ("indicator", "summary", "--format", "csv"),
]


@pytest.fixture
def example(db_path: Path) -> None:
    """The bundled example caseload, imported."""
    make_run()("import", str(ROOT / "examples" / "caseload.yaml"))


@pytest.mark.usefixtures("example")
@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_json_and_csv_are_the_same_in_both_languages(args: tuple[str, ...]) -> None:
    english = make_run({"ICRCTL_LANG": "en"})(*args)
    dutch = dutch_run()(*args)
    assert dutch.stdout == english.stdout


@pytest.mark.usefixtures("example")
def test_the_export_is_the_same_in_both_languages(tmp_path: Path) -> None:
    make_run({"ICRCTL_LANG": "en"})("export", "--out", str(tmp_path / "en.yaml"))
    dutch_run()("export", "--out", str(tmp_path / "nl.yaml"))
    english = (tmp_path / "en.yaml").read_text(encoding="utf-8")
    dutch = (tmp_path / "nl.yaml").read_text(encoding="utf-8")
    assert re.sub(r"exported_at: .*", "", english) == re.sub(r"exported_at: .*", "", dutch)


def test_tests_run_in_english_by_choice() -> None:
    """The suite pins English (``tests/helpers.py``), whatever the machine's locale."""
    assert ENVIRONMENT["ICRCTL_LANG"] == "en"
