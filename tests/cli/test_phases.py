"""``icrctl phase``: the regiekaart rules of a phase change, the history, the phase-4 checklist and
who holds which role, all through the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from icrctl.domain import regiekaart as rk
from tests.helpers import TODAY, Run, refused

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

REF = "GO-2026-020"
OPENED = "2026-03-02"

CARE_ITEMS = [
    "aov",
    "communications",
    "portfolio_holder",
    "mayor",
    "process_coordinator",
    "calamity_meeting_decision",
]
SOCIAL_ITEMS = ["aov", "local_triangle", "communications_adviser"]


# --- helpers -------------------------------------------------------------------------------------


def create(run: Run, *extra: str, ref: str = REF, opened: str = OPENED) -> str:
    run("case", "create", ref, "--title", "Familie Visser", "--opened", opened, *extra)
    return ref


def history(run: Run, ref: str = REF) -> list[dict[str, Any]]:
    result = run("phase", "history", ref, "-f", "json")
    assert result.stderr == ""
    rows: list[dict[str, Any]] = result.json()
    return rows


def short(rows: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    return [(r["date"], r["phase"], r["reason"]) for r in rows]


def shown(run: Run, ref: str = REF) -> dict[str, Any]:
    case: dict[str, Any] = run("case", "show", ref, "-f", "json").json()
    return case


def checklist(run: Run, ref: str = REF) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = run("phase", "checklist", ref, "-f", "json").json()
    return rows


def role_rows(stdout: str) -> dict[str, str]:
    """The 'who holds which role' table of ``phase show`` (rendered wide enough not to wrap) as
    {role label: holder}."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "held by" in line and "┃" in line)
    rows: dict[str, str] = {}
    for line in lines[start + 2 :]:
        if "│" not in line:
            break
        role, holder = (part.strip() for part in line.split("│", 1))
        assert role, f"a wrapped row in {stdout}"
        rows[role] = holder
    return rows


def held_by_column(stdout: str) -> str:
    """All text of the 'held by' column of ``phase show`` at the default width (wrapped cells
    joined), with whitespace collapsed."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "held by" in line and "┃" in line)
    parts = []
    for line in lines[start + 2 :]:
        if "│" not in line:
            break
        parts.append(line.split("│", 1)[1])
    return " ".join(" ".join(parts).split())


def collapse(text: str | None) -> str:
    return " ".join((text or "–").split())


# --- refusals ------------------------------------------------------------------------------------


def test_refused_without_a_reason(run: Run) -> None:
    create(run)
    message = refused(run, "phase", "set", REF, "3")
    assert "needs a --reason" in message
    message = refused(run, "phase", "set", REF, "3", "--reason", "   ")
    assert "needs a --reason" in message


def test_refused_the_phase_the_case_already_has(run: Run) -> None:
    create(run, "--phase", "2")
    message = refused(run, "phase", "set", REF, "2", "--reason", "still worried")
    assert message == "error: case is already in phase 2"


def test_refused_a_date_before_the_last_change(run: Run) -> None:
    create(run)
    # before the opening entry
    message = refused(run, "phase", "set", REF, "3", "--reason", "unsafe", "--date", "2026-03-01")
    assert "2026-03-01 lies before the last phase change (2026-03-02)" in message
    run("phase", "set", REF, "3", "--reason", "unsafe", "--date", "2026-06-01")
    message = refused(run, "phase", "set", REF, "2", "--reason", "calmer", "--date", "31-05-2026")
    assert "2026-05-31 lies before the last phase change (2026-06-01)" in message
    assert "history runs forward" in message
    # the same day as the last change is allowed
    run("phase", "set", REF, "2", "--reason", "calmer", "--date", "2026-06-01")
    assert [r["phase"] for r in history(run)] == [2, 3, 2]


@pytest.mark.parametrize("when", ["2026-11-26", "tomorrow", "+1w"])
def test_refused_a_date_in_the_future(run: Run, when: str) -> None:
    create(run)
    message = refused(run, "phase", "set", REF, "3", "--reason", "unsafe", "--date", when)
    assert "future" in message
    assert "2026-11" in message or "2026-12" in message


@pytest.mark.parametrize("args", [["3"], ["4", "--track", "care"], ["4", "--track", "social"]])
def test_refused_phase_3_or_4_while_the_client_holds_casusregie(run: Run, args: list[str]) -> None:
    create(run, "--phase", "2", "--regie", "client")
    message = refused(run, "phase", "set", REF, *args, "--reason", "unsafe")
    assert message.startswith(
        f"error: regiekaart: in phase {args[0]} casusregie is always held by a professional"
    )
    assert "the client holds it" in message
    # the hint names this case, not a placeholder
    assert f"case edit {REF} --regie professional" in message
    assert shown(run)["regie"] == "client"


def test_client_regie_may_move_within_phases_1_and_2(run: Run) -> None:
    create(run, "--phase", "2", "--regie", "client")
    run("phase", "set", REF, "1", "--reason", "family manages")
    run("phase", "set", REF, "2", "--reason", "new worries")
    assert [r["phase"] for r in history(run)] == [2, 1, 2]


def test_client_regie_set_to_professional_then_escalation_is_allowed(run: Run) -> None:
    create(run, "--phase", "2", "--regie", "client")
    run("case", "edit", REF, "--regie", "professional")
    run("phase", "set", REF, "3", "--reason", "unsafe")
    assert shown(run)["phase"] == 3


def test_refused_phase_4_without_a_track(run: Run) -> None:
    create(run)
    message = refused(run, "phase", "set", REF, "4", "--reason", "media")
    assert "phase 4 has two tracks" in message
    assert "--track care" in message
    assert "--track social" in message


@pytest.mark.parametrize("track", ["care", "social", "zorg"])
def test_refused_a_track_for_phase_2(run: Run, track: str) -> None:
    create(run, "--phase", "3")
    message = refused(run, "phase", "set", REF, "2", "--reason", "calmer", "--track", track)
    assert "a track applies only to phase 4" in message
    assert "leave out --track" in message


def test_refused_an_unknown_track_or_phase(run: Run) -> None:
    create(run)
    message = refused(run, "phase", "set", REF, "4", "--reason", "media", "--track", "police")
    assert (
        message == "error: unknown track 'police'; expected one of: care (zorg), social (sociaal)"
    )
    for number in ("0", "5"):
        message = refused(run, "phase", "set", REF, number, "--reason", "x")
        assert message == "error: phase must be 1, 2, 3 or 4"


def test_refused_for_a_closed_case(run: Run) -> None:
    create(run)
    run("case", "close", REF, "--summary", "goals met", "--safety", "safe at home", *CLOSE_ANYWAY)
    message = refused(run, "phase", "set", REF, "3", "--reason", "new report")
    assert message == f"error: case {REF} is closed; 'icrctl case reopen' first"
    message = refused(run, "phase", "set", REF, "4", "--reason", "media", "--track", "care")
    assert "is closed" in message


def test_refused_for_an_unknown_case(run: Run) -> None:
    assert refused(run, "phase", "set", "NOPE", "3", "--reason", "x").startswith(
        "error: no case 'NOPE'"
    )


# --- allowed moves and the history ---------------------------------------------------------------


def test_escalation_de_escalation_skipping_and_back_to_1(run: Run) -> None:
    create(run, "--phase", "2")
    r = run("phase", "set", REF, "3", "--reason", "violence at home", "--date", "2026-05-04")
    assert f"{REF} escalated from phase 2 to 3 (Er is (ook) onveiligheid) on 2026-05-04" in r.stdout
    r = run("phase", "set", REF, "2", "--reason", "safety plan works", "--date", "2026-06-15")
    assert f"{REF} de-escalated from phase 3 to 2" in r.stdout
    r = run(
        "phase", "set", REF, "4", "--reason", "threats in the street", "--date", "2026-08-03",
        "--track", "social",
    )  # fmt: skip
    assert f"{REF} escalated from phase 2 to 4" in r.stdout
    r = run(
        "phase", "set", REF, "1", "--reason", "ordinary life again", "--date", "2026-11-25",
        "--regie", "client",
    )  # fmt: skip
    assert f"{REF} de-escalated from phase 4 to 1 (Het gewone leven)" in r.stdout

    expected = [
        (OPENED, 2, "case opened"),
        ("2026-05-04", 3, "violence at home"),
        ("2026-06-15", 2, "safety plan works"),
        ("2026-08-03", 4, "threats in the street"),
        ("2026-11-25", 1, "ordinary life again"),
    ]
    rows = history(run)
    assert short(rows) == expected
    assert [r["track"] for r in rows] == [None, None, None, "social", None]
    for row in rows:
        assert {"date", "phase", "reason"} <= set(row)
        recorded = datetime.fromisoformat(row["recorded_at"]).replace(tzinfo=None)
        assert abs(recorded - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=10)

    case = shown(run)
    assert case["phase"] == 1
    assert short(case["phase_history"]) == expected
    assert case["phase_history"] == [{k: r[k] for k in case["phase_history"][0]} for r in rows]


def test_history_is_oldest_first_with_the_opening_entry(run: Run) -> None:
    create(run, "--phase", "3", opened="2025-12-01")
    run("phase", "set", REF, "2", "--reason", "calmer", "--date", "2026-01-10")
    run("phase", "set", REF, "3", "--reason", "incident", "--date", "2026-01-10")
    run("phase", "set", REF, "2", "--reason", "calmer again", "--date", "today")
    expected = [
        ("2025-12-01", 3, "case opened"),
        ("2026-01-10", 2, "calmer"),
        ("2026-01-10", 3, "incident"),
        (TODAY.isoformat(), 2, "calmer again"),
    ]
    assert short(history(run)) == expected
    assert short(shown(run)["phase_history"]) == expected

    table = run("phase", "history", REF).stdout
    for header in ("date", "phase", "name", "track", "reason", "recorded"):
        assert header in table.splitlines()[0]
    positions = [table.index(reason) for _, _, reason in expected]
    assert positions == sorted(positions)
    assert "Er is (ook) onveiligheid" in table

    csv = run("phase", "history", REF, "-f", "csv").stdout.splitlines()
    assert csv[0].startswith("date,phase,reason")
    assert csv[1].startswith("2025-12-01,3,case opened")
    assert len(csv) == 5


def test_history_json_is_a_list_of_date_phase_reason(run: Run) -> None:
    create(run)
    rows = history(run)
    assert isinstance(rows, list)
    assert len(rows) == 1
    assert rows[0]["date"] == OPENED
    assert rows[0]["phase"] == 2
    assert rows[0]["reason"] == "case opened"


def test_a_case_created_in_phase_4_starts_its_history_and_checklist(run: Run) -> None:
    create(run, "--phase", "4", "--track", "sociaal")
    rows = history(run)
    assert short(rows) == [(OPENED, 4, "case opened")]
    assert rows[0]["track"] == "social"
    assert [i["item"] for i in checklist(run)] == SOCIAL_ITEMS


# --- the phase-4 checklist -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("track", "stored", "items"),
    [
        ("care", "care", CARE_ITEMS),
        ("zorg", "care", CARE_ITEMS),
        ("ZORGCALAMITEIT", "care", CARE_ITEMS),
        ("social", "social", SOCIAL_ITEMS),
        ("sociaal", "social", SOCIAL_ITEMS),
    ],
)
def test_escalation_to_phase_4_opens_the_checklist_of_its_track(
    run: Run, track: str, stored: str, items: list[str]
) -> None:
    create(run, "--phase", "3")
    assert checklist(run) == []
    r = run("phase", "set", REF, "4", "--reason", "media", "--date", "2026-10-05", "--track", track)
    assert "to inform: " in r.stdout
    assert f"phase inform {REF}" in r.stdout
    rows = checklist(run)
    assert [i["item"] for i in rows] == items
    for i in rows:
        assert i["done_at"] is None
        assert i["track"] == stored
        assert i["escalated"] == "2026-10-05"
        assert i["label"]
    assert history(run)[-1]["track"] == stored
    expected = [e.code for e in rk.checklist_for(stored)]
    assert expected == items


def test_care_checklist_tick_undo_and_where_it_shows(run: Run) -> None:
    create(run, "--phase", "3")
    run("phase", "set", REF, "4", "--reason", "calamity at care provider", "--track", "care")

    # open items show in case show (table and JSON) and in phase show (table and JSON)
    table = run("case", "show", REF).stdout
    assert "phase 4: still to inform" in table
    for code in CARE_ITEMS:
        assert any(line.startswith(f"{code} ") for line in table.splitlines()), code
    assert [i["item"] for i in shown(run)["checklist_open"]] == CARE_ITEMS
    phase_table = run("phase", "show", REF).stdout
    assert "phase 4: still to inform" in phase_table
    assert any(line.startswith("aov ") for line in phase_table.splitlines())
    view = run("phase", "show", REF, "-f", "json").json()
    assert [i["item"] for i in view["checklist"]] == CARE_ITEMS

    # tick aov off: a time stamp, today ($ICRCTL_TODAY) at the time of day now
    r = run("phase", "inform", REF, "aov")
    assert r.stdout.startswith(f"{REF}: aov (public order and safety officer (AOV) informed) ")
    assert f" on {TODAY.isoformat()} at " in r.stdout
    rows = {i["item"]: i for i in checklist(run)}
    stamp = datetime.fromisoformat(rows["aov"]["done_at"]).astimezone(ZoneInfo("Europe/Amsterdam"))
    assert stamp.date() == TODAY
    assert [c for c, i in rows.items() if i["done_at"] is None] == CARE_ITEMS[1:]

    # ticked items leave the open lists
    assert [i["item"] for i in shown(run)["checklist_open"]] == CARE_ITEMS[1:]
    table = run("case", "show", REF).stdout
    assert not any(line.startswith("aov ") for line in table.splitlines())
    assert any(line.startswith("mayor ") for line in table.splitlines())
    view = run("phase", "show", REF, "-f", "json").json()
    assert [i["item"] for i in view["checklist"]] == CARE_ITEMS[1:]

    # ticking twice is refused; case-insensitive code
    message = refused(run, "phase", "inform", REF, "AOV")
    assert message == f"error: aov is already ticked off for case {REF}"

    # undo
    r = run("phase", "inform", REF, "aov", "--undo")
    assert "open again" in r.stdout
    assert all(i["done_at"] is None for i in checklist(run))
    assert [i["item"] for i in shown(run)["checklist_open"]] == CARE_ITEMS
    message = refused(run, "phase", "inform", REF, "aov", "--undo")
    assert message == f"error: aov is already open for case {REF}"

    # everyone informed: nothing left to show
    for code in CARE_ITEMS:
        run("phase", "inform", REF, code)
    assert shown(run)["checklist_open"] == []
    assert "still to inform" not in run("case", "show", REF).stdout
    assert "still to inform" not in run("phase", "show", REF).stdout
    assert all(i["done_at"] for i in checklist(run))


def test_social_checklist_tick(run: Run) -> None:
    create(run, "--phase", "2")
    run("phase", "set", REF, "4", "--reason", "unrest", "--track", "social")
    assert [i["item"] for i in shown(run)["checklist_open"]] == SOCIAL_ITEMS
    run("phase", "inform", REF, "local_triangle")
    assert [i["item"] for i in shown(run)["checklist_open"]] == ["aov", "communications_adviser"]
    # the care track's items are not on this list
    message = refused(run, "phase", "inform", REF, "mayor")
    assert message.startswith(f"error: case {REF} has no checklist item 'mayor'")


def test_ticking_an_unknown_item_is_refused(run: Run) -> None:
    create(run, "--phase", "3")
    message = refused(run, "phase", "inform", REF, "aov")
    assert message == f"error: case {REF} has no checklist item 'aov' (items: none)"
    run("phase", "set", REF, "4", "--reason", "calamity", "--track", "care")
    message = refused(run, "phase", "inform", REF, "nobody")
    assert message.startswith(f"error: case {REF} has no checklist item 'nobody' (items: ")
    assert "aov" in message


def test_checklist_table(run: Run) -> None:
    create(run, "--phase", "3")
    assert "no phase-4 checklist" in run("phase", "checklist", REF).stdout
    run("phase", "set", REF, "4", "--reason", "calamity", "--track", "social")
    run("phase", "inform", REF, "aov")
    lines = run("phase", "checklist", REF).stdout.splitlines()
    informed = [cell.strip() for cell in lines[0].split("┃")].index("informed")
    aov = next(line for line in lines if line.startswith("aov "))
    triangle = next(line for line in lines if line.startswith("local_triangle "))
    assert TODAY.isoformat() in aov
    assert "open" not in aov.split("│")[informed]
    assert triangle.split("│")[informed].strip() == "open"


def test_a_second_escalation_adds_a_new_checklist(run: Run) -> None:
    create(run, "--phase", "3")
    run("phase", "set", REF, "4", "--reason", "calamity", "--track", "care", "--date", "2026-09-01")
    for code in CARE_ITEMS:
        run("phase", "inform", REF, code)
    run("phase", "set", REF, "3", "--reason", "calmer", "--date", "2026-10-01")
    run("phase", "set", REF, "4", "--reason", "unrest", "--track", "social", "--date", "2026-11-02")
    opened = shown(run)["checklist_open"]
    assert [i["item"] for i in opened] == SOCIAL_ITEMS
    assert {i["escalated"] for i in opened} == {"2026-11-02"}
    run("phase", "inform", REF, "aov")
    assert [i["item"] for i in shown(run)["checklist_open"]] == SOCIAL_ITEMS[1:]


# --- phase show: who holds which role, per framework and phase -----------------------------------

LABEL = {key: label for key, label in rk.ROLE_LABELS.items()}

# What the regiekaart table (docs/domain.md) says, as phrases each holder must contain;
# independent of the YAML wording beyond these facts.
EXPECTED: dict[tuple[str, int], dict[str, list[str]]] = {
    ("voluntary", 1): {
        "casusregie": ["Citizens", "volunteers", "basic services"],
        "behandelregie": ["–"],
        "procesregie": ["–"],
        "operational": ["basic services"],
        "administrative": ["Alderman for the social domain"],
    },
    ("compulsory", 1): {
        "casusregie": ["–"],
        "behandelregie": ["–"],
        "procesregie": ["–"],
        "operational": ["basic services"],
        "administrative": ["Alderman for the social domain"],
    },
    ("voluntary", 2): {
        "casusregie": [
            "client directs the case themselves",
            "professional",
            "wijkteam",
            "Toegang",
            "CJG",
            "care provider",
            "Veilig Thuis",
            "GI",
        ],
        "behandelregie": ["regiebehandelaar"],
        "procesregie": ["process director", "OGGZ", "Veilig Thuis"],
        "operational": ["Team leader of integrated access", "managers of the professionals"],
        "administrative": ["Alderman for the social domain"],
    },
    ("compulsory", 2): {
        "casusregie": [
            "always a professional",
            "(family) guardian",
            "youth probation officer",
            "of the GI",
            "probation (reclassering)",
            "forensic care",
        ],
        "behandelregie": ["regiebehandelaar"],
        "procesregie": ["process director", "OGGZ", "Veilig Thuis"],
        "operational": ["Team leader of integrated access"],
        "administrative": ["Alderman for the social domain"],
    },
    ("voluntary", 3): {
        "casusregie": [
            "always a professional of the social neighbourhood team (sociaal wijkteam)",
            "Toegang",
            "CJG",
            "Veilig Thuis",
            "GI",
        ],
        "behandelregie": ["regiebehandelaar"],
        "procesregie": ["process director", "Veilig Thuis"],
        "operational": ["Team leader of integrated access"],
        "administrative": ["Alderman", "informs the mayor"],
    },
    ("compulsory", 3): {
        "casusregie": [
            "always a professional",
            "(family) guardian",
            "youth probation officer",
            "of the GI",
            "probation (reclassering)",
            "forensic care",
        ],
        "behandelregie": ["regiebehandelaar"],
        "procesregie": ["process director", "Veilig Thuis"],
        "operational": ["Team leader of integrated access"],
        "administrative": ["Alderman", "informs the mayor"],
    },
}
for _fw in ("voluntary", "compulsory"):
    EXPECTED[(_fw, 4)] = {
        "casusregie": ["Two tracks", "care calamity", "social-domain calamity"],
        "behandelregie": ["regiebehandelaar"],
        "procesregie": ["AOV", "care department", "jointly", "Sociaal Calamiteiten Plan Zeeland"],
        "operational": ["AOV", "care department"],
        "administrative": ["mayor", "alderman"],
    }

# What must NOT be there.
ABSENT: dict[tuple[str, int], dict[str, list[str]]] = {
    ("voluntary", 3): {"casusregie": ["client directs"], "procesregie": ["OGGZ"]},
    ("compulsory", 2): {"casusregie": ["client directs"]},
    ("compulsory", 3): {"casusregie": ["client directs"], "procesregie": ["OGGZ"]},
    ("voluntary", 2): {"casusregie": ["youth probation officer"]},
}


def move_to(run: Run, phase: int, start: int) -> None:
    """From phase ``start`` up through the phases with ``phase set``, a professional holding
    casusregie from phase 2 on."""
    for n in range(start + 1, phase + 1):
        track = ["--track", "care"] if n == 4 else []
        args = ["--reason", f"escalation to {n}", "--regie", "professional", *track]
        run("phase", "set", REF, str(n), *args)


# Phase 1 has no compulsory framework (the card's '–'): a case that has one anyway is shown in
# tests/cli/test_framework_rules.py.
@pytest.mark.parametrize(
    ("framework", "phase"),
    [
        (f, n)
        for f in ("voluntary", "compulsory")
        for n in (1, 2, 3, 4)
        if (f, n) != ("compulsory", 1)
    ],
)
def test_phase_show_in_every_phase(
    run: Run, monkeypatch: pytest.MonkeyPatch, framework: str, phase: int
) -> None:
    start = 1 if framework == "voluntary" else 2  # in phase 1 the client holds casusregie
    create(run, "--phase", str(start), "--framework", framework)
    move_to(run, phase, start)
    info = rk.phase(phase)

    # JSON
    view = run("phase", "show", REF, "-f", "json").json()
    assert view["ref"] == REF
    assert view["phase"] == phase
    assert view["name"] == info.name_nl
    assert view["gloss"] == info.gloss
    assert view["description"] == info.description
    assert view["framework"] == framework
    assert view["regie"] == ("client" if phase == 1 else "professional")
    assert view["since"] == (OPENED if phase == start else TODAY.isoformat())
    holders = {label: holder for label, holder in view["responsibilities"]}
    assert list(holders) == [
        LABEL["casusregie"],
        LABEL["behandelregie"],
        LABEL["procesregie"],
        LABEL["operational"],
        LABEL["administrative"],
        LABEL["informal_network"],
    ]
    assert holders[LABEL["casusregie"]] == info.roles[f"casusregie_{framework}"]
    for key in ("behandelregie", "procesregie", "operational", "administrative"):
        assert holders[LABEL[key]] == info.roles[key]
    assert "informele netwerk" in holders[LABEL["informal_network"]]

    # the table at the default width: the casusregie holder in full, wrapped or not
    table = run("phase", "show", REF).stdout
    assert f"phase {phase}: {info.name_nl} ({info.gloss})" in table
    assert framework in table
    column = held_by_column(table)
    assert collapse(info.roles[f"casusregie_{framework}"]) in column
    assert collapse(info.roles["procesregie"]) in column

    # the table wide: each role's row against the regiekaart
    monkeypatch.setenv("COLUMNS", "600")
    rows = role_rows(run("phase", "show", REF).stdout)
    assert set(rows) == set(holders)
    for key, phrases in EXPECTED[(framework, phase)].items():
        holder = rows[LABEL[key]]
        for phrase in phrases:
            assert phrase in holder, (key, phrase, holder)
        expected_text = info.roles[f"casusregie_{framework}" if key == "casusregie" else key]
        assert holder == collapse(expected_text)
    for key, phrases in ABSENT.get((framework, phase), {}).items():
        for phrase in phrases:
            assert phrase not in rows[LABEL[key]], (key, phrase)
    assert phase != 4 or "still to inform" in run("phase", "show", REF).stdout


def test_phase_show_follows_a_framework_change(run: Run) -> None:
    create(run, "--phase", "2")
    assert "client directs" in held_by_column(run("phase", "show", REF).stdout)
    run("case", "edit", REF, "--framework", "compulsory")
    column = held_by_column(run("phase", "show", REF).stdout)
    assert "(family) guardian" in column
    assert "youth probation officer" in column
    assert "client directs" not in column


def test_phase_show_counts_days_since_the_last_change(run: Run) -> None:
    create(run, "--phase", "2")
    run("phase", "set", REF, "3", "--reason", "unsafe", "--date", "2026-11-15")
    view = run("phase", "show", REF, "-f", "json").json()
    assert view["since"] == "2026-11-15"
    assert view["days"] == 10
    assert "2026-11-15 (10 days)" in run("phase", "show", REF).stdout
