"""Cisco IOS / IOS-XE: ``show version``, ``show interfaces`` (or ``show ip interface brief``),
LLDP and CDP detail (or their summary tables), all with ntc-templates."""

from __future__ import annotations

import re

from collectors.parsers.base import CommandParser, Fragment, Row, first
from collectors.parsers.common import (
    address_list,
    brief_interface,
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


def read_ip_brief(rows: list[Row]) -> Fragment:
    """``show ip interface brief``: state and the primary address without its prefix length
    (``unmasked_addresses``). A ``deleted`` subinterface no longer exists."""
    found = (brief_interface(first(row.get("interface")), first(row.get("ip_address")),
                             link=first(row.get("status")), protocol=first(row.get("proto")))
             for row in require_rows(rows, "interface") if first(row.get("status")) != "deleted")
    return Fragment(interfaces=[itf for itf in found if itf is not None])


def read_lldp_summary(rows: list[Row]) -> Fragment:
    """``show lldp neighbors``: ports abbreviated (``Gi1/0/7``, normalised here) and the device
    ID cut to 20 characters by IOS; the port ID is the remote port."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="")


def read_cdp_summary(rows: list[Row]) -> Fragment:
    """``show cdp neighbors``: ports written with a space (``Gig 1/0/24``), normalised here."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="", protocol="cdp")


_NO_LLDP = re.compile(r"Total entries displayed\s*:\s*0\b|LLDP is not enabled", re.IGNORECASE)
_NO_CDP = re.compile(r"Total cdp entries displayed\s*:\s*0\b|CDP is not enabled", re.IGNORECASE)
#: A summary table whose header is its last line: no neighbour.
_EMPTY_CDP_SUMMARY = re.compile(r"Total cdp entries displayed\s*:\s*0\b|CDP is not enabled"
                                r"|^Device[ -]ID\s+Local Intrfce.*\s*\Z", re.IGNORECASE | re.MULTILINE)

PARSERS: dict[str, CommandParser] = {
    "show version": CommandParser(record_reader(VERSION_FIELDS)),
    "show interfaces": CommandParser(read_interfaces),
    "show ip interface brief": CommandParser(read_ip_brief),
    "show lldp neighbors detail": CommandParser(read_lldp, empty_table=_NO_LLDP),
    # IOS prints nothing at all for an empty CDP table.
    "show cdp neighbors detail": CommandParser(read_cdp, empty_table=_NO_CDP, empty_output_ok=True),
    "show lldp neighbors": CommandParser(read_lldp_summary, empty_table=_NO_LLDP),
    "show cdp neighbors": CommandParser(read_cdp_summary, empty_table=_EMPTY_CDP_SUMMARY, empty_output_ok=True),
}
