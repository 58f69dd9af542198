"""Helpers that the builder and the plants share: devices, cables and private networks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from netcensus.sample.addressing import AddressBook
from netcensus.sample.city import City, Device, Link, Network
from netcensus.sample.hardware import model_for

_OUI = {"cisco_ios": 0x7C210E, "huawei": 0x00E0FC, "hp_comware": 0x70BAEF}


def _serial(city: City, platform: str, kind: str, index: int) -> str:
    """A serial number in the vendor's shape; ``index`` keeps it unique."""
    rng = city.rng
    if platform == "cisco_ios":
        return f"{'FDO' if kind == 'router' else 'FOC'}{rng.randint(18, 24)}{rng.randint(10, 52)}{index:04X}"
    if platform == "huawei":
        return f"21023{rng.randint(10000, 99999)}{index:010d}"
    return f"210235A{rng.choice('ABCDEFGH')}{rng.choice('JKLMNP')}{rng.randint(1, 9)}{index:010d}"


def new_device(city: City, name: str, platform: str, role: str, site: str, department: str, *,
               model_role: str | None = None, declared: bool = True) -> Device:
    """Create a device (declared unless told otherwise) with serial, MAC and description language."""
    index = len(city.devices) + 1 + city.roles.setdefault("_undeclared", 0)
    here = city.rooms.get(f"{site}-room")
    # Equipment of the site's own department sits in its room, unless the room is an isolated one.
    room = here.id if here and here.department == department and here.isolation == "none" else None
    model = model_for(platform, model_role or role)
    dev = Device(name=name, platform=platform, model=model, role=role,
                 department=department, site=site, room=room, serial=_serial(city, platform, model.kind, index),
                 mac=(_OUI[platform] << 24) | (index * 64), declared=declared)
    city.roles["chinese"][name] = city.rng.random() < 0.7
    if declared:
        city.devices[name] = dev
    else:
        city.roles["_undeclared"] += 1
        city.roles.setdefault("undeclared", {})[name] = dev
    return dev


def text(city: City, dev: Device, chinese: str, english: str) -> str:
    """A description in the device's language: most engineers here write Chinese."""
    return chinese if city.roles["chinese"][dev.name] else english


def cable(city: City, a: Device, a_pool: str, b: Device, b_pool: str, *, a_text: tuple[str, str],
          b_text: tuple[str, str], a_attrs: dict[str, Any] | None = None,
          b_attrs: dict[str, Any] | None = None) -> None:
    """A cable inside a site between new ports of ``a`` and ``b`` (descriptions: Chinese, English)."""
    pa = a.new_port(a_pool, description=text(city, a, *a_text), **(a_attrs or {}))
    pb = b.new_port(b_pool, description=text(city, b, *b_text), **(b_attrs or {}))
    city.links.append(Link(a.name, pa.name, b.name, pb.name))


def switch_side(dev: Device, vlan: int = 10, trunk: bool = False) -> dict[str, Any]:
    """Port attributes for the switch end of a cable (routers get routed ports)."""
    if dev.model.routed:
        return {}
    return {"trunk": True} if trunk else {"access_vlan": vlan}


def private_network(city: City, book: AddressBook, dept: str, built: dt.date | None = None) -> str:
    """The department's private network (created on its first private line)."""
    nid = f"{dept}-private"
    if nid not in city.networks:
        department = city.departments[dept]
        built = built or dt.date(city.rng.randint(2011, 2021), city.rng.randint(1, 12), 1)
        city.networks[nid] = Network(nid, f"{department.name} private network", dept, "private",
                                     [str(book.blocks[dept].p2p_part)], built)
    return nid


