"""``icrctl genogram``: DOT for every example case, the genogram's conventions in the DOT it
writes, escaping, SVG and PNG through Graphviz, the path without Graphviz, and the internal
werkplan that embeds it.

Without Graphviz (the ``dot`` program and the ``graphviz`` Python package) the tests that draw
are skipped; with ``ICRCTL_REQUIRE_GRAPHVIZ=1`` (set by ``.ci/run``, which installs Debian's
graphviz) a missing Graphviz is a failure instead. DOT is checked by ``dot -Tcanon`` where it is
installed, and always by a reader of our own (:func:`statements`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icrctl.domain.genogram import Drawing, Person, Tie, genogram
from icrctl.render.genogram import quoted, to_dot
from tests.helpers import Run, refused

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "caseload.yaml"
NASTY = 'Anna "A" \\ de\\nVries <b>&amp; {x} -> ; ]'


def graphviz() -> str:
    """The ``dot`` program, or skip (fail with ``ICRCTL_REQUIRE_GRAPHVIZ=1``)."""
    found = shutil.which("dot")
    try:
        import graphviz as _package  # noqa: F401
    except ImportError:
        found = None
    if found:
        return found
    reason = "Graphviz (dot and the graphviz package) is not installed: the SVG path goes unchecked"
    if os.environ.get("ICRCTL_REQUIRE_GRAPHVIZ") == "1":
        pytest.fail(f"{reason}, but ICRCTL_REQUIRE_GRAPHVIZ=1 requires it")
    pytest.skip(f"{reason} (CI installs it and sets ICRCTL_REQUIRE_GRAPHVIZ=1)")


# --- reading DOT --------------------------------------------------------------------------------

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|->|[{}\[\];=,]|[^\s{}\[\];=,"]+', re.S)


def unquote(token: str) -> str:
    """A DOT string as the text it stands for (``\\n`` a line break and ``&amp;`` an ``&``, as
    Graphviz reads a label)."""
    assert token[0] == token[-1] == '"', token
    text = re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], token[1:-1])
    return text.replace("&amp;", "&")


def tokens(dot: str) -> list[str]:
    """DOT's tokens; nothing but white space between them (an unclosed string would leave its
    quote behind)."""
    assert not _TOKEN.sub("", dot).strip(), "unreadable DOT"
    return _TOKEN.findall(dot)


def statements(dot: str) -> list[list[str]]:
    """Our own structural reading of DOT: balanced braces and brackets, every string closed, and
    the statements (split at ``;`` outside attribute lists) as token lists."""
    depth, bracket, out, current = 0, 0, [], []
    for token in tokens(dot):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            assert depth >= 0
        elif token == "[":
            bracket += 1
        elif token == "]":
            bracket -= 1
        if token in (";", "{", "}") and bracket == 0:
            if current:
                out.append(current)
            current = []
        else:
            current.append(token)
    assert depth == 0
    assert bracket == 0
    assert not current
    return out


def attributes(statement: list[str]) -> dict[str, str]:
    """The ``[a=b, c="d"]`` of a statement, values unquoted."""
    if "[" not in statement:
        return {}
    inside = statement[statement.index("[") + 1 : statement.index("]")]
    pairs = [p for p in " ".join(inside).split(" , ") if p]
    out = {}
    for pair in pairs:
        key, _eq, value = pair.partition(" = ")
        out[key.strip()] = unquote(value) if value.startswith('"') else value
    return out


def check_dot(dot: str) -> list[list[str]]:
    """Valid DOT: read by our reader, and by Graphviz itself where it is installed."""
    found = statements(dot)
    assert dot.startswith("digraph genogram {")
    if shutil.which("dot"):
        canon = subprocess.run(
            ["dot", "-Tcanon"], input=dot.encode(), capture_output=True, check=False
        )
        assert (canon.returncode, canon.stderr.decode()) == (0, "")
    return found


def node(found: list[list[str]], name: str) -> dict[str, str]:
    return next(attributes(s) for s in found if s[0] == name and s[1:2] == ["["])


def edge(found: list[list[str]], a: str, b: str) -> dict[str, str]:
    return next(attributes(s) for s in found if s[:3] == [a, "->", b])


def ids_by_label(found: list[list[str]]) -> dict[str, str]:
    """Each person's first label line to their node name."""
    return {
        attributes(s)["label"].split("\n")[0]: s[0]
        for s in found
        if s[0].startswith("p") and s[1:2] == ["["] and "label" in attributes(s)
    }


def rows(found: list[list[str]]) -> list[list[str]]:
    """The ``rank=same`` rows in order: their node names (the ladder point ``gN`` first)."""
    out, i = [], 0
    while i < len(found):
        if found[i] == ["rank", "=", "same"]:
            row = [s[0] for s in found[i + 1 :] if len(s) == 1][: _row_length(found, i)]
            if row[0].startswith("g"):  # not the legend's
                out.append(row)
        i += 1
    return out


def _row_length(found: list[list[str]], start: int) -> int:
    n = 0
    for s in found[start + 1 :]:
        if len(s) != 1:
            break
        n += 1
    return n


def genogram_dot(run: Run, ref: str, tmp_path: Path, *lang: str) -> str:
    out = tmp_path / f"{ref}.dot"
    result = run(*lang, "genogram", ref, "--out", str(out), "--force")
    assert str(out) in result.stdout
    assert out.stat().st_mode & 0o777 == 0o600
    return out.read_text(encoding="utf-8")


# --- every example case -------------------------------------------------------------------------


def test_every_example_case_gets_valid_dot(run: Run, tmp_path: Path) -> None:
    run("import", str(EXAMPLE))
    refs = [c["ref"] for c in run("case", "list", "--all", "-f", "json").json()]
    assert len(refs) >= 10
    for ref in refs:
        members = run("member", "list", ref, "-f", "json").json()
        found = check_dot(genogram_dot(run, ref, tmp_path))
        names = ids_by_label(found)
        assert sorted(names) == sorted(m["name"] for m in members), ref
        placed = [n for row in rows(found) for n in row if n.startswith("p")]
        assert sorted(placed) == sorted(names.values()), ref  # everyone in exactly one row


def test_the_werkplan_example_case_gets_valid_dot_and_svg(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case of examples/werkplan-case.sh, built by its own commands."""
    from tests.render.test_documents_render import build_example

    out = tmp_path / "out"
    out.mkdir()
    build_example(run, monkeypatch, out)
    found = check_dot(genogram_dot(run, "VB-2026-031", tmp_path))
    names = ids_by_label(found)
    grandmother, mother, father = names["Ineke Smit"], names["Lotte Visser"], names["Ruben Visser"]
    children = {names["Daan Visser"], names["Mila Visser"]}
    ranks = rows(found)
    assert next(r for r in ranks if grandmother in r) == ranks[0]
    assert {mother, father} <= set(ranks[1])
    assert children <= set(ranks[2])
    if shutil.which("dot"):
        svg = tmp_path / "vb.svg"
        run("genogram", "VB-2026-031", "--out", str(svg))
        assert "Lotte Visser" in svg.read_text(encoding="utf-8")


# --- the conventions ----------------------------------------------------------------------------


@pytest.fixture
def drawn(run: Run) -> str:
    """Three generations: grandparents married (grandfather deceased), the mother (victim)
    married to the father (perpetrator, outside the household) who is violent towards her and a
    child, a divorced ex-partner, two children (one deceased), a half-sibling, a neighbour."""
    ref = "GO-2026-200"
    run("case", "create", ref, "--title", "Familie Test")
    for name, role, key, *more in [
        ("Opa Jan", "grandparent", "opa", "--outside-household", "--deceased"),
        ("Oma Jet", "grootouder", "oma", "--outside-household"),
        ("Anna", "slachtoffer", "a"),
        ("Bert", "pleger", "b", "--outside-household"),
        ("Karel", "ex_partner", "k", "--outside-household"),
        ("Carla", "kind", "c"),
        ("Dirk", "kind", "d", "--deceased"),
        ("Hanna", "kind", "h", "--outside-household"),
        ("Buurvrouw", "netwerk", "n", "--outside-household"),
        ("Lisa", "netwerk", "l", "--outside-household"),
    ]:
        run("member", "add", ref, name, "--role", role, "--key", key, *more)
    for relation in [
        "opa married oma", "opa parent_of a", "oma parent_of a", "a getrouwd b",
        "a parent_of c", "b parent_of c", "a parent_of d", "b parent_of d", "k gescheiden a",
        "k parent_of h", "h broer_zus c", "b geweld_tegen a", "b violent_towards c",
        "k ex_partner l", "l partner_van n",
    ]:  # fmt: skip
        a, kind, b = relation.split()
        run("member", "relate", ref, a, kind, b)
    return ref


def test_the_conventions_in_the_dot(run: Run, drawn: str, tmp_path: Path) -> None:
    found = check_dot(genogram_dot(run, drawn, tmp_path))
    p = ids_by_label(found)
    # generations in rows, top to bottom
    ranks = rows(found)
    assert [r[0] for r in ranks] == ["g0", "g1", "g2"]
    assert {p["Opa Jan †"], p["Oma Jet"]} <= set(ranks[0])
    assert {p["Anna"], p["Bert"], p["Karel"], p["Buurvrouw"]} <= set(ranks[1])
    assert {p["Carla"], p["Dirk †"], p["Hanna"]} <= set(ranks[2])
    # partners side by side: joined through a point in their row, by a line of their kind
    joins = {s[0]: attributes(s) for s in found if re.fullmatch(r"u\d+", s[0]) and s[1:2] == ["["]}
    lines = {(s[0], s[2]): attributes(s) for s in found if len(s) > 2 and s[1] == "->"}

    def couple(x: str, y: str) -> tuple[str, dict[str, str], dict[str, str]]:
        for u in joins:
            if {(x, u), (u, y)} <= set(lines) or {(y, u), (u, x)} <= set(lines):
                line = lines.get((x, u)) or lines[(y, u)]
                return u, joins[u], line
        raise AssertionError(f"no couple {x} {y}")

    u, point, line = couple(p["Opa Jan †"], p["Oma Jet"])
    assert line["color"] == "black:invis:black"
    assert point["shape"] == "point"
    assert u in ranks[0]
    u, point, line = couple(p["Anna"], p["Bert"])
    assert line["color"] == "black:invis:black"
    _u, point, line = couple(p["Karel"], p["Anna"])
    assert line["style"] == "dotted"
    assert point["label"] == "//"
    _u, point, line = couple(p["Karel"], p["Lisa"])
    assert line["style"] == "dashed"
    assert point["label"] == "/"
    _u, point, line = couple(p["Lisa"], p["Buurvrouw"])
    assert line["style"] == "solid"
    assert point["shape"] == "point"
    # children below their parents' point; a child of one parent below that parent
    anna_bert, _point, _line = couple(p["Anna"], p["Bert"])
    assert (anna_bert, p["Carla"]) in lines
    assert (anna_bert, p["Dirk †"]) in lines
    assert (p["Karel"], p["Hanna"]) in lines
    assert lines[(p["Hanna"], p["Carla"])]["style"] == "dashed"  # half-siblings
    # violence: red bold arrows from the perpetrator
    for victim in ("Anna", "Carla"):
        violence = lines[(p["Bert"], p[victim])]
        assert violence["color"] == "red"
        assert violence["penwidth"] == "3"
        assert violence["style"] == "bold"
        assert violence["dir"] == "forward"
        assert violence["label"] == "violence against"
    # marks: perpetrator red border, victim double border, deceased crossed and shaded
    assert node(found, p["Bert"])["color"] == "red"
    assert node(found, p["Anna"])["peripheries"] == "2"
    assert node(found, p["Carla"])["peripheries"] == "2"  # violence against her
    assert "peripheries" not in node(found, p["Dirk †"])
    for dead in ("Opa Jan †", "Dirk †"):
        assert node(found, p[dead])["style"] == "filled,diagonals"
    assert "style" not in node(found, p["Oma Jet"])
    assert node(found, p["Anna"])["label"] == "Anna\nvictim"
    # the household: one cluster with exactly its members (and couples wholly inside it)
    start = next(i for i, s in enumerate(found) if s == ["subgraph", "cluster_household"])
    inside = {s[0] for s in found[start + 1 :][:12] if len(s) == 1}
    assert {p["Anna"], p["Carla"], p["Dirk †"]} <= inside
    assert not inside & {p["Bert"], p["Karel"], p["Hanna"], p["Opa Jan †"]}
    # the legend, with the one shape explained
    legend = "\n".join(str(attributes(s).get("label")) for s in found)
    for word in ("married", "together", "separated", "divorced", "deceased", "does not record sex"):
        assert word in legend


def test_the_genogram_in_dutch(run: Run, drawn: str, tmp_path: Path) -> None:
    dot = genogram_dot(run, drawn, tmp_path, "--lang", "nl")
    found = check_dot(dot)
    labels = "\n".join(str(attributes(s).get("label")) for s in found)
    for word in ("Huishouden", "Legenda", "getrouwd", "gescheiden", "geweld tegen", "slachtoffer"):
        assert word in dot or word in labels, word
    assert "violence" not in labels


def test_every_stored_string_is_escaped(run: Run, tmp_path: Path) -> None:
    run("case", "create", "GO-2026-201", "--title", 'Familie "X" \\ <y>')
    run("member", "add", "GO-2026-201", NASTY, "--role", "victim")
    run("member", "add", "GO-2026-201", "digraph }", "--role", "perpetrator")
    run("member", "relate", "GO-2026-201", "m2", "violent_towards", "m1")
    found = check_dot(genogram_dot(run, "GO-2026-201", tmp_path))
    names = ids_by_label(found)
    assert set(names) == {NASTY, "digraph }"}
    graph = next(attributes(s) for s in found if s[0] == "graph")
    assert graph["label"].startswith('Genogram Familie "X" \\ <y> (GO-2026-201)')
    if shutil.which("dot"):
        svg = tmp_path / "nasty.svg"
        run("genogram", "GO-2026-201", "--out", str(svg))
        tree = ElementTree.parse(svg)  # well-formed XML whatever the names
        texts = [t.text or "" for t in tree.iter() if t.tag.endswith("text")]
        assert any(t.startswith('Anna "A" \\ de\\nVries <b>&amp; {x}') for t in texts), texts


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=40))
def test_quoted_reads_back_as_the_text(text: str) -> None:
    token = quoted(text)
    (read,) = _TOKEN.findall(token)
    assert read == token  # one string: no quote escapes it
    kept = "".join(ch for ch in text.replace("\r\n", "\n") if ch >= " " or ch in "\t\n")
    assert unquote(token) == kept


# --- formats, Graphviz and its absence ----------------------------------------------------------


def test_svg_and_png(run: Run, drawn: str, tmp_path: Path) -> None:
    graphviz()
    svg = tmp_path / "g.svg"
    result = run("genogram", drawn, "--out", str(svg))
    assert result.stdout.strip() == f"wrote the genogram of {drawn} to {svg}"
    tree = ElementTree.parse(svg)
    assert tree.getroot().tag == "{http://www.w3.org/2000/svg}svg"
    text = svg.read_text(encoding="utf-8")
    assert "Opa Jan †" in text
    assert "Buurvrouw" in text
    assert svg.stat().st_mode & 0o777 == 0o600
    png = tmp_path / "g.png"
    run("genogram", drawn, "--out", str(png))
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    other = tmp_path / "picture"
    run("genogram", drawn, "--out", str(other), "--format", "SVG")
    assert other.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    audit = run("audit", "-f", "json").json()
    assert [(a["action"], a["entity"], a["fields"]) for a in audit[-3:]] == [
        ("document", "genogram", "internal")
    ] * 3


def test_without_the_dot_program_the_dot_file_is_written(
    run: Run, drawn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    svg = tmp_path / "g.svg"
    result = run("genogram", drawn, "--out", str(svg), ok=None)
    assert result.exit_code == 3
    assert not svg.exists()
    assert result.stdout.strip() == f"wrote the genogram of {drawn} to {tmp_path / 'g.dot'}"
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: Graphviz is not installed, so no SVG was drawn: ")
    assert "apt install graphviz" in line
    assert "pip install graphviz" in line
    statements((tmp_path / "g.dot").read_text(encoding="utf-8"))
    # the DOT it wrote is not replaced without --force; nothing else is written then
    again = run("genogram", drawn, "--out", str(svg), ok=None)
    assert again.exit_code == 1
    assert "g.dot" in again.stderr
    assert not svg.exists()
    assert run("genogram", drawn, "--out", str(svg), "--force", ok=None).exit_code == 3


def test_without_the_python_package_the_dot_file_is_written(
    run: Run, drawn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)  # import graphviz raises ImportError
    result = run("--lang", "nl", "genogram", drawn, "--out", str(tmp_path / "g.png"), ok=None)
    assert result.exit_code == 3
    assert (tmp_path / "g.dot").exists()
    assert not (tmp_path / "g.png").exists()
    (line,) = result.stderr.splitlines()
    assert line.startswith("fout: Graphviz is niet geïnstalleerd, dus is er geen PNG getekend")
    assert "apt install graphviz" in line


def test_dot_needs_no_graphviz(
    run: Run, drawn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)
    monkeypatch.setenv("PATH", str(tmp_path))
    for name in ("g.dot", "g.gv"):
        run("genogram", drawn, "--out", str(tmp_path / name))
        statements((tmp_path / name).read_text(encoding="utf-8"))


def test_refusals(run: Run, drawn: str, tmp_path: Path) -> None:
    refused(run, "genogram", drawn, "--out", str(tmp_path / "g.pdf"), match="unknown genogram")
    assert not (tmp_path / "g.pdf").exists()
    refused(run, "genogram", "GO-0000-000", "--out", str(tmp_path / "g.dot"), match="GO-0000-000")
    (tmp_path / "old.dot").write_text("mine", encoding="utf-8")
    refused(run, "genogram", drawn, "--out", str(tmp_path / "old.dot"))
    assert (tmp_path / "old.dot").read_text(encoding="utf-8") == "mine"
    result = run("genogram", drawn, "--out", str(tmp_path / "g.dot"), "--format", "pdf", ok=None)
    assert result.exit_code == 2


# --- the internal werkplan ----------------------------------------------------------------------

EXTERNAL = ("http", "src=", "<link", "<script", "@import", "url(", "<?xml", "<!DOCTYPE svg")


def test_the_internal_werkplan_embeds_the_genogram(run: Run, drawn: str, tmp_path: Path) -> None:
    graphviz()
    page = tmp_path / "eigen.html"
    run("--lang", "nl", "werkplan", drawn, "--internal", "--out", str(page))
    text = page.read_text(encoding="utf-8")
    assert "<h2>Genogram (intern)</h2>" in text
    (svg,) = re.findall(r"<svg class=\"genogram\".*?</svg>", text, flags=re.S)
    assert 'aria-label="Genogram van Familie Test"' in svg
    assert "Opa Jan †" in svg
    assert "geweld tegen" in svg
    for external in (*EXTERNAL, "xmlns", "xlink", "<!--"):
        assert external not in text, external
    assert text.index("Gezinsleden") < text.index("Genogram (intern)")
    markdown = tmp_path / "eigen.md"
    run("--lang", "nl", "werkplan", drawn, "--internal", "--out", str(markdown))
    md = markdown.read_text(encoding="utf-8")
    assert "## Genogram (intern)" in md
    assert "*De HTML-versie van dit werkplan heeft het genogram.*" in md


def test_the_werkplan_to_send_never_has_the_genogram(run: Run, drawn: str, tmp_path: Path) -> None:
    page = tmp_path / "werkplan.html"
    run("--lang", "nl", "werkplan", drawn, "--out", str(page))
    text = page.read_text(encoding="utf-8")
    assert "<svg" not in text
    assert "Genogram" not in text
    for external in EXTERNAL:
        assert external not in text, external


def test_the_internal_werkplan_without_graphviz_says_how_to_get_it(
    run: Run, drawn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)
    page = tmp_path / "eigen.html"
    run("werkplan", drawn, "--internal", "--out", str(page))
    text = page.read_text(encoding="utf-8")
    assert "<h2>Genogram (internal)</h2>" in text
    assert '<p class="note">The genogram could not be drawn: Graphviz is not installed' in text
    assert "<svg" not in text


# --- where Graphviz puts the couple's point -----------------------------------------------------


def _people(*spec: str) -> list[Person]:
    """``_people("b:perpetrator:out", "a:victim")``: key, role, ``out`` when outside the
    household."""
    return [
        Person(key, key.upper(), role, household=not rest)
        for key, role, *rest in (s.split(":") for s in spec)
    ]


@pytest.mark.parametrize(
    ("folk", "relations"),
    [
        # a married couple with a child, the husband outside the household (the user's trial)
        ("b:perpetrator:out a:victim c:child", "b married a, b parent_of c, a parent_of c"),
        ("a:victim b:perpetrator c:child", "a married b, a parent_of c, b parent_of c"),
        # a remarried mother: her ex outside the household, a child of each couple
        (
            "k:ex_partner:out a:victim b:perpetrator h:child c:child",
            "k divorced a, a married b, a parent_of c, b parent_of c, k parent_of h, a parent_of h",
        ),
        # a remarried father outside the household, with a new partner outside it too
        (
            "m:victim f:perpetrator:out c:child s:family:out d:child",
            "m married f, m parent_of c, f parent_of c, f partner s, f parent_of d, s parent_of d",
        ),
    ],
)
def test_the_couples_point_stands_between_the_partners(folk: str, relations: str) -> None:
    """Read from ``dot -Tplain``: each couple's point lies between the two partners in their
    row, and their children hang below it."""
    dot_program = graphviz()
    g = genogram(_people(*folk.split()), [Tie(*r.split()) for r in relations.split(", ")])
    dot = to_dot(Drawing("GO-2026-300", "Test", date(2026, 1, 1), g))
    plain = subprocess.run(
        [dot_program, "-Tplain"], input=dot.encode(), capture_output=True, check=True
    ).stdout.decode()
    at = {
        line.split()[1]: (float(line.split()[2]), float(line.split()[3]))
        for line in plain.splitlines()
        if line.startswith("node ")
    }
    ids = {key: f"p{i}" for i, key in enumerate(g.people, 1)}
    assert g.couples
    for i, couple in enumerate(g.couples, 1):
        (x1, y1), (x2, y2), (x, y) = at[ids[couple.first]], at[ids[couple.second]], at[f"u{i}"]
        assert min(x1, x2) < x < max(x1, x2), (couple, x1, x, x2)
        assert y1 == y2 == y
        family = next(f for f in g.families if f.couple == i - 1)
        assert all(at[ids[child]][1] < y for child in family.children)
