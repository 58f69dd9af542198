"""The collection run with stand-in transports: filters, resume, failures, Ctrl-C, output."""

from __future__ import annotations

import io
import json
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from collectors.base import RawOutputs
from collectors.capture import TMP_SUFFIX
from collectors.live.session import SessionSettings
from core.errors import InputError
from core.platforms import PLATFORMS
from inventory.model import Department, Device, Inventory, Site
from netcensus.collect import CollectOptions, DeviceFilter, collect, select_devices

ENV = {"NETCENSUS_DEFAULT_USERNAME": "ops", "NETCENSUS_DEFAULT_PASSWORD": "Pa55word!"}
IOS_COMMANDS = [c.command for c in PLATFORMS["cisco_ios"].commands]


def _inventory(*devices: Device) -> Inventory:
    return Inventory(
        departments={d: Department(id=d, name=d) for d in ("police", "tax")},
        sites={s: Site(id=s, name=s, district="east") for s in ("hq", "branch")},
        devices={d.name: d for d in devices},
    )


def _device(name: str, **kw: object) -> Device:
    fields = {"host": "192.0.2.1", "platform": "cisco_ios", "department": "police", "site": "hq"}
    fields.update(kw)
    return Device(name=name, **fields)  # type: ignore[arg-type]


CITY = _inventory(
    _device("core1", role="core"),
    _device("acc1", site="branch"),
    _device("acc2", site="branch", department="tax"),
    _device("hw1", platform="huawei", department="tax"),
)


class FakeCollector:
    """Answers each device by a behaviour function; counts the devices it was asked for."""

    def __init__(self, behaviour: Callable[[Device], RawOutputs]):
        self.behaviour = behaviour
        self.asked: list[str] = []

    def collect(self, device: Device) -> RawOutputs:
        self.asked.append(device.name)
        return self.behaviour(device)


def _ok(device: Device) -> RawOutputs:
    outputs = {c.command: f"{device.name} {c.command}\n" for c in PLATFORMS[device.platform].commands}
    return RawOutputs(device.name, device.platform, outputs)


def _run(tmp_path: Path, inventory: Inventory, behaviour: Callable[[Device], RawOutputs] = _ok,
         console: Console | None = None, **options: object):
    fake = FakeCollector(behaviour)
    settings_seen: list[SessionSettings] = []

    def factory(settings: SessionSettings):
        settings_seen.append(settings)
        return {"netmiko": fake, "napalm": fake}

    opts = CollectOptions(host_keys="off", parse=False, **options)  # type: ignore[arg-type]
    out = console or Console(file=io.StringIO(), width=200)
    run = collect(inventory, tmp_path / "cap", opts, out, collectors=factory, env=ENV)
    return run, fake


def test_filters_combine_kinds_and_accept_several_values() -> None:
    def names(f: DeviceFilter) -> list[str]:
        return [d.name for d in select_devices(CITY, f)]

    assert names(DeviceFilter(sites=("branch",))) == ["acc1", "acc2"]
    assert names(DeviceFilter(sites=("branch",), departments=("tax",))) == ["acc2"]
    assert names(DeviceFilter(platforms=("huawei", "cisco_ios"), roles=("core",))) == ["core1"]
    assert names(DeviceFilter(devices=("acc*", "hw1"))) == ["acc1", "acc2", "hw1"]


def test_a_filter_value_that_names_nothing_is_an_error_naming_the_flag() -> None:
    with pytest.raises(InputError) as err:
        select_devices(CITY, DeviceFilter(sites=("hqq",), devices=("nosuch*",)))
    text = str(err.value)
    assert "--site" in text and "'hqq'" in text and "--device" in text


def test_outputs_land_in_the_capture_layout_with_a_manifest(tmp_path: Path) -> None:
    run, fake = _run(tmp_path, CITY, workers=3)
    cap = tmp_path / "cap"
    assert sorted(fake.asked) == ["acc1", "acc2", "core1", "hw1"]
    assert (cap / "core1" / "show_version.txt").read_text() == "core1 show version\n"
    assert (cap / "hw1" / "display_version.txt").is_file()
    assert not list(cap.rglob(f"*{TMP_SUFFIX}"))
    manifest = json.loads((cap / "manifest.json").read_text())
    assert manifest["summary"] == {"ok": 4}
    assert manifest["devices"]["core1"]["files"] == sorted(
        f"{c.replace(' ', '_')}.txt" for c in IOS_COMMANDS)
    assert manifest["options"]["workers"] == 3 and manifest["finished"]
    assert not run.failed and not run.interrupted


def test_one_failing_device_never_stops_the_run(tmp_path: Path) -> None:
    def behaviour(device: Device) -> RawOutputs:
        if device.name == "acc1":
            raise RuntimeError("transport bug")
        if device.name == "acc2":
            return RawOutputs(device.name, device.platform, status="auth_failed", error="authentication failed")
        return _ok(device)

    run, _ = _run(tmp_path, CITY, behaviour, workers=2)
    statuses = {n: r.status for n, r in run.manifest.devices.items()}
    assert statuses == {"core1": "ok", "hw1": "ok", "acc1": "error", "acc2": "auth_failed"}
    assert "RuntimeError: transport bug" in run.manifest.devices["acc1"].error
    assert set(run.failed) == {"acc1", "acc2"}


def test_no_credential_reaches_the_manifest_or_the_log(tmp_path: Path) -> None:
    buf = io.StringIO()
    _run(tmp_path, CITY, console=Console(file=buf, width=200))
    text = (tmp_path / "cap" / "manifest.json").read_text() + buf.getvalue()
    assert "Pa55word!" not in text and '"ops"' not in text


def test_resume_skips_complete_devices_and_keeps_their_records(tmp_path: Path) -> None:
    def first(device: Device) -> RawOutputs:
        if device.name == "acc2":
            return RawOutputs(device.name, device.platform, status="timeout", error="no answer")
        return _ok(device)

    _run(tmp_path, CITY, first)
    (tmp_path / "cap" / "hw1" / "display_version.txt").unlink()  # a file lost since: not complete
    run, fake = _run(tmp_path, CITY, resume=True)
    assert sorted(fake.asked) == ["acc2", "hw1"]
    assert run.manifest.devices["core1"].from_previous_run is True
    assert {r.status for r in run.manifest.devices.values()} == {"ok"}


def test_without_resume_everything_is_collected_again(tmp_path: Path) -> None:
    _run(tmp_path, CITY)
    _, fake = _run(tmp_path, CITY)
    assert len(fake.asked) == 4


def test_a_new_attempt_removes_files_it_did_not_produce(tmp_path: Path) -> None:
    _run(tmp_path, CITY)

    def half(device: Device) -> RawOutputs:
        return RawOutputs(device.name, device.platform, {"show version": "v2\n"}, status="command_failed",
                          error="session closed")

    _run(tmp_path, _inventory(_device("core1")), half)
    folder = tmp_path / "cap" / "core1"
    assert sorted(p.name for p in folder.iterdir()) == ["show_version.txt"]
    assert (folder / "show_version.txt").read_text() == "v2\n"


def test_ctrl_c_stops_cleanly_keeping_what_finished(tmp_path: Path) -> None:
    inventory = _inventory(*(_device(f"d{i}") for i in range(8)))
    settings: list[SessionSettings] = []
    d1_running = threading.Event()

    def behaviour(device: Device) -> RawOutputs:
        if device.name == "d0":
            assert d1_running.wait(5)
            os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C
            assert settings[0].stop.wait(5)
            return _ok(device)
        d1_running.set()
        # a session in progress ends after its current command once the run stops
        assert settings[0].stop.wait(5), "the run never asked the sessions to stop"
        return RawOutputs(device.name, device.platform, {"show version": "partial\n"}, status="error",
                          error="interrupted before 'show interfaces'")

    fake = FakeCollector(behaviour)

    def factory(s: SessionSettings):
        settings.append(s)
        return {"netmiko": fake}

    run = collect(inventory, tmp_path / "cap", CollectOptions(workers=2, host_keys="off", parse=False),
                  Console(file=io.StringIO()), collectors=factory, env=ENV)
    assert run.interrupted
    statuses = {n: r.status for n, r in run.manifest.devices.items()}
    assert statuses["d0"] == "ok"
    assert statuses["d1"] == "error"  # was running: recorded, its complete files kept
    assert all(statuses[f"d{i}"] == "missing" for i in range(2, 8))
    assert len(fake.asked) == 2
    on_disk = json.loads((tmp_path / "cap" / "manifest.json").read_text())
    assert on_disk["interrupted"] is True and on_disk["summary"]["missing"] == 6
    assert not list((tmp_path / "cap").rglob(f"*{TMP_SUFFIX}"))


def test_plain_log_lines_when_not_on_a_terminal(tmp_path: Path) -> None:
    def behaviour(device: Device) -> RawOutputs:
        if device.name == "acc1":
            return RawOutputs(device.name, device.platform, status="timeout", error="acc1: no SSH answer in time")
        return _ok(device)

    buf = io.StringIO()
    _run(tmp_path, CITY, behaviour, console=Console(file=buf, width=100))
    lines = buf.getvalue().splitlines()
    assert lines[0].endswith("collect: 4 devices, 20 workers")
    assert any(" acc1 timeout " in line and "no SSH answer" in line for line in lines)
    assert any("collect finished: ok 3, timeout 1" in line for line in lines)
    assert all(line[:4].isdigit() for line in lines if not line.startswith("  "))


def test_rich_progress_and_summary_table_on_a_terminal(tmp_path: Path) -> None:
    def behaviour(device: Device) -> RawOutputs:
        if device.name == "hw1":
            return RawOutputs(device.name, device.platform, status="host_key_mismatch", error="host key changed")
        return _ok(device)

    buf = io.StringIO()
    _run(tmp_path, CITY, behaviour, console=Console(file=buf, force_terminal=True, width=120))
    out = buf.getvalue()
    assert "collection summary" in out and "host_key_mismatch" in out and "hw1" in out


def test_strict_host_keys_without_a_known_hosts_file_fails_before_connecting(tmp_path: Path) -> None:
    fake = FakeCollector(_ok)
    with pytest.raises(InputError, match="known_hosts file not found"):
        collect(CITY, tmp_path / "cap", CollectOptions(known_hosts=tmp_path / "none"), Console(file=io.StringIO()),
                collectors=lambda s: {"netmiko": fake}, env=ENV)
    assert fake.asked == [] and not (tmp_path / "cap").exists()


def test_missing_credentials_fail_before_connecting(tmp_path: Path) -> None:
    fake = FakeCollector(_ok)
    with pytest.raises(InputError, match="NETCENSUS_DEFAULT_USERNAME"):
        collect(CITY, tmp_path / "cap", CollectOptions(host_keys="off", prompt=False), Console(file=io.StringIO()),
                collectors=lambda s: {"netmiko": fake}, env={})
    assert fake.asked == []


def test_a_second_run_into_the_same_directory_is_refused_while_the_first_goes_on(tmp_path: Path) -> None:
    refused: list[str] = []

    def behaviour(device: Device) -> RawOutputs:
        if device.name == "core1":
            try:
                _run(tmp_path, _inventory(_device("other")))
            except InputError as exc:
                refused.append(str(exc))
        return _ok(device)

    run, _ = _run(tmp_path, CITY, behaviour, workers=1)
    assert refused and "another netcensus collect" in refused[0]
    assert not run.failed
    again, _ = _run(tmp_path, CITY)  # the lock is released at the end
    assert not again.failed


def test_a_run_leaves_no_per_session_known_hosts_files_behind(tmp_path: Path) -> None:
    """Removed when the run ends, not when the policy is collected: an RQ job process ends with
    os._exit, which runs no finalizer (each shard left a folder in /tmp)."""
    session_files: list[Path] = []
    kept: list[SessionSettings] = []

    def factory(settings: SessionSettings):
        kept.append(settings)  # kept alive past the run, as a job process would exit holding it

        def behaviour(device: Device) -> RawOutputs:
            session_files.append(Path(settings.host_keys.connection_args(device.host, device.port)["alt_key_file"]))
            return _ok(device)

        return {"netmiko": FakeCollector(behaviour)}

    key = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    (tmp_path / "known_hosts").write_text(f"192.0.2.1 ssh-ed25519 {key}\n")
    run = collect(_inventory(_device("core1"), _device("acc1")), tmp_path / "cap",
                  CollectOptions(known_hosts=tmp_path / "known_hosts", parse=False), Console(file=io.StringIO()),
                  collectors=factory, env=ENV)
    assert run.manifest.summary() == {"ok": 2} and len(session_files) == 2
    assert all(p.parent != tmp_path for p in session_files)  # private copies, not the known_hosts itself
    assert not any(p.exists() or p.parent.exists() for p in session_files)
