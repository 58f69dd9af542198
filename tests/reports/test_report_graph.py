"""Graph export: GraphML that networkx (and so yEd/Gephi) reads back, node-link JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx

from analysis.context import AuditResult
from reports.graph_export import graphml_ready
from reports.registry import RenderOptions, render


def _read_graphml(path: Path) -> nx.MultiGraph:
    return nx.read_graphml(path, force_multigraph=True)


def test_graphml_round_trips_nodes_edges_and_keys(small_result: AuditResult, tmp_path: Path) -> None:
    city, sites = render("graphml", small_result, tmp_path, RenderOptions())
    assert (city.name, sites.name) == ("netcensus-graph.graphml", "netcensus-site-graph.graphml")
    G = _read_graphml(city)
    assert G.number_of_nodes() == small_result.graph.number_of_nodes()
    assert G.number_of_edges() == small_result.graph.number_of_edges()
    ends = {frozenset((u, v)) for u, v, k in G.edges(keys=True) if k == "circuit:CT-001"}
    assert ends == {frozenset(("device:core1", "device:east1"))}
    S = _read_graphml(sites)
    assert sorted(S.nodes) == ["east", "hq", "west"]


def test_graphml_attributes_are_scalars_with_containers_as_json_text(small_result: AuditResult,
                                                                    tmp_path: Path) -> None:
    city, _ = render("graphml", small_result, tmp_path, RenderOptions())
    G = _read_graphml(city)
    circuit = next(d for *_, d in G.edges(data=True) if d.get("id") == "CU-002")
    assert circuit["bandwidth_mbps"] == 10.0 and circuit["yearly_cost_cny"] == 96_000.0
    assert json.loads(circuit["seen_up"]) == [False, False]  # list -> JSON text
    link = next(d for *_, d in G.edges(data=True) if d["kind"] == "link")
    assert json.loads(link["protocols"]) == ["lldp"]  # set -> sorted JSON list
    assert G.nodes["site:hq"]["critical"] is True
    assert G.nodes["site:east"]["local_name"] == "东区分局"
    assert G.nodes["device:core1"]["label"] == "core1"


def test_device_text_with_xml_illegal_characters_still_gives_valid_graphml(small_result: AuditResult,
                                                                          tmp_path: Path) -> None:
    small_result.graph.add_node("device:bad\x01name", kind="device", id="bad\x01name", declared=False,
                                advertised_name="x\x00y\x1b", seen_by={"core1:Gi0/9"})
    city, _ = render("graphml", small_result, tmp_path, RenderOptions())
    ET.parse(city)  # well-formed XML
    G = _read_graphml(city)
    assert G.nodes["device:badname"]["advertised_name"] == "xy"
    hostile = [d for _, d in G.nodes(data=True) if d.get("declared") is False and "evil" in d["advertised_name"]]
    assert hostile and "\n" in hostile[0]["advertised_name"]  # newline is legal XML text: kept


def test_an_attribute_with_mixed_types_gets_one_type() -> None:
    G = nx.MultiGraph()
    G.add_node("a", weight=1, note=3)
    G.add_node("b", weight=2.5, note="three")
    G.add_node("c", note=None)
    H = graphml_ready(G)
    assert [H.nodes[n]["weight"] for n in ("a", "b")] == [1.0, 2.5]
    assert [H.nodes[n]["note"] for n in ("a", "b")] == ["3", "three"]
    assert "note" not in H.nodes["c"]


def test_node_link_json_round_trips(small_result: AuditResult, tmp_path: Path) -> None:
    city, sites = render("graph-json", small_result, tmp_path, RenderOptions())
    data = json.loads(city.read_text(encoding="utf-8"))
    assert data["multigraph"] is True
    G = nx.node_link_graph(data, edges="edges")
    assert set(G.nodes) == set(small_result.graph.nodes)
    assert set(G.edges(keys=True)) == set(small_result.graph.edges(keys=True))
    S = nx.node_link_graph(json.loads(sites.read_text(encoding="utf-8")), edges="edges")
    assert S.number_of_edges() == small_result.site_graph.number_of_edges()
