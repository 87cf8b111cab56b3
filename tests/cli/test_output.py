"""Output: stored strings come out literally in tables, JSON and CSV; CSV cells cannot run as
formulas; JSON is one document; no colour without a terminal or with NO_COLOR."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from icrctl.render.output import csv_cell, csv_text, jsonable
from tests.helpers import Run

MARKUP_NAME = "Jan [/] de Wit"
MARKUP_TITLE = "Familie [bold]x[/bold] [red]rood[/red]"
NON_ASCII = "Zoë Yılmaz"
TRICKY = [MARKUP_NAME, NON_ASCII, "[link=https://example.org]klik[/link]", "Łukasz :smile: Šimić"]

# Any SGR sequence that sets a colour (foreground, background, 256 or true colour).
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])[0-9;]*m")


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def tricky(run: Run) -> str:
    run(
        "case",
        "create",
        "GO-1",
        "--title",
        MARKUP_TITLE,
        "--regisseur",
        NON_ASCII,
        "--referrer",
        "[i]Veilig Thuis[/i]",
    )
    for name in TRICKY:
        run("member", "add", "GO-1", name, "--role", "family")
    run(
        "partner",
        "add",
        MARKUP_NAME,
        "--organisation",
        "[b]GGZ[/b] Noord",
        "--kind",
        "ggz",
        "--key",
        "jan",
    )
    run("partner", "add", NON_ASCII, "--organisation", "Ŝkolo", "--kind", "school", "--key", "zoe")
    run("partner", "link", "GO-1", "jan", "--role", "[/]", "--consent")
    run("partner", "link", "GO-1", "zoe", "--role", NON_ASCII)
    return "GO-1"


# --- literal round trips --------------------------------------------------------------------


def test_confirmations_print_names_literally(run: Run) -> None:
    run("case", "create", "GO-1", "--title", "x")
    out = run("member", "add", "GO-1", MARKUP_NAME, "--role", "victim").stdout
    assert out.strip() == f"added m1 {MARKUP_NAME} (victim) to GO-1"
    out = run("partner", "add", "[bold]P[/bold]", "--organisation", "O", "--kind", "gp").stdout
    assert "[bold]P[/bold]" in out


def test_member_list_round_trips(tricky: str, run: Run) -> None:
    table = run("member", "list", tricky).stdout
    for name in TRICKY:
        assert name in table
    assert [m["name"] for m in run("member", "list", tricky, "-f", "json").json()] == TRICKY
    assert [r["name"] for r in csv_rows(run("member", "list", tricky, "-f", "csv").stdout)] == (
        TRICKY
    )


def test_case_show_round_trips(tricky: str, run: Run) -> None:
    table = run("case", "show", tricky).stdout
    for text in (
        MARKUP_TITLE,
        NON_ASCII,
        "[i]Veilig Thuis[/i]",
        *TRICKY,
        "[b]GGZ[/b] Noord",
        "Ŝkolo",
    ):
        assert text in table, text
    case = run("case", "show", tricky, "-f", "json").json()
    assert case["title"] == MARKUP_TITLE
    assert case["regisseur"] == NON_ASCII
    assert case["referrer"] == "[i]Veilig Thuis[/i]"
    assert [m["name"] for m in case["members"]] == TRICKY
    assert [(p["name"], p["organisation"], p["role"]) for p in case["partners"]] == [
        (MARKUP_NAME, "[b]GGZ[/b] Noord", "[/]"),
        (NON_ASCII, "Ŝkolo", NON_ASCII),
    ]
    [row] = csv_rows(run("case", "show", tricky, "-f", "csv").stdout)
    assert (row["title"], row["regisseur"], row["referrer"]) == (
        MARKUP_TITLE,
        NON_ASCII,
        "[i]Veilig Thuis[/i]",
    )


def test_case_list_round_trips(tricky: str, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    # The caseload table is wide; on a 120-column terminal rich wraps a long title over two
    # lines. A wide terminal shows each title on one line, literally.
    monkeypatch.setenv("COLUMNS", "200")
    table = run("case", "list").stdout
    assert MARKUP_TITLE in table
    assert NON_ASCII in table
    [row] = run("case", "list", "-f", "json").json()
    assert (row["title"], row["regisseur"]) == (MARKUP_TITLE, NON_ASCII)
    [row_csv] = csv_rows(run("case", "list", "-f", "csv").stdout)
    assert (row_csv["title"], row_csv["regisseur"]) == (MARKUP_TITLE, NON_ASCII)


def test_partner_lists_round_trip(tricky: str, run: Run) -> None:
    for args in (("partner", "list"), ("partner", "list", "--case", tricky)):
        table = run(*args).stdout
        for text in (MARKUP_NAME, NON_ASCII, "[b]GGZ[/b] Noord", "Ŝkolo"):
            assert text in table, (args, text)
        rows = run(*args, "-f", "json").json()
        assert sorted(r["name"] for r in rows) == sorted([MARKUP_NAME, NON_ASCII])
        assert sorted(r["name"] for r in csv_rows(run(*args, "-f", "csv").stdout)) == sorted(
            [MARKUP_NAME, NON_ASCII]
        )
    [jan] = [
        r
        for r in run("partner", "list", "--case", tricky, "-f", "json").json()
        if r["key"] == "jan"
    ]
    assert jan["role"] == "[/]"


def test_json_keeps_non_ascii_letters_unescaped(tricky: str, run: Run) -> None:
    out = run("member", "list", tricky, "-f", "json").stdout
    assert NON_ASCII in out
    assert "\\u" not in out


def test_decomposed_input_comes_out_composed(run: Run) -> None:
    run("case", "create", "GO-1", "--title", "Familie Yılmaz")
    run("member", "add", "GO-1", "Zoe\u0308 Yılmaz", "--role", "kind")
    assert run("member", "list", "GO-1", "-f", "json").json()[0]["name"] == NON_ASCII
    assert NON_ASCII in run("member", "list", "GO-1").stdout
    assert csv_rows(run("member", "list", "GO-1", "-f", "csv").stdout)[0]["name"] == NON_ASCII


# --- CSV formula injection ------------------------------------------------------------------


FORMULAS = [
    '=HYPERLINK("https://evil.example","klik")',
    "+31 6 1234 5678",
    "-2+3",
    "@SUM(A1:A9)",
]


def test_csv_neutralises_formulas_json_and_table_do_not(run: Run) -> None:
    run("case", "create", "GO-1", "--title", "=1+1")
    for name in FORMULAS:
        run("member", "add", "GO-1", "--role", "network", "--phone", "+31 6 1234 5678", "--", name)
    rows = csv_rows(run("member", "list", "GO-1", "-f", "csv").stdout)
    assert [r["name"] for r in rows] == ["'" + name for name in FORMULAS]
    assert all(r["phone"] == "'+31 6 1234 5678" for r in rows)
    assert [m["name"] for m in run("member", "list", "GO-1", "-f", "json").json()] == FORMULAS
    table = run("member", "list", "GO-1").stdout
    assert FORMULAS[0] in table
    assert "'=HYPERLINK" not in table
    [case] = csv_rows(run("case", "list", "-f", "csv").stdout)
    assert case["title"] == "'=1+1"
    [case] = csv_rows(run("case", "show", "GO-1", "-f", "csv").stdout)
    assert case["title"] == "'=1+1"
    assert run("case", "show", "GO-1", "-f", "json").json()["title"] == "=1+1"


def test_csv_neutralises_partner_fields(run: Run) -> None:
    run(
        "partner",
        "add",
        "@jan",
        "--organisation",
        "=cmd|' /C calc'!A0",
        "--kind",
        "other",
        "--key",
        "jan",
    )
    [row] = csv_rows(run("partner", "list", "-f", "csv").stdout)
    assert row["name"] == "'@jan"
    assert row["organisation"] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("Zoë", "Zoë"),
        ("", ""),
        (None, ""),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (["mon", "wed"], "mon;wed"),
        (["=x", "y"], "'=x;y"),
        ([], ""),
    ],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_csv_text_quotes_and_skips_nested_values() -> None:
    text = csv_text(
        [
            {"name": 'Jan "JJ", de Wit', "items": [{"a": 1}], "born": None, "days": ["mon"]},
            {"name": "=x", "items": [], "born": "2020-01-01", "days": []},
        ]
    )
    assert text.splitlines()[0] == "name,born,days"
    rows = csv_rows(text)
    assert rows == [
        {"name": 'Jan "JJ", de Wit', "born": "", "days": "mon"},
        {"name": "'=x", "born": "2020-01-01", "days": ""},
    ]
    assert csv_text([]) == ""


def test_jsonable() -> None:
    @dataclass
    class Row:
        date: date
        with_: list[str]
        at: datetime
        pair: tuple[int, int]

    assert jsonable(Row(date(2026, 11, 25), ["m1"], datetime(2026, 11, 25, 9, 30, 12), (1, 2))) == {
        "date": "2026-11-25",
        "with": ["m1"],
        "at": "2026-11-25T09:30:12Z",
        "pair": [1, 2],
    }


# --- JSON is one document; errors are not on stdout ----------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("case", "list"),
        ("case", "list", "--all"),
        ("case", "show", "GO-2026-014"),
        ("member", "list", "GO-2026-014"),
        ("partner", "list"),
        ("partner", "list", "--case", "GO-2026-014"),
    ],
    ids=" ".join,
)
def test_json_is_one_document_on_stdout(family: str, run: Run, args: tuple[str, ...]) -> None:
    for flag in ("--format", "-f"):
        result = run(*args, flag, "json")
        assert result.stderr == ""
        doc = json.loads(result.stdout)
        assert isinstance(doc, list | dict)
        assert result.stdout.endswith("}\n") or result.stdout.endswith("]\n")
        csv_out = run(*args, flag, "CSV").stdout
        assert csv_rows(csv_out), "csv has a header and rows"


# --- colour ---------------------------------------------------------------------------------


def test_no_escape_sequences_off_a_terminal(family: str, run: Run) -> None:
    for args in (
        ("case", "show", family),
        ("case", "list"),
        ("member", "list", family),
        ("partner", "list", "--case", family),
    ):
        assert "\x1b" not in run(*args).stdout


def test_no_colour_with_no_color_even_when_forced(
    family: str, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("phase", "set", family, "4", "--reason", "acuut onveilig", "--track", "care")
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    forced = run("case", "show", family).stdout
    assert COLOUR.search(forced), "FORCE_COLOR without NO_COLOR does colour (phase 4 in red)"
    monkeypatch.setenv("NO_COLOR", "1")
    for args in (("case", "show", family), ("case", "list")):
        assert not COLOUR.search(run(*args).stdout)
