"""Benchmark: load a generated 10,000-device inventory (about 40k entities).

Run: ``/work/venv/bin/python tests/inventory/bench_loader.py [devices]``. Prints the
wall and CPU time of each run and the peak traced memory; the loader should stay
within a few seconds.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from inventory_citygen import write_city

from inventory.loader import load_inventory


def main(devices: int = 10_000, runs: int = 3) -> None:
    """Generate the city once, then time ``runs`` loads of it."""
    with tempfile.TemporaryDirectory() as tmp:
        counts = write_city(Path(tmp), devices)
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*.y*ml"))
        print(f"{sum(counts.values())} entities, {size / 1e6:.1f} MB of YAML")
        for run in range(runs):
            # CPU time too: on a shared machine the wall clock also measures the neighbours.
            start, cpu = time.perf_counter(), time.process_time()
            inventory = load_inventory(tmp)
            print(f"run {run + 1}: {time.perf_counter() - start:.2f} s wall, "
                  f"{time.process_time() - cpu:.2f} s CPU ({len(inventory.devices)} devices)")
        tracemalloc.start()
        load_inventory(tmp)
        print(f"peak traced memory: {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
