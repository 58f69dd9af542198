"""Cisco IOS and IOS-XE."""

from __future__ import annotations

from core.platforms.base import Command, Platform

#: What IOS prints for a command it cannot run; NX-OS and EOS print the same and more.
CISCO_ERRORS = ("% Invalid input", "% Incomplete command", "% Ambiguous command", "% Unknown command")
#: The Cisco-style prompt: ``name>`` in user mode, ``name#`` once privileged.
CISCO_PROMPT = r"[\w.\-@/:()]+[>#]"
#: Paging off, wide lines (IOS, NX-OS and EOS alike).
CISCO_TERMINAL_SETUP = ("terminal length 0", "terminal width 511")
#: A record of ``show interfaces``: ``GigabitEthernet0/1 is up, line protocol is up``.
IS_STATE_RECORD = r"^(\S+) is \S"

PLATFORM = Platform(
    name="cisco_ios",
    vendor="Cisco",
    netmiko_device_type="cisco_ios",
    ntc_platform="cisco_ios",
    napalm_driver="ios",
    commands=(
        Command("facts", "show version", "show version"),
        Command("interfaces", "show interfaces", "show interfaces"),
        Command("interfaces", "show ip interface brief", "show ip interface brief",
                fallback_for="show interfaces"),
        Command("lldp", "show lldp neighbors detail", "show lldp neighbors detail"),
        Command("lldp", "show lldp neighbors", "show lldp neighbors",
                fallback_for="show lldp neighbors detail"),
        Command("cdp", "show cdp neighbors detail", "show cdp neighbors detail"),
        Command("cdp", "show cdp neighbors", "show cdp neighbors",
                fallback_for="show cdp neighbors detail"),
        Command("config", "show running-config", None),
    ),
    error_markers=CISCO_ERRORS,
    prompt_pattern=CISCO_PROMPT,
    terminal_setup=CISCO_TERMINAL_SETUP,
    enable_command="enable",
    aliases=("ios", "cisco_ios_ios", "cisco_xe", "cisco_iosxe", "iosxe", "ios_xe", "cisco_ios_xe",
             "cisco_ios_ssh"),
    ansible_network_os="cisco.ios.ios",
    # IOS has no port built for management (GigabitEthernet0 is one by its VRF, Mgmt-intf).
    redaction="cisco",
    config_last_line="end",
    record_starts=(
        ("show interfaces", IS_STATE_RECORD),
        ("show cdp neighbors detail", r"^()Device ID:"),
        ("show lldp neighbors detail", r"^()Local Intf:"),
    ),
    prompt_shown="{hostname}#",
    unknown_command_reply="                ^\n% Invalid input detected at '^' marker.\n",
)
