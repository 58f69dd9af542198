"""Turn a host of another tool's inventory (Nornir, Ansible) into a netcensus device.

Both tools describe a host by an address, a port, a platform name and free-form
variables. Our device also needs its department and its room or site: they come from
the host's variables (``department``, ``site``, ``room``, ``role``, ``serial``,
``networks``, ``credential_profile``, ``transport``; NetBox-style ``{slug: ...}``
mappings and ``tenant`` for the department work too), else from the defaults the user
passes. A host that still lacks one, or
whose platform netcensus does not survey, is skipped with the reason: never guessed.
Credentials (passwords, keys, vault values) are never read into a device.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from exchange.platform_names import our_platform, our_role, unsupported_reason
from inventory.model import Device

__all__ = ["DeviceDefaults", "DeviceImport", "Skipped", "host_to_device"]

_TEMPLATE = re.compile(r"{{|{%")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")


@dataclass(frozen=True, slots=True)
class DeviceDefaults:
    """Values for hosts whose variables do not say (the CLI's ``--department``, ``--site``, ...)."""

    department: str | None = None
    site: str | None = None
    room: str | None = None
    credentials: str | None = None  # a credential profile name, never a secret


@dataclass(frozen=True, slots=True)
class Skipped:
    """A host that was not imported, and why."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


@dataclass(frozen=True)
class DeviceImport:
    """The devices read from another tool's inventory, and the hosts left out."""

    source: str
    devices: tuple[Device, ...]
    skipped: tuple[Skipped, ...]


def host_to_device(name: str, *, address: Any, port: Any, platform: Any, data: Mapping[str, Any],
                   defaults: DeviceDefaults) -> Device | Skipped:
    """The device of one host, or why it cannot be one.

    >>> host_to_device("sw1", address="192.0.2.7", port=None, platform="cisco.ios.ios",
    ...                data={"site": {"slug": "hq"}, "tenant": "edu"}, defaults=DeviceDefaults())
    Device(name='sw1', host='192.0.2.7', platform='cisco_ios', department='edu', room=None, site='hq', \
role='access', networks=(), credentials='default', transport='netmiko', port=22, serial=None)
    """
    for what, value in (("address", address), ("platform", platform)):
        if isinstance(value, str) and _TEMPLATE.search(value):
            return Skipped(name, f"{what} {value!r} is a template: resolve it first "
                                 "(ansible-inventory -i INVENTORY --list -y)")
    ours = our_platform(_text(platform))
    if ours is None:
        return Skipped(name, unsupported_reason(_text(platform)))
    host = _text(address) or name
    problem = _host_problem(host)
    if problem:
        return Skipped(name, problem)
    department = _slug(data.get("department")) or _slug(data.get("tenant")) or defaults.department
    room = _slug(data.get("room")) or (None if _slug(data.get("site")) else defaults.room)
    site = None if room else (_slug(data.get("site")) or defaults.site)
    if department is None:
        return Skipped(name, "no department: set the host variable 'department' or give a default department")
    if room is None and site is None:
        return Skipped(name, "no room or site: set the host variable 'room' or 'site' or give a default site")
    fields: dict[str, Any] = {"name": name, "host": host, "platform": ours, "department": department,
                              "room": room, "site": site}
    role = our_role(_slug(data.get("role")) or _slug(data.get("device_role")))
    if role:
        fields["role"] = role
    if port not in (None, ""):
        fields["port"] = port
    serial = _text(data.get("serial"))
    if serial:
        fields["serial"] = serial
    networks = data.get("networks")
    if isinstance(networks, (list, tuple)):
        fields["networks"] = tuple(str(n) for n in networks)
    profile = _text(data.get("credential_profile")) or defaults.credentials
    if profile:
        fields["credentials"] = profile
    if data.get("transport") in ("netmiko", "napalm"):
        fields["transport"] = data["transport"]
    try:
        return Device(**fields)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in error["loc"])
        return Skipped(name, f"{where}: {error['msg']} (got {error.get('input')!r})")


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _slug(value: Any) -> str | None:
    """A plain value, or the ``slug`` (else ``name``) of a NetBox-style mapping."""
    if isinstance(value, Mapping):
        return _text(value.get("slug")) or _text(value.get("name"))
    return _text(value)


def _host_problem(host: str) -> str | None:
    if "@" in host or "://" in host:  # may carry a user name or password: never echo it
        return "address must be a bare hostname or IP address, without user, password or scheme"
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if len(host) <= 253 and all(_HOST_LABEL.match(label) for label in labels):
        return None
    return f"address {host!r} is neither a hostname nor an IP address"
