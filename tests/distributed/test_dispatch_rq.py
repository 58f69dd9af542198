"""Distributed collection through a real redis-server and real workers in district namespaces.

The province (tests/distributed/province.py): the sample city of 80 devices, its six
districts served from three network namespaces, one ``netcensus worker`` process inside
each (worker A reads its credentials from a 0600 file, B and C from their environment).
The tests show: the merged audit equals a single-host collection's; a worker SIGKILLed
mid-shard has its shard retried with nothing lost or duplicated; the broker restarted
mid-run costs a pause, not the run; a district's worker only ever gets its own shards and
cannot reach another district's devices; the broker never holds the password.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import threading
import time
import zlib
from pathlib import Path

import pytest
from province import DISTRICTS, PASSWORD, USER, Province
from redis import Redis
from rich.console import Console
from servers import RedisServer, start_redis, unavailable

from collectors.manifest import read_manifest
from netcensus.collect import CollectOptions, collect
from netcensus.distributed.broker import connect, queue_name
from netcensus.distributed.dispatch import DispatchOptions, DispatchRun, dispatch
from netcensus.job import AuditJob, run_job

pytestmark = pytest.mark.distributed

ENV = {"NETCENSUS_DEFAULT_USERNAME": USER, "NETCENSUS_DEFAULT_PASSWORD": PASSWORD}
FAST = {"connect_timeout_s": 5.0, "command_timeout_s": 10.0, "retries": 1, "backoff_s": 0.2}
TODAY = "2026-11-30"


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory):
    if os.geteuid() != 0:
        unavailable("the province lab builds network namespaces: run as root")
    if shutil.which("ip") is None:
        unavailable("the province lab needs ip (Debian: iproute2)")
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed (Debian: redis-server)")
    probe = f"nc8probe{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True, timeout=30)
    if made.returncode:
        unavailable(f"cannot create network namespaces here: {made.stderr.strip()}")
    subprocess.run(["ip", "netns", "del", probe], capture_output=True, timeout=30)
    lab = Province(tmp_path_factory.mktemp("province"))
    broker: RedisServer | None = None
    try:
        lab.build()
        broker = start_redis(("127.0.0.1", *lab.outside.values()))
        secrets_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"netcensus-creds-{os.getpid()}"
        secrets_dir.mkdir(mode=0o700, exist_ok=True)
        creds = secrets_dir / "credentials.yaml"
        creds.write_text(f"default:\n  username: {USER}\n  password: {PASSWORD}\n")
        creds.chmod(0o600)
        lab.start_worker("A", broker.port, "worker-A1", credentials_file=creds)
        lab.start_worker("B", broker.port, "worker-B1", env=ENV)
        lab.start_worker("C", broker.port, "worker-C1", env=ENV)
        _wait_for_workers(connect(broker.url), {"worker-A1", "worker-B1", "worker-C1"}, lab)
        yield lab, broker
    finally:
        lab.destroy()
        if broker is not None:
            broker.stop()
            shutil.rmtree(broker.root, ignore_errors=True)
        shutil.rmtree(Path(os.environ.get("TMPDIR", "/tmp")) / f"netcensus-creds-{os.getpid()}", ignore_errors=True)


def _wait_for_workers(redis: Redis, names: set[str], lab: Province, timeout: float = 60) -> None:
    from rq import Worker

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if names <= {w.name for w in Worker.all(connection=redis)}:
            return
        time.sleep(0.2)
    logs = {p.name: p.read_text(errors="replace")[-600:] for p in lab.root.glob("worker-*.log")}
    raise AssertionError(f"workers {sorted(names)} did not register: {logs}")


def _dispatch(broker: RedisServer, lab: Province, out: Path, **options: object) -> DispatchRun:
    from inventory.loader import load_inventory

    opts = DispatchOptions(collect=FAST, wait_s=120, poll_s=0.2, **options)  # type: ignore[arg-type]
    return dispatch(load_inventory(lab.inventory_dir), out, opts, connect(broker.url),
                    Console(file=io.StringIO(), width=200), redis_label=broker.url)


def _findings(inventory: Path, captures: Path, out: Path) -> list[tuple[str, str, str]]:
    import datetime as dt

    outcome = run_job(AuditJob(inventory=inventory, captures=captures, out=out, today=dt.date.fromisoformat(TODAY)))
    return sorted((f.code, str(f.severity), f.key) for f in outcome.result.findings)


def _statuses(captures: Path) -> dict[str, str]:
    manifest = read_manifest(captures)
    assert manifest is not None
    return {name: record.status for name, record in manifest.devices.items()}


@pytest.fixture(scope="module")
def reference(province, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One host that reaches every district (the root namespace) collects the whole city."""
    from inventory.loader import load_inventory

    lab, _broker = province
    inventory = load_inventory(lab.inventory_dir)
    single = tmp_path_factory.mktemp("single") / "captures"
    collect(inventory, single, CollectOptions(workers=8, known_hosts=lab.known_hosts["all"], prompt=False, **FAST),
            Console(file=io.StringIO()), env=ENV)
    statuses = _statuses(single)
    assert set(statuses) == set(inventory.devices)
    collected = {n for n, s in statuses.items() if s in ("ok", "partial", "parse_failed")}
    # The sample city plants one device without captures: its emulator answers nothing.
    assert len(collected) >= len(statuses) - 2, {n: s for n, s in statuses.items() if n not in collected}
    return single, statuses


def test_merged_audit_equals_a_single_host_collection(province, reference, tmp_path: Path) -> None:
    lab, broker = province
    from inventory.loader import load_inventory

    inventory = load_inventory(lab.inventory_dir)
    single, statuses = reference
    dumps: list[bytes] = []
    watching = threading.Event()
    watcher = threading.Thread(target=_watch_broker, args=(connect(broker.url), watching, dumps), daemon=True)
    watcher.start()
    merged = tmp_path / "merged"
    try:
        run = _dispatch(broker, lab, merged)
    finally:
        watching.set()
        watcher.join(timeout=10)

    assert _statuses(merged) == statuses
    assert {p.name for p in merged.iterdir() if p.is_dir()} == set(inventory.devices)
    for name in inventory.devices:  # every file of every device, byte for byte as one host wrote it
        assert sorted(os.listdir(merged / name)) == sorted(os.listdir(single / name)), name
        for file in os.listdir(single / name):
            assert (merged / name / file).read_bytes() == (single / name / file).read_bytes(), (name, file)
    assert (_findings(lab.inventory_dir, merged, tmp_path / "a1")
            == _findings(lab.inventory_dir, single, tmp_path / "a2"))

    # Routing: each shard ran on its own district's worker, once.
    assert set(run.shards) == {d for ds in DISTRICTS.values() for d in ds}
    for letter, districts in DISTRICTS.items():
        for district in districts:
            outcome = run.shards[district]
            assert (outcome.status, outcome.attempts) == ("done", 1), outcome
            assert outcome.worker == f"worker-{letter}1", (district, outcome.worker)

    # The broker never held the password: not in any key while the shards ran (archives
    # unpacked), not in its append-only file, and nothing of the run is left in it.
    assert dumps, "the watcher saw no broker data"
    for blob in dumps:
        assert PASSWORD.encode() not in blob
    layers: list[bytes] = []
    for path in broker.data_files():  # every write the broker ever took, results included
        data = path.read_bytes()
        layers.append(data)
        for token in re.findall(rb"[A-Za-z0-9+/=]{100,}", data):
            layers += _unpacked(token)
    assert any(b'"credentials_profile"' in layer for layer in layers), "no shard manifest was unpacked"
    assert not [layer for layer in layers if PASSWORD.encode() in layer]
    assert not [k for k in connect(broker.url).keys("netcensus:inventory:*")]


def test_a_worker_killed_mid_shard_is_retried_and_nothing_is_lost_or_duplicated(province, reference,
                                                                                 tmp_path: Path) -> None:
    lab, broker = province
    redis = connect(broker.url)
    result: dict[str, DispatchRun] = {}
    thread = threading.Thread(target=lambda: result.update(run=_dispatch(broker, lab, tmp_path / "out")))
    thread.start()
    try:
        _wait_until(lambda: _shard_progress(redis, "xc") >= 2, "shard xc to be half way on worker-A1", 60)
        lab.kill_worker("worker-A1")  # the collector host of A dies, its job process with it
        lab.start_worker("A", broker.port, "worker-A2", env=ENV)  # another host of district A
    finally:
        thread.join(timeout=120)
    run = result["run"]
    xc = run.shards["xc"]
    assert (xc.status, xc.attempts, xc.worker) == ("done", 2, "worker-A2"), xc
    assert _statuses(tmp_path / "out") == reference[1]  # every device, as one host collected it
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert sum(manifest["summary"].values()) == len(lab.district_of)  # each device once
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_the_broker_restarted_mid_run_costs_a_pause_not_the_run(province, reference, tmp_path: Path) -> None:
    lab, broker = province
    redis = connect(broker.url)
    result: dict[str, DispatchRun] = {}
    thread = threading.Thread(target=lambda: result.update(run=_dispatch(broker, lab, tmp_path / "out")))
    thread.start()
    try:
        _wait_until(lambda: any(_shard_progress(redis, d) >= 1 for d in ("xc", "ns", "xw")),
                    "shards to be running", 60)
        broker.restart(down_s=1.5)  # SIGKILL; the append-only file keeps queues, jobs and registries
    finally:
        thread.join(timeout=120)
    run = result["run"]
    assert all(o.status == "done" for o in run.shards.values()), {n: (o.status, o.error) for n, o in run.shards.items()}
    assert _statuses(tmp_path / "out") == reference[1]


def test_a_district_worker_cannot_reach_another_districts_devices(province) -> None:
    lab, _broker = province
    from inventory.loader import load_inventory

    inventory = load_inventory(lab.inventory_dir)
    probe = "import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()"
    for letter in DISTRICTS:
        own = next(d for d in inventory.devices.values() if lab.district_of[d.name] == letter)
        other = next(d for d in inventory.devices.values() if lab.district_of[d.name] != letter)
        import sys

        assert lab.in_namespace(letter, sys.executable, "-c", probe, own.host, str(own.port)).returncode == 0
        assert lab.in_namespace(letter, sys.executable, "-c", probe, other.host, str(other.port)).returncode != 0


def _shard_progress(redis: Redis, key: str) -> int:
    """Devices done of the running job on a queue's StartedJobRegistry (0 when none runs)."""
    from rq import Queue
    from rq.job import Job
    from rq.registry import StartedJobRegistry

    from netcensus.distributed.broker import SERIALIZER

    registry = StartedJobRegistry(queue=Queue(queue_name(key), connection=redis, serializer=SERIALIZER))
    done = 0
    for job_id in registry.get_job_ids(cleanup=False):
        try:
            done = max(done, int(Job.fetch(job_id, connection=redis, serializer=SERIALIZER).meta.get("done") or 0))
        except Exception:
            continue
    return done


def _wait_until(condition, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _watch_broker(redis: Redis, stop: threading.Event, dumps: list[bytes]) -> None:
    """Dump every key of the broker every 0.3 s until ``stop``; unpack any archive found."""
    while not stop.is_set():
        dumps.append(dump_everything(redis))
        stop.wait(0.3)
    dumps.append(dump_everything(redis))


def dump_everything(redis: Redis) -> bytes:
    """Every key and value of the broker as bytes, with base64 tar.gz archives unpacked."""
    parts: list[bytes] = []
    for key in redis.scan_iter(count=1000):
        kind = redis.type(key)
        if kind == b"string":
            values = [redis.get(key) or b""]
        elif kind == b"hash":
            values = [b for kv in redis.hgetall(key).items() for b in kv]
        elif kind == b"list":
            values = redis.lrange(key, 0, -1)
        elif kind == b"set":
            values = list(redis.smembers(key))
        elif kind == b"zset":
            values = [m for m, _ in redis.zrange(key, 0, -1, withscores=True)]
        elif kind == b"stream":
            values = [b for _id, fields in redis.xrange(key) for kv in fields.items() for b in kv]
        else:
            values = []
        parts.append(key)
        for value in values:
            parts.append(value)
            parts.extend(_unpacked(value))
    return b"\n".join(parts)


def _unpacked(value: bytes, depth: int = 0) -> list[bytes]:
    """Every layer inside a value: RQ stores job data zlib-compressed and results as base64 of
    their JSON; a shard result holds a base64 tar.gz. Each layer is opened and searched too."""
    if depth > 5 or len(value) < 16:
        return []
    layers: list[bytes] = []
    for text in _json_strings(value):
        layers.append(text.encode("utf-8", errors="replace"))
    with contextlib.suppress(ValueError):
        layers.append(base64.b64decode(value, validate=True))
    for opener in (zlib.decompress, gzip.decompress):
        with contextlib.suppress(zlib.error, OSError, EOFError):
            layers.append(opener(value))
    try:
        with tarfile.open(fileobj=io.BytesIO(value)) as tar:
            layers += [tar.extractfile(m).read() for m in tar if m.isfile()]  # type: ignore[union-attr]
    except tarfile.TarError:
        pass
    found = []
    for layer in layers:
        if layer != value:
            found.append(layer)
            found += _unpacked(layer, depth + 1)
    return found


def _json_strings(value: bytes) -> list[str]:
    try:
        data = json.loads(value)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return []
    out: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            stack += list(item.values())
        elif isinstance(item, list):
            stack += item
    return out
