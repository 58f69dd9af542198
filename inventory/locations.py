"""Where things are in the inventory files: raw section items and the problems found in them.

An :class:`Item` is one section entry as read (its file, ``devices[3]`` path, the
:class:`LineMap` of its values and plain value). :class:`Problems` collects
:class:`core.errors.Problem` records (at most :data:`MAX_LISTED`, then counts);
``Problems.at(item, loc, ...)`` looks a pydantic-style ``loc`` up in the item's line map
to name the line of the offending key or value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import Node

from core.errors import Problem
from inventory.model import Entity

__all__ = ["MAX_LISTED", "Item", "LineMap", "Problems", "node_line", "problem_order"]


class LineMap:
    """The lines of one entry's values and keys, by location (``("a", "site")``).

    What problems need of the YAML node tree, kept once the tree is gone: an inventory of
    half a million entries would otherwise hold gigabytes of nodes to the end of the load.
    A location without a line of its own (a key merged in with ``<<``) takes the line of
    the deepest location above it that has one, down to the entry's first line.
    """

    __slots__ = ("keys", "lines", "start", "texts")

    def __init__(self, start: int):
        self.start = start  # 1-based, as every line here
        self.lines: dict[tuple[str | int, ...], int] = {}
        self.keys: dict[tuple[str | int, ...], int] | None = None  # where not on its value's line
        self.texts: dict[tuple[str | int, ...], str] | None = None  # non-text scalars as written

    def note_key(self, loc: tuple[str | int, ...], line: int) -> None:
        if self.keys is None:
            self.keys = {}
        self.keys[loc] = line

    def note_text(self, loc: tuple[str | int, ...], text: str) -> None:
        if self.texts is None:
            self.texts = {}
        self.texts[loc] = text

    def value_line(self, loc: tuple[str | int, ...]) -> int:
        """The line of the value at ``loc`` (or of the deepest location above it)."""
        for end in range(len(loc), 0, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return self.start

    def key_line(self, loc: tuple[str | int, ...]) -> int:
        """The line of the key of ``loc`` (its value's line when there is no such key)."""
        if self.keys is not None and loc in self.keys:
            return self.keys[loc]
        return self.value_line(loc)

    def text(self, loc: tuple[str | int, ...]) -> str | None:
        """A number, date or true/false value at ``loc`` as written in the file."""
        return self.texts.get(loc) if self.texts is not None else None


@dataclass(slots=True)
class Item:
    """One raw section entry: where it sits, the lines of its fields, and its plain value."""

    section: str
    file: str
    path: str  # "devices[3]"
    lines: LineMap
    value: dict[str, Any] | None  # None once validated (the entity holds it)
    entity: Entity | None = None  # set when the item validates
    #: What cross-reference checks read: the entity, or a stand-in when it did not validate.
    checked: Any = None
    bad: frozenset[str] = frozenset()  # top-level fields with validation errors

    def ok(self, *fields: str) -> bool:
        """Whether none of ``fields`` had a validation error (their values are usable)."""
        return not self.bad.intersection(fields)

    @property
    def line(self) -> int:
        return self.lines.start


#: A broken inventory lists at most this many problems, then says how many more it has:
#: a file of half a million broken entries must not take minutes and gigabytes to list
#: what nobody reads past the first screens (the first ones usually share one cause).
MAX_LISTED = 200


@dataclass
class Problems:
    """Collects problems; :meth:`at` locates a field of an item in its :class:`LineMap`.

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
        line = item.lines.key_line(loc) if key else item.lines.value_line(loc)
        self.add(item.file, line, _join_path(item.path, loc), message)


def problem_order(problem: Problem) -> tuple[str, int, str, str]:
    """Problems sort by file, line, field and message."""
    return (problem.file, problem.line or 0, problem.field or "", problem.message)


def _join_path(prefix: str, loc: Iterable[str | int]) -> str:
    """``devices[3]`` + ``('a', 'site')`` -> ``devices[3].a.site``."""
    out = [prefix]
    for part in loc:
        out.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(out)


def node_line(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1
