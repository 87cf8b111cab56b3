"""The working stages (werkwijze casusregie) in their order, and the rule for skipping one.

A case works through inventory, analysis, execution and aftercare, and then closes (see
docs/domain.md). Moving to the next stage, or back to an earlier one when the work needs it, is
ordinary. Moving forward over a stage (inventory straight to aftercare) is sometimes right too,
but it leaves out part of the method, so it needs a reason, kept in the stage history. Closing has
its own checklist (``domain.closing``), and an import records the history as it was: neither runs
this rule. Pure Python: the service passes in what it needs.
"""

from __future__ import annotations

from icrctl.domain.vocabulary import STAGE, STAGES
from icrctl.errors import RuleViolation
from icrctl.i18n import ngettext

#: The working order, first to last: inventory, analysis, execution, aftercare, closed.
WORKING_ORDER: tuple[str, ...] = STAGES

#: Hint key of the refusal below: say why the stage is skipped (``render.errors`` words it).
GIVE_STAGE_REASON = "give-stage-reason"


def skipped(current: str, new: str) -> tuple[str, ...]:
    """The stages a move from ``current`` to ``new`` passes over, in the working order: those
    strictly between them going forward; none for the next stage, the same one, or going back.
    Either stage may be a Dutch word; :class:`InvalidValue` for one that is none."""
    start = WORKING_ORDER.index(STAGE.parse(current))
    end = WORKING_ORDER.index(STAGE.parse(new))
    return WORKING_ORDER[start + 1 : end] if end > start else ()


def check_stage_move(current: str, new: str, reason: str | None, ref: str = "REF") -> None:
    """Refuse a move forward over one or more stages without a ``reason``; ``ref`` is the case
    the hint names. Going back, or to the next stage, needs none."""
    passed = skipped(current, new)
    if not passed or (reason is not None and reason.strip()):
        return
    message = ngettext(
        "moving from {current} to {new} skips the stage {stages}",
        "moving from {current} to {new} skips the stages {stages}",
        len(passed),
    ).format(
        current=STAGE.label(STAGE.parse(current)),
        new=STAGE.label(STAGE.parse(new)),
        stages=", ".join(STAGE.label(s) for s in passed),
    )
    raise RuleViolation(message, GIVE_STAGE_REASON, ref=ref, stage=STAGE.parse(new))
