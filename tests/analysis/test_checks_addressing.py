"""ADR001 overlapping prefixes, ADR002 duplicate addresses, ADR003 addresses outside the plan."""

from __future__ import annotations

import dataclasses
import random
from ipaddress import IPv4Network

from builders import city, classified, context, device, facts, itf, mandated, network

from analysis.checks.addressing import (
    Claim,
    duplicate_addresses,
    outside_address_plan,
    overlapping_pairs,
    overlapping_prefixes,
)
from inventory.model import Policy

# --- ADR001 ----------------------------------------------------------------------------


def test_declared_prefixes_of_two_networks_overlap():
    inv = city(networks=[network("tax-lan", department="tax", prefixes=["10.1.0.0/16"]),
                         network("hr-lan", department="hr", prefixes=["10.1.128.0/17"])])
    (finding,) = overlapping_prefixes(context(inv))
    assert finding.subjects == ("hr-lan", "tax-lan")
    assert finding.args["prefixes"] == [["10.1.0.0/16", "10.1.128.0/17"]]
    assert {e.source for e in finding.evidence} == {"networks.yaml:1", "networks.yaml:2"}


def test_disjoint_prefixes_do_not_overlap():
    inv = city(networks=[network("a", prefixes=["10.1.0.0/16"]), network("b", prefixes=["10.2.0.0/16"])])
    assert list(overlapping_prefixes(context(inv))) == []


def test_separate_vrfs_and_isolated_networks_may_reuse_addresses():
    inv = city(networks=[network("a", prefixes=["192.168.0.0/24"]),
                         network("b", prefixes=["192.168.0.0/24"], vrf="police"),
                         network("c", prefixes=["192.168.0.0/24"], isolation="logical"),
                         classified("d").model_copy(update={"prefixes": ("192.168.0.0/24",)})])
    assert list(overlapping_prefixes(context(inv))) == []


def test_networks_in_the_same_vrf_do_clash():
    inv = city(networks=[network("a", prefixes=["192.168.0.0/24"], vrf="v1"),
                         network("b", prefixes=["192.168.0.0/25"], vrf="v1")])
    (finding,) = overlapping_prefixes(context(inv))
    assert finding.subjects == ("a", "b") and finding.args["vrf"] == "v1"


def test_observed_subnets_count_for_the_device_network():
    inv = city(networks=[network("tax-lan", department="tax"), network("hr-lan", department="hr")],
               devices=[device("tax-r1", "a", networks=["tax-lan"]), device("hr-r1", "b", networks=["hr-lan"])])
    observed = [facts("tax-r1", itf("Vlan10", addresses=["192.168.1.1/24"])),
                facts("hr-r1", itf("Vlan20", addresses=["192.168.1.254/24"]))]
    (finding,) = overlapping_prefixes(context(inv, observed))
    assert finding.subjects == ("hr-lan", "tax-lan")
    assert any("hr-r1 Vlan20 has 192.168.1.254/24" in e.detail for e in finding.evidence)
    assert "hr-r1/show_interfaces.txt" in {e.source for e in finding.evidence}  # the capture that shows it


def test_point_to_point_subnets_between_networks_are_not_overlaps():
    inv = city(networks=[network("a"), network("b")],
               devices=[device("r1", "x", networks=["a"]), device("r2", "y", networks=["b"])])
    observed = [facts("r1", itf("Gi0/0", addresses=["10.255.0.1/30"])),
                facts("r2", itf("Gi0/0", addresses=["10.255.0.2/30"]))]
    assert list(overlapping_prefixes(context(inv, observed))) == []


def test_backbone_aggregate_contains_department_blocks_without_overlap():
    inv = city(backbone=True, policy=Policy(backbone="egov"),
               networks=[network("egov", kind="egov_extranet", prefixes=["10.0.0.0/8", "59.255.0.0/16"]),
                         network("a", prefixes=["10.1.0.0/16"]), network("b", prefixes=["59.255.0.0/16"])])
    (finding,) = overlapping_prefixes(context(inv))
    assert finding.subjects == ("b", "egov")  # an identical claim is a clash, a summary is not


def test_address_in_a_backbone_prefix_belongs_to_the_backbone():
    inv = city(policy=Policy(backbone="egov"),
               networks=[network("egov", kind="egov_extranet", prefixes=["59.255.0.0/16"]),
                         network("lan")],
               devices=[device("r1", "x", networks=["egov", "lan"]), device("core", "y", networks=["egov"])])
    observed = [facts("r1", itf("Gi0/0", addresses=["59.255.7.1/24"])),
                facts("core", itf("Gi0/0", addresses=["59.255.7.2/24"]))]
    assert list(overlapping_prefixes(context(inv, observed))) == []


def test_overlap_sweep_matches_pairwise_comparison():
    rng = random.Random(3)
    claims = []
    for k in range(300):
        length = rng.choice([8, 12, 16, 20, 24, 28])
        base = rng.choice([10, 172, 192]) << 24 | rng.getrandbits(24)
        prefix = IPv4Network((base, length), strict=False)
        claims.append(Claim(f"n{k % 40}", rng.choice(["", "", "v1"]), prefix, "x", "y"))
    found = set(overlapping_pairs(claims))
    expected = {tuple(sorted((a.network, b.network))) for a in claims for b in claims
                if a.network != b.network and a.domain == b.domain and a.prefix.overlaps(b.prefix)}
    assert found == expected


# --- ADR002 ----------------------------------------------------------------------------


def test_one_address_on_two_devices_is_a_duplicate():
    inv = city(devices=[device("r1", "a"), device("r2", "b")])
    observed = [facts("r1", itf("Vlan1", addresses=["10.9.9.9/24"])),
                facts("r2", itf("Loopback0", addresses=["10.9.9.9/32"]))]
    (finding,) = duplicate_addresses(context(inv, observed))
    assert finding.subjects == ("10.9.9.9",)
    assert finding.args["devices"] == ["r1", "r2"]
    assert [e.detail for e in finding.evidence] == ["r1 Vlan1 has 10.9.9.9/24", "r2 Loopback0 has 10.9.9.9/32"]


def test_duplicates_inside_a_vrf_or_on_one_device_or_unparsable_are_ignored():
    inv = city(devices=[device("r1", "a"), device("r2", "b")])
    observed = [facts("r1", itf("Vlan1", addresses=["10.9.9.9/24"]), itf("Vlan2", addresses=["10.9.9.9/24"]),
                      itf("Vlan3", addresses=["not-an-address"])),
                facts("r2", itf("Vlan1", addresses=["10.9.9.9/24"], vrf="police"),
                      itf("Vlan3", addresses=["not-an-address"]))]
    assert list(duplicate_addresses(context(inv, observed))) == []


def test_isolated_networks_keep_their_own_address_space():
    inv = city(networks=[classified("secret")],
               devices=[device("s1", "a", networks=["secret"]), device("r1", "b")])
    observed = [facts("s1", itf("Vlan1", addresses=["10.9.9.9/24"])),
                facts("r1", itf("Vlan1", addresses=["10.9.9.9/24"]))]
    assert list(duplicate_addresses(context(inv, observed))) == []


# --- ADR003 ----------------------------------------------------------------------------


def plan_city(*networks, devices=None, **policy):
    return city(networks=networks, policy=Policy(address_plan={"tax": ("10.1.0.0/16", "10.3.0.0/16")}, **policy),
                devices=devices or [device("tax-r1", "a", department="tax")])


def test_address_outside_the_department_block_is_flagged():
    observed = [facts("tax-r1", itf("Vlan10", addresses=["10.1.4.1/24"]), itf("Vlan20", addresses=["10.2.0.1/24"]))]
    (finding,) = outside_address_plan(context(plan_city(), observed))
    assert finding.subjects == ("tax-r1", "10.2.0.1/24")
    assert finding.args["allocated"] == ["10.1.0.0/16", "10.3.0.0/16"]
    assert "policy" in finding.evidence[1].source


def test_addresses_inside_any_block_pass():
    observed = [facts("tax-r1", itf("Vlan10", addresses=["10.1.255.254/24", "10.3.0.1/24"]))]
    assert list(outside_address_plan(context(plan_city(), observed))) == []


def test_departments_without_allocation_are_not_judged():
    inv = plan_city(devices=[device("hr-r1", "a", department="hr")])
    assert list(outside_address_plan(context(inv, [facts("hr-r1", itf("Vlan1", addresses=["172.16.0.1/24"]))]))) == []


def test_backbone_and_mandated_network_addresses_follow_their_own_plan():
    inv = plan_city(network("egov", kind="egov_extranet", prefixes=["59.255.0.0/16"]),
                    mandated("police", department="tax").model_copy(update={"prefixes": ("172.20.0.0/16",)}),
                    devices=[device("tax-r1", "a", department="tax", networks=["egov", "police"])],
                    backbone="egov")
    observed = [facts("tax-r1", itf("Gi0/0", addresses=["59.255.1.2/30"]), itf("Gi0/1", addresses=["172.20.1.1/24"]),
                      itf("Loopback0", addresses=["127.0.0.1/8"]))]
    assert list(outside_address_plan(context(inv, observed))) == []


def test_address_in_another_departments_network_is_judged_by_that_departments_block():
    hr_lan = network("hr-private", department="hr", prefixes=["10.9.0.0/21"])
    inv = city(networks=[hr_lan], devices=[device("tax-r1", "a", department="tax", networks=["hr-private"])],
               policy=Policy(address_plan={"tax": ("10.1.0.0/16",), "hr": ("10.9.0.0/16",)}))
    observed = [facts("tax-r1", itf("Gi0/1", addresses=["10.9.0.2/30"]))]
    assert list(outside_address_plan(context(inv, observed))) == []
    moved = dataclasses.replace(inv, policy=Policy(address_plan={"tax": ("10.9.0.0/16",), "hr": ("10.8.0.0/16",)}))
    (finding,) = outside_address_plan(context(moved, observed))
    assert finding.args["department"] == "hr" and finding.args["network"] == "hr-private"
