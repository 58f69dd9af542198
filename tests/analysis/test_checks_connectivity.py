"""CON001 (islands) and CON002 (single points of failure of critical sites)."""

from __future__ import annotations

import networkx as nx
from support.citybuild import circuit, city, classified, context, device, facts, itf, lldp, room, site

from analysis.checks.connectivity import (
    critical_single_point,
    island_sites,
    single_points_of_failure,
    site_cut_off,
)


def backbone_core(*more_circuits, sites=(), devices=(), rooms=(), networks=()):
    """Backbone sites hub1 and hub2 (backbone devices, joined by a backbone line), plus what the test adds."""
    return city(backbone=True, sites=sites, rooms=rooms, networks=networks,
                devices=[device("core1", "hub1", networks=["egov"]), device("core2", "hub2", networks=["egov"]),
                         *devices],
                circuits=[circuit("bb", "hub1", "hub2", network="egov", mbps=10_000), *more_circuits])


# --- CON001 ----------------------------------------------------------------------------


def test_site_without_any_line_is_an_island():
    inv = backbone_core(circuit("c-a", "hub1", "a"), devices=[device("r-a", "a"), device("r-x", "x", department="tax")])
    (finding,) = site_cut_off(context(inv))
    assert finding.subjects == ("x",)
    assert finding.args["departments"] == ["tax"]
    assert "no line or link" in finding.evidence[0].detail
    assert finding.evidence[0].source.startswith("sites.yaml:")


def test_sites_joined_only_to_each_other_are_both_islands():
    inv = backbone_core(circuit("c-xy", "x", "y"), rooms=[room("rx", "x"), room("ry", "y")])
    findings = {f.subjects[0]: f for f in site_cut_off(context(inv))}
    assert set(findings) == {"x", "y"}
    assert findings["x"].args["island"] == ["y"]
    assert "reaches only y" in findings["x"].evidence[0].detail


def test_connected_sites_and_empty_sites_are_not_islands():
    inv = backbone_core(circuit("c-a", "hub1", "a"), circuit("c-ab", "a", "b"),
                        sites=[site("empty")], devices=[device("r-b", "b")])
    assert list(site_cut_off(context(inv))) == []


def test_critical_site_is_an_island_even_with_nothing_declared_on_it():
    inv = backbone_core(sites=[site("hq", critical=True)])
    assert [f.subjects for f in site_cut_off(context(inv))] == [("hq",)]


def test_without_a_backbone_nothing_is_judged():
    inv = city(devices=[device("r-a", "a"), device("r-b", "b")])
    assert list(site_cut_off(context(inv))) == []


def test_an_observed_link_is_a_path():
    inv = backbone_core(devices=[device("r-x", "x")])
    observed = [facts("r-x", lldp("Gi0/1", "core1", "Gi0/9")), facts("core1", lldp("Gi0/9", "r-x", "Gi0/1"))]
    assert list(site_cut_off(context(inv, observed))) == []


def test_a_classified_line_is_no_path_to_the_backbone():
    inv = backbone_core(circuit("sec", "x", "hub1", network="secret"), networks=[classified("secret")],
                        devices=[device("r-x", "x")])
    assert [f.subjects for f in site_cut_off(context(inv))] == [("x",)]


def test_a_site_that_holds_only_classified_equipment_is_apart_by_design():
    inv = backbone_core(networks=[classified("secret")], devices=[device("s-x", "x", networks=["secret"])],
                        rooms=[room("rx", "x", isolation="physical")])
    assert list(site_cut_off(context(inv))) == []


# --- CON002 ----------------------------------------------------------------------------


def test_critical_site_on_one_line_has_that_line_as_single_point():
    inv = backbone_core(circuit("c-hq", "hq", "hub1"), sites=[site("hq", critical=True)])
    (finding,) = critical_single_point(context(inv))
    assert finding.subjects == ("hq",)
    assert finding.args["bridges"] == [["circuit:c-hq"]] and finding.args["cut_sites"] == []
    assert "line c-hq" in finding.title
    assert any(e.source.startswith("circuits.yaml:") and "c-hq" in e.detail for e in finding.evidence)


def test_access_line_of_the_backbone_network_does_not_make_its_site_a_backbone_site():
    # The line belongs to the extranet, but only hub1 hosts extranet equipment.
    inv = backbone_core(circuit("acc", "hq", "hub1", network="egov"), sites=[site("hq", critical=True)])
    (finding,) = critical_single_point(context(inv))
    assert finding.subjects == ("hq",) and finding.args["bridges"] == [["circuit:acc"]]


def test_line_seen_as_circuit_lldp_link_and_slash30_is_still_one_line():
    inv = backbone_core(circuit("c-hq", "hq", "hub1", a_device="r-hq", a_port="Gi0/0", z_device="core1",
                                z_port="Gi0/5"),
                        devices=[device("r-hq", "hq")], sites=[site("hq", critical=True)])
    observed = [facts("r-hq", itf("Gi0/0", addresses=["172.16.0.1/30"]), lldp("Gi0/0", "core1", "Gi0/5")),
                facts("core1", itf("Gi0/5", addresses=["172.16.0.2/30"]), lldp("Gi0/5", "r-hq", "Gi0/0"))]
    ctx = context(inv, observed)
    assert len(ctx.site_graph.get_edge_data("hq", "hub1")) == 3  # circuit, link and l3 edges
    (finding,) = critical_single_point(ctx)
    assert finding.args["bridges"] == [["circuit:c-hq"]]


def test_without_backbone_devices_the_ends_of_backbone_lines_stand_in():
    inv = city(backbone=True, sites=[site("hq", critical=True)],
               circuits=[circuit("bb", "hub1", "hub2", network="egov"), circuit("c-hq", "hq", "hub1")])
    (finding,) = critical_single_point(context(inv))
    assert finding.args["bridges"] == [["circuit:c-hq"]] and finding.args["cut_sites"] == []


def test_a_classified_second_line_is_no_backup():
    inv = backbone_core(circuit("c1", "hq", "hub1"), circuit("sec", "hq", "hub2", network="secret"),
                        networks=[classified("secret")], sites=[site("hq", critical=True)])
    (finding,) = critical_single_point(context(inv))
    assert finding.args["bridges"] == [["circuit:c1"]]


def test_critical_site_with_two_diverse_paths_is_fine():
    inv = backbone_core(circuit("c1", "hq", "hub1"), circuit("c2", "hq", "hub2"),
                        sites=[site("hq", critical=True)])
    assert list(critical_single_point(context(inv))) == []


def test_parallel_lines_between_two_sites_are_not_a_single_line():
    inv = backbone_core(circuit("c1", "hq", "hub1"), circuit("c2", "hq", "hub1", carrier="China Unicom"),
                        sites=[site("hq", critical=True)])
    assert list(critical_single_point(context(inv))) == []


def test_intermediate_site_is_a_cut_site_and_its_uplink_a_bridge():
    # hq has two lines to m, but m has one line to the backbone.
    inv = backbone_core(circuit("c1", "hq", "m"), circuit("c2", "hq", "m"), circuit("up", "m", "hub2"),
                        sites=[site("hq", critical=True)])
    (finding,) = critical_single_point(context(inv))
    assert finding.args["cut_sites"] == ["m"]
    assert finding.args["bridges"] == [["circuit:up"]]


def test_ring_through_two_backbone_sites_has_no_single_point():
    inv = backbone_core(circuit("c1", "hq", "m"), circuit("c2", "m", "hub1"), circuit("c3", "hq", "hub2"),
                        sites=[site("hq", critical=True)])
    assert list(critical_single_point(context(inv))) == []


def test_non_critical_sites_and_backbone_sites_get_no_con002():
    inv = city(backbone=True, sites=[site("hub1", critical=True)],
               devices=[device("core1", "hub1", networks=["egov"])],
               circuits=[circuit("c-a", "hub1", "a")])  # a is not critical, hub1 is the backbone
    assert list(critical_single_point(context(inv))) == []


def test_critical_island_is_con001_not_con002():
    inv = backbone_core(sites=[site("hq", critical=True)])
    assert list(critical_single_point(context(inv))) == []


def test_single_points_ordered_from_the_site_outward():
    S = nx.MultiGraph()
    S.add_nodes_from(["s", "m1", "m2"])
    S.add_node("bb", backbone=True)
    S.add_edge("s", "m1", key="circuit:x")
    S.add_edge("m1", "m2", key="circuit:y")
    S.add_edge("m2", "bb", key="circuit:z")
    spof = single_points_of_failure(S, ["s"])["s"]
    assert [b.keys for b in spof.bridges] == [("circuit:x",), ("circuit:y",), ("circuit:z",)]
    assert spof.cut_sites == ("m1", "m2")


def test_single_points_and_islands_agree_with_brute_force_on_random_graphs():
    """Remove each edge group / site in turn and see who loses the backbone."""
    import random

    rng = random.Random(7)
    for _ in range(30):
        S = nx.MultiGraph()
        S.add_nodes_from(f"s{n}" for n in range(9))
        for k in range(rng.randrange(6, 16)):  # repeats give parallel lines
            u, v = rng.sample(sorted(S), 2)
            S.add_edge(u, v, key=f"circuit:e{k}")
        for n in rng.sample(sorted(S), 2):
            S.nodes[n]["backbone"] = True
        islands = island_sites(S)
        backbone = {n for n, d in S.nodes(data=True) if d.get("backbone")}
        reach = {n for b in backbone for n in nx.node_connected_component(S, b)}
        assert islands == set(S) - reach
        spofs = single_points_of_failure(S, list(S))
        for s in set(S) - islands - backbone:
            expected_cuts = set()
            for v in set(S) - {s} - backbone:
                H = S.copy()
                H.remove_node(v)
                if not any(nx.has_path(H, s, b) for b in backbone):
                    expected_cuts.add(v)
            expected_bridges = set()
            for u, v in {tuple(sorted(e)) for e in S.edges()}:
                H = S.copy()
                H.remove_edges_from([(u, v, k) for k in list(S[u][v])])
                if not any(nx.has_path(H, s, b) for b in backbone):
                    expected_bridges.add((u, v))
            assert set(spofs[s].cut_sites) == expected_cuts
            assert {b.sites for b in spofs[s].bridges} == {e for e in expected_bridges if len(S[e[0]][e[1]]) == 1}
