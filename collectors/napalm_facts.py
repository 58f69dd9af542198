"""napalm getter results in the capture layout, and their facts.

The napalm transport stores each getter's result as JSON in the device folder,
beside where command outputs would be::

    CAPTURES/<device>/napalm_get_facts.json
                      napalm_get_interfaces.json
                      napalm_get_interfaces_ip.json
                      napalm_get_lldp_neighbors_detail.json
                      napalm_get_config.json          # {"running": ..., "startup": ..., "candidate": ...}, redacted

In :class:`collectors.base.RawOutputs` they are keyed ``"napalm:<getter>"``.
:func:`facts_from_napalm` turns them into :class:`DeviceFacts`, so a device
collected through napalm feeds the graph exactly like one collected through
netmiko (it is pure and never raises, like :func:`collectors.parse.parse_outputs`).
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

from collectors.base import RawOutputs
from collectors.facts import CommandProblem, DeviceFacts, DeviceInfo, Interface, Neighbour
from collectors.normalise import canonical_interfaces, interface_name
from collectors.parsers.base import remote_port
from collectors.redact import redact_config

#: The getters a survey calls, in order.
GETTERS: tuple[str, ...] = (
    "get_facts", "get_interfaces", "get_interfaces_ip", "get_lldp_neighbors_detail", "get_config",
)
KEY_PREFIX = "napalm:"


def output_key(getter: str) -> str:
    """The :class:`RawOutputs` key of a getter's JSON (``napalm:get_facts``)."""
    return KEY_PREFIX + getter


def napalm_filename(getter: str) -> str:
    """The capture file of a getter (``napalm_get_facts.json``)."""
    return f"napalm_{getter}.json"


def is_napalm(raw: RawOutputs) -> bool:
    """True when the outputs came from napalm getters."""
    return any(key.startswith(KEY_PREFIX) for key in raw.outputs)


def has_napalm_capture(folder: Path) -> bool:
    """True when a device folder holds getter files (it was collected through napalm)."""
    return any((Path(folder) / napalm_filename(getter)).is_file() for getter in GETTERS)


def facts_from_napalm(raw: RawOutputs) -> DeviceFacts:
    """Normalised facts from napalm getter JSON; each unreadable getter is a problem."""
    problems = list(raw.problems)
    data: dict[str, Any] = {}
    for getter in GETTERS:
        text = raw.outputs.get(output_key(getter))
        if text is None:
            continue
        try:
            doc = json.loads(text)
        except ValueError as exc:
            problems.append(CommandProblem(getter, "parse_error", f"not valid JSON: {exc}"))
            continue
        except RecursionError:  # a hostile document, brackets nested thousands deep
            problems.append(CommandProblem(getter, "parse_error", "not readable JSON: nested too deeply"))
            continue
        unknown = shape_problem(getter, doc)
        if unknown:  # a shape we do not know is no "empty": say so, naming the getter
            problems.append(CommandProblem(getter, "parse_error", unknown))
            continue
        data[getter] = doc
    try:
        info = _info(data.get("get_facts") or {})
        # The same central normalisation as command outputs: canonical VRF, interface roles.
        interfaces = canonical_interfaces(raw.platform, _interfaces(data.get("get_interfaces") or {},
                                                                    data.get("get_interfaces_ip") or {}))
        neighbours = _neighbours(data.get("get_lldp_neighbors_detail") or {})
        config = (data.get("get_config") or {}).get("running") or None
        if config is not None:  # saved by anyone, not only by our transport (which redacts): redact again
            config = redact_config(raw.platform, str(config))
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        problems.append(CommandProblem("napalm", "parse_error", f"unexpected getter shape: {exc}"))
        return DeviceFacts(raw.device, raw.platform, status="parse_failed", problems=tuple(problems),
                           error=raw.error)
    if raw.status not in ("ok", "partial"):
        status = raw.status
    elif not data:
        status = "parse_failed"
    else:
        status = "partial" if problems else "ok"
    return DeviceFacts(raw.device, raw.platform, status=status, info=info, interfaces=interfaces,
                       neighbours=neighbours, config=config, problems=tuple(problems), error=raw.error)


#: The keys by which each getter's result is recognised (napalm's documented schema):
#: get_facts must hold one of them, each entry of the per-interface getters one of theirs.
_FACTS_KEYS = ("hostname", "fqdn", "vendor", "model", "os_version", "serial_number", "uptime")
_ENTRY_KEYS = {
    "get_interfaces": ("is_up", "is_enabled", "description", "speed", "mac_address"),
    "get_interfaces_ip": ("ipv4", "ipv6"),
}
_LLDP_KEYS = ("remote_system_name", "remote_chassis_id", "remote_port", "remote_port_description")


def shape_problem(getter: str, doc: Any) -> str | None:
    """Why a getter's decoded JSON is not the shape napalm documents, or ``None`` if it is.

    An empty object is a valid empty table (no interface, no neighbour).

    >>> shape_problem("get_lldp_neighbors_detail", {"foo": 1})
    "get_lldp_neighbors_detail: 'foo' holds int, not a list of neighbours"
    >>> shape_problem("get_lldp_neighbors_detail", {}), shape_problem("get_facts", {"hostname": "r1"})
    (None, None)
    """
    if not isinstance(doc, dict):
        return f"{getter}: expected a JSON object, got {type(doc).__name__}"
    if getter == "get_facts":
        return None if any(k in doc for k in _FACTS_KEYS) else f"get_facts: none of {', '.join(_FACTS_KEYS)}"
    if getter == "get_config":
        return None if any(k in doc for k in ("running", "startup", "candidate")) else "get_config: no running"
    for key, entry in doc.items():
        if getter == "get_lldp_neighbors_detail":
            if not isinstance(entry, list) or not all(
                    isinstance(n, dict) and any(k in n for k in _LLDP_KEYS) for n in entry):
                return f"{getter}: {key!r} holds {type(entry).__name__}, not a list of neighbours"
        elif getter in _ENTRY_KEYS and not (isinstance(entry, dict) and any(k in entry for k in _ENTRY_KEYS[getter])):
            return f"{getter}: {key!r} is no interface entry ({', '.join(_ENTRY_KEYS[getter])})"
    return None


def _info(facts: dict[str, Any]) -> DeviceInfo:
    uptime = facts.get("uptime")
    return DeviceInfo(
        hostname=facts.get("hostname") or None,
        vendor=facts.get("vendor") or None,
        model=facts.get("model") or None,
        os_version=facts.get("os_version") or None,
        serial=facts.get("serial_number") or None,
        uptime=f"{int(uptime)} seconds" if isinstance(uptime, (int, float)) and uptime >= 0 else None,
    )


def _interfaces(interfaces: dict[str, Any], addresses: dict[str, Any]) -> tuple[Interface, ...]:
    out: dict[str, Interface] = {}
    for name in list(interfaces) + [n for n in addresses if n not in interfaces]:
        item = interfaces.get(name) or {}
        speed = item.get("speed")
        ipv4 = (addresses.get(name) or {}).get("ipv4") or {}
        cidrs = tuple(
            str(ipaddress.ip_interface(f"{addr}/{attrs.get('prefix_length', 32)}"))
            for addr, attrs in ipv4.items()
        )
        normalised = interface_name(name)
        sources = tuple(output_key(getter) for getter, table in
                        (("get_interfaces", interfaces), ("get_interfaces_ip", addresses)) if name in table)
        out[normalised] = Interface(
            name=normalised,
            description=item.get("description") or "",
            admin_up=item.get("is_enabled"),
            oper_up=item.get("is_up"),
            speed_mbps=float(speed) if isinstance(speed, (int, float)) and speed > 0 else None,
            addresses=cidrs,
            sources=sources,
        )
    return tuple(out.values())


def _neighbours(lldp: dict[str, Any]) -> tuple[Neighbour, ...]:
    out: list[Neighbour] = []
    for local_port, entries in lldp.items():
        for entry in entries or ():
            name = entry.get("remote_system_name") or entry.get("remote_chassis_id") or ""
            if not name:
                continue
            out.append(Neighbour(
                local_port=interface_name(local_port),
                remote_name=name,
                # the port id, else its description when the id is a MAC or an index
                remote_port=remote_port(entry.get("remote_port") or "", entry.get("remote_port_description") or ""),
                protocol="lldp",
                source=output_key("get_lldp_neighbors_detail"),
            ))
    return tuple(out)
