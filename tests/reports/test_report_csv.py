"""CSV tables: UTF-8 with BOM for Excel, formula-injection guard, numbers kept numeric."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.context import AuditResult
from reports.csv_report import guard_cell, write_csv
from reports.registry import RenderOptions, render


def _read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no BOM: Excel would garble Chinese"
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


@pytest.fixture
def zh_tables(small_result: AuditResult, tmp_path: Path) -> dict[str, list[dict[str, str]]]:
    paths = render("csv", small_result, tmp_path, RenderOptions(lang="zh"))
    assert [p.name for p in paths] == ["netcensus-findings-zh.csv", "netcensus-circuits-zh.csv",
                                       "netcensus-rooms-zh.csv"]
    return {p.name.split("-")[1]: _read(p) for p in paths}


def test_findings_table_in_chinese(zh_tables: dict[str, list[dict[str, str]]], small_result: AuditResult) -> None:
    rows = zh_tables["findings"]
    assert len(rows) == len(small_result.findings)
    zombie = next(r for r in rows if r["编号"] == "INV003")
    assert zombie["级别"] == "高" and zombie["状态"] == "待处理"
    assert zombie["年节约（元）"] == "96000"
    assert zombie["问题"].startswith("专线 CU-002")
    assert zombie["依据"].count("\n") == 1  # one evidence item per line inside the cell


def test_device_text_starting_like_a_formula_is_neutralised(zh_tables: dict[str, list[dict[str, str]]]) -> None:
    undeclared = next(r for r in zh_tables["findings"] if r["编号"] == "INV001")
    assert undeclared["涉及对象"].startswith("'=")
    for rows in zh_tables.values():
        for row in rows:
            assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values()), row


@pytest.mark.parametrize(("value", "safe"), [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("core-1", "core-1"), (-2, -2), (3.5, 3.5), (None, None),
])
def test_guard_cell(value: object, safe: object) -> None:
    assert guard_cell(value) == safe


def test_circuits_table_has_costs_ends_and_the_proposal(zh_tables: dict[str, list[dict[str, str]]]) -> None:
    rows = {r["专线"]: r for r in zh_tables["circuits"]}
    assert list(rows) == ["CM-003", "CT-001", "CU-002"]
    cu = rows["CU-002"]
    assert float(cu["年费用（元）"]) == 96_000
    assert cu["A端状态正常"] == "否" and cu["建议撤销"] == "是"
    assert cu["问题"] == "INV003:CU-002; LIN001:CT-001|CU-002"
    assert rows["CT-001"]["类型"] == "MSTP" and rows["CT-001"]["A端状态正常"] == "是"
    assert rows["CM-003"]["A端状态正常"] == ""  # no device declared: unknown, not "no"


def test_rooms_table(zh_tables: dict[str, list[dict[str, str]]]) -> None:
    rows = {r["机房"]: r for r in zh_tables["rooms"]}
    assert rows["pol-room"]["建议撤销"] == "是" and rows["pol-room"]["定位"] == "部门机房"
    assert rows["dc1"]["年节约（元）"] == ""


def test_english_headers(small_result: AuditResult, tmp_path: Path) -> None:
    paths = render("csv", small_result, tmp_path, RenderOptions(lang="en"))
    header = _read(paths[0])[0].keys()
    assert list(header)[:4] == ["Code", "Severity", "Family", "Status"]


def test_write_csv_uses_crlf_and_quotes_embedded_newlines(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", ["a", "b"], [["x\ny", 1]])
    assert path.read_bytes() == b'\xef\xbb\xbfa,b\r\n"x\ny",1\r\n'
