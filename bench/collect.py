"""Collection benchmark: N emulated devices with a fixed answer latency, W workers.

Prints, per worker count, the wall time of a full ``netcensus.collect.collect`` run
beside the concurrency bound ``latency x commands x ceil(N / W)`` (what perfect
parallelism would take) and their ratio. Target (DESIGN.md section 7): ratio <= 1.2
at W = 20.

The emulated devices run in a child process (their own interpreter, so client and
servers do not share a GIL) on 127.0.0.1, one port each; nothing leaves the machine.

    python bench/collect.py                        # 200 devices, W = 20, 0.3 s per command
    python bench/collect.py --workers 10 20 50 --latency 0.5
"""

from __future__ import annotations

import argparse
import io
import math
import multiprocessing as mp
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

from rich.console import Console

ROOT = Path(__file__).resolve().parents[1]
# The project, and tests/ for the SSH emulator (test-only code, not shipped in the package).
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from core.platforms import PLATFORMS  # noqa: E402 - needs the sys.path set above
from inventory.model import Department, Device, Inventory, Site  # noqa: E402 - needs the sys.path set above
from netcensus.collect import CollectOptions, collect  # noqa: E402 - needs the sys.path set above

USER, PASSWORD = "bench", "bench-only"


def _serve(platform: str, devices: int, latency: float, conn: Connection) -> None:
    """Child process: serve ``devices`` emulated devices until told to stop."""
    from support.emulator import EmulatedDevice, Emulator

    outputs = {c.command: f"{platform} answer to {c.command}\n" + "x" * 200 + "\n"
               for c in PLATFORMS[platform].commands}
    fleet = [EmulatedDevice(f"dev{i:04d}", platform, outputs=outputs, username=USER, password=PASSWORD,
                            latency_s=latency) for i in range(devices)]
    with Emulator(fleet) as emu:
        conn.send({d.name: emu.port(d.name) for d in fleet})
        conn.recv()  # block until the benchmark is done


def _inventory(ports: dict[str, int], platform: str) -> Inventory:
    return Inventory(
        departments={"it": Department(id="it", name="IT")},
        sites={"lab": Site(id="lab", name="Lab", district="bench")},
        devices={name: Device(name=name, host="127.0.0.1", port=port, platform=platform, department="it",
                              site="lab") for name, port in ports.items()},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[20])
    parser.add_argument("--latency", type=float, default=0.3, help="seconds added to every survey answer")
    parser.add_argument("--platform", default="cisco_ios", choices=sorted(PLATFORMS))
    parser.add_argument("--parse", action="store_true", help="also parse each device (as a real run does)")
    args = parser.parse_args(argv)

    commands = len(PLATFORMS[args.platform].commands)
    parent, child = mp.Pipe()
    server = mp.Process(target=_serve, args=(args.platform, args.devices, args.latency, child), daemon=True)
    server.start()
    try:
        ports = parent.recv()
        inventory = _inventory(ports, args.platform)
        env = {"NETCENSUS_DEFAULT_USERNAME": USER, "NETCENSUS_DEFAULT_PASSWORD": PASSWORD}
        print(f"{args.devices} emulated {args.platform} devices, {commands} commands each, "
              f"{args.latency:.2f} s added per answer")
        print(f"{'workers':>7} {'bound_s':>8} {'wall_s':>8} {'ratio':>6} {'ok':>5} {'devices/min':>11}")
        for workers in args.workers:
            bound = args.latency * commands * math.ceil(args.devices / workers)
            with tempfile.TemporaryDirectory() as tmp:
                options = CollectOptions(workers=workers, host_keys="off", connect_timeout_s=20,
                                         command_timeout_s=30, retries=0, parse=args.parse)
                start = time.perf_counter()
                run = collect(inventory, Path(tmp) / "captures", options, Console(file=io.StringIO()), env=env)
                wall = time.perf_counter() - start
            ok = sum(r.collected for r in run.manifest.devices.values())
            print(f"{workers:>7} {bound:>8.1f} {wall:>8.1f} {wall / bound:>6.2f} {ok:>5} "
                  f"{args.devices / wall * 60:>11.0f}")
    finally:
        parent.send("stop")
        server.join(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
