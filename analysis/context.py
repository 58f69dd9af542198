"""What checks read (:class:`AuditContext`) and what an audit produces (:class:`AuditResult`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from analysis.findings import Finding
from collectors.facts import DeviceFacts
from inventory.model import Inventory

if TYPE_CHECKING:
    from analysis.addresses import NetworkIndex, Observed
    from analysis.lineplan import LinePlan
    from analysis.measurements import UtilisationSample

#: The derived analyses an :class:`AuditContext` computes once, on first use (the graphs too).
DERIVED = ("graph", "site_graph", "line_plan", "room_plan", "address_index", "contradicted_isolation")
#: The derived analyses an :class:`AuditResult` carries: a process that ran checks on a forked
#: copy of the context hands back those it computed (netcensus.pipeline.run_checks_shared).
REPORTED = ("room_plan",)


@dataclass(frozen=True)
class AuditContext:
    """One audit's inputs, and what is derived from them, computed once and shared by all checks.

    Checks are pure functions of this object: they read, never mutate, never print. The
    inputs are frozen (assigning one raises ``FrozenInstanceError``): a context with other
    inputs is a new one (``dataclasses.replace``), which derives its own. The derived
    analyses (:data:`DERIVED`) are cached properties: the first check that reads one
    computes it, every later check of the audit reads the same object.
    """

    inventory: Inventory
    facts: Mapping[str, DeviceFacts]
    today: dt.date = field(default_factory=dt.date.today)
    captures: Path | None = None
    #: device -> recorded runs since its last successful collection (from the history store)
    runs_since_success: Mapping[str, int] = field(default_factory=dict)
    #: a device not collected for more than this many runs is stale (INV005)
    stale_after_runs: int = 3
    #: circuit id -> utilisation samples (analysis.measurements.UtilisationSample), for
    #: LIN004 and LIN003's measured demand; empty when no counters were collected
    utilisation: Mapping[str, Sequence[UtilisationSample]] = field(default_factory=dict)

    @cached_property
    def graph(self) -> nx.MultiGraph:
        """The citywide graph (sites, rooms, devices, links, circuits)."""
        from analysis.graph import build_graph

        return build_graph(self.inventory, self.facts)

    @cached_property
    def site_graph(self) -> nx.MultiGraph:
        """The graph contracted to sites: inter-site links and circuits only."""
        from analysis.graph import site_graph

        return site_graph(self.graph)

    @cached_property
    def line_plan(self) -> LinePlan:
        """Which leased lines go, and why (:mod:`analysis.lineplan`): INV003 and the LIN checks."""
        from analysis.lineplan import compute_line_plan

        return compute_line_plan(self.inventory, self.graph, self.site_graph, self.utilisation)

    @cached_property
    def room_plan(self) -> dict[str, Any]:
        """The machine-room plan and every room's score card, as JSON (:mod:`analysis.roomplan`).

        Computed only when a check reads it (ROM001, ROM002): the solver is the costly part
        of an audit, and numpy and scipy are imported then.
        """
        from analysis.roomplan import room_plan_report

        return room_plan_report(self.inventory, self.site_graph, self.today)

    @cached_property
    def address_index(self) -> NetworkIndex:
        """Declared prefixes by network, and which network an observed address belongs to."""
        from analysis.addresses import NetworkIndex

        return NetworkIndex(self.inventory)

    @cached_property
    def contradicted_isolation(self) -> dict[str, list[Observed]]:
        """Networks declared logically isolated whose LAN addresses are in the backbone's
        global table (ADR004), with those addresses; ADR001 and ADR002 judge them as seen."""
        from analysis.addresses import contradicted_isolation

        return contradicted_isolation(self.inventory, self.graph, self.facts, self.address_index)

    def computed(self, names: Sequence[str] = DERIVED) -> dict[str, object]:
        """The derived analyses among ``names`` already computed, by name (none is computed here)."""
        unknown = set(names) - set(DERIVED)
        if unknown:
            raise ValueError(f"not a derived analysis of an audit: {', '.join(sorted(unknown))}")
        return {name: self.__dict__[name] for name in names if name in self.__dict__}

    def adopt(self, computed: Mapping[str, object]) -> None:
        """Take derived analyses computed on a copy of this context (a forked process).

        One computed here first is kept: each is computed from the same inputs.
        """
        unknown = set(computed) - set(DERIVED)
        if unknown:
            raise ValueError(f"not a derived analysis of an audit: {', '.join(sorted(unknown))}")
        for name, value in computed.items():
            self.__dict__.setdefault(name, value)

    def fact_source(self, device: str, *kinds: str) -> str:
        """Evidence source of a device's facts of the first of ``kinds`` its platform has:
        the capture file they were read from (the JSON or the text member of an alternative
        group, whichever read), else the kind's first command; the inventory entry when the
        platform has none of the kinds.
        """
        from core.platforms import PLATFORMS

        facts = self.facts.get(device)
        declared = self.inventory.devices.get(device)
        platform = PLATFORMS.get(facts.platform if facts else declared.platform if declared else "")
        for kind in kinds:
            commands = platform.command(kind) if platform else ()  # type: ignore[arg-type]
            if commands:
                read = [c for c in commands if facts is not None and c.command in facts.read]
                return self.capture_source(device, (read or list(commands))[0].command)
        return self.inventory.source("devices", device)

    def capture_source(self, device: str, command: str) -> str:
        """Evidence source of a device's command output: its capture file path."""
        from core.platforms import command_filename

        base = f"{self.captures}/" if self.captures else ""
        return f"{base}{device}/{command_filename(command)}"


@dataclass(frozen=True)
class RunInfo:
    """The recorded run an audit belongs to (the JSON report's ``run``)."""

    id: int
    degraded: bool  # more devices failed than ``--max-failed`` allows
    failed_devices: tuple[str, ...]
    store: str  # the history store's path

    def to_dict(self) -> dict[str, object]:
        """The JSON form: ``{"id", "degraded", "failed_devices", "store"}``."""
        return {"id": self.id, "degraded": self.degraded, "failed_devices": list(self.failed_devices),
                "store": self.store}


@dataclass
class AuditResult:
    """Everything a report renders. Reports never compute: they read this."""

    inventory: Inventory
    facts: dict[str, DeviceFacts]
    findings: list[Finding]
    graph: nx.MultiGraph
    site_graph: nx.MultiGraph
    started: dt.datetime
    inventory_path: str
    captures_path: str | None
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    #: the machine-room plan as JSON (``AuditContext.room_plan``); None when no room check ran
    room_plan: dict[str, Any] | None = None
    #: the nightly job's record of this run (netcensus.job); None outside a recorded run
    run: RunInfo | None = None
    #: what changed against the baseline run, as JSON (``netcensus.history.RunDiff.to_dict``);
    #: None without a baseline
    diff: dict[str, Any] | None = None
    #: the date the checks judged dates on (``AuditContext.today``: ``--today``, the bundled
    #: sample's fixed day, or the day of the run); None: the day the audit started
    today: dt.date | None = None

    @property
    def audit_date(self) -> dt.date:
        """The date contracts, approvals and waivers were judged on: reports show it."""
        return self.today or self.started.date()
