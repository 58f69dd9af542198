"""The audit pipeline: inventory -> collect -> parse -> graph -> checks -> result.

Each stage is timed (``AuditResult.timings``) so the benchmark can report it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from analysis.context import REPORTED, AuditContext, AuditResult
from analysis.findings import Finding
from analysis.measurements import UtilisationSample, load_utilisation_csv, samples_from_facts
from analysis.registry import CheckSpec, merge_findings, selected_checks
from collectors.base import Collector, RawOutputs
from collectors.facts import DeviceFacts
from collectors.offline import OfflineCollector
from collectors.parse import parse_outputs
from inventory.cache import load_inventory_cached
from inventory.model import Device, Inventory
from netcensus.cache import FactsCache
from netcensus.forkshare import PROCESSES, share_out


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one audit (nested uses are fine).

    An audit builds millions of long-lived objects (facts, graph, findings, report rows)
    and almost no reference cycles. Each full collection walks all of them, and there are
    more of them the larger the city: at 10,000 devices the collector took about 3 s of a
    15 s cached audit while freeing a few thousand objects. Reference counting still frees
    everything else at once, so memory does not grow; the previous state is restored after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: Below this many devices, parsing in worker processes costs more than it saves.
PARALLEL_MIN_DEVICES = 300
#: Below this many devices, a fork costs more than the checks or reports it would share
#: (measured: at 1,000 devices all the checks take 0.12 s).
SHARE_MIN_DEVICES = 2000


def collect_facts(
    inventory: Inventory,
    collector: Collector,
    *,
    cache: FactsCache | None = None,
    workers: int | None = None,
) -> dict[str, DeviceFacts]:
    """Collect and parse every declared device; failures are recorded, never raised.

    Offline collections of large cities are parsed by this process and ``workers - 1``
    forked ones (default: one process per core); ``cache`` skips parsing for devices whose
    raw outputs did not change.
    """
    devices = list(inventory.devices.values())
    workers = workers or os.cpu_count() or 1
    if isinstance(collector, OfflineCollector) and workers > 1 and len(devices) >= PARALLEL_MIN_DEVICES:
        # Forked, not pooled: the workers read the inventory where it lies (nothing is
        # pickled on the way in) and this process parses its share too.
        chunks = [devices[i::workers * 4] for i in range(workers * 4)]
        parts = share_out(chunks, lambda chunk: _collect_chunk(collector, chunk, cache), workers)
    else:
        parts = [_collect_chunk(collector, devices, cache)]
    if cache is not None:
        cache.prune()
        cache.close()
    found = {f.device: f for part in parts for f in part}
    return {d.name: found[d.name] for d in devices}


def _collect_chunk(collector: Collector, devices: list[Device], cache: FactsCache | None) -> list[DeviceFacts]:
    """Collect and parse some devices; what this process added to the cache is written at the end."""
    facts = [_collect_one(collector, d, cache) for d in devices]
    if cache is not None:
        cache.flush()
    return facts


def _collect_one(collector: Collector, device: Device, cache: FactsCache | None) -> DeviceFacts:
    # Saved captures whose folder has not changed are not even read (see netcensus.cache).
    fingerprint = collector.fingerprint(device) if cache and isinstance(collector, OfflineCollector) else None
    if fingerprint is not None:
        facts = cache.recall(device.name, fingerprint)
        if facts is not None:
            return facts
    raw = collector.collect(device)
    if cache is None:
        return parse_outputs(raw)
    facts = cache.get(raw)
    if facts is None:
        facts = parse_outputs(raw)
        cache.put(raw, facts)
    if fingerprint is not None:
        cache.remember(device.name, fingerprint, raw)
    return facts


def run_checks_shared(ctx: AuditContext, checks: Sequence[CheckSpec], processes: int) -> list[Finding]:
    """:func:`analysis.registry.run_checks`, shared between ``processes`` (see :mod:`netcensus.forkshare`).

    The checks of one module go to one process: they share the analyses the context
    derives for them (ROM001 and ROM002 one room plan, the ADR checks one address index),
    which two processes would each compute. (The line plan, read by INV003 and the LIN
    checks of two modules, may be computed by both processes, side by side: 0.3 s at
    3,000 devices.) Modules with a ``costly`` check go first, then those with more
    checks; the small ones fill in while the costly ones still run.
    The derived analyses a result carries (:data:`analysis.context.REPORTED`: the room
    plan) come back from whichever process computed them, once, into ``ctx``.
    """
    groups: dict[str, list[CheckSpec]] = {}
    for spec in checks:
        groups.setdefault(spec.func.__module__, []).append(spec)

    def run(group: list[CheckSpec]) -> tuple[list[list[Finding]], dict[str, object]]:
        before = ctx.computed(REPORTED).keys()
        findings = [list(spec.func(ctx)) for spec in group]
        return findings, {k: v for k, v in ctx.computed(REPORTED).items() if k not in before}

    ordered = sorted(groups.values(), key=lambda g: (not any(s.costly for s in g), -len(g)))
    found: dict[str, list[Finding]] = {}
    for group, (per_check, derived) in zip(ordered, share_out(ordered, run, processes), strict=True):
        ctx.adopt(derived)
        found.update((spec.code, findings) for spec, findings in zip(group, per_check, strict=True))
    return merge_findings(found[spec.code] for spec in checks)  # in check order, as run_checks


def apply_waivers(findings: Iterable[Finding], inventory: Inventory, today: dt.date) -> list[Finding]:
    """Mark findings named by a current waiver as ``waived``; expired waivers leave them open.

    A waiver holds through its expiry date. Either way the finding's ``args`` carry the
    waiver's reason and approver (``waiver_reason``, ``waiver_approved_by``), and
    ``waiver_expires`` or, once expired, ``waiver_expired``, so every report can say why.
    """
    out = []
    for f in findings:
        waiver = inventory.waivers.get(f.key)
        if waiver is not None:
            about = {"waiver_reason": waiver.reason, "waiver_approved_by": waiver.approved_by}
            if waiver.expires is None or waiver.expires >= today:
                expires = None if waiver.expires is None else str(waiver.expires)
                f = dataclasses.replace(f, status="waived",
                                        args={**f.args, **about, "waiver_expires": expires})
            else:
                f = dataclasses.replace(f, args={**f.args, **about, "waiver_expired": str(waiver.expires)})
        out.append(f)
    return out


def prepare(
    inventory_path: Path | str,
    captures_path: Path | str | None,
    *,
    today: dt.date | None = None,
    collector: Collector | None = None,
    cache_dir: Path | str | None = None,
    workers: int | None = None,
    runs_since_success: Mapping[str, int] | None = None,
    stale_after_runs: int = 3,
    inventory: Inventory | None = None,
    utilisation_csv: Path | str | None = None,
    history_utilisation: Mapping[str, Sequence[UtilisationSample]] | None = None,
    sampled_at: dt.datetime | None = None,
    timings: dict[str, float] | None = None,
) -> AuditContext:
    """Load, collect and parse: the context every check (and what-if) reads.

    ``inventory`` skips loading when the caller already has it; ``utilisation_csv`` is an
    NMS export of line utilisation (``circuit,time,in_mbps,out_mbps``) for LIN003/LIN004;
    ``history_utilisation`` the samples earlier runs recorded. This run's own sample of each
    line (the devices' averaged rates at its end, at ``sampled_at``) joins them.
    Raises :class:`core.errors.InventoryError` on a bad inventory.
    """
    timings = {} if timings is None else timings
    with _timed(timings, "load_inventory"):
        if inventory is None:
            inventory = load_inventory_cached(Path(inventory_path), cache_dir)
        utilisation = load_utilisation_csv(utilisation_csv) if utilisation_csv else {}
    if collector is None:
        collector = OfflineCollector(_captures_folder(captures_path)) if captures_path else _NoCaptures()
    with _timed(timings, "parse_captures"):
        cache = FactsCache(cache_dir) if cache_dir else None
        facts = collect_facts(inventory, collector, cache=cache, workers=workers)
        if isinstance(collector, OfflineCollector):  # why a live collection failed: its manifest
            from netcensus.collect import with_manifest_status

            facts = with_manifest_status(facts, collector.captures)
    now = samples_from_facts(inventory, facts, sampled_at or dt.datetime.now(dt.UTC))
    return AuditContext(inventory, facts, today=today or dt.date.today(),
                        captures=Path(captures_path) if captures_path else None,
                        runs_since_success=runs_since_success or {}, stale_after_runs=stale_after_runs,
                        utilisation=merge_samples(utilisation, history_utilisation or {},
                                                  {c: [s] for c, s in now.items()}))


def merge_samples(*sources: Mapping[str, Sequence[UtilisationSample]]) -> dict[str, list[UtilisationSample]]:
    """Samples of several sources, per circuit, in time order."""
    merged: dict[str, list[UtilisationSample]] = {}
    for source in sources:
        for circuit, samples in source.items():
            merged.setdefault(circuit, []).extend(samples)
    return {c: sorted(s, key=lambda x: x.at) for c, s in merged.items()}


def audit(
    inventory_path: Path | str,
    captures_path: Path | str | None,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    **context_options: Any,
) -> AuditResult:
    """Run a full offline (or given-collector) audit and return what reports render.

    ``context_options`` are those of :func:`prepare`. Raises
    :class:`core.errors.InventoryError` on a bad inventory and
    :class:`core.errors.CheckSelectionError` on an unknown check.
    """
    timings: dict[str, float] = {}
    started = dt.datetime.now(dt.UTC)
    checks = selected_checks(select, ignore)  # fail fast on a bad --select
    with paused_gc():
        context_options.setdefault("sampled_at", started)
        ctx = prepare(inventory_path, captures_path, timings=timings, **context_options)
        with _timed(timings, "build_graph"):
            graph, sgraph = ctx.graph, ctx.site_graph
        with _timed(timings, "checks"):
            processes = PROCESSES if len(ctx.inventory.devices) >= SHARE_MIN_DEVICES else 1
            findings = apply_waivers(run_checks_shared(ctx, checks, processes), ctx.inventory, ctx.today)
    return AuditResult(
        inventory=ctx.inventory, facts=dict(ctx.facts), findings=findings, graph=graph, site_graph=sgraph,
        started=started, inventory_path=str(inventory_path),
        captures_path=str(captures_path) if captures_path else None, timings=timings,
        # The room plan when a room check computed it: an audit without them solves none.
        room_plan=ctx.room_plan if "room_plan" in ctx.computed(REPORTED) else None, today=ctx.today,
    )


def _captures_folder(captures_path: Path | str) -> Path:
    """The capture folder, or :class:`core.errors.CaptureError` when it is none: a
    missing folder must not read as a city where every device is "no capture"."""
    from collectors.capture import CaptureFolderError, check_captures_folder
    from core.errors import CaptureError, Problem

    try:
        return check_captures_folder(captures_path)
    except CaptureFolderError as e:
        raise CaptureError([Problem(str(captures_path), None, "--captures", e.reason)]) from None


class _NoCaptures:
    """A collector for an audit without captures: every device is 'missing'."""

    def collect(self, device: Device) -> RawOutputs:
        return RawOutputs(device.name, device.platform, status="missing", error="no captures given")
