"""Chinese wording of findings: the catalogue variants a check chooses, and names, not ids, in every report."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from rich.console import Console

from analysis.context import AuditContext, AuditResult
from analysis.findings import Finding, Severity
from analysis.registry import run_checks
from reports.i18n import finding_recommendation, finding_title
from reports.registry import RenderOptions, render


def _lin001(**args) -> Finding:
    return Finding("LIN001", "lines", Severity.MEDIUM, ("c1", "c2"), "t", "r",
                   args={"circuits": ["c1", "c2"], "sites": ["a", "b"], "departments": ["it"],
                         "yearly_cost_cny": 1.0, **args})


def test_lin001_says_how_many_lines_remain_in_chinese():
    one = _lin001(saving_counted_in=["INV003:c1"], kept_line="c2")
    none = _lin001(saving_counted_in=["LIN003:c1", "LIN003:c2"], all_cancelled_by=["LIN003:c1", "LIN003:c2"])
    assert "仅剩专线 c2" in finding_recommendation(one, "zh")
    assert "不再有专线" in finding_recommendation(none, "zh") and "仅剩" not in finding_recommendation(none, "zh")


def test_adr002_management_and_data_duplicates_are_worded_apart():
    data = Finding("ADR002", "addressing", Severity.HIGH, ("10.9.9.9",), "t", "r",
                   args={"address": "10.9.9.9", "devices": ["r1", "r2"]})
    mgmt = Finding("ADR002", "addressing", Severity.LOW, ("10.9.9.9",), "t", "r",
                   args={"address": "10.9.9.9", "devices": ["r1", "r2"], "management_vrf": "management"})
    assert finding_title(data, "zh").startswith("地址 10.9.9.9") and "管理" not in finding_title(data, "zh")
    assert finding_title(mgmt, "zh").startswith("管理地址 10.9.9.9") and "management" in finding_title(mgmt, "zh")
    assert "管理地址" in finding_recommendation(mgmt, "zh") and "骨干网" in finding_recommendation(data, "zh")


def test_adr002_with_vrfs_not_collected_asks_for_the_configuration_in_chinese():
    f = Finding("ADR002", "addressing", Severity.MEDIUM, ("10.9.9.9",), "t", "r",
                args={"address": "10.9.9.9", "devices": ["pe1", "pe2"], "vrf_unknown": ["pe2"]})
    assert "未采集到 pe2 的 VRF 信息" in finding_title(f, "zh")
    assert "请采集 pe2 的运行配置" in finding_recommendation(f, "zh")


def test_every_chinese_report_names_the_sites_and_departments_of_a_real_finding(
        small_result: AuditResult, tmp_path: Path) -> None:
    ctx = AuditContext(small_result.inventory, dict(small_result.facts), today=small_result.today)
    result = dataclasses.replace(small_result, findings=run_checks(ctx))
    zombie = next(f for f in result.findings if f.code == "INV003")
    title = finding_title(zombie, "zh", result.inventory)
    assert title == "专线 CU-002（东区分局、市政府大楼）每年计费 9.6 万元，但两端均处于关闭状态"
    assert finding_title(zombie, "en", result.inventory) == zombie.title == \
        "Line CU-002 (east-hq) is billed but down at both ends"  # English keeps the ids, as the JSON does
    console = Console(file=io.StringIO(), width=400)
    for fmt in ("markdown", "csv", "html", "terminal"):
        paths = render(fmt, result, tmp_path / fmt, RenderOptions(lang="zh", console=console))
        shown = "".join(p.read_text(encoding="utf-8-sig") for p in paths) if paths else console.file.getvalue()
        assert title in shown, fmt
