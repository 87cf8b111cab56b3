"""``icrctl partner add|list|link|unlink|edit``: the directory of professionals and their links
to cases."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.helpers import Run, refused, unchanged, usage_error

VT = "Veilig Thuis Rotterdam Rijnmond"
LINK_FIELDS = {"key", "name", "organisation", "kind", "role", "consent"}


def directory(run: Run) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = run("partner", "list", "-f", "json").json()
    return rows


def linked(run: Run, ref: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = run("partner", "list", "--case", ref, "-f", "json").json()
    return rows


# --- partner add ----------------------------------------------------------------------------


def test_add_makes_a_key_from_the_name(run: Run) -> None:
    out = run("partner", "add", "J. Bakker", "--organisation", VT, "--kind", "veilig_thuis")
    assert out.stdout.strip() == f"added partner j-bakker: J. Bakker, {VT}"
    run("partner", "add", "J. Bakker", "--organisation", "GGZ Delfland", "--kind", "ggz")
    run(
        "partner",
        "add",
        "Dr. Şükrü Öztürk",
        "--organisation",
        "Huisartsenpraktijk Noord",
        "--kind",
        "huisarts",
    )
    assert [p["key"] for p in directory(run)] == ["dr-sukru-ozturk", "j-bakker", "j-bakker-2"]


def test_add_stores_every_field(run: Run) -> None:
    run(
        "partner",
        "add",
        "M. Koster",
        "--organisation",
        "Basisschool De Regenboog",
        "--kind",
        "school",
        "--key",
        "school-koster",
        "--email",
        "m.koster@example.org",
        "--phone",
        "+31 10 123 4567",
        "--reachable",
        "ma,wo,friday",
    )
    assert directory(run) == [
        {
            "key": "school-koster",
            "name": "M. Koster",
            "organisation": "Basisschool De Regenboog",
            "kind": "school",
            "email": "m.koster@example.org",
            "phone": "+31 10 123 4567",
            "reachable": ["mon", "wed", "fri"],
            "role": None,
            "consent": None,
            "coordination": None,
        }
    ]


@pytest.mark.parametrize(
    ("alias", "kind"),
    [
        ("jgz", "youth_health"),
        ("huisarts", "gp"),
        ("politie", "police"),
        ("ggz", "mental_health"),
        ("gi", "youth_protection"),
        ("reclassering", "probation"),
        ("woningcorporatie", "housing"),
        ("maatschappelijk_werk", "social_work"),
        ("overig", "other"),
        ("Veilig_Thuis", "veilig_thuis"),
    ],
)
def test_dutch_kinds_are_stored_canonical(run: Run, alias: str, kind: str) -> None:
    run("partner", "add", "P. Jansen", "--organisation", "Organisatie", "--kind", alias)
    assert directory(run)[0]["kind"] == kind


@pytest.fixture
def bakker(run: Run) -> str:
    run(
        "partner",
        "add",
        "J. Bakker",
        "--organisation",
        VT,
        "--kind",
        "veilig_thuis",
        "--key",
        "vt-bakker",
    )
    return "vt-bakker"


def test_add_refuses_the_same_name_and_organisation(bakker: str, run: Run) -> None:
    message = refused(run, "partner", "add", "J. Bakker", "--organisation", VT, "--kind", "gp")
    assert message == f"error: J. Bakker of {VT} is already in the directory as vt-bakker"
    refused(
        run,
        "partner",
        "add",
        "J. Bakker",
        "--organisation",
        VT,
        "--kind",
        "veilig_thuis",
        "--key",
        "other-key",
    )


def test_add_refuses_a_duplicate_key(bakker: str, run: Run) -> None:
    message = refused(
        run,
        "partner",
        "add",
        "K. de Wit",
        "--organisation",
        "Politie Rotterdam",
        "--kind",
        "politie",
        "--key",
        "vt-bakker",
    )
    assert message == "error: a partner vt-bakker is already in the directory"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kind", "dokter"), "error: unknown partner kind 'dokter'; expected one of:"),
        (("--reachable", "ma,someday"), "error: unknown weekday 'someday'"),
        (("--key", "k de wit"), "error: key 'k de wit' must not contain spaces or commas"),
        (("--name", "K. de Wit\x07"), "error: name contains a control character (U+0007)"),
        (("--name", "\x1b[31mK. de Wit"), "error: name contains a control character (U+001B)"),
        (("--name", "K. \u202etiW ed"), "error: name contains a control character (U+202E)"),
        (("--organisation", "Politie\x1b"), "error: organisation contains a control character"),
        (("--email", "k@x\x07"), "error: email contains a control character"),
        (("--organisation", "  "), "error: organisation must not be empty"),
    ],
)
def test_add_refusals_change_nothing(
    bakker: str, run: Run, args: tuple[str, ...], message: str
) -> None:
    given = dict(zip(args[::2], args[1::2], strict=True))
    name = given.pop("--name", "K. de Wit")
    options = {"--organisation": "Politie Rotterdam", "--kind": "politie", **given}
    flat = [part for pair in options.items() for part in pair]
    assert refused(run, "partner", "add", name, *flat).startswith(message)


def test_add_needs_organisation_and_kind(run: Run) -> None:
    message = "error: a partner needs a name, an --organisation and a --kind"
    assert refused(run, "partner", "add", "K. de Wit", "--kind", "politie") == message
    assert refused(run, "partner", "add", "K. de Wit", "--organisation", "Politie") == message
    assert directory(run) == []


@pytest.mark.parametrize(
    "args",
    [
        ("partner", "add"),
        ("partner", "add", "X", "--kind"),
        ("partner", "add", "X", "--organisation", "O", "--kind", "gp", "--nope"),
        ("partner", "list", "-f", "xml"),
        ("partner", "list", "--case"),
        ("partner", "link", "GO-1"),
        ("partner", "unlink", "GO-1"),
        ("partner", "edit"),
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2(run: Run, args: tuple[str, ...]) -> None:
    usage_error(run, *args)
    assert directory(run) == []


# --- partner list ---------------------------------------------------------------------------


def test_list_the_directory(bakker: str, run: Run) -> None:
    run(
        "partner",
        "add",
        "A. de Jong",
        "--organisation",
        "JGZ Rotterdam",
        "--kind",
        "jgz",
        "--reachable",
        "di,do",
    )
    assert [(p["key"], p["kind"]) for p in directory(run)] == [
        ("a-de-jong", "youth_health"),
        ("vt-bakker", "veilig_thuis"),
    ]
    table = run("partner", "list").stdout
    for text in ("key", "organisation", "J. Bakker", VT, "A. de Jong", "tue, thu", "veilig_thuis"):
        assert text in table
    rows = list(csv.DictReader(io.StringIO(run("partner", "list", "-f", "csv").stdout)))
    assert [(r["key"], r["name"], r["organisation"], r["kind"], r["reachable"]) for r in rows] == [
        ("a-de-jong", "A. de Jong", "JGZ Rotterdam", "youth_health", "tue;thu"),
        ("vt-bakker", "J. Bakker", VT, "veilig_thuis", ""),
    ]


def test_empty_directory(run: Run) -> None:
    assert directory(run) == []
    assert "no partners" in run("partner", "list").stdout


def test_list_of_a_case_shows_role_and_consent(family: str, run: Run) -> None:
    run("partner", "add", "M. Koster", "--organisation", "Basisschool", "--kind", "school")
    run("partner", "add", "Niet Gekoppeld", "--organisation", "Elders", "--kind", "overig")
    run(
        "partner",
        "link",
        family,
        "m-koster",
        "--role",
        "signalen op school",
        "--coordination",
        "maandelijks",
    )
    rows = linked(run, family)
    assert [{k: r[k] for k in LINK_FIELDS} for r in rows] == [
        {
            "key": "vt-bakker",
            "name": "J. Bakker",
            "organisation": VT,
            "kind": "veilig_thuis",
            "role": "veiligheidsplan",
            "consent": True,
        },
        {
            "key": "m-koster",
            "name": "M. Koster",
            "organisation": "Basisschool",
            "kind": "school",
            "role": "signalen op school",
            "consent": False,
        },
    ]
    assert rows[1]["coordination"] == "maandelijks"
    table = run("partner", "list", "--case", family).stdout
    header = table.splitlines()[0]
    assert "role" in header
    assert "consent" in header
    koster = next(line for line in table.splitlines() if line.startswith("m-koster"))
    assert "signalen op school" in koster
    assert koster.split("│")[5].strip() == "no"
    assert "Niet Gekoppeld" not in table
    rows_csv = list(
        csv.DictReader(io.StringIO(run("partner", "list", "--case", family, "-f", "csv").stdout))
    )
    assert [(r["key"], r["role"], r["consent"]) for r in rows_csv] == [
        ("vt-bakker", "veiligheidsplan", "true"),
        ("m-koster", "signalen op school", "false"),
    ]


def test_list_of_an_unknown_case(bakker: str, run: Run) -> None:
    assert refused(run, "partner", "list", "--case", "GO-404").startswith("error: no case 'GO-404'")


# --- partner link / unlink ------------------------------------------------------------------


@pytest.fixture
def case(run: Run, bakker: str) -> str:
    run("case", "create", "GO-1", "--title", "Familie Smit", "--opened", "2026-01-05")
    run("member", "add", "GO-1", "Moeder", "--role", "slachtoffer")
    return "GO-1"


def test_link_defaults_to_no_consent(case: str, run: Run) -> None:
    out = run("partner", "link", case, "vt-bakker").stdout
    assert out.strip() == f"linked vt-bakker to {case} (consent: no)"
    [row] = linked(run, case)
    assert (row["key"], row["role"], row["consent"], row["coordination"]) == (
        "vt-bakker",
        None,
        False,
        None,
    )
    shown = run("case", "show", case, "-f", "json").json()["partners"]
    assert [{k: p[k] for k in LINK_FIELDS} for p in shown] == [
        {
            "key": "vt-bakker",
            "name": "J. Bakker",
            "organisation": VT,
            "kind": "veilig_thuis",
            "role": None,
            "consent": False,
        },
    ]


def test_linking_again_updates_the_link(case: str, run: Run) -> None:
    run("partner", "link", case, "vt-bakker", "--role", "melding")
    out = run("partner", "link", case, "vt-bakker", "--consent").stdout
    assert out.strip() == f"updated link of vt-bakker to {case} (consent: yes)"
    [row] = linked(run, case)
    assert (row["role"], row["consent"]) == ("melding", True)
    run(
        "partner",
        "link",
        case,
        "J. Bakker",
        "--no-consent",
        "--role",
        "veiligheidsplan",
        "--coordination",
        "1x per 2 weken telefonisch",
    )
    [row] = linked(run, case)
    assert (row["role"], row["consent"], row["coordination"]) == (
        "veiligheidsplan",
        False,
        "1x per 2 weken telefonisch",
    )
    run("partner", "link", case, "vt-bakker")  # nothing given: nothing changes
    assert linked(run, case) == [row]
    shown = run("case", "show", case, "-f", "json").json()["partners"]
    assert [(p["key"], p["role"], p["consent"]) for p in shown] == [
        ("vt-bakker", "veiligheidsplan", False)
    ]


def test_one_partner_in_two_cases(case: str, run: Run) -> None:
    run("case", "create", "GO-2", "--title", "Familie Visser")
    run("partner", "link", case, "vt-bakker", "--consent", "--role", "a")
    run("partner", "link", "GO-2", "vt-bakker", "--role", "b")
    assert [(r["role"], r["consent"]) for r in linked(run, case)] == [("a", True)]
    assert [(r["role"], r["consent"]) for r in linked(run, "GO-2")] == [("b", False)]
    assert len(directory(run)) == 1


def test_link_refusals_change_nothing(case: str, run: Run) -> None:
    run("partner", "add", "J. Bakker", "--organisation", "Politie", "--kind", "politie")
    run("partner", "link", case, "vt-bakker", "--role", "melding")
    assert refused(run, "partner", "link", case, "nobody") == (
        "error: no partner 'nobody'; 'icrctl partner list' shows the directory"
    )
    assert refused(run, "partner", "link", "GO-404", "vt-bakker").startswith(
        "error: no case 'GO-404'"
    )
    ambiguous = refused(run, "partner", "link", case, "J. Bakker", "--consent")
    assert "2 partners are named 'J. Bakker'" in ambiguous
    assert "vt-bakker" in ambiguous
    assert "j-bakker" in ambiguous
    assert refused(run, "partner", "link", case, "vt-bakker", "--role", "x\x07y").startswith(
        "error: role contains a control character"
    )
    assert refused(
        run, "partner", "link", case, "vt-bakker", "--consent", "--coordination", "\u202e"
    ).startswith("error: coordination contains a control character")


def test_unlink(case: str, run: Run) -> None:
    run("partner", "link", case, "vt-bakker", "--consent")
    out = run("partner", "unlink", case, "J. Bakker").stdout
    assert out.strip() == f"unlinked vt-bakker from {case}"
    assert linked(run, case) == []
    assert run("case", "show", case, "-f", "json").json()["partners"] == []
    assert [p["key"] for p in directory(run)] == ["vt-bakker"]  # still in the directory
    run("partner", "link", case, "vt-bakker")  # and can be linked again, afresh
    assert linked(run, case)[0]["consent"] is False


def test_unlink_takes_the_partner_out_of_the_evaluation_series(case: str, run: Run) -> None:
    run("partner", "link", case, "vt-bakker")
    run(
        "eval", "schedule", case, "--every", "2w", "--start", "2026-12-01", "--with", "m1,vt-bakker"
    )
    assert run("eval", "series", case, "-f", "json").json()[0]["attendees"] == ["m1", "vt-bakker"]
    out = run("partner", "unlink", case, "vt-bakker").stdout
    assert out.strip() == f"unlinked vt-bakker from {case}; removed from 1 evaluation series"
    assert run("eval", "series", case, "-f", "json").json()[0]["attendees"] == ["m1"]


def test_unlink_refusals_change_nothing(case: str, run: Run) -> None:
    run("partner", "add", "K. de Wit", "--organisation", "Politie", "--kind", "politie")
    run("partner", "link", case, "vt-bakker", "--consent")
    assert refused(run, "partner", "unlink", case, "k-de-wit") == (
        f"error: partner k-de-wit is not linked to case {case}"
    )
    assert refused(run, "partner", "unlink", case, "nobody").startswith("error: no partner")
    assert refused(run, "partner", "unlink", "GO-404", "vt-bakker").startswith("error: no case")


# --- partner edit ---------------------------------------------------------------------------


def test_edit_the_directory_entry(case: str, run: Run) -> None:
    run("partner", "link", case, "vt-bakker", "--role", "melding", "--consent")
    out = run(
        "partner",
        "edit",
        "vt-bakker",
        "--name",
        "J. Bakker-Smit",
        "--kind",
        "politie",
        "--email",
        "jbs@example.org",
        "--reachable",
        "vr",
    ).stdout
    assert out.strip() == "updated vt-bakker: name, kind, email, reachable"
    [entry] = directory(run)
    assert (entry["key"], entry["name"], entry["kind"], entry["email"], entry["reachable"]) == (
        "vt-bakker",
        "J. Bakker-Smit",
        "police",
        "jbs@example.org",
        ["fri"],
    )
    [link] = linked(run, case)  # every case sees the new entry, the link stays
    assert (link["name"], link["kind"], link["role"], link["consent"]) == (
        "J. Bakker-Smit",
        "police",
        "melding",
        True,
    )
    run("partner", "edit", "J. Bakker-Smit", "--email", "")
    assert directory(run)[0]["email"] is None
    with unchanged():
        result = run("partner", "edit", "vt-bakker", "--kind", "politie")
    assert result.stdout.strip() == "vt-bakker: nothing changed"


def test_edit_refusals_change_nothing(case: str, run: Run) -> None:
    run("partner", "add", "K. de Wit", "--organisation", "Politie", "--kind", "politie")
    assert (
        refused(run, "partner", "edit", "k-de-wit", "--name", "J. Bakker", "--organisation", VT)
        == f"error: J. Bakker of {VT} is already in the directory as vt-bakker"
    )
    assert refused(run, "partner", "edit", "nobody", "--name", "x").startswith(
        "error: no partner 'nobody'"
    )
    assert refused(run, "partner", "edit", "vt-bakker", "--kind", "dokter").startswith(
        "error: unknown partner kind 'dokter'"
    )
    assert refused(run, "partner", "edit", "vt-bakker", "--name", "J.\x1b[31m").startswith(
        "error: name contains a control character"
    )
    assert refused(run, "partner", "edit", "vt-bakker", "--reachable", "nooit").startswith(
        "error: unknown weekday 'nooit'"
    )
