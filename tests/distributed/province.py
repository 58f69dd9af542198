"""A small province in Linux network namespaces: three district networks, a broker, workers.

The sample city's six districts are served from three namespaces (``A``: xc and bl, ``B``:
ns and dg, ``C``: xw and yh). Each namespace holds its districts' emulated devices, each
bound to the device's own inventory address on the namespace's loopback, so a device is
reachable only from inside its namespace; each is joined to the root namespace by one veth
pair (198.18.0.0/15, the benchmarking range) over which its worker reaches the broker. The
namespaces have no route to each other. The root namespace (the test, playing the central
site) gets host routes to every device, for the single-host reference collection only.

Everything is torn down by recorded process ids and namespace names.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from inventory.loader import load_inventory
from netcensus.sample import generate

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
USER, PASSWORD = "survey", "Lab-Only-Pw-7f3a"  # lab-only: what the broker must never see
DISTRICTS = {"A": ("xc", "bl"), "B": ("ns", "dg"), "C": ("xw", "yh")}


def _run(*cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=30)


@dataclass
class Province:
    """Namespaces, processes and files of one lab."""

    root: Path
    latency_s: float = 0.05
    tag: str = field(default_factory=lambda: f"{os.getpid() % 100000}")
    namespaces: dict[str, str] = field(default_factory=dict)  # "A" -> netns name
    outside: dict[str, str] = field(default_factory=dict)  # "A" -> root-side veth address
    inside: dict[str, str] = field(default_factory=dict)  # "A" -> namespace-side address
    root_links: list[str] = field(default_factory=list)
    emulators: dict[str, subprocess.Popen] = field(default_factory=dict)
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)  # worker name -> process
    routes: list[str] = field(default_factory=list)
    district_of: dict[str, str] = field(default_factory=dict)  # device -> namespace letter
    known_hosts: dict[str, Path] = field(default_factory=dict)  # "A" -> file; "all" -> union
    inventory_dir: Path | None = None

    # building ---------------------------------------------------------------------------------
    def build(self) -> None:
        city = generate(self.root / "city", devices=80, seed=1)
        inventory = load_inventory(city.inventory_dir)
        letter_of = {d: letter for letter, ds in DISTRICTS.items() for d in ds}
        for name in inventory.devices:
            site = inventory.device_site(name)
            self.district_of[name] = letter_of[inventory.sites[site].district]
        octet = os.getpid() % 200 + 20
        for index, letter in enumerate(DISTRICTS):
            ns = f"nc8{self.tag}-{letter}"
            _run("ip", "netns", "add", ns)
            self.namespaces[letter] = ns
            _run("ip", "-n", ns, "link", "set", "lo", "up")
            out, inn = f"198.19.{octet}.{4 * index + 1}", f"198.19.{octet}.{4 * index + 2}"
            root_if = f"nc8{self.tag}{letter}"
            _run("ip", "link", "add", root_if, "type", "veth", "peer", "name", "uplink", "netns", ns)
            self.root_links.append(root_if)
            _run("ip", "addr", "add", f"{out}/30", "dev", root_if)
            _run("ip", "link", "set", root_if, "up")
            _run("ip", "-n", ns, "addr", "add", f"{inn}/30", "dev", "uplink")
            _run("ip", "-n", ns, "link", "set", "uplink", "up")
            self.outside[letter], self.inside[letter] = out, inn
        ports: dict[str, int] = {}
        lines: list[str] = []
        for letter, ns in self.namespaces.items():
            mine = [d for d in inventory.devices.values() if self.district_of[d.name] == letter]
            batch = "".join(f"address add {d.host}/32 dev lo\n" for d in mine)
            subprocess.run(["ip", "-n", ns, "-batch", "-"], input=batch, text=True, check=True, timeout=30)
            routes = "".join(f"route replace {d.host}/32 via {self.inside[letter]}\n" for d in mine)
            subprocess.run(["ip", "-batch", "-"], input=routes, text=True, check=True, timeout=30)
            self.routes += [d.host for d in mine]
            config = self.root / f"emulate-{letter}.json"
            config.write_text(json.dumps([{"name": d.name, "platform": d.platform, "host": d.host,
                                           "folder": str(city.captures_dir / d.name)} for d in mine]))
            answer = self.root / f"emulate-{letter}.out.json"
            env = dict(os.environ, PYTHONPATH=str(REPO), LAB_USER=USER, LAB_PASSWORD=PASSWORD)
            with open(self.root / f"emulate-{letter}.log", "w") as log:
                self.emulators[letter] = subprocess.Popen(
                    ["ip", "netns", "exec", ns, PYTHON, str(Path(__file__).with_name("district_emulator.py")),
                     str(config), str(answer), str(self.latency_s)],
                    env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            _wait(answer.exists, f"the emulators of {letter}", self.root / f"emulate-{letter}.log", 60)
            served = json.loads(answer.read_text())
            ports.update({name: entry["port"] for name, entry in served.items()})
            self.known_hosts[letter] = self.root / f"known_hosts-{letter}"
            self.known_hosts[letter].write_text("".join(e["known_hosts"] + "\n" for e in served.values()))
            lines += [e["known_hosts"] for e in served.values()]
        self.known_hosts["all"] = self.root / "known_hosts-all"
        self.known_hosts["all"].write_text("\n".join(lines) + "\n")
        self.inventory_dir = self.root / "inventory"
        shutil.copytree(city.inventory_dir, self.inventory_dir)
        devices_yaml = self.inventory_dir / "devices.yaml"
        devices_yaml.write_text(_set_ports(devices_yaml.read_text(encoding="utf-8"), ports), encoding="utf-8")

    def start_worker(self, letter: str, redis_port: int, name: str, *, env: dict[str, str] | None = None,
                     credentials_file: Path | None = None, sessions: int = 4) -> subprocess.Popen:
        """``netcensus worker`` inside a district's namespace, for its districts' queues."""
        cmd = [PYTHON, "-m", "netcensus.cli", "worker", "--redis", f"redis://{self.outside[letter]}:{redis_port}/0",
               "--known-hosts", str(self.known_hosts[letter]), "--sessions", str(sessions),
               "--heartbeat", "1", "--grace", "2", "--name", name]
        for district in DISTRICTS[letter]:
            cmd += ["--queue", district]
        if credentials_file is not None:
            cmd += ["--credentials", str(credentials_file)]
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("NETCENSUS_")}
        full_env.update(env or {}, PYTHONPATH=str(REPO))
        with open(self.root / f"worker-{name}.log", "w") as log:  # the child keeps its own descriptor
            process = subprocess.Popen(["ip", "netns", "exec", self.namespaces[letter], *cmd], env=full_env,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.workers[name] = process
        return process

    def kill_worker(self, name: str) -> None:
        """SIGKILL a worker and every process under it (its job process): a collector host dies."""
        process = self.workers[name]
        for pid in [process.pid, *_descendants(process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)

    def in_namespace(self, letter: str, *cmd: str) -> subprocess.CompletedProcess[str]:
        return _run("ip", "netns", "exec", self.namespaces[letter], *cmd, check=False)

    # tear-down --------------------------------------------------------------------------------
    def destroy(self) -> None:
        for name in list(self.workers):
            if self.workers[name].poll() is None:
                self.kill_worker(name)
        for process in self.emulators.values():  # nothing of theirs to save: no slow goodbye
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if self.routes:
            subprocess.run(["ip", "-batch", "-"], input="".join(f"route del {h}/32\n" for h in self.routes),
                           text=True, check=False, timeout=30, capture_output=True)
        for link in self.root_links:
            _run("ip", "link", "del", link, check=False)
        for ns in self.namespaces.values():
            _run("ip", "netns", "del", ns, check=False)


def _set_ports(text: str, ports: dict[str, int]) -> str:
    """The devices YAML with each device's ``port: 22`` replaced by its emulator's port."""
    out, current = [], None
    for line in text.splitlines(keepends=True):
        match = re.match(r"\s*- name: (\S+)", line)
        if match:
            current = match.group(1)
        if current in ports and re.match(r"\s+port: \d+\s*$", line):
            line = re.sub(r"port: \d+", f"port: {ports[current]}", line)
        out.append(line)
    return "".join(out)


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _wait(ready, what: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}: {tail}")
