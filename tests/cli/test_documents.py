"""``icrctl werkplan`` and ``icrctl report``: the documents a practitioner mails or files."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.helpers import Run, refused, usage_error

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

SIGNAL = "Peter stuurt Sanne dreigende berichten via Instagram."
NOTE = "Huisbezoek: Noor slaapt slecht."
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def plan(run: Run, family: str) -> str:
    """The family with a werkplan's worth: partners with and without consent, a grandmother in
    the network, goals, a contact note, a safety signal and an evaluation rhythm."""
    ref = family
    run("partner", "edit", "vt-bakker", "--email", "j.bakker@example.org", "--phone",
        "010-1234567", "--reachable", "mon,thu")  # fmt: skip
    run("partner", "link", ref, "vt-bakker", "--coordination", "1x per 2 weken telefonisch")
    run("partner", "add", "L. Groen", "--organisation", "Basisschool De Linde", "--kind",
        "school", "--key", "school-groen", "--email", "l.groen@example.org")  # fmt: skip
    run("partner", "link", ref, "school-groen", "--role", "leerkracht Noor", "--consent",
        "--coordination", "Maandelijks contact")  # fmt: skip
    run("partner", "add", "R. Hendriks", "--organisation", "GGZ Delfland", "--kind",
        "mental_health", "--key", "ggz-hendriks", "--phone", "015-7654321")  # fmt: skip
    run("partner", "link", ref, "ggz-hendriks", "--role", "behandelaar Peter", "--no-consent",
        "--coordination", "Geen uitwisseling zonder toestemming")  # fmt: skip
    run("partner", "add", "K. Vos", "--organisation", "Politie", "--kind", "police", "--key",
        "wijkagent-vos")  # fmt: skip
    run("member", "add", ref, "Oma Truus", "--role", "grandparent", "--key", "oma",
        "--outside-household", "--phone", "06-11112222")  # fmt: skip
    run("goal", "add", ref, "Sanne en Noor zijn thuis veilig", "--who", "Sanne, Veilig Thuis",
        "--what", "Veiligheidsplan opstellen", "--due", "2026-12-31")  # fmt: skip
    run("goal", "add", ref, "Peter leert omgaan met boosheid", "--who", "Peter")
    run("goal", "add", ref, "Verhuizen naar een grotere woning")
    run("goal", "done", ref, "3", "--dropped", "--date", "2026-11-20")
    run("log", ref, NOTE, "--kind", "visit", "--with", "m1,m3", "--date", "2026-11-10")
    run("log", ref, SIGNAL, "--kind", "message", "--with", "m1", "--signal", "--date",
        "2026-11-12")  # fmt: skip
    run("eval", "schedule", ref, "--every", "2w", "--weekday", "tue", "--time", "14:30",
        "--start", "2026-11-03", "--with", "m1,vt-bakker")  # fmt: skip
    return ref


def write(run: Run, *args: str) -> str:
    """Write a document in Dutch, the language of the template and the default (the suite runs
    in English), and return it."""
    out = Path(args[args.index("--out") + 1])
    run("--lang", "nl", *args)
    data = out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o600
    return data


def squash(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ the werkplan


def test_werkplan_markdown_follows_the_template(run: Run, plan: str, tmp_path: Path) -> None:
    out = tmp_path / "werkplan.md"
    result = run("werkplan", plan, "--out", str(out))
    assert result.stdout == f"wrote the werkplan of {plan} to {out}\n"
    text = write(run, "werkplan", plan, "--out", str(out), "--force")
    lines = text.splitlines()
    assert lines[0] == "# Werkplan Familie De Vries"
    assert "- **Naam:** Familie De Vries" in lines
    assert "- **Datum:** 25-11-2026" in lines
    assert "- **Intensief casusregisseur (ICR):** A. Jansen" in lines
    assert "- **Casusregie:** A. Jansen, intensief casusregisseur (ICR)" in lines
    assert "- **Fase regiekaart:** 2: Er zijn zorgen en er is hulp nodig" in lines
    assert "| Sanne de Vries | slachtoffer | 14-05-1988 | ja |" in lines
    assert "| Peter de Vries | pleger | – | nee |" in lines
    assert (
        "## Betrokken professionals en anderen (netwerk) die belangrijk zijn voor het gezin"
        in lines
    )
    assert (
        "| Naam betrokkene | Relatie tot het gezin en/of instantie | Mailadres | Telefoonnummer "
        "| Op welke dagen goed bereikbaar |" in lines
    )
    assert (
        "| J. Bakker | Veilig Thuis Rotterdam Rijnmond: veiligheidsplan | j.bakker@example.org "
        "| 010-1234567 | ma, do |" in lines
    )
    assert (
        "| R. Hendriks (geen toestemming informatiedeling) | GGZ Delfland: behandelaar Peter "
        "| – | 015-7654321 | – |" in lines
    )
    assert "| Oma Truus | grootouder | – | 06-11112222 | – |" in lines
    assert "wijkagent-vos" not in text  # not linked to this case
    assert "K. Vos" not in text
    assert "## Afspraken over afstemming" in lines
    assert "| J. Bakker | 1x per 2 weken telefonisch |" in lines
    assert "| L. Groen | Maandelijks contact |" in lines
    assert "Evaluatie om de 2 weken op dinsdag om 14:30, vanaf 03-11-2026" in lines
    assert "## Doelen en afspraken" in lines
    assert "| Doel | Wie doet | Wat | Uiterlijk | Status |" in lines
    assert (
        "| Sanne en Noor zijn thuis veilig | Sanne, Veilig Thuis | Veiligheidsplan opstellen "
        "| 31-12-2026 | open |" in lines
    )
    assert "| Peter leert omgaan met boosheid | Peter | – | – | open |" in lines
    assert "Verhuizen" not in text  # a dropped goal is no longer part of the plan
    assert text.index("## Afspraken over afstemming") < text.index("## Doelen en afspraken")
    # the werkplan to send holds no safety signals and no contact notes; the practitioner's own
    # copy (--internal) keeps the signals, marked internal, never the contact notes
    assert "Veiligheidssignalen" not in text
    assert SIGNAL not in text
    assert NOTE not in text
    own = write(run, "werkplan", plan, "--internal", "--out", str(out), "--force")
    assert "## Veiligheidssignalen (intern, niet voor verspreiding)" in own.splitlines()
    assert SIGNAL in own
    assert NOTE not in own


def test_werkplan_html(run: Run, plan: str, tmp_path: Path) -> None:
    page = write(run, "werkplan", plan, "--out", str(tmp_path / "werkplan.html"))
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in page
    assert "<title>Werkplan Familie De Vries</title>" in page
    assert "@page { size: A4" in page
    assert "<dt>Datum</dt><dd>25-11-2026</dd>" in page
    for external in ("http", "src=", "<link", "<script", "@import", "url("):
        assert external not in page, external
    assert "<th>Naam betrokkene</th>" in page
    assert "<td>R. Hendriks (geen toestemming informatiedeling)</td>" in page
    assert "<th>Doel</th><th>Wie doet</th><th>Wat</th>" in page
    assert "<p>Evaluatie om de 2 weken op dinsdag om 14:30, vanaf 03-11-2026</p>" in page


def test_werkplan_of_an_empty_case(run: Run, tmp_path: Path) -> None:
    run("case", "create", "GO-2026-020", "--title", "Familie Leeg", "--opened", "2026-11-01")
    text = write(run, "werkplan", "GO-2026-020", "--out", str(tmp_path / "w.md"))
    assert "Nog geen gezinsleden vastgelegd." in text
    assert "Nog geen betrokkenen vastgelegd." in text
    assert "Nog geen afspraken over afstemming." in text
    assert "*Nog geen vaste evaluatiemomenten gepland.*" in text
    assert "Nog geen doelen vastgelegd." in text
    assert "Veiligheidssignalen" not in text


def test_werkplan_shows_only_the_current_rhythm(run: Run, family: str, tmp_path: Path) -> None:
    run("eval", "schedule", family, "--every", "1w", "--weekday", "mon", "--start", "2026-09-07",
        "--until", "2026-10-26")  # fmt: skip
    run("eval", "schedule", family, "--every", "2w", "--weekday", "tue", "--start", "2026-09-01")
    run("eval", "stop", family, "--from", "2026-11-01")
    run("eval", "schedule", family, "--every", "1m", "--start", "2026-11-05", "--time", "09:00",
        "--until", "2027-06-30")  # fmt: skip
    text = write(run, "werkplan", family, "--out", str(tmp_path / "w.md"))
    rhythm = [line for line in text.splitlines() if line.startswith("Evaluatie ")]
    assert rhythm == ["Evaluatie elke maand om 09:00, vanaf 05-11-2026 tot en met 30-06-2027"]


def test_werkplan_for_a_partner_with_consent(run: Run, plan: str, tmp_path: Path) -> None:
    out = tmp_path / "werkplan-school.md"
    text = write(run, "werkplan", plan, "--for", "school-groen", "--out", str(out))
    assert "Versie voor een ketenpartner" in text
    assert SIGNAL not in text
    assert "Instagram" not in text
    assert NOTE not in text
    assert "Veiligheidssignalen" not in text
    assert "Hendriks" not in text
    assert "GGZ Delfland" not in text
    assert "015-7654321" not in text
    assert "Geen uitwisseling zonder toestemming" not in text
    assert "1 betrokken professional(s) zonder toestemming" in text
    assert "14-05-1988" not in text  # names and roles, no dates of birth
    assert "| Sanne de Vries | slachtoffer | – | ja |" in text
    assert "| L. Groen | Basisschool De Linde: leerkracht Noor |" in text
    assert "| Sanne en Noor zijn thuis veilig |" in text
    assert "Evaluatie om de 2 weken op dinsdag om 14:30" in text
    page = write(
        run, "werkplan", plan, "--for", "J. Bakker", "--out", str(tmp_path / "vt.html")
    )  # a partner by name
    for absent in (SIGNAL, "Instagram", NOTE, "Hendriks", "Veiligheidssignalen"):
        assert absent not in page, absent
    assert "Versie voor een ketenpartner" in page


REFUSED_FOR = {
    "ggz-hendriks": "the client has not consented to share information with R. Hendriks",
    "R. Hendriks": "'icrctl partner link GO-2026-014 ggz-hendriks --consent'",
    "wijkagent-vos": "partner wijkagent-vos is not linked to case GO-2026-014",
    "nobody": "no partner 'nobody'",
}


def test_werkplan_for_is_refused_without_consent_or_link(
    run: Run, plan: str, tmp_path: Path
) -> None:
    for partner, match in REFUSED_FOR.items():
        for suffix in (".md", ".html"):
            out = tmp_path / f"werkplan{suffix}"
            args = ("werkplan", plan, "--for", partner, "--out", str(out))
            refused(run, *args, match=match)
            assert not out.exists()
    # no temporary file left either (data/ holds an SQLite case file)
    assert [p for p in tmp_path.iterdir() if p.name != "data"] == []


def test_werkplan_for_after_consent_is_given(run: Run, plan: str, tmp_path: Path) -> None:
    run("partner", "link", plan, "ggz-hendriks", "--consent")
    text = write(run, "werkplan", plan, "--for", "ggz-hendriks", "--out", str(tmp_path / "g.md"))
    assert "R. Hendriks |" in text
    assert "geen toestemming" not in text
    assert SIGNAL not in text


def test_werkplan_escapes_names(run: Run, family: str, tmp_path: Path) -> None:
    run("member", "add", family, SCRIPT, "--role", "network", "--key", "x")
    run("member", "add", family, "Jan | de [Wit](x) & Zn.", "--role", "family", "--key", "jan")
    run("goal", "add", family, "--who", "<b>Sanne</b>", "--", "- geen lijst\n1. ook niet")
    page = write(run, "werkplan", family, "--out", str(tmp_path / "w.html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    assert "<b>" not in page
    assert "Jan | de [Wit](x) &amp; Zn." in page
    assert "- geen lijst<br>1. ook niet" in page
    cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", page)]
    assert SCRIPT in cells
    text = write(run, "werkplan", family, "--out", str(tmp_path / "w.md"))
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "<script>" not in text
    assert "Jan \\| de \\[Wit\\](x) \\& Zn." in text
    assert "\\<b\\>Sanne\\</b\\>" in text
    assert "\\- geen lijst 1\\. ook niet" in text  # a table cell: one line


def test_werkplan_files(run: Run, family: str, tmp_path: Path) -> None:
    out = tmp_path / "werkplan.md"
    out.write_text("eerdere versie\n")
    out.chmod(0o644)
    refused(run, "werkplan", family, "--out", str(out), match="exists; give --force")
    assert out.read_text() == "eerdere versie\n"
    run("werkplan", family, "--out", str(out), "--force")
    assert out.read_text().startswith("# Werkplan Familie De Vries")
    assert out.stat().st_mode & 0o777 == 0o600
    for name in ("werkplan.pdf", "werkplan.txt", "werkplan"):
        refused(
            run, "werkplan", family, "--out", str(tmp_path / name),
            match="unknown document type",
        )  # fmt: skip
        assert not (tmp_path / name).exists()
    refused(
        run, "werkplan", family, "--out", str(tmp_path / "nope" / "w.md"),
        match="does not exist",
    )  # fmt: skip
    refused(run, "werkplan", "NOPE-1", "--out", str(tmp_path / "n.md"), match="no case")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["werkplan.md"]


def test_werkplan_needs_out(run: Run, family: str) -> None:
    usage_error(run, "werkplan", family)


def test_documents_are_deterministic(run: Run, plan: str, tmp_path: Path) -> None:
    """Dated by the pinned day, never by the clock: two runs write the same bytes."""
    for kind in ("werkplan", "report"):
        for suffix in (".md", ".html"):
            first = write(run, kind, plan, "--out", str(tmp_path / f"{kind}1{suffix}"))
            second = write(run, kind, plan, "--out", str(tmp_path / f"{kind}2{suffix}"))
            assert first == second
            assert set(re.findall(r"\b\d{2}:\d{2}\b", first)) <= {"14:30"}


# ------------------------------------------------------------------ the closing report


def closed_case(run: Run, ref: str) -> None:
    run("case", "stage", ref, "analysis", "--date", "2026-11-02")
    run("case", "stage", ref, "execution", "--date", "2026-11-02")
    run("phase", "set", ref, "3", "--reason", "Nieuw incident", "--date", "2026-11-05")
    run("eval", "record", ref, "--date", "2026-11-03", "--attended", "m1,vt-bakker", "--refused",
        "m2", "--risk", "4", "--self-reliance", "2")  # fmt: skip
    run("eval", "cancel", ref, "2026-11-17", "--reason", "ziek")
    run("eval", "record", ref, "--date", "2026-11-10", "--attended", "m1", "--risk", "3",
        "--self-reliance", "3", "--note", "Extra overleg na het incident.")  # fmt: skip
    run("goal", "done", ref, "1", "--date", "2026-11-20")
    run("phase", "set", ref, "2", "--reason", "Rust in het gezin", "--date", "2026-11-21")
    run("case", "stage", ref, "aftercare", "--date", "2026-11-21")
    run("case", "close", ref, "--date", "2026-11-24",
        "--summary", "Doelen bereikt; Sanne voert zelf de regie.",
        "--safety", "Geen incidenten sinds 5 november; veiligheidsplan blijft.",
        *CLOSE_ANYWAY)  # fmt: skip


def test_report_markdown(run: Run, plan: str, tmp_path: Path) -> None:
    closed_case(run, plan)
    out = tmp_path / "eindrapport.md"
    result = run("report", plan, "--out", str(out))
    assert result.stdout == f"wrote the closing report of {plan} to {out}\n"
    text = write(run, "report", plan, "--out", str(out), "--force")
    lines = text.splitlines()
    assert lines[0] == "# Eindrapport Familie De Vries"
    assert "concept" not in text
    for fact in (
        "- **Casus:** GO-2026-014",
        "- **Geopend:** 02-03-2026",
        "- **Afgesloten:** 24-11-2026",
        "- **Intensief casusregisseur (ICR):** A. Jansen",
        "- **Casusregie:** A. Jansen, intensief casusregisseur (ICR)",
        "- **Procesregie:** niemand genoemd",
        "- **Verwijzer:** Veilig Thuis",
        "- **Kader:** vrijwillig",
        "- **Datum rapport:** 25-11-2026",
    ):
        assert fact in lines
    # phases and stages with their dates
    assert "| 02-03-2026 | 2: Er zijn zorgen en er is hulp nodig | casus geopend |" in lines
    assert "| 05-11-2026 | 3: Er is (ook) onveiligheid | Nieuw incident |" in lines
    assert "| 21-11-2026 | 2: Er zijn zorgen en er is hulp nodig | Rust in het gezin |" in lines
    stages = ["inventarisatie", "uitvoering en evaluatie", "nazorg", "afgesloten"]
    dates = ["02-03-2026", "02-11-2026", "21-11-2026", "24-11-2026"]
    reasons = ["", "", "", "gezin verhuisd"]  # closed despite its closing checklist
    for day, stage, reason in zip(dates, stages, reasons, strict=True):
        assert f"| {day} | {stage} | {reason} |".replace("|  |", "| |") in [
            line.replace("|  |", "| |") for line in lines
        ]
    # goals and their outcome, dropped ones included
    assert (
        "| Sanne en Noor zijn thuis veilig | Sanne, Veilig Thuis | behaald | 20-11-2026 |" in lines
    )
    assert "| Peter leert omgaan met boosheid | Peter | open | 25-11-2026 |" in lines
    assert "| Verhuizen naar een grotere woning | – | vervallen | 20-11-2026 |" in lines
    # the evaluations held, not the cancelled one; an extra meeting marked as such
    # every meeting with who attended, was absent and refused, by name
    assert (
        "| 03-11-2026 | 4 | 2 | Sanne de Vries, J. Bakker (Veilig Thuis Rotterdam Rijnmond) | – "
        "| Peter de Vries |" in lines
    )
    assert "| 10-11-2026 (extra) | 3 | 3 | Sanne de Vries | – | – |" in lines
    assert "17-11-2026" not in text
    assert (
        "Veiligheidsrisico: dalend, van 4 naar 3 over 2 evaluaties; "
        "zelfredzaamheid: stijgend, van 2 naar 3 over 2 evaluaties." in lines
    )
    assert "Contacten vastgelegd: 2, waarvan veiligheidssignalen: 1." in lines
    assert "Doelen bereikt; Sanne voert zelf de regie." in lines
    assert "Geen incidenten sinds 5 november; veiligheidsplan blijft." in lines
    assert text.index("## Afsluiting") < text.index("## Veiligheid\n")
    assert SIGNAL not in text  # counted, not quoted
    assert NOTE not in text


def test_report_html(run: Run, plan: str, tmp_path: Path) -> None:
    closed_case(run, plan)
    page = write(run, "report", plan, "--out", str(tmp_path / "eindrapport.html"))
    assert "<title>Eindrapport Familie De Vries</title>" in page
    assert "@page { size: A4" in page
    for external in ("http", "src=", "<link", "<script", "@import", "url("):
        assert external not in page, external
    assert (
        "<h2>Veiligheid</h2>\n<p>Geen incidenten sinds 5 november; veiligheidsplan blijft.</p>"
        in page
    )
    assert '<td class="nowrap">10-11-2026 (extra)</td>' in page
    assert "<h2>Evaluaties</h2>" in page


def test_report_of_an_open_case_is_a_draft(run: Run, plan: str, tmp_path: Path) -> None:
    result = run("report", plan, "--out", str(tmp_path / "concept.md"))
    assert squash(result.stdout).endswith("(a draft: the case is not closed)")
    text = write(run, "report", plan, "--out", str(tmp_path / "concept.md"), "--force")
    assert text.splitlines()[0] == (
        "# Eindrapport Familie De Vries (concept: casus nog niet afgesloten)"
    )
    assert "- **Afgesloten:** –" in text
    assert text.count("*Nog niet ingevuld: wordt vastgelegd bij het afsluiten.*") == 2
    assert "Geen evaluaties gehouden." in text
    assert "Veiligheidsrisico: niet beoordeeld" in text
    page = write(run, "report", plan, "--out", str(tmp_path / "concept.html"))
    assert "<h1>Eindrapport Familie De Vries (concept: casus nog niet afgesloten)</h1>" in page
    assert '<p class="warning">Nog niet ingevuld' in page


def test_report_after_reopening_is_a_draft_again(run: Run, plan: str, tmp_path: Path) -> None:
    closed_case(run, plan)
    run("case", "reopen", plan, "--reason", "Nieuwe melding")
    text = write(run, "report", plan, "--out", str(tmp_path / "r.md"))
    assert "(concept: casus nog niet afgesloten)" in text.splitlines()[0]
    assert "Doelen bereikt; Sanne voert zelf de regie." not in text


def test_report_escapes(run: Run, family: str, tmp_path: Path) -> None:
    run("case", "close", family, "--summary", f"Samenvatting {SCRIPT}", "--safety",
        "- geen lijst\n[link](x) & meer", *CLOSE_ANYWAY)  # fmt: skip
    page = write(run, "report", family, "--out", str(tmp_path / "r.html"))
    assert "<script" not in page
    assert "Samenvatting &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<p>- geen lijst<br>[link](x) &amp; meer</p>" in page
    text = write(run, "report", family, "--out", str(tmp_path / "r.md"))
    assert "Samenvatting \\<script\\>alert(1)\\</script\\>" in text
    assert "\\- geen lijst  \n\\[link\\](x) \\& meer" in text


def test_report_files(run: Run, family: str, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    run("report", family, "--out", str(out))
    refused(run, "report", family, "--out", str(out), match="exists; give --force")
    run("report", family, "--out", str(out), "--force")
    refused(run, "report", family, "--out", str(tmp_path / "r.pdf"), match="unknown")
    assert not (tmp_path / "r.pdf").exists()
    refused(run, "report", "NOPE-1", "--out", str(tmp_path / "n.md"), match="no case")
