"""The declared side of a survey: what departments say they have.

``load_inventory(path)`` reads a directory of YAML files into an :class:`Inventory`
of typed, validated, frozen objects, or raises :class:`core.errors.InventoryError`
listing every problem with its file, line and field.
"""

from pathlib import Path

from inventory.model import (
    Approval,
    Circuit,
    CircuitEnd,
    Department,
    Device,
    Inventory,
    Network,
    Policy,
    Room,
    Site,
    Waiver,
    Website,
)

__all__ = [
    "Approval",
    "Circuit",
    "CircuitEnd",
    "Department",
    "Device",
    "Inventory",
    "Network",
    "Policy",
    "Room",
    "Site",
    "Waiver",
    "Website",
    "load_inventory",
]


def load_inventory(path: Path | str) -> Inventory:
    """Load and validate the inventory directory (or single file) at ``path``."""
    from inventory.loader import load_inventory as _load

    return _load(path)
