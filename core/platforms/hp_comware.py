"""H3C / HPE Comware (versions 5 and 7)."""

from __future__ import annotations

from core.platforms.base import Command, Platform

PLATFORM = Platform(
    name="hp_comware",
    vendor="H3C",
    netmiko_device_type="hp_comware",
    ntc_platform="hp_comware",
    napalm_driver=None,
    commands=(
        Command("facts", "display version", "own:hp_comware_display_version.textfsm"),
        Command("facts", "display device manuinfo", "display device manuinfo"),
        Command("interfaces", "display interface", "own:hp_comware_display_interface.textfsm"),
        Command("interfaces", "display ip interface brief", "own:hp_comware_display_ip_interface_brief.textfsm",
                fallback_for="display interface"),
        Command(
            "lldp",
            "display lldp neighbor-information verbose",
            "own:hp_comware_display_lldp_neighbor-information_verbose.textfsm",
        ),
        Command("config", "display current-configuration", None),
    ),
    error_markers=("% Unrecognized command found", "% Incomplete command found", "% Wrong parameter found"),
    prompt_pattern=r"[<\[][^\s<>\[\]]+[>\]]",
    terminal_setup=("screen-length disable",),
    aliases=("comware", "h3c", "h3c_comware", "hpe_comware", "hp_comware_ssh"),
    ansible_network_os="hp_comware",
    ansible_network_cli=False,  # no Ansible collection for Comware: no connection plugin
    management_ports=r"^M-GigabitEthernet\d+(?:/\d+)*$",
    redaction="vrp_comware",
    config_last_line="return",
    record_starts=(
        # Comware 5 starts a record with "<port> current state:", Comware 7 with the bare name.
        ("display interface", r"^\s?(\S+) current state\s*:|^([A-Za-z][\w\-/.]*\d(?::\d+)?)\s*$"),
        ("display lldp neighbor-information verbose", r"^()LLDP neighbor-information of port "),
    ),
    prompt_shown="<{hostname}>",
    unknown_command_reply="                ^\n % Unrecognized command found at '^' position.\n",
)
