"""The self-contained HTML report for planners (format ``html``).

One file per audit and language, ``netcensus-report-<lang>.html``: inline CSS, inline
JavaScript, an inline SVG picture, no external resource, so it opens from disk with
no network. Sections: summary (costs, saving, counts), the network picture, the
consolidation proposal, costs per department and site, the findings table (filter,
sort, paginate, evidence), one section per department, and the collection problems.

Untrusted text (LLDP names, interface descriptions, config lines, inventory names)
reaches the page in three ways, each escaped for its context:

* template text and attributes: Jinja2 with autoescape on (markupsafe escapes
  ``& < > " '``); nothing untrusted is ever marked safe;
* the SVG: built by :mod:`reports.svg`, which escapes every text and attribute;
* the findings data for the script: JSON in a ``<script type="application/json">``
  element, with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026``
  (:func:`embed_json`), so no ``</script>`` or ``]]>`` can appear in it; the script
  puts it on the page with ``textContent`` only.

The page is also well-formed XML (void elements closed, only XML entities, the
script inside a CDATA section), so a test can check its whole element tree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from analysis.context import AuditResult
from analysis.findings import Severity
from analysis.summary import SEVERITIES, AuditSummary, summarise
from reports import html_view as view
from reports.i18n import has, money, t
from reports.registry import RenderOptions, renderer
from reports.svg import Highlights, PictureLabels, network_svg

__all__ = ["FILE_STEM", "build_html", "embed_json", "render_html", "report_filename"]

FILE_STEM = "netcensus-report"
#: Rows of the cost tables and department sections laid out when the page opens; the rest
#: wait behind a "show all" button, so a city of thousands of sites still opens quickly.
ROWS_SHOWN = 25
TEMPLATES = Path(__file__).with_name("templates")
#: Characters that could end a script element or a CDATA section, or start an entity.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def report_filename(lang: str) -> str:
    """``netcensus-report-en.html`` / ``netcensus-report-zh.html``: both can share a folder."""
    return f"{FILE_STEM}-{lang}.html"


@renderer("html")
def render_html(result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Write the HTML report of ``result`` in ``options.lang`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / report_filename(options.lang)
    path.write_text(build_html(result, options.lang), encoding="utf-8")
    return [path]


def embed_json(data: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">`` (and XML text).

    >>> str(embed_json({"name": "</script><b>&"}))
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a misspelt variable fails the tests, not the planner
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _asset(name: str) -> Markup:
    """An inline asset (CSS or JS) checked to be safe as XML text of its element."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if "]]>" in text or "</" in text:
        raise ValueError(f"{TEMPLATES / name}: must not contain ']]>' or '</' (it is inlined)")
    if name.endswith(".css") and ("<" in text or "&" in text):
        raise ValueError(f"{TEMPLATES / name}: CSS is inlined as XML text: no '<' or '&'")
    return Markup(text)


def build_html(result: AuditResult, lang: str, *, summary: AuditSummary | None = None) -> str:
    """The whole report as one HTML string (pure: same result, same page)."""
    summary = summary or summarise(result)
    context = page_context(result, summary, lang)
    return _environment().get_template("report.html.j2").render(
        **context, css=_asset("report.css"), js=_asset("report.js"))


def page_context(result: AuditResult, summary: AuditSummary, lang: str) -> dict[str, Any]:
    """Everything the template reads, in ``lang``."""
    inv = result.inventory
    names = view.Names(inv, lang)
    proposal = view.proposal_view(result, summary, lang)
    data = view.findings_payload(result, summary, lang)
    return {
        "t": lambda key, **params: t(key, lang, **params),
        "shown": ROWS_SHOWN,
        "started": result.started.strftime("%Y-%m-%d %H:%M %Z").strip(),
        "audit_date": t("report.audit_date", lang, date=result.audit_date.isoformat()),
        "sources": t("report.sources", lang, inventory=result.inventory_path,
                     captures=result.captures_path or t("report.no_captures", lang)),
        "surveyed": t("text.surveyed", lang, **_surveyed(summary)),
        "kpis": _kpis(summary, lang),
        "matrix": _matrix(summary, lang),
        "severities": [(s, t(f"severity.{s}", lang)) for s in SEVERITIES],
        "picture": Markup(network_svg(result.site_graph, inv, highlights=_highlights(result, summary),
                                      labels=_picture_labels(lang),
                                      site_names={s: names.site(s) for s in inv.sites},
                                      site_labels={s: names.site_short(s) for s in inv.sites})),
        "proposal": proposal,
        "dept_costs": view.cost_rows(summary.departments, {d: names.department(d) for d in inv.departments}, lang),
        "site_costs": view.cost_rows(summary.sites, {s: names.site(s) for s in inv.sites}, lang),
        "families": [(fam, data["families"][fam], n) for fam, n in summary.by_family.items() if n],
        "severity_filters": [(str(_severity_value(s)), t(f"severity.{s}", lang), n)
                             for s, n in summary.by_severity.items() if n],
        "dept_filters": sorted(((d, short, data["departmentsFull"][d]) for d, short in data["departments"].items()),
                               key=lambda option: option[1]),
        "code_filters": _code_counts(result),
        "findings_total": summary.findings_total,
        "data": embed_json(data),
        "departments": view.department_views(result, summary, lang),
        "collection": _collection_rows(summary, names, lang),
    }


def _severity_value(name: str) -> int:
    return int(Severity.parse(name))


def _surveyed(summary: AuditSummary) -> dict[str, int]:
    s = summary.surveyed
    return {"departments": s.departments, "sites": s.sites, "rooms": s.rooms, "networks": s.networks,
            "devices": s.devices, "circuits": s.circuits, "websites": s.websites}


@dataclass(frozen=True, slots=True)
class Kpi:
    """One headline card; ``target`` is the section it links to."""

    cls: str
    target: str
    label: str
    value: str
    detail: str


def _kpis(summary: AuditSummary, lang: str) -> list[Kpi]:
    """The headline cards: cost today, saving, cost after, urgent findings, collection."""
    city = summary.city
    total, saving = city.total_cny, summary.proposed_saving_cny
    share = f"{100 * saving / total:.1f}" if total > 0 else "0"
    urgent = summary.by_severity.get("critical", 0) + summary.by_severity.get("high", 0)
    collected = summary.collection_by_status.get("ok", 0)
    return [
        Kpi("cost", "costs", t("html.kpi.cost_today", lang), money(total, lang),
            t("html.kpi.cost_split", lang, lines_cny=city.lines_cny, rooms_cny=city.rooms_cny)),
        Kpi("saving", "proposal", t("html.kpi.saving", lang), money(saving, lang),
            t("html.kpi.saving_share", lang, percent=share)),
        Kpi("after", "proposal", t("html.kpi.after", lang), money(max(total - saving, 0.0), lang),
            t("html.kpi.removed", lang, lines=city.lines_removed, rooms=city.rooms_closed)),
        Kpi("urgent", "findings", t("html.kpi.urgent", lang), str(urgent),
            t("html.kpi.urgent_detail", lang, total=summary.findings_total)),
        Kpi("collected", "collection", t("html.kpi.collected", lang), f"{collected} / {summary.surveyed.devices}",
            t("html.kpi.collected_detail", lang, failed=summary.devices_failed)),
    ]


def _matrix(summary: AuditSummary, lang: str) -> list[dict[str, Any]]:
    """Rows of the family x severity table (every family, so an empty one reads as 'nothing')."""
    return [{"family": fam, "label": t(f"family.{fam}", lang) if has(f"family.{fam}") else fam,
             "cells": [(s, str(_severity_value(s)), summary.by_family_severity[fam].get(s, 0))
                       for s in SEVERITIES],
             "total": summary.by_family[fam],
             "saving": money(summary.saving_by_family.get(fam, 0.0), lang)
             if summary.saving_by_family.get(fam) else "—"}
            for fam in summary.by_family]


def _code_counts(result: AuditResult) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    return sorted(counts.items())


def _collection_rows(summary: AuditSummary, names: view.Names, lang: str) -> list[dict[str, str]]:
    """Devices not fully collected, with a readable status."""
    return [{"device": d.device, "department": names.department(d.department), "site": names.site(d.site),
             "status": d.status,
             "status_label": t(f"collection.{d.status}", lang) if has(f"collection.{d.status}") else d.status,
             "error": d.error or "", "problems": "; ".join(d.problems)}
            for d in summary.collection if d.status != "ok"]


def _highlights(result: AuditResult, summary: AuditSummary) -> Highlights:
    """What the picture singles out: proposed lines, other flagged lines and sites, room moves."""
    inv = result.inventory
    cancel = frozenset(p.id for p in summary.proposals if p.kind == "circuit")
    # Only a finding's own subjects count: a finding about a district pair lists its lines in
    # args, and ringing all of them would ring half the city.
    subjects = {s for f in result.findings if f.status != "waived" for s in f.subjects}
    flagged = frozenset(i for i in subjects if i in inv.circuits) - cancel
    sites = frozenset(i for i in subjects if i in inv.sites)
    moves: dict[str, str | None] = {room: move.get("into") for room, move in
                                    view.plan_moves(view.room_plan_of(result)).items()}
    for p in summary.proposals:
        if p.kind == "room":
            moves.setdefault(p.id, None)
    return Highlights(cancel_circuits=cancel, flagged_circuits=flagged, flagged_sites=sites, room_moves=moves)


def _picture_labels(lang: str) -> PictureLabels:
    def s(key: str) -> str:
        return t(f"html.svg.{key}", lang)

    kinds = ("mstp", "sdh", "mpls_vpn", "dark_fibre", "internet")
    return PictureLabels(
        title=t("html.picture.heading", lang), legend=s("legend"), backbone_site=s("backbone_site"),
        site=s("site"), critical_site=s("critical_site"), site_flagged=s("site_flagged"),
        room_closing=s("room_closing"), room_move=s("room_move"), cancel_line=s("cancel_line"),
        flagged_line=s("flagged_line"), observed_link=s("observed_link"), carriers=s("carriers"),
        kinds=s("kinds"), kind_names={k: t(f"term.{k}", lang) for k in kinds if has(f"term.{k}")},
        no_sites=s("no_sites"), placed_by_coordinates=s("by_coordinates"), placed_by_layout=s("by_layout"),
        devices=s("devices"))
