"""Read a directory of inventory YAML files into a validated :class:`Inventory`.

``load_inventory(path)`` either returns a complete, cross-checked inventory or raises
:class:`core.errors.InventoryError` listing **every** problem it found (up to
:data:`~inventory.locations.MAX_LISTED`, then a count of the rest), each with its file,
line and field path (``devices[3].platform``), so an engineer fixes a whole inventory
in one pass instead of one error per run.

How it works, and why (this module only orchestrates the steps):

1. Every ``*.yaml``/``*.yml`` file is decoded and *composed* once into a node tree
   (:mod:`inventory.yaml_nodes`). Nodes carry line numbers; PyYAML's constructed
   dicts do not, and its constructor silently keeps the last of two equal keys.
2. Its :class:`~inventory.yaml_nodes.NodeReader` turns nodes into plain Python values
   itself, which lets it report duplicate keys and credential-looking keys on the way,
   refuse alias bombs, and never compose a file twice; :mod:`inventory.sections` splits
   each file into section items and the policy. Each item keeps the lines of its values
   (a :class:`~inventory.locations.LineMap`), not its nodes: a file's tree is freed once
   it is read.
3. Each section item is validated by its pydantic model (:mod:`inventory.validation`);
   a pydantic error ``loc`` is looked up in the item's line map to find the line of the
   offending key or value (:mod:`inventory.locations`), and worded by
   :mod:`inventory.messages`.
4. Ids and cross references (a device's room, a circuit end's device, ...) are checked
   once every file is read, since any file may refer to any other
   (:mod:`inventory.references`).
"""

from __future__ import annotations

import errno
import gc
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from core.errors import InventoryError, Problem
from inventory.locations import Item, Problems
from inventory.messages import CREDENTIALS_MESSAGE, looks_like_credential
from inventory.model import SECTIONS, Inventory, Policy, Source
from inventory.references import CHECKS, Refs, check_policy, register_ids
from inventory.sections import EXTENSION_PREFIX, Raw, read_file
from inventory.validation import validate
from inventory.yaml_nodes import YAML_SUFFIXES, compose, decode, yaml_files, yaml_problem

__all__ = ["CREDENTIALS_MESSAGE", "EXTENSION_PREFIX", "YAML_SUFFIXES", "load_inventory",
           "looks_like_credential", "read_inventory"]


def load_inventory(path: Path | str) -> Inventory:
    """Load and validate the inventory at ``path`` (a directory of YAML files, or one file).

    A directory is read recursively (``*.yaml`` and ``*.yml``, sorted by relative
    path, hidden files and folders skipped). Entities keep file order, and
    ``Inventory.sources`` says where each was declared, relative to the directory.

    Raises :class:`InventoryError` with every problem found: first the files that could
    not be read at all (they explain what follows), then the others, each part sorted by
    file and line. Past :data:`~inventory.locations.MAX_LISTED` problems the rest are only
    counted (``InventoryError.unlisted``).

    >>> load_inventory("/nonexistent/inventory")
    Traceback (most recent call last):
    ...
    core.errors.InventoryError: /nonexistent/inventory: no such file or directory
    """
    with _gc_paused():
        # In a function of its own so that the node trees are freed (by reference
        # counting) before the collector resumes and walks what is left.
        inventory, problems = _load(Path(path))
    if problems.items or problems.unreadable:
        raise InventoryError(problems.ordered(), unlisted=problems.unlisted)
    return inventory


def read_inventory(path: Path | str) -> tuple[Inventory, list[Problem]]:
    """Like :func:`load_inventory`, but return the problems instead of raising.

    The inventory holds every entity that validated on its own, even when one of its
    references is unknown: an importer merging new entries into a directory whose
    files refer to entries still to come needs what is there (exchange).
    """
    with _gc_paused():
        inventory, problems = _load(Path(path))
    return inventory, problems.ordered()


def _load(path: Path) -> tuple[Inventory, Problems]:
    problems = Problems()
    raw = Raw()
    for rel, file in _inventory_files(path, problems):
        _read(rel, file, raw, problems)
    return _build(raw, problems), problems


def _read(rel: str, file: Path, raw: Raw, problems: Problems) -> None:
    """One file into ``raw``; its bytes, text and node tree are freed on return."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        problems.file_unreadable(rel, None, f"cannot read: {exc.strerror or exc}")
        return
    text = decode(data, rel, problems)
    del data
    root = compose(text, rel, problems) if text is not None else None
    # A large file is composed while it is read: a YAML error may come late, and then the
    # file declares nothing, as when the error is found before reading.
    items, policy, listed, unlisted = len(raw.items), raw.policy, len(problems.items), problems.unlisted
    try:
        read_file(rel, root, raw, problems)
    except yaml.YAMLError as exc:
        del raw.items[items:], problems.items[listed:]
        raw.policy, problems.unlisted = policy, unlisted
        yaml_problem(exc, text or "", rel, problems)


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


def _inventory_files(path: Path, problems: Problems) -> Iterator[tuple[str, Path]]:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        reason = "no such file or directory" if exc.errno == errno.ENOENT else (exc.strerror or str(exc))
        problems.file_unreadable(str(path), None, reason)
        return
    if stat.S_ISDIR(mode):
        files = yaml_files(path, problems)
        if not files and not problems.unreadable:
            problems.add(str(path), None, None,
                         "no YAML files (*.yaml, *.yml) in this directory")
        for file in files:
            yield file.relative_to(path).as_posix(), file
    elif stat.S_ISREG(mode):
        yield path.name, path
    else:
        problems.file_unreadable(str(path), None, "not a regular file or a directory")


def _build(raw: Raw, problems: Problems) -> Inventory:
    """Validate every item, check ids and references, and assemble the inventory."""
    ids = register_ids(raw.items, problems)  # by the raw ids: before the values are let go
    for item in raw.items:
        validate(item, SECTIONS[item.section][0], problems)
        item.value = None  # validated (or stood in for): half a million of these add up
    refs = Refs(ids, problems)
    for item in raw.items:  # duplicates too: their references may be wrong as well
        check = CHECKS.get(item.section)
        if check is not None:
            check(item.checked, item, refs)
    policy, sources = Policy(), {}
    if raw.policy is not None:
        rel, line, lines, value = raw.policy
        item = Item("policy", rel, "policy", lines, value)
        validate(item, Policy, problems)
        check_policy(item.checked, item, refs)
        policy = item.entity or policy
        sources[("policy", "policy")] = Source(rel, line)
    sections: dict[str, dict[str, Any]] = {}
    for section, ids in refs.ids.items():
        sections[section] = {key: it.entity for key, it in ids.items() if it.entity is not None}
        sources.update({(section, key): Source(it.file, it.line) for key, it in ids.items()})
    return Inventory(**sections, policy=policy, sources=sources)
