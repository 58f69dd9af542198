"""The line cost model and cancellation timing."""

from __future__ import annotations

import datetime as dt

import pytest
from support.citybuild import TODAY, circuit

from analysis.costs import cancellation, merge_estimate, scaled_price, standard_mbps


def test_price_grows_with_bandwidth_by_the_tariff_exponent():
    assert scaled_price(10_000, 10, 10, 0.6) == 10_000
    assert scaled_price(10_000, 10, 100, 0.6) == pytest.approx(10_000 * 10 ** 0.6)
    with pytest.raises(ValueError, match="positive"):
        scaled_price(10_000, 0, 100, 0.6)


def test_merged_bandwidth_is_rounded_up_to_a_step_carriers_sell():
    lines = [circuit("c1", "a", "b", mbps=10), circuit("c2", "a", "b", mbps=30)]
    assert merge_estimate(lines, 0.6).bandwidth_mbps == standard_mbps(40) == 50


def test_merged_line_is_priced_on_the_dearest_tariff_of_the_group():
    cheap = circuit("cheap", "a", "b", mbps=100, monthly=1000)  # 12,000/yr for 100M
    dear = circuit("dear", "a", "b", mbps=10, monthly=1000)  # 12,000/yr for 10M
    est = merge_estimate([cheap, dear], 0.5)
    assert est.reference == "dear"
    assert est.merged_cny == pytest.approx(12_000 * (155 / 10) ** 0.5)
    assert est.saving_cny == 0  # dearer than the two lines today: no saving claimed


def test_line_without_a_fixed_term_goes_after_its_notice_period():
    plan = cancellation(circuit("c1", "a", "b", notice_days=30), TODAY)
    assert plan.effective == TODAY + dt.timedelta(days=30) and not plan.early


def test_early_termination_only_when_the_fee_is_less_than_what_is_still_owed():
    end = TODAY + dt.timedelta(days=365)
    cheap = cancellation(circuit("c1", "a", "b", monthly=1000, contract_end=end, early_termination=2000), TODAY)
    dear = cancellation(circuit("c1", "a", "b", monthly=1000, contract_end=end, early_termination=20000), TODAY)
    unknown = cancellation(circuit("c1", "a", "b", monthly=1000, contract_end=end), TODAY)
    assert cheap.early and cheap.effective == TODAY
    assert cheap.early_saving_cny == pytest.approx(12_000 - 2000)
    assert not dear.early and dear.effective == end and dear.notice_by == end - dt.timedelta(days=90)
    assert not unknown.early  # no fee known: we do not guess one


def test_missed_notice_date_is_flagged():
    end = TODAY + dt.timedelta(days=10)
    assert cancellation(circuit("c1", "a", "b", contract_end=end, notice_days=30), TODAY).notice_missed
