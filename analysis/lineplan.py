"""The leased-line plan shared by the inventory and lines checks.

One computation per audit decides which lines go, so that no line's saving is
counted twice and the cancellations hold all together:

1. zombie lines (seen down at both ends) go: INV003;
2. lines the rest of the network can carry go, most expensive first, each one's
   traffic routed on the spare capacity left by the previous ones: LIN003;
3. parallel lines that remain are merged: LIN001 (in :mod:`analysis.checks.lines`).

Never proposed: a line of a physically isolated (classified) network, a line of
a network mandated by a higher authority (those get LIN006), a bridge of the site
graph. Lines of those networks carry no one else's traffic either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from analysis.flow import EPSILON, Route, SpareCapacity
from analysis.measurements import peak_mbps
from inventory.model import Circuit, Inventory

if TYPE_CHECKING:
    from analysis.measurements import UtilisationSample

__all__ = ["LineInfo", "LinePlan", "Reroute", "authority_of", "compute_line_plan", "is_classified"]

#: A positive demand for idle lines, so a reroute still has to find a path.
_MIN_DEMAND_MBPS = 1e-6


def is_classified(inventory: Inventory, c: Circuit) -> bool:
    """Whether a line belongs to a physically isolated (classified) network."""
    net = inventory.networks.get(c.network) if c.network else None
    return net is not None and (net.isolation == "physical" or net.kind == "classified")


def authority_of(inventory: Inventory, c: Circuit) -> str | None:
    """The higher authority that mandates a line's network (its ``mandated_by``), or None.

    Only the network says so: a vertical department's own private lines, outside
    any mandated network, are ordinary lines.
    """
    net = inventory.networks.get(c.network) if c.network else None
    return net.mandated_by if net is not None and net.mandated_by else None


@dataclass(frozen=True, slots=True)
class LineInfo:
    """What the plan knows about one line."""

    circuit: Circuit
    sites: tuple[str, str] | None  # site-graph ends (device sites); None inside one site
    classified: bool
    authority: str | None
    zombie: bool  # both ends known down
    down: bool  # at least one end known down: no capacity to count on
    peak_mbps: float | None  # measured, capped at the bandwidth
    demand_mbps: float  # what a reroute must carry: measured peak, else bandwidth
    spare_mbps: float  # what it can carry for others: bandwidth - own load

    @property
    def shareable(self) -> bool:
        """Whether it may be proposed, or carry other lines' traffic."""
        return not self.classified and self.authority is None


@dataclass(frozen=True, slots=True)
class Reroute:
    """A line the network makes unnecessary, and where its traffic goes."""

    circuit: str
    demand_mbps: float
    measured: bool
    route: Route


@dataclass(frozen=True)
class LinePlan:
    """The plan: which lines go, and why."""

    lines: Mapping[str, LineInfo]
    zombies: tuple[str, ...]
    rerouted: Mapping[str, Reroute]  # LIN003, in the order decided
    bridges: frozenset[str]  # circuits that are a bridge of the site graph
    #: mandated line -> why it would have been proposed ("parallel", "backbone")
    mandated_candidates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def cancelled_by(self, circuit: str) -> str | None:
        """The finding key that proposes cancelling a line, if any."""
        if circuit in self.zombies:
            return f"INV003:{circuit}"
        if circuit in self.rerouted:
            return f"LIN003:{circuit}"
        return None


def compute_line_plan(inventory: Inventory, graph: nx.MultiGraph, site_graph: nx.MultiGraph,
                      utilisation: Mapping[str, Sequence[UtilisationSample]]) -> LinePlan:
    """Classify every line, then decide zombies, reroutes and mandated candidates.

    Checks read it as ``AuditContext.line_plan`` (computed once per audit).
    """
    S = site_graph
    ends = {d["id"]: (u, v) for u, v, d in S.edges(data=True) if d.get("kind") == "circuit"}
    seen_up = {d["id"]: d.get("seen_up") or [None, None]  # the full graph: intra-site lines too
               for _, _, d in graph.edges(data=True) if d.get("kind") == "circuit"}
    lines = {cid: _line_info(inventory, utilisation, c, ends.get(cid), seen_up.get(cid, [None, None]))
             for cid, c in inventory.circuits.items()}
    zombies = tuple(sorted(cid for cid, info in lines.items() if info.zombie))
    bridges = _bridge_circuits(S)
    backbone = inventory.policy.backbone
    spare = SpareCapacity(tiers=2)  # tier 0: the backbone's own lines; tier 1: other shareable lines
    for info in lines.values():
        if info.sites and info.shareable and not info.down:
            spare.add(*info.sites, info.spare_mbps, tier=_tier(info, backbone))
    on_backbone = _backbone_components(S, spare)
    rerouted = _reroute(lines, bridges, spare, on_backbone, backbone)
    mandated = _mandated_candidates(inventory, lines, bridges, spare, on_backbone)
    return LinePlan(lines, zombies, rerouted, frozenset(bridges), mandated)


def _tier(info: LineInfo, backbone: str | None) -> int:
    """Capacity tier of a line: traffic moves onto the backbone (0) before other lines (1)."""
    return 0 if backbone is not None and info.circuit.network == backbone else 1


def _line_info(inventory: Inventory, utilisation: Mapping[str, Sequence[UtilisationSample]], c: Circuit,
               sites: tuple[str, str] | None, seen_up: list[bool | None]) -> LineInfo:
    samples = utilisation.get(c.id, ())
    peak = peak_mbps(samples)
    peak = None if peak is None else min(peak, c.bandwidth_mbps)
    unmeasured = inventory.policy.lines.unmeasured_load * c.bandwidth_mbps
    load = peak if peak is not None else unmeasured
    return LineInfo(
        circuit=c,
        sites=tuple(sorted(sites)) if sites else None,  # type: ignore[arg-type]
        classified=is_classified(inventory, c),
        authority=authority_of(inventory, c),
        zombie=list(seen_up) == [False, False],
        down=False in seen_up,
        peak_mbps=peak,
        demand_mbps=max(peak if peak is not None else c.bandwidth_mbps, _MIN_DEMAND_MBPS),
        spare_mbps=max(0.0, c.bandwidth_mbps - load),
    )


def _bridge_circuits(S: nx.MultiGraph) -> set[str]:
    """Circuits whose removal splits the site graph (counting every inter-site edge).

    A link or /30 riding on a circuit is the circuit itself, not a second path.
    """
    independent: dict[tuple[str, str], list[str | None]] = {}
    for u, v, d in S.edges(data=True):
        if d.get("kind") in ("link", "l3") and d.get("circuit"):
            continue
        pair = (u, v) if u <= v else (v, u)
        independent.setdefault(pair, []).append(d["id"] if d.get("kind") == "circuit" else None)
    simple = nx.Graph(list(independent))
    out: set[str] = set()
    for u, v in nx.bridges(simple):
        members = independent[(u, v) if u <= v else (v, u)]
        if len(members) == 1 and members[0] is not None:
            out.add(members[0])
    return out


def _backbone_components(S: nx.MultiGraph, spare: SpareCapacity) -> set[str]:
    """Sites connected to a backbone site over lines that may carry others' traffic."""
    usable = nx.Graph()
    usable.add_nodes_from(S.nodes)
    usable.add_edges_from((u, v) for u in S.nodes for v in spare.neighbours(u))
    reached: set[str] = set()
    for component in nx.connected_components(usable):
        if any(S.nodes[s].get("backbone") for s in component):
            reached |= component
    return reached


def _reroute(lines: Mapping[str, LineInfo], bridges: set[str], spare: SpareCapacity,
             on_backbone: set[str], backbone: str | None) -> dict[str, Reroute]:
    """Cancel what the network can carry, most expensive line first (greedy, feasible).

    A reroute uses the backbone's lines alone when they suffice, else other lines
    too; a line whose capacity carries a committed reroute is pinned: it stays.
    Lines of the backbone itself are what traffic moves onto, never candidates.
    """
    by_pair: dict[tuple[str, str], list[str]] = {}
    for cid, info in lines.items():
        if info.sites and info.shareable and not info.down:
            by_pair.setdefault(info.sites, []).append(cid)
    pinned: set[str] = set()
    out: dict[str, Reroute] = {}
    candidates = sorted((info for info in lines.values()
                         if info.sites and info.shareable and not info.zombie
                         and (backbone is None or info.circuit.network != backbone)
                         and info.circuit.id not in bridges
                         and info.sites[0] in on_backbone and info.sites[1] in on_backbone),
                        key=lambda i: (-i.circuit.yearly_cost_cny, i.circuit.id))
    for info in candidates:
        cid = info.circuit.id
        if cid in pinned:
            continue
        u, v = info.sites  # type: ignore[misc]
        own = 0.0 if info.down else info.spare_mbps
        spare.remove(u, v, own, tier=1)
        route = spare.route(u, v, info.demand_mbps, tiers=1) or spare.route(u, v, info.demand_mbps)
        if route is None:
            spare.add(u, v, own, tier=1)
            continue
        for (a, b), (_, from_others) in spare.commit(route).items():
            if from_others > EPSILON:
                pinned.update(by_pair.get((a, b) if a <= b else (b, a), ()))
        out[cid] = Reroute(cid, info.demand_mbps, info.peak_mbps is not None, route)
        pinned.discard(cid)
    return out


def _mandated_candidates(inventory: Inventory, lines: Mapping[str, LineInfo], bridges: set[str],
                         spare: SpareCapacity, on_backbone: set[str]) -> dict[str, tuple[str, ...]]:
    """Mandated lines that would have been proposed: parallel to another line, or reroutable."""
    pairs: dict[tuple[str, str], list[LineInfo]] = {}
    for info in lines.values():
        if not info.classified:
            pairs.setdefault(info.circuit.site_pair, []).append(info)
    out: dict[str, tuple[str, ...]] = {}
    for cid, info in sorted(lines.items()):
        if info.classified or info.authority is None or info.zombie:
            continue
        reasons = []
        a, z = info.circuit.site_pair
        if a != z and len(pairs.get((a, z), ())) > 1:
            reasons.append("parallel")
        if (info.sites and cid not in bridges and info.sites[0] in on_backbone
                and info.sites[1] in on_backbone
                and spare.route(*info.sites, info.demand_mbps) is not None):
            reasons.append("backbone")
        if reasons:
            out[cid] = tuple(reasons)
    return out

