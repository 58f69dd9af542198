"""Shared fixtures: one generated sample city per test session (copied where a test mutates it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netcensus.sample import SampleCity, generate


@pytest.fixture(scope="session")
def sample_city(tmp_path_factory: pytest.TempPathFactory) -> SampleCity:
    """The default 80-device sample city; treat as read-only."""
    return generate(tmp_path_factory.mktemp("city") / "sample", devices=80, seed=1)


@pytest.fixture()
def city_copy(sample_city: SampleCity, tmp_path: Path) -> SampleCity:
    """A private copy of the sample city that a test may change."""
    root = tmp_path / "city"
    shutil.copytree(sample_city.root, root)
    return SampleCity(root=root, inventory_dir=root / "inventory", captures_dir=root / "captures",
                      planted_path=root / "planted.json")
