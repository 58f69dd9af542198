"""The HTML report's view model: plain rows and labels, in one language, for the template.

Nothing here computes a number the other reports could disagree with: counts, costs
and savings come from :func:`analysis.summary.summarise`; this module only looks
entities up, translates, and shapes rows. Every string it returns is *plain text*
(never markup): the template escapes it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.context import AuditResult
from analysis.findings import Finding, Severity
from analysis.summary import SEVERITIES, AuditSummary, CostLine, Proposal
from inventory.model import Inventory
from reports.i18n import finding_recommendation, finding_title, has, money, t

__all__ = [
    "CostRow",
    "DepartmentView",
    "Names",
    "ProposalRow",
    "ProposalView",
    "cost_rows",
    "department_views",
    "display_name",
    "finding_departments",
    "finding_sites",
    "findings_payload",
    "new_finding_keys",
    "plan_moves",
    "proposal_view",
    "room_plan_of",
]

#: Rows a department section lists as its most severe findings.
TOP_PER_DEPARTMENT = 5


def display_name(name: str | None, local_name: str | None, lang: str) -> str:
    """A name with its local (Chinese) form beside it, the reader's language first.

    >>> display_name("City Hall", "市政府大楼", "en"), display_name("City Hall", "市政府大楼", "zh")
    ('City Hall (市政府大楼)', '市政府大楼 (City Hall)')
    >>> display_name("West Depot", None, "zh")
    'West Depot'
    """
    name = name or local_name or ""
    if not local_name or local_name == name:
        return name
    return f"{local_name} ({name})" if lang == "zh" else f"{name} ({local_name})"


class Names:
    """Display names of departments, sites and rooms of one inventory, in one language."""

    def __init__(self, inventory: Inventory, lang: str) -> None:
        self.inventory = inventory
        self.lang = lang

    def department(self, dept_id: str | None) -> str:
        dept = self.inventory.departments.get(dept_id or "")
        return display_name(dept.name, dept.local_name, self.lang) if dept else (dept_id or "—")

    def site(self, site_id: str | None) -> str:
        site = self.inventory.sites.get(site_id or "")
        return display_name(site.name, site.local_name, self.lang) if site else (site_id or "—")

    def department_short(self, dept_id: str) -> str:
        """One name only, in the reader's language when there is one (table cells)."""
        dept = self.inventory.departments.get(dept_id)
        if dept is None:
            return dept_id
        return (dept.local_name or dept.name) if self.lang == "zh" else dept.name

    def site_short(self, site_id: str) -> str:
        """One name only, in the reader's language when there is one (map labels)."""
        site = self.inventory.sites.get(site_id)
        if site is None:
            return site_id
        return (site.local_name or site.name) if self.lang == "zh" else site.name

    def room(self, room_id: str | None) -> str:
        """``room name (site)``; the id when the room has no name."""
        room = self.inventory.rooms.get(room_id or "")
        if room is None:
            return room_id or "—"
        return f"{room.name or room.id} · {self.site(room.site)}"


# --------------------------------------------------------------------------- findings


def _site_departments(inventory: Inventory) -> dict[str, set[str]]:
    """Site -> departments with a device, a room or a line end there."""
    index: dict[str, set[str]] = defaultdict(set)
    for dev in inventory.devices.values():
        site = inventory.device_site(dev.name)
        if site:
            index[site].add(dev.department)
    for room in inventory.rooms.values():
        index[room.site].add(room.department)
    for c in inventory.circuits.values():
        index[c.a.site].add(c.department)
        index[c.z.site].add(c.department)
    return index


def finding_departments(finding: Finding, inventory: Inventory,
                        site_departments: Mapping[str, set[str]] | None = None) -> tuple[str, ...]:
    """The departments a finding concerns, found from its subjects and its args.

    A subject may be a line, room, device, network, website, department or site (a site
    concerns every department present there); ``args["circuits"]`` / ``args["rooms"]``
    name the entities of findings whose subjects are not ids (a district pair). Subjects
    that name nothing known (an address, an undeclared neighbour) add no department.
    """
    site_departments = site_departments if site_departments is not None else _site_departments(inventory)
    found: set[str] = set()
    inv = inventory
    for i in _mentioned_ids(finding):
        for section in (inv.circuits, inv.rooms, inv.devices, inv.networks, inv.websites):
            entity = section.get(i)
            if entity is not None:
                found.add(entity.department)  # type: ignore[attr-defined]
        if i in inv.departments:
            found.add(i)
        if i in inv.sites:
            found |= site_departments.get(i, set())
    return tuple(sorted(found))


def finding_sites(finding: Finding, inventory: Inventory) -> tuple[str, ...]:
    """The sites a finding concerns: its site subjects and where its lines, rooms and devices are."""
    inv = inventory
    found: set[str] = set()
    for i in _mentioned_ids(finding, ("site", "sites")):
        if i in inv.sites:
            found.add(i)
        if i in inv.circuits:
            found |= {inv.circuits[i].a.site, inv.circuits[i].z.site}
        if i in inv.rooms:
            found.add(inv.rooms[i].site)
        site = inv.device_site(i) if i in inv.devices else None
        if site:
            found.add(site)
    return tuple(sorted(found))


#: Args whose values are entity ids (checks pass them; see docs/checks.md).
_ENTITY_ARGS = ("circuit", "circuits", "room", "rooms", "device", "devices", "network", "networks",
                "department", "departments")


def _mentioned_ids(finding: Finding, extra: tuple[str, ...] = ()) -> list[str]:
    """Subjects plus the entity ids a check passed in its args (``circuits``, ``room``, ...)."""
    ids: list[str] = list(finding.subjects)
    for name in _ENTITY_ARGS + extra:
        value = finding.args.get(name)
        if isinstance(value, str):
            ids.append(value)
        elif isinstance(value, (list, tuple, set, frozenset)):
            ids.extend(str(v) for v in value)
    return ids


def new_finding_keys(result: AuditResult) -> frozenset[str]:
    """Keys of the findings the history diff calls new (empty without a baseline)."""
    diff = result.diff
    if not isinstance(diff, Mapping):
        return frozenset()
    return frozenset(str(f.get("key")) for f in diff.get("new", ()) if isinstance(f, Mapping))


def findings_payload(result: AuditResult, summary: AuditSummary, lang: str) -> dict[str, Any]:
    """The findings table's data for the inline script: compact rows plus the labels it shows.

    Rows keep the findings' order (most severe first). The script renders them with
    ``textContent`` only, and this payload is embedded with :func:`reports.html.embed_json`.
    """
    inv = result.inventory
    names = Names(inv, lang)
    site_depts = _site_departments(inv)
    new = new_finding_keys(result)
    rows = []
    departments: set[str] = set()
    sites: set[str] = set()
    for f in result.findings:
        depts = finding_departments(f, inv, site_depts)
        departments.update(depts)
        at = finding_sites(f, inv)
        sites.update(at)
        rows.append({
            "key": f.key, "code": f.code, "family": f.family, "sev": int(f.severity),
            "title": finding_title(f, lang, inv), "rec": finding_recommendation(f, lang, inv),
            "depts": list(depts), "sites": list(at),
            "saving": f.saving_cny_per_year, "savingText": money(f.saving_cny_per_year, lang)
            if f.saving_cny_per_year else "",
            "status": f.status, "new": f.key in new,
            "evidence": [[e.source, e.detail] for e in f.evidence],
        })
    return {
        "rows": rows,
        "pageSize": 50,
        "families": {fam: _family_label(fam, lang) for fam in summary.by_family},
        "severities": {str(int(Severity.parse(s))): t(f"severity.{s}", lang) for s in SEVERITIES},
        "departments": {d: names.department_short(d) for d in sorted(departments)},
        "departmentsFull": {d: names.department(d) for d in sorted(departments)},
        "sites": {s: names.site(s) for s in sorted(sites)},
        "statuses": {s: t(f"status.{s}", lang) for s in ("open", "waived", "unknown")},
        "text": {
            "showing": t("html.findings.showing", lang, first="{first}", last="{last}",
                         shown="{shown}", total="{total}"),
            "page": t("html.findings.page", lang, page="{page}", pages="{pages}"),
            "noneMatch": t("html.findings.none_match", lang),
            "recommendation": t("label.recommendation", lang),
            "evidence": t("label.evidence", lang),
            "noEvidence": t("html.findings.no_evidence", lang),
            "key": t("label.key", lang),
            "new": t("html.findings.new", lang),
        },
    }


def _family_label(family: str, lang: str) -> str:
    return t(f"family.{family}", lang) if has(f"family.{family}") else family


# --------------------------------------------------------------------------- proposal


@dataclass(frozen=True)
class ProposalRow:
    """One line or room of the consolidation proposal, ready to show."""

    id: str
    action: str
    name: str  # line: "A ↔ Z"; room: room and site
    department: str
    detail: str  # line: carrier, kind, bandwidth; room: racks
    yearly_cost: str
    saving: str
    saving_cny: float
    reasons: tuple[str, ...]
    risks: tuple[str, ...]
    target: str = ""  # rooms only
    migration: str = ""  # rooms only
    payback: str = ""  # rooms only


@dataclass(frozen=True)
class ProposalView:
    lines: tuple[ProposalRow, ...]
    rooms: tuple[ProposalRow, ...]
    authority: tuple[tuple[str, str, str, str], ...]  # (line id, title, recommendation, potential saving)
    lines_saving: str
    rooms_saving: str
    plan_notes: tuple[str, ...]


def room_plan_of(result: AuditResult) -> dict[str, Any]:
    """The room plan (``result.room_plan``) as a dict (empty when absent)."""
    plan = result.room_plan
    if plan is None:
        return {}
    if hasattr(plan, "to_dict"):
        plan = plan.to_dict()
    return dict(plan) if isinstance(plan, Mapping) else {}


def plan_moves(plan: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Closing room -> its move record (``into`` is the target room)."""
    moves = {}
    for move in plan.get("moves") or ():
        if isinstance(move, Mapping) and move.get("room"):
            # RoomPlan.to_dict() says "into"; accept "target" from hand-written plans too.
            moves[str(move["room"])] = {**move, "into": move.get("into") or move.get("target")}
    return moves


def _line_risks(inv: Inventory, p: Proposal, names: Names, lang: str, today: dt.date) -> tuple[str, ...]:
    c = inv.circuits[p.id]
    risks = []
    # A contract that has ended (on or before the audit date, as analysis.costs.cancellation
    # counts it) runs on its notice period alone: no early-termination fee is due.
    ended = c.contract_end is not None and c.contract_end <= today
    if c.early_termination_cny and not ended:
        risks.append(t("html.risk.early_termination", lang, amount_cny=c.early_termination_cny))
    if c.contract_end and ended:
        risks.append(t("html.risk.contract_ended", lang, date=c.contract_end.isoformat(), days=c.notice_days))
    elif c.contract_end:
        risks.append(t("html.risk.contract_end", lang, date=c.contract_end.isoformat(), days=c.notice_days))
    for end in sorted({c.a.site, c.z.site}):
        site = inv.sites.get(end)
        if site is not None and site.critical:
            risks.append(t("html.risk.critical_site", lang, site=names.site(end)))
    if not p.removed:
        risks.append(t("html.risk.partial", lang))
    return tuple(risks)


def _room_risks(inv: Inventory, room_id: str, move: Mapping[str, Any] | None, lang: str) -> tuple[str, ...]:
    room = inv.rooms[room_id]
    risks = []
    if room.isolation == "physical":
        risks.append(t("html.risk.isolated_room", lang))
    hops = (move or {}).get("hops")
    if isinstance(hops, int) and hops >= 2:
        risks.append(t("html.risk.hops", lang, hops=hops))
    return tuple(risks)


def proposal_view(result: AuditResult, summary: AuditSummary, lang: str) -> ProposalView:
    """Lines to cancel or merge, rooms to close (with targets), and lines for a higher authority."""
    inv = result.inventory
    names = Names(inv, lang)
    by_key = {f.key: f for f in result.findings}
    plan = room_plan_of(result)
    moves = plan_moves(plan)

    def reasons(p: Proposal) -> tuple[str, ...]:
        return tuple(dict.fromkeys(finding_title(by_key[k], lang, inv) for k in p.findings if k in by_key))

    lines, rooms = [], []
    for p in summary.proposals:
        if p.kind == "circuit" and p.id in inv.circuits:
            c = inv.circuits[p.id]
            kind = t(f"term.{c.kind}", lang) if has(f"term.{c.kind}") else c.kind
            lines.append(ProposalRow(
                id=c.id,
                action=t("html.proposal.action.cancel" if p.removed else "html.proposal.action.reduce", lang),
                name=f"{names.site(c.a.site)} ↔ {names.site(c.z.site)}",
                department=names.department(c.department),
                detail=f"{c.carrier} · {kind} · {c.bandwidth_mbps:g} Mbit/s",
                yearly_cost=money(p.yearly_cost_cny, lang), saving=money(p.saving_cny_per_year, lang),
                saving_cny=p.saving_cny_per_year, reasons=reasons(p),
                risks=_line_risks(inv, p, names, lang, result.audit_date) or (t("html.risk.none", lang),)))
        elif p.kind == "room" and p.id in inv.rooms:
            room, move = inv.rooms[p.id], moves.get(p.id)
            payback = (move or {}).get("payback_years")
            migration = (move or {}).get("migration_cost_cny")
            rooms.append(ProposalRow(
                id=room.id,
                action=t("html.proposal.action.close" if p.removed else "html.proposal.action.reduce", lang),
                name=f"{room.name} · {names.site(room.site)}" if room.name else names.site(room.site),
                department=names.department(room.department),
                detail=f"{room.racks_used} / {room.racks_total}",
                yearly_cost=money(p.yearly_cost_cny, lang), saving=money(p.saving_cny_per_year, lang),
                saving_cny=p.saving_cny_per_year, reasons=reasons(p),
                risks=_room_risks(inv, room.id, move, lang) or (t("html.risk.none", lang),),
                target=names.room(move["into"]) if move and move.get("into") else "—",
                migration=money(migration, lang) if migration is not None else "—",
                payback=t("html.label.years", lang, years=f"{payback:g}") if payback is not None else "—"))
    authority = tuple(
        (f.subjects[0] if f.subjects else "", finding_title(f, lang, inv), finding_recommendation(f, lang, inv),
         t("html.proposal.potential", lang, amount_cny=f.args["potential_saving_cny"])
         if isinstance(f.args.get("potential_saving_cny"), (int, float)) else "")
        for f in result.findings if f.code == "LIN006")
    return ProposalView(
        lines=tuple(lines), rooms=tuple(rooms), authority=authority,
        lines_saving=money(sum(r.saving_cny for r in lines), lang),
        rooms_saving=money(sum(r.saving_cny for r in rooms), lang),
        plan_notes=_plan_notes(plan, lang))


def _plan_notes(plan: Mapping[str, Any], lang: str) -> tuple[str, ...]:
    """Sentences about the room plan as a whole: totals, time limit, infeasibility."""
    notes = []
    status = plan.get("status")
    moves = plan.get("moves") or ()
    if moves and plan.get("yearly_saving_cny") is not None and plan.get("payback_years") is not None:
        notes.append(t("html.plan.summary", lang, rooms=len(moves), saving_cny=plan["yearly_saving_cny"],
                       migration_cny=plan.get("migration_cost_cny") or 0.0,
                       years=f"{plan['payback_years']:g}"))
    if status == "time_limit":
        notes.append(t("html.plan.time_limit", lang, gap=f"{100 * float(plan.get('gap') or 0):.1f}"))
    elif status == "infeasible":
        notes.append(t("html.plan.infeasible", lang, message=plan.get("message") or "—"))
    return tuple(notes)


# --------------------------------------------------------------------------- costs


@dataclass(frozen=True)
class CostRow:
    """One department or site in the cost tables, with bar widths in percent of the largest."""

    id: str
    name: str
    lines: str
    rooms: str
    before: str
    after: str
    saving: str
    before_pct: float
    after_pct: float
    has_saving: bool


def cost_rows(lines: Iterable[CostLine], names: Mapping[str, str], lang: str) -> tuple[CostRow, ...]:
    """Rows of a cost table; bars are scaled to the most expensive row."""
    lines = list(lines)
    largest = max((c.total_cny for c in lines), default=0.0) or 1.0
    return tuple(CostRow(
        id=c.id, name=names.get(c.id) or display_name(c.name, c.local_name, lang),
        lines=money(c.lines_cny, lang), rooms=money(c.rooms_cny, lang), before=money(c.total_cny, lang),
        after=money(c.after_cny, lang), saving=money(c.saving_cny, lang) if c.saving_cny else "—",
        before_pct=round(100 * c.total_cny / largest, 1), after_pct=round(100 * max(c.after_cny, 0) / largest, 1),
        has_saving=c.saving_cny > 0) for c in lines)


# --------------------------------------------------------------------------- departments


@dataclass(frozen=True)
class DepartmentView:
    """One department's section."""

    id: str
    name: str
    kind: str
    parent: str
    devices: str
    assets: str
    costs: str
    findings: int
    by_severity: tuple[tuple[str, str, int], ...]  # (severity name, label, count), non-zero only
    top: tuple[tuple[str, str, str], ...] = field(default=())  # (severity name, code, title)


def department_views(result: AuditResult, summary: AuditSummary, lang: str) -> tuple[DepartmentView, ...]:
    """Every declared department, the most expensive first, then the others by name."""
    inv = result.inventory
    names = Names(inv, lang)
    site_depts = _site_departments(inv)
    per_dept: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        for d in finding_departments(f, inv, site_depts):
            per_dept[d].append(f)
    devices: dict[str, list[str]] = defaultdict(list)
    for row in summary.collection:
        devices[row.department].append(row.status)
    costs = {c.id: c for c in summary.departments}
    order = [c.id for c in summary.departments if c.id in inv.departments]
    order += sorted((d for d in inv.departments if d not in costs), key=lambda d: names.department(d))
    views = []
    for dept_id in order:
        dept = inv.departments[dept_id]
        found = sorted(per_dept.get(dept_id, ()), key=Finding.sort_key)
        cost = costs.get(dept_id)
        counts = defaultdict(int)
        for f in found:
            counts[str(f.severity)] += 1
        statuses = devices.get(dept_id, [])
        views.append(DepartmentView(
            id=dept_id, name=names.department(dept_id), kind=t(f"html.dept.kind.{dept.kind}", lang),
            parent=t("html.dept.parent", lang, parent=names.department(dept.parent)) if dept.parent else "",
            devices=t("html.dept.devices", lang, ok=statuses.count("ok"), devices=len(statuses)),
            assets=t("html.dept.assets", lang, lines=cost.lines if cost else 0, rooms=cost.rooms if cost else 0),
            costs=t("html.dept.costs", lang, before_cny=cost.total_cny if cost else 0.0,
                    after_cny=cost.after_cny if cost else 0.0),
            findings=len(found),
            by_severity=tuple((s, t(f"severity.{s}", lang), counts[s]) for s in SEVERITIES if counts[s]),
            top=tuple((str(f.severity), f.code, finding_title(f, lang, inv)) for f in found[:TOP_PER_DEPARTMENT]),
        ))
    return tuple(views)
