"""The captures: real vendor formats that ntc-templates parse, showing the city's topology."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest
import textfsm
from sample_city_helpers import (
    CDP_COMMAND,
    LLDP,
    addresses,
    interfaces,
    is_up,
    printed_local,
    read_output,
)

from inventory.model import Inventory
from netcensus.sample import SampleCity
from netcensus.sample.city import City
from netcensus.sample.hardware import cisco_short

ROOT = Path(__file__).resolve().parents[2]
COMWARE_VERSION_TEMPLATE = ROOT / "collectors" / "templates" / "hp_comware_display_version.textfsm"


def _short_name(advertised: str) -> str:
    """``bl-01-csw1.xiyue.gov.cn`` / ``BL-01-CSW1`` -> ``bl-01-csw1``."""
    return advertised.split(".")[0].lower()


def test_every_device_parses_with_ntc_templates(parsed: dict, inventory: Inventory) -> None:
    assert len(parsed) == len(inventory.devices) - 1  # all but the device planted without capture
    for device, outputs in parsed.items():
        platform = inventory.devices[device].platform
        lldp_command, _ = LLDP[platform]
        assert outputs[lldp_command], f"{device}: no LLDP neighbour parsed"
        assert len(interfaces(outputs, platform)) >= 2, device  # at least a LAN port and a spare


def test_versions_name_the_device_its_model_and_serial(city: SampleCity, parsed: dict, inventory: Inventory,
                                                       plan: City) -> None:
    for device, outputs in parsed.items():
        dev, model = inventory.devices[device], plan.devices[device].model.name
        if dev.platform == "cisco_ios":
            version = outputs["show version"][0]
            assert version["hostname"] == device and dev.serial in version["serial"]
            assert version["hardware"][0] == model
        elif dev.platform == "huawei":
            assert outputs["display version"][0]["model"].startswith(model)
            esn = read_output(city.captures_dir, device, "display esn")
            assert re.fullmatch(r"ESN of (?:slot 0|master): (\S+)\n", esn).group(1) == dev.serial
        else:
            boards = outputs["display device manuinfo"]
            assert boards[0]["device_name"] == model and boards[0]["device_serial_number"] == dev.serial


def test_h3c_display_version_is_the_documented_comware7_format(city: SampleCity, inventory: Inventory,
                                                               plan: City) -> None:
    layout = re.compile(
        r"H3C Comware Software, Version (?P<version>7\.1\.\d{3}), Release (?P<release>\w+)\n"
        r"Copyright \(c\) 2004-\d{4} New H3C Technologies Co\., Ltd\. All rights reserved\.\n"
        r"H3C (?P<model>\S+) uptime is \d+ weeks?, \d+ days?, \d+ hours?, \d+ minutes?\n"
        r"Last reboot reason : Cold reboot\n\n"
        r"Boot image: flash:/\S+-BOOT-R(?P=release)\.bin\n")
    template = COMWARE_VERSION_TEMPLATE.read_text(encoding="utf-8") if COMWARE_VERSION_TEMPLATE.exists() else None
    h3c = [n for n, d in inventory.devices.items() if d.platform == "hp_comware" and plan.devices[n].captured]
    assert h3c
    for device in h3c:
        text = read_output(city.captures_dir, device, "display version")
        match = layout.match(text)
        assert match, device
        model = plan.devices[device].model
        assert match["model"] == model.name and f"{match['version']}, Release {match['release']}" == model.os_version
        assert f"BOARD TYPE:         {model.name}\n" in text
        if template is not None:  # the project's own template reads it too
            import io

            rows = textfsm.TextFSM(io.StringIO(template)).ParseTextToDicts(text)
            assert rows and rows[0]["MODEL"] == model.name and rows[0]["VERSION"] == match["version"]


def test_interfaces_match_the_ports_of_the_topology(parsed: dict, inventory: Inventory, plan: City) -> None:
    for device, outputs in parsed.items():
        platform = inventory.devices[device].platform
        rows = interfaces(outputs, platform)
        ports = plan.devices[device].ports
        assert list(rows) == list(ports), device
        for name, port in ports.items():
            row = rows[name]
            assert addresses(row, platform) == ([port.address] if port.address else []), (device, name)
            assert is_up(row, platform) == port.oper_up, (device, name)
            assert row.get("description", row.get("interface_description")) == port.description


def test_every_lldp_link_is_reported_by_both_ends_with_the_right_ports(parsed: dict, inventory: Inventory,
                                                                       plan: City) -> None:
    reported = {}
    for device, outputs in parsed.items():
        platform = inventory.devices[device].platform
        command, port_field = LLDP[platform]
        for row in outputs[command]:
            reported[(device, row["local_interface"])] = (_short_name(row["neighbor_name"]), row[port_field])
    expected = {}
    everyone = {**plan.devices, **plan.roles.get("undeclared", {})}
    for link in plan.links:
        for local, local_port, remote, remote_port in ((link.a, link.a_port, link.b, link.b_port),
                                                       (link.b, link.b_port, link.a, link.a_port)):
            if local not in parsed:
                continue  # the device planted without capture reports nothing
            remote_dev = everyone[remote]
            shown_port = cisco_short(remote_port) if remote_dev.platform == "cisco_ios" else remote_port
            key = (local, printed_local(local_port, inventory.devices[local].platform))
            expected[key] = (_short_name(remote_dev.advertised_name or remote), shown_port)
    assert reported == expected
    both_ends = sum(1 for link in plan.links if link.a in parsed and link.b in parsed)
    assert both_ends == len(plan.links) - 2  # one-sided: the links of the uncaptured and the undeclared switch


def test_cisco_neighbours_appear_in_cdp_on_both_ends_in_full_names(parsed: dict, inventory: Inventory,
                                                                   plan: City) -> None:
    cisco = {n for n in parsed if inventory.devices[n].platform == "cisco_ios"}
    reported = {(d, row["local_interface"], _short_name(row["neighbor_name"]), row["neighbor_interface"])
                for d in cisco for row in parsed[d][CDP_COMMAND]}
    expected = set()
    for link in plan.links:
        if link.a in cisco and link.b in cisco:
            expected |= {(link.a, link.a_port, link.b, link.b_port), (link.b, link.b_port, link.a, link.a_port)}
    assert expected and reported == expected
    assert all(parsed[d][CDP_COMMAND] for d in cisco)  # every Cisco device has a Cisco neighbour


def test_line_ends_are_real_interfaces_in_one_subnet_and_up(parsed: dict, inventory: Inventory,
                                                            findings: dict) -> None:
    zombies = {s[0] for s in findings["INV003"]}
    for circuit in inventory.circuits.values():
        ends = []
        for end in (circuit.a, circuit.z):
            if end.device is None:
                assert circuit.kind == "internet"  # the carrier's end of an internet line
                continue
            platform = inventory.devices[end.device].platform
            row = interfaces(parsed[end.device], platform)[end.interface]
            assert is_up(row, platform) == (circuit.id not in zombies), (circuit.id, end.device)
            (address,) = addresses(row, platform)
            ends.append(ipaddress.IPv4Interface(address))
        assert ends
        if len(ends) == 2:
            assert ends[0].network == ends[1].network and ends[0].network.prefixlen == 30
            assert ends[0].ip != ends[1].ip


def test_configs_carry_hostname_addresses_and_fake_secrets(city: SampleCity, inventory: Inventory,
                                                           plan: City) -> None:
    secrets = {"cisco_ios": [r"enable secret 5 \$1\$\S+", r"snmp-server community \S+ RO"],
               "huawei": [r"local-user admin password irreversible-cipher \S+",
                          r"snmp-agent community read cipher \S+"],
               "hp_comware": [r"password hash \S+", r"snmp-agent community read cipher \S+"]}
    command = {"cisco_ios": "show running-config", "huawei": "display current-configuration",
               "hp_comware": "display current-configuration"}
    seen: dict[str, set[str]] = {}
    for name, dev in plan.devices.items():
        if not dev.captured:
            continue
        config = read_output(city.captures_dir, name, command[dev.platform])
        keyword = "hostname" if dev.platform == "cisco_ios" else "sysname"
        assert re.search(rf"^ ?{keyword} {re.escape(name)}$", config, re.M | re.I), name
        for port in dev.ports.values():
            assert f"interface {port.name}\n" in config
            if port.address:
                iface = ipaddress.IPv4Interface(port.address)
                assert f" ip address {iface.ip} {iface.netmask}\n" in config
        for pattern in secrets[dev.platform]:
            found = re.findall(pattern, config)
            assert found, (name, pattern)
            seen.setdefault(pattern, set()).update(found)
    for pattern, values in seen.items():  # random per device, not one shared (real-looking) secret
        assert len(values) > 3, pattern


@pytest.mark.parametrize("platform", ["cisco_ios", "huawei", "hp_comware"])
def test_some_ports_have_chinese_descriptions(parsed: dict, inventory: Inventory, platform: str) -> None:
    descriptions = [row.get("description", row.get("interface_description", ""))
                    for device, outputs in parsed.items() if inventory.devices[device].platform == platform
                    for row in interfaces(outputs, platform).values()]
    chinese = [d for d in descriptions if re.search(r"[\u4e00-\u9fff]", d)]
    assert chinese and len(chinese) < len(descriptions)
