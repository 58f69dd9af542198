"""Small hand-built cities for tests of any layer: inventories, facts and audit contexts.

Every builder fills in plausible defaults so a test names only what it is about::

    from support.citybuild import circuit, city, context, device, facts, itf, lldp, site

    inv = city(sites=[site("a"), site("b")],
               devices=[device("r1", "a"), device("r2", "b")],
               circuits=[circuit("c1", "a", "b", mbps=10, monthly=2000)])
    ctx = context(inv, [facts("r1", itf("Gi0/0")), facts("r2", itf("Gi0/0", up=False))])

``city`` creates the departments and sites that are referenced but not given, and
records a source (``circuits.yaml:3``) for every entity so evidence can be tested.
``random_city`` makes seeded random cities for property tests and benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from analysis.context import AuditContext
from collectors.facts import CollectionStatus, DeviceFacts, Interface, Neighbour
from collectors.normalise import interface_name
from inventory.model import (
    Circuit,
    CircuitEnd,
    Department,
    Device,
    Inventory,
    Network,
    Policy,
    Room,
    Site,
    Source,
)

#: The date every built context audits on, unless a test says otherwise.
TODAY = dt.date(2026, 6, 1)
#: The backbone network id used by ``city(backbone=True)`` and ``random_city``.
BACKBONE = "egov"


# --- inventory entities -----------------------------------------------------------


def site(id: str, district: str = "d1", *, critical: bool = False, name: str | None = None) -> Site:
    """A site in a district."""
    return Site(id=id, name=name or id.upper(), district=district, critical=critical)


def device(name: str, site: str | None = None, *, department: str = "it", platform: str = "cisco_ios",
           host: str | None = None, networks: Sequence[str] = (), role: str = "router",
           room: str | None = None, serial: str | None = None) -> Device:
    """A declared device at a site (or in a room); its host defaults to a name-derived address."""
    return Device(name=name, host=host or f"mgmt-{name}", platform=platform, department=department,
                  site=site, room=room, networks=tuple(networks), role=role, serial=serial)


def room(id: str, site: str, *, department: str = "it", racks_total: int = 10, racks_used: int = 5,
         power_kw: float = 10.0, yearly_cost_cny: float = 100_000.0, **extra: Any) -> Room:
    """A machine room at a site."""
    return Room(id=id, site=site, department=department, racks_total=racks_total,
                racks_used=racks_used, power_kw=power_kw, yearly_cost_cny=yearly_cost_cny, **extra)


def network(id: str, *, department: str = "it", kind: str = "private", isolation: str = "none",
            mandated_by: str | None = None, vrf: str | None = None,
            prefixes: Sequence[str] = ()) -> Network:
    """A department network; ``classified(...)`` and ``mandated(...)`` are shortcuts."""
    return Network(id=id, name=id, department=department, kind=kind, isolation=isolation,
                   mandated_by=mandated_by, vrf=vrf, prefixes=tuple(prefixes))


def classified(id: str = "secret", department: str = "it") -> Network:
    """A physically isolated classified network (never merged, never proposed)."""
    return network(id, department=department, kind="classified", isolation="physical")


def mandated(id: str = "police", department: str = "psb",
             authority: str = "Ministry of Public Security") -> Network:
    """A vertical network mandated by a higher authority (LIN006 instead of proposals)."""
    return network(id, department=department, kind="private", mandated_by=authority)


def circuit(id: str, a: str, z: str, *, mbps: float = 100.0, monthly: float | None = 1000.0,
            yearly: float | None = None, department: str = "it", network: str | None = None,
            a_device: str | None = None, a_port: str | None = None,
            z_device: str | None = None, z_port: str | None = None,
            carrier: str = "China Telecom", kind: str = "mstp",
            contract_end: dt.date | None = None, notice_days: int = 90,
            early_termination: float | None = None) -> Circuit:
    """A leased line between sites ``a`` and ``z``; cost ``monthly`` unless ``yearly`` is given."""
    billing, cost = ("yearly", yearly) if yearly is not None else ("monthly", monthly or 0.0)
    return Circuit(id=id, carrier=carrier, kind=kind, department=department, network=network,
                   a=CircuitEnd(site=a, device=a_device, interface=a_port),
                   z=CircuitEnd(site=z, device=z_device, interface=z_port),
                   bandwidth_mbps=mbps, cost_cny=cost, billing=billing,
                   contract_end=contract_end, notice_days=notice_days,
                   early_termination_cny=early_termination)


def city(*, sites: Iterable[Site] = (), devices: Iterable[Device] = (),
         circuits: Iterable[Circuit] = (), networks: Iterable[Network] = (),
         rooms: Iterable[Room] = (), departments: Iterable[Department] = (),
         policy: Policy | None = None, backbone: bool = False, **policy_fields: Any) -> Inventory:
    """An inventory of the given entities, with every referenced site and department created.

    ``backbone=True`` declares the ``egov`` network and makes it the policy's backbone.
    Extra keyword arguments are policy fields (``tariff_bandwidth_exponent=0.5``).
    """
    sites, devices, circuits = list(sites), list(devices), list(circuits)
    networks, rooms, departments = list(networks), list(rooms), list(departments)
    if backbone and not any(n.id == BACKBONE for n in networks):
        networks.append(network(BACKBONE, kind="egov_extranet"))
    known_sites = {s.id for s in sites}
    wanted = [d.site for d in devices] + [r.site for r in rooms]
    wanted += [end.site for c in circuits for end in (c.a, c.z)]
    for s in wanted:
        if s and s not in known_sites:
            sites.append(site(s))
            known_sites.add(s)
    known_departments = {d.id for d in departments}
    for entity in [*devices, *circuits, *networks, *rooms]:
        if entity.department not in known_departments:
            departments.append(Department(id=entity.department, name=entity.department))
            known_departments.add(entity.department)
    if policy is None:
        fields = {"backbone": BACKBONE} if backbone else {}
        policy = Policy(**{**fields, **policy_fields})
    sections = {
        "departments": {d.id: d for d in departments},
        "sites": {s.id: s for s in sites},
        "rooms": {r.id: r for r in rooms},
        "networks": {n.id: n for n in networks},
        "devices": {d.name: d for d in devices},
        "circuits": {c.id: c for c in circuits},
    }
    sources = {(section, key): Source(f"{section}.yaml", line)
               for section, entries in sections.items()
               for line, key in enumerate(entries, start=1)}
    return Inventory(**sections, policy=policy, sources=sources)


# --- observed facts ---------------------------------------------------------------


def itf(name: str, up: bool | None = True, *, addresses: Sequence[str] = (), vrf: str | None = None,
        speed: float | None = None, description: str = "", role: str = "data",
        shared: Sequence[str] = (), unmasked: Sequence[str] = ()) -> Interface:
    """An interface, oper-up unless ``up=False`` (``up=None``: the device did not say).

    The name is normalised as the parsers do (``Gi0/1`` -> ``GigabitEthernet0/1``).
    ``role`` is ``data``/``management``/``internal``; ``shared`` its first-hop or anycast
    addresses; ``unmasked`` addresses read from a form with no prefix length.
    """
    return Interface(name=interface_name(name), description=description, admin_up=True if up is not None else None,
                     oper_up=up, speed_mbps=speed, addresses=tuple(addresses), vrf=vrf,
                     role=role, shared_addresses=tuple(shared),  # type: ignore[arg-type]
                     unmasked_addresses=tuple(unmasked))


def lldp(local_port: str, remote: str, remote_port: str, *, address: str | None = None) -> Neighbour:
    """An LLDP neighbour seen on ``local_port`` (ports normalised as the parsers do)."""
    return Neighbour(local_port=interface_name(local_port), remote_name=remote,
                     remote_port=interface_name(remote_port),
                     remote_address=address, protocol="lldp")


def cdp(local_port: str, remote: str, remote_port: str, *, address: str | None = None) -> Neighbour:
    """A CDP neighbour seen on ``local_port`` (ports normalised as the parsers do)."""
    return Neighbour(local_port=interface_name(local_port), remote_name=remote,
                     remote_port=interface_name(remote_port),
                     remote_address=address, protocol="cdp")


def facts(device: str, *observed: Interface | Neighbour, status: CollectionStatus = "ok",
          platform: str = "cisco_ios", error: str | None = None, config: str | None = None) -> DeviceFacts:
    """A device's facts from interfaces and neighbours given in any order.

    ``config`` is the running configuration: with it, an interface without a VRF is known
    to be in the global table (``analysis.graph.vrf_evidenced``); :data:`CONFIG` will do.
    """
    return DeviceFacts(device=device, platform=platform, status=status,
                       interfaces=tuple(o for o in observed if isinstance(o, Interface)),
                       neighbours=tuple(o for o in observed if isinstance(o, Neighbour)),
                       error=error, config=config)


#: A running configuration that names no VRF: the device's interfaces are in the global table.
CONFIG = "!\nend\n"


def context(inventory: Inventory, observed: Iterable[DeviceFacts] | Mapping[str, DeviceFacts] = (), *,
            today: dt.date = TODAY, **fields: Any) -> AuditContext:
    """An audit context over an inventory and facts (a list or a name -> facts mapping).

    Extra keyword arguments are further ``AuditContext`` fields (``utilisation=...``).
    """
    by_name = dict(observed) if isinstance(observed, Mapping) else {f.device: f for f in observed}
    return AuditContext(inventory, by_name, today=today, **fields)


def all_up(inventory: Inventory) -> dict[str, DeviceFacts]:
    """Facts in which every circuit end port of every declared device is up."""
    ports: dict[str, list[str]] = {name: [] for name in inventory.devices}
    for c in inventory.circuits.values():
        for end in (c.a, c.z):
            if end.device in ports and end.interface:
                ports[end.device].append(end.interface)
    return {name: facts(name, *(itf(p) for p in names)) for name, names in ports.items()}


# --- random cities ----------------------------------------------------------------


def random_city(sites: int, circuits: int, *, seed: int = 1, hubs: int | None = None,
                districts: int = 12, departments: int = 20, classified_share: float = 0.03,
                mandated_share: float = 0.05) -> Inventory:
    """A seeded random city: a backbone star over a few hub sites plus departmental lines.

    About a third of the sites get a backbone access line to a hub (hubs are joined
    in a ring); the remaining lines join random site pairs of random departments,
    a few of them on a classified or a mandated network. Lines have no devices, so
    every end is a site (enough for line and path analyses).
    """
    rng = random.Random(seed)
    hubs = hubs if hubs is not None else max(2, sites // 300)
    site_ids = [f"s{i}" for i in range(sites)]
    built_sites = [site(s, f"district{rng.randrange(districts)}") for s in site_ids]
    lines: list[Circuit] = []

    def add(a: str, z: str, **kw: Any) -> None:
        lines.append(circuit(f"c{len(lines)}", a, z, **kw))

    for i in range(hubs):  # the backbone core: a ring of hubs
        if hubs > 1 and len(lines) < circuits:
            add(site_ids[i], site_ids[(i + 1) % hubs], mbps=10_000, monthly=50_000, network=BACKBONE)
    for s in site_ids[hubs:]:
        if len(lines) < circuits and rng.random() < 0.35:
            add(s, site_ids[rng.randrange(hubs)], mbps=rng.choice((100, 200, 500)),
                monthly=rng.choice((3000, 5000, 8000)), network=BACKBONE)
    while len(lines) < circuits:
        a, z = rng.sample(site_ids, 2)
        roll = rng.random()
        net = ("secret" if roll < classified_share
               else "police" if roll < classified_share + mandated_share else None)
        add(a, z, mbps=rng.choice((2, 10, 20, 50, 100)), monthly=rng.choice((800, 1500, 3000, 6000)),
            department=f"dept{rng.randrange(departments)}", network=net)
    return city(sites=built_sites, circuits=lines, backbone=True,
                networks=[classified("secret"), mandated("police")])


# --- running checks -----------------------------------------------------------------


def run_check(ctx: AuditContext, code: str) -> list[Any]:
    """The findings of one registered check on a context, in the registry's order."""
    from analysis.findings import Finding
    from analysis.registry import spec

    return sorted(spec(code).func(ctx), key=Finding.sort_key)


def keys(findings: Iterable[Any]) -> list[str]:
    """The finding keys, sorted (``LIN001:c1|c2``)."""
    return sorted(f.key for f in findings)
