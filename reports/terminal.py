"""Terminal summary (rich): counts, collection status, top findings, the proposed saving.

Prints to ``options.console`` (a new stdout console when none is given) and writes
no file. Device text is passed to rich as :class:`rich.text.Text`, never as markup,
so a device advertising ``[bold]`` or ``[/]`` cannot restyle or break the output.
Below :data:`NARROW` columns the tables give way to plain lines (a table of seven
columns in 40 characters shows nothing), so a phone-sized SSH window still reads.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from analysis.context import AuditResult
from analysis.summary import SEVERITIES, AuditSummary, summarise, top_findings
from reports.i18n import finding_title, has, money, t
from reports.registry import RenderOptions, renderer
from reports.text import one_line

__all__ = ["render_terminal", "terminal_report"]

_SEVERITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow",
                   "low": "cyan", "info": "dim"}
_STATUS_STYLE = {"ok": "green", "partial": "yellow", "missing": "dim"}
#: Narrower than this (columns), tables become lines.
NARROW = 60


def _family(family: str, lang: str) -> str:
    return t(f"family.{family}", lang) if has(f"family.{family}") else family


def _counts_table(s: AuditSummary, lang: str) -> Table:
    table = Table(title=t("heading.counts", lang), title_justify="left", expand=False)
    table.add_column(t("label.family", lang), overflow="fold")
    for sev in SEVERITIES:
        table.add_column(Text(t(f"severity.{sev}", lang), style=_SEVERITY_STYLE[sev]), justify="right")
    table.add_column(t("label.total", lang), justify="right", style="bold")
    for fam, counts in s.by_family_severity.items():
        if s.by_family[fam]:
            table.add_row(Text(_family(fam, lang)), *(str(counts[sev] or "") for sev in SEVERITIES),
                          str(s.by_family[fam]))
    table.add_section()
    table.add_row(t("label.total", lang), *(str(s.by_severity[sev]) for sev in SEVERITIES),
                  str(s.findings_total), style="bold")
    return table


def _collection_table(s: AuditSummary, lang: str) -> Table:
    table = Table(title=t("heading.collection", lang), title_justify="left")
    table.add_column(t("label.status", lang), overflow="fold")
    table.add_column(t("label.count", lang), justify="right")
    for status, n in s.collection_by_status.items():
        label = t(f"collection.{status}", lang) if has(f"collection.{status}") else status
        table.add_row(Text(label, style=_STATUS_STYLE.get(status, "red")), str(n))
    return table


def _top_table(result: AuditResult, lang: str, n: int) -> Table:
    table = Table(title=t("heading.top_findings", lang), title_justify="left", expand=True)
    table.add_column(t("label.severity", lang), no_wrap=True)
    table.add_column(t("label.code", lang), no_wrap=True)
    table.add_column(t("label.title", lang), overflow="fold", ratio=1)
    table.add_column(t("label.saving", lang), justify="right", overflow="fold")
    for f in top_findings(result.findings, n):
        sev = str(f.severity)
        table.add_row(Text(t(f"severity.{sev}", lang), style=_SEVERITY_STYLE.get(sev, "")), f.code,
                      Text(one_line(finding_title(f, lang, result.inventory))),
                      money(f.saving_cny_per_year, lang) if f.saving_cny_per_year else "")
    return table


def _headline(s: AuditSummary, lang: str) -> Text:
    city = s.city
    lines = [t("text.costs_now", lang, lines_cny=city.lines_cny, rooms_cny=city.rooms_cny,
               total_cny=city.total_cny)]
    if s.proposed_saving_cny > 0:
        lines.append(t("text.saving_total", lang, saving_cny=s.proposed_saving_cny,
                       after_cny=city.total_cny - s.proposed_saving_cny))
        lines.append(t("text.removed", lang, lines=city.lines_removed, rooms=city.rooms_closed))
    else:
        lines.append(t("text.saving_none", lang))
    return Text("\n".join(lines))


def _compact_counts(s: AuditSummary, lang: str) -> Text:
    text = Text(t("heading.counts", lang) + "\n", style="bold")
    for sev in SEVERITIES:
        if s.by_severity[sev]:
            text.append(f"{t(f'severity.{sev}', lang)}: {s.by_severity[sev]}\n",
                        style=_SEVERITY_STYLE.get(sev, ""))
    for fam, n in s.by_family.items():
        if n:
            text.append(f"{_family(fam, lang)}: {n}\n")
    return text


def _compact_collection(s: AuditSummary, lang: str) -> Text:
    text = Text(t("heading.collection", lang) + "\n", style="bold")
    for status, n in s.collection_by_status.items():
        label = t(f"collection.{status}", lang) if has(f"collection.{status}") else status
        text.append(f"{label}: {n}\n", style=_STATUS_STYLE.get(status, "red"))
    return text


def _compact_top(result: AuditResult, lang: str, n: int) -> Text:
    text = Text(t("heading.top_findings", lang) + "\n", style="bold")
    for f in top_findings(result.findings, n):
        sev = str(f.severity)
        text.append(f"{f.code} {t(f'severity.{sev}', lang)}", style=_SEVERITY_STYLE.get(sev, ""))
        text.append(f" {one_line(finding_title(f, lang, result.inventory))}")
        if f.saving_cny_per_year:
            text.append(f" ({money(f.saving_cny_per_year, lang)})", style="green")
        text.append("\n")
    return text


def terminal_report(result: AuditResult, lang: str = "en", top: int = 15, width: int = 100) -> Group:
    """The renderable the terminal renderer prints; ``width`` picks tables or lines."""
    s = summarise(result)
    narrow = width < NARROW
    parts: list = [
        Text(t("report.title", lang), style="bold"),
        Text(t("report.audit_date", lang, date=result.audit_date.isoformat())),
        Text(t("text.surveyed", lang, **dataclasses.asdict(s.surveyed))),
        Text(""),
    ]
    if s.findings_total:
        parts += [_compact_counts(s, lang) if narrow else _counts_table(s, lang),
                  Text(t("text.findings_total", lang, total=s.findings_total,
                         open=s.by_status.get("open", 0), waived=s.by_status.get("waived", 0)))]
    else:
        parts.append(Text(t("text.no_findings", lang), style="green"))
    if s.collection:
        parts.append(_compact_collection(s, lang) if narrow else _collection_table(s, lang))
    if top_findings(result.findings, top):
        parts.append(_compact_top(result, lang, top) if narrow else _top_table(result, lang, top))
        live = sum(1 for f in result.findings if f.status != "waived")
        if live > top:
            parts.append(Text(t("text.top_more", lang, shown=top, total=live), style="dim"))
    headline = _headline(s, lang)
    if narrow:
        parts += [Text(t("heading.costs", lang), style="bold"), headline]
    else:
        parts.append(Panel(headline, title=t("heading.costs", lang), title_align="left",
                           border_style="green" if s.proposed_saving_cny > 0 else "dim"))
    return Group(*parts)


@renderer("terminal")
def render_terminal(result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Print the summary to ``options.console``; writes no file."""
    console = options.console or Console()
    console.print(terminal_report(result, options.lang, options.top, width=console.width))
    return []
