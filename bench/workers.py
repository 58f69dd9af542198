"""Distributed collection benchmark: the same emulated city through 1, 2 and 3 RQ workers.

For each worker count, that many ``netcensus worker`` processes (``--sessions`` devices at
once each, every worker serving every district queue) collect the same N emulated devices,
split into ``--districts`` shards, through ``netcensus.distributed.dispatch`` and a real
redis-server started on a free port of 127.0.0.1 (no persistence: the benchmark times the
collection, not the disk). Printed per row: wall time from enqueue to merged folder,
devices per minute, the efficiency against one worker (rate / (workers x rate of one)),
the workers' CPU per device (job processes included) and the emulators'.

The emulated devices run in child processes on 127.0.0.1; nothing leaves the machine.
Needs redis-server (Debian: redis-server).

    python bench/workers.py                          # 600 devices, 6 districts, 1 2 3 workers
    python bench/workers.py --devices 900 --latency 0.1 --sessions 20
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

from rich.console import Console

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # tests/: the emulator is test-only code

from core.platforms import PLATFORMS  # noqa: E402 - needs the sys.path set above
from inventory.model import Department, Device, Inventory, Site  # noqa: E402 - needs the sys.path set above
from netcensus.distributed.broker import connect  # noqa: E402 - needs the sys.path set above
from netcensus.distributed.dispatch import DispatchOptions, dispatch  # noqa: E402 - needs the sys.path set above

USER, PASSWORD = "bench", "bench-only"


def _serve(platform: str, first: int, devices: int, latency: float, conn: Connection) -> None:
    """Child process: serve emulated devices, answer CPU-time queries, stop when told."""
    from support.emulator import EmulatedDevice, Emulator

    outputs = {c.command: f"{platform} answer to {c.command}\n" + ("x" * 70 + "\n") * 20
               for c in PLATFORMS[platform].commands}
    fleet = [EmulatedDevice(f"dev{i:04d}", platform, outputs=outputs, username=USER, password=PASSWORD,
                            latency_s=latency) for i in range(first, first + devices)]
    with Emulator(fleet) as emu:
        conn.send({d.name: (emu.port(d.name), emu.known_hosts_line(d.name)) for d in fleet})
        while conn.recv() == "cpu":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            conn.send(usage.ru_utime + usage.ru_stime)


def _inventory(ports: dict[str, int], platform: str, districts: int) -> Inventory:
    names = sorted(ports)
    sites = {f"site{d}": Site(id=f"site{d}", name=f"Site {d}", district=f"d{d}") for d in range(districts)}
    return Inventory(
        departments={"it": Department(id="it", name="IT")}, sites=sites,
        devices={name: Device(name=name, host="127.0.0.1", port=ports[name], platform=platform, department="it",
                              site=f"site{i % districts}") for i, name in enumerate(names)},
    )


def _proc_cpu(pid: int) -> float:
    """CPU seconds of a process and its reaped children (RQ's job processes)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if connect(url).ping():
                return process, url
        except Exception:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("redis-server did not start")


def _start_workers(count: int, url: str, districts: int, sessions: int, known_hosts: Path, transport: str | None,
                   folder: Path) -> list[subprocess.Popen]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETCENSUS_")}
    env.update(NETCENSUS_DEFAULT_USERNAME=USER, NETCENSUS_DEFAULT_PASSWORD=PASSWORD, PYTHONPATH=str(ROOT))
    workers = []
    for index in range(count):
        cmd = [sys.executable, "-m", "netcensus.cli", "worker", "--redis", url, "--sessions", str(sessions),
               "--known-hosts", str(known_hosts), "--name", f"bench-{count}-{index}"]
        for d in range(districts):
            cmd += ["--queue", f"d{d}"]
        with open(folder / f"worker-{count}-{index}.log", "w") as log:
            workers.append(subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT))
    redis = connect(url)
    from rq import Worker

    deadline = time.monotonic() + 60
    while len(Worker.all(connection=redis)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return workers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=600)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--districts", type=int, default=6, help="shards (one queue each)")
    parser.add_argument("--sessions", type=int, default=20, help="devices at once per worker")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every survey answer")
    parser.add_argument("--platform", default="cisco_ios", choices=sorted(PLATFORMS))
    parser.add_argument("--transport", default=None, choices=["netmiko", "asyncssh"])
    parser.add_argument("--servers", type=int, default=2, help="emulator processes")
    args = parser.parse_args(argv)
    if shutil.which("redis-server") is None:
        raise SystemExit("needs redis-server (Debian: redis-server)")

    servers, ports, lines = [], {}, []
    share = -(-args.devices // args.servers)
    for s in range(args.servers):
        parent, child = mp.Pipe()
        count = min(share, args.devices - s * share)
        proc = mp.Process(target=_serve, args=(args.platform, s * share, count, args.latency, child), daemon=True)
        proc.start()
        served = parent.recv()
        ports.update({n: p for n, (p, _line) in served.items()})
        lines += [line for _port, line in served.values()]
        servers.append((proc, parent))
    inventory = _inventory(ports, args.platform, args.districts)

    def emu_cpu() -> float:
        total = 0.0
        for _proc, conn in servers:
            conn.send("cpu")
            total += conn.recv()
        return total

    print(f"{args.devices} emulated {args.platform} devices ({args.servers} emulator processes), {args.districts} "
          f"district shards, {args.sessions} sessions per worker, {args.latency:.2f} s added per answer, "
          f"{os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'workers':>7} {'wall_s':>7} {'ok':>5} {'devices/min':>11} {'efficiency':>10} "
          f"{'worker_cpu_ms/dev':>17} {'emu_cpu_ms/dev':>14}")
    one_rate = None
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as tmp:
        folder = Path(tmp)
        known_hosts = folder / "known_hosts"
        known_hosts.write_text("\n".join(lines) + "\n")
        redis_process, url = _start_redis(folder)
        try:
            for count in args.workers:
                workers = _start_workers(count, url, args.districts, args.sessions, known_hosts, args.transport, folder)
                emu_before = emu_cpu()
                collect = {"transport": args.transport} if args.transport else {}
                begin = time.perf_counter()
                run = dispatch(inventory, folder / f"captures-{count}", DispatchOptions(collect=collect, poll_s=0.2),
                               connect(url), Console(file=io.StringIO()))
                wall = time.perf_counter() - begin
                emu = emu_cpu() - emu_before
                worker_cpu = sum(_proc_cpu(w.pid) for w in workers)
                for w in workers:
                    w.terminate()
                for w in workers:
                    w.wait(timeout=60)
                ok = sum(r.collected for r in run.manifest.devices.values())
                rate = ok / wall * 60
                one_rate = one_rate or (rate if count == 1 else rate / count)
                print(f"{count:>7} {wall:>7.1f} {ok:>5} {rate:>11.0f} {rate / (count * one_rate):>9.2f}x "
                      f"{worker_cpu / max(ok, 1) * 1000:>17.1f} {emu / max(ok, 1) * 1000:>14.1f}", flush=True)
        finally:
            redis_process.terminate()
            redis_process.wait(timeout=20)
            for proc, conn in servers:
                conn.send("stop")
                proc.join(timeout=10)
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
