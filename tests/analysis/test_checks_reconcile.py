"""INV006/INV007: declared devices against what they say they are."""

from __future__ import annotations

from analysis.checks.reconcile import declared_observed_mismatch, one_device_declared_twice
from analysis.context import AuditContext
from collectors.facts import DeviceFacts, DeviceInfo
from inventory.model import Device, Inventory, Site


def ctx_for(devices: dict[str, dict], seen: dict[str, DeviceInfo], status: str = "ok") -> AuditContext:
    inv = Inventory(
        sites={"s": Site(id="s", name="S", district="D")},
        devices={n: Device(name=n, host=f"192.0.2.{i + 1}", platform="cisco_ios", department="it",
                           site="s", **extra) for i, (n, extra) in enumerate(devices.items())})
    return AuditContext(inv, {n: DeviceFacts(n, "cisco_ios", status=status, info=info) for n, info in seen.items()})


def test_serial_and_hostname_disagreements_are_reported() -> None:
    ctx = ctx_for({"core1": {"serial": "FOC111"}, "core2": {}},
                  {"core1": DeviceInfo(hostname="core1", serial="FOC999"),
                   "core2": DeviceInfo(hostname="edge7.city.gov.cn")})
    found = {f.key: f for f in declared_observed_mismatch(ctx)}
    assert set(found) == {"INV006:core1|serial", "INV006:core2|hostname"}
    assert found["INV006:core1|serial"].args["observed"] == "FOC999"


def test_case_domain_and_unknown_values_are_not_disagreements() -> None:
    ctx = ctx_for({"Core1": {"serial": "foc111"}, "core2": {"serial": "FOC222"}},
                  {"Core1": DeviceInfo(hostname="CORE1.city.gov.cn", serial="FOC111"),
                   "core2": DeviceInfo(hostname=None, serial=None)})
    assert list(declared_observed_mismatch(ctx)) == []


def test_failed_collections_are_not_judged() -> None:
    ctx = ctx_for({"core1": {"serial": "FOC111"}}, {"core1": DeviceInfo(serial="OTHER")}, status="parse_failed")
    assert list(declared_observed_mismatch(ctx)) == []


def test_one_serial_on_two_entries() -> None:
    ctx = ctx_for({"sw-a": {}, "sw-b": {}, "sw-c": {}},
                  {"sw-a": DeviceInfo(serial="ABC"), "sw-b": DeviceInfo(serial="abc"),
                   "sw-c": DeviceInfo(serial="XYZ")})
    [finding] = one_device_declared_twice(ctx)
    assert finding.key == "INV007:ABC" and finding.args["devices"] == ["sw-a", "sw-b"]
    assert [e.source for e in finding.evidence] == ["devices/sw-a", "devices/sw-b"]


def test_evidence_cites_the_file_the_facts_were_read_from() -> None:
    inv = Inventory(sites={"s": Site(id="s", name="S", district="D")},
                    devices={"eos1": Device(name="eos1", host="192.0.2.7", platform="arista_eos",
                                            department="it", site="s")})
    from core.platforms import PLATFORMS

    json_cmd, text_cmd = PLATFORMS["arista_eos"].command("facts")[:2]
    text_only = AuditContext(inv, {"eos1": DeviceFacts("eos1", "arista_eos", read=(text_cmd.command,))})
    assert text_only.fact_source("eos1", "facts").endswith(text_cmd.command.replace(" ", "_") + ".txt")
    json_read = AuditContext(inv, {"eos1": DeviceFacts("eos1", "arista_eos", read=(json_cmd.command,))})
    assert json_read.fact_source("eos1", "facts") != text_only.fact_source("eos1", "facts")
    assert json_read.fact_source("eos1", "nothing-such") == "devices/eos1"
