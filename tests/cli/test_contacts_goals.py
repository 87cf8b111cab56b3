"""``icrctl log``, ``icrctl goal``, and the risk and self-reliance series in ``case show``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import TODAY, Run, refused, usage_error

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")


def contacts(run: Run, ref: str, *args: str) -> list[dict[str, Any]]:
    data = run("log", "list", ref, *args, "-f", "json").json()
    assert isinstance(data, list)
    return data


def goals(run: Run, ref: str, *args: str) -> list[dict[str, Any]]:
    data = run("goal", "list", ref, *args, "-f", "json").json()
    assert isinstance(data, list)
    return data


def close(run: Run, ref: str) -> None:
    run("case", "close", ref, "--summary", "Doelen bereikt.", "--safety", "Veilig.", *CLOSE_ANYWAY)


# ------------------------------------------------------------------ the contact log


def test_log_adds_a_contact_with_members_and_partners(run: Run, family: str) -> None:
    result = run(
        "log",
        family,
        "Huisbezoek: Sanne vertelt over de ruzie.",
        "--kind",
        "visit",
        "--with",
        "m1,vt-bakker",
        "--date",
        "2026-11-20",
    )
    assert result.stdout == f"logged visit of 2026-11-20 for {family}\n"
    assert result.stderr == ""
    assert contacts(run, family) == [
        {
            "date": "2026-11-20",
            "kind": "visit",
            "note": "Huisbezoek: Sanne vertelt over de ruzie.",
            "signal": False,
            "with": ["m1", "vt-bakker"],
            "id": 1,
        }
    ]


def test_log_add_is_the_same_command(run: Run, family: str) -> None:
    run("log", "add", family, "Gebeld.", "--kind", "phone", "--with", "m2")
    run("log", "--kind", "email", family, "Mail aan school.")  # options before REF
    rows = contacts(run, family)
    assert [(c["kind"], c["note"], c["with"], c["date"]) for c in rows] == [
        ("phone", "Gebeld.", ["m2"], TODAY.isoformat()),
        ("email", "Mail aan school.", [], TODAY.isoformat()),
    ]


def test_log_help(run: Run) -> None:
    result = run("log", "--help")
    assert "Usage:" in result.stdout
    assert "add" in result.stdout
    assert "list" in result.stdout
    add = run("log", "add", "--help").stdout
    for option in ("--kind", "--with", "--date", "--signal"):
        assert option in add
    listing = run("log", "list", "--help").stdout
    for option in ("--from", "--to", "--signals", "--format"):
        assert option in listing


def test_log_without_arguments_shows_usage(run: Run) -> None:
    result = run("log", ok=False)
    assert result.exit_code == 2
    assert "Usage:" in result.stdout + result.stderr


KINDS = {
    "visit": "visit",
    "phone": "phone",
    "message": "message",
    "meeting": "meeting",
    "email": "email",
    "huisbezoek": "visit",
    "telefoon": "phone",
    "bericht": "message",
    "overleg": "meeting",
    "e-mail": "email",
    "Telefoon": "phone",
    " OVERLEG ": "meeting",
}


def test_log_kinds_and_dutch_aliases(run: Run, family: str) -> None:
    for kind, canonical in KINDS.items():
        result = run("log", family, f"Contact {kind!r}.", "--kind", kind)
        assert result.stdout.startswith(f"logged {canonical} of "), kind
    assert [c["kind"] for c in contacts(run, family)] == list(KINDS.values())


def test_log_with_member_by_name_and_duplicates_once(run: Run, family: str) -> None:
    run("log", family, "Samen gesproken.", "--kind", "meeting", "--with", "Sanne de Vries,m3")
    run("log", family, "Twee keer genoemd.", "--kind", "visit", "--with", "m1,Sanne de Vries,m1")
    run("log", family, "Partner bij naam.", "--kind", "phone", "--with", "J. Bakker")
    assert [c["with"] for c in contacts(run, family)] == [["m1", "m3"], ["m1"], ["vt-bakker"]]


def test_log_dates(run: Run, family: str) -> None:
    given = ["2026-11-24", "23-11-2026", "yesterday", "gisteren", "today", "-2w", "1-1-2026"]
    for when in given:
        run("log", family, f"Contact {when}.", "--kind", "phone", "--date", when)
    assert {c["note"]: c["date"] for c in contacts(run, family)} == {
        "Contact 1-1-2026.": "2026-01-01",
        "Contact -2w.": "2026-11-11",
        "Contact 23-11-2026.": "2026-11-23",
        "Contact 2026-11-24.": "2026-11-24",
        "Contact yesterday.": "2026-11-24",
        "Contact gisteren.": "2026-11-24",
        "Contact today.": "2026-11-25",
    }


def test_log_list_oldest_first_and_filters(run: Run, family: str) -> None:
    for date, note in [
        ("2026-11-10", "derde"),
        ("2026-10-01", "eerste"),
        ("2026-11-10", "vierde"),
        ("2026-10-15", "tweede"),
        ("2026-11-24", "vijfde"),
    ]:
        run("log", family, note, "--kind", "phone", "--date", date)
    assert [c["note"] for c in contacts(run, family)] == [
        "eerste",
        "tweede",
        "derde",
        "vierde",
        "vijfde",
    ]
    assert [c["note"] for c in contacts(run, family, "--from", "2026-10-15")] == [
        "tweede",
        "derde",
        "vierde",
        "vijfde",
    ]
    assert [c["note"] for c in contacts(run, family, "--to", "10-11-2026")] == [
        "eerste",
        "tweede",
        "derde",
        "vierde",
    ]
    window = contacts(run, family, "--from", "2026-10-02", "--to", "2026-11-10")
    assert [c["note"] for c in window] == ["tweede", "derde", "vierde"]
    assert contacts(run, family, "--from", "2026-11-25") == []


def test_log_signal(run: Run, family: str) -> None:
    run("log", family, "Gewoon gesprek.", "--kind", "visit", "--date", "2026-11-01")
    result = run(
        "log",
        family,
        "Peter stalkt Sanne met berichten.",
        "--kind",
        "bericht",
        "--with",
        "m1",
        "--signal",
        "--date",
        "2026-11-02",
    )
    assert result.stdout == f"logged message of 2026-11-02 for {family} (safety signal)\n"
    assert [c["signal"] for c in contacts(run, family)] == [False, True]
    assert [c["note"] for c in contacts(run, family, "--signals")] == [
        "Peter stalkt Sanne met berichten."
    ]


def test_log_note_may_span_lines(run: Run, family: str) -> None:
    run("log", family, "  Eerste regel\nTweede regel\twaar  \n", "--kind", "visit")
    assert [c["note"] for c in contacts(run, family)] == ["Eerste regel\nTweede regel\twaar"]


def test_log_list_table_and_csv(run: Run, family: str) -> None:
    assert "no contacts logged" in run("log", "list", family).stdout
    run("log", family, "=SOM(A1)", "--kind", "phone", "--with", "m1,m2", "--date", "2026-11-03")
    table = run("log", "list", family).stdout
    assert "2026-11-03" in table
    assert "=SOM(A1)" in table
    lines = run("log", "list", family, "-f", "csv").stdout.splitlines()
    assert lines[0] == "date,kind,note,signal,with,id"
    assert lines[1] == "2026-11-03,phone,'=SOM(A1),false,m1;m2,1"


def test_log_list_of_a_closed_case(run: Run, family: str) -> None:
    run("log", family, "Afsluitend gesprek.", "--kind", "meeting")
    close(run, family)
    assert [c["note"] for c in contacts(run, family)] == ["Afsluitend gesprek."]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("Notitie.", "--kind", "fax"), "unknown contact kind 'fax'"),
        (("Notitie.", "--kind", "visit", "--with", "m9"), "'m9' is neither a member nor a partner"),
        (("Notitie.", "--kind", "visit", "--with", "m1,nobody"), "'nobody'"),
        (("Notitie.", "--kind", "visit", "--date", "tomorrow"), "2026-11-26 is in the future"),
        (("Notitie.", "--kind", "visit", "--date", "2026-12-01"), "is in the future"),
        (("Notitie.", "--kind", "visit", "--date", "2026/11/20"), "invalid date"),
        (("Notitie.", "--kind", "visit", "--date", "31-02-2026"), "no such day"),
        (("", "--kind", "visit"), "note must not be empty"),
        (("   \n ", "--kind", "visit"), "note must not be empty"),
        (("bel\x07", "--kind", "visit"), "control character (U+0007)"),
        (("\x1b[31mrood", "--kind", "visit"), "control character (U+001B)"),
        (("omgekeerd \u202eknip", "--kind", "visit"), "control character (U+202E)"),
    ],
)
def test_log_refusals(run: Run, family: str, args: tuple[str, ...], match: str) -> None:
    run("log", family, "Bestaand contact.", "--kind", "phone", "--date", "2026-11-01")
    refused(run, "log", family, *args, match=match)
    assert [c["note"] for c in contacts(run, family)] == ["Bestaand contact."]


def test_log_refuses_a_partner_not_linked(run: Run, family: str) -> None:
    run("partner", "add", "P. Smit", "--organisation", "Politie", "--kind", "police", "--key", "ps")
    refused(
        run, "log", family, "Gebeld.", "--kind", "phone", "--with", "ps",
        match="partner ps is not linked to case GO-2026-014",
    )  # fmt: skip


def test_log_refuses_a_closed_or_unknown_case(run: Run, family: str) -> None:
    close(run, family)
    refused(run, "log", family, "Na afsluiting.", "--kind", "visit", match="is closed")
    refused(run, "log", "NOPE-1", "Notitie.", "--kind", "visit", match="no case 'NOPE-1'")
    refused(run, "log", "list", "NOPE-1", match="no case 'NOPE-1'")


def test_log_needs_a_kind(run: Run, family: str) -> None:
    usage_error(run, "log", family, "Notitie.", match="--kind")


# ------------------------------------------------------------------ goals


def test_goal_add_and_list(run: Run, family: str) -> None:
    result = run(
        "goal",
        "add",
        family,
        "Sanne en Noor zijn thuis veilig",
        "--who",
        "Sanne, Veilig Thuis",
        "--what",
        "Veiligheidsplan opstellen",
        "--due",
        "31-12-2026",
    )
    assert result.stdout == f"added goal 1 to {family}\n"
    run("goal", "add", family, "Peter volgt een training")
    run("goal", "add", family, "Schulden in beeld", "--due", "+2w")
    assert goals(run, family) == [
        {
            "id": 1,
            "goal": "Sanne en Noor zijn thuis veilig",
            "who": "Sanne, Veilig Thuis",
            "what": "Veiligheidsplan opstellen",
            "due": "2026-12-31",
            "status": "open",
            "status_date": "2026-11-25",
        },
        {
            "id": 2,
            "goal": "Peter volgt een training",
            "who": None,
            "what": None,
            "due": None,
            "status": "open",
            "status_date": "2026-11-25",
        },
        {
            "id": 3,
            "goal": "Schulden in beeld",
            "who": None,
            "what": None,
            "due": "2026-12-09",
            "status": "open",
            "status_date": "2026-11-25",
        },
    ]
    table = run("goal", "list", family).stdout
    for text in ("Sanne en Noor", "Veilig Thuis", "Veiligheidsplan", "2026-12-31", "open"):
        assert text in table


def test_goal_list_empty_and_numbered_per_case(run: Run, family: str) -> None:
    assert goals(run, family) == []
    assert "no goals" in run("goal", "list", family).stdout
    run("case", "create", "GO-2026-015", "--title", "Familie Bakker", "--opened", "2026-11-01")
    run("goal", "add", family, "Doel A")
    run("goal", "add", "GO-2026-015", "Doel B")
    assert [g["id"] for g in goals(run, family)] == [1]
    assert [g["id"] for g in goals(run, "GO-2026-015")] == [1]


def test_goal_done_dropped_and_reopen(run: Run, family: str) -> None:
    for text in ("Veilig thuis", "Training", "Schulden"):
        run("goal", "add", family, text)
    done = run("goal", "done", family, "1")
    assert done.stdout == f"goal 1 of {family} is achieved since 2026-11-25\n"
    dropped = run("goal", "done", family, "2", "--dropped", "--date", "2026-11-20")
    assert dropped.stdout == f"goal 2 of {family} is dropped since 2026-11-20\n"
    assert [(g["status"], g["status_date"]) for g in goals(run, family)] == [
        ("achieved", "2026-11-25"),
        ("dropped", "2026-11-20"),
        ("open", "2026-11-25"),
    ]
    assert [g["id"] for g in goals(run, family, "--status", "open")] == [3]
    assert [g["id"] for g in goals(run, family, "--status", "behaald")] == [1]
    reopened = run("goal", "reopen", family, "2")
    assert reopened.stdout == f"goal 2 of {family} is open again\n"
    assert goals(run, family)[1]["status"] == "open"
    assert goals(run, family)[1]["status_date"] == "2026-11-25"


def test_goal_done_may_drop_an_achieved_goal(run: Run, family: str) -> None:
    run("goal", "add", family, "Veilig thuis")
    run("goal", "done", family, "1", "--date", "2026-11-01")
    run("goal", "done", family, "1", "--dropped")
    assert [(g["status"], g["status_date"]) for g in goals(run, family)] == [
        ("dropped", "2026-11-25")
    ]


def test_goal_edit(run: Run, family: str) -> None:
    run("goal", "add", family, "Veilig", "--who", "Sanne", "--what", "Plan", "--due", "2026-12-01")
    result = run(
        "goal", "edit", family, "1", "--goal", "Veilig thuis", "--who", "Sanne en Peter",
        "--what", "Veiligheidsplan", "--due", "2027-01-15",
    )  # fmt: skip
    assert result.stdout == "updated goal 1: goal, who, what, due\n"
    assert goals(run, family)[0] | {"status_date": None} == {
        "id": 1,
        "goal": "Veilig thuis",
        "who": "Sanne en Peter",
        "what": "Veiligheidsplan",
        "due": "2027-01-15",
        "status": "open",
        "status_date": None,
    }
    assert run("goal", "edit", family, "1", "--no-due").stdout == "updated goal 1: due\n"
    assert goals(run, family)[0]["due"] is None
    assert run("goal", "edit", family, "1", "--no-due").stdout == "goal 1: nothing changed\n"
    assert run("goal", "edit", family, "1", "--who", "").stdout == "updated goal 1: who\n"
    assert goals(run, family)[0]["who"] is None


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("goal", "done", "{ref}", "9"), "case GO-2026-014 has no goal 9"),
        (("goal", "reopen", "{ref}", "9"), "has no goal 9"),
        (("goal", "edit", "{ref}", "9", "--who", "x"), "has no goal 9"),
        (("goal", "done", "{ref}", "1"), "goal 1 of GO-2026-014 is already achieved"),
        (("goal", "done", "{ref}", "2", "--dropped"), "goal 2 of GO-2026-014 is already dropped"),
        (("goal", "reopen", "{ref}", "3"), "goal 3 of GO-2026-014 is already open"),
        (("goal", "done", "{ref}", "3", "--date", "tomorrow"), "is in the future"),
        (("goal", "edit", "{ref}", "3", "--due", "2027-01-01", "--no-due"), "--no-due, not both"),
        (("goal", "edit", "{ref}", "3", "--goal", " "), "goal must not be empty"),
        (("goal", "edit", "{ref}", "3", "--due", "someday"), "invalid date"),
        (("goal", "add", "{ref}", ""), "goal must not be empty"),
        (("goal", "add", "{ref}", "Doel\x00"), "control character (U+0000)"),
        (("goal", "add", "{ref}", "Doel", "--who", "a\x1bb"), "who contains a control character"),
        (("goal", "add", "{ref}", "Doel", "--due", "32-01-2027"), "invalid date"),
        (("goal", "list", "{ref}", "--status", "klaar"), "unknown goal status 'klaar'"),
        (("goal", "add", "NOPE-1", "Doel"), "no case 'NOPE-1'"),
        (("goal", "done", "NOPE-1", "1"), "no case 'NOPE-1'"),
    ],
)
def test_goal_refusals(run: Run, family: str, args: tuple[str, ...], match: str) -> None:
    for text in ("Veilig thuis", "Training", "Schulden"):
        run("goal", "add", family, text)
    run("goal", "done", family, "1")
    run("goal", "done", family, "2", "--dropped")
    refused(run, *(a.replace("{ref}", family) for a in args), match=match)


def test_goal_add_refused_on_a_closed_case(run: Run, family: str) -> None:
    close(run, family)
    refused(run, "goal", "add", family, "Nieuw doel", match="is closed")


def test_goal_id_must_be_a_number(run: Run, family: str) -> None:
    usage_error(run, "goal", "done", family, "een")


# ------------------------------------------------------------------ risk and self-reliance


def record_evaluations(
    run: Run, ref: str, scores: list[tuple[str, int | None, int | None]], schedule: bool = True
) -> None:
    """Weekly evaluations on Wednesdays from 28 October; record the given ones with scores."""
    if schedule:
        run("eval", "schedule", ref, "--every", "1w", "--weekday", "wed", "--start", "2026-10-28")
    for date, risk, self_reliance in scores:
        args = ["eval", "record", ref, "--date", date, "--attended", "m1"]
        if risk is not None:
            args += ["--risk", str(risk)]
        if self_reliance is not None:
            args += ["--self-reliance", str(self_reliance)]
        run(*args)


def assessments(run: Run, ref: str) -> dict[str, Any]:
    shown = run("case", "show", ref, "-f", "json").json()
    data = shown["assessments"]
    assert isinstance(data, dict)
    return data


def test_case_show_has_the_score_series_and_trends(run: Run, family: str) -> None:
    record_evaluations(
        run,
        family,
        [("2026-10-28", 4, 2), ("2026-11-04", 4, 3), ("2026-11-11", None, None),
         ("2026-11-18", 3, 3), ("2026-11-25", 2, None)],
    )  # fmt: skip
    assert assessments(run, family) == {
        "scores": [
            {"date": "2026-10-28", "risk": 4, "self_reliance": 2},
            {"date": "2026-11-04", "risk": 4, "self_reliance": 3},
            {"date": "2026-11-18", "risk": 3, "self_reliance": 3},
            {"date": "2026-11-25", "risk": 2, "self_reliance": None},
        ],
        "risk_trend": "down",
        "self_reliance_trend": "same",
    }


def test_an_extra_meeting_joins_the_series_in_date_order(run: Run, family: str) -> None:
    record_evaluations(run, family, [("2026-11-04", 3, 2), ("2026-11-18", 3, 2)])
    run("eval", "record", family, "--date", "2026-11-06", "--risk", "5", "--self-reliance", "1")
    data = assessments(run, family)
    assert [(s["date"], s["risk"]) for s in data["scores"]] == [
        ("2026-11-04", 3),
        ("2026-11-06", 5),
        ("2026-11-18", 3),
    ]
    assert data["risk_trend"] == "down"
    assert data["self_reliance_trend"] == "up"


def test_trends_need_two_scores(run: Run, family: str) -> None:
    assert assessments(run, family) == {
        "scores": [],
        "risk_trend": None,
        "self_reliance_trend": None,
    }
    record_evaluations(run, family, [("2026-11-04", 3, 2)])
    data = assessments(run, family)
    assert data["risk_trend"] is None
    assert data["self_reliance_trend"] is None
    record_evaluations(run, family, [("2026-11-25", 4, 2)], schedule=False)
    data = assessments(run, family)
    assert (data["risk_trend"], data["self_reliance_trend"]) == ("up", "same")


@pytest.mark.parametrize("score", ["0", "6", "-1"])
def test_scores_are_one_to_five(run: Run, family: str, score: str) -> None:
    run("eval", "schedule", family, "--every", "1w", "--weekday", "wed", "--start", "2026-11-18")
    refused(
        run, "eval", "record", family, "--date", "2026-11-18", "--risk", score,
        match=f"risk must be 1 to 5, not {score}",
    )  # fmt: skip


def test_case_show_json_has_open_goals_and_last_contacts(run: Run, family: str) -> None:
    run("goal", "add", family, "Open doel", "--who", "Sanne")
    run("goal", "add", family, "Behaald doel")
    run("goal", "done", family, "2")
    for day in range(1, 8):
        run("log", family, f"contact {day}", "--kind", "phone", "--date", f"2026-11-0{day}")
    shown = run("case", "show", family, "-f", "json").json()
    assert [g["goal"] for g in shown["open_goals"]] == ["Open doel"]
    assert [c["note"] for c in shown["last_contacts"]] == [f"contact {d}" for d in range(3, 8)]


def test_case_show_table_has_goals_contacts_and_risk_trend(run: Run, family: str) -> None:
    run("goal", "add", family, "Sanne is thuis veilig", "--who", "Sanne")
    run("goal", "add", family, "Peter volgt training")
    run("goal", "done", family, "2")
    run("log", family, "Oud contact", "--kind", "visit", "--date", "2026-10-01")
    for day in range(1, 6):
        run("log", family, f"Gesprek {day}", "--kind", "phone", "--date", f"2026-11-0{day}")
    run("log", family, "Dreigende appjes", "--kind", "bericht", "--signal", "--date", "2026-11-06")
    record_evaluations(run, family, [("2026-11-04", 4, 2), ("2026-11-11", 3, 3)])
    table = run("case", "show", family).stdout
    assert "open goals" in table
    assert "Sanne is thuis veilig" in table
    assert "Peter volgt training" not in table
    assert "last contacts" in table
    assert "Dreigende appjes" in table
    assert "Gesprek 2" in table
    assert "Gesprek 1" not in table  # only the last five
    assert "Oud contact" not in table
    assert table.index("Dreigende appjes") < table.index("Gesprek 5") < table.index("Gesprek 2")
    words = " ".join(table.split())
    assert "risk and self-reliance" in words
    assert "risk ▆▄ down since the first score (4 to 3)" in words
    assert "self-reliance ▂▄ up since the first score (2 to 3)" in words
    assert "2026-11-11" in table


def test_case_show_table_without_goals_contacts_or_scores(run: Run, family: str) -> None:
    table = run("case", "show", family).stdout
    assert "open goals" not in table
    assert "last contacts" not in table
    assert "risk and self-reliance" not in table
