"""Arista EOS: version, hostname, interfaces, LLDP detail (ntc-templates)."""

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
    """Model, EOS image version, serial, uptime."""
    row = require_rows(rows, "version record")[0]
    info = {
        "model": first(row.get("model")),
        "os_version": first(row.get("image")),
        "serial": first(row.get("serial_number")),
        "uptime": first(row.get("uptime")),
    }
    return Fragment(info={k: v for k, v in info.items() if v})


def read_hostname(rows: list[Row]) -> Fragment:
    """``show hostname``: the short host name."""
    row = require_rows(rows, "hostname")[0]
    return Fragment(info={"hostname": first(row.get("hostname"))})


def read_interfaces(rows: list[Row]) -> Fragment:
    """``show interfaces``: EOS writes ``disabled`` for an administratively down port."""
    interfaces = []
    for row in require_rows(rows, "interface"):
        link = first(row.get("link_status"))
        if link.lower().startswith("disabled") or "admin" in link.lower():
            link = "administratively down"
        interfaces.append(interface_from_states(
            first(row.get("interface")),
            link=link,
            protocol=first(row.get("protocol_status")),
            description=first(row.get("description")),
            bandwidth_kbit=first(row.get("bandwidth")),
            addresses=[first(row.get("ip_address"))],
        ))
    return Fragment(interfaces=interfaces)


def read_lldp(rows: list[Row]) -> Fragment:
    """``show lldp neighbors detail``: port id, else its description."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="neighbor_description")


_NO_LLDP = re.compile(r"has\s+0\s+neighbors?|LLDP is not enabled|Interface\s+\S+\s+detected\s+0", re.IGNORECASE)

PARSERS: dict[str, CommandParser] = {
    "show version": CommandParser(read_version),
    "show hostname": CommandParser(read_hostname),
    "show interfaces": CommandParser(read_interfaces),
    "show lldp neighbors detail": CommandParser(read_lldp, empty_table=_NO_LLDP, empty_output_ok=True),
    "show running-config": CommandParser(config_hostname),
}
