"""``icrctl phase inform``: the phase-4 checklist ticked off as it happens in practice — several
people at once, by their Dutch names, on the day and at the time they were informed (local time;
today by default, ``$ICRCTL_TODAY`` included), in a message that reads once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import TODAY, Run, refused

REF = "GO-2026-050"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def social(run: Run) -> str:
    """A case escalated to phase 4 on the social track on 2026-11-02."""
    run("case", "create", REF, "--title", "Familie Bos", "--opened", "2026-09-01", "--phase", "3")
    run(
        "phase", "set", REF, "4", "--reason", "onrust", "--track", "sociaal", "--date", "2026-11-02"
    )
    return REF


@pytest.fixture
def care(run: Run) -> str:
    run("case", "create", REF, "--title", "Familie Bos", "--opened", "2026-09-01", "--phase", "3")
    run(
        "phase",
        "set",
        REF,
        "4",
        "--reason",
        "calamiteit",
        "--track",
        "zorg",
        "--date",
        "2026-11-02",
    )
    return REF


def items(run: Run) -> dict[str, Any]:
    return {i["item"]: i for i in run("phase", "checklist", REF, "-f", "json").json()}


def local(moment: str | None) -> str | None:
    """A JSON moment (UTC) as Amsterdam wall-clock time, ``YYYY-MM-DD HH:MM``."""
    if moment is None:
        return None
    return f"{datetime.fromisoformat(moment).astimezone(AMSTERDAM):%Y-%m-%d %H:%M}"


def test_several_items_at_once_by_their_dutch_names(run: Run, social: str) -> None:
    r = run(
        "phase", "inform", social, "aov,lokale_driehoek", "--date", "2026-11-20", "--time", "9:15"
    )
    assert r.stdout.splitlines() == [
        f"{social}: aov (public order and safety officer (AOV) informed) on 2026-11-20 at 09:15, "
        "by regisseur",
        f"{social}: local_triangle (local triangle informed (mayor, police, public prosecutor)) "
        "on 2026-11-20 at 09:15, by AOV",
    ]
    rows = items(run)
    assert local(rows["aov"]["done_at"]) == "2026-11-20 09:15"
    assert local(rows["local_triangle"]["done_at"]) == "2026-11-20 09:15"
    assert rows["communications_adviser"]["done_at"] is None
    # JSON keeps the English codes and gives the moment in UTC
    assert rows["aov"]["done_at"] == "2026-11-20T08:15:00Z"


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("Lokale driehoek", "local_triangle"),
        ("lokale-driehoek", "local_triangle"),
        ("communicatieadviseur", "communications_adviser"),
        ("ambtenaar_aov", "aov"),
        ("AOV", "aov"),
    ],
)
def test_each_item_by_its_code_or_dutch_word(run: Run, social: str, words: str, code: str) -> None:
    run("phase", "inform", social, words)
    assert [c for c, i in items(run).items() if i["done_at"]] == [code]


def test_the_care_tracks_dutch_words(run: Run, care: str) -> None:
    run("phase", "inform", care, "burgemeester, portefeuillehouder,communicatie")
    done = [c for c, i in items(run).items() if i["done_at"]]
    assert done == ["communications", "portfolio_holder", "mayor"]


def test_the_same_item_twice_in_one_command_is_ticked_once(run: Run, social: str) -> None:
    r = run("phase", "inform", social, "aov,AOV,ambtenaar_aov")
    assert len(r.stdout.splitlines()) == 1


def test_the_message_says_each_word_once(run: Run, care: str) -> None:
    out = run("phase", "inform", care, "aov", "--time", "0:05").stdout
    assert out == (
        f"{care}: aov (public order and safety officer (AOV) informed) on "
        f"{TODAY.isoformat()} at 00:05, by afdeling Zorg\n"
    )
    assert out.count("informed") == 1
    assert "UTC" not in out


def test_by_default_today_of_the_tool_at_the_time_now(run: Run, social: str) -> None:
    """``$ICRCTL_TODAY`` (pinned by the tests to 2026-11-25) is the day; the time is now's."""
    before = datetime.now(AMSTERDAM).replace(second=0, microsecond=0, tzinfo=None)
    run("phase", "inform", social, "aov")
    after = datetime.now(AMSTERDAM).replace(second=0, microsecond=0, tzinfo=None)
    stamp = items(run)["aov"]["done_at"]
    moment = datetime.fromisoformat(stamp).astimezone(AMSTERDAM).replace(tzinfo=None)
    assert moment.date() == TODAY
    assert before.time() <= moment.time() <= after.time() or before.date() != after.date()


def test_a_date_alone_keeps_the_time_now_and_dutch_dates_work(run: Run, social: str) -> None:
    run("phase", "inform", social, "aov", "--date", "20-11-2026")
    assert (local(items(run)["aov"]["done_at"]) or "").startswith("2026-11-20 ")


def test_local_time_across_the_change_to_winter_time(run: Run) -> None:
    run("case", "create", REF, "--title", "Familie Bos", "--opened", "2026-09-01", "--phase", "3")
    run("phase", "set", REF, "4", "--reason", "x", "--track", "social", "--date", "2026-10-01")
    run("phase", "inform", REF, "aov", "--date", "2026-10-20", "--time", "14:00")  # summer time
    run("phase", "inform", REF, "local_triangle", "--date", "2026-11-20", "--time", "14:00")
    rows = items(run)
    assert rows["aov"]["done_at"] == "2026-10-20T12:00:00Z"
    assert rows["local_triangle"]["done_at"] == "2026-11-20T13:00:00Z"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("aov", "--date", "tomorrow"), "error: informed at 2026-11-26 "),
        (("aov", "--date", "2026-11-26", "--time", "00:00"), "lies in the future"),
        (
            ("aov", "--date", "2026-11-01", "--time", "23:59"),
            "error: aov cannot have been informed on 2026-11-01: case GO-2026-050 escalated to "
            "phase 4 on 2026-11-02",
        ),
        (("aov", "--time", "25:00"), "error: invalid time '25:00'"),
        (("aov", "--date", "31-02-2026"), "error: invalid date '31-02-2026'"),
        (("aov", "--undo", "--date", "2026-11-20"), "--undo opens an item again; it takes no"),
        (("aov", "--undo"), "error: aov is already open for case GO-2026-050"),
        ((",",), "error: name a checklist item to tick off"),
        (
            ("burgemeester",),
            "error: case GO-2026-050 has no checklist item 'burgemeester' (items: aov "
            "(ambtenaar_aov), local_triangle (lokale_driehoek), communications_adviser "
            "(communicatieadviseur))",
        ),
        (("niemand",), "error: case GO-2026-050 has no checklist item 'niemand' (items: aov"),
    ],
)
def test_refusals_change_nothing(
    run: Run, social: str, args: tuple[str, ...], message: str
) -> None:
    refused(run, "phase", "inform", social, *args, match=message)


def test_all_or_nothing(run: Run, social: str, db_path: Path) -> None:
    """One refused item refuses the command: the others are not ticked off either."""
    run("phase", "inform", social, "communicatieadviseur")
    refused(
        run, "phase", "inform", social, "aov,lokale_driehoek,communicatieadviseur",
        match="communications_adviser is already ticked off",
    )  # fmt: skip
    refused(run, "phase", "inform", social, "aov,burgemeester", match="'burgemeester'")
    assert [c for c, i in items(run).items() if i["done_at"]] == ["communications_adviser"]


def test_undo_several(run: Run, social: str) -> None:
    run("phase", "inform", social, "aov,lokale_driehoek")
    r = run("phase", "inform", social, "lokale driehoek,aov", "--undo")
    assert r.stdout.splitlines() == [
        f"{social}: local_triangle (local triangle informed (mayor, police, public prosecutor)) "
        "open again",
        f"{social}: aov (public order and safety officer (AOV) informed) open again",
    ]
    assert all(i["done_at"] is None for i in items(run).values())


def test_the_import_reads_the_dutch_words(run: Run, social: str, tmp_path: Path) -> None:
    run("phase", "inform", social, "aov", "--date", "2026-11-03", "--time", "10:30")
    exported = tmp_path / "case.yaml"
    run("export", "--out", str(exported))
    text = exported.read_text(encoding="utf-8")
    assert "  - item: aov\n" in text
    assert "    done: 2026-11-03T10:30\n" in text
    text = text.replace("item: local_triangle", "item: Lokale driehoek", 1)
    text = text.replace(
        "item: Lokale driehoek\n    track: social\n    escalated: 2026-11-02\n",
        "item: Lokale driehoek\n    track: social\n    escalated: 2026-11-02\n"
        "    done: 2026-11-04T16:00\n",
    )
    changed = tmp_path / "changed.yaml"
    changed.write_text(text, encoding="utf-8")
    run("import", str(changed))
    rows = items(run)
    assert local(rows["local_triangle"]["done_at"]) == "2026-11-04 16:00"
    assert list(rows) == ["aov", "local_triangle", "communications_adviser"]
