"""Reconciliation of what was declared with what was seen (docs/checks.md, "inventory").

INV001 undeclared neighbour, INV002 declared device with no usable capture,
INV003 zombie line, INV004 inter-site link with no circuit record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from analysis.context import AuditContext
from analysis.costs import cancellation
from analysis.findings import Evidence, Finding, Severity
from analysis.lineplan import authority_of, is_classified
from analysis.registry import check, spec
from core.platforms import FactKind
from inventory.model import Circuit

#: Collection outcomes that leave nothing to audit. "partial" is usable: some commands parsed.
USABLE_STATUSES = ("ok", "partial")


def command_source(ctx: AuditContext, device: str, kind: FactKind) -> str:
    """Evidence source of a device's output of one fact kind (its capture file)."""
    return ctx.fact_source(device, kind)


@check("INV001", "inventory", Severity.MEDIUM, "undeclared-device")
def undeclared_devices(ctx: AuditContext) -> Iterator[Finding]:
    """Device seen as an LLDP/CDP neighbour but absent from the inventory."""
    me = spec("INV001")
    G = ctx.graph
    for node, data in sorted(G.nodes(data=True)):
        if data.get("kind") != "device" or data.get("declared", True):
            continue
        name = data["id"]
        evidence, seen_by = [], []
        for _, _, edge in sorted(G.edges(node, data=True), key=lambda e: sorted(e[2].get("ports", {}).items())):
            if edge.get("kind") != "link":
                continue
            for reporter in edge["reported_by"]:
                port = edge["ports"][reporter]
                protocols = sorted(edge["protocols"])
                seen_by.append(f"{reporter}:{port}")
                evidence.append(Evidence(
                    command_source(ctx, reporter, protocols[0]),
                    f"{reporter} port {port} sees {data.get('advertised_name') or name}"
                    f"{' (' + data['address'] + ')' if data.get('address') else ''}"
                    f" port {edge['ports'].get(name, '?')} via {'/'.join(p.upper() for p in protocols)}"))
        yield me.finding(
            subjects=(name,),
            evidence=evidence,
            device=name, advertised_name=data.get("advertised_name"), address=data.get("address"),
            seen_by=seen_by, site=data.get("site"),
        )


@check("INV002", "inventory", Severity.MEDIUM, "no-usable-capture")
def devices_without_capture(ctx: AuditContext) -> Iterator[Finding]:
    """Declared device with no usable capture (not collected, or nothing parsed)."""
    me = spec("INV002")
    for name in sorted(ctx.inventory.devices):
        f = ctx.facts.get(name)
        status = f.status if f else "missing"
        if status in USABLE_STATUSES:
            continue
        why = (f.error if f and f.error else None) or "; ".join(str(p) for p in (f.problems if f else ())) \
            or "no capture"
        folder = f"{ctx.captures}/{name}/" if ctx.captures else f"{name}/"
        yield me.finding(
            subjects=(name,),
            evidence=[Evidence(ctx.inventory.source("devices", name), f"{name} is declared"),
                      Evidence(folder, why)],
            device=name, status=status, error=why,
        )


@check("INV003", "inventory", Severity.HIGH, "zombie-line")
def zombie_lines(ctx: AuditContext) -> Iterator[Finding]:
    """Zombie line: declared (and billed) but seen down at both ends."""
    me = spec("INV003")
    plan = ctx.line_plan
    for cid in plan.zombies:
        c = ctx.inventory.circuits[cid]
        evidence = [Evidence(ctx.inventory.source("circuits", cid),
                             f"{cid}: {c.carrier} {c.bandwidth_mbps:g} Mbit/s, "
                             f"{c.yearly_cost_cny:,.0f} CNY/year")]
        for end in (c.a, c.z):
            evidence.append(Evidence(command_source(ctx, end.device or "", "interfaces"),
                                     f"{end.device} {end.interface} is down"))
        saving, advice = _zombie_advice(ctx, c)
        yield me.finding(
            subjects=(cid,),
            evidence=evidence,
            saving_cny_per_year=saving,
            circuit=cid, sites=[c.a.site, c.z.site], yearly_cost_cny=c.yearly_cost_cny,
            bandwidth_mbps=c.bandwidth_mbps, department=c.department, **advice,
        )


def _zombie_advice(ctx: AuditContext, c: Circuit) -> tuple[float | None, dict[str, Any]]:
    """Saving and advice args of a zombie line: cancel it, unless it may not be touched.

    ``zombie`` names the advice (``arg.zombie.*`` in the finding catalogue).
    """
    if is_classified(ctx.inventory, c):
        return None, {"zombie": "classified"}
    authority = authority_of(ctx.inventory, c)
    if authority:
        return None, {"zombie": "mandated", "authority": authority}
    return c.yearly_cost_cny, {"zombie": "cancel", **cancellation_args(c, ctx)}


def cancellation_args(c: Circuit, ctx: AuditContext) -> dict[str, Any]:
    """How to cancel a line, as finding args: at its contract end, or now when the early fee
    costs less. ``cancel`` names the advice (``arg.cancel.*`` in the finding catalogue):
    ``early``, ``notice_missed``, ``at_end`` or ``notice``; the others are its facts."""
    plan = cancellation(c, ctx.today)
    if plan.early:
        how = "early"
    elif plan.notice_missed:
        how = "notice_missed"
    elif c.contract_end and c.contract_end > ctx.today:
        how = "at_end"
    else:
        how = "notice"
    return {"cancel": how, "cancel_effective": str(plan.effective), "cancel_notice_by": str(plan.notice_by),
            "cancel_fee_cny": plan.early_termination_cny, "cancel_owed_cny": round(plan.remaining_cny, 2),
            "contract_end": str(c.contract_end) if c.contract_end else None, "notice_days": c.notice_days}


@check("INV004", "inventory", Severity.LOW, "unrecorded-link")
def unrecorded_links(ctx: AuditContext) -> Iterator[Finding]:
    """Inter-site link seen (LLDP/CDP or a shared /30) with no circuit record."""
    me = spec("INV004")
    S = ctx.site_graph
    loose_pairs = {c.site_pair for c in ctx.inventory.circuits.values()
                   if not (c.a.interface and c.z.interface and c.a.device and c.z.device)}
    seen: dict[tuple[str, str], list[Evidence]] = {}
    for u, v, _key, d in sorted(S.edges(keys=True, data=True), key=lambda e: e[2]):
        if d.get("kind") not in ("link", "l3") or d.get("circuit"):
            continue
        pair = (u, v) if u <= v else (v, u)
        if pair in loose_pairs:  # a declared line not pinned to ports may well be this one
            continue
        ports = ", ".join(f"{dev} {port}" for dev, port in sorted(d["ports"].items()))
        if d["kind"] == "link":
            reporter = d["reported_by"][0]
            detail = f"{'/'.join(sorted(p.upper() for p in d['protocols']))} link {ports}"
            source = command_source(ctx, reporter, min(d["protocols"]))
        else:
            reporter = min(d["ports"])
            detail = f"shared subnet {d['subnet']}: {ports}"
            source = command_source(ctx, reporter, "interfaces")
        seen.setdefault(pair, []).append(Evidence(source, detail))
    for (a, b), evidence in sorted(seen.items()):
        yield me.finding(
            subjects=(a, b),
            evidence=evidence,
            sites=[a, b], observations=len(evidence),
        )
