"""The asyncssh transport over real SSH sessions to emulated devices on 127.0.0.1.

The same devices are collected through netmiko and through asyncssh (``--transport``
for the run, and ``transport: asyncssh`` per device): the files must be identical and
the facts equal, for every platform the emulator serves. The failures a survey meets
get the statuses of the netmiko path, with strict host keys by default.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import paramiko
import pytest
from rich.console import Console
from sshdevices import ENV, PASSWORD, emulated, inventory_for, write_device_folder
from support.emulator import Emulator

from collectors.capture import TMP_SUFFIX
from collectors.redact import redact_config
from core.platforms import PLATFORMS
from netcensus.collect import CollectOptions, DeviceFilter, collect

pytestmark = pytest.mark.ssh

FAST = dict(connect_timeout_s=1.5, command_timeout_s=5.0, retries=1, backoff_s=0.05)
FAILURES = {"wrong-password": "auth_failed", "hung": "timeout", "drops": "command_failed",
            "new-key": "host_key_mismatch", "unknown-key": "host_key_mismatch"}


def _name(platform: str) -> str:
    return f"{platform.replace('_', '-')}-1"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory):
    """Every platform twice (a netmiko device and an asyncssh one), and the failures."""
    tmp = tmp_path_factory.mktemp("asyncssh")
    served = tmp / "served"
    devices = {}
    transports = {}
    for p in PLATFORMS:
        folder = write_device_folder(p, served / _name(p))
        devices[_name(p)] = emulated(folder, p, name=_name(p))
        transports[_name(p)] = "netmiko"
        devices[f"a-{_name(p)}"] = emulated(folder, p, name=f"a-{_name(p)}", hostname=_name(p))
        transports[f"a-{_name(p)}"] = "asyncssh"
    bad = write_device_folder("cisco_ios", served / "bad")
    devices["wrong-password"] = emulated(bad, "cisco_ios", name="wrong-password", password="not-the-one")
    devices["hung"] = emulated(bad, "cisco_ios", name="hung", silent=True)
    devices["drops"] = emulated(bad, "cisco_ios", name="drops", drop_on="show interfaces")
    devices["new-key"] = emulated(bad, "huawei", name="new-key")
    devices["unknown-key"] = emulated(bad, "arista_eos", name="unknown-key")
    for name in FAILURES:
        transports[name] = "asyncssh"
    with Emulator(devices.values()) as emu:
        lines = [emu.known_hosts_line(name) for name in devices if name not in ("new-key", "unknown-key")]
        old_key = paramiko.ECDSAKey.generate()  # what new-key presented at the last survey
        lines.append(f"[127.0.0.1]:{emu.port('new-key')} {old_key.get_name()} {old_key.get_base64()}")
        known_hosts = tmp / "known_hosts"
        known_hosts.write_text("\n".join(lines) + "\n")
        inventory = inventory_for({name: (dev.platform, emu.port(name), transports[name])
                                   for name, dev in devices.items()})
        yield emu, inventory, served, known_hosts


@pytest.fixture(scope="module")
def both_runs(fleet, tmp_path_factory: pytest.TempPathFactory):
    """One run over the whole fleet, each device through its own transport."""
    _emu, inventory, _served, known_hosts = fleet
    out = tmp_path_factory.mktemp("captures") / "c"
    log = io.StringIO()
    run = collect(inventory, out, CollectOptions(workers=10, known_hosts=known_hosts, **FAST),
                  Console(file=log, width=200), env=ENV)
    return run, out, log.getvalue()


def test_asyncssh_writes_the_same_files_as_netmiko_for_every_platform(both_runs) -> None:
    run, out, _log = both_runs
    records = run.manifest.devices
    for platform in PLATFORMS:
        netmiko, asyncssh = _name(platform), f"a-{_name(platform)}"
        assert records[asyncssh].transport == "asyncssh" and records[netmiko].transport == "netmiko"
        assert records[asyncssh].status == records[netmiko].status, (platform, records[asyncssh])
        assert records[asyncssh].status in ("ok", "partial"), records[asyncssh]
        assert records[asyncssh].files == records[netmiko].files, platform
        assert records[asyncssh].problems == records[netmiko].problems, platform
        for file in records[netmiko].files:
            assert (out / asyncssh / file).read_bytes() == (out / netmiko / file).read_bytes(), (platform, file)


def test_asyncssh_gives_the_same_facts_as_netmiko(both_runs) -> None:
    run, _out, _log = both_runs
    for platform in PLATFORMS:
        via_netmiko, via_asyncssh = run.facts[_name(platform)], run.facts[f"a-{_name(platform)}"]
        assert via_asyncssh.info == via_netmiko.info, platform
        assert via_asyncssh.interfaces == via_netmiko.interfaces, platform
        assert via_asyncssh.neighbours == via_netmiko.neighbours, platform
        assert via_asyncssh.config == via_netmiko.config, platform


def test_failures_get_the_statuses_of_the_netmiko_path(both_runs, fleet) -> None:
    emu = fleet[0]
    run, out, log = both_runs
    records = run.manifest.devices
    for name, status in FAILURES.items():
        assert records[name].status == status, (name, records[name])
        assert records[name].error and records[name].transport == "asyncssh"
    assert all(not records[n].files for n in FAILURES if n != "drops")
    assert records["drops"].files == ["show_version.txt"]  # what came before the drop is kept, as netmiko does
    assert records["wrong-password"].attempts == 1 and emu.sessions["wrong-password"] == 1  # never retried
    assert records["new-key"].attempts == 1 and records["unknown-key"].attempts == 1
    assert records["hung"].attempts == 2 and records["drops"].attempts == 2  # transient: retried once
    assert "host key changed" in records["new-key"].error
    assert "not in known_hosts" in records["unknown-key"].error
    # The hung device held one session for its timeouts; every other device was collected meanwhile.
    assert all(records[f"a-{_name(p)}"].duration_s < 3 for p in PLATFORMS)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["summary"]["host_key_mismatch"] == 2 and manifest["summary"]["auth_failed"] == 1
    assert manifest["summary"]["timeout"] == 1 and manifest["summary"]["command_failed"] == 1
    assert "asyncssh" in manifest["versions"]
    everything = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()) + log
    assert PASSWORD not in everything
    assert not list(out.rglob(f"*{TMP_SUFFIX}"))


def test_secrets_in_configurations_are_redacted_before_the_disk(both_runs, fleet) -> None:
    _emu, _inventory, served, _known_hosts = fleet
    run, out, _log = both_runs
    seen_secret = 0
    for platform in PLATFORMS:
        name = f"a-{_name(platform)}"
        for file in run.manifest.devices[name].files:
            collected = (out / name / file).read_text()
            for line in (served / _name(platform) / file).read_text().splitlines():
                if line != redact_config(platform, line):  # a line carrying a secret
                    seen_secret += 1
                    assert line.strip() not in collected, (name, line)
    assert seen_secret  # the served configurations do hold secrets


def test_transport_for_the_whole_run_and_host_keys_trusted_on_first_use(tmp_path: Path) -> None:
    folder = write_device_folder("huawei", tmp_path / "served" / "hw")
    devices = [emulated(folder, "huawei", name="hw"), emulated(folder, "hp_comware", name="cw")]
    known_hosts = tmp_path / "kh"
    with Emulator(devices) as emu:
        inventory = inventory_for({d.name: (d.platform, emu.port(d.name), "netmiko") for d in devices})
        known_hosts.write_text("# nobody known yet\n")
        strict = collect(inventory, tmp_path / "c0", CollectOptions(known_hosts=known_hosts, transport="asyncssh",
                                                                    **FAST), Console(file=io.StringIO()), env=ENV)
        assert {r.status for r in strict.manifest.devices.values()} == {"host_key_mismatch"}
        known_hosts.unlink(missing_ok=True)
        first = collect(inventory, tmp_path / "c1",
                        CollectOptions(host_keys="accept_new", known_hosts=known_hosts, transport="asyncssh", **FAST),
                        Console(file=io.StringIO()), env=ENV)
        assert not first.failed, first.manifest.devices
        assert {r.transport for r in first.manifest.devices.values()} == {"asyncssh"}
        assert first.manifest.options["transport"] == "asyncssh"
        assert sorted(known_hosts.read_text().splitlines()) == sorted(emu.known_hosts_line(d.name) for d in devices)
        # netmiko (paramiko) accepts what asyncssh recorded, strictly
        second = collect(inventory, tmp_path / "c2", CollectOptions(known_hosts=known_hosts, **FAST),
                         Console(file=io.StringIO()), env=ENV)
        assert not second.failed, second.manifest.devices
        off = collect(inventory, tmp_path / "c3", CollectOptions(host_keys="off", transport="asyncssh", **FAST,
                                                                 filters=DeviceFilter(devices=("hw",))),
                      Console(file=io.StringIO()), env=ENV)
        assert off.manifest.devices["hw"].status == "ok"


def test_a_refused_connection_is_recorded_as_refused(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on any more
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inventory = inventory_for({"gone": ("cisco_ios", port, "asyncssh")})
    run = collect(inventory, tmp_path / "c", CollectOptions(host_keys="off", **{**FAST, "retries": 0}),
                  Console(file=io.StringIO()), env=ENV)
    assert run.manifest.devices["gone"].status == "refused"
    assert "connection refused" in run.manifest.devices["gone"].error


def test_cli_collect_with_transport_asyncssh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from netcensus.cli import app

    folder = write_device_folder("cisco_ios", tmp_path / "served" / "r1")
    with Emulator([emulated(folder, "cisco_ios", name="r1")]) as emu:
        inv = tmp_path / "inventory"
        (inv / "devices").mkdir(parents=True)
        (inv / "organisation.yaml").write_text("departments:\n  - id: it\n    name: IT office\n")
        (inv / "sites.yaml").write_text("sites:\n  - id: hq\n    name: City hall\n    district: central\n")
        (inv / "devices" / "d.yaml").write_text(
            f"devices:\n  - name: r1\n    host: 127.0.0.1\n    port: {emu.port('r1')}\n    platform: cisco_ios\n"
            "    department: it\n    site: hq\n")
        known_hosts = tmp_path / "known_hosts"
        known_hosts.write_text(emu.known_hosts_line("r1") + "\n")
        for key, value in ENV.items():
            monkeypatch.setenv(key, value)
        runner = CliRunner()
        result = runner.invoke(app, ["collect", str(inv), "--out", str(tmp_path / "c"), "--transport", "asyncssh",
                                     "--known-hosts", str(known_hosts), "--connect-timeout", "3"])
        assert result.exit_code == 0, result.output
        manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
        assert manifest["devices"]["r1"]["transport"] == "asyncssh" and manifest["devices"]["r1"]["status"] == "ok"
        bad = runner.invoke(app, ["collect", str(inv), "--out", str(tmp_path / "d"), "--transport", "telnet"])
        assert bad.exit_code == 2 and "--transport must be" in bad.output


_FLEET_RUN = """
import sys
from pathlib import Path
sys.path[:0] = [sys.argv[2], str(Path(sys.argv[2]).parent)]  # sshdevices, and tests/ for the emulator
from rich.console import Console
from support.emulator import Emulator, EmulatedDevice
from netcensus.collect import CollectOptions, collect
from sshdevices import ENV, PASSWORD, USER, inventory_for
answers = {"show version": "Cisco IOS Software\\n", "show interfaces": "x\\n", "show running-config": "hostname r\\n"}
fleet = [EmulatedDevice(f"r{i:02d}", "cisco_ios", outputs=answers, latency_s=0.4, username=USER,
                        password=PASSWORD) for i in range(12)]
with Emulator(fleet) as emu:
    inventory = inventory_for({d.name: ("cisco_ios", emu.port(d.name), "asyncssh") for d in fleet})
    run = collect(inventory, Path(sys.argv[1]), CollectOptions(workers=2, host_keys="off"),
                  Console(file=sys.stdout), env=ENV)
    print("INTERRUPTED" if run.interrupted else "COMPLETED", flush=True)
"""


def test_ctrl_c_during_asyncssh_sessions_stops_cleanly(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "captures"
    proc = subprocess.Popen([sys.executable, "-c", _FLEET_RUN, str(out), str(Path(__file__).parent)],
                            cwd=Path(__file__).parents[2], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(list(out.glob("r*/show_running-config.txt"))) < 2:
            time.sleep(0.1)
        assert proc.poll() is None, proc.communicate()[0]
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        output, _ = proc.communicate(timeout=30)
        stopped_in = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert "INTERRUPTED" in output
    assert stopped_in < 5  # sessions end after their current command (0.4 s each)
    manifest = json.loads((out / "manifest.json").read_text())
    statuses = [r["status"] for r in manifest["devices"].values()]
    assert manifest["interrupted"] is True and len(statuses) == 12
    assert statuses.count("partial") >= 2 and statuses.count("missing") >= 4
    assert {r["transport"] for r in manifest["devices"].values()} == {"asyncssh"}


@pytest.mark.parametrize("platform", ["cisco_ios", "arista_eos"])
def test_enable_with_the_profiles_secret_on_both_transports(tmp_path: Path, platform: str) -> None:
    folder = write_device_folder(platform, tmp_path / "served" / "r")
    devices = [emulated(folder, platform, name=f"{t}-r", hostname="r", enable_secret="En-Only-9") for t in
               ("netmiko", "asyncssh")]
    with Emulator(devices) as emu:
        inventory = inventory_for({d.name: (platform, emu.port(d.name), d.name.split("-")[0]) for d in devices})
        options = CollectOptions(host_keys="off", **FAST)
        plain = collect(inventory, tmp_path / "plain", options, Console(file=io.StringIO()), env=ENV)
        # without the secret the survey stays in user mode, where the device refuses it
        assert {r.status for r in plain.manifest.devices.values()} == {"command_failed"}, plain.manifest.devices
        env = {**ENV, "NETCENSUS_DEFAULT_SECRET": "En-Only-9"}
        out = tmp_path / "enabled"
        run = collect(inventory, out, options, Console(file=io.StringIO()), env=env)
    records = run.manifest.devices
    assert {r.status for r in records.values()} == {"ok"}, records
    assert records["asyncssh-r"].files == records["netmiko-r"].files
    for file in records["netmiko-r"].files:
        assert (out / "asyncssh-r" / file).read_bytes() == (out / "netmiko-r" / file).read_bytes(), file
    assert "En-Only-9" not in "".join(p.read_text() for p in out.rglob("*") if p.is_file())
