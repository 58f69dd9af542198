"""From inventory files to YAML nodes to plain Python values, reporting what YAML would hide.

Every ``*.yaml``/``*.yml`` file is decoded and *composed* once (libyaml when available)
into a node tree. Nodes carry line numbers; PyYAML's constructed dicts do not, and its
constructor silently keeps the last of two equal keys. :class:`NodeReader` therefore
turns nodes into values itself, which lets it report duplicate keys and credential-looking
keys on the way, expand aliases and ``<<`` merge keys, refuse alias bombs and files nested
too deeply (:class:`TooComplex`), and never compose a file twice.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from inventory.locations import Problems, node_line
from inventory.messages import CREDENTIALS_MESSAGE, looks_like_credential
from inventory.model import SECTIONS, Policy

__all__ = ["MODEL_FIELDS", "NULL_TAG", "YAML_SUFFIXES", "NodeReader", "TooComplex", "compose",
           "decode", "yaml_files"]

YAML_SUFFIXES = (".yaml", ".yml")

# Limits against hostile or broken files. Real inventories nest about five levels deep
# and use a handful of aliases; these only stop alias bombs and self-referencing aliases.
_MAX_DEPTH = 40
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
_COLLECTION_TAGS = {MappingNode: _TAG + "map", SequenceNode: _TAG + "seq"}


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
        self._quoted_tags: dict[str, str] = {}

    def _line(self, mark: yaml.Mark) -> _Line:
        line = self._lines.get(mark.line)
        if line is None:
            line = self._lines[mark.line] = _Line(mark.line)
        return line

    def compose_node(self, parent: Node | None, index: object) -> Node:
        # As Composer.compose_node, without the path resolvers (none is registered), and
        # with plain scalars (most of a file) composed inline: this loop is the load's hot spot.
        event = self.peek_event()
        kind = type(event)
        if kind is yaml.ScalarEvent and event.anchor is None and event.tag is None:
            self.get_event()
            value = event.value
            tags = self._plain_tags if event.implicit[0] else self._quoted_tags
            tag = tags.get(value)
            if tag is None:
                tag = self.resolve(ScalarNode, value, event.implicit)
                if len(tags) < 50_000:  # keys and enum values repeat; ids do not
                    tags[value] = tag
            mark = event.start_mark
            line = self._lines.get(mark.line) or self._line(mark)
            return ScalarNode(tag, value, line, line, style=event.style)
        if kind is yaml.AliasEvent:
            self.get_event()
            if event.anchor not in self.anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                  event.start_mark)
            return self.anchors[event.anchor]
        anchor = event.anchor
        if anchor is not None and anchor in self.anchors:
            raise yaml.composer.ComposerError(f"found duplicate anchor {anchor!r}; first occurrence",
                                              self.anchors[anchor].start_mark, "second occurrence",
                                              event.start_mark)
        if kind is yaml.ScalarEvent:
            return self.compose_scalar_node(anchor)
        if kind is yaml.SequenceStartEvent:
            return self.compose_sequence_node(anchor)
        return self.compose_mapping_node(anchor)

    def compose_scalar_node(self, anchor: str | None) -> ScalarNode:
        event = self.get_event()
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(ScalarNode, event.value, event.implicit)
        line = self._line(event.start_mark)
        node = ScalarNode(tag, event.value, line, line, style=event.style)
        if anchor is not None:
            self.anchors[anchor] = node
        return node

    def compose_sequence_node(self, anchor: str | None) -> SequenceNode:
        start = self.get_event()
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(SequenceNode, None, start.implicit)
        line = self._line(start.start_mark)
        node = SequenceNode(tag, [], line, line, flow_style=start.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        append, compose, index = node.value.append, self.compose_node, 0
        while type(self.peek_event()) is not yaml.SequenceEndEvent:
            append(compose(node, index))
            index += 1
        self.get_event()
        return node

    def compose_mapping_node(self, anchor: str | None) -> MappingNode:
        start = self.get_event()
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(MappingNode, None, start.implicit)
        line = self._line(start.start_mark)
        node = MappingNode(tag, [], line, line, flow_style=start.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        append, compose = node.value.append, self.compose_node
        while type(self.peek_event()) is not yaml.MappingEndEvent:
            key = compose(node, None)
            append((key, compose(node, key)))
        self.get_event()
        return node


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

    # libyaml's parser composes on its own too: these make the Python composer the one used.
    get_single_node = yaml.composer.Composer.get_single_node
    compose_document = yaml.composer.Composer.compose_document


def compose(text: str, rel: str, problems: Problems) -> Node | None:
    """The YAML node tree of one document, or a problem with the parser's line."""
    try:
        composer = _Composer(text)
        try:
            return composer.get_single_node()
        finally:
            composer.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(s) for s in (exc.context, exc.problem) if s)
        line = mark.line + 1 if mark else None
        if "tab" in message or _tab_indented(text, line):
            message += ": indent with spaces (YAML does not allow tabs in indentation)"
        problems.file_unreadable(rel, line, f"invalid YAML: {message}")
    except yaml.reader.ReaderError as exc:  # a control character or similar
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        problems.file_unreadable(rel, line, f"invalid YAML: character {exc.character!r} "
                                            "is not allowed in YAML text")
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures carry no mark
        problems.file_unreadable(rel, None, f"invalid YAML: {exc}")
    return None


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

    def value(self, node: Node, path: str, model: object = None, depth: int = 0) -> Any:
        """The Python value of ``node``; ``model`` says which keys are fields here."""
        if depth > _MAX_DEPTH:
            raise TooComplex(node, f"nested more than {_MAX_DEPTH} levels deep "
                                   "(or an alias refers to itself)")
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if id(node) in self._visited:  # an alias: count what it re-expands (alias bombs)
            self._revisits += 1 + len(node.value)
            if self._revisits > _MAX_ALIAS_EXPANSION:
                raise TooComplex(node, "YAML aliases expand to too many values")
        self._visited.add(id(node))
        self._check_tag(node, path)
        if isinstance(node, SequenceNode):
            return [self.value(child, f"{path}[{i}]", None, depth + 1)
                    for i, child in enumerate(node.value)]
        return self._mapping(node, path, model, depth)

    def _check_tag(self, node: Node, path: str) -> None:
        if node.tag != _COLLECTION_TAGS[type(node)]:
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

    def _mapping(self, node: MappingNode, path: str, model: object, depth: int) -> dict[str, Any]:
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
                self.problems.add(self.file, node_line(key_node), where, CREDENTIALS_MESSAGE)
                continue  # drop it: the value must never be echoed by a later message
            explicit[key] = self.value(value_node, where, nested.get(key), depth + 1)
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
