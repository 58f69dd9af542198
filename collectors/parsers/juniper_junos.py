"""Juniper Junos: version, chassis serial, interfaces, LLDP (text forms).

Junos names stay in their native form (``ge-0/0/0``, ``ae0``, ``xe-1/0/0.0``).
``show interfaces`` is read with netcensus' own template
(``collectors/templates/juniper_junos_show_interfaces.textfsm``): every port and logical
unit, every IPv4 address of a unit with its prefix length, and the SNMP ifIndex, which
LLDP neighbours may send as a port id. The other commands use ntc-templates.

A Junos CLI prints context lines that are no output (``{master:0}`` after each answer on
an EX or a virtual chassis, ``{primary:node0}`` on a chassis cluster, ``[edit]`` in
configuration mode): ``Platform.context_line`` says what they look like and
:func:`collectors.normalise.without_context_lines` removes them from every text answer before
it is read (:mod:`collectors.parse` applies it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from collectors.parsers.base import CommandParser, Fragment, Row, first, ipv4_interface
from collectors.parsers.common import (
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


#: Physical ports whose stated speed is a line speed (tunnels and services state a nominal one).
LINE_PORT = re.compile(r"^(?:fe|ge|xe|et|mge|ce)-\d|^(?:ae|em|fxp|me|reth)\d")
_UNIT_DOWN_FLAGS = ("Down", "Device-Down", "Hardware-Down", "Link-Layer-Down")


def snmp_index(text: str) -> int | None:
    """An SNMP ifIndex as printed (``"515"``), None when blank or not a number.

    >>> snmp_index("515"), snmp_index(""), snmp_index("n/a")
    (515, None, None)
    """
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def unit_addresses(items: Iterable[Mapping[str, str | None] | str]) -> list[str]:
    """``a.b.c.d/len`` of a unit's inet addresses (the template's ``{destination, local}``
    items): the length is the Destination's (``172.16.2/30``: Junos shortens the subnet);
    a Local without a Destination, or with a host as Destination, is a host address (/32).

    >>> unit_addresses([{"destination": "128/2", "local": "128.0.0.1"}, {"destination": None, "local": "10.0.0.1"}])
    ['128.0.0.1/2', '10.0.0.1/32']
    """
    found = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        local = (item.get("local") or "").strip()
        length = (item.get("destination") or "").partition("/")[2] or "32"
        address = ipv4_interface(f"{local}/{length}") if local else None
        if address and address not in found:
            found.append(address)
    return found


def _unit_state(flags: str) -> str:
    """A unit's state word from its ``Flags:`` line: ``up``, ``down``, or ``""`` when the
    flags say neither (a loopback unit prints ``Flags: SNMP-Traps``)."""
    words = flags.split()
    if "Up" in words:
        return "up"
    return "down" if any(word in _UNIT_DOWN_FLAGS for word in words) else ""


def read_interfaces(rows: list[Row]) -> Fragment:
    """``show interfaces``: physical ports, then their logical units, as printed.

    A port is administratively down when Junos says so (``Administratively down``); its
    state is the physical link. A unit inherits the administrative state of the port
    printed before it and takes its operational state from its flags, as for the JSON form
    (:mod:`collectors.parsers.juniper_junos_json`). Speed is read for line ports only.
    """
    interfaces = []
    port_admin_up: bool | None = None
    for row in require_rows(rows, "interface"):
        name = first(row.get("interface"))
        if first(row.get("kind")) == "Logical":
            state = _unit_state(first(row.get("unit_flags")))
            itf = interface_from_states(
                name,
                link="administratively down" if port_admin_up is False else "up",
                protocol=state,
                description=first(row.get("description")),
                addresses=unit_addresses(row.get("inet_address") or []),
            )
        else:
            admin = first(row.get("admin_state")).lower()
            link = first(row.get("link_status"))
            itf = interface_from_states(
                name,
                link="administratively down" if admin.startswith(("administratively", "disabled")) or admin == "down"
                else (link or "up"),
                protocol=link,
                description=first(row.get("description")),
                speed=first(row.get("speed")) if LINE_PORT.match(name) else "",
            )
            port_admin_up = itf.admin_up
        interfaces.append(replace(itf, snmp_index=snmp_index(first(row.get("snmp_index")))))
    return Fragment(interfaces=interfaces)


def read_interfaces_terse(rows: list[Row]) -> Fragment:
    """``show interfaces terse``: every port and unit, its state and IPv4 addresses.

    An address is printed with its prefix length, or without one on a loopback or a
    point-to-point unit (``10.0.0.1 --> 0/0``): a host address (/32), as ``show interfaces``
    reads the same unit (:func:`unit_addresses`). A unit of a port that is down
    administratively says ``up`` itself: the port printed before it decides.
    """
    interfaces = []
    port_admin_up: bool | None = None
    for row in require_rows(rows, "interface"):
        name = first(row.get("interface"))
        admin_up = first(row.get("admin")).lower() == "up"
        if "." in name:
            admin_up = admin_up and port_admin_up is not False
        else:
            port_admin_up = admin_up
        interfaces.append(interface_from_states(
            name,
            link="up" if admin_up else "administratively down",
            protocol=first(row.get("link")) if admin_up else "down",
            # interface_from_states keeps the valid ones, once each
            addresses=[text if "/" in text else f"{text}/32" for text in row.get("ip_address") or []],
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
    "show interfaces terse": CommandParser(read_interfaces_terse),
    "show lldp neighbors": CommandParser(read_lldp, empty_table=_NO_LLDP, empty_output_ok=True),
}
