"""Typed, validated domain model of the declared inventory (DESIGN.md section 5).

Every entity is a frozen pydantic model that forbids unknown keys, so a typo in a
YAML file is an error, not a silently ignored field. Cross references (a device's
room, a circuit's sites) are checked by :mod:`inventory.loader`, which knows the
whole inventory.

Money is in CNY. Bandwidth is in Mbit/s. Dates are ISO ``YYYY-MM-DD``.

Every number has a domain (the ``MAX_*`` bounds below) and must be finite: a typo or a
hostile value such as ``1e400`` or a 30-digit integer is an error with its file and line,
instead of overflowing the room plan's integer arrays or reaching a JSON export as
``Infinity`` (which is not JSON).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

#: Ids are also folder names in a capture directory, so keep them file-name safe.
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=128)]

DepartmentKind = Literal["municipal", "district", "vertical"]
Isolation = Literal["none", "logical", "physical"]
NetworkKind = Literal["lan", "private", "egov_extranet", "classified", "internet"]
RoomRole = Literal["central", "departmental"]
CircuitKind = Literal["mstp", "sdh", "mpls_vpn", "dark_fibre", "internet"]
Billing = Literal["monthly", "yearly"]
DeviceRole = Literal["core", "distribution", "access", "router", "firewall", "server", "wan"]
Transport = Literal["netmiko", "napalm", "asyncssh"]

# Domains of the numbers: wide enough for any real city, narrow enough that no sum or
# product the analysis makes of them overflows or loses its meaning.
MAX_RACKS = 100_000  # racks in one machine room
MAX_KW = 1_000_000.0  # kW: a gigawatt
MAX_CNY = 1e12  # one amount of money: a trillion yuan
MAX_MBPS = 1_000_000.0  # Mbit/s: 1 Tbit/s, beyond any leased line
MAX_KM = 40_000.0  # the Earth's circumference: no line's route is longer
MAX_DAYS = 3660  # about ten years (notice periods, lead times)
MAX_COUNT = 1_000_000  # hops, rooms, samples, departments: counts of things in one city

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class Entity(BaseModel):
    """Base of every inventory entity: frozen, strict about unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              allow_inf_nan=False)


class Department(Entity):
    """A municipal, district or vertical (ministry-mandated) department."""

    id: Id
    name: str
    local_name: str | None = None  # Chinese name, e.g. 市公安局
    kind: DepartmentKind = "municipal"
    parent: Id | None = None  # a department id
    district: str | None = None


class Site(Entity):
    """A building or campus; circuits and rooms are located at sites."""

    id: Id
    name: str
    local_name: str | None = None
    district: str
    address: str | None = None
    coordinates: tuple[Latitude, Longitude] | None = None  # (latitude, longitude) in degrees
    critical: bool = False  # critical sites need a backup path to the backbone


class Room(Entity):
    """A machine room (系统机房) at a site."""

    id: Id
    site: Id
    department: Id
    name: str | None = None
    racks_total: int = Field(ge=0, le=MAX_RACKS)
    racks_used: int = Field(ge=0, le=MAX_RACKS)
    power_kw: float = Field(ge=0, le=MAX_KW)
    power_capacity_kw: float | None = Field(default=None, ge=0, le=MAX_KW)
    yearly_cost_cny: float = Field(ge=0, le=MAX_CNY)
    built: dt.date | None = None
    approval: Id | None = None
    role: RoomRole = "departmental"
    isolation: Isolation = "none"


class Network(Entity):
    """A department network: LAN, private network, the e-gov extranet, ..."""

    id: Id
    name: str
    department: Id
    kind: NetworkKind
    isolation: Isolation = "none"
    mandated_by: str | None = None  # e.g. "Ministry of Public Security"
    vrf: str | None = None  # a VRF keeps its addresses apart from the global table
    prefixes: tuple[str, ...] = ()
    built: dt.date | None = None
    approval: Id | None = None


class Device(Entity):
    """A network device to survey. ``name`` is also its capture folder name."""

    name: Id
    host: str  # management address or DNS name
    platform: str  # a key of core.platforms.PLATFORMS
    department: Id
    room: Id | None = None
    site: Id | None = None  # required when the device is not in a room
    role: DeviceRole = "access"
    networks: tuple[Id, ...] = ()
    credentials: Id = "default"  # profile name, resolved from NETCENSUS_<PROFILE>_* env vars
    transport: Transport = "netmiko"
    port: int = Field(default=22, ge=1, le=65535)
    serial: str | None = None


class CircuitEnd(Entity):
    """One end of a leased line."""

    site: Id
    device: Id | None = None
    interface: str | None = None


class Circuit(Entity):
    """A leased line (专线), identified by the carrier's circuit id."""

    id: Id
    carrier: str
    kind: CircuitKind
    department: Id
    network: Id | None = None
    a: CircuitEnd
    z: CircuitEnd
    bandwidth_mbps: float = Field(gt=0, le=MAX_MBPS)
    cost_cny: float = Field(ge=0, le=MAX_CNY)
    billing: Billing = "monthly"
    distance_km: float | None = Field(default=None, ge=0, le=MAX_KM)
    contract_start: dt.date | None = None
    contract_end: dt.date | None = None
    notice_days: int = Field(default=90, ge=0, le=MAX_DAYS)
    early_termination_cny: float | None = Field(default=None, ge=0, le=MAX_CNY)
    approval: Id | None = None

    @property
    def yearly_cost_cny(self) -> float:
        """The line's cost per year, whatever its billing period."""
        return self.cost_cny * 12 if self.billing == "monthly" else self.cost_cny

    @property
    def site_pair(self) -> tuple[str, str]:
        """The two end sites, sorted, so A-Z and Z-A lines compare equal."""
        return tuple(sorted((self.a.site, self.z.site)))  # type: ignore[return-value]


class Website(Entity):
    """A website run by a department."""

    domain: str
    department: Id
    #: a room id, a device name, or the IPv4 address of the host (the inside address of
    #: a port forward); the loader checks that an id names a room or device
    hosted_in: Id | None = None
    independent: bool = False  # True: its own domain, not a sub-site of the city portal
    built: dt.date | None = None
    approval: Id | None = None

    @field_validator("hosted_in")
    @classmethod
    def _hosted_in_address(cls, value: str | None) -> str | None:
        """A dotted-quad ``hosted_in`` must be a real IPv4 address (``10.1.1.300`` is a typo)."""
        if value is not None and _DOTTED_QUAD.fullmatch(value) and not is_ipv4_address(value):
            raise ValueError(f"{value!r} looks like an IPv4 address but is not one")
        return value


_DOTTED_QUAD = re.compile(r"\d+\.\d+\.\d+\.\d+")


def is_ipv4_address(text: str) -> bool:
    """Whether ``text`` is an IPv4 address (a website's ``hosted_in`` may be one).

    >>> is_ipv4_address("10.1.1.10"), is_ipv4_address("10.1.1.300"), is_ipv4_address("web-srv")
    (True, False, False)
    """
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


class Approval(Entity):
    """An approval (报批) issued by the city informatization office."""

    id: Id
    title: str
    date: dt.date
    covers: tuple[str, ...] = ()  # ids of the rooms, networks, circuits, websites it covers


class Waiver(Entity):
    """An accepted exception: a finding key that is reported as waived until expiry."""

    key: str
    reason: str
    approved_by: str
    expires: dt.date | None = None


class RoomPlanPolicy(Entity):
    """Parameters of the machine-room consolidation plan (analysis/roomplan.py).

    The plan minimises ``horizon_years`` x yearly cost of the kept rooms plus the
    one-off migration cost (``migration_cost_per_rack_cny`` per rack moved).
    """

    migration_cost_per_rack_cny: float = Field(default=30000.0, ge=0, le=MAX_CNY)
    horizon_years: float = Field(default=5.0, gt=0, le=100)  # years over which migration must pay back
    max_hops: int = Field(default=2, ge=0, le=MAX_COUNT)  # max site-graph hops between a room and its target
    max_rooms_kept: int | None = Field(default=None, ge=0, le=MAX_COUNT)  # a consolidation target, if any
    close: tuple[Id, ...] = ()  # rooms the planners have decided to close


class LinePolicy(Entity):
    """Parameters of the leased-line checks (analysis/checks/lines.py, docs/checks.md "lines")."""

    district_level: int = Field(default=1, ge=1, le=100)  # LIN002: leading "/"-parts of a district name
    min_departments: int = Field(default=2, ge=2, le=MAX_COUNT)  # LIN002: departments sharing a district pair
    underuse_percentile: float = Field(default=95.0, gt=0, le=100)  # LIN004
    underuse_threshold: float = Field(default=0.2, gt=0, lt=1)  # LIN004: share of bandwidth
    underuse_min_samples: int = Field(default=24, ge=1, le=MAX_COUNT)  # LIN004: fewer samples decide nothing
    target_utilisation: float = Field(default=0.5, gt=0, le=1)  # LIN004: size a downgrade for this
    unmeasured_load: float = Field(default=0.0, ge=0, le=1)  # LIN003: assumed load of unmeasured lines
    decision_lead_days: int = Field(default=30, ge=0, le=MAX_DAYS)  # LIN005: warn this long before the notice date


class Policy(Entity):
    """The city's rules that the checks enforce."""

    approval_required_from: dt.date | None = None
    backbone: Id | None = None  # the network id of the unified e-government network
    central_rooms: tuple[Id, ...] = ()
    portal_domain: str | None = None  # e.g. "gov.example.cn": sub-sites end with it
    address_plan: dict[Id, tuple[str, ...]] = Field(default_factory=dict)  # department -> prefixes
    # Cost model for merged lines: price(B) = price(B0) * (B / B0) ** exponent (see docs/checks.md).
    tariff_bandwidth_exponent: float = Field(default=0.6, gt=0, le=1)
    room_plan: RoomPlanPolicy = Field(default_factory=RoomPlanPolicy)
    lines: LinePolicy = Field(default_factory=LinePolicy)


#: The YAML section names and the model each holds; ``key`` is the id field.
SECTIONS: dict[str, tuple[type[Entity], str]] = {
    "departments": (Department, "id"),
    "sites": (Site, "id"),
    "rooms": (Room, "id"),
    "networks": (Network, "id"),
    "devices": (Device, "name"),
    "circuits": (Circuit, "id"),
    "websites": (Website, "domain"),
    "approvals": (Approval, "id"),
    "waivers": (Waiver, "key"),
}


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entity was declared, for evidence and error messages."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Inventory:
    """The whole declared inventory, each section keyed by id (in file order)."""

    departments: dict[str, Department] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    rooms: dict[str, Room] = field(default_factory=dict)
    networks: dict[str, Network] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    circuits: dict[str, Circuit] = field(default_factory=dict)
    websites: dict[str, Website] = field(default_factory=dict)
    approvals: dict[str, Approval] = field(default_factory=dict)
    waivers: dict[str, Waiver] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    #: (section, id) -> where it was declared
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)

    def source(self, section: str, key: str) -> str:
        """``file:line`` of an entity, or ``section/key`` when unknown (built in code)."""
        src = self.sources.get((section, key))
        return str(src) if src else f"{section}/{key}"

    def device_site(self, name: str) -> str | None:
        """The site of a device: its own ``site`` or its room's site."""
        device = self.devices.get(name)
        if device is None:
            return None
        if device.site:
            return device.site
        room = self.rooms.get(device.room) if device.room else None
        return room.site if room else None
