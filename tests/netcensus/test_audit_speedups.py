"""Behaviour kept by the speed-ups: what the run digests mean, the collector's state."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from analysis.registry import run_checks, selected_checks
from collectors.facts import CommandProblem, DeviceFacts, DeviceInfo, Interface, Neighbour
from inventory.loader import load_inventory
from netcensus import job
from netcensus.forkshare import WorkerError
from netcensus.history import facts_digest, inventory_digest, run_record
from netcensus.job import write_reports
from netcensus.pipeline import audit, paused_gc, prepare, run_checks_shared
from netcensus.sample import SampleCity


def test_facts_digest_is_the_sha256_of_the_facts_json_in_device_order(sample_city: SampleCity) -> None:
    """The digest names what a run saw: equal facts, equal digest; any changed field, another one."""
    result = audit(sample_city.inventory_dir, sample_city.captures_dir)
    odd = DeviceFacts("odd", "cisco_ios", status="partial", info=DeviceInfo(hostname="odd", serial="X1"),
                      interfaces=(Interface("Gi0/1", "uplink «北»", True, False, 1000.0, ("10.0.0.1/30",), "mgmt"),),
                      neighbours=(Neighbour("Gi0/1", "core1", "Gi0/2", None, "cdp"),),
                      config="hostname odd\n", problems=(CommandProblem("show cdp", "empty", "no output"),))
    result.facts["odd"] = odd
    ordered = dict(sorted(result.facts.items()))
    expected = hashlib.sha256(TypeAdapter(dict[str, DeviceFacts]).dump_json(ordered)).hexdigest()
    assert run_record(result).facts_digest == facts_digest(result.facts) == expected
    assert facts_digest(dict(reversed(list(result.facts.items())))) == expected
    changed = dataclasses.replace(odd, interfaces=(dataclasses.replace(odd.interfaces[0], speed_mbps=100.0),))
    assert facts_digest({**result.facts, "odd": changed}) != expected
    # The JSON holds every field: the non-ASCII description is in it as text.
    assert "uplink «北»".encode() in TypeAdapter(dict[str, DeviceFacts]).dump_json(ordered)


def test_inventory_digest_ignores_file_order_and_sources_not_content(sample_city: SampleCity) -> None:
    inv = load_inventory(sample_city.inventory_dir)
    shuffled = dataclasses.replace(inv, devices=dict(reversed(list(inv.devices.items()))), sources={})
    assert inventory_digest(shuffled) == inventory_digest(inv)
    name, device = next(iter(inv.devices.items()))
    edited = dataclasses.replace(inv, devices={**inv.devices, name: device.model_copy(update={"host": "192.0.2.99"})})
    assert inventory_digest(edited) != inventory_digest(inv)


def test_paused_gc_restores_the_collector() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("a failed audit")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_checks_shared_with_a_fork_find_what_one_process_finds(sample_city: SampleCity) -> None:
    here = prepare(sample_city.inventory_dir, sample_city.captures_dir)
    shared = prepare(sample_city.inventory_dir, sample_city.captures_dir)
    checks = selected_checks()
    expected = run_checks(here, checks)
    assert run_checks_shared(shared, checks, processes=2) == expected
    assert expected  # the sample city has planted findings
    # The room plan the reports show comes back from whichever process computed it.
    assert shared.computed(["room_plan"])["room_plan"] == here.room_plan


def test_reports_shared_with_a_fork_are_the_reports_of_one_process(
        sample_city: SampleCity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = audit(sample_city.inventory_dir, sample_city.captures_dir)
    alone = write_reports(result, tmp_path / "alone", "en")
    monkeypatch.setattr(job, "SHARE_MIN_DEVICES", 0)  # the sample city is below the threshold
    shared = write_reports(result, tmp_path / "shared", "en")
    assert [p.name for p in shared] == [p.name for p in alone]
    for a, s in zip(alone, shared, strict=True):
        if a.suffix in (".graphml", ".csv") or a.name.endswith("graph.json"):  # no timestamps in these
            assert a.read_bytes() == s.read_bytes(), a.name
        assert s.stat().st_size > 0
    assert not list((tmp_path / "shared").glob(".rendering-*"))  # the staging folder is gone


def test_a_background_report_that_fails_keeps_the_previous_reports(
        sample_city: SampleCity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reports import registry

    result = audit(sample_city.inventory_dir, sample_city.captures_dir)
    previous = write_reports(result, tmp_path, "en")
    before = {p.name: p.read_bytes() for p in previous}

    def broken(result, out_dir, options):
        (out_dir / "half.graphml").write_text("<graphml", encoding="utf-8")
        raise OSError("No space left on device")

    monkeypatch.setitem(registry.FORMATS.available, "broken", broken)
    monkeypatch.setattr(registry, "HISTORY_FREE", registry.HISTORY_FREE | {"broken"})
    monkeypatch.setattr(job, "SHARE_MIN_DEVICES", 0)  # the background path
    with pytest.raises(WorkerError, match="No space left on device"):
        write_reports(result, tmp_path, "en")
    assert {p.name: p.read_bytes() for p in previous} == before
    assert not (tmp_path / "half.graphml").exists()
    assert not list(tmp_path.glob(".rendering-*"))


def test_the_room_plan_checks_are_shared_out_first(sample_city: SampleCity, monkeypatch: pytest.MonkeyPatch) -> None:
    """The MILP is the longest task: started last, it would finish last, alone."""
    import netcensus.pipeline as pipeline

    seen: list[list[str]] = []

    def record(tasks, run, processes):
        seen.extend([s.code for s in group] for group in tasks)
        return [run(t) for t in tasks]

    monkeypatch.setattr(pipeline, "share_out", record)
    ctx = prepare(sample_city.inventory_dir, sample_city.captures_dir)
    checks = selected_checks()
    assert run_checks_shared(ctx, checks, processes=2) == run_checks(prepare(sample_city.inventory_dir,
                                                                             sample_city.captures_dir), checks)
    assert seen[0] == ["ROM001", "ROM002"]
    assert sorted(code for group in seen for code in group) == sorted(s.code for s in checks)
