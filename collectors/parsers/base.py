"""Shared pieces of the per-platform parsers: what a command yields, and small readers.

A platform module maps each of its commands to a :class:`CommandParser`, whose
``read`` turns the command's parsed form (TextFSM rows, decoded JSON, or the
raw text, depending on the command's template) into a :class:`Fragment`.
:func:`collectors.parse.parse_outputs` merges the fragments into ``DeviceFacts``.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from collectors.facts import Interface, Neighbour
from collectors.normalise import interface_name, is_interface_name


class ParseError(ValueError):
    """A command's output could not be read; the message says why (one line)."""


@dataclass
class Fragment:
    """What one command contributes to a device's facts."""

    info: dict[str, str] = field(default_factory=dict)  # DeviceInfo field -> value
    interfaces: list[Interface] = field(default_factory=list)
    neighbours: list[Neighbour] = field(default_factory=list)


Row = dict[str, Any]  # one TextFSM record, lower-case field names
Reader = Callable[[Any], Fragment]


def info_fragment(info: Mapping[str, str]) -> Fragment:
    """A fragment of device fields, leaving out those the output left blank."""
    return Fragment(info={key: value for key, value in info.items() if value})


def neighbours_fragment(found: Iterable[Neighbour | None]) -> Fragment:
    """A fragment of neighbours, leaving out the records that named none (see :func:`neighbour`)."""
    return Fragment(neighbours=[item for item in found if item is not None])


@dataclass(frozen=True, slots=True)
class CommandParser:
    """How to read one command of a platform.

    ``empty_table`` matches output that legitimately holds no records (an empty
    LLDP table, LLDP switched off); without a match, output that yields no
    records is a parse error. ``empty_output_ok`` is for commands whose empty
    output is a normal answer (IOS ``show cdp neighbors detail`` with no neighbour).
    """

    read: Reader
    empty_table: re.Pattern[str] | None = None
    empty_output_ok: bool = False


# --- small readers shared by the platforms ---------------------------------------------


def first(value: Any) -> str:
    """The first item of a TextFSM List value, or the value itself, stripped."""
    if isinstance(value, list):
        value = next((v for v in value if v and str(v).strip()), "")
    return str(value).strip() if value is not None else ""


_SPEED = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[kmgt])?(?:b(?:it)?(?:ps|/s)?|bps)?", re.IGNORECASE)
_UNIT_MBPS = {"k": 0.001, "m": 1.0, "g": 1000.0, "t": 1_000_000.0}


def speed_mbps(text: str, default_unit: str = "m") -> float | None:
    """A speed in Mbit/s from vendor text; ``None`` when it states no number.

    >>> speed_mbps("1000Mb/s"), speed_mbps("10Gbps-speed"), speed_mbps("100000 kbps")
    (1000.0, 10000.0, 100.0)
    >>> speed_mbps("Auto-speed") is None, speed_mbps("10000", default_unit="m")
    (True, 10000.0)
    """
    if not text:
        return None
    match = _SPEED.search(text)
    if match is None:
        return None
    unit = (match["unit"] or default_unit).lower()
    value = float(match["num"]) * _UNIT_MBPS[unit]
    return value if value > 0 else None


def rate_bps(bits_per_second: Any = "", bytes_per_second: Any = "") -> float | None:
    """A traffic rate in bit/s from the figures a device prints: bits/s, else bytes/s * 8.

    A figure is text or a JSON number; blank, non-numeric, negative or non-finite
    figures are no rate, while 0 is one (an idle port is what LIN004 looks for).

    >>> rate_bps("10528"), rate_bps("", "1316"), rate_bps(0), rate_bps(" 12.5 ")
    (10528.0, 10528.0, 0.0, 12.5)
    >>> rate_bps("n/a") is None, rate_bps("", "") is None, rate_bps(True) is None, rate_bps("-1") is None
    (True, True, True, True)
    """
    for figure, factor in ((bits_per_second, 1), (bytes_per_second, 8)):
        if isinstance(figure, bool) or figure is None:  # JSON true/false/null: no figure
            continue
        try:
            value = float(str(figure).strip())
        except ValueError:
            continue
        if math.isfinite(value) and value >= 0:
            return value * factor
    return None


def ipv4_interface(address: str, mask: str | None = None) -> str | None:
    """``"a.b.c.d/len"`` from ``"a.b.c.d/len"`` or an address and a mask; ``None`` if invalid.

    The unspecified address (``0.0.0.0``) is no address.

    >>> ipv4_interface("10.1.1.1/24"), ipv4_interface("10.1.1.1", "255.255.255.252"), ipv4_interface("10.1.1.1", "24")
    ('10.1.1.1/24', '10.1.1.1/30', '10.1.1.1/24')
    >>> ipv4_interface("A.B.C.D/XY") is None, ipv4_interface("0.0.0.0/24") is None
    (True, True)
    >>> ipv4_interface("dhcp") is None, ipv4_interface("<redacted>") is None
    (True, True)
    """
    text = (address or "").strip()
    if mask:
        text = f"{text}/{mask.strip()}"
    try:
        itf = ipaddress.IPv4Interface(text)
    except ValueError:
        return None
    if itf.ip.is_unspecified or "/" not in text:
        return None
    return f"{itf.ip}/{itf.network.prefixlen}"


def ipv4_interfaces(values: Iterable[str]) -> tuple[str, ...]:
    """Valid, distinct IPv4 interfaces, in order."""
    out: list[str] = []
    for value in values:
        itf = ipv4_interface(value)
        if itf and itf not in out:
            out.append(itf)
    return tuple(out)


def mgmt_address(text: str) -> str | None:
    """A neighbour's management address if it is an IP address (MACs and blanks are not)."""
    text = (text or "").strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


_MAC = re.compile(
    r"^(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^(?:[0-9a-f]{4}[.-]){2}[0-9a-f]{4}$", re.IGNORECASE
)


def remote_port(port_id: str, description: str = "") -> str:
    """The remote port of an LLDP neighbour, normalised.

    The port id is used when it reads as an interface name; many devices send a
    MAC address or an index as port id and the name in the port description, so
    the description is used next when it reads as an interface name, or when the
    id is a MAC address and the description one word (lldpd's default: MAC as id,
    the interface name as description); otherwise the port id as sent.

    >>> remote_port("Gi1/0/1", "GigabitEthernet1/0/1 uplink")
    'GigabitEthernet1/0/1'
    >>> remote_port("0004.7a2a.bbbb", "eth0")
    'eth0'
    >>> remote_port("502", "LAN Port")
    '502'
    >>> remote_port("7a:11:22:33:44:55", "veth-b")
    'veth-b'
    """
    port_id = (port_id or "").strip()
    description = (description or "").strip()
    if is_interface_name(port_id):
        return interface_name(port_id)
    if is_interface_name(description):
        return interface_name(description)
    if _MAC.match(port_id) and description and " " not in description:
        return description  # lldpd and many hosts: MAC as id, the interface name as description
    return port_id or description


def neighbour(
    local_port: str,
    remote_name: str,
    port_id: str,
    port_description: str = "",
    address: str = "",
    protocol: str = "lldp",
    chassis_id: str = "",
) -> Neighbour | None:
    """A normalised neighbour, or ``None`` when the record names no neighbour at all.

    A neighbour that advertises no system name is named by its chassis id.
    """
    name = (remote_name or "").strip() or (chassis_id or "").strip()
    if not name:
        return None
    return Neighbour(
        local_port=interface_name(local_port),
        remote_name=name,
        remote_port=remote_port(port_id, port_description),
        remote_address=mgmt_address(address),
        protocol="cdp" if protocol == "cdp" else "lldp",
    )


def status_up(text: str) -> bool | None:
    """``True`` for "up"-like states (``UP``, ``up (connected)``, ``UP(spoofing)``), ``None`` if blank."""
    text = (text or "").strip().lower()
    if not text:
        return None
    return text.startswith("up")


def admin_up(text: str) -> bool | None:
    """Administrative state from a link state: only "administratively down" is admin down."""
    text = (text or "").strip().lower()
    if not text:
        return None
    return not text.startswith("administratively") and "admin" not in text.split()[0]


def search(pattern: re.Pattern[str], text: str) -> str:
    """The first group of the first match, stripped, or ``""``."""
    match = pattern.search(text)
    return match.group(1).strip() if match else ""
