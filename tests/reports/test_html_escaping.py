"""Untrusted text cannot inject markup or script into the HTML report.

Every place device or inventory text reaches the page gets hostile strings: neighbour
names, interface descriptions, config lines in evidence, site, department, room and
carrier names, collection errors, finding titles and subjects. The page is then parsed
twice (html.parser, as a browser tokenises, and ElementTree, as XML): both must see
exactly the elements the template writes, no event-handler attribute, and the hostile
strings only as text.
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import ClassVar

import pytest

from analysis.context import AuditResult
from analysis.findings import Evidence, Finding, Severity
from analysis.graph import build_graph, site_graph
from collectors.facts import CommandProblem, DeviceFacts, Neighbour
from reports.html import build_html

PAYLOADS = (
    "<script>window.pwned=1</script>",
    "\"'><img src=x onerror=window.pwned=2>",
    "]]><svg onload=window.pwned=3>",
    "</style><b>bold</b>",
    "</script><script>window.pwned=4</script>",
    "{{ 7*7 }}&amp;&lt;",
)
HOSTILE = " ".join(PAYLOADS)

#: Every element the template and the SVG write; anything else was injected.
ALLOWED_TAGS = {
    "html", "head", "meta", "link", "title", "style", "body", "header", "nav", "main", "section", "footer",
    "div", "span", "p", "a", "h1", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "ul", "li",
    "code", "button", "select", "option", "input", "details", "summary", "noscript", "script", "strong",
    # the inline SVG
    "svg", "defs", "marker", "path", "g", "circle", "rect", "text",
}


def hostile_result(result: AuditResult) -> AuditResult:
    """The small audit with hostile text in every field a device or an inventory fills."""
    inv = result.inventory
    sites = {k: s.model_copy(update={"name": f"{s.name} {HOSTILE}", "local_name": f"站点{HOSTILE}",
                                     "district": HOSTILE})
             for k, s in inv.sites.items()}
    departments = {k: d.model_copy(update={"name": f"{d.name} {HOSTILE}", "local_name": HOSTILE})
                   for k, d in inv.departments.items()}
    rooms = {k: r.model_copy(update={"name": HOSTILE}) for k, r in inv.rooms.items()}
    circuits = {k: c.model_copy(update={"carrier": f"{c.carrier} {HOSTILE}"}) for k, c in inv.circuits.items()}
    inventory = dataclasses.replace(inv, sites=sites, departments=departments, rooms=rooms, circuits=circuits)

    facts = dict(result.facts)
    core = facts["core1"]
    facts["core1"] = dataclasses.replace(
        core,
        interfaces=tuple(dataclasses.replace(i, description=HOSTILE) for i in core.interfaces),
        neighbours=(*core.neighbours, Neighbour("GigabitEthernet0/9", HOSTILE, "Gi0/0", "10.9.9.9")),
        config=f"hostname core1\ninterface Gi0/9\n description {HOSTILE}\n",
    )
    facts["west1"] = DeviceFacts(device="west1", platform="hp_comware", status="timeout", error=HOSTILE,
                                 problems=(CommandProblem("display version", "device_error", HOSTILE),))
    graph = build_graph(inventory, facts)

    findings = [
        Finding("INV001", "inventory", Severity.MEDIUM, (HOSTILE,), f"Undeclared device {HOSTILE}",
                f"Declare {HOSTILE}.",
                (Evidence(f"captures/core1/{HOSTILE}.txt", f"{HOSTILE} on GigabitEthernet0/9"),),
                args={"name": HOSTILE, "seen_by": [HOSTILE]}),
        Finding("INV003", "inventory", Severity.HIGH, ("CU-002",), f"Zombie line {HOSTILE}", HOSTILE,
                (Evidence("inv/circuits.yaml:14", f" description {HOSTILE}"),),
                saving_cny_per_year=96_000, args={"circuit": "CU-002", "carrier": HOSTILE}),
        Finding("ROM001", "rooms", Severity.MEDIUM, ("pol-room",), HOSTILE, HOSTILE,
                (Evidence("inv/rooms.yaml:9", HOSTILE),), saving_cny_per_year=150_000,
                args={"room": "pol-room", "into": "dc1"}),
        Finding("CON001", "connectivity", Severity.HIGH, ("west",), f"Island {HOSTILE}", HOSTILE),
    ]
    plan = {"status": "infeasible", "message": HOSTILE,
            "moves": [{"room": "pol-room", "into": "dc1", "hops": 1, "payback_years": 0.5,
                       "migration_cost_cny": 1.0}]}
    return dataclasses.replace(
        result, inventory=inventory, facts=facts, graph=graph, site_graph=site_graph(graph),
        findings=sorted(findings, key=Finding.sort_key), inventory_path=HOSTILE, captures_path=HOSTILE,
        room_plan=plan, diff={"new": [{"key": HOSTILE}]})


class Tree(HTMLParser):
    """What a browser's tokenizer sees: elements, attributes, script bodies, text."""

    VOID: ClassVar[frozenset[str]] = frozenset({"meta", "link", "input", "br", "img", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.unbalanced: list[str] = []
        self._raw: tuple[str, dict] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]
        if tag in ("script", "style"):
            self._raw = (tag, dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            tag, attrs = self._raw
            (self.scripts.append((attrs, data)) if tag == "script" else self.styles.append(data))
            self._raw = None
        else:
            self.text.append(data)


def parse(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    return tree


@pytest.fixture(params=["en", "zh"])
def page(request: pytest.FixtureRequest, small_result: AuditResult) -> str:
    return build_html(hostile_result(small_result), request.param)


def test_no_element_or_attribute_is_injected(page: str) -> None:
    tree = parse(page)
    assert set(tree.tags) <= ALLOWED_TAGS, set(tree.tags) - ALLOWED_TAGS
    handlers = [(tag, name) for tag, name, _ in tree.attrs if name.lower().startswith("on")]
    assert handlers == []
    assert tree.tags.count("script") == 2 and tree.tags.count("style") == 1
    assert tree.unbalanced == [] and tree.stack == []


def test_html_and_xml_parsers_see_the_same_elements(page: str) -> None:
    """A string that broke out of its context would make the two tokenizers disagree."""
    root = ET.fromstring(page)
    xml_tags = [re.sub(r"^\{.*\}", "", el.tag) for el in root.iter()]
    assert xml_tags == parse(page).tags


def test_scripts_are_only_the_reports_own(page: str) -> None:
    (data_attrs, data), (code_attrs, code) = parse(page).scripts
    assert data_attrs == {"type": "application/json", "id": "nc-data"} and code_attrs == {}
    assert "pwned" not in code
    rows = json.loads(data)["rows"]  # intact JSON whose strings hold the payloads as data
    assert any(HOSTILE in r["title"] for r in rows)
    assert any(HOSTILE in detail for r in rows for _, detail in r["evidence"])
    assert "<" not in data and "&" not in data


def test_hostile_text_is_shown_as_text(page: str) -> None:
    text = "".join(parse(page).text)
    for payload in PAYLOADS:
        assert payload in text  # shown literally (site names, departments, errors, proposal rows)
    assert "{{ 7*7 }}" in text and "49" not in text.replace("2049", "")  # not a template either


def test_style_holds_only_the_reports_stylesheet(page: str) -> None:
    (style,) = parse(page).styles
    assert "pwned" not in style and "<b>" not in style


def test_the_picture_escapes_site_and_carrier_names(page: str) -> None:
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    root = ET.fromstring(svg)
    names = {re.sub(r"^\{.*\}", "", el.tag) for el in root.iter()}
    assert names <= {"svg", "title", "defs", "marker", "path", "g", "circle", "rect", "text"}
    labels = " ".join("".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text"))
    assert HOSTILE in labels  # the site labels keep the hostile names, as text
