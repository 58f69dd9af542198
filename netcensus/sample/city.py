"""The sample city while it is being built: plain mutable records and a few helpers.

The builder and the plants edit these records; :mod:`netcensus.sample.inventory_out`
turns them into the validated inventory entities, and the ``render_*`` modules
turn devices into vendor text. Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import random
from dataclasses import dataclass, field
from typing import Any

from netcensus.sample.hardware import Model, port_speed_mbps


@dataclass
class Port:
    """One interface of a device, in the device's own naming."""

    name: str
    description: str = ""
    address: str | None = None  # "10.1.2.1/30"
    vrf: str | None = None
    shutdown: bool = False  # administratively down
    carrier: bool = True  # the far side answers; False with shutdown=False is "down/down"
    access_vlan: int | None = None  # switch access port
    trunk: bool = False  # switch trunk port
    bandwidth_kbps: int | None = None  # configured ``bandwidth`` (the line's rate)
    nat_inside: bool = False
    nat_outside: bool = False
    vlan_interface: int | None = None  # set for Vlan10 / Vlanif10 / Vlan-interface10

    @property
    def oper_up(self) -> bool:
        return not self.shutdown and self.carrier

    @property
    def speed_mbps(self) -> int:
        return port_speed_mbps(self.name)


@dataclass(frozen=True, slots=True)
class StaticNat:
    """A static NAT of one TCP port (how a website gets published from a router)."""

    outside_port: str  # interface name
    global_address: str
    inside_address: str
    port: int


@dataclass
class Device:
    """A device of the city (declared or not)."""

    name: str
    platform: str
    model: Model
    role: str
    department: str
    site: str
    room: str | None = None
    host: str | None = None
    serial: str = ""
    mac: int = 0  # base MAC address as an integer
    networks: list[str] = field(default_factory=list)
    ports: dict[str, Port] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)  # pool -> ports taken
    declared: bool = True
    captured: bool = True
    advertised_name: str | None = None  # LLDP name of an undeclared device
    static_nats: list[StaticNat] = field(default_factory=list)
    nat_overload: str | None = None  # outside port of a plain outbound PAT

    def new_port(self, pool: str = "downlink", **attrs: Any) -> Port:
        """Take the next free port of ``pool`` (``uplink`` or ``downlink``)."""
        namer = self.model.uplink if pool == "uplink" else self.model.downlink
        while True:
            index = self.used.get(pool, 0)
            self.used[pool] = index + 1
            name = namer(index)
            if name not in self.ports:  # routers share one namer for both pools
                break
        port = Port(name=name, **attrs)
        self.ports[name] = port
        return port

    def add_vlan_interface(self, vlan: int, address: str, description: str) -> Port:
        """A routed VLAN interface; the name is the platform's (Vlan10, Vlanif10, Vlan-interface10)."""
        prefix = {"cisco_ios": "Vlan", "huawei": "Vlanif", "hp_comware": "Vlan-interface"}[self.platform]
        port = Port(name=f"{prefix}{vlan}", description=description, address=address, vlan_interface=vlan)
        self.ports[port.name] = port
        return port

    @property
    def mac_address(self) -> str:
        """The base MAC as 12 hex digits."""
        return f"{self.mac:012x}"


@dataclass
class Link:
    """A physical cable inside a site: both ends run LLDP (and CDP when both are Cisco)."""

    a: str
    a_port: str
    b: str
    b_port: str


@dataclass
class End:
    site: str
    device: str | None = None
    interface: str | None = None


@dataclass
class Circuit:
    """A leased line while being built (see :class:`inventory.model.Circuit`)."""

    id: str
    carrier: str
    kind: str
    department: str
    network: str | None
    a: End
    z: End
    bandwidth_mbps: float
    cost_cny: float
    billing: str
    distance_km: float
    contract_start: dt.date
    contract_end: dt.date
    notice_days: int = 90
    early_termination_cny: float | None = None
    approval: str | None = None
    auto_approve: bool = True  # False: a plant decides its approval


@dataclass
class Site:
    id: str
    name: str
    local_name: str
    district: str
    department: str  # the department that occupies the site
    address: str
    coordinates: tuple[float, float]
    critical: bool = False
    kind: str = "department"  # department | node | dc


@dataclass
class Room:
    id: str
    site: str
    department: str
    name: str
    racks_total: int
    racks_used: int
    power_kw: float
    power_capacity_kw: float
    yearly_cost_cny: float
    built: dt.date
    approval: str | None = None
    role: str = "departmental"
    isolation: str = "none"
    auto_approve: bool = True


@dataclass
class Network:
    id: str
    name: str
    department: str
    kind: str
    prefixes: list[str]
    built: dt.date
    isolation: str = "none"
    mandated_by: str | None = None
    vrf: str | None = None
    approval: str | None = None
    auto_approve: bool = True


@dataclass
class Website:
    domain: str
    department: str
    hosted_in: str | None
    built: dt.date
    independent: bool = False
    approval: str | None = None
    auto_approve: bool = True


@dataclass
class Approval:
    id: str
    title: str
    date: dt.date
    covers: list[str]


@dataclass
class Department:
    id: str
    name: str
    local_name: str
    kind: str
    short: str
    parent: str | None = None
    district: str | None = None
    portal: str | None = None


@dataclass
class District:
    id: str
    name: str
    local_name: str
    centre: tuple[float, float]


@dataclass(frozen=True, slots=True)
class Planted:
    """One finding the checks are expected to report."""

    code: str
    subjects: tuple[str, ...]
    why: str


@dataclass
class City:
    """Everything generated, in deterministic (insertion) order."""

    seed: int
    device_target: int
    rng: random.Random
    today: dt.date
    policy_date: dt.date
    departments: dict[str, Department] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    rooms: dict[str, Room] = field(default_factory=dict)
    networks: dict[str, Network] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    circuits: dict[str, Circuit] = field(default_factory=dict)
    websites: dict[str, Website] = field(default_factory=dict)
    approvals: dict[str, Approval] = field(default_factory=dict)
    address_plan: dict[str, list[str]] = field(default_factory=dict)
    central_rooms: list[str] = field(default_factory=list)
    backbone: str = "egov-extranet"
    planted: list[Planted] = field(default_factory=list)
    clean: dict[str, Any] = field(default_factory=dict)
    #: Named sites and devices the plants work on (e.g. "island" -> site id).
    roles: dict[str, Any] = field(default_factory=dict)

    # -- queries -----------------------------------------------------------------------------
    def site_devices(self, site: str) -> list[Device]:
        return [d for d in self.devices.values() if d.site == site]

    def wan_router(self, site: str) -> Device:
        """The device that terminates a site's lines (wan, node router or first core)."""
        index = self.roles.get("_routers")
        if index is None or index[0] != len(self.devices):  # rebuilt when devices were added
            rank = {"wan": 0, "router": 1, "core": 2}
            best: dict[str, Device] = {}
            for dev in self.devices.values():
                if dev.role not in rank or dev.model.kind != "router":
                    continue
                if dev.site not in best or rank[dev.role] < rank[best[dev.site].role]:
                    best[dev.site] = dev
            index = self.roles["_routers"] = (len(self.devices), best)
        try:
            return index[1][site]
        except KeyError:
            raise LookupError(f"site {site} has no router") from None

    def plant(self, code: str, subjects: tuple[str, ...] | list[str], why: str) -> None:
        self.planted.append(Planted(code, tuple(subjects), why))

    def neighbours(self) -> dict[str, list[tuple[str, str, str]]]:
        """device -> [(local port, remote device, remote port)], both directions of every link."""
        out: dict[str, list[tuple[str, str, str]]] = {}
        for link in self.links:
            out.setdefault(link.a, []).append((link.a_port, link.b, link.b_port))
            out.setdefault(link.b, []).append((link.b_port, link.a, link.a_port))
        return out


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def offset(point: tuple[float, float], km_north: float, km_east: float) -> tuple[float, float]:
    """The point ``km_north``/``km_east`` away, rounded to about 10 m."""
    lat = point[0] + km_north / 111.2
    lon = point[1] + km_east / (111.2 * math.cos(math.radians(point[0])))
    return (round(lat, 5), round(lon, 5))


def host_of(address: str) -> str:
    """``10.1.2.3/24`` -> ``10.1.2.3``."""
    return str(ipaddress.IPv4Interface(address).ip)
