"""Huawei VRP (5 and 8): version (ntc-templates), ESN, interfaces and LLDP (our templates).

``display version`` names neither the host nor the serial: the hostname comes from
``sysname`` in the configuration, the serial from ``display esn``.
"""

from __future__ import annotations

import re

from collectors.parsers.base import CommandParser, Fragment, Row, first, info_fragment
from collectors.parsers.common import (
    brief_interface,
    lldp_neighbours,
    record_reader,
    require_rows,
    row_interface,
)

#: ``display esn``: the equipment serial number of the first slot (the chassis on a box switch).
ESN_FIELDS = {"serial": "serial"}


def model_name(text: str) -> str:
    """The model without the marketing words VRP appends.

    >>> model_name("S7706 Terabit Routing Switch"), model_name("ATN 910C-B"), model_name("AR6280")
    ('S7706', 'ATN 910C-B', 'AR6280')
    """
    words = text.split()
    if len(words) > 1 and not any(ch.isdigit() for w in words[1:] for ch in w):
        return words[0]
    return text.strip()


def read_version(rows: list[Row]) -> Fragment:
    """Model, VRP and product version (``5.170 (S7700 V200R010C00SPC600)``), uptime."""
    row = require_rows(rows, "version record")[0]
    vrp, product = first(row.get("vrp_version")), first(row.get("product_version"))
    version = f"{vrp} ({product})" if vrp and product else vrp or product
    return info_fragment({"model": model_name(first(row.get("model"))), "os_version": version,
                          "uptime": first(row.get("uptime"))})


def read_interfaces(rows: list[Row]) -> Fragment:
    """``display interface``: state, description, speed (Mbit/s), every IPv4 address."""
    return Fragment(interfaces=[row_interface(row, addresses=row.get("ip_address") or [])
                                for row in require_rows(rows, "interface")])


def read_lldp(rows: list[Row]) -> Fragment:
    """``display lldp neighbor``: port id first, port description when the id is no name."""
    return lldp_neighbours(rows)


def read_lldp_brief(rows: list[Row]) -> Fragment:
    """``display lldp neighbor brief``: local port, neighbour name and port, no address."""
    return lldp_neighbours(rows, port_description="")


def read_ip_brief(rows: list[Row]) -> Fragment:
    """``display ip interface brief``: state (``*down`` administratively down), the primary
    address with its mask length, the VPN instance on VRP8."""
    found = (brief_interface(first(row.get("interface")), first(row.get("ip_address")),
                             link=first(row.get("physical")), protocol=first(row.get("protocol")),
                             vrf=first(row.get("vpn")))
             for row in require_rows(rows, "interface"))
    return Fragment(interfaces=[itf for itf in found if itf is not None])


_NO_LLDP = re.compile(r"has\s+0\s+neighbou?r|LLDP\s+is\s+(?:not\s+enabled|disabled)", re.IGNORECASE)
#: The brief table with its header alone: no neighbour (any other line must read as a row).
_NO_LLDP_BRIEF = re.compile(r"\A\s*Local\s+Intf\s+Neighbor\s+Dev\s+Neighbor\s+Intf\s+Exptime\S*\s*\Z"
                            r"|LLDP\s+is\s+(?:not\s+enabled|disabled)", re.IGNORECASE)

PARSERS: dict[str, CommandParser] = {
    "display version": CommandParser(read_version),
    "display esn": CommandParser(record_reader(ESN_FIELDS, "ESN")),
    "display interface": CommandParser(read_interfaces),
    "display ip interface brief": CommandParser(read_ip_brief),
    "display lldp neighbor": CommandParser(read_lldp, empty_table=_NO_LLDP),
    "display lldp neighbor brief": CommandParser(read_lldp_brief, empty_table=_NO_LLDP_BRIEF),
}
