"""The small hand-built city of the report tests (fixtures in ``conftest.py``).

Three sites, two departments, two rooms, three leased lines, four devices; device text
that tries every trick a report must survive (pipes, newlines, markup, spreadsheet
formulas, Chinese). Built from the real models and :func:`analysis.graph.build_graph`,
so renderers see exactly what a pipeline run gives them.
"""

from __future__ import annotations

import datetime as dt

from analysis.context import AuditResult
from analysis.findings import Evidence, Finding, Severity
from analysis.graph import build_graph, site_graph
from collectors.facts import CommandProblem, DeviceFacts, DeviceInfo, Interface, Neighbour
from collectors.normalise import device_name
from inventory.model import (
    Circuit,
    CircuitEnd,
    Department,
    Device,
    Inventory,
    Policy,
    Room,
    Site,
    Source,
)

#: Text a hostile or careless device could advertise.
HOSTILE_NAME = "=HYPERLINK(\"http://x\")|evil\nsw <b>"
#: ... and the node id / finding subject it becomes.
HOSTILE_KEY = device_name(HOSTILE_NAME)


def small_inventory() -> Inventory:
    """The declared side of the small city."""
    departments = {
        "it": Department(id="it", name="Informatization Office", local_name="市信息办"),
        "police": Department(id="police", name="Public Security Bureau", local_name="市公安局", kind="vertical"),
    }
    sites = {
        "hq": Site(id="hq", name="City Hall", local_name="市政府大楼", district="Central", critical=True),
        "east": Site(id="east", name="East Station", local_name="东区分局", district="East"),
        "west": Site(id="west", name="West Depot", district="West"),
    }
    rooms = {
        "dc1": Room(id="dc1", site="hq", department="it", racks_total=40, racks_used=10, power_kw=60,
                    yearly_cost_cny=800_000, role="central"),
        "pol-room": Room(id="pol-room", site="east", department="police", racks_total=6, racks_used=2,
                         power_kw=8, yearly_cost_cny=150_000, built=dt.date(2023, 5, 1)),
    }
    devices = {
        "core1": Device(name="core1", host="10.0.0.1", platform="cisco_ios", department="it", room="dc1",
                        role="core"),
        "east1": Device(name="east1", host="10.0.1.1", platform="huawei", department="police",
                        room="pol-room", role="router"),
        "west1": Device(name="west1", host="10.0.2.1", platform="hp_comware", department="it", site="west"),
        "west2": Device(name="west2", host="10.0.2.2", platform="cisco_ios", department="it", site="west"),
    }
    circuits = {
        "CT-001": Circuit(id="CT-001", carrier="China Telecom", kind="mstp", department="police",
                          a=CircuitEnd(site="hq", device="core1", interface="Gi0/1"),
                          z=CircuitEnd(site="east", device="east1", interface="GigabitEthernet0/0/1"),
                          bandwidth_mbps=100, cost_cny=10_000),
        "CU-002": Circuit(id="CU-002", carrier="China Unicom", kind="sdh", department="police",
                          a=CircuitEnd(site="east", device="east1", interface="GigabitEthernet0/0/2"),
                          z=CircuitEnd(site="hq", device="core1", interface="Gi0/2"),
                          bandwidth_mbps=10, cost_cny=8_000),
        "CM-003": Circuit(id="CM-003", carrier="China Mobile", kind="mpls_vpn", department="it",
                          a=CircuitEnd(site="hq"), z=CircuitEnd(site="west"),
                          bandwidth_mbps=50, cost_cny=60_000, billing="yearly",
                          contract_end=dt.date(2024, 3, 1)),
    }
    sources = {("circuits", "CU-002"): Source("inv/circuits.yaml", 14),
               ("rooms", "pol-room"): Source("inv/rooms.yaml", 9)}
    return Inventory(departments=departments, sites=sites, rooms=rooms, devices=devices,
                     circuits=circuits, policy=Policy(backbone=None), sources=sources)


def small_facts() -> dict[str, DeviceFacts]:
    """What the survey observed: one good device, one partial, one timeout; west2 missing."""
    return {
        "core1": DeviceFacts(
            device="core1", platform="cisco_ios",
            info=DeviceInfo(hostname="core1", vendor="Cisco", model="C9300", serial="FOC123"),
            interfaces=(
                Interface("GigabitEthernet0/1", description="to east | CT-001", admin_up=True, oper_up=True),
                Interface("GigabitEthernet0/2", description="备用线路\nCU-002", admin_up=True, oper_up=False),
            ),
            neighbours=(Neighbour("GigabitEthernet0/1", "east1", "GigabitEthernet0/0/1"),
                        Neighbour("GigabitEthernet0/3", HOSTILE_NAME, "Ethernet1")),
        ),
        "east1": DeviceFacts(
            device="east1", platform="huawei", status="partial",
            interfaces=(Interface("GigabitEthernet0/0/1", oper_up=True),
                        Interface("GigabitEthernet0/0/2", oper_up=False)),
            problems=(CommandProblem("display lldp neighbor", "parse_error", "no template matched"),),
        ),
        "west1": DeviceFacts(device="west1", platform="hp_comware", status="timeout",
                             error="timed out after 30 s"),
    }


def small_findings() -> list[Finding]:
    """Findings as the checks would make them, in their sort order."""
    findings = [
        Finding("INV003", "inventory", Severity.HIGH, ("CU-002",),
                "Zombie line CU-002: billed CNY 96,000 a year, never seen up at either end",
                "Cancel CU-002.", (Evidence("inv/circuits.yaml:14", "billed monthly CNY 8,000"),
                                    Evidence("captures/east1/display_interface.txt",
                                             "GigabitEthernet0/0/2 down")),
                saving_cny_per_year=96_000,
                args={"circuit": "CU-002", "sites": ["east", "hq"], "yearly_cost_cny": 96_000.0,
                      "bandwidth_mbps": 10.0, "department": "police"}),
        Finding("LIN001", "lines", Severity.MEDIUM, ("CT-001", "CU-002"),
                "Parallel leased lines between hq and east: CT-001, CU-002",
                "Merge them.", (Evidence("inv/circuits.yaml:3", "CT-001 hq-east"),),
                saving_cny_per_year=50_000,
                args={"circuits": ["CT-001", "CU-002"], "site_a": "east", "site_b": "hq"}),
        Finding("ROM001", "rooms", Severity.MEDIUM, ("pol-room",),
                "Close machine room pol-room: move its equipment to dc1",
                "Move it.", (Evidence("inv/rooms.yaml:9", "2 of 6 racks used"),),
                saving_cny_per_year=150_000,
                args={"room": "pol-room", "into": "dc1", "racks_moved": 2, "hops": 1,
                      "migration_cost_cny": 20_000.0, "payback_years": 0.13}),
        Finding("INV001", "inventory", Severity.MEDIUM, (HOSTILE_KEY,),
                f"Undeclared device {HOSTILE_NAME} seen as a neighbour of core1:GigabitEthernet0/3",
                "Declare it.", (Evidence("captures/core1/show_lldp_neighbors_detail.txt",
                                         f"{HOSTILE_NAME} on GigabitEthernet0/3"),),
                args={"device": HOSTILE_KEY, "advertised_name": HOSTILE_NAME, "address": None,
                      "seen_by": ["core1:GigabitEthernet0/3"], "site": "hq"}),
        Finding("LIN005", "lines", Severity.MEDIUM, ("CM-003",),
                "Contract of line CM-003 ends on 2024-03-01", "Decide before 2023-12-02.",
                args={"circuit": "CM-003"}),  # no contract_end/notice_by: catalogue falls back
        Finding("GOV003", "governance", Severity.MEDIUM, ("police.example.cn",),
                "Independent-domain website police.example.cn", "Move it to the portal.",
                args={"domain": "police.example.cn", "department": "police", "portal": None},
                status="waived"),
    ]
    return sorted(findings, key=Finding.sort_key)


def build_small_result() -> AuditResult:
    """The whole small audit as the pipeline would return it."""
    inventory, facts = small_inventory(), small_facts()
    graph = build_graph(inventory, facts)
    return AuditResult(
        inventory=inventory, facts=facts, findings=small_findings(), graph=graph,
        site_graph=site_graph(graph), started=dt.datetime(2024, 1, 15, 8, 30, tzinfo=dt.UTC),
        inventory_path="inv", captures_path="captures", timings={"checks": 0.01},
        room_plan={"moves": [{"room": "pol-room", "target": "dc1"}], "feasible": True},
        today=dt.date(2024, 1, 10),  # the date the checks judged on, not the day it ran
    )
