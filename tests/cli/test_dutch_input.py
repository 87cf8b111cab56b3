"""Dutch input everywhere, through the command line and the import file: the words a practitioner
types (``oma``, ``moeder_van``, ``wijkteam``, ``opvoeding``, ``ma t/m do``) are read, stored and
printed as the canonical English word, and an unknown word is refused with the accepted words in
both languages."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.helpers import Run, refused

REF = "GO-2026-070"


def test_a_family_entered_in_dutch(run: Run) -> None:
    run(
        "case", "create", REF, "--title", "Familie Smit", "--opened", "2026-09-01",
        "--framework", "vrijwillig kader", "--regie", "Cliënt",
        "--domains", "opvoeding,Psychische gezondheid,financien,wonen",
        "--violence", "lichamelijk,belaging",
    )  # fmt: skip
    run("member", "add", REF, "Riet Smit", "--role", "oma")
    run("member", "add", REF, "Kees Smit", "--role", "Opa")
    run("member", "add", REF, "Sanne Smit", "--role", "slachtoffer")
    run("member", "add", REF, "Noor Smit", "--role", "dochter")
    run("member", "relate", REF, "m3", "moeder_van", "m4")
    run("member", "relate", REF, "m1", "moeder van", "m3")
    run("member", "relate", REF, "m1", "partner_van", "m2")
    case = run("case", "show", REF, "-f", "json").json()
    assert case["framework"] == "voluntary"
    assert case["regie"] == "client"
    assert case["domains"] == ["parenting", "mental_health", "finances", "housing"]
    assert case["violence"] == ["physical", "stalking"]
    assert [m["role"] for m in case["members"]] == ["grandparent", "grandparent", "victim", "child"]
    assert case["relations"] == [
        {"member": "m3", "kind": "parent_of", "other": "m4"},
        {"member": "m1", "kind": "parent_of", "other": "m3"},
        {"member": "m1", "kind": "partner", "other": "m2"},
    ]
    rows = list(csv.DictReader(io.StringIO(run("member", "list", REF, "-f", "csv").stdout)))
    assert [r["role"] for r in rows] == ["grandparent", "grandparent", "victim", "child"]


def test_the_neighbourhood_team_is_a_partner_kind(run: Run) -> None:
    run(
        "partner", "add", "P. de Jong", "--organisation", "Sociaal wijkteam Middelharnis",
        "--kind", "wijkteam", "--reachable", "ma t/m do", "--key", "wt-dejong",
    )  # fmt: skip
    run("partner", "add", "J. Bakker", "--organisation", "GGD", "--kind", "consultatiebureau",
        "--reachable", "di,vr t/m ma", "--key", "jgz-bakker")  # fmt: skip
    partners = {p["key"]: p for p in run("partner", "list", "-f", "json").json()}
    assert partners["wt-dejong"]["kind"] == "neighbourhood_team"
    assert partners["wt-dejong"]["reachable"] == ["mon", "tue", "wed", "thu"]
    assert partners["jgz-bakker"]["kind"] == "youth_health"
    assert partners["jgz-bakker"]["reachable"] == ["tue", "fri", "sat", "sun", "mon"]
    run("partner", "edit", "wt-dejong", "--reachable", "maandag tot en met woensdag")
    assert run("partner", "list", "-f", "json").json()[1]["reachable"] == ["mon", "tue", "wed"]


def test_unknown_words_are_refused_in_both_languages(run: Run) -> None:
    run("case", "create", REF, "--title", "Familie Smit")
    message = refused(run, "member", "add", REF, "Buurman", "--role", "buurman")
    assert message == (
        "error: unknown role 'buurman'; expected one of: victim (slachtoffer), perpetrator "
        "(pleger), both (beide), child (kind), ex_partner (ex-partner), grandparent "
        "(grootouder), family (familie), network (netwerk)"
    )
    message = refused(run, "partner", "add", "X", "--organisation", "Y", "--kind", "dokter")
    assert "neighbourhood_team (wijkteam), access_team (toegang)" in message
    assert "veilig_thuis, police (politie)" in message
    message = refused(
        run, "partner", "add", "X", "--organisation", "Y", "--kind", "wijkteam",
        "--reachable", "ma t/m zondagmiddag",
    )  # fmt: skip
    assert message.startswith("error: unknown weekday 'zondagmiddag'; expected one of: mon (ma)")
    message = refused(run, "case", "edit", REF, "--domains", "geld")
    assert "parenting (opvoeden)" in message
    run("member", "add", REF, "A", "--role", "kind")
    run("member", "add", REF, "B", "--role", "kind")
    message = refused(run, "member", "relate", REF, "m1", "neef_van", "m2")
    assert message.endswith(
        "sibling (broer_zus), married (getrouwd), divorced (gescheiden), "
        "violent_towards (geweld_tegen)"
    )


def test_the_import_reads_dutch_words_and_the_export_writes_english(
    run: Run, tmp_path: Path
) -> None:
    file = tmp_path / "nl.yaml"
    file.write_text(
        f"""version: 1
partners:
- key: wt-dejong
  name: P. de Jong
  organisation: Sociaal wijkteam
  kind: wijkteam
  reachable: [ma, di, woensdag]
cases:
- ref: {REF}
  title: Familie Smit
  opened: 2026-09-01
  phase: 2
  stage: uitvoering
  framework: vrijwillig
  domains: [opvoeding, schulden]
  members:
  - key: m1
    name: Riet Smit
    role: oma
    relations:
    - {{to: m2, kind: moeder_van}}
  - key: m2
    name: Sanne Smit
    role: slachtoffer
  partners:
  - partner: wt-dejong
  events:
  - {{date: 2026-10-01, kind: casusregie, old: client, new: professional}}
  contacts:
  - {{date: 2026-10-02, kind: telefonisch, note: Gebeld., with: [m1]}}
""",
        encoding="utf-8",
    )
    run("import", str(file))
    text = run("export").stdout
    for english in (
        "kind: neighbourhood_team",
        "reachable: [mon, tue, wed]",
        "stage: execution",
        "domains: [parenting, finances]",
        "role: grandparent",
        "kind: parent_of",
        "kind: regie",
        "kind: phone",
    ):
        assert english in text, english
    for dutch in ("wijkteam", "oma", "moeder_van", "opvoeding", "casusregie", "telefonisch"):
        assert f": {dutch}\n" not in text, dutch
        assert f"[{dutch}" not in text, dutch
