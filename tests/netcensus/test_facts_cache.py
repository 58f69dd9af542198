"""The parsed-facts cache: a re-audit re-parses (and re-reads) only what changed, never stale facts."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

import collectors.offline as offline
import netcensus.cache as facts_cache
import netcensus.pipeline as pipeline
from collectors.offline import OfflineCollector
from inventory.loader import load_inventory
from netcensus.cache import FactsCache
from netcensus.pipeline import collect_facts
from netcensus.sample import SampleCity


def _collect(city: SampleCity, cache_dir: Path):
    inventory = load_inventory(city.inventory_dir)
    return collect_facts(inventory, OfflineCollector(city.captures_dir), cache=FactsCache(cache_dir), workers=1)


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(raw):
        raise AssertionError(f"{raw.device} parsed again")

    monkeypatch.setattr(pipeline, "parse_outputs", refuse)


def _a_config(city: SampleCity) -> Path:
    return next(p for p in sorted(city.captures_dir.glob("*/*.txt")) if "running-config" in p.name
                or "current-configuration" in p.name)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Captures count as settled at once (the real rule waits two seconds after a change)."""
    monkeypatch.setattr(offline, "SETTLED_S", 0.0)


def test_a_second_audit_of_unchanged_captures_parses_nothing(city_copy: SampleCity, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    first = _collect(city_copy, tmp_path / "cache")
    _no_parsing(monkeypatch)
    assert _collect(city_copy, tmp_path / "cache") == first


def test_settled_unchanged_captures_are_not_even_read(city_copy: SampleCity, tmp_path: Path, settled: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    first = _collect(city_copy, tmp_path / "cache")
    with_folder = {n for n in first if (city_copy.captures_dir / n).is_dir()}
    with sqlite3.connect(tmp_path / "cache" / FactsCache.FILE) as db:
        assert {device for (device,) in db.execute("SELECT device FROM seen")} == with_folder

    real_collect = OfflineCollector.collect

    def refuse(self, device):
        assert device.name not in with_folder, f"{device.name} read again"
        return real_collect(self, device)  # a device without captures is looked for again: cheap

    monkeypatch.setattr(OfflineCollector, "collect", refuse)
    assert _collect(city_copy, tmp_path / "cache") == first


def test_a_changed_capture_is_read_and_parsed_again(city_copy: SampleCity, tmp_path: Path, settled: None) -> None:
    first = _collect(city_copy, tmp_path / "cache")
    config = _a_config(city_copy)
    device = config.parent.name
    before = config.stat()
    text = config.read_text(encoding="utf-8")
    # Same size, same modification time, same inode: only the change time tells.
    edited = text.replace("description ", "description X", 1).replace("\n!\n", "\n\n", 1)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    with open(config, "r+", encoding="utf-8") as handle:
        handle.write(edited)
    os.utime(config, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert config.stat().st_ino == before.st_ino and config.stat().st_mtime_ns == before.st_mtime_ns
    second = _collect(city_copy, tmp_path / "cache")
    assert first[device].config is not None and second[device].config is not None
    assert "description X" in second[device].config and "description X" not in first[device].config
    assert {n: f for n, f in second.items() if n != device} == {n: f for n, f in first.items() if n != device}


def test_a_folder_changed_just_now_gets_no_fingerprint(city_copy: SampleCity) -> None:
    inventory = load_inventory(city_copy.inventory_dir)
    collector = OfflineCollector(city_copy.captures_dir)
    device = inventory.devices[_a_config(city_copy).parent.name]
    old = os.stat(city_copy.captures_dir).st_mtime - 3600
    for path in (city_copy.captures_dir / device.name).iterdir():
        os.utime(path, (old, old))  # an hour old by mtime, but the change time is now
    assert collector.fingerprint(device) is None
    assert collector.fingerprint(device.model_copy(update={"name": "no-such-device"})) is None


def test_a_new_parser_version_reads_nothing_remembered(city_copy: SampleCity, tmp_path: Path, settled: None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _collect(city_copy, tmp_path / "cache")
    inventory = load_inventory(city_copy.inventory_dir)
    device = next(iter(inventory.devices.values()))
    collector, cache = OfflineCollector(city_copy.captures_dir), FactsCache(tmp_path / "cache")
    fingerprint = collector.fingerprint(device)
    assert cache.recall(device.name, fingerprint) is not None
    monkeypatch.setattr(facts_cache, "parser_digest", lambda: "a-newer-parser")
    assert cache.recall(device.name, fingerprint) is None


def test_a_damaged_cache_is_rebuilt(city_copy: SampleCity, tmp_path: Path, settled: None) -> None:
    first = _collect(city_copy, tmp_path / "cache")
    with sqlite3.connect(tmp_path / "cache" / FactsCache.FILE) as db:
        db.execute("UPDATE facts SET json = substr(json, 1, 40)")  # half-written entries
    assert _collect(city_copy, tmp_path / "cache") == first
    (tmp_path / "cache" / FactsCache.FILE).write_bytes(b"not a database" * 100)
    assert _collect(city_copy, tmp_path / "cache") == first
    with sqlite3.connect(tmp_path / "cache" / FactsCache.FILE) as db:  # rebuilt and filled again
        assert db.execute("SELECT count(*) FROM facts").fetchone()[0] > 0


def test_an_unusable_cache_folder_only_costs_time(city_copy: SampleCity, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    assert _collect(city_copy, blocker) == _collect(city_copy, tmp_path / "other")


def test_entries_unused_for_a_month_are_pruned(city_copy: SampleCity, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _collect(city_copy, tmp_path / "cache")
    days = facts_cache._today()
    monkeypatch.setattr(facts_cache, "_today", lambda: days + FactsCache.KEEP_DAYS + 1)
    cache = FactsCache(tmp_path / "cache")
    assert cache.prune() > 0
    with sqlite3.connect(tmp_path / "cache" / FactsCache.FILE) as db:
        assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == 0


def test_a_hit_keeps_an_entry_from_being_pruned(city_copy: SampleCity, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _collect(city_copy, tmp_path / "cache")
    days = facts_cache._today()
    monkeypatch.setattr(facts_cache, "_today", lambda: days + FactsCache.KEEP_DAYS)
    _collect(city_copy, tmp_path / "cache")  # read (and pruned) a month later
    monkeypatch.setattr(facts_cache, "_today", lambda: days + FactsCache.KEEP_DAYS + 2)
    assert FactsCache(tmp_path / "cache").prune() == 0
