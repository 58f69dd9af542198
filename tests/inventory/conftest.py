"""Fixtures of the inventory loader tests (helpers live in inventory_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from inventory_helpers import InventoryDir


@pytest.fixture
def inv(tmp_path: Path) -> InventoryDir:
    """An inventory directory holding a valid ``base.yaml``; tests add broken files."""
    return InventoryDir(tmp_path / "inventory")
