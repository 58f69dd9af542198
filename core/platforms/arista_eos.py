"""Arista EOS: JSON (``| json``) first, text as fallback."""

from __future__ import annotations

from core.platforms.base import Command, Platform, prefer_json
from core.platforms.cisco_ios import (
    CISCO_ERRORS,
    CISCO_PROMPT,
    CISCO_TERMINAL_SETUP,
    IS_STATE_RECORD,
)

PLATFORM = Platform(
    name="arista_eos",
    vendor="Arista",
    netmiko_device_type="arista_eos",
    ntc_platform="arista_eos",
    napalm_driver="eos",
    commands=(
        *prefer_json("facts", "show version | json", "show version", "show version"),
        *prefer_json("facts", "show hostname | json", "show hostname", "show hostname"),
        *prefer_json("interfaces", "show interfaces | json", "show interfaces",
                     "own:arista_eos_show_interfaces.textfsm"),
        Command("interfaces", "show ip interface brief", "show ip interface brief",
                fallback_for="show interfaces | json"),
        *prefer_json("lldp", "show lldp neighbors detail | json", "show lldp neighbors detail",
                     "show lldp neighbors detail"),
        Command("lldp", "show lldp neighbors", "show lldp neighbors",
                fallback_for="show lldp neighbors detail | json"),
        Command("config", "show running-config", None),
    ),
    error_markers=CISCO_ERRORS,
    prompt_pattern=CISCO_PROMPT,
    terminal_setup=CISCO_TERMINAL_SETUP,
    enable_command="enable",
    aliases=("eos", "arista_eos_eos", "arista_eos_ssh"),
    ansible_network_os="arista.eos.eos",
    management_ports=r"^Management\d+(?:/\d+)*$",
    redaction="cisco",
    config_last_line="end",
    record_starts=(
        ("show interfaces", IS_STATE_RECORD),
        ("show lldp neighbors detail", r"^Interface (\S+) detected \d+ LLDP neighbors?:"),
    ),
    prompt_shown="{hostname}#",
    unknown_command_reply="% Invalid input\n",
    setup_replies=(
        ("terminal width 511", "Width set to 511 columns.\n"),
        ("terminal length 0", "Pagination disabled.\n"),
    ),
)
