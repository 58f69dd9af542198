"""ADR001 overlapping prefixes, ADR002 duplicate addresses, ADR003 addresses outside the plan."""

from __future__ import annotations

import dataclasses
import random
from ipaddress import IPv4Network

from support.citybuild import CONFIG, circuit, city, classified, context, device, facts, itf, keys, mandated, network

from analysis.checks.addressing import (
    Claim,
    duplicate_addresses,
    isolation_contradicted,
    outside_address_plan,
    overlapping_pairs,
    overlapping_prefixes,
)
from analysis.findings import Severity
from collectors.facts import DeviceFacts
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


# --- ADR004 (and ADR001 on what is observed) -------------------------------------------


def logical_city(tax_pe_vrf=None, hr_pe_vrf=None, config=CONFIG):
    """tax-lan and hr-lan, both declared logically isolated, reuse 10.5.0.0/16.

    Each department router (CE) has its LAN in its global table and a /30 to the backbone
    router core1 (PE); the PE end is in a VRF only when ``*_pe_vrf`` says so.
    """
    inv = city(backbone=True,
               networks=[network("tax-lan", department="tax", isolation="logical", vrf="tax", prefixes=["10.5.0.0/16"]),
                         network("hr-lan", department="hr", isolation="logical", prefixes=["10.5.0.0/16"])],
               devices=[device("core1", "hub", networks=["egov"]),
                        device("tax-r1", "a", department="tax", networks=["tax-lan"]),
                        device("hr-r1", "b", department="hr", networks=["hr-lan"])])
    observed = [facts("core1", itf("Gi0/1", addresses=["10.255.0.1/30"], vrf=tax_pe_vrf),
                      itf("Gi0/2", addresses=["10.255.0.5/30"], vrf=hr_pe_vrf), config=config),
                facts("tax-r1", itf("Gi0/0", addresses=["10.255.0.2/30"]), itf("Vlan10", addresses=["10.5.1.1/24"]),
                      config=config),
                facts("hr-r1", itf("Gi0/0", addresses=["10.255.0.6/30"]), itf("Vlan20", addresses=["10.5.1.254/24"]),
                      config=config)]
    return context(inv, observed)


def test_logical_isolation_contradicted_by_global_table_routes_to_the_backbone():
    ctx = logical_city()
    found = list(isolation_contradicted(ctx))
    assert keys(found) == ["ADR004:hr-lan", "ADR004:tax-lan"]
    tax = next(f for f in found if f.subjects == ("tax-lan",))
    assert tax.severity == Severity.MEDIUM and tax.args["devices"] == ["tax-r1"]
    assert tax.args["addresses"] == ["10.5.1.1/24"]
    assert any("tax-r1 -> core1" in e.detail for e in tax.evidence)
    (overlap,) = overlapping_prefixes(ctx)  # judged on what is observed: both share the global table
    assert overlap.subjects == ("hr-lan", "tax-lan")


def test_no_contradiction_is_claimed_from_evidence_that_cannot_show_vrfs():
    ctx = logical_city(config=None)  # "show interfaces" only: the PE's VRFs are unknown
    assert list(isolation_contradicted(ctx)) == [] and list(overlapping_prefixes(ctx)) == []


def test_logical_isolation_kept_by_the_pe_vrfs_is_no_contradiction():
    ctx = logical_city(tax_pe_vrf="tax", hr_pe_vrf="hr")  # each CE is behind its VRF on the PE
    assert list(isolation_contradicted(ctx)) == [] and list(overlapping_prefixes(ctx)) == []


def test_duplicates_of_a_contradicted_network_are_duplicates():
    def with_same_gateway(ctx):
        hr = ctx.facts["hr-r1"]
        return dataclasses.replace(ctx, facts={**ctx.facts, "hr-r1": dataclasses.replace(
            hr, interfaces=(*hr.interfaces, itf("Vlan21", addresses=["10.5.1.1/24"])))})

    assert keys(duplicate_addresses(with_same_gateway(logical_city()))) == ["ADR002:10.5.1.1"]
    assert list(duplicate_addresses(with_same_gateway(logical_city(tax_pe_vrf="tax", hr_pe_vrf="hr")))) == []


def test_only_the_network_seen_in_the_global_table_is_contradicted():
    ctx = logical_city(tax_pe_vrf="tax")
    assert keys(isolation_contradicted(ctx)) == ["ADR004:hr-lan"]
    assert list(overlapping_prefixes(ctx)) == []  # tax-lan is still apart in its VRF


# --- ADR002 ----------------------------------------------------------------------------


def test_one_address_on_two_devices_is_a_duplicate():
    inv = city(devices=[device("r1", "a"), device("r2", "b")])
    observed = [facts("r1", itf("Vlan1", addresses=["10.9.9.9/24"]), config=CONFIG),
                facts("r2", itf("Loopback0", addresses=["10.9.9.9/32"]), config=CONFIG)]
    (finding,) = duplicate_addresses(context(inv, observed))
    assert finding.subjects == ("10.9.9.9",) and finding.severity == Severity.HIGH
    assert finding.args["devices"] == ["r1", "r2"] and "vrf_unknown" not in finding.args
    assert [e.detail for e in finding.evidence] == ["r1 Vlan1 has 10.9.9.9/24", "r2 Loopback0 has 10.9.9.9/32"]


def test_a_duplicate_on_devices_whose_vrfs_were_not_collected_is_not_certain():
    # From "show interfaces" alone a PE's end of a customer link in a VRF looks global, and PEs
    # reuse those addresses in every VRF: worth a look, not a high finding.
    inv = city(devices=[device("pe1", "a"), device("pe2", "b")])
    observed = [facts("pe1", itf("Gi0/1", addresses=["10.255.1.1/30"]), config=CONFIG),
                facts("pe2", itf("Gi0/1", addresses=["10.255.1.1/30"]))]
    (finding,) = duplicate_addresses(context(inv, observed))
    assert finding.severity == Severity.MEDIUM and finding.args["vrf_unknown"] == ["pe2"]
    assert "running configuration of pe2" in finding.recommendation


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


def test_nxos_default_vrf_is_the_global_table():
    inv = city(devices=[device("n1", "a", platform="cisco_nxos"), device("r2", "b")])
    observed = [facts("n1", itf("Vlan10", addresses=["10.9.9.9/24"], vrf="default"), platform="cisco_nxos"),
                facts("r2", itf("Vlan10", addresses=["10.9.9.9/24"]))]
    (finding,) = duplicate_addresses(context(inv, observed))
    assert finding.args["devices"] == ["n1", "r2"]


def test_internal_and_management_ports_are_no_data_plane_duplicates():
    inv = city(devices=[device(n, s, platform=p) for n, s, p in (
        ("j1", "a", "juniper_junos"), ("j2", "b", "juniper_junos"),
        ("n1", "a", "cisco_nxos"), ("e1", "b", "arista_eos"))])

    def junos(name: str, role: str) -> DeviceFacts:
        """The same internal and management ports on every Junos box."""
        return facts(name,
                     itf("bme0", addresses=["128.0.0.1/2", "128.0.0.4/2"], role=role),
                     itf("jsrv", addresses=["128.0.0.127/2"], role=role),
                     itf("em0", addresses=["10.255.0.1/24"], role="management" if role else "data"),
                     platform="juniper_junos")

    observed = [junos("j1", "internal"),
                junos("j2", "data"),  # a reader that did not classify: bme0/jsrv/em0 are still known
                facts("n1", itf("mgmt0", addresses=["10.255.0.1/24"], vrf="management"), platform="cisco_nxos"),
                facts("e1", itf("Management1", addresses=["10.255.0.2/24"]), platform="arista_eos")]
    assert [f for f in duplicate_addresses(context(inv, observed)) if f.severity >= Severity.MEDIUM] == []


def test_junos_internal_addresses_under_other_names_are_never_compared():
    inv = city(devices=[device("ex1", "a", platform="juniper_junos"), device("ex2", "b", platform="juniper_junos")])
    observed = [facts(n, itf("em1.0", addresses=["128.0.0.16/2"]), platform="juniper_junos", config=CONFIG)
                for n in ("ex1", "ex2")]  # a reader that left the role "data"
    assert list(duplicate_addresses(context(inv, observed))) == []


def test_first_hop_virtual_and_anycast_addresses_are_shared_not_duplicated():
    inv = city(devices=[device("r1", "a"), device("r2", "b"), device("leaf1", "c"), device("leaf2", "d")])
    observed = [
        facts("r1", itf("Vlan10", addresses=["10.1.1.2/24"], shared=["10.1.1.1/24"])),  # VRRP/HSRP virtual IP
        facts("r2", itf("Vlan10", addresses=["10.1.1.3/24", "10.1.1.1/24"], shared=["10.1.1.1"])),  # listed twice
        facts("leaf1", itf("Vlan20", addresses=["10.2.2.1/24"], shared=["10.2.2.1/24"]),  # EOS ip address virtual
              itf("Loopback1", addresses=["10.3.3.3/32"], shared=["10.3.3.3/32"])),  # anycast VTEP
        facts("leaf2", itf("Vlan20", addresses=["10.2.2.1/24"], shared=["10.2.2.1/24"]),
              itf("Loopback1", addresses=["10.3.3.3/32"], shared=["10.3.3.3/32"])),
    ]
    assert list(duplicate_addresses(context(inv, observed))) == []


def test_an_address_primary_on_two_devices_is_a_duplicate_even_if_virtual_elsewhere():
    inv = city(devices=[device("r1", "a"), device("r2", "b"), device("r3", "c")])
    observed = [facts("r1", itf("Vlan10", addresses=["10.1.1.1/24"]), config=CONFIG),
                facts("r2", itf("Vlan10", addresses=["10.1.1.1/24"]), config=CONFIG),
                facts("r3", itf("Vlan10", addresses=["10.1.1.3/24"], shared=["10.1.1.1/24"]), config=CONFIG)]
    (finding,) = duplicate_addresses(context(inv, observed))
    assert finding.args["devices"] == ["r1", "r2"] and finding.severity == Severity.HIGH


def test_management_duplicates_are_judged_inside_one_management_vrf_at_low_severity():
    inv = city(devices=[device(f"n{k}", "a", platform="cisco_nxos") for k in range(1, 4)] + [device("r4", "b")])
    observed = [facts("n1", itf("mgmt0", addresses=["192.168.0.10/24"], vrf="management", role="management")),
                facts("n2", itf("mgmt0", addresses=["192.168.0.10/24"], vrf="management", role="management")),
                facts("n3", itf("mgmt0", addresses=["192.168.0.10/24"], vrf="oob-b", role="management")),
                facts("r4", itf("Vlan99", addresses=["192.168.0.10/24"]))]  # data plane: another table
    (finding,) = duplicate_addresses(context(inv, observed))
    assert (finding.key, finding.severity) == ("ADR002:192.168.0.10", Severity.LOW)
    assert finding.args["devices"] == ["n1", "n2"] and finding.args["management_vrf"] == "management"


def test_an_address_shown_without_length_duplicates_a_masked_one():
    inv = city(devices=[device("r1", "a"), device("r2", "b")])
    observed = [facts("r1", itf("Vlan1", addresses=["10.9.9.9/24"]), config=CONFIG),
                facts("r2", itf("Gi0/3", unmasked=["10.9.9.9"]), config=CONFIG)]
    (finding,) = duplicate_addresses(context(inv, observed))
    assert [e.detail for e in finding.evidence] == ["r1 Vlan1 has 10.9.9.9/24", "r2 GigabitEthernet0/3 has 10.9.9.9"]


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


def test_a_device_whose_only_network_is_the_backbone_holds_backbone_addresses():
    inv = city(backbone=True, devices=[device("core1", "hub", department="tax", networks=["egov"])],
               policy=Policy(backbone="egov", address_plan={"tax": ("10.1.0.0/16",)}))
    observed = [facts("core1", itf("Gi0/0", addresses=["172.16.0.1/30"]),
                      itf("Loopback0", addresses=["172.16.255.1/32"]))]
    assert list(outside_address_plan(context(inv, observed))) == []


def test_a_department_port_at_the_end_of_a_backbone_line_holds_a_backbone_address():
    inv = city(backbone=True, networks=[network("tax-lan", department="tax")],
               devices=[device("tax-r1", "a", department="tax", networks=["tax-lan"]),
                        device("core1", "hub", networks=["egov"])],
               circuits=[circuit("c1", "a", "hub", network="egov", a_device="tax-r1", a_port="Gi0/0",
                                 z_device="core1", z_port="Gi0/1")],
               policy=Policy(backbone="egov", address_plan={"tax": ("10.1.0.0/16",)}))
    observed = [facts("tax-r1", itf("Gi0/0", addresses=["172.16.0.2/30"]),
                      itf("Gi0/0.100", addresses=["172.16.1.2/30"]),
                      itf("Gi0/1", addresses=["172.16.9.1/24"]))]
    (finding,) = outside_address_plan(context(inv, observed))
    assert finding.subjects == ("tax-r1", "172.16.9.1/24")  # its LAN port is still the department's


def test_an_address_shown_without_length_is_judged_against_the_plan():
    observed = [facts("tax-r1", itf("Gi0/3", unmasked=["10.2.0.1", "10.1.0.9"]))]
    (finding,) = outside_address_plan(context(plan_city(), observed))
    assert finding.subjects == ("tax-r1", "10.2.0.1")
