"""A strict YAML reader for the import file.

Everything is read as text, node by node, with its line: no YAML 1.1 surprises (``no`` turning
into false, ``0612345670`` into a number, ``14:30`` into 870), no anchors or aliases, no tags, no
duplicate keys, one document, bounded size, depth and number of values. libyaml parses when it
is present.

Memory stays bounded: a file over :data:`MAX_BYTES` is refused before it is read (a regular file
by its size), the parser reads the UTF-8 bytes themselves (no text copy of the file), and a file
of more than :data:`MAX_NODES` values is refused as soon as the parser gets there; the nodes are
small (slots, one string per repeated short text, one number per line).
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from dataclasses import dataclass
from typing import IO, Any

import yaml

from icrctl import i18n
from icrctl.errors import ImportErrors, InvalidValue
from icrctl.i18n import _

MAX_BYTES = 64 * 1024 * 1024
"""The largest import file, in bytes (a generated caseload of 10,000 cases takes about 43 MB)."""
MAX_DEPTH = 16
MAX_NODES = 6_000_000
"""The most values (texts, keys, lists, mappings) in one file: about 13,000 generated cases
(10,000 hold 4.6 million). Memory grows with the values, so this bounds it."""
_SHARED = 32
_CHUNK = 2**20

try:
    from yaml import CBaseLoader as _Loader

    _C = True
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

    _C = False


@dataclass(slots=True)
class Scalar:
    text: str
    line: int
    plain: bool

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(slots=True)
class Seq:
    items: list[Node]
    line: int


class Map:
    """A mapping: its entries by key, each with the line of its key (``items``).

    The entries are kept flat (key, line, node, key, line, node, …): a dict and a tuple per entry
    would cost three times the memory, and a file holds millions of them. ``items`` builds the
    dict when asked for. While the parser fills the mapping, its keys are indexed too (for
    duplicates); :meth:`close` lets go of that index.
    """

    __slots__ = ("_flat", "_keys", "line")

    def __init__(self, items: dict[str, tuple[int, Node]], line: int) -> None:
        self.line = line
        self._flat: list[Any] = [x for key, (at, node) in items.items() for x in (key, at, node)]
        self._keys: dict[str, int] | None = None

    @classmethod
    def opened(cls, line: int) -> Map:
        """An empty mapping the parser is about to fill."""
        new = cls({}, line)
        new._keys = {}
        return new

    @property
    def items(self) -> dict[str, tuple[int, Node]]:
        flat = self._flat
        return {flat[i]: (flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3)}

    def key_line(self, key: str) -> int | None:
        """The line of ``key`` if the mapping being filled has it already."""
        return self._keys.get(key) if self._keys is not None else None

    def add(self, key: str, line: int, node: Node) -> None:
        self._flat += (key, line, node)
        if self._keys is not None:
            self._keys[key] = line

    def close(self) -> None:
        self._keys = None

    def __repr__(self) -> str:
        return f"Map({self.items!r}, {self.line})"


Node = Scalar | Seq | Map


def read_yaml(stream: IO[str], name: str) -> Node:
    """Parse one YAML document into nodes; any problem is an :class:`ImportErrors`."""
    data = _read(stream, name)
    try:
        return _build(yaml.parse(data, Loader=_Loader), name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = _("not valid YAML: {problem}").format(problem=exc.problem or exc.context)
        raise ImportErrors([f"{where}: {problem}"]) from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in UTF-8 bytes, the pure-Python reader in characters.
        before = data[: exc.position] if _C else data.decode()[: exc.position].encode()
        line = before.count(b"\n") + 1
        problem = _("not valid YAML: character {character}: {reason}").format(
            character=f"#x{exc.character:04x}", reason=exc.reason
        )
        raise ImportErrors([f"{name}:{line}: {problem}"]) from None
    except yaml.YAMLError as exc:
        problem = _("not valid YAML: {problem}").format(problem=" ".join(str(exc).split()))
        raise ImportErrors([f"{name}: {problem}"]) from None


def _read(stream: IO[str], name: str) -> bytes:
    """The file's bytes: refused when over :data:`MAX_BYTES` (a regular file before reading a
    byte) or not UTF-8."""
    larger = _("the file is larger than {size} MiB").format(size=MAX_BYTES // 2**20)
    too_large = ImportErrors([f"{name}: {larger}"])
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError):  # not a file (a string, a test's stream)
        info = None
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
        raise too_large
    raw = getattr(stream, "buffer", None)
    if raw is not None:
        data: bytes = raw.read(MAX_BYTES + 1)
    else:
        data = stream.read(MAX_BYTES + 1).encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise too_large
    _check_utf8(data, name)
    return data


def _check_utf8(data: bytes, name: str) -> None:
    """Refuse bytes that are not UTF-8, a megabyte at a time (never a text copy of the file)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for start in range(0, max(len(data), 1), _CHUNK):
        try:
            decoder.decode(view[start : start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            where = start + exc.start
            whole = UnicodeDecodeError("utf-8", data, where, where + 1, exc.reason)
            raise InvalidValue(
                _("cannot read {name}: {reason}").format(name=name, reason=whole)
            ) from None


def _fail(name: str, line: int, path: str, message: str) -> ImportErrors:
    return ImportErrors([f"{name}:{line}: {path}: {message}"])


def _too_many(name: str, line: int) -> ImportErrors:
    message = _("the file holds more than {count} values; import it in parts").format(
        count=_thousands(MAX_NODES)
    )
    return ImportErrors([f"{name}:{line}: {message}"])


def _thousands(n: int) -> str:
    """``6,000,000`` in English, ``6.000.000`` in Dutch."""
    text = f"{n:,}"
    return text.replace(",", ".") if i18n.language() == "nl" else text


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _here(stack: list[Seq | Map], keys: list[Scalar | None], paths: list[str]) -> str:
    """The path (``cases[3].members[1].born``) of the node that comes next, for messages."""
    if not stack:
        return "(top)"
    parent, path = stack[-1], paths[-1]
    if isinstance(parent, Seq):
        return f"{path}[{len(parent.items)}]"
    key = keys[-1]
    return _join(path, key.text) if key is not None else path or "(top)"


def _build(events: object, name: str) -> Node:
    stack: list[Seq | Map] = []
    pending_key: list[Scalar | None] = []
    paths: list[str] = []
    root: Node | None = None
    documents = 0
    last = 0
    values = 0
    for event in events:  # type: ignore[attr-defined]
        line = event.start_mark.line + 1 if event.start_mark else 0
        if line == last:
            line = last  # one number per line, not one per node
        last = line
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _fail(name, line, "(top)", _("only one YAML document is allowed"))
            continue
        _refuse(event, line, name, stack, pending_key, paths)
        if isinstance(event, yaml.ScalarEvent):
            values += 1
            if values > MAX_NODES:
                raise _too_many(name, line)
            text = event.value
            if len(text) <= _SHARED:
                text = sys.intern(text)  # keys, words, dates: one string each, not one per node
            node = Scalar(text, line, not event.style)
            if not stack:
                root = node
            else:
                _attach(stack, pending_key, paths, node, name)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            values += 1
            if values > MAX_NODES:
                raise _too_many(name, line)
            _open(event, line, name, stack, pending_key, paths)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            done = stack.pop()
            if isinstance(done, Map):
                done.close()
            pending_key.pop()
            paths.pop()
            if not stack:
                root = done
    if root is None:
        raise _fail(name, 1, "(top)", _("the file is empty"))
    return root


def _refuse(
    event: yaml.Event,
    line: int,
    name: str,
    stack: list[Seq | Map],
    keys: list[Scalar | None],
    paths: list[str],
) -> None:
    """No aliases, anchors or tags (but the non-specific ``!``)."""
    if isinstance(event, yaml.AliasEvent):
        here = _here(stack, keys, paths)
        raise _fail(
            name, line, here, _("aliases (*{anchor}) are not allowed").format(anchor=event.anchor)
        )
    if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
        here = _here(stack, keys, paths)
        raise _fail(
            name, line, here, _("anchors (&{anchor}) are not allowed").format(anchor=event.anchor)
        )
    if isinstance(event, yaml.CollectionStartEvent | yaml.ScalarEvent) and event.tag:
        if isinstance(event, yaml.ScalarEvent) and event.tag == "!":
            return
        here = _here(stack, keys, paths)
        raise _fail(name, line, here, _("tags ({tag}) are not allowed").format(tag=event.tag))


def _open(
    event: yaml.CollectionStartEvent,
    line: int,
    name: str,
    stack: list[Seq | Map],
    keys: list[Scalar | None],
    paths: list[str],
) -> None:
    """A list or mapping begins: attach it to its parent and descend (at most MAX_DEPTH)."""
    here = _here(stack, keys, paths)
    if len(stack) >= MAX_DEPTH:
        raise _fail(
            name, line, here, _("nested deeper than {depth} levels").format(depth=MAX_DEPTH)
        )
    container: Seq | Map = (
        Seq([], line) if isinstance(event, yaml.SequenceStartEvent) else Map.opened(line)
    )
    _attach(stack, keys, paths, container, name)
    stack.append(container)
    keys.append(None)
    paths.append("" if here == "(top)" else here)


def _attach(
    stack: list[Seq | Map], keys: list[Scalar | None], paths: list[str], node: Node, name: str
) -> None:
    if not stack:
        return
    parent = stack[-1]
    if isinstance(parent, Seq):
        parent.items.append(node)
        return
    key = keys[-1]
    if key is None:
        if not isinstance(node, Scalar):
            raise _fail(name, node.line, paths[-1] or "(top)", _("a key must be a plain word"))
        first = parent.key_line(node.text)
        if first is not None:
            raise _fail(
                name,
                node.line,
                _join(paths[-1], node.text),
                _("duplicate key {key!r} (first on line {line})").format(key=node.text, line=first),
            )
        keys[-1] = node
        return
    parent.add(key.text, key.line, node)
    keys[-1] = None
