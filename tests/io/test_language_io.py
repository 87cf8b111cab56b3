"""The files and the case file in Dutch: an import file's errors keep their ``FILE:LINE: path:``
and say the rest in Dutch, the case file's refusals read Dutch, ``doctor``, ``audit`` and
``retention`` show Dutch headers and words, a warning is a ``waarschuwing:`` — and an export file
is the same bytes in either language (its keys and values are the file format)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from icrctl import i18n
from icrctl.db.engine import shown
from icrctl.render.output import Output
from tests.helpers import Holder, Run, case_file, make_run, query, unchanged

DUTCH = make_run({"ICRCTL_LANG": "nl"})
ENGLISH = make_run({"ICRCTL_LANG": "en"})

BROKEN_YAML = """\
version: 1
cases:
  - ref: GO-2026-099
    title: [Familie Test
"""

BAD_VALUES = """\
version: 1
cases:
  - ref: GO-2026-099
    title: Familie Test
    opened: 2026-03-01
    phase: 7
    colour: blue
    members:
      - {name: Ans Test, role: victim, born: 2030-01-01}
      - {role: child}
"""

#: Each bad value above: the path of its line, the Dutch words expected, the English id.
EXPECTED = {
    "cases[0].phase": ("verwacht 1 tot en met 4, niet 7", "expected 1 to 4, not 7"),
    "cases[0].colour": ("onbekend veld (toegestaan: ref, title", "unknown field (allowed: ref"),
    "cases[0].members[0].born": ("2030-01-01 ligt in de toekomst", "is in the future"),
    "cases[0].members[1].name": ("verplicht", "required"),
}


def _prefix(line: str) -> str:
    """``FILE:LINE: path:`` of an error line (the path has no spaces)."""
    match = re.match(r"^(\S+:\d+(?::\d+)?: (?:\S+:)?)", line)
    assert match, line
    return match[1]


def _error_lines(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(name)]


def test_a_yaml_error_reads_dutch_with_the_same_place(tmp_path: Path) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text(BROKEN_YAML)
    with unchanged():
        dutch = DUTCH("import", str(path), ok=False)
        english = ENGLISH("import", str(path), ok=False)
    [nl] = _error_lines(dutch.stderr, str(path))
    [en] = _error_lines(english.stderr, str(path))
    assert "geen geldige YAML" in nl
    assert "not valid YAML" not in nl
    assert "not valid YAML" in en
    assert nl.split(" geen geldige YAML")[0] == en.split(" not valid YAML")[0]
    assert re.match(rf"^{re.escape(str(path))}:\d+:\d+:$", nl.split(" geen")[0])
    assert dutch.stderr.splitlines()[-1].startswith("fout: ")
    assert dutch.exit_code == english.exit_code == 1


def test_bad_values_read_dutch_with_the_same_file_line_and_path(tmp_path: Path) -> None:
    path = tmp_path / "import.yaml"
    path.write_text(BAD_VALUES)
    with unchanged():
        dutch = _error_lines(DUTCH("import", str(path), ok=False).stderr, str(path))
        english = _error_lines(ENGLISH("import", str(path), ok=False).stderr, str(path))
    assert len(dutch) == len(english) == len(EXPECTED)
    assert [_prefix(line) for line in dutch] == [_prefix(line) for line in english]
    for nl, en in zip(dutch, english, strict=True):
        where = _prefix(nl).split(": ")[-1].rstrip(":")
        words, english_words = EXPECTED[where]
        assert words in nl, nl
        assert english_words in en, en
        assert english_words not in nl, nl


def test_the_import_messages_in_dutch_directly() -> None:
    import io

    from icrctl.errors import ImportErrors
    from icrctl.io.importfile import read_import
    from tests.helpers import TODAY

    i18n.use("nl")
    text = "version: 1\ncases:\n  - &a {ref: X}\n"
    with pytest.raises(ImportErrors) as caught:
        read_import(io.StringIO(text), "f.yaml", TODAY)
    assert caught.value.errors == ["f.yaml:3: cases[0]: ankers (&a) zijn niet toegestaan"]
    with pytest.raises(ImportErrors) as caught:
        read_import(io.StringIO("version: 1\nversion: 2\n"), "f.yaml", TODAY)
    assert caught.value.errors == [
        "f.yaml:2: version: sleutel 'version' komt twee keer voor (eerst op regel 1)"
    ]
    with pytest.raises(ImportErrors) as caught:
        read_import(io.StringIO(""), "f.yaml", TODAY)
    assert caught.value.errors == ["f.yaml:1: (top): het bestand is leeg"]


def test_a_locked_case_file_reads_dutch(family: str, db_path: Path) -> None:
    run = make_run({"ICRCTL_LANG": "nl", "ICRCTL_BUSY_TIMEOUT_MS": "100"})
    with unchanged():
        holder = Holder(db_path)
        try:
            result = run("member", "add", family, "Kees de Vries", "--role", "family", ok=False)
        finally:
            holder.release()
    [line] = result.stderr.splitlines()
    assert line.startswith("fout: het casusbestand ")
    assert "is vergrendeld door een andere icrctl (0.1 s gewacht)" in line
    assert "er is niets gewijzigd, probeer het opnieuw" in line
    assert "is locked by" not in line


def test_a_case_file_of_a_newer_icrctl_reads_dutch(family: str) -> None:
    query("UPDATE alembic_version SET version_num = '0999'")
    newer = shown(case_file())
    result = DUTCH("case", "list", ok=False)
    [line] = result.stderr.splitlines()
    assert line == (
        f"fout: het casusbestand {newer} heeft schemaversie '0999', die deze icrctl niet kent "
        "(geschreven door een nieuwere versie?); er is niets gewijzigd"
    )


def test_a_file_that_exists_is_refused_in_dutch(run: Run, family: str, tmp_path: Path) -> None:
    out = tmp_path / "export.yaml"
    out.write_text("ouder\n")
    result = DUTCH("export", "--out", str(out), ok=False)
    said = f"fout: {out} bestaat al; gebruik --force om het bestand te overschrijven\n"
    assert result.stderr == said
    assert out.read_text() == "ouder\n"


def _header(table: str, first: str) -> list[str]:
    """The words of the header line that begins with ``first`` (rules between columns left out)."""
    rows = [re.findall(r"[^\s\u2500-\u257f|]+", line) for line in table.splitlines()]
    [header] = [words for words in rows if words[:1] == [first]]
    return header


def test_doctor_shows_dutch_headers(family: str) -> None:
    table = DUTCH("doctor").stdout
    assert _header(table, "controle") == [
        "controle",
        "uitkomst",
        "toelichting",
        "wat",
        "te",
        "doen",
    ]
    assert "what to do" not in table
    assert " ok " in table or table.rstrip().endswith("ok")


def test_audit_shows_dutch_headers(family: str, tmp_path: Path) -> None:
    table = DUTCH("audit").stdout
    assert _header(table, "tijdstip") == [
        "tijdstip", "(UTC)", "gebruiker", "actie", "ref", "onderdeel", "velden", "opdracht",
    ]  # fmt: skip
    assert "create" in table  # the log's own values stay as they were written
    empty = DUTCH("--db", str(tmp_path / "nieuw" / "c.db"), "audit").stdout
    assert empty == "niets vastgelegd\n"
    assert DUTCH("--db", str(tmp_path / "nieuw" / "c.db"), "audit", "-f", "json").json() == []


def test_retention_says_nothing_is_due_in_dutch(family: str) -> None:
    assert DUTCH("retention").stdout == "geen gesloten casus is over de bewaartermijn heen\n"


def test_a_warning_is_a_waarschuwing(capsys: pytest.CaptureFixture[str]) -> None:
    i18n.use("nl")
    Output().warn("het casusbestand staat op een netwerkbestandssysteem")
    assert capsys.readouterr().err == (
        "waarschuwing: het casusbestand staat op een netwerkbestandssysteem\n"
    )
    i18n.use("en")
    Output().warn("x")
    assert capsys.readouterr().err == "warning: x\n"


def test_an_export_is_the_same_bytes_in_either_language(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "caseload.yaml"
    DUTCH("import", str(example))
    dutch, english = tmp_path / "nl.yaml", tmp_path / "en.yaml"
    DUTCH("export", "--out", str(dutch))
    ENGLISH("export", "--out", str(english))
    assert dutch.read_bytes() == english.read_bytes()
    assert DUTCH("export").stdout == ENGLISH("export").stdout
    assert "phase:" in english.read_text()
