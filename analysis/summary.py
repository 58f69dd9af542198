"""The numbers every report shows, computed once from an :class:`AuditResult`.

Reports never compute (DESIGN.md section 3): the terminal, Markdown, CSV, JSON and
HTML renderers all read one :class:`AuditSummary` from :func:`summarise`, so they
cannot disagree about a count or a sum.

What is counted, and how:

* **Findings** by family, by severity (most severe first) and by status
  (``open`` / ``waived`` / ``unknown``). Every finding counts, whatever its status;
  the status counts tell how many are waived.
* **Collection**: one row per declared device, with its collection status (a device
  with no facts at all is ``missing``), error and command problems.
* **Costs** (CNY per year) of leased lines and machine rooms, for the whole city, per
  department (the owner of the line or room) and per site. A line joins two sites, so
  each end site carries half of its cost; per-site sums therefore add up to the city
  total.
* **Proposal**: the saving of every *open* finding that carries a positive
  ``saving_cny_per_year`` is attributed to the lines (``inventory.circuits``) and rooms
  (``inventory.rooms``) named by its subjects, or by its ``args["circuits"]`` /
  ``args["rooms"]`` when its subjects are not entity ids (e.g. a district pair).
  The checks already make sure one saving is proposed once (``analysis.lineplan``), so
  the total is the sum of the findings' savings, with two safety rules: when two
  findings each claim one and the same entity, they are alternatives and the larger
  counts; and no entity is credited more than its own yearly cost. A finding on
  several entities (a merge of parallel lines) shares its saving among them in
  proportion to what is left of their costs after the single-entity claims (a line
  already cancelled as a zombie gets nothing more). A saving that names no known
  entity, or that exceeds what its entities cost, is counted in the city total only
  (``unattributed_saving_cny``). An entity credited its whole cost is *removed* (the
  line is cancelled, the room closed); the "after" counts leave it out.

Everything returned is frozen; mappings are plain dicts, to be read, not changed.

Examples
--------
>>> import datetime as dt, networkx as nx
>>> from analysis.context import AuditResult
>>> from inventory.model import Inventory
>>> empty = AuditResult(Inventory(), {}, [], nx.MultiGraph(), nx.MultiGraph(),
...                     dt.datetime(2024, 1, 1), "inv", None)
>>> s = summarise(empty)
>>> s.findings_total, s.proposed_saving_cny, s.city.total_cny
(0, 0.0, 0.0)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, get_args

from analysis.context import AuditResult
from analysis.findings import FAMILIES, Finding, Severity
from collectors.facts import CollectionStatus
from inventory.model import Inventory

__all__ = [
    "AuditSummary",
    "CostLine",
    "DeviceCollection",
    "Proposal",
    "Surveyed",
    "summarise",
    "top_findings",
]

#: Collection statuses in the order reports list them (``ok`` first).
COLLECTION_STATUSES: tuple[str, ...] = get_args(CollectionStatus)
#: Finding statuses in the order reports list them.
FINDING_STATUSES: tuple[str, ...] = ("open", "waived", "unknown")
#: Severities, most severe first (the order of every severity table).
SEVERITIES: tuple[str, ...] = tuple(str(s) for s in sorted(Severity, reverse=True))


@dataclass(frozen=True, slots=True)
class Surveyed:
    """How much was surveyed: entity counts of the declared inventory."""

    departments: int
    sites: int
    rooms: int
    networks: int
    devices: int
    circuits: int
    websites: int


@dataclass(frozen=True, slots=True)
class CostLine:
    """Yearly cost (CNY) of one scope, before and after the proposal.

    ``scope`` is ``"city"``, ``"department"`` or ``"site"``; ``id``/``name``/
    ``local_name`` name the department or site (``"city"`` for the whole city).
    Counts are of lines and rooms owned by (department) or located at (site) the
    scope; a line counts at both its end sites.
    """

    scope: str
    id: str
    name: str
    local_name: str | None
    lines_cny: float
    rooms_cny: float
    lines_saving_cny: float
    rooms_saving_cny: float
    lines: int
    rooms: int
    lines_removed: int
    rooms_closed: int

    @property
    def total_cny(self) -> float:
        """Lines plus rooms, per year, today."""
        return round(self.lines_cny + self.rooms_cny, 2)

    @property
    def saving_cny(self) -> float:
        """What the proposal saves per year in this scope."""
        return round(self.lines_saving_cny + self.rooms_saving_cny, 2)

    @property
    def after_cny(self) -> float:
        """Lines plus rooms, per year, once the proposal is carried out."""
        return round(self.total_cny - self.saving_cny, 2)

    def to_dict(self) -> dict[str, Any]:
        """Fields plus the derived totals, for JSON."""
        d = asdict(self)
        d.update(total_cny=self.total_cny, saving_cny=self.saving_cny, after_cny=self.after_cny)
        return d


@dataclass(frozen=True, slots=True)
class DeviceCollection:
    """How the collection of one declared device went."""

    device: str
    platform: str
    department: str
    site: str | None
    status: str
    error: str | None
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Proposal:
    """The saving attributed to one line or room (see the module docstring).

    ``kind`` is ``"circuit"`` or ``"room"``; ``removed`` is True when the whole
    yearly cost goes; ``findings`` are the keys of the findings that claim it.
    """

    kind: str
    id: str
    department: str
    yearly_cost_cny: float
    saving_cny_per_year: float
    removed: bool
    findings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuditSummary:
    """Everything a report shows as a number; build it with :func:`summarise`."""

    surveyed: Surveyed
    findings_total: int
    #: severity name -> count, every severity, most severe first
    by_severity: dict[str, int]
    #: family -> count, every family of :data:`analysis.findings.FAMILIES`, in that order
    by_family: dict[str, int]
    #: family -> severity -> count (same orders as above)
    by_family_severity: dict[str, dict[str, int]]
    #: "open" / "waived" / "unknown" -> count
    by_status: dict[str, int]
    #: family -> proposed yearly saving of its open findings (CNY, attributed as above)
    saving_by_family: dict[str, float]
    #: collection status -> number of devices (only statuses that occur; "ok" first)
    collection_by_status: dict[str, int]
    #: one row per declared device, by name
    collection: tuple[DeviceCollection, ...]
    city: CostLine
    #: departments owning a line or a room, most expensive first
    departments: tuple[CostLine, ...]
    #: sites where a line ends or a room stands, most expensive first
    sites: tuple[CostLine, ...]
    #: lines and rooms with a proposed saving, largest saving first
    proposals: tuple[Proposal, ...]
    #: total yearly saving of the proposal (attributed + unattributed)
    proposed_saving_cny: float
    #: part of the total that names no known line or room
    unattributed_saving_cny: float
    #: entity id (circuit, room, device, site, ...) -> keys of the findings naming it
    entity_findings: dict[str, tuple[str, ...]]

    @property
    def devices_failed(self) -> int:
        """Devices whose collection was not ``ok`` (``partial`` included)."""
        return sum(n for status, n in self.collection_by_status.items() if status != "ok")

    def proposal(self, kind: str, entity_id: str) -> Proposal | None:
        """The proposal for one line (``"circuit"``) or room (``"room"``), if any."""
        for p in self.proposals:
            if p.kind == kind and p.id == entity_id:
                return p
        return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``summary`` of docs/report-json.md)."""
        return {
            "surveyed": asdict(self.surveyed),
            "findings_total": self.findings_total,
            "by_severity": dict(self.by_severity),
            "by_family": dict(self.by_family),
            "by_family_severity": {f: dict(c) for f, c in self.by_family_severity.items()},
            "by_status": dict(self.by_status),
            "saving_by_family": dict(self.saving_by_family),
            "collection_by_status": dict(self.collection_by_status),
            "costs": {
                "city": self.city.to_dict(),
                "departments": [c.to_dict() for c in self.departments],
                "sites": [c.to_dict() for c in self.sites],
            },
            "proposals": [{**asdict(p), "findings": list(p.findings)} for p in self.proposals],
            "proposed_saving_cny": self.proposed_saving_cny,
            "unattributed_saving_cny": self.unattributed_saving_cny,
        }


def summarise(result: AuditResult) -> AuditSummary:
    """Compute the summary of one audit (pure; see the module docstring for the rules)."""
    inv = result.inventory
    findings = list(result.findings)
    proposals, unattributed, by_family_saving = _proposals(inv, findings)
    city, departments, sites = _costs(inv, proposals)
    collection = _collection(result)
    status_counts = Counter(d.status for d in collection)
    return AuditSummary(
        surveyed=Surveyed(
            departments=len(inv.departments), sites=len(inv.sites), rooms=len(inv.rooms),
            networks=len(inv.networks), devices=len(inv.devices), circuits=len(inv.circuits),
            websites=len(inv.websites),
        ),
        findings_total=len(findings),
        by_severity=_count(findings, SEVERITIES, lambda f: str(f.severity)),
        by_family=_count(findings, _families(findings), lambda f: f.family),
        by_family_severity={
            fam: _count([f for f in findings if f.family == fam], SEVERITIES, lambda f: str(f.severity))
            for fam in _families(findings)
        },
        by_status=_count(findings, _ordered(FINDING_STATUSES, {f.status for f in findings}),
                         lambda f: f.status),
        saving_by_family={fam: round(by_family_saving.get(fam, 0.0), 2) for fam in _families(findings)},
        collection_by_status={s: status_counts[s] for s in _ordered(COLLECTION_STATUSES, set(status_counts))},
        collection=collection,
        city=city,
        departments=departments,
        sites=sites,
        proposals=proposals,
        proposed_saving_cny=round(sum(p.saving_cny_per_year for p in proposals) + unattributed, 2),
        unattributed_saving_cny=round(unattributed, 2),
        entity_findings=_entity_findings(findings),
    )


def top_findings(findings: Iterable[Finding], n: int) -> list[Finding]:
    """The ``n`` findings a summary shows: not waived, most severe first.

    Ties are broken by the finding order (code, then subjects), so the choice is stable.
    """
    live = sorted((f for f in findings if f.status != "waived"), key=Finding.sort_key)
    return live[: max(n, 0)]


# --- helpers -------------------------------------------------------------------


def _ordered(canonical: tuple[str, ...], present: set[str]) -> tuple[str, ...]:
    """Canonical values first, in their order, then any unexpected ones sorted."""
    return tuple(v for v in canonical if v in present) + tuple(sorted(present - set(canonical)))


def _families(findings: list[Finding]) -> tuple[str, ...]:
    """Every known family (zero counts included), plus any unexpected family seen."""
    return FAMILIES + tuple(sorted({f.family for f in findings} - set(FAMILIES)))


def _count(findings: Iterable[Finding], keys: Iterable[str], key_of: Callable[[Finding], str]) -> dict[str, int]:
    counts = Counter(key_of(f) for f in findings)
    return {k: counts[k] for k in keys}


def _claimed_entities(inv: Inventory, f: Finding) -> list[tuple[str, str, float]]:
    """(kind, id, yearly cost) of the lines and rooms a finding's saving is about."""
    def lookup(ids: Iterable[Any]) -> list[tuple[str, str, float]]:
        out = []
        for raw in ids:
            i = str(raw)
            if i in inv.circuits:
                out.append(("circuit", i, inv.circuits[i].yearly_cost_cny))
            elif i in inv.rooms:
                out.append(("room", i, inv.rooms[i].yearly_cost_cny))
        return out

    found = lookup(f.subjects)
    if not found:
        for name in ("circuits", "rooms"):
            value = f.args.get(name)
            if isinstance(value, (list, tuple, set, frozenset)):
                found += lookup(sorted(str(v) for v in value))
    return found


def _proposals(inv: Inventory, findings: list[Finding]) -> tuple[tuple[Proposal, ...], float, dict[str, float]]:
    """Attribute open findings' savings to lines and rooms (rules in the module docstring)."""
    costs: dict[tuple[str, str], float] = {}
    claimants: dict[tuple[str, str], list[str]] = defaultdict(list)
    # (entity, family) -> saving; single-entity claims first, then shares of multi-entity ones
    single: dict[tuple[str, str], tuple[float, str]] = {}
    shared: list[tuple[Finding, list[tuple[str, str]]]] = []
    unattributed = 0.0
    by_family: dict[str, float] = defaultdict(float)
    for f in sorted(findings, key=Finding.sort_key):
        saving = f.saving_cny_per_year
        if f.status != "open" or saving is None or not math.isfinite(saving) or saving <= 0:
            continue
        entities = _claimed_entities(inv, f)
        for kind, i, cost in entities:
            costs[(kind, i)] = cost
            claimants[(kind, i)].append(f.key)
        if not entities or sum(cost for *_, cost in entities) <= 0:
            unattributed += saving
            by_family[f.family] += saving
        elif len(entities) == 1:
            key, cost = entities[0][:2], entities[0][2]
            # Two findings proposing to remove the same line are alternatives: the larger counts.
            if min(saving, cost) > single.get(key, (0.0, ""))[0]:
                single[key] = (min(saving, cost), f.family)
        else:
            shared.append((f, [e[:2] for e in entities]))

    claims: dict[tuple[str, str], float] = {}
    for key, (amount, family) in single.items():
        claims[key] = amount
        by_family[family] += amount
    for f, keys in shared:
        # A merge saves on the lines it keeps: share by what is left of each line's cost.
        room = {k: costs[k] - claims.get(k, 0.0) for k in keys}
        total_room = sum(room.values())
        amount = f.saving_cny_per_year or 0.0
        placed = min(amount, total_room)
        for k in keys:
            if total_room > 0 and room[k] > 0:
                claims[k] = claims.get(k, 0.0) + placed * room[k] / total_room
        by_family[f.family] += amount
        unattributed += amount - placed

    proposals = []
    for (kind, i), saving in claims.items():
        entity = inv.circuits[i] if kind == "circuit" else inv.rooms[i]
        cost = entity.yearly_cost_cny
        proposals.append(Proposal(
            kind=kind, id=i, department=entity.department, yearly_cost_cny=round(cost, 2),
            saving_cny_per_year=round(saving, 2), removed=saving >= cost - 0.005,
            findings=tuple(claimants[(kind, i)]),
        ))
    proposals.sort(key=lambda p: (-p.saving_cny_per_year, p.kind, p.id))
    return tuple(proposals), unattributed, dict(by_family)


class _Tally:
    """Mutable accumulator of one scope's costs, frozen into a :class:`CostLine`."""

    __slots__ = (
        "lines",
        "lines_cny",
        "lines_removed",
        "lines_saving",
        "rooms",
        "rooms_closed",
        "rooms_cny",
        "rooms_saving",
    )

    def __init__(self) -> None:
        self.lines_cny = self.rooms_cny = self.lines_saving = self.rooms_saving = 0.0
        self.lines = self.rooms = self.lines_removed = self.rooms_closed = 0

    def add_line(self, cost: float, p: Proposal | None, share: float = 1.0) -> None:
        self.lines_cny += cost * share
        self.lines += 1
        if p:
            self.lines_saving += p.saving_cny_per_year * share
            self.lines_removed += p.removed

    def add_room(self, cost: float, p: Proposal | None) -> None:
        self.rooms_cny += cost
        self.rooms += 1
        if p:
            self.rooms_saving += p.saving_cny_per_year
            self.rooms_closed += p.removed

    def line(self, scope: str, id_: str, name: str, local_name: str | None) -> CostLine:
        return CostLine(scope, id_, name, local_name, round(self.lines_cny, 2), round(self.rooms_cny, 2),
                        round(self.lines_saving, 2), round(self.rooms_saving, 2),
                        self.lines, self.rooms, self.lines_removed, self.rooms_closed)


def _costs(inv: Inventory, proposals: tuple[Proposal, ...]
           ) -> tuple[CostLine, tuple[CostLine, ...], tuple[CostLine, ...]]:
    """City, per-department and per-site yearly costs, before and after the proposal."""
    by_entity: Mapping[tuple[str, str], Proposal] = {(p.kind, p.id): p for p in proposals}
    city, depts, sites = _Tally(), defaultdict(_Tally), defaultdict(_Tally)
    for c in inv.circuits.values():
        p = by_entity.get(("circuit", c.id))
        city.add_line(c.yearly_cost_cny, p)
        depts[c.department].add_line(c.yearly_cost_cny, p)
        ends = {c.a.site, c.z.site}
        for s in ends:
            # Half the line at each end (whole when both ends share a site), so sites sum to the city.
            sites[s].add_line(c.yearly_cost_cny, p, share=1.0 / len(ends))
    for r in inv.rooms.values():
        p = by_entity.get(("room", r.id))
        city.add_room(r.yearly_cost_cny, p)
        depts[r.department].add_room(r.yearly_cost_cny, p)
        sites[r.site].add_room(r.yearly_cost_cny, p)

    def rows(scope: str, tallies: dict[str, _Tally], section: Mapping[str, Any]) -> tuple[CostLine, ...]:
        out = []
        for i, tally in tallies.items():
            entity = section.get(i)
            out.append(tally.line(scope, i, entity.name if entity else i,
                                  entity.local_name if entity else None))
        return tuple(sorted(out, key=lambda c: (-c.total_cny, c.id)))

    return (city.line("city", "city", "city", None),
            rows("department", depts, inv.departments), rows("site", sites, inv.sites))


def _collection(result: AuditResult) -> tuple[DeviceCollection, ...]:
    """One row per declared device; a device without facts is ``missing``."""
    inv = result.inventory
    rows = []
    for name in sorted(inv.devices):
        dev, f = inv.devices[name], result.facts.get(name)
        rows.append(DeviceCollection(
            device=name, platform=dev.platform, department=dev.department, site=inv.device_site(name),
            status=f.status if f else "missing",
            error=f.error if f else None,
            problems=tuple(str(p) for p in f.problems) if f else (),
        ))
    return tuple(rows)


def _entity_findings(findings: list[Finding]) -> dict[str, tuple[str, ...]]:
    """Entity id -> keys of the findings that name it among their subjects or args."""
    index: dict[str, list[str]] = defaultdict(list)
    for f in sorted(findings, key=Finding.sort_key):
        ids = set(f.subjects)
        for name in ("circuits", "rooms"):
            value = f.args.get(name)
            if isinstance(value, (list, tuple, set, frozenset)):
                ids |= {str(v) for v in value}
        for i in sorted(ids):
            index[i].append(f.key)
    return {i: tuple(keys) for i, keys in sorted(index.items())}
