"""One object owns terminal output: tables to stdout, messages to stderr, JSON and CSV for scripts.

Stored strings are always rendered as :class:`rich.text.Text`, never parsed as markup, so a name
like ``Jan [/] de Wit`` prints literally.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from icrctl.i18n import _

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

FORMATS = ("table", "json", "csv")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def jsonable(value: Any) -> Any:
    """Dataclasses, dates and tuples as JSON-ready values (dates in ISO; a field ``with_`` is
    ``with``)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name.rstrip("_"): jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):  # stored as naive UTC: say so
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_cell(value: Any) -> str:
    """One CSV cell: lists joined with ``;``, and a leading ``= + - @`` neutralised so that a
    spreadsheet never runs it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    is_list = isinstance(value, list | tuple)
    text = ";".join(csv_cell(v) for v in value) if is_list else str(value)
    if text.startswith(_FORMULA):
        text = "'" + text
    return text


def csv_text(rows: Iterable[Mapping[str, Any]]) -> str:
    rows = list(rows)
    buffer = io.StringIO()
    if not rows:
        return ""
    columns = [k for k, v in rows[0].items() if not _nested(v)]
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([csv_cell(r.get(c)) for c in columns])
    return buffer.getvalue()


def _nested(value: Any) -> bool:
    return isinstance(value, Mapping) or (
        isinstance(value, list) and any(isinstance(v, Mapping) for v in value)
    )


class Output:
    """Where everything the user sees goes. Tests read stdout and stderr separately."""

    def __init__(self) -> None:
        self._console: Console | None = None
        self._err: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False, emoji=False, file=sys.stdout)
        return self._console

    @property
    def err(self) -> Console:
        if self._err is None:
            from rich.console import Console

            self._err = Console(highlight=False, emoji=False, stderr=True)
        return self._err

    def emit(self, data: Any, fmt: str, table: Callable[[Any], RenderableType]) -> None:
        """Render ``data`` as a table, one JSON document, or CSV."""
        if fmt == "json":
            sys.stdout.write(json.dumps(jsonable(data), ensure_ascii=False, indent=2) + "\n")
        elif fmt == "csv":
            doc = jsonable(data)
            sys.stdout.write(csv_text(doc if isinstance(doc, list) else [doc]))
        else:
            self.console.print(table(data))

    def say(self, *parts: str | tuple[str, str]) -> None:
        """A confirmation line; plain strings are data (never markup), tuples are (text, style)."""
        from rich.text import Text

        self.console.print(Text.assemble(*parts), soft_wrap=True)

    def say_with(self, message: str, bold: str, **values: object) -> None:
        """A confirmation line: ``message`` (translated) filled in with ``values``, the field
        named ``bold`` in bold: the ref or key the user types next (``added m3 …``)."""
        before, _sep, after = message.partition("{" + bold + "}")
        self.say(before.format(**values), (str(values[bold]), "bold"), after.format(**values))

    def warn(self, message: str) -> None:
        """``warning: …`` on stderr (``waarschuwing: …`` in Dutch); ``message`` is translated
        already."""
        from rich.text import Text

        self.err.print(Text.assemble((_("warning:"), "yellow"), " ", message), soft_wrap=True)
