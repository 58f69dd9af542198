"""From inventory files to YAML nodes to plain Python values, reporting what YAML would hide.

Every ``*.yaml``/``*.yml`` file is decoded and *composed* once (libyaml when available)
into a node tree. Nodes carry line numbers; PyYAML's constructed dicts do not, and its
constructor silently keeps the last of two equal keys. :class:`NodeReader` therefore
turns nodes into values itself, which lets it report duplicate keys and credential-looking
keys on the way, expand aliases and ``<<`` merge keys, refuse alias bombs and files nested
too deeply (:class:`TooComplex`), and never compose a file twice.
"""

from __future__ import annotations

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
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# --------------------------------------------------------------------------- files

def yaml_files(root: Path) -> list[Path]:
    """Every YAML file under ``root``, sorted by relative path; hidden entries skipped."""
    found = [
        p for p in root.rglob("*")
        if p.suffix.lower() in YAML_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and p.is_file()
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def decode(data: bytes, rel: str, problems: Problems) -> str | None:
    """UTF-8 text (a BOM is accepted), or a problem naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(rel, line, None,
                     f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8")
        return None


def compose(text: str, rel: str, problems: Problems) -> Node | None:
    """The YAML node tree of one document, or a problem with the parser's line."""
    try:
        return yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(s) for s in (exc.context, exc.problem) if s)
        problems.add(rel, mark.line + 1 if mark else None, None, f"invalid YAML: {message}")
    except yaml.reader.ReaderError as exc:  # a control character or similar
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        problems.add(rel, line, None,
                     f"invalid YAML: character {exc.character!r} is not allowed in YAML text")
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures carry no mark
        problems.add(rel, None, None, f"invalid YAML: {exc}")
    return None


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
