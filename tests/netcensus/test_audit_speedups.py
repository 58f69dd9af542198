"""Behaviour kept by the speed-ups: the facts digest's definition, the collector's state."""

from __future__ import annotations

import dataclasses
import gc
import json

import pytest

from collectors.facts import CommandProblem, DeviceFacts, DeviceInfo, Interface, Neighbour
from netcensus.history import run_record
from netcensus.pipeline import audit, paused_gc
from netcensus.sample import SampleCity
from netcensus.store import digest


def test_facts_digest_is_the_sha256_of_the_facts_as_sorted_json(sample_city: SampleCity) -> None:
    """Stored runs compare digests across versions: the definition must not drift."""
    result = audit(sample_city.inventory_dir, sample_city.captures_dir)
    odd = DeviceFacts("odd", "cisco_ios", status="partial", info=DeviceInfo(hostname="odd", serial="X1"),
                      interfaces=(Interface("Gi0/1", "uplink «北»", True, False, 1000.0, ("10.0.0.1/30",), "mgmt"),),
                      neighbours=(Neighbour("Gi0/1", "core1", "Gi0/2", None, "cdp"),),
                      config="hostname odd\n", problems=(CommandProblem("show cdp", "empty", "no output"),))
    result.facts["odd"] = odd
    expected = json.dumps({n: dataclasses.asdict(f) for n, f in sorted(result.facts.items())},
                          sort_keys=True, ensure_ascii=False, default=str)
    assert run_record(result).facts_digest == digest(expected)


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
