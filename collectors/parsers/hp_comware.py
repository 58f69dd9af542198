"""H3C / HPE Comware 5 and 7: version, manufacturing info, interfaces, LLDP.

``display version`` (our template) gives model, version and uptime;
``display device manuinfo`` (ntc-templates) the serial; the hostname comes from
``sysname`` in the configuration.
"""

from __future__ import annotations

import re

from collectors.parsers.base import CommandParser, Fragment, Row, first, info_fragment
from collectors.parsers.common import brief_interface, lldp_neighbours, require_rows, row_interface

_SLOTS = re.compile(r"\s+with\s+\d+\s+\w+\s+Slots?$", re.IGNORECASE)
_NO_SERIAL = {"", "NONE", "N/A", "NA", "-"}


def read_version(rows: list[Row]) -> Fragment:
    """Model, ``7.1.070, Release 3506P10``, uptime."""
    row = require_rows(rows, "version record")[0]
    version, release = first(row.get("version")), first(row.get("release"))
    model = _SLOTS.sub("", first(row.get("model"))) or first(row.get("board_type"))
    return info_fragment({
        "model": model,
        "os_version": f"{version}, Release {release}" if version and release else version,
        "uptime": first(row.get("uptime")),
    })


def read_manuinfo(rows: list[Row]) -> Fragment:
    """The serial (and model) of the chassis, else of the first slot that has one.

    Fans and power supplies carry serials too; they are never the device's.
    """
    candidates = [r for r in require_rows(rows, "manufacturing record")
                  if first(r.get("device_serial_number")).upper() not in _NO_SERIAL]

    def rank(row: Row) -> int:
        kind = first(row.get("slot_type")).lower()
        return {"chassis": 0, "slot": 1, "": 2, "subslot": 3}.get(kind, 9)

    best = min(candidates, key=rank, default=None)
    if best is None or rank(best) == 9:
        return Fragment()
    return info_fragment({"serial": first(best.get("device_serial_number")),
                          "model": first(best.get("device_name"))})


def read_interfaces(rows: list[Row]) -> Fragment:
    """``display interface``: state, description, speed, every IPv4 address."""
    # Our template names the link state ("Current state") ``line_status``.
    return Fragment(interfaces=[
        row_interface(row, link=first(row.get("line_status")), addresses=row.get("ip_address") or [])
        for row in require_rows(rows, "interface")
    ])


def read_lldp(rows: list[Row]) -> Fragment:
    """``display lldp neighbor-information verbose``."""
    return lldp_neighbours(rows, port_id="neighbor_interface",
                           port_description="neighbor_interface_description")


#: Comware 7's brief tables write ``Vlan30`` for its ``Vlan-interface30`` (not a Cisco SVI).
_COMWARE_VLAN = re.compile(r"^Vlan(?=\d)", re.IGNORECASE)


def read_ip_brief(rows: list[Row]) -> Fragment:
    """``display ip interface brief``: state, the primary address (without its mask on Comware 5
    and early 7: ``unmasked_addresses``), the VPN instance where shown."""
    found = (brief_interface(_COMWARE_VLAN.sub("Vlan-interface", first(row.get("interface"))),
                             first(row.get("ip_address")),
                             link=first(row.get("physical")), protocol=first(row.get("protocol")),
                             vrf=first(row.get("vpn")))
             for row in require_rows(rows, "interface"))
    return Fragment(interfaces=[itf for itf in found if itf is not None])


_NO_LLDP = re.compile(r"LLDP\s+(?:service\s+)?is\s+(?:not\s+(?:running|enabled)|disabled)", re.IGNORECASE)

PARSERS: dict[str, CommandParser] = {
    "display version": CommandParser(read_version),
    "display device manuinfo": CommandParser(read_manuinfo),
    "display interface": CommandParser(read_interfaces),
    "display ip interface brief": CommandParser(read_ip_brief),
    # Comware prints nothing when no neighbour is known.
    "display lldp neighbor-information verbose": CommandParser(read_lldp, empty_table=_NO_LLDP,
                                                               empty_output_ok=True),
}
