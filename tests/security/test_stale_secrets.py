"""Secrets written before a redactor gap was closed do not stay on disk.

Archives and stored configurations are covered in tests/netcensus/test_store_archive.py;
this is the facts cache: entries written by another parser (every redaction rule is part
of the parser's digest) can never be read again, and may hold configurations redacted by
older rules, so opening the cache with a new parser overwrites them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import netcensus.cache as cache_module
from collectors.base import RawOutputs
from collectors.facts import DeviceFacts
from netcensus.cache import FactsCache


def test_a_new_parser_overwrites_the_entries_of_the_old_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = RawOutputs("r1", "cisco_ios", {"show running-config": "x"})
    old = FactsCache(tmp_path)
    old.put(raw, DeviceFacts("r1", "cisco_ios", config="dot11 ssid C\n wpa-psk ascii 0 CachedGapSecret\n"))
    old.remember("r1", "fp", raw)
    old.close()
    assert b"CachedGapSecret" in (tmp_path / FactsCache.FILE).read_bytes() + _wal(tmp_path)

    monkeypatch.setattr(cache_module, "parser_digest", lambda: "a-newer-parser")
    new = FactsCache(tmp_path)
    assert new.get(raw) is None and new.recall("r1", "fp") is None
    new.close()
    assert b"CachedGapSecret" not in (tmp_path / FactsCache.FILE).read_bytes() + _wal(tmp_path)


def test_the_same_parser_keeps_its_entries(tmp_path: Path) -> None:
    raw = RawOutputs("r1", "cisco_ios", {"show running-config": "x"})
    first = FactsCache(tmp_path)
    first.put(raw, DeviceFacts("r1", "cisco_ios", config="hostname r1\n"))
    first.close()
    assert FactsCache(tmp_path).get(raw) is not None


def _wal(folder: Path) -> bytes:
    wal = folder / (FactsCache.FILE + "-wal")
    return wal.read_bytes() if wal.exists() else b""
