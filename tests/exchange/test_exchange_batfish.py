"""Batfish snapshot export: redacted configurations and layer1_topology.json from the graph's links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.graph import build_graph
from collectors.facts import DeviceFacts, DeviceInfo, Interface, Neighbour
from exchange import export_batfish
from inventory.model import Department, Device, Inventory, Site
from netcensus.pipeline import prepare
from netcensus.sample import SampleCity

CONFIG = "hostname {name}\nenable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0\nsnmp-server community s3cret RO\n"


def _device(name: str) -> Device:
    return Device(name=name, host=f"{name}.city.example", platform="cisco_ios", department="city", site="hq")


def _facts(name: str, *neighbours: Neighbour, config: bool = True) -> DeviceFacts:
    ports = {n.local_port for n in neighbours}
    return DeviceFacts(device=name, platform="cisco_ios", info=DeviceInfo(hostname=name.upper()),
                       interfaces=tuple(Interface(p, oper_up=True) for p in sorted(ports)),
                       neighbours=neighbours, config=CONFIG.format(name=name.upper()) if config else None)


@pytest.fixture
def small() -> tuple[Inventory, dict[str, DeviceFacts]]:
    """Three switches: r1-r2 seen from both ends, r2-r3 with a MAC port id, r1 to an undeclared box, r4 dark."""
    inventory = Inventory(departments={"city": Department(id="city", name="City")},
                          sites={"hq": Site(id="hq", name="HQ", district="Xiling")},
                          devices={n: _device(n) for n in ("r1", "r2", "r3", "r4")})
    facts = {
        "r1": _facts("r1", Neighbour("GigabitEthernet0/1", "r2.city.example", "GigabitEthernet0/2"),
                     Neighbour("GigabitEthernet0/9", "printer", "eth0")),
        "r2": _facts("r2", Neighbour("GigabitEthernet0/2", "r1", "GigabitEthernet0/1", protocol="cdp"),
                     Neighbour("GigabitEthernet0/3", "r3", "0050.5683.1234")),
        "r3": _facts("r3"),
        "r4": _facts("r4", config=False),
    }
    return inventory, facts


def test_layer1_topology_has_batfish_shape_and_each_link_once(small, tmp_path: Path) -> None:
    inventory, facts = small
    result = export_batfish(inventory, facts, build_graph(inventory, facts), tmp_path)

    data = json.loads((tmp_path / "batfish" / "layer1_topology.json").read_text(encoding="utf-8"))
    assert data == {"edges": [{"node1": {"hostname": "R1", "interfaceName": "GigabitEthernet0/1"},
                               "node2": {"hostname": "R2", "interfaceName": "GigabitEthernet0/2"}}]}
    assert result.links == 1
    left_out = "\n".join(result.left_out)
    assert "r4: no collected configuration" in left_out
    assert "not an interface name" in left_out  # r2-r3 named by a MAC address
    assert "no configuration exported for printer" in left_out


def test_configs_are_written_per_device_and_redacted(small, tmp_path: Path) -> None:
    inventory, facts = small
    result = export_batfish(inventory, facts, build_graph(inventory, facts), tmp_path)

    assert sorted(p.name for p in result.configs) == ["r1.cfg", "r2.cfg", "r3.cfg"]
    text = (tmp_path / "configs" / "r1.cfg").read_text(encoding="utf-8")
    assert text.startswith("hostname R1\n")
    assert "s3cret" not in text and "$1$mERr" not in text and "<redacted>" in text


def test_a_device_no_longer_surveyed_leaves_no_stale_config(small, tmp_path: Path) -> None:
    inventory, facts = small
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "old-router.cfg").write_text("hostname OLD\n", encoding="utf-8")
    export_batfish(inventory, facts, build_graph(inventory, facts), tmp_path)
    assert not (tmp_path / "configs" / "old-router.cfg").exists()


def test_sample_city_snapshot_lists_every_link_between_exported_devices_once(
        sample_city: SampleCity, tmp_path: Path) -> None:
    ctx = prepare(sample_city.inventory_dir, sample_city.captures_dir, workers=1)
    result = export_batfish(ctx.inventory, ctx.facts, ctx.graph, tmp_path)

    edges = json.loads(result.topology.read_text(encoding="utf-8"))["edges"]
    assert all(set(e) == {"node1", "node2"} and set(e["node1"]) == set(e["node2"]) == {"hostname", "interfaceName"}
               for e in edges)
    ends = [frozenset({(e["node1"]["hostname"].lower(), e["node1"]["interfaceName"]),
                       (e["node2"]["hostname"].lower(), e["node2"]["interfaceName"])}) for e in edges]
    assert len(ends) == len(set(ends))  # no link twice, in either direction
    exported = {p.stem for p in result.configs}
    links = [d for *_, d in ctx.graph.edges(data=True) if d["kind"] == "link" and set(d["ports"]) <= exported]
    assert len(edges) == len(links) > 20
    hostnames = {ctx.facts[name].info.hostname or name for name in exported}
    assert {h for e in edges for h in (e["node1"]["hostname"], e["node2"]["hostname"])} <= hostnames
