"""Write a sample city to disk: inventory YAML, per-device captures and ``planted.json``."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from core.platforms import command_filename
from netcensus.sample.build import build_city
from netcensus.sample.city import City
from netcensus.sample.inventory_out import write_inventory
from netcensus.sample.plants import NOTES
from netcensus.sample.render import render_device
from netcensus.sample.render_common import views

#: The parts of a sample directory; ``generate`` replaces exactly these and nothing else.
INVENTORY, CAPTURES, PLANTED = "inventory", "captures", "planted.json"


@dataclass(frozen=True, slots=True)
class SampleCity:
    """Where a generated sample city was written."""

    root: Path
    inventory_dir: Path
    captures_dir: Path
    planted_path: Path


def generate(out_dir: Path | str, devices: int = 80, seed: int = 1) -> SampleCity:
    """Generate the sample city of ``devices`` declared devices from ``seed`` into ``out_dir``.

    Writes ``inventory/*.yaml``, ``captures/<device>/<command file>`` (one per command of
    the device's platform, for every captured device) and ``planted.json``. Existing
    ``inventory/`` and ``captures/`` folders in ``out_dir`` are replaced; other files are
    left alone. The same arguments always give byte-identical files.

    Raises ``ValueError`` when ``devices`` is too small to hold every planted case.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     city = generate(folder, devices=80, seed=1)
    ...     sorted(p.name for p in city.inventory_dir.iterdir())[:3]
    ['approvals.yaml', 'circuits.yaml', 'departments.yaml']
    """
    city = build_city(devices, seed)
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    inventory_dir, captures_dir = root / INVENTORY, root / CAPTURES
    for stale in (inventory_dir, captures_dir):
        if stale.exists():
            shutil.rmtree(stale)
    write_inventory(city, inventory_dir)
    write_captures(city, captures_dir)
    planted = root / PLANTED
    planted.write_text(json.dumps(planted_record(city), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return SampleCity(root, inventory_dir, captures_dir, planted)


def write_captures(city: City, folder: Path) -> int:
    """One file per command for every captured device; returns the number of files written."""
    count = 0
    for name, view in views(city).items():
        device_dir = folder / name
        device_dir.mkdir(parents=True)
        for command, text in render_device(view).items():
            (device_dir / command_filename(command)).write_text(text, encoding="utf-8", newline="")
            count += 1
    return count


def planted_record(city: City) -> dict:
    """What ``planted.json`` holds: every planted finding, the clean cases and the assumptions."""
    findings = sorted(city.planted, key=lambda p: (p.code, p.subjects))
    return {
        "seed": city.seed,
        "devices": len(city.devices),
        "today": city.today.isoformat(),
        "policy_date": city.policy_date.isoformat(),
        "findings": [{"code": p.code, "subjects": list(p.subjects), "why": p.why} for p in findings],
        "clean": city.clean,
        "notes": NOTES,
    }
