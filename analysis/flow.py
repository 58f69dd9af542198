"""Capacity what-ifs on the site graph: can the other lines carry one line's traffic?

:class:`SpareCapacity` holds the spare capacity between site pairs (parallel lines
contracted into one summed capacity) and answers "route ``demand`` Mbit/s from
``s`` to ``t``" with the shortest-augmenting-path max-flow algorithm
(Edmonds-Karp), stopped as soon as the demand is met. A route that is committed
consumes capacity, so a series of committed routes is feasible all together.

Why not ``networkx.maximum_flow`` per line: it builds a residual network of the
whole graph on every call (O(E) before the first augmenting path), and a city
asks the question for thousands of lines. Here a breadth-first search stops at
the target, so a line whose traffic finds a short detour costs a few hundred
operations; only a line that cannot be rerouted pays a full search. The search
runs from both ends at once, so a detour through a hub with hundreds of lines
meets in the middle. The tests check every answer against
``networkx.maximum_flow_value``.

Capacity is kept in preference tiers (the backbone's lines first), so a caller
can ask for a route on the backbone alone before letting other lines carry it.

Capacity model: lines are full duplex and a line's traffic is symmetric, so a
route of ``d`` Mbit/s over a pair uses ``d`` of its spare capacity whatever the
direction, and routes of different lines never cancel each other out.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

__all__ = ["EPSILON", "Route", "SpareCapacity"]

#: Capacities below this (Mbit/s) are zero: floating-point dust, not bandwidth.
EPSILON = 1e-9

Node = Hashable
Pair = tuple[Node, Node]


@dataclass(frozen=True, slots=True)
class Route:
    """A flow of ``demand`` from ``source`` to ``target``.

    ``flows`` maps each used pair, oriented in the direction of the flow, to the
    Mbit/s it carries; ``paths`` decomposes it into simple paths with their share.
    """

    source: Node
    target: Node
    demand: float
    flows: dict[Pair, float]
    paths: tuple[tuple[tuple[Node, ...], float], ...]


class SpareCapacity:
    """Spare capacity between site pairs, in preference tiers, consumed by committed routes.

    Tier 0 is the capacity traffic should move onto first (the backbone); a route
    asked to use ``tiers=2`` may also use tier 1, and :meth:`commit` consumes the
    lower tiers first, reporting what it took from each.

    >>> spare = SpareCapacity([("a", "h", 100), ("h", "b", 100), ("a", "b", 10)])
    >>> spare.remove("a", "b", 10)              # what if the a-b line went?
    >>> route = spare.route("a", "b", 10)
    >>> route.paths
    ((('a', 'h', 'b'), 10.0),)
    >>> spare.commit(route)[("a", "h")]
    (10.0,)
    >>> spare.spare("a", "h")
    90.0
    >>> spare.route("a", "b", 95) is None      # a-h has only 90 left
    True
    """

    def __init__(self, pairs: Iterable[tuple[Node, Node, float]] = (), tiers: int = 1) -> None:
        if tiers < 1:
            raise ValueError(f"tiers must be >= 1, got {tiers}")
        self._tiers: list[dict[Node, dict[Node, float]]] = [{} for _ in range(tiers)]
        #: all tiers summed, kept in step, so a search over every tier reads one dict
        self._total: dict[Node, dict[Node, float]] = self._tiers[0] if tiers == 1 else {}
        for u, v, capacity in pairs:
            self.add(u, v, capacity)

    @property
    def tiers(self) -> int:
        """How many preference tiers the capacity is kept in."""
        return len(self._tiers)

    def add(self, u: Node, v: Node, capacity: float, tier: int = 0) -> None:
        """Add ``capacity`` between ``u`` and ``v`` in a tier (parallel lines sum up)."""
        layers = [self._tiers[tier]] if self._total is self._tiers[0] else [self._tiers[tier], self._total]
        for adj in layers:
            adj.setdefault(u, {})
            adj.setdefault(v, {})
            if u == v or capacity <= EPSILON:
                continue
            for a, b in ((u, v), (v, u)):
                adj[a][b] = adj[a].get(b, 0.0) + float(capacity)

    def remove(self, u: Node, v: Node, capacity: float, tier: int = 0) -> None:
        """Take ``capacity`` away between ``u`` and ``v`` in a tier (never below zero)."""
        adj = self._tiers[tier]
        taken = min(capacity, adj.get(u, {}).get(v, 0.0))
        _take(adj, u, v, taken)
        if self._total is not adj:
            _take(self._total, u, v, taken)

    def _layer(self, tiers: int | None) -> dict[Node, dict[Node, float]] | None:
        """One adjacency holding the capacity of the first ``tiers`` tiers, if kept."""
        if tiers is None or tiers >= len(self._tiers):
            return self._total
        return self._tiers[0] if tiers == 1 else None

    def spare(self, u: Node, v: Node, tiers: int | None = None) -> float:
        """The spare capacity between ``u`` and ``v`` in the first ``tiers`` tiers (all by default)."""
        layer = self._layer(tiers)
        if layer is not None:
            return layer.get(u, {}).get(v, 0.0)
        return sum(adj.get(u, {}).get(v, 0.0) for adj in self._tiers[:tiers])

    def neighbours(self, u: Node, tiers: int | None = None) -> list[Node]:
        """The nodes with spare capacity towards ``u``."""
        out: dict[Node, None] = {}
        for adj in self._tiers[:tiers]:
            out.update(dict.fromkeys(adj.get(u, {})))
        return list(out)

    def around(self, u: Node, tiers: int | None = None) -> float:
        """All spare capacity at ``u``: an upper bound of any flow leaving it."""
        return sum(sum(adj.get(u, {}).values()) for adj in self._tiers[:tiers])

    def route(self, s: Node, t: Node, demand: float, tiers: int | None = None) -> Route | None:
        """A flow of ``demand`` from ``s`` to ``t`` within the first ``tiers`` tiers, or None.

        Nothing is consumed until :meth:`commit`. A positive demand always needs a
        path, so a route also proves that ``s`` and ``t`` stay connected.
        """
        if s == t:
            return Route(s, t, demand, {}, ())
        if min(self.around(s, tiers), self.around(t, tiers)) < demand - EPSILON:  # cheap cut bound
            return None
        flow: dict[Pair, float] = {}
        remaining = demand
        while remaining > EPSILON:
            path = self._augmenting_path(s, t, flow, tiers)
            if path is None:
                return None
            arcs = list(itertools.pairwise(path))
            step = min([remaining] + [self.spare(u, v, tiers) - flow.get((u, v), 0.0) for u, v in arcs])
            for u, v in arcs:
                flow[(u, v)] = flow.get((u, v), 0.0) + step
                flow[(v, u)] = flow.get((v, u), 0.0) - step
            remaining -= step
        net = {arc: f for arc, f in flow.items() if f > EPSILON}
        return Route(s, t, demand, net, _decompose(s, t, net))

    def commit(self, route: Route) -> dict[Pair, tuple[float, ...]]:
        """Consume the capacity a route uses, lower tiers first; what each tier gave, per arc."""
        taken: dict[Pair, tuple[float, ...]] = {}
        for (u, v), f in route.flows.items():
            shares = []
            for tier, adj in enumerate(self._tiers):
                share = min(f, adj.get(u, {}).get(v, 0.0))
                self.remove(u, v, share, tier)
                shares.append(share)
                f -= share
            taken[(u, v)] = tuple(shares)
        return taken

    def _augmenting_path(self, s: Node, t: Node, flow: dict[Pair, float],
                         tiers: int | None) -> list[Node] | None:
        """A path of arcs with residual capacity from ``s`` to ``t``, or None.

        Searched breadth-first from both ends at once, always growing the smaller
        frontier: around a backbone hub with hundreds of lines this meets in the
        middle instead of visiting every site the hub reaches.
        """
        layer = self._layer(tiers)
        if layer is None:  # an intermediate tier count: sum on the fly (rare, slower)
            layer = {u: {v: self.spare(u, v, tiers) for v in self.neighbours(u, tiers)}
                     for u in self._total}
        before: dict[Node, Node | None] = {s: None}  # node -> previous node on the way from s
        after: dict[Node, Node | None] = {t: None}  # node -> next node on the way to t
        front_s, front_t = [s], [t]
        while front_s and front_t:
            grow_s = len(front_s) <= len(front_t)
            front, seen, other = (front_s, before, after) if grow_s else (front_t, after, before)
            nxt: list[Node] = []
            for u in front:
                for v, capacity in layer.get(u, {}).items():
                    arc = (u, v) if grow_s else (v, u)
                    if v in seen or capacity - flow.get(arc, 0.0) <= EPSILON:
                        continue
                    seen[v] = u
                    if v in other:
                        return _join(before, after, v)
                    nxt.append(v)
            if grow_s:
                front_s = nxt
            else:
                front_t = nxt
        return None


def _join(before: dict[Node, Node | None], after: dict[Node, Node | None], meet: Node) -> list[Node]:
    """The path through ``meet`` from the two half-searches."""
    head: list[Node] = []
    node: Node | None = meet
    while node is not None:
        head.append(node)
        node = before[node]
    head.reverse()
    node = after[meet]
    while node is not None:
        head.append(node)
        node = after[node]
    return head


def _take(adj: dict[Node, dict[Node, float]], u: Node, v: Node, capacity: float) -> None:
    """Lower the capacity of both arcs of a pair, dropping arcs that reach zero."""
    for a, b in ((u, v), (v, u)):
        row = adj.get(a)
        if row is None or b not in row:
            continue
        left = row[b] - capacity
        if left > EPSILON:
            row[b] = left
        else:
            del row[b]


def _decompose(s: Node, t: Node, flows: dict[Pair, float]) -> tuple[tuple[tuple[Node, ...], float], ...]:
    """Split a flow into simple s-t paths with their amounts (largest first)."""
    left = dict(flows)
    out_arcs: dict[Node, list[Node]] = {}
    for u, v in left:
        out_arcs.setdefault(u, []).append(v)
    paths: list[tuple[tuple[Node, ...], float]] = []
    while True:
        path, seen = [s], {s}
        while path[-1] != t:
            step = next((v for v in out_arcs.get(path[-1], ()) if left.get((path[-1], v), 0.0) > EPSILON
                         and v not in seen), None)
            if step is None:
                break
            path.append(step)
            seen.add(step)
        if path[-1] != t:
            break
        arcs = list(itertools.pairwise(path))
        amount = min(left[a] for a in arcs)
        for a in arcs:
            left[a] -= amount
        paths.append((tuple(path), amount))
    return tuple(sorted(paths, key=lambda p: -p[1]))
