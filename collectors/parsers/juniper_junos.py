"""Juniper Junos: version, chassis serial, interfaces, LLDP (ntc-templates).

Junos names stay in their native form (``ge-0/0/0``, ``ae0``, ``xe-1/0/0.0``).
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


def read_version(rows: list[Row]) -> Fragment:
    """Hostname, model, Junos version, serial (when shown)."""
    row = require_rows(rows, "version record")[0]
    info = {
        "hostname": first(row.get("hostname")),
        "model": first(row.get("model")),
        "os_version": first(row.get("junos_version")),
        "serial": first(row.get("serial_number")),
    }
    return Fragment(info={k: v for k, v in info.items() if v})


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
        local, destination = first(row.get("local")), first(row.get("destination"))
        prefix_len = destination.partition("/")[2]
        interfaces.append(interface_from_states(
            first(row.get("interface")),
            link="administratively down" if admin in ("disabled", "down") else (link or "up"),
            protocol=link,
            description=first(row.get("description")),
            addresses=[f"{local}/{prefix_len}"] if local and prefix_len else [],
        ))
    return Fragment(interfaces=interfaces)


def read_lldp(rows: list[Row]) -> Fragment:
    """``show lldp neighbors``: the table names the port in "Port info"."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="")


_NO_LLDP = re.compile(r"^\s*Local Interface\s+Parent Interface", re.MULTILINE)

PARSERS: dict[str, CommandParser] = {
    "show version": CommandParser(read_version),
    "show chassis hardware": CommandParser(read_chassis),
    "show interfaces": CommandParser(read_interfaces),
    "show lldp neighbors": CommandParser(read_lldp, empty_table=_NO_LLDP, empty_output_ok=True),
    "show configuration": CommandParser(config_hostname),
}
