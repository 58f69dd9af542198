"""The sample inventory: valid for the models and the loader, and shaped like the city it describes."""

from __future__ import annotations

import math
from collections import Counter

import yaml

from inventory.model import SECTIONS, Inventory, Policy
from netcensus.sample import SampleCity
from netcensus.sample.inventory_out import FILES
from netcensus.sample.names import CITY_CENTRE, PORTAL_DOMAIN
from netcensus.sample.tariff import monthly_fee


def test_one_file_per_section_each_a_mapping_of_that_section(city: SampleCity) -> None:
    assert sorted(p.name for p in city.inventory_dir.iterdir()) == sorted(FILES.values())
    for section, name in FILES.items():
        data = yaml.safe_load((city.inventory_dir / name).read_text(encoding="utf-8"))
        assert list(data) == [section]


def test_every_entry_validates_with_its_model(city: SampleCity) -> None:
    counts = {}
    for section, name in FILES.items():
        data = yaml.safe_load((city.inventory_dir / name).read_text(encoding="utf-8"))[section]
        if section == "policy":
            Policy.model_validate(data)
            continue
        model, _ = SECTIONS[section]
        counts[section] = len([model.model_validate(item) for item in data])
    assert counts["devices"] == 80


def test_the_loader_accepts_the_whole_inventory(inventory: Inventory) -> None:
    assert len(inventory.devices) == 80
    assert inventory.policy.backbone == "egov-extranet"


def test_city_proportions_at_the_default_size(inventory: Inventory) -> None:
    assert 20 <= len(inventory.sites) <= 30
    assert len(inventory.rooms) == 8
    assert len(inventory.departments) == 12
    assert 35 <= len(inventory.circuits) <= 50
    assert len({s.district for s in inventory.sites.values()}) == 6
    assert Counter(d.platform for d in inventory.devices.values()).keys() == {"cisco_ios", "huawei", "hp_comware"}
    assert {d.role for d in inventory.devices.values()} >= {"core", "distribution", "access", "wan", "firewall"}


def test_departments_are_municipal_and_ministry_led_with_chinese_names(inventory: Inventory) -> None:
    kinds = {d.id: d.kind for d in inventory.departments.values()}
    assert {k for k, v in kinds.items() if v == "vertical"} == {"psb", "tax", "hrss"}
    assert all(d.local_name and any("\u4e00" <= ch <= "\u9fff" for ch in d.local_name)
               for d in inventory.departments.values())


def test_lines_come_from_several_carriers_in_every_kind(inventory: Inventory) -> None:
    circuits = inventory.circuits.values()
    assert len({c.carrier for c in circuits}) >= 3
    assert {c.kind for c in circuits} == {"mstp", "sdh", "mpls_vpn", "dark_fibre", "internet"}
    for c in circuits:
        assert c.contract_start <= c.contract_end
        assert 0 < c.yearly_cost_cny < 1_000_000


def test_the_fee_grows_with_bandwidth_and_distance() -> None:
    for kind in ("mstp", "sdh", "mpls_vpn", "internet"):
        assert monthly_fee(kind, 20, 5) < monthly_fee(kind, 100, 5) < monthly_fee(kind, 1000, 5)
    for kind in ("mstp", "sdh", "dark_fibre"):
        assert monthly_fee(kind, 100, 2) < monthly_fee(kind, 100, 20)
    # sub-linear: ten 10 Mbit/s lines cost more than one 100 Mbit/s line
    assert 10 * monthly_fee("mstp", 10, 5) > monthly_fee("mstp", 100, 5)


def test_sites_lie_around_the_city_centre(inventory: Inventory) -> None:
    for site in inventory.sites.values():
        lat, lon = site.coordinates
        km = math.hypot((lat - CITY_CENTRE[0]) * 111.2, (lon - CITY_CENTRE[1]) * 111.2 * math.cos(math.radians(lat)))
        assert km < 40, site.id


def test_policy_names_the_backbone_central_rooms_portal_and_plan(inventory: Inventory) -> None:
    policy = inventory.policy
    assert inventory.networks[policy.backbone].kind == "egov_extranet"
    assert [inventory.rooms[r].role for r in policy.central_rooms] == ["central", "central"]
    assert {inventory.rooms[r].department for r in policy.central_rooms} == {"bdb"}
    assert policy.portal_domain == PORTAL_DOMAIN
    assert set(policy.address_plan) == set(inventory.departments)
    assert policy.approval_required_from.isoformat() == "2022-07-01"


def test_networks_include_a_classified_and_a_mandated_one(inventory: Inventory) -> None:
    networks = inventory.networks.values()
    classified = [n for n in networks if n.kind == "classified"]
    assert len(classified) == 1 and classified[0].isolation == "physical"
    mandated = [n for n in networks if n.mandated_by]
    assert len(mandated) == 1 and mandated[0].department == "psb" and mandated[0].vrf


def test_rooms_are_central_or_departmental_and_never_overfull(inventory: Inventory) -> None:
    for room in inventory.rooms.values():
        assert room.racks_used <= room.racks_total
        assert room.power_kw <= room.power_capacity_kw
    assert Counter(r.role for r in inventory.rooms.values()) == {"central": 2, "departmental": 6}


def test_every_device_is_captured_with_each_command_of_its_platform_except_one(city: SampleCity,
                                                                                  inventory: Inventory) -> None:
    from core.platforms import PLATFORMS, command_filename

    folders = {p.name for p in city.captures_dir.iterdir()}
    missing = set(inventory.devices) - folders
    assert len(missing) == 1  # the planted INV002
    assert folders <= set(inventory.devices)  # nothing for undeclared devices
    for name in folders:
        platform = PLATFORMS[inventory.devices[name].platform]
        files = {p.name for p in (city.captures_dir / name).iterdir()}
        # Every preferred command; of the forms standing in for one, those the city renders.
        preferred = {command_filename(c.command) for c in platform.commands if c.fallback_for is None}
        assert preferred <= files <= {command_filename(c.command) for c in platform.commands}


def test_the_yaml_files_hold_exactly_the_validated_entities(city: SampleCity, plan) -> None:
    from netcensus.sample.inventory_out import entities

    for section, items in entities(plan).items():
        want = items.model_dump(mode="json", exclude_none=True) if section == "policy" else \
            [item.model_dump(mode="json", exclude_none=True) for item in items]
        got = yaml.safe_load((city.inventory_dir / FILES[section]).read_text(encoding="utf-8"))[section]
        assert _as_json(got) == want, section


def _as_json(value: object) -> object:
    """YAML dates come back as dates; the JSON dump has them as ISO text."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


TRICKY = ["yes", "No", "null", "on", "y", "10.0.0.0/8", "2024-02-30x", "a: b", "x, y", "#x", "a #b", "[x]",
          "{x}", "*x", "&x", "!x", "|x", ">x", "'x'", '"x"', "%x", "@x", "`x", "x ", " x", "1.5", "0x1F", "",
          "汐月市: 大数据局", "教育局", "GigabitEthernet0/0/1", "Ten-GigabitEthernet1/0/25", "multi\nline", "tab\tx",
          "ends:", "100%", "~", "-x", "- x", "?x", "x?"]


def test_the_yaml_writer_round_trips_awkward_values() -> None:
    import datetime as dt

    from netcensus.sample.yaml_out import dump_section

    entries = [{"text": t, "items": [t, t], "end": {"site": t}} for t in TRICKY]
    entries.append({"day": "2024-03-18", "flag": True, "off": False, "n": 3, "x": 2.5, "none": [],
                    "long": list(TRICKY)})
    loaded = yaml.safe_load(dump_section("things", entries))["things"]
    assert loaded[:-1] == [{"text": t, "items": [t, t], "end": {"site": t}} for t in TRICKY]
    assert loaded[-1] == {"day": dt.date(2024, 3, 18), "flag": True, "off": False, "n": 3, "x": 2.5, "none": [],
                          "long": TRICKY}
    assert yaml.safe_load(dump_section("policy", {"plan": {"a": ["10.0.0.0/8"]}, "empty": {}})) == \
        {"policy": {"plan": {"a": ["10.0.0.0/8"]}, "empty": {}}}
