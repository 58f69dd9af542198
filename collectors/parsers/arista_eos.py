"""Arista EOS: version, hostname, interfaces (or ``show ip interface brief``), LLDP detail (or
the ``show lldp neighbors`` summary), with ntc-templates except ``show interfaces``, which
netcensus' own template reads (``collectors/templates/arista_eos_show_interfaces.textfsm``)."""

from __future__ import annotations

import re
from dataclasses import replace

from collectors.parsers.base import CommandParser, Fragment, Row, first, ipv4_interfaces
from collectors.parsers.common import (
    brief_interface,
    lldp_neighbours,
    record_reader,
    require_rows,
    row_interface,
)

#: ``show version``: model, EOS image version, serial, uptime (the host name is apart).
VERSION_FIELDS = {"model": "model", "os_version": "image", "serial": "serial_number", "uptime": "uptime"}
#: ``show hostname``: the short host name.
HOSTNAME_FIELDS = {"hostname": "hostname"}


def read_interfaces(rows: list[Row]) -> Fragment:
    """``show interfaces`` (netcensus' own template): EOS writes ``disabled`` for an
    administratively down port; ``Internet address is virtual`` (``ip address virtual``)
    is an address shared by the switches of a fabric, as ``virtualIp`` in the JSON form."""
    interfaces = []
    for row in require_rows(rows, "interface"):
        link = first(row.get("link_status"))
        if link.lower().startswith("disabled") or "admin" in link.lower():
            link = "administratively down"
        # EOS states no line speed here: the bandwidth of an up port stands for it.
        itf = row_interface(row, link=link, speed="", addresses=_as_list(row.get("ip_address")))
        shared = ipv4_interfaces(_as_list(row.get("virtual_address")))
        interfaces.append(replace(itf, shared_addresses=shared) if shared else itf)
    return Fragment(interfaces=interfaces)


def _as_list(value: object) -> list[str]:
    """A TextFSM List value (or a lone string) as a list of strings."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def read_lldp(rows: list[Row]) -> Fragment:
    """``show lldp neighbors detail``: port id, else its description."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="neighbor_description")


def read_ip_brief(rows: list[Row]) -> Fragment:
    """``show ip interface brief``: state and the address with its prefix length."""
    found = (brief_interface(first(row.get("interface")), first(row.get("ip_address")),
                             link=first(row.get("status")), protocol=first(row.get("protocol")))
             for row in require_rows(rows, "interface"))
    return Fragment(interfaces=[itf for itf in found if itf is not None])


def read_lldp_summary(rows: list[Row]) -> Fragment:
    """``show lldp neighbors``: local ports abbreviated (``Et1``), normalised here."""
    return lldp_neighbours(rows, port_id="neighbor_interface", port_description="")


_NO_LLDP = re.compile(r"has\s+0\s+neighbors?|LLDP is not enabled|Interface\s+\S+\s+detected\s+0", re.IGNORECASE)

#: The summary table's header as its last line: no neighbour.
_EMPTY_LLDP_SUMMARY = re.compile(r"^Port\s+Neighbor Device ID\s+Neighbor Port ID.*\s*\Z|LLDP is not enabled",
                                 re.IGNORECASE | re.MULTILINE)

PARSERS: dict[str, CommandParser] = {
    "show version": CommandParser(record_reader(VERSION_FIELDS)),
    "show hostname": CommandParser(record_reader(HOSTNAME_FIELDS, "hostname")),
    "show interfaces": CommandParser(read_interfaces),
    "show lldp neighbors detail": CommandParser(read_lldp, empty_table=_NO_LLDP, empty_output_ok=True),
    "show ip interface brief": CommandParser(read_ip_brief),
    "show lldp neighbors": CommandParser(read_lldp_summary, empty_table=_EMPTY_LLDP_SUMMARY, empty_output_ok=True),
}
