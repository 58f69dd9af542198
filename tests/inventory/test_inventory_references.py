"""Ids and cross references between entities, prefixes, hosts and sanity rules."""

from __future__ import annotations

import pytest
from inventory_helpers import InventoryDir, line_of

from core.platforms import PLATFORMS

KNOWN_PLATFORMS = ", ".join(sorted(PLATFORMS))


def test_duplicate_id_within_one_file_names_both_places(inv: InventoryDir) -> None:
    text = "sites:\n  - {id: s2, name: A, district: D}\n  - {id: s2, name: B, district: D}\n"
    inv.write("sites.yaml", text)
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("sites.yaml", 3, "sites[1].id")
    assert problem.message == "duplicate site 's2': first declared at sites.yaml:2"


def test_duplicate_id_across_files_names_both_files(inv: InventoryDir) -> None:
    inv.write("more/devices.yaml", "devices:\n  - name: hq-sw1\n    host: 192.0.2.99\n"
                                   "    platform: huawei\n    department: city\n    site: hq\n")
    problem = inv.only_problem()
    base_line = line_of((inv.root / "base.yaml").read_text(), "name: hq-sw1")
    assert (problem.file, problem.line, problem.field) == ("more/devices.yaml", 2, "devices[0].name")
    assert problem.message == f"duplicate device 'hq-sw1': first declared at base.yaml:{base_line}"


def test_unknown_department_parent_with_suggestion(inv: InventoryDir) -> None:
    inv.write("d.yaml", "departments:\n  - id: donghu-edu\n    name: x\n    parent: edu2\n")
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (4, "departments[0].parent")
    assert problem.message == "unknown department 'edu2' (did you mean 'edu'?)"


def test_department_parent_loop(inv: InventoryDir) -> None:
    inv.write("d.yaml", "departments:\n  - {id: a, name: A, parent: b}\n  - {id: b, name: B, parent: a}\n"
                        "  - {id: c, name: C, parent: c}\n")
    problems = inv.problems()
    assert [(p.line, p.field) for p in problems] == [
        (2, "departments[0].parent"), (3, "departments[1].parent"), (4, "departments[2].parent")]
    assert problems[0].message == "parent chain loops: a -> b -> a"
    assert problems[2].message == "a department cannot be its own parent"


def test_room_references_and_rack_counts(inv: InventoryDir) -> None:
    text = """\
    rooms:
      - id: r2
        site: hq2
        department: health
        approval: QXB-2099
        racks_total: 2
        racks_used: 5
        power_kw: 1
        yearly_cost_cny: 1
    """
    inv.write("rooms.yaml", text)
    problems = inv.problems()
    assert [(p.line, p.field, p.message) for p in problems] == [
        (3, "rooms[0].site", "unknown site 'hq2' (did you mean 'hq'?)"),
        (4, "rooms[0].department", "unknown department 'health'"),
        (5, "rooms[0].approval", "unknown approval 'QXB-2099' (did you mean 'QXB-2022-01'?)"),
        (7, "rooms[0].racks_used", "racks_used (5) exceeds racks_total (2)"),
    ]


def test_network_references_and_prefixes(inv: InventoryDir) -> None:
    text = """\
    networks:
      - id: n2
        name: x
        department: police
        kind: private
        approval: nope
        prefixes: [198.51.100.0/24, 198.51.100.7/24, "2001:db8::1/64", 10.0.0.0/33, "2001:db8:1::/48"]
    """
    inv.write("networks.yaml", text)
    problems = inv.problems()
    assert [(p.line, p.field) for p in problems] == [
        (4, "networks[0].department"), (6, "networks[0].approval"),
        (7, "networks[0].prefixes[1]"), (7, "networks[0].prefixes[2]"), (7, "networks[0].prefixes[3]")]
    assert problems[2].message == "'198.51.100.7/24' has host bits set: did you mean 198.51.100.0/24?"
    assert problems[3].message == "'2001:db8::1/64' has host bits set: did you mean 2001:db8::/64?"
    assert problems[4].message.startswith("not an IPv4 or IPv6 network") and "'10.0.0.0/33'" in problems[4].message


def test_device_platform_lists_the_known_platforms(inv: InventoryDir) -> None:
    inv.write("d.yaml", "devices:\n  - {name: d2, host: 192.0.2.9, platform: huawei_vrp, "
                        "department: city, site: hq}\n")
    problem = inv.only_problem()
    assert problem.field == "devices[0].platform"
    assert problem.message == ("unknown platform 'huawei_vrp' (did you mean 'huawei'?); "
                               f"known platforms: {KNOWN_PLATFORMS}")
    assert "cisco_ios, " in KNOWN_PLATFORMS


def test_device_needs_a_room_or_a_site(inv: InventoryDir) -> None:
    inv.write("d.yaml", "devices:\n  - name: d2\n    host: 192.0.2.9\n    platform: huawei\n"
                        "    department: city\n")
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (2, "devices[0]")
    assert "a device needs a room" in problem.message


def test_device_site_must_agree_with_its_room(inv: InventoryDir) -> None:
    inv.write("d.yaml", "devices:\n  - {name: d2, host: 192.0.2.9, platform: huawei, department: city, "
                        "room: hq-room, site: branch}\n")
    problem = inv.only_problem()
    assert problem.field == "devices[0].site"
    assert problem.message == "site 'branch' disagrees with room 'hq-room', which is at site 'hq'"


def test_device_references(inv: InventoryDir) -> None:
    text = """\
    devices:
      - name: d2
        host: 192.0.2.9
        platform: huawei
        department: cty
        room: hq-rom
        networks: [lan, wan]
    """
    inv.write("d.yaml", text)
    assert [(p.line, p.field, p.message) for p in inv.problems()] == [
        (5, "devices[0].department", "unknown department 'cty' (did you mean 'city'?)"),
        (6, "devices[0].room", "unknown room 'hq-rom' (did you mean 'hq-room'?)"),
        (7, "devices[0].networks[1]", "unknown network 'wan' (did you mean 'lan'?)"),
    ]


@pytest.mark.parametrize("host", ["192.0.2.300", "bad_host.example", "-lead.example", "a" * 64 + ".example",
                                  "10.0.0.1/24"])
def test_bad_hosts(inv: InventoryDir, host: str) -> None:
    inv.write("d.yaml", f"devices:\n  - {{name: d2, host: '{host}', platform: huawei, "
                        "department: city, site: hq}\n")
    problem = inv.only_problem()
    assert problem.field == "devices[0].host"
    assert problem.message.startswith("must be a hostname or an IP address")


@pytest.mark.parametrize("host", ["192.0.2.9", "2001:db8::9", "core-1.city.example", "core1", "sw.example."])
def test_good_hosts(inv: InventoryDir, host: str) -> None:
    inv.write("d.yaml", f"devices:\n  - {{name: d2, host: '{host}', platform: huawei, "
                        "department: city, site: hq}\n")
    assert inv.load().devices["d2"].host == host


CIRCUIT = """\
circuits:
  - id: CU-1
    carrier: China Unicom
    kind: sdh
    department: city
    network: lan
    approval: QXB-2022-01
    a: {site: hq, device: hq-sw1}
    z: {site: branch, device: branch-sw1}
    bandwidth_mbps: 100
    cost_cny: 3000
    contract_start: 2022-01-01
    contract_end: 2024-12-31
"""


def test_valid_circuit_loads(inv: InventoryDir) -> None:
    inv.write("c.yaml", CIRCUIT)
    circuit = inv.load().circuits["CU-1"]
    assert circuit.site_pair == ("branch", "hq") and circuit.yearly_cost_cny == 36000


def test_circuit_references(inv: InventoryDir) -> None:
    text = (CIRCUIT.replace("department: city", "department: edu2").replace("network: lan", "network: wan")
            .replace("approval: QXB-2022-01", "approval: QXB-2022-99")
            .replace("a: {site: hq, device: hq-sw1}", "a: {site: hq, device: branch-sw1}")
            .replace("z: {site: branch, device: branch-sw1}", "z: {site: nowhere, device: ghost}"))
    inv.write("c.yaml", text)
    assert [(p.line, p.field, p.message) for p in inv.problems()] == [
        (5, "circuits[0].department", "unknown department 'edu2' (did you mean 'edu'?)"),
        (6, "circuits[0].network", "unknown network 'wan' (did you mean 'lan'?)"),
        (7, "circuits[0].approval", "unknown approval 'QXB-2022-99' (did you mean 'QXB-2022-01'?)"),
        (8, "circuits[0].a.device", "device 'branch-sw1' is at site 'branch', not at this end's site 'hq'"),
        (9, "circuits[0].z.device", "unknown device 'ghost'"),
        (9, "circuits[0].z.site", "unknown site 'nowhere'"),
    ]


def test_circuit_end_device_site_comes_from_its_room(inv: InventoryDir) -> None:
    inv.write("c.yaml", CIRCUIT.replace("a: {site: hq, device: hq-sw1}", "a: {site: branch, device: hq-sw1}")
              .replace("z: {site: branch, device: branch-sw1}", "z: {site: hq}"))
    problem = inv.only_problem()
    assert problem.field == "circuits[0].a.device"
    assert problem.message == "device 'hq-sw1' is at site 'hq', not at this end's site 'branch'"


def test_contract_end_before_start(inv: InventoryDir) -> None:
    inv.write("c.yaml", CIRCUIT.replace("contract_end: 2024-12-31", "contract_end: 2021-12-31"))
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (13, "circuits[0].contract_end")
    assert problem.message == "contract_end 2021-12-31 is before contract_start 2022-01-01"


def test_website_references(inv: InventoryDir) -> None:
    inv.write("w.yaml", """\
    websites:
      - {domain: edu.city.example, department: edu, hosted_in: hq-room}
      - {domain: sw.city.example, department: edu, hosted_in: branch-sw1}
      - {domain: x.city.example, department: police, hosted_in: hq-rom, approval: A-9}
    """)
    assert [(p.line, p.field, p.message) for p in inv.problems()] == [
        (4, "websites[2].approval", "unknown approval 'A-9'"),
        (4, "websites[2].department", "unknown department 'police'"),
        (4, "websites[2].hosted_in",
         "'hq-rom' is neither a room id, a device name nor an IPv4 address (did you mean 'hq-room'?)"),
    ]


def test_website_hosted_at_an_address(inv: InventoryDir) -> None:
    # docs/checks.md (GOV004): hosted_in may be the host's address, e.g. behind a port forward.
    inv.write("w.yaml", """\
    websites:
      - {domain: edu.city.example, department: edu, hosted_in: 10.1.1.10}
      - {domain: sw.city.example, department: edu, hosted_in: 10.1.1.300}
    """)
    assert [(p.line, p.field) for p in inv.problems()] == [(3, "websites[1].hosted_in")]
    assert "looks like an IPv4 address" in inv.problems()[0].message


def test_approval_covers_must_name_existing_entities(inv: InventoryDir) -> None:
    inv.write("a.yaml", "approvals:\n  - id: A-2\n    title: t\n    date: 2023-01-01\n"
                        "    covers: [lan, hq-room, hq-sw1, ghost-line]\n")
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (5, "approvals[0].covers[3]")
    assert problem.message.startswith("'ghost-line' is not the id of any")


def test_policy_references(inv: InventoryDir) -> None:
    text = """\
    policy:
      backbone: egov
      central_rooms: [hq-room, dc]
      address_plan:
        city: [198.51.100.0/25]
        edu: [198.51.100.129/25]
        police: [203.0.113.0/24]
    """
    inv.write("policy.yaml", text)
    assert [(p.line, p.field, p.message) for p in inv.problems()] == [
        (2, "policy.backbone", "unknown network 'egov'"),
        (3, "policy.central_rooms[1]", "unknown room 'dc'"),
        (6, "policy.address_plan.edu[0]", "'198.51.100.129/25' has host bits set: did you mean 198.51.100.128/25?"),
        (7, "policy.address_plan.police", "unknown department 'police'"),
    ]


@pytest.mark.parametrize("key", ["LIN001", "lin001:CT-1", "CT-1", "GOV003: x"])
def test_waiver_key_must_look_like_a_finding_key(inv: InventoryDir, key: str) -> None:
    inv.write("w.yaml", f"waivers:\n  - key: '{key}'\n    reason: r\n    approved_by: office\n")
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (2, "waivers[0].key")
    assert problem.message.startswith("a waiver key looks like CODE:subjects")


def test_references_to_an_invalid_entity_do_not_add_noise(inv: InventoryDir) -> None:
    inv.write("s.yaml", "sites:\n  - {id: s2, name: x, district: D, critical: maybe}\n"
                        "devices:\n  - {name: d2, host: 192.0.2.9, platform: huawei, department: city, site: s2}\n")
    problem = inv.only_problem()
    assert problem.field == "sites[0].critical"
    assert problem.message == "must be true or false (got 'maybe')"


def test_an_invalid_entity_still_gets_its_reference_problems(inv: InventoryDir) -> None:
    inv.write("d.yaml", "devices:\n  - {name: d2, host: 192.0.2.9, platform: ios, department: city, "
                        "site: hq, port: 0}\n")
    assert [(p.field, p.message) for p in inv.problems()] == [
        ("devices[0].platform",
         f"unknown platform 'ios'; known platforms: {KNOWN_PLATFORMS}"),
        ("devices[0].port", "must be >= 1 (got 0)"),
    ]


def test_nested_policy_settings_are_checked(inv: InventoryDir) -> None:
    inv.write("policy.yaml", "policy:\n  room_plan:\n    close: [hq-room, old-room]\n"
                             "  lines:\n    min_departments: 1\n    underuse_percentil: 90\n")
    assert [(p.line, p.field, p.message) for p in inv.problems()] == [
        (3, "policy.room_plan.close[1]", "unknown room 'old-room' (did you mean 'hq-room'?)"),
        (5, "policy.lines.min_departments", "must be >= 2 (got 1)"),
        (6, "policy.lines.underuse_percentil",
         "unknown key 'underuse_percentil' (did you mean 'underuse_percentile'?)"),
    ]
