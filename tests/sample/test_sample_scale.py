"""Bigger cities: the same plants, proportional growth; 10,000 devices in well under a minute."""

from __future__ import annotations

import ipaddress
import json
import time
from collections import Counter
from pathlib import Path

import pytest
from ntc_templates.parse import parse_output
from sample_city_helpers import NTC_COMMANDS

from core.platforms import PLATFORMS
from netcensus.sample import MIN_DEVICES, generate
from netcensus.sample.build import build_city, layout
from netcensus.sample.city import City
from netcensus.sample.generate import planted_record
from netcensus.sample.inventory_out import entities
from netcensus.sample.render import render_device
from netcensus.sample.render_common import views


@pytest.fixture(scope="module")
def big() -> City:
    return build_city(1000, 1)


@pytest.mark.parametrize("devices", [MIN_DEVICES, 80, 137, 1000, 4321, 10000, 25000])
def test_layout_accounts_for_every_device(devices: int) -> None:
    plan = layout(devices)
    assert plan.fixed_devices + 3 * plan.department_sites + plan.extra_switches == devices
    assert plan.extra_switches >= 0 and plan.department_sites >= 17
    sites = plan.department_sites + plan.districts + 2
    assert devices / 4 <= sites <= devices / 2.5


def test_min_devices_is_the_smallest_city(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=f"at least {MIN_DEVICES} devices"):
        layout(MIN_DEVICES - 1)
    city = build_city(MIN_DEVICES, 1)
    assert len(city.devices) == MIN_DEVICES
    assert {p.code for p in city.planted} == {p.code for p in build_city(80, 1).planted}


def test_a_thousand_device_city_grows_in_proportion(big: City) -> None:
    assert len(big.devices) == 1000
    assert 1000 / 4 <= len(big.sites) <= 1000 / 2.5
    assert 0.8 * 500 <= len(big.circuits) <= 1.2 * 500
    assert len(big.rooms) == 100
    branches = [d for d in big.departments.values() if d.kind == "district"]
    assert len(branches) >= 100 and all(d.parent in big.departments and d.district for d in branches)
    assert len(big.districts) > 6


def test_a_thousand_device_city_keeps_every_planted_case(big: City) -> None:
    small = {p.code for p in build_city(80, 1).planted}
    record = planted_record(big)
    assert {f["code"] for f in record["findings"]} == small
    once = Counter(f["code"] for f in record["findings"])
    for code in ("INV001", "INV002", "INV003", "LIN001", "ROM001", "CON001", "CON002", "GOV001", "GOV002",
                 "GOV003", "GOV004", "ADR001", "ADR002", "LIN005"):
        assert once[code] == 1, code


def test_a_thousand_device_city_validates_and_has_no_stray_parallel_or_duplicate(big: City) -> None:
    inventory = entities(big)  # every entity through its pydantic model
    assert len(inventory["devices"]) == 1000
    lin001 = {tuple(sorted((big.circuits[c].a.site, big.circuits[c].z.site)))
              for p in big.planted if p.code == "LIN001" for c in p.subjects}
    classified = {tuple(p) for p in big.clean["classified_site_pairs"]}
    pairs = Counter(c.site_pair for c in inventory["circuits"] if c.a.site != c.z.site)
    assert {pair for pair, n in pairs.items() if n > 1} == lin001 | classified
    holders: dict[str, set[str]] = {}
    for dev in big.devices.values():
        for port in dev.ports.values():
            if port.address:
                holders.setdefault(str(ipaddress.IPv4Interface(port.address).ip), set()).add(dev.name)
    duplicated = {ip for ip, devices in holders.items() if len(devices) > 1}
    assert duplicated == {p.subjects[0] for p in big.planted if p.code == "ADR002"}


def test_a_thousand_device_city_renders_every_device_and_parses(big: City) -> None:
    rendered = {name: render_device(view) for name, view in views(big).items()}
    assert len(rendered) == 999  # all but the device planted without capture
    for name, outputs in rendered.items():
        commands = PLATFORMS[big.devices[name].platform].commands  # preferred ones all, fallbacks rendered
        assert list(outputs) == [c.command for c in commands if c.fallback_for is None or c.command in outputs]
        assert all(outputs.values()), name
    one_of_each = {}
    for name in rendered:
        dev = big.devices[name]
        one_of_each.setdefault((dev.platform, dev.model.name, dev.role), name)
    for (platform, _, _), name in sorted(one_of_each.items()):
        ntc_platform, commands = NTC_COMMANDS[platform]
        for command in commands:
            rows = parse_output(platform=ntc_platform, command=command, data=rendered[name][command])
            assert rows or command == "show cdp neighbors detail", (name, command)


@pytest.mark.slow
def test_ten_thousand_devices_in_well_under_a_minute(tmp_path: Path) -> None:
    start = time.perf_counter()
    city = generate(tmp_path / "city", devices=10000, seed=1)
    elapsed = time.perf_counter() - start
    assert elapsed < 60
    planted = json.loads(city.planted_path.read_text(encoding="utf-8"))
    assert planted["devices"] == 10000
    assert {f["code"] for f in planted["findings"]} == {p.code for p in build_city(80, 1).planted}
    assert sum(1 for _ in city.captures_dir.iterdir()) == 9999
