"""Configuration-only evidence: a running configuration alone, read into facts.

``cases/<platform>/<case>/`` holds one file, the configuration, named as a survey saves
it (:func:`core.platforms.command_filename`), and ``expected.json``: the status,
hostname, problems and interfaces that :func:`collectors.parse.parse_outputs` must give
from a :class:`RawOutputs` holding only that configuration (a department that hands in
backups, no shell access). Cases named ``napalm_*`` and ``batfish_*`` are configurations
written by others (see ``cases/NOTICE.md``); ``hand_*`` cases cover each feature per
platform.

After a deliberate change of output, regenerate with
``NETCENSUS_UPDATE_CASES=1 pytest tests/collectors/config`` and review every diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from collectors.base import RawOutputs
from collectors.facts import DeviceFacts
from collectors.parse import parse_outputs
from collectors.parsers import PARSERS
from collectors.parsers.base import ParseError
from collectors.parsers.config.comware import read_comware
from collectors.parsers.config.ios import read_eos, read_ios, read_nxos
from collectors.parsers.config.junos import read_junos
from collectors.parsers.config.vrp import read_vrp
from core.platforms import PLATFORMS, command_filename

CASES = Path(__file__).resolve().parent / "cases"
CASE_DIRS = sorted(p for p in CASES.glob("*/*") if p.is_dir())
CONFIG_PLATFORMS = sorted(name for name, p in PLATFORMS.items() if p.command("config"))

#: The interface fields a configuration can state (no speed, no rates, no operational state).
FIELDS = ("name", "description", "admin_up", "oper_up", "addresses", "vrf", "role", "shared_addresses")


def config_command(platform: str) -> str:
    (cmd,) = PLATFORMS[platform].command("config")
    return cmd.command


def config_only(case: Path) -> DeviceFacts:
    """The facts of a case folder's configuration, given alone to the parser."""
    platform = case.parent.name
    command = config_command(platform)
    text = (case / command_filename(command)).read_text(encoding="utf-8")
    return parse_outputs(RawOutputs(device=case.name, platform=platform, outputs={command: text}))


def summary(facts: DeviceFacts) -> dict[str, Any]:
    """What the configuration reader decides: whether the configuration read, the commands
    whose output did not (what each says is checked where it matters, below), the hostname
    and the interfaces. Whether a capture looks cut short (``incomplete``) is the
    completeness check's business (tests/collectors), so it is left out here."""
    return {
        "read": list(facts.read),
        "problems": [p.command for p in facts.problems if p.reason != "incomplete"],
        "hostname": facts.info.hostname,
        "interfaces": [{f: list(v) if isinstance(v := getattr(i, f), tuple) else v for f in FIELDS}
                       for i in facts.interfaces],
    }


@pytest.mark.parametrize("case", CASE_DIRS, ids=[f"{p.parent.name}/{p.name}" for p in CASE_DIRS])
def test_configuration_alone_gives_expected_facts(case: Path) -> None:
    got = summary(config_only(case))
    expected_file = case / "expected.json"
    if os.environ.get("NETCENSUS_UPDATE_CASES"):
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert expected_file.is_file(), f"{expected_file} missing (see module docstring)"
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASE_DIRS, ids=[f"{p.parent.name}/{p.name}" for p in CASE_DIRS])
def test_case_folder_holds_only_the_configuration(case: Path) -> None:
    files = sorted(p.name for p in case.iterdir())
    assert files == sorted([command_filename(config_command(case.parent.name)), "expected.json"])


def test_every_configuration_platform_has_cases_and_a_registered_reader() -> None:
    assert CONFIG_PLATFORMS == ["arista_eos", "cisco_ios", "cisco_nxos", "hp_comware", "huawei", "juniper_junos"]
    for platform in CONFIG_PLATFORMS:
        assert any(c.parent.name == platform for c in CASE_DIRS), platform
        reader = PARSERS[platform][config_command(platform)]
        assert reader.read.__module__.startswith("collectors.parsers.config"), platform


def test_configurations_written_by_others_are_credited() -> None:
    notice = (CASES / "NOTICE.md").read_text(encoding="utf-8")
    borrowed = [c for c in CASE_DIRS if not c.name.startswith("hand_")]
    assert {c.parent.name for c in borrowed} >= {"cisco_ios", "cisco_nxos", "arista_eos"}
    for case in borrowed:
        assert f"{case.parent.name}/{case.name}" in notice, case


def test_junos_display_set_reads_as_the_hierarchical_form() -> None:
    """The same device saved in both forms gives the same facts."""
    hierarchical = summary(config_only(CASES / "juniper_junos" / "hand_hierarchical"))
    display_set = summary(config_only(CASES / "juniper_junos" / "hand_display_set"))
    assert display_set == hierarchical
    assert len(hierarchical["interfaces"]) > 10


def test_configuration_knows_no_operational_state() -> None:
    for case in CASE_DIRS:
        facts = config_only(case)
        assert all(i.oper_up is None and i.speed_mbps is None and i.in_bps is None for i in facts.interfaces), case


@pytest.mark.parametrize("reader, text, needle", [
    (read_junos, (CASES / "cisco_ios" / "hand_fhrp_vrf" / "show_running-config.txt").read_text(), "not a Junos"),
    (read_junos, "system {\n    host-name r1;\n    interfaces {\n", "truncated"),
    (read_junos, "system { host-name r1; } }", "closes no block"),
    (read_junos, 'set interfaces ge-0/0/0 description "unterminated', "unterminated quote"),
    (read_ios, (CASES / "juniper_junos" / "hand_hierarchical" / "show_configuration.txt").read_text(),
     "not a Cisco IOS"),
    (read_nxos, "set system host-name r1\nset interfaces ge-0/0/0 unit 0\n", "not a Cisco NX-OS"),
    (read_eos, "% Invalid input detected at '^' marker.\n", "not a Arista EOS"),
    (read_vrp, "Error: Unrecognized command found at '^' position.\n", "not a Huawei VRP"),
    (read_comware, "<core-cw-5>\n", "not a H3C Comware"),
])
def test_text_that_is_no_configuration_of_the_dialect_fails_loudly(reader, text: str, needle: str) -> None:
    with pytest.raises(ParseError, match=needle):
        reader(text)


@pytest.mark.parametrize("case, says", [
    ("cisco_ios/hand_junos_given", "not a Cisco IOS configuration"),
    ("juniper_junos/hand_ios_given", "not a Junos configuration"),
    ("juniper_junos/hand_truncated", "ends inside the block 'interfaces'"),
])
def test_a_configuration_of_another_dialect_is_a_problem_naming_why(case: str, says: str) -> None:
    facts = config_only(CASES / case)
    (problem,) = facts.problems
    assert problem.command == config_command(facts.platform) and says in problem.message
    assert facts.interfaces == () and facts.info.hostname is None


def test_redacted_values_are_skipped_not_read() -> None:
    text = "hostname r1\ninterface Gi1\n ip address <redacted> 255.255.255.0\n standby 1 ip <redacted>\n!\n"
    (itf,) = read_ios(text).interfaces
    assert itf.addresses == () and itf.shared_addresses == ()


def test_junos_host_name_of_an_applied_group_and_lists_of_virtual_addresses() -> None:
    text = """groups { re0 { system { host-name r9-re0; } } re1 { system { host-name r9-re1; } } }
    apply-groups [ re0 re1 ];
    interfaces {
        /* annotated */
        protect: ae0 {
            unit 0 {
                family inet {
                    address 10.9.0.2/24 {
                        vrrp-group 7 { virtual-address [ 10.9.0.1 10.9.0.254 ]; }
                    }
                }
            }
        }
    }"""
    fragment = read_junos(text)
    assert fragment.info == {"hostname": "r9-re0"}
    unit = next(i for i in fragment.interfaces if i.name == "ae0.0")
    assert unit.addresses == ("10.9.0.2/24",) and unit.shared_addresses == ("10.9.0.1/24", "10.9.0.254/24")


OPERATIONAL_CASES = Path(__file__).resolve().parent.parent / "cases"


@pytest.mark.parametrize("platform, case", [
    ("cisco_ios", "full"), ("cisco_nxos", "text_only"), ("arista_eos", "full"),
    ("juniper_junos", "full"), ("huawei", "full"), ("hp_comware", "cw7_full"),
])
def test_a_configuration_never_overrides_what_the_device_reported(platform: str, case: str) -> None:
    """A configuration contradicting the operational outputs (every port shut, other
    descriptions) only fills in what they left unknown."""
    folder = OPERATIONAL_CASES / platform / case
    command = config_command(platform)
    outputs = {cmd.command: (folder / command_filename(cmd.command)).read_text(encoding="utf-8")
               for cmd in PLATFORMS[platform].commands
               if cmd.kind != "config" and (folder / command_filename(cmd.command)).is_file()}
    operational = {i.name: i for i in parse_outputs(RawOutputs(case, platform, dict(outputs))).interfaces}
    assert operational, "the case must report interfaces"
    config = (folder / command_filename(command)).read_text(encoding="utf-8")
    lines = []
    for line in config.splitlines():
        lines.append(line)
        if line.startswith("interface "):
            indent = "    " if platform == "arista_eos" else "  " if platform == "cisco_nxos" else " "
            lines += [f"{indent}description from the configuration", f"{indent}shutdown"]
    if platform == "juniper_junos":
        lines = [line.replace("interfaces {", "interfaces {\n    ge-9/9/9 { disable; }")
                 for line in config.splitlines()]
        lines = [re.sub(r"^(    [a-z]+-?\d[\w/]* \{)$", r'\1\n        description "from the configuration";\n'
                        r"        disable;", line) for line in lines]
    merged = parse_outputs(RawOutputs(case, platform, {**outputs, command: "\n".join(lines) + "\n"}))
    assert not [p for p in merged.problems if p.command == command]
    for itf in merged.interfaces:
        seen = operational.get(itf.name)
        if seen is None:
            continue
        if seen.admin_up is not None:
            assert itf.admin_up == seen.admin_up, itf.name
        if seen.description:
            assert itf.description == seen.description, itf.name
        assert itf.addresses[: len(seen.addresses)] == seen.addresses, itf.name
        assert itf.sources[0] == seen.sources[0], itf.name
    contradicted = [i for i in merged.interfaces
                    if operational.get(i.name) and operational[i.name].admin_up and command in i.sources]
    assert contradicted, "the configuration shuts ports the device reported up"


def test_comware_global_commands_after_an_interface_section_are_no_interface_lines() -> None:
    text = "#\ninterface NULL0\n#\n sysname cw-late\n#\ninterface LoopBack0\n ip address 10.0.0.1 32\n#\nreturn\n"
    fragment = read_comware(text)
    assert fragment.info == {"hostname": "cw-late"}
    assert [(i.name, i.addresses) for i in fragment.interfaces] == [("Null0", ()), ("Loopback0", ("10.0.0.1/32",))]
