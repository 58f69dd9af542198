"""The citywide graph and the site graph, for yEd, Gephi and scripts.

Two formats, two files each (citywide, then contracted to sites):

* ``graphml``: ``netcensus-graph.graphml``, ``netcensus-site-graph.graphml``.
  GraphML only knows scalar attributes, so :func:`graphml_ready` flattens the rest:
  sets, lists, tuples and dicts become JSON text (sets sorted), ``None`` attributes
  are left out, and an attribute whose values have several types across the graph
  (an int here, a string there) is written as text everywhere, so each GraphML key
  has one type. Characters XML cannot hold (control characters a device may
  advertise) are removed. Nodes without a ``label`` get one (name, else id) for Gephi.
* ``graph-json``: ``netcensus-graph.json``, ``netcensus-site-graph.json`` in
  networkx's node-link form (``nodes``, ``edges``, ``multigraph``, ``key`` per edge).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from analysis.context import AuditResult
from reports.registry import RenderOptions, renderer

__all__ = ["FILES", "graphml_ready", "node_link", "render_graph_json", "render_graphml"]

FILES = {
    "graphml": ("netcensus-graph.graphml", "netcensus-site-graph.graphml"),
    "graph-json": ("netcensus-graph.json", "netcensus-site-graph.json"),
}

# XML 1.0 allows tab, LF, CR and most of the BMP; everything else must go.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SCALARS = (bool, int, float, str)


def _xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _plain(value: Any) -> Any:
    """``value`` as JSON types: sets sorted, tuples as lists, anything else unknown as text."""
    if value is None or isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _scalar(value: Any) -> Any:
    """A GraphML-legal value: scalars as they are (text cleaned), containers as JSON text."""
    if isinstance(value, str):
        return _xml_text(value)
    if isinstance(value, _SCALARS):
        return value
    return _xml_text(json.dumps(_plain(value), ensure_ascii=False, sort_keys=True))


def _flatten(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flatten attribute dicts, then give each attribute one type across all records."""
    flat = [{k: _scalar(v) for k, v in r.items() if v is not None} for r in records]
    types: dict[str, set[type]] = {}
    for r in flat:
        for k, v in r.items():
            types.setdefault(k, set()).add(type(v))
    for name, kinds in types.items():
        if len(kinds) == 1:
            continue
        # int + float read back as double; any other mix becomes text.
        to = float if kinds == {int, float} else str
        for r in flat:
            if name in r:
                r[name] = to(r[name])
    return flat


def _safe_ids(nodes: Iterable[Any]) -> dict[Any, str]:
    """Node id -> XML-safe text id, unique (a clash after cleaning gets a ``#n`` suffix)."""
    mapping: dict[Any, str] = {}
    used: set[str] = set()
    for node in nodes:
        base = _xml_text(str(node))
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}#{n}"
        used.add(candidate)
        mapping[node] = candidate
    return mapping


def graphml_ready(G: nx.MultiGraph) -> nx.MultiGraph:
    """A copy of ``G`` that :func:`networkx.write_graphml` accepts and yEd/Gephi read."""
    ids = _safe_ids(G.nodes)
    H = nx.MultiGraph()
    H.graph.update(_flatten([dict(G.graph)])[0])
    nodes = list(G.nodes(data=True))
    for (node, _), attrs in zip(nodes, _flatten(d for _, d in nodes)):
        # Gephi and yEd's property mapper show a "label"; give every node a readable one.
        attrs.setdefault("label", str(attrs.get("name") or attrs.get("id") or ids[node]))
        H.add_node(ids[node], **attrs)
    edges = list(G.edges(keys=True, data=True))
    for (u, v, key, _), attrs in zip(edges, _flatten(d for *_, d in edges)):
        H.add_edge(ids[u], ids[v], key=_xml_text(str(key)), **attrs)
    return H


def node_link(G: nx.MultiGraph) -> dict[str, Any]:
    """The node-link form of ``G`` with every attribute as JSON types."""
    return _plain(nx.node_link_data(G, edges="edges"))


def _graphs(result: AuditResult) -> tuple[nx.MultiGraph, nx.MultiGraph]:
    return result.graph, result.site_graph


@renderer("graphml")
def render_graphml(result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Write the citywide and site graphs as GraphML."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for G, name in zip(_graphs(result), FILES["graphml"]):
        path = out_dir / name
        nx.write_graphml(graphml_ready(G), path, encoding="utf-8")
        paths.append(path)
    return paths


@renderer("graph-json")
def render_graph_json(result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Write the citywide and site graphs as node-link JSON."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for G, name in zip(_graphs(result), FILES["graph-json"]):
        path = out_dir / name
        path.write_text(json.dumps(node_link(G), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
