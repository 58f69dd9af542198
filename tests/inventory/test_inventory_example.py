"""The example inventory (used by docs/inventory.md) loads cleanly with the values it shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from inventory_helpers import line_of

from inventory import load_inventory
from inventory.model import Inventory, Source

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "inventory"


@pytest.fixture(scope="module")
def example() -> Inventory:
    return load_inventory(EXAMPLE)


def test_counts(example: Inventory) -> None:
    counts = {name: len(getattr(example, name)) for name in
              ("departments", "sites", "rooms", "networks", "devices", "circuits", "websites",
               "approvals", "waivers")}
    assert counts == {"departments": 7, "sites": 5, "rooms": 4, "networks": 6, "devices": 7,
                      "circuits": 4, "websites": 3, "approvals": 2, "waivers": 1}


def test_entities_keep_file_order_across_sorted_files(example: Inventory) -> None:
    # circuits.yaml < devices/civic-centre.yaml < devices/departments.yaml < ...
    assert list(example.devices) == ["qs-dc-core1", "qs-dc-core2", "qs-dc-wan1", "edu-core1",
                                     "health-core1", "donghu-core1", "donghu-school1-sw1"]


def test_circuit_costs_and_ends(example: Inventory) -> None:
    monthly = example.circuits["CT-QS-0001"]
    assert (monthly.carrier, monthly.cost_cny, monthly.billing) == ("China Telecom", 8500, "monthly")
    assert monthly.yearly_cost_cny == 102000
    yearly = example.circuits["CU-QS-7781"]
    assert yearly.yearly_cost_cny == 36000
    assert monthly.site_pair == yearly.site_pair == ("civic-centre", "donghu-gov")
    assert monthly.contract_end == dt.date(2026, 9, 30)
    assert example.circuits["CM-QS-3302"].notice_days == 90  # the default


def test_device_site_comes_from_its_room_or_its_own_site(example: Inventory) -> None:
    assert example.devices["edu-core1"].site is None
    assert example.device_site("edu-core1") == "edu-building"
    assert example.device_site("donghu-school1-sw1") == "donghu-school-1"


def test_merged_defaults_apply(example: Inventory) -> None:
    school = example.devices["donghu-school1-sw1"]
    assert (school.platform, school.credentials, school.department, school.port) == (
        "hp_comware", "donghu", "donghu-edu", 2222)
    assert example.devices["qs-dc-core1"].credentials == "egov-core"
    assert example.devices["edu-core1"].credentials == "default"


def test_sources_are_relative_to_the_inventory_dir(example: Inventory) -> None:
    def declared(file: str, needle: str) -> Source:
        return Source(file, line_of((EXAMPLE / file).read_text(encoding="utf-8"), needle))

    assert example.sources[("circuits", "CT-QS-0001")] == declared("circuits.yaml", "- id: CT-QS-0001")
    # An entry that starts with a merge key is located at its first line.
    assert example.sources[("devices", "donghu-core1")] == Source(
        "devices/departments.yaml", declared("devices/departments.yaml", "name: donghu-core1").line - 1)
    assert example.source("rooms", "dc-main") == str(declared("sites.yaml", "- id: dc-main"))
    assert example.sources[("policy", "policy")] == Source(
        "organisation.yaml", declared("organisation.yaml", "policy:").line)


def test_policy_and_chinese_names(example: Inventory) -> None:
    assert example.policy.backbone == "egov-extranet"
    assert example.policy.central_rooms == ("dc-main",)
    assert example.policy.address_plan["egov"] == ("198.51.100.0/26", "2001:db8:100::/48")
    assert example.departments["psb"].local_name == "青山市公安局"
    assert example.departments["donghu-edu"].parent == "donghu"
    assert example.networks["psb-net"].isolation == "physical"
    assert example.rooms["health-room"].power_kw == 9.5
    assert example.waivers["GOV003:qingshan-health.example"].expires == dt.date(2028, 12, 31)
