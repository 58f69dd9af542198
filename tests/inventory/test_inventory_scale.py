"""A generated city loads completely; the 10,000-device one is timed by bench_loader.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from inventory_citygen import write_city

from inventory.loader import load_inventory


def _assert_complete(directory: Path, devices: int) -> None:
    counts = write_city(directory, devices)
    inventory = load_inventory(directory)
    assert {section: len(getattr(inventory, section)) for section in counts} == counts
    last = f"dev-{devices - 1}"
    assert inventory.sources[("devices", last)].file == "devices/part2.yaml"
    assert inventory.device_site(last) == f"site-{(devices - 1) % counts['rooms']}"
    assert inventory.circuits["CIR-000000"].yearly_cost_cny == 12000


def test_generated_city_loads_completely(tmp_path: Path) -> None:
    _assert_complete(tmp_path, 400)


@pytest.mark.slow
def test_ten_thousand_device_city_loads_completely(tmp_path: Path) -> None:
    _assert_complete(tmp_path, 10_000)
