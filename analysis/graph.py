"""The citywide graph: sites, rooms and devices; links, L3 adjacencies and circuits.

Node ids are prefixed by kind so ids of different sections never collide:
``site:<id>``, ``room:<id>``, ``device:<name>``. Every node has ``kind``; every
edge has ``kind`` in :data:`EDGE_KINDS`. Edge keys are stable strings, so the
same inputs give the same graph.

Path and capacity questions go to :func:`site_graph`, which contracts devices
into their sites (DESIGN.md section 7).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

import networkx as nx

from collectors.facts import DeviceFacts
from collectors.normalise import device_name
from inventory.model import Circuit, Inventory

__all__ = [
    "EDGE_KINDS",
    "build_graph",
    "circuit_end_status",
    "device_node",
    "site_graph",
    "site_node",
]

#: located: site-room, room-device or site-device; link: LLDP/CDP physical link;
#: l3: two interfaces in one /30 or /31; circuit: a declared leased line.
EDGE_KINDS = ("located", "link", "l3", "circuit")


def site_node(site_id: str) -> str:
    return f"site:{site_id}"


def room_node(room_id: str) -> str:
    return f"room:{room_id}"


def device_node(name: str) -> str:
    return f"device:{name}"


def build_graph(inventory: Inventory, facts: Mapping[str, DeviceFacts]) -> nx.MultiGraph:
    """Build the citywide multigraph from the declared inventory and observed facts.

    Neighbours that match no declared device become ``device`` nodes with
    ``declared=False`` (the undeclared-device check reads them).

    Examples
    --------
    >>> from inventory.model import Inventory, Site, Device
    >>> inv = Inventory(sites={"s1": Site(id="s1", name="S1", district="D")},
    ...                 devices={"r1": Device(name="r1", host="10.0.0.1", platform="cisco_ios",
    ...                                       department="it", site="s1")})
    >>> G = build_graph(inv, {})
    >>> sorted(G.nodes)
    ['device:r1', 'site:s1']
    >>> [d["kind"] for _, _, d in G.edges(data=True)]
    ['located']
    """
    G = nx.MultiGraph()
    for site in inventory.sites.values():
        G.add_node(site_node(site.id), kind="site", id=site.id, name=site.name,
                   local_name=site.local_name, district=site.district,
                   coordinates=site.coordinates, critical=site.critical, backbone=False)
    for room in inventory.rooms.values():
        G.add_node(room_node(room.id), kind="room", id=room.id, site=room.site,
                   department=room.department, role=room.role, isolation=room.isolation)
        G.add_edge(site_node(room.site), room_node(room.id), key="located", kind="located")
    for dev in inventory.devices.values():
        f = facts.get(dev.name)
        G.add_node(device_node(dev.name), kind="device", id=dev.name, declared=True,
                   platform=dev.platform, department=dev.department,
                   site=inventory.device_site(dev.name), room=dev.room, role=dev.role,
                   networks=dev.networks, status=f.status if f else "missing")
        parent = room_node(dev.room) if dev.room else site_node(dev.site or "")
        G.add_edge(parent, device_node(dev.name), key="located", kind="located")

    _mark_backbone_sites(G, inventory)
    _add_links(G, inventory, facts)
    _add_l3_adjacencies(G, facts)
    for circuit in inventory.circuits.values():
        _add_circuit(G, inventory, facts, circuit)
    return G


def _mark_backbone_sites(G: nx.MultiGraph, inventory: Inventory) -> None:
    """A site is on the backbone if a backbone device sits there or a backbone line ends there."""
    backbone = inventory.policy.backbone
    if not backbone:
        return
    sites = {inventory.device_site(d.name) for d in inventory.devices.values() if backbone in d.networks}
    sites |= {end.site for c in inventory.circuits.values() if c.network == backbone for end in (c.a, c.z)}
    for s in sites:
        if s and G.has_node(site_node(s)):
            G.nodes[site_node(s)]["backbone"] = True


def _resolver(inventory: Inventory) -> dict[str, str]:
    """Map advertised names and management addresses to declared device names."""
    index: dict[str, str] = {}
    for dev in inventory.devices.values():
        index.setdefault(device_name(dev.name), dev.name)
        index.setdefault(dev.host, dev.name)
    return index


def _add_links(G: nx.MultiGraph, inventory: Inventory, facts: Mapping[str, DeviceFacts]) -> None:
    """One ``link`` edge per physical link, even though both ends report it."""
    index = _resolver(inventory)
    seen: dict[frozenset[tuple[str, str]], tuple[str, str, str]] = {}
    for local, f in sorted(facts.items()):
        for n in f.neighbours:
            remote = index.get(device_name(n.remote_name)) or (
                index.get(n.remote_address) if n.remote_address else None)
            if remote is None:
                remote = device_name(n.remote_name) or (n.remote_address or "?")
                node = device_node(remote)
                if not G.has_node(node):
                    G.add_node(node, kind="device", id=remote, declared=False,
                               advertised_name=n.remote_name, address=n.remote_address,
                               seen_by=[], site=inventory.device_site(local))
                G.nodes[node]["seen_by"].append(f"{local}:{n.local_port}")
            ends = frozenset({(local, n.local_port), (remote, n.remote_port)})
            if ends in seen:
                G.edges[seen[ends]]["protocols"].add(n.protocol)
                G.edges[seen[ends]]["reported_by"].append(local)
                continue
            key = f"link:{local}:{n.local_port}"
            G.add_edge(device_node(local), device_node(remote), key=key, kind="link",
                       ports={local: n.local_port, remote: n.remote_port},
                       protocols={n.protocol}, reported_by=[local])
            seen[ends] = (device_node(local), device_node(remote), key)


def _add_l3_adjacencies(G: nx.MultiGraph, facts: Mapping[str, DeviceFacts]) -> None:
    """An ``l3`` edge between two devices with addresses in one /30 or /31 subnet."""
    by_subnet: dict[ipaddress.IPv4Network, list[tuple[str, str]]] = {}
    for name, f in facts.items():
        for itf in f.interfaces:
            for addr in itf.addresses:
                try:
                    iface = ipaddress.IPv4Interface(addr)
                except ValueError:
                    continue
                if iface.network.prefixlen in (30, 31) and itf.vrf is None:
                    by_subnet.setdefault(iface.network, []).append((name, itf.name))
    for subnet, ends in sorted(by_subnet.items()):
        if len(ends) == 2 and ends[0][0] != ends[1][0]:
            (a, ai), (z, zi) = sorted(ends)
            G.add_edge(device_node(a), device_node(z), key=f"l3:{subnet}", kind="l3",
                       subnet=str(subnet), ports={a: ai, z: zi})


def circuit_end_status(facts: Mapping[str, DeviceFacts], device: str | None,
                       interface: str | None) -> bool | None:
    """Whether a circuit end's interface was seen up: True, False, or None (cannot tell).

    None when the end names no device or interface, or the device was not collected.
    """
    if not device or not interface:
        return None
    f = facts.get(device)
    if f is None or f.status not in ("ok", "partial") or not f.interfaces:
        return None
    from collectors.normalise import interface_name

    itf = f.interface(interface_name(interface))
    return bool(itf and itf.oper_up)


def _add_circuit(G: nx.MultiGraph, inventory: Inventory, facts: Mapping[str, DeviceFacts],
                 c: Circuit) -> None:
    ends = []
    for end in (c.a, c.z):
        dev = end.device if end.device in inventory.devices else None
        ends.append(device_node(dev) if dev else site_node(end.site))
    up = [circuit_end_status(facts, e.device, e.interface) for e in (c.a, c.z)]
    G.add_edge(ends[0], ends[1], key=f"circuit:{c.id}", kind="circuit", id=c.id,
               carrier=c.carrier, circuit_kind=c.kind, department=c.department,
               network=c.network, bandwidth_mbps=c.bandwidth_mbps,
               yearly_cost_cny=c.yearly_cost_cny, sites=(c.a.site, c.z.site),
               seen_up=up)


def _node_site(G: nx.MultiGraph, node: str) -> str | None:
    data = G.nodes[node]
    if data["kind"] == "site":
        return data["id"]
    return data.get("site")


def site_graph(G: nx.MultiGraph, *, without: Iterable[str] = ()) -> nx.MultiGraph:
    """Contract the citywide graph into sites: one node per site, inter-site edges only.

    Circuits keep their attributes (``capacity`` = bandwidth); links between devices
    of two sites become edges whose ``capacity`` is ``None`` (unknown) unless set.
    ``without`` drops circuits by id (for what-if questions).

    Examples
    --------
    >>> G = nx.MultiGraph()
    >>> G.add_node("site:a", kind="site", id="a", backbone=True)
    >>> G.add_node("site:b", kind="site", id="b", backbone=False)
    >>> G.add_edge("site:a", "site:b", key="circuit:c1", kind="circuit", id="c1", bandwidth_mbps=100)
    'circuit:c1'
    >>> list(site_graph(G).edges(keys=True))
    [('a', 'b', 'circuit:c1')]
    """
    dropped = {f"circuit:{c}" for c in without}
    S = nx.MultiGraph()
    for node, data in G.nodes(data=True):
        if data["kind"] == "site":
            S.add_node(data["id"], **{k: v for k, v in data.items() if k != "kind"})
    for u, v, key, data in G.edges(keys=True, data=True):
        if data["kind"] == "located" or key in dropped:
            continue
        su, sv = _node_site(G, u), _node_site(G, v)
        if not su or not sv or su == sv or su not in S or sv not in S:
            continue
        attrs = dict(data)
        attrs["capacity"] = data.get("bandwidth_mbps")
        S.add_edge(su, sv, key=key, **attrs)
    return S
