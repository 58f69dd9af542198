#!/usr/bin/env python3
"""Benchmark the offline audit: seconds per stage and peak memory, per city size.

    python bench/audit.py --devices 1000 5000 10000 [--repeat 3] [--workdir DIR] [--csv FILE]

Cities are generated with the sample generator outside the timed part. Each audit runs in
its own process (so its peak resident set size is its own, read with ``os.wait4``); every
figure is the median of ``--repeat`` runs. The last line sums up the largest city as
``devices=N total_s=S peak_mib=M`` for scripts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STAGES = ("load_inventory", "parse_captures", "build_graph", "checks", "reports")


def child(inventory: str, captures: str, out: str, cache: str | None) -> None:
    """One timed audit; prints its stage timings and sizes as JSON on stdout."""
    from netcensus.job import write_reports
    from netcensus.pipeline import audit

    start = time.perf_counter()
    result = audit(inventory, captures, cache_dir=cache)
    t = time.perf_counter()
    write_reports(result, Path(out), "en")
    timings = dict(result.timings, reports=time.perf_counter() - t)
    timings["total"] = time.perf_counter() - start
    G = result.graph
    print(json.dumps({
        "timings": timings,
        "devices": len(result.inventory.devices),
        "links": sum(1 for *_, d in G.edges(data=True) if d["kind"] == "link"),
        "circuits": len(result.inventory.circuits),
        "findings": len(result.findings),
    }))


def run_once(inventory: Path, captures: Path, out: Path, cache: Path | None = None) -> dict:
    cmd = [sys.executable, __file__, "--child", str(inventory), str(captures), str(out)]
    if cache:
        cmd.append(str(cache))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.stdout.close()
    if status != 0:
        raise SystemExit(f"audit of {inventory} failed (status {status})")
    data = json.loads(output.strip().splitlines()[-1])
    data["peak_mib"] = usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux
    return data


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5], sys.argv[5] if len(sys.argv) > 5 else None)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--csv", type=Path, default=ROOT / "bench" / "results" / "audit.csv")
    parser.add_argument("--cache-ratio", action="store_true",
                        help="also time a cold and a warm (cached) re-audit of the largest city")
    args = parser.parse_args()

    from netcensus.sample import generate

    work = args.workdir or Path(tempfile.mkdtemp(prefix="netcensus-bench-"))
    rows = []
    header = ["devices", "links", "circuits", *[f"{s}_s" for s in STAGES], "total_s", "per_device_ms", "peak_mib"]
    print(" ".join(f"{h:>14}" for h in header))
    for n in args.devices:
        city = generate(work / f"city-{n}", devices=n, seed=1)
        runs = [run_once(city.inventory_dir, city.captures_dir, work / f"out-{n}") for _ in range(args.repeat)]
        med = {s: statistics.median(r["timings"].get(s, 0.0) for r in runs) for s in (*STAGES, "total")}
        row = {
            "devices": runs[0]["devices"], "links": runs[0]["links"], "circuits": runs[0]["circuits"],
            **{f"{s}_s": round(med[s], 3) for s in STAGES},
            "total_s": round(med["total"], 3),
            "per_device_ms": round(1000 * med["total"] / max(runs[0]["devices"], 1), 3),
            "peak_mib": round(statistics.median(r["peak_mib"] for r in runs), 1),
        }
        rows.append(row)
        print(" ".join(f"{row[h]:>14}" for h in header), flush=True)
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with open(args.csv, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(f"per-device cost ratio {last['devices']}/{first['devices']}: "
              f"{last['per_device_ms'] / first['per_device_ms']:.2f}x")
    if args.cache_ratio:
        n = args.devices[-1]
        city_dir = work / f"city-{n}"
        cache = work / f"cache-{n}"
        cold = run_once(city_dir / "inventory", city_dir / "captures", work / f"out-{n}", cache)
        warm = run_once(city_dir / "inventory", city_dir / "captures", work / f"out-{n}", cache)
        print(f"cached re-audit: cold {cold['timings']['total']:.2f} s, warm {warm['timings']['total']:.2f} s, "
              f"ratio {warm['timings']['total'] / cold['timings']['total']:.2f}")
    last = rows[-1]
    print(f"devices={last['devices']} total_s={last['total_s']} peak_mib={last['peak_mib']}")


if __name__ == "__main__":
    main()
