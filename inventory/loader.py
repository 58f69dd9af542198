"""Read a directory of inventory YAML files into a validated :class:`Inventory`.

``load_inventory(path)`` either returns a complete, cross-checked inventory or raises
:class:`netcensus.errors.InventoryError` listing **every** problem it found, each
with its file, line and field path (``devices[3].platform``), so an engineer fixes
a whole inventory in one pass instead of one error per run.

How it works, and why:

1. Every ``*.yaml``/``*.yml`` file is decoded and *composed* once (libyaml when
   available) into a node tree. Nodes carry line numbers; PyYAML's constructed
   dicts do not, and its constructor silently keeps the last of two equal keys.
2. :class:`_NodeReader` turns nodes into plain Python values itself, which lets it
   report duplicate keys and credential-looking keys on the way, refuse alias bombs,
   and never compose a file twice.
3. Each section item is validated by its pydantic model; a pydantic error ``loc`` is
   walked back down the node tree to find the line of the offending key or value.
4. Cross references (a device's room, a circuit end's device, ...) are checked once
   every file is read, since any file may refer to any other.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import ipaddress
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, get_args

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from collectors.platforms import PLATFORMS
from inventory.model import (
    SECTIONS,
    Approval,
    Circuit,
    Department,
    Device,
    Entity,
    Inventory,
    Network,
    Policy,
    Room,
    Source,
    Waiver,
    Website,
)
from netcensus.errors import InventoryError, Problem

__all__ = ["CREDENTIALS_MESSAGE", "EXTENSION_PREFIX", "YAML_SUFFIXES", "load_inventory",
           "looks_like_credential", "read_inventory"]

YAML_SUFFIXES = (".yaml", ".yml")

CREDENTIALS_MESSAGE = (
    "credentials must not be stored in the inventory: devices name a credential profile "
    "(`credentials: NAME`) resolved from NETCENSUS_<NAME>_USERNAME / _PASSWORD / _SECRET "
    "environment variables at collection time"
)

#: Root keys starting with this prefix are ignored: a place for YAML anchors (defaults).
EXTENSION_PREFIX = "x-"

# Limits against hostile or broken files. Real inventories nest about five levels deep
# and use a handful of aliases; these only stop alias bombs and self-referencing aliases.
_MAX_DEPTH = 40
_MAX_ALIAS_EXPANSION = 500_000  # values re-read through aliases, per file
# difflib is linear in the candidates; cap the suggestions so 10,000 broken
# references in a 10,000-device city still report in seconds.
_SUGGESTION_BUDGET = 200_000

_TAG = "tag:yaml.org,2002:"
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

_LONG_CREDENTIAL_WORDS = ("password", "passwd", "passphrase", "secret", "token", "community",
                          "apikey", "privatekey")
_SHORT_CREDENTIAL_WORDS = frozenset({"key", "keys", "pass", "pwd", "psk"})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")

#: What one entry of each section is called in messages.
_LABELS = {"departments": "department", "sites": "site", "rooms": "room", "networks": "network",
           "devices": "device", "circuits": "circuit", "websites": "website",
           "approvals": "approval", "waivers": "waiver"}

_WAIVER_KEY = re.compile(r"^[A-Z]+[0-9]+:\S.*$")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


# --------------------------------------------------------------------------- locations

@dataclass(slots=True)
class _Item:
    """One raw section entry: where it sits, its node, and its plain value."""

    section: str
    file: str
    path: str  # "devices[3]"
    node: MappingNode
    value: dict[str, Any]
    entity: Entity | None = None  # set when the item validates
    #: What cross-reference checks read: the entity, or a stand-in when it did not validate.
    checked: Any = None
    bad: frozenset[str] = frozenset()  # top-level fields with validation errors

    def ok(self, *fields: str) -> bool:
        """Whether none of ``fields`` had a validation error (their values are usable)."""
        return not self.bad.intersection(fields)

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1


@dataclass
class _Problems:
    """Collects problems; :meth:`at` locates a field of an item by walking its node."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int | None, path: str | None, message: str) -> None:
        self.items.append(Problem(file, line, path, message))

    def at(self, item: _Item, loc: tuple[str | int, ...], message: str, *, key: bool = False) -> None:
        """A problem at ``loc`` inside ``item``: the line of the value (or of the key)."""
        node = _key_node_at(item.node, loc) if key else None
        if node is None:
            node = _node_at(item.node, loc)
        self.add(item.file, node.start_mark.line + 1, _join_path(item.path, loc), message)


def _join_path(prefix: str, loc: Iterable[str | int]) -> str:
    """``devices[3]`` + ``('a', 'site')`` -> ``devices[3].a.site``."""
    out = [prefix]
    for part in loc:
        out.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(out)


def _child(node: Node, part: str | int) -> tuple[Node, Node] | None:
    """The (key node, value node) of one step into a mapping or sequence, if present."""
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key, value in reversed(node.value):  # the last duplicate is the one kept
            if isinstance(key, ScalarNode) and key.value.strip() == part:
                return key, value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], node.value[part]
    return None


def _node_at(node: Node, loc: Iterable[str | int]) -> Node:
    """The deepest node along ``loc`` (stops at the last step that exists, e.g. a merged key)."""
    for part in loc:
        step = _child(node, part)
        if step is None:
            break
        node = step[1]
    return node


def _key_node_at(node: Node, loc: tuple[str | int, ...]) -> Node | None:
    """The key node of the last step of ``loc`` when it is a mapping key, else None."""
    if not loc:
        return None
    step = _child(_node_at(node, loc[:-1]), loc[-1])
    return step[0] if step else None


def _line(node: Node) -> int:
    return node.start_mark.line + 1


# --------------------------------------------------------------------------- files

def _yaml_files(root: Path) -> list[Path]:
    """Every YAML file under ``root``, sorted by relative path; hidden entries skipped."""
    found = [
        p for p in root.rglob("*")
        if p.suffix.lower() in YAML_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and p.is_file()
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _decode(data: bytes, rel: str, problems: _Problems) -> str | None:
    """UTF-8 text (a BOM is accepted), or a problem naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(rel, line, None,
                     f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8")
        return None


def _compose(text: str, rel: str, problems: _Problems) -> Node | None:
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


# --------------------------------------------------------------------------- nodes -> values

class _TooComplex(Exception):
    """A file nests too deeply or expands too many aliases to be an inventory."""

    def __init__(self, node: Node, message: str):
        super().__init__(message)
        self.node = node


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


_MODEL_FIELDS = _reachable_models([*(model for model, _ in SECTIONS.values()), Policy])


def looks_like_credential(key: str) -> bool:
    """Whether a mapping key names a secret (``snmp_community``, ``enablePassword``, ``key``).

    >>> [looks_like_credential(k) for k in ("ssh_key", "enableSecret", "monkey", "host")]
    [True, True, False, False]
    """
    lowered = key.lower()
    if any(word in lowered for word in _LONG_CREDENTIAL_WORDS):
        return True
    return any(word.lower() in _SHORT_CREDENTIAL_WORDS for word in _WORD.findall(key))


class _NodeReader:
    """Builds plain values from one file's nodes, reporting what YAML would hide.

    Keys are taken as text (``no:`` stays ``"no"``); scalars get YAML 1.1 types as
    PyYAML's SafeLoader would, except that an impossible date such as ``2024-13-01``
    stays text so that validation names it instead of crashing.
    """

    def __init__(self, file: str, problems: _Problems):
        self.file = file
        self.problems = problems
        self._visited: set[int] = set()
        self._revisits = 0

    def value(self, node: Node, path: str, model: object = None, depth: int = 0) -> Any:
        """The Python value of ``node``; ``model`` says which keys are fields here."""
        if depth > _MAX_DEPTH:
            raise _TooComplex(node, f"nested more than {_MAX_DEPTH} levels deep "
                                    "(or an alias refers to itself)")
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if id(node) in self._visited:  # an alias: count what it re-expands (alias bombs)
            self._revisits += 1 + len(node.value)
            if self._revisits > _MAX_ALIAS_EXPANSION:
                raise _TooComplex(node, "YAML aliases expand to too many values")
        self._visited.add(id(node))
        self._check_tag(node, path)
        if isinstance(node, SequenceNode):
            return [self.value(child, f"{path}[{i}]", None, depth + 1)
                    for i, child in enumerate(node.value)]
        return self._mapping(node, path, model, depth)

    def _check_tag(self, node: Node, path: str) -> None:
        if node.tag != _COLLECTION_TAGS[type(node)]:
            self.problems.add(self.file, _line(node), path or None,
                              f"unsupported YAML tag {node.tag!r}")

    def _scalar(self, node: ScalarNode, path: str) -> Any:
        if node.tag == _TAG + "str":
            return node.value
        construct = _SCALAR_CONSTRUCTORS.get(node.tag)
        if construct is None:
            self.problems.add(self.file, _line(node), path or None,
                              f"unsupported YAML tag {node.tag!r}")
            return node.value
        try:
            return construct(_CONSTRUCTOR, node)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            return node.value  # e.g. 2024-02-30: validation reports it with the field

    def _mapping(self, node: MappingNode, path: str, model: object, depth: int) -> dict[str, Any]:
        fields, nested = _MODEL_FIELDS.get(model, (frozenset(), {}))  # type: ignore[arg-type]
        explicit: dict[str, Any] = {}
        merged: list[dict[str, Any]] = []
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merge_sources(value_node, path, model, depth))
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.add(self.file, _line(key_node), path or None,
                                  "a key must be plain text, not a list or mapping")
                continue
            key = key_node.value.strip()
            where = f"{path}.{key}" if path else key
            if key in first_line:
                self.problems.add(self.file, _line(key_node), where,
                                  f"duplicate key {key!r} (also at line {first_line[key]}): "
                                  "YAML would silently keep only the last one")
            first_line[key] = _line(key_node)
            if model is not _FREE_KEYS and key not in fields and looks_like_credential(key):
                self.problems.add(self.file, _line(key_node), where, CREDENTIALS_MESSAGE)
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
                self.problems.add(self.file, _line(source), path or None,
                                  "'<<' merges only mappings (an alias of a mapping)")
                continue
            out.append(self.value(source, path, model, depth + 1))
        return out


# --------------------------------------------------------------------------- file structure

@dataclass
class _Raw:
    """Everything read from the files, before validation."""

    items: list[_Item] = field(default_factory=list)
    #: (file, line of the "policy:" key, its mapping node, its value)
    policy: tuple[str, int, MappingNode, dict[str, Any]] | None = None


def _read_file(rel: str, root: Node | None, raw: _Raw, problems: _Problems) -> None:
    """Split one file's node tree into section items (and maybe the policy)."""
    if root is None or (isinstance(root, ScalarNode) and root.tag == _TAG + "null"):
        return  # an empty file declares nothing
    if not isinstance(root, MappingNode):
        problems.add(rel, _line(root), None,
                     "the file must be a mapping of sections (departments:, devices:, ...), "
                     f"not {_kind_of_node(root)}")
        return
    reader = _NodeReader(rel, problems)
    try:
        _read_sections(rel, root, reader, raw, problems)
    except _TooComplex as exc:
        problems.add(rel, _line(exc.node), None, str(exc))


def _read_sections(rel: str, root: MappingNode, reader: _NodeReader, raw: _Raw,
                   problems: _Problems) -> None:
    seen: dict[str, int] = {}
    known = [*SECTIONS, "policy"]
    for key_node, value_node in root.value:
        if not isinstance(key_node, ScalarNode):
            problems.add(rel, _line(key_node), None, "a section name must be plain text")
            continue
        section = key_node.value.strip()
        if section in seen:
            problems.add(rel, _line(key_node), section,
                         f"duplicate section {section!r} in one file (also at line "
                         f"{seen[section]}): YAML would silently keep only the last one")
        seen[section] = _line(key_node)
        if section.startswith(EXTENSION_PREFIX):
            reader.value(value_node, section)  # ignored, but still no secrets or duplicate keys
            continue
        if section == "policy":
            _read_policy(rel, _line(key_node), value_node, reader, raw, problems)
        elif section in SECTIONS:
            _read_section(rel, section, value_node, reader, raw, problems)
        elif looks_like_credential(section):
            problems.add(rel, _line(key_node), section, CREDENTIALS_MESSAGE)
        else:
            problems.add(rel, _line(key_node), section,
                         f"unknown section {section!r}{_did_you_mean(section, known)}; "
                         f"sections are {', '.join(known)} (and '{EXTENSION_PREFIX}...' "
                         "keys, which are ignored)")


def _read_section(rel: str, section: str, node: Node, reader: _NodeReader, raw: _Raw,
                  problems: _Problems) -> None:
    if isinstance(node, ScalarNode) and node.tag == _TAG + "null":
        return  # "devices:" with nothing under it yet
    if not isinstance(node, SequenceNode):
        problems.add(rel, _line(node), section,
                     f"section {section!r} must be a list of entries ('- ...'), "
                     f"not {_kind_of_node(node)}")
        return
    model = SECTIONS[section][0]
    for index, item_node in enumerate(node.value):
        path = f"{section}[{index}]"
        if not isinstance(item_node, MappingNode):
            problems.add(rel, _line(item_node), path,
                         f"each {_LABELS[section]} must be a mapping of fields (key: value), "
                         f"not {_kind_of_node(item_node)}")
            continue
        value = reader.value(item_node, path, model)
        raw.items.append(_Item(section, rel, path, item_node, value))


def _read_policy(rel: str, line: int, node: Node, reader: _NodeReader, raw: _Raw,
                 problems: _Problems) -> None:
    if isinstance(node, ScalarNode) and node.tag == _TAG + "null":
        return
    if not isinstance(node, MappingNode):
        problems.add(rel, _line(node), "policy",
                     f"policy must be a mapping of settings, not {_kind_of_node(node)}")
        return
    if raw.policy is not None:
        first_file, first_line, _, _ = raw.policy
        problems.add(rel, line, "policy",
                     f"policy is already declared at {first_file}:{first_line}; declare it once")
        return
    raw.policy = (rel, line, node, reader.value(node, "policy", Policy))


def _kind_of_node(node: Node) -> str:
    if isinstance(node, ScalarNode) and node.tag == _TAG + "null":
        return "an empty value"
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"a single value ({_short(node.value)})"


# --------------------------------------------------------------------------- validation messages

def _short(value: object, limit: int = 60) -> str:
    """A value as quoted in messages, shortened."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    text = repr(value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model whose keys are checked at ``loc`` (for ``Circuit`` + ``('a',)``: CircuitEnd)."""
    for part in loc:
        nested = _MODEL_FIELDS.get(model, (frozenset(), {}))[1].get(part) if isinstance(part, str) else None
        if not isinstance(nested, type):
            return None
        model = nested
    return model


def _yaml_kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false value"
    if isinstance(value, (dt.date, dt.datetime)):
        return "date"
    return "number"


def _validation_message(error: dict[str, Any], model: type[BaseModel], item: _Item) -> str:
    """A sentence an engineer can act on, from one pydantic error."""
    kind, loc, given = error["type"], error["loc"], error.get("input")
    got = "" if "credentials" in loc else f" (got {_short(given)})"
    if kind == "extra_forbidden":
        fields = sorted((_model_at(model, loc[:-1]) or model).model_fields)
        hint = _did_you_mean(str(loc[-1]), fields) or f" (known keys: {', '.join(fields)})"
        return f"unknown key {loc[-1]!r}{hint}"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}{got}"
    if kind == "string_pattern_mismatch":
        return ("must be an id: letters, digits, '.', '_' and '-', starting with a letter "
                f"or digit{got}")
    if kind == "string_type" and isinstance(given, (int, float, bool, dt.date)):
        node = _node_at(item.node, loc)
        text = node.value if isinstance(node, ScalarNode) else str(given)
        return (f"must be text, but YAML reads {text} as a {_yaml_kind(given)}: "
                f"put it in quotes ('{text}')")
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
              "less_than_equal": "<="}[kind]
        bound = next(iter(error["ctx"].values()))
        return f"must be {op} {bound:g}{got}"
    if kind.startswith("date") or kind.startswith("datetime"):
        detail = error.get("ctx", {}).get("error")
        return f"must be a date YYYY-MM-DD{got}" + (f": {detail}" if detail else "")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"must be a whole number{got}"
    if kind in {"float_parsing", "float_type"}:
        return f"must be a number{got}"
    if kind in {"bool_parsing", "bool_type"}:
        return f"must be true or false{got}"
    if kind in {"tuple_type", "list_type"}:
        return f"must be a list{got}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        sub = _model_at(model, loc)
        keys = f" with keys {', '.join(sub.model_fields)}" if sub else ""
        return f"must be a mapping{keys}{got}"
    msg = error["msg"]
    return msg[:1].lower() + msg[1:] + got


def _validate(item: _Item, model: type[BaseModel], problems: _Problems) -> None:
    """Build the item's entity, or report each of its validation errors."""
    try:
        item.entity = item.checked = model.model_validate(item.value)
    except ValidationError as exc:
        bad = set()
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            on_key = error["type"] == "extra_forbidden" or (loc and loc[-1] == "[key]")
            if not loc:
                pass  # a model-level rule: no single field is to blame
            elif error["type"] != "extra_forbidden" or len(loc) > 1:
                bad.add(loc[0])  # (an unknown key inside a field breaks that whole field)
            else:  # a misspelt field counts as a broken one: no "missing room" on top
                bad.update(difflib.get_close_matches(str(loc[0]), model.model_fields, n=1, cutoff=0.6))
            loc = tuple(p for p in loc if p != "[key]")
            problems.at(item, loc, _validation_message(error, model, item), key=on_key)
        item.bad = frozenset(str(b) for b in bad)
        item.checked = _stand_in(model, item.value, item.bad)


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, info])


def _stand_in(model: type[BaseModel], value: dict[str, Any], bad: frozenset[str]) -> BaseModel:
    """An unvalidated copy holding the fields that did validate (None for the others).

    Cross-reference checks run on it, so an entity with a type error still gets its
    unknown-room or bad-prefix problems reported in the same run.
    """
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in bad:
            fields[name] = None
        elif name in value:
            try:
                fields[name] = _field_adapter(model, name).validate_python(value[name])
            except ValidationError:  # e.g. spaces the model would have stripped: skip its checks
                fields[name] = None
        else:
            fields[name] = None if info.is_required() else info.get_default(call_default_factory=True)
    return model.model_construct(**fields)


# --------------------------------------------------------------------------- ids

def _raw_id(item: _Item) -> str | None:
    key = SECTIONS[item.section][1]
    value = item.value.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _register_ids(items: list[_Item], problems: _Problems) -> dict[str, dict[str, _Item]]:
    """Index items by id per section; a second declaration of an id is a problem.

    Items that failed validation are indexed too (by their raw id), so references to
    them do not add "unknown ..." noise on top of their own errors.
    """
    index: dict[str, dict[str, _Item]] = {section: {} for section in SECTIONS}
    for item in items:
        key = _raw_id(item)
        if key is None:
            continue
        first = index[item.section].get(key)
        if first is not None:
            problems.at(item, (SECTIONS[item.section][1],),
                        f"duplicate {_LABELS[item.section]} {key!r}: first declared at "
                        f"{first.file}:{first.line}")
            continue
        index[item.section][key] = item
    return index


# --------------------------------------------------------------------------- references

@dataclass
class _Refs:
    """What cross-reference checks read: every id, and the valid entities."""

    ids: dict[str, dict[str, _Item]]
    problems: _Problems
    budget: int = _SUGGESTION_BUDGET

    def entity(self, section: str, key: str) -> Any:
        item = self.ids[section].get(key)
        return item.checked if item else None

    def require(self, item: _Item, loc: tuple[str | int, ...], section: str,
                value: str | None) -> bool:
        """Report ``value`` unless it is an id of ``section``; True when it resolves."""
        if value is None or value in self.ids[section] or not item.ok(str(loc[0])):
            return True
        self.problems.at(item, loc, f"unknown {_LABELS[section]} {value!r}"
                                    f"{self.suggest(value, self.ids[section])}")
        return False

    def suggest(self, word: str, candidates: dict[str, Any]) -> str:
        self.budget -= len(candidates)
        return _did_you_mean(word, candidates) if self.budget >= 0 else ""

    def device_site(self, name: str) -> str | None:
        device = self.entity("devices", name)
        if device is None:
            return None
        if device.site:
            return device.site
        room = self.entity("rooms", device.room) if device.room else None
        return room.site if room else None


def _check_department(d: Department, item: _Item, refs: _Refs) -> None:
    if d.parent is None or d.id is None:
        return
    if d.parent == d.id:
        refs.problems.at(item, ("parent",), "a department cannot be its own parent")
    elif refs.require(item, ("parent",), "departments", d.parent) and d.parent:
        chain, current = [d.id], d.parent
        while current and current not in chain:
            chain.append(current)
            parent = refs.entity("departments", current)
            current = parent.parent if parent else None
        if current == d.id:
            refs.problems.at(item, ("parent",), "parent chain loops: "
                                                + " -> ".join([*chain, d.id]))


def _check_room(r: Room, item: _Item, refs: _Refs) -> None:
    refs.require(item, ("site",), "sites", r.site)
    refs.require(item, ("department",), "departments", r.department)
    refs.require(item, ("approval",), "approvals", r.approval)
    if item.ok("racks_used", "racks_total") and r.racks_used > r.racks_total:
        refs.problems.at(item, ("racks_used",),
                         f"racks_used ({r.racks_used}) exceeds racks_total ({r.racks_total})")


def _check_network(n: Network, item: _Item, refs: _Refs) -> None:
    refs.require(item, ("department",), "departments", n.department)
    refs.require(item, ("approval",), "approvals", n.approval)
    for i, prefix in enumerate(n.prefixes or ()):
        _check_prefix(item, ("prefixes", i), prefix, refs.problems)


def _check_device(d: Device, item: _Item, refs: _Refs) -> None:
    if d.platform is not None and d.platform not in PLATFORMS:
        refs.problems.at(item, ("platform",),
                         f"unknown platform {d.platform!r}{_did_you_mean(d.platform, PLATFORMS)}; "
                         f"known platforms: {', '.join(sorted(PLATFORMS))}")
    refs.require(item, ("department",), "departments", d.department)
    host_problem = _host_problem(d.host) if d.host is not None else None
    if host_problem:
        refs.problems.at(item, ("host",), host_problem)
    if item.ok("room", "site") and d.room is None and d.site is None:
        refs.problems.at(item, (), "a device needs a room (room: ROOM-ID) or, outside any "
                                   "machine room, a site (site: SITE-ID)")
    room_ok = refs.require(item, ("room",), "rooms", d.room)
    site_ok = refs.require(item, ("site",), "sites", d.site)
    room = refs.entity("rooms", d.room) if d.room and room_ok else None
    if site_ok and d.site and room is not None and room.site != d.site:
        refs.problems.at(item, ("site",), f"site {d.site!r} disagrees with room {d.room!r}, "
                                          f"which is at site {room.site!r}")
    for i, network in enumerate(d.networks or ()):
        refs.require(item, ("networks", i), "networks", network)


def _check_circuit(c: Circuit, item: _Item, refs: _Refs) -> None:
    refs.require(item, ("department",), "departments", c.department)
    refs.require(item, ("network",), "networks", c.network)
    refs.require(item, ("approval",), "approvals", c.approval)
    for name, end in (("a", c.a), ("z", c.z)):
        if end is None:
            continue
        site_ok = refs.require(item, (name, "site"), "sites", end.site)
        if end.device is None or not refs.require(item, (name, "device"), "devices", end.device):
            continue
        at = refs.device_site(end.device)
        if site_ok and at is not None and at != end.site:
            refs.problems.at(item, (name, "device"),
                             f"device {end.device!r} is at site {at!r}, not at this end's "
                             f"site {end.site!r}")
    if c.contract_start and c.contract_end and c.contract_end < c.contract_start:
        refs.problems.at(item, ("contract_end",),
                         f"contract_end {c.contract_end} is before contract_start "
                         f"{c.contract_start}")


def _check_website(w: Website, item: _Item, refs: _Refs) -> None:
    refs.require(item, ("department",), "departments", w.department)
    refs.require(item, ("approval",), "approvals", w.approval)
    if w.hosted_in and w.hosted_in not in refs.ids["rooms"] \
            and w.hosted_in not in refs.ids["devices"]:
        refs.problems.at(item, ("hosted_in",),
                         f"{w.hosted_in!r} is neither a room id nor a device name"
                         f"{refs.suggest(w.hosted_in, {**refs.ids['rooms'], **refs.ids['devices']})}")


def _check_approval(a: Approval, item: _Item, refs: _Refs) -> None:
    for i, covered in enumerate(a.covers or ()):
        if not any(covered in ids for ids in refs.ids.values()):
            refs.problems.at(item, ("covers", i),
                             f"{covered!r} is not the id of any department, site, room, "
                             "network, device, circuit or website")


def _check_waiver(w: Waiver, item: _Item, refs: _Refs) -> None:
    if w.key is not None and not _WAIVER_KEY.match(w.key):
        refs.problems.at(item, ("key",), f"a waiver key looks like CODE:subjects, the key of "
                                         f"a finding (e.g. LIN001:CT-001|CU-002){_got(w.key)}")


_CHECKS = {"departments": _check_department, "rooms": _check_room, "networks": _check_network,
           "devices": _check_device, "circuits": _check_circuit, "websites": _check_website,
           "approvals": _check_approval, "waivers": _check_waiver}


def _check_policy(policy: Policy, item: _Item, refs: _Refs) -> None:
    refs.require(item, ("backbone",), "networks", policy.backbone)
    for i, room in enumerate(policy.central_rooms or ()):
        refs.require(item, ("central_rooms", i), "rooms", room)
    room_plan = getattr(policy, "room_plan", None) if item.ok("room_plan") else None
    for i, room in enumerate(getattr(room_plan, "close", ())):
        refs.require(item, ("room_plan", "close", i), "rooms", room)
    for department, prefixes in (policy.address_plan or {}).items():
        if department not in refs.ids["departments"]:
            refs.problems.at(item, ("address_plan", department),
                             f"unknown department {department!r}"
                             f"{refs.suggest(department, refs.ids['departments'])}", key=True)
        for i, prefix in enumerate(prefixes or ()):
            _check_prefix(item, ("address_plan", department, i), prefix, refs.problems)


def _got(value: str) -> str:
    return f" (got {_short(value)})"


def _check_prefix(item: _Item, loc: tuple[str | int, ...], prefix: str,
                  problems: _Problems) -> None:
    try:
        ipaddress.ip_network(prefix, strict=True)
    except ValueError:
        try:
            network = ipaddress.ip_network(prefix, strict=False)
        except ValueError:
            problems.at(item, loc, f"not an IPv4 or IPv6 network such as 198.51.100.0/24"
                                   f"{_got(prefix)}")
        else:
            problems.at(item, loc, f"{prefix!r} has host bits set: did you mean "
                                   f"{network.with_prefixlen}?")


def _host_problem(host: str) -> str | None:
    """Why ``host`` is neither an IP address nor a DNS name, or None when it is fine."""
    if "@" in host or "://" in host:  # may hold a user name or a password: never echo it
        return "must be a bare hostname or IP address, without user, password or scheme"
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if len(host) <= 253 and all(_HOST_LABEL.match(label) for label in labels) \
            and not labels[-1].isdigit():
        return None
    return f"must be a hostname or an IP address{_got(host)}"


# --------------------------------------------------------------------------- entry point

def load_inventory(path: Path | str) -> Inventory:
    """Load and validate the inventory at ``path`` (a directory of YAML files, or one file).

    A directory is read recursively (``*.yaml`` and ``*.yml``, sorted by relative
    path, hidden files and folders skipped). Entities keep file order, and
    ``Inventory.sources`` says where each was declared, relative to the directory.

    Raises :class:`InventoryError` with every problem found, sorted by file and line.

    >>> load_inventory("/nonexistent/inventory")
    Traceback (most recent call last):
    ...
    netcensus.errors.InventoryError: /nonexistent/inventory: no such file or directory
    """
    with _gc_paused():
        # In a function of its own so that the node trees are freed (by reference
        # counting) before the collector resumes and walks what is left.
        inventory, problems = _load(Path(path))
    if problems:
        raise InventoryError(sorted(problems, key=_problem_order))
    return inventory


def read_inventory(path: Path | str) -> tuple[Inventory, list[Problem]]:
    """Like :func:`load_inventory`, but return the problems instead of raising.

    The inventory holds every entity that validated on its own, even when one of its
    references is unknown: an importer merging new entries into a directory whose
    files refer to entries still to come needs what is there (inventory/exchange).
    """
    with _gc_paused():
        inventory, problems = _load(Path(path))
    return inventory, sorted(problems, key=_problem_order)


def _load(path: Path) -> tuple[Inventory, list[Problem]]:
    problems = _Problems()
    raw = _Raw()
    for rel, file in _inventory_files(path, problems):
        try:
            data = file.read_bytes()
        except OSError as exc:
            problems.add(rel, None, None, f"cannot read: {exc.strerror or exc}")
            continue
        text = _decode(data, rel, problems)
        root = _compose(text, rel, problems) if text is not None else None
        _read_file(rel, root, raw, problems)
    return _build(raw, problems), problems.items


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of long-lived objects.

    Node trees hold no garbage cycles, yet each collection walks every live object:
    with the collector on, a 10,000-device inventory loads about four times slower.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _inventory_files(path: Path, problems: _Problems) -> Iterator[tuple[str, Path]]:
    if path.is_dir():
        files = _yaml_files(path)
        if not files:
            problems.add(str(path), None, None,
                         "no YAML files (*.yaml, *.yml) in this directory")
        for file in files:
            yield file.relative_to(path).as_posix(), file
    elif path.is_file():
        yield path.name, path
    else:
        problems.add(str(path), None, None, "no such file or directory")


def _build(raw: _Raw, problems: _Problems) -> Inventory:
    """Validate every item, check ids and references, and assemble the inventory."""
    for item in raw.items:
        _validate(item, SECTIONS[item.section][0], problems)
    refs = _Refs(_register_ids(raw.items, problems), problems)
    for item in raw.items:  # duplicates too: their references may be wrong as well
        check = _CHECKS.get(item.section)
        if check is not None:
            check(item.checked, item, refs)
    policy, sources = Policy(), {}
    if raw.policy is not None:
        rel, line, node, value = raw.policy
        item = _Item("policy", rel, "policy", node, value)
        _validate(item, Policy, problems)
        _check_policy(item.checked, item, refs)
        policy = item.entity or policy
        sources[("policy", "policy")] = Source(rel, line)
    sections: dict[str, dict[str, Any]] = {}
    for section, ids in refs.ids.items():
        sections[section] = {key: it.entity for key, it in ids.items() if it.entity is not None}
        sources.update({(section, key): Source(it.file, it.line) for key, it in ids.items()})
    return Inventory(**sections, policy=policy, sources=sources)


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line or 0, problem.field or "", problem.message)
