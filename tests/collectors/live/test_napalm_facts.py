"""napalm getter JSON -> DeviceFacts, and the offline collector reading napalm captures."""

from __future__ import annotations

import json
from pathlib import Path

from collectors.base import RawOutputs
from collectors.napalm_facts import GETTERS, facts_from_napalm, napalm_filename, output_key
from collectors.offline import OfflineCollector
from inventory.model import Device

GETTER_RESULTS = {
    "get_facts": {"hostname": "core1", "fqdn": "core1.city.gov.example", "vendor": "Cisco", "model": "C9300-48P",
                  "os_version": "17.3.4", "serial_number": "FOC1234X0AB", "uptime": 86400.0,
                  "interface_list": ["GigabitEthernet1/0/1", "Vlan10"]},
    "get_interfaces": {
        "GigabitEthernet1/0/1": {"is_up": True, "is_enabled": True, "description": "to acc1", "speed": 1000.0,
                                 "mtu": 1500, "mac_address": "00:11:22:33:44:55", "last_flapped": -1.0},
        "Vlan10": {"is_up": True, "is_enabled": True, "description": "mgmt", "speed": -1, "mtu": 1500,
                   "mac_address": "00:11:22:33:44:56", "last_flapped": -1.0},
    },
    "get_interfaces_ip": {"Vlan10": {"ipv4": {"10.20.0.1": {"prefix_length": 24}}}},
    "get_lldp_neighbors_detail": {"GigabitEthernet1/0/1": [{
        "parent_interface": "", "remote_port": "Gi0/1", "remote_port_description": "uplink",
        "remote_chassis_id": "aa:bb:cc:dd:ee:ff", "remote_system_name": "acc1.city.gov.example",
        "remote_system_description": "", "remote_system_capab": ["bridge"], "remote_system_enable_capab": ["bridge"],
    }]},
    "get_config": {"running": "hostname core1\nenable secret 5 <redacted>\n", "startup": "", "candidate": ""},
}


def _raw() -> RawOutputs:
    return RawOutputs("core1", "cisco_ios", {output_key(g): json.dumps(r) for g, r in GETTER_RESULTS.items()})


def test_getters_become_normalised_facts() -> None:
    facts = facts_from_napalm(_raw())
    assert facts.status == "ok"
    assert (facts.info.hostname, facts.info.serial, facts.info.model) == ("core1", "FOC1234X0AB", "C9300-48P")
    vlan = facts.interface("Vlan10")
    assert vlan is not None and vlan.addresses == ("10.20.0.1/24",) and vlan.speed_mbps is None
    gi = facts.interface("GigabitEthernet1/0/1")
    assert gi is not None and gi.speed_mbps == 1000.0 and gi.description == "to acc1"
    (neighbour,) = facts.neighbours
    assert (neighbour.local_port, neighbour.remote_name, neighbour.remote_port) == (
        "GigabitEthernet1/0/1", "acc1.city.gov.example", "GigabitEthernet0/1")
    assert facts.config is not None and "<redacted>" in facts.config


def test_bad_json_is_a_problem_naming_the_getter() -> None:
    raw = RawOutputs("core1", "cisco_ios", {output_key("get_facts"): "{oops"})
    facts = facts_from_napalm(raw)
    assert facts.status == "parse_failed"  # nothing readable at all
    assert any(p.command == "get_facts" and p.reason == "parse_error" for p in facts.problems)


def test_collector_failure_status_is_kept() -> None:
    raw = RawOutputs("core1", "cisco_ios", {}, status="auth_failed", error="authentication failed")
    assert facts_from_napalm(raw).status == "auth_failed"


def test_offline_collector_reads_napalm_folders(tmp_path: Path) -> None:
    folder = tmp_path / "core1"
    folder.mkdir()
    for getter in GETTERS[:-1]:  # get_config missing
        (folder / napalm_filename(getter)).write_text(json.dumps(GETTER_RESULTS[getter]))
    device = Device(name="core1", host="192.0.2.1", platform="cisco_ios", department="it", transport="napalm")
    raw = OfflineCollector(tmp_path).collect(device)
    assert raw.status == "partial"
    assert set(raw.outputs) == {output_key(g) for g in GETTERS[:-1]}
    assert [(p.command, p.reason) for p in raw.problems] == [("get_config", "missing")]
    assert facts_from_napalm(raw).info.hostname == "core1"
