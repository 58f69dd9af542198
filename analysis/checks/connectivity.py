"""Connectivity checks on the site graph: islands (CON001) and single points of failure (CON002).

The backbone (the unified e-government network) is the set of sites of its own devices
(:func:`backbone_sites`); it is treated as one resilient whole: a site reaches the
backbone when it reaches any backbone site. Path questions are answered on the site graph
(devices contracted into sites) without the lines of isolated networks
(:func:`transit_graph`): a classified line carries no one else's traffic.

Single points of failure come from the block-cut tree of the site graph with one extra
node joined to every backbone site: a site ``v`` (or a line ``e``) separates site ``s``
from the backbone exactly when ``v`` is a cut vertex (``e`` a bridge) on the tree path
from ``s`` to that node. One biconnected-components pass, O(sites + lines), answers every
site.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from analysis.context import AuditContext
from analysis.findings import Evidence, Finding, Severity
from analysis.registry import check, spec
from inventory.model import Inventory

__all__ = [
    "Bridge",
    "SinglePoints",
    "backbone_sites",
    "describe_edge_key",
    "island_sites",
    "isolated_networks",
    "single_points_of_failure",
    "transit_graph",
]

#: The stand-in node for "the backbone" (a tuple never collides with a site id).
_BACKBONE = ("backbone",)


@dataclass(frozen=True, slots=True)
class Bridge:
    """A site-graph connection whose loss cuts a site off: one line or link between two sites."""

    sites: tuple[str, str]  # sorted
    keys: tuple[str, ...]  # the physical line: circuit:<id>, or link:<dev>:<port> / l3:<subnet> of no circuit


@dataclass(frozen=True, slots=True)
class SinglePoints:
    """What a site's way to the backbone depends on (ordered from the site outward)."""

    site: str
    bridges: tuple[Bridge, ...]
    cut_sites: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.bridges or self.cut_sites)


def backbone_sites(S: nx.Graph, inventory: Inventory | None = None) -> set[str]:
    """Sites that are part of the backbone.

    With an inventory: the sites of devices that belong to ``policy.backbone`` (the
    backbone's own nodes). A department site at the end of an access line of the
    backbone network reaches the backbone over that line; it is not part of it, and its
    access line can be its single point of failure. Only when no device is declared on
    the backbone (an inventory of lines alone) do the sites the graph marks ``backbone``
    (ends of backbone lines) stand in.
    """
    if inventory is not None and inventory.policy.backbone:
        net = inventory.policy.backbone
        own = {inventory.device_site(d.name) for d in inventory.devices.values() if net in d.networks}
        own = {site for site in own if site in S}
        if own:
            return own
    return {n for n, d in S.nodes(data=True) if d.get("backbone")}


def isolated_networks(inventory: Inventory) -> set[str]:
    """Networks that carry nothing but their own traffic: physically isolated or classified."""
    return {n.id for n in inventory.networks.values() if n.isolation == "physical" or n.kind == "classified"}


def transit_graph(S: nx.MultiGraph, inventory: Inventory) -> nx.MultiGraph:
    """The site graph without the lines of isolated networks (a view, not a copy).

    A classified line is no path to the backbone for anyone: counting it would call a
    site redundant, or safe to lose a line, when it is not. Its LLDP link and /30 (the
    edges that ride it) go with it.
    """
    isolated = isolated_networks(inventory)
    lines = {c.id for c in inventory.circuits.values() if c.network in isolated}
    if not lines:
        return S
    hidden = [(u, v, k) for u, v, k, d in S.edges(keys=True, data=True)
              if (d.get("kind") == "circuit" and d.get("id") in lines) or d.get("circuit") in lines]
    return nx.restricted_view(S, [], hidden)


def island_sites(S: nx.Graph, backbone: set[str] | None = None) -> set[str]:
    """Sites with no path to any backbone site; empty when there is no backbone at all."""
    backbone = backbone_sites(S) if backbone is None else backbone
    if not backbone:
        return set()
    out: set[str] = set()
    for component in nx.connected_components(S):
        if not component & backbone:
            out |= component
    return out


def _physical(key: str, data: Mapping[str, object]) -> str:
    """The physical line an edge stands for: a circuit's LLDP link and /30 are that circuit."""
    if data.get("kind") == "circuit" and data.get("id"):
        return f"circuit:{data['id']}"
    if data.get("circuit"):
        return f"circuit:{data['circuit']}"
    return key


def _simple_with_backbone(S: nx.Graph, backbone: set[str]) -> nx.Graph:
    """A simple graph of the site graph plus the backbone node.

    Each edge keeps the physical lines it stands for (``lines``): parallel edges that are
    one line seen three ways (circuit, LLDP link, /30) count once.
    """
    H = nx.Graph()
    H.add_nodes_from(S.nodes)
    edges = (S.edges(keys=True, data=True) if S.is_multigraph()
             else ((u, v, f"{u}-{v}", d) for u, v, d in S.edges(data=True)))
    for u, v, key, data in edges:
        if u == v:
            continue
        if not H.has_edge(u, v):
            H.add_edge(u, v, lines=set())
        H[u][v]["lines"].add(_physical(key, data))
    for site in backbone:
        H.add_edge(_BACKBONE, site, lines=set())
    return H


def single_points_of_failure(S: nx.Graph, sites: Iterable[str],
                             backbone: set[str] | None = None) -> dict[str, SinglePoints]:
    """For each given site that reaches the backbone: the bridges and cut sites on its way.

    Backbone sites themselves and islands are left out (they have no way to the backbone
    to fail). Other backbone sites are never reported as cut sites: reaching them is
    reaching the backbone.

    Examples
    --------
    >>> S = nx.MultiGraph()
    >>> S.add_node("hub", backbone=True); S.add_node("a"); S.add_node("b")
    >>> _ = S.add_edge("hub", "a", key="circuit:c1"); _ = S.add_edge("a", "b", key="circuit:c2")
    >>> _ = S.add_edge("a", "b", key="circuit:c3")
    >>> spof = single_points_of_failure(S, ["b"])["b"]
    >>> spof.cut_sites, [br.keys for br in spof.bridges]
    (('a',), [('circuit:c1',)])
    """
    backbone = backbone_sites(S) if backbone is None else backbone
    wanted = [s for s in sites if s in S and s not in backbone]
    if not backbone or not wanted:
        return {}
    H = _simple_with_backbone(S, backbone)
    blocks = [frozenset(b) for b in nx.biconnected_components(H)]
    cuts = set(nx.articulation_points(H))
    tree = nx.Graph()
    block_of: dict[object, int] = {}
    for k, block in enumerate(blocks):
        tree.add_node(("B", k))
        for node in block:
            if node in cuts:
                tree.add_edge(("B", k), ("C", node))
            else:
                block_of[node] = k

    def tree_node(node: object) -> tuple[str, object] | None:
        if node in cuts:
            return ("C", node)
        return ("B", block_of[node]) if node in block_of else None

    root = tree_node(_BACKBONE)
    if root is None:
        return {}
    parent = _bfs_parents(tree, root)
    out: dict[str, SinglePoints] = {}
    for site in wanted:
        node = tree_node(site)
        if node is None or node not in parent:
            continue  # an island (or a site with no edge at all)
        bridges: list[Bridge] = []
        cut_sites: list[str] = []
        while node != root:
            label, value = node
            if label == "C" and value != site and value not in backbone:
                cut_sites.append(value)  # type: ignore[arg-type]
            elif label == "B" and len(blocks[value]) == 2 and _BACKBONE not in blocks[value]:  # type: ignore[index]
                u, v = sorted(blocks[value])  # type: ignore[index]
                lines = H[u][v]["lines"]
                if len(lines) == 1:  # parallel lines between two sites are no single point
                    bridges.append(Bridge((u, v), tuple(lines)))
            node = parent[node]
        out[site] = SinglePoints(site, tuple(bridges), tuple(cut_sites))
    return out


def _bfs_parents(tree: nx.Graph, root: object) -> dict[object, object]:
    parent: dict[object, object] = {root: root}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for nxt in tree[node]:
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return parent


def edge_key_args(key: str) -> dict[str, str]:
    """A site-graph edge key as message args (``arg.via.*`` in the finding catalogue words it).

    >>> edge_key_args("circuit:CT-001"), edge_key_args("link:core1:Gi0/1")
    ({'via': 'circuit', 'id': 'CT-001'}, {'via': 'link', 'device': 'core1', 'port': 'Gi0/1'})
    """
    kind, _, rest = key.partition(":")
    if kind == "link":
        device, _, port = rest.partition(":")
        return {"via": "link", "device": device, "port": port}
    if kind in ("circuit", "l3"):
        return {"via": kind, "id": rest}
    return {"via": "other", "id": key}


def describe_edge_key(key: str) -> str:
    """A reader's name for a site-graph edge key.

    >>> describe_edge_key("circuit:CT-001"), describe_edge_key("link:core1:Gi0/1")
    ('line CT-001', 'link from core1 port Gi0/1')
    """
    kind, _, rest = key.partition(":")
    if kind == "circuit":
        return f"line {rest}"
    if kind == "link":
        device, _, port = rest.partition(":")
        return f"link from {device} port {port}"
    if kind == "l3":
        return f"routed link {rest}"
    return key


def _edge_evidence(ctx: AuditContext, bridge: Bridge) -> list[Evidence]:
    out = []
    for key in bridge.keys:
        kind, _, rest = key.partition(":")
        source = ctx.inventory.source("circuits", rest) if kind == "circuit" else f"graph edge {key}"
        out.append(Evidence(source, f"{describe_edge_key(key)} is the only connection "
                                    f"between {bridge.sites[0]} and {bridge.sites[1]}"))
    return out


def _site_departments(ctx: AuditContext) -> Mapping[str, list[str]]:
    """Departments with a room or a device at each site."""
    inventory = ctx.inventory
    out: dict[str, set[str]] = {}
    for room in inventory.rooms.values():
        out.setdefault(room.site, set()).add(room.department)
    for dev in inventory.devices.values():
        site = inventory.device_site(dev.name)
        if site:
            out.setdefault(site, set()).add(dev.department)
    return {site: sorted(deps) for site, deps in out.items()}


def _isolated_only_sites(inventory: Inventory) -> set[str]:
    """Sites whose every room is physically isolated and every device is on isolated networks only.

    Such a site is apart by design: advising to join it to the backbone would be wrong.
    """
    isolated = isolated_networks(inventory)
    apart: dict[str, bool] = {}
    for room in inventory.rooms.values():
        apart[room.site] = apart.get(room.site, True) and room.isolation == "physical"
    for dev in inventory.devices.values():
        site = inventory.device_site(dev.name)
        if site:
            on_isolated = bool(dev.networks) and set(dev.networks) <= isolated
            apart[site] = apart.get(site, True) and on_isolated
    return {site for site, only in apart.items() if only}


@check("CON001", "connectivity", Severity.HIGH, "site cut off from the backbone")
def site_cut_off(ctx: AuditContext) -> Iterable[Finding]:
    """Site (and its departments) with no path to the backbone: an island."""
    S = transit_graph(ctx.site_graph, ctx.inventory)
    islands = island_sites(S, backbone_sites(S, ctx.inventory)) - _isolated_only_sites(ctx.inventory)
    if not islands:
        return
    departments = _site_departments(ctx)
    components = {site: comp for comp in nx.connected_components(S.subgraph(islands)) for site in comp}
    for site in sorted(islands):
        deps = departments.get(site, [])
        if not deps and not S.nodes[site].get("critical"):
            continue  # an address with nothing of ours on it is not a network island
        peers = sorted(components[site] - {site})
        detail = (f"reaches only {', '.join(peers[:10])}{' ...' if len(peers) > 10 else ''}, "
                  "none of them on the backbone" if peers else "no line or link to any other site")
        yield spec("CON001").finding(
            subjects=(site,),
            evidence=[Evidence(ctx.inventory.source("sites", site), f"site {site}: {detail}")],
            site=site, departments=deps, island=peers,
        )


@check("CON002", "connectivity", Severity.HIGH, "critical site with a single point of failure")
def critical_single_point(ctx: AuditContext) -> Iterable[Finding]:
    """Critical site whose way to the backbone hangs on one line or one site."""
    S = transit_graph(ctx.site_graph, ctx.inventory)
    critical = [n for n, d in S.nodes(data=True) if d.get("critical")]
    backbone = backbone_sites(S, ctx.inventory)
    for site, spof in sorted(single_points_of_failure(S, critical, backbone).items()):
        if not spof:
            continue
        through = [edge_key_args(k) for b in spof.bridges for k in b.keys]
        through += [{"via": "site", "site": s} for s in spof.cut_sites]
        evidence = [e for b in spof.bridges for e in _edge_evidence(ctx, b)]
        evidence += [Evidence(ctx.inventory.source("sites", s),
                              f"every path from {site} to the backbone passes through site {s}")
                     for s in spof.cut_sites]
        evidence.insert(0, Evidence(ctx.inventory.source("sites", site), f"site {site} is critical"))
        yield spec("CON002").finding(
            subjects=(site,),
            evidence=evidence,
            site=site, bridges=[list(b.keys) for b in spof.bridges], cut_sites=list(spof.cut_sites),
            through=through,
        )
