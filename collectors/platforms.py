"""Platforms as data: what to type on each platform and how to read the answer.

One :class:`Platform` per inventory platform name. Each lists its commands with the
fact kind they feed and the TextFSM template that parses them. ``template`` is the
ntc-templates command name when ntc-templates covers it, ``"own:<file>"`` for a
template shipped in ``collectors/templates/``, ``"json"`` for output that is JSON
(``ip -j``, ``lldpcli -f json``), and ``None`` for raw text (configs, ``hostname``).

Adding a platform is adding an entry here, plus templates and a test folder
(see README "Adding a platform").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FactKind = Literal["facts", "interfaces", "addresses", "lldp", "cdp", "config"]


@dataclass(frozen=True, slots=True)
class Command:
    """One command of a platform's survey."""

    kind: FactKind
    command: str
    template: str | None  # ntc command name, "own:<file>.textfsm", "json", or None (raw)


@dataclass(frozen=True, slots=True)
class Platform:
    """Everything platform-specific, as data."""

    name: str  # the inventory's platform name
    vendor: str
    netmiko_device_type: str
    ntc_platform: str  # ntc-templates' platform name (differs for Huawei: huawei_vrp)
    napalm_driver: str | None
    commands: tuple[Command, ...]
    #: Text that marks a failed command: devices answer errors as ordinary output.
    error_markers: tuple[str, ...]

    def command(self, kind: FactKind) -> tuple[Command, ...]:
        """The commands feeding one fact kind, in order."""
        return tuple(c for c in self.commands if c.kind == kind)


_CISCO_ERRORS = ("% Invalid input", "% Incomplete command", "% Ambiguous command", "% Unknown command")
_HUAWEI_ERRORS = ("Error: Unrecognized command", "Error: Wrong parameter", "Error: Incomplete command")
_COMWARE_ERRORS = ("% Unrecognized command found", "% Incomplete command found", "% Wrong parameter found")
_JUNOS_ERRORS = ("unknown command.", "syntax error, expecting", "error: syntax error", "error: command is not valid")
_LINUX_ERRORS = ("command not found", "No such file or directory", "unable to connect to lldpd",
                 "Permission denied")

PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            name="cisco_ios",
            vendor="Cisco",
            netmiko_device_type="cisco_ios",
            ntc_platform="cisco_ios",
            napalm_driver="ios",
            commands=(
                Command("facts", "show version", "show version"),
                Command("interfaces", "show interfaces", "show interfaces"),
                Command("lldp", "show lldp neighbors detail", "show lldp neighbors detail"),
                Command("cdp", "show cdp neighbors detail", "show cdp neighbors detail"),
                Command("config", "show running-config", None),
            ),
            error_markers=_CISCO_ERRORS,
        ),
        Platform(
            name="huawei",
            vendor="Huawei",
            netmiko_device_type="huawei",
            ntc_platform="huawei_vrp",
            napalm_driver=None,
            commands=(
                Command("facts", "display version", "display version"),
                Command("facts", "display esn", "own:huawei_vrp_display_esn.textfsm"),
                Command("interfaces", "display interface", "own:huawei_vrp_display_interface.textfsm"),
                Command("lldp", "display lldp neighbor", "own:huawei_vrp_display_lldp_neighbor.textfsm"),
                Command("config", "display current-configuration", None),
            ),
            error_markers=_HUAWEI_ERRORS,
        ),
        Platform(
            name="hp_comware",
            vendor="H3C",
            netmiko_device_type="hp_comware",
            ntc_platform="hp_comware",
            napalm_driver=None,
            commands=(
                Command("facts", "display version", "own:hp_comware_display_version.textfsm"),
                Command("facts", "display device manuinfo", "display device manuinfo"),
                Command("interfaces", "display interface", "own:hp_comware_display_interface.textfsm"),
                Command(
                    "lldp",
                    "display lldp neighbor-information verbose",
                    "own:hp_comware_display_lldp_neighbor-information_verbose.textfsm",
                ),
                Command("config", "display current-configuration", None),
            ),
            error_markers=_COMWARE_ERRORS,
        ),
        Platform(
            name="cisco_nxos",
            vendor="Cisco",
            netmiko_device_type="cisco_nxos",
            ntc_platform="cisco_nxos",
            napalm_driver="nxos_ssh",
            commands=(
                Command("facts", "show version", "show version"),
                Command("interfaces", "show interface", "show interface"),
                Command("addresses", "show ip interface vrf all", "show ip interface vrf all"),
                Command("lldp", "show lldp neighbors detail", "show lldp neighbors detail"),
                Command("cdp", "show cdp neighbors detail", "show cdp neighbors detail"),
                Command("config", "show running-config", None),
            ),
            error_markers=_CISCO_ERRORS + ("% Invalid command", "% Permission denied"),
        ),
        Platform(
            name="arista_eos",
            vendor="Arista",
            netmiko_device_type="arista_eos",
            ntc_platform="arista_eos",
            napalm_driver="eos",
            commands=(
                Command("facts", "show version", "show version"),
                Command("facts", "show hostname", "show hostname"),
                Command("interfaces", "show interfaces", "show interfaces"),
                Command("lldp", "show lldp neighbors detail", "show lldp neighbors detail"),
                Command("config", "show running-config", None),
            ),
            error_markers=_CISCO_ERRORS,
        ),
        Platform(
            name="juniper_junos",
            vendor="Juniper",
            netmiko_device_type="juniper_junos",
            ntc_platform="juniper_junos",
            napalm_driver="junos",
            commands=(
                Command("facts", "show version", "show version"),
                Command("facts", "show chassis hardware", "show chassis hardware"),
                Command("interfaces", "show interfaces", "show interfaces"),
                Command("lldp", "show lldp neighbors", "show lldp neighbors"),
                Command("config", "show configuration", None),
            ),
            error_markers=_JUNOS_ERRORS,
        ),
        Platform(
            name="linux",
            vendor="Linux",
            netmiko_device_type="linux",
            ntc_platform="linux",
            napalm_driver=None,
            commands=(
                Command("facts", "hostname", None),
                Command("facts", "uname -sr", None),
                Command("interfaces", "ip -j address show", "json"),
                Command("lldp", "lldpcli show neighbors -f json", "json"),
            ),
            error_markers=_LINUX_ERRORS,
        ),
    )
}


def command_filename(command: str) -> str:
    """The capture file name of a command: words joined by ``_``, plus ``.txt``.

    >>> command_filename("show lldp neighbors detail")
    'show_lldp_neighbors_detail.txt'
    >>> command_filename("display lldp neighbor-information verbose")
    'display_lldp_neighbor-information_verbose.txt'
    >>> command_filename("show version | json")
    'show_version_json.txt'
    """
    words = [w for w in command.replace("|", " ").split() if w]
    return "_".join(words) + ".txt"
