"""Normalised facts observed on one device (DESIGN.md section 5).

Parsers turn raw text into these; every platform yields the same shapes, so the
graph and the checks never look at vendor syntax. All are frozen and slotted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CollectionStatus = Literal[
    "ok",
    "partial",  # some commands failed or did not parse
    "missing",  # no capture at all for a declared device
    "auth_failed",
    "timeout",
    "refused",
    "host_key_mismatch",
    "prompt_not_found",
    "command_failed",
    "parse_failed",
    "error",
]


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """What the device says it is."""

    hostname: str | None = None
    vendor: str | None = None
    model: str | None = None
    os_version: str | None = None
    serial: str | None = None
    uptime: str | None = None


#: What an interface is for. ``data``: the data plane (what links, addressing and
#: connectivity checks judge); ``management``: an out-of-band management port or a port
#: in a management VRF (NX-OS ``mgmt0``, EOS ``Management1``, Junos ``fxp0``/``em0``,
#: Huawei ``MEth``); ``internal``: a chassis-internal port whose address is the same on
#: every box (Junos ``bme0``, ``jsrv``, 128.0.0.0/2). Only ``data`` addresses are compared.
InterfaceRole = Literal["data", "management", "internal"]

#: The canonical name of the global routing table: ``Interface.vrf`` is ``None`` there,
#: whatever the vendor calls it (NX-OS/EOS ``default``, Junos ``master``, blank).
GLOBAL_VRF: None = None


@dataclass(frozen=True, slots=True)
class Interface:
    """One interface. ``name`` is normalised (see :mod:`collectors.normalise`)."""

    name: str
    description: str = ""
    admin_up: bool | None = None
    oper_up: bool | None = None
    speed_mbps: float | None = None
    addresses: tuple[str, ...] = ()  # IPv4 interfaces, "10.1.2.1/30"
    vrf: str | None = None  # None: the global table (GLOBAL_VRF); else the VRF's name as configured
    #: The device's own averaged traffic rates in bit/s (IOS "5 minute input rate",
    #: VRP/Comware "Last 300 seconds input rate", NX-OS/EOS/Junos JSON), None when not shown.
    in_bps: float | None = None
    out_bps: float | None = None
    role: InterfaceRole = "data"
    #: Addresses meant to be on several devices at once, never duplicates: first-hop
    #: redundancy virtual IPs (VRRP, HSRP, GLBP, EOS VARP ``ip virtual-router address``),
    #: EOS ``ip address virtual`` and EVPN anycast gateways, anycast VTEP/loopback
    #: addresses. "10.1.2.254/24" (or "/32" when the form gives no length).
    shared_addresses: tuple[str, ...] = ()
    #: Addresses read from a form that shows no prefix length (IOS/NX-OS/Comware
    #: ``ip interface brief``): "10.1.2.1". Dropped when ``addresses`` holds the same IP.
    unmasked_addresses: tuple[str, ...] = ()
    #: The evidence: the commands (as typed, or ``"config"``) that gave this interface's
    #: facts, strongest first. A weaker form never overrides a stronger one.
    sources: tuple[str, ...] = ()
    #: The SNMP ifIndex the device gives the interface (Junos ``SNMP ifIndex``), None when
    #: not shown. LLDP neighbours may name a port by it (Junos sends ``515`` as port id).
    snmp_index: int | None = None


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One LLDP or CDP neighbour as seen from ``local_port``."""

    local_port: str  # normalised
    remote_name: str  # as advertised; see collectors.normalise.device_name
    remote_port: str  # normalised
    remote_address: str | None = None
    protocol: Literal["lldp", "cdp"] = "lldp"
    #: The evidence: the command (as typed) or napalm getter this neighbour was read from.
    source: str = ""


@dataclass(frozen=True, slots=True)
class CommandProblem:
    """A command whose output is missing, empty, an error, or unparsable."""

    command: str
    reason: Literal["missing", "empty", "device_error", "parse_error", "incomplete"]
    message: str

    def __str__(self) -> str:
        return f"{self.command}: {self.reason}: {self.message}"


@dataclass(frozen=True, slots=True)
class DeviceFacts:
    """Everything observed on one device in one collection."""

    device: str
    platform: str
    status: CollectionStatus = "ok"
    info: DeviceInfo = field(default_factory=DeviceInfo)
    interfaces: tuple[Interface, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()
    config: str | None = None  # redacted running configuration
    problems: tuple[CommandProblem, ...] = ()
    error: str | None = None  # collection error (connection level), if any
    #: commands whose outputs gave these facts (of an alternative group, the member that read)
    read: tuple[str, ...] = ()

    def interface(self, name: str) -> Interface | None:
        """The interface called ``name`` (normalised), if any."""
        for itf in self.interfaces:
            if itf.name == name:
                return itf
        return None


def facts_to_dict(facts: DeviceFacts) -> dict:
    """Plain JSON-ready form of :class:`DeviceFacts` (the inverse of :func:`facts_from_dict`)."""
    from dataclasses import asdict

    return asdict(facts)


_TUPLE_FIELDS = ("addresses", "shared_addresses", "unmasked_addresses", "sources")


def facts_from_dict(data: dict) -> DeviceFacts:
    """Rebuild :class:`DeviceFacts` from :func:`facts_to_dict` output.

    >>> f = DeviceFacts("r1", "cisco_ios", interfaces=(Interface("Loopback0", addresses=("10.0.0.1/32",)),))
    >>> facts_from_dict(facts_to_dict(f)) == f
    True

    Fields added since a cache was written take their defaults (interface rates):

    >>> old = {"name": "Gi0/1", "description": "", "admin_up": True, "oper_up": True,
    ...        "speed_mbps": 1000.0, "addresses": [], "vrf": None}
    >>> data = {**facts_to_dict(DeviceFacts("r1", "cisco_ios")), "interfaces": [old]}
    >>> facts_from_dict(data).interfaces[0].in_bps is None
    True
    """
    return DeviceFacts(
        device=data["device"],
        platform=data["platform"],
        status=data["status"],
        info=DeviceInfo(**data["info"]),
        interfaces=tuple(Interface(**{**i, **{k: tuple(i[k]) for k in _TUPLE_FIELDS if k in i}})
                         for i in data["interfaces"]),
        neighbours=tuple(Neighbour(**n) for n in data["neighbours"]),
        config=data["config"],
        problems=tuple(CommandProblem(**p) for p in data["problems"]),
        error=data["error"],
        read=tuple(data.get("read", ())),
    )
