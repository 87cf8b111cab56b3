"""The genogram of a case as a layout: who stands in which row (generation), which couples are
drawn side by side, which children hang below which parents, who lives in the household and who
used violence against whom. Pure: people and their ties in, a :class:`Genogram` out;
``render.genogram`` draws it.

The rows follow the ties: a parent stands above their child, partners (together, separated,
married, divorced) and siblings in one row. A group of people tied to each other is then placed
by their roles (grandparents in the top row, children at the bottom, the others between), and so
is a person with no ties at all. Ties that contradict each other (someone recorded as the parent
of their own parent) do not break the drawing: the tie that would close the circle is drawn but
does not move anyone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

#: The ties between two partners, the strongest claim first: a divorce or a separation says
#: more about today than the marriage or the relationship it ended, so when a pair has several
#: the first of these is drawn.
PARTNERSHIPS = ("divorced", "ex_partner", "married", "partner")
#: Ties between two people of one generation.
SAME_ROW = frozenset({*PARTNERSHIPS, "sibling"})
PARENT = "parent_of"
VIOLENCE = "violent_towards"
#: The row a role stands in when nothing else says: grandparents on top, children below, every
#: other role (the parents, ex-partners, family, network) in between.
ROLE_ROW = {"grandparent": 0, "child": 2}
ADULT_ROW = 1
#: Roles that mark someone as using violence, and as suffering it.
PERPETRATOR_ROLES = frozenset({"perpetrator", "both"})
VICTIM_ROLES = frozenset({"victim", "both"})


@dataclass(frozen=True)
class Person:
    """A member as the genogram needs them (``key`` is the member's key in the case)."""

    key: str
    name: str
    role: str
    born: date | None = None
    household: bool = True
    deceased: bool = False


@dataclass(frozen=True)
class Tie:
    """A recorded relation: ``member`` ``kind`` ``other`` (``m1 parent_of m3``)."""

    member: str
    kind: str
    other: str


@dataclass(frozen=True)
class Couple:
    """Two partners drawn side by side, joined by a line that says how they stand (``kind``:
    one of :data:`PARTNERSHIPS`)."""

    first: str
    second: str
    kind: str


@dataclass(frozen=True)
class Family:
    """Children below their parents: below the couple's line when the parents are a couple
    (``couple``: its index in :attr:`Genogram.couples`), below each parent otherwise."""

    parents: tuple[str, ...]
    children: tuple[str, ...]
    couple: int | None = None


@dataclass
class Genogram:
    """The layout: ``rows`` are the generations from the top, each the keys of its people in the
    order they were added; the rest says what to draw between them."""

    people: dict[str, Person]
    rows: list[list[str]]
    couples: list[Couple] = field(default_factory=list)
    families: list[Family] = field(default_factory=list)
    #: Sibling ties not already drawn through parents they share.
    siblings: list[Tie] = field(default_factory=list)
    violence: list[Tie] = field(default_factory=list)

    @property
    def household(self) -> list[str]:
        """The people of the household, drawn inside one boundary."""
        return [key for key, person in self.people.items() if person.household]

    def perpetrator(self, key: str) -> bool:
        """Uses violence: by their role, or by a recorded violence tie from them."""
        return self.people[key].role in PERPETRATOR_ROLES or any(
            t.member == key for t in self.violence
        )

    def victim(self, key: str) -> bool:
        """Suffers violence: by their role, or by a recorded violence tie against them."""
        return self.people[key].role in VICTIM_ROLES or any(t.other == key for t in self.violence)

    def row_of(self, key: str) -> int:
        return next(i for i, row in enumerate(self.rows) if key in row)


@dataclass
class Drawing:
    """A case's genogram with what its title needs."""

    ref: str
    title: str
    date: date
    genogram: Genogram


def genogram(people: Sequence[Person], ties: Iterable[Tie]) -> Genogram:
    """The genogram of ``people`` (in the order they were added) and the ``ties`` between them;
    a tie naming someone not among ``people`` is left out."""
    known = {p.key: p for p in people}
    ties = [t for t in ties if t.member in known and t.other in known and t.member != t.other]
    level = generations([p.key for p in people], [p.role for p in people], ties)
    rows: list[list[str]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for p in people:
        rows[level[p.key]].append(p.key)
    couples = _couples(ties)
    families = _families(ties, couples, list(known))
    return Genogram(
        known,
        rows,
        couples,
        families,
        _loose_siblings(ties, families),
        [t for t in ties if t.kind == VIOLENCE],
    )


def generations(keys: Sequence[str], roles: Sequence[str], ties: Sequence[Tie]) -> dict[str, int]:
    """The row of every person, 0 at the top: parents above children, partners and siblings in
    one row, each group of tied people (and each person without ties) placed by their roles."""
    row = _Groups(keys)
    for t in ties:
        if t.kind in SAME_ROW:
            row.join(t.member, t.other)
    below = _parent_edges(row, ties)
    level = _levels(row.roots(), below)
    family = _Groups(keys)
    for t in ties:
        if t.kind in SAME_ROW or t.kind == PARENT:
            family.join(t.member, t.other)
    wanted: dict[str, Counter[int]] = {}
    for key, role in zip(keys, roles, strict=True):
        shift = ROLE_ROW.get(role, ADULT_ROW) - level[row.find(key)]
        wanted.setdefault(family.find(key), Counter())[shift] += 1
    # the shift most of the group's roles ask for; on a tie, the one that keeps them highest
    shifts = {g: min(c, key=lambda s: (-c[s], s)) for g, c in wanted.items()}
    placed = {key: level[row.find(key)] + shifts[family.find(key)] for key in keys}
    used = sorted(set(placed.values()))
    # no empty rows: the rows in use, counted from the top
    return {key: used.index(value) for key, value in placed.items()}


def _parent_edges(row: _Groups, ties: Sequence[Tie]) -> dict[str, set[str]]:
    """Between the rows' groups: parent group to child group, in the order recorded, leaving
    out a tie within one group or one that would close a circle."""
    below: dict[str, set[str]] = {}
    for t in ties:
        if t.kind != PARENT:
            continue
        parent, child = row.find(t.member), row.find(t.other)
        if parent != child and not _reaches(below, child, parent):
            below.setdefault(parent, set()).add(child)
    return below


def _reaches(below: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(below.get(node, ()))
    return False


def _levels(groups: list[str], below: dict[str, set[str]]) -> dict[str, int]:
    """Each group's row within its family: children at least one below every parent; then a
    group without recorded parents moves down to just above its highest child (a father whose
    own parents are unknown stands beside the mother, not at the top)."""
    order = _topological(groups, below)
    level = dict.fromkeys(groups, 0)
    for group in order:
        for child in below.get(group, ()):
            level[child] = max(level[child], level[group] + 1)
    has_parent = {child for children in below.values() for child in children}
    for group in reversed(order):
        children = below.get(group)
        if children and group not in has_parent:
            level[group] = min(level[c] for c in children) - 1
    return level


def _topological(groups: list[str], below: dict[str, set[str]]) -> list[str]:
    """The groups, every parent group before its child groups (the edges hold no circle)."""
    order: list[str] = []
    done: set[str] = set()

    def visit(group: str) -> None:
        if group in done:
            return
        done.add(group)
        for child in sorted(below.get(group, ())):
            visit(child)
        order.append(group)

    for group in groups:
        visit(group)
    return order[::-1]


def _couples(ties: Sequence[Tie]) -> list[Couple]:
    """One couple per pair of partners, with the strongest of their ties (see PARTNERSHIPS),
    in the order their first tie was recorded."""
    kinds: dict[frozenset[str], tuple[str, str, str]] = {}
    for t in ties:
        if t.kind not in PARTNERSHIPS:
            continue
        pair = frozenset((t.member, t.other))
        first, second, kind = kinds.get(pair, (t.member, t.other, t.kind))
        stronger = min(kind, t.kind, key=PARTNERSHIPS.index)
        kinds[pair] = (first, second, stronger)
    return [Couple(*value) for value in kinds.values()]


def _families(ties: Sequence[Tie], couples: list[Couple], order: list[str]) -> list[Family]:
    """Children grouped by the same parents (in the order the people were added)."""
    parents: dict[str, list[str]] = {}
    for t in ties:
        if t.kind == PARENT and t.member not in parents.get(t.other, []):
            parents.setdefault(t.other, []).append(t.member)
    groups: dict[tuple[str, ...], list[str]] = {}
    for child in order:
        if child in parents:
            key = tuple(sorted(parents[child], key=order.index))
            groups.setdefault(key, []).append(child)
    pairs = {frozenset((c.first, c.second)): i for i, c in enumerate(couples)}
    return [
        Family(key, tuple(children), pairs.get(frozenset(key)) if len(key) == 2 else None)
        for key, children in groups.items()
    ]


def _loose_siblings(ties: Sequence[Tie], families: list[Family]) -> list[Tie]:
    """Sibling ties between people who do not hang below the same parents (those are drawn as
    siblings already), each pair once."""
    together = {frozenset((a, b)) for f in families for a in f.children for b in f.children}
    seen: set[frozenset[str]] = set()
    out = []
    for t in ties:
        pair = frozenset((t.member, t.other))
        if t.kind == "sibling" and pair not in together and pair not in seen:
            seen.add(pair)
            out.append(t)
    return out


class _Groups:
    """Union-find over keys: who stands in one group."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {key: key for key in keys}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def roots(self) -> list[str]:
        return list(dict.fromkeys(self.find(key) for key in self.parent))
