"""Linux hosts: ``ip -j`` for addresses, lldpd (``lldpcli``) for neighbours."""

from __future__ import annotations

from core.platforms.base import Command, Platform

PLATFORM = Platform(
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
    error_markers=("command not found", "No such file or directory", "unable to connect to lldpd",
                   "Permission denied"),
    prompt_pattern=r"\S.*[$#]",
    # Bridges container and VM software create with the same default network on every host
    # (Docker docker0 172.17.0.1/16 and br-<id>, libvirt virbr0 192.168.122.1/24, LXC lxcbr0
    # 10.0.3.1/24, LXD, Podman, CNI).
    internal_ports=r"^(?:docker\d+|br-[0-9a-f]{12}|virbr\d+(?:-nic)?|lxcbr\d+|lxdbr\d+|podman\d+|cni\d+)$",
    redaction="none",  # no configuration is read from a host
    prompt_shown="{username}@{hostname}:~$ ",
    unknown_command_reply="-bash: {command}: command not found\n",
)
