"""Arista EOS structured output (``| json``): version, hostname, interfaces, LLDP detail.

Field names follow the eAPI / ``| json`` schema of EOS (the same JSON as eAPI's
``runCmds``): ``show version`` (``modelName``, ``version``, ``serialNumber``,
``uptime`` in seconds), ``show hostname`` (``hostname``, ``fqdn``), ``show interfaces``
(``interfaces`` keyed by name: ``interfaceStatus``, ``lineProtocolStatus``,
``bandwidth`` in bit/s, ``interfaceAddress`` with ``primaryIp`` and secondaries,
``interfaceStatistics`` with the averaged ``inBitsRate``/``outBitsRate``) and
``show lldp neighbors detail`` (``lldpNeighbors`` keyed by local port, each with
``lldpNeighborInfo``). Values are normalised exactly like the text readers of
:mod:`collectors.parsers.arista_eos`, so JSON and text give the same facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from collectors.facts import Neighbour
from collectors.parsers.base import (
    CommandParser,
    Fragment,
    ParseError,
    info_fragment,
    ipv4_interface,
    mgmt_address,
    neighbour,
    neighbours_fragment,
    rate_bps,
)
from collectors.parsers.common import interface_from_states
from collectors.parsers.structured import json_object

_UNITS = (("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))


def eos_uptime(seconds: float) -> str:
    """Uptime in the words EOS prints in ``show version`` (from the largest unit shown).

    >>> eos_uptime(3900.4), eos_uptime(1883160), eos_uptime(30)
    ('1 hour and 5 minutes', '3 weeks, 0 days, 19 hours and 6 minutes', '0 minutes')
    """
    left = int(seconds)
    parts: list[str] = []
    for unit, size in _UNITS:
        count, left = divmod(left, size)
        if count or parts or unit == "minute":
            parts.append(f"{count} {unit}" + ("" if count == 1 else "s"))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def read_version(doc: Any) -> Fragment:
    """``show version | json``: model, EOS version, serial, uptime."""
    obj = json_object(doc, "modelName and version")
    if "modelName" not in obj and "version" not in obj:
        raise ParseError("no modelName or version in the output")
    info = {
        "model": str(obj.get("modelName") or "").strip(),
        "os_version": str(obj.get("version") or "").strip(),
        "serial": str(obj.get("serialNumber") or "").strip(),
    }
    uptime = obj.get("uptime")
    if isinstance(uptime, (int, float)) and not isinstance(uptime, bool) and uptime >= 0:
        info["uptime"] = eos_uptime(uptime)
    return info_fragment(info)


def read_hostname(doc: Any) -> Fragment:
    """``show hostname | json``: the short host name."""
    hostname = str(json_object(doc, "hostname").get("hostname") or "").strip()
    if not hostname:
        raise ParseError("no hostname in the output")
    return Fragment(info={"hostname": hostname})


def _addresses(entries: Any) -> Iterable[str]:
    """Primary, then secondary addresses of ``interfaceAddress`` (a list; one object on old EOS)."""
    for entry in entries if isinstance(entries, list) else [entries] if entries else []:
        if not isinstance(entry, Mapping):
            continue
        secondaries = entry.get("secondaryIpsOrderedList")
        if not isinstance(secondaries, list):  # older EOS: only the dict keyed by address
            by_address = entry.get("secondaryIps")
            secondaries = list(by_address.values()) if isinstance(by_address, Mapping) else []
        for ip in [entry.get("primaryIp"), *secondaries]:
            if isinstance(ip, Mapping):
                address = ipv4_interface(f"{ip.get('address', '')}/{ip.get('maskLen', '')}")
                if address:
                    yield address


def _virtual_addresses(entries: Any) -> Iterable[str]:
    """``ip address virtual`` addresses of ``interfaceAddress`` (``virtualIp``, then
    ``virtualSecondaryIpsOrderedList`` or the older ``virtualSecondaryIps``): the anycast
    gateway every switch of a fabric holds, so shared, never a duplicate. EOS sends
    ``0.0.0.0/0`` where none is set, which is no address."""
    for entry in entries if isinstance(entries, list) else [entries] if entries else []:
        if not isinstance(entry, Mapping):
            continue
        secondaries = entry.get("virtualSecondaryIpsOrderedList")
        if not isinstance(secondaries, list):
            by_address = entry.get("virtualSecondaryIps")
            secondaries = list(by_address.values()) if isinstance(by_address, Mapping) else []
        for ip in [entry.get("virtualIp"), *secondaries]:
            if isinstance(ip, Mapping):
                address = ipv4_interface(f"{ip.get('address', '')}/{ip.get('maskLen', '')}")
                if address:
                    yield address


def read_interfaces(doc: Any) -> Fragment:
    """``show interfaces | json``: ``interfaceStatus`` ``disabled`` is an administratively down port."""
    table = json_object(doc, "interfaces").get("interfaces")
    if not isinstance(table, Mapping) or not table:
        raise ParseError("no interfaces in the output")
    interfaces = []
    for key, itf_data in table.items():
        if not isinstance(itf_data, Mapping):
            raise ParseError(f"interface {key!r} is {type(itf_data).__name__}, not an object")
        protocol = str(itf_data.get("lineProtocolStatus") or "")
        stats = itf_data.get("interfaceStatistics")
        stats = stats if isinstance(stats, Mapping) else {}
        itf = interface_from_states(
            str(key),  # the key is the name; ``name`` inside has been seen to disagree with it
            link=_link(str(itf_data.get("interfaceStatus") or ""), protocol),
            protocol=protocol,
            description=str(itf_data.get("description") or ""),
            bandwidth_kbit=_kbit(itf_data.get("bandwidth")),
            addresses=list(_addresses(itf_data.get("interfaceAddress"))),
            # The text's "5 minutes input rate" (updateInterval seconds); the text template reads none.
            in_bps=rate_bps(stats.get("inBitsRate")),
            out_bps=rate_bps(stats.get("outBitsRate")),
        )
        shared = tuple(dict.fromkeys(_virtual_addresses(itf_data.get("interfaceAddress"))))
        interfaces.append(replace(itf, shared_addresses=shared) if shared else itf)
    return Fragment(interfaces=interfaces)


def _link(status: str, protocol: str) -> str:
    """The link state words of the text output from ``interfaceStatus``.

    >>> _link("disabled", "notPresent"), _link("connected", "up"), _link("errdisabled", "down"), _link("", "up")
    ('administratively down', 'up', 'down', 'up')
    """
    status = status.lower()
    if status == "disabled":
        return "administratively down"
    if status == "connected":
        return "up"
    return "down" if status else protocol


def _kbit(bits_per_second: Any) -> str:
    """EOS states bandwidth in bit/s; the shared reader takes kbit/s text."""
    if isinstance(bits_per_second, (int, float)) and not isinstance(bits_per_second, bool) and bits_per_second > 0:
        return str(int(bits_per_second) // 1000)
    return ""


def _management_address(addresses: Any) -> str:
    """The first management address that is an IP address, IPv4 before IPv6 (not a MAC)."""
    found = [a for a in addresses if isinstance(a, Mapping)] if isinstance(addresses, list) else []
    found.sort(key=lambda a: a.get("addressType") != "ipv4")
    return next((str(a["address"]) for a in found if mgmt_address(str(a.get("address") or ""))), "")


def read_lldp(doc: Any) -> Fragment:
    """``show lldp neighbors detail | json``: EOS quotes interface-name port ids (``"Ethernet1"``)."""
    table = json_object(doc, "lldpNeighbors").get("lldpNeighbors")
    if not isinstance(table, Mapping):
        raise ParseError("no lldpNeighbors in the output")
    return neighbours_fragment(_neighbours(table))


def _neighbours(table: Mapping[str, Any]) -> Iterator[Neighbour | None]:
    """Each ``lldpNeighborInfo`` entry of each local port, as a neighbour."""
    for local, entry in table.items():
        infos = entry.get("lldpNeighborInfo") if isinstance(entry, Mapping) else None
        if not isinstance(infos, list):  # every port entry holds the list, empty or not
            raise ParseError(f"lldpNeighbors entry {local!r} has no lldpNeighborInfo list")
        for info in infos:
            if not isinstance(info, Mapping):
                raise ParseError(f"an lldpNeighborInfo entry of {local!r} is {type(info).__name__}")
            port = info.get("neighborInterfaceInfo") or {}
            yield neighbour(
                local_port=str(local),
                remote_name=str(info.get("systemName") or ""),
                port_id=str(port.get("interfaceId") or "").strip().strip('"'),
                port_description=str(port.get("interfaceDescription") or ""),
                address=_management_address(info.get("managementAddresses")),
                chassis_id=str(info.get("chassisId") or ""),
            )


PARSERS: dict[str, CommandParser] = {
    "show version | json": CommandParser(read_version),
    "show hostname | json": CommandParser(read_hostname),
    "show interfaces | json": CommandParser(read_interfaces),
    "show lldp neighbors detail | json": CommandParser(read_lldp),
}
