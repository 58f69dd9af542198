"""Live collection over real SSH sessions to emulated devices on 127.0.0.1.

One run covers every platform of the table through netmiko, Cisco IOS through
napalm, and the four failures a survey meets in the field: a wrong password, a
device that accepts TCP but never speaks, one that drops the session mid-command,
and one whose host key changed. The run must complete, record each failure with
its reason, collect the rest, and write exactly what the devices said (redacted).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import paramiko
import pytest
from rich.console import Console
from sshdevices import ENV, PASSWORD, USER, emulated, inventory_for, write_device_folder
from support.emulator import Emulator

from collectors.capture import TMP_SUFFIX
from collectors.offline import OfflineCollector
from collectors.parse import parse_outputs
from collectors.redact import redact_config
from core.platforms import PLATFORMS, Command, command_filename
from netcensus.collect import CollectOptions, collect

pytestmark = pytest.mark.ssh

# Short enough for the hung device to time out quickly, long enough for napalm's many
# round trips on a loaded 2-core machine (2 s was seen to fail there).
FAST = dict(connect_timeout_s=4.0, command_timeout_s=8.0, retries=1, backoff_s=0.1)
FAILURES = {"wrong-password": "auth_failed", "hung": "timeout", "drops": "command_failed",
            "new-key": "host_key_mismatch"}
# napalm's IOS getters type more than our command table: serve those answers too.
NAPALM_EXTRA = {
    "show hosts": "Default domain is city.gov.example\nName/address lookup uses domain service\n",
    "show ip interface brief": "Interface              IP-Address      OK? Method Status                Protocol\n"
                               "Vlan10                 10.20.0.11      YES NVRAM  up                    up\n",
    "show ip interface": "Vlan10 is up, line protocol is up\n  Internet address is 10.20.0.11/24\n",
    "show ipv6 interface": "",
}


def _served_text(folder: Path, command: str) -> str:
    return (folder / command_filename(command)).read_text(encoding="utf-8")


def _not_typed(folder: Path, cmd: Command) -> bool:
    """A text fallback the survey did not type, because its JSON command answered."""
    return bool(cmd.fallback_for) and not (folder / command_filename(cmd.command)).exists() \
        and (folder / command_filename(cmd.fallback_for)).is_file()


# netmiko drops Junos context lines ({master:0}, [edit]) that follow an output.
_JUNOS_CONTEXT = re.compile(r"^(\{(master|backup|primary|secondary|linecard)[^}]*\}|\[edit.*\])\s*$", re.M)


def _same_output(collected: str, served: str, platform: str) -> bool:
    """netmiko strips the trailing newline and the prompt; nothing else may differ."""
    expected = redact_config(platform, served)
    if platform == "juniper_junos":
        expected = _JUNOS_CONTEXT.sub("", expected)
    return collected.strip("\r\n") == expected.strip("\r\n")


@pytest.fixture()
def fleet(tmp_path: Path):
    """Every platform, napalm IOS, and the four failures, served; plus a known_hosts file."""
    served = tmp_path / "served"
    devices = {f"{p.replace('_', '-')}-1": emulated(write_device_folder(p, served / f"{p.replace('_', '-')}-1"), p)
               for p in PLATFORMS}
    napalm_folder = write_device_folder("cisco_ios", served / "napalm-ios")
    for command, text in NAPALM_EXTRA.items():
        (napalm_folder / command_filename(command)).write_text(text)
    devices["napalm-ios"] = emulated(napalm_folder, "cisco_ios")
    bad = write_device_folder("cisco_ios", served / "bad")
    devices["wrong-password"] = emulated(bad, "cisco_ios", name="wrong-password", password="not-the-one")
    devices["hung"] = emulated(bad, "cisco_ios", name="hung", silent=True)
    devices["drops"] = emulated(bad, "cisco_ios", name="drops", drop_on="show interfaces")
    devices["new-key"] = emulated(bad, "huawei", name="new-key")
    with Emulator(devices.values()) as emu:
        lines = [emu.known_hosts_line(name) for name in devices if name != "new-key"]
        old_key = paramiko.ECDSAKey.generate()  # what new-key presented at the last survey
        lines.append(f"[127.0.0.1]:{emu.port('new-key')} {old_key.get_name()} {old_key.get_base64()}")
        known_hosts = tmp_path / "known_hosts"
        known_hosts.write_text("\n".join(lines) + "\n")
        inventory = inventory_for({
            name: (dev.platform, emu.port(name), "napalm" if name == "napalm-ios" else "netmiko")
            for name, dev in devices.items()
        })
        yield emu, inventory, served, known_hosts


def test_one_run_collects_every_platform_and_records_each_failure(fleet, tmp_path: Path) -> None:
    emu, inventory, served, known_hosts = fleet
    out = tmp_path / "captures"
    log = io.StringIO()
    run = collect(inventory, out, CollectOptions(workers=8, known_hosts=known_hosts, **FAST),
                  Console(file=log, width=200), env=ENV)

    records = run.manifest.devices
    for name, status in FAILURES.items():
        assert records[name].status == status, (name, records[name])
        assert records[name].error
    assert records["wrong-password"].attempts == 1  # bad credentials are never retried
    assert records["new-key"].attempts == 1
    assert records["drops"].attempts == 2 and records["hung"].attempts == 2  # transient: retried once
    assert emu.sessions["wrong-password"] == 1
    assert "host key changed" in records["new-key"].error

    for platform in PLATFORMS:
        name = f"{platform.replace('_', '-')}-1"
        assert records[name].status in ("ok", "partial", "parse_failed"), (name, records[name])
        for cmd in PLATFORMS[platform].commands:
            if _not_typed(out / name, cmd):
                continue
            collected = (out / name / command_filename(cmd.command)).read_text(encoding="utf-8")
            assert _same_output(collected, _served_text(served / name, cmd.command), platform), (name, cmd)

    assert records["napalm-ios"].status == "ok", records["napalm-ios"]
    napalm_files = sorted(p.name for p in (out / "napalm-ios").iterdir())
    assert napalm_files == sorted(f"napalm_get_{g}.json" for g in
                                  ("config", "facts", "interfaces", "interfaces_ip", "lldp_neighbors_detail"))
    assert records["napalm-ios"].status == "ok"

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["summary"]["auth_failed"] == 1 and manifest["finished"]
    assert {"netcensus", "netmiko", "napalm"} <= set(manifest["versions"])
    everything = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()) + log.getvalue()
    assert "Lab-Only-Pw1" not in everything
    assert not list(out.rglob(f"*{TMP_SUFFIX}"))


def test_live_and_offline_facts_agree_and_secrets_never_reach_disk(fleet, tmp_path: Path) -> None:
    _emu, inventory, served, known_hosts = fleet
    names = [n for n in inventory.devices if n.endswith("-1")]
    filters = CollectOptions(known_hosts=known_hosts, **FAST).filters.__class__(devices=tuple(names))
    out = tmp_path / "captures"
    run = collect(inventory, out, CollectOptions(workers=4, known_hosts=known_hosts, filters=filters, **FAST),
                  Console(file=io.StringIO()), env=ENV)
    for name in names:
        device = inventory.devices[name]
        offline = parse_outputs(OfflineCollector(served).collect(device))
        live = run.facts[name]
        assert (live.info, live.interfaces, live.neighbours) == (offline.info, offline.interfaces,
                                                                 offline.neighbours), name
        assert live.config == offline.config, name
        for cmd in PLATFORMS[device.platform].commands:
            if _not_typed(out / name, cmd):
                continue
            served_text = _served_text(served / name, cmd.command)
            collected = (out / name / command_filename(cmd.command)).read_text()
            for line in served_text.splitlines():
                if line != redact_config(device.platform, line):  # a line carrying a secret
                    assert line.strip() not in collected, (name, line)


def test_napalm_and_netmiko_give_the_same_facts_for_the_same_device(fleet, tmp_path: Path) -> None:
    _emu, inventory, _served, known_hosts = fleet
    from netcensus.collect import DeviceFilter

    run = collect(inventory, tmp_path / "captures",
                  CollectOptions(known_hosts=known_hosts, filters=DeviceFilter(devices=("napalm-ios", "cisco-ios-1")),
                                 **FAST), Console(file=io.StringIO()), env=ENV)
    assert set(run.facts) == {"napalm-ios", "cisco-ios-1"}, run.manifest.devices
    via_napalm, via_netmiko = run.facts["napalm-ios"], run.facts["cisco-ios-1"]
    assert via_napalm.info.hostname == via_netmiko.info.hostname
    assert via_napalm.info.serial == via_netmiko.info.serial
    assert {i.name for i in via_napalm.interfaces} >= {i.name for i in via_netmiko.interfaces if i.speed_mbps}
    assert ({(n.local_port, n.remote_name) for n in via_napalm.neighbours}
            == {(n.local_port, n.remote_name) for n in via_netmiko.neighbours if n.protocol == "lldp"})
    assert "<redacted>" in (via_napalm.config or "")


def test_trust_on_first_use_records_keys_then_strict_accepts_them(tmp_path: Path) -> None:
    folder = write_device_folder("huawei", tmp_path / "served" / "hw")
    devices = [emulated(folder, "huawei", name="hw"), emulated(folder, "hp_comware", name="cw")]
    known_hosts = tmp_path / "kh"
    with Emulator(devices) as emu:
        inventory = inventory_for({d.name: (d.platform, emu.port(d.name), "netmiko") for d in devices})
        first = collect(inventory, tmp_path / "c1", CollectOptions(host_keys="accept_new", known_hosts=known_hosts,
                                                                   **FAST), Console(file=io.StringIO()), env=ENV)
        assert not first.failed
        assert sorted(known_hosts.read_text().splitlines()) == sorted(emu.known_hosts_line(d.name) for d in devices)
        assert first.manifest.options["host_keys_recorded"] == sorted(f"[127.0.0.1]:{emu.port(d.name)}"
                                                                      for d in devices)
        second = collect(inventory, tmp_path / "c2", CollectOptions(known_hosts=known_hosts, **FAST),
                         Console(file=io.StringIO()), env=ENV)
        assert not second.failed


def test_resume_reconnects_only_to_devices_not_yet_collected(tmp_path: Path) -> None:
    folder = write_device_folder("cisco_ios", tmp_path / "served" / "r")
    good = emulated(folder, "cisco_ios", name="good")
    late = emulated(folder, "cisco_ios", name="late", password="changed-yesterday")
    out = tmp_path / "captures"
    with Emulator([good, late]) as emu:
        inventory = inventory_for({d.name: ("cisco_ios", emu.port(d.name), "netmiko") for d in (good, late)})
        options = CollectOptions(host_keys="off", **FAST)
        first = collect(inventory, out, options, Console(file=io.StringIO()), env=ENV)
        assert set(first.failed) == {"late"}
        late.password = good.password  # the device is fixed
        second = collect(inventory, out, CollectOptions(host_keys="off", resume=True, **FAST),
                         Console(file=io.StringIO()), env=ENV)
        assert emu.sessions == {"good": 1, "late": 2}
        assert {n: r.status for n, r in second.manifest.devices.items()} == {"good": "ok", "late": "ok"}
        assert second.manifest.devices["good"].from_previous_run


def test_a_refused_connection_is_recorded_as_refused(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on any more
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inventory = inventory_for({"gone": ("cisco_ios", port, "netmiko")})
    run = collect(inventory, tmp_path / "c", CollectOptions(host_keys="off", **{**FAST, "retries": 0}),
                  Console(file=io.StringIO()), env=ENV)
    assert run.manifest.devices["gone"].status == "refused"
    assert "connection refused" in run.manifest.devices["gone"].error


def test_sample_city_collected_live_audits_like_its_saved_captures(tmp_path: Path) -> None:
    """Round trip: serve the sample city's captures over SSH, collect them, audit both."""
    sample = pytest.importorskip("netcensus.sample")
    if not hasattr(sample, "generate"):
        pytest.skip("netcensus.sample.generate is not there yet")
    import dataclasses
    import socket

    from inventory.loader import load_inventory
    from netcensus.pipeline import audit

    sample.generate(tmp_path / "city", devices=80, seed=3)
    inventory = load_inventory(tmp_path / "city" / "inventory")
    served = tmp_path / "city" / "captures"
    with socket.socket() as closed:  # devices without saved outputs: nobody answers there
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
    devices = [emulated(served / name, dev.platform, name=name)
               for name, dev in inventory.devices.items() if (served / name).is_dir()]
    with Emulator(devices) as emu:
        def on_loopback(name: str, device):  # never the addresses the sample invented
            port = emu.port(name) if name in emu.devices else closed_port
            return device.model_copy(update={"host": "127.0.0.1", "port": port, "transport": "netmiko",
                                             "credentials": "default"})

        live = dataclasses.replace(inventory, devices={n: on_loopback(n, d) for n, d in inventory.devices.items()})
        collect(live, tmp_path / "live", CollectOptions(host_keys="off", workers=20, **{**FAST, "retries": 0}),
                Console(file=io.StringIO()), env=ENV)
    offline_keys = sorted(f.key for f in audit(tmp_path / "city" / "inventory", served).findings)
    live_keys = sorted(f.key for f in audit(tmp_path / "city" / "inventory", tmp_path / "live").findings)
    assert live_keys == offline_keys
    assert offline_keys  # the sample city plants findings: an empty list would prove nothing


# A survey of 12 emulated IOS devices in a process of its own, for tests that interrupt it:
# argv = captures folder, seconds per answer, the answers as JSON, this folder (for sshdevices;
# its parent, tests/, holds the emulator).
_FLEET_RUN = """
import json, sys
from pathlib import Path
sys.path[:0] = [sys.argv[4], str(Path(sys.argv[4]).parent)]
from rich.console import Console
from support.emulator import Emulator, EmulatedDevice
from netcensus.collect import CollectOptions, collect
from sshdevices import ENV, PASSWORD, USER, inventory_for
out, latency, answers = Path(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3])
fleet = [EmulatedDevice(f"r{i:02d}", "cisco_ios", outputs=answers, latency_s=latency, username=USER,
                        password=PASSWORD) for i in range(12)]
with Emulator(fleet) as emu:
    inventory = inventory_for({d.name: ("cisco_ios", emu.port(d.name), "netmiko") for d in fleet})
    run = collect(inventory, out, CollectOptions(workers=2, host_keys="off"), Console(file=sys.stdout), env=ENV)
    print("INTERRUPTED" if run.interrupted else "COMPLETED", flush=True)
"""


def _fleet_run(out: Path, latency_s: float, answers: dict[str, str]) -> list[str]:
    import sys

    return [sys.executable, "-c", _FLEET_RUN, str(out), str(latency_s), json.dumps(answers), str(Path(__file__).parent)]


def test_ctrl_c_during_live_sessions_stops_cleanly(tmp_path: Path) -> None:
    import signal
    import subprocess
    import time

    out = tmp_path / "captures"
    answers = {"show version": "Cisco IOS Software\n", "show interfaces": "x\n", "show running-config": "hostname r\n"}
    proc = subprocess.Popen(_fleet_run(out, 0.4, answers), cwd=Path(__file__).parents[2],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(list(out.glob("r*/show_running-config.txt"))) < 2:
            time.sleep(0.1)  # wait until two devices are complete
        assert proc.poll() is None, proc.communicate()[0]
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        output, _ = proc.communicate(timeout=30)
        stopped_in = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert "INTERRUPTED" in output and "interrupted" in output
    assert stopped_in < 5  # sessions end after their current command (0.4 s each)
    manifest = json.loads((out / "manifest.json").read_text())
    statuses = [r["status"] for r in manifest["devices"].values()]
    assert manifest["interrupted"] is True and len(statuses) == 12
    # "partial": the devices answer only three of the five commands; they were collected completely
    assert statuses.count("partial") >= 2 and statuses.count("missing") >= 4
    assert not list(out.rglob(f"*{TMP_SUFFIX}"))
    for name, record in manifest["devices"].items():  # every file listed is complete and on disk
        for file in record["files"]:
            assert (out / name / file).is_file()


_CONFIG = "hostname r\n" + "interface GigabitEthernet0/1\n description uplink\n" * 200
#: Every command of the platform answered: a finished device is "ok", complete for --resume.
_EVERY_ANSWER = {"show version": "Cisco IOS Software, Version 15.2(4)E7\n", "show interfaces": "x\n",
                 "show lldp neighbors detail": "Total entries displayed: 0\n",
                 "show cdp neighbors detail": "Total cdp entries displayed : 0\n", "show running-config": _CONFIG}


@pytest.mark.parametrize("complete_before_kill", [1, 4])
def test_a_killed_live_collection_loses_nothing_it_finished(tmp_path: Path, complete_before_kill: int) -> None:
    """SIGKILL mid-collection: complete files are whole, the manifest parses and lists only
    files that exist, and --resume collects exactly the devices not recorded complete."""
    import signal
    import subprocess
    import time

    from support.emulator import EmulatedDevice

    from collectors.manifest import complete_devices, read_manifest

    out = tmp_path / "captures"
    log = tmp_path / "killed-run.log"
    with open(log, "w", encoding="utf-8") as sink:
        proc = subprocess.Popen(_fleet_run(out, 0.15, _EVERY_ANSWER), cwd=Path(__file__).parents[2],
                                stdout=subprocess.DEVNULL, stderr=sink)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and \
                len(list(out.glob("r*/show_running-config.txt"))) < complete_before_kill:
            time.sleep(0.02)
        assert proc.poll() is None, log.read_text(encoding="utf-8")
        time.sleep(0.1)  # into the middle of the next device's commands
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    for path in out.glob("r*/*.txt"):  # what has its final name is whole (written, then renamed)
        text = path.read_text(encoding="utf-8")
        assert text.strip(), path
        if path.name == "show_running-config.txt":
            assert text.count("uplink") == 200, path
    previous = read_manifest(out)  # written atomically every two seconds: the last one parses
    if previous is not None:
        for name, record in previous.devices.items():
            assert all((out / name / f).is_file() for f in record.files), name
    recorded_complete = set(complete_devices(out, previous))
    # The survey is resumed against the same devices (on new ports: they lived in the killed process).
    fleet = [EmulatedDevice(f"r{i:02d}", "cisco_ios", outputs=_EVERY_ANSWER, username=USER, password=PASSWORD)
             for i in range(12)]
    with Emulator(fleet) as emu:
        inventory = inventory_for({d.name: ("cisco_ios", emu.port(d.name), "netmiko") for d in fleet})
        run = collect(inventory, out, CollectOptions(workers=4, host_keys="off", resume=True, **FAST),
                      Console(file=io.StringIO()), env=ENV)
        reconnected = {name for name, count in emu.sessions.items() if count}
    # The manifest lags up to two seconds behind the files: what it does not list yet is collected again.
    assert reconnected == {d.name for d in fleet} - recorded_complete
    statuses = {n: r.status for n, r in run.manifest.devices.items()}
    assert set(statuses) == {d.name for d in fleet} and set(statuses.values()) <= {"ok", "parse_failed"}, statuses
    assert not list(out.rglob(f"*{TMP_SUFFIX}"))  # leftovers of the killed writes were replaced
