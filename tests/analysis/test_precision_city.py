"""Precision on an independent multi-vendor city: every finding is expected, any other fails.

Lanshan is written by hand for this test (not by the sample generator). Its facts have the
shapes the readers give on six platforms, with what real boxes hold: NX-OS names the global
table ``default``, a PE keeps a customer's link in a VRF while the customer has it in its
global table, Junos boxes share their internal ``bme0``/``jsrv`` addresses, management ports
sit in management VRFs, HSRP virtual IPs, an EVPN anycast gateway and an anycast VTEP are on
several boxes, a Comware switch's address comes only from ``display ip interface brief``,
and circuits name the physical port while Junos addresses sit on its unit. Four findings are
planted; nothing else may be reported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from support.citybuild import CONFIG, circuit, city, context, device, facts, itf, keys, lldp, network, site

from analysis.findings import Severity
from analysis.graph import build_graph
from analysis.registry import run_checks
from inventory.model import Policy, Source, Website

BACKBONE = "egov"

#: Each planted finding and why it is right.
EXPECTED = {
    "ADR002:10.30.2.1": "hr-r1 Vlanif21 copies cw-sw's gateway 10.30.2.1 (medium: cw-sw's VRFs were not collected)",
    "ADR003:hr-r1|10.30.2.1/24": "that address is edu's block, not hr's",
    "ADR001:edu-lan|hr-lan": "hr-lan now claims 10.30.2.0/24 inside edu-lan's 10.30.0.0/16",
    "ADR004:pay-lan": "pay-lan is declared in VRF pay, but fin-r1's LAN and uplink are global up to core1",
}


def lanshan():
    """The inventory: a triangle backbone (two data centres, a county node) and five departments."""
    networks = [
        network(BACKBONE, kind="egov_extranet", prefixes=["10.255.0.0/16"]),
        network("tax-lan", department="tax", isolation="logical", vrf="tax", prefixes=["10.10.0.0/16"]),
        network("hr-lan", department="hr", prefixes=["10.20.0.0/16"]),
        network("edu-lan", department="edu", prefixes=["10.30.0.0/16"]),
        network("pay-lan", department="fin", isolation="logical", vrf="pay", prefixes=["10.40.0.0/16"]),
    ]
    devices = [
        device("nx-core1", "dc1", platform="cisco_nxos", networks=[BACKBONE]),
        device("nx-core2", "dc2", platform="cisco_nxos", networks=[BACKBONE]),
        device("eos-cty", "cty", platform="arista_eos", networks=[BACKBONE]),
        device("tax-r1", "tax-hq", department="tax", networks=["tax-lan"]),
        device("hr-r1", "hr-hq", department="hr", platform="huawei", networks=["hr-lan"]),
        device("fin-r1", "fin-hq", department="fin", networks=["pay-lan"]),
        device("edu-j1", "school", department="edu", platform="juniper_junos", networks=["edu-lan"]),
        device("cw-sw", "school", department="edu", platform="hp_comware", networks=["edu-lan"]),
        device("edu-j2", "school2", department="edu", platform="juniper_junos", networks=["edu-lan"]),
    ]
    far = dt.date(2030, 1, 1)

    def line(cid, a, z, ad, ap, zd, zp, **kw):
        return circuit(cid, a, z, a_device=ad, a_port=ap, z_device=zd, z_port=zp, contract_end=far, **kw)

    circuits = [
        line("bb0", "dc1", "dc2", "nx-core1", "Ethernet1/5", "nx-core2", "Ethernet1/5", network=BACKBONE, mbps=10_000),
        line("bb1", "dc1", "cty", "nx-core1", "Ethernet1/1", "eos-cty", "Ethernet1", network=BACKBONE, mbps=1_000),
        line("bb2", "dc2", "cty", "nx-core2", "Ethernet1/1", "eos-cty", "Ethernet2", network=BACKBONE, mbps=1_000),
        line("tax1", "tax-hq", "dc1", "tax-r1", "Gi0/0", "nx-core1", "Ethernet1/2", network=BACKBONE,
             department="tax"),
        line("hr1", "hr-hq", "dc1", "hr-r1", "GE0/0/0", "nx-core1", "Ethernet1/3", network=BACKBONE,
             department="hr"),
        line("fin1", "fin-hq", "dc2", "fin-r1", "Gi0/0", "nx-core2", "Ethernet1/4", network=BACKBONE,
             department="fin"),
        line("edu1", "school", "cty", "edu-j1", "ge-0/0/0", "eos-cty", "Ethernet3", network=BACKBONE,
             department="edu"),
        line("edu2", "school2", "school", "edu-j2", "ge-0/0/1", "cw-sw", "GE1/0/1", network="edu-lan",
             department="edu", mbps=50),
    ]
    policy = Policy(backbone=BACKBONE, portal_domain="gov.ls.example", approval_required_from=dt.date(2023, 1, 1),
                    address_plan={"tax": ("10.10.0.0/16",), "hr": ("10.20.0.0/16",), "edu": ("10.30.0.0/16",)})
    inv = city(sites=[site("dc1"), site("dc2"), site("cty", "county")], devices=devices, circuits=circuits,
               networks=networks, policy=policy)
    web = Website(domain="hr.gov.ls.example", department="hr", hosted_in="10.20.1.80", built=dt.date(2021, 3, 1))
    return dataclasses.replace(inv, websites={web.domain: web},
                               sources={**inv.sources, ("websites", web.domain): Source("websites.yaml", 1)})


def junos(name: str, *extra) -> object:
    """A Junos box: the internal bme0/jsrv addresses are the same on every one."""
    internal = (itf("bme0", addresses=["128.0.0.1/2", "128.0.0.4/2"], role="internal"),
                itf("jsrv", addresses=["128.0.0.127/2"], role="internal"))
    return facts(name, *internal, *extra, platform="juniper_junos", config=CONFIG)


def observed():
    """What the readers give for each box."""
    hsrp = "10.9.0.1/24"
    return [
        facts("nx-core1",
              itf("Ethernet1/1", addresses=["10.255.0.0/31"], vrf="default"),
              itf("Ethernet1/2", addresses=["10.255.1.1/30"], vrf="tax"),  # PE end of tax's link
              itf("Ethernet1/3", addresses=["10.255.1.5/30"]),
              itf("Ethernet1/5", addresses=["10.255.0.4/31"], vrf="default"),
              itf("Vlan900", addresses=["10.9.0.2/24"], shared=[hsrp]),
              itf("Loopback1", addresses=["10.254.0.1/32"], shared=["10.254.0.1/32"]),  # anycast VTEP
              itf("mgmt0", addresses=["192.168.255.1/24"], vrf="management", role="management"),
              lldp("Ethernet1/1", "eos-cty.ls.example", "Ethernet1"),
              platform="cisco_nxos", config=CONFIG),
        facts("nx-core2",
              itf("Ethernet1/1", addresses=["10.255.0.2/31"]),
              itf("Ethernet1/4", addresses=["10.255.1.9/30"]),
              itf("Ethernet1/5", addresses=["10.255.0.5/31"], vrf="default"),
              itf("Vlan900", addresses=["10.9.0.3/24", "10.9.0.1/24"], shared=[hsrp]),
              itf("Loopback1", addresses=["10.254.0.1/32"], shared=["10.254.0.1/32"]),
              itf("mgmt0", addresses=["192.168.255.2/24"], vrf="management", role="management"),
              platform="cisco_nxos", config=CONFIG),
        facts("eos-cty",
              itf("Ethernet1", addresses=["10.255.0.1/31"]),
              itf("Ethernet2", addresses=["10.255.0.3/31"]),
              itf("Ethernet3", addresses=["10.255.2.1/30"]),
              itf("Management1", addresses=["192.168.255.3/24"], vrf="MGMT", role="management"),
              lldp("Ethernet1", "nx-core1", "Ethernet1/1"),
              lldp("Ethernet3", "edu-j1", "ge-0/0/0"),
              platform="arista_eos", config=CONFIG),
        facts("tax-r1", itf("Gi0/0", addresses=["10.255.1.2/30"]), itf("Vlan10", addresses=["10.10.1.1/24"]),
              config=CONFIG),
        facts("hr-r1",
              itf("GE0/0/0", addresses=["10.255.1.6/30"]),
              itf("Vlanif20", addresses=["10.20.1.1/24"]),
              itf("Vlanif21", addresses=["10.30.2.1/24"]),  # planted: copied from cw-sw
              itf("MEth0/0/1", addresses=["192.168.255.4/24"], role="management"),
              platform="huawei", config=CONFIG),
        facts("fin-r1", itf("Gi0/0", addresses=["10.255.1.10/30"]), itf("Vlan40", addresses=["10.40.1.1/24"]),
              config=CONFIG),
        junos("edu-j1",
              itf("ge-0/0/0"), itf("ge-0/0/0.0", addresses=["10.255.2.2/30"]),
              itf("irb.30", addresses=["10.30.1.1/24"], shared=["10.30.1.254/24"]),  # EVPN anycast gateway
              itf("fxp0", addresses=["192.168.254.1/24"], role="management"),
              lldp("ge-0/0/0", "eos-cty", "Ethernet3")),
        junos("edu-j2",
              itf("ge-0/0/1"), itf("ge-0/0/1.0", addresses=["10.255.2.6/30"]),
              itf("irb.30", addresses=["10.30.1.2/24", "10.30.1.254/24"], shared=["10.30.1.254/24"]),
              itf("fxp0", addresses=["192.168.254.2/24"], role="management")),
        facts("cw-sw",  # no configuration handed in: its VRFs are unknown
              itf("GE1/0/1", unmasked=["10.255.2.5"]),  # display ip interface brief: no length
              itf("Vlan-interface30", addresses=["10.30.2.1/24"]),
              platform="hp_comware"),
    ]


def lanshan_context():
    ctx = context(lanshan(), observed(), today=dt.date(2026, 6, 1))
    hr = next(f for f in ctx.facts.values() if f.device == "hr-r1")
    config = "nat server protocol tcp global 203.0.113.8 443 inside 10.20.1.80 443\n"
    return dataclasses.replace(ctx, facts={**ctx.facts, "hr-r1": dataclasses.replace(hr, config=config)})


def test_every_finding_is_expected_and_every_expected_finding_is_found():
    findings = run_checks(lanshan_context())
    assert keys(findings) == sorted(EXPECTED)
    severity = {f.key: f.severity for f in findings}
    assert severity["ADR002:10.30.2.1"] == Severity.MEDIUM and severity["ADR004:pay-lan"] == Severity.MEDIUM


def test_no_high_finding_on_internal_management_or_shared_addresses():
    shared_or_plane = {"128.0.0.1", "128.0.0.4", "128.0.0.127", "10.9.0.1", "10.254.0.1", "10.30.1.254"}
    shared_or_plane |= {f"192.168.255.{k}" for k in range(1, 5)} | {"192.168.254.1", "192.168.254.2"}
    for f in run_checks(lanshan_context()):
        if f.severity >= Severity.HIGH:
            assert not set(f.subjects) & shared_or_plane, f.key


def test_every_point_to_point_link_is_found_port_for_port():
    G = build_graph(lanshan(), {f.device: f for f in observed()})
    l3 = sorted(tuple(sorted(f"{d}:{p}" for d, p in data["ports"].items()))
                for *_, data in G.edges(data=True) if data["kind"] == "l3")
    assert l3 == sorted([
        ("eos-cty:Ethernet1", "nx-core1:Ethernet1/1"),
        ("eos-cty:Ethernet2", "nx-core2:Ethernet1/1"),
        ("nx-core1:Ethernet1/2", "tax-r1:GigabitEthernet0/0"),
        ("hr-r1:GigabitEthernet0/0/0", "nx-core1:Ethernet1/3"),
        ("fin-r1:GigabitEthernet0/0", "nx-core2:Ethernet1/4"),
        ("nx-core1:Ethernet1/5", "nx-core2:Ethernet1/5"),
        ("edu-j1:ge-0/0/0.0", "eos-cty:Ethernet3"),
        ("cw-sw:GigabitEthernet1/0/1", "edu-j2:ge-0/0/1.0"),
    ])
    # Every one rides its declared line: one physical line, not an undeclared one (INV004).
    riding = {data["circuit"] for *_, data in G.edges(data=True) if data["kind"] in ("l3", "link")}
    assert riding == {"bb0", "bb1", "bb2", "tax1", "hr1", "fin1", "edu1", "edu2"}
