"""CSV tables of findings, leased lines and machine rooms, for Excel and WPS.

Three files, ``netcensus-findings-<lang>.csv``, ``netcensus-circuits-<lang>.csv`` and
``netcensus-rooms-<lang>.csv``, headers and words in the report language (both
languages can share a folder). They open correctly in
Excel with Chinese text because they are UTF-8 *with* a byte-order mark (without it
Excel guesses the ANSI code page and shows mojibake). Money and counts are written as
plain numbers so a planner can sum and sort them.

Text cells are guarded against formula injection: a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (all of which Excel may evaluate, e.g.
an LLDP system name ``=HYPERLINK(...)``) is prefixed with ``'``. Control characters
(an escape sequence in a hostname a device reported) are written as ``\\xNN``: ``cat`` of
the file in a terminal must not run them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from analysis.context import AuditResult
from analysis.summary import AuditSummary, summarise
from reports.i18n import finding_recommendation, finding_title, has, t
from reports.registry import RenderOptions, renderer
from reports.text import one_line

__all__ = ["TABLES", "csv_filename", "guard_cell", "render_csv", "write_csv"]

TABLES = ("findings", "circuits", "rooms")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Control characters a terminal acts on (C0 but tab and line ends, DEL, C1 such as CSI).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

Cell = str | int | float | None


def csv_filename(table: str, lang: str) -> str:
    """``netcensus-findings-zh.csv`` and the like."""
    return f"netcensus-{table}-{lang}.csv"


def guard_cell(value: Cell) -> Cell:
    r"""A cell value safe for a spreadsheet: formula-looking text gets a leading ``'``.

    >>> guard_cell("=1+1"), guard_cell("-5"), guard_cell(-5), guard_cell("core1")
    ("'=1+1", "'-5", -5, 'core1')
    >>> guard_cell("evil\x1b]0;title\x07")
    'evil\\x1b]0;title\\x07'
    """
    if isinstance(value, str) and _CONTROL.search(value):
        value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Path:
    """Write one table as UTF-8 with BOM, CRLF line ends (what Excel writes), cells guarded."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([guard_cell(h) for h in header])
        for row in rows:
            writer.writerow(["" if c is None else guard_cell(c) for c in row])
    return path


def _label(prefix: str, value: str | None, lang: str) -> str:
    """A catalogue word for an enum value, or the value itself when there is none."""
    if value is None:
        return ""
    key = f"{prefix}.{value}"
    return t(key, lang) if has(key) else value


def _yes_no(value: bool | None, lang: str) -> str:
    return "" if value is None else t("label.yes" if value else "label.no", lang)


def _findings_table(result: AuditResult, lang: str) -> tuple[list[str], list[list[Cell]]]:
    header = [t(k, lang) for k in ("label.code", "label.severity", "label.family", "label.status",
                                   "label.key", "label.subjects", "label.title", "label.recommendation",
                                   "label.saving_per_year", "label.evidence")]
    rows: list[list[Cell]] = []
    for f in result.findings:
        rows.append([
            f.code, _label("severity", str(f.severity), lang), _label("family", f.family, lang),
            _label("status", f.status, lang), f.key, "; ".join(f.subjects),
            one_line(finding_title(f, lang, result.inventory)),
            one_line(finding_recommendation(f, lang, result.inventory)), f.saving_cny_per_year,
            "\n".join(f"{e.source}: {e.detail}" for e in f.evidence),
        ])
    return header, rows


def _circuit_seen_up(result: AuditResult) -> dict[str, list[bool | None]]:
    """Circuit id -> [A seen up, Z seen up], as the graph recorded it."""
    return {d["id"]: list(d.get("seen_up") or [None, None])
            for _, _, d in result.graph.edges(data=True) if d.get("kind") == "circuit"}


def _circuits_table(result: AuditResult, s: AuditSummary, lang: str) -> tuple[list[str], list[list[Cell]]]:
    header = [t(k, lang) for k in (
        "label.circuit", "label.carrier", "label.kind", "label.department", "label.network",
        "label.a_site", "label.a_device", "label.a_interface", "label.a_seen_up",
        "label.z_site", "label.z_device", "label.z_interface", "label.z_seen_up",
        "label.bandwidth_mbps", "label.yearly_cost_cny", "label.contract_end", "label.approval",
        "label.findings", "label.saving_per_year", "label.removed")]
    seen = _circuit_seen_up(result)
    proposals = {p.id: p for p in s.proposals if p.kind == "circuit"}
    rows: list[list[Cell]] = []
    for cid in sorted(result.inventory.circuits):
        c = result.inventory.circuits[cid]
        up_a, up_z = (seen.get(cid) or [None, None])[:2]
        p = proposals.get(cid)
        rows.append([
            c.id, c.carrier, _label("term", c.kind, lang), c.department, c.network,
            c.a.site, c.a.device, c.a.interface, _yes_no(up_a, lang),
            c.z.site, c.z.device, c.z.interface, _yes_no(up_z, lang),
            c.bandwidth_mbps, round(c.yearly_cost_cny, 2),
            c.contract_end.isoformat() if c.contract_end else None, c.approval,
            "; ".join(s.entity_findings.get(cid, ())),
            p.saving_cny_per_year if p else None, _yes_no(p.removed, lang) if p else None,
        ])
    return header, rows


def _rooms_table(result: AuditResult, s: AuditSummary, lang: str) -> tuple[list[str], list[list[Cell]]]:
    header = [t(k, lang) for k in (
        "label.room", "label.name", "label.site", "label.department", "label.role", "label.isolation",
        "label.racks_total", "label.racks_used", "label.power_kw", "label.yearly_cost_cny",
        "label.built", "label.approval", "label.findings", "label.saving_per_year", "label.removed")]
    proposals = {p.id: p for p in s.proposals if p.kind == "room"}
    rows: list[list[Cell]] = []
    for rid in sorted(result.inventory.rooms):
        r = result.inventory.rooms[rid]
        p = proposals.get(rid)
        rows.append([
            r.id, r.name, r.site, r.department, _label("room_role", r.role, lang),
            _label("isolation", r.isolation, lang), r.racks_total, r.racks_used,
            r.power_kw, r.yearly_cost_cny, r.built.isoformat() if r.built else None, r.approval,
            "; ".join(s.entity_findings.get(rid, ())),
            p.saving_cny_per_year if p else None, _yes_no(p.removed, lang) if p else None,
        ])
    return header, rows


@renderer("csv")
def render_csv(result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Write the findings, circuits and rooms tables in ``options.lang``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    s = summarise(result)
    tables = {
        "findings": _findings_table(result, options.lang),
        "circuits": _circuits_table(result, s, options.lang),
        "rooms": _rooms_table(result, s, options.lang),
    }
    return [write_csv(out_dir / csv_filename(name, options.lang), header, rows)
            for name, (header, rows) in tables.items()]
