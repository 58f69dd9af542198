"""From inventory files to YAML nodes to plain Python values, reporting what YAML would hide.

Every ``*.yaml``/``*.yml`` file is decoded and *composed* once (libyaml when available)
into a node tree. Nodes carry line numbers; PyYAML's constructed dicts do not, and its
constructor silently keeps the last of two equal keys. :class:`NodeReader` therefore
turns nodes into values itself, which lets it report duplicate keys and credential-looking
keys on the way, expand aliases and ``<<`` merge keys, refuse alias bombs and files nested
too deeply (:class:`TooComplex`), and never compose a file twice. It notes the line of
every value of an entry in the entry's :class:`~inventory.locations.LineMap`, so no node
tree outlives the reading of its file; a large file (:data:`SLIM_FROM_CHARS`) is composed
entry by entry (:class:`_Sections`), so its tree is never held whole either.

:func:`yaml_files` lists the files, reporting what it cannot follow or list.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from inventory.locations import LineMap, Problems, node_line
from inventory.messages import CREDENTIALS_MESSAGE, looks_like_credential
from inventory.model import SECTIONS, Policy

__all__ = ["MODEL_FIELDS", "NULL_TAG", "SLIM_FROM_CHARS", "YAML_SUFFIXES", "NodeReader", "TooComplex",
           "compose", "decode", "yaml_files", "yaml_problem"]

YAML_SUFFIXES = (".yaml", ".yml")

# Limits against hostile or broken files. Real inventories nest about five levels deep
# and use a handful of aliases; these only stop alias bombs and self-referencing aliases.
_MAX_DEPTH = 40
#: Composing stops deeper than this (with the line): the composer recurses once per level,
#: and block nesting thousands deep, which libyaml's parser lets through, overflowed the stack.
_MAX_COMPOSE_DEPTH = 200
_MAX_ALIAS_EXPANSION = 500_000  # values re-read through aliases, per file

_TAG = "tag:yaml.org,2002:"
#: The tag of an empty value (``devices:`` with nothing under it).
NULL_TAG = _TAG + "null"
_MERGE_TAG = _TAG + "merge"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALAR_CONSTRUCTORS = {
    _TAG + "null": yaml.constructor.SafeConstructor.construct_yaml_null,
    _TAG + "bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    _TAG + "int": yaml.constructor.SafeConstructor.construct_yaml_int,
    _TAG + "float": yaml.constructor.SafeConstructor.construct_yaml_float,
    _TAG + "timestamp": yaml.constructor.SafeConstructor.construct_yaml_timestamp,
}


# --------------------------------------------------------------------------- files

def yaml_files(root: Path, problems: Problems | None = None) -> list[Path]:
    """Every YAML file under ``root``, sorted by relative path; hidden entries skipped.

    Symbolic links are followed, to files and to folders. What cannot be followed or
    listed is never skipped in silence: a dangling link, a link that loops (to itself, or
    to a folder above it), a folder that cannot be listed and a ``*.yaml`` that is not a
    regular file (a FIFO would block the read for ever) each become a problem naming it,
    in ``problems`` when given (else :class:`OSError` is raised, as for an unreadable file).
    """
    found: list[tuple[str, Path]] = []

    def trouble(rel: str, message: str) -> None:
        if problems is None:
            raise OSError(f"{rel}: {message}")
        problems.file_unreadable(rel, None, message)

    # (folder, its relative path, the (device, inode) of the folders above it and itself)
    todo: list[tuple[Path, str, frozenset[tuple[int, int]]]] = []
    try:
        top = root.stat()
    except OSError as exc:
        trouble(str(root), f"cannot read: {exc.strerror or exc}")
        return []
    todo.append((root, "", frozenset({(top.st_dev, top.st_ino)})))
    while todo:
        folder, rel_folder, above = todo.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            trouble(rel_folder or str(root), f"cannot list this folder: {exc.strerror or exc}")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{rel_folder}/{entry.name}" if rel_folder else entry.name
            path = Path(entry.path)
            try:
                info = path.stat()  # through symbolic links
            except OSError as exc:
                trouble(rel, _link_problem(path, exc))
                continue
            if stat.S_ISDIR(info.st_mode):
                ident = (info.st_dev, info.st_ino)
                if ident in above:
                    trouble(rel, f"symbolic link loops: it leads back to a folder above it "
                                 f"({os.readlink(path) if path.is_symlink() else 'a mount'})")
                else:
                    todo.append((path, rel, above | {ident}))
            elif path.suffix.lower() in YAML_SUFFIXES:
                if stat.S_ISREG(info.st_mode):
                    found.append((rel, path))
                else:
                    trouble(rel, "not a regular file (a FIFO, socket or device): not read")
    return [path for _, path in sorted(found)]


def _link_problem(path: Path, exc: OSError) -> str:
    """Why an entry cannot be followed: a dangling or looping link, or the system's reason."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loops (it leads back to itself)"
    if path.is_symlink() and exc.errno == errno.ENOENT:
        return f"dangling symbolic link: its target {os.readlink(path)} does not exist"
    return f"cannot read: {exc.strerror or exc}"


def decode(data: bytes, rel: str, problems: Problems) -> str | None:
    """UTF-8 text (a BOM is accepted), or a problem naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.file_unreadable(rel, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}): "
                                            "save the file as UTF-8")
        return None


#: Files from this many characters on are composed by :class:`_Composer`, entry by entry,
#: into nodes that keep only their line: about a quarter slower than libyaml's composer,
#: and a file's whole node tree is never held at once. Files of a usual inventory are
#: smaller, and their node trees are freed file by file anyway.
SLIM_FROM_CHARS = 4_000_000
_C_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: The node class :meth:`_LineComposer._collection` builds and returns.
_Collection = TypeVar("_Collection", SequenceNode, MappingNode)


class _Line:
    """The position of a node: only its line, shared by every node that starts on it.

    PyYAML gives each node two marks of six attributes each; for an inventory of half a
    million devices they took most of the memory (gigabytes) of the node trees, and the
    loader reads nothing of them but the line.
    """

    __slots__ = ("line",)

    def __init__(self, line: int):
        self.line = line  # 0-based, as PyYAML's marks

    def __str__(self) -> str:
        return f"line {self.line + 1}"


class _LineComposer(yaml.composer.Composer):
    """PyYAML's composer (over libyaml's events when available), keeping only lines."""

    def __init__(self) -> None:
        super().__init__()
        self._lines: dict[int, _Line] = {}
        self._plain_tags: dict[str, str] = {}  # resolved tags of plain scalars, by text
        self._depth = 0  # collections open around the event being composed

    def _line(self, mark: yaml.Mark) -> _Line:
        line = self._lines.get(mark.line)
        if line is None:
            line = self._lines[mark.line] = _Line(mark.line)
        return line

    # As PyYAML's Composer, without path resolvers (none is registered), each event taken
    # once (not peeked, then taken): composing is most of a load, and these calls its cost.
    def compose_node(self, parent: Node | None, index: object) -> Node:
        return self._node(self.get_event())

    def _node(self, event: yaml.Event) -> Node:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            return self._scalar(event)
        if kind is yaml.AliasEvent:
            if event.anchor not in self.anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                  event.start_mark)
            return self.anchors[event.anchor]
        self._check_anchor(event)
        self._depth += 1
        if self._depth > _MAX_COMPOSE_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested more than {_MAX_COMPOSE_DEPTH} levels deep",
                                              event.start_mark)
        node = self._sequence(event) if kind is yaml.SequenceStartEvent else self._mapping(event)
        self._depth -= 1
        return node

    def _check_anchor(self, event: yaml.Event) -> None:
        if event.anchor is not None and event.anchor in self.anchors:
            raise yaml.composer.ComposerError(f"found duplicate anchor {event.anchor!r}; first occurrence",
                                              self.anchors[event.anchor].start_mark, "second occurrence",
                                              event.start_mark)

    def _scalar(self, event: yaml.ScalarEvent) -> ScalarNode:
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            if event.implicit[0]:  # plain: the resolvers decide (keys and enum values repeat)
                tag = self._plain_tags.get(value)
                if tag is None:
                    tag = self.resolve(ScalarNode, value, event.implicit)
                    if len(self._plain_tags) < 50_000:
                        self._plain_tags[value] = tag
            else:
                tag = self.DEFAULT_SCALAR_TAG  # quoted: always text
        line = self._lines.get(event.start_mark.line) or self._line(event.start_mark)
        node = ScalarNode(tag, value, line, line, style=event.style)
        if event.anchor is not None:
            self._check_anchor(event)
            self.anchors[event.anchor] = node
            node.anchored = True  # see NodeReader.value
        return node

    def _collection(self, start: yaml.CollectionStartEvent, node_class: type[_Collection],
                    default_tag: str) -> _Collection:
        """An empty sequence or mapping node for its start event, registered under its anchor."""
        tag = start.tag
        if tag is None or tag == "!":
            tag = default_tag
        line = self._line(start.start_mark)
        node = node_class(tag, [], line, line, flow_style=start.flow_style)
        if start.anchor is not None:
            self.anchors[start.anchor] = node
            node.anchored = True
        return node

    def _sequence(self, start: yaml.SequenceStartEvent) -> SequenceNode:
        node = self._collection(start, SequenceNode, self.DEFAULT_SEQUENCE_TAG)
        append, get, compose = node.value.append, self.get_event, self._node
        while True:
            event = get()
            if type(event) is yaml.SequenceEndEvent:
                return node
            append(compose(event))

    def _mapping(self, start: yaml.MappingStartEvent) -> MappingNode:
        node = self._collection(start, MappingNode, self.DEFAULT_MAPPING_TAG)
        append, get, compose = node.value.append, self.get_event, self._node
        while True:
            event = get()
            if type(event) is yaml.MappingEndEvent:
                return node
            key = compose(event)
            append((key, compose(get())))


_PARSER = getattr(yaml, "CParser", None) or getattr(getattr(yaml, "cyaml", None), "CParser", None)


class _Composer(*((_PARSER,) if _PARSER else (yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser)),
                _LineComposer, yaml.resolver.Resolver):
    """libyaml's parser (PyYAML's own without it), :class:`_LineComposer`, the YAML 1.1 types."""

    def __init__(self, text: str):
        if _PARSER:
            _PARSER.__init__(self, text)
        else:  # pragma: no cover - PyYAML without libyaml
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
        _LineComposer.__init__(self)
        yaml.resolver.Resolver.__init__(self)


class _Sections(MappingNode):
    """A file's top mapping whose lists (the sections) are composed entry by entry as read.

    Iterating ``value`` yields (key, value) pairs; a list value is a :class:`_Entries`, and
    the entries its reader did not take are skipped before the next pair. The end of the
    document is checked (one document only) when the iteration ends, so a syntax error
    anywhere surfaces while the file is read: the caller then drops what it read of it.
    """

    def __init__(self, composer: _Composer, start: yaml.MappingStartEvent):
        line = composer._line(start.start_mark)
        self.tag, self.start_mark, self.end_mark, self.flow_style = \
            start.tag if start.tag not in (None, "!") else _TAG + "map", line, line, start.flow_style
        self._composer = composer

    @property
    def value(self) -> Iterable[tuple[Node, Node]]:  # type: ignore[override]
        composer, get = self._composer, self._composer.get_event
        while True:
            event = get()
            if type(event) is yaml.MappingEndEvent:
                break
            key = composer._node(event)
            event = get()
            if type(event) is yaml.SequenceStartEvent and event.anchor is None:
                entries = _Entries(composer, event)
                yield key, entries
                entries.skip_rest()
            else:
                yield key, composer._node(event)
        get()  # the end of the document
        if not composer.check_event(yaml.StreamEndEvent):
            raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                              "but found another document", get().start_mark)


class _Entries(SequenceNode):
    """A section's list, composed one entry at a time (see :class:`_Sections`)."""

    def __init__(self, composer: _Composer, start: yaml.SequenceStartEvent):
        line = composer._line(start.start_mark)
        self.tag, self.start_mark, self.end_mark, self.flow_style = \
            start.tag if start.tag not in (None, "!") else _TAG + "seq", line, line, start.flow_style
        self._composer, self._done = composer, False

    @property
    def value(self) -> Iterable[Node]:  # type: ignore[override]
        get, compose = self._composer.get_event, self._composer._node
        while not self._done:
            event = get()
            if type(event) is yaml.SequenceEndEvent:
                self._done = True
                return
            yield compose(event)

    def skip_rest(self) -> None:
        for _ in self.value:
            pass


def compose(text: str, rel: str, problems: Problems) -> Node | None:
    """The YAML node tree of one document, or a problem with the parser's line.

    A file of :data:`SLIM_FROM_CHARS` or more is composed lazily: its top mapping is a
    :class:`_Sections` whose entries are composed as they are read (so an entry's nodes
    are freed once read), and its YAML errors may surface while it is read (see
    :func:`yaml_problem`).
    """
    try:
        if len(text) < SLIM_FROM_CHARS:
            return yaml.compose(text, Loader=_C_LOADER)  # libyaml's own composer is faster
        composer = _Composer(text)
        composer.get_event()  # the start of the stream
        if composer.check_event(yaml.StreamEndEvent):
            return None  # an empty file
        if composer.check_event(yaml.DocumentStartEvent):
            composer.get_event()
            event = composer.peek_event()
            if type(event) is yaml.MappingStartEvent and event.anchor is None:
                return _Sections(composer, composer.get_event())
            root = composer._node(composer.get_event())
            composer.get_event()  # the end of the document
            if not composer.check_event(yaml.StreamEndEvent):
                raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                                  "but found another document", composer.get_event().start_mark)
            return root
        return None
    except yaml.YAMLError as exc:
        yaml_problem(exc, text, rel, problems)
    return None


def yaml_problem(exc: yaml.YAMLError, text: str, rel: str, problems: Problems) -> None:
    """A YAML error as the problem of the whole file, with the parser's line."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(s) for s in (exc.context, exc.problem) if s)
        line = mark.line + 1 if mark else None
        if "tab" in message or _tab_indented(text, line):
            message += ": indent with spaces (YAML does not allow tabs in indentation)"
        problems.file_unreadable(rel, line, f"invalid YAML: {message}")
    elif isinstance(exc, yaml.reader.ReaderError):  # a control character or similar
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        problems.file_unreadable(rel, line, f"invalid YAML: character {exc.character!r} "
                                            "is not allowed in YAML text")
    else:  # pragma: no cover - other parser failures carry no mark
        problems.file_unreadable(rel, None, f"invalid YAML: {exc}")


def _tab_indented(text: str, line: int | None) -> bool:
    """Whether ``line`` (1-based) or the line before it is indented with a tab."""
    if not line:
        return False
    lines = text.splitlines()[max(line - 2, 0):line]
    return any("\t" in row[: len(row) - len(row.lstrip())] for row in lines)


# --------------------------------------------------------------------------- which keys are fields

#: Marks a mapping whose keys are data (ids), not field names: no credential check on them.
_FREE_KEYS = object()


def _nested_models(model: type[BaseModel]) -> dict[str, object]:
    """Per field: the nested model of a model-typed field, ``_FREE_KEYS`` for dicts."""
    out: dict[str, object] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        candidates = (annotation, *get_args(annotation))
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                out[name] = candidate
        if getattr(annotation, "__origin__", None) is dict:
            out[name] = _FREE_KEYS
    return out


def _reachable_models(roots: Iterable[type[BaseModel]]) -> dict[type[BaseModel], tuple]:
    """``model -> (field names, nested models)`` for every model the YAML can reach."""
    out: dict[type[BaseModel], tuple] = {}
    todo = list(roots)
    while todo:
        model = todo.pop()
        if model not in out:
            nested = _nested_models(model)
            out[model] = (frozenset(model.model_fields), nested)
            todo.extend(v for v in nested.values() if isinstance(v, type))
    return out


#: ``model -> (field names, {field: nested model})`` for the section models, the policy
#: and every model nested in them.
MODEL_FIELDS = _reachable_models([*(model for model, _ in SECTIONS.values()), Policy])


# --------------------------------------------------------------------------- nodes -> values

class TooComplex(Exception):
    """A file nests too deeply or expands too many aliases to be an inventory."""

    def __init__(self, node: Node, message: str):
        super().__init__(message)
        self.node = node


class NodeReader:
    """Builds plain values from one file's nodes, reporting what YAML would hide.

    Keys are taken as text (``no:`` stays ``"no"``); scalars get YAML 1.1 types as
    PyYAML's SafeLoader would, except that an impossible date such as ``2024-13-01``
    stays text so that validation names it instead of crashing.
    """

    def __init__(self, file: str, problems: Problems):
        self.file = file
        self.problems = problems
        self._visited: set[int] = set()
        self._revisits = 0
        self._locs: dict[tuple, tuple] = {}  # one tuple per location path, shared by the items

    def value(self, node: Node, path: str, model: object = None, depth: int = 0,
              lines: LineMap | None = None, loc: tuple[str | int, ...] = ()) -> Any:
        """The Python value of ``node``; ``model`` says which keys are fields here.

        With ``lines``, the line of every value (and key) under ``node`` is noted in it at
        its location ``loc + (key or index, ...)``, so the item needs no node tree later.
        """
        if depth > _MAX_DEPTH:
            raise TooComplex(node, f"nested more than {_MAX_DEPTH} levels deep "
                                   "(or an alias refers to itself)")
        if lines is not None and loc:
            loc = self._locs.setdefault(loc, loc)
            lines.lines[loc] = node.start_mark.line + 1
        if isinstance(node, ScalarNode):
            value = self._scalar(node, path)
            if lines is not None and node.tag != _TAG + "str" and str(value) != node.value:
                lines.note_text(loc, node.value)  # "YAML reads 0012 as a number" quotes it
            return value
        # Only a node an anchor names can be reached twice (through aliases). Nodes the lazy
        # composer made without an anchor are freed once read, and their ids reused.
        if not isinstance(node.start_mark, _Line) or getattr(node, "anchored", False):
            if id(node) in self._visited:  # an alias: count what it re-expands (alias bombs)
                self._revisits += 1 + len(node.value)
                if self._revisits > _MAX_ALIAS_EXPANSION:
                    raise TooComplex(node, "YAML aliases expand to too many values")
            self._visited.add(id(node))
        self._check_tag(node, path)
        if isinstance(node, SequenceNode):
            return [self.value(child, f"{path}[{i}]", None, depth + 1, lines, (*loc, i))
                    for i, child in enumerate(node.value)]
        return self._mapping(node, path, model, depth, lines, loc)

    def _check_tag(self, node: Node, path: str) -> None:
        if node.tag != (_TAG + "seq" if isinstance(node, SequenceNode) else _TAG + "map"):
            self.problems.add(self.file, node_line(node), path or None,
                              f"unsupported YAML tag {node.tag!r}")

    def _scalar(self, node: ScalarNode, path: str) -> Any:
        if node.tag == _TAG + "str":
            return node.value
        construct = _SCALAR_CONSTRUCTORS.get(node.tag)
        if construct is None:
            self.problems.add(self.file, node_line(node), path or None,
                              f"unsupported YAML tag {node.tag!r}")
            return node.value
        try:
            return construct(_CONSTRUCTOR, node)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            return node.value  # e.g. 2024-02-30: validation reports it with the field

    def _mapping(self, node: MappingNode, path: str, model: object, depth: int,
                 lines: LineMap | None = None, loc: tuple[str | int, ...] = ()) -> dict[str, Any]:
        fields, nested = MODEL_FIELDS.get(model, (frozenset(), {}))  # type: ignore[arg-type]
        explicit: dict[str, Any] = {}
        merged: list[dict[str, Any]] = []
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merge_sources(value_node, path, model, depth))
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.add(self.file, node_line(key_node), path or None,
                                  "a key must be plain text, not a list or mapping")
                continue
            key = key_node.value.strip()
            where = f"{path}.{key}" if path else key
            if key in first_line:
                self.problems.add(self.file, node_line(key_node), where,
                                  f"duplicate key {key!r} (also at line {first_line[key]}): "
                                  "YAML would silently keep only the last one")
            first_line[key] = node_line(key_node)
            if model is not _FREE_KEYS and key not in fields and looks_like_credential(key):
                # Named by its first word only: "password s3cr3t" in a flow mapping is a value
                # written without its colon, and the key is no safer to echo than the value.
                named = f"{path}.{key.split()[0]}" if path else key.split()[0]
                self.problems.add(self.file, node_line(key_node), named, CREDENTIALS_MESSAGE)
                continue  # drop it: the value must never be echoed by a later message
            if lines is not None and key_node.start_mark.line != value_node.start_mark.line:
                lines.note_key((*loc, key), key_node.start_mark.line + 1)
            explicit[key] = self.value(value_node, where, nested.get(key), depth + 1, lines, (*loc, key))
        if not merged:
            return explicit
        out: dict[str, Any] = {}
        for source in reversed(merged):  # earlier merge sources win over later ones
            out.update(source)
        out.update(explicit)  # and keys written out win over merged ones
        return out

    def _merge_sources(self, node: Node, path: str, model: object, depth: int) -> list[dict]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        out = []
        for source in sources:
            if not isinstance(source, MappingNode):
                self.problems.add(self.file, node_line(source), path or None,
                                  "'<<' merges only mappings (an alias of a mapping)")
                continue
            out.append(self.value(source, path, model, depth + 1))
        return out
