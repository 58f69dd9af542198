"""parse_outputs: status rules, problems, merging, and that it never raises."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.base import RawOutputs
from collectors.facts import GLOBAL_VRF, CommandProblem, Interface, Neighbour
from collectors.napalm_facts import output_key
from collectors.parse import merge_interfaces, merge_neighbours, parse_outputs
from collectors.parsers import PARSERS
from collectors.parsers.templates import OWN_PREFIX, OWN_TEMPLATE_DIR, compiled
from core.platforms import PLATFORMS, command_filename

CASES = Path(__file__).resolve().parent / "cases"


def outputs_of(platform: str, case: str) -> dict[str, str]:
    """The saved outputs of a case folder, keyed by command."""
    folder = CASES / platform / case
    return {c.command: (folder / command_filename(c.command)).read_text(encoding="utf-8")
            for c in PLATFORMS[platform].commands if (folder / command_filename(c.command)).is_file()}


def test_every_platform_command_has_a_parser() -> None:
    for name, platform in PLATFORMS.items():
        readers = PARSERS.get(name, {})
        missing = [c.command for c in platform.commands if c.command not in readers]
        assert not missing, f"{name}: no parser for {missing}"


def test_every_own_template_compiles() -> None:
    used = {c.template[len(OWN_PREFIX):] for p in PLATFORMS.values() for c in p.commands
            if c.template and c.template.startswith(OWN_PREFIX)}
    assert used, "no platform uses our own templates"
    for name in used:
        assert (OWN_TEMPLATE_DIR / name).is_file(), name
    for platform in PLATFORMS.values():
        for cmd in platform.commands:
            if cmd.template and cmd.template != "json":
                assert compiled(platform.ntc_platform, cmd.template) is not None


def test_templates_are_compiled_once() -> None:
    first = compiled("cisco_ios", "show version")
    assert compiled("cisco_ios", "show version") is first


def test_unknown_platform_is_an_error_naming_it() -> None:
    facts = parse_outputs(RawOutputs("r1", "cisco_xr", {"show version": "..."}))
    assert facts.status == "error"
    assert "unknown platform 'cisco_xr'" in (facts.error or "")
    assert "cisco_ios" in (facts.error or "")  # says what is known


def test_collector_failure_status_is_kept_with_its_error() -> None:
    raw = RawOutputs("r1", "cisco_ios", status="timeout", error="no answer in 30 s")
    facts = parse_outputs(raw)
    assert facts.status == "timeout"
    assert facts.error == "no answer in 30 s"


def test_collector_problems_are_carried_over() -> None:
    outputs = outputs_of("cisco_ios", "full")
    problem = CommandProblem("show cdp neighbors detail", "missing", "no file")
    del outputs["show cdp neighbors detail"]
    facts = parse_outputs(RawOutputs("r1", "cisco_ios", outputs, status="partial", problems=(problem,)))
    assert facts.status == "partial"
    assert facts.problems == (problem,)
    assert facts.info.hostname == "acc-sw01"


def test_status_is_parse_failed_when_no_command_gives_anything() -> None:
    outputs = {c.command: "%%% garbage %%%\n" for c in PLATFORMS["huawei"].commands}
    facts = parse_outputs(RawOutputs("r1", "huawei", outputs))
    assert facts.status == "parse_failed"
    assert {p.command for p in facts.problems} == set(outputs)
    assert all(p.reason == "parse_error" for p in facts.problems)


def test_error_marker_deep_in_a_config_is_no_device_error() -> None:
    outputs = outputs_of("cisco_ios", "full")
    outputs["show running-config"] += "banner motd ^C\n" + "\n" * 10 + "% Invalid input is not welcome here\n^C\n"
    facts = parse_outputs(RawOutputs("r1", "cisco_ios", outputs))
    assert facts.status == "ok"
    assert "% Invalid input is not welcome here" in (facts.config or "")


def test_each_vendor_error_answer_is_a_device_error() -> None:
    answers = {
        "cisco_ios": ("show lldp neighbors detail", "        ^\n% Invalid input detected at '^' marker.\n"),
        "huawei": ("display lldp neighbor", "Error: Unrecognized command found at '^' position.\n"),
        "hp_comware": ("display device manuinfo", "              ^\n % Unrecognized command found at '^' position.\n"),
    }
    for platform, (command, text) in answers.items():
        facts = parse_outputs(RawOutputs("r1", platform, {command: text}))
        assert [p.reason for p in facts.problems] == ["device_error"], platform
        assert "Unrecognized command" in facts.problems[0].message or "Invalid input" in facts.problems[0].message


def test_huawei_neighbour_with_a_two_character_name_is_read() -> None:
    """ntc-templates 9.3 raises on such names; a city has plenty of routers called R1."""
    text = outputs_of("huawei", "full")["display lldp neighbor"]
    facts = parse_outputs(RawOutputs("agg", "huawei", {"display lldp neighbor": text}))
    assert facts.problems == ()
    assert ("R1", "GigabitEthernet0/0/3") in {(n.remote_name, n.remote_port) for n in facts.neighbours}


def test_comware_neighbour_without_frame_size_line_is_kept() -> None:
    text = outputs_of("hp_comware", "cw7_full")["display lldp neighbor-information verbose"]
    assert "Maximum frame size" not in text.split("LLDP neighbor-information of port 25")[0]
    facts = parse_outputs(RawOutputs("core", "hp_comware", {"display lldp neighbor-information verbose": text}))
    assert [n.remote_name for n in facts.neighbours] == ["district3-agg", "dc-core"]


def test_lldp_and_cdp_reports_of_one_neighbour_are_kept_once_as_lldp() -> None:
    lldp = Neighbour("GigabitEthernet1/0/1", "core1", "GigabitEthernet1/0/24", None, "lldp")
    cdp = Neighbour("GigabitEthernet1/0/1", "core1.city.gov.cn", "GigabitEthernet1/0/24", "10.0.0.1", "cdp")
    other = Neighbour("GigabitEthernet1/0/2", "core1", "GigabitEthernet1/0/23", None, "cdp")
    assert merge_neighbours([cdp, lldp, other]) == (
        Neighbour("GigabitEthernet1/0/1", "core1", "GigabitEthernet1/0/24", "10.0.0.1", "lldp"),
        other,
    )


def test_interfaces_reported_twice_merge_into_one() -> None:
    merged = merge_interfaces([
        Interface("Vlan10", description="mgmt", admin_up=True, oper_up=True, addresses=("10.0.0.1/24",)),
        Interface("Vlan10", addresses=("10.0.0.1/24", "10.9.0.1/24"), vrf="MGMT", speed_mbps=1000.0),
        Interface("Vlan20"),
    ])
    assert merged == (
        Interface("Vlan10", "mgmt", True, True, 1000.0, ("10.0.0.1/24", "10.9.0.1/24"), "MGMT"),
        Interface("Vlan20"),
    )


def test_rates_survive_the_merge_with_a_later_command() -> None:
    # IOS: "show interfaces" gives the rates, the configuration then the VRF of the same port.
    merged = merge_interfaces([
        Interface("GigabitEthernet0/1", oper_up=True, in_bps=0.0, out_bps=31000.0),
        Interface("GigabitEthernet0/1", vrf="EGOV"),
        Interface("GigabitEthernet0/2", vrf="EGOV"),
        Interface("GigabitEthernet0/2", in_bps=8.0, out_bps=16.0),
    ])
    assert [(i.name, i.vrf, i.in_bps, i.out_bps) for i in merged] == [
        ("GigabitEthernet0/1", "EGOV", 0.0, 31000.0), ("GigabitEthernet0/2", "EGOV", 8.0, 16.0)]


def test_ios_rates_are_kept_for_ports_in_a_vrf() -> None:
    raw = RawOutputs("r1", "cisco_ios", outputs_of("cisco_ios", "full"))
    facts = parse_outputs(raw)
    # Vlan10 is in VRF MGMT (show_running-config.txt); show_interfaces.txt gives it
    # "5 minute input rate 2000 bits/sec" and "5 minute output rate 1000 bits/sec".
    vlan = facts.interface("Vlan10")
    assert (vlan.vrf, vlan.in_bps, vlan.out_bps) == ("MGMT", 2000.0, 1000.0)
    assert facts.interface("GigabitEthernet1/0/2").in_bps == 0.0  # idle is a rate, not an unknown


def test_parsing_is_pure() -> None:
    raw = RawOutputs("r1", "hp_comware", outputs_of("hp_comware", "cw5_full"))
    assert parse_outputs(raw) == parse_outputs(raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(platform=st.sampled_from([*sorted(PLATFORMS), "nonsense"]),
       text=st.text(max_size=400) | st.sampled_from(["", "\x00\xff", "Neighbor index :1\nSystem name :x"]))
def test_parse_outputs_never_raises(platform: str, text: str) -> None:
    commands = [c.command for c in PLATFORMS[platform].commands] if platform in PLATFORMS else ["show version"]
    facts = parse_outputs(RawOutputs("r1", platform, {c: text for c in commands}))
    assert facts.status in ("ok", "partial", "parse_failed", "error")
    assert facts.device == "r1"


@pytest.mark.parametrize(("text", "model", "version"), [
    ("HPE Comware Software, Version 7.1.045, Release 2432P01\n"
     "Copyright (c) 2010-2017 Hewlett Packard Enterprise Development LP\n"
     "HPE 5130-24G-4SFP+ EI Switch JG932A uptime is 0 weeks, 0 days, 5 hours, 8 minutes\n",
     "5130-24G-4SFP+ EI Switch JG932A", "7.1.045, Release 2432P01"),
    ("HP Comware Platform Software\nComware Software, Version 5.20.99, Release 2222P07\n"
     "Copyright (c) 2010-2015 Hewlett-Packard Development Company, L.P.\n"
     "HP A5120-48G-PoE+ EI Switch with 2 Interface Slots uptime is 1 week, 2 days, 3 hours, 4 minutes\n",
     "A5120-48G-PoE+ EI Switch", "5.20.99, Release 2222P07"),
])
def test_comware_version_of_hpe_branded_switches(text: str, model: str, version: str) -> None:
    facts = parse_outputs(RawOutputs("sw", "hp_comware", {"display version": text}))
    assert (facts.info.model, facts.info.os_version) == (model, version)


# --- evidence, strength order, central normalisation --------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ntc-templates"  # vendored, see its README
CASE_DIRS = sorted(p for p in CASES.glob("*/*") if p.is_dir())


@pytest.mark.parametrize("case", CASE_DIRS, ids=[f"{p.parent.name}/{p.name}" for p in CASE_DIRS])
def test_every_fact_names_the_command_it_came_from(case: Path) -> None:
    facts = parse_outputs(RawOutputs(case.name, case.parent.name, outputs_of(case.parent.name, case.name)))
    for itf in facts.interfaces:
        assert itf.sources and set(itf.sources) <= set(facts.read), itf
    for item in facts.neighbours:
        assert item.source in facts.read, item


def test_a_weaker_form_fills_in_but_never_overrides() -> None:
    strong = Interface("Ethernet1/1", description="to core", admin_up=True, oper_up=True,
                       addresses=("10.0.13.0/31",), vrf="default", sources=("show interface | json",))
    weak = Interface("Ethernet1/1", description="stale text", admin_up=False, oper_up=False, speed_mbps=10000.0,
                     addresses=("10.9.9.9/24",), vrf="EGOV", unmasked_addresses=("10.0.13.0", "10.7.7.7"),
                     sources=("show running-config",))
    merged, = merge_interfaces([strong, weak])
    assert (merged.description, merged.admin_up, merged.oper_up, merged.vrf) == ("to core", True, True, "default")
    assert merged.speed_mbps == 10000.0  # unknown to the stronger form: filled in
    assert merged.addresses == ("10.0.13.0/31", "10.9.9.9/24")
    assert merged.unmasked_addresses == ("10.7.7.7",)  # 10.0.13.0 is known with its length
    assert merged.sources == ("show interface | json", "show running-config")


def test_the_order_of_reports_decides_which_value_wins() -> None:
    a = Interface("Gi0/1", description="A", sources=("a",))
    b = Interface("Gi0/1", description="B", sources=("b",))
    assert merge_interfaces([a, b])[0].description == "A"
    assert merge_interfaces([b, a])[0].description == "B"


def test_a_configuration_vrf_fills_in_where_the_operational_form_gave_none() -> None:
    # IOS: show interfaces names no VRF; the configuration (read last) does.
    outputs = outputs_of("cisco_ios", "full")
    facts = parse_outputs(RawOutputs("acc", "cisco_ios", outputs))
    vlan = facts.interface("Vlan10")
    assert vlan.vrf == "MGMT" and vlan.sources == ("show interfaces", "show running-config")
    assert vlan.role == "management"  # a port in a management VRF


def test_an_operational_global_table_is_not_replaced_by_a_configuration_vrf() -> None:
    # NX-OS says "default" for Ethernet1/1; a configuration claiming otherwise is weaker.
    outputs = outputs_of("cisco_nxos", "text_only")
    outputs["show running-config"] += "interface Ethernet1/1\n  vrf member EGOV\n"
    facts = parse_outputs(RawOutputs("leaf", "cisco_nxos", outputs))
    assert facts.interface("Ethernet1/1").vrf is GLOBAL_VRF


def test_shared_addresses_are_united_and_the_strongest_non_data_role_is_kept() -> None:
    merged, = merge_interfaces([
        Interface("Vlan10", shared_addresses=("10.1.0.1/24",), sources=("a",)),
        Interface("Vlan10", shared_addresses=("10.1.0.1/24", "10.1.1.1/24"), role="management", sources=("b",)),
        Interface("Vlan10", role="internal", sources=("c",)),
    ])
    assert merged.shared_addresses == ("10.1.0.1/24", "10.1.1.1/24")
    assert merged.role == "management"


def test_nxos_default_and_ios_global_ends_of_one_link_share_the_canonical_vrf() -> None:
    nxos = parse_outputs(RawOutputs("leaf", "cisco_nxos", outputs_of("cisco_nxos", "text_only")))
    end_a = nxos.interface("Ethernet1/1")
    assert end_a.addresses == ("10.0.13.0/31",)
    assert "default" in outputs_of("cisco_nxos", "text_only")["show ip interface vrf all"]
    # The IOS end of the same /31: a real show interfaces block with the peer address.
    ios_text = outputs_of("cisco_ios", "full")["show interfaces"].replace(
        "GigabitEthernet1/0/1 is up, line protocol is up (connected) \n",
        "GigabitEthernet1/0/1 is up, line protocol is up (connected) \n  Internet address is 10.0.13.1/31\n", 1)
    ios = parse_outputs(RawOutputs("core", "cisco_ios", {"show interfaces": ios_text}))
    end_b = ios.interface("GigabitEthernet1/0/1")
    assert end_b.addresses == ("10.0.13.1/31",)
    assert end_a.vrf == end_b.vrf == GLOBAL_VRF


def test_nxos_management_vrf_and_port_are_management() -> None:
    facts = parse_outputs(RawOutputs("leaf", "cisco_nxos", outputs_of("cisco_nxos", "full")))
    mgmt = facts.interface("mgmt0")
    assert (mgmt.vrf, mgmt.role) == ("management", "management")
    assert {i.role for i in facts.interfaces if i.name != "mgmt0"} == {"data"}


# --- other forms: fallbacks read when the stronger form is absent -------------------------


def _fixture(platform: str, command_dir: str, name: str) -> str:
    return (FIXTURES / platform / command_dir / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("platform", "case", "weaker", "text"), [
    ("cisco_ios", "full", "show ip interface brief",
     ("cisco_ios", "show_ip_interface_brief", "cisco_ios_show_ip_interface_brief.raw")),
    ("cisco_ios", "full", "show lldp neighbors",
     ("cisco_ios", "show_lldp_neighbors", "cisco_ios_show_lldp_neighbors.raw")),
    ("cisco_nxos", "full", "show ip interface brief vrf all",
     ("cisco_nxos", "show_ip_interface_brief", "cisco_nxos_show_ip_interface_brief_vrf_all_02.raw")),
    ("arista_eos", "full", "show lldp neighbors",
     ("arista_eos", "show_lldp_neighbors", "arista_eos_show_lldp_neighbors2.raw")),
])
def test_a_weaker_form_beside_the_stronger_is_not_read(platform: str, case: str, weaker: str,
                                                         text: tuple[str, str, str]) -> None:
    outputs = outputs_of(platform, case)
    alone = parse_outputs(RawOutputs("d", platform, outputs))
    both = parse_outputs(RawOutputs("d", platform, {**outputs, weaker: _fixture(*text)}))
    assert weaker not in both.read and both == alone


@pytest.mark.parametrize(("platform", "stronger", "weaker", "text"), [
    ("cisco_ios", "show lldp neighbors detail", "show lldp neighbors",
     ("cisco_ios", "show_lldp_neighbors", "cisco_ios_show_lldp_neighbors.raw")),
    ("cisco_ios", "show interfaces", "show ip interface brief",
     ("cisco_ios", "show_ip_interface_brief", "cisco_ios_show_ip_interface_brief.raw")),
    ("cisco_nxos", "show lldp neighbors detail | json", "show lldp neighbors",
     ("cisco_nxos", "show_lldp_neighbors", "cisco_nxos_show_lldp_neighbors.raw")),
    ("arista_eos", "show interfaces | json", "show ip interface brief",
     ("arista_eos", "show_ip_interface_brief", "arista_eos_show_ip_interface_brief.raw")),
])
def test_a_capture_with_only_the_weaker_form_is_complete(platform: str, stronger: str, weaker: str,
                                                         text: tuple[str, str, str], tmp_path: Path) -> None:
    from collectors.offline import OfflineCollector
    from inventory.model import Device

    folder = tmp_path / platform / "dev"
    folder.mkdir(parents=True)
    (folder / command_filename(weaker)).write_text(_fixture(*text), encoding="utf-8")
    raw = OfflineCollector(tmp_path / platform).collect(
        Device(name="dev", host="192.0.2.1", platform=platform, department="t", site="t"))
    assert stronger not in {p.command for p in raw.problems}  # the group has a file: nothing missing
    facts = parse_outputs(raw)
    assert facts.read == (weaker,) and not [p for p in facts.problems if p.reason != "missing"]


def test_ios_brief_addresses_have_no_length_and_summary_ports_are_expanded() -> None:
    facts = parse_outputs(RawOutputs("r", "cisco_ios", {
        "show ip interface brief": _fixture("cisco_ios", "show_ip_interface_brief",
                                            "cisco_ios_show_ip_interface_brief.raw"),
        "show cdp neighbors": (CASES / "cisco_ios" / "summary_forms" / "show_cdp_neighbors.txt").read_text(),
    }))
    sub = facts.interface("Ethernet0/0.11")
    assert (sub.addresses, sub.unmasked_addresses) == ((), ("10.0.1.38",))
    assert facts.interface("Ethernet0/0.100") is None  # "deleted": gone from the device
    assert facts.interface("Ethernet0/2").admin_up is False
    assert ("GigabitEthernet1/0/10", "R1-PBX", "FastEthernet0/0") in {
        (n.local_port, n.remote_name, n.remote_port) for n in facts.neighbours}


def test_junos_detail_json_names_the_local_port_never_by_its_index() -> None:
    facts = parse_outputs(RawOutputs("qfx", "juniper_junos", outputs_of("juniper_junos", "lldp_detail_json")))
    assert [n.local_port for n in facts.neighbours] == ["xe-0/0/0", "xe-0/0/1"]
    text = outputs_of("juniper_junos", "lldp_detail_json")["show lldp neighbors detail | display json"]
    only_index = text.replace('"lldp-local-interface"', '"lldp-local-interface-gone"')
    bad = parse_outputs(RawOutputs("qfx", "juniper_junos", {"show lldp neighbors detail | display json": only_index}))
    assert [(p.command, p.reason) for p in bad.problems] == [("show lldp neighbors detail | display json",
                                                               "parse_error")]
    assert "index 512" in bad.problems[0].message and bad.neighbours == ()


def test_eos_virtual_addresses_are_shared_not_own() -> None:
    facts = parse_outputs(RawOutputs("leaf", "arista_eos", outputs_of("arista_eos", "virtual_address")))
    anycast, server = facts.interface("Vlan10"), facts.interface("Vlan20")
    assert (anycast.addresses, anycast.shared_addresses) == ((), ("10.10.10.1/24", "10.10.11.1/24"))
    assert (server.addresses, server.shared_addresses) == (("10.20.0.2/24",), ("10.20.0.1/24",))
    assert facts.interface("Ethernet1").shared_addresses == ()  # 0.0.0.0/0: no virtual address


# --- class 4: a shape a reader does not know is an error, an empty table is not ------------

JSON_COMMANDS = [(p.name, c.command) for p in PLATFORMS.values() for c in p.commands if c.template == "json"]


@pytest.mark.parametrize(("platform", "command"), JSON_COMMANDS, ids=[f"{p}:{c}" for p, c in JSON_COMMANDS])
@pytest.mark.parametrize("document", ['{"foo": 1}', '[{"foo": 1}]', '"text"'])
def test_an_unknown_json_shape_is_a_parse_error_naming_the_command(platform: str, command: str,
                                                                   document: str) -> None:
    facts = parse_outputs(RawOutputs("d", platform, {command: document + "\n"}))
    assert [(p.command, p.reason) for p in facts.problems] == [(command, "parse_error")]
    assert facts.status == "parse_failed" and facts.interfaces == () and facts.neighbours == ()


@pytest.mark.parametrize(("platform", "command", "document"), [
    ("cisco_nxos", "show lldp neighbors detail | json", ""),  # NX-OS: no answer at all
    ("cisco_nxos", "show lldp neighbors detail | json", "{}"),
    ("cisco_nxos", "show lldp neighbors detail | json", '{"neigh_hdr": "neigh_hdr", "neigh_count": "0"}'),
    ("cisco_nxos", "show cdp neighbors detail | json", '{"neigh_count": 0}'),
    ("cisco_nxos", "show ip interface vrf all | json", ""),
    ("arista_eos", "show lldp neighbors detail | json", '{"lldpNeighbors": {}}'),
    ("arista_eos", "show lldp neighbors detail | json",
     '{"lldpNeighbors": {"Ethernet1": {"lldpNeighborInfo": []}, "Management1": {"lldpNeighborInfo": []}}}'),
    ("juniper_junos", "show lldp neighbors | display json", ""),
    ("juniper_junos", "show lldp neighbors | display json",
     '{"lldp-neighbors-information": [{"attributes": {"junos:style": "brief"}}]}'),
    ("linux", "lldpcli show neighbors -f json", '{"lldp": {}}'),
])
def test_a_valid_empty_table_reads_as_empty(platform: str, command: str, document: str) -> None:
    facts = parse_outputs(RawOutputs("d", platform, {command: document}))
    assert facts.problems == () and facts.neighbours == () and facts.read == (command,)


@pytest.mark.parametrize(("platform", "command", "text"), [
    ("cisco_ios", "show lldp neighbors", "Capability codes:\n\n"
     "Device ID  Local Intf  Hold-time  Capability  Port ID\n\nTotal entries displayed: 0\n"),
    ("cisco_ios", "show cdp neighbors", "Capability Codes: R - Router\n\nDevice ID        Local Intrfce     Holdtme    "
     "Capability  Platform  Port ID\n"),
    ("cisco_nxos", "show cdp neighbors", "Capability Codes: R - Router\n\nDevice-ID  Local Intrfce  Hldtme Capability"
     "  Platform  Port ID\n\nTotal entries displayed: 0\n"),
    ("arista_eos", "show lldp neighbors", "Last table change time   : 0:00:02 ago\n\n"
     "Port          Neighbor Device ID       Neighbor Port ID    TTL\n"),
])
def test_an_empty_summary_table_reads_as_empty(platform: str, command: str, text: str) -> None:
    facts = parse_outputs(RawOutputs("d", platform, {command: text}))
    assert facts.problems == () and facts.neighbours == ()


def test_text_that_is_no_summary_table_is_a_parse_error() -> None:
    facts = parse_outputs(RawOutputs("d", "cisco_ios", {"show cdp neighbors": "Building configuration...\n"}))
    assert [(p.command, p.reason) for p in facts.problems] == [("show cdp neighbors", "parse_error")]


# --- napalm: the same central normalisation, the same loud failures -----------------------


def _napalm(getters: dict[str, object]) -> RawOutputs:
    import json

    return RawOutputs("leaf", "cisco_nxos", {output_key(g): json.dumps(v) for g, v in getters.items()})


def test_napalm_facts_get_canonical_vrfs_roles_and_sources() -> None:
    facts = parse_outputs(_napalm({
        "get_facts": {"hostname": "leaf"},
        "get_interfaces": {"mgmt0": {"is_up": True, "is_enabled": True, "description": "", "speed": 1000},
                           "Ethernet1/1": {"is_up": True, "is_enabled": True, "description": "", "speed": 10000}},
        "get_interfaces_ip": {"Ethernet1/1": {"ipv4": {"10.0.13.0": {"prefix_length": 31}}}},
        "get_lldp_neighbors_detail": {"Ethernet1/1": [{"remote_system_name": "core", "remote_port": "Gi1/0/1",
                                                       "remote_port_description": ""}]},
    }))
    assert [(i.name, i.role, i.vrf) for i in facts.interfaces] == [("mgmt0", "management", None),
                                                                   ("Ethernet1/1", "data", None)]
    assert facts.interface("Ethernet1/1").sources == (output_key("get_interfaces"), output_key("get_interfaces_ip"))
    assert facts.neighbours[0].source == output_key("get_lldp_neighbors_detail")
    assert facts.neighbours[0].remote_port == "GigabitEthernet1/0/1"


@pytest.mark.parametrize("getter", ["get_facts", "get_interfaces", "get_interfaces_ip", "get_lldp_neighbors_detail"])
def test_an_unknown_napalm_getter_shape_is_a_problem_naming_the_getter(getter: str) -> None:
    facts = parse_outputs(_napalm({"get_facts": {"hostname": "leaf"}, getter: {"foo": 1}}))
    assert [(p.command, p.reason) for p in facts.problems] == [(getter, "parse_error")]


def test_a_summary_name_cut_after_its_first_label_still_matches() -> None:
    """IOS cuts the LLDP summary's Device ID to 20 characters; devices are matched by the
    first DNS label (collectors.normalise.device_name), which survives a cut after the dot."""
    from collectors.normalise import device_name

    text = _fixture("cisco_ios", "show_lldp_neighbors", "cisco_ios_show_lldp_neighbors2.raw")
    facts = parse_outputs(RawOutputs("r", "cisco_ios", {"show lldp neighbors": text}))
    name = facts.neighbours[0].remote_name
    assert len(name) == 20 and device_name(name) == "long_name_swt"


# --- every real output of the other forms, against the fields ntc-templates recorded --------

#: (our platform, our command, ntc fixture folder) for the summary and brief forms.
OTHER_FORMS = [
    ("cisco_ios", "show ip interface brief", "cisco_ios/show_ip_interface_brief"),
    ("cisco_ios", "show lldp neighbors", "cisco_ios/show_lldp_neighbors"),
    ("cisco_nxos", "show ip interface brief vrf all", "cisco_nxos/show_ip_interface_brief"),
    ("cisco_nxos", "show lldp neighbors", "cisco_nxos/show_lldp_neighbors"),
    ("arista_eos", "show ip interface brief", "arista_eos/show_ip_interface_brief"),
    ("arista_eos", "show lldp neighbors", "arista_eos/show_lldp_neighbors"),
]
OTHER_FORM_FILES = [(p, c, raw) for p, c, folder in OTHER_FORMS for raw in sorted((FIXTURES / folder).glob("*.raw"))]


@pytest.mark.parametrize(("platform", "command", "raw"), OTHER_FORM_FILES,
                         ids=[f"{p}:{r.name}" for p, _, r in OTHER_FORM_FILES])
def test_every_real_output_of_another_form_reads_what_ntc_recorded(platform: str, command: str, raw: Path) -> None:
    import ipaddress

    import yaml

    from collectors.normalise import interface_name

    rows = yaml.safe_load(raw.with_suffix(".yml").read_text(encoding="utf-8"))["parsed_sample"]
    facts = parse_outputs(RawOutputs("d", platform, {command: raw.read_text(encoding="utf-8")}))
    assert facts.problems == () and facts.read == (command,)
    if "lldp" in command:
        # ntc recorded blank names where its template lost them (long names padded with spaces)
        found = {(n.local_port, n.remote_name) for n in facts.neighbours}
        assert {(interface_name(r["local_interface"]), r["neighbor_name"]) for r in rows if r["neighbor_name"]} <= found
        # one neighbour per row; a row repeated word for word is one neighbour
        assert len(facts.neighbours) == len({(r["local_interface"], r["neighbor_interface"], r["neighbor_name"] or i)
                                             for i, r in enumerate(rows)})
        return
    for row in rows:
        if row.get("status") == "deleted":
            continue
        itf = facts.interface(interface_name(row["interface"]))
        address = row["ip_address"]
        if "/" in address:  # EOS: with its length
            assert itf.addresses == (str(ipaddress.ip_interface(address)),)
        else:
            try:
                expected = (str(ipaddress.IPv4Address(address)),)
            except ValueError:  # unassigned, unnumbered, or anonymised beyond an address
                expected = ()
            assert itf.unmasked_addresses == expected and itf.addresses == ()
