"""Build the sample city: districts, departments, sites, devices, cables, lines and rooms.

The base city is clean by construction; :mod:`netcensus.sample.plants` then adds the
cases the checks must find. :func:`build_city` runs both in a fixed order from one
``random.Random(seed)``, so a seed always gives the same city.

Shape (``k = devices / 80``):

* ``max(6, round(6 * k ** 0.65))`` districts, each with a node of the e-gov extranet
  (an aggregation router dual-homed to both data centres);
* two data centres of the Big Data Bureau (the central rooms), joined by dark fibre;
* about ``devices / 3.2`` department sites: a WAN router, a distribution switch and
  access switches, linked to their district's node by one extranet line (two for
  critical sites, to two nodes);
* twelve departments plus about ``12 * (k - 1)`` district branches; ``8 * k`` rooms;
  about ``devices / 2`` lines.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import random
from dataclasses import dataclass

from netcensus.sample import plants
from netcensus.sample.addressing import AddressBook, host
from netcensus.sample.city import (
    Approval,
    City,
    Department,
    Device,
    District,
    Network,
    Room,
    Site,
    Website,
    offset,
)
from netcensus.sample.lines import add_line
from netcensus.sample.names import (
    BRANCHING,
    CITY_CENTRE,
    DEPARTMENTS,
    DISTRICT_SYLLABLES,
    DISTRICTS,
    PORTAL_DOMAIN,
    STREETS,
)
from netcensus.sample.parts import cable, new_device, private_network, switch_side, text
from netcensus.sample.plants import BASE_SITES

#: The fixed "today" of the sample city (contracts and notice periods are relative to it).
TODAY = dt.date(2025, 6, 30)
#: From this date every new room, network, line or website needs an approval.
POLICY_DATE = dt.date(2022, 7, 1)

_DC_FIXED = 4  # per data centre besides its core routers: two core switches, a firewall, a switch
_CLASSIFIED_DEVICES = 6  # a router and a switch at each of the three classified sites
_DEVICES_PER_SITE = 3.2
#: The smallest city that holds every planted case (6 districts, one core router per data centre).
MIN_DEVICES = 2 * (1 + _DC_FIXED) + 2 * 6 + _CLASSIFIED_DEVICES + 3 * sum(BASE_SITES.values())


@dataclass(frozen=True, slots=True)
class Layout:
    """How many of everything a city of ``devices`` devices has."""

    devices: int
    districts: int
    cores_per_dc: int
    department_sites: int
    extra_switches: int
    extra_departments: int
    rooms: int

    @property
    def fixed_devices(self) -> int:
        return 2 * (self.cores_per_dc + _DC_FIXED) + 2 * self.districts + _CLASSIFIED_DEVICES


def layout(devices: int) -> Layout:
    """The city's proportions for ``devices`` declared devices.

    >>> layout(80).department_sites, layout(80).districts
    (17, 6)

    Raises ``ValueError`` when ``devices`` is too small to hold every planted case.
    """
    k = devices / 80
    districts = max(6, round(6 * k ** 0.65))
    cores = math.ceil(districts / 40)
    fixed = 2 * (cores + _DC_FIXED) + 2 * districts + _CLASSIFIED_DEVICES
    minimum = fixed + 3 * sum(BASE_SITES.values())
    if devices < minimum:
        raise ValueError(f"a sample city needs at least {minimum} devices to hold every planted case "
                         f"(got {devices})")
    sites = max(sum(BASE_SITES.values()), int((devices - fixed) / _DEVICES_PER_SITE))
    extra_departments = min(round(12 * (k - 1)), len(BRANCHING) * districts) if k > 1 else 0
    extra_departments = min(extra_departments, sites - sum(BASE_SITES.values()))
    return Layout(devices, districts, cores, sites, devices - fixed - 3 * sites, extra_departments,
                  max(8, round(8 * k)))


def build_city(devices: int, seed: int) -> City:
    """The whole city, planted cases included, from ``random.Random(seed)``."""
    plan = layout(devices)
    city = City(seed=seed, device_target=devices, rng=random.Random(seed), today=TODAY, policy_date=POLICY_DATE)
    city.roles["chinese"] = {}
    _add_districts(city, plan.districts)
    _add_departments(city, plan.extra_departments)
    _add_sites(city, plan)
    plants.place_room_near_centre(city)
    plants.critical_sites(city)
    plants.island(city)
    book = AddressBook()
    book.allocate_blocks({d: len(city.roles["department_sites"].get(d, ())) + (2 + plan.districts) * (d == "bdb")
                          for d in city.departments})
    _add_rooms(city, plan)
    _add_devices(city, plan, book)
    _add_networks(city, book)
    _add_backbone(city, book)
    _add_access_lines(city, book)
    plants.mandated_network(city, book)
    plants.classified_network(city, book)
    plants.critical_behind_private_line(city, book)
    plants.parallel_lines(city, book)
    plants.zombie_line(city, book)
    plants.line_made_unnecessary(city, book)
    plants.kept_private_line(city, book)
    plants.website_behind_static_nat(city, book)
    plants.internet_lines(city, book)
    _add_private_lines(city, book)
    plants.undeclared_switch(city)
    plants.device_without_capture(city)
    plants.overlapping_networks(city, book)
    plants.duplicate_address(city)
    plants.address_outside_plan(city)
    plants.contract_in_notice(city)
    plants.room_to_merge(city)
    plants.room_without_approval(city)
    _add_websites(city)
    plants.independent_website(city)
    _add_approvals(city)
    plants.approval_not_covering(city)
    plants.derived(city)
    return city


# -- districts and departments ----------------------------------------------------------------
def _add_districts(city: City, count: int) -> None:
    rng = city.rng
    names = list(DISTRICTS)
    pairs = [(a, b) for a in DISTRICT_SYLLABLES for b in DISTRICT_SYLLABLES if a != b]
    rng.shuffle(pairs)
    seen = {d[0] for d in names}
    for (p1, c1), (p2, c2) in pairs:
        if len(names) >= count:
            break
        if p1 + p2 not in seen:
            seen.add(p1 + p2)
            names.append((p1 + p2, (p1 + p2).capitalize(), f"{c1}{c2}区"))
    for i, (did, name, local) in enumerate(names[:count]):
        if i == 0:
            centre = CITY_CENTRE
        else:  # the others on a spiral around the centre, further out as the city grows
            angle = 2 * math.pi * (i - 1) / min(count - 1, 12) + (i - 1) // 12 * 0.4
            radius = 9 + 6 * ((i - 1) // 12)
            centre = offset(CITY_CENTRE, radius * math.sin(angle), radius * math.cos(angle))
        city.districts[did] = District(did, name, local, centre)


def _add_departments(city: City, extra: int) -> None:
    for d in DEPARTMENTS:
        city.departments[d.id] = Department(d.id, d.name, d.local_name, d.kind, d.short, portal=d.portal)
    combos = [(parent, district) for district in city.districts for parent in BRANCHING]
    city.rng.shuffle(combos)
    for parent_id, district_id in sorted(combos[:extra], key=combos.index):
        parent, district = city.departments[parent_id], city.districts[district_id]
        dept_id = f"{parent_id}-{district_id}"
        city.departments[dept_id] = Department(
            dept_id, f"{parent.name}, {district.name} District", f"{district.local_name}{parent.short}",
            "district", parent.short, parent=parent_id, district=district_id,
            portal=f"{district_id}-{parent.portal}" if parent.portal else None)


# -- sites ----------------------------------------------------------------------------------------
def _site_address(city: City, district: District) -> str:
    return f"{district.local_name}{city.rng.choice(STREETS)}{city.rng.randint(1, 399)}号"


def _near(city: City, point: tuple[float, float], km: float) -> tuple[float, float]:
    return offset(point, city.rng.uniform(-km, km), city.rng.uniform(-km, km))


def _add_sites(city: City, plan: Layout) -> None:
    rng = city.rng
    districts = list(city.districts.values())
    for n, (district, name, local) in enumerate(
            ((districts[0], "Xiyue E-Government Cloud Data Centre", "汐月市电子政务云数据中心"),
             (districts[1], "Xiyue Government Disaster Recovery Centre", "汐月市政务灾备中心")), start=1):
        sid = f"xy-dc{n}"
        city.sites[sid] = Site(sid, name, local, district.id, "bdb", _site_address(city, district),
                               _near(city, district.centre, 1.0), critical=True, kind="dc")
    for district in districts:
        sid = f"{district.id}-node"
        city.sites[sid] = Site(sid, f"{district.name} District Government Service Centre",
                               f"{district.local_name}政务服务中心", district.id, "bdb",
                               _site_address(city, district), _near(city, district.centre, 0.8), kind="node")

    owners: list[tuple[str, str | None]] = []  # (department, district or None for "anywhere")
    for dept, count in BASE_SITES.items():
        # The finance headquarters sits in the central district, near the main data centre (ROM001).
        owners += [(dept, districts[0].id if dept == "finance" else None)] + [(dept, None)] * (count - 1)
    for dept in city.departments.values():
        if dept.kind == "district":
            owners.append((dept.id, dept.district))
    weighted = [d for d in city.departments.values() if d.id != "jiyao"]
    weights = [4 if d.kind != "district" else 1 for d in weighted]
    while len(owners) < plan.department_sites:
        dept = rng.choices(weighted, weights=weights)[0]
        owners.append((dept.id, dept.district))

    numbering: dict[str, int] = {}
    per_dept: dict[str, int] = {}
    for dept_id, district_id in owners:
        district = city.districts[district_id] if district_id else rng.choice(districts)
        numbering[district.id] = numbering.get(district.id, 0) + 1
        per_dept[dept_id] = per_dept.get(dept_id, 0) + 1
        sid = f"{district.id}-{numbering[district.id]:02d}"
        dept = city.departments[dept_id]
        first = per_dept[dept_id] == 1
        if dept.kind == "district":
            name, local = f"{dept.name} Office", f"{dept.local_name}办公楼"
        elif first:
            name, local = f"{dept.name} Headquarters", f"{dept.local_name}机关大楼"
        else:
            name = f"{dept.name}, {district.name} Office {per_dept[dept_id]}"
            local = f"{dept.short}{district.local_name}第{per_dept[dept_id]}办公点"
        city.sites[sid] = Site(sid, name, local, district.id, dept_id, _site_address(city, district),
                               _near(city, district.centre, 2.5))
    city.roles["department_sites"] = {}
    for site in city.sites.values():
        if site.kind == "department":
            city.roles["department_sites"].setdefault(site.department, []).append(site.id)


# -- rooms ------------------------------------------------------------------------------------------
def _add_rooms(city: City, plan: Layout) -> None:
    """The two central rooms, then departmental rooms: big and nearly full, so they merge nowhere.

    Only the room planted for ROM001 is small enough to fit the central room's spare racks.
    """
    rng = city.rng
    city.rooms["xy-dc1-room"] = Room("xy-dc1-room", "xy-dc1", "bdb", "政务云数据中心主机房", 80, 74, 310.0,
                                     340.0, 2_600_000.0, dt.date(2016, 9, 1), role="central")
    city.rooms["xy-dc2-room"] = Room("xy-dc2-room", "xy-dc2", "bdb", "政务灾备中心机房", 60, 58, 230.0, 238.0,
                                     1_900_000.0, dt.date(2019, 11, 15), role="central")
    city.central_rooms = ["xy-dc1-room", "xy-dc2-room"]
    sites = city.roles["department_sites"]
    jiyao_hq = sites["jiyao"][0]
    city.rooms[f"{jiyao_hq}-room"] = _departmental_room(city, jiyao_hq, racks=8, built=dt.date(2010, 5, 20),
                                                        isolation="physical", spare=2)
    city.rooms[f"{sites['psb'][0]}-room"] = _departmental_room(city, sites["psb"][0], racks=18,
                                                               built=dt.date(2012, 3, 1))
    for site in plants.room_sites(city):
        city.rooms[f"{site}-room"] = _departmental_room(city, site, racks=rng.randint(10, 16),
                                                        built=dt.date(2014, 6, 1))
    claimed = plants.claimed_sites(city)
    free = [s for s in city.sites.values() if s.kind == "department" and f"{s.id}-room" not in city.rooms
            and s.id not in claimed]
    rng.shuffle(free)
    for site in free[: max(0, plan.rooms - len(city.rooms))]:
        built = dt.date(rng.randint(2006, 2021), rng.randint(1, 12), rng.randint(1, 28))
        if rng.random() < 0.1:
            built = city.policy_date + dt.timedelta(days=rng.randint(30, 900))
        city.rooms[f"{site.id}-room"] = _departmental_room(city, site.id, racks=rng.randint(10, 40), built=built)


def _departmental_room(city: City, site_id: str, *, racks: int, built: dt.date, isolation: str = "none",
                       spare: int | None = None) -> Room:
    rng = city.rng
    site = city.sites[site_id]
    spare = rng.randint(0, 2) if spare is None else spare
    used = racks - spare
    power = round(used * rng.uniform(3.0, 4.5), 1)
    dept = city.departments[site.department]
    return Room(f"{site_id}-room", site_id, site.department, f"{dept.short}机房", racks, used, power,
                round(power + rng.uniform(1.0, 6.0), 1), float(round(120_000 + used * rng.uniform(38_000, 52_000), -3)),
                built, isolation=isolation)


# -- devices and cables ----------------------------------------------------------------------------
def _lan(city: City, router: Device, switch: Device, address: str) -> None:
    """Cable a router's LAN port (gateway ``address``) to a switch's uplink."""
    cable(city, router, "downlink", switch, "uplink",
          a_text=(f"至核心交换机-{switch.name}", f"TO-{switch.name.upper()}-LAN"),
          b_text=(f"上联出口路由器-{router.name}", f"UPLINK-{router.name.upper()}"),
          a_attrs={"address": address}, b_attrs=switch_side(switch))


def _user_ports(city: City, switch: Device, users: int) -> None:
    for _ in range(users):
        switch.new_port("downlink", description=text(city, switch, "办公终端", "USER"), access_vlan=10)
    switch.new_port("downlink", description=text(city, switch, "备用", "SPARE"), access_vlan=10, shutdown=True)


def _mgmt(city: City, switch: Device, address: str) -> None:
    switch.add_vlan_interface(10, address, text(city, switch, "办公网及设备管理", "MGMT-OFFICE"))
    switch.host = address.split("/")[0]


def _add_devices(city: City, plan: Layout, book: AddressBook) -> None:
    """Devices and cables of every site; extra access switches go to random department sites."""
    rng = city.rng
    bdb = book.blocks["bdb"]
    for n in (1, 2):
        _dc_site(city, f"xy-dc{n}", plan.cores_per_dc, bdb.next_site_lan())
    for district in city.districts:
        _node_site(city, f"{district}-node", bdb.next_site_lan())
    extras: dict[str, int] = {}
    department_sites = [s for s in city.sites.values() if s.kind == "department"]
    for _ in range(plan.extra_switches):
        site = rng.choice(department_sites)
        extras[site.id] = extras.get(site.id, 0) + 1
    for site in department_sites:
        _department_site(city, site, 1 + extras.get(site.id, 0), book.blocks[site.department].next_site_lan())
    plants.classified_devices(city, book)


def _dc_site(city: City, sid: str, cores: int, lan: ipaddress.IPv4Network) -> None:
    csw = [new_device(city, f"{sid}-csw{i}", "hp_comware", "core", sid, "bdb", model_role="core_switch")
           for i in (1, 2)]
    cable(city, csw[0], "uplink", csw[1], "uplink", a_text=("核心交换机互联", "PEER-LINK"),
          b_text=("核心交换机互联", "PEER-LINK"), a_attrs={"trunk": True}, b_attrs={"trunk": True})
    n = 1
    for i in range(1, cores + 1):
        core = new_device(city, f"{sid}-core{i}", "huawei", "core", sid, "bdb")
        core.networks = ["egov-extranet", "bdb-lan"]
        address = host(lan, n)
        cable(city, core, "downlink", csw[(i - 1) % 2], "downlink",
              a_text=(f"至数据中心核心交换机-{csw[(i - 1) % 2].name}", "TO-DC-CORE-SWITCH"),
              b_text=(f"至政务外网核心路由器-{core.name}", f"TO-{core.name.upper()}"),
              a_attrs={"address": address}, b_attrs={"access_vlan": 10})
        core.host = address.split("/")[0]
        n += 1
    fw = new_device(city, f"{sid}-fw1", "huawei", "firewall", sid, "bdb")
    fw.networks = ["bdb-lan"]
    address = host(lan, n)
    cable(city, fw, "downlink", csw[1], "downlink", a_text=("至数据中心核心交换机", "TO-DC-CORE-SWITCH"),
          b_text=(f"至防火墙-{fw.name}", f"TO-{fw.name.upper()}"), a_attrs={"address": address},
          b_attrs={"access_vlan": 10})
    fw.host = address.split("/")[0]
    fw.new_port("downlink", description=text(city, fw, "备用", "SPARE"), shutdown=True)
    platform = city.rng.choice(("huawei", "hp_comware"))
    asw = new_device(city, f"{sid}-asw1", platform, "access", sid, "bdb")
    cable(city, asw, "uplink", csw[0], "downlink", a_text=("上联核心交换机", "UPLINK-CORE"),
          b_text=("至服务器接入交换机", f"TO-{asw.name.upper()}"), a_attrs={"trunk": True},
          b_attrs={"trunk": True})
    for dev, k in ((csw[0], n + 1), (csw[1], n + 2), (asw, n + 3)):
        dev.networks = ["bdb-lan"]
        _mgmt(city, dev, host(lan, k))
    _user_ports(city, asw, 1)


def _node_site(city: City, sid: str, lan: ipaddress.IPv4Network) -> None:
    agg = new_device(city, f"{sid}-agg1", "huawei", "router", sid, "bdb")
    agg.networks = ["egov-extranet", "bdb-lan"]
    sw = new_device(city, f"{sid}-sw1", city.rng.choice(("huawei", "hp_comware")), "access", sid, "bdb")
    sw.networks = ["bdb-lan"]
    _lan(city, agg, sw, host(lan, 1))
    agg.host = str(lan.network_address + 1)
    _mgmt(city, sw, host(lan, 2))
    _user_ports(city, sw, 1)


def _department_site(city: City, site: Site, access: int, lan: ipaddress.IPv4Network) -> None:
    rng = city.rng
    wan_platform = rng.choices(("huawei", "cisco_ios", "hp_comware"), weights=(5, 3, 2))[0]
    # A Cisco router gets Cisco switches, so every Cisco device has a CDP neighbour.
    switch_platform = "cisco_ios" if wan_platform == "cisco_ios" else \
        rng.choices(("cisco_ios", "huawei", "hp_comware"), weights=(35, 35, 30))[0]
    dept = site.department
    networks = [f"{dept}-lan"]
    wan = new_device(city, f"{site.id}-wan1", wan_platform, "wan", site.id, dept)
    csw = new_device(city, f"{site.id}-csw1", switch_platform, "distribution", site.id, dept)
    _lan(city, wan, csw, host(lan, 1))
    wan.host = str(lan.network_address + 1)
    wan.networks, csw.networks = list(networks), list(networks)
    _mgmt(city, csw, host(lan, 2))
    for i in range(1, access + 1):
        asw = new_device(city, f"{site.id}-asw{i}", switch_platform, "access", site.id, dept)
        asw.networks = list(networks)
        cable(city, csw, "downlink", asw, "uplink",
              a_text=(f"至{i + 1}楼弱电间接入交换机", f"TO-{asw.name.upper()}"),
              b_text=("上联核心交换机", f"UPLINK-{csw.name.upper()}"),
              a_attrs={"trunk": True}, b_attrs={"trunk": True})
        _mgmt(city, asw, host(lan, 2 + i))
        _user_ports(city, asw, 1)
    wan.new_port("downlink", description=text(city, wan, "备用", "SPARE"), shutdown=True)
    csw.new_port("downlink", description=text(city, csw, "备用", "SPARE"), access_vlan=10, shutdown=True)


# -- networks and lines -----------------------------------------------------------------------------
def _add_networks(city: City, book: AddressBook) -> None:
    rng = city.rng
    city.networks["egov-extranet"] = Network(
        "egov-extranet", "Xiyue unified e-government extranet (汐月市电子政务外网)", "bdb", "egov_extranet",
        ["172.16.0.0/12"], dt.date(2009, 10, 1))
    for dept in city.departments.values():
        block = book.blocks[dept.id]
        city.networks[f"{dept.id}-lan"] = Network(
            f"{dept.id}-lan", f"{dept.name} LAN", dept.id, "lan", [str(block.lan_part)],
            dt.date(rng.randint(2003, 2016), rng.randint(1, 12), 1))
        city.address_plan[dept.id] = [str(block.block)]
    city.address_plan["bdb"].append("172.16.0.0/12")


def _add_backbone(city: City, book: AddressBook) -> None:
    """DC1-DC2 dark fibre, and every district node dual-homed to a core router in each DC."""
    core1, core2 = city.wan_router("xy-dc1"), city.wan_router("xy-dc2")
    add_line(city, a=core1, z=core2, kind="dark_fibre", bandwidth_mbps=10000, department="bdb",
             network=city.backbone, subnet=book.backbone_link(), carrier="CT", years=5)
    cores = {dc: [d for d in city.site_devices(dc) if d.role == "core" and d.model.kind == "router"]
             for dc in ("xy-dc1", "xy-dc2")}
    for i, district in enumerate(city.districts):
        agg = city.wan_router(f"{district}-node")
        for dc, carrier in (("xy-dc1", "CT"), ("xy-dc2", "CU")):
            core = cores[dc][i * len(cores[dc]) // len(city.districts)]
            add_line(city, a=agg, z=core, kind="dark_fibre", bandwidth_mbps=1000, department="bdb",
                     network=city.backbone, subnet=book.backbone_link(), carrier=carrier)


def access_bandwidth(city: City, critical: bool) -> float:
    """Extranet access rates: at most 200 Mbit/s, far below any private fibre (1000)."""
    return city.rng.choice((100, 200)) if critical else city.rng.choice((20, 50, 100))


def _add_access_lines(city: City, book: AddressBook) -> None:
    """Each department site's WAN router to its district node; critical sites to a second node too."""
    districts = list(city.districts)
    for site in city.sites.values():
        if site.kind != "department" or site.id in city.roles["without_access"]:
            continue
        wan = city.wan_router(site.id)
        homes = [site.district]
        if site.critical:
            homes.append(districts[(districts.index(site.district) + 1) % len(districts)])
        for district in homes:
            kind = city.rng.choices(("mstp", "mpls_vpn", "sdh"), weights=(55, 30, 15))[0]
            bw = access_bandwidth(city, site.critical)
            add_line(city, a=wan, z=city.wan_router(f"{district}-node"), kind=kind, bandwidth_mbps=bw,
                     department=site.department, network=city.backbone, subnet=book.backbone_link())
            if len(homes) > 1:
                city.clean.setdefault("redundant_access_circuits", []).append(list(city.circuits)[-1])


def _add_private_lines(city: City, book: AddressBook) -> None:
    """Departments' own fibres between two of their sites, until the city has ``devices / 2`` lines.

    They are 1000 Mbit/s, more than the extranet can carry between any two sites, so
    none is made unnecessary by the backbone (LIN003): they are the clean private lines.
    """
    target = city.device_target // 2
    claimed = plants.claimed_sites(city)
    pairs: list[tuple[str, str]] = []
    for dept, sites in city.roles["department_sites"].items():
        if dept in ("psb", "jiyao"):  # their lines belong to the mandated and the classified networks
            continue
        free = [s for s in sites if s not in claimed]
        pairs += [(free[0], other) for other in free[1:]]  # branch to the department's first free site
    city.rng.shuffle(pairs)
    for a, z in pairs[: max(0, target - len(city.circuits))]:
        dept = city.sites[a].department
        circuit = add_line(city, a=city.wan_router(a), z=city.wan_router(z), kind="dark_fibre",
                           bandwidth_mbps=1000, department=dept, network=private_network(city, book, dept),
                           subnet=book.blocks[dept].next_p2p())
        for end in (city.wan_router(a), city.wan_router(z)):
            if circuit.network not in end.networks:
                end.networks.append(circuit.network)
        city.clean.setdefault("kept_private_circuits", []).append(circuit.id)


# -- websites and approvals ----------------------------------------------------------------------------
def _add_websites(city: City) -> None:
    rng = city.rng
    city.websites[f"www.{PORTAL_DOMAIN}"] = Website(f"www.{PORTAL_DOMAIN}", "bdb", "xy-dc1-room",
                                                    dt.date(2010, 7, 1))
    for dept in city.departments.values():
        if not dept.portal or (dept.kind == "district" and rng.random() < 0.5):
            continue
        domain = f"{dept.portal}.{PORTAL_DOMAIN}"
        built = dt.date(rng.randint(2012, 2021), rng.randint(1, 12), rng.randint(1, 28))
        city.websites[domain] = Website(domain, dept.id, rng.choice(city.central_rooms), built)
    approved = f"yjglj.{PORTAL_DOMAIN}"  # rebuilt after the policy date, with an approval: clean
    city.websites[approved].built = dt.date(2023, 2, 14)
    city.clean["websites_approved_after_policy"] = [approved]


def _add_approvals(city: City) -> None:
    """One approval per department and year for everything built after the policy date.

    Entities a plant handles itself (``auto_approve`` False) are skipped.
    """
    groups: dict[tuple[str, int], list[tuple[dt.date, str, object]]] = {}
    entities: list[tuple[object, str, dt.date]] = []
    entities += [(c, c.id, c.contract_start) for c in city.circuits.values()]
    entities += [(r, r.id, r.built) for r in city.rooms.values()]
    entities += [(n, n.id, n.built) for n in city.networks.values()]
    entities += [(w, w.domain, w.built) for w in city.websites.values()]
    for entity, key, day in entities:
        if day >= city.policy_date and entity.auto_approve and entity.approval is None:
            groups.setdefault((entity.department, day.year), []).append((day, key, entity))
    sequence: dict[int, int] = {}
    for (dept, year), members in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0])):
        sequence[year] = sequence.get(year, 0) + 1
        aid = f"XYXB-{year}-{sequence[year]:03d}"
        first = min(day for day, _, _ in members)
        date = max(city.policy_date, first - dt.timedelta(days=city.rng.randint(14, 60)))
        city.approvals[aid] = Approval(aid, f"关于{city.departments[dept].local_name}{year}年度信息化建设项目的批复",
                                       date, [key for _, key, _ in members])
        for _, _, entity in members:
            entity.approval = aid
