"""Transport benchmark: netmiko and asyncssh side by side, one run, the same emulated devices.

For each session count (20, 50, 100, 200 by default) both transports collect the same N
emulated devices through ``netcensus.collect.collect`` (files written, manifest, no
parsing), one after the other, alternating which goes first. Printed per row: devices per
minute, the collecting process's CPU seconds per device (every thread: paramiko's
transport threads for netmiko, the one event loop for asyncssh) and the emulator's, and
asyncssh's throughput against netmiko's at the same session count.

The emulated devices run in child processes (their own interpreters, so client and
servers do not share a GIL) on 127.0.0.1, one port each; nothing leaves the machine.

    python bench/transports.py                             # 400 devices, 20/50/100/200 sessions
    python bench/transports.py --sessions 200 --devices 600 --latency 0.05
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import resource
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
TRANSPORTS = ("netmiko", "asyncssh")


def _serve(platform: str, first: int, devices: int, latency: float, conn: Connection) -> None:
    """Child process: serve ``devices`` emulated devices, answer CPU-time queries, stop when told."""
    from support.emulator import EmulatedDevice, Emulator

    outputs = {c.command: f"{platform} answer to {c.command}\n" + ("x" * 70 + "\n") * 20
               for c in PLATFORMS[platform].commands}
    fleet = [EmulatedDevice(f"dev{i:04d}", platform, outputs=outputs, username=USER, password=PASSWORD,
                            latency_s=latency) for i in range(first, first + devices)]
    with Emulator(fleet) as emu:
        conn.send({d.name: emu.port(d.name) for d in fleet})
        while conn.recv() == "cpu":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            conn.send(usage.ru_utime + usage.ru_stime)


def _inventory(ports: dict[str, int], platform: str) -> Inventory:
    return Inventory(
        departments={"it": Department(id="it", name="IT")},
        sites={"lab": Site(id="lab", name="Lab", district="bench")},
        devices={name: Device(name=name, host="127.0.0.1", port=port, platform=platform, department="it",
                              site="lab") for name, port in ports.items()},
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=400, help="devices collected per row and transport")
    parser.add_argument("--sessions", type=int, nargs="+", default=[20, 50, 100, 200])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every survey answer")
    parser.add_argument("--platform", default="cisco_ios", choices=sorted(PLATFORMS))
    parser.add_argument("--servers", type=int, default=2, help="emulator processes the devices are spread over")
    args = parser.parse_args(argv)

    servers = []
    ports: dict[str, int] = {}
    share = -(-args.devices // args.servers)
    for index in range(args.servers):
        count = min(share, args.devices - index * share)
        parent, child = mp.Pipe()
        proc = mp.Process(target=_serve, args=(args.platform, index * share, count, args.latency, child),
                          daemon=True)
        proc.start()
        servers.append((proc, parent))
    try:
        for _proc, parent in servers:
            ports.update(parent.recv())
        inventory = _inventory(ports, args.platform)
        env = {"NETCENSUS_DEFAULT_USERNAME": USER, "NETCENSUS_DEFAULT_PASSWORD": PASSWORD}
        typed = len(PLATFORMS[args.platform].groups)
        print(f"{args.devices} emulated {args.platform} devices ({args.servers} emulator processes), "
              f"{typed} commands typed each, {args.latency:.2f} s added per answer")
        print(f"{'sessions':>8} {'transport':>9} {'wall_s':>7} {'ok':>4} {'devices/min':>11} "
              f"{'cpu_ms/dev':>10} {'emu_cpu_ms/dev':>14} {'vs_netmiko':>10}")

        def emulator_cpu() -> float:
            total = 0.0
            for _proc, parent in servers:
                parent.send("cpu")
                total += parent.recv()
            return total

        for row, sessions in enumerate(args.sessions):
            order = TRANSPORTS if row % 2 == 0 else TRANSPORTS[::-1]
            rates: dict[str, float] = {}
            lines: dict[str, str] = {}
            for transport in order:
                with tempfile.TemporaryDirectory() as tmp:
                    options = CollectOptions(workers=sessions, host_keys="off", connect_timeout_s=30,
                                             command_timeout_s=60, retries=0, parse=False, transport=transport)
                    cpu0, emu0, start = _cpu(), emulator_cpu(), time.perf_counter()
                    run = collect(inventory, Path(tmp) / "captures", options, Console(file=io.StringIO()), env=env)
                    wall = time.perf_counter() - start
                    cpu, emu = _cpu() - cpu0, emulator_cpu() - emu0
                ok = sum(1 for r in run.manifest.devices.values() if r.status == "ok")
                rates[transport] = ok / wall * 60
                lines[transport] = (f"{sessions:>8} {transport:>9} {wall:>7.1f} {ok:>4} {rates[transport]:>11.0f} "
                                    f"{cpu / args.devices * 1000:>10.1f} {emu / args.devices * 1000:>14.1f}")
            for transport in TRANSPORTS:
                ratio = rates[transport] / rates["netmiko"] if rates["netmiko"] else float("nan")
                print(lines[transport] + f" {ratio:>9.2f}x", flush=True)
    finally:
        for proc, parent in servers:
            parent.send("stop")
            proc.join(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
