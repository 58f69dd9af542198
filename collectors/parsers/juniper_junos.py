"""Juniper Junos: version, chassis serial, interfaces, LLDP (ntc-templates).

Junos names stay in their native form (``ge-0/0/0``, ``ae0``, ``xe-1/0/0.0``).
"""

from __future__ import annotations

import re

from collectors.parsers.base import CommandParser, Fragment, Row, first
from collectors.parsers.common import (
    address_list,
    config_hostname,
    interface_from_states,
    lldp_neighbours,
    record_reader,
    require_rows,
)

#: ``show version``: hostname, model, Junos version, serial (when shown).
VERSION_FIELDS = {"hostname": "hostname", "model": "model", "os_version": "junos_version",
                  "serial": "serial_number"}


def read_chassis(rows: list[Row]) -> Fragment:
    """``show chassis hardware``: the chassis serial number."""
    serial = next((first(r.get("chassis_serial_number")) for r in require_rows(rows, "chassis record")
                   if first(r.get("chassis_serial_number"))), "")
    return Fragment(info={"serial": serial} if serial else {})


def read_interfaces(rows: list[Row]) -> Fragment:
    """``show interfaces``: physical and logical interfaces, local addresses."""
    interfaces = []
    for row in require_rows(rows, "interface"):
        admin = first(row.get("admin_state")).lower()
        link = first(row.get("link_status"))
        prefix_len = first(row.get("destination")).partition("/")[2]
        interfaces.append(interface_from_states(
            first(row.get("interface")),
            link="administratively down" if admin in ("disabled", "down") else (link or "up"),
            protocol=link,
            description=first(row.get("description")),
            addresses=address_list(first(row.get("local")), prefix_len),
        ))
    return Fragment(interfaces=interfaces)


def read_lldp(rows: list[Row]) -> Fragment:
    """``show lldp neighbors``: the table names the port in "Port info"."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="")


_NO_LLDP = re.compile(r"^\s*Local Interface\s+Parent Interface", re.MULTILINE)

PARSERS: dict[str, CommandParser] = {
    "show version": CommandParser(record_reader(VERSION_FIELDS)),
    "show chassis hardware": CommandParser(read_chassis),
    "show interfaces": CommandParser(read_interfaces),
    "show lldp neighbors": CommandParser(read_lldp, empty_table=_NO_LLDP, empty_output_ok=True),
    "show configuration": CommandParser(config_hostname),
}
