"""What-if: test a proposal (cancel these lines, close these rooms) before making it.

``whatif(ctx, cancel, close)`` removes the lines from the site graph and asks the
connectivity questions again (which sites become islands, which lose their backup path
to the backbone, whether the remaining paths between each cancelled line's ends still
carry its bandwidth), and asks the room plan where the closed rooms' equipment can go.
It reports the yearly saving and whether the proposal is safe.

The backbone is taken as one node of unlimited capacity, as in the connectivity checks,
but only its resilient core (:func:`resilient_core`): the backbone sites that stay together
whatever single line is lost. A proposal can cut the backbone itself: a county's backbone
node on its only line is no longer "the backbone" once that line goes, and neither are
the sites behind it. So the core is computed again after the cut, and a backbone site
outside it is judged like any other site (island, lost backup, remaining capacity). Links
of unknown capacity (LLDP/L3 links with no circuit) count as zero capacity, so "enough
capacity" is never claimed on a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from analysis.checks.connectivity import (
    SinglePoints,
    _simple_with_backbone,
    backbone_sites,
    describe_edge_key,
    island_sites,
    single_points_of_failure,
    transit_graph,
)
from analysis.checks.rooms import plan_rooms
from analysis.context import AuditContext
from analysis.graph import site_graph
from analysis.roomplan import RoomPlan
from core.errors import InputError, Problem

__all__ = ["CircuitImpact", "SiteImpact", "WhatIfResult", "resilient_core", "whatif"]

_BACKBONE = ("backbone",)


@dataclass(frozen=True, slots=True)
class SiteImpact:
    """A site whose way to the backbone gets worse."""

    site: str
    critical: bool
    change: str  # "island" (cut off) or "lost_backup" (now hangs on a single point)
    single_points: tuple[str, ...]  # what it now depends on (readable names)


@dataclass(frozen=True, slots=True)
class CircuitImpact:
    """One cancelled line: what it cost and what is left between its ends."""

    circuit: str
    sites: tuple[str, str]
    bandwidth_mbps: float
    yearly_cost_cny: float
    remaining_mbps: float | None  # max-flow between its ends without the cancelled lines; None: unlimited
    enough_capacity: bool


@dataclass(frozen=True)
class WhatIfResult:
    """The answer to one what-if question; ``safe`` when nothing is cut off or left unplanned."""

    cancel: tuple[str, ...]
    close: tuple[str, ...]
    new_islands: tuple[SiteImpact, ...]
    lost_backup: tuple[SiteImpact, ...]
    circuits: tuple[CircuitImpact, ...]
    room_plan: RoomPlan | None
    lines_saving_cny: float
    rooms_saving_cny: float
    migration_cost_cny: float
    problems: tuple[str, ...] = field(default=())

    @property
    def yearly_saving_cny(self) -> float:
        """Lines and rooms together (rooms only when their plan is feasible)."""
        return round(self.lines_saving_cny + self.rooms_saving_cny, 2)

    @property
    def safe(self) -> bool:
        """No site cut off, no critical site left on a single path, capacity kept, rooms placed."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form for reports and ``--format json``."""
        return {
            "cancel": list(self.cancel),
            "close": list(self.close),
            "safe": self.safe,
            "problems": list(self.problems),
            "new_islands": [asdict(s) for s in self.new_islands],
            "lost_backup": [asdict(s) for s in self.lost_backup],
            "circuits": [asdict(c) for c in self.circuits],
            "room_plan": self.room_plan.to_dict() if self.room_plan else None,
            "lines_saving_cny": self.lines_saving_cny,
            "rooms_saving_cny": self.rooms_saving_cny,
            "yearly_saving_cny": self.yearly_saving_cny,
            "migration_cost_cny": self.migration_cost_cny,
        }


def _validate(ctx: AuditContext, cancel: Sequence[str], close: Sequence[str]) -> None:
    problems = [Problem("--cancel", None, None, f"unknown circuit {c!r}: not in the inventory's circuits")
                for c in cancel if c not in ctx.inventory.circuits]
    problems += [Problem("--close", None, None, f"unknown room {r!r}: not in the inventory's rooms")
                 for r in close if r not in ctx.inventory.rooms]
    if problems:
        raise InputError(problems)


def _names(spof: SinglePoints) -> tuple[str, ...]:
    return tuple([describe_edge_key(k) for b in spof.bridges for k in b.keys]
                 + [f"site {s}" for s in spof.cut_sites])


def resilient_core(S: nx.Graph, backbone: set[str], prefer: set[str] | None = None) -> set[str]:
    """The backbone sites that form one resilient whole in the site graph ``S``.

    Lines that are the only line between two sites and whose loss splits ``S`` (bridges;
    parallel lines between two sites are no bridge) are removed; what stays together is
    2-edge-connected. The core is the backbone sites of the piece that holds the most of
    ``prefer`` (default: of the backbone), then the most sites, then the first name. A
    backbone site outside it reaches the core over a single line, as any department does.

    >>> S = nx.MultiGraph()
    >>> for key, (u, v) in {"circuit:r1": ("dc1", "dc2"), "circuit:r2": ("dc2", "dc3"),
    ...                     "circuit:r3": ("dc3", "dc1"), "circuit:c1": ("county", "dc1")}.items():
    ...     _ = S.add_edge(u, v, key=key)
    >>> sorted(resilient_core(S, {"dc1", "dc2", "dc3", "county"}))
    ['dc1', 'dc2', 'dc3']
    """
    if not backbone:
        return set()
    H = _simple_with_backbone(S, set())
    lines = {node: sum(len(d["lines"]) for _, _, d in H.edges(node, data=True)) for node in H}
    single = [(u, v) for u, v in nx.bridges(H) if len(H[u][v]["lines"]) == 1]
    H.remove_edges_from(single)
    wanted = prefer if prefer else backbone
    pieces = [piece for piece in nx.connected_components(H) if piece & backbone]
    if not pieces:
        return set()
    # A star backbone has no 2-edge-connected piece of more than one site: its hub (the
    # site with the most lines) is the core, not whichever county sorts first.
    best = min(pieces, key=lambda p: (-len(p & wanted), -sum(lines[n] for n in p), -len(p), min(map(str, p))))
    return best & backbone


def _max_flow(S: nx.MultiGraph, backbone: set[str], a: str, z: str) -> float | None:
    """Capacity left between two sites; None for a line within one site.

    Parallel edges add up. The backbone's core is one node of unlimited capacity for
    traffic that enters it; between two core sites (a backbone line itself, or a line
    beside it) only the real lines count: the core cannot carry a line's traffic on the
    strength of the line it would replace.
    """
    if a == z:
        return None
    if a in backbone and z in backbone:
        backbone = set()
    H = nx.Graph()
    total = 0.0
    for u, v, data in S.edges(data=True):
        cap = float(data.get("capacity") or 0.0)
        total += cap
        if H.has_edge(u, v):
            H[u][v]["capacity"] += cap
        else:
            H.add_edge(u, v, capacity=cap)
    unlimited = total + 1.0  # more than every line together: stands for "no limit"
    for site in backbone:
        H.add_edge(_BACKBONE, site, capacity=unlimited)
    if a not in H or z not in H:
        return 0.0
    flow = float(nx.maximum_flow_value(H, a, z))
    return None if flow >= unlimited else flow


def whatif(ctx: AuditContext, cancel: Sequence[str], close: Sequence[str]) -> WhatIfResult:
    """Answer "what if we cancel these lines and close these rooms?".

    Raises :class:`core.errors.InputError` naming every unknown circuit or room.
    """
    _validate(ctx, cancel, close)
    cancel, close = tuple(dict.fromkeys(cancel)), tuple(dict.fromkeys(close))
    before = transit_graph(ctx.site_graph, ctx.inventory)
    after = transit_graph(site_graph(ctx.graph, without=cancel), ctx.inventory)
    critical = {n for n, d in before.nodes(data=True) if d.get("critical")}
    problems: list[str] = []

    # The strict backbone (sites of backbone devices), then its resilient core before and
    # after the cut: a cut that splits the backbone leaves the split-off part outside it.
    backbone = backbone_sites(before, ctx.inventory)
    core_before = resilient_core(before, backbone)
    core_after = resilient_core(after, backbone, prefer=core_before)
    islands_before, islands_after = island_sites(before, core_before), island_sites(after, core_after)
    new_islands = tuple(SiteImpact(s, s in critical, "island", ())
                        for s in sorted(islands_after - islands_before))
    problems += [f"site {i.site} loses every path to the backbone" for i in new_islands]

    sites = [s for s in after.nodes if s not in islands_after]
    spof_before = single_points_of_failure(before, sites, core_before)
    spof_after = single_points_of_failure(after, sites, core_after)
    left_core = core_before - core_after  # backbone sites that now hang on a single line
    lost = tuple(SiteImpact(s, s in critical, "lost_backup", _names(spof_after[s]))
                 for s in sorted(spof_after)
                 if spof_after[s] and ((s in spof_before and not spof_before[s]) or s in left_core))
    problems += [f"critical site {i.site} now depends on {', '.join(i.single_points)}"
                 for i in lost if i.critical]

    circuits = []
    for cid in cancel:
        c = ctx.inventory.circuits[cid]
        remaining = _max_flow(after, core_after, c.a.site, c.z.site)
        enough = remaining is None or remaining >= c.bandwidth_mbps
        circuits.append(CircuitImpact(cid, (c.a.site, c.z.site), c.bandwidth_mbps,
                                      round(c.yearly_cost_cny, 2), remaining, enough))
        if not enough:
            problems.append(f"after cancelling, {c.a.site}-{c.z.site} keeps {remaining:g} Mbit/s of "
                            f"known capacity, less than line {cid}'s {c.bandwidth_mbps:g} Mbit/s")

    plan = None
    rooms_saving = migration = 0.0
    if close:
        plan, _ = plan_rooms(ctx, close=frozenset(close), only_close=True, max_rooms_kept=None)
        if plan.feasible:
            rooms_saving, migration = plan.yearly_saving_cny, plan.migration_cost_cny
        else:
            problems.append(f"the rooms cannot be closed: {plan.message}")

    return WhatIfResult(
        cancel=cancel, close=close, new_islands=new_islands, lost_backup=lost,
        circuits=tuple(circuits), room_plan=plan,
        lines_saving_cny=round(sum(c.yearly_cost_cny for c in circuits), 2),
        rooms_saving_cny=round(rooms_saving, 2), migration_cost_cny=round(migration, 2),
        problems=tuple(problems),
    )
