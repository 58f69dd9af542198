"""The citywide graph: one edge per physical fact, stable keys, site contraction."""

from __future__ import annotations

from support.citybuild import cdp, circuit, city, device, facts, itf, lldp, room, site

from analysis.graph import build_graph, site_graph


def edges_of(G, kind: str) -> list[tuple[str, str, str, dict]]:
    return sorted((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if d["kind"] == kind)


def two_routers(**kw) -> object:
    return city(devices=[device("r1", "a"), device("r2", "b")], **kw)


# --- links -------------------------------------------------------------------------


def test_link_reported_by_both_ends_is_one_edge():
    G = build_graph(two_routers(), {
        "r1": facts("r1", lldp("GigabitEthernet0/1", "r2", "GigabitEthernet0/2")),
        "r2": facts("r2", lldp("GigabitEthernet0/2", "r1.city.gov.cn", "GigabitEthernet0/1")),
    })
    (link,) = edges_of(G, "link")
    u, v, key, data = link
    assert {u, v} == {"device:r1", "device:r2"}
    assert key == "link:r1:GigabitEthernet0/1"
    assert data["ports"] == {"r1": "GigabitEthernet0/1", "r2": "GigabitEthernet0/2"}
    assert data["reported_by"] == ["r1", "r2"]


def test_lldp_and_cdp_of_the_same_link_are_one_edge_with_both_protocols():
    G = build_graph(two_routers(), {
        "r1": facts("r1", lldp("Gi0/1", "r2", "Gi0/2"), cdp("Gi0/1", "R2", "Gi0/2")),
        "r2": facts("r2", cdp("Gi0/2", "r1", "Gi0/1")),
    })
    (link,) = edges_of(G, "link")
    assert link[3]["protocols"] == {"lldp", "cdp"}
    assert link[3]["reported_by"] == ["r1", "r2"]


def test_two_parallel_links_between_the_same_devices_stay_two_edges():
    G = build_graph(two_routers(), {
        "r1": facts("r1", lldp("Gi0/1", "r2", "Gi0/1"), lldp("Gi0/2", "r2", "Gi0/2")),
        "r2": facts("r2", lldp("Gi0/1", "r1", "Gi0/1"), lldp("Gi0/2", "r1", "Gi0/2")),
    })
    assert [k for _, _, k, _ in edges_of(G, "link")] == ["link:r1:GigabitEthernet0/1", "link:r1:GigabitEthernet0/2"]


def test_ends_disagreeing_on_remote_port_ids_still_make_one_link():
    # r2 advertises a MAC address as its LLDP port id: the two reports do not agree on ports.
    G = build_graph(two_routers(), {
        "r1": facts("r1", lldp("Gi0/1", "r2", "0050.5683.1234")),
        "r2": facts("r2", lldp("Gi0/2", "r1", "Gi0/1")),
    })
    (link,) = edges_of(G, "link")
    assert link[3]["ports"] == {"r1": "GigabitEthernet0/1", "r2": "GigabitEthernet0/2"}  # each side's own port wins


def test_two_links_each_seen_from_one_side_only_stay_two_links():
    G = build_graph(two_routers(), {
        "r1": facts("r1", lldp("Gi0/1", "r2", "Gi0/1")),
        "r2": facts("r2", lldp("Gi0/2", "r1", "Gi0/2")),
    })
    assert len(edges_of(G, "link")) == 2


def test_neighbour_matching_no_declared_device_becomes_an_undeclared_node():
    G = build_graph(two_routers(), {
        "r1": facts("r1", lldp("Gi0/3", "Rogue-SW.corp.local", "Gi1/0/24"), cdp("Gi0/3", "rogue-sw", "Gi1/0/24")),
        "r2": facts("r2", lldp("Gi0/5", "ROGUE-SW", "Gi1/0/1")),
    })
    node = G.nodes["device:rogue-sw"]
    assert node["declared"] is False
    assert node["site"] == "a"  # placed at its first observer's site
    assert sorted(node["seen_by"]) == ["r1:GigabitEthernet0/3", "r2:GigabitEthernet0/5"]
    assert G.nodes["device:r1"]["declared"] is True
    assert len(edges_of(G, "link")) == 2


def test_neighbour_is_matched_by_management_address_before_name():
    inv = city(devices=[device("r1", "a"), device("core-b", "b", host="10.9.9.9")])
    G = build_graph(inv, {"r1": facts("r1", lldp("Gi0/1", "unnamed", "Gi0/1", address="10.9.9.9"))})
    assert not any(d.get("declared") is False for _, d in G.nodes(data=True))
    assert G.has_edge("device:r1", "device:core-b")


def test_short_name_declared_at_two_sites_resolves_to_the_local_one():
    inv = city(devices=[device("r1", "b"), device("sw1", "a", host="h-a"), device("SW1", "b", host="h-b")])
    G = build_graph(inv, {"r1": facts("r1", lldp("Gi0/1", "sw1", "Gi0/1"))})
    assert G.has_edge("device:r1", "device:SW1")
    assert not G.has_edge("device:r1", "device:sw1")


def test_a_neighbour_advertising_a_devices_own_hostname_is_that_device():
    import dataclasses

    from collectors.facts import DeviceInfo

    inv = city(devices=[device("hub1", "a"), device("hosp2-core1", "b", platform="hp_comware")])
    hosp = facts("hosp2-core1", itf("GE1/0/1"), platform="hp_comware")
    G = build_graph(inv, {
        "hub1": facts("hub1", lldp("Gi0/1", "HOSP2-CORE-01", "GE1/0/1")),
        "hosp2-core1": dataclasses.replace(hosp, info=DeviceInfo(hostname="HOSP2-CORE-01")),  # its sysname
    })
    ((u, v, _, _data),) = edges_of(G, "link")
    assert {u, v} == {"device:hub1", "device:hosp2-core1"} and "device:hosp2-core-01" not in G


def test_facts_of_a_device_missing_from_the_inventory_are_ignored():
    G = build_graph(two_routers(), {"ghost": facts("ghost", lldp("Gi0/1", "r1", "Gi0/1"))})
    assert "device:ghost" not in G
    site_graph(G)  # no half-built node breaks the contraction


def test_a_link_on_a_management_port_is_kept_but_carries_no_path():
    inv = city(devices=[device("n1", "a", platform="cisco_nxos"), device("oob1", "b")])
    G = build_graph(inv, {
        "n1": facts("n1", itf("mgmt0", addresses=["192.168.0.1/24"], role="management"),
                    lldp("mgmt0", "oob1", "Gi0/1"), platform="cisco_nxos"),
    })
    ((_, _, _, data),) = edges_of(G, "link")
    assert data["plane"] == "management"
    assert list(site_graph(G).edges) == []  # the out-of-band network joins no sites for data


# --- layer 3 -----------------------------------------------------------------------


def test_l3_adjacency_from_a_shared_slash30_and_slash31():
    G = build_graph(two_routers(), {
        "r1": facts("r1", itf("Gi0/1", addresses=["10.0.0.1/30"]), itf("Gi0/2", addresses=["10.0.1.0/31"])),
        "r2": facts("r2", itf("Gi0/1", addresses=["10.0.0.2/30"]), itf("Gi0/2", addresses=["10.0.1.1/31"])),
    })
    l3 = edges_of(G, "l3")
    assert [(k, d["ports"]) for _, _, k, d in l3] == [
        ("l3:10.0.0.0/30", {"r1": "GigabitEthernet0/1", "r2": "GigabitEthernet0/1"}),
        ("l3:10.0.1.0/31", {"r1": "GigabitEthernet0/2", "r2": "GigabitEthernet0/2"}),
    ]


def test_no_l3_adjacency_on_wider_subnets():
    G = build_graph(two_routers(), {
        "r1": facts("r1", itf("Gi0/2", addresses=["10.2.0.1/24"])),
        "r2": facts("r2", itf("Gi0/2", addresses=["10.2.0.2/24"])),
    })
    assert edges_of(G, "l3") == []


def test_a_slash30_whose_ends_carry_different_vrf_labels_is_one_link():
    # A PE keeps its end of a customer link in VRF "tax"; the CE has it in its global table.
    G = build_graph(two_routers(), {
        "r1": facts("r1", itf("Gi0/1", addresses=["10.0.0.1/30"], vrf="tax")),
        "r2": facts("r2", itf("Gi0/1", addresses=["10.0.0.2/30"])),
    })
    (edge,) = edges_of(G, "l3")
    assert edge[2] == "l3:10.0.0.0/30"
    assert edge[3]["vrfs"] == {"r1": "tax", "r2": None} and edge[3]["vrf"] is None


def test_nxos_default_and_a_blank_global_table_are_one_table():
    inv = city(devices=[device("n1", "a", platform="cisco_nxos"), device("r2", "b")])
    G = build_graph(inv, {
        "n1": facts("n1", itf("Ethernet1/1", addresses=["10.0.1.0/31"], vrf="default"), platform="cisco_nxos"),
        "r2": facts("r2", itf("Gi0/1", addresses=["10.0.1.1/31"])),
    })
    (edge,) = edges_of(G, "l3")
    assert (edge[2], edge[3]["vrf"]) == ("l3:10.0.1.0/31", None)
    assert edge[3]["ports"] == {"n1": "Ethernet1/1", "r2": "GigabitEthernet0/1"}


def test_a_subnet_reused_by_more_than_two_interfaces_is_paired_by_vrf():
    inv = city(devices=[device(f"r{k}", f"s{k}") for k in range(1, 6)])
    G = build_graph(inv, {
        "r1": facts("r1", itf("Gi0/1", addresses=["10.0.0.1/30"], vrf="police")),
        "r2": facts("r2", itf("Gi0/1", addresses=["10.0.0.2/30"], vrf="police")),
        "r3": facts("r3", itf("Gi0/1", addresses=["10.0.0.1/30"], vrf="default")),
        "r4": facts("r4", itf("Gi0/1", addresses=["10.0.0.2/30"])),
        "r5": facts("r5", itf("Gi0/1", addresses=["10.0.0.1/30"], vrf="tax")),  # alone in its VRF
    })
    assert [(u, v, k) for u, v, k, _ in edges_of(G, "l3")] == [
        ("device:r1", "device:r2", "l3:police:10.0.0.0/30"),
        ("device:r3", "device:r4", "l3:10.0.0.0/30"),
    ]


def test_an_unmasked_address_closes_the_subnet_of_a_masked_one():
    # r2's address comes from "show ip interface brief", which shows no prefix length.
    G = build_graph(two_routers(), {
        "r1": facts("r1", itf("Gi0/1", addresses=["10.0.0.1/30"])),
        "r2": facts("r2", itf("Gi0/3", unmasked=["10.0.0.2"])),
    })
    (edge,) = edges_of(G, "l3")
    assert (edge[2], edge[3]["ports"]) == ("l3:10.0.0.0/30", {"r1": "GigabitEthernet0/1",
                                                               "r2": "GigabitEthernet0/3"})


def test_an_ambiguous_unmasked_address_links_nothing():
    inv = city(devices=[device("r1", "a"), device("r2", "b"), device("r3", "c"), device("r4", "d")])
    G = build_graph(inv, {
        "r1": facts("r1", itf("Gi0/1", addresses=["10.0.0.1/30"])),
        "r3": facts("r3", itf("Gi0/1", addresses=["10.0.0.2/30"])),
        "r2": facts("r2", itf("Gi0/3", unmasked=["10.0.0.1", "10.0.0.3", "10.9.0.1"])),  # taken, broadcast, no peer
        "r4": facts("r4", itf("Gi0/1", addresses=["10.0.5.1/30"]), itf("Gi0/2", unmasked=["10.0.5.2"])),
    })
    assert [(u, v) for u, v, _, _ in edges_of(G, "l3")] == [("device:r1", "device:r3")]


def test_management_and_internal_interfaces_give_no_l3_adjacency():
    inv = city(devices=[device("j1", "a", platform="juniper_junos"), device("j2", "b", platform="juniper_junos")])
    G = build_graph(inv, {
        "j1": facts("j1", itf("fxp0", addresses=["10.99.0.1/31"], role="management"),
                    itf("em1", addresses=["10.98.0.1/30"], role="internal")),
        "j2": facts("j2", itf("fxp0", addresses=["10.99.0.0/31"], role="management"),
                    itf("em1", addresses=["10.98.0.2/30"], role="internal")),
    })
    assert edges_of(G, "l3") == []


def test_a_first_hop_virtual_address_is_no_end_of_a_link():
    G = build_graph(two_routers(), {
        "r1": facts("r1", itf("Vlan10", addresses=["10.0.0.1/30", "10.0.0.2/30"], shared=["10.0.0.2/30"])),
        "r2": facts("r2", itf("Vlan10", addresses=["10.0.0.2/30"], shared=["10.0.0.2/30"])),
    })
    assert edges_of(G, "l3") == []


def test_l3_adjacency_inside_one_vrf_is_kept_under_a_vrf_key():
    G = build_graph(two_routers(), {
        "r1": facts("r1", itf("Gi0/1", addresses=["10.0.0.1/30"], vrf="police")),
        "r2": facts("r2", itf("Gi0/1", addresses=["10.0.0.2/30"], vrf="police")),
    })
    (edge,) = edges_of(G, "l3")
    assert edge[2] == "l3:police:10.0.0.0/30" and edge[3]["vrf"] == "police"


def test_a_slash30_on_three_devices_or_with_one_address_twice_is_no_adjacency():
    inv = city(devices=[device("r1", "a"), device("r2", "b"), device("r3", "c")])
    G = build_graph(inv, {
        "r1": facts("r1", itf("Gi0/1", addresses=["10.0.0.1/30"]), itf("Gi0/2", addresses=["10.0.1.1/30"])),
        "r2": facts("r2", itf("Gi0/1", addresses=["10.0.0.2/30"]), itf("Gi0/2", addresses=["10.0.1.1/30"])),
        "r3": facts("r3", itf("Gi0/1", addresses=["10.0.0.2/30"])),
    })
    assert edges_of(G, "l3") == []


# --- circuits ----------------------------------------------------------------------


def circuit_city():
    return city(devices=[device("r1", "a"), device("r2", "b")], circuits=[
        circuit("c1", "a", "b", a_device="r1", a_port="Gi0/0", z_device="r2", z_port="Gi0/0", mbps=20),
        circuit("c2", "a", "c", mbps=10),  # no devices declared: site to site
    ])


def seen_up(G, cid: str) -> list:
    return next(d["seen_up"] for _, _, k, d in G.edges(keys=True, data=True) if k == f"circuit:{cid}")


def test_circuit_edge_joins_its_end_devices_and_records_seen_up():
    G = build_graph(circuit_city(), {"r1": facts("r1", itf("GigabitEthernet0/0")),
                                     "r2": facts("r2", itf("GigabitEthernet0/0", up=False))})
    assert G.has_edge("device:r1", "device:r2", key="circuit:c1")
    assert G.has_edge("site:a", "site:c", key="circuit:c2")
    assert seen_up(G, "c1") == [True, False]  # "Gi0/0" in the inventory matches the long name
    assert seen_up(G, "c2") == [None, None]


def test_circuit_end_that_cannot_be_told_is_none():
    G = build_graph(circuit_city(), {
        "r1": facts("r1", status="timeout"),  # not collected
        "r2": facts("r2", itf("Gi0/9")),  # no such interface: an inventory typo, not a dead line
    })
    assert seen_up(G, "c1") == [None, None]
    G = build_graph(circuit_city(), {"r1": facts("r1", itf("Gi0/0", up=None))})
    assert seen_up(G, "c1") == [None, None]


def test_an_address_on_a_unit_or_sub_interface_rides_the_circuit_of_its_port():
    inv = city(devices=[device("j1", "a", platform="juniper_junos"), device("r2", "b")], circuits=[
        circuit("c1", "a", "b", a_device="j1", a_port="ge-0/0/0"),
        circuit("c2", "a", "b", z_device="r2", z_port="Gi0/2")])
    G = build_graph(inv, {
        "j1": facts("j1", itf("ge-0/0/0.0", addresses=["10.0.0.1/30"]), itf("ge-0/0/1.0", addresses=["10.0.1.1/30"]),
                    platform="juniper_junos"),
        "r2": facts("r2", itf("Gi0/1", addresses=["10.0.0.2/30"]), itf("Gi0/2.100", addresses=["10.0.1.2/30"])),
    })
    assert [(k, d["circuit"]) for _, _, k, d in edges_of(G, "l3")] == [
        ("l3:10.0.0.0/30", "c1"), ("l3:10.0.1.0/30", "c2")]


def test_link_and_l3_edges_over_a_circuit_port_are_tagged_with_it():
    G = build_graph(circuit_city(), {
        "r1": facts("r1", itf("GigabitEthernet0/0", addresses=["10.0.0.1/30"]),
                    lldp("GigabitEthernet0/0", "r2", "GigabitEthernet0/0")),
        "r2": facts("r2", itf("GigabitEthernet0/0", addresses=["10.0.0.2/30"])),
    })
    assert [d["circuit"] for *_, d in edges_of(G, "link") + edges_of(G, "l3")] == ["c1", "c1"]


# --- site graph --------------------------------------------------------------------


def contraction_city():
    inv = city(
        rooms=[room("ra", "a")],
        devices=[device("r1", room="ra"), device("sw1", "a"), device("r2", "b")],
        circuits=[circuit("c1", "a", "b", a_device="r1", a_port="Gi0/0", z_device="r2", z_port="Gi0/0",
                          mbps=20),
                  circuit("c2", "b", "c", mbps=10)],
    )
    observed = {
        "r1": facts("r1", itf("Gi0/0"), lldp("Gi0/0", "r2", "Gi0/0"), lldp("Gi0/5", "sw1", "Gi0/1"),
                    lldp("Gi0/6", "r2", "Gi0/6")),
        "r2": facts("r2", itf("Gi0/0")),
    }
    return build_graph(inv, observed)


def test_site_graph_keeps_inter_site_edges_only_with_capacities():
    S = site_graph(contraction_city())
    assert sorted(S.nodes) == ["a", "b", "c"]
    edges = {k: (tuple(sorted((u, v))), d["capacity"]) for u, v, k, d in S.edges(keys=True, data=True)}
    assert edges == {
        "circuit:c1": (("a", "b"), 20),
        "circuit:c2": (("b", "c"), 10),
        "link:r1:GigabitEthernet0/0": (("a", "b"), None),  # the LLDP view of c1 (tagged, see below)
        "link:r1:GigabitEthernet0/6": (("a", "b"), None),  # an inter-site link with no circuit record
    }  # r1-sw1 is inside site a: gone


def test_site_graph_without_a_circuit_drops_it_and_what_rides_on_it():
    S = site_graph(contraction_city(), without=["c1"])
    assert sorted(k for *_, k in S.edges(keys=True)) == ["circuit:c2", "link:r1:GigabitEthernet0/6"]


def test_site_nodes_keep_their_attributes():
    inv = city(sites=[site("a", "east", critical=True)], devices=[device("r1", "a", networks=["egov"])],
               backbone=True)
    S = site_graph(build_graph(inv, {}))
    assert S.nodes["a"]["critical"] is True
    assert S.nodes["a"]["backbone"] is True
    assert S.nodes["a"]["district"] == "east"
