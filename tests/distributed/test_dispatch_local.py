"""`netcensus dispatch` and `netcensus worker` on one machine: a real redis-server, workers as
separate processes, emulated devices on 127.0.0.1. Needs no root (the namespace tests do).

Shows the command line end to end (dispatch, merge, the one audit recorded), and the two ways
a shard ends without captures: no worker took it before --wait, and a worker whose host
lacks the credentials (refused once, not retried, the reason in the manifest). Either way
its devices are "not collected", as a single-host run leaves a device it never reached.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Worker
from rq.job import Job
from servers import RedisServer, start_redis
from support.emulator import Emulator
from typer.testing import CliRunner

from inventory.model import Department, Device, Inventory, Site
from netcensus.cli import app
from netcensus.distributed.broker import connect, queue_name
from netcensus.distributed.dispatch import DispatchOptions, dispatch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "live_ssh"))
from sshdevices import ENV, PASSWORD, USER, emulated, write_device_folder

pytestmark = pytest.mark.distributed
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def broker():
    server = start_redis()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def city(tmp_path: Path):
    """Four emulated IOS devices in two districts, and an inventory folder naming them."""
    names = {"n1": "north", "n2": "north", "s1": "south", "s2": "south"}
    devices = {n: emulated(write_device_folder("cisco_ios", tmp_path / "served" / n), "cisco_ios") for n in names}
    with Emulator(devices.values()) as emu:
        inventory = tmp_path / "inventory"
        inventory.mkdir()
        (inventory / "departments.yaml").write_text(
            "departments:\n  - id: it\n    name: IT office\n    kind: municipal\n")
        (inventory / "sites.yaml").write_text("sites:\n  - id: hall\n    name: City hall\n    district: north\n"
                                              "  - id: depot\n    name: Depot\n    district: south\n")
        (inventory / "devices.yaml").write_text("devices:\n" + "".join(
            f"  - name: {n}\n    host: \"127.0.0.1\"\n    port: {emu.port(n)}\n    platform: cisco_ios\n"
            f"    department: it\n    site: {'hall' if d == 'north' else 'depot'}\n" for n, d in names.items()))
        known_hosts = tmp_path / "known_hosts"
        known_hosts.write_text("".join(emu.known_hosts_line(n) + "\n" for n in names))
        yield inventory, known_hosts, names


def _worker(broker: RedisServer, queue: str, known_hosts: Path, env: dict[str, str], *extra: str
            ) -> subprocess.Popen:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NETCENSUS_")}
    with open(known_hosts.parent / f"worker-{queue}.log", "a") as log:  # the child keeps its own descriptor
        worker = subprocess.Popen(
            [sys.executable, "-m", "netcensus.cli", "worker", "--queue", queue, "--redis", broker.url,
             "--known-hosts", str(known_hosts), "--heartbeat", "1", "--grace", "2", *extra],
            env={**clean, **env, "PYTHONPATH": str(REPO)}, stdout=log, stderr=subprocess.STDOUT)
    _registered(broker, queue)
    return worker


def _registered(broker: RedisServer, queue: str, timeout_s: float = 60) -> None:
    """Wait until a worker of ``queue`` is registered with the broker: a loaded machine may take
    seconds to start one, and a dispatch's --wait must not count that."""
    redis, deadline = connect(broker.url), time.monotonic() + timeout_s
    while not any(queue_name(queue) in w.queue_names() for w in Worker.all(connection=redis)):
        assert time.monotonic() < deadline, f"no worker of {queue} registered within {timeout_s:g} s"
        time.sleep(0.1)


def _stop(*workers: subprocess.Popen) -> None:
    """SIGTERM: RQ's warm shutdown (a job in progress would be finished first)."""
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


def _run_dispatch(broker: RedisServer, inventory: Path, out: Path, *args: str):
    return CliRunner().invoke(app, ["dispatch", str(inventory), "--out", str(out), "--redis", broker.url,
                                    "--connect-timeout", "5", "--command-timeout", "10", *args],
                              env={"NETCENSUS_DEFAULT_PASSWORD": ""})


def test_dispatch_then_audit_from_the_command_line(broker: RedisServer, city, tmp_path: Path) -> None:
    inventory, known_hosts, names = city
    workers = [_worker(broker, q, known_hosts, ENV) for q in ("north", "south")]
    result = _run_dispatch(broker, inventory, tmp_path / "captures", "--audit", "--reports", str(tmp_path / "reports"),
                           "--today", "2026-12-01", "--wait", "60")
    _stop(*workers)
    assert result.exit_code in (0, 1), result.output
    manifest = json.loads((tmp_path / "captures" / "manifest.json").read_text())
    assert {n: r["status"] for n, r in manifest["devices"].items()} == {n: "ok" for n in names}
    assert {s: r["status"] for s, r in manifest["options"]["shards"].items()} == {"north": "done", "south": "done"}
    assert (tmp_path / "reports" / "history.sqlite").is_file()
    assert (tmp_path / "reports" / "netcensus-report.json").is_file()
    report = json.loads((tmp_path / "reports" / "netcensus-report.json").read_text())
    assert report  # the audit of the merged folder ran and wrote its report
    assert PASSWORD not in result.output and PASSWORD not in (tmp_path / "captures" / "manifest.json").read_text()


def test_a_shard_no_worker_takes_leaves_its_devices_not_collected(broker: RedisServer, city, tmp_path: Path) -> None:
    inventory, known_hosts, _names = city
    stale = tmp_path / "captures" / "s1" / "show_version.txt"  # from last night's run
    stale.parent.mkdir(parents=True)
    stale.write_text("Cisco IOS Software, last night\n")
    worker = _worker(broker, "north", known_hosts, ENV)  # nobody serves "south"
    result = _run_dispatch(broker, inventory, tmp_path / "captures", "--wait", "8")
    _stop(worker)
    assert result.exit_code == 3, result.output  # degraded: devices not collected (default --max-failed 0)
    manifest = json.loads((tmp_path / "captures" / "manifest.json").read_text())
    records = manifest["devices"]
    assert records["n1"]["status"] == records["n2"]["status"] == "ok"
    for name in ("s1", "s2"):
        assert records[name]["status"] == "missing"
        assert records[name]["error"].startswith("not collected: shard south failed: no result within --wait 8 s")
    assert "shard south failed" in result.output
    assert not stale.parent.exists()  # an audit must not read last night's files as tonight's
    assert not connect(broker.url).keys("rq:job:netcensus-*"), "a finished dispatch leaves no job in the broker"


def test_a_worker_without_credentials_refuses_its_shard_once(broker: RedisServer, city, tmp_path: Path) -> None:
    inventory, known_hosts, _names = city
    north = _worker(broker, "north", known_hosts, ENV)
    south = _worker(broker, "south", known_hosts, {})  # this host was never given the credentials
    result = _run_dispatch(broker, inventory, tmp_path / "captures", "--wait", "60", "--max-failed", "2")
    _stop(north, south)
    assert result.exit_code == 0, result.output  # 2 not collected, --max-failed 2
    manifest = json.loads((tmp_path / "captures" / "manifest.json").read_text())
    shard = manifest["options"]["shards"]["south"]
    assert (shard["status"], shard["attempts"]) == ("failed", 1)  # a setup problem: not retried
    assert "NETCENSUS_DEFAULT_USERNAME" in shard["error"]  # says what to set on that host
    for name in ("s1", "s2"):
        assert manifest["devices"][name]["status"] == "missing"
        assert "NETCENSUS_DEFAULT_PASSWORD" in manifest["devices"][name]["error"]
    assert PASSWORD not in json.dumps(manifest) and USER not in shard["error"]


def test_a_shard_whose_worker_dies_with_no_retry_left_leaves_its_devices_not_collected(
        broker: RedisServer, tmp_path: Path) -> None:
    import io
    import signal
    import threading
    import time

    from province import _descendants
    from rich.console import Console
    from rq import Queue
    from rq.registry import StartedJobRegistry
    from sshdevices import inventory_for

    from netcensus.distributed.broker import SERIALIZER, queue_name
    from netcensus.distributed.dispatch import DispatchOptions, DispatchRun, dispatch

    slow = {n: emulated(write_device_folder("cisco_ios", tmp_path / "served" / n), "cisco_ios", latency_s=0.5)
            for n in ("slow1", "slow2")}
    with Emulator(slow.values()) as emu:
        known_hosts = tmp_path / "known_hosts"
        known_hosts.write_text("".join(emu.known_hosts_line(n) + "\n" for n in slow))
        inventory = inventory_for({n: ("cisco_ios", emu.port(n), "netmiko") for n in slow})  # district "central"
        worker = _worker(broker, "central", known_hosts, ENV)
        result: dict[str, DispatchRun] = {}
        options = DispatchOptions(retries=0, wait_s=60, poll_s=0.2, collect={"command_timeout_s": 10.0})
        thread = threading.Thread(target=lambda: result.update(run=dispatch(
            inventory, tmp_path / "captures", options, connect(broker.url), Console(file=io.StringIO()))))
        thread.start()
        registry = StartedJobRegistry(queue=Queue(queue_name("central"), connection=connect(broker.url),
                                                  serializer=SERIALIZER))
        deadline = time.monotonic() + 30
        while not registry.get_job_ids(cleanup=False) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # the shard is collecting now
        for pid in [worker.pid, *_descendants(worker.pid)]:
            os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=10)
        thread.join(timeout=60)
    run = result["run"]
    shard = run.shards["central"]
    assert (shard.status, shard.attempts) == ("failed", 1), shard
    assert "worker died" in (shard.error or ""), shard.error
    for name in slow:
        record = run.manifest.devices[name]
        assert record.status == "missing" and "shard central failed: its worker died" in (record.error or "")


def test_routing_keys_with_dots_and_chunk_like_names_each_get_their_own_job(
        broker: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A district 'xc.north' (RQ refuses dots in job ids) and a district 'xc-2' beside the second
    chunk of 'xc' (both were job 'xc-2'): every shard is enqueued as a job of its own."""
    sites = {s: Site(id=s, name=s, district=d) for s, d in [("a", "xc"), ("b", "xc-2"), ("c", "xc.north")]}
    devices = {n: Device(name=n, host="127.0.0.1", port=1, platform="cisco_ios", department="it", site=s)
               for n, s in [("x1", "a"), ("x2", "a"), ("y1", "b"), ("z1", "c")]}
    inv = Inventory(departments={"it": Department(id="it", name="IT")}, sites=sites, devices=devices)
    redis = connect(broker.url)
    seen: dict[str, list[str]] = {}
    real_fetch = Job.fetch

    def fetch(job_id: str, *args, **kwargs):  # what each shard's job holds while the dispatcher waits
        job = real_fetch(job_id, *args, **kwargs)
        seen.setdefault(job_id, job.args[0]["devices"])
        return job

    monkeypatch.setattr(Job, "fetch", staticmethod(fetch))
    run = dispatch(inv, tmp_path / "captures", DispatchOptions(chunk=1, wait_s=0.5, poll_s=0.1), redis,
                   redis_label=broker.url)
    assert sorted(run.shards) == ["xc", "xc#2", "xc-2", "xc.north"]
    assert len({o.job_id for o in run.shards.values()}) == 4
    assert sorted(d for devices in seen.values() for d in devices) == ["x1", "x2", "y1", "z1"]
    assert all(r.status == "missing" and "no result within --wait" in r.error for r in run.manifest.devices.values())


def test_dispatch_audit_after_a_shard_no_worker_took_is_degraded(broker: RedisServer, city, tmp_path: Path) -> None:
    """The audit of a partial dispatch: exit 3 past --max-failed (the audit's rule), the missing
    devices named, and the run recorded as degraded in the history."""
    inventory, known_hosts, _names = city
    worker = _worker(broker, "north", known_hosts, ENV)  # nobody serves "south"
    result = _run_dispatch(broker, inventory, tmp_path / "captures", "--wait", "5", "--audit", "--max-failed", "1",
                           "--reports", str(tmp_path / "reports"), "--today", "2026-12-01")
    _stop(worker)
    assert result.exit_code == 3, result.output
    assert "collection degraded: 2 device(s) not collected (s1, s2)" in result.output
    history = CliRunner().invoke(app, ["history", "--store", str(tmp_path / "reports" / "history.sqlite")])
    assert history.exit_code == 0, history.output
    row = next(line for line in history.output.splitlines() if line.startswith("│ 1 "))
    assert [cell.strip() for cell in row.split("│")[3:6]] == ["4", "2", "yes"]  # devices, failed, degraded


def test_ctrl_c_keeps_the_shards_done_under_a_manifest_that_says_so(broker: RedisServer, city, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """As an interrupted `netcensus collect`: the folder's manifest describes its folders (the
    north shard merged, the south devices not collected and last night's files gone)."""
    inventory, known_hosts, _names = city
    captures = tmp_path / "captures"
    stale = captures / "s1" / "show_version.txt"  # from last night's run
    stale.parent.mkdir(parents=True)
    stale.write_text("Cisco IOS Software, last night\n")
    real_sleep = time.sleep

    def ctrl_c_once_north_is_merged(seconds: float) -> None:
        if (captures / "n1").is_dir():
            raise KeyboardInterrupt
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", ctrl_c_once_north_is_merged)
    worker = _worker(broker, "north", known_hosts, ENV)  # nobody serves "south": it stays queued
    try:
        result = _run_dispatch(broker, inventory, captures, "--wait", "60")
    finally:
        monkeypatch.undo()
        _stop(worker)
    assert result.exit_code == 130, result.output
    assert "those done are merged" in result.output
    manifest = json.loads((captures / "manifest.json").read_text())
    assert manifest["interrupted"] is True
    records = manifest["devices"]
    assert records["n1"]["status"] == records["n2"]["status"] == "ok"
    assert records["s1"]["status"] == "missing" and "dispatch interrupted" in records["s1"]["error"]
    assert not stale.parent.exists()
    assert not connect(broker.url).keys("rq:job:netcensus-*"), "the cancelled shard is not left in the broker"


def test_sigterm_ends_a_dispatch_as_ctrl_c_does(broker: RedisServer, city, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """systemctl stop sends SIGTERM: the manifest must say which shards never came back."""
    inventory, known_hosts, _names = city
    captures = tmp_path / "captures"
    real_sleep = time.sleep

    def unhandled(signum: int, frame: object) -> None:
        raise AssertionError("SIGTERM reached the process: dispatch did not handle it")

    def terminate_once_north_is_merged(seconds: float) -> None:
        if (captures / "n1").is_dir():
            os.kill(os.getpid(), signal.SIGTERM)
        real_sleep(seconds)

    previous = signal.signal(signal.SIGTERM, unhandled)
    monkeypatch.setattr(time, "sleep", terminate_once_north_is_merged)
    worker = _worker(broker, "north", known_hosts, ENV)  # nobody serves "south": it stays queued
    try:
        result = _run_dispatch(broker, inventory, captures, "--wait", "60")
    finally:
        monkeypatch.undo()
        signal.signal(signal.SIGTERM, previous)
        _stop(worker)
    assert result.exit_code == 130, result.output
    manifest = json.loads((captures / "manifest.json").read_text())
    assert manifest["interrupted"] is True
    assert manifest["devices"]["s1"]["status"] == "missing"
    assert signal.getsignal(signal.SIGTERM) is previous  # the handler is dispatch's only while it runs
