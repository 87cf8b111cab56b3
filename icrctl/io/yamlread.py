"""A strict YAML reader for the import file.

Everything is read as text, node by node, with its line: no YAML 1.1 surprises (``no`` turning
into false, ``0612345670`` into a number, ``14:30`` into 870), no anchors or aliases, no tags, no
duplicate keys, one document, bounded size and depth. libyaml parses when it is present.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

import yaml

from icrctl.errors import ImportErrors

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 16

try:
    from yaml import CBaseLoader as _Loader

    _C = True
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

    _C = False


@dataclass
class Scalar:
    text: str
    line: int
    plain: bool

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in ("", "~", "null", "Null", "NULL")


@dataclass
class Seq:
    items: list[Node]
    line: int


@dataclass
class Map:
    items: dict[str, tuple[int, Node]]
    line: int


Node = Scalar | Seq | Map


def read_yaml(stream: IO[str], name: str) -> Node:
    """Parse one YAML document into nodes; any problem is an :class:`ImportErrors`."""
    text = stream.read(MAX_BYTES + 1)
    if len(text) > MAX_BYTES:
        raise ImportErrors([f"{name}: the file is larger than {MAX_BYTES // 2**20} MiB"])
    try:
        return _build(yaml.parse(text, Loader=_Loader), name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise ImportErrors([f"{where}: not valid YAML: {exc.problem or exc.context}"]) from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in UTF-8 bytes, the pure-Python reader in characters.
        before = text.encode()[: exc.position] if _C else text[: exc.position].encode()
        line = before.count(b"\n") + 1
        raise ImportErrors(
            [f"{name}:{line}: not valid YAML: character #x{exc.character:04x}: {exc.reason}"]
        ) from None
    except yaml.YAMLError as exc:
        raise ImportErrors([f"{name}: not valid YAML: {' '.join(str(exc).split())}"]) from None


def _fail(name: str, line: int, path: str, message: str) -> ImportErrors:
    return ImportErrors([f"{name}:{line}: {path}: {message}"])


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
    for event in events:  # type: ignore[attr-defined]
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _fail(name, line, "(top)", "only one YAML document is allowed")
            continue
        _refuse(event, line, name, stack, pending_key, paths)
        if isinstance(event, yaml.ScalarEvent):
            node = Scalar(event.value, line, not event.style)
            if not stack:
                root = node
            else:
                _attach(stack, pending_key, paths, node, name)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            _open(event, line, name, stack, pending_key, paths)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            done = stack.pop()
            pending_key.pop()
            paths.pop()
            if not stack:
                root = done
    if root is None:
        raise ImportErrors([f"{name}:1: (top): the file is empty"])
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
        raise _fail(name, line, here, f"aliases (*{event.anchor}) are not allowed")
    if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
        here = _here(stack, keys, paths)
        raise _fail(name, line, here, f"anchors (&{event.anchor}) are not allowed")
    if isinstance(event, yaml.CollectionStartEvent | yaml.ScalarEvent) and event.tag:
        if isinstance(event, yaml.ScalarEvent) and event.tag == "!":
            return
        here = _here(stack, keys, paths)
        raise _fail(name, line, here, f"tags ({event.tag}) are not allowed")


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
        raise _fail(name, line, here, f"nested deeper than {MAX_DEPTH} levels")
    container: Seq | Map = (
        Seq([], line) if isinstance(event, yaml.SequenceStartEvent) else Map({}, line)
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
            raise _fail(name, node.line, paths[-1] or "(top)", "a key must be a plain word")
        if node.text in parent.items:
            first = parent.items[node.text][0]
            raise _fail(
                name,
                node.line,
                _join(paths[-1], node.text),
                f"duplicate key {node.text!r} (first on line {first})",
            )
        keys[-1] = node
        return
    parent.items[key.text] = (key.line, node)
    keys[-1] = None
