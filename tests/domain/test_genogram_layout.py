"""The genogram's layout, without a database: generations, couples, families, violence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from icrctl.domain.genogram import (
    PARTNERSHIPS,
    SAME_ROW,
    Couple,
    Family,
    Person,
    Tie,
    genogram,
)

ROLES = ["victim", "perpetrator", "both", "child", "ex_partner", "grandparent", "family", "network"]
KINDS = ["partner", "ex_partner", "married", "divorced", "parent_of", "sibling", "violent_towards"]


def people(*spec: str) -> list[Person]:
    """``people("a:victim", "b:child")``."""
    return [Person(key, key.upper(), role) for key, role in (s.split(":") for s in spec)]


def ties(*spec: str) -> list[Tie]:
    """``ties("a parent_of b")``."""
    return [Tie(*s.split()) for s in spec]


def test_three_generations_partners_side_by_side_children_below() -> None:
    g = genogram(
        people("opa:grandparent", "a:victim", "b:perpetrator", "c:child", "d:child"),
        ties(
            "a married b",
            "a parent_of c",
            "b parent_of c",
            "a parent_of d",
            "b parent_of d",
            "opa parent_of a",
            "b violent_towards a",
        ),
    )
    assert g.rows == [["opa"], ["a", "b"], ["c", "d"]]
    assert g.couples == [Couple("a", "b", "married")]
    assert Family(("a", "b"), ("c", "d"), 0) in g.families
    assert Family(("opa",), ("a",), None) in g.families
    assert g.violence == [Tie("b", "violent_towards", "a")]
    assert g.perpetrator("b")
    assert not g.perpetrator("a")
    assert g.victim("a")
    assert not g.victim("c")


def test_a_partner_without_parents_stands_beside_the_other_not_on_top() -> None:
    g = genogram(
        people("oma:grandparent", "a:victim", "b:perpetrator", "c:child"),
        ties("oma parent_of a", "a partner b", "b parent_of c"),
    )
    assert g.rows == [["oma"], ["a", "b"], ["c"]]


def test_a_parent_with_only_a_child_recorded_stands_just_above_it() -> None:
    # x's only tie is to the grandchild's row: x stands one row above it, not at the very top
    g = genogram(
        people("g:grandparent", "p:victim", "c:child", "x:perpetrator"),
        ties("g parent_of p", "p parent_of c", "x parent_of c"),
    )
    assert g.row_of("x") == g.row_of("p") == 1
    assert g.row_of("c") == 2


def test_people_without_ties_are_placed_by_role() -> None:
    g = genogram(people("k:child", "n:network", "o:grandparent", "a:victim"), [])
    assert g.rows == [["o"], ["n", "a"], ["k"]]
    assert g.couples == []
    assert g.families == []
    assert g.siblings == []


def test_a_tied_group_is_placed_by_its_roles() -> None:
    # two siblings who are children, and an unrelated grandparent: the siblings go to the bottom
    g = genogram(people("s1:child", "s2:child", "o:grandparent"), ties("s1 sibling s2"))
    assert g.rows == [["o"], ["s1", "s2"]]
    assert g.siblings == [Tie("s1", "sibling", "s2")]


def test_siblings_with_the_same_parents_are_not_drawn_twice() -> None:
    g = genogram(
        people("m:victim", "c:child", "d:child"),
        ties("m parent_of c", "m parent_of d", "c sibling d"),
    )
    assert g.siblings == []
    assert g.families == [Family(("m",), ("c", "d"), None)]


def test_the_strongest_partnership_is_drawn_once() -> None:
    g = genogram(people("a:victim", "b:perpetrator"), ties("a married b", "b divorced a"))
    assert g.couples == [Couple("a", "b", "divorced")]
    assert PARTNERSHIPS[0] == "divorced"


def test_a_circle_of_parents_draws_without_moving_anyone_endlessly() -> None:
    g = genogram(
        people("a:victim", "b:child", "c:child"),
        ties("a parent_of b", "b parent_of c", "c parent_of a", "a partner c"),
    )
    assert sorted(k for row in g.rows for k in row) == ["a", "b", "c"]
    assert g.row_of("a") == g.row_of("c")
    assert len(g.families) == 3  # every recorded parent tie is still drawn


def test_ties_to_unknown_people_and_to_oneself_are_left_out() -> None:
    g = genogram(people("a:victim"), ties("a partner zz", "a sibling a"))
    assert g.rows == [["a"]]
    assert g.couples == []
    assert g.siblings == []


def test_household_and_deceased() -> None:
    g = genogram(
        [
            Person("a", "A", "victim"),
            Person("b", "B", "perpetrator", household=False, deceased=True),
        ],
        [],
    )
    assert g.household == ["a"]
    assert g.people["b"].deceased


@st.composite
def families(draw: st.DrawFn) -> tuple[list[Person], list[Tie]]:
    count = draw(st.integers(1, 8))
    folk = [Person(f"m{i}", f"M{i}", draw(st.sampled_from(ROLES))) for i in range(count)]
    pairs = st.tuples(st.integers(0, count - 1), st.sampled_from(KINDS), st.integers(0, count - 1))
    links = [Tie(f"m{a}", kind, f"m{b}") for a, kind, b in draw(st.lists(pairs, max_size=14))]
    return folk, links


@settings(max_examples=200, deadline=None)
@given(families())
def test_any_family_is_laid_out(case: tuple[list[Person], list[Tie]]) -> None:
    """Whatever is recorded, even contradicting ties: everyone stands in exactly one row, no row
    is empty, partners and siblings share a row, and a child stands below a parent unless the
    recorded ties put them in one row or in a circle."""
    folk, links = case
    g = genogram(folk, links)
    placed = [key for row in g.rows for key in row]
    assert sorted(placed) == sorted(p.key for p in folk)
    assert all(g.rows)
    for t in links:
        if t.member != t.other and t.kind in SAME_ROW:
            assert g.row_of(t.member) == g.row_of(t.other)
    acyclic = not any(t.kind == "parent_of" for t in links) or _forest(links)
    if acyclic:
        for t in links:
            if t.kind == "parent_of" and t.member != t.other:
                assert g.row_of(t.member) < g.row_of(t.other), t


def _forest(links: list[Tie]) -> bool:
    """Parent ties only, each child one parent, parents before children in key order, and no
    same-row tie: then every parent must stand above their child."""
    parents = [t for t in links if t.kind == "parent_of"]
    others = [t for t in links if t.kind in SAME_ROW and t.member != t.other]
    children = [t.other for t in parents]
    ordered = all(int(t.member[1:]) < int(t.other[1:]) for t in parents)
    return not others and ordered and len(children) == len(set(children))
