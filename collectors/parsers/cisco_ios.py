"""Cisco IOS / IOS-XE: ``show version``, ``show interfaces``, LLDP and CDP detail (ntc-templates)."""

from __future__ import annotations

import re

from collectors.parsers.base import CommandParser, Fragment, Row, first
from collectors.parsers.common import (
    address_list,
    config_hostname,
    lldp_neighbours,
    record_reader,
    require_rows,
    row_interface,
)

#: ``show version``: hostname, model (the first chassis of a stack), version, serial, uptime.
VERSION_FIELDS = {"hostname": "hostname", "model": "hardware", "os_version": "version",
                  "serial": "serial", "uptime": "uptime"}


def read_interfaces(rows: list[Row]) -> Fragment:
    """``show interfaces``: state, description, speed, primary address."""
    return Fragment(interfaces=[
        row_interface(row, addresses=address_list(first(row.get("ip_address")), first(row.get("prefix_length"))))
        for row in require_rows(rows, "interface")
    ])


def read_lldp(rows: list[Row]) -> Fragment:
    """``show lldp neighbors detail``: port id first, port description when the id is no name."""
    return lldp_neighbours(rows)


def read_cdp(rows: list[Row]) -> Fragment:
    """``show cdp neighbors detail``: CDP always names ports, so the port id is the port."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="", protocol="cdp")


_NO_LLDP = re.compile(r"Total entries displayed\s*:\s*0\b|LLDP is not enabled", re.IGNORECASE)
_NO_CDP = re.compile(r"Total cdp entries displayed\s*:\s*0\b|CDP is not enabled", re.IGNORECASE)

PARSERS: dict[str, CommandParser] = {
    "show version": CommandParser(record_reader(VERSION_FIELDS)),
    "show interfaces": CommandParser(read_interfaces),
    "show lldp neighbors detail": CommandParser(read_lldp, empty_table=_NO_LLDP),
    # IOS prints nothing at all for an empty CDP table.
    "show cdp neighbors detail": CommandParser(read_cdp, empty_table=_NO_CDP, empty_output_ok=True),
    "show running-config": CommandParser(config_hostname),
}
