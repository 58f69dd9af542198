"""Juniper Junos: JSON (``| display json``) first, text as fallback."""

from __future__ import annotations

from core.platforms.base import JSON_TEMPLATE, Command, Platform, prefer_json

PLATFORM = Platform(
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
    error_markers=("unknown command.", "syntax error, expecting", "error: syntax error", "error: command is not valid"),
    prompt_pattern=r"[\w.\-]+@[\w.\-]+[>#%]",
    terminal_setup=("set cli screen-length 0", "set cli screen-width 511", "set cli complete-on-space off"),
    aliases=("junos", "juniper", "junipernetworks_junos_junos"),
    ansible_network_os="junipernetworks.junos.junos",
    # fxp0, em0/em1 (routing-engine ethernet), me0 (EX), vme (virtual-chassis management).
    management_ports=r"^(?:fxp0|em\d+|me\d+|vme)(?:\.\d+)?$",
    # bme0 (EX/QFX virtual chassis and line-card bus, 128.0.0.x/2), jsrv (QFX/EX,
    # 128.0.0.127/2), fxp1/fxp2 (routing engine to PFE; SRX cluster control link,
    # 129.16.0.x/130.16.0.x), fab0/fab1 (SRX cluster fabric, 30.17.0.x/30.18.0.x), lo0.16384
    # (127.0.0.1) and lo0.16385 (10.0.0.x and 128.0.0.x host routes of the internal routing
    # instance __juniper_private1__).
    internal_ports=r"^(?:bme\d+|jsrv|fxp[12]|fab[01]|ixgbe\d+|pfe-\S+|pfh-\S+)(?:\.\d+)?$|^lo0\.1638[45]$",
    # Internal ports (em0/em1 on MX and vMX routing engines, bme0, jsrv) hold an address of the
    # network 128.0.0.0/2 itself: a /2 nobody configures on a data port. Only that exact
    # network counts; 128.0.0.0/2 as a range would take in 172.16/12.
    internal_networks=("128.0.0.0/2",),
    # {master:0}, {backup:1}, {primary:node0}, {master}, possibly followed by [edit ...], or
    # [edit ...] alone: the engine, member or node the CLI talks to, and configuration mode.
    context_line=r"[ \t]*(?:\{[a-z][\w-]*(?::[\w.-]+)?\}[ \t]*(?:\[edit[^\]]*\])?|\[edit[^\]]*\])\s*",
    engine_name=r"(?P<base>.+?)[-_.]re[01]",
    redaction="junos",
    config_in_braces=True,
    record_starts=(("show interfaces", r"^Physical interface: ([^,\s]+)"),),
    prompt_shown="{username}@{hostname}> ",
    unknown_command_reply="                ^\nsyntax error, expecting <command>.\n",
    setup_replies=(
        ("set cli screen-width 511", "Screen width set to 511\n"),
        ("set cli complete-on-space off", "Disabling complete-on-space\n"),
        ("set cli screen-length 0", "Screen length set to 0\n"),
    ),
)
