"""Linux hosts (servers, lldpd): ``hostname``, ``uname -sr``, ``ip -j address``, ``lldpcli -f json``.

JSON where the tools give it; the readers accept the shapes lldpd's JSON takes
(a single interface or chassis is an object, several are a list; a chassis
without a system name is keyed by nothing).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from collectors.facts import Interface, Neighbour
from collectors.normalise import interface_name
from collectors.parsers.base import (
    CommandParser,
    Fragment,
    ParseError,
    ipv4_interfaces,
    neighbour,
    neighbours_fragment,
)


def read_hostname(text: str) -> Fragment:
    """``hostname``: the first word of the first line."""
    words = text.split()
    if len(words) != 1:
        raise ParseError("expected one host name")
    return Fragment(info={"hostname": words[0]})


def read_uname(text: str) -> Fragment:
    """``uname -sr``: kernel name and release, e.g. ``Linux 6.1.0-18-amd64``."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    if not line.startswith(("Linux", "FreeBSD", "OpenBSD", "NetBSD", "Darwin", "SunOS")):
        raise ParseError("not the output of uname")
    return Fragment(info={"os_version": line.strip()})


_OPER = {"UP": True, "DOWN": False, "LOWERLAYERDOWN": False, "NOTPRESENT": False, "DORMANT": False}


def read_ip_addresses(data: Any) -> Fragment:
    """``ip -j address show``: one entry per link with its IPv4 addresses."""
    if not isinstance(data, list):
        raise ParseError("expected a JSON list of links")
    interfaces = []
    for link in data:
        if not isinstance(link, dict) or not link.get("ifname"):  # not a link of `ip -j address`
            raise ParseError(f"a list entry is no link (no ifname): {str(link)[:60]}")
        flags = link.get("flags") or []
        oper = _OPER.get(str(link.get("operstate", "")).upper())
        if oper is None and "LOWER_UP" in flags:  # loopbacks and tunnels say UNKNOWN
            oper = "UP" in flags
        addresses = [f"{a.get('local')}/{a.get('prefixlen')}" for a in link.get("addr_info") or []
                     if isinstance(a, dict) and a.get("family") == "inet"]
        interfaces.append(Interface(
            name=interface_name(str(link["ifname"]).partition("@")[0]),  # "eth0.10@eth0"
            description=str(link.get("ifalias") or ""),
            admin_up="UP" in flags,
            oper_up=oper,
            addresses=ipv4_interfaces(addresses),
        ))
    return Fragment(interfaces=interfaces)


def _items(node: Any) -> Iterator[tuple[str, Any]]:
    """(key, value) pairs of an lldpd JSON node that is an object or a list of objects."""
    for entry in node if isinstance(node, list) else [node]:
        if isinstance(entry, dict):
            yield from entry.items()


def _value(node: Any) -> str:
    if isinstance(node, dict):
        return str(node.get("value", ""))
    if isinstance(node, list):
        return _value(node[0]) if node else ""
    return "" if node is None else str(node)


def read_lldpcli(data: Any) -> Fragment:
    """``lldpcli show neighbors -f json``."""
    if not isinstance(data, dict) or "lldp" not in data:
        raise ParseError('expected a JSON object with an "lldp" key')
    return neighbours_fragment(_neighbours(data["lldp"]))


def _neighbours(lldp_node: Any) -> Iterator[Neighbour | None]:
    """Each neighbour of each interface under lldpd's ``lldp`` node."""
    for lldp_key, lldp in _items(lldp_node):
        if lldp_key != "interface":  # lldpd puts nothing else under "lldp"
            raise ParseError(f"unexpected key {lldp_key!r} under \"lldp\" (expected \"interface\")")
        for local, details in _items(lldp):
            if not isinstance(details, dict):
                raise ParseError(f"interface {local!r} holds {type(details).__name__}, not an object")
            chassis = details.get("chassis") or {}
            name, body = "", chassis
            if isinstance(chassis, dict) and "id" not in chassis and chassis:
                name, body = next(iter(chassis.items()))  # keyed by the system name
            body = body if isinstance(body, dict) else {}
            mgmt = body.get("mgmt-ip")
            addresses = mgmt if isinstance(mgmt, list) else [mgmt] if mgmt else []
            port = details.get("port") or {}
            yield neighbour(
                local_port=local,
                remote_name=name,
                port_id=_value(port.get("id")),
                port_description=_value(port.get("descr")),
                address=next((str(a) for a in addresses if "." in str(a)), ""),
                protocol="cdp" if str(details.get("via", "")).upper().startswith("CDP") else "lldp",
                chassis_id=_value(body.get("id")),
            )


PARSERS: dict[str, CommandParser] = {
    "hostname": CommandParser(read_hostname),
    "uname -sr": CommandParser(read_uname),
    "ip -j address show": CommandParser(read_ip_addresses),
    "lldpcli show neighbors -f json": CommandParser(read_lldpcli),
}
