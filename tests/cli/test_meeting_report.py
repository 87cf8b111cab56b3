"""``icrctl eval agree``, ``eval discuss`` and ``eval report``: what a held evaluation yielded
(agreements, notes per goal), read back, and mailed as a document to everyone involved, to one
consenting partner, or to every consenting partner at once; never with the internal safety
signals."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.helpers import Run, make_run, refused

SIGNAL = "Peter stuurt Sanne dreigende berichten via Instagram."
NOTE = "Huisbezoek: Noor slaapt slecht."
MEETING_NOTE = "Vader boos weggelopen; gezinsvoogd belt hem."
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def held(run: Run, family: str) -> str:
    """The family with two held evaluations of a series every two weeks on Tuesday, goals,
    partners with and without consent, a contact note and a safety signal between the two
    meetings; agreements and a goal's note at the second."""
    ref = family
    run("partner", "add", "L. Groen", "--organisation", "Basisschool De Linde", "--kind",
        "school", "--key", "school-groen")  # fmt: skip
    run("partner", "link", ref, "school-groen", "--role", "leerkracht Noor", "--consent")
    run("partner", "add", "R. Hendriks", "--organisation", "GGZ Delfland", "--kind",
        "mental_health", "--key", "ggz-hendriks")  # fmt: skip
    run("partner", "link", ref, "ggz-hendriks", "--role", "behandelaar Peter", "--no-consent")
    run("goal", "add", ref, "Sanne en Noor zijn thuis veilig", "--who", "m1")
    run("goal", "add", ref, "Peter leert omgaan met boosheid", "--who", "m2")
    run("eval", "schedule", ref, "--every", "2w", "--weekday", "tue", "--time", "14:30",
        "--start", "2026-11-03", "--with", "m1,m2,vt-bakker")  # fmt: skip
    run("eval", "record", ref, "--date", "2026-11-03", "--attended", "m1,vt-bakker",
        "--refused", "m2", "--risk", "4", "--self-reliance", "2")  # fmt: skip
    run("log", ref, NOTE, "--kind", "visit", "--with", "m1,m3", "--date", "2026-11-10")
    run("log", ref, SIGNAL, "--kind", "message", "--with", "m1", "--signal", "--date",
        "2026-11-12")  # fmt: skip
    run("eval", "record", ref, "--date", "2026-11-17", "--attended", "m1,m2,vt-bakker",
        "--absent", "ggz-hendriks", "--risk", "3", "--self-reliance", "3", "--note",
        MEETING_NOTE)  # fmt: skip
    run("eval", "agree", ref, "2026-11-17", "Veiligheidsplan opstellen", "--who",
        "m1 en vt-bakker", "--due", "2026-12-01", "--goal", "1")  # fmt: skip
    run("eval", "agree", ref, "2026-11-17", "Peter meldt zich bij de huisarts", "--who", "m2")
    run("eval", "discuss", ref, "2026-11-17", "2", "Peter erkent zijn boosheid.")
    return ref


# ------------------------------------------------------------------ recording and reading back


def test_agreements_are_numbered_and_read_back(run: Run, held: str) -> None:
    result = run("eval", "agree", held, "2026-11-17", "Noor gaat naar de logopedist")
    assert result.stdout == "recorded agreement 3 of the evaluation of 2026-11-17 for GO-2026-014\n"
    view = run("eval", "show", held, "2026-11-17", "-f", "json").json()
    assert view["agreements"] == [
        {"number": 1, "what": "Veiligheidsplan opstellen", "who": "m1 en vt-bakker",
         "due": "2026-12-01", "goal": 1},
        {"number": 2, "what": "Peter meldt zich bij de huisarts", "who": "m2", "due": None,
         "goal": None},
        {"number": 3, "what": "Noor gaat naar de logopedist", "who": None, "due": None,
         "goal": None},
    ]  # fmt: skip
    assert view["discussed"] == [{"goal": 2, "note": "Peter erkent zijn boosheid."}]
    # --drop removes one; the later ones move up, so that the numbers stay 1, 2
    done = run("eval", "agree", held, "2026-11-17", "--drop", "1").stdout
    assert done == "removed agreement 1 of the evaluation of 2026-11-17 for GO-2026-014\n"
    view = run("eval", "show", held, "2026-11-17", "-f", "json").json()
    assert [(a["number"], a["what"]) for a in view["agreements"]] == [
        (1, "Peter meldt zich bij de huisarts"),
        (2, "Noor gaat naar de logopedist"),
    ]
    table = run("eval", "show", held, "2026-11-17").stdout
    assert "agreements" in table
    assert "Peter meldt zich bij de huisarts" in table
    assert "discussed per goal" in table
    assert "Peter erkent zijn boosheid." in table
    # a meeting without any shows neither block, and JSON gives empty lists
    first = run("eval", "show", held, "2026-11-03", "-f", "json").json()
    assert first["agreements"] == []
    assert first["discussed"] == []


def test_a_goals_note_is_replaced_and_dropped(run: Run, held: str) -> None:
    again = run("eval", "discuss", held, "2026-11-17", "2", "Peter zoekt hulp.").stdout
    assert again == "replaced the note on goal 2 of the evaluation of 2026-11-17 for GO-2026-014\n"
    view = run("eval", "show", held, "2026-11-17", "-f", "json").json()
    assert view["discussed"] == [{"goal": 2, "note": "Peter zoekt hulp."}]
    run("eval", "discuss", held, "2026-11-17", "2", "--drop")
    assert run("eval", "show", held, "2026-11-17", "-f", "json").json()["discussed"] == []


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("agree", "GO-2026-014", "2026-12-01", "Iets"), "not recorded as held"),
        (("agree", "GO-2026-014", "2026-11-18", "Iets"), "has no evaluation on 2026-11-18"),
        (("agree", "GO-2026-014", "2026-11-17", "Iets", "--goal", "9"), "has no goal 9"),
        (("agree", "GO-2026-014", "2026-11-17", "--drop", "7"), "has no agreement 7"),
        (("agree", "GO-2026-014", "2026-11-17", "Iets", "--drop", "1"), "--drop takes no text"),
        (("agree", "GO-2026-014", "2026-11-17"), "give the text, or --drop"),
        (("agree", "GO-2026-014", "2026-11-17", "Iets\x1b[31m"), "control"),
        (("discuss", "GO-2026-014", "2026-11-17", "9", "Iets"), "has no goal 9"),
        (("discuss", "GO-2026-014", "2026-11-17", "1", "--drop"), "nothing is noted about goal 1"),
        (("discuss", "GO-2026-014", "2026-11-17", "1"), "give the text, or --drop"),
    ],
)
def test_recording_refusals(run: Run, held: str, args: tuple[str, ...], match: str) -> None:
    refused(run, "eval", *args, match=match)


# ------------------------------------------------------------------ the report to send


def test_report_markdown_in_dutch(run: Run, held: str, tmp_path: Path) -> None:
    out = tmp_path / "verslag.md"
    said = run("eval", "report", held, "2026-11-17", "--out", str(out)).stdout
    assert said == f"wrote the report of {held} to {out}\n"
    assert out.stat().st_mode & 0o777 == 0o600
    # printed without --out: Markdown, in Dutch (the default; the suite runs in English)
    text = run("--lang", "nl", "eval", "report", held, "2026-11-17").stdout
    assert text == run("--lang", "nl", "eval", "report", held, "2026-11-17", "-f", "md").stdout
    lines = text.splitlines()
    assert lines[0] == "# Verslag evaluatie Familie De Vries"
    for fact in (
        "- **Casus:** GO-2026-014",
        "- **Evaluatie:** 17-11-2026 om 14:30",
        "- **Intensief casusregisseur (ICR):** A. Jansen",
        "- **Datum rapport:** 25-11-2026",
        "- **Aanwezig:** Sanne de Vries, Peter de Vries, J. Bakker (Veilig Thuis Rotterdam "
        "Rijnmond)",
        "- **Afwezig:** R. Hendriks (GGZ Delfland)",
        "- **Geweigerd:** –",
        "## Aanwezigheid",
        "## Risico en zelfredzaamheid",
        "Scores bij dit overleg: veiligheidsrisico 3, zelfredzaamheid 3 (1-5).",
        "## Besproken per doel",
        "| 2\\. Peter leert omgaan met boosheid | Peter erkent zijn boosheid. |",
        "## Afspraken",
        "| Nr. | Wat | Wie doet | Uiterlijk | Doel |",
        "| 1 | Veiligheidsplan opstellen | Sanne de Vries en J. Bakker (Veilig Thuis Rotterdam "
        "Rijnmond) | 01-12-2026 | 1 |",
        "| 2 | Peter meldt zich bij de huisarts | Peter de Vries | – | – |",
        "## Volgend overleg",
        "01-12-2026 om 14:30",
    ):
        assert fact in lines, fact
    # the course of the scores so far: both meetings, in words and as a table
    assert "Veiligheidsrisico: dalend sinds de eerste score (4 naar 3)." in text
    assert "| 03-11-2026 | 4 | 2 |" in lines
    assert "| 17-11-2026 | 3 | 3 |" in lines
    # nothing internal: no safety signal, no contact note, no meeting note
    for internal in (SIGNAL, NOTE, MEETING_NOTE, "Veiligheidssignalen", "Interne versie"):
        assert internal not in text


def test_report_html_has_the_chart_and_no_signal(run: Run, held: str, tmp_path: Path) -> None:
    out = tmp_path / "verslag.html"
    run("--lang", "nl", "eval", "report", held, "2026-11-17", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert '<html lang="nl">' in page
    assert "hyphens: auto" in page
    assert "<h1>Verslag evaluatie Familie De Vries</h1>" in page
    assert '<svg class="chart" role="img"' in page
    assert page.count('data-score="') == 4  # two meetings, two scores each
    assert "<td>Veiligheidsplan opstellen</td>" in page
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for internal in (SIGNAL, NOTE, MEETING_NOTE):
        assert internal not in text


def test_the_internal_copy_holds_the_note_and_the_signals(
    run: Run, held: str, tmp_path: Path
) -> None:
    out = tmp_path / "intern.md"
    said = run("eval", "report", held, "2026-11-17", "--internal", "--out", str(out)).stdout
    assert "(with the note and the safety signals: not to send)" in said
    text = run("--lang", "nl", "eval", "report", held, "2026-11-17", "--internal").stdout
    assert "*Interne versie voor het eigen dossier van de casusregisseur" in text
    assert text.index("Interne versie") < text.index("## Aanwezigheid")  # the warning on top
    assert MEETING_NOTE in text
    assert f"| 12-11-2026 | bericht | {SIGNAL} |" in text
    assert NOTE not in text  # a contact note that is no signal stays out
    # the first meeting's copy: the signal came after it
    first = run("--lang", "nl", "eval", "report", held, "2026-11-03", "--internal").stdout
    assert SIGNAL not in first
    assert "Geen veiligheidssignalen vastgelegd." in first


def test_for_all_writes_one_file_per_consenting_partner(
    run: Run, held: str, tmp_path: Path
) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    result = run("--lang", "nl", "eval", "report", held, "2026-11-17", "--for", "all", "--out",
                 str(folder))  # fmt: skip
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "GO-2026-014-2026-11-17-verslag-school-groen.html",
        "GO-2026-014-2026-11-17-verslag-vt-bakker.html",
    ]
    assert result.stdout.splitlines() == [  # in the order the partners were linked
        f"het verslag voor vt-bakker is geschreven naar {folder / names[1]}",
        f"het verslag voor school-groen is geschreven naar {folder / names[0]}",
    ]
    assert "geen verslag voor R. Hendriks (GGZ Delfland)" in result.stderr
    for name in names:
        page = (folder / name).read_text(encoding="utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", " ", page))
        assert "Versie voor een ketenpartner" in text
        assert "Veiligheidsplan opstellen" in text
        # a partner without consent is named by organisation only
        assert "R. Hendriks" not in text
        assert "GGZ Delfland" in text
        for internal in (SIGNAL, NOTE, MEETING_NOTE):
            assert internal not in text
    # markdown on request; the audit log names each partner's version
    md = tmp_path / "md"
    md.mkdir()
    run("eval", "report", held, "2026-11-17", "--for", "all", "--out", str(md), "-f", "md")
    assert sorted(p.suffix for p in md.iterdir()) == [".md", ".md"]
    logged = [e for e in run("audit", "-f", "json").json() if e["entity"] == "meeting_report"]
    assert len(logged) == 4
    assert all("for_partner" in e["fields"] for e in logged)


def test_for_one_partner(run: Run, held: str, tmp_path: Path) -> None:
    out = tmp_path / "school.md"
    run("eval", "report", held, "2026-11-17", "--for", "school-groen", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert "Version for a partner: the report only" in text
    assert SIGNAL not in text
    assert MEETING_NOTE not in text


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("--for", "ggz-hendriks"), "not consented to share information with R. Hendriks"),
        (("--for", "nobody"), "no partner 'nobody'"),
        (("--for", "vt-bakker", "--internal"), "give --for or --internal, not both"),
        (("--for", "all"), "give --out an existing folder"),
    ],
)
def test_report_refusals(
    run: Run, held: str, tmp_path: Path, args: tuple[str, ...], match: str
) -> None:
    out = tmp_path / "verslag.md"
    extra = () if "all" in args else ("--out", str(out))
    refused(run, "eval", "report", held, "2026-11-17", *args, *extra, match=match)
    assert not out.exists()


def test_for_all_refuses_an_existing_file_and_writes_none(
    run: Run, held: str, tmp_path: Path
) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    taken = folder / "GO-2026-014-2026-11-17-verslag-vt-bakker.html"
    taken.write_text("eerder", encoding="utf-8")
    args = ("eval", "report", held, "2026-11-17", "--for", "all", "--out", str(folder))
    refused(run, *args, match="exists; give --force")
    assert sorted(p.name for p in folder.iterdir()) == [taken.name]
    run(*args, "--force")
    assert len(list(folder.iterdir())) == 2
    assert taken.read_text() != "eerder"


def test_for_all_without_any_consent(run: Run, family: str, tmp_path: Path) -> None:
    run("partner", "link", family, "vt-bakker", "--no-consent")
    run("eval", "record", family, "--date", "2026-11-20", "--attended", "m1")
    refused(run, "eval", "report", family, "2026-11-20", "--for", "all", "--out", str(tmp_path),
            match="no partner linked to case GO-2026-014 has the client's consent")  # fmt: skip


def test_stored_text_is_escaped(run: Run, held: str, tmp_path: Path) -> None:
    run("eval", "agree", held, "2026-11-17", SCRIPT, "--who", "*vet*")
    out = tmp_path / "v.html"
    run("eval", "report", held, "2026-11-17", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert SCRIPT not in page
    assert html.escape(SCRIPT) in page
    md = run("eval", "report", held, "2026-11-17").stdout
    assert "\\<script\\>" in md
    assert "\\*vet\\*" in md


def test_an_extra_meeting_reports_the_next_of_any_series(run: Run, held: str) -> None:
    run("eval", "record", held, "--date", "2026-11-20", "--attended", "m1", "--time", "09:00")
    run("eval", "agree", held, "2026-11-20", "Crisisplan bespreken")
    text = make_run({"ICRCTL_LANG": "nl"})("eval", "report", held, "2026-11-20").stdout
    assert "- **Evaluatie:** 20-11-2026 om 09:00 (extra overleg)" in text
    assert "01-12-2026 om 14:30" in text
    assert "| 1 | Crisisplan bespreken | – | – | – |" in text


# ------------------------------------------------------------------ export and import


def test_export_import_round_trip(run: Run, held: str, tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    run("export", "--out", str(first))
    text = first.read_text(encoding="utf-8")
    assert "    discussed:\n    - goal: 2\n      note: Peter erkent zijn boosheid.\n" in text
    assert (
        "    agreements:\n    - what: Veiligheidsplan opstellen\n      who: m1 en vt-bakker\n"
        in text
    )
    other = tmp_path / "other" / "c.db"
    run("--db", str(other), "import", str(first))
    second = tmp_path / "b.yaml"
    run("--db", str(other), "export", "--out", str(second))
    assert second.read_text(encoding="utf-8") == text
    shown = run("--db", str(other), "eval", "show", held, "2026-11-17", "-f", "json").json()
    assert [a["goal"] for a in shown["agreements"]] == [1, None]
    # importing the same file again changes nothing
    assert "nothing to change" in run("--db", str(other), "import", str(first)).stdout


def test_import_refuses_an_unknown_goal(run: Run, held: str, tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    run("export", "--out", str(first))
    bad = first.read_text(encoding="utf-8").replace(
        "    - goal: 2\n      note:", "    - goal: 7\n      note:"
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    result = run("--db", str(tmp_path / "o" / "c.db"), "import", str(path), ok=False)
    assert "discussed[0].goal: this case has 2 goals (counted from 1)" in result.stderr
