"""A city audited from configuration backups alone: six devices, one per platform, each
handing in only its configuration (``city/<device>.txt``).

The devices form a ring of /30 and /31 links across every vendor, one more link in a VRF,
first-hop redundancy pairs across vendors (HSRP, VARP with VRRP, VRRP on VRP and Comware),
an anycast gateway configured on NX-OS and EOS alike, and management ports. Every link must
be found port for port from the configurations, and no shared or management address may be
reported as a duplicate.
"""

from __future__ import annotations

from pathlib import Path

from support.citybuild import city, context, device

from analysis.checks.addressing import duplicate_addresses
from analysis.graph import build_graph, device_node
from collectors.base import RawOutputs
from collectors.facts import DeviceFacts
from collectors.parse import parse_outputs
from core.platforms import PLATFORMS

CITY = Path(__file__).resolve().parent / "city"
PLATFORM = {"c-ios": "cisco_ios", "c-nx": "cisco_nxos", "c-eos": "arista_eos",
            "c-jun": "juniper_junos", "c-vrp": "huawei", "c-cw": "hp_comware"}

#: Every link of the city: (device, port), (device, port), VRF label of the link.
LINKS = {
    frozenset({("c-ios", "GigabitEthernet0/0"), ("c-nx", "Ethernet1/1")}),
    frozenset({("c-nx", "Ethernet1/2"), ("c-eos", "Ethernet1")}),
    frozenset({("c-eos", "Ethernet2"), ("c-jun", "ge-0/0/0.0")}),
    frozenset({("c-jun", "ge-0/0/1.0"), ("c-vrp", "GigabitEthernet0/0/1")}),
    frozenset({("c-vrp", "GigabitEthernet0/0/2"), ("c-cw", "TenGigabitEthernet1/0/1")}),
    frozenset({("c-cw", "TenGigabitEthernet1/0/2"), ("c-ios", "GigabitEthernet0/1")}),
    frozenset({("c-nx", "Ethernet1/3"), ("c-eos", "Ethernet3")}),
}


def config_only_facts(edit: dict[str, tuple[str, str]] | None = None) -> dict[str, DeviceFacts]:
    """The facts of each device from its configuration alone; ``edit`` replaces a text in
    a device's configuration (device -> (old, new))."""
    out = {}
    for name, platform in PLATFORM.items():
        (command,) = PLATFORMS[platform].command("config")
        text = (CITY / f"{name}.txt").read_text(encoding="utf-8")
        if edit and name in edit:
            old, new = edit[name]
            assert old in text
            text = text.replace(old, new)
        out[name] = parse_outputs(RawOutputs(name, platform, {command.command: text}))
    return out


def inventory():
    return city(devices=[device(name, "s1" if i % 2 else "s2", platform=platform)
                         for i, (name, platform) in enumerate(PLATFORM.items())])


def test_every_device_reads_from_its_configuration_alone() -> None:
    for name, facts in config_only_facts().items():
        assert facts.status == "ok" and facts.info.hostname == name, facts.problems
        assert facts.interfaces and all(i.sources == (facts.read[0],) for i in facts.interfaces)


def test_every_link_is_found_port_for_port_from_configurations() -> None:
    G = build_graph(inventory(), config_only_facts())
    found = set()
    for a, z, data in G.edges(data=True):
        if data.get("kind") != "l3":
            continue
        found.add(frozenset(data["ports"].items()))
        assert {a, z} == {device_node(d) for d in data["ports"]}
    assert found == LINKS


def test_shared_and_management_addresses_are_no_duplicates() -> None:
    facts = config_only_facts()
    shared = [a for f in facts.values() for i in f.interfaces for a in i.shared_addresses]
    assert sorted(shared) == sorted(["10.210.10.1/24"] * 2 + ["10.210.20.1/24"] * 2
                                    + ["10.210.30.1/24"] * 2 + ["10.220.0.1/24"] * 2)
    assert list(duplicate_addresses(context(inventory(), facts))) == []


def test_the_same_address_without_the_anycast_statements_is_a_duplicate() -> None:
    """What keeps the anycast gateway out of ADR002 is reading its configuration (moved to
    the global table here, which ADR002 judges)."""
    facts = config_only_facts({
        "c-nx": ("  vrf member TENANT\n  ip address 10.220.0.1/24\n  fabric forwarding mode anycast-gateway\n",
                 "  ip address 10.220.0.1/24\n"),
        "c-eos": ("   vrf TENANT\n   ip address virtual 10.220.0.1/24", "   ip address 10.220.0.1/24"),
    })
    (finding,) = duplicate_addresses(context(inventory(), facts))
    assert finding.args["address"] == "10.220.0.1" and finding.args["devices"] == ["c-eos", "c-nx"]
