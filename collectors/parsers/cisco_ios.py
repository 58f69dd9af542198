"""Cisco IOS / IOS-XE: ``show version``, ``show interfaces``, LLDP and CDP detail (ntc-templates)."""

from __future__ import annotations

import re

from collectors.parsers.base import CommandParser, Fragment, Row, first
from collectors.parsers.common import (
    config_hostname,
    interface_from_states,
    lldp_neighbours,
    require_rows,
)


def read_version(rows: list[Row]) -> Fragment:
    """Hostname, model (first chassis of a stack), version, serial, uptime."""
    row = require_rows(rows, "version record")[0]
    info = {
        "hostname": first(row.get("hostname")),
        "model": first(row.get("hardware")),
        "os_version": first(row.get("version")),
        "serial": first(row.get("serial")),
        "uptime": first(row.get("uptime")),
    }
    return Fragment(info={k: v for k, v in info.items() if v})


def read_interfaces(rows: list[Row]) -> Fragment:
    """``show interfaces``: state, description, speed, primary address."""
    interfaces = []
    for row in require_rows(rows, "interface"):
        address = first(row.get("ip_address"))
        prefix = first(row.get("prefix_length"))
        interfaces.append(
            interface_from_states(
                first(row.get("interface")),
                link=first(row.get("link_status")),
                protocol=first(row.get("protocol_status")),
                description=first(row.get("description")),
                speed=first(row.get("speed")),
                bandwidth_kbit=first(row.get("bandwidth")),
                addresses=[f"{address}/{prefix}"] if address and prefix else [],
            )
        )
    return Fragment(interfaces=interfaces)


def read_lldp(rows: list[Row]) -> Fragment:
    """``show lldp neighbors detail``: port id first, port description when the id is no name."""
    return lldp_neighbours(rows)


def read_cdp(rows: list[Row]) -> Fragment:
    """``show cdp neighbors detail``: CDP always names ports, so the port id is the port."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="", protocol="cdp")


_NO_LLDP = re.compile(r"Total entries displayed\s*:\s*0\b|LLDP is not enabled", re.IGNORECASE)
_NO_CDP = re.compile(r"Total cdp entries displayed\s*:\s*0\b|CDP is not enabled", re.IGNORECASE)

PARSERS: dict[str, CommandParser] = {
    "show version": CommandParser(read_version),
    "show interfaces": CommandParser(read_interfaces),
    "show lldp neighbors detail": CommandParser(read_lldp, empty_table=_NO_LLDP),
    # IOS prints nothing at all for an empty CDP table.
    "show cdp neighbors detail": CommandParser(read_cdp, empty_table=_NO_CDP, empty_output_ok=True),
    "show running-config": CommandParser(config_hostname),
}
