"""Huawei VRP (5 and 8): version (ntc-templates), ESN, interfaces and LLDP (our templates).

``display version`` names neither the host nor the serial: the hostname comes from
``sysname`` in the configuration, the serial from ``display esn``.
"""

from __future__ import annotations

import re

from collectors.parsers.base import CommandParser, Fragment, Row, first
from collectors.parsers.common import (
    config_hostname,
    interface_from_states,
    lldp_neighbours,
    require_rows,
)


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
    info = {"model": model_name(first(row.get("model"))), "os_version": version,
            "uptime": first(row.get("uptime"))}
    return Fragment(info={k: v for k, v in info.items() if v})


def read_esn(rows: list[Row]) -> Fragment:
    """The equipment serial number of the first slot (the chassis on a box switch)."""
    row = require_rows(rows, "ESN")[0]
    return Fragment(info={"serial": first(row.get("serial"))})


def read_interfaces(rows: list[Row]) -> Fragment:
    """``display interface``: state, description, speed (Mbit/s), every IPv4 address."""
    interfaces = [
        interface_from_states(
            first(row.get("interface")),
            link=first(row.get("link_status")),
            protocol=first(row.get("protocol_status")),
            description=first(row.get("description")),
            speed=first(row.get("speed")),
            bandwidth_kbit=first(row.get("bandwidth")),
            addresses=row.get("ip_address") or [],
        )
        for row in require_rows(rows, "interface")
    ]
    return Fragment(interfaces=interfaces)


def read_lldp(rows: list[Row]) -> Fragment:
    """``display lldp neighbor``: port id first, port description when the id is no name."""
    return lldp_neighbours(rows)


_NO_LLDP = re.compile(r"has\s+0\s+neighbou?r|LLDP\s+is\s+(?:not\s+enabled|disabled)", re.IGNORECASE)

PARSERS: dict[str, CommandParser] = {
    "display version": CommandParser(read_version),
    "display esn": CommandParser(read_esn),
    "display interface": CommandParser(read_interfaces),
    "display lldp neighbor": CommandParser(read_lldp, empty_table=_NO_LLDP),
    "display current-configuration": CommandParser(config_hostname),
}
