"""Addressing checks: overlaps between interconnecting networks, duplicate addresses, plan drift.

ADR001 overlapping prefixes between networks that share a routing table over the backbone;
ADR002 one address on two devices in the global table; ADR003 an address outside the
department's block in ``policy.address_plan``; ADR004 a network declared logically
isolated whose LAN addresses the evidence puts in the backbone's global table.

Only an interface's own data-plane addresses are compared (:func:`observed_addresses`):
management and internal ports, and addresses meant to be on several devices (first-hop
virtual IPs, anycast gateways and VTEPs), are left out; VRF names are canonical (``None``
is the global table whatever the vendor calls it).

Address space comes from the declared network prefixes and from the addresses observed
on interfaces. An observed address belongs to the network of the declared circuit whose
end port holds it; failing that, to the network among its device's networks whose
declared prefix holds it; failing that, to the device's only network other than the
backbone (or the backbone, when it is the device's only network); failing that, to none
(it is then used for ADR002 only).

Networks that do not interconnect are left out of ADR001: physically or logically
isolated and classified networks, unless ADR004 finds a logical one in the global table.
A network with a VRF shares addresses only with networks in the same VRF. Point-to-point
(/30, /31) and host (/32) subnets seen on interfaces are not compared: both ends of a
link between two networks share one.

Everything is sort-based, O(n log n) in the number of prefixes and addresses.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, collapse_addresses

# What the checks share (the address index, contradicted isolation) is derived once per
# audit by the context (AuditContext.address_index, .contradicted_isolation).
from analysis.addresses import (
    NetworkIndex,
    Observed,
    global_table_routes,
    interconnects,
    observed_addresses,
    parse_prefix,
)
from analysis.context import AuditContext
from analysis.findings import Evidence, Finding, Severity
from analysis.registry import check, spec
from inventory.model import Inventory

__all__ = ["Claim", "overlapping_pairs"]

#: Evidence examples kept per finding.
_EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class Claim:
    """A network's claim on address space, with where it comes from."""

    network: str
    domain: str  # routing table: "" global, else the VRF name
    prefix: IPv4Network
    source: str
    detail: str


class _CaptureSources:
    """The capture file that shows a device's interface addresses, looked up once per device."""

    def __init__(self, ctx: AuditContext) -> None:
        self._ctx = ctx
        self._known: dict[str, str] = {}

    def __call__(self, device: str) -> str:
        source = self._known.get(device)
        if source is None:
            source = self._known[device] = self._lookup(device)
        return source

    def _lookup(self, device: str) -> str:
        return self._ctx.fact_source(device, "addresses", "interfaces")


def _claims(ctx: AuditContext, contradicted: Iterable[str] = ()) -> list[Claim]:
    """Declared and observed claims of interconnecting networks, one per (domain, prefix, network).

    ``contradicted`` networks are declared isolated but observed in the global table on
    the way to the backbone (ADR004): they are judged on that evidence, in the global table.
    """
    inventory, index = ctx.inventory, ctx.address_index
    capture_source = _CaptureSources(ctx)
    observed_global = set(contradicted)
    claims: dict[tuple[str, IPv4Network, str], Claim] = {}
    for net in inventory.networks.values():
        if not interconnects(net) and net.id not in observed_global:
            continue
        home = "" if net.id in observed_global else net.vrf or ""
        for prefix in index.prefixes[net.id]:
            key = (home, prefix, net.id)
            claims.setdefault(key, Claim(net.id, key[0], prefix, inventory.source("networks", net.id),
                                         f"network {net.id} declares {prefix}"))
    seen: set[tuple[str, int, int, str]] = set()
    for obs in observed_addresses(ctx.facts):
        if obs.prefixlen >= 30:
            continue  # link nets and host routes: shared by design between the two ends
        net_id = index.network_of(obs.device, obs.ip, obs.interface)
        net = inventory.networks.get(net_id or "")
        if net is None or not (interconnects(net) or net.id in observed_global):
            continue
        domain = obs.vrf or ("" if net.id in observed_global else net.vrf) or ""
        first, length = obs.subnet
        if (domain, first, length, net.id) in seen:
            continue
        seen.add((domain, first, length, net.id))
        subnet = IPv4Network((first, length))
        claims.setdefault((domain, subnet, net.id), Claim(
            net.id, domain, subnet, capture_source(obs.device),
            f"{obs.device} {obs.interface} has {obs.with_prefixlen} (network {net.id})"))
    return list(claims.values())


def overlapping_pairs(claims: Iterable[Claim], *, aggregate: str | None = None
                      ) -> dict[tuple[str, str], list[tuple[Claim, Claim]]]:
    """Pairs of networks whose claims overlap in one routing domain, with the claim pairs.

    CIDR prefixes are either nested or disjoint, so one sweep in address order with a
    stack of the enclosing prefixes finds every overlap: O(n log n) plus the output.
    ``aggregate`` names a network (the backbone) whose prefixes may strictly contain other
    networks' prefixes without it being an overlap (a summary of what it carries).

    >>> c = lambda net, p: Claim(net, "", IPv4Network(p), "x", "y")
    >>> sorted(overlapping_pairs([c("a", "10.0.0.0/16"), c("b", "10.0.5.0/24"), c("c", "10.1.0.0/16")]))
    [('a', 'b')]
    """
    by_domain: dict[str, list[Claim]] = {}
    for claim in claims:
        by_domain.setdefault(claim.domain, []).append(claim)
    pairs: dict[tuple[str, str], list[tuple[Claim, Claim]]] = {}
    for domain_claims in by_domain.values():
        domain_claims.sort(key=lambda c: (int(c.prefix.network_address), -int(c.prefix.broadcast_address),
                                          c.network))
        stack: list[Claim] = []
        for claim in domain_claims:
            start = int(claim.prefix.network_address)
            while stack and int(stack[-1].prefix.broadcast_address) < start:
                stack.pop()
            for outer in stack:  # each encloses (or equals) this claim
                if outer.network == claim.network:
                    continue
                if outer.network == aggregate and outer.prefix != claim.prefix:
                    continue
                key = tuple(sorted((outer.network, claim.network)))
                examples = pairs.setdefault(key, [])  # type: ignore[arg-type]
                if len(examples) < _EXAMPLES:
                    examples.append((outer, claim))
            stack.append(claim)
    return pairs


@check("ADR001", "addressing", Severity.HIGH, "overlapping prefixes")
def overlapping_prefixes(ctx: AuditContext) -> Iterable[Finding]:
    """Overlapping prefixes between networks that must interconnect over the backbone."""
    pairs = overlapping_pairs(_claims(ctx, ctx.contradicted_isolation), aggregate=ctx.inventory.policy.backbone)
    for (a, b), examples in sorted(pairs.items()):
        evidence = []
        for x, y in examples:
            evidence += [Evidence(x.source, x.detail), Evidence(y.source, y.detail)]
        yield spec("ADR001").finding(
            subjects=(a, b),
            evidence=list(dict.fromkeys(evidence)),
            networks=[a, b], prefixes=[[str(x.prefix), str(y.prefix)] for x, y in examples],
            overlaps=[{"prefix": str(x.prefix), "network": x.network,
                       "other_prefix": str(y.prefix), "other_network": y.network} for x, y in examples],
            vrf=examples[0][0].domain or None,
        )


def _route_text(routed: dict[str, str | None], device: str) -> str:
    """``tax-r1 -> agg1 -> core1``: the global-table path from a device to the backbone."""
    chain = [device]
    while routed.get(chain[-1]) is not None and len(chain) < 50:
        chain.append(routed[chain[-1]])  # type: ignore[arg-type]
    return " -> ".join(chain)


@check("ADR004", "addressing", Severity.MEDIUM, "declared isolation contradicted")
def isolation_contradicted(ctx: AuditContext) -> Iterable[Finding]:
    """Network declared logically isolated (VRF/MPLS) whose LANs are in the global table joined to the backbone."""
    inventory = ctx.inventory
    contradicted = ctx.contradicted_isolation
    if not contradicted:
        return
    routed = global_table_routes(inventory, ctx.graph, ctx.facts)
    capture_source = _CaptureSources(ctx)
    for net_id, found in sorted(contradicted.items()):
        net = inventory.networks[net_id]
        devices = sorted({o.device for o in found})
        declared = f"VRF {net.vrf}" if net.vrf else "a VRF or MPLS VPN"
        evidence = [Evidence(inventory.source("networks", net_id),
                             f"network {net_id}: isolation logical ({declared})")]
        evidence += [Evidence(capture_source(o.device),
                              f"{o.device} {o.interface} has {o.with_prefixlen} in the global table")
                     for o in found[:_EXAMPLES]]
        evidence += [Evidence("graph l3 edges", f"routed in the global table to the backbone: "
                                                 f"{_route_text(routed, d)}") for d in devices[:_EXAMPLES]]
        yield spec("ADR004").finding(
            subjects=(net_id,),
            evidence=evidence,
            network=net_id, vrf=net.vrf, devices=devices, addresses=[o.with_prefixlen for o in found],
            examples=[{"device": o.device, "interface": o.interface, "address": o.with_prefixlen}
                      for o in found[:_EXAMPLES]],
        )


@check("ADR002", "addressing", Severity.HIGH, "duplicate address")
def duplicate_addresses(ctx: AuditContext) -> Iterable[Finding]:
    """One IP address configured on two or more devices in the global routing table."""
    index = ctx.address_index
    capture_source = _CaptureSources(ctx)
    contradicted = set(ctx.contradicted_isolation)  # judged on what is observed (ADR004)
    holders: dict[int, list[Observed]] = {}
    for obs in observed_addresses(ctx.facts, unmasked=True):
        if obs.vrf is None:
            holders.setdefault(obs.ip, []).append(obs)
    reported: set[int] = set()
    for ip in sorted(holders):
        found = holders[ip]
        if len({o.device for o in found}) < 2:
            continue
        # An isolated network keeps its own address space: only interconnecting holders count.
        found = [o for o in found if _interconnecting(ctx, index, o, contradicted)]
        devices = sorted({o.device for o in found})
        if len(devices) < 2:
            continue
        reported.add(ip)
        address = IPv4Address(ip)
        # Without evidence of VRF membership (no configuration, no VRF-listing command) an
        # interface in a customer VRF looks global: a PE's end of a customer link is often
        # reused in every VRF. Still worth checking, but not as a certain duplicate.
        unknown = sorted({o.device for o in found if not o.vrf_known})
        extra = {"vrf_unknown": unknown} if unknown else {}  # worded as "collect their VRFs first"
        yield spec("ADR002").finding(
            subjects=(str(address),),
            evidence=[Evidence(capture_source(o.device), f"{o.device} {o.interface} has {o.with_prefixlen}"
                               + ("" if o.vrf_known else " (VRF not shown by the evidence)")) for o in found],
            severity=Severity.MEDIUM if unknown else None,
            address=str(address), devices=devices, **extra,
        )
    yield from _duplicate_management_addresses(ctx, capture_source, reported)


def _duplicate_management_addresses(ctx: AuditContext, capture_source: _CaptureSources,
                                    reported: set[int]) -> Iterator[Finding]:
    """ADR002 at low severity: one address on the management ports of two devices in one VRF.

    Management ports live in an out-of-band network or a management VRF, not in the
    routing table the backbone joins, so they are never compared with data-plane
    addresses. Inside one management VRF (the same label; the global table is one more)
    a duplicate still makes one of the two devices unmanageable: a real conflict, but not
    one that breaks the network's traffic. Chassis-internal ports (Junos ``bme0``,
    ``jsrv``, 128.0.0.0/2) are the same on every box by design and are never compared.
    """
    groups: dict[tuple[int, str], list[Observed]] = {}
    for obs in observed_addresses(ctx.facts, plane="management", unmasked=True):
        groups.setdefault((obs.ip, (obs.vrf or "").lower()), []).append(obs)
    for (ip, _vrf), found in sorted(groups.items()):
        devices = sorted({o.device for o in found})
        if len(devices) < 2 or ip in reported:
            continue
        reported.add(ip)
        address = IPv4Address(ip)
        yield spec("ADR002").finding(
            subjects=(str(address),),
            evidence=[Evidence(capture_source(o.device),
                               f"{o.device} {o.interface} (management) has {o.with_prefixlen}") for o in found],
            severity=Severity.LOW,
            address=str(address), devices=devices, management_vrf=found[0].vrf or "global",
            vrf=found[0].vrf or None,  # None: the global table
        )


def _interconnecting(ctx: AuditContext, index: NetworkIndex, obs: Observed,
                     contradicted: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether an address's network shares the backbone's table: declared so, or observed so."""
    net = ctx.inventory.networks.get(index.network_of(obs.device, obs.ip, obs.interface) or "")
    return net is None or interconnects(net) or net.id in contradicted


def _plan(inventory: Inventory) -> dict[str, tuple[list[int], list[int], list[IPv4Network]]]:
    """Department -> its allocated blocks merged into disjoint, sorted (starts, ends, blocks)."""
    out = {}
    for department, texts in inventory.policy.address_plan.items():
        blocks = sorted(collapse_addresses(p for p in map(parse_prefix, texts) if p is not None))
        out[department] = ([int(p.network_address) for p in blocks],
                           [int(p.broadcast_address) for p in blocks], blocks)
    return out


def _inside(blocks: tuple[list[int], list[int], list[IPv4Network]], ip: int) -> bool:
    """Whether an address lies in one of the disjoint sorted blocks (bisection)."""
    starts, ends, _ = blocks
    k = bisect.bisect_right(starts, ip) - 1
    return k >= 0 and ends[k] >= ip


def _exempt_networks(inventory: Inventory) -> set[str]:
    """Networks whose addresses follow someone else's plan: the backbone, mandated, isolated."""
    out = {n.id for n in inventory.networks.values()
           if n.mandated_by or n.isolation == "physical" or n.kind == "classified"}
    if inventory.policy.backbone:
        out.add(inventory.policy.backbone)
    return out


@check("ADR003", "addressing", Severity.LOW, "address outside the plan")
def outside_address_plan(ctx: AuditContext) -> Iterable[Finding]:
    """Address outside the department's allocated block in the address plan."""
    inventory = ctx.inventory
    plan = _plan(inventory)
    if not plan:
        return
    index = ctx.address_index
    exempt = _exempt_networks(inventory)
    policy_source = inventory.source("policy", "policy")
    capture_source = _CaptureSources(ctx)
    allocations = {dep: [str(p) for p in blocks[2]] for dep, blocks in plan.items()}
    for obs in sorted(observed_addresses(ctx.facts, unmasked=True), key=lambda o: (o.device, o.ip, o.interface)):
        dev = inventory.devices.get(obs.device)
        if dev is None or index.in_backbone(obs.ip):
            continue
        net_id = index.network_of(obs.device, obs.ip, obs.interface)
        if net_id in exempt:
            continue
        # An address in another department's network (a shared line's router) is that
        # department's allocation: judge it by the network owner's block.
        net = inventory.networks.get(net_id or "")
        department = net.department if net is not None else dev.department
        blocks = plan.get(department)
        if blocks is None or _inside(blocks, obs.ip):
            continue
        allocated = ", ".join(allocations[department]) or "nothing"  # for the evidence
        address = obs.with_prefixlen
        yield spec("ADR003").finding(
            subjects=(obs.device, address),
            evidence=[Evidence(capture_source(obs.device), f"{obs.device} {obs.interface} has {address}"
                               + (f" (network {net_id})" if net_id else "")),
                      Evidence(policy_source, f"address plan: {department} -> {allocated}")],
            device=obs.device, interface=obs.interface, address=address, network=net_id,
            department=department, allocated=allocations[department],
        )
