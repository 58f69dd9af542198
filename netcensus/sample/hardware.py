"""The hardware catalogue of the sample city: device models, their port names and software.

A :class:`Model` is frozen data: vendor platform, the software it runs and how its
ports are named. Ports come from two pools, ``uplink`` and ``downlink``; routers use
one pool for everything. Names follow each vendor's own convention, so a Cisco
switch has ``GigabitEthernet1/0/7`` and an H3C one ``Ten-GigabitEthernet1/0/25``.

Only ports in use are materialised (plus a spare), which keeps a 10,000-device
city small enough to parse quickly; real devices list every port.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PortNamer = Callable[[int], str]


def _slotted(prefix: str, per_slot: int, first_slot: int, first_port: int, middle: str = "/0/") -> PortNamer:
    """Names like ``GigabitEthernet1/0/3``: the ``index``-th port over slots of ``per_slot``."""

    def name(index: int) -> str:
        slot, port = divmod(index, per_slot)
        return f"{prefix}{first_slot + slot}{middle}{first_port + port}"

    return name


def _isr_ports(index: int) -> str:
    """ISR 4331: three on-board ports ``0/0/0-2``, then 8-port NIMs ``0/1/x``, ``0/2/x`` ..."""
    if index < 3:
        return f"GigabitEthernet0/0/{index}"
    slot, port = divmod(index - 3, 8)
    return f"GigabitEthernet0/{slot + 1}/{port}"


def _msr_ports(index: int) -> str:
    """MSR 3620: three on-board ports ``0/0-2``, then 4-port SIC cards ``1/x``, ``2/x`` ..."""
    if index < 3:
        return f"GigabitEthernet0/{index}"
    slot, port = divmod(index - 3, 4)
    return f"GigabitEthernet{slot + 1}/{port}"


@dataclass(frozen=True, slots=True)
class Model:
    """One device model and the software it runs in the sample city."""

    platform: str  # core.platforms key
    name: str  # as the device reports it, e.g. "ISR4331/K9", "S5735-L48T4X-A1"
    kind: str  # "router" | "switch" | "firewall"
    os_version: str  # e.g. "16.9.4", "V200R021C10SPC600", "7.1.070, Release 3208P10"
    image: str  # Cisco image / Huawei product version / H3C release tag
    uplink: PortNamer
    downlink: PortNamer

    @property
    def routed(self) -> bool:
        """Routers and firewalls route on their ports; switches bridge."""
        return self.kind != "switch"


def port_speed_mbps(name: str) -> int:
    """Nominal speed of a port from its name (what the sample writes into outputs)."""
    for prefix, speed in (("FortyGigE", 40000), ("Ten-Gigabit", 10000), ("TenGigabit", 10000),
                          ("XGigabit", 10000), ("Gigabit", 1000)):
        if name.startswith(prefix):
            return speed
    return 1000


#: Cisco advertises short names in LLDP (``Gi1/0/1``) and prints them in ``Local Intf``.
CISCO_ABBREVIATIONS = (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"), ("FastEthernet", "Fa"))


def cisco_short(name: str) -> str:
    """``GigabitEthernet1/0/1`` -> ``Gi1/0/1`` (Cisco's own abbreviation)."""
    for long, short in CISCO_ABBREVIATIONS:
        if name.startswith(long):
            return short + name[len(long):]
    return name


MODELS: dict[str, Model] = {
    m.name: m
    for m in (
        # Cisco IOS / IOS-XE
        Model("cisco_ios", "ISR4331/K9", "router", "16.9.4", "X86_64_LINUX_IOSD-UNIVERSALK9-M",
              _isr_ports, _isr_ports),
        Model("cisco_ios", "C9300-48T", "switch", "16.12.4", "CAT9K_IOSXE",
              _slotted("TenGigabitEthernet", 4, 1, 1, "/1/"), _slotted("GigabitEthernet", 48, 1, 1)),
        Model("cisco_ios", "WS-C2960X-48TS-L", "switch", "15.2(7)E3", "C2960X-UNIVERSALK9-M",
              _slotted("GigabitEthernet", 4, 1, 49), _slotted("GigabitEthernet", 48, 1, 1)),
        # Huawei VRP 5
        Model("huawei", "AR6300", "router", "V300R019C10SPC300", "AR6300 V300R019C10SPC300",
              _slotted("GigabitEthernet", 10, 1, 0), _slotted("GigabitEthernet", 10, 1, 0)),
        Model("huawei", "AR6280", "router", "V300R019C10SPC300", "AR6280 V300R019C10SPC300",
              _slotted("GigabitEthernet", 12, 0, 0), _slotted("GigabitEthernet", 12, 0, 0)),
        Model("huawei", "S5735-L48T4X-A1", "switch", "V200R021C10SPC600", "S5735 V200R021C10SPC600",
              _slotted("XGigabitEthernet", 4, 0, 1), _slotted("GigabitEthernet", 48, 0, 1)),
        Model("huawei", "USG6650E", "firewall", "V600R007C20SPC500", "USG6650E V600R007C20SPC500",
              _slotted("GigabitEthernet", 12, 1, 0), _slotted("GigabitEthernet", 12, 1, 0)),
        # H3C Comware 7
        Model("hp_comware", "MSR3620", "router", "7.1.064, Release 0821P16", "MSR36-CMW710-R0821P16",
              _msr_ports, _msr_ports),
        Model("hp_comware", "S5130S-28S-EI", "switch", "7.1.070, Release 3208P10", "S5130S_EI-CMW710-R3208P10",
              _slotted("Ten-GigabitEthernet", 4, 1, 25), _slotted("GigabitEthernet", 24, 1, 1)),
        Model("hp_comware", "S6800-54QF", "switch", "7.1.070, Release 2612", "S6800-CMW710-R2612",
              _slotted("FortyGigE", 6, 1, 49), _slotted("Ten-GigabitEthernet", 48, 1, 1)),
    )
}

#: Which models play which role, per platform. Sites draw from these.
ROLE_MODELS: dict[tuple[str, str], str] = {
    ("cisco_ios", "wan"): "ISR4331/K9",
    ("cisco_ios", "distribution"): "C9300-48T",
    ("cisco_ios", "access"): "WS-C2960X-48TS-L",
    ("huawei", "wan"): "AR6280",
    ("huawei", "router"): "AR6280",
    ("huawei", "core"): "AR6300",
    ("huawei", "distribution"): "S5735-L48T4X-A1",
    ("huawei", "access"): "S5735-L48T4X-A1",
    ("huawei", "firewall"): "USG6650E",
    ("hp_comware", "wan"): "MSR3620",
    ("hp_comware", "distribution"): "S5130S-28S-EI",
    ("hp_comware", "access"): "S5130S-28S-EI",
    ("hp_comware", "core_switch"): "S6800-54QF",
}


def model_for(platform: str, role: str) -> Model:
    """The model a device of ``platform`` gets for ``role`` (``core_switch`` for DC switches)."""
    return MODELS[ROLE_MODELS[(platform, role)]]
