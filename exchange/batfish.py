"""Write a Batfish snapshot folder from a survey: running configurations and the cabling.

``export_batfish(inventory, facts, graph, out_dir)`` writes ``configs/<device>.cfg``
(each collected running configuration, redacted) and ``batfish/layer1_topology.json``
in Batfish's format, ``{"edges": [{"node1": {"hostname", "interfaceName"}, "node2":
{...}}]}``, from the graph's ``link`` edges (one per physical link, LLDP and CDP merged,
see ``docs/architecture.md``). A link appears once: Batfish treats layer-1 edges as
undirected. Only links between two devices whose configuration is exported are
written, and only when both ports are real interface names (an LLDP port id that is a
MAC address names no interface Batfish knows). Configurations left in ``configs/`` by
an earlier export of devices no longer surveyed are removed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from collectors.facts import DeviceFacts
from collectors.normalise import is_interface_name
from collectors.redact import redact_config
from exchange.writer import write_text_atomic
from inventory.model import Inventory

__all__ = ["BatfishExport", "export_batfish", "layer1_edges"]

CONFIGS, TOPOLOGY = "configs", "batfish/layer1_topology.json"


@dataclass(frozen=True)
class BatfishExport:
    """What was written, and what was left out (device names, link keys) with the reason."""

    configs: tuple[Path, ...]
    topology: Path
    links: int
    left_out: tuple[str, ...]


def export_batfish(inventory: Inventory, facts: Mapping[str, DeviceFacts], graph: nx.MultiGraph,
                   out_dir: Path | str) -> BatfishExport:
    """Write the Batfish snapshot of the declared devices into ``out_dir``."""
    out = Path(out_dir)
    configs: list[Path] = []
    left_out: list[str] = []
    hostnames: dict[str, str] = {}
    for name in sorted(inventory.devices):
        f = facts.get(name)
        text = _config(f)
        if text is None:
            left_out.append(f"{name}: no collected configuration")
            continue
        path = out / CONFIGS / f"{name}.cfg"
        write_text_atomic(path, text if text.endswith("\n") else text + "\n")
        configs.append(path)
        hostnames[name] = (f.info.hostname if f and f.info.hostname else name)
    for stale in sorted((out / CONFIGS).glob("*.cfg")):
        if stale not in configs:  # a device no longer surveyed: not part of this snapshot
            stale.unlink()
    edges, skipped = layer1_edges(graph, hostnames)
    left_out += skipped
    topology = out / TOPOLOGY
    write_text_atomic(topology, json.dumps({"edges": edges}, indent=2, ensure_ascii=False) + "\n")
    return BatfishExport(tuple(configs), topology, len(edges), tuple(left_out))


def _config(facts: DeviceFacts | None) -> str | None:
    """The device's configuration, redacted again (facts from any source must never leak a secret)."""
    if facts is None or not facts.config or not facts.config.strip():
        return None
    try:
        return redact_config(facts.platform, facts.config)
    except Exception:  # an unredactable configuration is left out, never written raw
        return None


def layer1_edges(graph: nx.MultiGraph, hostnames: Mapping[str, str]) -> tuple[list[dict], list[str]]:
    """Batfish layer-1 edges of the graph's links between devices of ``hostnames``.

    ``hostnames`` maps device names to the hostname Batfish knows them by (the one in
    their configuration). Returns the edges, sorted, and the links left out with why.
    """
    edges, skipped = [], []
    for _, _, key, data in graph.edges(keys=True, data=True):
        if data.get("kind") != "link":
            continue
        ports = data["ports"]
        if len(ports) != 2:  # a device cabled to itself: nothing Batfish can use
            skipped.append(f"{key}: loops back to the same device")
            continue
        (a, a_port), (b, b_port) = sorted(ports.items())
        if a not in hostnames or b not in hostnames:
            missing = ", ".join(n for n in (a, b) if n not in hostnames)
            skipped.append(f"{key}: no configuration exported for {missing}")
            continue
        if not (is_interface_name(a_port) and is_interface_name(b_port)):
            skipped.append(f"{key}: a port is not an interface name ({a_port!r}, {b_port!r})")
            continue
        edges.append({"node1": {"hostname": hostnames[a], "interfaceName": a_port},
                      "node2": {"hostname": hostnames[b], "interfaceName": b_port}})
    edges.sort(key=lambda e: (e["node1"]["hostname"], e["node1"]["interfaceName"],
                              e["node2"]["hostname"], e["node2"]["interfaceName"]))
    return edges, skipped
