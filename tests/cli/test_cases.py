"""``icrctl case create|list|show|edit``: what docs/cli.md promises, and every refusal changing
nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from icrctl.errors import NotFound
from tests.helpers import Run, refused, unchanged, usage_error

CASE_SHOW_FIELDS = {
    "ref",
    "title",
    "opened",
    "closed",
    "stage",
    "phase",
    "framework",
    "regie",
    "regisseur",
    "referrer",
    "violence",
    "domains",
    "members",
    "partners",
    "phase_history",
    "evaluations",
    "next_evaluation",
    "overdue_evaluations",
}
CASE_LIST_FIELDS = {
    "ref",
    "title",
    "phase",
    "stage",
    "regisseur",
    "next_evaluation",
    "overdue_evaluations",
    "last_contact",
}
MEMBER_FIELDS = {"key", "name", "born", "role", "household"}
PARTNER_FIELDS = {"key", "name", "organisation", "kind", "role", "consent"}


def show(run: Run, ref: str) -> Any:
    return run("case", "show", ref, "-f", "json").json()


# --- case create ----------------------------------------------------------------------------


def test_create_with_defaults(run: Run) -> None:
    result = run("case", "create", "GO-2026-001", "--title", "Familie Jansen")
    assert result.stdout.strip() == "created case GO-2026-001 (phase 2, stage inventory)"
    case = show(run, "GO-2026-001")
    assert set(case) >= CASE_SHOW_FIELDS
    assert case["ref"] == "GO-2026-001"
    assert case["title"] == "Familie Jansen"
    assert case["opened"] == "2026-11-25"  # today
    assert case["closed"] is None
    assert case["stage"] == "inventory"
    assert case["phase"] == 2
    assert case["framework"] == "voluntary"
    assert case["regie"] == "professional"
    assert case["regisseur"] is None
    assert case["referrer"] is None
    assert case["violence"] == []
    assert case["domains"] == []
    assert case["members"] == []
    assert case["partners"] == []
    assert case["evaluations"] == []
    assert case["next_evaluation"] is None
    assert case["overdue_evaluations"] == 0
    assert [{k: h[k] for k in ("date", "phase", "reason")} for h in case["phase_history"]] == [
        {"date": "2026-11-25", "phase": 2, "reason": "case opened"}
    ]


def test_create_with_every_option(run: Run) -> None:
    run(
        "case",
        "create",
        "GO-2026-002",
        "--title",
        "Familie Bakker",
        "--opened",
        "2026-03-02",
        "--phase",
        "3",
        "--framework",
        "compulsory",
        "--regie",
        "professional",
        "--regisseur",
        "A. Jansen",
        "--referrer",
        "Veilig Thuis",
        "--violence",
        "physical,psychological",
        "--domains",
        "parenting,mental_health",
    )
    case = show(run, "GO-2026-002")
    assert {k: case[k] for k in CASE_SHOW_FIELDS - {"members", "partners", "phase_history"}} == {
        "ref": "GO-2026-002",
        "title": "Familie Bakker",
        "opened": "2026-03-02",
        "closed": None,
        "stage": "inventory",
        "phase": 3,
        "framework": "compulsory",
        "regie": "professional",
        "regisseur": "A. Jansen",
        "referrer": "Veilig Thuis",
        "violence": ["physical", "psychological"],
        "domains": ["parenting", "mental_health"],
        "evaluations": [],
        "next_evaluation": None,
        "overdue_evaluations": 0,
    }
    assert [(h["date"], h["phase"]) for h in case["phase_history"]] == [("2026-03-02", 3)]


def test_create_takes_dutch_aliases_and_stores_canonical_words(run: Run) -> None:
    run(
        "case",
        "create",
        "GO-2026-003",
        "--title",
        "Familie Yılmaz",
        "--framework",
        "Vrijwillig",
        "--regie",
        "cliënt",
        "--phase",
        "2",
        "--violence",
        "fysiek,psychisch,FINANCIEEL,verwaarlozing,ouderenmishandeling",
        "--domains",
        "opvoeden,lvb,sociaal_netwerk,financien",
    )
    case = show(run, "GO-2026-003")
    assert case["framework"] == "voluntary"
    assert case["regie"] == "client"
    assert case["violence"] == ["physical", "psychological", "financial", "neglect", "elder_abuse"]
    assert case["domains"] == [
        "parenting",
        "intellectual_disability",
        "social_network",
        "finances",
    ]
    run("case", "create", "GO-2026-004", "--title", "Familie Ali", "--framework", "gedwongen")
    assert show(run, "GO-2026-004")["framework"] == "compulsory"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("24-11-2026", "2026-11-24"),
        ("1-3-2026", "2026-03-01"),
        ("today", "2026-11-25"),
        ("yesterday", "2026-11-24"),
        ("gisteren", "2026-11-24"),
        ("-3d", "2026-11-22"),
        ("-2w", "2026-11-11"),
    ],
)
def test_create_reads_every_date_form(run: Run, given: str, stored: str) -> None:
    run("case", "create", "GO-1", "--title", "Familie", "--opened", given)
    case = show(run, "GO-1")
    assert case["opened"] == stored
    assert case["phase_history"][0]["date"] == stored


def test_create_strips_and_normalises_the_title(run: Run) -> None:
    run("case", "create", "GO-1", "--title", "  Familie Zoe\u0308  ")
    assert show(run, "GO-1")["title"] == "Familie Zoë"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--opened", "31-02-2026"), "error: invalid date '31-02-2026': no such day"),
        (("--opened", "2026-13-01"), "error: invalid date '2026-13-01': no such day"),
        (("--opened", "next friday"), "error: invalid date 'next friday': use 2026-11-24"),
        (("--opened", "2026/03/02"), "error: invalid date '2026/03/02'"),
        (("--opened", "tomorrow"), "error: opened 2026-11-26 is in the future"),
        (("--opened", "+1d"), "error: opened 2026-11-26 is in the future"),
        (("--title", "Familie\x07"), "error: title contains a control character (U+0007)"),
        (("--title", "\x1b[31mFamilie"), "error: title contains a control character (U+001B)"),
        (("--title", "Familie \u202eseirV"), "error: title contains a control character (U+202E)"),
        (("--title", "   "), "error: title must not be empty"),
        (("--phase", "5"), "error: phase must be 1, 2, 3 or 4"),
        (("--phase", "0"), "error: phase must be 1, 2, 3 or 4"),
        (("--framework", "maybe"), "error: unknown framework 'maybe'"),
        (("--regie", "family"), "error: unknown regie 'family'"),
        (("--violence", "fysiek,boos"), "error: unknown violence 'boos'"),
        (("--domains", "geld"), "error: unknown domain 'geld'"),
        (("--regisseur", "A.\x07Jansen"), "error: regisseur contains a control character"),
        (("--referrer", "VT\x1b"), "error: referrer contains a control character"),
        (
            ("--framework", "gedwongen", "--regie", "client"),
            "error: regiekaart: in a compulsory framework casusregie is always held by a "
            "professional",
        ),
    ],
)
def test_create_refusals_change_nothing(run: Run, args: tuple[str, ...], message: str) -> None:
    run("case", "create", "GO-0", "--title", "Bestaand")
    base = ("case", "create", "GO-1", "--title", "Familie")
    assert refused(run, *base, *args).startswith(message)
    refused(run, "case", "show", "GO-1")


def test_create_needs_a_title(run: Run) -> None:
    assert refused(run, "case", "create", "GO-1") == "error: a case needs a --title"
    assert run("case", "list", "--all", "-f", "json").json() == []


def test_duplicate_ref_is_refused(family: str, run: Run) -> None:
    message = refused(run, "case", "create", family, "--title", "Een andere familie")
    assert message == f"error: case {family} already exists"


@pytest.mark.parametrize("ref", ["GO 1", "GO-\x071", "\u202eGO-1", " "])
def test_bad_refs_are_refused(run: Run, ref: str) -> None:
    refused(run, "case", "create", ref, "--title", "Familie")
    assert run("case", "list", "--all", "-f", "json").json() == []


@pytest.mark.parametrize(
    "args",
    [
        ("case", "create"),
        ("case", "create", "GO-1", "--title"),
        ("case", "create", "GO-1", "--title", "x", "--phase", "twee"),
        ("case", "create", "GO-1", "--title", "x", "--opened", "next", "friday"),
        ("case", "create", "GO-1", "--title", "x", "--no-such-option"),
        ("case", "list", "--format", "xml"),
        ("case", "list", "--phase", "x"),
        ("case", "show"),
        ("case", "show", "GO-1", "-f", "yaml"),
        ("case", "edit"),
        ("case", "edit", "GO-1", "--phase"),
        ("case", "frobnicate"),
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2(run: Run, args: tuple[str, ...]) -> None:
    usage_error(run, *args)
    assert run("case", "list", "--all", "-f", "json").json() == []


# --- case list ------------------------------------------------------------------------------


@pytest.fixture
def caseload(run: Run) -> list[str]:
    """Three cases: one in phase 3 in execution, one closed, one fresh."""
    run(
        "case",
        "create",
        "GO-A",
        "--title",
        "Familie A",
        "--opened",
        "2026-01-05",
        "--phase",
        "3",
        "--regisseur",
        "A. Jansen",
    )
    run("case", "stage", "GO-A", "uitvoering", "--date", "2026-02-01", "-r", "al geanalyseerd")
    run(
        "case",
        "create",
        "GO-B",
        "--title",
        "Familie B",
        "--opened",
        "2026-02-01",
        "--regisseur",
        "B. de Boer",
    )
    run(
        "case",
        "close",
        "GO-B",
        "--summary",
        "doelen behaald",
        "--safety",
        "veilig",
        "--force",
        "--reason",
        "gezin verhuisd",
        "--date",
        "2026-10-01",
    )
    run("case", "create", "GO-C", "--title", "Familie C", "--phase", "1")
    return ["GO-A", "GO-B", "GO-C"]


def refs(run: Run, *args: str) -> list[str]:
    return [c["ref"] for c in run("case", "list", *args, "-f", "json").json()]


def test_list_open_all_closed(caseload: list[str], run: Run) -> None:
    assert refs(run) == ["GO-A", "GO-C"]
    assert refs(run, "--all") == ["GO-A", "GO-B", "GO-C"]
    assert refs(run, "--closed") == ["GO-B"]


def test_list_filters(caseload: list[str], run: Run) -> None:
    assert refs(run, "--phase", "3") == ["GO-A"]
    assert refs(run, "--phase", "1") == ["GO-C"]
    assert refs(run, "--phase", "4") == []
    assert refs(run, "--stage", "execution") == ["GO-A"]
    assert refs(run, "--stage", "uitvoering") == ["GO-A"]
    assert refs(run, "--stage", "inventarisatie") == ["GO-C"]
    assert refs(run, "--all", "--stage", "afgesloten") == ["GO-B"]
    assert refs(run, "--regisseur", "A. Jansen") == ["GO-A"]


def test_list_refuses_unknown_filters(caseload: list[str], run: Run) -> None:
    assert refused(run, "case", "list", "--stage", "klaar").startswith("error: unknown stage")
    assert refused(run, "case", "list", "--phase", "7") == "error: phase must be 1, 2, 3 or 4"


def test_list_json_fields(caseload: list[str], run: Run) -> None:
    rows = run("case", "list", "--all", "-f", "json").json()
    assert isinstance(rows, list)
    for r in rows:
        assert set(r) >= CASE_LIST_FIELDS
    a = rows[0]
    assert {k: a[k] for k in CASE_LIST_FIELDS} == {
        "ref": "GO-A",
        "title": "Familie A",
        "phase": 3,
        "stage": "execution",
        "regisseur": "A. Jansen",
        "next_evaluation": None,
        "overdue_evaluations": 0,
        "last_contact": None,
    }
    assert rows[1]["stage"] == "closed"


def test_list_shows_next_evaluation_overdue_and_last_contact(family: str, run: Run) -> None:
    run("eval", "schedule", family, "--every", "2w", "--start", "2026-11-03", "--with", "m1")
    run("eval", "record", family, "--date", "2026-11-03", "--attended", "m1")
    run("log", family, "huisbezoek", "--kind", "visit", "--with", "m1", "--date", "2026-11-20")
    row = run("case", "list", "-f", "json").json()[0]
    assert row["next_evaluation"] == "2026-12-01"
    assert row["overdue_evaluations"] == 1  # 2026-11-17 was not recorded
    assert row["last_contact"] == "2026-11-20"


def test_list_table_and_csv(caseload: list[str], run: Run) -> None:
    table = run("case", "list").stdout
    for text in ("ref", "title", "GO-A", "Familie A", "A. Jansen", "execution", "GO-C"):
        assert text in table
    assert "GO-B" not in table
    rows = list(csv.DictReader(io.StringIO(run("case", "list", "--all", "-f", "csv").stdout)))
    assert set(rows[0]) >= CASE_LIST_FIELDS
    assert [r["ref"] for r in rows] == ["GO-A", "GO-B", "GO-C"]
    assert rows[0]["regisseur"] == "A. Jansen"
    assert rows[0]["phase"] == "3"
    assert rows[2]["regisseur"] == ""


def test_empty_caseload(run: Run) -> None:
    assert run("case", "list", "-f", "json").json() == []
    assert "no cases" in run("case", "list").stdout


# --- case show ------------------------------------------------------------------------------


def test_show_json_has_every_field_of_cli_md(family: str, run: Run) -> None:
    run("eval", "schedule", family, "--every", "2w", "--start", "2026-12-01", "--time", "14:30")
    case = show(run, family)
    assert set(case) >= CASE_SHOW_FIELDS
    assert case["ref"] == family
    assert case["title"] == "Familie De Vries"
    assert case["regisseur"] == "A. Jansen"
    assert case["referrer"] == "Veilig Thuis"
    assert [{k: m[k] for k in MEMBER_FIELDS} for m in case["members"]] == [
        {
            "key": "m1",
            "name": "Sanne de Vries",
            "born": "1988-05-14",
            "role": "victim",
            "household": True,
        },
        {
            "key": "m2",
            "name": "Peter de Vries",
            "born": None,
            "role": "perpetrator",
            "household": False,
        },
        {
            "key": "m3",
            "name": "Noor de Vries",
            "born": "2019-06-01",
            "role": "child",
            "household": True,
        },
    ]
    assert [{k: p[k] for k in PARTNER_FIELDS} for p in case["partners"]] == [
        {
            "key": "vt-bakker",
            "name": "J. Bakker",
            "organisation": "Veilig Thuis Rotterdam Rijnmond",
            "kind": "veilig_thuis",
            "role": "veiligheidsplan",
            "consent": True,
        },
    ]
    assert [{k: h[k] for k in ("date", "phase", "reason")} for h in case["phase_history"]] == [
        {"date": "2026-03-02", "phase": 2, "reason": "case opened"}
    ]
    assert [{k: e[k] for k in ("date", "time")} for e in case["evaluations"]] == [
        {"date": "2026-12-01", "time": "14:30"},
        {"date": "2026-12-15", "time": "14:30"},
    ]
    assert case["next_evaluation"] == "2026-12-01"
    assert case["overdue_evaluations"] == 0


def test_show_phase_history_grows_with_phase_set(family: str, run: Run) -> None:
    run("phase", "set", family, "3", "--reason", "escalatie", "--date", "2026-04-15")
    history = show(run, family)["phase_history"]
    assert [(h["date"], h["phase"], h["reason"]) for h in history] == [
        ("2026-03-02", 2, "case opened"),
        ("2026-04-15", 3, "escalatie"),
    ]
    assert show(run, family)["phase"] == 3


def test_show_table_is_the_one_screen_view(family: str, run: Run) -> None:
    out = run("case", "show", family).stdout
    for text in (
        family,
        "Familie De Vries",
        "A. Jansen",
        "Veilig Thuis",
        "voluntary",
        "professional",
        "inventory",
        "Sanne de Vries",
        "Peter de Vries",
        "Noor de Vries",
        "perpetrator",
        "1988-05-14",
        "J. Bakker",
        "veiligheidsplan",
        "case opened",
        "2026-03-02",
    ):
        assert text in out, text
    assert "\x1b" not in out


def test_show_csv_is_one_row_of_the_case(family: str, run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("case", "show", family, "-f", "csv").stdout)))
    assert len(rows) == 1
    assert rows[0]["ref"] == family
    assert rows[0]["title"] == "Familie De Vries"
    assert rows[0]["opened"] == "2026-03-02"
    assert rows[0]["phase"] == "2"


def test_show_unknown_case(family: str, run: Run) -> None:
    for fmt in ("table", "json", "csv"):
        message = refused(run, "case", "show", "GO-2026-999", "-f", fmt)
        assert message == "error: no case 'GO-2026-999'; 'icrctl case list --all' shows the refs"


def test_debug_shows_the_exception(run: Run) -> None:
    with pytest.raises(NotFound):
        run("--debug", "case", "show", "NOPE", ok=None)


# --- case edit ------------------------------------------------------------------------------


def test_edit_changes_the_given_fields_only(family: str, run: Run) -> None:
    before = show(run, family)
    result = run(
        "case",
        "edit",
        family,
        "--title",
        "Familie De Vries-Bakker",
        "--referrer",
        "Politie",
        "--violence",
        "fysiek,stalking",
        "--domains",
        "huisvesting",
    )
    assert result.stdout.strip() == f"updated {family}: title, violence, domains, referrer"
    after = show(run, family)
    assert after["title"] == "Familie De Vries-Bakker"
    assert after["referrer"] == "Politie"
    assert after["violence"] == ["physical", "stalking"]
    assert after["domains"] == ["housing"]
    for same in ("opened", "phase", "stage", "framework", "regie", "regisseur", "members"):
        assert after[same] == before[same], same


def test_edit_with_nothing_new(family: str, run: Run) -> None:
    with unchanged():
        assert run("case", "edit", family).stdout.strip() == f"{family}: nothing changed"
        result = run(
            "case", "edit", family, "--title", "Familie De Vries", "--framework", "vrijwillig"
        )
    assert result.stdout.strip() == f"{family}: nothing changed"


def test_edit_clears_the_regisseur_with_an_empty_value(family: str, run: Run) -> None:
    run("case", "edit", family, "--regisseur", "")
    assert show(run, family)["regisseur"] is None


def test_edit_framework_and_regie_are_recorded_as_events(family: str, run: Run) -> None:
    run("case", "edit", family, "--regie", "cliënt")
    run("case", "edit", family, "--regie", "professional")
    run("case", "edit", family, "--framework", "gedwongen")
    case = show(run, family)
    assert case["framework"] == "compulsory"
    assert case["regie"] == "professional"
    assert [(e["date"], e["kind"], e["old"], e["new"]) for e in case["events"]] == [
        ("2026-11-25", "regie", "professional", "client"),
        ("2026-11-25", "regie", "client", "professional"),
        ("2026-11-25", "framework", "voluntary", "compulsory"),
    ]
    table = run("case", "show", family).stdout
    assert "events" in table
    events = table[table.index("events") :]
    for text in ("regie", "framework", "voluntary", "compulsory", "client"):
        assert text in events


def test_edit_refuses_a_phase_and_points_to_phase_set(family: str, run: Run) -> None:
    message = refused(run, "case", "edit", family, "--phase", "3")
    assert f"icrctl phase set {family} 3 --reason" in message


def test_edit_refuses_client_regie_in_a_compulsory_framework(family: str, run: Run) -> None:
    run("case", "edit", family, "--framework", "compulsory")
    assert "regiekaart" in refused(run, "case", "edit", family, "--regie", "client")


def test_a_refusal_late_in_edit_rolls_back_the_events_too(family: str, run: Run) -> None:
    """The regie event is written before the retention check refuses: one transaction."""
    message = refused(
        run,
        "case",
        "edit",
        family,
        "--regie",
        "client",
        "--title",
        "Nieuw",
        "--retention-until",
        "2050-01-01",
    )
    assert message.startswith("error: a retention end")
    assert "closed case" in message
    assert show(run, family)["events"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--opened", "31-02-2026"), "error: invalid date '31-02-2026'"),
        (("--opened", "2026-13-01"), "error: invalid date '2026-13-01'"),
        (("--opened", "next friday"), "error: invalid date 'next friday'"),
        (("--opened", "+2d"), "error: opened 2026-11-27 is in the future"),
        (("--title", "Familie\x07"), "error: title contains a control character (U+0007)"),
        (("--title", "\x1b[31mrood"), "error: title contains a control character (U+001B)"),
        (("--title", "Familie \u202e"), "error: title contains a control character (U+202E)"),
        (("--framework", "soms"), "error: unknown framework 'soms'"),
        (("--violence", "fysiek,x"), "error: unknown violence 'x'"),
    ],
)
def test_edit_refusals_change_nothing(
    family: str, run: Run, args: tuple[str, ...], message: str
) -> None:
    assert refused(run, "case", "edit", family, "--title", "Nieuwe titel", *args).startswith(
        message
    )


def test_edit_unknown_case(family: str, run: Run) -> None:
    message = refused(run, "case", "edit", "GO-404", "--title", "x")
    assert message.startswith("error: no case 'GO-404'")


def test_edit_opened_moves_the_first_phase_entry(family: str, run: Run) -> None:
    run("case", "edit", family, "--opened", "01-03-2026")
    case = show(run, family)
    assert case["opened"] == "2026-03-01"
    assert case["phase_history"][0]["date"] == "2026-03-01"


def test_edit_opened_after_later_history_is_refused(family: str, run: Run) -> None:
    run("phase", "set", family, "3", "--reason", "escalatie", "--date", "2026-04-15")
    message = refused(run, "case", "edit", family, "--opened", "2026-05-01")
    assert "2026-04-15" in message
