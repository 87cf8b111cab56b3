"""``icrctl member add|list|edit|relate|remove``: keys, names, roles, dates, and refusals that
change nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.helpers import Run, refused, unchanged, usage_error

MEMBER_FIELDS = ["key", "name", "born", "role", "household"]


def members(run: Run, ref: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = run("member", "list", ref, "-f", "json").json()
    return rows


@pytest.fixture
def case(run: Run) -> str:
    run("case", "create", "GO-1", "--title", "Familie Yılmaz", "--opened", "2026-01-05")
    return "GO-1"


# --- member add -----------------------------------------------------------------------------


def test_keys_are_given_m1_m2_m3(case: str, run: Run) -> None:
    out = run("member", "add", case, "Ayşe Yılmaz", "--role", "victim").stdout
    assert out.strip() == f"added m1 Ayşe Yılmaz (victim) to {case}"
    run("member", "add", case, "Emre Yılmaz", "--role", "perpetrator")
    run("member", "add", case, "Deniz Yılmaz", "--role", "child")
    assert [(m["key"], m["name"]) for m in members(run, case)] == [
        ("m1", "Ayşe Yılmaz"),
        ("m2", "Emre Yılmaz"),
        ("m3", "Deniz Yılmaz"),
    ]


def test_keys_are_per_case(case: str, run: Run) -> None:
    run("case", "create", "GO-2", "--title", "Familie Smit")
    run("member", "add", case, "A", "--role", "victim")
    run("member", "add", "GO-2", "B", "--role", "victim")
    assert [m["key"] for m in members(run, case)] == ["m1"]
    assert [m["key"] for m in members(run, "GO-2")] == ["m1"]


def test_a_chosen_key_and_the_automatic_ones_around_it(case: str, run: Run) -> None:
    run("member", "add", case, "Oma", "--role", "grandparent", "--key", "m2")
    run("member", "add", case, "Moeder", "--role", "victim")
    run("member", "add", case, "Vader", "--role", "perpetrator")
    run("member", "add", case, "Buurvrouw", "--role", "network", "--key", "buurvrouw")
    assert [(m["key"], m["name"]) for m in members(run, case)] == [
        ("m2", "Oma"),
        ("m3", "Moeder"),  # m2 given by hand counts: m1 is passed by, never given after it
        ("m4", "Vader"),
        ("buurvrouw", "Buurvrouw"),
    ]


def test_every_field_is_stored(case: str, run: Run) -> None:
    run(
        "member",
        "add",
        case,
        "Ayşe Yılmaz",
        "--role",
        "victim",
        "--born",
        "14-05-1988",
        "--phone",
        "+31 6 1234 5678",
        "--email",
        "ayse@example.org",
    )
    run("member", "add", case, "Emre Yılmaz", "--role", "perpetrator", "--outside-household")
    rows = members(run, case)
    assert rows[0] == {
        "key": "m1",
        "name": "Ayşe Yılmaz",
        "born": "1988-05-14",
        "role": "victim",
        "household": True,
        "phone": "+31 6 1234 5678",
        "email": "ayse@example.org",
        "deceased": False,
    }
    assert {k: rows[1][k] for k in MEMBER_FIELDS} == {
        "key": "m2",
        "name": "Emre Yılmaz",
        "born": None,
        "role": "perpetrator",
        "household": False,
    }


@pytest.mark.parametrize(
    ("alias", "role"),
    [
        ("slachtoffer", "victim"),
        ("pleger", "perpetrator"),
        ("beide", "both"),
        ("kind", "child"),
        ("Kind", "child"),
        ("ex-partner", "ex_partner"),
        ("grootouder", "grandparent"),
        ("familie", "family"),
        ("netwerk", "network"),
        ("VICTIM", "victim"),
    ],
)
def test_dutch_roles_are_stored_canonical(case: str, run: Run, alias: str, role: str) -> None:
    out = run("member", "add", case, "Iemand", "--role", alias).stdout
    assert f"({role})" in out
    assert members(run, case)[0]["role"] == role


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2019-06-01", "2019-06-01"),
        ("01-06-2019", "2019-06-01"),
        ("today", "2026-11-25"),  # born today: not in the future
        ("yesterday", "2026-11-24"),
        ("-2w", "2026-11-11"),
    ],
)
def test_born_in_every_date_form(case: str, run: Run, given: str, stored: str) -> None:
    run("member", "add", case, "Baby", "--role", "child", "--born", given)
    assert members(run, case)[0]["born"] == stored


def test_names_are_stored_nfc(case: str, run: Run) -> None:
    run("member", "add", case, "Zoe\u0308 Yılmaz", "--role", "child")
    assert members(run, case)[0]["name"] == "Zo\u00eb Yılmaz"
    # and the decomposed spelling still finds her
    run("member", "edit", case, "Zoe\u0308 Yılmaz", "--born", "2015-01-01")
    assert members(run, case)[0]["born"] == "2015-01-01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--born", "31-02-2026"), "error: invalid date '31-02-2026': no such day"),
        (("--born", "2026-13-01"), "error: invalid date '2026-13-01': no such day"),
        (("--born", "next friday"), "error: invalid date 'next friday'"),
        (("--born", "2019"), "error: invalid date '2019'"),
        (("--born", "tomorrow"), "error: born 2026-11-26 is in the future"),
        (("--born", "+1d"), "error: born 2026-11-26 is in the future"),
        (("--born", "2030-01-01"), "error: born 2030-01-01 is in the future"),
        (("--born", "fri"), "error: born 2026-11-27 is in the future"),
        (
            ("--role", "boss"),
            "error: unknown role 'boss'; expected one of: victim (slachtoffer), perpetrator",
        ),
        (("--role", "moeder"), "error: unknown role 'moeder'"),
        (("--key", "m 9"), "error: key 'm 9' must not contain spaces or commas"),
        (("--key", "a,b"), "error: key 'a,b' must not contain spaces or commas"),
        (("--phone", "06\x07"), "error: phone contains a control character"),
        (("--email", "x@y\x1b"), "error: email contains a control character"),
    ],
)
def test_add_refusals_change_nothing(
    case: str, run: Run, args: tuple[str, ...], message: str
) -> None:
    run("member", "add", case, "Bestaand", "--role", "victim")
    role = () if "--role" in args else ("--role", "child")
    assert refused(run, "member", "add", case, "Nieuw", *role, *args).startswith(message)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Jan\x07", "U+0007"),
        ("\x1b[31mJan", "U+001B"),
        ("Jan \x1b[31mde Wit\x1b[0m", "U+001B"),
        ("Jan \u202eitiW ed", "U+202E"),
        ("Jan\x00", "U+0000"),
        ("Jan\nde Wit", "U+000A"),
        ("Jan\u2067de Wit", "U+2067"),
    ],
)
def test_control_characters_in_a_name_are_refused(
    case: str, run: Run, name: str, code: str
) -> None:
    message = refused(run, "member", "add", case, name, "--role", "victim")
    assert message == f"error: name contains a control character ({code})"


def test_a_name_from_a_non_utf8_terminal_is_refused(case: str, run: Run) -> None:
    message = refused(run, "member", "add", case, "Jan\udcff", "--role", "victim")
    assert message == "error: name is not valid UTF-8 text (U+DCFF)"
    assert members(run, case) == []


def test_add_refuses_a_duplicate_key(case: str, run: Run) -> None:
    run("member", "add", case, "Moeder", "--role", "victim")
    run("member", "add", case, "Buurvrouw", "--role", "network", "--key", "buur")
    assert refused(run, "member", "add", case, "Vader", "--role", "pleger", "--key", "m1") == (
        f"error: case {case} already has a member m1"
    )
    assert refused(run, "member", "add", case, "X", "--role", "netwerk", "--key", "buur") == (
        f"error: case {case} already has a member buur"
    )


def test_add_to_an_unknown_case(case: str, run: Run) -> None:
    message = refused(run, "member", "add", "GO-404", "Moeder", "--role", "victim")
    assert message == "error: no case 'GO-404'; 'icrctl case list --all' shows the refs"
    assert members(run, case) == []


def test_add_needs_a_role_and_a_name(case: str, run: Run) -> None:
    assert refused(run, "member", "add", case, "Moeder") == (
        "error: a member needs a name and a --role"
    )
    assert refused(run, "member", "add", case, "  ", "--role", "victim") == (
        "error: name must not be empty"
    )
    assert members(run, case) == []


@pytest.mark.parametrize(
    "args",
    [
        ("member", "add"),
        ("member", "add", "GO-1"),
        ("member", "add", "GO-1", "Moeder", "--role"),
        ("member", "add", "GO-1", "Moeder", "--role", "victim", "--bogus"),
        ("member", "list"),
        ("member", "list", "GO-1", "-f", "xml"),
        ("member", "edit", "GO-1"),
        ("member", "relate", "GO-1", "m1", "partner"),
        ("member", "remove", "GO-1"),
        ("member", "frobnicate"),
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2(case: str, run: Run, args: tuple[str, ...]) -> None:
    usage_error(run, *args)
    assert members(run, case) == []


# --- member list ----------------------------------------------------------------------------


@pytest.fixture
def three(case: str, run: Run) -> str:
    run("member", "add", case, "Ayşe Yılmaz", "--role", "slachtoffer", "--born", "1988-05-14")
    run("member", "add", case, "Emre Yılmaz", "--role", "pleger", "--outside-household")
    run("member", "add", case, "Deniz Yılmaz", "--role", "kind", "--born", "2019-06-01")
    return case


def test_list_json_fields(three: str, run: Run) -> None:
    rows = members(run, three)
    assert [{k: r[k] for k in MEMBER_FIELDS} for r in rows] == [
        {
            "key": "m1",
            "name": "Ayşe Yılmaz",
            "born": "1988-05-14",
            "role": "victim",
            "household": True,
        },
        {
            "key": "m2",
            "name": "Emre Yılmaz",
            "born": None,
            "role": "perpetrator",
            "household": False,
        },
        {
            "key": "m3",
            "name": "Deniz Yılmaz",
            "born": "2019-06-01",
            "role": "child",
            "household": True,
        },
    ]


def test_list_table(three: str, run: Run) -> None:
    out = run("member", "list", three).stdout
    lines = out.splitlines()
    for column in MEMBER_FIELDS:
        assert column in lines[0]
    row = next(line for line in lines if line.startswith("m2"))
    for text in ("Emre Yılmaz", "perpetrator", "no"):
        assert text in row
    assert "1988-05-14" in out


def test_list_csv(three: str, run: Run) -> None:
    out = run("member", "list", three, "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0].split(",")[:5] == MEMBER_FIELDS
    assert [(r["key"], r["name"], r["born"], r["role"], r["household"]) for r in rows] == [
        ("m1", "Ayşe Yılmaz", "1988-05-14", "victim", "true"),
        ("m2", "Emre Yılmaz", "", "perpetrator", "false"),
        ("m3", "Deniz Yılmaz", "2019-06-01", "child", "true"),
    ]


def test_list_of_an_unknown_case(three: str, run: Run) -> None:
    for fmt in ("table", "json", "csv"):
        assert refused(run, "member", "list", "GO-404", "-f", fmt).startswith(
            "error: no case 'GO-404'"
        )


def test_list_of_a_case_without_members(case: str, run: Run) -> None:
    assert members(run, case) == []
    assert "no members" in run("member", "list", case).stdout


# --- naming a member: key, or exact name when unique ----------------------------------------


def test_a_member_by_exact_name(three: str, run: Run) -> None:
    out = run("member", "edit", three, "Emre Yılmaz", "--phone", "06-12345678").stdout
    assert out.strip() == "updated m2: phone"
    assert members(run, three)[1]["phone"] == "06-12345678"


def test_a_name_must_match_exactly(three: str, run: Run) -> None:
    for almost in ("emre yılmaz", "Emre", "Emre  Yılmaz", "Emre Yilmaz", "M2"):
        message = refused(run, "member", "edit", three, almost, "--phone", "1")
        assert message.startswith("error: no member '")
        assert message.endswith(f"in case {three}; 'icrctl member list {three}' shows them")


def test_an_ambiguous_name_is_refused(three: str, run: Run) -> None:
    run("member", "add", three, "Emre Yılmaz", "--role", "grootouder")  # grandfather, same name
    message = refused(run, "member", "edit", three, "Emre Yılmaz", "--phone", "1")
    assert "2 members" in message
    assert "use a key" in message
    assert "m2" in message
    assert "m4" in message
    refused(run, "member", "remove", three, "Emre Yılmaz")
    refused(run, "member", "relate", three, "Emre Yılmaz", "parent_of", "m1")
    run("member", "edit", three, "m4", "--phone", "1")  # the key still works
    assert members(run, three)[3]["phone"] == "1"


def test_a_key_wins_over_a_name(three: str, run: Run) -> None:
    run("member", "add", three, "m1", "--role", "netwerk")  # somebody called "m1", key m4
    run("member", "edit", three, "m1", "--phone", "112")
    rows = members(run, three)
    assert rows[0]["phone"] == "112"
    assert rows[3]["phone"] is None


# --- member edit ----------------------------------------------------------------------------


def test_edit_every_field(three: str, run: Run) -> None:
    out = run(
        "member",
        "edit",
        three,
        "m2",
        "--name",
        "Emre Y.",
        "--role",
        "beide",
        "--born",
        "02-03-1985",
        "--household",
        "--phone",
        "06",
        "--email",
        "e@example.org",
        "--deceased",
    ).stdout
    assert out.strip() == "updated m2: name, role, born, household, phone, email, deceased"
    assert members(run, three)[1] == {
        "key": "m2",
        "name": "Emre Y.",
        "born": "1985-03-02",
        "role": "both",
        "household": True,
        "phone": "06",
        "email": "e@example.org",
        "deceased": True,
    }
    run("member", "edit", three, "m2", "--outside-household", "--phone", "", "--email", "")
    row = members(run, three)[1]
    assert (row["household"], row["phone"], row["email"]) == (False, None, None)


def test_edit_with_nothing_new(three: str, run: Run) -> None:
    with unchanged():
        out = run("member", "edit", three, "m1", "--role", "slachtoffer", "--born", "14-05-1988")
    assert out.stdout.strip() == "m1: nothing changed"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--born", "31-02-2026"), "error: invalid date '31-02-2026'"),
        (("--born", "2026-13-01"), "error: invalid date '2026-13-01'"),
        (("--born", "next friday"), "error: invalid date 'next friday'"),
        (("--born", "tomorrow"), "error: born 2026-11-26 is in the future"),
        (("--role", "baas"), "error: unknown role 'baas'"),
        (("--name", "Ayşe\x07"), "error: name contains a control character (U+0007)"),
        (("--name", "\x1b[31mAyşe"), "error: name contains a control character (U+001B)"),
        (("--name", "\u202eAyşe"), "error: name contains a control character (U+202E)"),
        (("--name", ""), "error: name must not be empty"),
    ],
)
def test_edit_refusals_change_nothing(
    three: str, run: Run, args: tuple[str, ...], message: str
) -> None:
    assert refused(run, "member", "edit", three, "m1", "--phone", "06", *args).startswith(message)


def test_edit_unknown_member_or_case(three: str, run: Run) -> None:
    assert refused(run, "member", "edit", three, "m9", "--phone", "1").startswith(
        "error: no member 'm9' in case GO-1"
    )
    assert refused(run, "member", "edit", "GO-404", "m1", "--phone", "1").startswith(
        "error: no case 'GO-404'"
    )


# --- member relate --------------------------------------------------------------------------


def relations(run: Run, ref: str) -> list[tuple[str, str, str]]:
    shown = run("case", "show", ref, "-f", "json").json()
    return [(r["member"], r["kind"], r["other"]) for r in shown["relations"]]


def test_relate_by_key_and_by_name(three: str, run: Run) -> None:
    assert run("member", "relate", three, "m1", "ex_partner", "m2").stdout.strip() == (
        f"{three}: m1 ex_partner m2"
    )
    run("member", "relate", three, "Ayşe Yılmaz", "parent_of", "Deniz Yılmaz")
    run("member", "relate", three, "m2", "ouder_van", "m3")
    assert relations(run, three) == [
        ("m1", "ex_partner", "m2"),
        ("m1", "parent_of", "m3"),
        ("m2", "parent_of", "m3"),
    ]
    table = run("case", "show", three).stdout
    assert "relations" in table
    assert "ex_partner" in table
    assert "parent_of" in table


@pytest.mark.parametrize(
    ("alias", "kind"),
    [
        ("partner", "partner"),
        ("ex-partner", "ex_partner"),
        ("ouder_van", "parent_of"),
        ("broer_zus", "sibling"),
        ("SIBLING", "sibling"),
    ],
)
def test_relate_takes_dutch_kinds(three: str, run: Run, alias: str, kind: str) -> None:
    run("member", "relate", three, "m1", alias, "m2")
    assert relations(run, three) == [("m1", kind, "m2")]


def test_relate_refusals_change_nothing(three: str, run: Run) -> None:
    run("member", "relate", three, "m1", "ex_partner", "m2")
    run("member", "relate", three, "m1", "parent_of", "m3")
    cases = [
        (("m1", "ex_partner", "m2"), "error: m1 ex_partner m2 is already recorded"),
        (("m2", "ex-partner", "m1"), "error: m2 ex_partner m1 is already recorded"),
        (("m1", "parent_of", "m3"), "error: m1 parent_of m3 is already recorded"),
        (("m3", "parent_of", "m1"), "error: m1 is recorded as parent of m3"),
        (("m1", "partner", "m1"), "error: m1 cannot be related to themselves"),
        (("m1", "neef", "m2"), "error: unknown relation kind 'neef'"),
        (("m1", "sibling", "m9"), "error: no member 'm9' in case GO-1"),
        (("Niemand", "sibling", "m1"), "error: no member 'Niemand' in case GO-1"),
    ]
    for args, message in cases:
        assert refused(run, "member", "relate", three, *args).startswith(message), args
    assert refused(run, "member", "relate", "GO-404", "m1", "partner", "m2").startswith(
        "error: no case 'GO-404'"
    )


# --- member remove --------------------------------------------------------------------------


def test_remove(three: str, run: Run) -> None:
    out = run("member", "remove", three, "m3").stdout
    assert out.strip() == f"removed m3 Deniz Yılmaz from {three}"
    assert [m["key"] for m in members(run, three)] == ["m1", "m2"]


def test_remove_by_name_takes_relations_and_series_along(three: str, run: Run) -> None:
    run("member", "relate", three, "m1", "parent_of", "m3")
    run("member", "relate", three, "m3", "sibling", "m2")
    run("eval", "schedule", three, "--every", "2w", "--start", "2026-12-01", "--with", "m1,m3")
    run("member", "remove", three, "Deniz Yılmaz")
    assert [m["key"] for m in members(run, three)] == ["m1", "m2"]
    assert relations(run, three) == []
    assert run("eval", "series", three, "-f", "json").json()[0]["attendees"] == ["m1"]


def test_remove_is_refused_when_the_member_has_history(three: str, run: Run) -> None:
    run("eval", "schedule", three, "--every", "2w", "--start", "2026-11-03", "--with", "m1")
    run("eval", "record", three, "--date", "2026-11-03", "--attended", "m1")
    run("member", "relate", three, "m1", "ex_partner", "m2")
    message = refused(run, "member", "remove", three, "m1")
    assert "m1 appears in 1 meeting or contact record" in message
    assert "member forget" in message
    assert refused(run, "member", "remove", three, "Ayşe Yılmaz") == message


def test_remove_is_refused_when_the_member_is_in_the_contact_log(three: str, run: Run) -> None:
    run("log", three, "telefonisch contact", "--kind", "telefoon", "--with", "m2")
    assert "m2 appears in 1 meeting or contact record" in refused(
        run, "member", "remove", three, "m2"
    )


def test_remove_unknown(three: str, run: Run) -> None:
    assert refused(run, "member", "remove", three, "m9").startswith("error: no member 'm9'")
    assert refused(run, "member", "remove", "GO-404", "m1").startswith("error: no case 'GO-404'")
