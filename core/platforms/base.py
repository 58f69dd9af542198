"""The shape of a platform: :class:`Platform` and its :class:`Command` list, as frozen data.

Each platform module of this package builds one :class:`Platform`; see the package
docstring for what the fields mean together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FactKind = Literal["facts", "interfaces", "addresses", "lldp", "cdp", "config"]

#: The rule families of :mod:`collectors.redact`: Cisco-like (IOS, NX-OS, EOS), VRP and
#: Comware, Junos, none (plain hosts, whose outputs hold no configuration), every family.
RedactionFamily = Literal["cisco", "vrp_comware", "junos", "none", "every"]

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

    # --- Names other tools give it (exchange.platform_names) ---
    #: Other tools' spellings of this platform (Ansible ``ansible_network_os`` short or fully
    #: qualified, napalm drivers, netmiko device types, scrapli platforms, NetBox slugs),
    #: compared lower case with ``-``, ``.``, ``/`` and spaces as ``_``. The name itself is implied.
    aliases: tuple[str, ...] = ()
    #: The fully qualified ``ansible_network_os`` written into an Ansible inventory; None: none.
    ansible_network_os: str | None = None
    #: Whether an Ansible collection serves it over ``ansible.netcommon.network_cli`` (the
    #: export then writes that ``ansible_connection``); False: no collection exists.
    ansible_network_cli: bool = True

    # --- Interface roles (collectors.normalise.interface_role) ---
    #: Regular expression matching the whole (canonical) name of a port built for management.
    management_ports: str | None = None
    #: Regular expression matching the whole name of a chassis-internal port (same address on
    #: every box of its kind: never a finding).
    internal_ports: str | None = None
    #: Networks (exact ``a.b.c.d/len``) only chassis-internal ports hold on this platform.
    internal_networks: tuple[str, ...] = ()

    # --- What the CLI prints beside an answer, and how the box names itself ---
    #: Regular expression matching a whole line the CLI prints around a text answer that is no
    #: output (Junos ``{master:0}``, ``[edit]``): dropped from every text answer before it is
    #: read (collectors.parse) and from the end of an answer by the asyncssh channel.
    context_line: str | None = None
    #: Regular expression with a group ``base``: a name the box advertises for one of its
    #: routing engines (Junos ``mx1-re0``) matched to the device ``base`` (analysis.graph,
    #: INV006): a dual-engine chassis sends its master engine's name.
    engine_name: str | None = None

    # --- Redaction and completeness (collectors.redact, collectors.completeness) ---
    #: The family of redaction rules in :mod:`collectors.redact` the outputs go through;
    #: ``"every"`` (the default) applies all of them: over-redacting is the safe side.
    redaction: RedactionFamily = "every"
    #: The unindented line a whole configuration ends with (IOS ``end``, VRP ``return``).
    config_last_line: str | None = None
    #: Whether a configuration is a tree in braces that must close (Junos).
    config_in_braces: bool = False
    #: (command, regular expression) for each detail listing: how one record (an interface,
    #: a neighbour) starts; group 1 names the interface or is empty. Lets a capture cut in
    #: the middle of a listing be told from a whole one.
    record_starts: tuple[tuple[str, str], ...] = ()

    # --- How a device answers (the tests' SSH emulator reads these) ---
    #: The prompt the device shows, ``{hostname}`` and ``{username}`` filled in; it must match
    #: :attr:`prompt_pattern`.
    prompt_shown: str = "{hostname}#"
    #: What the device answers to a command it does not know (``{command}``: its first word);
    #: it holds one of :attr:`error_markers`.
    unknown_command_reply: str = "% Invalid input\n"
    #: (setup command, confirmation) for the :attr:`terminal_setup` commands a device confirms.
    setup_replies: tuple[tuple[str, str], ...] = ()

    #: :attr:`groups`, computed once from ``commands``.
    _groups: tuple[tuple[Command, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_fallbacks(self.name, self.commands)
        _check_references(self)
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


def _check_references(platform: Platform) -> None:
    """Record starts name a command of the table; setup replies a terminal setup command."""
    typed = {cmd.command for cmd in platform.commands}
    for command, _ in platform.record_starts:
        if command not in typed:
            raise ValueError(f"{platform.name}: record_starts names {command!r}, which is no command of its table")
    for command, _ in platform.setup_replies:
        if command not in platform.terminal_setup:
            raise ValueError(f"{platform.name}: setup_replies names {command!r}, which is no terminal_setup command")


def prefer_json(kind: FactKind, structured: str, text: str, template: str | None) -> tuple[Command, Command]:
    """A structured (JSON) command and the text command standing in for it.

    >>> [c.command for c in prefer_json("facts", "show version | json", "show version", "show version")]
    ['show version | json', 'show version']
    """
    return (Command(kind, structured, JSON_TEMPLATE), Command(kind, text, template, fallback_for=structured))


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
