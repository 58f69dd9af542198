"""INV005: a device not collected for more than N runs becomes a finding."""

from __future__ import annotations

from analysis.checks.stale import stale_devices
from analysis.context import AuditContext
from collectors.facts import DeviceFacts
from inventory.model import Device, Inventory, Site


def context(status: str, runs: int, limit: int = 3) -> AuditContext:
    inv = Inventory(sites={"s": Site(id="s", name="S", district="D")},
                    devices={"r1": Device(name="r1", host="192.0.2.1", platform="cisco_ios",
                                          department="it", site="s")})
    return AuditContext(inv, {"r1": DeviceFacts("r1", "cisco_ios", status=status)},
                        runs_since_success={"r1": runs}, stale_after_runs=limit)


def test_device_failing_longer_than_the_limit_is_stale() -> None:
    [finding] = stale_devices(context("timeout", runs=3))
    assert finding.key == "INV005:r1" and finding.args["runs"] == 4


def test_within_the_limit_or_collected_now_is_not_stale() -> None:
    assert list(stale_devices(context("timeout", runs=2))) == []
    assert list(stale_devices(context("ok", runs=10))) == []
    assert list(stale_devices(context("partial", runs=10))) == []


def test_devices_gone_from_the_inventory_are_not_reported() -> None:
    ctx = context("timeout", runs=9)
    ctx.runs_since_success = {"old-router": 9}
    assert list(stale_devices(ctx)) == []
