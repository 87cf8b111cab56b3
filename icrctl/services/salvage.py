"""``salvage``: export what a damaged case file still holds, in the import format.

The damaged file is copied byte for byte into a private folder beside the output and only the
copy is read (db/salvage.py), so neither the damaged file nor the case file in use is written.
What could be read goes into a fresh case file, which the migrations bring to the current schema
and the ordinary exporter writes out; the folder is removed afterwards.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from icrctl.db.salvage import TableLoss
from icrctl.errors import InvalidValue
from icrctl.i18n import _


@dataclass
class Salvaged:
    cases: int
    revision: str | None
    losses: list[TableLoss]


def salvage(damaged: Path, out: Path, *, force: bool, case_file: Path | None) -> Salvaged:
    """Export what ``damaged`` still holds to ``out`` (mode 0600); the losses say what not."""
    from icrctl.db import salvage as rescue_rows
    from icrctl.db.engine import CaseFile
    from icrctl.db.seal import anchor_path
    from icrctl.io.exportfile import export_text
    from icrctl.io.files import cannot_write, refuse_existing, write_private
    from icrctl.services.exporter import export_records

    damaged, out = damaged.expanduser(), out.expanduser()
    if not damaged.is_file():
        raise InvalidValue(_("no file at {path}").format(path=damaged))
    kept = [damaged] + ([case_file] if case_file is not None else [])
    if out.exists() and any(out.resolve() == p.resolve() for p in kept):
        raise InvalidValue(
            _("{path} is the damaged file or the case file; salvage never writes to either").format(
                path=out
            )
        )
    refuse_existing(out, force=force)
    try:
        folder = tempfile.TemporaryDirectory(prefix=".icrctl-salvage-", dir=out.parent)
    except OSError as exc:
        raise cannot_write(out, exc) from None
    with folder as scratch:
        copy = rescue_rows.copy_damaged(damaged, Path(scratch))
        fresh = Path(scratch) / "rescued.db"
        rescued = rescue_rows.rescue(copy, fresh, damaged)
        opened = CaseFile(str(fresh))  # brings an older revision to the current schema
        try:
            with opened.read() as session:
                doc = export_records(session)
        finally:
            opened.dispose()
            anchor_path(fresh).unlink(missing_ok=True)  # an upgrade anchored the scratch file
        write_private(out, export_text(doc).encode(), force=force)
    return Salvaged(len(doc.cases), rescued.revision, rescued.losses)
