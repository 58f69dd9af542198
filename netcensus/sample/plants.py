"""The planted cases: one small function each, recorded in ``planted.json``.

Each plant works on fixed sites of the base city (the first sites of a department,
see :func:`site_of`), so the cases never touch each other and survive any scale.
A plant records what the checks must report with :meth:`City.plant` (code and
subjects exactly as in docs/architecture.md) and what they must *not* report in
``city.clean``. The semantics the plants assume are listed in :data:`NOTES`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections import defaultdict

from netcensus.sample.addressing import AddressBook, host
from netcensus.sample.city import City, Device, Network, StaticNat, Website, offset
from netcensus.sample.lines import add_line
from netcensus.sample.names import PORTAL_DOMAIN
from netcensus.sample.parts import cable, new_device, private_network
from netcensus.sample.tariff import add_years

#: Sites each base department needs so that every plant has somewhere to go.
BASE_SITES = {"psb": 3, "jiyao": 1, "market": 2, "transport": 2, "edu": 2, "tax": 1, "hrss": 1,
              "health": 2, "housing": 1, "finance": 1, "emergency": 1}

#: Assumptions about the checks' semantics that the records below rely on.
NOTES = {
    "backbone": "policy.backbone is the e-gov extranet; a backbone site has a device whose networks "
                "include it (district nodes, data centres) or a line of the backbone network (every "
                "department site with an extranet access line). Lines are counted once: a /30 or LLDP "
                "link riding a line is that line.",
    "ADR003": "addresses inside the backbone network's prefixes (172.16.0.0/12: the extranet's "
              "point-to-point links, and links between two departments' routers) and addresses of "
              "mandated or physically isolated networks follow their own plan; every other address "
              "must lie in its device's department plan.",
    "LIN002": "counted over lines that are not of the backbone, not of a physically isolated network, "
              "not of a mandated network, and join two different sites; several departments' lines "
              "between the same (sorted) district pair, same-district pairs included.",
    "LIN003": "candidates are lines of no backbone, isolated or mandated network and no bridge: the "
              "site graph without the line still carries its bandwidth between its two sites (lines "
              "down at an end carry nothing). Every other private line is 1000 Mbit/s, more than any "
              "detour.",
    "LIN005": "the notice date (contract_end - notice_days) is at most policy.lines.decision_lead_days "
              "away or has passed, and the contract has not ended; every other contract's notice date "
              "is at least 60 days after today.",
    "ROM001": "central rooms have spare racks for exactly one small room; every other departmental "
              "room uses more racks than any room has spare; an isolated room never moves.",
    "CON002": "the planted site has no backbone line of its own (so it is no backbone site): its only "
              "way is a private line to a backbone site. Dual-homed critical sites are clean.",
    "GOV001": "applies to rooms, networks, circuits (contract_start) and websites built on or after "
              "policy.approval_required_from without an approval reference.",
    "INV003": "a zombie line is billed and its interfaces are down (administratively or not) at both ends.",
}

MANDATING_AUTHORITY = "Ministry of Public Security (公安部)"
INDEPENDENT_DOMAIN = "xiyue-health.example.com"


# -- where the plants go ------------------------------------------------------------------------
def site_of(city: City, department: str, index: int = 0) -> str:
    """The ``index``-th site of a base department (the base city guarantees it exists)."""
    return city.roles["department_sites"][department][index]


def claimed_sites(city: City) -> set[str]:
    """Sites that carry a plant; generic growth (rooms, private lines) leaves them alone."""
    return {site_of(city, dept, i) for dept, count in BASE_SITES.items() for i in range(count)}


def room_sites(city: City) -> list[str]:
    """Sites whose rooms the room plants (ROM001, GOV001, GOV002) rework."""
    return [site_of(city, "transport"), site_of(city, "health"), site_of(city, "emergency"),
            site_of(city, "finance")]


def _wan(city: City, department: str, index: int = 0) -> Device:
    return city.wan_router(site_of(city, department, index))


def _device(city: City, department: str, index: int, suffix: str) -> Device:
    """The device of a base department's ``index``-th site whose name ends with ``suffix`` (``csw1``)."""
    site = site_of(city, department, index)
    return next(d for d in city.devices.values() if d.site == site and d.name.endswith(suffix))


def _join(network: str | None, *devices: Device) -> None:
    """Record that the devices are part of the network a line of theirs carries."""
    for dev in devices:
        if network and network not in dev.networks:
            dev.networks.append(network)


# -- sites -------------------------------------------------------------------------------------------
def place_room_near_centre(city: City) -> None:
    """ROM001 (part 1): the finance headquarters stands about 1.8 km from the main data centre."""
    site = city.sites[site_of(city, "finance")]
    site.coordinates = offset(city.sites["xy-dc1"].coordinates, 1.5, 1.0)


def critical_sites(city: City) -> None:
    """Clean: critical sites get two access lines to two district nodes (the builder adds them).

    The CON002 site is critical too, but gets no access line of its own (see
    :func:`critical_behind_private_line`).
    """
    dual = [site_of(city, "psb"), site_of(city, "emergency")]
    claimed = claimed_sites(city)
    for site in city.sites.values():
        if site.kind == "department" and site.id not in claimed and city.rng.random() < 0.05:
            dual.append(site.id)
    for sid in dual:
        city.sites[sid].critical = True
    city.clean["critical_dual_homed_sites"] = dual
    behind = site_of(city, "health", 1)
    city.sites[behind].critical = True
    city.roles.setdefault("without_access", set()).add(behind)


def island(city: City) -> None:
    """CON001: the housing headquarters has devices but no line at all."""
    site = site_of(city, "housing")
    city.roles.setdefault("without_access", set()).add(site)
    city.plant("CON001", (site,), "housing headquarters has devices but no line at all: no path to the backbone")


# -- the classified network --------------------------------------------------------------------------
def _classified_sites(city: City) -> list[str]:
    return [site_of(city, "jiyao"), site_of(city, "psb"), site_of(city, "emergency")]


def classified_devices(city: City, book: AddressBook) -> None:
    """A router and a switch of the classified network at its hub and at two remote sites.

    They take the last /24 of the health LAN part: an overlap with ``health-lan`` that is no
    finding, because the classified network is physically isolated.
    """
    target = book.blocks["health"].overlap_target
    quarters = list(target.subnets(new_prefix=26))
    city.roles["classified_p2p"] = quarters[0].subnets(new_prefix=30)
    hub = site_of(city, "jiyao")
    city.roles["classified_routers"] = {}
    for sid, lan in zip(_classified_sites(city), quarters[1:], strict=False):
        router = new_device(city, f"{sid}-cls-r1", "huawei", "router", sid, "jiyao")
        switch = new_device(city, f"{sid}-cls-s1", "hp_comware", "access", sid, "jiyao")
        for dev in (router, switch):
            dev.networks = ["jiyao-classified"]
            dev.room = f"{hub}-room" if sid == hub else None
        cable(city, router, "downlink", switch, "uplink", a_text=("涉密网内网交换机", "CLASSIFIED-LAN"),
              b_text=("上联涉密网路由器", "UPLINK-CLASSIFIED"), a_attrs={"address": host(lan, 1)},
              b_attrs={"access_vlan": 10})
        router.host = str(lan.network_address + 1)
        router.new_port("downlink", description="备用", shutdown=True)
        switch.add_vlan_interface(10, host(lan, 2), "涉密网管理")
        switch.host = str(lan.network_address + 2)
        city.roles["classified_routers"][sid] = router


def classified_network(city: City, book: AddressBook) -> None:
    """Clean: the classified network and its own parallel lines, never proposed for merging."""
    target = book.blocks["health"].overlap_target
    nid = "jiyao-classified"
    city.networks[nid] = Network(nid, "E-government intranet (classified, 电子政务内网)", "jiyao", "classified",
                                 [str(target)], dt.date(2008, 8, 1), isolation="physical")
    city.address_plan["jiyao"].append(str(target))
    routers = city.roles["classified_routers"]
    hub, p, q = _classified_sites(city)
    lines = []
    for remote, kind, bw, carrier in ((p, "dark_fibre", 1000, "CT"), (p, "sdh", 155, "CU"),
                                      (q, "sdh", 155, "CT")):
        lines.append(add_line(city, a=routers[hub], z=routers[remote], kind=kind, bandwidth_mbps=bw,
                              department="jiyao", network=nid, subnet=next(city.roles["classified_p2p"]),
                              carrier=carrier).id)
    city.clean["classified_circuits"] = lines
    city.clean["classified_site_pairs"] = [sorted((hub, p))]
    city.clean.setdefault("overlaps_not_findings", []).append(
        {"networks": sorted(["health-lan", nid]), "why": "the classified network is physically isolated"})


# -- lines -------------------------------------------------------------------------------------------
def mandated_network(city: City, book: AddressBook) -> None:
    """The public security network, mandated by its ministry: LIN006 on each of its lines.

    It lives in VRF ``psb`` and reuses the last /24 of the education LAN part: an overlap
    with ``edu-lan`` that is no finding (a VRF keeps it apart).
    """
    target = book.blocks["edu"].overlap_target
    nid = "psb-vpn"
    city.networks[nid] = Network(nid, "Public security video network (公安视频专网)", "psb", "private",
                                 [str(target)], dt.date(2011, 5, 1),
                                 isolation="logical", mandated_by=MANDATING_AUTHORITY, vrf="psb")
    city.address_plan["psb"].append(str(target))
    links = target.subnets(new_prefix=30)
    hub = _wan(city, "psb")
    for sid in city.roles["department_sites"]["psb"][1:64]:  # a /24 holds 64 links
        remote = city.wan_router(sid)
        circuit = add_line(city, a=hub, z=remote, kind="mpls_vpn", bandwidth_mbps=city.rng.choice((20, 50)),
                           department="psb", network=nid, subnet=next(links), carrier="CT", vrf="psb")
        _join(nid, hub, remote)
        city.clean.setdefault("mandated_circuits", []).append(circuit.id)
    city.clean.setdefault("overlaps_not_findings", []).append(
        {"networks": sorted(["edu-lan", nid]), "why": "psb-vpn is in VRF psb (logically isolated)"})


def critical_behind_private_line(city: City, book: AddressBook) -> None:
    """CON002: a critical health site reaches the backbone only over a private line to its headquarters.

    It has no extranet line of its own, so it is no backbone site: every path runs over that
    line and through the headquarters (and its single access line).
    """
    hq, branch = _wan(city, "health", 0), _wan(city, "health", 1)
    circuit = add_line(city, a=branch, z=hq, kind="mstp", bandwidth_mbps=50, department="health",
                       network=private_network(city, book, "health"), subnet=book.blocks["health"].next_p2p())
    _join(circuit.network, hq, branch)
    city.plant("CON002", (branch.site,), f"critical site whose only way to the backbone is {circuit.id} to "
                                          f"{hq.site} (and {hq.site}'s single extranet line)")


def parallel_lines(city: City, book: AddressBook) -> None:
    """LIN001: the tax and the social security bureaus each pay a line between the same two sites.

    The smaller one is also made unnecessary by the other (LIN003); the larger one is not,
    since nothing else between the two sites carries 1000 Mbit/s. A link between two
    departments' routers is numbered from the extranet's interconnect range.
    """
    tax, hrss = _wan(city, "tax"), _wan(city, "hrss")
    big = add_line(city, a=tax, z=hrss, kind="dark_fibre", bandwidth_mbps=1000, department="tax",
                   network=private_network(city, book, "tax"), subnet=book.backbone_link())
    small = add_line(city, a=hrss, z=tax, kind="mstp", bandwidth_mbps=100, department="hrss",
                     network=private_network(city, book, "hrss"), subnet=book.backbone_link())
    _join(big.network, tax, hrss)
    _join(small.network, tax, hrss)
    city.plant("LIN001", sorted((big.id, small.id)), f"two lines of two departments (tax, hrss) between "
                                                      f"{tax.site} and {hrss.site}")
    city.plant("LIN003", (small.id,), f"parallel to {big.id} (1000 Mbit/s), which alone carries its "
                                       "100 Mbit/s")


def zombie_line(city: City, book: AddressBook) -> None:
    """INV003: an old education fibre, still billed, shut at one end and dark at the other."""
    a, z = _wan(city, "edu", 0), _wan(city, "edu", 1)
    circuit = add_line(city, a=a, z=z, kind="dark_fibre", bandwidth_mbps=1000, department="edu",
                       network=private_network(city, book, "edu"), subnet=book.blocks["edu"].next_p2p())
    _join(circuit.network, a, z)
    a.ports[circuit.a.interface].shutdown = True
    z.ports[circuit.z.interface].carrier = False
    city.plant("INV003", (circuit.id,), f"billed; {a.name} {circuit.a.interface} is administratively down "
                                         f"and {z.name} {circuit.z.interface} is down")


def line_made_unnecessary(city: City, book: AddressBook) -> None:
    """LIN003: a 10 Mbit/s market supervision line whose two sites reach each other over the extranet."""
    a, z = _wan(city, "market", 0), _wan(city, "market", 1)
    circuit = add_line(city, a=a, z=z, kind="mstp", bandwidth_mbps=10, department="market",
                       network=private_network(city, book, "market"), subnet=book.blocks["market"].next_p2p())
    _join(circuit.network, a, z)
    city.plant("LIN003", (circuit.id,), "both ends have extranet access lines of at least 20 Mbit/s: the "
                                         "backbone carries this line's 10 Mbit/s")


def kept_private_line(city: City, book: AddressBook) -> None:
    """Clean: a transport fibre built after the policy date, with its approval, bigger than any detour."""
    a, z = _wan(city, "transport", 0), _wan(city, "transport", 1)
    network = private_network(city, book, "transport", built=dt.date(2023, 4, 10))
    circuit = add_line(city, a=a, z=z, kind="dark_fibre", bandwidth_mbps=1000, department="transport",
                       network=network, subnet=book.blocks["transport"].next_p2p())
    _join(network, a, z)
    city.clean.setdefault("kept_private_circuits", []).append(circuit.id)
    city.clean["networks_approved_after_policy"] = [network]


def website_behind_static_nat(city: City, book: AddressBook) -> None:
    """GOV004: the market supervision router publishes an undeclared website by static NAT of tcp/443."""
    market = _wan(city, "market")
    public = book.public_block()
    line = add_line(city, a=market, z=None, kind="internet", bandwidth_mbps=100, department="market",
                    network=None, subnet=public, carrier="CU")
    lan_port = next(p for p in market.ports.values() if p.address and p.address.startswith(market.host + "/"))
    lan = ipaddress.IPv4Interface(lan_port.address).network
    inside = str(lan.network_address + 20)
    _publish(city, market, line.a.interface, lan_port.name, inside, str(public.network_address + 3))
    city.plant("GOV004", (market.name, inside), f"static NAT of tcp/443 to {inside} on {market.name}: a website "
                                                  "no inventory entry declares")


def internet_lines(city: City, book: AddressBook) -> None:
    """Clean: the data centre's internet access, and routers with plain outbound NAT (no website)."""
    fw = next(d for d in city.devices.values() if d.site == "xy-dc1" and d.role == "firewall")
    public = book.public_block()
    add_line(city, a=fw, z=None, kind="internet", bandwidth_mbps=1000, department="bdb", network=None,
             subnet=public, carrier="CT")
    city.address_plan["bdb"].append(str(public))
    plain = [site_of(city, "transport")]
    claimed = claimed_sites(city)
    others = [s.id for s in city.sites.values() if s.kind == "department" and s.id not in claimed]
    city.rng.shuffle(others)
    plain += others[: min(40, round(city.device_target / 240))]
    for sid in plain:
        router = city.wan_router(sid)
        line = add_line(city, a=router, z=None, kind="internet", bandwidth_mbps=city.rng.choice((50, 100, 200)),
                        department=city.sites[sid].department, network=None, subnet=book.public_block())
        _pat(city, router, line.a.interface)
        city.clean.setdefault("nat_overload_devices", []).append(router.name)


def _public_block_of(router: Device, port_name: str) -> str:
    return str(ipaddress.IPv4Interface(router.ports[port_name].address).network)


def _publish(city: City, router: Device, outside: str, inside_port: str, inside: str, global_address: str) -> None:
    """A static NAT of tcp/443; the line's public block joins the department's address plan."""
    router.ports[outside].nat_outside = True
    router.ports[inside_port].nat_inside = True
    router.static_nats.append(StaticNat(outside, global_address, inside, 443))
    city.address_plan[router.department].append(_public_block_of(router, outside))


def _pat(city: City, router: Device, outside: str) -> None:
    """Plain outbound NAT (many to one) of the site LAN: publishes nothing."""
    router.ports[outside].nat_outside = True
    for port in router.ports.values():
        if port.address and port.address.startswith(f"{router.host}/"):
            port.nat_inside = True
    router.nat_overload = outside
    city.address_plan[router.department].append(_public_block_of(router, outside))


def contract_in_notice(city: City) -> None:
    """LIN005: the tax headquarters' extranet line ends 45 days after "today", notice 90 days."""
    wan = _wan(city, "tax")
    circuit = next(c for c in city.circuits.values() if c.a.device == wan.name and c.network == city.backbone)
    circuit.contract_end = city.today + dt.timedelta(days=45)
    circuit.contract_start = add_years(circuit.contract_end, -3)
    circuit.notice_days = 90
    city.plant("LIN005", (circuit.id,), f"contract ends {circuit.contract_end}, inside its 90-day notice "
                                         f"period from {city.today}")


# -- devices -----------------------------------------------------------------------------------------
def undeclared_switch(city: City) -> None:
    """INV001: a switch nobody declared, plugged into a transport distribution switch."""
    sid = site_of(city, "transport", 1)
    csw = _device(city, "transport", 1, "csw1")
    stray = new_device(city, "jtj-temp-sw01", "hp_comware", "access", sid, "transport", declared=False)
    stray.advertised_name = "JTJ-Temp-SW01"
    lan = ipaddress.IPv4Interface(f"{csw.host}/24").network
    stray.host = str(lan.network_address + 250)
    stray.add_vlan_interface(10, f"{stray.host}/24", "临时")
    cable(city, csw, "downlink", stray, "uplink", a_text=("临时接入-施工单位", "TEMP-CONTRACTOR"),
          b_text=("上联", "UPLINK"), a_attrs={"access_vlan": 10}, b_attrs={"access_vlan": 10})
    city.plant("INV001", ("jtj-temp-sw01",), f"LLDP of {csw.name} shows JTJ-Temp-SW01, which no inventory "
                                              "entry declares")


def device_without_capture(city: City) -> None:
    """INV002: a declared access switch of the social security bureau that nobody captured."""
    sid = site_of(city, "hrss")
    dev = [d for d in city.devices.values() if d.site == sid and d.role == "access"][-1]
    dev.captured = False
    city.plant("INV002", (dev.name,), "declared, but the capture folder has no outputs for it")


def overlapping_networks(city: City, book: AddressBook) -> None:
    """ADR001: the finance LAN also claims a /24 of the market supervision LAN (and uses it).

    Both LANs reach each other over the extranet. The address used is outside the
    finance block of the address plan, so it is also an ADR003.
    """
    victim = _wan(city, "market")
    lan = ipaddress.IPv4Interface(f"{victim.host}/24").network
    csw = _device(city, "finance", 0, "csw1")
    address = host(lan, 200)
    text = "原市场监管局共用网段" if city.roles["chinese"][csw.name] else "LEGACY-SHARED-SEGMENT"
    csw.add_vlan_interface(300, address, text)
    city.networks["finance-lan"].prefixes.append(str(lan))
    city.plant("ADR001", sorted(("finance-lan", "market-lan")), f"finance-lan declares {lan}, part of "
                                                                  "market-lan; both reach the backbone")
    city.plant("ADR003", (csw.name, address), "outside the finance block of the address plan (it is in the "
                                               "market supervision block)")


def duplicate_address(city: City) -> None:
    """ADR002: a transport switch carries the gateway address of the other transport site (copied config)."""
    source = _wan(city, "transport", 0)
    csw = _device(city, "transport", 1, "csw1")
    address = f"{source.host}/24"
    csw.add_vlan_interface(200, address, "复制配置遗留" if city.roles["chinese"][csw.name] else "COPIED")
    city.plant("ADR002", (source.host,), f"configured on {source.name} and on {csw.name}")


def address_outside_plan(city: City) -> None:
    """ADR003: an education access switch with a factory-default test network."""
    asw = _device(city, "edu", 1, "asw1")
    address = "192.168.100.1/24"
    asw.add_vlan_interface(100, address, "测试" if city.roles["chinese"][asw.name] else "TEST")
    city.plant("ADR003", (asw.name, address), "192.168.100.0/24 is in no block of the address plan")


# -- rooms, websites, approvals ----------------------------------------------------------------------
def room_to_merge(city: City) -> None:
    """ROM001 (part 2): the finance room is small, expensive and fits the main data centre's spare racks."""
    small = city.rooms[f"{site_of(city, 'finance')}-room"]
    small.racks_total, small.racks_used = 8, 4
    small.power_kw, small.power_capacity_kw = 14.5, 18.0
    small.yearly_cost_cny = 520_000.0
    small.built = dt.date(2013, 4, 1)
    central = city.rooms["xy-dc1-room"]
    city.plant("ROM001", (small.id,), f"4 racks for 520,000 CNY a year, 1.8 km from {central.id}, which has "
                                       f"{central.racks_total - central.racks_used} racks and "
                                       f"{central.power_capacity_kw - central.power_kw:.0f} kW spare")
    city.clean["isolated_rooms"] = [r.id for r in city.rooms.values() if r.isolation == "physical"]
    city.clean["central_rooms"] = list(city.central_rooms)


def room_without_approval(city: City) -> None:
    """GOV001: the transport room built in 2024 without approval; clean: the health room, approved."""
    unapproved = city.rooms[f"{site_of(city, 'transport')}-room"]
    unapproved.built, unapproved.auto_approve = dt.date(2024, 3, 18), False
    city.plant("GOV001", (unapproved.id,), f"built {unapproved.built}, after {city.policy_date}, with no "
                                            "approval")

    approved = city.rooms[f"{site_of(city, 'health')}-room"]
    approved.built = dt.date(2023, 5, 20)  # approved by the generic approval pass
    city.clean["rooms_approved_after_policy"] = [approved.id]


def independent_website(city: City) -> None:
    """GOV003: the health commission's own domain, outside the city portal."""
    city.websites[INDEPENDENT_DOMAIN] = Website(INDEPENDENT_DOMAIN, "health", f"{site_of(city, 'health')}-room",
                                                dt.date(2018, 9, 1), independent=True)
    city.plant("GOV003", (INDEPENDENT_DOMAIN,), f"not a sub-site of {PORTAL_DOMAIN}")


def approval_not_covering(city: City) -> None:
    """GOV002: the emergency room, built in 2023, cites an approval that covers other things only.

    Runs after the generic approvals exist (the room is kept out of them).
    """
    room = city.rooms[f"{site_of(city, 'emergency')}-room"]
    room.built = dt.date(2023, 11, 6)  # set now, so the generic pass did not approve it
    approval = next(a for a in sorted(city.approvals.values(), key=lambda a: a.id) if room.id not in a.covers)
    room.approval = approval.id
    city.plant("GOV002", (room.id,), f"cites {approval.id}, which covers {', '.join(approval.covers[:3])}"
                                      f"{' ...' if len(approval.covers) > 3 else ''} but not this room")


# -- records derived from the whole city -------------------------------------------------------------
def derived(city: City) -> None:
    """LIN006 for every mandated line; LIN002 by the rule in :data:`NOTES`."""
    isolated = {n.id for n in city.networks.values() if n.isolation == "physical"}
    mandated = {n.id for n in city.networks.values() if n.mandated_by}
    for circuit in city.circuits.values():
        if circuit.network in mandated:
            city.plant("LIN006", (circuit.id,), f"line of {circuit.network}, mandated by "
                                                 f"{city.networks[circuit.network].mandated_by}")
    departments: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in city.circuits.values():
        if c.network in isolated or c.network in mandated or c.network == city.backbone or c.a.site == c.z.site:
            continue
        pair = tuple(sorted((city.sites[c.a.site].district, city.sites[c.z.site].district)))
        departments[pair].add(c.department)
    for pair, depts in sorted(departments.items()):
        if len(depts) > 1:
            city.plant("LIN002", pair, f"lines of {', '.join(sorted(depts))} between districts {pair[0]} "
                                       f"and {pair[1]}")
