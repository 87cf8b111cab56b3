"""What ``member forget`` and ``case purge`` share: asking before a restore point goes, and saying
which copies of the case file went with the erased data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icrctl.cli.state import out
from icrctl.i18n import _, ngettext

if TYPE_CHECKING:
    from pathlib import Path

    from icrctl.db.backups import Erased


def restore_points_question(points: list[Path]) -> str:
    """The sentence that asks before restore points are deleted, or '' when there are none."""
    if not points:
        return ""
    return ngettext(
        "The restore point {files} is a whole earlier case file that still holds the data; "
        "erasing deletes it too. Go on?",
        "The restore points {files} are whole earlier case files that still hold the data; "
        "erasing deletes them too. Go on?",
        len(points),
    ).format(files=", ".join(p.name for p in points))


def report_copies(erased: Erased, done: bool) -> None:
    """Say which copies were removed besides the automatic backups, and whether the file itself
    could be rewritten now."""
    if erased.restore_points:
        out().say(
            ngettext(
                "removed {count} restore point that still held the data",
                "removed {count} restore points that still held the data",
                erased.restore_points,
            ).format(count=erased.restore_points)
        )
    if erased.temporary:
        out().say(
            ngettext(
                "removed {count} temporary copy that an interrupted command left behind",
                "removed {count} temporary copies that interrupted commands left behind",
                erased.temporary,
            ).format(count=erased.temporary)
        )
    if not done:
        out().warn(
            _(
                "another program has the case file open, so old copies of the erased data stay "
                "in the file until it is closed: close other icrctl windows and programs using it"
            )
        )
