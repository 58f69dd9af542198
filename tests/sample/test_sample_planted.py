"""Every planted case is really in the data, and the clean parts really are clean."""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
from collections import Counter, defaultdict

import pytest
from sample_city_helpers import LLDP, addresses, in_plan, interfaces, is_up, read_output

from inventory.model import Inventory
from netcensus.sample import SampleCity

ALL_CODES = {"INV001", "INV002", "INV003", "LIN001", "LIN002", "LIN003", "LIN005", "LIN006", "ROM001",
             "ADR001", "ADR002", "ADR003", "CON001", "CON002", "GOV001", "GOV002", "GOV003", "GOV004"}


def _observed(parsed: dict, inventory: Inventory) -> dict[str, list[tuple[str, str]]]:
    """device -> [(interface, address/len)] as the captures show them."""
    out = {}
    for device, outputs in parsed.items():
        platform = inventory.devices[device].platform
        out[device] = [(name, a) for name, row in interfaces(outputs, platform).items()
                       for a in addresses(row, platform)]
    return out


def _lines_at(inventory: Inventory, site: str) -> list:
    return [c for c in inventory.circuits.values() if site in (c.a.site, c.z.site) and c.a.site != c.z.site]


def _today(planted: dict) -> dt.date:
    return dt.date.fromisoformat(planted["today"])


def test_planted_json_records_seed_size_today_and_every_code(planted: dict) -> None:
    assert planted["seed"] == 1 and planted["devices"] == 80 and planted["today"] == "2025-06-30"
    assert {f["code"] for f in planted["findings"]} == ALL_CODES
    assert all(f["why"] and f["subjects"] for f in planted["findings"])
    keys = [(f["code"], tuple(f["subjects"])) for f in planted["findings"]]
    assert keys == sorted(set(keys))  # sorted, no duplicates


def test_lin001_parallel_lines_of_two_departments_and_no_other_parallel_pair(findings: dict,
                                                                             inventory: Inventory,
                                                                             planted: dict) -> None:
    (group,) = findings["LIN001"]
    circuits = [inventory.circuits[c] for c in group]
    assert len({c.site_pair for c in circuits}) == 1
    assert len({c.department for c in circuits}) == len(circuits) == 2
    allowed = {circuits[0].site_pair} | {tuple(p) for p in planted["clean"]["classified_site_pairs"]}
    per_pair = Counter(c.site_pair for c in inventory.circuits.values() if c.a.site != c.z.site)
    assert {pair for pair, n in per_pair.items() if n > 1} == allowed


def test_inv003_zombie_is_billed_and_down_at_both_ends_one_of_them_shut(findings: dict, inventory: Inventory,
                                                                       parsed: dict) -> None:
    (subjects,) = findings["INV003"]
    circuit = inventory.circuits[subjects[0]]
    assert circuit.yearly_cost_cny > 0
    shut = 0
    for end in (circuit.a, circuit.z):
        platform = inventory.devices[end.device].platform
        row = interfaces(parsed[end.device], platform)[end.interface]
        assert not is_up(row, platform)
        status = row.get("link_status", row.get("line_status"))
        shut += status.lower() == "administratively down"
    assert shut == 1


def test_inv001_an_lldp_neighbour_nobody_declared(findings: dict, inventory: Inventory, parsed: dict,
                                                  city: SampleCity) -> None:
    (subjects,) = findings["INV001"]
    name = subjects[0]
    seen_by = [device for device, outputs in parsed.items()
               for row in outputs[LLDP[inventory.devices[device].platform][0]]
               if row["neighbor_name"].split(".")[0].lower() == name]
    assert len(seen_by) == 1
    assert name not in {d.lower() for d in inventory.devices}
    assert all(row_host != d.host for d in inventory.devices.values()
               for row_host in _mgmt_addresses(parsed, inventory, name))  # no match by address either
    assert not (city.captures_dir / name).exists()


def _mgmt_addresses(parsed: dict, inventory: Inventory, name: str) -> set[str]:
    return {row["mgmt_address"] for device, outputs in parsed.items()
            for row in outputs[LLDP[inventory.devices[device].platform][0]]
            if row["neighbor_name"].split(".")[0].lower() == name}


def test_inv002_declared_device_without_capture(findings: dict, inventory: Inventory, city: SampleCity) -> None:
    (subjects,) = findings["INV002"]
    assert subjects[0] in inventory.devices
    assert not (city.captures_dir / subjects[0]).exists()


def test_adr001_overlap_between_interconnecting_networks_of_two_departments(findings: dict,
                                                                           inventory: Inventory,
                                                                           parsed: dict) -> None:
    (pair,) = findings["ADR001"]
    a, b = (inventory.networks[n] for n in pair)
    assert a.department != b.department
    overlaps = [(p, q) for p in map(ipaddress.IPv4Network, a.prefixes)
                for q in map(ipaddress.IPv4Network, b.prefixes) if p.overlaps(q)]
    assert overlaps
    for net in (a, b):
        assert net.isolation == "none" and net.vrf is None and not net.mandated_by
    shared = overlaps[0][0] if overlaps[0][0].prefixlen >= overlaps[0][1].prefixlen else overlaps[0][1]
    users = {inventory.devices[d].department for d, seen in _observed(parsed, inventory).items()
             for _, address in seen if ipaddress.IPv4Interface(address).ip in shared}
    assert users == {a.department, b.department}  # both sides use the range on real interfaces


def test_clean_overlaps_are_inside_a_vrf_or_an_isolated_network(planted: dict, inventory: Inventory) -> None:
    cases = planted["clean"]["overlaps_not_findings"]
    assert len(cases) == 2
    for case in cases:
        a, b = (inventory.networks[n] for n in case["networks"])
        assert any(p.overlaps(q) for p in map(ipaddress.IPv4Network, a.prefixes)
                   for q in map(ipaddress.IPv4Network, b.prefixes))
        assert any(n.vrf or n.isolation == "physical" for n in (a, b))


def test_adr002_one_address_on_two_devices_and_no_other_duplicate(findings: dict, inventory: Inventory,
                                                                  parsed: dict) -> None:
    (subjects,) = findings["ADR002"]
    holders = defaultdict(set)
    for device, seen in _observed(parsed, inventory).items():
        for _, address in seen:
            holders[str(ipaddress.IPv4Interface(address).ip)].add(device)
    assert {ip for ip, devices in holders.items() if len(devices) > 1} == {subjects[0]}
    assert len(holders[subjects[0]]) == 2


def test_adr003_exactly_the_planted_addresses_are_outside_the_plan(findings: dict, inventory: Inventory,
                                                                   parsed: dict) -> None:
    plan = {d: list(p) for d, p in inventory.policy.address_plan.items()}
    backbone = inventory.networks[inventory.policy.backbone].prefixes
    exempt = [p for n in inventory.networks.values() if n.mandated_by or n.isolation == "physical"
              for p in n.prefixes]
    outside = set()
    for device, seen in _observed(parsed, inventory).items():
        for _, address in seen:
            if not in_plan(address, plan[inventory.devices[device].department] + list(backbone) + exempt):
                outside.add((device, address))
    assert outside == set(findings["ADR003"])


def test_gov001_room_after_policy_without_approval_and_its_approved_twin(findings: dict, inventory: Inventory,
                                                                        planted: dict) -> None:
    policy_date = inventory.policy.approval_required_from
    (subjects,) = findings["GOV001"]
    room = inventory.rooms[subjects[0]]
    assert room.built >= policy_date and room.approval is None
    (twin,) = planted["clean"]["rooms_approved_after_policy"]
    twin = inventory.rooms[twin]
    assert twin.built >= policy_date and twin.id in inventory.approvals[twin.approval].covers


def test_everything_else_built_after_the_policy_date_is_covered_by_its_approval(findings: dict,
                                                                              inventory: Inventory) -> None:
    planted = {s[0] for code in ("GOV001", "GOV002") for s in findings[code]}
    policy_date = inventory.policy.approval_required_from
    dated = [(r.id, r.built, r.approval) for r in inventory.rooms.values()]
    dated += [(n.id, n.built, n.approval) for n in inventory.networks.values()]
    dated += [(c.id, c.contract_start, c.approval) for c in inventory.circuits.values()]
    dated += [(w.domain, w.built, w.approval) for w in inventory.websites.values()]
    checked = 0
    for key, day, approval in dated:
        if day and day >= policy_date and key not in planted:
            assert approval and key in inventory.approvals[approval].covers, key
            assert inventory.approvals[approval].date <= day
            checked += 1
    assert checked > 10


def test_gov002_approval_cited_for_a_room_it_does_not_cover(findings: dict, inventory: Inventory) -> None:
    (subjects,) = findings["GOV002"]
    room = inventory.rooms[subjects[0]]
    assert room.approval in inventory.approvals
    assert room.id not in inventory.approvals[room.approval].covers


def test_gov003_the_only_website_off_the_portal(findings: dict, inventory: Inventory) -> None:
    portal = inventory.policy.portal_domain
    off_portal = {w.domain for w in inventory.websites.values() if not w.domain.endswith("." + portal)}
    assert off_portal == {s[0] for s in findings["GOV003"]}
    assert all(inventory.websites[d].independent for d in off_portal)


_STATIC_443 = re.compile(r"ip nat inside source static tcp (\S+) 443 \S+ 443|"
                         r"nat server protocol tcp global \S+ 443 inside (\S+) 443")


def test_gov004_the_only_static_nat_of_https_is_the_planted_one(findings: dict, city: SampleCity,
                                                                inventory: Inventory) -> None:
    command = {"cisco_ios": "show running-config", "huawei": "display current-configuration",
               "hp_comware": "display current-configuration"}
    published = set()
    for name, dev in inventory.devices.items():
        if (city.captures_dir / name).is_dir():
            for m in _STATIC_443.finditer(read_output(city.captures_dir, name, command[dev.platform])):
                published.add((name, m.group(1) or m.group(2)))
    assert published == set(findings["GOV004"])


def test_lin003_lines_the_rest_of_the_network_can_carry(findings: dict, inventory: Inventory) -> None:
    backbone = inventory.policy.backbone
    for (cid,) in findings["LIN003"]:
        line = inventory.circuits[cid]
        network = inventory.networks[line.network]
        assert network.id != backbone and not network.mandated_by and network.isolation == "none"
        parallel = [c for c in inventory.circuits.values() if c.id != cid and c.site_pair == line.site_pair]
        if parallel:  # the smaller of two parallel lines
            assert max(c.bandwidth_mbps for c in parallel) >= line.bandwidth_mbps
        else:  # both ends reach the backbone with at least the line's bandwidth
            for site in line.site_pair:
                access = [c for c in _lines_at(inventory, site) if c.network == backbone]
                assert access and max(c.bandwidth_mbps for c in access) >= line.bandwidth_mbps


def test_kept_private_lines_are_bigger_than_any_detour(planted: dict, inventory: Inventory) -> None:
    kept = planted["clean"]["kept_private_circuits"]
    assert kept
    for cid in kept:  # the cut around one end, without the line, carries less than the line
        line = inventory.circuits[cid]
        around = [sum(c.bandwidth_mbps for c in _lines_at(inventory, site) if c.id != cid)
                  for site in line.site_pair]
        assert min(around) < line.bandwidth_mbps


def test_lin005_the_only_contract_inside_its_decision_window(findings: dict, inventory: Inventory,
                                                             planted: dict) -> None:
    today, lead = _today(planted), dt.timedelta(days=inventory.policy.lines.decision_lead_days)
    due = {c.id for c in inventory.circuits.values()
           if c.contract_end >= today and c.contract_end - dt.timedelta(days=c.notice_days) <= today + lead}
    assert due == {s[0] for s in findings["LIN005"]}


def test_lin006_every_line_of_the_mandated_network(findings: dict, inventory: Inventory) -> None:
    mandated = {n.id for n in inventory.networks.values() if n.mandated_by}
    assert {s[0] for s in findings["LIN006"]} == {c.id for c in inventory.circuits.values()
                                                  if c.network in mandated}


def test_lin002_district_pairs_really_have_lines_of_several_departments(findings: dict,
                                                                       inventory: Inventory) -> None:
    district = {s.id: s.district for s in inventory.sites.values()}
    for pair in findings["LIN002"]:
        departments = {c.department for c in inventory.circuits.values()
                       if tuple(sorted((district[c.a.site], district[c.z.site]))) == pair
                       and c.network and not inventory.networks[c.network].mandated_by
                       and inventory.networks[c.network].isolation != "physical"
                       and c.network != inventory.policy.backbone and c.a.site != c.z.site}
        assert len(departments) >= 2, pair


def test_rom001_small_expensive_room_near_a_central_room_with_room_to_spare(findings: dict,
                                                                           inventory: Inventory) -> None:
    (subjects,) = findings["ROM001"]
    small = inventory.rooms[subjects[0]]
    central = [inventory.rooms[r] for r in inventory.policy.central_rooms]
    fits = [c for c in central if c.racks_total - c.racks_used >= small.racks_used
            and c.power_capacity_kw - c.power_kw >= small.power_kw]
    assert fits
    here, there = inventory.sites[small.site].coordinates, inventory.sites[fits[0].site].coordinates
    km = math.hypot((here[0] - there[0]) * 111.2, (here[1] - there[1]) * 111.2 * math.cos(math.radians(here[0])))
    assert km < 3
    assert small.yearly_cost_cny / small.racks_used > 2 * fits[0].yearly_cost_cny / fits[0].racks_used
    for room in inventory.rooms.values():  # nothing else fits anywhere (isolated rooms never move)
        if room.id == small.id or room.role == "central" or room.isolation == "physical":
            continue
        for target in inventory.rooms.values():
            if target.id != room.id:
                assert target.racks_total - target.racks_used < room.racks_used, (room.id, target.id)


def test_con001_island_has_devices_but_no_line(findings: dict, inventory: Inventory) -> None:
    (subjects,) = findings["CON001"]
    site = subjects[0]
    assert any(inventory.device_site(d) == site for d in inventory.devices)
    assert not [c for c in inventory.circuits.values() if site in (c.a.site, c.z.site)]


def test_con002_critical_site_behind_one_line_while_other_critical_sites_have_two(findings: dict,
                                                                                 inventory: Inventory,
                                                                                 planted: dict) -> None:
    backbone = inventory.policy.backbone
    (subjects,) = findings["CON002"]
    site = inventory.sites[subjects[0]]
    lines = _lines_at(inventory, site.id)
    assert site.critical and len(lines) == 1 and lines[0].network != backbone
    for other in planted["clean"]["critical_dual_homed_sites"]:
        access = [c for c in _lines_at(inventory, other) if c.network == backbone]
        assert inventory.sites[other].critical and len({c.site_pair for c in access}) == 2


def test_classified_lines_run_in_parallel_on_the_isolated_network(planted: dict, inventory: Inventory) -> None:
    lines = [inventory.circuits[c] for c in planted["clean"]["classified_circuits"]]
    assert {inventory.networks[c.network].isolation for c in lines} == {"physical"}
    (pair,) = planted["clean"]["classified_site_pairs"]
    assert sum(1 for c in lines if c.site_pair == tuple(pair)) == 2


@pytest.mark.parametrize("code", sorted(ALL_CODES))
def test_subjects_name_entities_of_the_inventory(code: str, findings: dict, inventory: Inventory) -> None:
    kinds = {"INV002": "devices", "INV003": "circuits", "LIN001": "circuits", "LIN003": "circuits",
             "LIN005": "circuits", "LIN006": "circuits", "ROM001": "rooms", "GOV001": "rooms",
             "GOV002": "rooms", "GOV003": "websites", "ADR001": "networks", "CON001": "sites",
             "CON002": "sites"}
    for subjects in findings[code]:
        if code in kinds:
            assert all(s in getattr(inventory, kinds[code]) for s in subjects), subjects
        elif code in ("ADR003", "GOV004"):
            assert subjects[0] in inventory.devices and ipaddress.ip_interface(subjects[1])
        elif code == "LIN002":
            assert set(subjects) <= {s.district for s in inventory.sites.values()}
        elif code == "ADR002":
            assert ipaddress.ip_address(subjects[0])
        else:  # INV001: a name no device has
            assert subjects[0] not in inventory.devices
