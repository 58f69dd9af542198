"""Real LLDP in Linux network namespaces, collected over real SSH as ``linux`` devices.

Four namespaces joined by veth pairs in a triangle plus a spur (core1-core2,
core1-acc1, core2-acc1: one redundant path; core2-acc2), each running its own
lldpd and OpenSSH server. Each lab host gets a private mount and UTS namespace
(its own hostname, its own /run holding lldpd's default control socket, and a
private copy of /etc/shadow with the lab-only root password), so nothing of the
machine's own configuration changes. The test reaches each sshd through a
management veth into the root namespace with lab-only addresses (198.18.0.0/15,
the benchmarking range), collects the hosts with netcensus, and checks that the
neighbours found, and the graph's links, are exactly the veth links. Everything
is torn down in ``finally``, by recorded process ids and namespace names.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.console import Console

from analysis.graph import build_graph
from collectors.normalise import interface_name
from inventory.model import Department, Device, Inventory, Site
from netcensus.collect import CollectOptions, collect

pytestmark = pytest.mark.lab

HOSTS = ("core1", "core2", "acc1", "acc2")
LINKS = (("core1", "core2"), ("core1", "acc1"), ("core2", "acc1"), ("core2", "acc2"))
LAB_PASSWORD = "lab-only-root-pw"
TOOLS = ("ip", "unshare", "nsenter", "lldpd", "lldpcli", "ssh-keygen")


def _missing_tools() -> list[str]:
    missing = [t for t in TOOLS if shutil.which(t) is None and not Path(f"/usr/sbin/{t}").exists()]
    return missing + ([] if Path("/usr/sbin/sshd").exists() else ["sshd (openssh-server)"])


if os.geteuid() != 0:
    pytest.skip("the LLDP lab builds network namespaces: run as root", allow_module_level=True)
if _missing_tools():
    pytest.skip(f"the LLDP lab needs {', '.join(_missing_tools())} (Debian: lldpd openssh-server iproute2)",
                allow_module_level=True)


def _run(*cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=30)


def _password_hash(password: str) -> str:
    """A SHA-512 crypt hash for /etc/shadow (crypt module up to 3.12, openssl after)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import crypt
    except ImportError:
        return _run("openssl", "passwd", "-6", password).stdout.strip()
    return crypt.crypt(password, crypt.mksalt(crypt.METHOD_SHA512))


@dataclass
class Lab:
    """Namespaces, processes and files of one lab, for the test and for tear-down."""

    root: Path
    tag: str = field(default_factory=lambda: f"{os.getpid() % 100000}")
    namespaces: dict[str, str] = field(default_factory=dict)  # host -> netns name
    addresses: dict[str, str] = field(default_factory=dict)  # host -> management address
    holders: dict[str, subprocess.Popen] = field(default_factory=dict)  # host -> lldpd (holds the mount ns)
    sshds: dict[str, subprocess.Popen] = field(default_factory=dict)
    root_links: list[str] = field(default_factory=list)

    def in_host(self, host: str, *cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a command in a lab host's network, mount and UTS namespaces."""
        pid = str(self.holders[host].pid)
        return _run("nsenter", "-t", pid, "-m", "-u", "-n", *cmd, check=check)

    def build(self) -> None:
        octet = os.getpid() % 250  # keeps two labs on one machine apart
        shadow = self.root / "shadow"
        lines = Path("/etc/shadow").read_text().splitlines()
        hashed = _password_hash(LAB_PASSWORD)
        shadow.write_text("\n".join(
            f"root:{hashed}:" + ":".join(line.split(":")[2:]) if line.startswith("root:") else line
            for line in lines) + "\n")
        os.chmod(shadow, 0o640)
        for index, host in enumerate(HOSTS):
            ns = f"nclab{self.tag}-{host}"
            _run("ip", "netns", "add", ns)
            self.namespaces[host] = ns
            _run("ip", "-n", ns, "link", "set", "lo", "up")
            outside, inside = f"198.18.{octet}.{4 * index + 1}", f"198.18.{octet}.{4 * index + 2}"
            root_if = f"ncm{self.tag}{index}"
            _run("ip", "link", "add", root_if, "type", "veth", "peer", "name", "mgmt0", "netns", ns)
            self.root_links.append(root_if)
            _run("ip", "addr", "add", f"{outside}/30", "dev", root_if)
            _run("ip", "link", "set", root_if, "up")
            _run("ip", "-n", ns, "addr", "add", f"{inside}/30", "dev", "mgmt0")
            _run("ip", "-n", ns, "link", "set", "mgmt0", "up")
            self.addresses[host] = inside
        for a, b in LINKS:
            _run("ip", "link", "add", f"to-{b}", "netns", self.namespaces[a], "type", "veth",
                 "peer", "name", f"to-{a}", "netns", self.namespaces[b])
            _run("ip", "-n", self.namespaces[a], "link", "set", f"to-{b}", "up")
            _run("ip", "-n", self.namespaces[b], "link", "set", f"to-{a}", "up")
        for host in HOSTS:
            self._start_host(host, shadow)

    def _start_host(self, host: str, shadow: Path) -> None:
        folder = self.root / host
        folder.mkdir()
        # lldpd holds the host's private mount + UTS namespace; sshd joins it with nsenter.
        script = (f"set -e; hostname {host}; mount -t tmpfs -o mode=0755 nclab /run; "
                  f"mkdir -p /run/sshd /run/lldpd; mount --bind {shadow} /etc/shadow; "
                  f"exec lldpd -d -I 'to-*'")
        with open(folder / "lldpd.log", "w") as log:  # the child keeps its own descriptor
            self.holders[host] = subprocess.Popen(
                ["ip", "netns", "exec", self.namespaces[host], "unshare", "--mount", "--uts",
                 "--propagation", "private", "sh", "-c", script], stdout=log, stderr=subprocess.STDOUT)
        _wait(lambda: _comm(self.holders[host].pid) == "lldpd", f"lldpd of {host} to start", folder / "lldpd.log")
        _wait(lambda: self.in_host(host, "lldpcli", "show", "configuration", check=False).returncode == 0,
              f"lldpd of {host} to answer", folder / "lldpd.log")
        for setting in (("lldp", "tx-interval", "1"), ("system", "hostname", host),
                        ("lldp", "portidsubtype", "ifname")):
            self.in_host(host, "lldpcli", "configure", *setting)
        _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "host_key"))
        config = folder / "sshd_config"
        config.write_text(
            f"ListenAddress {self.addresses[host]}\nPort 22\nHostKey {folder / 'host_key'}\n"
            f"PidFile {folder / 'sshd.pid'}\nPermitRootLogin yes\nPasswordAuthentication yes\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nPrintMotd no\nPrintLastLog no\n"
            "StrictModes no\nAuthorizedKeysFile none\n")
        pid = str(self.holders[host].pid)
        with open(folder / "sshd.log", "w") as log:
            self.sshds[host] = subprocess.Popen(["nsenter", "-t", pid, "-m", "-u", "-n", "/usr/sbin/sshd", "-D",
                                                 "-e", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
        _wait(lambda: _listening(self.addresses[host]), f"sshd of {host} to listen", folder / "sshd.log")

    def neighbours_seen(self, host: str) -> set[str]:
        """The local interfaces on which lldpd of ``host`` sees a neighbour."""
        out = self.in_host(host, "lldpcli", "show", "neighbors", "-f", "json", check=False).stdout
        try:
            interfaces = json.loads(out).get("lldp", {}).get("interface", [])
        except ValueError:
            return set()
        items = interfaces if isinstance(interfaces, list) else [interfaces]
        return {name for item in items if isinstance(item, dict) for name in item}

    def tear_down(self) -> None:
        for proc in list(self.sshds.values()) + list(self.holders.values()):
            if proc.poll() is None:
                proc.terminate()
        for proc in list(self.sshds.values()) + list(self.holders.values()):
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        for ns in self.namespaces.values():
            _run("ip", "netns", "del", ns, check=False)
        for link in self.root_links:  # normally gone with their peers
            _run("ip", "link", "del", link, check=False)


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _listening(address: str) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((address, 22)) == 0


def _wait(ready, what: str, log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; log:\n{log.read_text() if log.exists() else ''}")


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Lab]:
    lab = Lab(tmp_path)
    try:
        lab.build()
        expected = {h: {f"to-{b}" for a, b in LINKS if a == h} | {f"to-{a}" for a, b in LINKS if b == h}
                    for h in HOSTS}
        _wait(lambda: all(lab.neighbours_seen(h) == expected[h] for h in HOSTS), "full LLDP adjacency",
              tmp_path / "core1" / "lldpd.log", timeout=30)
        yield lab
    finally:
        lab.tear_down()


def test_collected_lldp_neighbours_are_exactly_the_veth_links(lab: Lab, tmp_path: Path) -> None:
    inventory = Inventory(
        departments={"it": Department(id="it", name="IT office")},
        sites={"lab": Site(id="lab", name="Lab", district="test")},
        devices={h: Device(name=h, host=lab.addresses[h], platform="linux", department="it", site="lab",
                           role="server", credentials="lab") for h in HOSTS},
    )
    env = {"NETCENSUS_LAB_USERNAME": "root", "NETCENSUS_LAB_PASSWORD": LAB_PASSWORD}
    run = collect(inventory, tmp_path / "captures",
                  CollectOptions(workers=4, host_keys="accept_new", known_hosts=tmp_path / "known_hosts",
                                 connect_timeout_s=10, command_timeout_s=15, retries=0),
                  Console(file=io.StringIO()), env=env)
    assert {n: r.status for n, r in run.manifest.devices.items()} == {h: "ok" for h in HOSTS}, run.manifest.devices

    seen = {(h, n.local_port, n.remote_name, n.remote_port) for h in HOSTS for n in run.facts[h].neighbours}
    expected = set()
    for a, b in LINKS:
        expected.add((a, interface_name(f"to-{b}"), b, interface_name(f"to-{a}")))
        expected.add((b, interface_name(f"to-{a}"), a, interface_name(f"to-{b}")))
    assert seen == expected
    assert all(run.facts[h].info.hostname == h for h in HOSTS)

    graph = build_graph(inventory, run.facts)
    links = {tuple(sorted((u.split(":", 1)[1], v.split(":", 1)[1])))
             for u, v, data in graph.edges(data=True) if data.get("kind") == "link"}
    link_count = sum(1 for *_e, data in graph.edges(data=True) if data.get("kind") == "link")
    assert links == {tuple(sorted(pair)) for pair in LINKS}
    assert link_count == len(LINKS)
    assert len((tmp_path / "known_hosts").read_text().splitlines()) == len(HOSTS)
