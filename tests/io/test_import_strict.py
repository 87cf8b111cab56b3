"""Strict import: every kind of bad input gives its exact ``FILE:LINE: path: message`` lines on
stderr, exit status 1, and writes nothing: a fresh case file gets no cases, a case file that held
data is byte-for-byte unchanged."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from icrctl.io.importfile import CASE_FIELDS, MEMBER_FIELDS
from tests.helpers import ENVIRONMENT, Run, make_run, refused, snapshot, unchanged

# Line numbers of BASE matter: the tests below point at them.
BASE = """\
version: 1
partners:
  - {key: vt, name: J. Bakker, organisation: Veilig Thuis, kind: veilig_thuis}
cases:
  - ref: GO-2026-100
    title: Familie Test
    opened: 2026-03-02
    phase: 2
    members:
      - {key: m1, name: Sanne Test, role: victim, born: 1988-05-14}
    partners:
      - {partner: vt, consent: true}
"""

SEED = """\
version: 1
partners:
  - {key: pol, name: R. Agent, organisation: Politie, kind: police, phone: "0900 8844"}
cases:
  - ref: GO-2026-001
    title: Familie Zaad
    opened: 2026-01-05
    phase: 3
    members:
      - {key: m1, name: Anna Zaad, role: slachtoffer, born: 1990-01-01}
      - {key: m2, name: Bas Zaad, role: pleger, household: false}
    partners:
      - {partner: pol, consent: false}
    evaluations:
      - {every: 2w, weekday: tue, time: "09:00", start: 2026-01-06, with: [m1, pol]}
    contacts:
      - {date: 2026-01-07, kind: visit, with: [m1], note: kennismaking}
"""


def _cases_in(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0] if "cases" in tables else 0


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case file holding SEED, made once; each test gets its own copy."""
    folder = tmp_path_factory.mktemp("seeded")
    (folder / "seed.yaml").write_text(SEED, encoding="utf-8")
    db = folder / "data" / "caseload.db"
    make_run({**ENVIRONMENT, "ICRCTL_DB": str(db)})("import", str(folder / "seed.yaml"))
    assert sorted(p.name for p in db.parent.iterdir()) == ["caseload.db"]
    return db


def reject(run: Run, tmp_path: Path, db_path: Path, text: str) -> list[str]:
    """Import ``text`` into a fresh case file and into one that holds data; both must refuse it
    the same way and write nothing. Returns the error lines (without the closing summary)."""
    source = tmp_path / "bad.yaml"
    source.write_text(text, encoding="utf-8")
    before = snapshot(db_path, exact=True)
    assert before["files"], "the seeded case file exists"

    fresh = tmp_path / "fresh" / "caseload.db"
    first = run("--db", str(fresh), "import", str(source), ok=False)
    second = run("import", str(source), ok=False)

    for result in (first, second):
        assert result.exit_code == 1
        assert result.stdout == ""
    assert first.stderr.replace(str(fresh), "") == second.stderr.replace(str(db_path), "")
    assert _cases_in(fresh) == 0
    assert snapshot(db_path, exact=True) == before, "a refused import changed the case file"

    lines = second.stderr.splitlines()
    count = len(lines) - 1
    assert lines[-1] == f"error: {count} error{'s' * (count != 1)}; nothing was imported"
    return lines[:-1]


class Bad:
    """``bad(text)``: the error lines of importing ``text``; ``bad.file`` is its path."""

    def __init__(self, run: Run, tmp_path: Path, db_path: Path) -> None:
        self.run, self.tmp_path, self.db_path = run, tmp_path, db_path
        self.file = str(tmp_path / "bad.yaml")

    def __call__(self, text: str) -> list[str]:
        return reject(self.run, self.tmp_path, self.db_path, text)


@pytest.fixture
def bad(run: Run, tmp_path: Path, db_path: Path, seeded_template: Path) -> Bad:
    db_path.parent.mkdir(mode=0o700, parents=True)
    shutil.copyfile(seeded_template, db_path)
    db_path.chmod(0o600)
    return Bad(run, tmp_path, db_path)


def replace(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def test_the_base_document_imports(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "good.yaml"
    source.write_text(BASE, encoding="utf-8")
    assert "1 new" in run("import", str(source)).stdout


# ---------------------------------------------------------------------- structure of the YAML


def test_unknown_field(bad: Bad) -> None:
    lines = bad(BASE + "    colour: blue\n")
    assert lines == [
        f"{bad.file}:13: cases[0].colour: unknown field (allowed: {', '.join(CASE_FIELDS)})"
    ]


def test_unknown_field_of_a_member(bad: Bad) -> None:
    lines = bad(replace("born: 1988-05-14}", "born: 1988-05-14, bsn: '123456782'}"))
    assert lines == [
        f"{bad.file}:10: cases[0].members[0].bsn: unknown field "
        f"(allowed: {', '.join(MEMBER_FIELDS)})"
    ]


def test_duplicate_key(bad: Bad) -> None:
    lines = bad(BASE + "    title: Nog een titel\n")
    assert lines == [f"{bad.file}:13: cases[0].title: duplicate key 'title' (first on line 6)"]


def test_duplicate_key_in_a_flow_mapping(bad: Bad) -> None:
    lines = bad(replace("role: victim,", "role: victim, role: child,"))
    assert lines == [
        f"{bad.file}:10: cases[0].members[0].role: duplicate key 'role' (first on line 10)"
    ]


def test_anchor(bad: Bad) -> None:
    lines = bad(replace("      - {key: m1,", "      - &moeder {key: m1,"))
    assert lines == [f"{bad.file}:10: cases[0].members[0]: anchors (&moeder) are not allowed"]


def test_alias(bad: Bad) -> None:
    lines = bad(BASE + "    referrer: *verwijzer\n")
    assert lines == [f"{bad.file}:13: cases[0].referrer: aliases (*verwijzer) are not allowed"]


def test_python_object_tag(bad: Bad) -> None:
    lines = bad(replace("title: Familie Test", "title: !!python/object/apply:os.system [ls]"))
    assert lines == [
        f"{bad.file}:6: cases[0].title: tags "
        "(tag:yaml.org,2002:python/object/apply:os.system) are not allowed"
    ]


def test_any_tag_is_refused_even_str(bad: Bad) -> None:
    lines = bad(replace("phase: 2", "phase: !!int 2"))
    assert lines == [f"{bad.file}:8: cases[0].phase: tags (tag:yaml.org,2002:int) are not allowed"]


def test_not_yaml_at_all(bad: Bad) -> None:
    lines = bad("version: 1\ncases: [\n  - {ref: GO-1\n")
    assert lines == [f"{bad.file}:3:3: not valid YAML: did not find expected node content"]


def test_not_yaml_mapping_in_a_value(bad: Bad) -> None:
    lines = bad("version: 1\ncases: a: b\n")
    assert lines == [
        f"{bad.file}:2:9: not valid YAML: mapping values are not allowed in this context"
    ]


def test_a_spreadsheet_is_no_case_file(bad: Bad) -> None:
    lines = bad("ref;title;opened\nGO-2026-100;Familie Test;2026-03-02\n")
    assert lines == [f"{bad.file}:1: (top): expected a mapping (key: value)"]


def test_control_character(bad: Bad) -> None:
    lines = bad(replace("Familie Test", "Familie\x00Test"))
    assert lines == [
        f"{bad.file}:6: not valid YAML: character #x0000: control characters are not allowed"
    ]


def test_two_documents(bad: Bad) -> None:
    lines = bad(BASE + "---\nversion: 1\n")
    assert lines == [f"{bad.file}:13: (top): only one YAML document is allowed"]


def test_empty_file(bad: Bad) -> None:
    assert bad("# nothing here\n") == [f"{bad.file}:1: (top): the file is empty"]


def test_deeply_nested_document(bad: Bad) -> None:
    # root mapping, cases, the case, referrer: three levels before the referrer's own lists.
    lines = bad(BASE + "    referrer: " + "[" * 17 + "]" * 17 + "\n")
    assert lines == [
        f"{bad.file}:13: cases[0].referrer" + "[0]" * 13 + ": nested deeper than 16 levels"
    ]


def test_very_deeply_nested_document_fails_fast(bad: Bad) -> None:
    """libyaml itself stops at 1000 levels, before building anything."""
    depth = 200_000
    lines = bad(BASE + "    referrer: " + "[" * depth + "]" * depth + "\n")
    assert len(lines) == 1
    assert lines[0].startswith(f"{bad.file}:13:")
    assert lines[0].endswith(("nested deeper than 16 levels", "exceeded maximum nesting depth"))


def test_larger_than_64_mib(bad: Bad) -> None:
    lines = bad(BASE + ("#" * 1023 + "\n") * (64 * 1024))
    assert lines == [f"{bad.file}: the file is larger than 64 MiB"]


# ---------------------------------------------------------------------- values


def test_missing_version(bad: Bad) -> None:
    lines = bad(BASE.removeprefix("version: 1\n"))
    assert lines == [f"{bad.file}:1: version: required: version: 1"]


def test_version_2(bad: Bad) -> None:
    lines = bad(BASE.replace("version: 1", "version: 2"))
    assert lines == [f"{bad.file}:1: version: this icrctl reads version 1, not '2'"]


def test_list_where_a_text_belongs(bad: Bad) -> None:
    lines = bad(replace("title: Familie Test", "title: [Familie, Test]"))
    assert lines == [
        f"{bad.file}:6: cases[0].title: expected a single value, not a list or mapping"
    ]


def test_text_where_a_list_belongs(bad: Bad) -> None:
    lines = bad(BASE + "    goals: Veiligheidsplan\n")
    assert lines == [f"{bad.file}:13: cases[0].goals: expected a list"]


def test_consent_maybe(bad: Bad) -> None:
    lines = bad(replace("consent: true", "consent: maybe"))
    assert lines == [
        f"{bad.file}:12: cases[0].partners[0].consent: expected true or false, not 'maybe'"
    ]


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "n", "0"])
def test_household_yaml11_booleans(bad: Bad, word: str) -> None:
    lines = bad(replace("role: victim,", f"role: victim, household: {word},"))
    assert lines == [
        f"{bad.file}:10: cases[0].members[0].household: expected true or false, not '{word}'"
    ]


@pytest.mark.parametrize("phone", ["0612345670", "612345670", "+31612345670", "06_1234_5670"])
def test_phone_as_a_bare_number(bad: Bad, phone: str) -> None:
    lines = bad(replace("born: 1988-05-14}", f"born: 1988-05-14, phone: {phone}}}"))
    assert lines == [
        f"{bad.file}:10: cases[0].members[0].phone: write {phone} in quotes: "
        "a bare number loses its leading zero and spaces"
    ]


def test_directory_phone_as_a_bare_number(bad: Bad) -> None:
    lines = bad(replace("kind: veilig_thuis}", "kind: veilig_thuis, phone: 0881234567}"))
    assert lines == [
        f"{bad.file}:3: partners[0].phone: write 0881234567 in quotes: "
        "a bare number loses its leading zero and spaces"
    ]


def test_phone_quoted_or_with_spaces_is_accepted(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "ok.yaml"
    text = replace("born: 1988-05-14}", "born: 1988-05-14, phone: '0612345670'}")
    source.write_text(text.replace("kind: veilig_thuis}", "kind: veilig_thuis, phone: 088 12 34}"))
    run("import", str(source))
    exported = run("export").stdout
    assert "phone: '0612345670'" in exported
    assert "phone: 088 12 34" in exported


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("25:00", "invalid time '25:00': expected HH:MM between 00:00 and 23:59"),
        ("10:60", "invalid time '10:60': expected HH:MM between 00:00 and 23:59"),
        ("10u30", "invalid time '10u30': expected HH:MM between 00:00 and 23:59"),
    ],
)
def test_bad_time(bad: Bad, time: str, message: str) -> None:
    lines = bad(
        BASE + f"    evaluations:\n      - {{every: 2w, start: 2026-03-10, time: {time}}}\n"
    )
    assert lines == [f"{bad.file}:14: cases[0].evaluations[0].time: {message}"]


def test_unquoted_time_is_text_not_sexagesimal(run: Run, tmp_path: Path) -> None:
    """YAML 1.1 reads ``14:30`` as 870; the import reads it as the time 14:30."""
    source = tmp_path / "ok.yaml"
    source.write_text(
        BASE + "    evaluations:\n      - {every: 2w, start: 2026-03-10, time: 14:30}\n"
        "    meetings:\n      - {date: 2026-03-24, status: moved, to: 2026-03-25, time: 9:05}\n"
    )
    run("import", str(source))
    exported = run("export").stdout
    assert "  - every: 2w\n    time: '14:30'\n    start: 2026-03-10\n" in exported
    assert "    to: 2026-03-25\n    time: 09:05\n" in exported
    series = run("eval", "series", "GO-2026-100", "-f", "json").stdout
    assert "14:30" in series
    assert "870" not in series


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-11-26", "2026-11-26 is in the future"),
        ("2026-02-30", "invalid date '2026-02-30': no such day"),
        ("14-05-1988", "invalid date '14-05-1988': expected YYYY-MM-DD"),
    ],
)
def test_bad_birth_date(bad: Bad, value: str, message: str) -> None:
    lines = bad(replace("born: 1988-05-14", f"born: {value}"))
    assert lines == [f"{bad.file}:10: cases[0].members[0].born: {message}"]


def test_unknown_vocabulary(bad: Bad) -> None:
    lines = bad(replace("role: victim", "role: buurman"))
    assert lines == [
        f"{bad.file}:10: cases[0].members[0].role: unknown role 'buurman'; expected one of: "
        "victim (slachtoffer), perpetrator (pleger), both (beide), child (kind), ex_partner "
        "(ex-partner), grandparent (grootouder), family (familie), network (netwerk)"
    ]


def test_missing_required_field(bad: Bad) -> None:
    lines = bad(replace("    title: Familie Test\n", ""))
    assert lines == [f"{bad.file}:5: cases[0].title: required"]


# ---------------------------------------------------------------------- rules across fields


def test_history_last_phase_differs_from_phase(bad: Bad) -> None:
    lines = bad(
        BASE + "    history:\n"
        "      - {date: 2026-03-02, phase: 2, reason: aanmelding}\n"
        "      - {date: 2026-05-01, phase: 3, reason: escalatie}\n"
    )
    assert lines == [f"{bad.file}:13: cases[0].history: the last phase (3) differs from phase: 2"]


def test_stages_last_stage_differs_from_stage(bad: Bad) -> None:
    lines = bad(
        BASE + "    stage: uitvoering\n    stages:\n      - {date: 2026-03-02, stage: inventory}\n"
    )
    assert lines == [
        f"{bad.file}:14: cases[0].stages: the last stage (inventory) differs from stage: execution"
    ]


def test_attendee_neither_member_nor_partner(bad: Bad) -> None:
    lines = bad(
        BASE + "    evaluations:\n      - {every: 2w, start: 2026-03-10, with: [m1, vt, oma]}\n"
    )
    assert lines == [
        f"{bad.file}:14: cases[0].evaluations[0].with: "
        "attendee oma is neither a member nor a partner of this case"
    ]


def test_meeting_attendee_neither_member_nor_partner(bad: Bad) -> None:
    lines = bad(
        BASE + "    meetings:\n"
        "      - {date: 2026-03-10, status: held, attended: [m1], refused: [m9]}\n"
    )
    assert lines == [
        f"{bad.file}:14: cases[0].meetings[0].refused: "
        "attendee m9 is neither a member nor a partner of this case"
    ]


def test_closed_without_stage_closed(bad: Bad) -> None:
    lines = bad(BASE + "    closed: 2026-10-01\n")
    assert lines == [f"{bad.file}:13: cases[0].closed: a closed date needs stage: closed"]


def test_stage_closed_without_closed_date(bad: Bad) -> None:
    lines = bad(BASE + "    stage: afgesloten\n")
    assert lines == [f"{bad.file}:13: cases[0].stage: stage closed needs a closed: date"]


def test_unknown_partner_key(bad: Bad) -> None:
    """Checked against the file and the case file's directory, after the file itself passed."""
    lines = bad(replace("{partner: vt, consent: true}", "{partner: vt-bakker, consent: true}"))
    assert lines == [
        f"{bad.file}:12: cases[0].partners[0].partner: no partner 'vt-bakker' in the file's "
        "partners or in the case file's directory"
    ]


def test_a_directory_key_of_the_case_file_is_known(run: Run, tmp_path: Path) -> None:
    (tmp_path / "seed.yaml").write_text(SEED, encoding="utf-8")
    run("import", str(tmp_path / "seed.yaml"))
    source = tmp_path / "ok.yaml"
    source.write_text(replace("{partner: vt, consent: true}", "{partner: pol}"))
    assert "1 new" in run("import", str(source)).stdout


def test_regie_client_in_phase_3(bad: Bad) -> None:
    lines = bad(replace("phase: 2", "phase: 3\n    regie: cliënt"))
    assert lines == [
        f"{bad.file}:9: cases[0].regie: regiekaart: in phase 3 casusregie is always held by a "
        "professional; the client cannot hold it"
    ]


def test_entries_that_would_merge_into_one(bad: Bad) -> None:
    """Two entries with the same matching key would become one row on the next import."""
    text = replace(
        "      - {partner: vt, consent: true}\n",
        "      - {partner: vt, consent: true}\n      - {partner: vt, consent: false}\n",
    )
    text = text.replace(
        "born: 1988-05-14}",
        "born: 1988-05-14}\n      - {name: Kind Test, role: child}\n"
        "      - {name: Kind Test, role: child}",
    )
    extra = (
        "    meetings:\n"
        "      - {date: 2026-03-10, status: held, risk: 3}\n"
        "      - {date: 2026-03-10, status: held, risk: 2}\n"
    )
    lines = bad(text + extra)
    assert lines == [
        f"{bad.file}:12: cases[0].members[2]: a member without key, with the same name and born, "
        "is listed twice (first on line 11)",
        f"{bad.file}:15: cases[0].partners[1]: the same partner is linked twice (first on line 14)",
        f"{bad.file}:18: cases[0].meetings[1]: a meeting on the same date is listed twice "
        "(first on line 17)",
    ]


def test_relation_listed_twice(bad: Bad) -> None:
    text = replace(
        "born: 1988-05-14}",
        "born: 1988-05-14, relations: [{to: m2, kind: ouder_van}, {to: m2, kind: parent_of}]}\n"
        "      - {key: m2, name: Kind Test, role: child}",
    )
    assert bad(text) == [
        f"{bad.file}:10: cases[0].members[0].relations[1]: the same relation is listed twice "
        "(first on line 10)"
    ]


def test_all_errors_of_a_file_together(bad: Bad) -> None:
    text = replace("born: 1988-05-14", "born: 2030-01-01, household: no")
    text = text.replace("consent: true", "consent: maybe")
    lines = bad(text)
    assert lines == [
        f"{bad.file}:10: cases[0].members[0].born: 2030-01-01 is in the future",
        f"{bad.file}:10: cases[0].members[0].household: expected true or false, not 'no'",
        f"{bad.file}:12: cases[0].partners[0].consent: expected true or false, not 'maybe'",
    ]


def test_errors_of_several_cases_together(bad: Bad) -> None:
    second = "  - ref: GO-2026-101\n    title: Tweede\n    opened: 2027-01-01\n    phase: 5\n"
    lines = bad(
        BASE + second + "  - ref: GO-2026-100\n    title: Dubbel\n    opened: 2026-01-01\n"
        "    phase: 1\n"
    )
    assert lines == [
        f"{bad.file}:16: cases[1].phase: expected 1 to 4, not 5",
        f"{bad.file}:15: cases[1].opened: 2027-01-01 is in the future",
        f"{bad.file}:17: cases[2].ref: case GO-2026-100 appears twice (first on line 5)",
    ]


def test_stdin_errors_are_named_stdin(run: Run) -> None:
    with unchanged():
        result = run("import", "-", input=BASE.replace("consent: true", "consent: ja"), ok=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "<stdin>:12: cases[0].partners[0].consent: expected true or false, not 'ja'",
        "error: 1 error; nothing was imported",
    ]


def test_unreadable_file(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "latin1.yaml"
    source.write_bytes(BASE.replace("Familie Test", "Familie Bj\xf6rk").encode("latin-1"))
    message = refused(run, "import", str(source))
    assert message.startswith(f"error: cannot read {source}: 'utf-8' codec can't decode")
    refused(run, "import", str(tmp_path / "missing.yaml"), match="No such file")


def test_time_of_an_occurrence_that_is_not_moved(bad: Bad) -> None:
    lines = bad(
        BASE + "    evaluations:\n      - {every: 2w, start: 2026-03-10}\n"
        "    meetings:\n      - {date: 2026-03-24, status: held, time: '11:00'}\n"
    )
    assert lines == [
        f"{bad.file}:16: cases[0].meetings[0].time: an occurrence of a series has the series' "
        "time; to change it, move it (to: DATE, time: HH:MM)"
    ]


def test_meeting_not_on_an_occurrence(bad: Bad) -> None:
    lines = bad(
        BASE + "    evaluations:\n      - {every: 2w, start: 2026-03-10}\n"
        "    meetings:\n      - {date: 2026-03-11, status: cancelled}\n"
    )
    assert lines == [
        f"{bad.file}:16: cases[0].meetings[0].date: "
        "no evaluation series of this case meets on 2026-03-11"
    ]
