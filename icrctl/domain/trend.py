"""Which way a score went: between the last two assessments, and since the first one; and the
series as a sparkline for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from icrctl.i18n import N_, _

#: The scale of a score: risk and self-reliance are assessed 1 (low) to 5 (high).
LOWEST, HIGHEST = 1, 5
#: One block per step of the scale, 1 lowest; a missing score is a gap.
BLOCKS = "▁▂▄▆█"
GAP = " "
#: A sparkline shows at most this many scores, the latest; an ellipsis stands for the rest.
SPARK_LENGTH = 12
#: Which way a score went, in words.
WAYS = {"up": N_("up"), "down": N_("down"), "same": N_("same")}


def way(before: int, after: int) -> str:
    """``up``, ``down`` or ``same`` from one score to another."""
    return "up" if after > before else "down" if after < before else "same"


def trend(scores: Sequence[int | None]) -> str | None:
    """``up``, ``down`` or ``same`` between the last two scores given; ``None`` with fewer."""
    given = [s for s in scores if s is not None]
    if len(given) < 2:
        return None
    return way(given[-2], given[-1])


@dataclass(frozen=True)
class Course:
    """A score's course over the evaluations that assessed it (missing scores skipped)."""

    first: int
    previous: int
    last: int
    count: int

    @property
    def since_first(self) -> str:
        """From the first score to the last."""
        return way(self.first, self.last)

    @property
    def last_two(self) -> str:
        """From the score before the last to the last."""
        return way(self.previous, self.last)


def course(scores: Sequence[int | None]) -> Course | None:
    """The course of the scores given; ``None`` when none is."""
    given = [s for s in scores if s is not None]
    if not given:
        return None
    return Course(given[0], given[-2] if len(given) > 1 else given[0], given[-1], len(given))


def sparkline(scores: Sequence[int | None], length: int = SPARK_LENGTH) -> str:
    """The latest ``length`` scores as block characters (``▂▄▄▆``), a gap for a missing one and
    an ellipsis in front when earlier scores are left out. A score off the scale is clamped."""
    shown = list(scores)[-length:] if length > 0 else []
    marks = [GAP if s is None else BLOCKS[min(max(s, LOWEST), HIGHEST) - LOWEST] for s in shown]
    return ("…" if len(scores) > len(shown) else "") + "".join(marks)


def in_words(scores: Sequence[int | None]) -> str:
    """The course in words that say which scores they compare: since the first score and, with
    three or more, over the last two (``5, 4, 4``: down since the first, same over the last two).
    """
    c = course(scores)
    if c is None:
        return _("not scored yet")
    fields = {"first": c.first, "previous": c.previous, "last": c.last}
    if c.count == 1:
        return _("scored once ({last})").format(**fields)
    if c.count == 2:
        return _("{since} since the first score ({first} to {last})").format(
            since=_(WAYS[c.since_first]), **fields
        )
    return _(
        "{since} since the first score ({first} to {last}), "
        "{last_two} over the last two ({previous} to {last})"
    ).format(since=_(WAYS[c.since_first]), last_two=_(WAYS[c.last_two]), **fields)
