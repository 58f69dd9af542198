"""Reconciliation of declared devices with what they say they are (docs/checks.md, "inventory").

INV006 a declared device whose observed hostname or serial disagrees with its entry;
INV007 one physical device (one serial number) declared under several names.

Discovery never overwrites the inventory: a disagreement is reported for the people who
keep the inventory to decide (DESIGN.md section 5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from analysis.checks.inventory import USABLE_STATUSES, command_source
from analysis.context import AuditContext
from analysis.findings import Evidence, Finding, Severity
from analysis.registry import check, spec
from collectors.normalise import device_name, engine_base


def _normal_serial(serial: str | None) -> str:
    return (serial or "").strip().upper()


def _hostname_key(name: str, platform: str) -> str:
    """The match key of a reported hostname, a Junos routing-engine suffix left out: a
    dual-RE chassis reports its master engine's name (``mx1-re0``), still the device ``mx1``.

    >>> _hostname_key("QS-MX1-RE0.county.cn", "juniper_junos"), _hostname_key("core-re1", "cisco_ios")
    ('qs-mx1', 'core-re1')
    """
    key = device_name(name)
    return engine_base(platform, key) or key


@check("INV006", "inventory", Severity.LOW, "declared-observed-mismatch")
def declared_observed_mismatch(ctx: AuditContext) -> Iterator[Finding]:
    """Declared device whose observed hostname or serial number differs from its inventory entry."""
    me = spec("INV006")
    for name, device in sorted(ctx.inventory.devices.items()):
        facts = ctx.facts.get(name)
        if facts is None or facts.status not in USABLE_STATUSES:
            continue
        observed = {
            # names compare as match keys: case and domain suffix do not count
            "hostname": (_hostname_key(name, device.platform),
                         _hostname_key(facts.info.hostname or "", device.platform), facts.info.hostname),
            "serial": (_normal_serial(device.serial), _normal_serial(facts.info.serial), facts.info.serial),
        }
        for field, (declared_key, seen_key, seen) in observed.items():
            if not declared_key or not seen_key or declared_key == seen_key:
                continue
            declared = name if field == "hostname" else device.serial
            yield me.finding(
                subjects=(name, field),
                evidence=[Evidence(ctx.inventory.source("devices", name), f"declared {field}: {declared}"),
                          Evidence(command_source(ctx, name, "facts"), f"observed {field}: {seen}")],
                device=name, field=field, declared=declared, observed=seen,
            )


@check("INV007", "inventory", Severity.MEDIUM, "one-device-declared-twice")
def one_device_declared_twice(ctx: AuditContext) -> Iterator[Finding]:
    """One serial number observed on several declared devices: one box, several entries."""
    me = spec("INV007")
    by_serial: dict[str, list[str]] = defaultdict(list)
    for name, facts in ctx.facts.items():
        serial = _normal_serial(facts.info.serial)
        if serial and facts.status in USABLE_STATUSES and name in ctx.inventory.devices:
            by_serial[serial].append(name)
    for serial, names in sorted(by_serial.items()):
        if len(names) < 2:
            continue
        names = sorted(names)
        hosts = sorted({ctx.inventory.devices[n].host for n in names})
        yield me.finding(
            subjects=(serial,),
            evidence=[Evidence(ctx.inventory.source("devices", n),
                               f"{n} at {ctx.inventory.devices[n].host} reports serial {serial}") for n in names],
            serial=serial, devices=names, hosts=hosts,
        )
