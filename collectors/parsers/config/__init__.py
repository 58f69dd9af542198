"""Running configurations read into facts, one module per dialect, so a department that
hands in configuration backups only is auditable.

=====================  ==================================  =====================================
platform               command                             reader
=====================  ==================================  =====================================
``cisco_ios``          ``show running-config``             :func:`ios.read_ios`
``cisco_nxos``         ``show running-config``             :func:`ios.read_nxos`
``arista_eos``         ``show running-config``             :func:`ios.read_eos`
``juniper_junos``      ``show configuration``              :func:`junos.read_junos` (both forms)
``huawei``             ``display current-configuration``   :func:`vrp.read_vrp`
``hp_comware``         ``display current-configuration``   :func:`comware.read_comware`
=====================  ==================================  =====================================

Each gives the hostname and every configured interface: description, administrative
state (``oper_up`` stays ``None``: a configuration does not know), addresses, VRF,
role, and shared (first-hop redundancy, anycast) addresses. The configuration arrives
redacted (:mod:`collectors.redact`); ``<redacted>`` values are no address and are
skipped. Text holding neither a hostname nor an interface is a
:class:`~collectors.parsers.base.ParseError`: it is no configuration of that dialect.
"""

from __future__ import annotations

from collections.abc import Callable

from collectors.parsers.base import CommandParser, Fragment
from collectors.parsers.config.comware import read_comware
from collectors.parsers.config.ios import read_eos, read_ios, read_nxos
from collectors.parsers.config.junos import read_junos
from collectors.parsers.config.vrp import read_vrp
from core.platforms import PLATFORMS

__all__ = ["CONFIG_PARSERS", "CONFIG_READERS"]

#: Platform -> the reader of its configuration dialect.
CONFIG_READERS: dict[str, Callable[[str], Fragment]] = {
    "cisco_ios": read_ios,
    "cisco_nxos": read_nxos,
    "arista_eos": read_eos,
    "juniper_junos": read_junos,
    "huawei": read_vrp,
    "hp_comware": read_comware,
}


def _config_parsers(platform: str, reader: Callable[[str], Fragment]) -> dict[str, CommandParser]:
    """The reader on each configuration command of the platform's table (core.platforms)."""
    commands = PLATFORMS[platform].command("config")
    if not commands:
        raise LookupError(f"collectors.parsers.config: platform {platform!r} lists no configuration command")
    return {cmd.command: CommandParser(reader) for cmd in commands}


#: Platform -> {configuration command: its reader}, merged into each platform's parsers.
CONFIG_PARSERS: dict[str, dict[str, CommandParser]] = {
    platform: _config_parsers(platform, reader) for platform, reader in CONFIG_READERS.items()
}
