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
from collectors.normalise import device_name, is_interface_name
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
        if G.has_node(site_node(room.site)):
            G.add_edge(site_node(room.site), room_node(room.id), key="located", kind="located")
    for dev in inventory.devices.values():
        f = facts.get(dev.name)
        G.add_node(device_node(dev.name), kind="device", id=dev.name, declared=True,
                   platform=dev.platform, department=dev.department,
                   site=inventory.device_site(dev.name), room=dev.room, role=dev.role,
                   networks=dev.networks, status=f.status if f else "missing")
        parent = room_node(dev.room) if dev.room else site_node(dev.site or "")
        if G.has_node(parent):  # a dangling reference is the loader's to report, not a node
            G.add_edge(parent, device_node(dev.name), key="located", kind="located")

    _mark_backbone_sites(G, inventory)
    _add_links(G, inventory, facts)
    _add_l3_adjacencies(G, inventory, facts)
    for circuit in inventory.circuits.values():
        _add_circuit(G, inventory, facts, circuit)
    _tag_riding_edges(G, inventory)
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


class _Resolver:
    """Match an LLDP/CDP neighbour to a declared device (DESIGN.md section 5).

    Neighbours carry no serial number, so: management address first, then the
    normalised name, preferring a device at the reporting device's site when the
    same short name is declared at several sites (``sw1`` is a popular name).
    """

    def __init__(self, inventory: Inventory) -> None:
        self._inventory = inventory
        self._by_address: dict[str, str] = {}
        self._by_name: dict[str, list[str]] = {}
        for dev in inventory.devices.values():
            self._by_address.setdefault(dev.host, dev.name)
            self._by_name.setdefault(device_name(dev.name), []).append(dev.name)

    def resolve(self, remote_name: str, remote_address: str | None, local: str) -> str | None:
        """The declared device name, or None when the neighbour matches none."""
        if remote_address and remote_address in self._by_address:
            return self._by_address[remote_address]
        candidates = self._by_name.get(device_name(remote_name), [])
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        here = self._inventory.device_site(local)
        same_site = [c for c in candidates if self._inventory.device_site(c) == here]
        return (same_site or sorted(candidates))[0]


def _undeclared_id(remote_name: str, remote_address: str | None) -> str:
    """The node id of a neighbour that matches no declared device (INV001's subject)."""
    return device_name(remote_name) or (remote_address or "?")


def _add_links(G: nx.MultiGraph, inventory: Inventory, facts: Mapping[str, DeviceFacts]) -> None:
    """One ``link`` edge per physical link, even though both ends report it.

    Reports are merged when their port pairs agree (LLDP and CDP of one link, or
    both ends of it). A remote port id that is not an interface name (a MAC
    address, a description) makes the two ends disagree; then a device pair with
    exactly one unmatched report from each side, one of which names the other's
    port by such an id, is merged too, each side's own local port being the one it
    names with authority. Two reports that both name real ports stay two links.
    """
    resolver = _Resolver(inventory)
    edges: dict[frozenset[tuple[str, str]], dict] = {}
    for local, f in sorted(facts.items()):
        if local not in inventory.devices:  # facts of an undeclared device: nothing to anchor
            continue
        for n in f.neighbours:
            remote = resolver.resolve(n.remote_name, n.remote_address, local)
            if remote is None:
                remote = _undeclared_id(n.remote_name, n.remote_address)
                _note_undeclared(G, inventory, remote, n.remote_name, n.remote_address,
                                 f"{local}:{n.local_port}", local)
            ends = frozenset({(local, n.local_port), (remote, n.remote_port)})
            edge = edges.get(ends)
            if edge is None:
                edges[ends] = {"key": f"link:{local}:{n.local_port}", "u": local, "v": remote,
                               "ports": {local: n.local_port, remote: n.remote_port},
                               "protocols": {n.protocol}, "reported_by": [local]}
            else:
                edge["protocols"].add(n.protocol)
                if local not in edge["reported_by"]:
                    edge["reported_by"].append(local)
    for edge in _merge_one_sided(edges.values()):
        G.add_edge(device_node(edge["u"]), device_node(edge["v"]), key=edge["key"], kind="link",
                   ports=edge["ports"], protocols=edge["protocols"],
                   reported_by=sorted(edge["reported_by"]), circuit=None)


def _merge_one_sided(edges: Iterable[dict]) -> list[dict]:
    """Merge the two one-sided reports of a device pair when each side has exactly one."""
    edges = list(edges)
    one_sided: dict[tuple[str, str], list[dict]] = {}
    for edge in edges:
        if len(edge["reported_by"]) == 1 and edge["u"] != edge["v"]:
            one_sided.setdefault((edge["u"], edge["v"]), []).append(edge)
    merged: set[int] = set()
    for (a, b), from_a in sorted(one_sided.items()):
        from_b = one_sided.get((b, a), [])
        if a < b and len(from_a) == 1 and len(from_b) == 1:
            first, second = from_a[0], from_b[0]
            if is_interface_name(first["ports"][b]) and is_interface_name(second["ports"][a]):
                continue  # both name real ports that disagree: two links, each seen from one side
            first["ports"] = {a: first["ports"][a], b: second["ports"][b]}
            first["protocols"] |= second["protocols"]
            first["reported_by"] = [a, b]
            merged.add(id(second))
    return [e for e in edges if id(e) not in merged]


def _note_undeclared(G: nx.MultiGraph, inventory: Inventory, remote: str, advertised: str,
                     address: str | None, seen_from: str, local: str) -> None:
    """Add (once) the node of a neighbour matching no declared device; record who saw it."""
    node = device_node(remote)
    if not G.has_node(node):
        G.add_node(node, kind="device", id=remote, declared=False, advertised_name=advertised,
                   address=address, seen_by=[], site=inventory.device_site(local))
    if seen_from not in G.nodes[node]["seen_by"]:
        G.nodes[node]["seen_by"].append(seen_from)


def _add_l3_adjacencies(G: nx.MultiGraph, inventory: Inventory,
                        facts: Mapping[str, DeviceFacts]) -> None:
    """An ``l3`` edge between two devices with addresses in one /30 or /31 subnet.

    Subnets are compared per VRF (the global table being one more VRF), so the same
    /30 reused in two VRFs links nothing. A subnet with more than two interfaces,
    or two interfaces of one device, or one address on both ends, is no
    point-to-point adjacency and gives no edge.
    """
    by_subnet: dict[tuple[str, ipaddress.IPv4Network], list[tuple[str, str, str]]] = {}
    for name, f in facts.items():
        if name not in inventory.devices:
            continue
        for itf in f.interfaces:
            for addr in itf.addresses:
                if not addr.endswith(("/30", "/31")):  # most addresses: skip the costly parse
                    continue
                try:
                    iface = ipaddress.IPv4Interface(addr)
                except ValueError:
                    continue
                if iface.network.prefixlen in (30, 31):
                    by_subnet.setdefault((itf.vrf or "", iface.network), []).append(
                        (name, itf.name, str(iface.ip)))
    for (vrf, subnet), ends in sorted(by_subnet.items(), key=lambda item: (item[0][0], item[0][1])):
        if len(ends) != 2 or ends[0][0] == ends[1][0] or ends[0][2] == ends[1][2]:
            continue
        (a, ai, _), (z, zi, _) = sorted(ends)
        key = f"l3:{subnet}" if not vrf else f"l3:{vrf}:{subnet}"
        G.add_edge(device_node(a), device_node(z), key=key, kind="l3", subnet=str(subnet),
                   vrf=vrf or None, ports={a: ai, z: zi}, circuit=None)


def circuit_end_status(facts: Mapping[str, DeviceFacts], device: str | None,
                       interface: str | None) -> bool | None:
    """Whether a circuit end's interface was seen up: True, False, or None (cannot tell).

    None when the end names no device or interface, the device was not collected,
    the device has no interface of that name (an inventory typo is not a dead
    line), or the device did not say whether the interface is up.
    """
    if not device or not interface:
        return None
    f = facts.get(device)
    if f is None or f.status not in ("ok", "partial") or not f.interfaces:
        return None
    from collectors.normalise import interface_name

    itf = f.interface(interface_name(interface))
    if itf is None or itf.oper_up is None:
        return None
    return itf.oper_up


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


def _tag_riding_edges(G: nx.MultiGraph, inventory: Inventory) -> None:
    """Set ``circuit`` on link and l3 edges that run over a declared circuit's end port.

    A leased line is often also seen as an LLDP link and a /30: one physical line,
    three edges. The tag lets capacity questions count it once and lets
    ``site_graph(without=...)`` remove all three.
    """
    from collectors.normalise import interface_name

    ends: dict[tuple[str, str], str] = {}
    for c in inventory.circuits.values():
        for end in (c.a, c.z):
            if end.device and end.interface:
                ends.setdefault((end.device, interface_name(end.interface)), c.id)
    if not ends:
        return
    for _, _, data in G.edges(data=True):
        if data["kind"] in ("link", "l3"):
            ports = ((dev, interface_name(port)) for dev, port in data["ports"].items())
            hits = sorted(ends[dp] for dp in ports if dp in ends)
            data["circuit"] = hits[0] if hits else None


def _node_site(G: nx.MultiGraph, node: str) -> str | None:
    data = G.nodes[node]
    if data.get("kind") == "site":
        return data["id"]
    return data.get("site")


def site_graph(G: nx.MultiGraph, *, without: Iterable[str] = ()) -> nx.MultiGraph:
    """Contract the citywide graph into sites: one node per site, inter-site edges only.

    Circuits keep their attributes (``capacity`` = bandwidth); links between devices
    of two sites become edges whose ``capacity`` is ``None`` (unknown) unless set.
    ``without`` drops circuits by id (for what-if questions), with the link and l3
    edges that run over them (their ``circuit`` attribute).

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
    dropped = set(without)
    S = nx.MultiGraph()
    for node, data in G.nodes(data=True):
        if data.get("kind") == "site":
            S.add_node(data["id"], **{k: v for k, v in data.items() if k != "kind"})
    for u, v, key, data in G.edges(keys=True, data=True):
        kind = data.get("kind")
        if kind == "located" or (kind == "circuit" and data["id"] in dropped):
            continue
        if data.get("circuit") in dropped:  # a link or /30 riding a dropped circuit
            continue
        su, sv = _node_site(G, u), _node_site(G, v)
        if not su or not sv or su == sv or su not in S or sv not in S:
            continue
        attrs = dict(data)
        attrs["capacity"] = data.get("bandwidth_mbps")
        S.add_edge(su, sv, key=key, **attrs)
    return S
