"""Turn the built city into validated inventory entities and write them as YAML.

Every record goes through its :mod:`inventory.model` class first, so the sample can
only ever write an inventory the models accept. Files hold one mapping each,
``{section: [entries]}`` (``{policy: {...}}`` for the policy), written by
:mod:`netcensus.sample.yaml_out`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inventory.model import (
    Approval,
    Circuit,
    CircuitEnd,
    Department,
    Device,
    Network,
    Policy,
    Room,
    Site,
    Website,
)
from netcensus.sample import city as plan
from netcensus.sample.names import PORTAL_DOMAIN
from netcensus.sample.yaml_out import dump_section

#: Section -> file name, in the order files are written.
FILES = {
    "departments": "departments.yaml",
    "sites": "sites.yaml",
    "rooms": "rooms.yaml",
    "networks": "networks.yaml",
    "devices": "devices.yaml",
    "circuits": "circuits.yaml",
    "websites": "websites.yaml",
    "approvals": "approvals.yaml",
    "policy": "policy.yaml",
}

def entities(city: plan.City) -> dict[str, Any]:
    """The inventory of the city: section -> list of entities (``policy`` -> one Policy)."""
    return {
        "departments": [Department(id=d.id, name=d.name, local_name=d.local_name, kind=d.kind, parent=d.parent,
                                   district=d.district) for d in city.departments.values()],
        "sites": [Site(id=s.id, name=s.name, local_name=s.local_name, district=s.district, address=s.address,
                       coordinates=s.coordinates, critical=s.critical) for s in city.sites.values()],
        "rooms": [Room(id=r.id, site=r.site, department=r.department, name=r.name, racks_total=r.racks_total,
                       racks_used=r.racks_used, power_kw=r.power_kw, power_capacity_kw=r.power_capacity_kw,
                       yearly_cost_cny=r.yearly_cost_cny, built=r.built, approval=r.approval, role=r.role,
                       isolation=r.isolation) for r in city.rooms.values()],
        "networks": [Network(id=n.id, name=n.name, department=n.department, kind=n.kind, isolation=n.isolation,
                             mandated_by=n.mandated_by, vrf=n.vrf, prefixes=tuple(n.prefixes), built=n.built,
                             approval=n.approval) for n in city.networks.values()],
        "devices": [Device(name=d.name, host=d.host, platform=d.platform, department=d.department, room=d.room,
                           site=None if d.room else d.site, role=d.role, networks=tuple(d.networks),
                           serial=d.serial) for d in city.devices.values()],
        "circuits": [Circuit(id=c.id, carrier=c.carrier, kind=c.kind, department=c.department, network=c.network,
                             a=_end(c.a), z=_end(c.z), bandwidth_mbps=c.bandwidth_mbps, cost_cny=c.cost_cny,
                             billing=c.billing, distance_km=c.distance_km, contract_start=c.contract_start,
                             contract_end=c.contract_end, notice_days=c.notice_days,
                             early_termination_cny=c.early_termination_cny, approval=c.approval)
                     for c in city.circuits.values()],
        "websites": [Website(domain=w.domain, department=w.department, hosted_in=w.hosted_in,
                             independent=w.independent, built=w.built, approval=w.approval)
                     for w in city.websites.values()],
        "approvals": [Approval(id=a.id, title=a.title, date=a.date, covers=tuple(a.covers))
                      for a in sorted(city.approvals.values(), key=lambda a: a.id)],
        "policy": Policy(approval_required_from=city.policy_date, backbone=city.backbone,
                         central_rooms=tuple(city.central_rooms), portal_domain=PORTAL_DOMAIN,
                         address_plan={k: tuple(v) for k, v in city.address_plan.items()}),
    }


def _end(end: plan.End) -> CircuitEnd:
    return CircuitEnd(site=end.site, device=end.device, interface=end.interface)


def _dump(model: Any) -> dict[str, Any]:
    """A model as plain YAML-ready data, without unset (None) fields."""
    return model.model_dump(mode="json", exclude_none=True)


def write_inventory(city: plan.City, folder: Path) -> list[Path]:
    """Write one YAML file per section into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for section, items in entities(city).items():
        data = _dump(items) if section == "policy" else [_dump(item) for item in items]
        path = folder / FILES[section]
        path.write_text(dump_section(section, data), encoding="utf-8")
        written.append(path)
    return written
