"""Structured (JSON) outputs of EOS, NX-OS and Junos, and their text fallbacks.

The case folders ``cases/<platform>/{full,json_only,text_only,json_rejected,garbage_json}``
run through ``test_parse_cases.py`` like every case; here are the rules behind them:
JSON wins over text and agrees with it on the same device, a capture may hold either
alternative, a rejected ``| json`` is no problem while broken JSON is, and the vendors'
JSON quirks (NX-OS one-row tables, Junos data wrapping, EOS quoted port ids).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from collectors.base import RawOutputs
from collectors.capture import TMP_SUFFIX
from collectors.facts import DeviceFacts
from collectors.offline import OfflineCollector
from collectors.parse import parse_outputs
from collectors.parsers.arista_eos_json import read_interfaces as eos_interfaces
from collectors.parsers.base import ParseError
from collectors.parsers.cisco_nxos_json import read_addresses
from collectors.parsers.cisco_nxos_json import read_interfaces as nxos_interfaces
from collectors.parsers.juniper_junos_json import read_interfaces as junos_interfaces
from collectors.parsers.structured import NoJSONDocument, load_json_output
from core.platforms import PLATFORMS, Command, Platform, command_filename
from inventory.model import Device

CASES = Path(__file__).resolve().parent / "cases"
STRUCTURED = ("arista_eos", "cisco_nxos", "juniper_junos")


def collect(platform: str, case: str, captures: Path = CASES) -> RawOutputs:
    device = Device(name=case, host="192.0.2.10", platform=platform, department="test", site="test")
    return OfflineCollector(captures / platform).collect(device)


def only(raw: RawOutputs, json_files: bool) -> RawOutputs:
    """The outputs of one kind (JSON or text); unpaired commands (configuration) stay."""
    structured = {c.command for c in PLATFORMS[raw.platform].commands if c.template == "json"}
    fallbacks = {c.command for c in PLATFORMS[raw.platform].commands if c.fallback_for}
    drop = fallbacks if json_files else structured
    return RawOutputs(raw.device, raw.platform, {k: v for k, v in raw.outputs.items() if k not in drop})


def observed(facts: DeviceFacts) -> tuple:
    """What the device said, without the evidence (which names the command read)."""
    return (facts.info, tuple(replace(i, sources=()) for i in facts.interfaces),
            tuple(replace(n, source="") for n in facts.neighbours))


# --- JSON first, text as fallback ------------------------------------------------------


@pytest.mark.parametrize("platform", STRUCTURED)
def test_every_structured_platform_prefers_json_for_each_fact_it_carries(platform: str) -> None:
    groups = PLATFORMS[platform].groups
    paired = [g for g in groups if len(g) >= 2]
    assert {g[0].kind for g in paired} >= {"facts", "interfaces", "lldp"}
    for preferred, *fallbacks in paired:
        assert preferred.template == "json"
        assert any(f.template not in (None, "json") for f in fallbacks)  # a text form stands in
        assert all(f.fallback_for == preferred.command and f.kind == preferred.kind for f in fallbacks)


@pytest.mark.parametrize("platform", STRUCTURED)
def test_json_wins_and_agrees_with_the_text_of_the_same_device(platform: str) -> None:
    raw = collect(platform, "full")
    both, from_json, from_text = (parse_outputs(r) for r in (raw, only(raw, True), only(raw, False)))
    assert {f.status for f in (both, from_json, from_text)} == {"ok"}
    assert observed(both) == observed(from_json)  # the text files were not even read

    # The text never contradicts the JSON; JSON may carry more (Junos text states no speed).
    for field in ("hostname", "model", "os_version", "serial", "uptime"):
        text_value = getattr(from_text.info, field)
        assert text_value is None or text_value == getattr(from_json.info, field), field
    json_interfaces = {i.name: i for i in from_json.interfaces}
    for itf in from_text.interfaces:
        other = json_interfaces[itf.name]
        for field in ("description", "admin_up", "oper_up", "speed_mbps", "vrf", "in_bps", "out_bps"):
            value = getattr(itf, field)
            assert value in (None, "") or value == getattr(other, field), (itf.name, field)
        assert set(itf.addresses) <= set(other.addresses), itf.name
    assert set(observed(from_text)[2]) == set(observed(from_json)[2])


@pytest.mark.parametrize("platform", ["arista_eos", "cisco_nxos"])
def test_eos_and_nxos_text_and_json_give_identical_facts(platform: str) -> None:
    raw = collect(platform, "full")
    assert observed(parse_outputs(only(raw, True))) == observed(parse_outputs(only(raw, False)))


@pytest.mark.parametrize("platform", STRUCTURED)
def test_old_software_rejecting_json_gives_the_facts_of_the_text_without_a_problem(platform: str) -> None:
    rejected = parse_outputs(collect(platform, "json_rejected"))  # the full case's text, "| json" rejected
    assert rejected.status == "ok" and rejected.problems == ()
    assert observed(rejected) == observed(parse_outputs(only(collect(platform, "full"), False)))


@pytest.mark.parametrize("platform", STRUCTURED)
def test_saved_text_outputs_without_any_json_file_are_a_complete_capture(platform: str) -> None:
    raw = collect(platform, "text_only")
    assert raw.problems == () and parse_outputs(raw).status == "ok"
    assert not [name for name in raw.outputs if "json" in name]


def test_a_text_answer_where_json_was_asked_is_superseded_silently() -> None:
    # Some releases ignore "| json" for a command and print the text table instead.
    raw = collect("cisco_nxos", "full")
    outputs = dict(raw.outputs)
    outputs["show lldp neighbors detail | json"] = outputs["show lldp neighbors detail"]
    facts = parse_outputs(RawOutputs(raw.device, raw.platform, outputs))
    assert facts.status == "ok" and facts.problems == ()
    assert len(facts.neighbours) == 3


def test_broken_json_is_reported_even_when_the_text_saves_the_facts() -> None:
    facts = parse_outputs(collect("arista_eos", "garbage_json"))
    assert facts.status == "partial"
    assert [(p.command, p.reason) for p in facts.problems] == [
        ("show version | json", "parse_error"), ("show interfaces | json", "parse_error")]
    assert "not valid JSON" in facts.problems[0].message
    assert facts.info.serial == "JPE21093517"  # from the text fallback
    # No interface table read: the interfaces are the configuration's.
    assert [i.name for i in facts.interfaces] == [
        "Ethernet1", "Ethernet2", "Ethernet3", "Loopback0", "Management1", "Vlan20"]
    assert {i.sources for i in facts.interfaces} == {("show running-config",)}


def test_when_every_alternative_fails_each_is_reported() -> None:
    raw = collect("juniper_junos", "json_rejected")
    outputs = dict(raw.outputs)
    outputs["show version"] = outputs["show version | display json"]  # the text command rejected too
    facts = parse_outputs(RawOutputs(raw.device, raw.platform, outputs))
    version_problems = [(p.command, p.reason) for p in facts.problems if p.command.startswith("show version")]
    assert version_problems == [("show version | display json", "device_error"), ("show version", "device_error")]
    assert (facts.info.model, facts.info.os_version) == (None, None) and facts.status == "partial"


# --- capture folders: either alternative will do ---------------------------------------


def _copy(case: Path, dest: Path, keep) -> Path:
    dest.mkdir(parents=True)
    for path in case.glob("*.txt"):
        if keep(path.name):
            (dest / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return dest


@pytest.mark.parametrize("platform", STRUCTURED)
@pytest.mark.parametrize("keep_json", [True, False], ids=["json-files-only", "text-files-only"])
def test_a_capture_holding_one_alternative_per_group_is_complete(platform: str, keep_json: bool,
                                                                 tmp_path: Path) -> None:
    _copy(CASES / platform / "full", tmp_path / platform / "dev",
          lambda name: name.endswith(("_json.txt", "_configuration.txt", "_running-config.txt")) == keep_json
          or name.endswith(("_configuration.txt", "_running-config.txt")))
    raw = collect(platform, "dev", tmp_path)
    assert raw.status == "ok" and raw.problems == ()
    assert parse_outputs(raw).status == "ok"


def test_a_group_with_no_file_is_missing_once_naming_every_alternative(tmp_path: Path) -> None:
    _copy(CASES / "arista_eos" / "full", tmp_path / "arista_eos" / "dev", lambda name: "lldp" not in name)
    raw = collect("arista_eos", "dev", tmp_path)
    assert raw.status == "partial"
    assert [(p.command, p.reason) for p in raw.problems] == [("show lldp neighbors detail | json", "missing")]
    assert "show_lldp_neighbors_detail_json.txt nor show_lldp_neighbors_detail.txt" in raw.problems[0].message


def test_an_interrupted_json_write_is_reported_though_the_text_answers(tmp_path: Path) -> None:
    folder = _copy(CASES / "arista_eos" / "full", tmp_path / "arista_eos" / "dev", lambda name: "_json" not in name)
    (folder / (command_filename("show version | json") + TMP_SUFFIX)).write_text('{"modelName": "DCS-70')
    raw = collect("arista_eos", "dev", tmp_path)
    assert [(p.command, p.reason) for p in raw.problems] == [("show version | json", "incomplete")]
    facts = parse_outputs(raw)
    assert facts.status == "partial" and facts.info.model == "DCS-7050SX3-48YC8-F"


def test_a_fallback_must_stand_in_for_an_earlier_command_of_its_kind() -> None:
    ok = Command("facts", "show version | json", "json")
    with pytest.raises(ValueError, match=re.escape("stands in for 'show ver | json'")):
        Platform("x", "X", "x", "x", None, (ok, Command("facts", "show version", "show version",
                                                        fallback_for="show ver | json")), ())
    with pytest.raises(ValueError, match="no earlier preferred command of the same kind"):
        Platform("x", "X", "x", "x", None, (ok, Command("interfaces", "show interfaces", "show interfaces",
                                                        fallback_for="show version | json")), ())


# --- reading JSON outputs and the vendors' quirks ------------------------------------


def test_json_output_tolerates_the_terminal_around_it() -> None:
    echoed = 'leaf1#show hostname | json\n{\n  "hostname": "leaf1"\n}\nleaf1#\n'
    assert load_json_output(echoed) == {"hostname": "leaf1"}
    assert load_json_output('{"a": 1}\n\n{master:0}\n') == {"a": 1}
    with pytest.raises(NoJSONDocument):
        load_json_output("% Invalid input\n")
    with pytest.raises(ParseError, match="unexpected text after the JSON document"):
        load_json_output('{"a": 1}\nwarning: statistics are stale\n')


def test_nxos_vrf_pairing_is_dropped_when_the_two_tables_disagree_in_length() -> None:
    rows = [{"ROW_intf": {"intf-name": "Vlan10", "prefix": "10.1.1.1", "masklen": "24"}},
            {"ROW_intf": {"intf-name": "Eth1/1", "prefix": "10.9.9.1", "masklen": "30"}}]
    mixed = read_addresses({"TABLE_intf": rows, "TABLE_vrf": [{"ROW_vrf": {"vrf-name-out": "TENANT"}}]})
    assert [(i.name, i.vrf) for i in mixed.interfaces] == [("Vlan10", "TENANT"), ("Ethernet1/1", "TENANT")]
    two = [{"ROW_vrf": {"vrf-name-out": "default"}}, {"ROW_vrf": {"vrf-name-out": "TENANT"}},
           {"ROW_vrf": {"vrf-name-out": "default"}}]
    unknown = read_addresses({"TABLE_intf": rows, "TABLE_vrf": two})
    assert [i.vrf for i in unknown.interfaces] == [None, None]


def test_nxos_tables_of_one_row_read_like_tables_of_many() -> None:
    facts = parse_outputs(collect("cisco_nxos", "full"))
    # show_cdp_neighbors_detail_json.txt holds one ROW as an object; the secondary address table too.
    assert [(n.local_port, n.remote_name, n.protocol) for n in facts.neighbours if n.protocol == "cdp"] == [
        ("mgmt0", "city-core-2", "cdp")]
    assert facts.interface("Vlan20").addresses == ("10.50.20.1/24", "10.50.21.1/24")


def test_eos_json_reads_real_recorded_outputs() -> None:
    facts = parse_outputs(collect("arista_eos", "json_only"))
    assert (facts.info.model, facts.info.os_version, facts.info.serial) == ("vEOS", "4.15.5M", None)
    neighbours = {n.local_port: n for n in facts.neighbours}
    assert neighbours["Ethernet27/1"].remote_port == "et-0/0/20"  # EOS quotes interface-name port ids
    assert neighbours["Ethernet1/1"].remote_port == "eth0"  # lldpd: MAC as port id, the name as description
    assert neighbours["Ethernet1/1"].remote_address == "10.0.0.1"  # IPv4 before the IPv6 address
    assert facts.interface("Vlan30").addresses == ("10.40.30.1/24", "10.40.31.1/24", "10.40.32.1/25")
    errdisabled = facts.interface("Ethernet2")
    assert (errdisabled.admin_up, errdisabled.oper_up) == (True, False)


def test_eos_interface_key_names_the_interface() -> None:
    doc = json.loads('{"interfaces": {"Ethernet5": {"name": "Ethernet1", "interfaceStatus": "connected",'
                     ' "lineProtocolStatus": "up", "bandwidth": 2500000000}}}')
    assert [(i.name, i.speed_mbps) for i in eos_interfaces(doc).interfaces] == [("Ethernet5", 2500.0)]


def test_junos_json_units_addresses_and_nominal_speeds() -> None:
    facts = parse_outputs(collect("juniper_junos", "json_only"))
    assert facts.info.hostname == "bldg-c-vc1" and facts.info.os_version == "18.4R2-S7.4"  # first member of the VC
    assert facts.interface("lo0.0").addresses == ("10.255.0.61/32",)  # a host address has no destination
    assert facts.interface("irb.20").addresses == ("10.60.20.1/24",)  # Junos abbreviates 10.60.20.0/24
    disabled_unit = facts.interface("ge-0/0/1.0")
    assert (disabled_unit.admin_up, disabled_unit.oper_up) == (False, False)  # a unit of a disabled port
    assert facts.interface("ae0").speed_mbps == 2000.0
    assert facts.interface("gr-0/0/0").speed_mbps is None  # a tunnel's 800mbps is no line speed


# --- averaged traffic rates (LIN004's samples) ---------------------------------------------


def test_nxos_json_rate_is_that_of_the_longest_load_interval() -> None:
    # NX-OS 9.x: load interval 1 (30 s) and 2 (300 s); the text prints the 300 s line last.
    doc = {"TABLE_interface": {"ROW_interface": [
        {"interface": "Ethernet1/1", "state": "up", "admin_state": "up",
         "eth_load_interval1_rx": 30, "eth_inrate1_bits": "25280136", "eth_outrate1_bits": "5963176",
         "eth_load_interval2_rx": "300", "eth_inrate2_bits": "6980000", "eth_outrate2_bits": "3390000"},
        {"interface": "mgmt0", "state": "up", "admin_state": "up",
         "vdc_lvl_in_avg_bits": 1192, "vdc_lvl_out_avg_bits": "6096"},
        {"interface": "Ethernet1/2", "state": "down", "admin_state": "up"},
    ]}}
    rates = {i.name: (i.in_bps, i.out_bps) for i in nxos_interfaces(doc).interfaces}
    assert rates == {"Ethernet1/1": (6980000.0, 3390000.0), "mgmt0": (1192.0, 6096.0),
                     "Ethernet1/2": (None, None)}


def test_nxos_text_and_json_agree_on_the_management_port_rate() -> None:
    raw = collect("cisco_nxos", "full")
    text, json_facts = parse_outputs(only(raw, False)), parse_outputs(only(raw, True))
    # show_interface.txt: "1 minute input rate 2216 bits/sec", "1 minute output rate 1408 bits/sec"
    assert (text.interface("mgmt0").in_bps, text.interface("mgmt0").out_bps) == (2216.0, 1408.0)
    assert (json_facts.interface("mgmt0").in_bps, json_facts.interface("mgmt0").out_bps) == (2216.0, 1408.0)


def test_eos_json_rates_come_from_interface_statistics() -> None:
    doc = {"interfaces": {
        "Ethernet1": {"interfaceStatus": "connected", "lineProtocolStatus": "up",
                      "interfaceStatistics": {"updateInterval": 300.0, "inBitsRate": 1210000.5,
                                              "outBitsRate": 2020000.0}},
        "Ethernet2": {"interfaceStatus": "notconnect", "lineProtocolStatus": "down",
                      "interfaceStatistics": {"inBitsRate": "garbage", "outBitsRate": -1}},
        "Vlan1": {"interfaceStatus": "connected", "lineProtocolStatus": "up"},
    }}
    rates = {i.name: (i.in_bps, i.out_bps) for i in eos_interfaces(doc).interfaces}
    assert rates == {"Ethernet1": (1210000.5, 2020000.0), "Ethernet2": (None, None), "Vlan1": (None, None)}


def test_junos_json_rates_are_the_ports_own_and_units_have_none() -> None:
    def leaf(value: str) -> list[dict]:
        return [{"data": value}]

    doc = {"interface-information": [{"physical-interface": [{
        "name": leaf("xe-0/1/0"), "admin-status": leaf("up"), "oper-status": leaf("up"),
        "traffic-statistics": [{"input-bps": leaf("81211864"), "output-bps": leaf("120383112")}],
        "logical-interface": [{"name": leaf("xe-0/1/0.0")}],
    }]}]}
    rates = [(i.name, i.in_bps, i.out_bps) for i in junos_interfaces(doc).interfaces]
    assert rates == [("xe-0/1/0", 81211864.0, 120383112.0), ("xe-0/1/0.0", None, None)]

