"""Who holds which role in a case: ``case edit --casusregie/--procesregie/
--regiebehandelaar`` and ``case create``; the older ``--regie`` beside them; every refusal in one
line that changes nothing; the history; ``partner unlink`` of a holder; the signals
``compulsory-without-holder`` and ``holder-in-consultation``; ``case show`` (table and JSON); the
werkplan and the closing report, read back; export and import carrying the roles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Run, refused

REF = "GO-2026-150"


def show(run: Run) -> dict[str, Any]:
    case: dict[str, Any] = run("case", "show", REF, "-f", "json").json()
    return case


def roles(run: Run) -> tuple[Any, Any, Any]:
    case = show(run)
    return case["casusregie"], case["procesregie"], case["regiebehandelaar"]


def events(run: Run, *kinds: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return [
        (e["kind"], e["old"], e["new"], e["reason"])
        for e in show(run)["events"]
        if not kinds or e["kind"] in kinds
    ]


def codes(run: Run) -> list[str]:
    rows = run("check", REF, "-f", "json").json()
    return [r["code"] for r in rows]


@pytest.fixture
def case(run: Run) -> str:
    """A voluntary case in phase 2 with a family guardian of the GI, a probation officer, an OGGZ
    team member and a police officer linked; the regisseur named."""
    run("case", "create", REF, "--title", "Familie Roos", "--opened", "2026-09-01",
        "--regisseur", "A. Jansen")  # fmt: skip
    for name, org, kind, key in (
        ("Gea Voogd", "GI Zeeland", "gi", "gi-voogd"),
        ("Rik Reclassering", "Reclassering Nederland", "reclassering", "rn-rik"),
        ("Olga Oggz", "GGD Zeeland", "oggz", "oggz-olga"),
        ("Piet Agent", "Politie Zeeland", "politie", "wijkagent"),
    ):
        run("partner", "add", name, "--organisation", org, "--kind", kind, "--key", key)
        run("partner", "link", REF, key)
    return REF


# ----------------------------------------------------------------------------- casusregie


def test_casusregie_by_a_partner_the_icr_and_the_client(run: Run, case: str) -> None:
    assert run("case", "edit", REF, "--casusregie", "gi-voogd").stdout == (
        f"updated {REF}: casusregie\n"
    )
    assert roles(run)[0] == {"holder": "partner", "partner": "gi-voogd", "signal": None}
    assert show(run)["regie"] == "professional"
    run("case", "edit", REF, "--casusregie", "regisseur")  # the Dutch word for icr
    assert roles(run)[0] == {"holder": "icr", "partner": None, "signal": None}
    run("case", "edit", REF, "--casusregie", "cliënt")
    assert roles(run)[0]["holder"] == "client"
    assert show(run)["regie"] == "client"
    assert events(run, "regie", "casusregie_holder") == [
        ("casusregie_holder", "icr", "gi-voogd", None),
        ("casusregie_holder", "gi-voogd", "icr", None),
        ("regie", "professional", "client", None),
    ]


def test_regie_keeps_working_beside_casusregie(run: Run, case: str) -> None:
    run("case", "edit", REF, "--casusregie", "gi-voogd")
    assert run("case", "edit", REF, "--regie", "professional").stdout == (
        f"{REF}: nothing changed\n"
    )
    assert roles(run)[0]["partner"] == "gi-voogd"  # a partner who holds it keeps it
    assert run("case", "edit", REF, "--regie", "client").stdout == (
        f"updated {REF}: regie, casusregie\n"
    )
    run("case", "edit", REF, "--regie", "professional")
    assert roles(run)[0] == {"holder": "icr", "partner": None, "signal": None}
    run("case", "edit", REF, "--regie", "professional", "--casusregie", "rn-rik")
    assert roles(run)[0]["partner"] == "rn-rik"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--regie", "client", "--casusregie", "icr"),
            "error: --regie client contradicts --casusregie icr: give one of them",
        ),
        (
            ("--regie", "professional", "--casusregie", "client"),
            "error: --regie professional contradicts --casusregie client: give one of them",
        ),
        (
            ("--casusregie", "nobody"),
            "error: --casusregie 'nobody': no partner has this key or name ('icrctl partner list' "
            f"shows them; 'icrctl partner add …' adds one, then 'icrctl partner link {REF} …')",
        ),
        (
            ("--procesregie", "client"),
            "error: --procesregie: the client cannot hold procesregie; give icr, a partner's key "
            "or none",
        ),
        (
            ("--regiebehandelaar", "icr"),
            "error: --regiebehandelaar: the case director (ICR) cannot be the lead practitioner "
            "(regiebehandelaar); give a partner's key or none",
        ),
        (
            ("--regiebehandelaar", "client"),
            "error: --regiebehandelaar: the client cannot be the lead practitioner "
            "(regiebehandelaar); give a partner's key or none",
        ),
        (
            ("--casusregie", "none"),
            "error: --casusregie: somebody always holds casusregie; give client, icr or a "
            "partner's key",
        ),
        (("--casusregie", "gi-\x1b[31mvoogd"), "control character"),
    ],
)
def test_refusals_change_nothing(run: Run, case: str, args: tuple[str, ...], message: str) -> None:
    line = refused(run, "case", "edit", REF, *args)
    assert line == message if message.startswith("error:") else message in line


def test_a_partner_known_but_not_linked_is_refused(run: Run, case: str) -> None:
    run("partner", "add", "Thea Bos", "--organisation", "Praktijk Bos", "--kind", "therapeut",
        "--key", "ther-bos")  # fmt: skip
    assert refused(run, "case", "edit", REF, "--regiebehandelaar", "ther-bos") == (
        f"error: --regiebehandelaar 'ther-bos' is not a partner linked to case {REF}: link them "
        f"first with 'icrctl partner link {REF} ther-bos'"
    )


def test_a_partner_is_named_by_key_or_exact_name(run: Run, case: str) -> None:
    assert run("case", "edit", REF, "--casusregie", "Gea Voogd").stdout == (
        f"updated {REF}: casusregie\n"
    )
    run("case", "edit", REF, "--procesregie", "Olga Oggz", "--regiebehandelaar", "Rik Reclassering")
    assert roles(run) == (
        {"holder": "partner", "partner": "gi-voogd", "signal": None},
        {"holder": "partner", "partner": "oggz-olga", "signal": None},
        "rn-rik",
    )
    run("partner", "add", "Thea Bos", "--organisation", "Praktijk Bos", "--kind", "therapeut",
        "--key", "ther-bos")  # fmt: skip
    # a name with spaces is not offered to the shell as two words: the hint names the key
    assert refused(run, "case", "edit", REF, "--casusregie", "Thea Bos") == (
        f"error: --casusregie 'Thea Bos' is not the client, the case director (icr) or a partner "
        f"linked to case {REF}: link them first with 'icrctl partner link {REF} ther-bos'"
    )


def test_refusals_read_as_dutch_sentences(run: Run, case: str) -> None:
    def dutch(*args: str) -> str:
        r = run("--lang", "nl", "case", "edit", REF, *args, ok=False)
        assert r.exit_code != 0
        return r.stderr.strip()

    assert dutch("--regiebehandelaar", "icr") == (
        "fout: --regiebehandelaar: de regisseur (ICR) kan niet de regiebehandelaar zijn; geef de "
        "sleutel van een ketenpartner of geen"
    )
    assert dutch("--procesregie", "cliënt").startswith(
        "fout: --procesregie: de cliënt kan geen procesregie hebben"
    )
    for option in ("--casusregie", "--procesregie", "--regiebehandelaar"):
        line = dutch(option, "onbekend")
        assert "geen geen" not in line
        assert line.startswith(f"fout: {option} 'onbekend': geen ketenpartner heeft deze")
    assert roles(run) == ({"holder": "icr", "partner": None, "signal": None},
                          {"holder": None, "partner": None, "signal": None}, None)  # fmt: skip


def test_the_card_refuses_client_casusregie_in_phase_3(run: Run, case: str) -> None:
    run("phase", "set", REF, "3", "--reason", "onveilig")
    message = refused(run, "case", "edit", REF, "--casusregie", "client")
    assert message.startswith("error: regiekaart: in phase 3 casusregie is always held by a")


def test_a_partner_the_card_does_not_name_is_accepted_in_consultation(run: Run, case: str) -> None:
    r = run("case", "edit", REF, "--casusregie", "wijkagent")
    assert r.stdout == f"updated {REF}: casusregie\n"
    assert r.stderr.startswith("warning: regiekaart: Voluntary framework (vrijwillig kader):")
    assert "a partner of kind police is not among them: casusregie in consultation" in r.stderr
    assert roles(run)[0]["signal"] == "holder-in-consultation"
    assert "holder-in-consultation" in codes(run)


# ----------------------------------------------------------------------------- procesregie


def test_procesregie_and_the_lead_practitioner(run: Run, case: str) -> None:
    r = run("case", "edit", REF, "--procesregie", "oggz-olga", "--regiebehandelaar", "rn-rik")
    assert (r.stdout, r.stderr) == (f"updated {REF}: procesregie, regiebehandelaar\n", "")
    assert roles(run)[1:] == ({"holder": "partner", "partner": "oggz-olga", "signal": None},
                              "rn-rik")  # fmt: skip
    run("case", "edit", REF, "--procesregie", "icr", "--regiebehandelaar", "geen")
    assert roles(run)[1:] == ({"holder": "icr", "partner": None, "signal": None}, None)
    run("case", "edit", REF, "--procesregie", "none")
    assert roles(run)[1]["holder"] is None
    assert events(run, "procesregie", "regiebehandelaar") == [
        ("procesregie", None, "oggz-olga", None),
        ("regiebehandelaar", None, "rn-rik", None),
        ("procesregie", "oggz-olga", "icr", None),
        ("regiebehandelaar", "rn-rik", None, None),
        ("procesregie", "icr", None, None),
    ]


def test_procesregie_in_phase_1_is_refused_quoting_the_card(run: Run) -> None:
    run("case", "create", REF, "--title", "Familie Roos", "--phase", "1")
    assert refused(run, "case", "edit", REF, "--procesregie", "icr") == (
        "error: regiekaart: in phase 1 (Het gewone leven) nobody holds procesregie: name nobody "
        "(--procesregie none) until the case is in phase 2 or higher"
    )
    refused(run, "case", "create", "X-1", "-t", "x", "--phase", "1", "--procesregie", "icr",
            match="nobody holds procesregie")  # fmt: skip


def test_procesregie_off_the_phase_list_is_in_consultation(run: Run, case: str) -> None:
    run("case", "edit", REF, "--procesregie", "icr")
    assert "holder-in-consultation" not in codes(run)
    run("phase", "set", REF, "4", "--track", "social", "--reason", "onrust")
    assert roles(run)[1]["signal"] == "holder-in-consultation"
    found = run("check", REF, "-f", "json").json()
    text = next(r["message"] for r in found if r["code"] == "holder-in-consultation")
    assert text.startswith("regiekaart: procesregie in phase 4: The public order and safety")
    assert "the case director (ICR) is not among them" in text
    assert text.endswith(
        "in consultation (in overleg) — or hand the role to a holder the card names "
        f"('icrctl case edit {REF} --procesregie …')"
    )
    dutch = " ".join(run("--lang", "nl", "check", REF).stdout.split())
    assert "in overleg — of draag de rol over aan een houder die de regiekaart noemt" in dutch
    assert "overleg, of" not in dutch


def test_a_phase_change_to_1_ends_procesregie_with_its_reason(run: Run, case: str) -> None:
    run("case", "edit", REF, "--procesregie", "oggz-olga", "--casusregie", "gi-voogd")
    run("phase", "set", REF, "1", "--regie", "client", "--reason", "het gaat goed")
    assert roles(run)[:2] == (
        {"holder": "client", "partner": None, "signal": None},
        {"holder": None, "partner": None, "signal": None},
    )
    assert events(run)[-3:] == [
        ("regie", "professional", "client", "het gaat goed"),
        ("casusregie_holder", "gi-voogd", "client", "het gaat goed"),
        ("procesregie", "oggz-olga", None, "het gaat goed"),
    ]
    table = run("case", "show", REF).stdout.splitlines()
    assert "2026-11-25 │ casusregie_holder │ gi-voogd     │ client    │ het gaat goed" in table
    assert "2026-11-25 │ procesregie       │ oggz-olga    │ –         │ het gaat goed" in table


def test_case_create_takes_casusregie_and_procesregie(run: Run) -> None:
    run("case", "create", REF, "-t", "Familie Roos", "--casusregie", "client",
        "--procesregie", "regisseur")  # fmt: skip
    case = show(run)
    assert (case["regie"], case["casusregie"]["holder"]) == ("client", "client")
    assert case["procesregie"]["holder"] == "icr"
    refused(run, "case", "create", "X-2", "-t", "x", "--casusregie", "gi-voogd",
            match="'icrctl partner link X-2 …'")  # fmt: skip


# ----------------------------------------------------------------------------- unlink


def test_a_holder_cannot_be_unlinked_until_the_role_is_handed_over(run: Run, case: str) -> None:
    run("case", "edit", REF, "--casusregie", "gi-voogd", "--regiebehandelaar", "gi-voogd")
    assert refused(run, "partner", "unlink", REF, "gi-voogd") == (
        f"error: partner gi-voogd holds a role in case {REF} (--casusregie, --regiebehandelaar): "
        f"hand it over first, e.g. 'icrctl case edit {REF} --casusregie …'"
    )
    run("case", "edit", REF, "--casusregie", "icr", "--regiebehandelaar", "none")
    run("partner", "unlink", REF, "gi-voogd")


# ----------------------------------------------------------------------------- the signal


def test_compulsory_without_holder(run: Run, case: str) -> None:
    run("case", "edit", REF, "--framework", "compulsory")
    assert "compulsory-without-holder" in codes(run)
    found = run("check", REF, "-f", "json").json()
    text = next(r["message"] for r in found if r["code"] == "compulsory-without-holder")
    assert text.startswith(
        "compulsory framework and no partner holds casusregie: regiekaart: Compulsory framework"
    )
    # a GI partner is linked already: hand it to them, by their real key
    assert text.endswith(
        f"— hand it to gi-voogd, linked already: 'icrctl case edit {REF} --casusregie gi-voogd'"
    )
    assert "partner link" not in text
    run("case", "edit", REF, "--casusregie", "gi-voogd")  # no members yet: youth counts
    assert "compulsory-without-holder" not in codes(run)
    run("member", "add", REF, "Ans Roos", "--role", "victim", "--born", "1980-01-01")
    assert "compulsory-without-holder" in codes(run)  # adults only: the GI is not their holder
    assert roles(run)[0]["signal"] == "compulsory-without-holder"
    found = run("check", REF, "-f", "json").json()
    text = next(r["message"] for r in found if r["code"] == "compulsory-without-holder")
    assert text.startswith(
        "compulsory framework and casusregie is held by gi-voogd, a partner of kind "
        "youth_protection, who fits a youth measure only: no child in the case, so the adults' "
        "list applies: regiekaart:"
    )
    assert text.endswith(f"'icrctl case edit {REF} --casusregie rn-rik'")  # probation is linked
    run("member", "add", REF, "Tim Roos", "--role", "child", "--born", "2015-03-03")
    assert "compulsory-without-holder" not in codes(run)
    run("case", "edit", REF, "--casusregie", "rn-rik")
    assert "compulsory-without-holder" not in codes(run)
    status = run("status", "-f", "json").json()
    assert status  # the caseload view runs with the roles' facts


def test_compulsory_without_a_fitting_partner_says_to_link_one(run: Run) -> None:
    run("case", "create", REF, "-t", "Familie Roos", "--framework", "compulsory")
    text = next(
        r["message"]
        for r in run("check", REF, "-f", "json").json()
        if r["code"] == "compulsory-without-holder"
    )
    assert text.endswith(
        "— link a partner of kind youth_protection or probation or forensic_care or care_provider "
        f"('icrctl partner link {REF} …'), then hand it over ('icrctl case edit {REF} "
        "--casusregie …')"
    )
    assert "KEY" not in text
    assert "(gi |" not in text
    dutch = run("--lang", "nl", "check", REF).stdout
    assert "koppel een ketenpartner van soort" in " ".join(dutch.split())


def test_the_signal_does_not_block_closing(run: Run, case: str) -> None:
    from icrctl.domain import closing

    assert "compulsory-without-holder" not in closing.BLOCKING_SIGNALS
    assert "holder-in-consultation" not in closing.BLOCKING_SIGNALS


# ----------------------------------------------------------------------------- show


def test_case_show_names_the_holders(run: Run, case: str) -> None:
    run("case", "edit", REF, "--casusregie", "gi-voogd", "--procesregie", "wijkagent",
        "--regiebehandelaar", "rn-rik")  # fmt: skip
    lines = run("case", "show", REF).stdout.splitlines()
    facts = [line for line in lines if line.startswith(("casusregie", "procesregie", "regiebeh"))]
    assert facts[0] == "casusregie        professional: Gea Voogd (GI Zeeland) [gi-voogd]"
    assert facts[1].startswith("procesregie       Piet Agent (Politie Zeeland) [wijkagent] — in")
    assert facts[2] == "regiebehandelaar  Rik Reclassering (Reclassering Nederland) [rn-rik]"
    dutch = run("--lang", "nl", "case", "show", REF).stdout
    assert "professioneel: Gea Voogd (GI Zeeland) [gi-voogd]" in dutch
    run("case", "edit", REF, "--casusregie", "icr", "--procesregie", "icr")
    lines = run("--lang", "nl", "case", "show", REF).stdout.splitlines()
    facts = [line for line in lines if line.startswith(("casusregie", "procesregie"))]
    assert facts == [
        "casusregie          professioneel: A. Jansen (ICR)",
        "procesregie         A. Jansen (ICR)",
    ]
    assert "houder casusregie" in dutch


# ----------------------------------------------------------------------------- documents


def test_the_werkplan_and_report_name_who_holds_the_roles(
    run: Run, case: str, tmp_path: Path
) -> None:
    run("case", "edit", REF, "--casusregie", "gi-voogd", "--procesregie", "icr",
        "--regiebehandelaar", "rn-rik")  # fmt: skip
    run("--lang", "nl", "werkplan", REF, "-o", str(tmp_path / "w.md"))
    plan = (tmp_path / "w.md").read_text(encoding="utf-8")
    assert "- **Intensief casusregisseur (ICR):** A. Jansen" in plan
    assert "- **Casusregie:** Gea Voogd (GI Zeeland)" in plan
    assert "- **Procesregie:** A. Jansen, intensief casusregisseur (ICR)" in plan
    assert "- **Regiebehandelaar:** Rik Reclassering (Reclassering Nederland)" in plan
    assert "Casusregisseur:**" not in plan
    run("case", "edit", REF, "--casusregie", "client", "--procesregie", "none")
    run("werkplan", REF, "-o", str(tmp_path / "w.html"))
    html = (tmp_path / "w.html").read_text(encoding="utf-8")
    assert "the client" in html
    assert "nobody named" in html
    run("report", REF, "-o", str(tmp_path / "r.md"))
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "- **Casusregie:** the client" in report
    assert "- **Lead practitioner (regiebehandelaar):** Rik Reclassering" in report


def test_a_partners_werkplan_names_a_holder_without_consent_by_organisation(
    run: Run, case: str, tmp_path: Path
) -> None:
    run("partner", "link", REF, "oggz-olga", "--consent")
    run("case", "edit", REF, "--casusregie", "gi-voogd")
    run("werkplan", REF, "--for", "oggz-olga", "-o", str(tmp_path / "p.md"))
    plan = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert "- **Casusregie:** GI Zeeland\n" in plan
    assert "Gea Voogd" not in plan


# ----------------------------------------------------------------------------- export/import


def test_export_and_import_carry_the_roles(run: Run, case: str, tmp_path: Path) -> None:
    run("case", "edit", REF, "--casusregie", "gi-voogd", "--procesregie", "oggz-olga",
        "--regiebehandelaar", "rn-rik")  # fmt: skip
    exported = run("export").stdout
    assert (
        "  regie: professional\n  casusregie_partner: gi-voogd\n  procesregie: partner\n"
        "  procesregie_partner: oggz-olga\n  regiebehandelaar: rn-rik\n"
    ) in exported
    (tmp_path / "e.yaml").write_text(exported, encoding="utf-8")
    other = tmp_path / "other.db"
    run("--db", str(other), "import", str(tmp_path / "e.yaml"))
    assert run("--db", str(other), "export").stdout == exported
    # an existing case takes the file's holders (an import never deletes a link)
    run("case", "edit", REF, "--casusregie", "icr", "--procesregie", "icr")
    run("import", str(tmp_path / "e.yaml"))
    assert roles(run)[0]["partner"] == "gi-voogd"
    assert roles(run)[1]["partner"] == "oggz-olga"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("casusregie_partner: gi-voogd", "casusregie_partner: nobody"),
         "casusregie_partner: 'nobody' is not a partner linked to the case"),
        (("  procesregie: partner\n", "  procesregie: icr\n"),
         "procesregie: partner goes with procesregie_partner: KEY, and only it"),
        (("  regie: professional\n", "  regie: client\n"),
         "a partner holds casusregie only with regie: professional"),
    ],
)  # fmt: skip
def test_import_refuses_roles_that_do_not_fit(
    run: Run, case: str, tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    run("case", "edit", REF, "--casusregie", "gi-voogd", "--procesregie", "oggz-olga")
    text = run("export").stdout.replace(*change)
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    other = tmp_path / "other.db"
    r = run("--db", str(other), "import", str(tmp_path / "bad.yaml"), ok=False)
    assert message in r.stderr
