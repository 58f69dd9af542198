"""Snapshots of audit runs and the diff between two of them.

``run_record(result)`` turns an audit into what the store keeps; ``diff_runs(base,
current)`` says what changed: findings new / resolved / unchanged / unknown,
inventory drift, and configuration changes as unified diffs of the redacted
configs with volatile lines masked (kept, marked), so a config diff means a real change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import TypeAdapter

from analysis.context import AuditResult
from analysis.measurements import UtilisationSample, samples_from_facts
from collectors.facts import DeviceFacts
from inventory.model import Inventory
from netcensus.store import RunRecord

COLLECTED = ("ok", "partial")
ENTITY_KINDS = ("devices", "links", "circuits", "rooms", "websites")
MASK = "<volatile>"
DEFAULT_VOLATILE = Path(__file__).with_name("volatile.yaml")


def run_record(result: AuditResult, *, degraded: bool = False) -> RunRecord:
    """What the history keeps of one audit: statuses, redacted configs, findings, entities."""
    return RunRecord(
        started=result.started.isoformat(timespec="seconds"),
        finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        inventory=result.inventory_path,
        captures=result.captures_path,
        inventory_digest=inventory_digest(result.inventory),
        facts_digest=facts_digest(result.facts),
        device_status={n: (f.status, f.error) for n, f in sorted(result.facts.items())},
        configs={n: f.config for n, f in result.facts.items() if f.config is not None and f.status in COLLECTED},
        findings=[f.to_dict() for f in result.findings],
        entities=entities_of(result),
        degraded=degraded,
        utilisation={c: (s.at.isoformat(timespec="seconds"), s.in_mbps, s.out_mbps, s.source)
                     for c, s in samples_from_facts(result.inventory, result.facts, result.started).items()},
    )


_SECTIONS = tuple(f.name for f in dataclasses.fields(Inventory) if f.name not in ("policy", "sources"))
_INVENTORY_JSON = TypeAdapter(Inventory)
_FACTS_JSON = TypeAdapter(dict[str, DeviceFacts])


def inventory_digest(inventory: Inventory) -> str:
    """SHA-256 of the declared inventory as JSON, entities sorted by id: file order, comments
    and where things are declared (``sources``) do not count, only what is declared."""
    canonical = dataclasses.replace(inventory, sources={},
                                    **{s: dict(sorted(getattr(inventory, s).items())) for s in _SECTIONS})
    return hashlib.sha256(_INVENTORY_JSON.dump_json(canonical)).hexdigest()


def facts_digest(facts: Mapping[str, DeviceFacts]) -> str:
    """SHA-256 of the parsed facts as JSON, devices sorted by name.

    pydantic's serialiser, not ``json.dumps(sort_keys=True)``: the same canonical text
    (fields in declaration order) at a third of the cost over a city of 10,000 devices.
    """
    return hashlib.sha256(_FACTS_JSON.dump_json(dict(sorted(facts.items())))).hexdigest()


def stored_samples(rows: Mapping[str, list[tuple[str, float, float, str]]]) -> dict[str, list[UtilisationSample]]:
    """The store's utilisation rows as :class:`UtilisationSample` lists (what LIN004 reads)."""
    return {circuit: [UtilisationSample(circuit, dt.datetime.fromisoformat(at), i, o, source)
                      for at, i, o, source in samples] for circuit, samples in rows.items()}


def entities_of(result: AuditResult) -> dict[str, list[str]]:
    """The inventory and topology elements whose appearance or loss is drift."""
    G = result.graph
    links = set()
    for u, v, data in G.edges(data=True):
        if data["kind"] == "link":
            ends = sorted(f"{n.split(':', 1)[1]}:{data['ports'].get(n.split(':', 1)[1], '?')}" for n in (u, v))
            links.add(" ~ ".join(ends))
    devices = {d["id"] for _, d in G.nodes(data=True) if d["kind"] == "device"}
    inv = result.inventory
    return {
        "devices": sorted(devices),
        "links": sorted(links),
        "circuits": sorted(inv.circuits),
        "rooms": sorted(inv.rooms),
        "websites": sorted(inv.websites),
    }


@dataclass(frozen=True)
class RunDiff:
    """What changed between a baseline run and the current one."""

    base_run: int | None
    new: list[dict] = field(default_factory=list)
    resolved: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    unknown: list[dict] = field(default_factory=list)  # cannot tell: their devices were not collected
    drift: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # kind -> added/gone
    config_changes: dict[str, str] = field(default_factory=dict)  # device -> unified diff

    def to_dict(self) -> dict:
        return {
            "base_run": self.base_run,
            "new": self.new, "resolved": self.resolved, "unchanged": self.unchanged,
            "unknown": self.unknown, "drift": self.drift, "config_changes": self.config_changes,
        }


def load_volatile(path: Path | None = None) -> dict[str, list[re.Pattern[str]]]:
    """Volatile-line patterns per platform (``"*"`` applies to all), from YAML.

    Each pattern's first group (or whole match) is replaced by ``<volatile>``.
    """
    data = yaml.safe_load((path or DEFAULT_VOLATILE).read_text(encoding="utf-8")) or {}
    return {platform: [re.compile(p) for p in patterns] for platform, patterns in data.items()}


def mask_volatile(text: str, patterns: list[re.Pattern[str]]) -> str:
    """Mark the volatile part of each line, keeping the line.

    >>> mask_volatile("! Last configuration change at 10:01:02 UTC Mon Nov 2 2026",
    ...               [re.compile(r"^! Last configuration change at (.*)$")])
    '! Last configuration change at <volatile>'
    """
    out = []
    for line in text.splitlines():
        for pattern in patterns:
            m = pattern.search(line)
            if m:
                start, end = m.span(1) if m.groups() else m.span()
                line = line[:start] + MASK + line[end:]
        out.append(line)
    return "\n".join(out)


def _devices_of(finding: Mapping, devices: set[str]) -> set[str]:
    """Devices a finding rests on: those among its subjects or its evidence sources."""
    found = {s for s in finding.get("subjects", []) if s in devices}
    for ev in finding.get("evidence", []):
        parts = set(re.split(r"[/:\s]", ev.get("source", "")))
        found |= parts & devices
    return found


def diff_runs(base: RunRecord | None, current: RunRecord, *,
              platforms: Mapping[str, str] | None = None,
              volatile: Mapping[str, list[re.Pattern[str]]] | None = None) -> RunDiff:
    """Compare two runs. A finding gone because its device was not collected is *unknown*."""
    if base is None:
        return RunDiff(base_run=None, new=list(current.findings))
    volatile = load_volatile() if volatile is None else volatile
    platforms = platforms or {}
    before = {f["key"]: f for f in base.findings if f.get("status") != "waived"}
    now = {f["key"]: f for f in current.findings if f.get("status") != "waived"}
    failed = set(current.failed)
    devices = set(current.device_status) | set(base.device_status)
    resolved, unknown = [], []
    for key in sorted(before.keys() - now.keys()):
        related = _devices_of(before[key], devices)
        if related & failed or (current.degraded and not related):
            unknown.append(before[key])
        else:
            resolved.append(before[key])
    drift = {}
    for kind in ENTITY_KINDS:
        old, new = set(base.entities.get(kind, [])), set(current.entities.get(kind, []))
        if old != new:
            drift[kind] = {"added": sorted(new - old), "gone": sorted(old - new)}
    changes = {}
    for device in sorted(base.configs.keys() & current.configs.keys()):
        patterns = volatile.get("*", []) + volatile.get(platforms.get(device, ""), [])
        a = mask_volatile(base.configs[device], patterns).splitlines()
        b = mask_volatile(current.configs[device], patterns).splitlines()
        if a != b:
            changes[device] = "\n".join(difflib.unified_diff(
                a, b, f"{device} (run {base.id})", f"{device} (now)", lineterm="", n=2))
    return RunDiff(
        base_run=base.id,
        new=[now[k] for k in sorted(now.keys() - before.keys())],
        resolved=resolved,
        unchanged=[now[k] for k in sorted(now.keys() & before.keys())],
        unknown=unknown,
        drift=drift,
        config_changes=changes,
    )
