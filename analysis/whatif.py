"""What-if: test a proposal (cancel these lines, close these rooms) before making it.

``whatif(ctx, cancel, close)`` removes the lines from the site graph and asks the
connectivity questions again (which sites become islands, which lose their backup path
to the backbone, whether the remaining paths between each cancelled line's ends still
carry its bandwidth), and asks the room plan where the closed rooms' equipment can go.
It reports the yearly saving and whether the proposal is safe.

The backbone is taken as one node of unlimited capacity (as in the connectivity checks);
links of unknown capacity (LLDP/L3 links with no circuit) count as zero capacity, so
"enough capacity" is never claimed on a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from analysis.checks.connectivity import (
    SinglePoints,
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
from netcensus.errors import InputError, Problem

__all__ = ["CircuitImpact", "SiteImpact", "WhatIfResult", "whatif"]

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


def _max_flow(S: nx.MultiGraph, backbone: set[str], a: str, z: str) -> float | None:
    """Capacity left between two sites; None when unlimited (both reach the backbone directly).

    Parallel edges add up; the backbone is one node of unlimited capacity.
    """
    if a == z:
        return None
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

    Raises :class:`netcensus.errors.InputError` naming every unknown circuit or room.
    """
    _validate(ctx, cancel, close)
    cancel, close = tuple(dict.fromkeys(cancel)), tuple(dict.fromkeys(close))
    before = transit_graph(ctx.site_graph, ctx.inventory)
    after = transit_graph(site_graph(ctx.graph, without=cancel), ctx.inventory)
    critical = {n for n, d in before.nodes(data=True) if d.get("critical")}
    problems: list[str] = []

    backbone = backbone_sites(before, ctx.inventory)
    islands_before, islands_after = island_sites(before, backbone), island_sites(after, backbone)
    new_islands = tuple(SiteImpact(s, s in critical, "island", ())
                        for s in sorted(islands_after - islands_before))
    problems += [f"site {i.site} loses every path to the backbone" for i in new_islands]

    sites = [s for s in after.nodes if s not in islands_after]
    spof_before = single_points_of_failure(before, sites, backbone)
    spof_after = single_points_of_failure(after, sites, backbone)
    lost = tuple(SiteImpact(s, s in critical, "lost_backup", _names(spof_after[s]))
                 for s in sorted(spof_after)
                 if spof_after[s] and s in spof_before and not spof_before[s])
    problems += [f"critical site {i.site} now depends on {', '.join(i.single_points)}"
                 for i in lost if i.critical]

    circuits = []
    for cid in cancel:
        c = ctx.inventory.circuits[cid]
        remaining = _max_flow(after, backbone, c.a.site, c.z.site)
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
