"""Juniper Junos structured output (``| display json``, Junos 14.2 and later).

Junos JSON mirrors its XML RPC replies: every element is a list of objects and
every leaf value sits in ``{"data": ...}`` (:func:`collectors.parsers.structured.junos_value`).
Read here: ``show version`` (``software-information``: ``host-name``, ``product-model``,
``junos-version``; per routing engine under ``multi-routing-engine-results`` on
chassis clusters and virtual chassis), ``show chassis hardware`` (``chassis-inventory``
/ ``chassis`` / ``serial-number``), ``show interfaces`` (``interface-information`` /
``physical-interface`` with ``admin-status``, ``oper-status``, ``speed``,
``traffic-statistics`` ``input-bps``/``output-bps`` (the text's ``Input rate``) and
``logical-interface`` units carrying ``address-family`` / ``interface-address``
``ifa-local``, ``ifa-destination``; ports and units with their ``snmp-index``) and
``show lldp neighbors`` and its ``detail`` form (``lldp-neighbors-information`` /
``lldp-neighbor-information``; see :func:`local_port`). Junos names keep their native
form (``ge-0/0/0.0``), as in :mod:`collectors.parsers.juniper_junos`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from collectors.facts import Interface
from collectors.parsers.base import (
    CommandParser,
    Fragment,
    ParseError,
    info_fragment,
    ipv4_interface,
    neighbour,
    neighbours_fragment,
    rate_bps,
)
from collectors.parsers.common import interface_from_states
from collectors.parsers.juniper_junos import snmp_index
from collectors.parsers.structured import json_object, junos_items, junos_value

#: Physical ports whose stated speed is a line speed (tunnels and services state a nominal one).
_PORT = re.compile(r"^(?:fe|ge|xe|et|mge|ce)-\d|^(?:ae|em|fxp|me|reth)\d")
_RELEASE = re.compile(r"\[([^\]]+)\]")


def _document(doc: Any, top: str) -> Iterator[Mapping[str, Any]]:
    """The ``top`` elements of a reply, of every routing engine or member when there are several."""
    doc = json_object(doc, top)
    if top not in doc and "multi-routing-engine-results" not in doc:
        raise ParseError(f"no {top} in the output")
    yield from junos_items(doc, top)
    # Chassis clusters and virtual chassis answer once per routing engine / member.
    for results in junos_items(doc, "multi-routing-engine-results"):
        for member in junos_items(results, "multi-routing-engine-item"):
            yield from junos_items(member, top)


def _release(software: Mapping[str, Any]) -> str:
    """``junos-version``, or on releases without it the release of the base package."""
    version = junos_value(software, "junos-version")
    if version:
        return version
    for package in junos_items(software, "package-information"):
        match = _RELEASE.search(junos_value(package, "comment"))
        if match and junos_value(package, "name") in ("junos", "jbase", "junos-version"):
            return match.group(1).strip()
    return ""


def read_version(doc: Any) -> Fragment:
    """``show version | display json``: host name, model, Junos release (first routing engine)."""
    for software in _document(doc, "software-information"):
        info = {
            "hostname": junos_value(software, "host-name"),
            "model": junos_value(software, "product-model"),
            "os_version": _release(software),
        }
        if any(info.values()):
            return info_fragment(info)
    raise ParseError("no software-information with a host name, model or release")


def read_chassis(doc: Any) -> Fragment:
    """``show chassis hardware | display json``: the chassis serial number."""
    for inventory in _document(doc, "chassis-inventory"):
        for chassis in junos_items(inventory, "chassis"):
            serial = junos_value(chassis, "serial-number")
            if serial:
                return Fragment(info={"serial": serial})
    return Fragment()


def _unit_addresses(unit: Mapping[str, Any]) -> list[str]:
    """IPv4 addresses of a logical unit; one without a destination is a host address (/32)."""
    found = []
    for family in junos_items(unit, "address-family"):
        if junos_value(family, "address-family-name") != "inet":
            continue
        for address in junos_items(family, "interface-address"):
            local = junos_value(address, "ifa-local")
            length = junos_value(address, "ifa-destination").partition("/")[2] or "32"
            itf = ipv4_interface(f"{local}/{length}") if local else None
            if itf:
                found.append(itf)
    return found


_DOWN_FLAGS = ("iff-down", "iff-device-down", "iff-hardware-down")


def _unit_up(unit: Mapping[str, Any]) -> bool | None:
    """A unit's state from its flags: ``iff-up`` is up, a down flag is down, else unknown."""
    flags = next(junos_items(unit, "if-config-flags"), {})
    if "iff-up" in flags:
        return True
    return False if any(flag in flags for flag in _DOWN_FLAGS) else None


def _port_rates(port: Mapping[str, Any]) -> dict[str, float | None]:
    """``in_bps``/``out_bps`` of a physical port from its ``traffic-statistics`` (the text's
    ``Input rate : N bps``); logical units state none."""
    stats = next(junos_items(port, "traffic-statistics"), {})
    return {"in_bps": rate_bps(junos_value(stats, "input-bps")),
            "out_bps": rate_bps(junos_value(stats, "output-bps"))}


def read_interfaces(doc: Any) -> Fragment:
    """``show interfaces | display json``: physical ports, then their logical units.

    A unit inherits the administrative state of its port (a unit of a disabled
    port passes nothing); its own flags give its operational state.
    """
    interfaces: list[Interface] = []
    for information in _document(doc, "interface-information"):
        for port in junos_items(information, "physical-interface"):
            name = junos_value(port, "name")
            if not name:
                continue
            admin = junos_value(port, "admin-status").lower()
            oper = junos_value(port, "oper-status")
            physical = replace(interface_from_states(
                name,
                link="administratively down" if admin == "down" else (oper or "up"),
                protocol=oper,
                description=junos_value(port, "description"),
                speed=junos_value(port, "speed") if _PORT.match(name) else "",
                **_port_rates(port),
            ), snmp_index=snmp_index(junos_value(port, "snmp-index")))
            interfaces.append(physical)
            for unit in junos_items(port, "logical-interface"):
                unit_name = junos_value(unit, "name")
                if not unit_name:
                    continue
                up = _unit_up(unit)
                interfaces.append(replace(interface_from_states(
                    unit_name,
                    link="administratively down" if physical.admin_up is False else "up",
                    protocol="" if up is None else "up" if up else "down",
                    description=junos_value(unit, "description"),
                    addresses=_unit_addresses(unit),
                ), snmp_index=snmp_index(junos_value(unit, "snmp-index"))))
    if not interfaces:
        raise ParseError("no physical-interface in the output")
    return Fragment(interfaces=interfaces)


def local_port(entry: Mapping[str, Any]) -> str:
    """The local port of a Junos LLDP entry, by name.

    ``lldp-local-interface`` names it when present (releases before 13.2, and the detail
    form, where ``lldp-local-port-id`` is the SNMP ifindex, ``"512"``); otherwise
    ``lldp-local-port-id``, which the summary form of later releases fills with the name.
    An index is never taken for a port name: an entry naming its port only by one is a
    :class:`ParseError`.

    >>> local_port({"lldp-local-port-id": [{"data": "512"}], "lldp-local-interface": [{"data": "xe-0/0/0"}]})
    'xe-0/0/0'
    >>> local_port({"lldp-local-port-id": [{"data": "ge-0/0/1"}]})
    'ge-0/0/1'
    """
    name = junos_value(entry, "lldp-local-interface") or junos_value(entry, "lldp-local-port-id")
    if name.isdigit():
        raise ParseError(f"an LLDP entry names its local port only by the index {name}")
    return name


def read_lldp(doc: Any) -> Fragment:
    """``show lldp neighbors | display json`` and ``show lldp neighbors detail | display json``:
    the same ``lldp-neighbor-information`` entries, the local port by name (:func:`local_port`)."""
    return neighbours_fragment(
        neighbour(
            local_port=local_port(entry),
            remote_name=junos_value(entry, "lldp-remote-system-name"),
            port_id=junos_value(entry, "lldp-remote-port-id"),
            port_description=junos_value(entry, "lldp-remote-port-description"),
            address=junos_value(entry, "lldp-remote-management-address"),
            chassis_id=junos_value(entry, "lldp-remote-chassis-id"),
        )
        for information in _document(doc, "lldp-neighbors-information")
        for entry in junos_items(information, "lldp-neighbor-information")
    )


PARSERS: dict[str, CommandParser] = {
    "show version | display json": CommandParser(read_version),
    "show chassis hardware | display json": CommandParser(read_chassis),
    "show interfaces | display json": CommandParser(read_interfaces),
    # As for the text command, an empty answer is an empty neighbour table.
    "show lldp neighbors | display json": CommandParser(read_lldp, empty_output_ok=True),
    "show lldp neighbors detail | display json": CommandParser(read_lldp, empty_output_ok=True),
}
