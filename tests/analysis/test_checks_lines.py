"""Leased-line checks LIN001-LIN006 on small hand-built cities, plus random-city properties."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.citybuild import (
    BACKBONE,
    TODAY,
    circuit,
    city,
    classified,
    context,
    device,
    facts,
    itf,
    keys,
    lldp,
    mandated,
    random_city,
    run_check,
    site,
)

from analysis.measurements import UtilisationSample
from analysis.registry import run_checks, selected_checks
from inventory.model import Department, LinePolicy


def backbone_star(*extra, hub_mbps: float = 100, networks=(), sites=(), **kw):
    """Sites x and y each with a backbone line to hub h, plus ``extra`` lines."""
    return city(circuits=[circuit("bx", "x", "h", mbps=hub_mbps, network=BACKBONE),
                          circuit("by", "y", "h", mbps=hub_mbps, network=BACKBONE), *extra],
                networks=networks, sites=sites, backbone=True, **kw)


def samples(cid: str, peaks, start=dt.datetime(2026, 5, 1)) -> list[UtilisationSample]:
    return [UtilisationSample(cid, start + dt.timedelta(hours=i), p, p / 2, f"util.csv:{i + 2}")
            for i, p in enumerate(peaks)]


# --- LIN001 parallel lines ---------------------------------------------------------------


def test_parallel_lines_of_different_departments_are_one_merge_proposal_priced_by_the_model():
    inv = city(circuits=[circuit("c2", "b", "a", mbps=20, monthly=1500, department="tax"),
                         circuit("c1", "a", "b", mbps=10, monthly=1000, department="edu")],
               tariff_bandwidth_exponent=0.6)
    (finding,) = run_check(context(inv), "LIN001")
    assert finding.subjects == ("c1", "c2")
    assert finding.args["departments"] == ["edu", "tax"]
    # 30 Mbit/s merged; the dearer estimate of the two tariffs is kept (docs/checks.md).
    merged = max(12_000 * (30 / 10) ** 0.6, 18_000 * (30 / 20) ** 0.6)
    assert finding.args["merged_mbps"] == 30
    assert finding.saving_cny_per_year == pytest.approx(30_000 - merged, abs=0.01)


def test_merge_that_would_cost_more_reports_no_saving():
    inv = city(circuits=[circuit("c1", "a", "b", mbps=100, monthly=500),
                         circuit("c2", "a", "b", mbps=100, monthly=500)], tariff_bandwidth_exponent=1.0)
    (finding,) = run_check(context(inv), "LIN001")
    assert finding.saving_cny_per_year == 0


def test_single_lines_and_classified_lines_are_never_grouped():
    inv = city(networks=[classified("secret")], circuits=[
        circuit("c1", "a", "b"), circuit("s1", "a", "b", network="secret"),
        circuit("s2", "a", "b", network="secret"), circuit("c3", "a", "c")])
    assert run_check(context(inv), "LIN001") == []


def test_mandated_parallel_line_gets_lin006_instead_of_a_merge():
    inv = city(networks=[mandated("police")], circuits=[
        circuit("c1", "a", "b"), circuit("p1", "a", "b", network="police", department="psb")])
    ctx = context(inv)
    assert run_check(ctx, "LIN001") == []
    (finding,) = run_check(ctx, "LIN006")
    assert finding.subjects == ("p1",)
    assert finding.args["reasons"] == ["parallel"]
    assert "Ministry of Public Security" in finding.recommendation


def test_merge_saving_leaves_out_a_zombie_member_counted_by_inv003():
    inv = city(devices=[device("r1", "a"), device("r2", "b")], circuits=[
        circuit("c1", "a", "b", a_device="r1", a_port="Gi0/1", z_device="r2", z_port="Gi0/1"),
        circuit("c2", "a", "b")])
    ctx = context(inv, [facts("r1", itf("Gi0/1", up=False)), facts("r2", itf("Gi0/1", up=False))])
    (finding,) = run_check(ctx, "LIN001")
    assert finding.saving_cny_per_year is None
    assert finding.args["saving_counted_in"] == ["INV003:c1"]


# --- LIN002 district pairs ---------------------------------------------------------------


def district_city(*lines, level: int = 1, networks=()):
    return city(sites=[site("a1", "east/x"), site("a2", "east/y"), site("b1", "west/p"), site("b2", "west/q")],
                circuits=lines, networks=networks, lines=LinePolicy(district_level=level))


def test_lines_of_several_departments_between_two_districts_are_grouped():
    inv = district_city(circuit("c1", "a1", "b1", department="tax", mbps=10),
                        circuit("c2", "b2", "a2", department="edu", mbps=20))
    (finding,) = run_check(context(inv), "LIN002")
    assert finding.subjects == ("east", "west")
    assert finding.args["departments"] == ["edu", "tax"]
    assert finding.saving_cny_per_year is None  # a planning hint, not a counted saving


def test_lines_within_one_district_are_a_pair_too():
    inside = district_city(circuit("c1", "a1", "a2", department="tax"), circuit("c2", "a2", "a1", department="edu"))
    (finding,) = run_check(context(inside), "LIN002")
    assert finding.subjects == ("east", "east")


def test_district_granularity_is_configurable():
    lines = (circuit("c1", "a1", "b1", department="tax"), circuit("c2", "a2", "b1", department="edu"))
    assert keys(run_check(context(district_city(*lines, level=1)), "LIN002")) == ["LIN002:east|west"]
    # At street level east/x-west/p and east/y-west/p are two pairs of one department each.
    assert run_check(context(district_city(*lines, level=2)), "LIN002") == []


def test_district_pair_needs_several_departments_and_excludes_classified_mandated_backbone_lines():
    one_dept = district_city(circuit("c1", "a1", "b1"), circuit("c2", "a2", "b2"))
    excluded = city(sites=[site("a1", "east"), site("b1", "west")], backbone=True,
                    networks=[classified("secret", department="edu"), mandated("police")], circuits=[
                        circuit("c1", "a1", "b1", department="tax"),
                        circuit("s1", "a1", "b1", network="secret", department="edu"),
                        circuit("p1", "a1", "b1", network="police", department="psb"),
                        circuit("e1", "a1", "b1", network=BACKBONE, department="hrss")])
    assert run_check(context(one_dept), "LIN002") == []
    assert run_check(context(excluded), "LIN002") == []


# --- LIN003 lines the backbone makes unnecessary -----------------------------------------


def test_line_between_two_backbone_sites_with_spare_capacity_is_unnecessary():
    inv = backbone_star(circuit("c1", "x", "y", mbps=10, monthly=3000, department="tax"))
    (finding,) = run_check(context(inv), "LIN003")
    assert finding.subjects == ("c1",)
    assert finding.saving_cny_per_year == 36_000
    assert finding.args["via"] == [["x", "h", "y"]]
    assert finding.args["demand_basis"] == "bandwidth"


def test_line_whose_detour_lacks_capacity_stays():
    inv = backbone_star(circuit("c1", "x", "y", mbps=10), hub_mbps=5)
    assert run_check(context(inv), "LIN003") == []


def test_bridge_line_is_never_proposed():
    inv = backbone_star(circuit("c1", "y", "leaf", mbps=1, monthly=9000))
    assert context(inv).line_plan.bridges >= {"c1"}
    assert run_check(context(inv), "LIN003") == []


def test_classified_line_is_never_proposed_nor_used_as_a_detour():
    inv = city(networks=[classified("secret")], backbone=True, circuits=[
        circuit("bx", "x", "h", network=BACKBONE), circuit("s1", "x", "y", network="secret", monthly=9000),
        circuit("c1", "h", "y", mbps=10, monthly=5000)])
    ctx = context(inv)
    assert run_check(ctx, "LIN003") == []  # y's only other way is the classified s1


def test_every_mandated_line_gets_lin006_with_what_it_could_become():
    inv = backbone_star(circuit("p1", "x", "y", mbps=10, network="police", department="psb"),
                        circuit("p2", "y", "leaf", network="police", department="psb"),
                        networks=[mandated("police")])
    findings = run_check(context(inv), "LIN006")
    assert keys(findings) == ["LIN006:p1", "LIN006:p2"]
    assert [f.args["reasons"] for f in findings] == [["backbone"], []]
    assert all(f.saving_cny_per_year is None for f in findings)


def test_mandated_line_gets_lin006_not_lin003():
    inv = backbone_star(circuit("p1", "x", "y", mbps=10, network="police", department="psb"),
                        networks=[mandated("police")])
    ctx = context(inv)
    assert run_check(ctx, "LIN003") == []
    (finding,) = run_check(ctx, "LIN006")
    assert finding.args["reasons"] == ["backbone"]


def test_no_backbone_declared_means_no_backbone_proposals():
    inv = city(circuits=[circuit("c1", "x", "y", mbps=10), circuit("c2", "x", "h"), circuit("c3", "h", "y")])
    assert run_check(context(inv), "LIN003") == []


def test_proposals_hold_all_together_on_shared_capacity():
    # c1 and c2 would each fit through x-h (15 Mbit/s) alone, not both.
    inv = backbone_star(circuit("c1", "x", "y", mbps=10, monthly=4000),
                        circuit("c2", "x", "z", mbps=10, monthly=3000),
                        circuit("bz", "z", "h", network=BACKBONE), hub_mbps=15)
    assert keys(run_check(context(inv), "LIN003")) == ["LIN003:c1"]  # the dearer one goes first


def test_measured_peak_is_the_demand_when_known():
    inv = backbone_star(circuit("c1", "x", "y", mbps=100), hub_mbps=10)
    assert run_check(context(inv), "LIN003") == []
    ctx = context(inv, utilisation={"c1": samples("c1", [2, 4, 6])})
    (finding,) = run_check(ctx, "LIN003")
    assert finding.args["demand_mbps"] == 6
    assert finding.args["demand_basis"] == "measured peak"


def test_a_line_seen_also_as_lldp_link_and_slash30_is_no_detour_for_itself():
    inv = city(devices=[device("r1", "x"), device("r2", "y")], backbone=True, circuits=[
        circuit("bx", "x", "h", network=BACKBONE),
        circuit("c1", "x", "y", mbps=10, a_device="r1", a_port="GigabitEthernet0/0",
                z_device="r2", z_port="GigabitEthernet0/0")])
    observed = [facts("r1", itf("GigabitEthernet0/0", addresses=["10.0.0.1/30"]),
                      lldp("GigabitEthernet0/0", "r2", "GigabitEthernet0/0")),
                facts("r2", itf("GigabitEthernet0/0", addresses=["10.0.0.2/30"]))]
    ctx = context(inv, observed)
    assert "c1" in ctx.line_plan.bridges
    assert run_check(ctx, "LIN003") == []


def test_lin003_and_lin001_never_count_one_line_twice():
    inv = backbone_star(circuit("c1", "x", "y", mbps=10, monthly=3000), circuit("c2", "x", "y", mbps=10,
                                                                                monthly=2000))
    ctx = context(inv)
    lin003 = run_check(ctx, "LIN003")
    (lin001,) = run_check(ctx, "LIN001")
    assert keys(lin003) == ["LIN003:c1", "LIN003:c2"]  # the hub carries both
    assert lin001.saving_cny_per_year is None
    assert lin001.args["saving_counted_in"] == ["LIN003:c1", "LIN003:c2"]
    # Both lines go: none remains (it used to say "one line remains").
    assert lin001.recommendation == ("Once LIN003:c1 and LIN003:c2 are carried out, no line remains "
                                     "between x and y: nothing to merge.")
    assert lin001.args["all_cancelled_by"] == ["LIN003:c1", "LIN003:c2"] and "kept_line" not in lin001.args


def test_lin001_names_the_one_line_that_remains():
    inv = city(devices=[device("r1", "a"), device("r2", "b")], circuits=[
        circuit("c1", "a", "b", a_device="r1", a_port="Gi0/1", z_device="r2", z_port="Gi0/1"),
        circuit("c2", "a", "b")])
    ctx = context(inv, [facts("r1", itf("Gi0/1", up=False)), facts("r2", itf("Gi0/1", up=False))])
    (finding,) = run_check(ctx, "LIN001")
    assert finding.recommendation == "Once INV003:c1 is carried out, only c2 remains between a and b: " \
                                     "nothing more to merge."
    assert finding.args["kept_line"] == "c2"


# --- LIN004 underused lines ------------------------------------------------------------


def test_underused_line_is_reported_with_a_downgrade_saving():
    inv = city(circuits=[circuit("c1", "a", "b", mbps=100, monthly=5000)], tariff_bandwidth_exponent=0.5)
    ctx = context(inv, utilisation={"c1": samples("c1", [3.0] * 30 + [40.0])})
    (finding,) = run_check(ctx, "LIN004")
    assert finding.args["percentile_mbps"] == 3.0  # the single 40 Mbit/s burst is above the 95th
    assert finding.args["suggested_mbps"] == 6  # 3 Mbit/s at <= 50 % utilisation
    assert finding.saving_cny_per_year == pytest.approx(60_000 - 60_000 * (6 / 100) ** 0.5, abs=0.01)
    assert any(e.source == "util.csv" for e in finding.evidence)


def test_busy_or_barely_measured_lines_are_not_underused():
    inv = city(circuits=[circuit("c1", "a", "b", mbps=100), circuit("c2", "a", "c", mbps=100)])
    ctx = context(inv, utilisation={"c1": samples("c1", [50.0] * 30), "c2": samples("c2", [1.0] * 5)})
    assert run_check(ctx, "LIN004") == []


def test_underused_line_already_cancelled_elsewhere_counts_no_saving():
    inv = backbone_star(circuit("c1", "x", "y", mbps=100))
    ctx = context(inv, utilisation={"c1": samples("c1", [1.0] * 30)})
    (finding,) = run_check(ctx, "LIN004")
    assert finding.saving_cny_per_year is None
    assert finding.args["saving_counted_in"] == ["LIN003:c1"]


# --- LIN005 contract timing --------------------------------------------------------------


def contract_city(days_to_end: int, notice_days: int = 90, **kw):
    return city(circuits=[circuit("c1", "a", "b", contract_end=TODAY + dt.timedelta(days=days_to_end),
                                  notice_days=notice_days)], **kw)


@pytest.mark.parametrize("days_to_end,expected", [
    (200, False),  # notice date in 110 days: later
    (115, True),  # notice date in 25 days (within the 30-day lead)
    (60, True),  # notice date passed 30 days ago, contract still running
    (-1, False),  # already ended
])
def test_contract_is_flagged_from_shortly_before_its_notice_date_until_it_ends(days_to_end, expected):
    findings = run_check(context(contract_city(days_to_end)), "LIN005")
    assert bool(findings) is expected
    if findings:
        assert findings[0].args["days_left"] == days_to_end - 90


def test_contract_decision_names_the_proposal_to_carry_out():
    inv = backbone_star(circuit("c1", "x", "y", mbps=10, contract_end=TODAY + dt.timedelta(days=100)))
    (finding,) = run_check(context(inv), "LIN005")
    assert finding.args["proposed_by"] == "LIN003:c1"
    assert f"at the contract end on {TODAY + dt.timedelta(days=100)}" in finding.recommendation


# --- random cities ------------------------------------------------------------------------


@st.composite
def small_cities(draw):
    """Up to 7 sites, up to 12 lines, some backbone, classified or mandated."""
    n = draw(st.integers(2, 7))
    nets = st.sampled_from([None, None, BACKBONE, "secret", "police"])
    lines = []
    for i in range(draw(st.integers(1, 12))):
        a, z = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        lines.append(circuit(f"c{i}", f"s{a}", f"s{z}", mbps=draw(st.sampled_from([2, 10, 50, 100])),
                             monthly=draw(st.integers(100, 9000)), network=draw(nets)))
    return city(circuits=lines, backbone=True, networks=[classified("secret"), mandated("police")])


def usable_flow_graph(inv, without=frozenset()):
    """A networkx oracle graph: shareable lines not removed, capacity = bandwidth (summed)."""
    G = nx.Graph()
    for c in inv.circuits.values():
        net = inv.networks.get(c.network) if c.network else None
        if c.id in without or (net and (net.isolation == "physical" or net.mandated_by)):
            continue
        u, v = c.site_pair
        cap = G.edges[u, v]["capacity"] if G.has_edge(u, v) else 0
        G.add_edge(u, v, capacity=cap + c.bandwidth_mbps)
    return G.to_directed()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_cities())
def test_no_lin003_finding_is_a_bridge_classified_or_mandated_and_all_stay_routable(inv):
    ctx = context(inv)
    proposed = {f.subjects[0] for f in run_check(ctx, "LIN003")}
    simple = nx.Graph()
    counts: dict[tuple[str, str], int] = {}
    for c in inv.circuits.values():
        counts[c.site_pair] = counts.get(c.site_pair, 0) + 1
        simple.add_edge(*c.site_pair)
    bridge_lines = {c.id for c in inv.circuits.values()
                    if counts[c.site_pair] == 1 and tuple(sorted(c.site_pair)) in
                    {tuple(sorted(b)) for b in nx.bridges(simple)}}
    for cid in proposed:
        c = inv.circuits[cid]
        assert cid not in bridge_lines
        assert c.network not in ("secret", "police")
    remaining = usable_flow_graph(inv, without=proposed)
    for cid in proposed:  # each removed line's traffic still fits, with all removals done
        u, v = inv.circuits[cid].site_pair
        assert nx.maximum_flow_value(remaining, u, v) >= inv.circuits[cid].bandwidth_mbps - 1e-6


def test_every_check_runs_on_a_random_city():
    inv = random_city(60, 120, seed=3)
    findings = run_checks(context(inv), selected_checks(["inventory", "lines"]))
    assert {f.code for f in findings} >= {"LIN001", "LIN003"}
    lin003 = {f.subjects[0] for f in findings if f.code == "LIN003"}
    assert all(inv.circuits[c].network not in ("secret", "police") for c in lin003)


@pytest.mark.slow
def test_line_checks_on_a_3000_site_city():
    inv = random_city(3000, 5000, seed=7)
    findings = run_checks(context(inv), selected_checks(["lines"]))
    assert any(f.code == "LIN003" for f in findings)


def test_a_vertical_departments_own_private_line_is_an_ordinary_line():
    inv = backbone_star(circuit("t1", "x", "y", mbps=10, department="tax"),
                        departments=[Department(id="tax", name="Taxation Bureau", kind="vertical")])
    ctx = context(inv)
    assert keys(run_check(ctx, "LIN003")) == ["LIN003:t1"]
    assert run_check(ctx, "LIN006") == []
