"""Addresses observed on interfaces, and the networks they belong to: what the addressing
checks (:mod:`analysis.checks.addressing`) share, computed once per audit by
:class:`analysis.context.AuditContext` (``address_index``, ``contradicted_isolation``).

The rules (which addresses count, how an address is attributed to a network) are in
that module's docstring.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

import networkx as nx

from analysis.graph import canonical_vrf, device_node, interface_plane, vrf_evidenced
from collectors.facts import DeviceFacts, InterfaceRole
from collectors.normalise import interface_name
from inventory.model import Inventory, Network

__all__ = ["NetworkIndex", "Observed", "contradicted_isolation", "global_table_routes", "interconnects",
           "observed_addresses", "parse_interface_address", "parse_prefix"]


@dataclass(frozen=True, slots=True)
class Observed:
    """One address configured on one device interface (kept as integers: cheap at scale)."""

    device: str
    interface: str
    vrf: str | None  # canonical: None is the global table, whatever the vendor calls it
    ip: int
    prefixlen: int  # 32 for an address shown without a length
    masked: bool = True  # False: read from a form with no prefix length (``ip interface brief``)
    vrf_known: bool = True  # False: no evidence read could have shown a VRF (graph.vrf_evidenced)

    @property
    def address(self) -> str:
        """The dotted address, ``10.1.2.1``."""
        return str(IPv4Address(self.ip))

    @property
    def with_prefixlen(self) -> str:
        """``10.1.2.1/30`` (``10.1.2.1`` when the evidence gave no length)."""
        return f"{self.address}/{self.prefixlen}" if self.masked else self.address

    @property
    def subnet(self) -> tuple[int, int]:
        """The interface's subnet as (first address, prefix length)."""
        return self.ip & _mask(self.prefixlen), self.prefixlen


def _mask(prefixlen: int) -> int:
    return (0xFFFFFFFF << (32 - prefixlen)) & 0xFFFFFFFF


_DOTTED = re.compile(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})")


def _octets(text: str) -> int | None:
    match = _DOTTED.fullmatch(text)
    if match is None:
        return None
    a, b, c, d = (int(x) for x in match.groups())
    if a > 255 or b > 255 or c > 255 or d > 255:
        return None
    return a << 24 | b << 16 | c << 8 | d


def parse_interface_address(text: str) -> tuple[int, int] | None:
    """``"10.1.2.1/30"`` (or ``/255.255.255.252``, or no length: /32) -> (address, length).

    A hand-rolled parser: the standard ``ipaddress`` constructors cost ~50 us each, which
    is seconds on a 10,000-device city. None for anything that is not an IPv4 interface.

    >>> parse_interface_address("10.1.2.1/30"), parse_interface_address("10.1.2.1/255.255.255.0")
    ((167838209, 30), (167838209, 24))
    >>> parse_interface_address("10.1.2.300/24"), parse_interface_address("fe80::1/64")
    (None, None)
    """
    address, _, length = text.strip().partition("/")
    ip = _octets(address)
    if ip is None:
        return None
    if not length:
        return ip, 32
    if length.isascii() and length.isdigit():
        return (ip, int(length)) if int(length) <= 32 else None
    mask = _octets(length)
    if mask is None:
        return None
    prefixlen = bin(mask).count("1")
    return (ip, prefixlen) if mask == _mask(prefixlen) else None


def interconnects(network: Network) -> bool:
    """Whether a network shares routes over the backbone (not isolated, not classified)."""
    return network.isolation == "none" and network.kind != "classified"


def parse_prefix(text: str) -> IPv4Network | None:
    try:
        return IPv4Network(text, strict=False)
    except ValueError:
        return None


def _ignored(ip: int) -> bool:
    """Loopback 127/8, link-local 169.254/16 and 0.0.0.0 are never an addressing problem."""
    return ip >> 24 == 127 or ip >> 16 == 0xA9FE or ip == 0


def observed_addresses(facts_by_device: Mapping[str, DeviceFacts], *, plane: InterfaceRole = "data",
                       unmasked: bool = False) -> Iterator[Observed]:
    """Every parsable, meaningful own address on the interfaces of one plane of every device.

    ``plane`` chooses data-plane (the default), management or internal interfaces
    (:func:`analysis.graph.interface_plane`). Addresses meant to be on several devices
    (``shared_addresses``: VRRP/HSRP/VARP virtual IPs, anycast gateways and VTEPs) are
    never an interface's own and are left out. ``unmasked`` adds the addresses read
    from a form without a prefix length, as /32 with ``masked=False``.
    """
    for name, facts in facts_by_device.items():
        for itf in facts.interfaces:
            if interface_plane(itf, facts.platform) != plane:
                continue
            shared = {p[0] for p in map(parse_interface_address, itf.shared_addresses) if p} \
                if itf.shared_addresses else set()
            vrf = canonical_vrf(itf.vrf)
            known = vrf_evidenced(facts, itf)
            for text in itf.addresses:
                parsed = parse_interface_address(text)
                if parsed is not None and not _ignored(parsed[0]) and parsed[0] not in shared:
                    yield Observed(name, itf.name, vrf, parsed[0], parsed[1], vrf_known=known)
            for text in itf.unmasked_addresses if unmasked else ():
                parsed = parse_interface_address(text.split("/", 1)[0])
                if parsed is not None and not _ignored(parsed[0]) and parsed[0] not in shared:
                    yield Observed(name, itf.name, vrf, parsed[0], 32, masked=False, vrf_known=known)


class NetworkIndex:
    """Declared prefixes by network, and the attribution of observed addresses to networks."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.prefixes: dict[str, list[IPv4Network]] = {
            n.id: sorted((p for p in map(parse_prefix, n.prefixes) if p is not None),
                         key=lambda p: -p.prefixlen)  # most specific first
            for n in inventory.networks.values()
        }
        #: network id -> [(first, last, length)], most specific first
        self._ranges = {net: [(int(p.network_address), int(p.broadcast_address), p.prefixlen) for p in prefixes]
                        for net, prefixes in self.prefixes.items()}
        #: (device, port) -> the network of the declared circuit ending on that port
        self._circuit_ports: dict[tuple[str, str], str] = {}
        for c in sorted(inventory.circuits.values(), key=lambda c: c.id):
            for end in (c.a, c.z):
                if c.network and end.device and end.interface:
                    self._circuit_ports.setdefault((end.device, interface_name(end.interface)), c.network)

    def network_of(self, device: str, ip: int, interface: str | None = None) -> str | None:
        """The network an address on ``device`` (on ``interface``) belongs to (module docstring)."""
        dev = self.inventory.devices.get(device)
        if dev is None:
            return None
        if interface is not None and self._circuit_ports:
            # The end port of a declared circuit carries the circuit's network: a tax
            # router's end of a backbone line holds a backbone address, not a tax one.
            on_port = self._circuit_ports.get((device, interface)) \
                or self._circuit_ports.get((device, interface.split(".", 1)[0]))
            if on_port is not None:
                return on_port
        best: tuple[int, str] | None = None
        for net in dev.networks:
            for first, last, length in self._ranges.get(net, ()):
                if first <= ip <= last:
                    if best is None or length > best[0]:
                        best = (length, net)
                    break
        if best is not None:
            return best[1]
        backbone = self.inventory.policy.backbone
        others = [n for n in dev.networks if n != backbone]
        if len(others) == 1:
            return others[0]
        if not others and backbone and backbone in dev.networks:
            return backbone  # a device whose only network is the backbone: all its addresses are
        return None

    def in_backbone(self, ip: int) -> bool:
        """Whether an address lies in a declared prefix of the backbone network."""
        backbone = self.inventory.policy.backbone
        return any(first <= ip <= last for first, last, _ in self._ranges.get(backbone or "", ()))


def global_table_routes(inventory: Inventory, graph: nx.MultiGraph,
                        facts: Mapping[str, DeviceFacts]) -> dict[str, str | None]:
    """Devices routed to the backbone in the global table: device -> the device it was reached from.

    From the backbone's own devices (``policy.backbone`` in their networks), over ``l3``
    edges whose two ends are both in their global table, as evidence that can show VRFs
    says (:func:`analysis.graph.vrf_evidenced`). A customer link whose PE end is in a VRF is
    no such edge: behind it the customer's global table is its own.
    """
    backbone = inventory.policy.backbone
    if not backbone:
        return {}
    G = graph
    start = sorted(d.name for d in inventory.devices.values() if backbone in d.networks)
    parent: dict[str, str | None] = {name: None for name in start}
    queue = deque(start)
    while queue:
        here = queue.popleft()
        node = device_node(here)
        if node not in G:
            continue
        for _, other, data in G.edges(node, data=True):
            if data.get("kind") != "l3" or any(v is not None for v in data.get("vrfs", {}).values()) \
                    or not all(_evidenced_global(facts, dev, port) for dev, port in data["ports"].items()):
                continue
            name = G.nodes[other].get("id")
            if name and name not in parent and G.nodes[other].get("declared"):
                parent[name] = here
                queue.append(name)
    return parent


def _evidenced_global(facts: Mapping[str, DeviceFacts], device: str, port: str) -> bool:
    """Whether a port's place in the global table is shown by evidence that could show a VRF."""
    found = facts.get(device)
    itf = found.interface(port) if found is not None else None
    return found is not None and itf is not None and vrf_evidenced(found, itf)


def contradicted_isolation(inventory: Inventory, graph: nx.MultiGraph, facts: Mapping[str, DeviceFacts],
                           index: NetworkIndex | None = None) -> dict[str, list[Observed]]:
    """Networks declared logically isolated whose LAN addresses the evidence puts on the backbone.

    A network with ``isolation: logical`` (a VRF or an MPLS VPN) is contradicted when a LAN
    address of it (shorter than /30) sits in the global table of a device that is routed
    to the backbone in the global table (:func:`global_table_routes`). Network -> those
    addresses, in device order. Checks read it as ``AuditContext.contradicted_isolation``.
    """
    logical = {n.id for n in inventory.networks.values() if n.isolation == "logical" and n.kind != "classified"}
    if not logical:
        return {}
    routed = global_table_routes(inventory, graph, facts)
    index = index or NetworkIndex(inventory)
    out: dict[str, list[Observed]] = {}
    for obs in sorted(observed_addresses(facts), key=lambda o: (o.device, o.interface, o.ip)):
        if obs.vrf is not None or not obs.vrf_known or obs.prefixlen >= 30 or obs.device not in routed:
            continue
        net = index.network_of(obs.device, obs.ip, obs.interface)
        if net in logical:
            out.setdefault(net, []).append(obs)
    return out
