"""Readers that several platforms share (same TextFSM field names).

Configurations are read by :mod:`collectors.parsers.config`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

from collectors.facts import Interface
from collectors.normalise import interface_name
from collectors.parsers.base import (
    Fragment,
    ParseError,
    Reader,
    Row,
    admin_up,
    first,
    info_fragment,
    ipv4_interfaces,
    neighbour,
    neighbours_fragment,
    rate_bps,
    speed_mbps,
    status_up,
)

#: Interfaces whose nominal bandwidth is no line speed (only a stated speed counts).
VIRTUAL_PREFIXES = (
    "Loopback", "Vlan", "Tunnel", "Null", "Dialer", "Virtual-", "BVI", "nve",
    "Cellular", "NVI", "InLoop", "Register", "REG", "lo",
)

def is_virtual(name: str) -> bool:
    """Whether a (normalised) interface is virtual, so its bandwidth figure is nominal."""
    return name.startswith(VIRTUAL_PREFIXES)


def require_rows(rows: list[Row], what: str) -> list[Row]:
    """The rows, or a :class:`ParseError` saying that nothing was recognised."""
    if not rows:
        raise ParseError(f"no {what} recognised in the output")
    return rows


def record_reader(fields: Mapping[str, str], what: str = "version record") -> Reader:
    """A reader of the first record of a table (``show version``, ``display esn``).

    ``fields`` maps each DeviceInfo field to the template field that holds it, so a
    platform states its version record as data; blank values are left out, and a
    table with no record is a :class:`ParseError` naming ``what``.

    >>> read = record_reader({"model": "hardware", "serial": "serial"}, "version record")
    >>> read([{"hardware": ["C9300-48P", "C9300-24P"], "serial": " FOC2041X0AB ", "version": "16.9"}]).info
    {'model': 'C9300-48P', 'serial': 'FOC2041X0AB'}
    """

    def read(rows: list[Row]) -> Fragment:
        row = require_rows(rows, what)[0]
        return info_fragment({key: first(row.get(name)) for key, name in fields.items()})

    return read


def lldp_neighbours(
    rows: Iterable[Row],
    *,
    local: str = "local_interface",
    name: str = "neighbor_name",
    port_id: str = "neighbor_port_id",
    port_description: str = "neighbor_interface",
    address: str = "mgmt_address",
    chassis: str = "chassis_id",
    protocol: str = "lldp",
) -> Fragment:
    """Neighbours from rows with the usual ntc field names (override the names per template)."""
    return neighbours_fragment(
        neighbour(
            local_port=first(row.get(local, "")),
            remote_name=first(row.get(name, "")),
            port_id=first(row.get(port_id, "")),
            port_description=first(row.get(port_description, "")),
            address=first(row.get(address, "")),
            protocol=protocol,
            chassis_id=first(row.get(chassis, "")),
        )
        for row in rows
    )


def address_list(address: str, mask: str) -> list[str]:
    """``address/mask`` (a prefix length or a dotted mask) as a list of one, or none
    when the output left either part blank.

    >>> address_list("10.1.1.1", "30"), address_list("10.1.1.1", ""), address_list("", "24")
    (['10.1.1.1/30'], [], [])
    """
    return [f"{address}/{mask}"] if address and mask else []


def interface_from_states(
    raw_name: str,
    *,
    link: str,
    protocol: str,
    description: str = "",
    speed: str = "",
    bandwidth_kbit: str = "",
    addresses: Iterable[str] = (),
    vrf: str | None = None,
    in_bps: float | None = None,
    out_bps: float | None = None,
) -> Interface:
    """An :class:`Interface` from the link/protocol state words most vendors print.

    ``oper_up`` follows the line protocol when shown (the link passes traffic),
    else the link state. The speed is the stated one; the bandwidth figure is
    used only for an interface that is up and not virtual (a down port or a VLAN
    interface shows a nominal bandwidth, not a line speed). ``in_bps`` and
    ``out_bps`` are the device's averaged rates (see :func:`collectors.parsers.base.rate_bps`).
    """
    name = interface_name(raw_name)
    oper = status_up(protocol)
    if oper is None:
        oper = status_up(link)
    speed_value = speed_mbps(speed)
    if speed_value is None and oper and not is_virtual(name):
        speed_value = speed_mbps(bandwidth_kbit, default_unit="k")
    return Interface(
        name=name,
        description=(description or "").strip(),
        admin_up=admin_up(link),
        oper_up=oper,
        speed_mbps=speed_value,
        addresses=ipv4_interfaces(addresses),
        vrf=vrf or None,
        in_bps=in_bps,
        out_bps=out_bps,
    )


def row_interface(
    row: Row,
    *,
    link: str | None = None,
    protocol: str | None = None,
    speed: str | None = None,
    addresses: Iterable[str] = (),
    input_rate: str | None = None,
    output_rate: str | None = None,
) -> Interface:
    """:func:`interface_from_states` of one interface record with the usual ntc field names.

    Reads ``interface``, ``link_status``, ``protocol_status``, ``description``, ``speed``,
    ``bandwidth`` (kbit/s), ``input_rate``/``output_rate`` (bit/s, as ntc's IOS template
    names them) and ``input_byte_rate``/``output_byte_rate`` (byte/s, used when no bit/s
    figure is given); a field the template does not have reads as blank.
    ``link``, ``protocol``, ``speed``, ``input_rate`` and ``output_rate`` replace those
    fields where a platform names or words them otherwise; ``addresses`` are the record's,
    in whatever form its template gives.

    A template may record several rates of one direction (a List value: VRP prints
    ``300 seconds`` then ``15 seconds``); the first, which devices print for the longest
    interval, is used.
    """
    return interface_from_states(
        first(row.get("interface")),
        link=first(row.get("link_status")) if link is None else link,
        protocol=first(row.get("protocol_status")) if protocol is None else protocol,
        description=first(row.get("description")),
        speed=first(row.get("speed")) if speed is None else speed,
        bandwidth_kbit=first(row.get("bandwidth")),
        addresses=addresses,
        in_bps=rate_bps(first(row.get("input_rate")) if input_rate is None else input_rate,
                        first(row.get("input_byte_rate"))),
        out_bps=rate_bps(first(row.get("output_rate")) if output_rate is None else output_rate,
                         first(row.get("output_byte_rate"))),
    )


# --- brief tables: "show ip interface brief", "display ip interface brief" ---------------

_NO_ADDRESS_WORDS = ("unassigned", "unnumbered", "--", "")


def brief_interface(raw_name: str, address: str, *, link: str, protocol: str, vrf: str = "") -> Interface | None:
    """An interface of an ``ip interface brief`` table, ``None`` for a row that is no interface.

    An address with its prefix length (VRP, EOS, later Comware: ``10.1.1.1/24``) goes to
    ``addresses``; one without (IOS, NX-OS, Comware 5: ``10.1.1.1``) to ``unmasked_addresses``,
    since the network it belongs to is unknown. ``unassigned``, ``--`` and invalid text are no
    address. The state words are the table's: IOS ``administratively down``, NX-OS
    ``admin-down``, VRP/Comware ``*down``, EOS ``disabled``; a ``(s)`` (spoofing) suffix is up.

    >>> i = brief_interface("Gi0/1", "10.0.1.38", link="up", protocol="up")
    >>> i.name, i.addresses, i.unmasked_addresses, i.admin_up, i.oper_up
    ('GigabitEthernet0/1', (), ('10.0.1.38',), True, True)
    >>> i = brief_interface("GE0/0/2", "10.0.0.254/24", link="*down", protocol="down")
    >>> i.addresses, i.admin_up, i.oper_up
    (('10.0.0.254/24',), False, False)
    """
    name = interface_name(raw_name)
    if not name:
        return None
    link_word = (link or "").strip().lower()
    admin_down = link_word.startswith(("*", "disabled")) or "admin" in link_word
    address = (address or "").strip()
    masked = ipv4_interfaces([address]) if "/" in address else ()
    unmasked: tuple[str, ...] = ()
    if "/" not in address and address.lower() not in _NO_ADDRESS_WORDS:
        try:
            ip = ipaddress.IPv4Address(address)
        except ValueError:
            ip = None
        if ip is not None and not ip.is_unspecified:
            unmasked = (str(ip),)
    oper = status_up(protocol.strip().lstrip("*^")) if protocol else None
    if oper is None:
        oper = status_up(link_word.lstrip("*^"))
    return Interface(
        name=name,
        admin_up=None if not link_word else not admin_down,
        oper_up=False if admin_down else oper,
        addresses=masked,
        unmasked_addresses=unmasked,
        vrf=vrf.strip() if vrf and vrf.strip() != "--" else None,
    )
