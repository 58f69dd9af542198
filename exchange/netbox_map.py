"""Map NetBox objects (as the REST API returns them) to netcensus inventory entities.

Pure functions of plain dictionaries, so the mapping is tested without a server.
``docs/netbox.md`` has the table of what maps to what. In short: tenants become
departments, sites stay sites (their region is the district), locations that hold
racks become machine rooms, devices and circuits map to ours. What NetBox does not
know (a room's power and running cost, a line's fee) is read from custom fields when
present, else set to 0 and listed in :attr:`NetboxMapping.to_fill`; objects that
cannot become entries are listed in :attr:`NetboxMapping.unmapped` with the reason.
Both NetBox 3.x (``device_role``, termination ``site``) and 4.x (``role``,
``termination_type``/``termination``) shapes are read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from exchange.platform_names import our_circuit_kind, our_platform, our_role, unsupported_reason
from inventory.model import Circuit, CircuitEnd, Department, Device, Room, Site

__all__ = ["NetboxData", "NetboxMapping", "Note", "map_netbox"]

#: Device statuses whose devices are in the network now; the others are planned, in stock or going away.
DEVICE_STATUSES = frozenset({"active", "offline", "failed"})
#: Circuit statuses of lines that are billed now.
CIRCUIT_STATUSES = frozenset({"active", "offline", "deprovisioning"})
#: Placeholder district of a site without a region or site group.
UNKNOWN_DISTRICT = "unknown"

Obj = Mapping[str, Any]


@dataclass(frozen=True)
class NetboxData:
    """The NetBox objects an import reads, one list per endpoint."""

    tenants: list[Obj] = field(default_factory=list)
    sites: list[Obj] = field(default_factory=list)
    locations: list[Obj] = field(default_factory=list)
    racks: list[Obj] = field(default_factory=list)
    devices: list[Obj] = field(default_factory=list)
    circuits: list[Obj] = field(default_factory=list)
    circuit_terminations: list[Obj] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Note:
    """A NetBox object, and what could not be mapped about it."""

    kind: str  # NetBox object kind: "site", "location", "device", "circuit", ...
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name}: {self.reason}"


@dataclass
class NetboxMapping:
    """The entities mapped from NetBox, and what was left out or needs filling in."""

    departments: list[Department] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    circuits: list[Circuit] = field(default_factory=list)
    unmapped: list[Note] = field(default_factory=list)  # objects not imported
    to_fill: list[Note] = field(default_factory=list)  # imported with a stand-in for data NetBox lacks

    def sections(self) -> dict[str, list[Any]]:
        return {"departments": self.departments, "sites": self.sites, "rooms": self.rooms,
                "devices": self.devices, "circuits": self.circuits}


def map_netbox(data: NetboxData) -> NetboxMapping:
    """Map every NetBox object of ``data``; see the module docstring."""
    out = NetboxMapping()
    tenants = _map_tenants(data.tenants, out)
    sites = _map_sites(data.sites, out)
    rooms, room_of_location = _map_rooms(data, tenants, sites, out)
    devices = _map_devices(data, tenants, sites, rooms, room_of_location, out)
    _map_circuits(data, tenants, sites, devices, rooms, out)
    return out


# --------------------------------------------------------------------------- helpers

def _slug(obj: Any) -> str | None:
    if isinstance(obj, Mapping):
        value = obj.get("slug") or obj.get("name")
        return str(value) if value else None
    return None


def _value(obj: Any) -> Any:
    """A NetBox choice (``{"value": "active", "label": "Active"}``) as its value."""
    return obj.get("value") if isinstance(obj, Mapping) else obj


def _name(obj: Obj) -> str:
    return str(obj.get("name") or obj.get("display") or obj.get("cid") or f"#{obj.get('id')}")


def _custom(obj: Obj, key: str) -> Any:
    fields = obj.get("custom_fields")
    return fields.get(key) if isinstance(fields, Mapping) else None


def _build(model: type[BaseModel], kind: str, name: str, fields: dict[str, Any], out: NetboxMapping) -> Any:
    """The entity, or None with a note saying which field NetBox gave in a form we cannot use."""
    try:
        return model(**{k: v for k, v in fields.items() if v is not None})
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in error["loc"])
        out.unmapped.append(Note(kind, name, f"{where} {error.get('input')!r}: {error['msg']}"))
        return None


# --------------------------------------------------------------------------- departments and sites

def _map_tenants(tenants: Iterable[Obj], out: NetboxMapping) -> dict[int, str]:
    ids = {}
    for tenant in tenants:
        dept = _build(Department, "tenant", _name(tenant),
                      {"id": tenant.get("slug"), "name": tenant.get("name")}, out)
        if dept is not None:
            out.departments.append(dept)
            ids[tenant["id"]] = dept.id
    return ids


def _map_sites(sites: Iterable[Obj], out: NetboxMapping) -> dict[int, tuple[str, str | None]]:
    """NetBox site id -> (our site id, the slug of its tenant)."""
    ids = {}
    for site in sites:
        district = (site.get("region") or {}).get("name") or (site.get("group") or {}).get("name")
        if not district:
            out.to_fill.append(Note("site", _name(site), f"no region or site group: district set to "
                                                         f"{UNKNOWN_DISTRICT!r}"))
        lat, lon = site.get("latitude"), site.get("longitude")
        address = ", ".join(line.strip() for line in str(site.get("physical_address") or "").splitlines()
                            if line.strip())
        fields = {"id": site.get("slug"), "name": site.get("name"), "district": district or UNKNOWN_DISTRICT,
                  "address": address or None, "coordinates": (lat, lon) if lat is not None and lon is not None
                  else None, "critical": _custom(site, "critical")}
        entity = _build(Site, "site", _name(site), fields, out)
        if entity is not None:
            out.sites.append(entity)
            ids[site["id"]] = (entity.id, _slug(site.get("tenant")))
    return ids


# --------------------------------------------------------------------------- rooms

def _map_rooms(data: NetboxData, tenants: dict[int, str], sites: dict[int, tuple[str, str | None]],
               out: NetboxMapping) -> tuple[dict[str, Room], dict[int, str]]:
    """Locations holding racks become rooms; returns room id -> room, location id -> room id."""
    racks_by_location: dict[int, list[Obj]] = {}
    for rack in data.racks:
        location = rack.get("location")
        if location:
            racks_by_location.setdefault(location["id"], []).append(rack)
        else:
            out.unmapped.append(Note("rack", _name(rack), "in no location: not counted in any machine room"))
    used_racks = {d["rack"]["id"] for d in data.devices if d.get("rack")}
    candidates = [loc for loc in data.locations if loc["id"] in racks_by_location]
    slug_counts = Counter(loc.get("slug") for loc in candidates)
    rooms: dict[str, Room] = {}
    by_location: dict[int, str] = {}
    for location in data.locations:
        name = _name(location)
        if location["id"] not in racks_by_location:
            out.unmapped.append(Note("location", name, "holds no racks: not a machine room (a building or floor)"))
            continue
        site = sites.get((location.get("site") or {}).get("id"))
        if site is None:
            out.unmapped.append(Note("location", name, "its site was not imported"))
            continue
        dept = _tenant(location.get("tenant"), tenants) or _tenant_slug(site[1], tenants)
        if dept is None:
            out.unmapped.append(Note("location", name, "no tenant on the location or its site: "
                                                       "the room's department is unknown"))
            continue
        slug = str(location.get("slug"))
        room_id = slug if slug_counts[slug] == 1 else f"{site[0]}-{slug}"
        racks = racks_by_location[location["id"]]
        missing = [k for k in ("power_kw", "yearly_cost_cny") if _custom(location, k) is None]
        if missing:
            out.to_fill.append(Note("location", name, f"{' and '.join(missing)} not in NetBox "
                                                      "(custom fields): set to 0"))
        fields = {"id": room_id, "site": site[0], "department": dept, "name": location.get("name"),
                  "racks_total": len(racks), "racks_used": sum(1 for r in racks if r["id"] in used_racks),
                  "power_kw": _custom(location, "power_kw") or 0,
                  "power_capacity_kw": _custom(location, "power_capacity_kw"),
                  "yearly_cost_cny": _custom(location, "yearly_cost_cny") or 0,
                  "built": _custom(location, "built")}
        room = _build(Room, "location", name, fields, out)
        if room is not None:
            out.rooms.append(room)
            rooms[room.id] = room
            by_location[location["id"]] = room.id
    return rooms, by_location


def _tenant(obj: Any, tenants: dict[int, str]) -> str | None:
    return tenants.get(obj.get("id")) if isinstance(obj, Mapping) else None


def _tenant_slug(slug: str | None, tenants: dict[int, str]) -> str | None:
    return slug if slug in tenants.values() else None


# --------------------------------------------------------------------------- devices

def _map_devices(data: NetboxData, tenants: dict[int, str], sites: dict[int, tuple[str, str | None]],
                 rooms: dict[str, Room], room_of_location: dict[int, str], out: NetboxMapping
                 ) -> dict[str, str]:
    """Map devices; returns device name -> its site id (for circuit ends)."""
    rack_location = {r["id"]: (r.get("location") or {}).get("id") for r in data.racks}
    rack_tenant = {r["id"]: r.get("tenant") for r in data.racks}
    placed: dict[str, str] = {}
    for device in data.devices:
        name = _name(device)
        status = _value(device.get("status"))
        if status and status not in DEVICE_STATUSES:
            out.unmapped.append(Note("device", name, f"status {status!r}: not in service"))
            continue
        if not device.get("name"):
            out.unmapped.append(Note("device", name, "has no name"))
            continue
        platform = device.get("platform") or {}
        ours = our_platform(platform.get("slug")) or our_platform(platform.get("name"))
        if ours is None:
            out.unmapped.append(Note("device", name, unsupported_reason(platform.get("slug") or platform.get("name"))))
            continue
        site = sites.get((device.get("site") or {}).get("id"))
        if site is None:
            out.unmapped.append(Note("device", name, "its site was not imported"))
            continue
        rack_id = (device.get("rack") or {}).get("id")
        location_id = (device.get("location") or {}).get("id") or rack_location.get(rack_id)
        room = room_of_location.get(location_id) if location_id else None
        dept = (_tenant(device.get("tenant"), tenants) or _tenant(rack_tenant.get(rack_id), tenants)
                or (rooms[room].department if room else None) or _tenant_slug(site[1], tenants))
        if dept is None:
            out.unmapped.append(Note("device", name, "no tenant on the device, its rack, room or site: "
                                                     "its department is unknown"))
            continue
        address = _primary_address(device)
        if address is None:
            out.to_fill.append(Note("device", name, "no primary IP: its name is used as the management host"))
        role_obj = device.get("role") or device.get("device_role")
        fields = {"name": device["name"], "host": address or device["name"], "platform": ours,
                  "department": dept, "room": room, "site": None if room else site[0],
                  "role": our_role(_slug(role_obj)), "serial": device.get("serial") or None}
        entity = _build(Device, "device", name, fields, out)
        if entity is not None:
            out.devices.append(entity)
            placed[entity.name] = site[0]
    return placed


def _primary_address(device: Obj) -> str | None:
    for key in ("primary_ip", "primary_ip4", "primary_ip6"):
        ip = device.get(key)
        if isinstance(ip, Mapping) and ip.get("address"):
            return str(ip["address"]).split("/")[0]
    return None


# --------------------------------------------------------------------------- circuits

def _map_circuits(data: NetboxData, tenants: dict[int, str], sites: dict[int, tuple[str, str | None]],
                  devices: dict[str, str], rooms: dict[str, Room], out: NetboxMapping) -> None:
    location_site = {loc["id"]: sites.get((loc.get("site") or {}).get("id")) for loc in data.locations}
    terminations: dict[tuple[int, str], Obj] = {}
    for term in data.circuit_terminations:
        circuit = term.get("circuit") or {}
        terminations[(circuit.get("id"), str(term.get("term_side")))] = term
    for circuit in data.circuits:
        cid = str(circuit.get("cid") or f"#{circuit.get('id')}")
        status = _value(circuit.get("status"))
        if status and status not in CIRCUIT_STATUSES:
            out.unmapped.append(Note("circuit", cid, f"status {status!r}: not billed now"))
            continue
        ctype = circuit.get("type") or {}
        kind = our_circuit_kind(ctype.get("slug")) or our_circuit_kind(ctype.get("name"))
        if kind is None:
            out.unmapped.append(Note("circuit", cid, f"circuit type {_name(ctype)!r} matches no line kind "
                                                     "(mstp, sdh, mpls_vpn, dark_fibre, internet)"))
            continue
        dept = _tenant(circuit.get("tenant"), tenants)
        if dept is None:
            out.unmapped.append(Note("circuit", cid, "no tenant: the paying department is unknown"))
            continue
        if not circuit.get("commit_rate"):
            out.unmapped.append(Note("circuit", cid, "no commit rate: the bandwidth is unknown"))
            continue
        ends = {}
        for side in ("A", "Z"):
            term = terminations.get((circuit.get("id"), side)) or circuit.get(f"termination_{side.lower()}")
            end, why = _end(term, sites, location_site, devices, out, cid)
            if end is None:
                out.unmapped.append(Note("circuit", cid, f"{side} end: {why}"))
                break
            ends[side] = end
        if len(ends) < 2:
            continue
        cost = _custom(circuit, "cost_cny")
        if cost is None:
            out.to_fill.append(Note("circuit", cid, "cost_cny not in NetBox (custom field): set to 0"))
        fields = {"id": cid, "carrier": (circuit.get("provider") or {}).get("name"), "kind": kind,
                  "department": dept, "a": ends["A"], "z": ends["Z"],
                  "bandwidth_mbps": circuit["commit_rate"] / 1000,  # NetBox counts kbit/s
                  "cost_cny": cost or 0, "billing": _custom(circuit, "billing"),
                  "distance_km": _custom(circuit, "distance_km"),
                  "contract_start": _date(circuit.get("install_date")),
                  "contract_end": _date(circuit.get("termination_date"))}
        entity = _build(Circuit, "circuit", cid, fields, out)
        if entity is not None:
            out.circuits.append(entity)


def _end(term: Any, sites: dict[int, tuple[str, str | None]], location_site: dict[int, Any],
         devices: dict[str, str], out: NetboxMapping, cid: str) -> tuple[CircuitEnd | None, str]:
    if not isinstance(term, Mapping):
        return None, "no termination"
    site = None
    if isinstance(term.get("site"), Mapping):  # NetBox 3.x and 4.0/4.1
        site = sites.get(term["site"].get("id"))
    elif term.get("termination_type") == "dcim.site":  # NetBox 4.2+
        site = sites.get(term.get("termination_id") or (term.get("termination") or {}).get("id"))
    elif term.get("termination_type") == "dcim.location":
        site = location_site.get(term.get("termination_id") or (term.get("termination") or {}).get("id"))
    elif term.get("termination_type") or term.get("provider_network"):
        kind = term.get("termination_type") or "circuits.providernetwork"
        return None, f"terminates at a {kind.split('.')[-1]}, not a site: netcensus needs a site at both ends"
    if site is None:
        return None, "its site was not imported"
    device, interface = _peer(term)
    if device is not None and devices.get(device) != site[0]:
        if device in devices:
            out.to_fill.append(Note("circuit", cid, f"cabled to {device}, which is not at the end's site: "
                                                    "device left out"))
        device, interface = None, None
    return CircuitEnd(site=site[0], device=device, interface=interface), ""


def _peer(term: Obj) -> tuple[str | None, str | None]:
    """The device and interface a termination is cabled to, when it is an interface."""
    if term.get("link_peers_type") != "dcim.interface":
        return None, None
    peers = term.get("link_peers") or []
    if len(peers) != 1:
        return None, None
    peer = peers[0]
    return (peer.get("device") or {}).get("name"), peer.get("name")


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
