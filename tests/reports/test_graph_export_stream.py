"""The streaming graph writers give the documents networkx's own writers give."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from analysis.context import AuditResult
from reports.graph_export import graphml_ready, node_link, write_graphml, write_node_link


def _hostile(result: AuditResult) -> nx.MultiGraph:
    """The small city's graph plus text that needs escaping in every XML position."""
    G = result.graph.copy()
    G.add_node('device:a&b<"c">\tq', kind="device", id='a&b<"c">', declared=False,
               advertised_name="line1\nline2\r\x07 & <tag>", seen_by={"core1:Gi0/9", "east1:Gi0/1"})
    G.add_edge('device:a&b<"c">\tq', "device:core1", key='link:"x"&<y>', kind="link",
               ports={"core1": "Gi0/9"}, protocols={"lldp"}, weight=2, note=None)
    G.graph["title"] = "城市 & <网络>"
    return G


def _read(path: Path) -> nx.MultiGraph:
    return nx.read_graphml(path, force_multigraph=True)


def test_graphml_reads_back_exactly_as_networkx_writes_it(small_result: AuditResult, tmp_path: Path) -> None:
    for G in (_hostile(small_result), small_result.site_graph):
        nx.write_graphml(graphml_ready(G), tmp_path / "networkx.graphml", encoding="utf-8")
        write_graphml(G, tmp_path / "stream.graphml")
        ours, theirs = _read(tmp_path / "stream.graphml"), _read(tmp_path / "networkx.graphml")
        assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
        edges = [sorted(H.edges(keys=True, data=True), key=repr) for H in (ours, theirs)]
        assert edges[0] == edges[1]
        assert ours.graph == theirs.graph


def test_graphml_keeps_escaped_text_intact(small_result: AuditResult, tmp_path: Path) -> None:
    write_graphml(_hostile(small_result), tmp_path / "g.graphml")
    G = _read(tmp_path / "g.graphml")
    node = G.nodes['device:a&b<"c">\tq']
    assert node["advertised_name"] == "line1\nline2\r & <tag>"  # the bell is not XML: removed
    assert json.loads(node["seen_by"]) == ["core1:Gi0/9", "east1:Gi0/1"]
    edge = G.edges['device:a&b<"c">\tq', "device:core1", 'link:"x"&<y>']
    assert edge["weight"] == 2 and "note" not in edge
    assert G.graph["title"] == "城市 & <网络>"


def test_node_link_file_is_the_node_link_document(small_result: AuditResult, tmp_path: Path) -> None:
    G = _hostile(small_result)
    write_node_link(G, tmp_path / "g.json")
    text = (tmp_path / "g.json").read_text(encoding="utf-8")
    assert json.loads(text) == node_link(G)
    assert len(text.splitlines()) > G.number_of_nodes() + G.number_of_edges()  # one element per line
