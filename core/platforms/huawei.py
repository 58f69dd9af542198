"""Huawei VRP (and CloudEngine, which runs VRP)."""

from __future__ import annotations

from core.platforms.base import Command, Platform

PLATFORM = Platform(
    name="huawei",
    vendor="Huawei",
    netmiko_device_type="huawei",
    ntc_platform="huawei_vrp",
    napalm_driver=None,
    commands=(
        Command("facts", "display version", "display version"),
        Command("facts", "display esn", "own:huawei_vrp_display_esn.textfsm"),
        Command("interfaces", "display interface", "own:huawei_vrp_display_interface.textfsm"),
        Command("interfaces", "display ip interface brief", "own:huawei_vrp_display_ip_interface_brief.textfsm",
                fallback_for="display interface"),
        Command("lldp", "display lldp neighbor", "own:huawei_vrp_display_lldp_neighbor.textfsm"),
        Command("lldp", "display lldp neighbor brief", "own:huawei_vrp_display_lldp_neighbor_brief.textfsm",
                fallback_for="display lldp neighbor"),
        Command("config", "display current-configuration", None),
    ),
    error_markers=("Error: Unrecognized command", "Error: Wrong parameter", "Error: Incomplete command"),
    prompt_pattern=r"[<\[]~?\*?[^\s<>\[\]]+[>\]]",
    terminal_setup=("screen-length 0 temporary",),
    aliases=("huawei_vrp", "vrp", "huawei_vrpv8", "ce", "huawei_ce", "community_network_ce",
             "huaweidatacom_ce_ce", "cloudengine"),
    ansible_network_os="community.network.ce",
    management_ports=r"^MEth\d+(?:/\d+)*$",
    redaction="vrp_comware",
    config_last_line="return",
    record_starts=(
        ("display interface", r"^(\S+) current state\s*:"),
        ("display lldp neighbor", r"^()Neighbor index\s*:"),
    ),
    prompt_shown="<{hostname}>",
    unknown_command_reply="                ^\nError: Unrecognized command found at '^' position.\n",
)
