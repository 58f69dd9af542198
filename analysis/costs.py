"""The leased-line cost model: what a merged or downgraded line would cost, and when a
cancellation takes effect (docs/checks.md, section "lines", "Cost model").

Carrier tariffs grow less than linearly with bandwidth: a 100 Mbit/s line costs far
less than ten 10 Mbit/s lines. We model the yearly price of a line of bandwidth
``B`` from a known line (``B0``, ``price0``) of the same site pair as

    price(B) = price0 * (B / B0) ** exponent        (policy.tariff_bandwidth_exponent)

and estimate a merged line from every line of the group, keeping the highest
estimate: the merged line is never assumed cheaper than the dearest of the
group's own tariffs would make it. Bandwidths are rounded up to a step carriers
actually sell (:data:`STANDARD_MBPS`).

All money is CNY per year unless named otherwise; bandwidth is Mbit/s.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from inventory.model import Circuit

__all__ = [
    "STANDARD_MBPS",
    "Cancellation",
    "MergeEstimate",
    "cancellation",
    "downgrade_cost",
    "merge_estimate",
    "scaled_price",
    "standard_mbps",
]

#: Bandwidths Chinese carriers sell for MSTP/SDH/MPLS lines (E1 multiples up to
#: 10 Mbit/s, then Ethernet steps, STM-1/4 at 155/622).
STANDARD_MBPS: tuple[float, ...] = (2, 4, 6, 8, 10, 20, 30, 50, 100, 155, 200, 300, 500, 622, 1000,
                                    2000, 2500, 5000, 10000)


def standard_mbps(mbps: float) -> float:
    """The smallest standard bandwidth that carries ``mbps`` (``mbps`` itself above the table).

    >>> standard_mbps(30), standard_mbps(31), standard_mbps(0.5), standard_mbps(40000)
    (30, 50, 2, 40000)
    """
    i = bisect.bisect_left(STANDARD_MBPS, mbps)
    return STANDARD_MBPS[i] if i < len(STANDARD_MBPS) else mbps


def scaled_price(price0: float, mbps0: float, mbps: float, exponent: float) -> float:
    """The price of ``mbps`` on the tariff curve through (``mbps0``, ``price0``).

    >>> round(scaled_price(10_000, 10, 40, 0.5))
    20000
    """
    if mbps0 <= 0:
        raise ValueError(f"reference bandwidth must be positive, got {mbps0}")
    return price0 * (mbps / mbps0) ** exponent


@dataclass(frozen=True, slots=True)
class MergeEstimate:
    """What one line replacing several would cost."""

    bandwidth_mbps: float  # summed bandwidth, rounded up to a standard step
    merged_cny: float  # estimated yearly price of the merged line
    current_cny: float  # yearly price of the lines today
    reference: str  # circuit whose tariff gave the (highest) estimate

    @property
    def saving_cny(self) -> float:
        """Yearly saving of the merge; never negative (no saving is no saving)."""
        return max(0.0, self.current_cny - self.merged_cny)


def merge_estimate(lines: Sequence[Circuit], exponent: float) -> MergeEstimate:
    """Estimate one line of the summed bandwidth replacing ``lines``.

    Every line is tried as the tariff reference and the highest estimate is kept,
    so the saving is never overstated by extrapolating from a cheap tariff.

    >>> from inventory.model import Circuit, CircuitEnd
    >>> def line(i, mbps, monthly):
    ...     return Circuit(id=i, carrier="t", kind="mstp", department="d", a=CircuitEnd(site="a"),
    ...                    z=CircuitEnd(site="b"), bandwidth_mbps=mbps, cost_cny=monthly)
    >>> est = merge_estimate([line("c1", 10, 1000), line("c2", 10, 1000)], exponent=0.5)
    >>> est.bandwidth_mbps, round(est.merged_cny), est.current_cny, est.reference
    (20, 16971, 24000.0, 'c1')
    """
    if not lines:
        raise ValueError("merge_estimate needs at least one line")
    total = standard_mbps(sum(c.bandwidth_mbps for c in lines))
    estimates = [(scaled_price(c.yearly_cost_cny, c.bandwidth_mbps, total, exponent), c.id)
                 for c in sorted(lines, key=lambda c: c.id)]
    merged, reference = max(estimates, key=lambda e: e[0])  # max keeps the first of ties
    return MergeEstimate(total, merged, sum(c.yearly_cost_cny for c in lines), reference)


def downgrade_cost(line: Circuit, mbps: float, exponent: float) -> float:
    """Yearly price of the same line at ``mbps``, on its own tariff curve."""
    return scaled_price(line.yearly_cost_cny, line.bandwidth_mbps, mbps, exponent)


@dataclass(frozen=True, slots=True)
class Cancellation:
    """When and how a line proposed for cancellation should go.

    ``early`` lines are terminated now, paying ``early_termination_cny``, because the
    fees still owed until the contract ends (``remaining_cny``) are higher. Others go
    at ``effective`` (the contract end, or the end of the notice period when no fixed
    term remains), with notice given by ``notice_by``.
    """

    effective: dt.date
    notice_by: dt.date
    early: bool
    remaining_cny: float  # fees owed from today to the contract end
    early_termination_cny: float | None
    notice_missed: bool  # the notice date has passed: the contract may renew silently

    @property
    def early_saving_cny(self) -> float:
        """What terminating now saves over waiting for the contract end (0 when not early)."""
        if not self.early or self.early_termination_cny is None:
            return 0.0
        return self.remaining_cny - self.early_termination_cny


def cancellation(line: Circuit, today: dt.date) -> Cancellation:
    """Decide when a line should be cancelled: at its contract end, unless paying the
    early-termination fee costs less than the fees still owed until then.

    An unknown fee means waiting for the contract end (we do not guess a fee).
    """
    notice = dt.timedelta(days=line.notice_days)
    end = line.contract_end
    if end is None or end <= today:  # no fixed term left: only the notice period
        return Cancellation(today + notice, today, False, 0.0, line.early_termination_cny, False)
    remaining = line.yearly_cost_cny * (end - today).days / 365
    fee = line.early_termination_cny
    if fee is not None and fee < remaining:
        return Cancellation(today, today, True, remaining, fee, False)
    notice_by = end - notice
    return Cancellation(end, notice_by, False, remaining, fee, notice_by < today)
