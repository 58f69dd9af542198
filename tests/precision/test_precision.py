"""Precision test: an independently written multi-vendor city, every finding listed.

The city (``city/``) was written by hand as another city's network engineer would hand it
in (README.md says how and what each part exercises); ``expected_findings.yaml`` holds what
a careful engineer reviewing it would report, decided before the tool ran. Any finding
not listed there is a false alarm and fails the test, as does any listed one missing.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from analysis.findings import Finding, Severity
from analysis.whatif import whatif
from collectors.normalise import interface_name
from netcensus.pipeline import audit, prepare

HERE = Path(__file__).parent
INVENTORY = HERE / "city" / "inventory"
CAPTURES = HERE / "city" / "captures"
EXPECTED: dict[str, Any] = yaml.safe_load((HERE / "expected_findings.yaml").read_text(encoding="utf-8"))
AUDIT_DATE: dt.date = EXPECTED["audit_date"]


@pytest.fixture(scope="module")
def result():
    """One offline audit of the city on the fixed audit date."""
    return audit(INVENTORY, CAPTURES, today=AUDIT_DATE)


def _describe(finding: Finding) -> str:
    return f"{finding.key} [{finding.severity.name.lower()}] {finding.title}"


def test_findings_are_exactly_the_expected_ones(result) -> None:
    reasons = {item["key"]: item["reason"] for item in EXPECTED["findings"]}
    found = {f.key: f for f in result.findings}
    missing = sorted(set(reasons) - set(found))
    unexpected = sorted(set(found) - set(reasons))
    lines = [f"missing   {key}: {reasons[key]}" for key in missing]
    lines += [f"unexpected {_describe(found[key])}" for key in unexpected]
    assert not lines, f"{len(missing)} missing, {len(unexpected)} unexpected:\n" + "\n".join(lines)


def test_every_saved_output_of_the_city_reads(result) -> None:
    """Every file handed in is a real form of its command: none may fail to read. (Files a
    department did not hand in are only ``missing``: the configuration-only switch, tax-core1's
    CDP, nanhu-acc2.)"""
    unread = [f"{name}: {problem}" for name, facts in sorted(result.facts.items())
              for problem in facts.problems if problem.reason != "missing"]
    assert not unread, "saved outputs that did not read:\n" + "\n".join(unread)


def _non_data_addresses() -> dict[str, str]:
    out = {}
    for kind, items in EXPECTED["non_data_addresses"].items():
        for item in items:
            out[item["address"]] = f"{kind}: {item['where']}"
    return out


def _named_prefixes(finding: Finding) -> set[str]:
    """Every prefix a finding's args name (ADR001 lists overlapping pairs)."""
    out: set[str] = set()
    for pair in finding.args.get("prefixes") or []:
        out.update(str(p) for p in (pair if isinstance(pair, (list, tuple)) else [pair]))
    return out


def test_no_high_severity_finding_on_internal_management_or_shared_addresses(result) -> None:
    addresses = _non_data_addresses()
    subnets = {ipaddress.ip_network(s) for s in EXPECTED["non_data_subnets"]}
    wrong = []
    for f in result.findings:
        if f.severity != Severity.HIGH:
            continue
        named = [s for s in f.subjects if s in addresses]
        for text in _named_prefixes(f):
            try:
                if ipaddress.ip_network(text, strict=False) in subnets:
                    named.append(text)
            except ValueError:
                continue
        if named:
            what = ", ".join(f"{n} ({addresses.get(n, 'non-data subnet')})" for n in named)
            wrong.append(f"{_describe(f)}: names {what}")
    assert not wrong, "high-severity findings on non-data addresses:\n" + "\n".join(wrong)


def test_facts_say_which_addresses_are_internal_management_or_shared(result) -> None:
    wrong = []
    for kind, items in EXPECTED["non_data_addresses"].items():
        for item in items:
            for where in item["held_by"]:
                device, port = where.split(":", 1)
                itf = result.facts[device].interface(interface_name(port))
                if itf is None:
                    wrong.append(f"{kind} {item['address']}: {where} not in the facts")
                elif kind == "shared":
                    if item["address"] not in {a.split("/")[0] for a in itf.shared_addresses}:
                        wrong.append(f"shared {item['address']}: {where} has shared {list(itf.shared_addresses)}, "
                                     f"own {list(itf.addresses)}")
                elif itf.role != kind:
                    wrong.append(f"{kind} {item['address']}: {where} has role {itf.role}")
    assert not wrong, "non-data addresses the facts do not recognise:\n" + "\n".join(wrong)


def _same_port(expected: str, seen: str) -> bool:
    """A graph port is the expected physical port, or a logical unit of it (ge-0/0/0.0)."""
    want, got = interface_name(expected), interface_name(seen)
    return got == want or got.startswith(want + ".")


def _edges(result, kind: str) -> list[dict[str, str]]:
    return [d["ports"] for _, _, d in result.graph.edges(data=True) if d.get("kind") == kind]


def _matches(ports: dict[str, str], a: str, b: str) -> bool:
    (da, pa), (db, pb) = a.split(":", 1), b.split(":", 1)
    return (da in ports and db in ports and da != db
            and _same_port(pa, ports[da]) and _same_port(pb, ports[db]))


def test_every_evidenced_link_is_in_the_graph_port_for_port(result) -> None:
    kinds = {"neighbour": "link", "address": "l3"}
    missing = []
    for link in EXPECTED["links"]:
        for evidence in link["evidence"]:
            kind = kinds[evidence]
            if not any(_matches(ports, link["a"], link["b"]) for ports in _edges(result, kind)):
                seen = [ports for ports in _edges(result, kind)
                        if {link["a"].split(":")[0], link["b"].split(":")[0]} <= set(ports)]
                missing.append(f"{kind:4} {link['a']} <-> {link['b']} ({link.get('note', '')}); "
                               f"{kind} edges between these devices: {seen or 'none'}")
    assert not missing, f"{len(missing)} evidenced links missing:\n" + "\n".join(missing)


def test_each_neighbour_table_that_shows_a_link_is_read(result) -> None:
    """Both ends' tables count: a link seen only from one side loses the other side's form
    (the IOS summary table, Junos text, EOS text) without any other test noticing."""
    unread = []
    for link in EXPECTED["links"]:
        if "seen_by" not in link:
            continue
        edges = [d for _, _, d in result.graph.edges(data=True)
                 if d.get("kind") == "link" and _matches(d["ports"], link["a"], link["b"])]
        reporters = {r for d in edges for r in d["reported_by"]}
        if not set(link["seen_by"]) <= reporters:
            unread.append(f"{link['a']} <-> {link['b']}: reported by {sorted(reporters) or 'no edge'}, "
                          f"expected {sorted(link['seen_by'])}")
    assert not unread, "neighbour tables not read:\n" + "\n".join(unread)


def test_graph_has_no_link_the_evidence_does_not_show(result) -> None:
    kinds = {"link": "neighbour", "l3": "address"}
    extra = []
    for kind, evidence in kinds.items():
        wanted = [link for link in EXPECTED["links"] if evidence in link["evidence"]]
        for ports in _edges(result, kind):
            if not any(_matches(ports, link["a"], link["b"]) for link in wanted):
                extra.append(f"{kind:4} {ports}")
    assert not extra, "links in the graph that no evidence shows (or on the wrong ports):\n" + "\n".join(extra)


@pytest.mark.parametrize("case", EXPECTED["whatif"], ids=lambda c: "cancel " + "+".join(c["cancel"]))
def test_whatif_answers(case: dict[str, Any]) -> None:
    ctx = prepare(INVENTORY, CAPTURES, today=AUDIT_DATE)
    answer = whatif(ctx, cancel=case["cancel"], close=[])
    islands = sorted(i.site for i in answer.new_islands)
    assert (answer.safe, islands) == (case["safe"], sorted(case["new_islands"])), (
        f"{case['reason']}: got safe={answer.safe}, new islands {islands}, problems {list(answer.problems)}")


def test_command_line_audit_reports_the_same_findings_and_its_audit_date(result, tmp_path: Path) -> None:
    """`netcensus audit --today` on the city: the JSON report says the date it judged on and
    holds the pipeline's findings."""
    cli = Path(sys.executable).with_name("netcensus")
    run = subprocess.run([str(cli), "audit", str(INVENTORY), "--captures", str(CAPTURES), "--today",
                          AUDIT_DATE.isoformat(), "--format", "json", "--out", str(tmp_path / "out"), "--no-cache"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout)
    assert report["audit_date"] == AUDIT_DATE.isoformat()
    assert sorted(f["key"] for f in report["findings"]) == sorted(f.key for f in result.findings)
