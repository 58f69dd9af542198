"""The HTML report: one self-contained file per language with the planner's sections.

Uses the small hand-built audit of ``conftest.py`` (real models, real graph).
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.context import AuditResult
from analysis.findings import Evidence, Finding, Severity
from analysis.summary import summarise
from reports.html import build_html, embed_json, report_filename
from reports.html_view import display_name, finding_departments, finding_sites
from reports.i18n import check_catalogue, has, load_catalogue, money
from reports.registry import RenderOptions, render

TEMPLATES = Path(__file__).resolve().parents[2] / "reports" / "templates"


def findings_data(page: str) -> dict:
    """The JSON the findings table is built from."""
    match = re.search(r'<script type="application/json" id="nc-data">(.*?)</script>', page, re.S)
    assert match, "no findings data in the page"
    return json.loads(match.group(1))


class _Text(HTMLParser):
    """Visible text of a page (outside script and style), for "what does the reader see"."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def section(page: str, section_id: str) -> str:
    """The markup of one ``<section id=...>``."""
    match = re.search(rf'<section id="{section_id}">(.*?)</section>', page, re.S)
    assert match, f"no section {section_id}"
    return match.group(1)


# --------------------------------------------------------------------------- the file


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_renderer_writes_one_file_per_language(small_result: AuditResult, tmp_path: Path, lang: str) -> None:
    paths = render("html", small_result, tmp_path, RenderOptions(lang=lang))
    assert paths == [tmp_path / report_filename(lang)]
    page = paths[0].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    ET.fromstring(page)  # well-formed: every element closed, only XML entities
    for section_id in ("summary", "picture", "proposal", "costs", "findings", "departments", "collection"):
        assert f'<section id="{section_id}">' in page


def test_both_languages_can_share_a_folder(small_result: AuditResult, tmp_path: Path) -> None:
    render("html", small_result, tmp_path, RenderOptions(lang="en"))
    render("html", small_result, tmp_path, RenderOptions(lang="zh"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["netcensus-report-en.html", "netcensus-report-zh.html"]


def test_page_loads_nothing_from_the_network(small_result: AuditResult) -> None:
    page = build_html(small_result, "en")
    root = ET.fromstring(page)
    for element in root.iter():
        for name in ("src", "href", "xlink:href", "{http://www.w3.org/1999/xlink}href", "action"):
            value = element.get(name)
            if value is not None:
                assert value.startswith(("#", "data:")), f"<{element.tag} {name}={value!r}> reaches out"
    assert "@import" not in page and "url(http" not in page


def test_same_audit_gives_the_same_page(small_result: AuditResult) -> None:
    assert build_html(small_result, "zh") == build_html(small_result, "zh")


# --------------------------------------------------------------------------- language


def test_every_label_of_the_template_is_in_the_catalogue() -> None:
    keys = set()
    for path in TEMPLATES.glob("*.j2"):
        keys |= set(re.findall(r"""\bt\(\s*['"]([\w.]+)['"]""", path.read_text(encoding="utf-8")))
    assert keys, "the template uses no catalogue key?"
    assert sorted(k for k in keys if not has(k)) == []


def test_html_catalogue_is_complete_in_both_languages() -> None:
    messages = load_catalogue(Path(__file__).resolve().parents[2] / "reports" / "messages")
    html_keys = {k: v for k, v in messages.items() if k.startswith("html.")}
    assert html_keys
    assert check_catalogue(html_keys) == []


def test_chinese_report_reads_in_chinese(small_result: AuditResult) -> None:
    text = visible_text(build_html(small_result, "zh"))
    for heading in ("整合方案", "问题清单", "全市网络全景图", "各部门"):
        assert heading in text
    summary = summarise(small_result)
    assert money(summary.proposed_saving_cny, "zh") in text  # 万元 amounts
    assert "万元" in text
    assert "Consolidation proposal" not in text


def test_local_names_are_shown_beside_english_ones(small_result: AuditResult) -> None:
    en = visible_text(build_html(small_result, "en"))
    zh = visible_text(build_html(small_result, "zh"))
    assert "Public Security Bureau (市公安局)" in en
    assert "市公安局 (Public Security Bureau)" in zh
    assert "West Depot" in en and "West Depot" in zh  # no local name: the English one alone


def test_display_name_without_a_local_name() -> None:
    assert display_name("West Depot", None, "zh") == "West Depot"
    assert display_name("市政府", "市政府", "en") == "市政府"
    assert display_name(None, "东区", "en") == "东区"


# --------------------------------------------------------------------------- summary and proposal


def test_summary_shows_the_costs_and_the_total_saving(small_result: AuditResult) -> None:
    summary = summarise(small_result)
    text = visible_text(section(build_html(small_result, "en"), "summary"))
    assert money(summary.city.total_cny, "en") in text
    assert money(summary.proposed_saving_cny, "en") in text
    assert money(summary.city.total_cny - summary.proposed_saving_cny, "en") in text
    # "2 departments, 3 sites, ...": what was surveyed
    assert str(summary.surveyed.devices) in text and str(summary.surveyed.circuits) in text


def test_matrix_counts_findings_by_family_and_severity(small_result: AuditResult) -> None:
    page = build_html(small_result, "en")
    matrix = section(page, "summary")
    # one clickable count per non-empty (family, severity) cell, carrying its filter
    cells = re.findall(r'data-goto-family="(\w+)" data-goto-severity="(\d)">(\d+)<', matrix)
    expected = {}
    for f in small_result.findings:
        key = (f.family, str(int(f.severity)))
        expected[key] = expected.get(key, 0) + 1
    assert {(fam, sev): int(n) for fam, sev, n in cells} == expected


def test_proposal_lists_lines_to_cancel_or_merge_and_rooms_with_targets(small_result: AuditResult) -> None:
    text = visible_text(section(build_html(small_result, "en"), "proposal"))
    # CU-002 is a zombie: cancelled whole; CT-001 only loses part of its cost in the merge
    assert re.search(r"CU-002 .*? Cancel", text)
    assert re.search(r"CT-001 .*? Merge or reduce", text)
    assert "East Station (东区分局) ↔ City Hall (市政府大楼)" in text
    # the room closes into dc1 at City Hall
    assert re.search(r"pol-room .*? Close dc1 · City Hall", text)
    # risks: CU-002 ends at a critical site; the merge needs a new bandwidth
    assert "serves critical site City Hall (市政府大楼)" in text
    assert "agree the new bandwidth" in text


def test_lines_of_mandated_networks_go_to_the_higher_authority(small_result: AuditResult) -> None:
    mandated = Finding("LIN006", "lines", Severity.INFO, ("CT-001",),
                       "Line CT-001 of a network mandated by the Ministry of Public Security",
                       "Raise it with the ministry.", args={"circuit": "CT-001", "authority": "MPS",
                                                            "potential_saving_cny": 120_000.0})
    result = dataclasses.replace(small_result, findings=[*small_result.findings, mandated])
    text = visible_text(section(build_html(result, "en"), "proposal"))
    assert "Raise with a higher authority" in text
    assert "CT-001 Line CT-001 of a network mandated" in text
    assert "up to CNY 120,000 a year" in text


def test_nothing_to_propose_says_so(empty_result: AuditResult) -> None:
    text = visible_text(build_html(empty_result, "en"))
    assert "No leased line is proposed for cancellation." in text
    assert "No machine room is proposed for closing." in text
    assert findings_data(build_html(empty_result, "en"))["rows"] == []


def test_room_plan_notes_time_limit_and_infeasibility(small_result: AuditResult) -> None:
    plan = {"status": "time_limit", "gap": 0.012, "moves": [
        {"room": "pol-room", "into": "dc1", "hops": 2, "migration_cost_cny": 60_000.0,
         "payback_years": 0.4, "yearly_saving_cny": 150_000.0, "racks_moved": 2}],
        "yearly_saving_cny": 150_000.0, "migration_cost_cny": 60_000.0, "payback_years": 0.4}
    text = visible_text(section(build_html(dataclasses.replace(small_result, room_plan=plan), "en"),
                                "proposal"))
    assert "best one found within the time limit (at most 1.2% from the optimum)" in text
    assert "one-off migration cost of CNY 60,000" in text
    assert "2 network hops from its target" in text
    infeasible = {"status": "infeasible", "message": "room r9 has no target", "moves": []}
    text = visible_text(build_html(dataclasses.replace(small_result, room_plan=infeasible), "en"))
    assert "No room plan satisfies the constraints: room r9 has no target" in text


def test_costs_per_department_and_site_before_and_after(small_result: AuditResult) -> None:
    summary = summarise(small_result)
    text = visible_text(section(build_html(small_result, "en"), "costs"))
    police = next(c for c in summary.departments if c.id == "police")
    assert re.search(rf"Public Security Bureau \(市公安局\) .*?{re.escape(money(police.total_cny, 'en'))} "
                     rf"{re.escape(money(police.after_cny, 'en'))}", text)
    for site in summary.sites:
        assert money(site.after_cny, "en") in text


# --------------------------------------------------------------------------- findings data


def test_findings_data_has_every_finding_with_department_and_evidence(small_result: AuditResult) -> None:
    data = findings_data(build_html(small_result, "en"))
    rows = {r["key"]: r for r in data["rows"]}
    assert list(rows) == [f.key for f in small_result.findings]  # the report's order
    zombie = rows["INV003:CU-002"]
    assert zombie["depts"] == ["police"] and zombie["family"] == "inventory" and zombie["sev"] == 3
    assert zombie["evidence"][1] == ["captures/east1/display_interface.txt", "GigabitEthernet0/0/2 down"]
    assert zombie["sites"] == ["east", "hq"]
    assert data["departments"]["police"] == "Public Security Bureau"  # the table cell: one name
    assert data["departmentsFull"]["police"] == "Public Security Bureau (市公安局)"  # its tooltip
    assert data["pageSize"] > 0


def test_findings_table_is_filled_by_the_script_one_page_at_a_time(small_result: AuditResult) -> None:
    many = [Finding("LIN004", "lines", Severity.LOW, (f"C{i:05d}",), f"underused line {i}", "Downgrade.")
            for i in range(3000)]
    page = build_html(dataclasses.replace(small_result, findings=many), "en")
    # rows are not in the markup (the script renders one page): the page stays small and fast
    assert '<tbody id="nc-rows"></tbody>' in page
    assert len(findings_data(page)["rows"]) == 3000


def test_finding_departments_from_subjects_args_and_sites(small_result: AuditResult) -> None:
    inv = small_result.inventory
    by_site = Finding("CON001", "connectivity", Severity.HIGH, ("east",), "island", "Connect it.")
    by_args = Finding("LIN002", "lines", Severity.LOW, ("East", "West"), "districts", "Share.",
                      args={"circuits": ["CM-003"]})
    by_address = Finding("ADR002", "addressing", Severity.HIGH, ("10.9.9.9",), "dup", "Fix.")
    assert finding_departments(by_site, inv) == ("police",)
    assert finding_departments(by_args, inv) == ("it",)
    assert finding_departments(by_address, inv) == ()
    on_devices = dataclasses.replace(by_address, args={"devices": ["east1", "west1"]})
    assert finding_departments(on_devices, inv) == ("it", "police")
    assert finding_sites(on_devices, inv) == ("east", "west")
    assert finding_sites(by_args, inv) == ("hq", "west")


def test_new_findings_are_marked_when_the_run_has_a_baseline(small_result: AuditResult) -> None:
    diff = {"base_run": 1, "new": [{"key": "INV003:CU-002"}], "resolved": [], "unchanged": []}
    page = build_html(dataclasses.replace(small_result, diff=diff), "en")
    flags = {r["key"]: r["new"] for r in findings_data(page)["rows"]}
    assert flags["INV003:CU-002"] is True and sum(flags.values()) == 1


def test_departments_each_get_a_section(small_result: AuditResult) -> None:
    page = build_html(small_result, "en")
    part = section(page, "departments")
    assert 'id="dept-police"' in part and 'id="dept-it"' in part
    text = visible_text(part)
    assert "vertical (ministry-mandated)" in text
    assert "0 of 1 devices collected" in text  # police: east1, only partly collected
    assert "1 of 3 devices collected" in text  # it: core1 ok, west1 timed out, west2 missing
    assert 'data-goto-dept="police"' in part


def test_collection_problems_are_listed(small_result: AuditResult) -> None:
    text = visible_text(section(build_html(small_result, "en"), "collection"))
    assert "west1" in text and "timed out after 30 s" in text
    assert "east1" in text and "no template matched" in text
    assert "core1" not in text


def test_embed_json_cannot_close_its_script_or_a_cdata_section() -> None:
    nasty = {"a": "</script><script>alert(1)</script>", "b": "]]><x/>", "c": "&amp; \u2028 é 中"}
    text = str(embed_json(nasty))
    assert not set("<>&") & set(text)
    assert "\u2028" not in text
    assert json.loads(text) == nasty


def test_evidence_text_is_kept_whole(small_result: AuditResult) -> None:
    config = "interface Gi0/1\n description <uplink> & \"core\"\n ip address 10.0.0.1 255.255.255.252"
    f = Finding("ADR002", "addressing", Severity.HIGH, ("10.0.0.1",), "dup", "Fix.",
                (Evidence("captures/core1/show_running-config.txt", config),))
    data = findings_data(build_html(dataclasses.replace(small_result, findings=[f]), "en"))
    assert data["rows"][0]["evidence"] == [["captures/core1/show_running-config.txt", config]]


@pytest.mark.parametrize("module", ["reports.html", "reports.html_view", "reports.svg"])
def test_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(module))
    assert tried > 0 and failures == 0


def test_long_cost_tables_and_department_lists_open_short(small_result: AuditResult) -> None:
    from analysis.graph import build_graph, site_graph
    from inventory.model import Circuit, CircuitEnd, Department, Site
    from reports.html import ROWS_SHOWN

    inv = small_result.inventory
    n = ROWS_SHOWN + 5
    sites = {**inv.sites, **{f"s{i}": Site(id=f"s{i}", name=f"Branch {i}", district="D") for i in range(n)}}
    departments = {**inv.departments, **{f"d{i}": Department(id=f"d{i}", name=f"Office {i}") for i in range(n)}}
    circuits = {**inv.circuits, **{f"L{i}": Circuit(id=f"L{i}", carrier="China Telecom", kind="mstp",
                                                     department=f"d{i}", a=CircuitEnd(site="hq"),
                                                     z=CircuitEnd(site=f"s{i}"), bandwidth_mbps=10,
                                                     cost_cny=1000 + i) for i in range(n)}}
    inv = dataclasses.replace(inv, sites=sites, departments=departments, circuits=circuits)
    graph = build_graph(inv, small_result.facts)
    big = dataclasses.replace(small_result, inventory=inv, graph=graph, site_graph=site_graph(graph))
    root = ET.fromstring(build_html(big, "en"))
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    for more, count in (("more-site-costs", len(summarise(big).sites)),
                        ("more-dept-costs", len(summarise(big).departments)),
                        ("more-departments", len(departments))):
        assert by_id[more].get("hidden") == "hidden"
        assert len([b for b in root.iter("button") if b.get("data-reveal") == more]) == 1
        hidden = len(list(by_id[more].iter("tr" if by_id[more].tag == "tbody" else "details")))
        assert hidden == count - ROWS_SHOWN, more
