"""INV005: a device not collected for more than N runs becomes a finding."""

from __future__ import annotations

import dataclasses

from support.citybuild import city, device, facts
from support.citybuild import context as build_context

from analysis.checks.stale import stale_devices
from analysis.context import AuditContext


def context(status: str, runs: int, limit: int = 3) -> AuditContext:
    inv = city(devices=[device("r1", "s", host="192.0.2.1")])
    return build_context(inv, [facts("r1", status=status)], runs_since_success={"r1": runs},
                         stale_after_runs=limit)


def test_device_failing_longer_than_the_limit_is_stale() -> None:
    [finding] = stale_devices(context("timeout", runs=3))
    assert finding.key == "INV005:r1" and finding.args["runs"] == 4


def test_within_the_limit_or_collected_now_is_not_stale() -> None:
    assert list(stale_devices(context("timeout", runs=2))) == []
    assert list(stale_devices(context("ok", runs=10))) == []
    assert list(stale_devices(context("partial", runs=10))) == []


def test_devices_gone_from_the_inventory_are_not_reported() -> None:
    ctx = dataclasses.replace(context("timeout", runs=9), runs_since_success={"old-router": 9})
    assert list(stale_devices(ctx)) == []
