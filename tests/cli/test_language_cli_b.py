"""The caseload, evaluation, document, import/export and maintenance commands in Dutch (the
default) and English: their messages, their help, the command list of ``icrctl --help``, the
short options (``-w``, ``-d``, ``-r``, ``-o``), and output for scripts that is the same in both."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from icrctl import i18n
from icrctl.cli import language
from icrctl.cli.catalogue import COMMANDS
from tests.helpers import Run, copy_of_case_file, make_run, snapshot

#: The commands of these modules, by path.
MINE = [
    ("status",), ("week",), ("check",), ("werkplan",), ("report",), ("import",), ("export",),
    ("backup",), ("restore",), ("doctor",), ("audit",), ("retention",), ("eval",),
    ("eval", "schedule"), ("eval", "list"), ("eval", "show"), ("eval", "series"),
    ("eval", "record"), ("eval", "cancel"), ("eval", "move"), ("eval", "stop"), ("eval", "ics"),
]  # fmt: skip


@pytest.fixture
def dutch() -> Run:
    return make_run({"ICRCTL_LANG": "nl"})


def flat(text: str) -> str:
    return " ".join(text.split())


# --- messages ------------------------------------------------------------------------------------


def test_eval_schedule_says_it_in_dutch(family: str, dutch: Run) -> None:
    result = dutch("eval", "schedule", family, "--every", "2w", "--weekday", "sat", "-w", "m1")
    assert result.stdout == (
        f"reeks 1 voor {family} gepland: elke 2w op za om 10:00, eerste evaluatie 2026-11-28\n"
    )
    warning = flat(result.stderr)
    assert warning.startswith(
        "waarschuwing: 26 evaluaties in het komende jaar vallen in het weekend"
    )
    assert "(2026-11-28 zaterdag, 2026-12-12 zaterdag, 2026-12-26 Tweede kerstdag, …)" in warning
    assert f"'icrctl eval stop {family} --from 2026-11-25 --series 1'" in warning
    assert "meeting" not in warning
    result = dutch(
        "eval", "schedule", family, "--every", "1w", "--time", "9:00", "--workdays", "vorige"
    )
    assert result.stdout == (
        f"reeks 2 voor {family} gepland: elke 1w om 09:00, eerste evaluatie 2026-11-25, "
        "bij weekend of feestdag de vorige werkdag\n"
    )
    result = dutch(
        "eval", "schedule", family, "--every", "1m", "--weekday", "ma", "--until", "2026-11-30"
    )
    assert result.stdout == (
        f"reeks 3 voor {family} gepland: elke 1m op ma om 10:00, "
        "geen evaluatie: de reeks eindigt voor de eerste\n"
    )


def test_eval_record_cancel_move_stop_say_it_in_dutch(family: str, dutch: Run) -> None:
    dutch("eval", "schedule", family, "--every", "1w", "--start", "2026-11-04")
    result = dutch("eval", "record", family, "--attended", "m1", "--refused", "m2,m3")
    assert result.stdout == f"evaluatie van 2026-11-25 voor {family} vastgelegd\n"
    assert flat(result.stderr) == (
        "waarschuwing: m2, m3 weigerden deel te nemen: informeer Veilig Thuis "
        "(werkwijze casusregie)"
    )
    result = dutch("eval", "record", family, "-d", "2026-11-19", "--refused", "m2")
    assert result.stdout == f"extra evaluatie van 2026-11-19 voor {family} vastgelegd\n"
    assert "m2 weigerde deel te nemen" in result.stderr
    result = dutch("eval", "move", family, "2026-12-02", "2026-12-03", "--time", "14:00")
    assert result.stdout == (
        f"evaluatie van 2026-12-02 voor {family} verplaatst naar 2026-12-03 om 14:00\n"
    )
    result = dutch("eval", "cancel", family, "2026-12-03", "-r", "ziek")
    assert result.stdout == (
        f"evaluatie van 2026-12-03 voor {family} afgelast (verplaatst van 2026-12-02)\n"
    )
    result = dutch("eval", "stop", family, "--from", "2027-01-01")
    assert result.stdout == f"reeks 1 van {family} stopt vanaf 2027-01-01\n"


def test_the_documents_and_files_say_it_in_dutch(family: str, dutch: Run, tmp_path: Path) -> None:
    dutch("eval", "schedule", family, "--every", "2w")
    ics = tmp_path / "evaluaties.ics"
    result = dutch("eval", "ics", "-o", str(ics))
    assert result.stdout == f"14 evaluaties geschreven naar {ics}\n"
    plan, report = tmp_path / "plan.md", tmp_path / "eind.md"
    assert dutch("werkplan", family, "-o", str(plan)).stdout == (
        f"werkplan van {family} geschreven naar {plan}\n"
    )
    assert dutch("report", family, "-o", str(report)).stdout == (
        f"eindrapport van {family} geschreven naar {report} "
        "(een concept: de casus is niet gesloten)\n"
    )
    page = tmp_path / "week.html"
    assert dutch("week", "--html", str(page)).stdout == (
        f"weekoverzicht van week 2026-W48 geschreven naar {page}\n"
    )
    exported = tmp_path / "export.yaml"
    assert dutch("export", "-o", str(exported)).stdout == (
        f"1 casus geëxporteerd naar {exported}\n"
    )
    assert dutch("import", "--dry-run", str(exported)).exit_code == 0
    missing = tmp_path / "nergens.yaml"
    result = dutch("import", str(missing), ok=False)
    assert result.stderr.startswith(f"fout: kan {missing} niet lezen: ")


@pytest.mark.sqlite_only(reason="backs up and restores the .db file")
def test_backup_and_restore_say_it_in_dutch(family: str, dutch: Run, db_path: Path) -> None:
    copy = db_path.parent / "kopie.db"
    assert dutch("backup", str(copy)).stdout == (f"reservekopie van {db_path} gemaakt in {copy}\n")
    result = dutch("restore", str(copy), "--yes")
    assert result.stdout.startswith(f"{db_path} teruggezet uit {copy}; het vervangen bestand is ")
    nowhere = db_path.parent / "nergens.db"
    result = dutch("restore", str(nowhere), "--yes", ok=False)
    assert result.stderr == f"fout: geen reservekopie gevonden op {nowhere}\n"
    before = snapshot()
    result = dutch("restore", str(copy), ok=False)  # no terminal to ask on: refused
    assert result.stderr.startswith(f"fout: {db_path} vervangen door {copy}? ")
    assert snapshot() == before


def test_a_whole_number_too_large_is_refused_in_dutch(family: str, dutch: Run) -> None:
    result = dutch("eval", "record", family, "--risk", "99999999999", ok=False)
    assert result.stderr == (
        "fout: ongeldige waarde voor '--risk': 99999999999 is te groot (hoogstens 2147483647)\n"
    )


def test_two_cases_for_one_calendar_are_refused_in_dutch(family: str, dutch: Run) -> None:
    result = dutch("eval", "ics", family, "--case", "GO-2026-015", "-o", "x.ics", ok=False)
    assert result.stderr == (
        f"fout: twee casussen opgegeven ({family} en --case GO-2026-015): exporteer er één, "
        "of allemaal\n"
    )


def test_one_is_counted_in_the_singular_and_holidays_read_in_the_language(
    family: str, run: Run, tmp_path: Path
) -> None:
    exported = tmp_path / "export.yaml"
    assert run("export", "-o", str(exported)).stdout == f"exported 1 case to {exported}\n"
    result = run("eval", "schedule", family, "--every", "1m", "--start", "2027-04-27", "--until",
                 "2027-05-31")  # fmt: skip
    assert "1 meeting in the coming year falls on a weekend or public holiday" in result.stderr
    assert "(2027-04-27 King's Day)" in result.stderr
    dutch = make_run({"ICRCTL_LANG": "nl"})
    result = dutch("eval", "schedule", family, "--every", "1w", "--start", "2027-04-20",
                   "--until", "2027-05-01")  # fmt: skip
    assert (
        "1 evaluatie in het komende jaar valt in het weekend of op een feestdag " in result.stderr
    )
    assert "(2027-04-27 Koningsdag)" in result.stderr


# --- help ----------------------------------------------------------------------------------------


def test_the_command_list_is_dutch(dutch: Run) -> None:
    text = flat(dutch("--help").stdout)
    for name, (_module, _attribute, line) in COMMANDS.items():
        i18n.use("nl")
        translated = i18n._(line)
        i18n.use("en")
        assert translated != line, name
        assert f"{name} {translated}" in text
        assert line not in text
    assert "Opdrachten:" in text


def command_at(path: tuple[str, ...]) -> click.Command:
    from tests.helpers import command

    i18n.use("en")
    target = command()
    for name in path:
        assert isinstance(target, click.Group)
        found = target.get_command(click.Context(target), name)
        assert found is not None
        target = found
    return target


@pytest.mark.parametrize("path", MINE, ids=" ".join)
def test_every_help_text_reads_dutch(path: tuple[str, ...], dutch: Run) -> None:
    target = command_at(path)
    english = [
        obj.__dict__.get(language._SOURCE, {}).get("help", getattr(obj, "help", None))
        for obj in (target, *target.params)
    ]
    page = flat(dutch(*path, "--help").stdout)
    i18n.use("nl")
    try:
        for text in filter(None, english):
            assert isinstance(text, str)
            translated = language.translate_help(text)
            assert translated is not None
            assert translated != text, f"not translated: {text!r}"
            assert flat(translated) in page
            assert flat(text) not in page
    finally:
        i18n.use("en")


@pytest.mark.parametrize(
    ("path", "short", "long"),
    [
        (("eval", "schedule"), "-w", "--with"),
        (("eval", "record"), "-d", "--date"),
        (("eval", "cancel"), "-r", "--reason"),
        (("eval", "ics"), "-o", "--out"),
        (("werkplan",), "-o", "--out"),
        (("report",), "-o", "--out"),
        (("export",), "-o", "--out"),
    ],
)
def test_the_short_options_are_there(path: tuple[str, ...], short: str, long: str) -> None:
    options = [p for p in command_at(path).params if long in getattr(p, "opts", [])]
    assert len(options) == 1
    assert short in options[0].opts


# --- short options do what the long ones do -----------------------------------------------------


@pytest.mark.parametrize(
    ("words", "short", "long", "read"),
    [
        (("eval", "schedule", "{ref}", "--every", "1w", "{opt}", "m1,vt-bakker"), "-w", "--with",
         ("eval", "series", "{ref}", "--format", "json")),
        (("eval", "record", "{ref}", "{opt}", "2026-11-19", "--attended", "m1"), "-d", "--date",
         ("eval", "show", "{ref}", "2026-11-19", "--format", "json")),
        (("eval", "cancel", "{ref}", "2026-12-09", "{opt}", "ziek"), "-r", "--reason",
         ("eval", "show", "{ref}", "2026-12-09", "--format", "json")),
    ],
    ids=["with", "date", "reason"],
)  # fmt: skip
def test_a_short_option_does_what_its_long_one_does(
    words: tuple[str, ...],
    short: str,
    long: str,
    read: tuple[str, ...],
    family: str,
    run: Run,
    db_path: Path,
    tmp_path: Path,
) -> None:
    other = copy_of_case_file(tmp_path)
    found = []
    for this, option in ((run, short), (make_run({"ICRCTL_DB": other}), long)):
        this("eval", "schedule", family, "--every", "2w")
        said = this(*[option if w == "{opt}" else family if w == "{ref}" else w for w in words])
        shown = this(*[family if w == "{ref}" else w for w in read])
        found.append((said.stdout, shown.stdout))
    assert found[0] == found[1]
    assert family in found[0][0]


@pytest.mark.parametrize("path", [("eval", "ics"), ("werkplan", "GO-2026-014"), ("export",)])
def test_o_writes_the_file_out_does(
    path: tuple[str, ...], family: str, run: Run, tmp_path: Path
) -> None:
    suffix = {"eval": ".ics", "werkplan": ".md", "export": ".yaml"}[path[0]]
    run("eval", "schedule", family, "--every", "2w")
    short, long = tmp_path / f"short{suffix}", tmp_path / f"long{suffix}"
    run(*path, "-o", str(short))
    run(*path, "--out", str(long))
    strip = re.compile(r"exported_at: .*|DTSTAMP:.*")
    assert strip.sub("", short.read_text(encoding="utf-8")) == strip.sub(
        "", long.read_text(encoding="utf-8")
    )


# --- what scripts read ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--format", "json"),
        ("status", "--format", "csv"),
        ("eval", "list", "--format", "json"),
        ("eval", "list", "--overdue", "--format", "csv"),
        ("eval", "series", "GO-2026-014", "--format", "json"),
        ("eval", "show", "GO-2026-014", "2026-11-19", "--format", "json"),
        ("check", "--format", "json"),
        ("audit", "GO-2026-014", "--format", "json"),
        ("retention", "--format", "json"),
    ],
    ids=" ".join,
)
def test_json_and_csv_do_not_change_with_the_language(
    args: tuple[str, ...], family: str, run: Run, dutch: Run
) -> None:
    run("eval", "schedule", family, "--every", "1w", "--start", "2026-10-01", "--weekday", "thu")
    run("eval", "record", family, "--date", "2026-11-19", "--attended", "m1", "--refused", "m2")
    run("eval", "cancel", family, "2026-11-26", "--reason", "ziek")
    english = run(*args).stdout
    assert english.strip()
    assert dutch(*args).stdout == english
