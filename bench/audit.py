#!/usr/bin/env python3
"""Benchmark the offline audit: seconds per stage and peak memory, per city size.

    python bench/audit.py --devices 1000 5000 10000 [--repeat 3] [--workdir DIR] [--csv FILE]
                          [--cache-ratio] [--reuse-cities]

Cities are generated with the sample generator outside the timed part. Each audit is the
one ``netcensus audit`` runs (:func:`netcensus.job.run_job`: load, parse, graph, checks,
history-store recording with the capture archive, every file report), in its own process,
into a fresh output folder and store, without the parse cache. Every figure is the
median of ``--repeat`` runs.

Memory: ``peak_mib`` is the peak resident set of the whole audit (its process plus its
parsing workers, summed: sampled every 50 ms, never below the audit process's own
``ru_maxrss``); ``main_peak_mib`` is the audit process alone. Summing RSS counts pages the
workers share with their parent twice, so ``peak_mib`` errs on the high side.

``other_s`` is the part of ``total_s`` no stage accounts for (interpreter work between
stages), so the stage columns visibly add up. ``--cache-ratio`` also times, for the largest
city, a first audit that fills the parse cache and a second one of the unchanged captures
into the same output folder and store (a nightly re-run), and prints their ratio.

The last line sums up the largest city as ``devices=N total_s=S peak_mib=M`` for scripts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STAGES = ("load_inventory", "parse_captures", "build_graph", "checks", "history", "reports")
SAMPLE_EVERY_S = 0.05
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def child(inventory: str, captures: str, out: str, cache: str) -> None:
    """One timed audit as ``netcensus audit`` runs it; prints timings and sizes as JSON."""
    from netcensus.job import AuditJob, run_job

    job = AuditJob(inventory=Path(inventory), captures=Path(captures), out=Path(out),
                   cache=Path(cache) if cache != "-" else None, use_cache=cache != "-")
    start = time.perf_counter()
    outcome = run_job(job)
    total = time.perf_counter() - start
    result = outcome.result
    timings = {s: result.timings.get(s, 0.0) for s in STAGES}
    timings["other"] = total - sum(timings.values())
    timings["total"] = total
    G = result.graph
    print(json.dumps({
        "timings": timings,
        "devices": len(result.inventory.devices),
        "links": sum(1 for *_, d in G.edges(data=True) if d["kind"] == "link"),
        "circuits": len(result.inventory.circuits),
        "findings": len(result.findings),
        "main_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def _tree_rss_kib(root: int) -> int:
    """Resident set (KiB) of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * PAGE_KIB
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree)


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree until told to stop."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kib = pid, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_EVERY_S):
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(self.pid))


def run_once(inventory: Path, captures: Path, out: Path, cache: Path | None = None, fresh: bool = True) -> dict:
    """One audit in a child process; ``fresh`` starts from an empty output folder and store."""
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, __file__, "--child", str(inventory), str(captures), str(out), str(cache or "-")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    sampler = _TreeSampler(proc.pid)
    sampler.start()
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    sampler.done.set()
    sampler.join()
    proc.stdout.close()
    if status != 0:
        raise SystemExit(f"audit of {inventory} failed (status {status})")
    data = json.loads(output.strip().splitlines()[-1])
    # wait4's ru_maxrss is the largest single process of the tree (the audit or one worker).
    data["peak_mib"] = max(sampler.peak_kib, usage.ru_maxrss) / 1024
    return data


def _city(work: Path, n: int, reuse: bool) -> tuple[Path, Path]:
    folder = work / f"city-{n}"
    if not (reuse and (folder / "inventory").is_dir() and (folder / "captures").is_dir()):
        from netcensus.sample import generate

        city = generate(folder, devices=n, seed=1)
        return city.inventory_dir, city.captures_dir
    return folder / "inventory", folder / "captures"


HEADER = ["devices", "links", "circuits", *[f"{s}_s" for s in STAGES], "other_s", "total_s",
          "per_device_ms", "peak_mib", "main_peak_mib"]


def _row(runs: list[dict]) -> dict:
    """One table row: the median of each figure over ``runs`` of one city."""
    med = {s: statistics.median(r["timings"].get(s, 0.0) for r in runs) for s in (*STAGES, "other", "total")}
    return {
        "devices": runs[0]["devices"], "links": runs[0]["links"], "circuits": runs[0]["circuits"],
        **{f"{s}_s": round(med[s], 3) for s in (*STAGES, "other")},
        "total_s": round(med["total"], 3),
        "per_device_ms": round(1000 * med["total"] / max(runs[0]["devices"], 1), 3),
        "peak_mib": round(statistics.median(r["peak_mib"] for r in runs), 1),
        "main_peak_mib": round(statistics.median(r["main_peak_mib"] for r in runs), 1),
    }


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--csv", type=Path, default=ROOT / "bench" / "results" / "audit.csv")
    parser.add_argument("--cache-ratio", action="store_true",
                        help="also time a first and a second (cached) audit of the largest city")
    parser.add_argument("--reuse-cities", action="store_true",
                        help="reuse cities already generated in --workdir instead of generating them again")
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="netcensus-bench-"))
    rows = []
    print(f"# {os.cpu_count()} cores, {_load()}", flush=True)
    print(" ".join(f"{h:>14}" for h in HEADER))
    for n in args.devices:
        inventory, captures = _city(work, n, args.reuse_cities)
        row = _row([run_once(inventory, captures, work / f"out-{n}") for _ in range(args.repeat)])
        rows.append(row)
        print(" ".join(f"{row[h]:>14}" for h in HEADER), flush=True)
    print(f"# {_load()}")
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with open(args.csv, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(f"per-device cost ratio {last['devices']}/{first['devices']}: "
              f"{last['per_device_ms'] / first['per_device_ms']:.2f}x")
    if args.cache_ratio:
        n = args.devices[-1]
        inventory, captures = _city(work, n, reuse=True)
        out, cache = work / f"out-cached-{n}", work / f"cache-{n}"
        colds, warms = [], []
        for _ in range(args.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            colds.append(run_once(inventory, captures, out, cache))
            warms.append(run_once(inventory, captures, out, cache, fresh=False))
        for label, runs in (("first, filling the cache", colds), ("second, cached", warms)):
            row = _row(runs)
            print(" ".join(f"{row[h]:>14}" for h in HEADER) + f"  ({label})")
        cold = statistics.median(r["timings"]["total"] for r in colds)
        warm = statistics.median(r["timings"]["total"] for r in warms)
        print(f"cached re-audit: first {cold:.2f} s, second {warm:.2f} s, ratio {warm / cold:.2f} "
              f"(medians of {args.repeat}; {_load()})")
    last = rows[-1]
    print(f"devices={last['devices']} total_s={last['total_s']} peak_mib={last['peak_mib']}")


if __name__ == "__main__":
    main()
