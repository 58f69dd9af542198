"""Address allocation for the sample city: every address is unique unless a plant says otherwise.

Each department gets one aligned block of 10.0.0.0/8, laid out in /24 units::

    [ site LANs ... | spare | overlap target ] [ point-to-point /30s ]
    <------------- LAN part ---------------->  <---- p2p part ------>

The LAN part is what the department's ``<dept>-lan`` network declares; its last /24
is never used by the department itself, so a plant can make another network overlap
it without two devices sharing an address. The e-gov extranet numbers its links from
172.16.0.0/12; public addresses come from the documentation ranges.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass, field

BACKBONE_POOL = ipaddress.IPv4Network("172.16.0.0/12")
PUBLIC_POOLS = tuple(ipaddress.IPv4Network(n) for n in ("203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"))


def _pow2(n: int) -> int:
    size = 1
    while size < n:
        size *= 2
    return size


@dataclass
class DepartmentBlock:
    """One department's block and the cursors into it."""

    block: ipaddress.IPv4Network
    lan_units: int  # number of /24s in the LAN part
    next_lan: int = 0
    p2p: Iterator[ipaddress.IPv4Network] | None = None

    @property
    def lan_part(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network((int(self.block.network_address), 24 - (self.lan_units.bit_length() - 1)))

    @property
    def p2p_part(self) -> ipaddress.IPv4Network:
        start = int(self.block.network_address) + self.lan_units * 256
        return ipaddress.IPv4Network((start, 24 - ((self.block.num_addresses // 256 - self.lan_units)
                                                   .bit_length() - 1)))

    @property
    def overlap_target(self) -> ipaddress.IPv4Network:
        """The last /24 of the LAN part: declared by the department, never used by it."""
        return ipaddress.IPv4Network((int(self.block.network_address) + (self.lan_units - 1) * 256, 24))

    def next_site_lan(self) -> ipaddress.IPv4Network:
        if self.next_lan >= self.lan_units - 1:
            raise ValueError(f"LAN part of {self.block} is full")
        lan = ipaddress.IPv4Network((int(self.block.network_address) + self.next_lan * 256, 24))
        self.next_lan += 1
        return lan

    def next_p2p(self) -> ipaddress.IPv4Network:
        if self.p2p is None:
            self.p2p = self.p2p_part.subnets(new_prefix=30)
        return next(self.p2p)


@dataclass
class AddressBook:
    """All allocators of the city."""

    blocks: dict[str, DepartmentBlock] = field(default_factory=dict)
    _backbone: Iterator[ipaddress.IPv4Network] = field(
        default_factory=lambda: BACKBONE_POOL.subnets(new_prefix=30))
    _public: Iterator[ipaddress.IPv4Network] = field(
        default_factory=lambda: (net for pool in PUBLIC_POOLS for net in pool.subnets(new_prefix=29)))

    def allocate_blocks(self, lan_needs: dict[str, int]) -> None:
        """Give each department (in the given order) a block sized for its site LANs.

        Blocks are allocated largest first so each stays aligned on its own size.
        """
        sizes = {}
        for dept, sites in lan_needs.items():
            lan_units = _pow2(max(8, sites + 2))  # + spare + overlap target
            sizes[dept] = (lan_units, _pow2(lan_units + 1))  # + one /24 of /30s (or more when larger)
        cursor = int(ipaddress.IPv4Address("10.0.0.0"))
        order = sorted(sizes, key=lambda d: -sizes[d][1])  # stable: ties keep the given order
        for dept in order:
            lan_units, total = sizes[dept]
            block = ipaddress.IPv4Network((cursor, 24 - (total.bit_length() - 1)))
            if not block.subnet_of(ipaddress.IPv4Network("10.0.0.0/8")):
                raise ValueError("the city does not fit in 10.0.0.0/8")
            self.blocks[dept] = DepartmentBlock(block, lan_units)
            cursor += total * 256

    def backbone_link(self) -> ipaddress.IPv4Network:
        """The next /30 of the e-gov extranet."""
        return next(self._backbone)

    def public_block(self) -> ipaddress.IPv4Network:
        """The next /29 of documentation address space (an internet line's public block)."""
        try:
            return next(self._public)
        except StopIteration:
            raise ValueError("out of documentation address space for internet lines") from None


def ends(net: ipaddress.IPv4Network) -> tuple[str, str]:
    """The two host addresses of a /30 as ``a.b.c.d/30`` strings."""
    first = net.network_address + 1
    return f"{first}/{net.prefixlen}", f"{first + 1}/{net.prefixlen}"


def host(net: ipaddress.IPv4Network, n: int) -> str:
    """The ``n``-th address of a subnet as ``a.b.c.d/len``."""
    return f"{net.network_address + n}/{net.prefixlen}"
