"""Reading a generated sample city back: ntc-templates parses and the topology it should show."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from ntc_templates.parse import parse_output

from core.platforms import PLATFORMS, command_filename
from netcensus.sample.hardware import cisco_short

#: The commands ntc-templates has a template for, per inventory platform: (ntc platform, commands).
NTC_COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cisco_ios": ("cisco_ios", ("show version", "show interfaces", "show lldp neighbors detail",
                                "show cdp neighbors detail")),
    "huawei": ("huawei_vrp", ("display version", "display interface", "display lldp neighbor")),
    "hp_comware": ("hp_comware", ("display device manuinfo", "display interface",
                                  "display lldp neighbor-information verbose")),
}
#: The LLDP command and the field holding the remote port id in its ntc-templates parse.
LLDP = {"cisco_ios": ("show lldp neighbors detail", "neighbor_port_id"),
        "huawei": ("display lldp neighbor", "neighbor_port_id"),
        "hp_comware": ("display lldp neighbor-information verbose", "neighbor_interface")}
CDP_COMMAND = "show cdp neighbors detail"
INTERFACES = {"cisco_ios": "show interfaces", "huawei": "display interface", "hp_comware": "display interface"}


def read_output(captures: Path, device: str, command: str) -> str:
    return (captures / device / command_filename(command)).read_text(encoding="utf-8")


def parse_device(captures: Path, device: str, platform: str) -> dict[str, list[dict]]:
    """Every ntc-templates-covered output of one device, parsed (raises on a template error)."""
    ntc_platform, commands = NTC_COMMANDS[platform]
    return {c: parse_output(platform=ntc_platform, command=c, data=read_output(captures, device, c))
            for c in commands}


def lldp_pairs(parsed: dict[str, dict[str, list[dict]]], platforms: dict[str, str]) -> set[tuple[str, str, str]]:
    """(local device, local port as printed, remote system name as printed) from every LLDP parse."""
    out = set()
    for device, outputs in parsed.items():
        command, _ = LLDP[platforms[device]]
        for row in outputs[command]:
            out.add((device, row["local_interface"], row["neighbor_name"]))
    return out


def interfaces(parsed_device: dict[str, list[dict]], platform: str) -> dict[str, dict]:
    """Interface name -> its ntc row, for one device."""
    return {row["interface"]: row for row in parsed_device[INTERFACES[platform]]}


def addresses(row: dict, platform: str) -> list[str]:
    """The IPv4 interface addresses (``a.b.c.d/len``) of one parsed interface row."""
    if platform == "cisco_ios":
        return [f"{row['ip_address']}/{row['prefix_length']}"] if row["ip_address"] else []
    if platform == "huawei":
        return [row["ip_address"]] if row["ip_address"] else []
    return list(row["ip_address"])


def is_up(row: dict, platform: str) -> bool:
    """Whether a parsed interface is up (link and protocol)."""
    if platform == "cisco_ios":
        return row["link_status"] == "up" and row["protocol_status"].startswith("up")
    if platform == "huawei":
        return row["link_status"] == "UP" and row["protocol_status"].startswith("UP")
    return row["line_status"] == "UP" and row["protocol_status"].startswith("UP")


def printed_local(name: str, platform: str) -> str:
    """How a device prints its own port in its LLDP output (IOS abbreviates)."""
    return cisco_short(name) if platform == "cisco_ios" else name


def in_plan(address: str, plan: list[str]) -> bool:
    ip = ipaddress.IPv4Interface(address).ip
    return any(ip in ipaddress.IPv4Network(p) for p in plan)


def platform_commands(platform: str) -> list[str]:
    return [c.command for c in PLATFORMS[platform].commands]
