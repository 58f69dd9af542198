"""reports.i18n: a complete catalogue, money as readers expect it, finding texts in Chinese."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from small_city import small_facts, small_inventory

from analysis.context import AuditContext, AuditResult
from analysis.findings import Finding, Severity
from analysis.registry import CHECKS, load_builtin_checks, run_checks
from analysis.summary import summarise
from collectors.facts import Interface
from inventory.model import Circuit, CircuitEnd, Device, Network, Policy, Site, Website
from reports.i18n import (
    CatalogueError,
    catalogue,
    check_catalogue,
    finding_recommendation,
    finding_title,
    load_catalogue,
    money,
    t,
)

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    assert check_catalogue(catalogue()) == []


def test_every_registered_check_has_chinese_title_and_recommendation() -> None:
    load_builtin_checks()
    missing = [f"finding.{code}.{part}" for code in sorted(CHECKS.available) for part in ("title", "recommendation")
               if f"finding.{code}.{part}" not in catalogue()]
    assert missing == []


def test_check_catalogue_reports_a_missing_language_and_a_placeholder_mismatch() -> None:
    problems = check_catalogue({
        "a": {"en": "only English"},
        "b": {"en": "{x} lines", "zh": "{y} 条专线"},
        "c": {"en": "{x:,.0f}", "zh": "{x}"},  # a format spec is not a different placeholder
    })
    assert problems[0] == "a: missing zh"
    assert problems[1].startswith("b: placeholders differ")
    assert len(problems) == 2


def test_loader_merges_files_and_names_the_file_of_a_duplicate_key(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text('x: {en: "X", zh: "甲"}\n', encoding="utf-8")
    (tmp_path / "b.yaml").write_text('y: {en: "Y", zh: "乙"}\n', encoding="utf-8")
    assert set(load_catalogue(tmp_path)) == {"x", "y"}
    (tmp_path / "c.yaml").write_text('x: {en: "again", zh: "重复"}\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"c\.yaml: x: already defined in a\.yaml"):
        load_catalogue(tmp_path)


def test_loader_names_the_file_of_broken_yaml(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("x: {en: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"bad\.yaml: cannot read"):
        load_catalogue(tmp_path)


@pytest.mark.parametrize(("amount", "lang", "shown"), [
    (125_000, "en", "CNY 125,000"),
    (125_000, "zh", "12.5 万元"),
    (120_000, "zh", "12 万元"),
    (9_800, "zh", "9,800 元"),
    (250_000_000, "zh", "2.5 亿元"),
    (0, "zh", "0 元"),
    (None, "en", "—"),
])
def test_money(amount: float | None, lang: str, shown: str) -> None:
    assert money(amount, lang) == shown


def test_unknown_language_and_key_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        t("label.saving", "fr")
    with pytest.raises(KeyError, match=r"no message 'label\.nope'"):
        t("label.nope", "en")
    with pytest.raises(KeyError, match="needs parameter"):
        t("text.collection", "en", ok=1)


def test_parameters_are_rendered_for_the_language() -> None:
    # money by the _cny suffix, lists joined with the Chinese enumeration comma
    assert t("text.saving_total", "zh", saving_cny=125_000, after_cny=1_000_000) == \
        "建议整合后每年可节约 12.5 万元（整合后年费 100 万元）。"
    assert t("text.saving_total", "en", saving_cny=125_000, after_cny=1_000_000).startswith(
        "Total proposed saving: CNY 125,000 a year")


def test_finding_title_in_chinese_uses_args_and_translates_enum_values() -> None:
    f = Finding("GOV001", "governance", Severity.HIGH, ("r9",), "room r9 of it appeared ...", "Obtain approval.",
                args={"kind": "room", "entity": "r9", "department": "it", "appeared": "2024-02-01",
                      "required_from": "2023-01-01"})
    assert finding_title(f, "zh") == "it 的机房 r9 于 2024-02-01 建成，晚于报批制度实施日期（2023-01-01），且无批复"
    # English reports keep the check's own wording (identical to the JSON report)
    assert finding_title(f, "en") == "room r9 of it appeared ..."
    assert finding_recommendation(f, "en") == "Obtain approval."


def test_finding_text_falls_back_to_english_when_args_or_entry_are_missing(small_result: AuditResult) -> None:
    lin005 = next(f for f in small_result.findings if f.code == "LIN005")  # passes no contract_end
    assert finding_title(lin005, "zh") == lin005.title
    unknown = dataclasses.replace(lin005, code="ZZZ999")
    assert finding_recommendation(unknown, "zh") == lin005.recommendation


def test_a_variant_is_chosen_by_the_args_the_check_passed() -> None:
    base = dict(circuit="c1", contract_end="2024-03-01", notice_by="2023-12-02", days_left=10)
    proposed = Finding("LIN005", "lines", Severity.MEDIUM, ("c1",), "t", "r",
                       args={**base, "proposed_by": "LIN003:c1", "decision": "proposed", "cancel": "at_end",
                             "cancel_effective": "2024-03-01", "cancel_notice_by": "2023-12-02"})
    undecided = dataclasses.replace(proposed, args={**base, "proposed_by": None, "decision": "open"})
    assert "LIN003:c1 已提出调整该线路的建议" in finding_recommendation(proposed, "zh")
    assert finding_recommendation(undecided, "zh").startswith("请在通知截止日期前决定续约")


def test_zombie_line_title_in_chinese(small_result: AuditResult) -> None:
    zombie = next(f for f in small_result.findings if f.code == "INV003")
    assert finding_title(zombie, "zh") == "专线 CU-002（east、hq）每年计费 9.6 万元，但两端均处于关闭状态"


def _busier_city() -> AuditContext:
    """The small city plus what makes most checks fire: a backbone, an address plan, a policy
    date, a website, an island site, a duplicate address and parallel lines of one department."""
    inv = small_inventory()
    circuits = dict(inv.circuits)
    for i, carrier in ((10, "China Telecom"), (11, "China Unicom")):
        circuits[f"X-{i}"] = Circuit(id=f"X-{i}", carrier=carrier, kind="mstp", department="it",
                                     a=CircuitEnd(site="hq"), z=CircuitEnd(site="west"),
                                     bandwidth_mbps=20, cost_cny=3_000)
    devices = dict(inv.devices)
    devices["core1"] = devices["core1"].model_copy(update={"networks": ("egov",)})
    devices["north1"] = Device(name="north1", host="10.0.3.1", platform="cisco_ios", department="it",
                               site="north")
    inv = dataclasses.replace(
        inv, circuits=circuits, devices=devices,
        sites={**inv.sites, "north": Site(id="north", name="North", district="North")},
        networks={"egov": Network(id="egov", name="E-gov", department="it", kind="egov_extranet",
                                  prefixes=("10.0.0.0/16",))},
        websites={"police.example.cn": Website(domain="police.example.cn", department="police")},
        policy=Policy(approval_required_from=dt.date(2023, 1, 1), portal_domain="gov.example.cn",
                      backbone="egov", address_plan={"it": ("10.0.0.0/16",), "police": ("10.1.0.0/16",)}),
    )
    facts = small_facts()
    for name, port in (("core1", "Vlan9"), ("east1", "Vlanif9")):
        extra = Interface(port, addresses=("10.9.9.1/24",), oper_up=True)
        facts[name] = dataclasses.replace(facts[name], interfaces=(*facts[name].interfaces, extra))
    return AuditContext(inv, facts, today=dt.date(2024, 1, 15))


def test_real_check_findings_read_in_chinese() -> None:
    """Every finding the real checks make here has a catalogue text filled from its args.

    When this fails, a check changed its args: update analysis/messages/findings.yaml.
    """
    findings = run_checks(_busier_city())
    codes = {f.code for f in findings}
    assert len(codes) >= 10 and {"INV001", "INV002", "ADR002", "CON001", "GOV001", "GOV003"} <= codes
    fallbacks = [f"{f.code}: {part}" for f in findings
                 for part, zh, en in (("title", finding_title(f, "zh"), f.title),
                                      ("recommendation", finding_recommendation(f, "zh"), f.recommendation))
                 if zh == en or not _CJK.search(zh)]
    assert fallbacks == []


def test_summary_of_real_findings_counts_each_proposed_saving_once() -> None:
    ctx = _busier_city()
    findings = run_checks(ctx)
    result = AuditResult(ctx.inventory, dict(ctx.facts), findings, ctx.graph, ctx.site_graph,
                         dt.datetime(2024, 1, 15), "inv", "captures", room_plan=ctx.room_plan)
    s = summarise(result)
    savings = sum(f.saving_cny_per_year or 0 for f in findings if f.status == "open")
    assert savings > 0
    assert s.proposed_saving_cny == pytest.approx(savings, abs=0.05)
    assert s.unattributed_saving_cny == pytest.approx(0, abs=0.05)
