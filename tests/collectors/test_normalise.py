"""Interface and device name normalisation: both ends of a link must agree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.normalise import device_name, interface_name, is_interface_name

#: (spelling seen on some vendor's CLI or in its LLDP/CDP, canonical form)
SAME_PORT = [
    # 1G: Cisco short/long, Huawei and H3C "GE", spaces, any case
    ("Gi0/1", "GigabitEthernet0/1"),
    ("GigabitEthernet0/1", "GigabitEthernet0/1"),
    ("GigabitEthernet 0/1", "GigabitEthernet0/1"),
    ("gigabitethernet0/1", "GigabitEthernet0/1"),
    ("GE0/0/1", "GigabitEthernet0/0/1"),
    ("ge1/0/1", "GigabitEthernet1/0/1"),
    ("Gig1/0/1", "GigabitEthernet1/0/1"),
    # 10G: Cisco, H3C long and short, Huawei VRP5 and VRP8 (CE), IOS-XR
    ("Te1/0/1", "TenGigabitEthernet1/0/1"),
    ("TenGigabitEthernet1/0/1", "TenGigabitEthernet1/0/1"),
    ("Ten-GigabitEthernet1/0/1", "TenGigabitEthernet1/0/1"),
    ("XGE1/0/1", "TenGigabitEthernet1/0/1"),
    ("XGigabitEthernet1/0/1", "TenGigabitEthernet1/0/1"),
    ("10GE1/0/1", "TenGigabitEthernet1/0/1"),
    ("TenGigE0/0/0/1", "TenGigabitEthernet0/0/0/1"),
    # 100M, 2.5G, 25G, 40G, 100G
    ("Fa0/1", "FastEthernet0/1"),
    ("FastEthernet0/1", "FastEthernet0/1"),
    ("Tw1/0/1", "TwoGigabitEthernet1/0/1"),
    ("Twe1/0/1", "TwentyFiveGigE1/0/1"),
    ("TwentyFiveGigE1/0/1", "TwentyFiveGigE1/0/1"),
    ("25GE1/0/1", "TwentyFiveGigE1/0/1"),
    ("WGE1/0/1", "TwentyFiveGigE1/0/1"),
    ("Fo1/0/49", "FortyGigabitEthernet1/0/49"),
    ("FortyGigE1/0/49", "FortyGigabitEthernet1/0/49"),
    ("FGE1/0/49", "FortyGigabitEthernet1/0/49"),
    ("40GE1/0/49", "FortyGigabitEthernet1/0/49"),
    ("Hu1/0/49", "HundredGigE1/0/49"),
    ("HundredGigE1/0/49", "HundredGigE1/0/49"),
    ("HGE1/0/49", "HundredGigE1/0/49"),
    ("100GE1/0/49", "HundredGigE1/0/49"),
    # NX-OS / EOS Ethernet
    ("Eth1/1", "Ethernet1/1"),
    ("Et1", "Ethernet1"),
    ("Ethernet1/49/1", "Ethernet1/49/1"),
    # aggregates: Cisco, EOS, NX-OS; Huawei and H3C keep their own families
    ("Po1", "Port-channel1"),
    ("Port-Channel1", "Port-channel1"),
    ("port-channel1", "Port-channel1"),
    ("Eth-Trunk1", "Eth-Trunk1"),
    ("BAGG1", "Bridge-Aggregation1"),
    ("Bridge-Aggregation1", "Bridge-Aggregation1"),
    ("RAGG1", "Route-Aggregation1"),
    # loopbacks, VLAN interfaces (vendor families kept apart, abbreviations expanded)
    ("Lo0", "Loopback0"),
    ("LoopBack0", "Loopback0"),
    ("loopback0", "Loopback0"),
    ("Vl10", "Vlan10"),
    ("Vlan10", "Vlan10"),
    ("Vlanif10", "Vlanif10"),
    ("Vlan-interface10", "Vlan-interface10"),
    ("Vlan-int10", "Vlan-interface10"),
    # WAN and others
    ("Se0/0/0", "Serial0/0/0"),
    ("Serial0/0/0:0", "Serial0/0/0:0"),
    ("Tu100", "Tunnel100"),
    ("Tun0", "Tunnel0"),
    ("MEth0/0/1", "MEth0/0/1"),
    ("MGE0/0/0", "M-GigabitEthernet0/0/0"),
    ("M-GigabitEthernet0/0/0", "M-GigabitEthernet0/0/0"),
    ("mgmt0", "mgmt0"),
    ("Ma1", "Management1"),
    ("NULL0", "Null0"),
    ("Nu0", "Null0"),
    # sub-interfaces keep their unit
    ("Gi0/1.100", "GigabitEthernet0/1.100"),
    ("GE0/0/1.3100", "GigabitEthernet0/0/1.3100"),
    ("Eth-Trunk1.1001", "Eth-Trunk1.1001"),
    # Juniper and Linux names are kept in their native form
    ("ge-0/0/0", "ge-0/0/0"),
    ("xe-1/2/3.100", "xe-1/2/3.100"),
    ("ae0", "ae0"),
    ("eth0", "eth0"),
    ("ens3", "ens3"),
    ("enp0s31f6", "enp0s31f6"),
    ("bond0", "bond0"),
]


@pytest.mark.parametrize(("spelling", "canonical"), SAME_PORT)
def test_interface_name_maps_every_spelling_to_one_canonical_form(spelling: str, canonical: str) -> None:
    assert interface_name(spelling) == canonical


@pytest.mark.parametrize(("a", "b"), [
    ("XGE1/0/1", "XGigabitEthernet1/0/1"),  # H3C end and Huawei end of one 10G link
    ("Gi1/0/24", "GE1/0/24"),  # Cisco LLDP vs Huawei brief
    ("Te1/1/1", "Ten-GigabitEthernet1/1/1"),
    ("Eth1/6", "Ethernet1/6"),
])
def test_both_ends_agree_whatever_the_abbreviation(a: str, b: str) -> None:
    assert interface_name(a) == interface_name(b)


@pytest.mark.parametrize("text", [
    "0050.5683.1234", "aabb-ccdd-eeff", "13", "SW PORT", "Port 1", "LAN Port",
    "PO2631-10Gx2-R261R5", "C8F9F9D61BC2:P1", "",
])
def test_text_that_is_no_interface_name_is_kept(text: str) -> None:
    assert interface_name(text) == text.strip()
    assert not is_interface_name(text)


def test_surrounding_whitespace_is_removed() -> None:
    assert interface_name("  Gi0/1 \n") == "GigabitEthernet0/1"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([s for s, _ in SAME_PORT]) | st.text(max_size=30))
def test_interface_name_is_idempotent(name: str) -> None:
    once = interface_name(name)
    assert interface_name(once) == once


@pytest.mark.parametrize(("name", "key"), [
    ("Core1.City.gov.cn", "core1"),
    ("CORE1", "core1"),
    ("  acc-sw01  ", "acc-sw01"),
    ("10.1.2.3", "10.1.2.3"),
    ("2001:db8::1", "2001:db8::1"),
    ("N5K-A(FOX1234ABCD)", "n5k-a"),
    ("", ""),
])
def test_device_name_is_the_match_key(name: str, key: str) -> None:
    assert device_name(name) == key
