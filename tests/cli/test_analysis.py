"""``icrctl analysis``: the Casus Plus analysis. Its texts, its numbered factors, interventions
and roles (add, edit, remove; Dutch words), every refusal (one line, nothing changed), the view
and its JSON, the internal document it writes, the internal werkplan that carries it (and the one
to send that never does), member forget, and import/export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Run, query, refused, unchanged

REF = "GO-2026-014"


@pytest.fixture
def analysed(run: Run, family: str) -> str:
    """The family with two goals and a full analysis."""
    run("goal", "add", REF, "Noor groeit veilig op", "--who", "m1")
    run("goal", "add", REF, "Schulden onder controle")
    run(
        "analysis", REF,
        "--problem", "Herhaald geweld bij ruzie over geld.",
        "--about", "m1, m2 en Noor",
        "--desired", "Rust in huis; Peter ziet Noor begeleid.",
    )  # fmt: skip
    run("analysis", "factor", REF, "m2", "risico", "Schulden; drinkt bij stress")
    run("analysis", "factor", REF, "m1", "beschermend", "Zus woont om de hoek")
    run("analysis", "factor", "add", REF, "m2", "hefboom", "De kinderen; voetbal")
    run("analysis", "factor", REF, "Sanne de Vries", "risk", "Geïsoleerd")
    run("analysis", "intervention", REF, "lang", "Schuldhulp", "--goal", "2")
    run("analysis", "intervention", REF, "kort", "Veiligheidsplan maken", "--goal", "1")
    run("analysis", "role", REF, "procesregie", "--partner", "vt-bakker", "--why", "Kent het gezin")
    run("analysis", "role", REF, "hulp Noor", "--who", "Dr. K. Smit", "--why", "Jonge kinderen")
    return REF


def shown(run: Run) -> dict[str, Any]:
    data: dict[str, Any] = run("analysis", REF, "-f", "json").json()
    return data


# ------------------------------------------------------------------ the texts


def test_a_case_without_analysis_says_how_to_start_one(run: Run, family: str) -> None:
    out = run("analysis", REF).stdout
    assert out == (
        f"{REF}  Familie De Vries\n"
        f"no analysis yet: 'icrctl analysis {REF} --problem TEXT' starts one\n"
    )
    data = shown(run)
    assert data["problem"] is None
    assert data["factors"] == []
    assert data["updated_at"] is None


def test_the_texts_are_set_read_with_names_and_cleared(run: Run, family: str) -> None:
    said = run("analysis", REF, "--problem", "Geweld\nbij ruzie", "--about", "m1 en m2").stdout
    assert said == f"updated the analysis of {REF}: problem, about\n"
    data = shown(run)
    assert data["problem"] == "Geweld\nbij ruzie"
    assert data["about"] == "m1 en m2"
    assert data["about_named"] == "Sanne de Vries en Peter de Vries"
    assert data["desired"] is None
    assert data["updated_at"].endswith("Z")
    assert "about    Sanne de Vries en Peter de Vries" in run("analysis", REF).stdout
    again = run("analysis", REF, "--about", "m1 en m2").stdout
    assert again == f"the analysis of {REF}: nothing changed\n"
    run("analysis", REF, "--problem", "")
    assert shown(run)["problem"] is None


def test_show_is_the_same_as_the_ref_alone(run: Run, analysed: str) -> None:
    assert run("analysis", "show", REF).stdout == run("analysis", REF).stdout


# ------------------------------------------------------------------ the parts, numbered


def test_factors_are_numbered_by_member_then_kind(run: Run, analysed: str) -> None:
    factors = [(f["number"], f["member"], f["kind"], f["text"]) for f in shown(run)["factors"]]
    assert factors == [
        (1, "m1", "protective", "Zus woont om de hoek"),
        (2, "m1", "risk", "Geïsoleerd"),
        (3, "m2", "risk", "Schulden; drinkt bij stress"),
        (4, "m2", "lever", "De kinderen; voetbal"),
    ]
    assert shown(run)["factors"][0]["name"] == "Sanne de Vries"


def test_adding_says_the_number_to_edit_by(run: Run, family: str) -> None:
    said = run("analysis", "factor", REF, "m3", "hefboom", "Zwemles").stdout
    assert said == f"added factor 1 to {REF}: lever of Noor de Vries\n"
    said = run("analysis", "factor", REF, "m1", "risico", "Slaapt slecht").stdout
    assert said == f"added factor 1 to {REF}: risk of Sanne de Vries\n"
    nl = run("--lang", "nl", "analysis", "factor", REF, "m1", "beschermend", "Werk").stdout
    assert nl == f"factor 1 toegevoegd aan {REF}: beschermend van Sanne de Vries\n"


def test_a_factor_is_edited_and_removed_by_its_number(run: Run, analysed: str) -> None:
    said = run("analysis", "factor", "edit", REF, "3", "--kind", "lever", "--text", "Zijn baan")
    assert said.stdout == f"updated factor 3 of {REF}: kind, text\n"
    assert run("analysis", "factor", "edit", REF, "3", "--text", "Zijn baan").stdout == (
        f"factor 3 of {REF}: nothing changed\n"
    )
    moved = run("analysis", "factor", "edit", REF, "1", "--member", "m3").stdout
    assert moved == f"updated factor 4 of {REF}: member\n", "the number it has now"
    said = run("analysis", "factor", "remove", REF, "1").stdout
    assert said == f"removed factor 1 of {REF}: risk of Sanne de Vries\n"
    factors = [(f["number"], f["member"], f["text"]) for f in shown(run)["factors"]]
    assert factors == [
        (1, "m2", "Zijn baan"),
        (2, "m2", "De kinderen; voetbal"),
        (3, "m3", "Zus woont om de hoek"),
    ]


def test_interventions_short_term_first_each_with_its_goal(run: Run, analysed: str) -> None:
    steps = [(i["number"], i["term"], i["text"], i["goal"]) for i in shown(run)["interventions"]]
    assert steps == [(1, "short", "Veiligheidsplan maken", 1), (2, "long", "Schuldhulp", 2)]
    assert shown(run)["interventions"][1]["goal_text"] == "Schulden onder controle"
    result = run("analysis", "intervention", REF, "short", "Buurtgesprek")
    assert result.stdout == f"added intervention 2 to {REF} (short)\n"
    assert result.stderr == (
        "warning: intervention 2 serves no goal yet: link one with '--goal N'\n"
    )
    said = run("analysis", "intervention", "edit", REF, "2", "--goal", "1", "--term", "lang")
    assert said.stdout == f"updated intervention 3 of {REF}: term, goal\n"
    run("analysis", "intervention", "edit", REF, "3", "--no-goal")
    assert shown(run)["interventions"][2]["goal"] is None
    assert run("analysis", "intervention", "remove", REF, "1").stdout == (
        f"removed intervention 1 of {REF}\n"
    )
    assert [i["text"] for i in shown(run)["interventions"]] == ["Schuldhulp", "Buurtgesprek"]


def test_roles_go_to_a_partner_of_the_case_or_a_named_professional(run: Run, analysed: str) -> None:
    roles = [
        (r["number"], r["role"], r["partner"], r["who"], r["name"]) for r in shown(run)["roles"]
    ]
    assert roles == [
        (1, "procesregie", "vt-bakker", None, "J. Bakker (Veilig Thuis Rotterdam Rijnmond)"),
        (2, "hulp Noor", None, "Dr. K. Smit", "Dr. K. Smit"),
    ]
    said = run("analysis", "role", "edit", REF, "1", "--who", "A. de Wit", "--why", "Is er al")
    assert said.stdout == f"updated role 1 of {REF}: partner, who, why\n"
    run("analysis", "role", "edit", REF, "2", "--partner", "vt-bakker")
    roles = [(r["partner"], r["who"], r["why"]) for r in shown(run)["roles"]]
    assert roles == [(None, "A. de Wit", "Is er al"), ("vt-bakker", None, "Jonge kinderen")]
    assert run("analysis", "role", "remove", REF, "1").stdout == f"removed role 1 of {REF}\n"
    assert [r["role"] for r in shown(run)["roles"]] == ["hulp Noor"]


def test_the_view_numbers_every_part(run: Run, analysed: str) -> None:
    out = run("analysis", REF).stdout
    for line in (
        "problem  Herhaald geweld bij ruzie over geld.",
        "about    Sanne de Vries, Peter de Vries en Noor",
        "desired  Rust in huis; Peter ziet Noor begeleid.",
        "factors",
        "1 │ m1     │ Sanne de Vries │ protective │ Zus woont om de hoek",
        "4 │ m2     │ Peter de Vries │ lever      │ De kinderen; voetbal",
        "interventions",
        "1 │ short │ Veiligheidsplan maken │ 1. Noor groeit veilig op",
        "roles",
        "2 │ hulp Noor   │ Dr. K. Smit",
    ):
        assert line in out, out


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("factor", REF, "m9", "risk", "x"), "no member 'm9' in case GO-2026-014"),
        (("factor", REF, "m1", "gevaar", "x"), "unknown factor kind 'gevaar'; expected one of:"),
        (("factor", REF, "m1", "risk", "  "), "text must not be empty"),
        (("factor", REF, "m1", "risk", "a\x07b"), "text contains a control character (U+0007)"),
        (("factor", "edit", REF, "9", "--text", "x"), "case GO-2026-014 has no factor 9;"),
        (("factor", "edit", REF, "1", "--kind", "x"), "unknown factor kind 'x'"),
        (("factor", "remove", REF, "5"), "case GO-2026-014 has no factor 5;"),
        (("intervention", REF, "morgen", "x"), "unknown term 'morgen'; expected one of:"),
        (("intervention", REF, "kort", "x", "--goal", "7"), "case GO-2026-014 has no goal 7"),
        (("intervention", "edit", REF, "1", "--goal", "1", "--no-goal"), "give --goal or"),
        (("intervention", "remove", REF, "3"), "case GO-2026-014 has no intervention 3;"),
        (("role", REF, "x", "--why", "y"), "give --partner KEY (a partner of the case) or --who"),
        (("role", REF, "x", "--partner", "vt-bakker", "--who", "Z", "--why", "y"), "one of the"),
        (("role", REF, "x", "--partner", "w-smit", "--why", "y"), "not linked to case"),
        (("role", REF, "x", "--partner", "niemand", "--why", "y"), "no partner 'niemand'"),
        (("role", REF, "x", "--who", "Z", "--why", ""), "why must not be empty"),
        (("role", "edit", REF, "1", "--partner", "vt-bakker", "--who", "Z"), "one of the two"),
        (("role", "remove", REF, "0"), "case GO-2026-014 has no role 0;"),
        ((REF, "--about", "m1\x1b[31m"), "about contains a control character"),
        (("GO-0000-000",), "no case 'GO-0000-000'"),
        ((REF, "--out", "analyse.pdf"), "unknown document type '.pdf'"),
    ],
)
def test_a_bad_input_is_one_line_and_changes_nothing(
    run: Run, analysed: str, args: tuple[str, ...], match: str
) -> None:
    run("partner", "add", "W. Smit", "--organisation", "Wijkteam", "--kind", "wijkteam")
    refused(run, "analysis", *args, match=match)


def test_a_closed_case_is_read_but_not_changed(run: Run, analysed: str, tmp_path: Path) -> None:
    run("case", "close", REF, "--summary", "klaar", "--safety", "veilig", "--force",
        "--reason", "verhuisd")  # fmt: skip
    for args in (
        (REF, "--problem", "x"),
        ("factor", REF, "m1", "risk", "x"),
        ("factor", "remove", REF, "1"),
        ("intervention", "edit", REF, "1", "--text", "x"),
        ("role", REF, "x", "--who", "y", "--why", "z"),
    ):
        refused(run, "analysis", *args, match=f"case {REF} is closed; 'icrctl case reopen' first")
    assert "Zus woont om de hoek" in run("analysis", REF).stdout
    run("analysis", REF, "--out", str(tmp_path / "analyse.md"))


def test_a_usage_error_names_the_number(run: Run, family: str) -> None:
    with unchanged():
        result = run("analysis", "factor", "remove", REF, "een", ok=False)
    assert result.exit_code == 2
    assert "'een' is not a valid integer" in result.stderr


# ------------------------------------------------------------------ the document


def test_the_document_in_markdown_holds_every_part(run: Run, analysed: str, tmp_path: Path) -> None:
    out = tmp_path / "analyse.md"
    said = run("--lang", "nl", "analysis", REF, "--out", str(out)).stdout
    assert said == f"analyse van {REF} geschreven naar {out} (intern: niet versturen)\n"
    text = out.read_text(encoding="utf-8")
    assert text.startswith(
        "# Casus Plus-analyse Familie De Vries\n\n- **Naam:** Familie De Vries\n"
    )
    for part in (
        "- **Intensief casusregisseur (ICR):** A. Jansen",
        "*Intern document voor het eigen dossier van de casusregisseur: het noemt risicofactoren "
        "per betrokkene. Niet versturen.*",
        "## Het probleem\n\nHerhaald geweld bij ruzie over geld.\n\n"
        "Over wie: Sanne de Vries, Peter de Vries en Noor\n",
        "## Beschermende factoren, risicofactoren en hefbomen per betrokkene\n\n"
        "| Betrokkene | Soort | Factor |\n|---|---|---|\n"
        "| Sanne de Vries | Beschermende factor | Zus woont om de hoek |\n"
        "| Sanne de Vries | Risicofactor | Geïsoleerd |\n"
        "| Peter de Vries | Risicofactor | Schulden; drinkt bij stress |\n"
        "| Peter de Vries | Hefboom | De kinderen; voetbal |\n",
        "## De gewenste situatie, als alles mogelijk zou zijn\n\n"
        "Rust in huis; Peter ziet Noor begeleid.\n",
        "## Interventies\n\n| Termijn | Interventie | Doel |\n|---|---|---|\n"
        "| Korte termijn | Veiligheidsplan maken | 1\\. Noor groeit veilig op |\n"
        "| Lange termijn | Schuldhulp | 2\\. Schulden onder controle |\n",
        "## Rollen: wie past het best, en waarom\n\n| Rol | Professional | Waarom |\n"
        "|---|---|---|\n"
        "| procesregie | J. Bakker (Veilig Thuis Rotterdam Rijnmond) | Kent het gezin |\n"
        "| hulp Noor | Dr. K. Smit | Jonge kinderen |\n",
    ):
        assert part in text, part
    assert out.stat().st_mode & 0o777 == 0o600


def test_the_empty_form_prints_for_the_meeting(run: Run, family: str, tmp_path: Path) -> None:
    out = tmp_path / "leeg.md"
    run("analysis", REF, "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "## The problem\n\n*Not filled in yet.*\n" in text
    assert "No factors recorded yet." in text
    assert "No roles recorded yet." in text


def test_the_html_document_is_escaped_hyphenated_and_internal(
    run: Run, family: str, tmp_path: Path
) -> None:
    run("analysis", REF, "--problem", "<script>alert(1)</script> & meer; mail a@b.example.org")
    run("analysis", "factor", REF, "m1", "risk", "<b>vet</b>")
    out = tmp_path / "analyse.html"
    run("--lang", "nl", "analysis", REF, "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert "hyphens: auto" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer" in page
    assert '<span class="address">a@b.example.org</span>' in page
    assert "<td>&lt;b&gt;vet&lt;/b&gt;</td>" in page
    assert "<script>" not in page
    assert "<b>" not in page
    assert '<p class="warning">Intern document' in page


def test_writing_is_audited_as_internal_and_never_overwrites(
    run: Run, analysed: str, tmp_path: Path
) -> None:
    out = tmp_path / "analyse.html"
    run("analysis", REF, "--out", str(out))
    entries = run("audit", REF, "-f", "json").json()
    assert [(e["action"], e["entity"], e["fields"]) for e in entries[-1:]] == [
        ("document", "analysis", "internal")
    ]
    before = out.read_bytes()
    refused(run, "analysis", REF, "--out", str(out), match="--force")
    assert out.read_bytes() == before
    run("analysis", REF, "--desired", "Alles goed", "--out", str(out), "--force")
    assert "Alles goed" in out.read_text(encoding="utf-8")


def test_every_change_is_audited_without_its_text(run: Run, analysed: str) -> None:
    entries = [
        (e["action"], e["entity"], e["fields"]) for e in run("audit", REF, "-f", "json").json()
    ]
    assert ("update", "analysis", "about,desired,problem") in entries
    assert ("create", "analysis_factor", "kind,member,text") in entries
    assert ("create", "intervention", "goal,term,text") in entries
    assert ("create", "role_fit", "partner,role,who,why") in entries
    run("analysis", "factor", "remove", REF, "1")
    last = run("audit", REF, "-f", "json").json()[-1]
    assert (last["action"], last["entity"]) == ("delete", "analysis_factor")
    assert "Zus" not in str(run("audit", REF, "-f", "json").json())


# ------------------------------------------------------------------ the werkplan


def test_the_internal_werkplan_carries_the_analysis_the_one_to_send_never(
    run: Run, analysed: str, tmp_path: Path
) -> None:
    internal, sent, partner = (tmp_path / n for n in ("eigen.md", "plan.md", "vt.md"))
    run("--lang", "nl", "werkplan", REF, "--internal", "--out", str(internal))
    run("--lang", "nl", "werkplan", REF, "--out", str(sent))
    run("--lang", "nl", "werkplan", REF, "--for", "vt-bakker", "--out", str(partner))
    text = internal.read_text(encoding="utf-8")
    section = text[text.index("## Casus Plus-analyse (intern, niet voor verspreiding)") :]
    assert section.index("### Het probleem") < section.index("### Interventies")
    assert "| Peter de Vries | Risicofactor | Schulden; drinkt bij stress |" in section
    assert section.index("### Rollen") < section.index("## Veiligheidssignalen")
    for document in (sent, partner):
        shared = document.read_text(encoding="utf-8")
        assert "Casus Plus" not in shared
        assert "Schulden; drinkt" not in shared
        assert "Risicofactor" not in shared


def test_the_internal_werkplan_of_a_case_without_analysis_has_no_section(
    run: Run, family: str, tmp_path: Path
) -> None:
    out = tmp_path / "eigen.html"
    run("werkplan", REF, "--internal", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert "Casus Plus" not in page
    assert "Safety signals (internal, not for distribution)" in page


def test_the_internal_werkplan_in_html_nests_the_analysis(
    run: Run, analysed: str, tmp_path: Path
) -> None:
    out = tmp_path / "eigen.html"
    run("werkplan", REF, "--internal", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert (
        "<h2>Casus Plus analysis (internal, not for distribution)</h2>\n<h3>The problem</h3>"
        in page
    )
    assert "<td>Lever</td><td>De kinderen; voetbal</td>" in page


# ------------------------------------------------------------------ erasure


def test_forgetting_a_member_erases_their_factors_and_name(run: Run, analysed: str) -> None:
    run(
        "analysis",
        "role",
        REF,
        "steun Sanne",
        "--who",
        "Buurvrouw",
        "--why",
        "Sanne vertrouwt haar",
    )
    run("member", "forget", REF, "m1", "--reason", "verzoek art. 17 AVG")
    data = shown(run)
    assert [f["member"] for f in data["factors"]] == ["m2", "m2"]
    assert data["roles"][-1]["role"] == "steun [verwijderd]"
    assert data["roles"][-1]["why"] == "[verwijderd] vertrouwt haar"


# ------------------------------------------------------------------ import and export


def test_export_writes_the_analysis_and_the_round_trip_is_identical(
    run: Run, analysed: str, tmp_path: Path
) -> None:
    first = run("export", "--case", REF).stdout
    section = first[first.index("  analysis:\n") :]
    assert section.startswith(
        "  analysis:\n"
        "    problem: Herhaald geweld bij ruzie over geld.\n"
        "    about: m1, m2 en Noor\n"
        "    desired: Rust in huis; Peter ziet Noor begeleid.\n"
        "    factors:\n"
        "    - member: m1\n"
        "      kind: protective\n"
        "      text: Zus woont om de hoek\n"
    )
    assert (
        "    interventions:\n"
        "    - term: short\n      text: Veiligheidsplan maken\n      goal: 1\n"
        "    - term: long\n      text: Schuldhulp\n      goal: 2\n"
        "    roles:\n"
        "    - role: procesregie\n      partner: vt-bakker\n      why: Kent het gezin\n"
        "    - role: hulp Noor\n      who: Dr. K. Smit\n      why: Jonge kinderen\n"
    ) in section
    other = tmp_path / "other" / "caseload.db"
    run("--db", str(other), "import", "-", input=first)
    assert run("--db", str(other), "export").stdout == first
    assert run("--db", str(other), "analysis", REF).stdout == run("analysis", REF).stdout
    with unchanged(other):
        again = run("--db", str(other), "import", "-", input=first).stdout
    assert again.endswith("nothing to change\n")
    assert run("import", "-", input=first).stdout.endswith("nothing to change\n")


def test_a_case_without_analysis_exports_none(run: Run, family: str) -> None:
    assert "analysis" not in run("export").stdout


def test_a_role_s_partner_unlinked_since_goes_with_the_case(
    run: Run, analysed: str, tmp_path: Path
) -> None:
    run("partner", "unlink", REF, "vt-bakker")
    one = run("export", "--case", REF).stdout
    assert one.startswith("version: 1\npartners:\n- key: vt-bakker\n")
    other = tmp_path / "other" / "caseload.db"
    run("--db", str(other), "import", "-", input=one)
    assert run("--db", str(other), "export").stdout == one


BAD = """\
version: 1
cases:
  - ref: GO-2026-050
    title: Familie West
    opened: 2026-05-01
    phase: 2
    members:
      - {key: m1, name: Eva West, role: slachtoffer}
    goals:
      - {goal: Veilig thuis}
    analysis:
      problem: "ruzie"
      factors:
        - {member: m7, kind: risico, text: schulden}
        - {member: m1, kind: gevaar, text: x}
        - {member: m1, kind: hefboom}
      interventions:
        - {term: kort, text: plan, goal: 2}
        - {term: soms, text: y}
      roles:
        - {role: procesregie, partner: vt-bakker, who: Iemand, why: z}
        - {role: hulp, partner: nergens, why: z}
      extra: 1
"""


def test_an_import_names_every_fault_of_the_analysis(run: Run, family: str) -> None:
    with unchanged():
        result = run("import", "-", input=BAD, ok=False)
    lines = result.stderr.splitlines()
    for expected in (
        "<stdin>:15: cases[0].analysis.factors[1].kind: unknown factor kind 'gevaar'; expected",
        "<stdin>:16: cases[0].analysis.factors[2].text: required",
        "<stdin>:19: cases[0].analysis.interventions[1].term: unknown term 'soms'; expected",
        "<stdin>:21: cases[0].analysis.roles[0]: give partner: KEY or who: NAME, one of the two",
        "<stdin>:23: cases[0].analysis.extra: unknown field (allowed: problem, about, desired, "
        "factors, interventions, roles)",
        "<stdin>:18: cases[0].analysis.interventions[0].goal: this case has 1 goal in the file "
        "(counted from 1)",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    assert lines[-1] == "error: 6 errors; nothing was imported"


def test_an_import_checks_members_and_partners_against_the_case_file(run: Run, family: str) -> None:
    text = BAD.split("      factors:\n")[0] + (
        "      factors:\n"
        "        - {member: m7, kind: risico, text: schulden}\n"
        "      roles:\n"
        "        - {role: hulp, partner: nergens, why: z}\n"
    )
    with unchanged():
        result = run("import", "-", input=text, ok=False)
    assert result.stderr.splitlines() == [
        "<stdin>:14: cases[0].analysis.factors[0].member: no member with key m7 in this case",
        "<stdin>:16: cases[0].analysis.roles[0].partner: no partner 'nergens' in the file's "
        "partners or in the case file's directory",
        "error: 2 errors; nothing was imported",
    ]


def test_an_import_links_an_intervention_to_a_goal_it_adds(run: Run, analysed: str) -> None:
    """A matched intervention whose goal is new in the same import gets that goal's number."""
    text = run("export", "--case", REF).stdout
    text = text.replace(
        "  - goal: Schulden onder controle\n",
        "  - goal: Schulden onder controle\n  - goal: Werk gevonden\n",
    ).replace("      text: Schuldhulp\n      goal: 2\n", "      text: Schuldhulp\n      goal: 3\n")
    assert "goal: 3" in text
    said = run("import", "-", input=text).stdout
    assert "1 goals" in said
    assert "1 interventions" in said
    steps = {i["text"]: (i["goal"], i["goal_text"]) for i in shown(run)["interventions"]}
    assert steps["Schuldhulp"] == (3, "Werk gevonden")
    assert "      text: Schuldhulp\n      goal: 3\n" in run("export", "--case", REF).stdout


# ------------------------------------------------------------------ doctor


def test_doctor_finds_an_analysis_that_names_another_case(
    run: Run, analysed: str, db_path: Path
) -> None:

    assert run("doctor").exit_code == 0
    run("case", "create", "GO-2026-099", "--title", "Ander", "--opened", "2026-03-02",
        "--phase", "2")  # fmt: skip
    run("member", "add", "GO-2026-099", "Iemand", "--role", "victim")
    query("UPDATE analysis_factors SET member_id = (SELECT MAX(id) FROM members)")
    out = run("doctor", ok=False).stdout
    assert "the analysis names members and goals of its  │ PROBLEM │ analysis factor 1," in out
