"""The room consolidation solver on cases whose optimum is known by hand, plus properties."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.roomplan import (
    UNREACHABLE,
    PlanParameters,
    RoomSpec,
    candidate_targets,
    room_distances,
    solve_room_plan,
)

#: 30,000 CNY per rack moved, 5-year horizon, 2 hops (the module defaults).
PARAMS = PlanParameters()


def spec(id: str, site: str, used: int, total: int, cost: float, *, kw: float = 1.0,
         kw_cap: float | None = None, isolation: str = "none", central: bool = False) -> RoomSpec:
    return RoomSpec(id, site, racks_used=used, racks_total=total, power_kw=kw, power_capacity_kw=kw_cap,
                    yearly_cost_cny=cost, isolation=isolation, central=central)


def star(*leaves: str, hub: str = "hub") -> nx.Graph:
    """Every leaf one hop from the hub, two hops from each other."""
    return nx.Graph([(hub, leaf) for leaf in leaves])


def solve(rooms, graph, params=PARAMS):
    return solve_room_plan(rooms, room_distances(graph, rooms, cutoff=6), params)


def moves(plan) -> dict[str, str]:
    return {m.room: m.into for m in plan.moves}


# --- distances and candidates -------------------------------------------------------


def test_distances_are_site_hops_and_zero_within_a_site():
    rooms = [spec("a", "s1", 1, 2, 1), spec("a2", "s1", 1, 2, 1), spec("b", "s3", 1, 2, 1)]
    d = room_distances(nx.path_graph(["s1", "s2", "s3", "s4"]), rooms, cutoff=3)
    assert d.tolist() == [[0, 0, 2], [0, 0, 2], [2, 2, 0]]


def test_distances_beyond_cutoff_or_disconnected_are_unreachable():
    G = nx.Graph([("s1", "s2"), ("s2", "s3")])
    G.add_node("s9")
    rooms = [spec("a", "s1", 1, 2, 1), spec("b", "s3", 1, 2, 1), spec("z", "s9", 1, 2, 1)]
    d = room_distances(G, rooms, cutoff=1)
    assert d[0, 1] == UNREACHABLE and d[0, 2] == UNREACHABLE and d[1, 2] == UNREACHABLE


def test_candidates_nearest_first_then_most_spare():
    rooms = [spec("src", "a", 2, 2, 1), spec("near_small", "hub", 1, 4, 1),
             spec("near_big", "hub", 1, 9, 1), spec("far", "b", 0, 20, 1)]
    d = room_distances(star("a", "b"), rooms, cutoff=3)
    cands = candidate_targets(rooms, d, PARAMS)
    assert cands["src"] == [("near_big", 1), ("near_small", 1), ("far", 2)]


def test_candidates_respect_spare_racks_power_isolation_and_closures():
    rooms = [spec("src", "a", 3, 3, 1, kw=5),
             spec("full", "hub", 8, 10, 1),                    # 2 spare racks < 3
             spec("hot", "hub", 0, 10, 1, kw=1, kw_cap=4),       # 3 spare kW < 5
             spec("secret", "hub", 0, 10, 1, isolation="physical"),
             spec("closing", "hub", 0, 10, 1),
             spec("ok", "hub", 0, 10, 1, kw=1, kw_cap=6)]        # exactly enough
    d = room_distances(star("a"), rooms, cutoff=3)
    cands = candidate_targets(rooms, d, PlanParameters(close=frozenset({"closing"})))
    assert cands["src"] == [("ok", 1)]


# --- optima known by hand -----------------------------------------------------------


def test_small_room_merges_into_central_room_with_payback():
    a = spec("a", "hub", 2, 10, 500_000, central=True)
    b = spec("b", "x", 3, 4, 200_000)
    plan = solve([a, b], star("x"))
    assert plan.status == "optimal"
    (move,) = plan.moves
    assert (move.room, move.into, move.racks_moved, move.hops) == ("b", "a", 3, 1)
    assert move.migration_cost_cny == 90_000 and move.yearly_saving_cny == 200_000
    assert move.payback_years == 0.45
    assert plan.kept == ("a",)
    assert (plan.yearly_saving_cny, plan.migration_cost_cny, plan.payback_years) == (200_000, 90_000, 0.45)


def test_capacity_lets_only_the_more_expensive_room_in():
    # a has 5 spare racks; b and c need 3 each: only one fits, c saves more.
    rooms = [spec("a", "hub", 5, 10, 900_000, central=True),
             spec("b", "x", 3, 3, 100_000), spec("c", "y", 3, 3, 300_000)]
    plan = solve(rooms, star("x", "y"))
    assert moves(plan) == {"c": "a"}
    assert plan.yearly_saving_cny == 300_000


def test_a_room_whose_move_never_pays_back_stays():
    # 10 racks x 30,000 = 300,000 one-off > 5 years x 50,000.
    rooms = [spec("a", "hub", 0, 40, 1, central=True), spec("d", "x", 10, 10, 50_000)]
    plan = solve(rooms, star("x"))
    assert plan.moves == () and plan.status == "optimal"
    assert "every room stays" in plan.message


def test_classified_room_moves_only_into_an_isolated_room():
    rooms = [spec("a", "hub", 0, 50, 1_000_000, central=True),
             spec("x", "s1", 2, 2, 300_000, isolation="physical"),
             spec("y", "s2", 3, 10, 400_000, isolation="physical"),
             spec("z", "s3", 1, 1, 200_000)]
    graph = nx.Graph([("hub", "s1"), ("hub", "s2"), ("hub", "s3"), ("s2", "s3")])
    plan = solve(rooms, graph)
    # z is one hop from both y and a; only a (same isolation) may take it.
    assert moves(plan) == {"x": "y", "z": "a"}


def test_classified_room_with_no_isolated_target_stays():
    rooms = [spec("a", "hub", 0, 50, 1_000_000, central=True),
             spec("x", "s1", 2, 2, 300_000, isolation="physical")]
    plan = solve(rooms, star("s1"))
    assert plan.moves == ()


def test_max_hops_limits_the_targets():
    rooms = [spec("a", "s0", 0, 50, 1, central=True), spec("far", "s3", 1, 1, 100_000)]
    path = nx.path_graph(["s0", "s1", "s2", "s3"])
    assert solve(rooms, path).moves == ()  # three hops, the default allows two
    plan = solve(rooms, path, PlanParameters(max_hops=3))
    assert moves(plan) == {"far": "a"} and plan.moves[0].hops == 3


def test_declared_power_capacity_binds_and_undeclared_does_not():
    src = spec("b", "x", 1, 1, 100_000, kw=8)
    tight = spec("a", "hub", 0, 10, 1, kw=5, kw_cap=10, central=True)
    assert solve([tight, src], star("x")).moves == ()
    unknown = spec("a", "hub", 0, 10, 1, kw=5, kw_cap=None, central=True)
    assert moves(solve([unknown, src], star("x"))) == {"b": "a"}


def test_a_closing_room_receives_nothing():
    # max_hops=1: b reaches only c, c reaches a. Closing c (1,410,000 net) beats
    # closing b into c (470,000 net); both at once would move b into a closed room.
    rooms = [spec("a", "s0", 0, 3, 1, central=True),
             spec("c", "s1", 3, 10, 300_000), spec("b", "s2", 1, 1, 100_000)]
    plan = solve(rooms, nx.path_graph(["s0", "s1", "s2"]), PlanParameters(max_hops=1))
    assert moves(plan) == {"c": "a"}
    assert set(plan.kept) == {"a", "b"}


def test_rooms_at_one_site_are_zero_hops_apart():
    rooms = [spec("a", "s", 0, 10, 1, central=True), spec("b", "s", 2, 2, 100_000)]
    plan = solve(rooms, nx.empty_graph(["s"]))
    assert moves(plan) == {"b": "a"} and plan.moves[0].hops == 0


def test_room_count_target_forces_a_closure_that_does_not_pay_back():
    rooms = [spec("a", "hub", 0, 40, 1, central=True), spec("d", "x", 10, 10, 50_000),
             spec("e", "y", 10, 10, 40_000)]
    plan = solve(rooms, star("x", "y"), PlanParameters(max_rooms_kept=2))
    # One of d, e must go; closing d loses 300,000 - 250,000, closing e 300,000 - 200,000.
    assert moves(plan) == {"d": "a"}


def test_planned_closures_are_carried_out():
    rooms = [spec("a", "hub", 0, 40, 1, central=True), spec("d", "x", 10, 10, 50_000)]
    plan = solve(rooms, star("x"), PlanParameters(close=frozenset({"d"})))
    assert moves(plan) == {"d": "a"} and plan.payback_years == 6.0


def test_only_close_keeps_every_other_room():
    rooms = [spec("a", "hub", 0, 40, 1, central=True), spec("b", "x", 1, 1, 500_000),
             spec("c", "y", 1, 1, 500_000)]
    plan = solve(rooms, star("x", "y"), PlanParameters(close=frozenset({"b"}), only_close=True))
    assert moves(plan) == {"b": "a"}


# --- no feasible plan: a clear message, never a crash ----------------------------------


def test_room_to_close_with_no_allowed_target_is_infeasible_and_named():
    rooms = [spec("a", "hub", 9, 10, 1, central=True), spec("b", "x", 3, 3, 100_000)]
    plan = solve(rooms, star("x"), PlanParameters(close=frozenset({"b"})))
    assert plan.status == "infeasible" and not plan.feasible
    assert plan.unplaceable == ("b",)
    assert "b" in plan.message and "2 hops" in plan.message
    assert plan.moves == () and plan.yearly_saving_cny == 0


def test_rooms_that_fit_alone_but_not_together_are_infeasible():
    rooms = [spec("a", "hub", 5, 10, 1, central=True),
             spec("b", "x", 3, 3, 100_000), spec("c", "y", 3, 3, 100_000)]
    plan = solve(rooms, star("x", "y"), PlanParameters(close=frozenset({"b", "c"})))
    assert plan.status == "infeasible"
    assert plan.unplaceable == ()
    assert "too little spare" in plan.message and "b, c" in plan.message


def test_room_count_target_below_the_rooms_that_must_stay_is_infeasible():
    rooms = [spec("a", "hub", 0, 1, 1, central=True), spec("b", "x", 3, 3, 1), spec("c", "y", 3, 3, 1)]
    plan = solve(rooms, star("x", "y"), PlanParameters(max_rooms_kept=1))
    assert plan.status == "infeasible"
    assert "at most 1 rooms may stay, but 3 must stay" in plan.message


def test_closing_a_central_room_is_refused_with_a_message():
    rooms = [spec("a", "hub", 0, 1, 1, central=True)]
    plan = solve(rooms, star("x"), PlanParameters(close=frozenset({"a"})))
    assert plan.status == "infeasible" and "central rooms always stay" in plan.message


def test_closing_an_unknown_room_is_refused_with_a_message():
    plan = solve([spec("a", "hub", 0, 1, 1)], star("x"), PlanParameters(close=frozenset({"nope"})))
    assert plan.status == "infeasible" and "nope" in plan.message


def test_no_rooms_is_an_empty_plan():
    plan = solve_room_plan([], np.zeros((0, 0), dtype=np.int16))
    assert plan.status == "empty" and plan.feasible and plan.moves == ()


def test_plan_is_json_ready():
    import json

    rooms = [spec("a", "hub", 2, 10, 500_000, central=True), spec("b", "x", 3, 4, 200_000)]
    data = json.loads(json.dumps(solve(rooms, star("x")).to_dict()))
    assert data["moves"][0]["into"] == "a" and data["parameters"]["max_hops"] == 2


# --- properties on random small cities -------------------------------------------------


@st.composite
def small_cities(draw):
    """Up to 5 rooms on up to 5 sites joined by random links."""
    n_sites = draw(st.integers(1, 5))
    sites = [f"s{i}" for i in range(n_sites)]
    graph = nx.Graph()
    graph.add_nodes_from(sites)
    for u, v in itertools.combinations(sites, 2):
        if draw(st.booleans()):
            graph.add_edge(u, v)
    rooms = []
    for k in range(draw(st.integers(1, 5))):
        used = draw(st.integers(0, 6))
        total = used + draw(st.integers(0, 8))
        kw = float(draw(st.integers(0, 10)))
        cap = draw(st.one_of(st.none(), st.integers(int(kw), 20).map(float)))
        rooms.append(spec(f"r{k}", draw(st.sampled_from(sites)), used, total,
                          float(draw(st.integers(0, 6)) * 50_000), kw=kw, kw_cap=cap,
                          isolation=draw(st.sampled_from(["none", "none", "logical", "physical"])),
                          central=draw(st.booleans()) and k == 0))
    params = PlanParameters(max_hops=draw(st.integers(0, 3)),
                            max_rooms_kept=draw(st.one_of(st.none(), st.integers(1, 5))))
    return rooms, graph, params


def _allowed(src: RoomSpec, tgt: RoomSpec, hops: int, params: PlanParameters) -> bool:
    return ((src.isolation == "physical") == (tgt.isolation == "physical") and hops <= params.max_hops)


def _brute_force(rooms, dist, params) -> float | None:
    """Cheapest valid assignment by enumeration (each room: itself or another room)."""
    n, best = len(rooms), None
    for choice in itertools.product(range(n), repeat=n):
        kept = [choice[i] == i for i in range(n)]
        if any(r.central and not kept[i] for i, r in enumerate(rooms)):
            continue
        if params.max_rooms_kept is not None and sum(kept) > params.max_rooms_kept:
            continue
        ok = True
        for j, tgt in enumerate(rooms):
            incoming = [i for i in range(n) if choice[i] == j and i != j]
            if not incoming:
                continue
            if not kept[j] or any(not _allowed(rooms[i], tgt, dist[i, j], params) for i in incoming):
                ok = False
                break
            if sum(rooms[i].racks_used for i in incoming) > tgt.spare_racks:
                ok = False
                break
            if tgt.spare_power_kw is not None and sum(rooms[i].power_kw for i in incoming) > tgt.spare_power_kw:
                ok = False
                break
        if not ok:
            continue
        cost = sum(params.horizon_years * r.yearly_cost_cny for i, r in enumerate(rooms) if kept[i])
        cost += sum(params.migration_cost_per_rack_cny * r.racks_used for i, r in enumerate(rooms) if not kept[i])
        best = cost if best is None else min(best, cost)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_cities())
def test_plan_respects_every_constraint_and_is_optimal(case):
    rooms, graph, params = case
    dist = room_distances(graph, rooms, cutoff=6)
    plan = solve_room_plan(rooms, dist, params)
    by_id = {r.id: r for r in rooms}
    position = {r.id: k for k, r in enumerate(rooms)}
    best = _brute_force(rooms, dist, params)
    if best is None:
        assert plan.status == "infeasible" and plan.message
        return
    assert plan.status == "optimal"
    incoming: dict[str, list[RoomSpec]] = {}
    for m in plan.moves:
        src, tgt = by_id[m.room], by_id[m.into]
        # Never classified equipment into a non-isolated room, nor the reverse.
        assert (src.isolation == "physical") == (tgt.isolation == "physical")
        assert m.hops == dist[position[src.id], position[tgt.id]] <= params.max_hops
        assert not src.central and m.into in plan.kept
        incoming.setdefault(tgt.id, []).append(src)
    for tgt_id, sources in incoming.items():
        tgt = by_id[tgt_id]
        assert sum(s.racks_used for s in sources) <= tgt.spare_racks  # never over capacity
        if tgt.spare_power_kw is not None:
            assert sum(s.power_kw for s in sources) <= tgt.spare_power_kw + 1e-9
    cost = sum(params.horizon_years * by_id[k].yearly_cost_cny for k in plan.kept)
    cost += sum(m.migration_cost_cny for m in plan.moves)
    assert cost == pytest.approx(best)
