"""Platforms as data: what to type on each platform and how to read the answer.

One :class:`Platform` per inventory platform name. Each lists its commands with the
fact kind they feed and the TextFSM template that parses them. ``template`` is the
ntc-templates command name when ntc-templates covers it, ``"own:<file>"`` for a
template shipped in ``collectors/templates/``, ``"json"`` for output that is JSON
(``ip -j``, ``lldpcli -f json``, EOS and NX-OS ``| json``, Junos ``| display json``),
and ``None`` for raw text (configs, ``hostname``).

Structured output first, text as fallback
-----------------------------------------
Where a platform can answer in JSON, the table lists the JSON command and, right
after it, the text command with ``fallback_for`` naming the JSON one: together they
are one *alternative group* (:attr:`Platform.groups`), and a group gives its facts
from exactly one member, the first whose output is present and reads cleanly.

- Offline, a capture folder may hold the JSON file, the text file or both (older
  saved outputs are text only); only a group with no file at all is ``missing``.
- Live, the collector types the preferred command and types the fallback only
  when that answer is unusable: a platform error marker (older software without
  ``| json``) or no readable JSON.
- A preferred output that holds no JSON document (the device's error, an empty or
  text answer) is superseded silently when a fallback reads; a JSON document that
  does not read (broken, truncated) is still reported as ``parse_error`` naming the
  JSON command, because it says something is wrong with the device or the capture.

Weaker forms
------------
A group may hold more than one stand-in, strongest first: the summary tables
(``show lldp neighbors``, ``show cdp neighbors``, VRP ``display lldp neighbor brief``)
after the detail commands, the brief
address tables (``show ip interface brief``, ``display ip interface brief``, Junos ``show
interfaces terse``) after the interface or address command, Junos ``show lldp neighbors detail | display json``
between the summary JSON and its text. A capture holding only a weaker form reads
(the group is not missing); one holding a stronger form never reads the weaker.
The running configuration comes last in every table: it is the weakest evidence.

Adding a platform is adding an entry here, plus templates and a test folder
(see README "Adding a platform").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FactKind = Literal["facts", "interfaces", "addresses", "lldp", "cdp", "config"]

#: The template of a command whose output is JSON.
JSON_TEMPLATE = "json"


@dataclass(frozen=True, slots=True)
class Command:
    """One command of a platform's survey."""

    kind: FactKind
    command: str
    template: str | None  # ntc command name, "own:<file>.textfsm", "json", or None (raw)
    #: The preferred (structured) command this one stands in for, listed before it.
    fallback_for: str | None = None


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
    #: The prompt line (a regular expression matched against the whole last line, trailing
    #: blanks removed): how a session started by our own channel (asyncssh) knows it is in.
    prompt_pattern: str = r"[\w.\-@/:()]+[>#]"
    #: Typed once after login so answers come whole (paging off, wide lines); answered by nothing
    #: the survey keeps. netmiko types its own equivalents.
    terminal_setup: tuple[str, ...] = ()
    #: The command entering privileged mode, when read-only commands may need it and the
    #: credential profile carries an enable secret; None on platforms without one.
    enable_command: str | None = None
    #: :attr:`groups`, computed once from ``commands``.
    _groups: tuple[tuple[Command, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_fallbacks(self.name, self.commands)
        object.__setattr__(self, "_groups", _group(self.commands))  # frozen: set once, here

    def command(self, kind: FactKind) -> tuple[Command, ...]:
        """The commands feeding one fact kind, in order (fallbacks included)."""
        return tuple(c for c in self.commands if c.kind == kind)

    @property
    def groups(self) -> tuple[tuple[Command, ...], ...]:
        """The commands as alternative groups, in table order: each group is a
        preferred command followed by the commands standing in for it (most groups
        have one member). Parsing takes one member's facts per group."""
        return self._groups


def _group(commands: tuple[Command, ...]) -> tuple[tuple[Command, ...], ...]:
    members: dict[str, list[Command]] = {}
    for cmd in commands:
        members.setdefault(cmd.fallback_for or cmd.command, []).append(cmd)
    return tuple(tuple(group) for group in members.values())


def _check_fallbacks(platform: str, commands: tuple[Command, ...]) -> None:
    """A fallback names an earlier, preferred command of the same fact kind."""
    preferred = {}
    for cmd in commands:
        if cmd.fallback_for is None:
            preferred[cmd.command] = cmd
            continue
        head = preferred.get(cmd.fallback_for)
        if head is None or head.kind != cmd.kind:
            raise ValueError(f"{platform}: {cmd.command!r} stands in for {cmd.fallback_for!r}, "
                             "which is no earlier preferred command of the same kind")


def prefer_json(kind: FactKind, structured: str, text: str, template: str | None) -> tuple[Command, Command]:
    """A structured (JSON) command and the text command standing in for it.

    >>> [c.command for c in prefer_json("facts", "show version | json", "show version", "show version")]
    ['show version | json', 'show version']
    """
    return (Command(kind, structured, JSON_TEMPLATE), Command(kind, text, template, fallback_for=structured))


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
            error_markers=_CISCO_ERRORS,
            prompt_pattern=r"[\w.\-@/:()]+[>#]",
            terminal_setup=("terminal length 0", "terminal width 511"),
            enable_command="enable",
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
                Command("interfaces", "display ip interface brief", "own:huawei_vrp_display_ip_interface_brief.textfsm",
                        fallback_for="display interface"),
                Command("lldp", "display lldp neighbor", "own:huawei_vrp_display_lldp_neighbor.textfsm"),
                Command("lldp", "display lldp neighbor brief", "own:huawei_vrp_display_lldp_neighbor_brief.textfsm",
                        fallback_for="display lldp neighbor"),
                Command("config", "display current-configuration", None),
            ),
            error_markers=_HUAWEI_ERRORS,
            prompt_pattern=r"[<\[]~?\*?[^\s<>\[\]]+[>\]]",
            terminal_setup=("screen-length 0 temporary",),
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
                Command("interfaces", "display ip interface brief", "own:hp_comware_display_ip_interface_brief.textfsm",
                        fallback_for="display interface"),
                Command(
                    "lldp",
                    "display lldp neighbor-information verbose",
                    "own:hp_comware_display_lldp_neighbor-information_verbose.textfsm",
                ),
                Command("config", "display current-configuration", None),
            ),
            error_markers=_COMWARE_ERRORS,
            prompt_pattern=r"[<\[][^\s<>\[\]]+[>\]]",
            terminal_setup=("screen-length disable",),
        ),
        Platform(
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
            error_markers=_CISCO_ERRORS + ("% Invalid command", "% Permission denied"),
            prompt_pattern=r"[\w.\-@/:()]+[>#]",
            terminal_setup=("terminal length 0", "terminal width 511"),
            enable_command="enable",
        ),
        Platform(
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
            error_markers=_CISCO_ERRORS,
            prompt_pattern=r"[\w.\-@/:()]+[>#]",
            terminal_setup=("terminal length 0", "terminal width 511"),
            enable_command="enable",
        ),
        Platform(
            name="juniper_junos",
            vendor="Juniper",
            netmiko_device_type="juniper_junos",
            ntc_platform="juniper_junos",
            napalm_driver="junos",
            commands=(
                *prefer_json("facts", "show version | display json", "show version", "show version"),
                *prefer_json("facts", "show chassis hardware | display json", "show chassis hardware",
                             "show chassis hardware"),
                *prefer_json("interfaces", "show interfaces | display json", "show interfaces",
                             "own:juniper_junos_show_interfaces.textfsm"),
                Command("interfaces", "show interfaces terse", "own:juniper_junos_show_interfaces_terse.textfsm",
                        fallback_for="show interfaces | display json"),
                # The detail form names the local port by ifindex beside its name; read after
                # the summary JSON, before the text (JSON states each field apart).
                Command("lldp", "show lldp neighbors | display json", JSON_TEMPLATE),
                Command("lldp", "show lldp neighbors detail | display json", JSON_TEMPLATE,
                        fallback_for="show lldp neighbors | display json"),
                Command("lldp", "show lldp neighbors", "show lldp neighbors",
                        fallback_for="show lldp neighbors | display json"),
                Command("config", "show configuration", None),
            ),
            error_markers=_JUNOS_ERRORS,
            prompt_pattern=r"[\w.\-]+@[\w.\-]+[>#%]",
            terminal_setup=("set cli screen-length 0", "set cli screen-width 511", "set cli complete-on-space off"),
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
            prompt_pattern=r"\S.*[$#]",
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
