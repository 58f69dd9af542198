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
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx

from collectors.facts import DeviceFacts, Interface, InterfaceRole
from collectors.normalise import (
    device_name,
    engine_base,
    engine_platforms,
    interface_role,
    is_interface_name,
    vrf_name,
)
from inventory.model import Circuit, Inventory

__all__ = [
    "EDGE_KINDS",
    "build_graph",
    "canonical_vrf",
    "circuit_end_status",
    "device_node",
    "interface_plane",
    "site_graph",
    "site_node",
    "vrf_evidenced",
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
    same short name is declared at several sites (``sw1`` is a popular name). A
    neighbour advertising the hostname a collected device reports for itself (its
    sysname ``HOSP2-CORE-01``, declared as ``hosp2-core1``) is that device, when exactly
    one declared device reports that hostname and no device is declared under it.
    """

    def __init__(self, inventory: Inventory, facts: Mapping[str, DeviceFacts] | None = None) -> None:
        self._inventory = inventory
        self._by_address: dict[str, str] = {}
        self._by_name: dict[str, list[str]] = {}
        for dev in inventory.devices.values():
            self._by_address.setdefault(dev.host, dev.name)
            self._by_name.setdefault(device_name(dev.name), []).append(dev.name)
        reported: dict[str, set[str]] = {}
        for name, f in (facts or {}).items():
            if name in inventory.devices and f.info.hostname:
                reported.setdefault(device_name(f.info.hostname), set()).add(name)
        self._by_hostname = {host: names.pop() for host, names in reported.items()
                             if len(names) == 1 and host not in self._by_name}

    def resolve(self, remote_name: str, remote_address: str | None, local: str) -> str | None:
        """The declared device name, or None when the neighbour matches none."""
        if remote_address and remote_address in self._by_address:
            return self._by_address[remote_address]
        candidates = self._by_name.get(device_name(remote_name), [])
        if not candidates:
            # A dual-engine chassis advertises its master engine's name (Junos ``mx1-re0``,
            # ``mx1-re1`` after a switchover), whatever its own facts said or if none were read.
            key = device_name(remote_name)
            candidates = [c for platform in engine_platforms() if (base := engine_base(platform, key))
                          for c in self._by_name.get(base, []) if self._inventory.devices[c].platform == platform]
        if not candidates:
            return self._by_hostname.get(device_name(remote_name))
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
    both ends of it). A remote port id that is an SNMP ifIndex is first named by the
    remote device's own facts (:func:`_port_by_snmp_index`). A remote port id that is not
    an interface name (a MAC address, a description) makes the two ends disagree; then a device pair with
    exactly one unmatched report from each side, one of which names the other's
    port by such an id, is merged too, each side's own local port being the one it
    names with authority. Two reports that both name real ports stay two links.
    """
    resolver = _Resolver(inventory, facts)
    by_snmp_index = _ports_by_snmp_index(facts)
    edges: dict[frozenset[tuple[str, str]], dict] = {}
    for local, f in sorted(facts.items()):
        if local not in inventory.devices:  # facts of an undeclared device: nothing to anchor
            continue
        for n in f.neighbours:
            remote = resolver.resolve(n.remote_name, n.remote_address, local)
            remote_port = n.remote_port
            if remote is None:
                remote = _undeclared_id(n.remote_name, n.remote_address)
                _note_undeclared(G, inventory, remote, n.remote_name, n.remote_address,
                                 f"{local}:{n.local_port}", local)
            else:
                remote_port = _port_by_snmp_index(by_snmp_index.get(remote), remote_port)
            ends = frozenset({(local, n.local_port), (remote, remote_port)})
            edge = edges.get(ends)
            if edge is None:
                edges[ends] = {"key": f"link:{local}:{n.local_port}", "u": local, "v": remote,
                               "ports": {local: n.local_port, remote: remote_port},
                               "protocols": {n.protocol}, "reported_by": [local]}
            else:
                edge["protocols"].add(n.protocol)
                if local not in edge["reported_by"]:
                    edge["reported_by"].append(local)
    out_of_band = _out_of_band_ports(facts)
    for edge in _merge_one_sided(edges.values()):
        # Ports are normalised by the readers, as interface names are.
        plane = "management" if out_of_band and any(
            (dev, port) in out_of_band for dev, port in edge["ports"].items()) else "data"
        G.add_edge(device_node(edge["u"]), device_node(edge["v"]), key=edge["key"], kind="link",
                   ports=edge["ports"], protocols=edge["protocols"],
                   reported_by=sorted(edge["reported_by"]), circuit=None, plane=plane)


def _ports_by_snmp_index(facts: Mapping[str, DeviceFacts]) -> dict[str, dict[int, list[str]]]:
    """Per device, the interfaces holding each SNMP ifIndex (most devices state none)."""
    out: dict[str, dict[int, list[str]]] = {}
    for name, f in facts.items():
        for itf in f.interfaces:
            if itf.snmp_index is not None:
                out.setdefault(name, {}).setdefault(itf.snmp_index, []).append(itf.name)
    return out


def _port_by_snmp_index(ports: Mapping[int, list[str]] | None, port_id: str) -> str:
    """A neighbour's remote port by name: a port id that is a number (Junos sends the SNMP
    ifIndex, ``515``) is the remote device's interface with that ifIndex, when exactly one
    has it; any other id, or a number no single interface holds, stays as sent.

    >>> _port_by_snmp_index({515: ["ge-0/0/0"], 6: ["lo0", "lo0.0"]}, "515")
    'ge-0/0/0'
    >>> _port_by_snmp_index({6: ["lo0", "lo0.0"]}, "6"), _port_by_snmp_index(None, "515")
    ('6', '515')
    """
    if not ports or not port_id.isdigit():
        return port_id
    names = ports.get(int(port_id), [])
    return names[0] if len(names) == 1 else port_id


def _out_of_band_ports(facts: Mapping[str, DeviceFacts]) -> set[tuple[str, str]]:
    """(device, port) of every management or internal interface.

    A link on such a port (``mgmt0`` to an out-of-band switch) is a real cable, but no
    path for data: the site graph leaves it out.
    """
    return {(name, itf.name) for name, f in facts.items() for itf in f.interfaces
            if interface_plane(itf, f.platform) != "data"}


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


def canonical_vrf(name: str | None) -> str | None:
    """The VRF an interface is in, with every spelling of the global table as ``None``.

    The readers already canonicalise (:func:`collectors.normalise.vrf_name`); the graph and
    the checks apply it again so facts from any source cannot split one table into two.

    >>> canonical_vrf("default"), canonical_vrf(" Global "), canonical_vrf(None), canonical_vrf("police")
    (None, None, None, 'police')
    """
    return vrf_name(name)


#: Words of the commands whose output says which VRF an interface is in: the running
#: configuration of every platform, NX-OS ``show ip interface vrf all``, ``vpn-instance``.
_VRF_EVIDENCE = ("config", "vrf", "vpn-instance")


def vrf_evidenced(f: DeviceFacts, itf: Interface) -> bool:
    """Whether the evidence could have shown the interface's VRF, so ``vrf is None`` is a fact.

    IOS ``show interfaces`` or NX-OS ``show interface`` never name a VRF: from them alone an
    interface in a customer VRF looks like one in the global table. A VRF named, a
    configuration read, or a command that lists VRFs make the global table a fact.

    >>> vrf_evidenced(DeviceFacts("r1", "cisco_ios", config="hostname r1"), Interface("Gi0/1"))
    True
    >>> vrf_evidenced(DeviceFacts("r1", "cisco_ios"), Interface("Gi0/1"))
    False
    """
    if itf.vrf is not None or f.config:
        return True
    return any(word in command for command in (*itf.sources, *f.read) for word in _VRF_EVIDENCE)


def interface_plane(itf: Interface, platform: str) -> InterfaceRole:
    """An interface's role: the one its reader gave (``Interface.role``), else the platform
    table's (:func:`collectors.normalise.interface_role`: management and internal port names,
    internal networks, a management VRF), so facts from a reader that left every port
    ``data`` cannot turn every box's identical internal address into a duplicate.

    >>> interface_plane(Interface("mgmt0"), "cisco_nxos"), interface_plane(Interface("em0"), "juniper_junos")
    ('management', 'management')
    >>> interface_plane(Interface("em1"), "linux"), interface_plane(Interface("bme0"), "juniper_junos")
    ('data', 'internal')
    >>> interface_plane(Interface("em1.0", addresses=("128.0.0.16/2",)), "juniper_junos")
    'internal'
    """
    if itf.role != "data":
        return itf.role
    return _role(platform, itf.name, itf.vrf, itf.addresses)  # type: ignore[return-value]


@lru_cache(maxsize=65536)
def _role(platform: str, name: str, vrf: str | None, addresses: tuple[str, ...]) -> str:
    # Several checks ask for every interface of every device: the same answers, once each.
    return interface_role(platform, name, vrf, addresses)


@dataclass(frozen=True, slots=True)
class _End:
    """One interface address in a /30 or /31 (an ``l3`` candidate end)."""

    device: str
    interface: str
    ip: int
    vrf: str | None  # canonical: None is the global table


#: A /30 or /31 as (first address, length): integers, cheap to build and sort at scale.
_Subnet = tuple[int, int]


def _ipv4(text: str) -> int | None:
    """``"10.1.2.1"`` -> its integer, None for anything else (the ipaddress module is slow)."""
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 for p in parts):
        return None
    a, b, c, d = (int(p) for p in parts)
    return None if max(a, b, c, d) > 255 else a << 24 | b << 16 | c << 8 | d


def _subnet(ip: int, length: int) -> _Subnet:
    return ip & (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF, length


def _subnet_text(subnet: _Subnet) -> str:
    return f"{ipaddress.IPv4Address(subnet[0])}/{subnet[1]}"


def _point_to_point_ends(inventory: Inventory, facts: Mapping[str, DeviceFacts]) -> dict[_Subnet, list[_End]]:
    """Masked /30 and /31 addresses of declared devices' data interfaces, by subnet.

    A first-hop virtual address (listed in ``shared_addresses``) is no end of a link.
    """
    by_subnet: dict[_Subnet, list[_End]] = {}
    for name, f in facts.items():
        if name not in inventory.devices:
            continue
        for itf in f.interfaces:
            links = [a for a in itf.addresses if a.endswith(("/30", "/31"))]  # most have none
            if not links or interface_plane(itf, f.platform) != "data":
                continue
            shared = {a.split("/", 1)[0] for a in itf.shared_addresses} if itf.shared_addresses else ()
            for addr in links:
                text, _, length = addr.partition("/")
                ip = _ipv4(text)
                if ip is not None and text not in shared:
                    by_subnet.setdefault(_subnet(ip, int(length)), []).append(
                        _End(name, itf.name, ip, canonical_vrf(itf.vrf)))
    return by_subnet


def _join_unmasked(inventory: Inventory, facts: Mapping[str, DeviceFacts],
                   by_subnet: dict[_Subnet, list[_End]]) -> None:
    """Add addresses shown without a length (``ip interface brief``) to the /30 or /31 they close.

    An unmasked address joins a subnet only when that is unambiguous: among its /30 (where
    it is a host address) and its /31, exactly one holds a lone masked address of another
    device (alone in the subnet, or alone in the unmasked address's VRF), other than this
    address. Otherwise it links nothing: a guess would invent links.
    """
    for name, f in sorted(facts.items()):
        if name not in inventory.devices:
            continue
        for itf in f.interfaces:
            if not itf.unmasked_addresses or interface_plane(itf, f.platform) != "data":
                continue
            vrf = canonical_vrf(itf.vrf)
            for text in itf.unmasked_addresses:
                ip = _ipv4(text.split("/", 1)[0].strip())
                if ip is None:
                    continue
                candidates: list[_Subnet] = []
                for length in (30, 31):
                    subnet = _subnet(ip, length)
                    if length == 30 and ip in (subnet[0], subnet[0] + 3):
                        continue  # the network or broadcast address of a /30 is no host
                    ends = by_subnet.get(subnet, [])
                    if len(ends) > 1:
                        ends = [e for e in ends if e.vrf == vrf]
                    if len(ends) == 1 and ends[0].device != name and ends[0].ip != ip:
                        candidates.append(subnet)
                if len(candidates) == 1:
                    by_subnet[candidates[0]].append(_End(name, itf.name, ip, vrf))


def _add_l3_adjacencies(G: nx.MultiGraph, inventory: Inventory,
                        facts: Mapping[str, DeviceFacts]) -> None:
    """An ``l3`` edge between two devices with addresses in one /30 or /31 subnet.

    A VRF name is a label local to one device: a PE puts its end of a customer link in
    VRF ``tax`` while the CE has it in its global table, and NX-OS calls the global
    table ``default``. So a subnet whose two addresses sit on exactly two interfaces of
    two devices city-wide is one link, whatever VRF labels its ends carry. Only a subnet
    reused by more than two interfaces is split by VRF label, each VRF's pair being a
    link. Two interfaces of one device, or one address on both ends, is no adjacency.
    Management and internal interfaces give none (the same 128.0.0.0/2 is on every
    Junos box); addresses shown without a length join the subnet they close when that is
    unambiguous (:func:`_join_unmasked`).
    """
    by_subnet = _point_to_point_ends(inventory, facts)
    _join_unmasked(inventory, facts, by_subnet)
    for subnet in sorted(by_subnet):
        ends = by_subnet[subnet]
        if len(ends) == 2:
            labels = {e.vrf for e in ends}
            groups = [(labels.pop() if len(labels) == 1 else None, ends)]
        else:
            by_vrf: dict[str | None, list[_End]] = {}
            for e in ends:
                by_vrf.setdefault(e.vrf, []).append(e)
            groups = sorted(by_vrf.items(), key=lambda item: item[0] or "")
        for vrf, pair in groups:
            if len(pair) != 2 or pair[0].device == pair[1].device or pair[0].ip == pair[1].ip:
                continue
            a, z = sorted(pair, key=lambda e: (e.device, e.interface))
            text = _subnet_text(subnet)
            key = f"l3:{text}" if not vrf else f"l3:{vrf}:{text}"
            G.add_edge(device_node(a.device), device_node(z.device), key=key, kind="l3",
                       subnet=text, vrf=vrf, vrfs={a.device: a.vrf, z.device: z.vrf},
                       ports={a.device: a.interface, z.device: z.interface}, circuit=None, plane="data")


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
            hits = sorted(c for dev, port in data["ports"].items()
                          if (c := _circuit_on_port(ends, dev, interface_name(port))) is not None)
            data["circuit"] = hits[0] if hits else None


def _circuit_on_port(ends: Mapping[tuple[str, str], str], device: str, port: str) -> str | None:
    """The circuit ending on a port, or on the physical port of a sub-interface or Junos unit.

    Circuits name the physical port (``ge-0/0/0``, ``GigabitEthernet0/1``); addresses sit on
    its unit or sub-interface (``ge-0/0/0.0``, ``GigabitEthernet0/1.100``), which rides the
    same line.
    """
    found = ends.get((device, port))
    if found is None and "." in port:
        found = ends.get((device, port.rsplit(".", 1)[0]))
    return found


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
    for _node, data in G.nodes(data=True):
        if data.get("kind") == "site":
            S.add_node(data["id"], **{k: v for k, v in data.items() if k != "kind"})
    for u, v, key, data in G.edges(keys=True, data=True):
        kind = data.get("kind")
        if kind == "located" or (kind == "circuit" and data["id"] in dropped):
            continue
        if data.get("circuit") in dropped:  # a link or /30 riding a dropped circuit
            continue
        if data.get("plane", "data") != "data":  # an out-of-band management link carries no traffic
            continue
        su, sv = _node_site(G, u), _node_site(G, v)
        if not su or not sv or su == sv or su not in S or sv not in S:
            continue
        attrs = dict(data)
        attrs["capacity"] = data.get("bandwidth_mbps")
        S.add_edge(su, sv, key=key, **attrs)
    return S
