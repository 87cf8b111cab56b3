"""``case stage``: the working stages in order. Skipping one forward needs ``--reason``, kept in the
stage history that ``case show`` and the closing report show; a step back may say why. An import
records the history as it was, reasons included, and the export carries them back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Run, refused

REF = "GO-2026-070"


@pytest.fixture
def case(run: Run) -> str:
    run("case", "create", REF, "--title", "Familie Wit", "--opened", "2026-09-01")
    return REF


def history(run: Run) -> list[tuple[str, str | None]]:
    shown = run("case", "show", REF, "-f", "json").json()
    return [(s["stage"], s["reason"]) for s in shown["stage_history"]]


@pytest.mark.parametrize(
    ("start", "to", "skipped"),
    [
        ((), "aftercare", "the stages analysis, execution"),
        ((), "execution", "the stage analysis"),
        (("analysis",), "aftercare", "the stage execution"),
        (("analyse",), "nazorg", "the stage execution"),
    ],
)
def test_skipping_a_stage_is_refused_without_a_reason(
    run: Run, case: str, start: tuple[str, ...], to: str, skipped: str
) -> None:
    for stage in start:
        run("case", "stage", case, stage)
    message = refused(run, "case", "stage", case, to)
    code = {"nazorg": "aftercare"}.get(to, to)
    assert message.endswith(f"skips {skipped}: say why with 'icrctl case stage {case} {code} "
                            "--reason …'")  # fmt: skip
    assert message.startswith("error: moving from ")
    assert "\n" not in message


def test_a_blank_reason_is_no_reason(run: Run, case: str) -> None:
    refused(run, "case", "stage", case, "aftercare", "--reason", "  ", match="skips the stages")


def test_a_reason_with_a_control_character_is_refused(run: Run, case: str) -> None:
    refused(run, "case", "stage", case, "aftercare", "-r", "klaar\x07", match="control character")


def test_with_a_reason_the_skip_is_recorded(run: Run, case: str) -> None:
    said = run("case", "stage", case, "aftercare", "-r", "hulp liep al via de wijkteam").stdout
    assert said.splitlines()[0] == f"{case} is in stage aftercare since 2026-11-25"
    assert history(run) == [("inventory", None), ("aftercare", "hulp liep al via de wijkteam")]


def test_the_next_stage_and_a_step_back_need_no_reason(run: Run, case: str) -> None:
    for stage in ("analysis", "execution", "aftercare"):
        run("case", "stage", case, stage)
    run("case", "stage", case, "execution")
    run("case", "stage", case, "inventory", "--reason", "nieuwe zorgen, opnieuw in kaart")
    assert history(run)[-2:] == [
        ("execution", None),
        ("inventory", "nieuwe zorgen, opnieuw in kaart"),
    ]


def test_case_show_lists_the_stage_history_with_its_reasons(run: Run, case: str) -> None:
    run("case", "stage", case, "execution", "-r", "analyse door Veilig Thuis")
    shown = run("case", "show", case).stdout
    block = shown[shown.index("stage history") :].split("\n\n")[0].splitlines()
    assert [" ".join(line.replace("│", " ").split()) for line in block[3:]] == [
        "2026-09-01 inventory –",
        "2026-11-25 execution analyse door Veilig Thuis",
    ]
    dutch = run("--lang", "nl", "case", "show", case).stdout
    assert "werkfasegeschiedenis" in dutch
    assert "uitvoering" in dutch.split("werkfasegeschiedenis")[1]


def test_the_dutch_refusal(run: Run, case: str) -> None:
    result = run("--lang", "nl", "case", "stage", case, "nazorg", ok=False)
    assert result.exit_code == 1
    assert history(run) == [("inventory", None)]
    assert result.stderr == (
        "fout: van inventarisatie naar nazorg slaat de werkfasen analyse, uitvoering over: zeg "
        f"waarom met 'icrctl case stage {case} aftercare --reason …'\n"
    )


def test_the_closing_report_shows_the_reason_of_any_stage_change(
    run: Run, case: str, tmp_path: Path
) -> None:
    run("case", "stage", case, "aftercare", "-r", "hulp al afgerond")
    run("case", "close", case, "--summary", "klaar", "--safety", "veilig", "--force",
        "--reason", "plan nooit getekend")  # fmt: skip
    out = tmp_path / "eindrapport.md"
    run("report", case, "--out", str(out))
    text = out.read_text()
    assert "hulp al afgerond" in text
    assert "plan nooit getekend" in text


IMPORTED = """\
version: 1
cases:
  - ref: GO-2026-071
    title: Familie Zwart
    opened: 2026-03-01
    stage: aftercare
    phase: 4
    history:
      - {date: 2026-03-01, phase: 3, reason: aangemeld}
      - {date: 2026-04-01, phase: 4, track: care, reason: calamiteit}
    stages:
      - {date: 2026-03-01, stage: inventory}
      - {date: 2026-05-01, stage: aftercare, reason: hulp al afgerond bij de zorgaanbieder}
    checklist:
      - {item: aov, done: 2026-04-01T10:00, done_by: "afdeling Zorg, J. Jansen"}
      - {item: burgemeester, done: "2026-04-02 09:30"}
"""


def test_import_records_a_skip_as_it_was_and_the_export_carries_it_back(
    run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(IMPORTED)
    run("import", str(source))  # no --reason rule: the history is what it was
    case = run("case", "show", "GO-2026-071", "-f", "json").json()
    assert [(s["stage"], s["reason"]) for s in case["stage_history"]] == [
        ("inventory", None),
        ("aftercare", "hulp al afgerond bij de zorgaanbieder"),
    ]
    done = {i["item"]: i["done_by"] for i in run("phase", "checklist", "GO-2026-071",
                                                  "-f", "json").json()}  # fmt: skip
    assert done["aov"] == "afdeling Zorg, J. Jansen"
    assert done["mayor"] is None  # the file did not say who: nothing is made up

    first = tmp_path / "first.yaml"
    run("export", "--out", str(first))
    text = first.read_text()
    assert "reason: hulp al afgerond bij de zorgaanbieder" in text
    assert "done_by: afdeling Zorg, J. Jansen" in text
    other = tmp_path / "other.db"
    run("--db", str(other), "import", str(first))
    second = tmp_path / "second.yaml"
    run("--db", str(other), "export", "--out", str(second))
    assert second.read_bytes() == first.read_bytes()
    assert run("import", str(first)).stdout.endswith("nothing to change\n")


def test_done_by_without_done_is_refused_on_import(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(IMPORTED.replace('{item: burgemeester, done: "2026-04-02 09:30"}',
                                       "{item: burgemeester, done_by: J. Jansen}"))  # fmt: skip
    result = run("import", str(source), ok=False)
    assert result.stderr.splitlines() == [
        f"{source}:16: cases[0].checklist[1].done_by: done_by goes with done: who did it, and when",
        "error: 1 error; nothing was imported",
    ]
    assert run("case", "list", "-f", "json").json() == []
