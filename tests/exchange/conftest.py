"""Fixtures of the exchange tests: the example inventory and the generated sample city."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.loader import load_inventory
from inventory.model import Inventory
from netcensus.sample import SampleCity, generate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "inventory"


@pytest.fixture(scope="session")
def example_inventory() -> Inventory:
    """``examples/inventory``: the small city of the inventory docs."""
    return load_inventory(EXAMPLES)


@pytest.fixture(scope="session")
def sample_city(tmp_path_factory: pytest.TempPathFactory) -> SampleCity:
    """The generated sample city of 80 devices, with its captures (written once per run)."""
    return generate(tmp_path_factory.mktemp("sample-city"), devices=80)


@pytest.fixture(scope="session")
def sample_inventory(sample_city: SampleCity) -> Inventory:
    return load_inventory(sample_city.inventory_dir)
