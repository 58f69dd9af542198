"""The validated inventory, cached under the bytes of the files it was read from.

Reading a 10,000-device inventory the full way (compose every file, walk the node trees,
validate each item, check every reference) takes about 2 s; reading back the inventory
it validated to takes a tenth of that. A nightly audit of an unchanged inventory
therefore loads it from ``<cache>/inventory/<key>.json``, where the key is the SHA-256 of
every inventory file's relative path and bytes plus a digest of the inventory code: any
edit, added or removed file, or new model version misses the cache and is validated in
full (so every error is still reported with its file and line).

JSON rather than pickle, as for the facts cache: a cache folder must never be a way to
run code, and every entity read back goes through its pydantic model again. A cache
that cannot be read or written only costs time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
from functools import lru_cache
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

import inventory as inventory_package
from inventory.loader import load_inventory
from inventory.model import Inventory, Source
from inventory.yaml_nodes import yaml_files

__all__ = ["KEEP_ENTRIES", "cache_key", "load_inventory_cached"]

#: Entries kept in ``<cache>/inventory``: today's and a few earlier inventories.
KEEP_ENTRIES = 3


class _Entry(TypedDict):
    """What one cache file holds: the inventory without ``sources``, which JSON cannot key by tuple."""

    inventory: Inventory
    sources: list[tuple[str, str, str, int]]  # section, id, file, line


_ENTRY = TypeAdapter(_Entry)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the inventory package's sources and pydantic's version: new code, new keys."""
    import pydantic

    h = hashlib.sha256(pydantic.VERSION.encode())
    root = Path(inventory_package.__file__).parent
    for path in sorted(root.glob("*.py")):  # the model and the loader; not exchange/
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def cache_key(path: Path) -> str | None:
    """The cache key of the inventory at ``path``, or None when it cannot be read (then load it in full)."""
    h = hashlib.sha256(code_digest().encode())
    try:
        if path.is_dir():
            files = [(p.relative_to(path).as_posix(), p) for p in yaml_files(path)]
        else:
            files = [(path.name, path)]
        for rel, file in files:
            data = file.read_bytes()
            h.update(b"\0%s\0%d\0" % (rel.encode(), len(data)) + data)
    except OSError:
        return None
    return h.hexdigest() if files else None


def load_inventory_cached(path: Path | str, cache_dir: Path | str | None) -> Inventory:
    """:func:`~inventory.loader.load_inventory`, reusing the last validation of the same files.

    With ``cache_dir`` None this is ``load_inventory(path)``. A miss (or an unreadable
    entry) loads in full and stores the result; a bad inventory raises as
    ``load_inventory`` does and stores nothing.
    """
    path = Path(path)
    if cache_dir is None:
        return load_inventory(path)
    key = cache_key(path)
    folder = Path(cache_dir) / "inventory"
    entry = folder / f"{key}.json"
    if key is not None:
        cached = _read(entry)
        if cached is not None:
            return cached
    inventory = load_inventory(path)
    if key is not None:
        _write(entry, inventory)
    return inventory


def _read(entry: Path) -> Inventory | None:
    try:
        data = _ENTRY.validate_json(entry.read_bytes())
    except (OSError, ValidationError):
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # in use: the newest entries are the ones pruning keeps
    sources = {(section, key): Source(file, line) for section, key, file, line in data["sources"]}
    return dataclasses.replace(data["inventory"], sources=sources)


def _write(entry: Path, inventory: Inventory) -> None:
    sources = [(section, key, src.file, src.line) for (section, key), src in inventory.sources.items()]
    text = _ENTRY.dump_json({"inventory": dataclasses.replace(inventory, sources={}), "sources": sources})
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(text)
        os.replace(tmp, entry)
        _prune(entry.parent)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _prune(folder: Path) -> None:
    """Keep the newest :data:`KEEP_ENTRIES` entries: a cache must not grow with every edit."""
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        old.unlink(missing_ok=True)
