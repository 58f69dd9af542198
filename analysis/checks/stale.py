"""INV005: a device not collected for more than N recorded runs (needs the history store)."""

from __future__ import annotations

from collections.abc import Iterator

from analysis.context import AuditContext
from analysis.findings import Evidence, Finding, Severity
from analysis.registry import check, spec


@check("INV005", "inventory", Severity.MEDIUM, "stale-device")
def stale_devices(ctx: AuditContext) -> Iterator[Finding]:
    """Declared device not collected successfully for more than N runs (stale)."""
    me = spec("INV005")
    for device, runs in sorted(ctx.runs_since_success.items()):
        collected_now = ctx.facts.get(device) is not None and ctx.facts[device].status in ("ok", "partial")
        if device in ctx.inventory.devices and not collected_now and runs + 1 > ctx.stale_after_runs:
            yield me.finding(
                subjects=(device,),
                evidence=[Evidence(ctx.inventory.source("devices", device),
                                   f"{runs + 1} consecutive runs without a successful collection")],
                device=device, runs=runs + 1, limit=ctx.stale_after_runs,
            )
