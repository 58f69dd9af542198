"""Per-platform parsers: for each platform, each command's :class:`CommandParser`.

``PARSERS[platform name][command as typed]`` mirrors the command table of
:data:`collectors.platforms.PLATFORMS`; a test checks that they agree.
"""

from __future__ import annotations

from collectors.parsers import arista_eos, cisco_ios, cisco_nxos, hp_comware, huawei, juniper_junos, linux
from collectors.parsers.base import CommandParser, Fragment, ParseError

__all__ = ["PARSERS", "CommandParser", "Fragment", "ParseError"]

PARSERS: dict[str, dict[str, CommandParser]] = {
    "cisco_ios": cisco_ios.PARSERS,
    "huawei": huawei.PARSERS,
    "hp_comware": hp_comware.PARSERS,
    "cisco_nxos": cisco_nxos.PARSERS,
    "arista_eos": arista_eos.PARSERS,
    "juniper_junos": juniper_junos.PARSERS,
    "linux": linux.PARSERS,
}
