"""Cisco NX-OS: JSON (``| json``) first, text as fallback."""

from __future__ import annotations

from core.platforms.base import Command, Platform, prefer_json
from core.platforms.cisco_ios import (
    CISCO_ERRORS,
    CISCO_PROMPT,
    CISCO_TERMINAL_SETUP,
    IS_STATE_RECORD,
)

PLATFORM = Platform(
    name="cisco_nxos",
    vendor="Cisco",
    netmiko_device_type="cisco_nxos",
    ntc_platform="cisco_nxos",
    napalm_driver="nxos_ssh",
    commands=(
        *prefer_json("facts", "show version | json", "show version", "show version"),
        *prefer_json("interfaces", "show interface | json", "show interface", "show interface"),
        *prefer_json("addresses", "show ip interface vrf all | json", "show ip interface vrf all",
                     "show ip interface vrf all"),
        Command("addresses", "show ip interface brief vrf all", "show ip interface brief",
                fallback_for="show ip interface vrf all | json"),
        *prefer_json("lldp", "show lldp neighbors detail | json", "show lldp neighbors detail",
                     "show lldp neighbors detail"),
        Command("lldp", "show lldp neighbors", "own:cisco_nxos_show_lldp_neighbors.textfsm",
                fallback_for="show lldp neighbors detail | json"),
        *prefer_json("cdp", "show cdp neighbors detail | json", "show cdp neighbors detail",
                     "show cdp neighbors detail"),
        Command("cdp", "show cdp neighbors", "show cdp neighbors",
                fallback_for="show cdp neighbors detail | json"),
        Command("config", "show running-config", None),
    ),
    error_markers=(*CISCO_ERRORS, "% Invalid command", "% Permission denied"),
    prompt_pattern=CISCO_PROMPT,
    terminal_setup=CISCO_TERMINAL_SETUP,
    enable_command="enable",
    aliases=("nxos", "nxos_ssh", "cisco_nx_os", "nx_os", "cisco_nxos_nxos", "cisco_nxos_ssh"),
    ansible_network_os="cisco.nxos.nxos",
    management_ports=r"^mgmt\d+$",
    redaction="cisco",
    # NX-OS prints no closing line: only an open quote on the last line shows a cut.
    record_starts=(
        ("show interface", IS_STATE_RECORD),
        ("show cdp neighbors detail", r"^()Device ID:"),
        ("show lldp neighbors detail", r"^()Chassis id:"),
    ),
    prompt_shown="{hostname}#",
    unknown_command_reply="                ^\n% Invalid command at '^' marker.\n",
)
