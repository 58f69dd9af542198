"""The Markdown summary: device text cannot break tables or inject markup; both languages read."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from analysis.context import AuditResult
from reports.markdown import markdown_report, md_cell
from reports.registry import RenderOptions, render

#: A pipe not preceded by a backslash: a real column separator.
_SEPARATOR = re.compile(r"(?<!\\)\|")


def _tables(text: str) -> list[list[str]]:
    """Each Markdown table as its lines."""
    tables, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_table_row_has_as_many_cells_as_its_header(small_result: AuditResult, lang: str) -> None:
    tables = _tables(markdown_report(small_result, lang))
    assert len(tables) >= 4  # departments, sites, counts, top findings, collection
    for table in tables:
        widths = {len(_SEPARATOR.findall(row)) for row in table}
        assert len(widths) == 1, table


def test_device_text_is_escaped(small_result: AuditResult) -> None:
    text = markdown_report(small_result, "en")
    # the hostile LLDP name (pipe, newline, HTML) shows up escaped, on one line
    assert r'=HYPERLINK("http://x")\|evil sw \<b\>' in text
    assert "<b>" not in text
    assert "evil\nsw" not in text


@pytest.mark.parametrize(("raw", "cell"), [
    ("a|b", r"a\|b"),
    ("line1\r\nline2", "line1 line2"),
    ("*bold* _it_ `code` [x](http://y)", r"\*bold\* \_it\_ \`code\` \[x\](http://y)"),
    ("<script>", r"\<script\>"),
    ("", " "),
])
def test_md_cell(raw: str, cell: str) -> None:
    assert md_cell(raw) == cell


def test_english_report_shows_costs_savings_and_top_findings(small_result: AuditResult) -> None:
    text = markdown_report(small_result, "en", top=2)
    assert "# Network and leased-line survey" in text
    assert "Total proposed saving: CNY 296,000 a year" in text
    assert "| Public Security Bureau | CNY 216,000 | CNY 150,000 | CNY 366,000 |" in text
    assert "2 of 5 findings shown" in text
    assert "| west1 | west | timed out | timed out after 30 s |" in text


def test_chinese_report_uses_chinese_words_names_and_wan_yuan(small_result: AuditResult) -> None:
    text = markdown_report(small_result, "zh")
    assert "# 网络与专线普查报告" in text
    assert "| 市公安局 | 21.6 万元 | 15 万元 | 36.6 万元 |" in text
    assert "建议整合后每年可节约 29.6 万元" in text
    assert "### 机房" in text and "建议：将 2 个机柜迁入机房 dc1 后关闭机房 pol-room" in text


def test_waived_findings_are_marked_and_left_out_of_the_top_table(small_result: AuditResult) -> None:
    text = markdown_report(small_result, "en")
    top = next(t for t in _tables(text) if "| # |" in t[0])
    assert not any("GOV003" in row for row in top)
    assert "GOV003** · medium · " in text and "*(waived)*" in text


def test_no_findings_still_gives_a_report(empty_result: AuditResult, tmp_path: Path) -> None:
    [path] = render("markdown", empty_result, tmp_path, RenderOptions(lang="zh"))
    assert path.name == "netcensus-report-zh.md"
    text = path.read_text(encoding="utf-8")
    assert "未发现问题。" in text and "本次未提出节约方案。" in text


def test_a_long_family_is_cut_with_a_pointer_to_the_full_reports(small_result: AuditResult) -> None:
    from analysis.findings import Finding, Severity
    from reports.markdown import FAMILY_ITEMS

    many = [Finding("ADR002", "addressing", Severity.HIGH, (f"10.0.0.{i}",), f"address 10.0.0.{i} twice", "Fix.")
            for i in range(FAMILY_ITEMS + 7)]
    text = markdown_report(dataclasses.replace(small_result, findings=many), "en")
    assert text.count("- **ADR002**") == FAMILY_ITEMS
    assert f"{FAMILY_ITEMS} of {FAMILY_ITEMS + 7} findings shown" in text
