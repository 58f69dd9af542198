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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from analysis.context import AuditResult
from reports.registry import RenderOptions, renderer

__all__ = ["FILES", "graphml_ready", "node_link", "render_graph_json", "render_graphml", "write_graphml",
           "write_node_link"]

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
    flat = []
    types: dict[str, set[type]] = {}
    for r in records:
        row = {}
        for k, v in r.items():
            if v is None:
                continue
            kind = type(v)
            # Plain scalars are most of a city's attributes: skip _scalar's checks for them.
            if kind is str:
                if _XML_ILLEGAL.search(v):
                    v = _xml_text(v)
            elif kind is not bool and kind is not int and kind is not float:
                v = _scalar(v)
                kind = type(v)
            row[k] = v
            seen = types.get(k)
            if seen is None:
                types[k] = {kind}
            elif kind not in seen:
                seen.add(kind)
        flat.append(row)
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


Row = dict[str, Any]


def _graphml_parts(G: nx.MultiGraph) -> tuple[Row, list[tuple[str, Row]], list[tuple[str, str, str, Row]]]:
    """Graph attributes, ``(id, attrs)`` per node and ``(u, v, key, attrs)`` per edge, GraphML-legal."""
    ids = _safe_ids(G.nodes)
    graph = _flatten([dict(G.graph)])[0]
    nodes = []
    node_items = list(G.nodes(data=True))
    for (node, _), attrs in zip(node_items, _flatten(d for _, d in node_items), strict=False):
        # Gephi and yEd's property mapper show a "label"; give every node a readable one.
        attrs.setdefault("label", str(attrs.get("name") or attrs.get("id") or ids[node]))
        nodes.append((ids[node], attrs))
    edge_items = list(G.edges(keys=True, data=True))
    edges = [(ids[u], ids[v], _xml_text(str(key)), attrs)
             for (u, v, key, _), attrs in zip(edge_items, _flatten(d for *_, d in edge_items), strict=False)]
    return graph, nodes, edges


def graphml_ready(G: nx.MultiGraph) -> nx.MultiGraph:
    """A copy of ``G`` that :func:`networkx.write_graphml` accepts and yEd/Gephi read."""
    graph, nodes, edges = _graphml_parts(G)
    H = nx.MultiGraph()
    H.graph.update(graph)
    H.add_nodes_from(nodes)
    for u, v, key, attrs in edges:
        H.add_edge(u, v, key=key, **attrs)
    return H


# GraphML type names of the scalar types (as networkx writes and reads them).
_GRAPHML_TYPES: tuple[tuple[type, str], ...] = ((bool, "boolean"), (int, "long"), (float, "double"), (str, "string"))
_GRAPHML_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _graphml_type(value: Any) -> str:
    for kind, name in _GRAPHML_TYPES:
        if isinstance(value, kind):
            return name
    raise TypeError(f"GraphML cannot hold a {type(value).__name__}")  # _flatten leaves scalars only


_NEEDS_TEXT_ESCAPE = re.compile("[&<>\r]")
_NEEDS_ATTR_ESCAPE = re.compile('[&<>"\n\r\t]')


def _graphml_value(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    text = str(value)
    return text.translate(_TEXT_ESCAPES) if _NEEDS_TEXT_ESCAPE.search(text) else text


def _graphml_attr(text: str) -> str:
    return text.translate(_ATTR_ESCAPES) if _NEEDS_ATTR_ESCAPE.search(text) else text


def write_graphml(G: nx.MultiGraph, path: Path) -> None:
    """Write :func:`graphml_ready`'s form of ``G`` to ``path``, streaming element by element.

    Same document networkx writes (one ``key`` per attribute name and scope, ``edge``
    ids from the multigraph keys), without building the copy or an element tree: a city
    of 10,000 devices takes a fraction of the time.
    """
    graph, nodes, edges = _graphml_parts(G)
    keys: dict[tuple[str, str], str] = {}  # (scope, name) -> key id
    declarations = []
    for scope, records in (("graph", [graph]), ("node", [a for _, a in nodes]), ("edge", [a for *_, a in edges])):
        for attrs in records:
            for name, value in attrs.items():
                if (scope, name) not in keys:
                    keys[scope, name] = key_id = f"d{len(keys)}"
                    declarations.append(f'  <key id="{key_id}" for="{scope}" attr.name="{_graphml_attr(name)}" '
                                        f'attr.type="{_graphml_type(value)}" />\n')

    def data(scope: str, attrs: Row, indent: str) -> str:
        return "".join(f'{indent}<data key="{keys[scope, name]}">{_graphml_value(value)}</data>\n'
                       for name, value in attrs.items())

    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(_GRAPHML_HEADER)
        out.writelines(declarations)
        out.write('  <graph edgedefault="undirected">\n')
        out.write(data("graph", graph, "    "))
        for node, attrs in nodes:
            out.write(f'    <node id="{_graphml_attr(node)}">\n{data("node", attrs, "      ")}    </node>\n')
        for u, v, key, attrs in edges:
            out.write(f'    <edge source="{_graphml_attr(u)}" target="{_graphml_attr(v)}" id="{_graphml_attr(key)}">\n'
                      f'{data("edge", attrs, "      ")}    </edge>\n')
        out.write("  </graph>\n</graphml>\n")


def node_link(G: nx.MultiGraph) -> dict[str, Any]:
    """The node-link form of ``G`` with every attribute as JSON types."""
    return _plain(nx.node_link_data(G, edges="edges"))


def write_node_link(G: nx.MultiGraph, path: Path) -> None:
    """Write :func:`node_link`'s document to ``path``, one node or edge per line.

    Each element is encoded on its own (by the C JSON encoder, which an indented dump
    cannot use), so memory holds one element's text at a time, not the whole document.
    """
    head = _plain({"directed": G.is_directed(), "multigraph": G.is_multigraph(), "graph": dict(G.graph)})

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("{\n")
        for name in ("directed", "graph", "multigraph"):
            out.write(f"{dump(name)}: {dump(head[name])},\n")
        out.write('"nodes": [')
        for i, (node, attrs) in enumerate(G.nodes(data=True)):
            out.write(("\n" if i == 0 else ",\n") + dump(_plain({**attrs, "id": node})))
        out.write('\n],\n"edges": [')
        for i, (u, v, key, attrs) in enumerate(G.edges(keys=True, data=True)):
            out.write(("\n" if i == 0 else ",\n") + dump(_plain({**attrs, "source": u, "target": v, "key": key})))
        out.write("\n]\n}\n")


def _write_graphs(result: AuditResult, out_dir: Path, fmt: str,
                  write: Callable[[nx.MultiGraph, Path], object]) -> list[Path]:
    """Write the citywide and the site graph with one writer, under the format's file names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / name for name in FILES[fmt]]
    for G, path in zip((result.graph, result.site_graph), paths, strict=False):
        write(G, path)
    return paths


@renderer("graphml", reads_history=False)
def render_graphml(result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Write the citywide and site graphs as GraphML."""
    return _write_graphs(result, out_dir, "graphml", write_graphml)


@renderer("graph-json", reads_history=False)
def render_graph_json(result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Write the citywide and site graphs as node-link JSON."""
    return _write_graphs(result, out_dir, "graph-json", write_node_link)
