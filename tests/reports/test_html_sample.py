"""The HTML report of the bundled sample city: what the sample plants, the report shows."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from analysis.context import AuditResult
from analysis.summary import summarise
from reports.html import build_html
from reports.i18n import money

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditResult, dict]:
    from netcensus.pipeline import audit
    from netcensus.sample import generate

    city = generate(tmp_path_factory.mktemp("sample"))
    planted = json.loads(Path(city.planted_path).read_text(encoding="utf-8"))
    result = audit(city.inventory_dir, city.captures_dir, today=dt.date.fromisoformat(planted["today"]))
    return result, planted


@pytest.fixture(scope="module")
def pages(sample: tuple[AuditResult, dict]) -> dict[str, str]:
    result, _ = sample
    return {lang: build_html(result, lang) for lang in ("en", "zh")}


def rows(page: str) -> list[dict]:
    data = re.search(r'<script type="application/json" id="nc-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(data)["rows"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_planted_finding_is_in_the_table(sample: tuple[AuditResult, dict], pages: dict[str, str],
                                               lang: str) -> None:
    _, planted = sample
    keys = {r["key"] for r in rows(pages[lang])}
    expected = {f"{f['code']}:{'|'.join(f['subjects'])}" for f in planted["findings"]}
    assert expected <= keys


def test_the_proposal_names_the_lines_and_rooms_that_go(sample: tuple[AuditResult, dict],
                                                        pages: dict[str, str]) -> None:
    result, _ = sample
    summary = summarise(result)
    proposal = re.search(r'<section id="proposal">(.*?)</section>', pages["en"], re.S).group(1)
    for p in summary.proposals:
        assert f"<code>{p.id}</code>" in proposal
        assert money(p.saving_cny_per_year, "en") in proposal
    assert summary.proposals, "the sample plants lines and rooms to consolidate"


def test_the_picture_draws_every_site_and_line_of_the_sample(sample: tuple[AuditResult, dict],
                                                            pages: dict[str, str]) -> None:
    result, _ = sample
    svg = ET.fromstring(re.search(r"<svg .*?</svg>", pages["zh"], re.S).group(0))
    sites = {g.get("data-site") for g in svg.iter(f"{SVG}g") if g.get("class") == "nc-site"}
    lines = {p.get("data-circuit") for p in svg.iter(f"{SVG}path") if p.get("class") == "nc-circuit"}
    assert sites == set(result.inventory.sites)
    inter_site = {c.id for c in result.inventory.circuits.values() if c.a.site != c.z.site}
    assert lines == inter_site
    labels = {t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "nc-label"}
    local = {s.local_name for s in result.inventory.sites.values() if s.local_name}
    assert labels and labels <= local | {s.name for s in result.inventory.sites.values()}
