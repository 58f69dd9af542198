"""One 80-device sample city per test session, generated, loaded and parsed once."""

from __future__ import annotations

import json

import pytest
from sample_city_helpers import parse_device

from inventory.loader import load_inventory
from inventory.model import Inventory
from netcensus.sample import SampleCity, generate
from netcensus.sample.build import build_city
from netcensus.sample.city import City

SEED = 1


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> SampleCity:
    """The default sample city (80 devices, seed 1), written to disk."""
    return generate(tmp_path_factory.mktemp("sample") / "city", devices=80, seed=SEED)


@pytest.fixture(scope="session")
def plan() -> City:
    """The same city in memory: the topology (cables, ports) the captures must show."""
    return build_city(80, SEED)


@pytest.fixture(scope="session")
def planted(city: SampleCity) -> dict:
    return json.loads(city.planted_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def inventory(city: SampleCity) -> Inventory:
    return load_inventory(city.inventory_dir)


@pytest.fixture(scope="session")
def parsed(city: SampleCity, inventory: Inventory) -> dict[str, dict[str, list[dict]]]:
    """device -> command -> ntc-templates rows, for every captured device."""
    return {name: parse_device(city.captures_dir, name, dev.platform)
            for name, dev in inventory.devices.items() if (city.captures_dir / name).is_dir()}


@pytest.fixture(scope="session")
def findings(planted: dict) -> dict[str, list[tuple[str, ...]]]:
    """code -> the subjects of every planted finding with that code."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for f in planted["findings"]:
        out.setdefault(f["code"], []).append(tuple(f["subjects"]))
    return out
