#!/usr/bin/env python3
"""Benchmark: how long and how much memory a huge, broken inventory takes to be rejected.

    python bench/inventory_reject.py [--devices 470000] [--kind department|key|platform]

Writes one ``devices.yaml`` of ``--devices`` devices (plus a tiny valid base), where every
device carries the same mistake (``department``: a department nobody declared; ``key``: a
misspelt key; ``platform``: an unknown platform), then runs ``netcensus validate`` on it in
a child process and prints its wall time, CPU time, peak resident memory, exit code and
the number of problem lines it printed. Text is formatted directly (``yaml.dump`` would
take longer than the load).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = """\
departments:
  - {id: city, name: City Office}
sites:
  - {id: hq, name: Civic Centre, district: Xiling}
"""

MISTAKES = {
    "department": ("    department: nobody", "    platform: huawei"),
    "key": ("    department: city\n    colour: red", "    platform: huawei"),
    "platform": ("    department: city", "    platform: ios"),
}


def write_inventory(folder: Path, devices: int, kind: str) -> Path:
    """A base file and one ``devices.yaml`` in which every device has the ``kind`` mistake."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.yaml").write_text(BASE, encoding="utf-8")
    department, platform = MISTAKES[kind]
    with open(folder / "devices.yaml", "w", encoding="utf-8") as out:
        out.write("devices:\n")
        for d in range(devices):
            out.write(f"  - name: dev-{d}\n    host: 10.{d // 65536 % 256}.{d // 256 % 256}.{d % 254 + 1}\n"
                      f"{platform}\n{department}\n    site: hq\n")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=470_000)
    parser.add_argument("--kind", choices=sorted(MISTAKES), default="department")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_inventory(Path(tmp) / "inventory", args.devices, args.kind)
        size = (folder / "devices.yaml").stat().st_size
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "netcensus.cli", "validate", str(folder)],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        errors = sum(1 for line in done.stderr.splitlines() if line.startswith("error"))
        print(f"devices={args.devices} kind={args.kind} yaml_mb={size / 1e6:.0f} exit={done.returncode} "
              f"wall_s={wall:.1f} cpu_s={usage.ru_utime + usage.ru_stime:.1f} "
              f"peak_mib={usage.ru_maxrss / 1024:.0f} error_lines={errors}")
        print("last line:", done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "-")


if __name__ == "__main__":
    main()
