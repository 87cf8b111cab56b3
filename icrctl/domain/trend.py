"""Which way a score went between the last two assessments."""

from __future__ import annotations

from collections.abc import Sequence


def trend(scores: Sequence[int | None]) -> str | None:
    """``up``, ``down`` or ``same`` between the last two scores given; ``None`` with fewer."""
    given = [s for s in scores if s is not None]
    if len(given) < 2:
        return None
    before, last = given[-2], given[-1]
    return "up" if last > before else "down" if last < before else "same"
