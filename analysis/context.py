"""What checks read (:class:`AuditContext`) and what an audit produces (:class:`AuditResult`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

import networkx as nx

from analysis.findings import Finding
from collectors.facts import DeviceFacts
from inventory.model import Inventory

if TYPE_CHECKING:
    from analysis.measurements import UtilisationSample


@dataclass
class AuditContext:
    """One audit's inputs, with the citywide graph built once and shared by all checks.

    Checks are pure functions of this object: they read, never mutate, never print.
    """

    inventory: Inventory
    facts: Mapping[str, DeviceFacts]
    today: dt.date = field(default_factory=dt.date.today)
    captures: Path | None = None
    #: Side results that reports show beside findings (e.g. "room_plan"); checks may add.
    extras: dict[str, object] = field(default_factory=dict)
    #: device -> recorded runs since its last successful collection (from the history store)
    runs_since_success: Mapping[str, int] = field(default_factory=dict)
    #: a device not collected for more than this many runs is stale (INV005)
    stale_after_runs: int = 3
    #: circuit id -> utilisation samples (analysis.measurements.UtilisationSample), for
    #: LIN004 and LIN003's measured demand; empty when no counters were collected
    utilisation: Mapping[str, Sequence["UtilisationSample"]] = field(default_factory=dict)

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
    extras: dict[str, object] = field(default_factory=dict)  # e.g. "room_plan", "diff"
    #: the date the checks judged dates on (``AuditContext.today``: ``--today``, the bundled
    #: sample's fixed day, or the day of the run); None: the day the audit started
    today: dt.date | None = None

    @property
    def audit_date(self) -> dt.date:
        """The date contracts, approvals and waivers were judged on: reports show it."""
        return self.today or self.started.date()
