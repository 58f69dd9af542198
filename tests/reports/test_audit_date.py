"""The audit date: every report says which date contracts, approvals and waivers were judged on."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from analysis.context import AuditResult
from analysis.summary import Proposal
from inventory.model import Circuit, CircuitEnd, Inventory
from reports.html import build_html
from reports.html_view import Names, _line_risks
from reports.markdown import markdown_report
from reports.registry import RenderOptions, render
from reports.terminal import terminal_report


@pytest.mark.parametrize("lang, text", [("en", "judged as of 2024-01-10"), ("zh", "均按 2024-01-10 判断")])
def test_markdown_terminal_and_html_show_the_audit_date(small_result: AuditResult, lang: str, text: str) -> None:
    from rich.console import Console

    console = Console(width=120, record=True)
    console.print(terminal_report(small_result, lang))
    for shown in (markdown_report(small_result, lang), console.export_text(), build_html(small_result, lang)):
        assert text in shown


def test_without_a_given_date_the_audit_date_is_the_day_it_started(small_result: AuditResult) -> None:
    undated = dataclasses.replace(small_result, today=None)
    assert undated.audit_date == dt.date(2024, 1, 15)
    assert "judged as of 2024-01-15" in markdown_report(undated, "en")


def test_the_pipeline_passes_the_date_it_judged_on(tmp_path: Path) -> None:
    from netcensus.pipeline import audit

    (tmp_path / "inv.yaml").write_text(
        "departments: [{id: it, name: IT}]\nsites: [{id: a, name: A, district: d}]\n", encoding="utf-8")
    result = audit(tmp_path, None, today=dt.date(2031, 2, 3))
    assert result.audit_date == dt.date(2031, 2, 3)
    json_path = render("json", result, tmp_path / "out", RenderOptions())[0]
    assert '"audit_date": "2031-02-03"' in json_path.read_text(encoding="utf-8")


def _line(contract_end: dt.date | None) -> Inventory:
    c = Circuit(id="L1", carrier="China Telecom", kind="mstp", department="it",
                a=CircuitEnd(site="a"), z=CircuitEnd(site="b"), bandwidth_mbps=10, cost_cny=1000,
                contract_end=contract_end, notice_days=30, early_termination_cny=5000)
    return Inventory(circuits={"L1": c})


PROPOSAL = Proposal("circuit", "L1", "it", 12_000, 12_000, True, ("LIN003:L1",))


@pytest.mark.parametrize("ends, fee_listed", [(dt.date(2024, 1, 9), False), (dt.date(2024, 1, 10), False),
                                               (dt.date(2024, 1, 11), True), (None, True)])
def test_no_early_termination_fee_for_a_contract_that_has_ended(ends: dt.date | None, fee_listed: bool) -> None:
    inv = _line(ends)
    risks = _line_risks(inv, PROPOSAL, Names(inv, "en"), "en", dt.date(2024, 1, 10))
    assert any("early termination fee" in r for r in risks) is fee_listed
    assert any("contract ended" in r for r in risks) is (ends is not None and not fee_listed)
