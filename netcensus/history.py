"""Snapshots of audit runs and the diff between two of them.

``run_record(result)`` turns an audit into what the store keeps; ``diff_runs(base,
current)`` says what changed: findings new / resolved / unchanged / unknown,
inventory drift, and configuration changes as unified diffs of the redacted
configs with volatile lines masked (kept, marked), so a config diff means a real change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.context import AuditResult
from analysis.measurements import UtilisationSample, samples_from_facts
from netcensus.cache import facts_json_default
from netcensus.store import RunRecord, digest

COLLECTED = ("ok", "partial")
ENTITY_KINDS = ("devices", "links", "circuits", "rooms", "websites")
MASK = "<volatile>"
DEFAULT_VOLATILE = Path(__file__).with_name("volatile.yaml")


def run_record(result: AuditResult, *, degraded: bool = False) -> RunRecord:
    """What the history keeps of one audit: statuses, redacted configs, findings, entities."""
    inv = result.inventory
    inventory_text = json.dumps(
        {section: {k: v.model_dump(mode="json") for k, v in getattr(inv, section).items()}
         for section in ("departments", "sites", "rooms", "networks", "devices", "circuits",
                         "websites", "approvals", "waivers")} | {"policy": inv.policy.model_dump(mode="json")},
        sort_keys=True, ensure_ascii=False)
    # The JSON of {device: dataclasses.asdict(facts)}, without asdict's deep copies.
    facts_text = json.dumps(dict(sorted(result.facts.items())), sort_keys=True, ensure_ascii=False,
                            default=facts_json_default)
    return RunRecord(
        started=result.started.isoformat(timespec="seconds"),
        finished=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        inventory=result.inventory_path,
        captures=result.captures_path,
        inventory_digest=digest(inventory_text),
        facts_digest=digest(facts_text),
        device_status={n: (f.status, f.error) for n, f in sorted(result.facts.items())},
        configs={n: f.config for n, f in result.facts.items() if f.config is not None and f.status in COLLECTED},
        findings=[f.to_dict() for f in result.findings],
        entities=entities_of(result),
        degraded=degraded,
        utilisation={c: (s.at.isoformat(timespec="seconds"), s.in_mbps, s.out_mbps, s.source)
                     for c, s in samples_from_facts(result.inventory, result.facts, result.started).items()},
    )


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
