"""Where things are in the inventory files: raw section items and the problems found in them.

An :class:`Item` is one section entry as read (its file, ``devices[3]`` path, node and
plain value). :class:`Problems` collects :class:`netcensus.errors.Problem` records;
``Problems.at(item, loc, ...)`` walks the item's YAML node tree along a pydantic-style
``loc`` to name the line of the offending key or value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from inventory.model import Entity
from netcensus.errors import Problem

__all__ = ["MAX_LISTED", "Item", "Problems", "node_at", "node_line", "problem_order"]


@dataclass(slots=True)
class Item:
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


#: A broken inventory lists at most this many problems, then says how many more it has:
#: a file of half a million broken entries must not take minutes and gigabytes to list
#: what nobody reads past the first screens (the first ones usually share one cause).
MAX_LISTED = 200


@dataclass
class Problems:
    """Collects problems; :meth:`at` locates a field of an item by walking its node.

    Past ``limit`` problems are only counted (``unlisted``): callers check :attr:`full`
    to skip the work of wording one (suggestions, line lookups).
    """

    items: list[Problem] = field(default_factory=list)
    #: Files that could not be read at all (listed first: they explain what follows)
    unreadable: list[Problem] = field(default_factory=list)
    limit: int = MAX_LISTED
    unlisted: int = 0

    @property
    def full(self) -> bool:
        """Whether further problems are only counted."""
        return len(self.items) + len(self.unreadable) >= self.limit

    def add(self, file: str, line: int | None, path: str | None, message: str) -> None:
        if self.full:
            self.unlisted += 1
        else:
            self.items.append(Problem(file, line, path, message))

    def file_unreadable(self, file: str, line: int | None, message: str) -> None:
        """A file (or folder) none of whose entries could be read: a problem listed first."""
        if self.full:
            self.unlisted += 1
        else:
            self.unreadable.append(Problem(file, line, None, message))

    def ordered(self) -> list[Problem]:
        """Unreadable files first, then the rest; each part by file and line."""
        return sorted(self.unreadable, key=problem_order) + sorted(self.items, key=problem_order)

    def at(self, item: Item, loc: tuple[str | int, ...], message: str, *, key: bool = False) -> None:
        """A problem at ``loc`` inside ``item``: the line of the value (or of the key)."""
        if self.full:
            self.unlisted += 1
            return
        node = _key_node_at(item.node, loc) if key else None
        if node is None:
            node = node_at(item.node, loc)
        self.add(item.file, node.start_mark.line + 1, _join_path(item.path, loc), message)


def problem_order(problem: Problem) -> tuple[str, int, str, str]:
    """Problems sort by file, line, field and message."""
    return (problem.file, problem.line or 0, problem.field or "", problem.message)


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


def node_at(node: Node, loc: Iterable[str | int]) -> Node:
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
    step = _child(node_at(node, loc[:-1]), loc[-1])
    return step[0] if step else None


def node_line(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1
