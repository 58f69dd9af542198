"""Interface and device name normalisation: both ends of a link must agree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.facts import GLOBAL_VRF, Interface
from collectors.normalise import (
    canonical_interfaces,
    device_name,
    interface_name,
    interface_role,
    is_interface_name,
    is_management_vrf,
    vrf_name,
)

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


# --- VRFs and interface roles ------------------------------------------------------------

@pytest.mark.parametrize("label", ["default", "DEFAULT", "global", "", "  ", None, "master", "inet.0", "_public_"])
def test_every_vendor_spelling_of_the_global_table_is_one_vrf(label: str | None) -> None:
    assert vrf_name(label) is GLOBAL_VRF


@pytest.mark.parametrize("label", ["EGOV", "police", "management", "CUST-A.inet.0", "default-ish"])
def test_a_real_vrf_keeps_its_name(label: str) -> None:
    assert vrf_name(f" {label} ") == label


#: (platform, normalised name, VRF as read, addresses, role): each row is a port seen on real
#: devices of the vendor (the outputs under cases/ and tests/fixtures/ntc-templates/ hold most of them).
ROLES = [
    ("cisco_nxos", "mgmt0", "management", ("192.168.100.31/24",), "management"),
    ("cisco_nxos", "Ethernet1/1", "default", ("10.0.13.0/31",), "data"),
    ("arista_eos", "Management1", None, ("192.168.100.21/24",), "management"),
    ("arista_eos", "Management1/1", "MGMT", (), "management"),
    ("arista_eos", "Ethernet1", None, ("10.255.255.1/31",), "data"),
    ("juniper_junos", "fxp0.0", None, ("192.168.100.51/24",), "management"),
    ("juniper_junos", "em0.0", None, ("10.0.0.4/8", "128.0.0.1/2"), "internal"),  # MX routing engine
    ("juniper_junos", "em1.0", None, ("10.0.0.4/8", "128.0.0.1/2", "128.0.0.4/2"), "internal"),  # vMX
    ("juniper_junos", "em0.0", None, ("192.168.100.52/24",), "management"),  # QFX/EX out-of-band
    ("juniper_junos", "me0.0", None, ("192.168.100.61/24",), "management"),
    ("juniper_junos", "bme0.0", None, ("128.0.0.1/2", "128.0.0.4/2", "128.0.0.16/2"), "internal"),
    ("juniper_junos", "jsrv.1", None, ("128.0.0.127/2",), "internal"),
    ("juniper_junos", "lo0.16384", None, ("127.0.0.1/32",), "internal"),
    ("juniper_junos", "lo0.16385", None, ("10.0.0.1/32", "128.0.0.4/32"), "internal"),
    ("juniper_junos", "lo0.0", None, ("10.255.0.51/32",), "data"),
    ("juniper_junos", "ge-0/0/0.0", None, ("172.16.0.1/30",), "data"),  # inside 128/2, not the /2 itself
    ("juniper_junos", "ge-0/0/1.0", "mgmt_junos", ("10.9.9.1/24",), "management"),
    ("huawei", "MEth0/0/1", None, ("192.168.100.71/24",), "management"),
    ("hp_comware", "M-GigabitEthernet0/0/0", None, ("192.168.100.81/24",), "management"),
    ("cisco_ios", "GigabitEthernet0", "Mgmt-intf", ("192.168.100.11/24",), "management"),
    ("cisco_ios", "GigabitEthernet0", None, ("10.1.1.1/30",), "data"),  # an ISR's routed port
    ("cisco_ios", "Vlan10", "MGMT", ("10.20.0.11/24",), "management"),
    ("linux", "lo", None, ("127.0.0.1/8",), "internal"),
    ("linux", "eth0", None, ("10.20.0.50/24",), "data"),
    ("linux", "docker0", None, ("172.17.0.1/16",), "internal"),
    ("linux", "virbr0", None, ("192.168.122.1/24",), "internal"),
    ("linux", "br0", None, ("10.20.0.51/24",), "data"),  # a bridge an administrator made
    ("juniper_junos", "fab0.0", None, ("30.17.0.200/24",), "internal"),  # SRX cluster fabric
    ("juniper_junos", "fxp1.0", None, ("129.16.0.1/2",), "internal"),  # SRX cluster control link
]


@pytest.mark.parametrize(("platform", "name", "vrf", "addresses", "role"), ROLES,
                         ids=[f"{r[0]}-{r[1]}-{r[4]}" for r in ROLES])
def test_interface_roles(platform: str, name: str, vrf: str | None, addresses: tuple[str, ...], role: str) -> None:
    assert interface_role(platform, name, vrf, addresses) == role


def test_management_port_names_are_not_taken_from_another_vendor() -> None:
    # An IOS port called "Management1" does not exist; a Linux "mgmt0" may be a data port.
    assert interface_role("linux", "mgmt0", None, ("10.0.0.5/24",)) == "data"
    assert interface_role("huawei", "mgmt0", None, ()) == "data"


@pytest.mark.parametrize(("vrf", "management"), [
    ("management", True), ("Mgmt-intf", True), ("mgmt_junos", True), ("MGMT", True), ("__mgmt_vrf__", True),
    ("mgmt-vrf", True), ("OOB_MGMT", True), ("EGOV", False), ("mgmt-users-lan", False), (None, False), ("", False),
])
def test_management_vrfs_by_name(vrf: str | None, management: bool) -> None:
    assert is_management_vrf(vrf) is management


def test_nxos_default_and_ios_unnamed_global_are_the_same_vrf() -> None:
    nxos, = canonical_interfaces("cisco_nxos", [Interface("Ethernet1/1", addresses=("10.0.13.0/31",), vrf="default")])
    ios, = canonical_interfaces("cisco_ios", [Interface("GigabitEthernet0/1", addresses=("10.0.13.1/31",))])
    assert nxos.vrf == ios.vrf == GLOBAL_VRF


def test_a_role_a_reader_gave_is_kept() -> None:
    itf, = canonical_interfaces("cisco_ios", [Interface("GigabitEthernet0/9", role="management")])
    assert itf.role == "management"
