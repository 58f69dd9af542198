"""Machine-room consolidation as an exact capacitated assignment (a MILP solved by HiGHS).

The model
---------
Rooms ``R``; for a room ``i``: racks used ``r_i``, power drawn ``p_i`` (kW), yearly cost
``c_i`` (CNY). A room ``j`` that stays can take ``cap_j - r_j`` more racks and
``pcap_j - p_j`` more kW (capacity never below the current load). Variables:

- ``y_j`` in {0, 1}: room ``j`` stays (a staying room keeps its own equipment);
- ``x_ij`` in {0, 1} for each *candidate* pair: room ``i`` closes and moves into ``j``.

Minimise ``H * sum_j c_j y_j + sum_ij m r_i x_ij`` (``H`` the horizon in years, ``m``
the one-off migration cost per rack), subject to

- every room stays or moves once: ``y_i + sum_j x_ij = 1``;
- only into a staying room: ``x_ij <= y_j``;
- capacity: ``sum_i r_i x_ij <= (cap_j - r_j) y_j`` and the same for power where ``pcap_j``
  is declared;
- central rooms stay (``y_j = 1``), rooms the planners close go (``y_j = 0``), and
  optionally at most ``K`` rooms stay.

A pair ``(i, j)`` is a candidate only when it respects isolation (a physically isolated
room's equipment moves only into a physically isolated room, and nothing else moves into
one), the maximum network distance (hops on the site graph), and ``j``'s spare capacity.
Two exact reductions keep the model small: a room whose closure can never pay back
(``H c_i <= m r_i``) and that nothing forces closed stays; and the problem splits into
independent parts (connected components of the candidate pairs) when no room-count target
couples them. Each part's plan is proven optimal by HiGHS (within ``mip_rel_gap``, 0.01%)
over each room's :attr:`PlanParameters.max_candidates` nearest targets (status
``optimal``), or is the best plan found when the time limit stops it (status
``time_limit``, with the proven gap).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import networkx as nx
import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra

from analysis.approvals import Governed, approval_status
from inventory.model import Inventory

__all__ = [
    "SCORE_HOPS",
    "UNREACHABLE",
    "PlanParameters",
    "RoomMove",
    "RoomPlan",
    "RoomSpec",
    "candidate_targets",
    "plan_rooms",
    "room_distances",
    "room_plan_report",
    "room_specs",
    "solve_room_plan",
]

PlanStatus = Literal["optimal", "time_limit", "infeasible", "empty"]

#: Distance entry for rooms farther than the cut-off or unreachable.
UNREACHABLE = np.iinfo(np.int16).max

#: Objective tie-break per hop (CNY): among equally cheap plans prefer the nearer target.
_HOP_TIE_BREAK = 1e-3
#: How far (site-graph hops) the score looks for the nearest room with spare capacity.
SCORE_HOPS = 6


@dataclass(frozen=True, slots=True)
class RoomSpec:
    """What the plan needs to know about one room."""

    id: str
    site: str
    racks_used: int
    racks_total: int
    power_kw: float
    power_capacity_kw: float | None  # None: not declared, power is then not constrained
    yearly_cost_cny: float
    isolation: str = "none"
    central: bool = False

    @property
    def spare_racks(self) -> int:
        """Racks free for other rooms' equipment (never negative)."""
        return max(self.racks_total - self.racks_used, 0)

    @property
    def spare_power_kw(self) -> float | None:
        """kW free for other rooms' equipment, or None when capacity is not declared."""
        if self.power_capacity_kw is None:
            return None
        return max(self.power_capacity_kw - self.power_kw, 0.0)


@dataclass(frozen=True, slots=True)
class PlanParameters:
    """The plan's knobs; :meth:`from_policy` reads them from ``policy.room_plan``."""

    migration_cost_per_rack_cny: float = 30000.0
    horizon_years: float = 5.0
    max_hops: int = 2
    max_rooms_kept: int | None = None
    close: frozenset[str] = frozenset()
    #: Close exactly the rooms in ``close``, every other room stays (what-if questions).
    only_close: bool = False
    #: Candidate targets kept per room (nearest first): bounds the model on large cities.
    max_candidates: int = 10
    time_limit_s: float = 5.0
    #: Stop when the plan is proven within this fraction of the optimum (HiGHS's default,
    #: 0.01%): far below the precision of any cost figure, and it saves seconds on big cities.
    mip_rel_gap: float = 1e-4

    @classmethod
    def from_policy(cls, room_plan: object, **overrides: object) -> PlanParameters:
        """Parameters from an ``inventory.model.RoomPlanPolicy`` (plus overrides)."""
        values = {
            "migration_cost_per_rack_cny": room_plan.migration_cost_per_rack_cny,  # type: ignore[attr-defined]
            "horizon_years": room_plan.horizon_years,  # type: ignore[attr-defined]
            "max_hops": room_plan.max_hops,  # type: ignore[attr-defined]
            "max_rooms_kept": room_plan.max_rooms_kept,  # type: ignore[attr-defined]
            "close": frozenset(room_plan.close),  # type: ignore[attr-defined]
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class RoomMove:
    """One room that closes: where its equipment goes and what it costs and saves."""

    room: str
    into: str
    racks_moved: int
    power_kw: float
    hops: int
    migration_cost_cny: float
    yearly_saving_cny: float
    payback_years: float | None  # None when the room saves nothing per year


@dataclass(frozen=True)
class RoomPlan:
    """The solved plan; ``moves`` is empty when every room stays or no plan exists."""

    status: PlanStatus
    kept: tuple[str, ...]
    moves: tuple[RoomMove, ...]
    yearly_saving_cny: float
    migration_cost_cny: float
    payback_years: float | None
    parameters: PlanParameters
    message: str = ""
    #: Rooms that must close but have no allowed target at all (why a plan is infeasible).
    unplaceable: tuple[str, ...] = ()
    #: The optimality gap HiGHS proved when a time limit stopped it (0 when optimal).
    gap: float = 0.0
    into: Mapping[str, str] = field(default_factory=dict)  # room -> the room it ends in

    @property
    def feasible(self) -> bool:
        """Whether the plan can be carried out (found within the constraints)."""
        return self.status in ("optimal", "time_limit", "empty")

    def to_dict(self) -> dict[str, object]:
        """A JSON-serialisable form (the core of ``AuditContext.room_plan``)."""
        params = asdict(self.parameters)
        params["close"] = sorted(self.parameters.close)
        return {
            "status": self.status,
            "message": self.message,
            "gap": self.gap,
            "parameters": params,
            "kept": list(self.kept),
            "moves": [asdict(m) for m in self.moves],
            "unplaceable": list(self.unplaceable),
            "yearly_saving_cny": round(self.yearly_saving_cny, 2),
            "migration_cost_cny": round(self.migration_cost_cny, 2),
            "payback_years": None if self.payback_years is None else round(self.payback_years, 2),
        }


def room_distances(graph: nx.Graph, rooms: Sequence[RoomSpec], cutoff: int) -> np.ndarray:
    """Hops between the rooms' sites on ``graph``, room by room (``rooms`` order).

    Entries farther than ``cutoff`` or unreachable are :data:`UNREACHABLE`. Runs
    breadth-first searches in C (scipy.sparse.csgraph) from each distinct room site, so a
    city of thousands of sites takes well under a second.

    >>> G = nx.path_graph(["s1", "s2", "s3"])
    >>> a, b, c = (RoomSpec(x, s, 1, 2, 1.0, None, 1.0) for x, s in (("a", "s1"), ("b", "s2"), ("c", "s3")))
    >>> room_distances(G, [a, b, c], cutoff=1).tolist()
    [[0, 1, 32767], [1, 0, 1], [32767, 1, 0]]
    """
    sites = sorted({r.site for r in rooms})
    nodes = list(graph.nodes)
    position = {node: k for k, node in enumerate(nodes)}
    site_rows = np.full((len(sites), len(sites)), UNREACHABLE, dtype=np.int16)
    np.fill_diagonal(site_rows, 0)
    located = [k for k, s in enumerate(sites) if s in position]
    if located and graph.number_of_edges():
        rows, cols = [], []
        for u, v in graph.edges():
            if u != v:
                rows.append(position[u])
                cols.append(position[v])
        adjacency = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(nodes)))
        columns = np.array([position[sites[k]] for k in located])
        for start in range(0, len(located), 256):  # chunks bound the memory of the dense rows
            chunk = located[start:start + 256]
            dist = dijkstra(adjacency, directed=False, unweighted=True, limit=cutoff + 0.5,
                            indices=[position[sites[k]] for k in chunk])[:, columns]
            block = np.where(np.isfinite(dist), dist, UNREACHABLE).astype(np.int16)
            site_rows[np.ix_(chunk, located)] = block
    site_position = {site: k for k, site in enumerate(sites)}
    site_index = np.array([site_position[r.site] for r in rooms], dtype=np.intp)
    return site_rows[np.ix_(site_index, site_index)]


def candidate_targets(
    rooms: Sequence[RoomSpec],
    distances: np.ndarray,
    params: PlanParameters,
    *,
    max_hops: int | None = None,
    limit: int | None = None,
) -> dict[str, list[tuple[str, int]]]:
    """For each room, the rooms it may move into, nearest first: ``room -> [(target, hops)]``.

    A target must stay possible (not closed by the planners), respect isolation, lie within
    ``max_hops`` (default ``params.max_hops``), and have the spare racks and (where
    declared) spare power for the whole room. Among equally near targets, the one with
    more spare racks comes first. At most ``limit`` (default ``params.max_candidates``).
    """
    hop_limit = params.max_hops if max_hops is None else max_hops
    keep = params.max_candidates if limit is None else limit
    ids = np.array([r.id for r in rooms], dtype=object)
    spare = np.array([r.spare_racks for r in rooms], dtype=np.int64)
    spare_kw = np.array([np.inf if r.spare_power_kw is None else r.spare_power_kw for r in rooms])
    # Isolation: physically isolated equipment only into physically isolated rooms, and back.
    physical = np.array([r.isolation == "physical" for r in rooms], dtype=bool)
    open_target = np.array([r.id not in params.close for r in rooms], dtype=bool)
    id_rank = np.argsort(np.argsort(ids.astype(str))) if len(rooms) else np.zeros(0, np.intp)
    out: dict[str, list[tuple[str, int]]] = {}
    for k, src in enumerate(rooms):
        dist = distances[k]
        ok = ((dist <= hop_limit) & open_target & (physical == physical[k])
              & (spare >= src.racks_used) & (spare_kw + 1e-9 >= src.power_kw))
        ok[k] = False
        found = np.flatnonzero(ok)
        # Nearest first, then most spare racks, then id: deterministic.
        order = found[np.lexsort((id_rank[found], -spare[found], dist[found]))][:keep]
        out[src.id] = [(str(ids[j]), int(dist[j])) for j in order]
    return out


def solve_room_plan(
    rooms: Sequence[RoomSpec],
    distances: np.ndarray,
    params: PlanParameters = PlanParameters(),
) -> RoomPlan:
    """The cheapest consolidation plan under the constraints (see the module docstring).

    Never raises on an infeasible instance: the plan's ``status`` is ``"infeasible"`` and
    ``message`` says which constraint cannot be met.

    Examples
    --------
    >>> a = RoomSpec("a", "s1", racks_used=2, racks_total=10, power_kw=4, power_capacity_kw=None,
    ...              yearly_cost_cny=500_000, central=True)
    >>> b = RoomSpec("b", "s2", racks_used=3, racks_total=4, power_kw=6, power_capacity_kw=None,
    ...              yearly_cost_cny=200_000)
    >>> plan = solve_room_plan([a, b], room_distances(nx.path_graph(["s1", "s2"]), [a, b], cutoff=2))
    >>> [(m.room, m.into, m.racks_moved, m.payback_years) for m in plan.moves]
    [('b', 'a', 3, 0.45)]
    """
    by_id = {r.id: r for r in rooms}
    unknown = sorted(params.close - by_id.keys())
    if unknown:
        return _no_plan(params, f"rooms to close are not in the inventory: {', '.join(unknown)}")
    if not rooms:
        return RoomPlan("empty", (), (), 0.0, 0.0, None, params, "no machine rooms declared")
    closed_central = sorted(r.id for r in rooms if r.central and r.id in params.close)
    if closed_central:
        return _no_plan(params, f"central rooms always stay, they cannot be closed: {', '.join(closed_central)}")

    if distances.shape != (len(rooms), len(rooms)):
        raise ValueError(f"distances must be {len(rooms)}x{len(rooms)}, not {distances.shape}")
    cands = candidate_targets(rooms, distances, params)
    unplaceable = tuple(sorted(r for r in params.close if not cands[r]))
    if unplaceable:
        return _no_plan(params, "no room within "
                        f"{params.max_hops} hops with the same isolation and enough spare racks/power "
                        f"can take: {', '.join(unplaceable)}", unplaceable)

    movable = {r.id for r in rooms if _may_close(r, cands[r.id], params)}
    parts = _parts(rooms, movable, cands) if params.max_rooms_kept is None else [[r.id for r in rooms]]
    into: dict[str, str] = {r.id: r.id for r in rooms}
    status: PlanStatus = "optimal"
    gap = 0.0
    for part in parts:
        assignment, part_status, part_gap = _solve_part([by_id[i] for i in part], movable, cands, params)
        if assignment is None and part_status == "infeasible":
            return _no_plan(params, _infeasible_reason(rooms, movable, params))
        if assignment is None:
            return _no_plan(params, f"the solver found no plan within its time limit of "
                                    f"{params.time_limit_s:g} s (status: {part_status})")
        into.update(assignment)
        if part_status == "time_limit":
            status, gap = "time_limit", max(gap, part_gap)
    position = {r.id: k for k, r in enumerate(rooms)}
    hops = {(i, j): int(distances[position[i], position[j]]) for i, j in into.items() if i != j}
    return _plan_from_assignment(by_id, into, hops, params, status, gap)


def _may_close(room: RoomSpec, targets: list[tuple[str, int]], params: PlanParameters) -> bool:
    """Whether the model needs a decision for this room (else it simply stays)."""
    if room.central or not targets or (params.only_close and room.id not in params.close):
        return False
    if room.id in params.close or params.max_rooms_kept is not None:
        return True
    # Closing costs m*r once and saves c per year; with no forcing constraint a closure
    # that does not pay back within the horizon is never optimal, and keeping the room
    # only adds target capacity, so fixing it "stay" keeps the optimum exact.
    return params.horizon_years * room.yearly_cost_cny > params.migration_cost_per_rack_cny * room.racks_used


def _parts(rooms: Sequence[RoomSpec], movable: set[str],
           cands: Mapping[str, list[tuple[str, int]]]) -> list[list[str]]:
    """Independent sub-problems: components of the movable-room -> target relation."""
    parent = {r.id: r.id for r in rooms}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for room in movable:
        for target, _ in cands[room]:
            ra, rb = find(room), find(target)
            if ra != rb:
                parent[ra] = rb
    groups: dict[str, list[str]] = {}
    for r in rooms:
        groups.setdefault(find(r.id), []).append(r.id)
    # Parts with nothing movable have a trivial solution (everyone stays): skip them.
    return [g for g in groups.values() if any(i in movable for i in g)]


def _solve_part(
    part: Sequence[RoomSpec],
    movable: set[str],
    cands: Mapping[str, list[tuple[str, int]]],
    params: PlanParameters,
) -> tuple[dict[str, str] | None, str, float]:
    """Solve one part: (room -> where it ends, status, proven gap); no assignment when none found."""
    index = {r.id: k for k, r in enumerate(part)}
    pairs = [(r.id, t, d) for r in part if r.id in movable for t, d in cands[r.id] if t in index]
    n_y, n = len(part), len(part) + len(pairs)
    cost = np.empty(n)
    cost[:n_y] = [params.horizon_years * r.yearly_cost_cny for r in part]
    cost[n_y:] = [params.migration_cost_per_rack_cny * _room(part, index, i).racks_used + _HOP_TIE_BREAK * d
                  for i, _, d in pairs]

    lower, upper = np.zeros(n), np.ones(n)
    for r in part:
        if r.central or r.id not in movable:
            lower[index[r.id]] = 1.0
        if r.id in params.close:
            upper[index[r.id]] = 0.0

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    row_lb: list[float] = []
    row_ub: list[float] = []

    def add_row(entries: list[tuple[int, float]], lb: float, ub: float) -> None:
        row = len(row_lb)
        for col, val in entries:
            rows.append(row)
            cols.append(col)
            vals.append(val)
        row_lb.append(lb)
        row_ub.append(ub)

    moves_of: dict[str, list[int]] = {}
    into_of: dict[str, list[int]] = {}
    for k, (i, j, _) in enumerate(pairs):
        moves_of.setdefault(i, []).append(n_y + k)
        into_of.setdefault(j, []).append(n_y + k)
        add_row([(n_y + k, 1.0), (index[j], -1.0)], -np.inf, 0.0)  # x_ij <= y_j
    for r in part:
        add_row([(index[r.id], 1.0)] + [(c, 1.0) for c in moves_of.get(r.id, [])], 1.0, 1.0)
        incoming = into_of.get(r.id, [])
        if not incoming:
            continue
        sources = [pairs[c - n_y][0] for c in incoming]
        racks = [(c, float(_room(part, index, s).racks_used)) for c, s in zip(incoming, sources, strict=True)]
        add_row([*racks, (index[r.id], -float(r.spare_racks))], -np.inf, 0.0)
        if r.spare_power_kw is not None:
            power = [(c, _room(part, index, s).power_kw) for c, s in zip(incoming, sources, strict=True)]
            add_row([*power, (index[r.id], -r.spare_power_kw)], -np.inf, 0.0)
    if params.max_rooms_kept is not None:
        add_row([(index[r.id], 1.0) for r in part], 0.0, float(params.max_rooms_kept))

    # Imported here: scipy.optimize takes a third of a second to import, which every audit
    # (and every `netcensus` command) would pay at start-up, plans or not.
    from scipy.optimize import Bounds, LinearConstraint, milp

    matrix = coo_matrix((vals, (rows, cols)), shape=(len(row_lb), n)).tocsr()
    result = milp(
        cost,
        integrality=np.ones(n),
        bounds=Bounds(lower, upper),
        constraints=LinearConstraint(matrix, row_lb, row_ub),
        options={"time_limit": params.time_limit_s, "mip_rel_gap": params.mip_rel_gap},
    )
    if result.x is None:
        # scipy's codes: 2 infeasible; 1 a limit reached before any plan; 4 solver trouble.
        return None, "infeasible" if result.status == 2 else result.message, 0.0
    x = np.round(result.x).astype(int)
    assignment = {r.id: r.id for r in part if x[index[r.id]] == 1}
    for k, (i, j, _) in enumerate(pairs):
        if x[n_y + k] == 1:
            assignment[i] = j
    status = "optimal" if result.status == 0 else "time_limit"
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0) if status == "time_limit" else 0.0
    return assignment, status, gap


def _room(part: Sequence[RoomSpec], index: Mapping[str, int], room_id: str) -> RoomSpec:
    return part[index[room_id]]


def _infeasible_reason(rooms: Sequence[RoomSpec], movable: set[str], params: PlanParameters) -> str:
    """A sentence naming the constraint that cannot be met."""
    if params.max_rooms_kept is not None:
        must_stay = sorted(r.id for r in rooms if r.central or r.id not in movable)
        if len(must_stay) > params.max_rooms_kept:
            return (f"at most {params.max_rooms_kept} rooms may stay, but {len(must_stay)} must stay "
                    f"(central, or nowhere to move within {params.max_hops} hops): {', '.join(must_stay)}")
    forced = sorted(params.close)
    if forced:
        return (f"the rooms that stay within {params.max_hops} hops have too little spare racks/power "
                f"for the rooms to close together: {', '.join(forced)}")
    return (f"the rooms that may stay have too little spare racks/power to keep at most "
            f"{params.max_rooms_kept} rooms")


def _no_plan(params: PlanParameters, message: str, unplaceable: tuple[str, ...] = ()) -> RoomPlan:
    return RoomPlan("infeasible", (), (), 0.0, 0.0, None, params, message, unplaceable)


def _plan_from_assignment(
    by_id: Mapping[str, RoomSpec],
    into: Mapping[str, str],
    hops: Mapping[tuple[str, str], int],
    params: PlanParameters,
    status: PlanStatus,
    gap: float,
) -> RoomPlan:
    moves = []
    for room_id, target_id in sorted(into.items()):
        if room_id == target_id:
            continue
        room = by_id[room_id]
        migration = params.migration_cost_per_rack_cny * room.racks_used
        saving = room.yearly_cost_cny
        moves.append(RoomMove(
            room=room_id, into=target_id, racks_moved=room.racks_used, power_kw=room.power_kw,
            hops=hops[(room_id, target_id)],
            migration_cost_cny=round(migration, 2), yearly_saving_cny=round(saving, 2),
            payback_years=round(migration / saving, 2) if saving > 0 else None,
        ))
    kept = tuple(sorted(r for r, t in into.items() if r == t))
    saving = sum(m.yearly_saving_cny for m in moves)
    migration = sum(m.migration_cost_cny for m in moves)
    message = (f"{len(moves)} of {len(by_id)} rooms close" if moves
               else "every room stays: no closure pays back within the horizon")
    if status == "time_limit":
        message += f" (time limit reached: proven within {gap:.3%} of the optimum)"
    return RoomPlan(status, kept, tuple(moves), saving, migration,
                    round(migration / saving, 2) if saving > 0 else None, params, message,
                    gap=gap, into=dict(into))


def room_specs(inventory: Inventory) -> list[RoomSpec]:
    """The solver's view of every declared room (central: role or policy list)."""
    central = set(inventory.policy.central_rooms)
    return [
        RoomSpec(
            id=r.id, site=r.site, racks_used=r.racks_used, racks_total=r.racks_total,
            power_kw=r.power_kw, power_capacity_kw=r.power_capacity_kw,
            yearly_cost_cny=r.yearly_cost_cny, isolation=r.isolation,
            central=r.role == "central" or r.id in central,
        )
        for r in inventory.rooms.values()
    ]


def plan_rooms(inventory: Inventory, site_graph: nx.Graph, today: dt.date,
               **overrides: Any) -> tuple[RoomPlan, list[dict[str, Any]]]:
    """Solve the plan and score every room; ``overrides`` replace :class:`PlanParameters` fields.

    ``today`` dates the rooms' ages and approvals in the score cards.
    """
    params = PlanParameters.from_policy(inventory.policy.room_plan, **overrides)
    specs = room_specs(inventory)
    distances = room_distances(site_graph, specs, cutoff=max(params.max_hops, SCORE_HOPS))
    plan = solve_room_plan(specs, distances, params)
    nearest = candidate_targets(specs, distances, params, max_hops=SCORE_HOPS, limit=1)
    moves = {m.room: m for m in plan.moves}
    scores = [_score(inventory, today, s, nearest[s.id], moves.get(s.id), plan.feasible) for s in specs]
    return plan, scores


def room_plan_report(inventory: Inventory, site_graph: nx.Graph, today: dt.date) -> dict[str, Any]:
    """The policy's plan and every room's score card, as JSON (``AuditContext.room_plan``):
    :meth:`RoomPlan.to_dict` plus ``rooms``, the score cards in inventory order."""
    plan, scores = plan_rooms(inventory, site_graph, today)
    report = plan.to_dict()
    report["rooms"] = scores
    return report


def _score(inventory: Inventory, today: dt.date, room: RoomSpec, nearest: list[tuple[str, int]],
           move: RoomMove | None, feasible: bool) -> dict[str, Any]:
    """One room's score card: what planners weigh, and the plan's decision for it."""
    declared = inventory.rooms[room.id]
    status = approval_status(inventory, Governed("rooms", "room", room.id, declared.department,
                                                 declared.built, declared.approval))
    age = round((today - declared.built).days / 365.25, 1) if declared.built else None
    return {
        "room": room.id,
        "site": room.site,
        "department": declared.department,
        "central": room.central,
        "isolation": room.isolation,
        "racks_used": room.racks_used,
        "racks_total": room.racks_total,
        "rack_use": round(room.racks_used / room.racks_total, 3) if room.racks_total else None,
        "power_kw": room.power_kw,
        "power_capacity_kw": room.power_capacity_kw,
        "yearly_cost_cny": room.yearly_cost_cny,
        "age_years": age,
        "approval": status,
        "nearest_spare_room": nearest[0][0] if nearest else None,
        "nearest_spare_hops": nearest[0][1] if nearest else None,
        "decision": ("merge" if move else "keep") if feasible else "no plan",
        "into": move.into if move else None,
        "racks_moved": move.racks_moved if move else 0,
        "migration_cost_cny": move.migration_cost_cny if move else 0.0,
        "yearly_saving_cny": move.yearly_saving_cny if move else 0.0,
        "payback_years": move.payback_years if move else None,
    }
