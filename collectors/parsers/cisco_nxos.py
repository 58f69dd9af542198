"""Cisco NX-OS: version, interfaces, addresses with VRFs (or ``show ip interface brief vrf all``),
LLDP and CDP detail (or their summary tables), all with ntc-templates."""

from __future__ import annotations

import re

from collectors.facts import Interface
from collectors.normalise import interface_name
from collectors.parsers.base import CommandParser, Fragment, Row, first, ipv4_interfaces
from collectors.parsers.common import (
    address_list,
    brief_interface,
    lldp_neighbours,
    record_reader,
    require_rows,
    row_interface,
)

#: ``show version``: hostname ("Device name"), chassis model, NX-OS version, serial, uptime.
VERSION_FIELDS = {"hostname": "hostname", "model": "platform", "os_version": "os",
                  "serial": "serial", "uptime": "uptime"}


def read_interfaces(rows: list[Row]) -> Fragment:
    """``show interface``: NX-OS prints admin state separately ("admin state is down").

    The rates are the template's last ``N seconds input rate`` of a record: the
    ``300 seconds`` line of the second load interval when NX-OS prints both.
    """
    interfaces = []
    for row in require_rows(rows, "interface"):
        link, admin = first(row.get("link_status")), first(row.get("admin_state")).lower()
        if admin == "down" or "administratively" in link.lower():
            link = "administratively down"
        interfaces.append(row_interface(
            row,
            link=link,
            protocol=first(row.get("link_status")),
            addresses=address_list(first(row.get("ip_address")), first(row.get("prefix_length"))),
            input_rate=first(row.get("bandwidth_input_rate")),
            output_rate=first(row.get("bandwidth_output_rate")),
        ))
    return Fragment(interfaces=interfaces)


def read_addresses(rows: list[Row]) -> Fragment:
    """``show ip interface vrf all``: every primary and secondary address, with its VRF."""
    interfaces = []
    for row in rows:
        subnet_len = first(row.get("subnet")).partition("/")[2]
        primary = first(row.get("ip_address"))
        candidates = address_list(primary, subnet_len)
        for address, subnet in zip(row.get("secondary_ip_address") or [],
                                   row.get("secondary_ip_subnet") or [], strict=False):
            candidates.append(f"{address}/{subnet.partition('/')[2]}")
        interfaces.append(Interface(
            name=interface_name(first(row.get("interface"))),
            addresses=ipv4_interfaces(candidates),
            vrf=first(row.get("vrf")) or None,
        ))
    return Fragment(interfaces=interfaces)


def read_lldp(rows: list[Row]) -> Fragment:
    """``show lldp neighbors detail``: the template's port id is the remote port."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="")


def read_cdp(rows: list[Row]) -> Fragment:
    """``show cdp neighbors detail``: the system name, else the Device ID (``name(SERIAL)``)."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="", protocol="cdp")


def read_ip_brief(rows: list[Row]) -> Fragment:
    """``show ip interface brief vrf all``: each address without its prefix length, its VRF
    (the ``IP Interface Status for VRF`` heading) and the state (``protocol-up/link-up/admin-up``)."""
    interfaces = []
    for row in rows:
        admin = first(row.get("status")).lower()
        link = first(row.get("link")).lower().removeprefix("link-")
        itf = brief_interface(
            first(row.get("interface")), first(row.get("ip_address")),
            link="administratively down" if admin == "admin-down" else link,
            protocol=first(row.get("proto")).lower().removeprefix("protocol-"),
            vrf=first(row.get("vrf")),
        )
        if itf is not None:
            interfaces.append(itf)
    return Fragment(interfaces=interfaces)


def read_lldp_summary(rows: list[Row]) -> Fragment:
    """``show lldp neighbors``: the port ID is the remote port."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="")


def read_cdp_summary(rows: list[Row]) -> Fragment:
    """``show cdp neighbors``: the Device ID (``name(SERIAL)`` kept; matching drops the serial)."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="", protocol="cdp")


_NO_LLDP = re.compile(r"Total entries displayed\s*:\s*0\b|LLDP is not enabled|feature lldp", re.IGNORECASE)
_NO_CDP = re.compile(r"CDP is not enabled|Total cdp entries displayed\s*:\s*0\b", re.IGNORECASE)
_NO_CDP_SUMMARY = re.compile(r"CDP is not enabled|Total (?:cdp )?entries displayed\s*:\s*0\b", re.IGNORECASE)
_NO_ADDRESS = re.compile(r"IP Interface Status for VRF", re.IGNORECASE)

PARSERS: dict[str, CommandParser] = {
    "show version": CommandParser(record_reader(VERSION_FIELDS)),
    "show interface": CommandParser(read_interfaces),
    "show ip interface vrf all": CommandParser(read_addresses, empty_table=_NO_ADDRESS, empty_output_ok=True),
    "show ip interface brief vrf all": CommandParser(read_ip_brief, empty_table=_NO_ADDRESS, empty_output_ok=True),
    "show lldp neighbors detail": CommandParser(read_lldp, empty_table=_NO_LLDP),
    "show lldp neighbors": CommandParser(read_lldp_summary, empty_table=_NO_LLDP),
    "show cdp neighbors": CommandParser(read_cdp_summary, empty_table=_NO_CDP_SUMMARY, empty_output_ok=True),
    "show cdp neighbors detail": CommandParser(read_cdp, empty_table=_NO_CDP, empty_output_ok=True),
}
