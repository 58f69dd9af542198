"""parse_outputs: status rules, problems, merging, and that it never raises."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.base import RawOutputs
from collectors.facts import CommandProblem, Interface, Neighbour
from collectors.parse import merge_interfaces, merge_neighbours, parse_outputs
from collectors.parsers import PARSERS
from collectors.parsers.templates import OWN_PREFIX, OWN_TEMPLATE_DIR, compiled
from collectors.platforms import PLATFORMS, command_filename

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
@given(platform=st.sampled_from(sorted(PLATFORMS) + ["nonsense"]),
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
