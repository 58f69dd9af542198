"""The dispatcher's pure parts: routing keys, shard plans, the inventory payload, unpacking a
shard's result as untrusted input, merging manifests, and what a worker takes from a request."""

from __future__ import annotations

import base64
import io
import json
import re
import tarfile
import tracemalloc
from pathlib import Path

import pytest

from collectors.manifest import DeviceRecord, Manifest
from core.errors import InputError
from inventory.model import Department, Device, Inventory, Site
from netcensus.distributed.broker import redact_url
from netcensus.distributed.merge import ShardResultError, merge_manifests, not_collected, unpack
from netcensus.distributed.shard_job import (
    ENV_CREDENTIALS_FILE,
    ENV_HOST_KEYS,
    ENV_KNOWN_HOSTS,
    shard_inventory,
    worker_options,
)
from netcensus.distributed.shards import (
    inventory_from_payload,
    inventory_payload,
    plan_shards,
    read_site_groups,
    routing_keys,
)


def _inventory() -> Inventory:
    sites = {"hall": Site(id="hall", name="City hall", district="north"),
             "depot": Site(id="depot", name="Depot", district="south"),
             "school": Site(id="school", name="School", district="south")}
    devices = {f"r{i}": Device(name=f"r{i}", host=f"10.0.0.{i}", platform="cisco_ios", department=dept, site=site)
               for i, (site, dept) in enumerate([("hall", "it"), ("depot", "it"), ("school", "edu"), ("depot", "edu")],
                                                start=1)}
    return Inventory(departments={"it": Department(id="it", name="IT"), "edu": Department(id="edu", name="Education")},
                     sites=sites, devices=devices)


def test_devices_are_routed_by_district_department_site_or_site_group(tmp_path: Path) -> None:
    inv = _inventory()
    assert routing_keys(inv, "district") == {"r1": "north", "r2": "south", "r3": "south", "r4": "south"}
    assert routing_keys(inv, "department") == {"r1": "it", "r2": "it", "r3": "edu", "r4": "edu"}
    assert routing_keys(inv, "site") == {"r1": "hall", "r2": "depot", "r3": "school", "r4": "depot"}
    groups_file = tmp_path / "groups.yaml"
    groups_file.write_text("west: [hall, school]\neast: [depot]\n")
    groups = read_site_groups(groups_file, inv)
    assert routing_keys(inv, "site-group", groups) == {"r1": "west", "r2": "east", "r3": "west", "r4": "east"}


def test_a_device_that_cannot_be_routed_is_named() -> None:
    inv = _inventory()
    lost = Device(name="lost", host="10.0.0.9", platform="cisco_ios", department="it", site="nowhere")
    broken = Inventory(departments=inv.departments, sites=inv.sites, devices={**inv.devices, "lost": lost})
    with pytest.raises(InputError) as err:
        routing_keys(broken, "district")
    assert "lost" in str(err.value) and "district" in str(err.value)
    with pytest.raises(InputError, match="must be one of"):
        routing_keys(inv, "room")
    with pytest.raises(InputError, match="site-groups"):
        routing_keys(inv, "site-group")


def test_site_groups_file_errors_name_file_and_group(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text("west: [hall, atlantis]\neast: [hall]\n")
    with pytest.raises(InputError) as err:
        read_site_groups(path, _inventory())
    text = str(err.value)
    assert str(path) in text and "'atlantis' names no site" in text and "already in group 'west'" in text


def test_shards_follow_keys_and_chunks() -> None:
    keys = routing_keys(_inventory(), "district")
    shards = plan_shards(keys)
    assert [(s.name, s.devices) for s in shards] == [("north", ("r1",)), ("south", ("r2", "r3", "r4"))]
    chunked = plan_shards(keys, chunk=2)
    assert [(s.name, s.key, s.devices) for s in chunked] == [
        ("north", "north", ("r1",)), ("south", "south", ("r2", "r3")), ("south#2", "south", ("r4",))]
    assert sorted(d for s in chunked for d in s.devices) == sorted(keys)  # each device in one shard


def test_the_inventory_travels_by_digest_and_a_changed_byte_is_refused() -> None:
    inv = _inventory()
    digest, text = inventory_payload(inv)
    back = inventory_from_payload(digest, text)
    assert back.devices == inv.devices and back.sites == inv.sites
    with pytest.raises(ValueError, match="does not match"):
        inventory_from_payload(digest, text.replace(b"10.0.0.1", b"10.0.0.7"))


def _archive(members: dict[str, bytes], *, link: str | None = None) -> str:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo(link)
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)
    return base64.b64encode(buffer.getvalue()).decode()


def _manifest_json(*devices: str) -> bytes:
    return Manifest(started="2026-12-01T00:00:00+00:00", devices={
        d: DeviceRecord(status="ok", platform="cisco_ios", transport="netmiko", host="10.0.0.1", port=22,
                        credentials_profile="default", files=["show_version.txt"]) for d in devices}).to_json().encode()


def test_a_shard_result_replaces_its_device_folders(tmp_path: Path) -> None:
    (tmp_path / "r1").mkdir()
    (tmp_path / "r1" / "show_old.txt").write_text("from an earlier run")
    (tmp_path / "r9").mkdir()  # another shard's device: untouched
    got = unpack("north", _archive({"manifest.json": _manifest_json("r1"), "r1/show_version.txt": b"IOS 15\n"}),
                 ["r1"], tmp_path)
    assert list(got.manifest.devices) == ["r1"] and got.devices == ["r1"]
    assert sorted(p.name for p in (tmp_path / "r1").iterdir()) == ["show_version.txt"]
    assert (tmp_path / "r1" / "show_version.txt").read_text() == "IOS 15\n"
    assert (tmp_path / "r9").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r1", "r9"]  # no staging folder left


@pytest.mark.parametrize("members, link, message", [
    ({"manifest.json": b"{}", "../escape.txt": b"x"}, None, "leaves the capture folder"),
    ({"manifest.json": b"{}", "/etc/cron.d/x": b"x"}, None, "leaves the capture folder"),
    ({"manifest.json": b"{}", "r2/show_version.txt": b"x"}, None, "no file of its devices"),
    ({"manifest.json": b"{}"}, "r1/show_version.txt", "not a regular file"),
    ({"r1/show_version.txt": b"x"}, None, "holds no manifest.json"),
    ({"manifest.json": b"not json"}, None, "unreadable manifest.json"),
])
def test_a_hostile_or_broken_shard_result_is_refused_and_writes_nothing(tmp_path: Path, members, link,
                                                                       message) -> None:
    with pytest.raises(ShardResultError, match=message) as err:
        unpack("north", _archive(members, link=link), ["r1"], tmp_path / "captures")
    assert "shard north" in str(err.value)
    assert not (tmp_path / "captures").exists() and not (tmp_path / "escape.txt").exists()
    assert not list(tmp_path.iterdir())  # nor a staging folder beside it


def test_a_result_of_compressed_zeros_is_unpacked_one_member_in_memory_at_a_time(tmp_path: Path) -> None:
    """160 MiB of zeros compress to a few hundred kB: a hostile or broken worker must not make
    the dispatcher hold them all (the shard limit is 4 GiB unpacked)."""
    member = bytes(8 * 1024 * 1024)
    archive = _archive({"manifest.json": _manifest_json("r1"),
                        **{f"r1/show_{i}.txt": member for i in range(20)}})
    assert len(archive) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        got = unpack("north", archive, ["r1"], tmp_path / "captures")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got.devices == ["r1"] and len(list((tmp_path / "captures" / "r1").iterdir())) == 20
    assert peak < 64 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["captures"]  # no staging folder left


def test_a_result_of_many_folder_entries_is_read_without_keeping_their_headers(tmp_path: Path) -> None:
    """30,000 empty folder entries are 150 kB compressed; tarfile kept every header it read."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in {"manifest.json": _manifest_json("r1"), "r1/show_version.txt": b"IOS\n"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for i in range(30_000):
            info = tarfile.TarInfo(f"r1/d{i}")
            info.type = tarfile.DIRTYPE
            tar.addfile(info)
    tracemalloc.start()
    try:
        got = unpack("north", base64.b64encode(buffer.getvalue()).decode(), ["r1"], tmp_path / "captures")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got.devices == ["r1"]
    assert peak < 6 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"


def test_a_manifest_naming_another_shards_device_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ShardResultError, match="r2"):
        unpack("north", _archive({"manifest.json": _manifest_json("r1", "r2")}), ["r1"], tmp_path)


def _lying_manifest(**record: object) -> bytes:
    data = json.loads(_manifest_json("r1"))
    data["devices"]["r1"].update(record)
    return json.dumps(data).encode()


@pytest.mark.parametrize("manifest, message", [
    (_lying_manifest(status=["ok"]), "status is list"),
    (_lying_manifest(port="22"), "port is str"),
    (_lying_manifest(port=True), "port is bool"),
    (_lying_manifest(problems=[{"x": 1}]), "problems holds"),
    (_lying_manifest(files=["../../r2/show_version.txt"]), "files names a path"),
    (_lying_manifest(shell="rm -rf /"), "unknown fields"),
    (b'{"format": 1, "started": "x", "devices": ["r1"]}', "not a mapping"),
    (b'{"format": 1, "started": "x", "devices": {"r1": "ok"}}', "not a mapping"),
])
def test_a_manifest_whose_records_have_wrong_types_is_refused_before_the_merge(tmp_path: Path, manifest: bytes,
                                                                              message: str) -> None:
    """A record the merged manifest could not count or write is refused with its shard's devices,
    instead of failing the whole dispatch when the merged manifest is written."""
    with pytest.raises(ShardResultError, match=re.escape(message)) as err:
        unpack("north", _archive({"manifest.json": manifest, "r1/show_version.txt": b"x"}), ["r1"],
               tmp_path / "captures")
    assert str(err.value).startswith("shard north: unreadable manifest.json")
    assert not (tmp_path / "captures").exists()


def test_a_shard_cannot_mark_its_devices_from_a_previous_run_nor_leave_files_of_unreported_ones(
        tmp_path: Path) -> None:
    got = unpack("south", _archive({"manifest.json": _lying_manifest(from_previous_run=True),
                                    "r1/show_version.txt": b"IOS\n", "r2/show_version.txt": b"IOS\n"}),
                 ["r1", "r2"], tmp_path)
    assert got.manifest.devices["r1"].from_previous_run is False  # tonight's: the exit code counts it
    assert list(got.manifest.devices) == ["r1"] and got.devices == ["r1"]
    assert not (tmp_path / "r2").exists()  # recorded "not collected": no files for the audit to read


def test_merged_manifest_holds_every_device_once_with_failed_shards_not_collected() -> None:
    inv = _inventory()
    north = Manifest(started="2026-12-01T01:00:00+00:00", finished="2026-12-01T01:05:00+00:00",
                     options={"workers": 4}, devices=json_records("r1"))
    previous = Manifest(started="2026-11-30T01:00:00+00:00", devices=json_records("r1", "old"))
    failed = {d: not_collected(inv.devices[d], "shard south failed: its worker died") for d in ("r2", "r3", "r4")}
    merged = merge_manifests("2026-12-01T00:59:00+00:00", "2026-12-01T01:06:00+00:00", {"python": "3.11"},
                             {"distributed": {"by": "district"}}, {"north": north}, failed, previous)
    assert sorted(merged.devices) == ["old", "r1", "r2", "r3", "r4"]
    assert merged.devices["old"].from_previous_run and not merged.devices["r1"].from_previous_run
    assert merged.devices["r3"].status == "missing"
    assert merged.devices["r3"].error == "not collected: shard south failed: its worker died"
    assert merged.summary() == {"missing": 3, "ok": 2}
    assert merged.options["shards"]["north"]["options"] == {"workers": 4}
    data = json.loads(merged.to_json())
    assert data["started"] == "2026-12-01T00:59:00+00:00" and data["options"]["distributed"]["by"] == "district"


def json_records(*names: str) -> dict[str, DeviceRecord]:
    return {n: DeviceRecord(status="ok", platform="cisco_ios", transport="netmiko", host="10.0.0.1", port=22,
                            credentials_profile="default") for n in names}


def test_a_worker_takes_files_and_host_keys_from_its_own_host_never_from_the_request(tmp_path: Path) -> None:
    env = {ENV_CREDENTIALS_FILE: "/etc/netcensus/credentials.yaml", ENV_KNOWN_HOSTS: "/etc/netcensus/known_hosts",
           ENV_HOST_KEYS: "strict"}
    requested = {"command_timeout_s": 30.0, "transport": "asyncssh",
                 "credentials_file": "/tmp/evil.yaml", "host_keys": "off", "known_hosts": "/dev/null"}
    options = worker_options(requested, env)
    assert options.command_timeout_s == 30.0 and options.transport == "asyncssh"
    assert options.credentials_file == Path("/etc/netcensus/credentials.yaml")
    assert options.known_hosts == Path("/etc/netcensus/known_hosts") and options.host_keys == "strict"
    assert options.prompt is False  # a worker has no terminal to ask on


def test_a_shard_collects_exactly_its_devices() -> None:
    inv = _inventory()
    shard = shard_inventory(inv, ["r2", "r4"])
    assert list(shard.devices) == ["r2", "r4"] and shard.sites == inv.sites
    with pytest.raises(ValueError, match="r9"):
        shard_inventory(inv, ["r2", "r9"])


def test_broker_urls_in_messages_hide_the_password() -> None:
    assert redact_url("redis://:hunter2@broker:6379/0") == "redis://:***@broker:6379/0"
    assert "hunter2" not in redact_url("rediss://netcensus:hunter2@broker.city.example:6380/1")
    assert redact_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    # redis-py reads these passwords too: one holding '@' (unquoted), one in the query string
    assert redact_url("redis://:hunt@er2@broker:6379/0") == "redis://:***@broker:6379/0"
    assert redact_url("unix://:hunt@er2@/run/redis.sock?db=0") == "unix://:***@/run/redis.sock?db=0"
    assert redact_url("redis://broker:6379/0?db=0&password=hunter2") == "redis://broker:6379/0?db=0&password=***"
