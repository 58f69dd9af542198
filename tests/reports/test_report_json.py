"""The canonical JSON report: golden file, determinism, schema fields, odd extras."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path

import netcensus
from analysis.context import AuditResult
from analysis.findings import FAMILIES
from reports.json_report import FILENAME, SCHEMA_VERSION, dumps, report_dict
from reports.registry import RenderOptions, render

GOLDEN = Path(__file__).with_name("golden") / "small-report.json"


def _normalised(text: str) -> str:
    """The report text with the tool version masked, so a release does not break the golden."""
    report = json.loads(text)
    assert report["tool"]["version"] == netcensus.__version__
    report["tool"]["version"] = "<version>"
    return dumps(report)


def test_small_audit_matches_the_golden_file(small_result: AuditResult, tmp_path: Path) -> None:
    [path] = render("json", small_result, tmp_path, RenderOptions())
    assert path == tmp_path / FILENAME
    actual = _normalised(path.read_text(encoding="utf-8"))
    if os.environ.get("NETCENSUS_UPDATE_GOLDEN"):
        GOLDEN.write_text(actual, encoding="utf-8")
    assert actual == GOLDEN.read_text(encoding="utf-8"), (
        "JSON report changed; if intended, rerun with NETCENSUS_UPDATE_GOLDEN=1 and review the diff "
        "(and docs/report-json.md)")


def test_same_audit_gives_the_same_bytes(small_result: AuditResult, tmp_path: Path) -> None:
    a = render("json", small_result, tmp_path / "a", RenderOptions())[0].read_bytes()
    shuffled = dataclasses.replace(small_result, findings=list(reversed(small_result.findings)))
    b = render("json", shuffled, tmp_path / "b", RenderOptions(lang="zh"))[0].read_bytes()
    assert a == b  # finding order and language do not change the canonical form
    assert not list(tmp_path.glob("*/*.tmp"))


def test_report_has_the_documented_top_level_fields(small_result: AuditResult) -> None:
    report = report_dict(small_result)
    assert set(report) == {"schema_version", "generated_at", "audit_date", "tool", "inventory", "captures",
                           "summary", "collection", "findings", "extras"}
    assert report["schema_version"] == SCHEMA_VERSION
    assert report["generated_at"] == "2024-01-15T08:30:00+00:00"
    assert report["audit_date"] == "2024-01-10"
    assert report["tool"]["name"] == "netcensus"
    assert list(report["summary"]["by_family"]) == list(FAMILIES)
    first = report["findings"][0]
    assert set(first) >= {"code", "family", "severity", "key", "subjects", "title", "evidence",
                          "recommendation", "saving_cny_per_year", "status"}
    assert [f["key"] for f in report["findings"]][:2] == ["INV003:CU-002", "GOV003:police.example.cn"]
    assert report["extras"]["room_plan"]["moves"] == [{"room": "pol-room", "target": "dc1"}]


def test_collection_lists_every_device_with_its_problem(small_result: AuditResult) -> None:
    rows = {r["device"]: r for r in report_dict(small_result)["collection"]}
    assert rows["west1"]["status"] == "timeout" and rows["west1"]["error"] == "timed out after 30 s"
    assert rows["west2"]["status"] == "missing"
    assert rows["east1"]["problems"] == ["display lldp neighbor: parse_error: no template matched"]


def test_extras_without_a_json_form_are_named_not_dumped(small_result: AuditResult) -> None:
    odd = dataclasses.replace(small_result, room_plan={"when": dt.date(2024, 1, 2), "tags": {"b", "a"}},
                              diff={"handle": object()})
    report = report_dict(odd)
    assert report["extras"] == {"room_plan": {"when": "2024-01-02", "tags": ["a", "b"]}}
    assert report["extras_omitted"] == ["diff"] and "diff" not in report
    json.loads(dumps(report))


def test_finding_args_of_any_type_still_serialise(small_result: AuditResult) -> None:
    f = dataclasses.replace(small_result.findings[0], args={"seen": {"z", "y"}, "on": dt.date(2024, 5, 1),
                                                           "obj": object()})
    report = report_dict(dataclasses.replace(small_result, findings=[f]))
    assert report["findings"][0]["args"] == {"seen": ["y", "z"], "on": "2024-05-01"}


def test_nan_money_becomes_null_not_invalid_json(small_result: AuditResult) -> None:
    f = dataclasses.replace(small_result.findings[0], saving_cny_per_year=float("nan"))
    report = json.loads(dumps(report_dict(dataclasses.replace(small_result, findings=[f]))))
    assert report["findings"][0]["saving_cny_per_year"] is None
    assert report["summary"]["proposed_saving_cny"] == 0
