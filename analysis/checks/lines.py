"""Leased-line consolidation (docs/checks.md, "lines"): LIN001-LIN006.

The decisions (which lines go, where their traffic goes) come from the audit's
line plan (``AuditContext.line_plan``, :mod:`analysis.lineplan`); these checks turn
them into findings. A line's saving is counted in one finding only, in this order:
INV003 (zombie), LIN003 (cancel), LIN001 (merge), LIN004 (downgrade). A later finding
about the same line still reports, with no saving and ``saving_counted_in`` in its args.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from analysis.checks.inventory import cancellation_args
from analysis.context import AuditContext
from analysis.costs import downgrade_cost, merge_estimate, standard_mbps
from analysis.findings import Evidence, Finding, Severity
from analysis.lineplan import LinePlan
from analysis.measurements import percentile
from analysis.registry import check, spec
from inventory.model import Circuit

__all__ = ["district_key", "merge_groups", "underuse"]


def _line_evidence(ctx: AuditContext, c: Circuit, extra: str = "") -> Evidence:
    return Evidence(ctx.inventory.source("circuits", c.id),
                    f"{c.id}: {c.department}, {c.carrier} {c.kind}, {c.bandwidth_mbps:g} Mbit/s, "
                    f"{c.yearly_cost_cny:,.0f} CNY/year{extra}")


# --- LIN001 parallel lines ----------------------------------------------------------


def merge_groups(ctx: AuditContext) -> dict[tuple[str, str], list[Circuit]]:
    """Lines that may be merged, by site pair: two or more, neither classified nor mandated."""
    plan = ctx.line_plan
    groups: dict[tuple[str, str], list[Circuit]] = {}
    for _cid, info in sorted(plan.lines.items()):
        a, z = info.circuit.site_pair
        if a != z and info.shareable:
            groups.setdefault((a, z), []).append(info.circuit)
    return {pair: lines for pair, lines in sorted(groups.items()) if len(lines) > 1}


@check("LIN001", "lines", Severity.MEDIUM, "parallel-lines")
def parallel_lines(ctx: AuditContext) -> Iterator[Finding]:
    """Two or more lines between the same two sites, whatever their departments."""
    me = spec("LIN001")
    plan = ctx.line_plan
    exponent = ctx.inventory.policy.tariff_bandwidth_exponent
    for (a, z), lines in merge_groups(ctx).items():
        ids = [c.id for c in lines]
        kept = [c for c in lines if plan.cancelled_by(c.id) is None]
        counted_in = sorted({k for c in lines if (k := plan.cancelled_by(c.id))})
        departments = sorted({c.department for c in lines})
        current = sum(c.yearly_cost_cny for c in lines)
        args: dict[str, Any] = {"circuits": ids, "sites": [a, z], "departments": departments,
                                "yearly_cost_cny": current, "saving_counted_in": counted_in}
        if len(kept) > 1:
            est = merge_estimate(kept, exponent)
            saving: float | None = est.saving_cny
            args.update(merged_mbps=est.bandwidth_mbps, merged_cny=est.merged_cny, reference=est.reference,
                        kept=[c.id for c in kept],
                        shared_by=departments if len(departments) > 1 else None,
                        cancellations=[{"circuit": c.id, **cancellation_args(c, ctx)}
                                       for c in kept if c.id != est.reference])
        else:
            # Other findings already take all lines but one, or all of them: nothing (more) to merge.
            saving = None
            if kept:
                args.update(kept_line=kept[0].id)
            else:
                args.update(all_cancelled_by=counted_in)
        yield me.finding(
            subjects=sorted(ids),
            evidence=[_line_evidence(ctx, c) for c in lines],
            saving_cny_per_year=saving,
            **args,
        )


# --- LIN002 district pairs ----------------------------------------------------------


def district_key(district: str, level: int) -> str:
    """A district name cut to ``level`` parts of its ``/``-separated hierarchy.

    >>> district_key("Xicheng/Financial Street", 1), district_key("Xicheng/Financial Street", 2)
    ('Xicheng', 'Xicheng/Financial Street')
    """
    parts = [p.strip() for p in district.split("/") if p.strip()]
    return "/".join(parts[:level]) if parts else district


@check("LIN002", "lines", Severity.LOW, "district-pair-lines")
def district_pair_lines(ctx: AuditContext) -> Iterator[Finding]:
    """Lines of several departments between the same two districts: one shared line could do."""
    me = spec("LIN002")
    plan = ctx.line_plan
    policy = ctx.inventory.policy.lines
    backbone = ctx.inventory.policy.backbone
    groups: dict[tuple[str, str], list[Circuit]] = {}
    for _cid, info in sorted(plan.lines.items()):
        c = info.circuit
        sa, sz = ctx.inventory.sites.get(c.a.site), ctx.inventory.sites.get(c.z.site)
        if not info.shareable or (backbone and c.network == backbone) or sa is None or sz is None \
                or sa.id == sz.id:
            continue
        pair = tuple(sorted((district_key(sa.district, policy.district_level),
                             district_key(sz.district, policy.district_level))))
        groups.setdefault(pair, []).append(c)  # type: ignore[arg-type]
    for (da, dz), lines in sorted(groups.items()):
        departments = sorted({c.department for c in lines})
        if len(departments) < policy.min_departments:
            continue
        total_mbps = sum(c.bandwidth_mbps for c in lines)
        total_cny = sum(c.yearly_cost_cny for c in lines)
        yield me.finding(
            subjects=(da, dz),
            evidence=[_line_evidence(ctx, c, f", {c.a.site}-{c.z.site}") for c in lines],
            districts=[da, dz], departments=departments, circuits=[c.id for c in lines],
            bandwidth_mbps=total_mbps, yearly_cost_cny=total_cny, shared_mbps=standard_mbps(total_mbps),
            district=da if da == dz else None,  # lines within one district are worded apart
        )


# --- LIN003 lines the backbone makes unnecessary -----------------------------------


@check("LIN003", "lines", Severity.MEDIUM, "backbone-makes-unnecessary")
def unnecessary_lines(ctx: AuditContext) -> Iterator[Finding]:
    """Line whose traffic the remaining lines carry (max-flow after its removal meets its demand)."""
    me = spec("LIN003")
    plan = ctx.line_plan
    for cid, reroute in plan.rerouted.items():
        c = ctx.inventory.circuits[cid]
        basis = "measured peak" if reroute.measured else "bandwidth"
        paths = [("-".join(p), amount) for p, amount in reroute.route.paths]
        evidence = [_line_evidence(ctx, c)]
        evidence += [Evidence(ctx.inventory.source("circuits", cid),
                              f"after removing {cid}, {path} carries {amount:g} Mbit/s")
                     for path, amount in paths]
        yield me.finding(
            subjects=(cid,),
            evidence=evidence,
            saving_cny_per_year=c.yearly_cost_cny,
            circuit=cid, sites=[c.a.site, c.z.site], demand_mbps=reroute.demand_mbps, demand_basis=basis,
            via=[list(p) for p, _ in reroute.route.paths], yearly_cost_cny=c.yearly_cost_cny,
            path=list(reroute.route.paths[0][0]) if reroute.route.paths else None,
            **cancellation_args(c, ctx),
        )


# --- LIN004 underused lines ---------------------------------------------------------


def underuse(peaks: Sequence[float], bandwidth_mbps: float, *, percentile_q: float, threshold: float,
             target_utilisation: float, min_samples: int) -> tuple[float, float] | None:
    """``(p, suggested_mbps)`` when a line is underused, else None.

    ``p`` is the ``percentile_q`` of the peak samples; a line is underused when ``p``
    is below ``threshold`` of its bandwidth and a smaller standard bandwidth still
    keeps ``p`` at or below ``target_utilisation`` of it. Too few samples decide nothing.

    >>> underuse([1.0] * 30, 100, percentile_q=95, threshold=0.2, target_utilisation=0.5, min_samples=24)
    (1.0, 2)
    >>> underuse([1.0] * 3, 100, percentile_q=95, threshold=0.2, target_utilisation=0.5, min_samples=24) is None
    True
    """
    if len(peaks) < min_samples:
        return None
    p = percentile(peaks, percentile_q)
    if p >= threshold * bandwidth_mbps:
        return None
    suggested = standard_mbps(p / target_utilisation)
    return (p, suggested) if suggested < bandwidth_mbps else None


@check("LIN004", "lines", Severity.LOW, "underused-line")
def underused_lines(ctx: AuditContext) -> Iterator[Finding]:
    """Underused line: 95th-percentile traffic far below its bandwidth (needs utilisation samples)."""
    me = spec("LIN004")
    plan = ctx.line_plan
    policy = ctx.inventory.policy.lines
    merged = _merged_with_saving(ctx, plan)
    for cid in sorted(ctx.utilisation):
        c = ctx.inventory.circuits.get(cid)
        samples = ctx.utilisation[cid]
        if c is None:
            continue
        verdict = underuse([s.peak_mbps for s in samples], c.bandwidth_mbps,
                           percentile_q=policy.underuse_percentile, threshold=policy.underuse_threshold,
                           target_utilisation=policy.target_utilisation,
                           min_samples=policy.underuse_min_samples)
        if verdict is None:
            continue
        p, suggested = verdict
        counted_in = plan.cancelled_by(cid) or merged.get(cid)
        info = plan.lines[cid]
        saving = None if counted_in or not info.shareable else \
            c.yearly_cost_cny - downgrade_cost(c, suggested, ctx.inventory.policy.tariff_bandwidth_exponent)
        q = f"{policy.underuse_percentile:g}th percentile"
        sources = sorted({s.source.rsplit(":", 1)[0] for s in samples if s.source})
        yield me.finding(
            subjects=(cid,),
            evidence=[_line_evidence(ctx, c)] + [
                Evidence(src or "utilisation", f"{q} {p:g} Mbit/s over {len(samples)} samples")
                for src in (sources or [""])],
            saving_cny_per_year=saving,
            circuit=cid, percentile=policy.underuse_percentile, percentile_mbps=p,
            utilisation=p / c.bandwidth_mbps, samples=len(samples), suggested_mbps=suggested,
            saving_counted_in=[counted_in] if counted_in else [],
            # the advice: see the larger change, ask the mandating authority, or reduce it
            proposed_by=counted_in or None, authority=info.authority, bandwidth_mbps=c.bandwidth_mbps,
        )


def _merged_with_saving(ctx: AuditContext, plan: LinePlan) -> dict[str, str]:
    """Circuit -> LIN001 key, for lines in a merge that is proposed with a saving."""
    out: dict[str, str] = {}
    for lines in merge_groups(ctx).values():
        kept = [c for c in lines if plan.cancelled_by(c.id) is None]
        if len(kept) > 1:
            key = "LIN001:" + "|".join(sorted(c.id for c in lines))
            out.update({c.id: key for c in kept})
    return out


# --- LIN005 contract timing ---------------------------------------------------------


def renewal_window(c: Circuit, today: dt.date, lead_days: int) -> tuple[dt.date, int] | None:
    """``(notice_by, days_left)`` when a contract must be decided on now, else None.

    It must be decided from ``lead_days`` before its notice date until it ends;
    ``days_left`` is negative once the notice date has passed.
    """
    if c.contract_end is None or c.contract_end < today:
        return None
    notice_by = c.contract_end - dt.timedelta(days=c.notice_days)
    days_left = (notice_by - today).days
    return (notice_by, days_left) if days_left <= lead_days else None


@check("LIN005", "lines", Severity.MEDIUM, "contract-decision-due")
def contract_decisions(ctx: AuditContext) -> Iterator[Finding]:
    """Contract ends within its notice period: decide before it renews silently."""
    me = spec("LIN005")
    plan = ctx.line_plan
    proposals = {**_merged_with_saving(ctx, plan)}
    for cid in sorted(ctx.inventory.circuits):
        c = ctx.inventory.circuits[cid]
        window = renewal_window(c, ctx.today, ctx.inventory.policy.lines.decision_lead_days)
        if window is None:
            continue
        notice_by, days_left = window
        proposed = plan.cancelled_by(cid) or proposals.get(cid)
        if proposed:
            decision = {"decision": "proposed", **cancellation_args(c, ctx)}
        else:
            decision = {"decision": "classified" if plan.lines[cid].classified else "open"}
        yield me.finding(
            subjects=(cid,),
            evidence=[_line_evidence(ctx, c, f", contract ends {c.contract_end}, {c.notice_days} days' notice")],
            **{"circuit": cid, "contract_end": str(c.contract_end), "notice_by": str(notice_by),
               "days_left": days_left, "days_overdue": -days_left if days_left < 0 else None,  # notice missed
               "proposed_by": proposed, **decision},
        )


# --- LIN006 mandated networks -------------------------------------------------------


@check("LIN006", "lines", Severity.INFO, "mandated-line")
def mandated_lines(ctx: AuditContext) -> Iterator[Finding]:
    """Line of a network mandated by a higher authority: consolidating it is raised with that authority."""
    me = spec("LIN006")
    plan = ctx.line_plan
    for cid, info in sorted(plan.lines.items()):
        if info.authority is None or info.classified:
            continue
        c = info.circuit
        reasons = plan.mandated_candidates.get(cid, ())
        yield me.finding(
            subjects=(cid,),
            evidence=[_line_evidence(ctx, c, f", network {c.network or '-'}")],
            circuit=cid, authority=info.authority, reasons=list(reasons),
            potential_saving_cny=c.yearly_cost_cny,
        )

