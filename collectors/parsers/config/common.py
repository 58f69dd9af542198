"""Pieces every configuration dialect shares: an interface being read, indented blocks,
and the length of a shared address. VRF names and roles are made canonical as for
every other form (:func:`collectors.normalise.vrf_name`, :func:`~collectors.normalise.interface_role`).

A configuration states what is configured, never what is running: interfaces read
from it have ``oper_up`` ``None`` and no speed or rates.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from collectors.facts import Interface
from collectors.normalise import interface_name, interface_role, vrf_name
from collectors.parsers.base import ParseError, ipv4_interface


@dataclass
class InterfaceDraft:
    """An interface while its configuration is read; :meth:`done` gives the :class:`Interface`.

    ``shared`` holds ``(address, prefix length or None)``: a first-hop redundancy
    address usually comes without a length and takes that of the interface's subnet.
    """

    name: str
    description: str = ""
    admin_up: bool = True
    primary: list[str] = field(default_factory=list)
    secondary: list[str] = field(default_factory=list)
    shared: list[tuple[str, str | None]] = field(default_factory=list)
    vrf: str | None = None
    #: Every address of the interface is meant to be on several devices (anycast gateway).
    all_shared: bool = False
    #: Its secondary addresses are (NX-OS vPC anycast VTEP on the nve source loopback).
    secondary_shared: bool = False

    def add_address(self, address: str | None, secondary: bool = False) -> None:
        """An ``a.b.c.d/len`` (``None``, for a form that is no address, is ignored)."""
        if address is None:
            return
        target = self.secondary if secondary else self.primary
        if address not in target:
            target.append(address)

    def add_shared(self, address: str, length: str | None = None) -> None:
        """A shared (virtual, anycast) address; ignored unless it is an IPv4 address."""
        try:
            ipaddress.IPv4Address(address)
        except ValueError:
            return
        if (address, length) not in self.shared:
            self.shared.append((address, length))

    def done(self, platform: str) -> Interface:
        """The :class:`Interface`: primary address first; shared addresses not repeated in
        ``addresses``; the VRF and role as :mod:`collectors.normalise` gives them."""
        own = self.primary + [a for a in self.secondary if a not in self.primary]
        shared_own = own if self.all_shared else self.secondary if self.secondary_shared else []
        addresses = tuple(a for a in own if a not in shared_own)
        shared = list(shared_own)
        for address, length in self.shared:
            itf = shared_address(address, length, own)
            if itf and itf not in shared:
                shared.append(itf)
        name = interface_name(self.name)
        vrf = vrf_name(self.vrf)
        return Interface(
            name=name,
            description=self.description,
            admin_up=self.admin_up,
            oper_up=None,  # a configuration does not know
            addresses=addresses,
            vrf=vrf,
            role=interface_role(platform, name, vrf, addresses),
            shared_addresses=tuple(shared),
        )


def shared_address(address: str, length: str | None, subnets: Iterable[str]) -> str | None:
    """``address/len``: the stated length, else that of the first subnet holding it, else /32.

    >>> shared_address("10.1.1.254", None, ["10.9.9.1/30", "10.1.1.1/24"])
    '10.1.1.254/24'
    >>> shared_address("10.2.2.2", None, ["10.1.1.1/24"]), shared_address("10.3.3.3", "25", [])
    ('10.2.2.2/32', '10.3.3.3/25')
    """
    if length:
        return ipv4_interface(f"{address}/{length}")
    ip = ipaddress.IPv4Address(address)
    for subnet in subnets:
        network = ipaddress.IPv4Interface(subnet).network
        if ip in network and network.prefixlen < 32:
            return f"{address}/{network.prefixlen}"
    return ipv4_interface(f"{address}/32")


@dataclass
class Block:
    """One line of an indented configuration and the lines indented under it."""

    line: str  # stripped
    children: list[Block] = field(default_factory=list)


def indented_blocks(text: str, comment: str) -> list[Block]:
    """The top-level lines of an indented configuration (IOS, NX-OS, EOS, VRP, Comware),
    each with the lines indented deeper under it.

    Blank lines and lines starting with one of the ``comment`` characters
    (``!`` for Cisco-like, ``#`` for VRP and Comware) are no lines, but a ``#`` in the
    first column closes every open block: Comware indents its global commands by one
    space and separates sections with ``#``, so ``" sysname X"`` after an interface
    section is no line of that interface. (A Cisco ``!`` is no such separator: copies
    of IOS-XR keep ``!`` in the first column inside blocks.)

    >>> [(b.line, [c.line for c in b.children]) for b in indented_blocks("interface Gi1\\n ip x\\n!\\nend\\n", "!")]
    [('interface Gi1', ['ip x']), ('end', [])]
    >>> [b.line for b in indented_blocks("interface NULL0\\n#\\n sysname cw1\\n", "#")]
    ['interface NULL0', 'sysname cw1']
    """
    roots: list[Block] = []
    stack: list[tuple[int, Block]] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped[0] in comment:
            if raw[:1] == "#" and comment == "#":
                stack.clear()
            continue
        indent = len(raw) - len(raw.lstrip())
        block = Block(stripped)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(block)
        stack.append((indent, block))
    return roots


_PROTOCOL_BLOCKS = ("router ", "ospf", "isis", "bgp", "rip", "mpls", "multicast", "pim", "lldp", "vrrp")
#: ``interface NAME``, with the link type some subinterfaces carry (IOS ``point-to-point``,
#: ``multipoint``; VRP and Comware ``p2p``, ``p2mp``).
_INTERFACE_HEADER = re.compile(r"^interface\s+([^\s;{}]+)(?:\s+(?:point-to-point|multipoint|p2p|p2mp))?$",
                               re.IGNORECASE)


def interface_blocks(blocks: Iterable[Block]) -> Iterator[tuple[str, Block]]:
    """``(raw name, block)`` of each ``interface NAME`` block, at any depth.

    Some saved configurations arrive with their indentation mangled (napalm's copy of an
    EOS one indents everything after an ``event-handler`` block), so an interface block
    is recognised below other blocks too, but never inside another interface block nor
    inside a routing protocol's block (``router hsrp`` / ``interface X`` on IOS-XR, which
    names an interface, does not configure one).
    """
    for block in blocks:
        match = _INTERFACE_HEADER.match(block.line)
        if match:
            yield match.group(1), block
        elif not block.line.startswith(_PROTOCOL_BLOCKS):
            yield from interface_blocks(block.children)


def top_level_value(blocks: Iterable[Block], keywords: tuple[str, ...]) -> str:
    """The rest of the first top-level line starting with one of ``keywords`` (``hostname X``)."""
    for block in blocks:
        word, _, rest = block.line.partition(" ")
        if word in keywords and rest.strip():
            return rest.strip().strip('"')
    return ""


def require_something(hostname: str, interfaces: list[Interface], dialect: str) -> None:
    """A configuration names its device or holds interfaces; text with neither is not one."""
    if not hostname and not interfaces:
        raise ParseError(f"no hostname and no interface: not a {dialect} configuration")


def unique_interfaces(interfaces: Iterable[Interface]) -> list[Interface]:
    """One interface per name (a name configured twice keeps its first block)."""
    seen: dict[str, Interface] = {}
    for itf in interfaces:
        seen.setdefault(itf.name, itf)
    return list(seen.values())
