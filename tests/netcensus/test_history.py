"""Diffs between runs: findings, drift, masked configuration changes."""

from __future__ import annotations

import dataclasses
import re

from netcensus.history import diff_runs, load_volatile, mask_volatile
from netcensus.store import RunRecord


def finding(key: str, *, source: str = "inv/circuits.yaml:3", severity: str = "medium") -> dict:
    code, subjects = key.split(":", 1)
    return {"key": key, "code": code, "severity": severity, "status": "open", "title": key,
            "subjects": subjects.split("|"), "evidence": [{"source": source, "detail": ""}]}


def run(findings: list[dict], *, failed: tuple[str, ...] = (), degraded: bool = False,
        configs: dict[str, str] | None = None, entities: dict | None = None, run_id: int = 1) -> RunRecord:
    status = {d: ("ok", None) for d in ("core1", "wan1", "sw9")}
    status |= {d: ("timeout", "no answer") for d in failed}
    return RunRecord("s", "f", "inv", "caps", "i", "f", status, configs or {}, findings,
                     entities or {"devices": ["core1", "wan1", "sw9"]}, degraded=degraded, id=run_id)


def test_new_resolved_unchanged() -> None:
    base = run([finding("LIN001:c1|c2"), finding("INV003:c9")])
    now = run([finding("LIN001:c1|c2"), finding("INV001:sw7", source="caps/core1/show_lldp_neighbors_detail.txt")])
    d = diff_runs(base, now)
    assert [f["key"] for f in d.new] == ["INV001:sw7"]
    assert [f["key"] for f in d.resolved] == ["INV003:c9"]
    assert [f["key"] for f in d.unchanged] == ["LIN001:c1|c2"]
    assert d.unknown == []


def test_gone_because_device_unreachable_is_unknown_not_resolved() -> None:
    base = run([finding("INV001:sw7", source="caps/core1/show_lldp_neighbors_detail.txt"),
                finding("ADR002:10.0.0.1", source="caps/wan1/show_interfaces.txt")])
    now = run([], failed=("core1",))
    d = diff_runs(base, now)
    assert [f["key"] for f in d.unknown] == ["INV001:sw7"]  # rests on core1, which was not collected
    assert [f["key"] for f in d.resolved] == ["ADR002:10.0.0.1"]  # wan1 was collected: really gone


def test_degraded_run_never_resolves_findings_without_device_evidence() -> None:
    base = run([finding("GOV003:www.example.cn", source="inv/websites.yaml:4")])
    d = diff_runs(base, run([], failed=("sw9",), degraded=True))
    assert [f["key"] for f in d.unknown] == ["GOV003:www.example.cn"] and d.resolved == []


def test_waived_findings_are_neither_new_nor_resolved() -> None:
    waived = finding("LIN001:c1|c2") | {"status": "waived"}
    d = diff_runs(run([]), run([waived]))
    assert d.new == [] and d.unchanged == []


def test_drift_lists_added_and_gone() -> None:
    base = run([], entities={"devices": ["core1", "wan1"], "circuits": ["c1", "c2"]})
    now = run([], entities={"devices": ["core1", "wan1", "sw7"], "circuits": ["c1"]})
    assert diff_runs(base, now).drift == {
        "devices": {"added": ["sw7"], "gone": []},
        "circuits": {"added": [], "gone": ["c2"]},
    }


def test_config_changes_ignore_volatile_lines_but_show_real_ones() -> None:
    old = "! Last configuration change at 01:00:00 UTC Mon Nov 23 2026\nhostname core1\nntp clock-period 17179\n"
    same = "! Last configuration change at 02:30:00 UTC Tue Nov 24 2026\nhostname core1\nntp clock-period 17180\n"
    real = same + "interface Gi0/9\n description new uplink\n"
    base = run([], configs={"core1": old})
    assert diff_runs(base, run([], configs={"core1": same}), platforms={"core1": "cisco_ios"}).config_changes == {}
    changes = diff_runs(base, run([], configs={"core1": real}), platforms={"core1": "cisco_ios"}).config_changes
    assert list(changes) == ["core1"]
    assert "+interface Gi0/9" in changes["core1"] and "+ description new uplink" in changes["core1"]
    assert "Last configuration change" not in "".join(
        line for line in changes["core1"].splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---")))


def test_mask_keeps_the_line_marked() -> None:
    patterns = load_volatile()["huawei"]
    masked = mask_volatile("!Last configuration was updated at 2026-11-26 01:02:03+08:00\nsysname core1", patterns)
    assert masked.splitlines() == ["!Last configuration was updated at <volatile>", "sysname core1"]


def test_no_baseline_everything_is_new() -> None:
    now = run([finding("INV003:c9")])
    d = diff_runs(None, now)
    assert [f["key"] for f in d.new] == ["INV003:c9"] and d.base_run is None


def test_custom_volatile_list() -> None:
    patterns = {"linux": [re.compile(r"^uptime (.*)$")]}
    base = run([], configs={"h1": "uptime 5 days\nhost h1"})
    now = dataclasses.replace(base, configs={"h1": "uptime 6 days\nhost h1"})
    assert diff_runs(base, now, platforms={"h1": "linux"}, volatile=patterns).config_changes == {}
