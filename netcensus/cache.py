"""A cache of parsed facts, keyed by the content of the raw outputs.

A nightly re-audit of unchanged captures re-parses nothing: each device's facts are
stored under the SHA-256 of its raw outputs plus a digest of the parsing code and
templates, so a new parser version never reads stale facts.

For saved captures it does not even re-read them: ``seen/<device>.json`` remembers the
key of the device's outputs under the fingerprint of its capture folder (names, inodes,
sizes and file times; :meth:`collectors.offline.OfflineCollector.fingerprint`). While the
fingerprint holds, the key does, and the facts come straight from the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from functools import cache, lru_cache
from pathlib import Path

import collectors
from collectors.base import RawOutputs
from collectors.facts import DeviceFacts, facts_from_dict


_KEY = re.compile(r"[0-9a-f]{64}")


@lru_cache(maxsize=1)
def parser_digest() -> str:
    """Digest of every parsing source and template: a parser change invalidates the cache."""
    h = hashlib.sha256()
    root = Path(collectors.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".textfsm", ".yaml") and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    try:
        import ntc_templates

        h.update(getattr(ntc_templates, "__version__", "").encode())
    except ImportError:  # pragma: no cover - a hard dependency
        pass
    return h.hexdigest()[:16]


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


def facts_json_default(value: object) -> object:
    """``json.dumps(default=...)`` for facts: a dataclass as :func:`dataclasses.asdict` gives it, else text.

    The C encoder walks tuples and strings itself and calls this once per dataclass, so
    ``json.dumps(facts, default=facts_json_default)`` is the JSON of
    :func:`collectors.facts.facts_to_dict` at a fraction of its cost (``asdict``
    deep-copies every leaf), which adds up over a city of 10,000 devices.
    """
    names = _field_names(type(value))
    if names is None:
        return str(value)
    return {name: getattr(value, name) for name in names}


def raw_key(raw: RawOutputs) -> str:
    """The cache key of one device's raw outputs."""
    h = hashlib.sha256(parser_digest().encode())
    for part in (raw.device, raw.platform, raw.status, raw.error or ""):
        h.update(b"\0" + part.encode())
    for command, text in sorted(raw.outputs.items()):
        h.update(b"\1" + command.encode() + b"\2" + text.encode("utf-8", "replace"))
    for p in raw.problems:
        h.update(b"\3" + str(p).encode())
    return h.hexdigest()


class FactsCache:
    """Parsed facts on disk, one JSON file per key (``<dir>/<k[:2]>/<k>.json``).

    JSON rather than pickle: a cache folder must never be a way to run code.
    """

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.hits = self.misses = 0

    def get(self, raw: RawOutputs) -> DeviceFacts | None:
        """The cached facts of these raw outputs, or None."""
        return self._read(raw_key(raw))

    def put(self, raw: RawOutputs, facts: DeviceFacts) -> None:
        """Cache the facts parsed from ``raw``."""
        # dumps, not dump: json.dump always takes the pure-Python encoder.
        text = json.dumps(facts, ensure_ascii=False, separators=(",", ":"), default=facts_json_default)
        self._write(self._path(raw_key(raw)), text)

    def recall(self, device: str, fingerprint: str) -> DeviceFacts | None:
        """The cached facts of ``device`` if its captures still have this fingerprint."""
        try:
            with open(self._seen_path(device), encoding="utf-8") as handle:
                seen = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(seen, dict) or seen.get("fingerprint") != fingerprint \
                or seen.get("parser") != parser_digest():  # the key names the parser version too
            return None
        key = seen.get("key")
        return self._read(key) if isinstance(key, str) and _KEY.fullmatch(key) else None

    def remember(self, device: str, fingerprint: str, raw: RawOutputs) -> None:
        """Note that captures with this fingerprint hold ``raw`` (whose facts are cached)."""
        seen = {"fingerprint": fingerprint, "parser": parser_digest(), "key": raw_key(raw)}
        self._write(self._seen_path(device), json.dumps(seen))

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def _seen_path(self, device: str) -> Path:
        return self.directory / "seen" / f"{device}.json"  # device names are file-name safe ids

    def _read(self, key: str) -> DeviceFacts | None:
        try:
            with open(self._path(key), encoding="utf-8") as handle:
                facts = facts_from_dict(json.load(handle))
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return facts

    @staticmethod
    def _write(path: Path, text: str) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time
