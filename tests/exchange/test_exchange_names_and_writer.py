"""Platform name tables and the inventory YAML writer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.platforms import PLATFORMS
from exchange.platform_names import (
    _ALIASES,
    ansible_network_os,
    nornir_platform,
    our_platform,
)
from exchange.writer import inventory_sections, sections_yaml, write_yaml
from inventory.loader import load_inventory
from inventory.model import Circuit, CircuitEnd, Inventory


def test_every_alias_names_a_platform_and_every_platform_maps_to_itself() -> None:
    assert set(_ALIASES.values()) <= set(PLATFORMS)
    assert all(our_platform(name) == name for name in PLATFORMS)


@pytest.mark.parametrize(("name", "platform"), [
    # napalm drivers
    ("ios", "cisco_ios"), ("nxos_ssh", "cisco_nxos"), ("nxos", "cisco_nxos"), ("eos", "arista_eos"),
    ("junos", "juniper_junos"), ("huawei_vrp", "huawei"), ("ce", "huawei"),
    # netmiko device types
    ("cisco_xe", "cisco_ios"), ("cisco_ios_ssh", "cisco_ios"), ("huawei_vrpv8", "huawei"),
    ("hp_comware", "hp_comware"), ("juniper", "juniper_junos"), ("linux", "linux"),
    # NetBox platform slugs and names
    ("cisco-ios-xe", "cisco_ios"), ("Cisco NX-OS", "cisco_nxos"), ("h3c-comware", "hp_comware"),
])
def test_other_tools_platform_names_map_to_ours(name: str, platform: str) -> None:
    assert our_platform(name) == platform


@pytest.mark.parametrize("name", ["cisco_xr", "cisco_ios_telnet", "paloalto_panos", "", None])
def test_platforms_we_do_not_survey_map_to_none(name: str | None) -> None:
    assert our_platform(name) is None


def test_names_written_for_other_tools_read_back_as_the_same_platform() -> None:
    for platform in PLATFORMS:
        assert our_platform(nornir_platform(platform)) == platform
        network_os = ansible_network_os(platform)
        if network_os:
            assert our_platform(network_os) == platform


def test_written_inventory_loads_back_identically(example_inventory: Inventory, tmp_path: Path) -> None:
    write_yaml(tmp_path / "all.yaml", inventory_sections(example_inventory), policy=example_inventory.policy)
    back = load_inventory(tmp_path)
    for section in ("departments", "sites", "rooms", "networks", "devices", "circuits", "websites",
                    "approvals", "waivers"):
        assert getattr(back, section) == getattr(example_inventory, section)
    assert back.policy == example_inventory.policy


def test_written_entries_leave_defaults_out_and_keep_dates_and_ids_as_written(tmp_path: Path) -> None:
    line = Circuit(id="20231234", carrier="China Telecom", kind="mstp", department="edu",
                   a=CircuitEnd(site="a"), z=CircuitEnd(site="b"), bandwidth_mbps=100, cost_cny=3000,
                   contract_end=dt.date(2025, 12, 31))
    text = sections_yaml({"circuits": [line]})
    assert "id: '20231234'" in text  # quoted: YAML would read a number
    assert "contract_end: 2025-12-31" in text
    assert "billing" not in text and "notice_days" not in text  # defaults


def test_writing_unchanged_content_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "inv" / "x.yaml"
    assert write_yaml(path, {"departments": [{"id": "edu", "name": "Edu"}]}) is True
    stamp = path.stat().st_mtime_ns
    assert write_yaml(path, {"departments": [{"id": "edu", "name": "Edu"}]}) is False
    assert path.stat().st_mtime_ns == stamp
    assert [p.name for p in path.parent.iterdir()] == ["x.yaml"]  # no temporary file left behind
