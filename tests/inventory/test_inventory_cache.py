"""The validated-inventory cache: reused only for the very same files, never stale, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest
from inventory_helpers import BASE, InventoryDir, line_of

import inventory.cache as inventory_cache
from core.errors import InventoryError
from inventory.cache import KEEP_ENTRIES, cache_key, load_inventory_cached
from inventory.loader import load_inventory


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "inventory").glob("*.json"))


def test_a_cached_inventory_equals_the_validated_one_sources_included(inv: InventoryDir, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    full = load_inventory(inv.root)
    first = load_inventory_cached(inv.root, cache)
    assert len(_entries(cache)) == 1
    second = load_inventory_cached(inv.root, cache)
    assert first == second == full
    declared = f"base.yaml:{line_of(BASE, 'name: hq-sw1')}"
    assert second.source("devices", "hq-sw1") == full.source("devices", "hq-sw1") == declared


def test_a_hit_does_not_validate_again(inv: InventoryDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    expected = load_inventory_cached(inv.root, cache)

    def fail(path: Path) -> None:
        raise AssertionError(f"validated {path} again")

    monkeypatch.setattr(inventory_cache, "load_inventory", fail)
    assert load_inventory_cached(inv.root, cache) == expected


def test_any_edit_misses_the_cache_and_errors_still_name_file_and_line(inv: InventoryDir, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = load_inventory_cached(inv.root, cache)
    key = cache_key(inv.root)
    inv.write("base.yaml", (inv.root / "base.yaml").read_text(encoding="utf-8") + "# a comment\n")
    assert cache_key(inv.root) != key  # even a comment: the key is the bytes
    inv.write("extra.yaml", "sites:\n  - id: annex\n    name: Annex\n    district: Xiling\n")
    after = load_inventory_cached(inv.root, cache)
    assert "annex" in after.sites and "annex" not in before.sites
    inv.write("extra.yaml", "sites:\n  - id: annex\n    nmae: Annex\n")
    with pytest.raises(InventoryError) as caught:
        load_inventory_cached(inv.root, cache)
    assert "extra.yaml:3" in str(caught.value)
    assert len(_entries(cache)) == 2  # the bad inventory stored nothing


def test_a_damaged_entry_is_read_in_full_again(inv: InventoryDir, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = load_inventory_cached(inv.root, cache)
    (entry,) = _entries(cache)
    entry.write_bytes(entry.read_bytes()[:100])  # a half-written file
    assert load_inventory_cached(inv.root, cache) == expected
    entry.write_text('{"inventory": {"devices": {"x": {"name": "x"}}}, "sources": []}', encoding="utf-8")
    assert load_inventory_cached(inv.root, cache) == expected  # fails validation: not trusted


def test_the_cache_keeps_only_the_newest_entries(inv: InventoryDir, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for n in range(KEEP_ENTRIES + 2):
        inv.write("extra.yaml", f"# version {n}\n")
        load_inventory_cached(inv.root, cache)
    assert len(_entries(cache)) == KEEP_ENTRIES
    assert (cache / "inventory" / f"{cache_key(inv.root)}.json").exists()


def test_an_unwritable_cache_only_costs_time(inv: InventoryDir, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    assert load_inventory_cached(inv.root, blocker) == load_inventory(inv.root)
