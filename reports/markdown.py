"""Markdown summary for email and wikis, in English or Chinese (``netcensus-report-<lang>.md``).

What was surveyed, what lines and rooms cost and what the proposal saves, finding
counts, the top findings and a section per family. Every number comes from
:func:`analysis.summary.summarise`; every word from the message catalogue.

Device and inventory text is untrusted: :func:`md_text` escapes Markdown and HTML
syntax so a device name cannot break a table, inject a link or raw HTML.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from analysis.context import AuditResult
from analysis.findings import Finding
from analysis.summary import SEVERITIES, AuditSummary, CostLine, summarise, top_findings
from inventory.model import Inventory
from reports.i18n import display_name, finding_recommendation, finding_title, has, money, t
from reports.registry import RenderOptions, renderer
from reports.text import one_line

__all__ = ["markdown_filename", "markdown_report", "md_cell", "md_text", "render_markdown"]


def markdown_filename(lang: str) -> str:
    """``netcensus-report-en.md`` / ``netcensus-report-zh.md``: both languages can share a folder."""
    return f"netcensus-report-{lang}.md"


# Characters that change inline rendering anywhere in a line (emphasis, code, links and
# images, tables, raw HTML, entities, strikethrough, escapes themselves); CommonMark lets
# every one of them be backslash-escaped. Line-start syntax (#, -, +) cannot occur: our
# text never starts a line.
#: An email stays readable: the most expensive sites, and so many findings per family;
#: the CSV and JSON reports have everything.
SITE_ROWS = 30
FAMILY_ITEMS = 50

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_text(text: object) -> str:
    """Untrusted text as literal inline Markdown: one line, every special character escaped.

    >>> md_text("a|b\\n<b>x</b>")
    'a\\\\|b \\\\<b\\\\>x\\\\</b\\\\>'
    """
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def md_cell(text: object) -> str:
    """Untrusted text for a table cell (same as :func:`md_text`; never empty, so columns keep)."""
    return md_text(text) or " "


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align_right: Sequence[int] = ()) -> list[str]:
    """A pipe table; cells must already be escaped."""
    rule = ["---:" if i in align_right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _surveyed(s: AuditSummary, lang: str) -> list[str]:
    ok = s.collection_by_status.get("ok", 0)
    return [f"## {t('heading.surveyed', lang)}", "",
            t("text.surveyed", lang, **dataclasses.asdict(s.surveyed)),
            t("text.collection", lang, ok=ok, devices=s.surveyed.devices), ""]


def _cost_rows(lines: Iterable[CostLine], lang: str) -> list[list[str]]:
    rows = []
    for c in lines:
        name = t("label.city", lang) if c.scope == "city" else display_name(c.name, c.local_name, lang)
        rows.append([md_cell(name), money(c.lines_cny, lang), money(c.rooms_cny, lang),
                     money(c.total_cny, lang), money(c.after_cny, lang), money(c.saving_cny, lang)])
    return rows


def _costs(s: AuditSummary, lang: str) -> list[str]:
    c = s.city
    out = [f"## {t('heading.costs', lang)}", "",
           t("text.costs_now", lang, lines_cny=c.lines_cny, rooms_cny=c.rooms_cny, total_cny=c.total_cny)]
    if s.proposed_saving_cny > 0:
        out.append(t("text.saving_total", lang, saving_cny=s.proposed_saving_cny,
                     after_cny=c.total_cny - s.proposed_saving_cny))
        out.append(t("text.removed", lang, lines=c.lines_removed, rooms=c.rooms_closed))
        if s.unattributed_saving_cny > 0:
            out.append(t("text.unattributed", lang, saving_cny=s.unattributed_saving_cny))
    else:
        out.append(t("text.saving_none", lang))
    out.append("")
    header = [t("label.lines_cost", lang), t("label.rooms_cost", lang), t("label.cost_before", lang),
              t("label.cost_after", lang), t("label.saving", lang)]
    if s.departments:  # the city row last, as the total of the department rows
        out += [f"### {t('heading.costs_by_department', lang)}", ""]
        out += _table([t("label.department", lang), *header], _cost_rows((*s.departments, c), lang),
                      align_right=range(1, 6))
    if s.sites:
        shown = s.sites[:SITE_ROWS]
        out += [f"### {t('heading.costs_by_site', lang)}", ""]
        out += _table([t("label.site", lang), *header], _cost_rows(shown, lang), align_right=range(1, 6))
        if len(s.sites) > len(shown):
            out += [t("text.rows_more", lang, shown=len(shown), total=len(s.sites)), ""]
    return out


def _counts(s: AuditSummary, lang: str) -> list[str]:
    out = [f"## {t('heading.counts', lang)}", ""]
    if not s.findings_total:
        return [*out, t("text.no_findings", lang), ""]
    out += [t("text.findings_total", lang, total=s.findings_total, open=s.by_status.get("open", 0),
              waived=s.by_status.get("waived", 0)), ""]
    header = [t("label.family", lang), *(t(f"severity.{sev}", lang) for sev in SEVERITIES), t("label.total", lang)]
    rows = [[md_cell(_family(fam, lang)), *(str(counts[sev]) for sev in SEVERITIES), str(s.by_family[fam])]
            for fam, counts in s.by_family_severity.items() if s.by_family[fam]]
    rows.append([t("label.total", lang), *(str(s.by_severity[sev]) for sev in SEVERITIES),
                 str(s.findings_total)])
    return out + _table(header, rows, align_right=range(1, len(header)))


def _family(family: str, lang: str) -> str:
    key = f"family.{family}"
    return t(key, lang) if has(key) else family


def _saving(f: Finding, lang: str) -> str:
    return money(f.saving_cny_per_year, lang) if f.saving_cny_per_year else ""


def _top(result: AuditResult, s: AuditSummary, lang: str, n: int) -> list[str]:
    top = top_findings(result.findings, n)
    if not top:
        return []
    out = [f"## {t('heading.top_findings', lang)}", ""]
    header = ["#", t("label.severity", lang), t("label.code", lang), t("label.title", lang),
              t("label.saving", lang)]
    rows = [[str(i), t(f"severity.{f.severity}", lang), f.code, md_cell(finding_title(f, lang, result.inventory)),
             _saving(f, lang)] for i, f in enumerate(top, 1)]
    out += _table(header, rows, align_right=(0, 4))
    live = sum(1 for f in result.findings if f.status != "waived")
    if live > len(top):
        out += [t("text.top_more", lang, shown=len(top), total=live), ""]
    return out


def _collection(s: AuditSummary, lang: str) -> list[str]:
    failed = [d for d in s.collection if d.status != "ok"]
    if not failed:
        return []
    out = [f"## {t('heading.collection_problems', lang)}", ""]
    header = [t("label.device", lang), t("label.site", lang), t("label.status", lang), t("label.error", lang)]
    rows = [[md_cell(d.device), md_cell(d.site or ""), md_cell(t(f"collection.{d.status}", lang)),
             md_cell("; ".join(filter(None, [d.error, *d.problems])))] for d in failed]
    return out + _table(header, rows)


def _families(result: AuditResult, s: AuditSummary, lang: str) -> list[str]:
    if not s.findings_total:
        return []
    out = [f"## {t('heading.families', lang)}", ""]
    for fam, count in s.by_family.items():
        if not count:
            continue
        out += [f"### {md_text(_family(fam, lang))}", ""]
        intro = f"family.{fam}.intro"
        if has(intro):
            out.append(t(intro, lang))
        saving = s.saving_by_family.get(fam, 0.0)
        out += [t("text.family_count", lang, count=count, saving_cny=saving) if saving > 0
                else t("text.family_count_no_saving", lang, count=count), ""]
        listed = [f for f in result.findings if f.family == fam]
        out += [_finding_item(f, lang, result.inventory) for f in listed[:FAMILY_ITEMS]]
        out.append("")
        if len(listed) > FAMILY_ITEMS:
            out += [t("text.top_more", lang, shown=FAMILY_ITEMS, total=len(listed)), ""]
    return out


def _finding_item(f: Finding, lang: str, inventory: Inventory) -> str:
    """One bullet: code, severity, title; then recommendation, saving and evidence lines."""
    head = f"- **{f.code}** · {t(f'severity.{f.severity}', lang)} · {md_text(finding_title(f, lang, inventory))}"
    if f.status != "open":
        head += f" *({t(f'status.{f.status}', lang)})*"
    lines = [head, t("text.labelled", lang, label=t("label.recommendation", lang),
                     value=md_text(finding_recommendation(f, lang, inventory)))]
    if f.saving_cny_per_year:
        lines.append(t("text.labelled", lang, label=t("label.saving", lang),
                       value=t("text.per_year", lang, amount=money(f.saving_cny_per_year, lang))))
    if f.evidence:
        lines.append(t("text.labelled", lang, label=t("label.evidence", lang),
                       value="; ".join(md_text(f"{e.source}: {e.detail}") for e in f.evidence)))
    # Two trailing spaces make a line break inside the list item.
    return "  \n  ".join(lines)


def markdown_report(result: AuditResult, lang: str = "en", top: int = 15) -> str:
    """The whole Markdown document."""
    s = summarise(result)
    captures = result.captures_path or t("report.no_captures", lang)
    out = [f"# {t('report.title', lang)}", "",
           t("report.generated", lang, started=result.started.strftime("%Y-%m-%d %H:%M %Z").strip()), "",
           t("report.audit_date", lang, date=result.audit_date.isoformat()), "",
           md_text(t("report.sources", lang, inventory=result.inventory_path, captures=captures)), ""]
    out += _surveyed(s, lang)
    out += _costs(s, lang)
    out += _counts(s, lang)
    out += _top(result, s, lang, top)
    out += _collection(s, lang)
    out += _families(result, s, lang)
    return "\n".join(out).rstrip() + "\n"


@renderer("markdown")
def render_markdown(result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Write the Markdown report in ``options.lang``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / markdown_filename(options.lang)
    path.write_text(markdown_report(result, options.lang, options.top), encoding="utf-8")
    return [path]
