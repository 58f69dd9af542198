"""SpareCapacity routes agree with networkx max-flow and respect capacities and tiers."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.flow import SpareCapacity


@st.composite
def capacity_graphs(draw):
    n = draw(st.integers(2, 8))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.sampled_from([1.0, 2.0, 5.0, 10.0, 2.5])), max_size=16))
    s, t = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    demand = draw(st.sampled_from([0.5, 1.0, 3.0, 7.5, 12.0, 20.0]))
    return n, [(u, v, c) for u, v, c in pairs if u != v], s, t, demand


def oracle(n: int, pairs, s: int, t: int) -> float:
    """Undirected max-flow by networkx: both arcs of every pair carry its summed capacity."""
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    for u, v, c in pairs:
        for a, b in ((u, v), (v, u)):
            G.add_edge(a, b, capacity=G.edges[a, b]["capacity"] + c if G.has_edge(a, b) else c)
    return nx.maximum_flow_value(G, s, t)


@settings(max_examples=300, deadline=None)
@given(capacity_graphs())
def test_route_exists_exactly_when_the_max_flow_meets_the_demand(case):
    n, pairs, s, t, demand = case
    best = oracle(n, pairs, s, t)
    route = SpareCapacity(pairs).route(s, t, demand)
    assert (route is not None) == (best >= demand - 1e-9)
    if route is None:
        return
    spare = SpareCapacity(pairs)
    net: dict[int, float] = {}
    for (u, v), f in route.flows.items():
        assert f <= spare.spare(u, v) + 1e-9  # within capacity
        assert (v, u) not in route.flows  # one direction per pair
        net[u] = net.get(u, 0.0) - f
        net[v] = net.get(v, 0.0) + f
    assert net.get(t, 0.0) == pytest.approx(demand)
    assert all(abs(x) < 1e-9 for node, x in net.items() if node not in (s, t))  # conservation
    assert sum(amount for _, amount in route.paths) == pytest.approx(demand)


def test_committed_routes_consume_capacity_for_later_ones():
    spare = SpareCapacity([("a", "h", 10), ("h", "b", 10), ("h", "c", 10)])
    spare.commit(spare.route("a", "b", 8))
    assert spare.spare("a", "h") == pytest.approx(2)
    assert spare.route("a", "c", 5) is None
    assert spare.route("a", "c", 2) is not None


def test_opposite_routes_of_two_lines_do_not_cancel_out():
    spare = SpareCapacity([("a", "b", 10)])
    spare.commit(spare.route("a", "b", 6))
    assert spare.route("b", "a", 6) is None  # full duplex lines: each route uses its share


def test_tiers_prefer_the_first_and_commit_consumes_it_first():
    spare = SpareCapacity(tiers=2)
    spare.add("a", "b", 5, tier=0)
    spare.add("a", "b", 20, tier=1)
    assert spare.route("a", "b", 10, tiers=1) is None
    route = spare.route("a", "b", 10)
    assert spare.commit(route) == {("a", "b"): (5.0, 5.0)}
    assert spare.spare("a", "b") == pytest.approx(15)


def test_removing_more_than_there_is_leaves_nothing_not_a_negative():
    spare = SpareCapacity([("a", "b", 5)])
    spare.remove("a", "b", 9)
    assert spare.spare("a", "b") == 0.0
    assert spare.route("a", "b", 1) is None
